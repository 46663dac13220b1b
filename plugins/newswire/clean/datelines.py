"""Datelines: the leading 'PLACE (Agency) —' of wire copy, split off and named."""

from __future__ import annotations

import re

from newswire.clean.agencies import AGENCIES

# Separator printed between a dateline and the story; normalised output uses " — ".
DATELINE_SEPARATOR = " — "

# Leading dateline: upper-case place, optional ", Region" and ", Jan 15", "(Agency)", dash.
DATELINE = re.compile(
    r"^\s*(?P<place>[^\W\d_][^\W\d_ .'’&-]*(?:[ .'’&-]+[^\W\d_][^\W\d_.'’-]*)*\.?)"
    r"(?P<region>,\s*[^\W\d_][\w.'’ -]{0,30}?)??"
    r"(?P<date>,\s*(?:[^\W\d_]{3,9}\.?\s+\d{1,2}|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?)(?:,?\s+\d{4})?)?"
    r"\s*\(\s*(?P<agency>[^()]{2,30}?)\s*\)"
    r"\s*(?:(?:--|[—–:-])\s*|$)(?P<rest>.*)$",
    re.DOTALL,
)


def _is_place(text: str) -> bool:
    """True when text looks like a dateline place name: upper-case letters, a few words."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and len(text.split()) <= 5


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Split a leading 'PLACE (Agency) —' dateline off a paragraph: (place, agency, rest)."""
    text = " ".join(paragraph.split())
    match = DATELINE.match(text)
    if match is None:
        return None, None, paragraph
    agency = AGENCIES.get(match.group("agency").casefold())
    place = match.group("place").strip()
    if agency is None or not _is_place(place):
        return None, None, paragraph
    return place, agency, match.group("rest").strip()


def dateline_prefix(paragraph: str) -> str | None:
    """The dateline as printed ('NEW YORK, Jan 15 (Reuters)'), whitespace collapsed, or None."""
    text = " ".join(paragraph.split())
    match = DATELINE.match(text)
    if match is None or split_dateline(text)[1] is None:
        return None
    head = text[: match.start("agency")].rstrip(" (")
    return f"{head} ({match.group('agency').strip()})"
