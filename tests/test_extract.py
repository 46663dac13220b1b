"""Golden-file and unit tests of extract_article.

Regenerate the expected JSON with NEWSWIRE_REGEN_GOLDEN=1 (refused under CI), then review every
diff by hand: the goldens must be what a careful reader expects, not merely what the code outputs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest

import newswire.extract.article as extract_module
from newswire.errors import ExtractionRejected
from newswire.extract import extract_article
from newswire.extract.article import (
    EXTRACTOR_VERSION,
    MIN_WORDS,
    doubled_blocks,
    embedded_article_html,
)
from newswire.extract.metadata import strip_site_name
from newswire.fetch.charset import decode_body
from newswire.models import Article, Page, SourceConfig
from support import golden

GOLDEN = Path(__file__).parent / "golden"
SHARED_EXAMPLE = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "examples"
) / "wire-story-with-paywall-prompt.txt"
FETCHED_AT = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)

# Article fields compared with the golden JSON.
GOLDEN_FIELDS = (
    "title",
    "authors",
    "published_at",
    "language",
    "language_confidence",
    "canonical_url",
    "description",
    "agency",
    "dateline",
    "paywalled",
    "prompts_stripped",
    "paragraphs",
    "updated_at",
    "date_source",
    "updated_source",
    "credits",
    "section",
    "tags",
    "top_image_url",
    "top_image_caption",
    "access",
    "access_evidence",
)


def make_page(body: bytes, url: str = "https://news.example/a", **kwargs: Any) -> Page:
    """A fetched page for tests."""
    defaults: dict[str, Any] = {"final_url": url, "encoding": None}
    defaults.update(kwargs)
    return Page(
        url=url,
        status=200,
        content_type="text/html",
        body=body,
        fetched_at=FETCHED_AT,
        **defaults,
    )


def make_source(**kwargs: Any) -> SourceConfig:
    """A source configuration for tests."""
    return SourceConfig(name=kwargs.pop("name", "test"), kind="rss", urls=(), **kwargs)


def article_dict(article: Article) -> dict[str, Any]:
    """The golden-compared fields of an article as JSON-able values."""
    out: dict[str, Any] = {}
    for name in GOLDEN_FIELDS:
        value = getattr(article, name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def run_case(name: str) -> tuple[dict[str, Any], Article | ExtractionRejected]:
    """Extract the golden page `name`; return its spec and the article or the rejection."""
    spec = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    given = spec["input"]
    page = make_page(
        (GOLDEN / f"{name}.html").read_bytes(),
        url=given["url"],
        final_url=given["final_url"],
        encoding=given["encoding"],
    )
    try:
        return spec, extract_article(page, make_source(**given["source"]))
    except ExtractionRejected as exc:
        return spec, exc


CASES = sorted(p.stem for p in GOLDEN.glob("*.json"))


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    """Each synthetic page extracts to its reviewed golden JSON (or the expected rejection)."""
    spec, result = run_case(name)
    if isinstance(result, ExtractionRejected):
        actual: dict[str, Any] = {"rejected": result.reason}
    else:
        actual = {"expected": article_dict(result)}
        assert result.extractor_version == EXTRACTOR_VERSION
        assert result.page_sha256 == make_page((GOLDEN / f"{name}.html").read_bytes()).sha256
    if golden.regenerating():
        spec.pop("expected", None)
        spec.pop("rejected", None)
        spec.update(actual)
        text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
        (GOLDEN / f"{name}.json").write_text(text, encoding="utf-8")
        return
    expected = {k: v for k, v in spec.items() if k in ("expected", "rejected")}
    assert actual == expected


def test_golden_cases_cover_required_kinds() -> None:
    """The golden set keeps its required cases."""
    assert {
        "wire_reuters_demowire",
        "wire_reuters_republished",
        "ap_byline",
        "no_charset",
        "french_afp_cp1252",
        "prompt_only",
    } <= set(CASES)


def test_republished_copy_has_identical_paragraphs() -> None:
    """The same wire story on two differently styled sites gives identical paragraphs."""
    _, first = run_case("wire_reuters_demowire")
    _, second = run_case("wire_reuters_republished")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.paragraphs == second.paragraphs
    assert first.content_hash == second.content_hash
    assert first.canonical_url != second.canonical_url
    assert first.paywalled and not second.paywalled


def test_prompt_only_page_is_rejected() -> None:
    """A page that is only a subscription prompt is rejected as prompt_only."""
    _, result = run_case("prompt_only")
    assert isinstance(result, ExtractionRejected)
    assert result.reason == "prompt_only"


def _wrap(lines: list[str], title: str | None = None) -> bytes:
    """Wrap text lines in minimal <p> HTML."""
    head = f"<title>{title}</title>" if title else ""
    body = "".join(f"<p>{line}</p>\n" for line in lines)
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED_EXAMPLE.exists(), reason="shared example not present")
def test_shared_wire_example() -> None:
    """The shared syndicated example cleans to the story, without prompts or captions."""
    lines = SHARED_EXAMPLE.read_text(encoding="utf-8").splitlines()
    title, body = lines[0], lines[1:]
    article = extract_article(make_page(_wrap(body, title)), make_source())
    first = article.paragraphs[0]
    assert first.startswith("WASHINGTON (Reuters) — Russia has proposed")
    prompts = ("to read the full story", "already a subscriber", "click to log in")
    for paragraph in article.paragraphs:
        assert "AP Photo" not in paragraph
        assert not any(p in paragraph.casefold() for p in prompts)
    assert article.paywalled
    assert article.agency == "Reuters" and article.dateline == "WASHINGTON"
    assert "Photo" not in " ".join(article.paragraphs)


ARTICLE_LINES = [
    "The regional water board said on Monday it would raise dikes along the river by half a metre"
    " over the next ten years.",
    "The plan, which will cost about 300 million euros, follows two winters of record high water.",
    "Farmers whose land lies behind the dikes will be consulted before work starts next spring,"
    " the board said in a statement.",
]


def test_windows_1252_without_declaration_is_sniffed() -> None:
    """cp1252 bytes with no header or meta charset decode correctly."""
    text = ["Le café “Chez Zoë” coûte 5 € – l’addition, s’il vous plaît.", *ARTICLE_LINES]
    body = _wrap(text).decode().replace("<meta charset='utf-8'>", "").encode("cp1252")
    for encoding in (None, "windows-1252", "iso-8859-1", "utf-8"):
        html = decode_body(make_page(body, encoding=encoding))
        assert "Le café “Chez Zoë” coûte 5 € – l’addition" in html, encoding


def test_language_picks_legacy_charset() -> None:
    """Undeclared bytes of a Polish or Russian source use that language's legacy codec."""
    polish = "<html><body><p>Zażółć gęślą jaźń, powiedział rzecznik.</p></body></html>"
    page = make_page(polish.encode("cp1250"))
    assert "Zażółć gęślą jaźń" in decode_body(page, "pl")
    russian = "<html><body><p>Правительство объявило о новых мерах.</p></body></html>"
    assert "Правительство" in decode_body(make_page(russian.encode("cp1251")), "ru")


def test_meta_charset_beats_utf8_guess() -> None:
    """A <meta charset> is used when the headers say nothing."""
    body = "<html><head><meta charset='windows-1252'></head><body><p>naïve</p></body></html>"
    assert "naïve" in decode_body(make_page(body.encode("cp1252")))


def test_utf8_bom_and_xml_declaration() -> None:
    """A UTF-8 BOM and an XML declaration do not break extraction."""
    html = (
        '<?xml version="1.0" encoding="utf-8"?>'
        + _wrap(["Zürich — Straße gesperrt.", *ARTICLE_LINES * 2], "Dikes").decode()
    ).encode("utf-8")
    article = extract_article(make_page(b"\xef\xbb\xbf" + html), make_source())
    assert article.paragraphs[0] == "Zürich — Straße gesperrt."


def test_no_article_rejected() -> None:
    """A page without text is rejected as no_article."""
    page = make_page(b"<html><head><script>var a = 1;</script></head><body></body></html>")
    with pytest.raises(ExtractionRejected) as info:
        extract_article(page, make_source())
    assert info.value.reason == "no_article"


def test_too_short_rejected() -> None:
    """A page with fewer than MIN_WORDS words of article text is rejected as too_short."""
    page = make_page(_wrap(ARTICLE_LINES[:1] * 1 + ["Sign up for our newsletter"]))
    assert sum(len(line.split()) for line in ARTICLE_LINES[:1]) < MIN_WORDS
    with pytest.raises(ExtractionRejected) as info:
        extract_article(page, make_source())
    assert info.value.reason == "too_short"


def test_metadata_fallbacks() -> None:
    """Naive JSON-LD dates use the source timezone; the source agency fills a gap."""
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2026-07-01 09:00", "author": {"name": "By KIM LEE"}}'
        "</script><title>Water board to raise dikes</title>"
    )
    html = _wrap(ARTICLE_LINES * 2).decode().replace("<head>", f"<head>{head}").encode()
    article = extract_article(
        make_page(html, url="http://M.News.example/amp/a/?utm_medium=x"),
        make_source(timezone="Europe/Amsterdam", language="nl", agency="ANP"),
    )
    assert article.published_at == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert article.language == "en"  # the text is English: the source's "nl" does not decide
    assert article.canonical_url == "http://news.example/a"
    assert article.url == "http://M.News.example/amp/a/?utm_medium=x"
    assert article.agency == "ANP"
    assert article.authors == ("Kim Lee",)
    assert article.title == "Water board to raise dikes"
    assert article.paragraphs == tuple(ARTICLE_LINES)


@pytest.mark.parametrize(
    ("title", "sites", "expected"),
    [
        ("Dikes to rise | Demo Wire", ["Demo Wire"], "Dikes to rise"),
        ("Dikes to rise - Demo Wire", ["demo wire"], "Dikes to rise"),
        ("Dikes to rise – Demo Wire", ["Demo Wire"], "Dikes to rise"),
        ("Demo Wire | Dikes to rise", ["Demo Wire"], "Dikes to rise"),
        ("Stocks fall - Dow down 2%", ["Demo Wire"], "Stocks fall - Dow down 2%"),
        ("Ex-minister speaks – and is heard", ["Demo Wire"], "Ex-minister speaks – and is heard"),
        ("Dikes to rise | Demo Wire", [], "Dikes to rise | Demo Wire"),
        ("Talks – a new round - Demo Wire", ["Demo Wire"], "Talks – a new round"),
        ("Demo Wire", ["Demo Wire"], "Demo Wire"),
    ],
)
def test_strip_site_name(title: str, sites: list[str], expected: str) -> None:
    """Only a suffix (or prefix) equal to the site name is cut from a title."""
    assert strip_site_name(title, sites) == expected


def test_doubled_blocks_finds_alt_and_caption() -> None:
    """An image alt repeated by its caption, or two caption blocks, are found."""
    import lxml.html

    tree = lxml.html.document_fromstring(
        "<html><body><figure><img alt='Cranes stand idle at the terminal'>"
        "<figcaption>Cranes stand idle at the terminal</figcaption></figure>"
        "<div><p>One real paragraph here.</p></div><p>Another real paragraph here.</p>"
        "</body></html>"
    )
    assert doubled_blocks(tree) == {"Cranes stand idle at the terminal"}


def test_bad_canonical_falls_back_to_final_url() -> None:
    """A non-http rel=canonical is ignored in favour of og:url, then the final URL."""
    head = "<link rel='canonical' href='javascript:void(0)'><title>Dikes</title>"
    html = _wrap(ARTICLE_LINES * 2).decode().replace("<head>", f"<head>{head}").encode()
    page = make_page(html, url="https://news.example/a/?fbclid=1#x")
    assert extract_article(page, make_source()).canonical_url == "https://news.example/a"


def test_extractor_crash_becomes_rejection(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception inside trafilatura rejects the page instead of sinking the batch."""
    import trafilatura

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RecursionError("deep tree")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    with pytest.raises(ExtractionRejected) as info:
        extract_article(make_page(_wrap(ARTICLE_LINES)), make_source())
    assert info.value.reason == "extractor_error"


def test_recall_run_when_precision_mode_loses_article_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A precision-mode text much shorter than the page's paragraphs gets a recall run."""
    calls: list[bool] = []
    real = extract_module._trafilatura

    def fake(source: Any, page: Page, options: dict[str, Any]) -> Any:
        calls.append(options["favor_precision"])
        doc = real(source, page, options)
        if options["favor_precision"]:  # precision mode keeps only the first paragraph
            doc.text = doc.text.splitlines()[0]
        return doc

    monkeypatch.setattr(extract_module, "_trafilatura", fake)
    body = "".join(f"<p>{line}</p>" for line in ARTICLE_LINES * 3)
    html = f"<html><body><article><h1>Dikes</h1>{body}</article></body></html>".encode()
    article = extract_article(make_page(html), make_source())
    assert calls == [True, False]
    assert len(article.paragraphs) > 1


def test_embedded_article_html_needs_paragraph_words() -> None:
    """Script strings count as article HTML only with enough words in their <p> elements."""
    paragraph = "<p>" + "The harbour board approved the plan on Tuesday. " * 15 + "</p>"
    short = "<p>" + "A short teaser about the port, printed in a widget. " * 4 + "</p>"
    data = json.dumps({"teaser": short, "body": paragraph, "note": "plain text " * 40})
    tree = lxml.html.document_fromstring(
        f"<html><body><script>var s = {data};</script></body></html>"
    )
    assert embedded_article_html(tree) == paragraph
    data = json.dumps({"teaser": short, "note": "plain text " * 40})
    tree = lxml.html.document_fromstring(
        f"<html><body><script>var s = {data};</script></body></html>"
    )
    assert embedded_article_html(tree) is None
    assert embedded_article_html(None) is None


def test_a_prompt_link_among_the_page_text_is_no_prompt_page() -> None:
    """A page is a prompt only when its prompt blocks are most of its visible text."""
    nav = "<ul><li><a href='/'>Home</a></li><li><a href='/s'>Subscribe now</a></li></ul>"
    text = "<div>" + "<br>".join(ARTICLE_LINES) + "</div>"
    script = "<script>" + "var filler = 1; " * 200 + "</script>"
    page = lxml.html.document_fromstring(f"<html><body>{nav}{text}</body></html>")
    assert not extract_module._visible_prompt(page)
    prompt = "<p>This article is for subscribers only</p><p>Subscribe now</p>"
    page = lxml.html.document_fromstring(f"<html><body>{nav}{prompt}{script}</body></html>")
    assert extract_module._visible_prompt(page)
    assert not extract_module._visible_prompt(None)


def test_text_without_paragraph_markup_gets_the_recall_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Precision mode finding under MIN_WORDS words sends the page to the recall run."""
    calls: list[bool] = []
    real = extract_module._trafilatura

    def fake(source: Any, page: Page, options: dict[str, Any]) -> Any:
        calls.append(options["favor_precision"])
        return real(source, page, options)

    monkeypatch.setattr(extract_module, "_trafilatura", fake)
    text = "<br><br>".join(ARTICLE_LINES * 2)
    html = f"<html><body><table><tr><td>{text}</td></tr></table></body></html>".encode()
    article = extract_article(make_page(html), make_source())
    assert calls == [True, False]
    assert article.paragraphs[0] == ARTICLE_LINES[0]
