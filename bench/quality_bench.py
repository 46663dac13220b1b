"""Extraction quality benchmark: newswire vs plain trafilatura on the corpora of ../shared/corpus.

Reads news-pages, l3s-gn1-dev and readability-news (bench/corpora.py) and prints, per corpus
and for the tuning half, the checking half and all pages of the host split, then pooled over
the corpora, one line per extractor; both run in the same invocation, alternating page by page
so a busy machine slows both alike. Only annotated fields are scored (a null field is skipped;
"n/a" when no page of a group annotates it). A page without a real URL is given none
(trafilatura) or NO_URL_BASE + its id (newswire, whose pages always carry a URL).

Figures (scoring rules in bench/quality_metrics.py): body P / R / F1, title, authors F1 as
annotated with the people-only F1 beside it (outlets and agencies dropped from both sides),
date, prompt lines left in bodies, pages rejected, pages with an empty body (not rejected) and
docs/s (pages / CPU seconds of this process). Plain trafilatura's authors are its own list
(``Document.author`` split on ";"), newswire's its ``Article.authors``. ``--dump FILE`` writes
one JSON line per page where newswire's body recall is more than DUMP_RECALL_GAP below
trafilatura's, with the expected lines newswire lost and trafilatura kept.

With these definitions plain trafilatura 2.3.1 scores body P 0.910 R 0.981 F1 0.944, title
0.674, authors F1 0.808 and date 0.961 on the 230 news-pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import lxml.html
import trafilatura

from bench.corpora import CORPUS_NAMES, CORPUS_ROOT, HALVES, CorpusPage, load_corpus
from bench.quality_metrics import (
    TOKEN,
    body_counts,
    body_prf,
    line_kept,
    name_key,
    norm_title,
    page_recall,
    people,
    prompt_lines,
    same_day,
    set_f1,
)
from newswire.errors import ExtractionRejected
from newswire.extract import extract_article
from newswire.extract.dates import parse_datetime
from newswire.extract.metadata import host_names, read_meta
from newswire.models import Page, SourceConfig

# trafilatura joins several authors with this separator.
TRAFILATURA_AUTHOR_SEPARATOR = ";"

# A calendar date without a time, as trafilatura prints it.
DATE_ONLY = re.compile(r"^\d{4}-\d\d-\d\d$")

# The URL given to newswire for a page without one: a host no outlet is named after.
NO_URL_BASE = "http://localhost/"

# --dump keeps a page when newswire's body recall is more than this below trafilatura's.
DUMP_RECALL_GAP = 0.05

# The extractors, in the order they run on each page and are printed.
EXTRACTORS = ("newswire", "trafilatura")

# The name of the group that pools every selected corpus.
POOLED = "pooled"

# The half argument that selects both halves (and prints them apart and together).
ALL = "all"


@dataclass(frozen=True)
class Output:
    """What one extractor produced for one page (empty when it produced nothing)."""

    body: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | date | None = None
    rejected: str | None = None


@dataclass(frozen=True)
class Result:
    """One page, what each extractor produced on it and the CPU seconds each spent."""

    page: CorpusPage
    outputs: tuple[Output, ...]
    seconds: tuple[float, ...]
    outlets: frozenset[str]  # name keys of the page's outlet


def outlets(page: CorpusPage) -> frozenset[str]:
    """Name keys of the page's outlet: og:site_name, JSON-LD publisher, host, corpus publisher."""
    url = page.url or ""
    try:
        names = read_meta(lxml.html.document_fromstring(page.html), url).site_names
    except (ValueError, lxml.etree.ParserError):
        names = []
    names = [*names, *host_names(url), page.publisher or ""]
    return frozenset(k for n in names if (k := name_key(n)))


def _fetched_at(page: CorpusPage) -> datetime:
    """The crawl time recorded with the page (the pipeline's fetch time), else now."""
    return parse_datetime(page.crawl_date or "") or datetime.now(UTC)


def run_newswire(page: CorpusPage) -> Output:
    """newswire's extractor, exactly as the pipeline calls it."""
    url = page.url or f"{NO_URL_BASE}{page.corpus}/{page.id}"
    fetched = Page(url, url, 200, "text/html", page.html, _fetched_at(page))
    source = SourceConfig(name="bench", kind="rss", urls=())
    try:
        article = extract_article(fetched, source)
    except ExtractionRejected as exc:
        return Output(rejected=exc.reason)
    body = "\n".join(article.paragraphs)
    return Output(body, article.title, article.authors, article.published_at)


def run_trafilatura(page: CorpusPage) -> Output:
    """Plain trafilatura.bare_extraction with metadata, its fields as it gives them."""
    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return Output(rejected="none")
    authors = tuple(
        n.strip() for n in (doc.author or "").split(TRAFILATURA_AUTHOR_SEPARATOR) if n.strip()
    )
    day = doc.date or ""
    published = date.fromisoformat(day) if DATE_ONLY.match(day) else parse_datetime(day)
    return Output(doc.text or "", doc.title, authors, published)


def run_interleaved(
    extractors: Sequence[Callable[[CorpusPage], Output]], pages: Sequence[CorpusPage]
) -> list[Result]:
    """Run every extractor on each page in turn (fair timing on a shared machine)."""
    results = []
    for page in pages:
        outputs, seconds = [], []
        for extractor in extractors:
            started = time.process_time()
            outputs.append(extractor(page))
            seconds.append(time.process_time() - started)
        results.append(Result(page, tuple(outputs), tuple(seconds), outlets(page)))
    return results


def _mean(values: Sequence[float]) -> float | None:
    """The mean, or None for no values (a field no page of the group annotates)."""
    return sum(values) / len(values) if values else None


def score(results: Sequence[Result], index: int) -> dict[str, Any]:
    """The figures of one extractor (its position in EXTRACTORS) over some pages."""
    counts, titles, authors, persons, dates = [], [], [], [], []
    for result in results:
        page, out = result.page, result.outputs[index]
        if page.body is not None:
            counts.append(body_counts(out.body, page.body))
        if page.title:
            titles.append(float(norm_title(out.title) == norm_title(page.title)))
        if page.authors is not None:
            authors.append(set_f1(out.authors, page.authors))
            persons.append(
                set_f1(people(out.authors, result.outlets), people(page.authors, result.outlets))
            )
        if page.published:
            dates.append(float(same_day(out.published, page.published)))
    p, r, f1 = body_prf(counts) if counts else (None, None, None)
    outputs = [result.outputs[index] for result in results]
    seconds = sum(result.seconds[index] for result in results)
    return {
        "body_p": p,
        "body_r": r,
        "body_f1": f1,
        "title": _mean(titles),
        "authors_f1": _mean(authors),
        "people_f1": _mean(persons),
        "date": _mean(dates),
        "prompt_lines": sum(prompt_lines(o.body) for o in outputs),
        "rejected": sum(o.rejected is not None for o in outputs),
        "empty": sum(o.rejected is None and not o.body.strip() for o in outputs),
        "docs_per_s": len(results) / seconds if seconds else None,
        "annotated": {
            "body": len(counts),
            "title": len(titles),
            "authors": len(authors),
            "date": len(dates),
        },
    }


def _f(value: float | None, digits: int = 3) -> str:
    """A figure as printed ("n/a" when nothing was scored)."""
    return "n/a" if value is None else f"{value:.{digits}f}"


def format_line(name: str, s: dict[str, Any]) -> str:
    """One extractor's figures on one line (the format of the news-pages figures)."""
    return (
        f"{name:<12} body P {_f(s['body_p'])} R {_f(s['body_r'])} "
        f"F1 {_f(s['body_f1'])} | title {_f(s['title'])} | "
        f"authors F1 {_f(s['authors_f1'])} (people {_f(s['people_f1'])}) | "
        f"date {_f(s['date'])} | prompt lines {s['prompt_lines']} | "
        f"rejected {s['rejected']} empty {s['empty']} | {_f(s['docs_per_s'], 1)} docs/s"
    )


def people_ceiling(results: Sequence[Result]) -> float | None:
    """Authors F1 of an extractor returning exactly the expected people (no organisations)."""
    return _mean(
        [
            set_f1(people(r.page.authors, r.outlets), r.page.authors)
            for r in results
            if r.page.authors is not None
        ]
    )


def groups(
    results: Sequence[Result], corpora: Sequence[str], half: str
) -> Iterator[tuple[str, str, list[Result]]]:
    """(corpus or POOLED, half, its results) for every group the table prints."""
    halves = [*HALVES, ALL] if half == ALL else [half]
    for corpus in [*corpora, POOLED] if len(corpora) > 1 else corpora:
        for part in halves:
            yield (
                corpus,
                part,
                [
                    r
                    for r in results
                    if corpus in (POOLED, r.page.corpus) and part in (ALL, r.page.half)
                ],
            )


def report(results: Sequence[Result], corpora: Sequence[str], half: str) -> list[dict[str, Any]]:
    """Print the table (a header and a line per extractor for every group); return its figures."""
    figures = []
    for corpus, part, subset in groups(results, corpora, half):
        scores = {name: score(subset, i) for i, name in enumerate(EXTRACTORS)}
        speeds = [scores[name]["docs_per_s"] for name in EXTRACTORS]
        ratio = speeds[0] / speeds[1] if all(speeds) else None
        ceiling = people_ceiling(subset)
        hosts = len({r.page.host for r in subset})
        print(
            f"-- {corpus} / {part}: {len(subset)} pages, {hosts} hosts | speed ratio"
            f" newswire/trafilatura {_f(ratio, 2)} | people-only authors ceiling {_f(ceiling)}"
        )
        for name in EXTRACTORS:
            print(format_line(name, scores[name]))
        figures.append(
            {"corpus": corpus, "half": part, "pages": len(subset), "hosts": hosts}
            | {"speed_ratio": ratio, "people_ceiling": ceiling, "scores": scores}
        )
    return figures


def recall_losses(results: Sequence[Result]) -> Iterator[dict[str, Any]]:
    """Pages where newswire's body recall is more than DUMP_RECALL_GAP below trafilatura's."""
    for result in results:
        page, (news, plain) = result.page, result.outputs
        if not page.body:
            continue
        ours, theirs = page_recall(news.body, page.body), page_recall(plain.body, page.body)
        if ours >= theirs - DUMP_RECALL_GAP:
            continue
        lost = [
            line
            for line in page.body.splitlines()
            if TOKEN.search(line) and not line_kept(line, news.body) and line_kept(line, plain.body)
        ]
        yield {
            "corpus": page.corpus,
            "id": page.id,
            "host": page.host,
            "half": page.half,
            "newswire_recall": round(ours, 4),
            "trafilatura_recall": round(theirs, 4),
            "newswire_rejected": news.rejected,
            "lost_lines": lost,
        }


def print_misses(results: Sequence[Result]) -> None:
    """Print every title, authors and date miss and every rejection, page by page."""
    for result in results:
        page = result.page
        for name, out in zip(EXTRACTORS, result.outputs, strict=True):
            where = f"  {name} {page.corpus}/{page.id}"
            if page.title and norm_title(out.title) != norm_title(page.title):
                print(f"{where} title: got {out.title!r} want {page.title!r}")
            if page.authors is not None and set_f1(out.authors, page.authors) < 1.0:
                print(f"{where} authors: got {list(out.authors)!r} want {list(page.authors)!r}")
            if page.published and not same_day(out.published, page.published):
                got = out.published and out.published.isoformat()
                print(f"{where} date: got {got!r} want {page.published!r}")
            if out.rejected:
                print(f"{where} rejected ({out.rejected})")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--root", type=Path, default=CORPUS_ROOT, help="folder of the corpora")
    parser.add_argument(
        "--corpus", action="append", choices=CORPUS_NAMES, help="one corpus (repeatable; all)"
    )
    parser.add_argument("--half", choices=[*HALVES, ALL], default=ALL, help="pages of one half")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    parser.add_argument("--dump", type=Path, help="write newswire's recall losses (JSONL)")
    parser.add_argument("--misses", action="store_true", help="print every miss, page by page")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Benchmark both extractors; exit 0 with a note when no corpus is present."""
    args = parse_args(argv)
    corpora: list[str] = []
    pages: list[CorpusPage] = []
    for name in dict.fromkeys(args.corpus or CORPUS_NAMES):
        try:
            loaded = load_corpus(name, args.root)
        except FileNotFoundError as exc:
            print(f"{exc}: skipped")
            continue
        corpora.append(name)
        pages.extend(p for p in loaded if args.half in (ALL, p.half))
    if not pages:
        print(f"no corpus pages under {args.root.resolve()}: nothing to benchmark")
        return 0
    print(f"{len(pages)} pages ({args.half}) of {', '.join(corpora)} from {args.root.resolve()}")
    run_newswire(pages[0])  # warm up imports and caches outside the timed runs
    results = run_interleaved([run_newswire, run_trafilatura], pages)
    figures = report(results, corpora, args.half)
    print("(docs/s = pages / CPU seconds of this process, extractors alternating page by page)")
    if args.misses:
        print_misses(results)
    if args.dump:
        losses = list(recall_losses(results))
        with args.dump.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(loss, ensure_ascii=False) + "\n" for loss in losses)
        print(f"{len(losses)} pages where newswire loses body recall: {args.dump}")
    if args.json:
        summary = {"root": str(args.root.resolve()), "half": args.half, "corpora": corpora}
        args.json.write_text(json.dumps(summary | {"groups": figures}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
