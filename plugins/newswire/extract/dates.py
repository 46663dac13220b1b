"""Dates: any printed or structured publication date as an aware datetime (UTC when unsure)."""

from __future__ import annotations

import email.utils
import logging
import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

logger = logging.getLogger(__name__)

# Abbreviated zone names dateutil cannot resolve on its own (US zones, common in feeds).
TZ_ABBREVIATIONS: dict[str, int] = {
    "UT": 0,
    "GMT": 0,
    "UTC": 0,
    "Z": 0,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "BST": 1 * 3600,
    "CET": 1 * 3600,
    "CEST": 2 * 3600,
}

# An RFC 822 / RFC 2822 date ("Tue, 03 Nov 2026 10:00:00 GMT"); the email parser is too lenient
# with anything else (it reads "10:00 AM EST" as UTC).
RFC822_SHAPE = re.compile(
    r"^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d\d(?::\d\d)?"
    r"(?:\s+(?:[+-]\d{4}|[A-Za-z]{1,5}))?$"
)

# A value must contain a four-digit year before dateutil's lenient parser is trusted with it.
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _zone(name: str) -> tzinfo:
    """The tzinfo for an IANA name, falling back to UTC when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown timezone %r, using UTC", name)
        return UTC


def _finish(value: datetime, default_tz: str) -> datetime:
    """Make a parsed datetime aware (default_tz for naive values) and convert to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=_zone(default_tz))
    return value.astimezone(UTC)


def parse_datetime(value: str | None, default_tz: str = "UTC") -> datetime | None:
    """Parse ISO 8601, RFC 822 and common date strings to an aware UTC datetime, else None."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    try:
        return _finish(datetime.fromisoformat(text), default_tz)
    except ValueError:
        pass
    if RFC822_SHAPE.match(text):
        try:
            return _finish(email.utils.parsedate_to_datetime(text), default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    if not _HAS_YEAR.search(text):
        return None
    tzinfos = {name: dateutil_tz.tzoffset(name, off) for name, off in TZ_ABBREVIATIONS.items()}
    try:
        parsed = dateutil_parser.parse(text, tzinfos=tzinfos)
    except (ValueError, OverflowError, TypeError):
        logger.debug("unparseable date %r", text)
        return None
    return _finish(parsed, default_tz)
