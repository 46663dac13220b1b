"""An article's language read from its text (py3langid), markup breaking ties on short text."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # py3langid is imported on first use: its model takes about a second to load
    from py3langid.langid import LanguageIdentifier

__all__ = [
    "CANDIDATES",
    "MIN_CONFIDENCE",
    "MIN_LETTERS",
    "SAMPLE_CHARS",
    "Detected",
    "detect_language",
    "same_language",
]

logger = logging.getLogger(__name__)

# Below this many letters in the sample the text does not decide: the markup's language (or
# the source default) does. On the corpus's tuning half, detections of shorter text overruled
# right markup more often than they fixed wrong markup; from 30 letters on they fixed more.
MIN_LETTERS = 30

# A detection less probable than this (a weak lead, a near tie between related languages) is
# not trusted when the markup or the source names a language: that hint decides. 0.5 is "more
# probable than every other candidate together" (py3langid's probabilities are calibrated to
# the text's length).
MIN_CONFIDENCE = 0.5

# Characters of title and text scored: the whole text adds time, not accuracy (every page of
# the corpus is identified from its first 1,000 characters).
SAMPLE_CHARS = 1000

# The candidates: every ISO 639-1 language of py3langid 0.4's model (114 of its 140 labels).
# Its other labels (regional, historical and script varieties: "arz", "yue", "vec", "ext",
# "grc"..., and "zxx", no linguistic content) are left out: stored languages stay ISO 639-1
# like the markup's, which the search configurations and legacy charsets are keyed on, and on
# short text those labels only took lines from their big neighbours (on the tuning half,
# Extremaduran and Venetian took Spanish and Italian text; the restriction lifted accuracy on
# 15-letter samples from 0.82 to 0.83 and on 30-letter ones from 0.965 to 0.974, with no loss
# on full texts). Egyptian and Moroccan Arabic fall to "ar", Cantonese and Wu to "zh".
_CANDIDATE_CODES = """
    af am an ar as az ba be bg bn br bs ca cs cy da de dz el en eo es et eu fa fi fo fr fy ga
    gd gl gu ha he hi hr ht hu hy id ig is it ja jv ka kk km kn ko ku ky la lb lg ln lo lt lv
    mg mk ml mn mr ms mt my ne nl nn no oc om or pa pl ps pt qu ro ru rw sa se si sk sl sn so
    sq sr st sv sw ta te tg th tk tl tr tt ug uk ur uz vi vo wa xh yo zh zu
"""
CANDIDATES = frozenset(_CANDIDATE_CODES.split())

# Markup codes that name a variety of a model language: the markup's finer code is kept when
# the text says the same language ("nb" Bokmål is the model's "no").
VARIETY_OF: dict[str, str] = {"nb": "no"}


@dataclass(frozen=True)
class Detected:
    """A language (ISO 639-1) and the text model's probability of it, with where it came from."""

    language: str | None
    confidence: float | None  # None when the language is no candidate or nothing was scored
    source: str  # "text" (detected), "hint" (markup or source default decided), "none"


@functools.cache
def _identifier() -> LanguageIdentifier:
    """The py3langid model restricted to the candidates, loaded once per process."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(sorted(CANDIDATES))
    logger.debug("language model loaded: %d candidate languages", len(identifier.labels))
    return identifier


def same_language(a: str | None, b: str | None) -> bool:
    """True when two codes name one language ("nb" and "no" do)."""
    if a is None or b is None:
        return a == b
    return VARIETY_OF.get(a, a) == VARIETY_OF.get(b, b)


def _letters(text: str) -> int:
    """Letters in a text (a Han or Kana character is one)."""
    return sum(1 for ch in text if ch.isalpha())


def detect_language(title: str | None, lines: Sequence[str], hint: str | None) -> Detected:
    """Language of title and text; the hint (markup, else source default) decides short text."""
    sample = "\n".join([title, *lines] if title else lines)[:SAMPLE_CHARS]
    letters = _letters(sample)
    if not letters:
        return Detected(hint, None, "hint" if hint else "none")
    scores = dict(_identifier().rank(sample))
    best, confidence = next(iter(scores.items()))
    hinted = VARIETY_OF.get(hint, hint) if hint else None
    if hint and (letters < MIN_LETTERS or confidence < MIN_CONFIDENCE):
        probability = scores.get(hinted) if hinted else None
        return Detected(hint, _rounded(probability), "hint")
    if letters < MIN_LETTERS and confidence < MIN_CONFIDENCE:
        return Detected(None, None, "none")
    language = hint if hint and hinted == best else best
    if hint and language != hint:
        logger.debug("text language %s (%.2f) overrules the hint %s", best, confidence, hint)
    return Detected(language, _rounded(confidence), "text")


def _rounded(value: float | None) -> float | None:
    """A probability rounded to 3 places (stable output across platforms), or None."""
    return None if value is None else round(float(value), 3)
