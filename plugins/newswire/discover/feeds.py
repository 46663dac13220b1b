"""RSS and Atom feeds (feedparser): items published inside the run's window."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import feedparser

from newswire.discover import DiscoverContext
from newswire.discover.conditional import conditional_fetch
from newswire.errors import PermanentError, RetryableError
from newswire.models import Item, SourceConfig, Window

if TYPE_CHECKING:
    from newswire.fetch.http import Fetcher

log = logging.getLogger(__name__)

# Date fields of a feed entry, most specific first (feedparser's parsed struct_time, UTC).
_DATE_FIELDS = ("published_parsed", "updated_parsed", "created_parsed")


def entry_datetime(entry: Any) -> datetime | None:
    """The entry's publication time in UTC, None when the feed does not say."""
    for key in _DATE_FIELDS:
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def parse_feed(body: bytes, url: str, source: SourceConfig) -> list[Item]:
    """Every entry of a feed document as an Item; a feed that is not one raises."""
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        # Not RSS/Atom at all (an HTML page, garbage) or broken beyond recovery.
        detail = parsed.get("bozo_exception") or "not an RSS or Atom document"
        raise PermanentError("malformed_feed", f"{url}: {detail}")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        items.append(
            Item(
                url=link.strip(),
                source=source.name,
                published_at=entry_datetime(entry),
                title=entry.get("title"),
            )
        )
    return items


def discover(
    source: SourceConfig, window: Window, fetcher: Fetcher, ctx: DiscoverContext | None = None
) -> Iterator[Item]:
    """Items of every feed URL of the source published inside the window."""
    ctx = ctx or DiscoverContext(strict=True)
    for url in source.urls:
        try:
            body = conditional_fetch(url, source, fetcher, ctx)
            items = parse_feed(body, url, source)
        except (PermanentError, RetryableError) as exc:
            ctx.record(source, url, exc)
            continue
        kept = [i for i in items if i.published_at is not None and window.contains(i.published_at)]
        log.debug("feed %s: %d entries, %d in %s", url, len(items), len(kept), window)
        yield from kept
