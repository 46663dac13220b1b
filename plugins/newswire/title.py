"""Headline choice among the page's title sources (JSON-LD, <h1>, og:title, <title>)."""

from __future__ import annotations

import re

from newswire.metadata import PageMeta
from newswire.models import normalise_text

__all__ = ["MIN_TITLE_CHARS", "drop_confirmed_kicker", "pick_title"]

# Headline candidates shorter than this (normalised characters) are not trusted.
MIN_TITLE_CHARS = 8

# A kicker (topic label printed over a headline) ends with one of these before the headline:
# "Kicker: Headline", "Kicker - Headline", "Kicker | Headline", "Kicker / Headline".
KICKER_SEPARATOR = re.compile(r":\s+|\s+[|–—/-]\s+")

# A headline left once its kicker goes must keep at least this many words.
MIN_HEADLINE_WORDS = 3


def _supports(source: str, key: str) -> bool:
    """True when a source prints the candidate key, alone or before a suffix (" | Site")."""
    return source == key or source.startswith(key)


def pick_title(meta: PageMeta) -> str | None:
    """The headline most sources agree on: JSON-LD headline, <h1> or og:title.

    A candidate gets a vote from each source that prints it, alone or before a suffix
    (" | Site", " - Section"). A tie goes to the candidate the page's visible <h1> prints,
    else to the earlier source. A kicker over the winner is dropped when another source
    prints the same headline without it (or under another kicker).
    """
    sources = [s for s in (meta.headline, *meta.h1[:1], meta.title, meta.html_title) if s]
    keys = [normalise_text(s) for s in sources]
    extra_h1 = [normalise_text(h) for h in meta.h1[1:]]
    h1 = normalise_text(meta.h1[0]) if meta.h1 else None
    best, best_key, best_votes = None, "", 0
    for candidate, key in zip(sources[:-1] if meta.html_title else sources, keys, strict=False):
        if len(key) < MIN_TITLE_CHARS:
            continue
        votes = sum(1 for k in keys if _supports(k, key)) + extra_h1.count(key)
        visible = h1 is not None and _supports(h1, key)
        shown = h1 is not None and best is not None and _supports(h1, best_key)
        if votes > best_votes or (votes == best_votes and visible and not shown):
            best, best_key, best_votes = candidate, key, votes
    if best is None:
        return None
    others = [s for s in (meta.headline, meta.title) if s and normalise_text(s) != best_key]
    return drop_confirmed_kicker(best, others)


def drop_confirmed_kicker(title: str, others: list[str]) -> str:
    """The headline without a leading kicker that another source prints it without.

    "Election 2026: Turnout hits record" becomes "Turnout hits record" only when og:title or
    the JSON-LD headline is exactly "Turnout hits record". A visible <h1> without the kicker
    does not count: pages often print the kicker as a label over the <h1>.
    """
    match = KICKER_SEPARATOR.search(title)
    if match is None or not match.start():
        return title
    headline = title[match.end() :].strip()
    key = normalise_text(headline)
    if len(key.split()) >= MIN_HEADLINE_WORDS and any(normalise_text(o) == key for o in others):
        return headline
    return title
