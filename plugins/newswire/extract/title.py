"""Headline choice among the page's title sources (JSON-LD, <h1>, og:title, <title>)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from newswire.extract.metadata import PageMeta, strip_site_name
from newswire.models import normalise_text

__all__ = ["MIN_TITLE_CHARS", "drop_confirmed_kicker", "pick_title"]

# Headline candidates shorter than this (normalised characters) are not trusted.
MIN_TITLE_CHARS = 8

# A kicker (topic label printed over a headline) ends with one of these before the headline:
# "Kicker: Headline", "Kicker - Headline", "Kicker | Headline", "Kicker / Headline".
KICKER_SEPARATOR = re.compile(r":\s+|\s+[|–—/-]\s+")

# A headline left once its kicker goes must keep at least this many words.
MIN_HEADLINE_WORDS = 3

# Two sources printing one headline under different kickers: each kicker at most this many
# words (longer openings are part of the headline: "Joburg has failed its traders: ...").
MAX_KICKER_WORDS = 4

# Endings of a headline cut short.
ELLIPSES = ("...", "\u2026")

# Quotation marks and apostrophes: a source may leave out those another prints for display
# ('"Stay home"... Storm nears' against 'Stay home... Storm nears').
QUOTE_MARKS = re.compile("[\"'\u2018-\u201f\u00ab\u00bb\u2039\u203a]")

# Words compared between a heading and the <title>: case-folded runs of word characters.
WORD = re.compile(r"\w+")

# Without a JSON-LD headline or og:title, a heading is taken for the headline only when at
# least this share of its words is in the <title> (a logo or section <h1> seldom is)...
HEADING_IN_TITLE = 0.8

# ...and it prints at least this share of the <title>'s words (its site name taken off).
TITLE_IN_HEADING = 0.4


def _supports(source: str, key: str) -> bool:
    """True when a source prints the candidate key, alone or before a suffix (" | Site")."""
    return source == key or source.startswith(key)


def pick_title(meta: PageMeta) -> str | None:
    """The headline most sources agree on: JSON-LD headline, <h1> or og:title.

    A candidate gets a vote from each source that prints it, alone or before a suffix
    (" | Site", " - Section"). A tie goes to the candidate the page's visible <h1> prints,
    else to the earlier source. A kicker over the winner is dropped when another source
    prints the same headline without it, or another source prints it under another short
    kicker.
    """
    if not meta.headline and not meta.title and (heading := heading_like_title(meta)):
        return heading
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
    best = _plain_spelling(best, meta)
    best_key = normalise_text(best)
    others = [s for s in (meta.headline, meta.title) if s and normalise_text(s) != best_key]
    rivals = [s for s in (*others, *meta.h1[:1]) if normalise_text(s) != best_key]
    if meta.title and normalise_text(meta.title) == best_key:
        # og:title prints the kicker: a JSON-LD headline without it was cut to a length limit
        others = [s for s in others if s != meta.headline]
    return drop_confirmed_kicker(best, others, rivals)


def _words(text: str) -> list[str]:
    """Case-folded words of a text."""
    return WORD.findall(normalise_text(text))


def heading_like_title(meta: PageMeta) -> str | None:
    """The <h1>, else <h2>/<h3>, that agrees best with the <title>, else the <title>.

    Used when the page has neither a JSON-LD headline nor og:title: its first <h1> is often a
    logo or a section name. A heading agrees when most of its words are in the <title> (its
    site name suffix taken off) and it prints a good share of them; the one printing the most
    wins, the earlier on a tie. Without such a heading the <title> itself is the headline.
    """
    title = meta.html_title or ""
    wanted = Counter(_words(strip_site_name(title, meta.site_names)))
    size = sum(wanted.values())
    best, best_share = None, TITLE_IN_HEADING
    for heading in (*meta.h1, *meta.subheads):
        words = Counter(_words(heading))
        if len(normalise_text(heading)) < MIN_TITLE_CHARS or not size:
            continue
        shared = sum((words & wanted).values())
        share = shared / size
        if shared >= HEADING_IN_TITLE * sum(words.values()) and share > best_share:
            best, best_share = heading, share
    return best


def _letters(text: str) -> str:
    """Letters and digits of a text, case-folded: its words without spacing or punctuation."""
    return "".join(c for c in normalise_text(text) if c.isalnum())


def _quotes(text: str) -> int:
    """Number of quotation marks and apostrophes in a text."""
    return len(QUOTE_MARKS.findall(text))


def _plain_spelling(best: str, meta: PageMeta) -> str:
    """The chosen headline as the JSON-LD headline or og:title spells it, when they print it.

    A source printing the headline with fewer quotation marks and otherwise alike wins
    ('"Stay home"... Storm nears' becomes 'Stay home... Storm nears'). A spelling only the
    <h1> prints gives way to a source with the same letters and digits: an <h1>'s text runs
    its elements together ("<span>Kicker</span>Headline" reads "KickerHeadline").
    """
    key = normalise_text(best)
    spellings = [s for s in (meta.headline, meta.title) if s and normalise_text(s) != key]
    bare = QUOTE_MARKS.sub("", key)
    for spelling in spellings:
        other = normalise_text(spelling)
        if QUOTE_MARKS.sub("", other) == bare and _quotes(other) < _quotes(key):
            return spelling
    printed = {normalise_text(s) for s in (meta.headline, meta.title) if s}
    if meta.h1 and normalise_text(meta.h1[0]) == key and key not in printed:
        letters = _letters(key)
        for spelling in spellings:
            # a spelling cut with an ellipsis the <h1> leaves out is no better
            if _letters(spelling) == letters and not spelling.endswith(ELLIPSES):
                return spelling
    return best


def _split_kicker(text: str) -> tuple[str, str] | None:
    """(kicker, headline) of a text at its first kicker separator, else None."""
    match = KICKER_SEPARATOR.search(text)
    if match is None or not match.start():
        return None
    return text[: match.start()].strip(), text[match.end() :].strip()


def drop_confirmed_kicker(title: str, others: list[str], rivals: Sequence[str] = ()) -> str:
    """The headline without a leading kicker that another source prints it without.

    "Election 2026: Turnout hits record" becomes "Turnout hits record" when og:title or the
    JSON-LD headline (others) is exactly "Turnout hits record", or when one of them or the
    <h1> (rivals) prints it under another short kicker ("Polls close - Turnout hits
    record"). A visible <h1> without any kicker does not count: pages often print the kicker
    as a label over the <h1>.
    """
    split = _split_kicker(title)
    if split is None:
        return title
    kicker, headline = split
    key = normalise_text(headline)
    if len(key.split()) < MIN_HEADLINE_WORDS:
        return title
    if any(normalise_text(o) == key for o in others):
        return headline
    if len(kicker.split()) <= MAX_KICKER_WORDS:
        for rival in rivals:
            other = _split_kicker(rival)
            if (
                other is not None
                and normalise_text(other[1]) == key
                and len(other[0].split()) <= MAX_KICKER_WORDS
                and normalise_text(other[0]) != normalise_text(kicker)
            ):
                return headline
    return title
