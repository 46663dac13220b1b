"""Scoring rules of the extraction quality benchmark (bench/quality_bench.py).

- body precision / recall / F1: the metric of the public article-extraction benchmark
  (scrapinghub/article-extraction-benchmark ``evaluate.py``): multisets of 4-token shingles
  of word-character runs (case kept); per page P = tp/(tp+fp) and R = tp/(tp+fn) (1.0 when
  both texts are empty); P is averaged over pages with some output, R over pages with some
  expected text (a rejected page lowers recall only); F1 = 2PR/(P+R) of the two averages.
- title: exact match after NFKC, case folding, whitespace collapsing and outer quotes/dots.
- authors set F1: per page F1 of the two name sets; two empty sets score 1. Names compare
  accent-, case- and punctuation-insensitively ("Dr. José Pérez" = "dr jose perez").
  ``people`` drops every name that is the page's outlet (site name, publisher or host), a news
  agency or a desk, for the "people" figure.
- date: the extracted publication date falls on the expected day in the publisher's local
  time (the UTC offset of the expected timestamp; a naive expected value is taken as printed).
  An extracted value with a time zone is converted to that offset first; a date without a time
  (trafilatura's output) is compared as printed.
- prompt lines: lines newswire's prompt or boilerplate patterns match.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from newswire.clean.agencies import AGENCIES
from newswire.clean.lines import match_boilerplate, match_meter, match_paywall
from newswire.extract.authors import NON_PERSON_NAMES

# Shingle length of the body metric.
SHINGLE_N = 4

# Invisible characters (soft hyphen, zero-width space...) ignored when titles are compared.
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")

# Words of the body metric (case kept, as in the public benchmark).
TOKEN = re.compile(r"\w+")

# Words that make a byline name an organisation's desk rather than a person ("BR24 Redaktion").
DESK_WORDS = frozenset(
    {"redaktion", "redaction", "redacción", "redazione", "staff", "desk", "newsroom", "agencies"}
)

# Site names shorter than this (letters and digits) are not matched inside author names.
MIN_ORG_KEY = 3

# An expected line counts as kept when at least this share of its shingles is in the output.
LINE_KEPT = 0.5


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """Multiset of SHINGLE_N-token shingles (the whole text as one when shorter)."""
    tokens = TOKEN.findall(text or "")
    count = max(1, len(tokens) - SHINGLE_N + 1)
    return Counter(s for i in range(count) if (s := tuple(tokens[i : i + SHINGLE_N])))


def body_counts(extracted: str, gold: str) -> tuple[int, int, int]:
    """(true positive, false positive, false negative) shingles of extracted against gold."""
    ext, ref = shingles(extracted), shingles(gold)
    common = sum((ext & ref).values())
    return common, sum(ext.values()) - common, sum(ref.values()) - common


def body_prf(counts: Sequence[tuple[int, int, int]]) -> tuple[float, float, float]:
    """Averaged precision and recall, and their F1, as the public benchmark computes them."""
    precisions = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in counts if tp + fp]
    recalls = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in counts if tp + fn]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def norm_title(text: str | None) -> str:
    """A title as compared: NFKC, case-folded, collapsed spaces, no outer quotes or dots."""
    text = INVISIBLE.sub("", text or "")
    value = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return value.strip(" \"'“”‘’«».:")


def norm_name(text: str) -> str:
    """An author name as compared: NFKC, case-folded, accents and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(TOKEN.findall(bare))


def set_f1(found: Sequence[str], gold: Sequence[str]) -> float:
    """F1 of two name sets (1.0 when both are empty)."""
    a, b = {norm_name(x) for x in found} - {""}, {norm_name(x) for x in gold} - {""}
    if not a and not b:
        return 1.0
    common = len(a & b)
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def name_key(text: str) -> str:
    """Letters and digits of a name, case-folded and without accents."""
    return norm_name(text).replace(" ", "")


def is_organisation(name: str, outlets: frozenset[str]) -> bool:
    """True when a byline name is the page's outlet, a news agency or a desk ("dpa", "BBC News")."""
    key, words = name_key(name), set(norm_name(name).split())
    agencies = {name_key(a) for a in (*AGENCIES, *NON_PERSON_NAMES)}
    if key in agencies or words & {name_key(a) for a in AGENCIES} or words & DESK_WORDS:
        return True
    return any(o == key or (len(o) >= MIN_ORG_KEY and (o in key or key in o)) for o in outlets)


def people(names: Sequence[str], outlets: frozenset[str]) -> list[str]:
    """The names that are not organisations."""
    return [n for n in names if not is_organisation(n, outlets)]


def same_day(found: datetime | date | None, expected: str) -> bool:
    """True when found falls on the expected timestamp's calendar day in its own UTC offset."""
    wanted = datetime.fromisoformat(expected)
    if found is None:
        return False
    if not isinstance(found, datetime):
        return found == wanted.date()
    if wanted.tzinfo is not None and found.tzinfo is not None:
        return found.astimezone(wanted.tzinfo).date() == wanted.date()
    return found.date() == wanted.date()


def prompt_lines(body: str) -> int:
    """Lines of a body that newswire's prompt or boilerplate patterns match."""
    return sum(
        1
        for line in body.splitlines()
        if line.strip()
        and (
            match_paywall(line.strip())
            or match_boilerplate(line.strip())
            or match_meter(line.strip())
        )
    )


def page_recall(extracted: str, expected: str) -> float:
    """Body recall of one page (1.0 when both texts are empty)."""
    tp, fp, fn = body_counts(extracted, expected)
    return 1.0 if fp == fn == 0 else tp / (tp + fn) if tp + fn else 1.0


def line_kept(line: str, output: str) -> bool:
    """True when at least LINE_KEPT of an expected line's shingles are in the output."""
    tokens = TOKEN.findall(line)
    if len(tokens) < SHINGLE_N:  # a short line: its words in a row
        return f" {' '.join(tokens)} " in f" {' '.join(TOKEN.findall(output))} "
    found = shingles(output)
    wanted = [tuple(tokens[i : i + SHINGLE_N]) for i in range(len(tokens) - SHINGLE_N + 1)]
    return sum(s in found for s in wanted) >= LINE_KEPT * len(wanted)
