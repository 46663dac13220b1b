"""Language detection benchmark on ../shared/corpus/news-pages (40 countries).

The truth is built once from the text, never from markup: py3langid with its whole model (no
candidate restriction, no hint) on each page's expected body from the corpus JSON. Pages whose
truth is less certain than TRUTH_MIN_CONFIDENCE are listed for a reader to check. The script
then prints how many pages' markup language (`<html lang>`, `xml:lang`, og:locale) is missing
or disagrees with the truth, and the share of pages whose extracted `Article.language` is the
truth: with detection (the pipeline as it is) and with the markup and source default alone (what
the extractor stored before), overall, on the tuning and checking halves of the host split, and
on the pages whose markup language is missing or wrong. A rejected page counts as wrong.

Extraction CPU time per page is measured with and without detection, the two runs interleaved
page by page (fair on a shared machine), plus the CPU time of the detection calls alone. Like
every benchmark it exits 0 whatever the figures; it says whether the share meets TARGET.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

import newswire.extract.article as article_module
from newswire.errors import ExtractionRejected
from newswire.extract.dates import parse_datetime
from newswire.extract.language import Detected, detect_language, same_language
from newswire.extract.metadata import read_meta
from newswire.models import Page, SourceConfig

# The corpus: <country>/<id>.html.gz + <id>.json (see its README).
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "news-pages"

# Share of pages whose detected language must be the truth.
TARGET = 0.98

# Truths less probable than this (whole model, whole expected body) are listed for review.
TRUTH_MIN_CONFIDENCE = 0.99


@dataclass(frozen=True)
class Case:
    """One corpus page: its HTML, expected fields, host half, truth and markup language."""

    name: str
    html: bytes
    url: str
    fetched_at: datetime
    half: str  # "tuning" or "checking"
    truth: str
    truth_confidence: float
    markup: str | None


def host_half(url: str) -> str:
    """The host split every benchmark uses: sha1 of the host, even = tuning."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return "tuning" if int(hashlib.sha1(host.encode()).hexdigest(), 16) % 2 == 0 else "checking"


def markup_language(html: bytes, url: str) -> str | None:
    """The page's markup language as the extractor reads it (lang, xml:lang, og:locale)."""
    try:
        return read_meta(lxml.html.document_fromstring(html), url).language
    except (ValueError, lxml.etree.ParserError):
        return None


def truth_identifier() -> Callable[[str], tuple[str, float]]:
    """py3langid's whole model (every label, probabilities), for the truth."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return identifier.classify  # type: ignore[no-any-return]


def load_cases(root: Path) -> list[Case]:
    """Every page of the corpus with an expected body, sorted by path."""
    import gzip
    import json

    classify = truth_identifier()
    cases = []
    for meta in sorted(root.glob("*/*.json")):
        page = meta.with_name(meta.name[: -len(".json")] + ".html.gz")
        gold = json.loads(meta.read_text(encoding="utf-8"))
        if not page.exists() or not gold.get("body"):
            continue
        html = gzip.decompress(page.read_bytes())
        url = str(gold["url"])
        truth, confidence = classify(str(gold["body"]))
        fetched = parse_datetime(str(gold.get("crawl_date") or "")) or datetime.now(UTC)
        name = f"{meta.parent.name}/{meta.stem}"
        cases.append(
            Case(
                name,
                html,
                url,
                fetched,
                host_half(url),
                truth,
                confidence,
                markup_language(html, url),
            )
        )
    return cases


def _hint_only(title: str | None, lines: Sequence[str], hint: str | None) -> Detected:
    """The language before detection: markup, else trafilatura's, else the source default."""
    return Detected(hint, None, "hint" if hint else "none")


def extract_language(case: Case, detect: bool) -> tuple[str | None, float]:
    """The extracted language of a page (None when rejected) and the CPU seconds it took."""
    article_module.detect_language = detect_language if detect else _hint_only  # type: ignore[assignment]
    page = Page(case.url, case.url, 200, "text/html", case.html, case.fetched_at)
    source = SourceConfig(name="bench", kind="rss", urls=())
    start = time.process_time()
    try:
        language = article_module.extract_article(page, source).language
    except ExtractionRejected:
        language = None
    finally:
        article_module.detect_language = detect_language  # type: ignore[assignment]
    return language, time.process_time() - start


def share(cases: Sequence[Case], found: dict[str, str | None]) -> str:
    """'right/total = share' of cases whose found language is the truth."""
    right = sum(same_language(found[c.name], c.truth) for c in cases)
    return f"{right}/{len(cases)} = {right / len(cases):.3f}" if cases else "0/0"


def timed_detection(cases: Sequence[Case]) -> float:
    """CPU ms per page of the detect_language calls alone, in a run with detection."""
    spent: list[float] = []

    def timed(title: str | None, lines: Sequence[str], hint: str | None) -> Detected:
        start = time.process_time()
        try:
            return detect_language(title, lines, hint)
        finally:
            spent.append(time.process_time() - start)

    for case in cases:
        article_module.detect_language = timed  # type: ignore[assignment]
        try:
            page = Page(case.url, case.url, 200, "text/html", case.html, case.fetched_at)
            article_module.extract_article(page, SourceConfig(name="bench", kind="rss", urls=()))
        except ExtractionRejected:
            pass
        finally:
            article_module.detect_language = detect_language  # type: ignore[assignment]
    return 1000 * sum(spent) / max(1, len(spent))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the truth, the markup's disagreements, accuracy and CPU time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="timing passes (default 1)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    cases = load_cases(args.corpus)
    print(f"{len(cases)} pages; truth from the expected body (whole py3langid model):")
    print("  " + ", ".join(f"{k} {v}" for k, v in Counter(c.truth for c in cases).most_common()))
    for case in cases:
        if case.truth_confidence < TRUTH_MIN_CONFIDENCE:
            print(f"  truth to review: {case.name} {case.truth} ({case.truth_confidence:.3f})")
    missing = [c for c in cases if c.markup is None]
    wrong = [c for c in cases if c.markup is not None and not same_language(c.markup, c.truth)]
    variants = [c for c in cases if c.markup not in (None, c.truth) and c not in wrong]
    print(f"markup language missing on {len(missing)} pages, wrong on {len(wrong)}:")
    for case in [*missing, *wrong]:
        print(f"  {case.name}: markup {case.markup}, text {case.truth}")
    if variants:
        names = ", ".join(f"{c.name} ({c.markup})" for c in variants)
        print(f"  a finer code of the same language (kept, counted right): {names}")

    for detect in (True, False):  # the model and trafilatura's first-call costs stay untimed
        extract_language(cases[0], detect)
    detected: dict[str, str | None] = {}
    markup_only: dict[str, str | None] = {}
    with_times: list[float] = []
    without_times: list[float] = []
    for _ in range(max(1, args.repeat)):
        for case in cases:
            detected[case.name], spent = extract_language(case, detect=True)
            with_times.append(spent)
            markup_only[case.name], spent = extract_language(case, detect=False)
            without_times.append(spent)
    rejected = sum(v is None for v in detected.values())
    groups = {
        "all pages": cases,
        "tuning half": [c for c in cases if c.half == "tuning"],
        "checking half": [c for c in cases if c.half == "checking"],
        "markup missing or wrong": [*missing, *wrong],
    }
    print(f"language right ({rejected} pages rejected by the extractor count as wrong):")
    print(f"  {'pages':<25} {'detected':<18} markup and source default alone")
    for label, group in groups.items():
        print(f"  {label:<25} {share(group, detected):<18} {share(group, markup_only)}")
    for case in cases:
        if not same_language(detected[case.name], case.truth):
            half = case.half
            print(
                f"  wrong: {case.name} ({half}) detected {detected[case.name]}, text {case.truth}"
            )
    with_ms = 1000 * statistics.fmean(with_times)
    without_ms = 1000 * statistics.fmean(without_times)
    print(
        f"extraction CPU ms/page: {with_ms:.1f} with detection, {without_ms:.1f} without"
        f" ({with_ms - without_ms:+.1f}); the detection calls alone:"
        f" {timed_detection(cases):.2f} ms/page"
    )
    right = sum(same_language(detected[c.name], c.truth) for c in cases) / len(cases)
    print(f"detected share {right:.3f}: {'meets' if right >= TARGET else 'UNDER'} {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
