"""The quality benchmark's corpus loader, host split, scoring of annotated fields and dump."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from bench import corpora, quality_bench
from bench.corpora import CHECKING, TUNING, CorpusPage
from bench.quality_bench import Output, Result

pytestmark = pytest.mark.bench

# Paragraphs of the synthetic article pages (written for these tests).
PARAGRAPHS = (
    "The harbour council voted on Tuesday to rebuild the northern pier before the winter storms.",
    "Engineers said the old timber supports had rotted after decades of salt water and neglect.",
    "Fishing crews welcomed the decision but warned that the works must not close the slipway.",
    "The budget of four million pounds will be shared between the county and a national fund.",
    "Residents asked for a public footpath along the new pier and for lights at the far end.",
    "Work is expected to begin in March and to last about eighteen months, the council said.",
)


def article_html(title: str, site: str, author: str, published: str) -> bytes:
    """A small news article page with metadata and PARAGRAPHS as its body."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<html lang="en"><head><title>{title} | {site}</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:site_name" content="{site}">'
        f'<meta name="author" content="{author}">'
        f'<meta property="article:published_time" content="{published}">'
        f"</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1><p class='byline'>By {author}</p>{body}</article>"
        f"<footer>Copyright {site}. All rights reserved.</footer></body></html>"
    ).encode()


def write_page(folder: Path, stem: str, record: dict[str, Any]) -> None:
    """One corpus page: <stem>.html.gz and <stem>.json."""
    folder.mkdir(parents=True, exist_ok=True)
    html = article_html(
        str(record.get("title") or "Harbour pier"), "Harbour Post", "Ann Smith", "2024-05-03"
    )
    (folder / f"{stem}.html.gz").write_bytes(gzip.compress(html))
    (folder / f"{stem}.json").write_text(json.dumps(record), encoding="utf-8")


def record(url: str | None, **fields: Any) -> dict[str, Any]:
    """An expected-fields record annotating everything, overridden by fields."""
    base: dict[str, Any] = {
        "url": url,
        "title": "Harbour pier to be rebuilt",
        "authors": ["Ann Smith"],
        "published": "2024-05-03T10:00:00+01:00",
        "body": "\n".join(PARAGRAPHS),
        "summary": None,
        "source": "synthetic",
    }
    return base | fields


@pytest.fixture
def mini_root(tmp_path: Path) -> Path:
    """Three small corpora laid out as under ../shared/corpus."""
    root = tmp_path / "corpus"
    news = root / "news-pages"
    write_page(news / "uk", "Alpha_1", record("https://www.Alpha-News.example/a/1"))
    write_page(news / "uk", "Alpha_2", record("https://alpha-news.example/a/2", authors=None))
    write_page(news / "de", "Delta_1", record("https://delta-post.example/x", published=None))
    (news / "de" / "Orphan.json").write_text("{}", encoding="utf-8")  # no HTML: not a page
    l3s = root / "l3s-gn1-dev"
    for stem, host in (("p1", "gamma.example"), ("p2", "epsilon.example")):
        write_page(l3s, stem, record(f"http://{host}/story", authors=None, published=None))
    readability = root / "readability-news"
    write_page(readability, "herald-1", record(None))
    write_page(readability, "herald-2", record(None, title=None))
    write_page(readability, "wire-story", record(None, publisher="Beta-Times.example"))
    return root


def load_all(root: Path) -> list[CorpusPage]:
    """Every page of the three corpora under root."""
    return [p for name in corpora.CORPUS_NAMES for p in corpora.load_corpus(name, root)]


def test_loader_reads_every_corpus_with_null_fields_kept_apart(mini_root: Path) -> None:
    pages = {(p.corpus, p.id): p for p in load_all(mini_root)}
    assert sorted(pages) == [
        ("l3s-gn1-dev", "p1"),
        ("l3s-gn1-dev", "p2"),
        ("news-pages", "de/Delta_1"),
        ("news-pages", "uk/Alpha_1"),
        ("news-pages", "uk/Alpha_2"),
        ("readability-news", "herald-1"),
        ("readability-news", "herald-2"),
        ("readability-news", "wire-story"),
    ]
    alpha = pages["news-pages", "uk/Alpha_1"]
    assert alpha.host == "alpha-news.example" and alpha.url == "https://www.Alpha-News.example/a/1"
    assert alpha.authors == ("Ann Smith",) and alpha.body == "\n".join(PARAGRAPHS)
    assert alpha.html.startswith(b"<html") and alpha.published == "2024-05-03T10:00:00+01:00"
    assert pages["news-pages", "uk/Alpha_2"].authors is None
    assert pages["news-pages", "de/Delta_1"].published is None
    assert pages["readability-news", "herald-2"].title is None
    assert all(p.url is None for (c, _), p in pages.items() if c == "readability-news")
    with pytest.raises(FileNotFoundError):
        corpora.load_corpus("news-pages", mini_root / "absent")


def test_split_keys_and_halves_follow_the_host_rule(mini_root: Path) -> None:
    assert corpora.half_of("alpha-news.example") == TUNING
    assert corpora.half_of("delta-post.example") == CHECKING
    assert corpora.host_key("https://WWW.Delta-Post.example:8080/x") == "delta-post.example"
    pages = load_all(mini_root)
    keys = {(p.corpus, p.id): p.host for p in pages}
    assert keys["readability-news", "herald-1"] == keys["readability-news", "herald-2"] == "herald"
    assert keys["readability-news", "wire-story"] == "beta-times.example"
    assert [p.half for p in pages] == [p.half for p in load_all(mini_root)]
    halves: dict[str, set[str]] = defaultdict(set)
    for page in pages:
        halves[page.host].add(page.half)
    assert all(len(h) == 1 for h in halves.values())
    assert {p.half for p in pages} == {TUNING, CHECKING}
    tuning = corpora.select(pages, TUNING)
    assert tuning and all(p.half == TUNING for p in tuning)
    assert len(tuning) + len(corpora.select(pages, CHECKING)) == len(corpora.select(pages))


def _result(page: CorpusPage, news: Output, plain: Output) -> Result:
    """A scored page with the given outputs (one CPU second each)."""
    return Result(page, (news, plain), (1.0, 1.0), frozenset())


def test_scores_skip_fields_not_annotated(mini_root: Path) -> None:
    pages = [p for p in load_all(mini_root) if p.corpus == "l3s-gn1-dev"]
    found = Output("\n".join(PARAGRAPHS), "Harbour pier to be rebuilt", ("Someone",), None)
    scores = quality_bench.score([_result(p, found, Output()) for p in pages], 0)
    assert scores["annotated"] == {"body": 2, "title": 2, "authors": 0, "date": 0}
    assert scores["body_r"] == scores["title"] == 1.0
    assert scores["authors_f1"] is None and scores["date"] is None
    line = quality_bench.format_line("newswire", scores)
    assert "authors F1 n/a (people n/a) | date n/a" in line
    empty = quality_bench.score([_result(p, found, Output()) for p in pages], 1)
    assert empty["body_r"] == 0.0 and empty["empty"] == 2 and empty["rejected"] == 0


def test_line_format_of_the_news_pages_figures() -> None:
    scores = {
        "body_p": 0.958,
        "body_r": 0.981,
        "body_f1": 0.97,
        "title": 0.852,
        "authors_f1": 0.767,
        "people_f1": 0.931,
        "date": 0.987,
        "prompt_lines": 0,
        "rejected": 1,
        "empty": 0,
        "docs_per_s": 20.64,
    }
    assert quality_bench.format_line("newswire", scores) == (
        "newswire     body P 0.958 R 0.981 F1 0.970 | title 0.852 | authors F1 0.767"
        " (people 0.931) | date 0.987 | prompt lines 0 | rejected 1 empty 0 | 20.6 docs/s"
    )


def test_recall_losses_list_the_lines_newswire_lost(mini_root: Path) -> None:
    page = next(p for p in load_all(mini_root) if p.id == "uk/Alpha_1")
    full = Output("\n".join(PARAGRAPHS))
    short = Output("\n".join(PARAGRAPHS[:4]))
    close = Output("\n".join(PARAGRAPHS) + "\nA line of its own.")
    results = [_result(page, short, full), _result(page, full, short), _result(page, full, close)]
    losses = list(quality_bench.recall_losses(results))
    assert len(losses) == 1
    loss = losses[0]
    assert (loss["corpus"], loss["id"], loss["host"]) == ("news-pages", "uk/Alpha_1", page.host)
    assert loss["half"] == page.half and loss["trafilatura_recall"] == 1.0
    assert loss["newswire_recall"] < 0.95 - quality_bench.DUMP_RECALL_GAP
    assert loss["lost_lines"] == list(PARAGRAPHS[4:])


def test_main_prints_every_group_and_writes_json_and_dump(
    mini_root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def first_paragraphs(page: CorpusPage) -> Output:
        return Output("\n".join(PARAGRAPHS[:4]), page.title)

    monkeypatch.setattr(quality_bench, "run_newswire", first_paragraphs)
    dump, figures = tmp_path / "losses.jsonl", tmp_path / "figures.json"
    argv = ["--root", str(mini_root), "--dump", str(dump), "--json", str(figures)]
    assert quality_bench.main(argv) == 0
    printed = capsys.readouterr().out
    groups = json.loads(figures.read_text())["groups"]
    names = [*corpora.CORPUS_NAMES, quality_bench.POOLED]
    assert [(g["corpus"], g["half"]) for g in groups] == [
        (c, h) for c in names for h in (TUNING, CHECKING, "all")
    ]
    for group in groups:
        assert f"-- {group['corpus']} / {group['half']}: {group['pages']} pages" in printed
    assert printed.count("\nnewswire     body P ") == printed.count("\ntrafilatura  body P ") == 12
    pooled = groups[-1]
    assert pooled["pages"] == 8 and pooled["hosts"] == 6
    assert pooled["scores"]["newswire"]["body_r"] < pooled["scores"]["trafilatura"]["body_r"]
    losses = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    pages = {(p.corpus, p.id): p for p in load_all(mini_root)}
    assert sorted((x["corpus"], x["id"]) for x in losses) == sorted(pages)
    for loss in losses:
        page = pages[loss["corpus"], loss["id"]]
        assert (loss["host"], loss["half"]) == (page.host, page.half)
        assert loss["lost_lines"] == list(PARAGRAPHS[4:])


def test_main_keeps_to_one_half_and_one_corpus(
    mini_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = tmp_path / "figures.json"
    argv = ["--root", str(mini_root), "--corpus", "news-pages", "--half", CHECKING]
    assert quality_bench.main([*argv, "--json", str(figures)]) == 0
    groups = json.loads(figures.read_text())["groups"]
    assert [(g["corpus"], g["half"], g["pages"]) for g in groups] == [("news-pages", CHECKING, 1)]
    assert "-- news-pages / checking: 1 pages, 1 hosts" in capsys.readouterr().out
    news = groups[0]["scores"]["newswire"]
    assert news["body_r"] == 1.0 and news["rejected"] == 0 and news["date"] is None
    assert quality_bench.main(["--root", str(tmp_path / "absent")]) == 0
    assert "nothing to benchmark" in capsys.readouterr().out


def test_shared_corpora_split_by_host(shared_dir: Path) -> None:
    root = shared_dir / "corpus"
    if not all((root / name).is_dir() for name in corpora.CORPUS_NAMES):
        pytest.skip("a corpus of ../shared/corpus is not present")
    pages = load_all(root)
    halves: dict[str, set[str]] = defaultdict(set)
    for page in pages:
        halves[page.host].add(page.half)
        assert page.host and page.host == page.host.lower()
        assert (page.url is None) == (page.corpus == "readability-news")
    assert all(len(h) == 1 for h in halves.values())
    l3s = [p for p in pages if p.corpus == "l3s-gn1-dev"]
    assert l3s and all(p.authors is None and p.published is None for p in l3s)
    for name in corpora.CORPUS_NAMES:
        assert {p.half for p in pages if p.corpus == name} == {TUNING, CHECKING}
