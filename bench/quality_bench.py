"""Extraction quality benchmark: newswire vs plain trafilatura on ../shared/corpus/news-pages.

Prints body precision/recall/F1 (4-token shingles, as in the public article-extraction
benchmark), normalised title match, authors set F1, published same-day accuracy, prompt lines
left in bodies and docs/s for both extractors, measured in the same run.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from newswire.clean import match_boilerplate, match_meter, match_paywall
from newswire.errors import ExtractionRejected
from newswire.extract import extract_article
from newswire.models import Page, SourceConfig
from newswire.normalize import normalise_authors, parse_datetime

# The corpus: <country>/<id>.html.gz + <id>.json (see its README).
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "news-pages"

# Shingle length of the body metric.
SHINGLE_N = 4

# Invisible characters (soft hyphen, zero-width space...) ignored when titles are compared.
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")

# Words of the body metric: lower-cased runs of word characters.
TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Output:
    """What one extractor produced for one page (empty when it produced nothing)."""

    body: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    rejected: str | None = None


@dataclass(frozen=True)
class Case:
    """One corpus page with its expected fields."""

    name: str
    html: bytes
    gold: dict[str, object]


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """Multiset of SHINGLE_N-token shingles (the whole text when shorter)."""
    tokens = TOKEN.findall(text.lower())
    if len(tokens) < SHINGLE_N:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE_N]) for i in range(len(tokens) - SHINGLE_N + 1))


def body_scores(extracted: str, gold: str) -> tuple[float, float]:
    """(precision, recall) of extracted against gold; an empty output scores 0, 0."""
    ext, ref = shingles(extracted), shingles(gold)
    common = sum((ext & ref).values())
    precision = common / sum(ext.values()) if ext else 0.0
    recall = common / sum(ref.values()) if ref else (1.0 if not ext else 0.0)
    return precision, recall


def norm_title(text: str | None) -> str:
    """A title as compared: NFKC, case-folded, collapsed spaces, no outer quotes or dots."""
    text = INVISIBLE.sub("", text or "")
    value = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return value.strip(" \"'“”‘’«».:")


def norm_name(text: str) -> str:
    """An author name as compared: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def set_f1(found: Sequence[str], gold: Sequence[str]) -> float:
    """F1 of two name sets (1.0 when both are empty)."""
    a, b = {norm_name(x) for x in found}, {norm_name(x) for x in gold}
    if not a and not b:
        return 1.0
    common = len(a & b)
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


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


def load_cases(root: Path) -> list[Case]:
    """Every page of the corpus, sorted by path."""
    cases = []
    for meta in sorted(root.glob("*/*.json")):
        page = meta.with_name(meta.name[: -len(".json")] + ".html.gz")
        if page.exists():
            gold = json.loads(meta.read_text(encoding="utf-8"))
            html = gzip.decompress(page.read_bytes())
            cases.append(Case(f"{meta.parent.name}/{meta.stem}", html, gold))
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
    """Plain trafilatura.bare_extraction with metadata."""
    doc = trafilatura.bare_extraction(case.html, url=str(case.gold["url"]), with_metadata=True)
    if doc is None:
        return Output(rejected="none")
    authors = normalise_authors(doc.author) if doc.author else ()
    return Output(doc.text or "", doc.title, authors, parse_datetime(doc.date))


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


def evaluate(
    name: str, outputs: list[Output], seconds: float, cases: list[Case]
) -> dict[str, float]:
    """Score one extractor's outputs and print the scores."""
    ps, rs, titles, authors, dates = [], [], [], [], []
    for case, out in zip(cases, outputs, strict=True):
        gold = case.gold
        p, r = body_scores(out.body, str(gold.get("body") or ""))
        ps.append(p)
        rs.append(r)
        if gold.get("title"):
            titles.append(norm_title(out.title) == norm_title(str(gold["title"])))
        if gold.get("authors") is not None:
            authors.append(set_f1(out.authors, list(gold["authors"])))  # type: ignore[call-overload]
        if gold.get("published"):
            expected = parse_datetime(str(gold["published"]))
            dates.append(
                out.published is not None
                and expected is not None
                and out.published.astimezone(UTC).date() == expected.astimezone(UTC).date()
            )
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    scores = {
        "body_p": p,
        "body_r": r,
        "body_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "title": sum(titles) / max(len(titles), 1),
        "authors_f1": sum(authors) / max(len(authors), 1),
        "date": sum(dates) / max(len(dates), 1),
        "prompt_lines": sum(prompt_lines(o.body) for o in outputs),
        "rejected": sum(o.rejected is not None for o in outputs),
        "docs_per_s": len(cases) / seconds,
    }
    print(
        f"{name:<12} body P {scores['body_p']:.3f} R {scores['body_r']:.3f} "
        f"F1 {scores['body_f1']:.3f} | title {scores['title']:.3f} | "
        f"authors F1 {scores['authors_f1']:.3f} | date {scores['date']:.3f} | "
        f"prompt lines {scores['prompt_lines']} | rejected {scores['rejected']} | "
        f"{scores['docs_per_s']:.1f} docs/s"
    )
    return scores


def main() -> int:
    """Benchmark both extractors; exit 0 with a note when the corpus is absent."""
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    if not root.is_dir():
        print(f"corpus not found at {root.resolve()}: nothing to benchmark")
        return 0
    cases = load_cases(root)
    print(f"{len(cases)} pages from {root.resolve()}")
    run_newswire(cases[0])  # warm up imports and caches outside the timed runs
    (news_out, news_s), (plain_out, plain_s) = run_interleaved(
        [run_newswire, run_trafilatura], cases
    )
    news = evaluate("newswire", news_out, news_s, cases)
    plain = evaluate("trafilatura", plain_out, plain_s, cases)
    print(f"speed ratio newswire/trafilatura: {news['docs_per_s'] / plain['docs_per_s']:.2f}")
    print("(docs/s = pages / CPU seconds of this process, extractors alternating page by page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
