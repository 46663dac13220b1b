"""Cleaning of extracted paragraphs: prompts, captions, duplicates, title and dateline."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from newswire.clean.datelines import DATELINE_SEPARATOR, dateline_prefix, split_dateline
from newswire.clean.patterns import (
    BOILERPLATE_PATTERNS,
    CAPTION_PATTERNS,
    METER_PATTERNS,
    PATTERN_NEEDS,
    PAYWALL_PATTERNS,
    lower,
)
from newswire.models import count_words, normalise_text

__all__ = [
    "BOILERPLATE_PATTERNS",
    "CAPTION_PATTERNS",
    "CREDIT_PATTERNS",
    "METER_PATTERNS",
    "PAYWALL_PATTERNS",
    "Cleaned",
    "clean_paragraphs",
    "match_boilerplate",
    "match_caption",
    "match_meter",
    "match_paywall",
    "normalise_whitespace",
    "sign_off",
    "trim_tail",
]

logger = logging.getLogger(__name__)

# Characters that render as a space (NBSP, thin and narrow spaces, ideographic space...).
SPACE_CHARS = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\f\v]")

# Invisible characters removed outright (zero-width, soft hyphen, BOM, word joiner).
INVISIBLE_CHARS = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")

# Runs of spaces collapsed to one.
REPEATED_SPACES = re.compile(r" {2,}")

# A paywall prompt is a whole short line: longer lines are article text.
PROMPT_MAX_WORDS = 25

# Boilerplate (newsletter, cookies, share, footer) lines may be a little longer than prompts.
BOILERPLATE_MAX_WORDS = 50

# A line with a photo credit at its end is a caption up to this length.
CAPTION_MAX_WORDS = 60

# Boilerplate patterns whose line is the story's credits line (kept apart, not a prompt).
CREDIT_PATTERNS = frozenset({"reporting_credits", "contributor_credits"})

# A paragraph printed twice in a row and at most this long is a photo caption (both copies go).
DOUBLED_CAPTION_MAX_WORDS = 60

# A paywall prompt truncates the text when what follows it (prompts, boilerplate and captions
# aside) has at most this many times the words before it; a prompt in the page head is only
# stripped.
PAYWALL_TAIL_RATIO = 1.0

# How many leading paragraphs are searched for a dateline.
DATELINE_SEARCH_DEPTH = 3


@dataclass(frozen=True)
class Cleaned:
    """Paragraphs after cleaning, with what was found and removed."""

    paragraphs: tuple[str, ...]
    prompts: tuple[str, ...] = ()  # names of the prompt patterns that matched, in order
    paywalled: bool = False
    truncated: bool = False  # a paywall prompt cut the text short (only a teaser is left)
    credits: str | None = None  # "Reporting by Jane Doe; Editing by John Roe"
    dateline: str | None = None  # "WASHINGTON"
    agency: str | None = None  # "Reuters", "AP", "AFP"
    captions: tuple[str, ...] = ()  # photo captions removed from the text


def normalise_whitespace(text: str) -> str:
    """Replace exotic spaces, drop invisible characters, collapse runs of spaces; strip."""
    text = INVISIBLE_CHARS.sub("", SPACE_CHARS.sub(" ", text))
    return REPEATED_SPACES.sub(" ", text.replace("\n", " ")).strip()


def _words(text: str) -> int:
    """Number of words (each Han/Kana character counts as one)."""
    return count_words(text)


def _first(patterns: Mapping[str, re.Pattern[str]], line: str, search: bool = False) -> str | None:
    """Name of the first pattern matching line (search: anywhere in it), else None.

    A pattern with PATTERN_NEEDS is tried only on a line holding one of its words.
    """
    low: str | None = None
    for name, pattern in patterns.items():
        needs = PATTERN_NEEDS.get(name)
        if needs:
            low = lower(line) if low is None else low
            if not any(w in low for w in needs):
                continue
        if (pattern.search if search else pattern.match)(line):
            return name
    return None


def match_paywall(line: str) -> str | None:
    """Name of the paywall pattern matching the whole line, else None."""
    if _words(line) > PROMPT_MAX_WORDS:
        return None
    return _first(PAYWALL_PATTERNS, line)


def match_meter(line: str) -> str | None:
    """Name of the meter-notice pattern matching the whole line, else None."""
    if _words(line) > PROMPT_MAX_WORDS:
        return None
    return _first(METER_PATTERNS, line)


def match_boilerplate(line: str) -> str | None:
    """Name of the boilerplate pattern matching the whole line, else None."""
    if _words(line) > BOILERPLATE_MAX_WORDS:
        return None
    return _first(BOILERPLATE_PATTERNS, line)


def match_caption(line: str) -> str | None:
    """Name of the caption-credit pattern that ends the line, else None."""
    if _words(line) > CAPTION_MAX_WORDS:
        return None
    return _first(CAPTION_PATTERNS, line, search=True)


def _add(names: list[str], name: str) -> None:
    """Append name unless already present."""
    if name not in names:
        names.append(name)


def _merge_dateline(paragraphs: list[str]) -> tuple[str | None, str | None]:
    """Merge a dateline-only paragraph into the next one and normalise its separator."""
    for index, text in enumerate(paragraphs[:DATELINE_SEARCH_DEPTH]):
        place, agency, rest = split_dateline(text)
        prefix = dateline_prefix(text)
        if place is None or prefix is None:
            continue
        if not rest and index + 1 < len(paragraphs):
            rest = paragraphs.pop(index + 1)
        paragraphs[index] = f"{prefix}{DATELINE_SEPARATOR}{rest}" if rest else prefix
        return place, agency
    return None, None


def _tail_words(lines: Sequence[str]) -> int:
    """Words in lines that are not prompts, boilerplate or captions."""
    return sum(
        _words(t)
        for t in lines
        if match_paywall(t) is None and match_boilerplate(t) is None and match_caption(t) is None
    )


def clean_paragraphs(
    paragraphs: Sequence[str],
    *,
    title: str | None = None,
    known_captions: Collection[str] = (),
) -> Cleaned:
    """Clean extracted paragraphs: whitespace, prompts, captions, repeats, title, dateline."""
    lines = [t for t in (normalise_whitespace(p) for p in paragraphs) if t]
    caption_keys = {normalise_text(c) for c in known_captions}
    prompts: list[str] = []
    captions: list[str] = []
    paywalled = truncated = False
    credits: list[str] = []
    kept: list[str] = []
    for index, line in enumerate(lines):
        meter = match_meter(line)
        if meter is not None:
            _add(prompts, meter)
            continue
        paywall = match_paywall(line)
        if paywall is not None:
            _add(prompts, paywall)
            paywalled = True
            tail = lines[index + 1 :]
            if _tail_words(tail) <= PAYWALL_TAIL_RATIO * sum(_words(t) for t in kept):
                for rest in tail:  # the prompt block and what follows go
                    name = match_paywall(rest) or match_boilerplate(rest)
                    if name is not None:
                        _add(prompts, name)
                logger.debug("paywall prompt %s: dropping %d tail lines", paywall, len(tail))
                truncated = True
                break
            continue
        boilerplate = match_boilerplate(line)
        if boilerplate in CREDIT_PATTERNS:
            _add(credits, line.strip(" ()"))
        elif boilerplate is not None:
            _add(prompts, boilerplate)
        if boilerplate is not None:
            continue
        if match_caption(line) is not None or normalise_text(line) in caption_keys:
            _add(captions, line)
            continue
        kept.append(line)

    title_key = normalise_text(title) if title else None
    while kept and normalise_text(kept[0]) == title_key:
        kept.pop(0)

    # a short paragraph printed twice in a row is a photo caption: drop both copies
    keys = [normalise_text(t) for t in kept]
    doubled = {
        a
        for a, b, text in zip(keys, keys[1:], kept, strict=False)
        if a == b and _words(text) <= DOUBLED_CAPTION_MAX_WORDS
    }
    body: list[str] = []
    seen: set[str] = set()
    for key, line in zip(keys, kept, strict=True):
        if key in doubled:
            _add(captions, line)
        elif key not in seen:
            body.append(line)
        seen.add(key)

    dateline, agency = _merge_dateline(body)
    return Cleaned(
        paragraphs=tuple(body),
        prompts=tuple(prompts),
        paywalled=paywalled,
        truncated=truncated,
        credits="; ".join(credits) or None,
        dateline=dateline,
        agency=agency,
        captions=tuple(captions),
    )


# A trailing line this short (words and characters) without sentence punctuation is a label,
# sign-off, source line or tag after the story ("Quelle: ntv.de", "Related", "Jane Doe").
TAIL_LABEL_MAX_WORDS = 4
TAIL_LABEL_MAX_CHARS = 40

# A trailing line up to this many words ending in a colon or comma introduces something the
# page printed after the story (a link list, an offer): "More news from the region:".
TAIL_INTRO_MAX_WORDS = 15

# How a sentence (or a quotation closing one) ends, in Latin and CJK punctuation; a closing
# parenthesis ends a note or a credit ("(dpa)"), not a sentence.
SENTENCE_END = re.compile(r"[.!?…。！？\"'»”’“‘」』]\s*$")

# A sign-off naming the writer under the story: two to four capitalised words, letters only.
SIGN_OFF = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?: [^\W\d_][^\W\d_'’.-]*){1,3}$")


def trim_tail(paragraphs: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(body, tail): short unpunctuated lines closing the body are moved to the tail.

    Labels of related links, source lines, tag lists and the writer's sign-off follow the
    story's last sentence; the body keeps at least one paragraph.
    """
    body = list(paragraphs)
    tail: list[str] = []
    while len(body) > 1:
        last = body[-1]
        short = len(last) <= TAIL_LABEL_MAX_CHARS and len(last.split()) <= TAIL_LABEL_MAX_WORDS
        opening = len(last.split()) <= TAIL_INTRO_MAX_WORDS and last.rstrip().endswith((":", ","))
        if not (short or opening) or SENTENCE_END.search(last):
            break
        tail.insert(0, body.pop())
    return tuple(body), tuple(tail)


def sign_off(tail: Sequence[str]) -> str | None:
    """The writer's name when the whole tail is one name signed under the story, else None.

    Two to four capitalised words of letters only, and no boilerplate label ("Top Stories").
    """
    if len(tail) != 1 or not SIGN_OFF.match(tail[0]) or match_boilerplate(tail[0]):
        return None
    return tail[0] if all(w[:1].isupper() for w in tail[0].split()) else None
