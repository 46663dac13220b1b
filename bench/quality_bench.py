"""Extraction quality benchmark: newswire vs plain trafilatura on ../shared/corpus/news-pages.

Prints, for both extractors measured in the same run (``--dump`` adds one line per page and
field that misses):

- body precision / recall / F1: the metric of the public article-extraction benchmark
  (scrapinghub/article-extraction-benchmark ``evaluate.py``): multisets of 4-token shingles
  of word-character runs (case kept); per page P = tp/(tp+fp) and R = tp/(tp+fn) (1.0 when
  both texts are empty); P is averaged over pages with some output, R over pages with some
  expected text (a rejected page lowers recall only); F1 = 2PR/(P+R) of the two averages.
- title: exact match after NFKC, case folding, whitespace collapsing and outer quotes/dots.
- authors set F1: per page F1 of the two name sets, averaged over pages whose expected authors
  are annotated (not null); two empty sets score 1. Names compare accent-, case- and
  punctuation-insensitively ("Dr. José Pérez" = "dr jose perez"). Plain trafilatura's authors
  are its own list (``Document.author`` split on trafilatura's ";" separator), newswire's its
  ``Article.authors``. The corpus names outlets and agencies as authors on some pages
  ("dpa", "BBC News") while newswire keeps authors to people (the agency goes to its own
  field), so "authors F1 (people)" also scores both extractors with every name that is the
  page's outlet (site name, publisher or host) or a news agency removed from both sides.
- date: the extracted publication date falls on the expected day in the publisher's local
  time (the UTC offset of the expected timestamp; a naive expected value is taken as printed).
  An extracted value with a time zone is converted to that offset first; a date without a time
  (trafilatura's output) is compared as printed.
- prompt lines left in bodies (newswire's prompt/boilerplate patterns), pages rejected, docs/s.

With these definitions plain trafilatura 2.3.1 scores body P 0.910 R 0.981 F1 0.944, title
0.674, authors F1 0.808 and date 0.961 on the 230 pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import lxml.html
import trafilatura

from newswire.clean.agencies import AGENCIES
from newswire.clean.lines import match_boilerplate, match_meter, match_paywall
from newswire.errors import ExtractionRejected
from newswire.extract import extract_article
from newswire.extract.authors import NON_PERSON_NAMES
from newswire.extract.dates import parse_datetime
from newswire.extract.metadata import host_names, read_meta
from newswire.models import Page, SourceConfig

# The corpus: <country>/<id>.html.gz + <id>.json (see its README).
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "news-pages"

# Shingle length of the body metric.
SHINGLE_N = 4

# Invisible characters (soft hyphen, zero-width space...) ignored when titles are compared.
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")

# Words of the body metric (case kept, as in the public benchmark).
TOKEN = re.compile(r"\w+")

# trafilatura joins several authors with this separator.
TRAFILATURA_AUTHOR_SEPARATOR = ";"

# A calendar date without a time, as trafilatura prints it.
DATE_ONLY = re.compile(r"^\d{4}-\d\d-\d\d$")

# Words that make a byline name an organisation's desk rather than a person ("BR24 Redaktion").
DESK_WORDS = frozenset(
    {"redaktion", "redaction", "redacción", "redazione", "staff", "desk", "newsroom", "agencies"}
)

# Site names shorter than this (letters and digits) are not matched inside author names.
MIN_ORG_KEY = 3


@dataclass(frozen=True)
class Output:
    """What one extractor produced for one page (empty when it produced nothing)."""

    body: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | date | None = None
    rejected: str | None = None


@dataclass(frozen=True)
class Case:
    """One corpus page with its expected fields."""

    name: str
    html: bytes
    gold: dict[str, object]
    outlets: frozenset[str] = field(default_factory=frozenset)  # name keys of the page's outlet


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


def _key(text: str) -> str:
    """Letters and digits of a name, case-folded and without accents."""
    return norm_name(text).replace(" ", "")


def is_organisation(name: str, outlets: frozenset[str]) -> bool:
    """True when a byline name is the page's outlet, a news agency or a desk ("dpa", "BBC News")."""
    key, words = _key(name), set(norm_name(name).split())
    agencies = {_key(a) for a in (*AGENCIES, *NON_PERSON_NAMES)}
    if key in agencies or words & {_key(a) for a in AGENCIES} or words & DESK_WORDS:
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


def _outlets(html: bytes, gold: dict[str, object]) -> frozenset[str]:
    """Name keys of the page's outlet: og:site_name, JSON-LD publisher, host, corpus publisher."""
    try:
        tree = lxml.html.document_fromstring(html)
        names = read_meta(tree, str(gold["url"])).site_names
    except (ValueError, lxml.etree.ParserError):
        names = []
    names = [*names, *host_names(str(gold["url"])), str(gold.get("publisher") or "")]
    return frozenset(k for n in names if (k := _key(n)))


def load_cases(root: Path) -> list[Case]:
    """Every page of the corpus, sorted by path."""
    cases = []
    for meta in sorted(root.glob("*/*.json")):
        page = meta.with_name(meta.name[: -len(".json")] + ".html.gz")
        if page.exists():
            gold = json.loads(meta.read_text(encoding="utf-8"))
            html = gzip.decompress(page.read_bytes())
            name = f"{meta.parent.name}/{meta.stem}"
            cases.append(Case(name, html, gold, _outlets(html, gold)))
    return cases


def _fetched_at(gold: dict[str, object]) -> datetime:
    """The crawl time recorded with the page (the pipeline's fetch time), else now."""
    parsed = parse_datetime(str(gold.get("crawl_date") or ""))
    return parsed or datetime.now(UTC)


def run_newswire(case: Case) -> Output:
    """newswire's extractor, exactly as the pipeline calls it."""
    url = str(case.gold["url"])
    page = Page(url, url, 200, "text/html", case.html, _fetched_at(case.gold))
    source = SourceConfig(name="bench", kind="rss", urls=())
    try:
        article = extract_article(page, source)
    except ExtractionRejected as exc:
        return Output(rejected=exc.reason)
    body = "\n".join(article.paragraphs)
    return Output(body, article.title, article.authors, article.published_at)


def run_trafilatura(case: Case) -> Output:
    """Plain trafilatura.bare_extraction with metadata, its fields as it gives them."""
    doc = trafilatura.bare_extraction(case.html, url=str(case.gold["url"]), with_metadata=True)
    if doc is None:
        return Output(rejected="none")
    authors = tuple(
        n.strip() for n in (doc.author or "").split(TRAFILATURA_AUTHOR_SEPARATOR) if n.strip()
    )
    day = doc.date or ""
    published = date.fromisoformat(day) if DATE_ONLY.match(day) else parse_datetime(day)
    return Output(doc.text or "", doc.title, authors, published)


def run_interleaved(
    extractors: Sequence[Callable[[Case], Output]], cases: list[Case]
) -> list[tuple[list[Output], float]]:
    """Run every extractor on each page in turn (fair timing on a shared machine).

    Returns, per extractor, its outputs and the seconds it spent in total.
    """
    outputs: list[list[Output]] = [[] for _ in extractors]
    seconds = [0.0 for _ in extractors]
    for case in cases:
        for index, extractor in enumerate(extractors):
            started = time.process_time()
            outputs[index].append(extractor(case))
            seconds[index] += time.process_time() - started
    return list(zip(outputs, seconds, strict=True))


def _dump(name: str, case: Case, out: Output, misses: dict[str, bool]) -> None:
    """Print one line per field that missed on a page (for --dump)."""
    gold = case.gold
    shown = {
        "title": (out.title, gold.get("title")),
        "authors": (list(out.authors), gold.get("authors")),
        "date": (out.published and out.published.isoformat(), gold.get("published")),
    }
    for field_name, missed in misses.items():
        if missed and field_name in shown:
            got, want = shown[field_name]
            print(f"  {name} {case.name} {field_name}: got {got!r} want {want!r}")
        elif missed:
            print(f"  {name} {case.name} {field_name}")


def evaluate(
    name: str, outputs: list[Output], seconds: float, cases: list[Case], dump: bool = False
) -> dict[str, float]:
    """Score one extractor's outputs and print the scores."""
    counts, titles, authors, persons, dates = [], [], [], [], []
    for case, out in zip(cases, outputs, strict=True):
        gold = case.gold
        counts.append(body_counts(out.body, str(gold.get("body") or "")))
        misses: dict[str, bool] = {}
        if gold.get("title"):
            titles.append(norm_title(out.title) == norm_title(str(gold["title"])))
            misses["title"] = not titles[-1]
        expected = gold.get("authors")
        if isinstance(expected, list):
            authors.append(set_f1(out.authors, expected))
            persons.append(
                set_f1(people(out.authors, case.outlets), people(expected, case.outlets))
            )
            misses["authors"] = authors[-1] < 1.0
        if gold.get("published"):
            dates.append(same_day(out.published, str(gold["published"])))
            misses["date"] = not dates[-1]
        if out.rejected:
            misses[f"rejected ({out.rejected})"] = True
        if dump:
            _dump(name, case, out, misses)
    p, r, f1 = body_prf(counts)
    scores = {
        "body_p": p,
        "body_r": r,
        "body_f1": f1,
        "title": sum(titles) / max(len(titles), 1),
        "authors_f1": sum(authors) / max(len(authors), 1),
        "people_f1": sum(persons) / max(len(persons), 1),
        "date": sum(dates) / max(len(dates), 1),
        "prompt_lines": sum(prompt_lines(o.body) for o in outputs),
        "rejected": sum(o.rejected is not None for o in outputs),
        "docs_per_s": len(cases) / seconds,
    }
    print(
        f"{name:<12} body P {scores['body_p']:.3f} R {scores['body_r']:.3f} "
        f"F1 {scores['body_f1']:.3f} | title {scores['title']:.3f} | "
        f"authors F1 {scores['authors_f1']:.3f} (people {scores['people_f1']:.3f}) | "
        f"date {scores['date']:.3f} | prompt lines {scores['prompt_lines']} | "
        f"rejected {scores['rejected']} | {scores['docs_per_s']:.1f} docs/s"
    )
    return scores


def people_ceiling(cases: Sequence[Case]) -> float:
    """Authors F1 of an extractor returning exactly the expected people (no organisations)."""
    scores = [
        set_f1(people(expected, case.outlets), expected)
        for case in cases
        if isinstance(expected := case.gold.get("authors"), list)
    ]
    return sum(scores) / max(len(scores), 1)


def main() -> int:
    """Benchmark both extractors; exit 0 with a note when the corpus is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--dump", action="store_true", help="print every miss, page by page")
    args = parser.parse_args()
    root = args.corpus
    if not root.is_dir():
        print(f"corpus not found at {root.resolve()}: nothing to benchmark")
        return 0
    cases = load_cases(root)
    print(f"{len(cases)} pages from {root.resolve()}")
    run_newswire(cases[0])  # warm up imports and caches outside the timed runs
    (news_out, news_s), (plain_out, plain_s) = run_interleaved(
        [run_newswire, run_trafilatura], cases
    )
    news = evaluate("newswire", news_out, news_s, cases, args.dump)
    plain = evaluate("trafilatura", plain_out, plain_s, cases, args.dump)
    print(f"speed ratio newswire/trafilatura: {news['docs_per_s'] / plain['docs_per_s']:.2f}")
    print(
        f"authors F1 ceiling of people-only authors: {people_ceiling(cases):.3f}"
        " (every expected person found, no outlet or agency named)"
    )
    print("(docs/s = pages / CPU seconds of this process, extractors alternating page by page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
