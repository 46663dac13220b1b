"""Extraction of an Article from a fetched Page (trafilatura, then clean and normalise)."""

from __future__ import annotations

import codecs
import itertools
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import detect_encoding

from newswire.clean import (
    DOUBLED_CAPTION_MAX_WORDS,
    clean_paragraphs,
    match_paywall,
    normalise_whitespace,
)
from newswire.errors import ExtractionRejected
from newswire.models import Article, Page, SourceConfig, normalise_text
from newswire.normalize import (
    agency_in_byline,
    canonicalize_url,
    normalise_authors,
    parse_datetime,
)

logger = logging.getLogger(__name__)

# Version of the extraction output: bump whenever the same page would give a different Article.
EXTRACTOR_VERSION = "2026.11.1"

# Articles with fewer words than this after cleaning are rejected as "too_short".
MIN_WORDS = 40

# Options passed to trafilatura.bare_extraction (precision over recall, no comments or tables).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": False,
    "favor_precision": True,
    "deduplicate": False,
}

# Charset labels that browsers (WHATWG) decode as another, wider codec.
CHARSET_ALIASES: dict[str, str] = dict.fromkeys(
    ("latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1", "us-ascii", "ascii"), "cp1252"
)

# Codec for undeclared, non-UTF-8 bytes when nothing better is known (the web's default).
DEFAULT_CHARSET = "cp1252"

# Single-byte Latin codecs that charset detectors confuse with each other on short pages;
# a guess among them is replaced by DEFAULT_CHARSET.
LATIN_CODECS = frozenset(
    codecs.lookup(c).name
    for c in ("cp1250", "cp1252", "latin-1", "iso8859-2", "iso8859-15", "cp1257", "mac-roman")
)

# Encodings a browser decodes (WHATWG Encoding Standard). Detector guesses outside this set
# (DOS code pages such as cp775 or cp850, picked for short Latin-1 text) are never meant.
WEB_CODECS = frozenset(
    codecs.lookup(c).name
    for c in (
        *("utf-8", "utf-16-le", "utf-16-be", "cp866", "koi8-r", "koi8-u", "mac-roman"),
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        *(f"cp{n}" for n in (874, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258)),
        *("mac-cyrillic", "gbk", "gb18030", "big5", "big5hkscs", "euc-jp", "iso2022-jp"),
        *("shift_jis", "euc-kr"),
    )
)

# Legacy codec of undeclared pages by source language (used before any detection).
LEGACY_CHARSETS: dict[str, str] = {
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "ro", "bs"), "cp1250"),
    **dict.fromkeys(("ru", "uk", "bg", "be", "mk", "sr"), "cp1251"),
    **dict.fromkeys(("ar", "fa", "ur"), "cp1256"),
    **dict.fromkeys(("lt", "lv", "et"), "cp1257"),
    **{"el": "cp1253", "tr": "cp1254", "he": "cp1255", "vi": "cp1258", "th": "cp874"},
    **{"ja": "shift_jis", "zh": "gb18030", "ko": "euc-kr"},
}

# How many leading bytes are searched for a <meta charset> declaration.
CHARSET_SNIFF_BYTES = 4096

# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">.
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)

# An XML declaration, which lxml refuses in an already-decoded string.
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# Separators between a headline and the site name in a <title>.
TITLE_SEPARATOR = re.compile(r"\s+[|–—:·•»-]\s+|\s*\|\s*")

# Meta tags giving the publication time, best first (property or name attribute).
PUBLISHED_META: tuple[str, ...] = (
    *("article:published_time", "og:article:published_time", "datepublished", "pubdate"),
    *("publishdate", "publish-date", "dc.date.issued", "dcterms.issued", "parsely-pub-date"),
    *("sailthru.date", "date"),
)

# JSON-LD @type values that describe the article itself.
JSONLD_ARTICLE_TYPES = frozenset(
    {
        *("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle"),
        *("opinionnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting"),
        "webpage",
    }
)

# Elements searched for a visible paywall prompt when trafilatura finds no text.
PROMPT_BLOCK_TAGS = ("p", "div", "span", "a", "button", "h1", "h2", "h3", "h4", "li", "strong")

# Block elements whose text is compared to find a caption printed twice in a row.
BLOCK_TAGS = frozenset(
    {"p", "div", "figcaption", "caption", "li", "blockquote", "section", "figure", "td"}
)

# Word range of a block printed twice in a row that is taken for a photo caption.
DOUBLED_BLOCK_WORDS = (4, DOUBLED_CAPTION_MAX_WORDS)

# A plausible language tag's primary subtag ("en" from "en-US").
LANGUAGE_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass
class PageMeta:
    """Metadata read from the page's <head> and JSON-LD."""

    canonical: str | None = None
    og_url: str | None = None
    site_names: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    language: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    name = CHARSET_ALIASES.get(label.strip().strip("\"'").lower(), label.strip().strip("\"'"))
    try:
        return codecs.lookup(name).name
    except LookupError:
        logger.debug("unknown charset label %r", label)
        return None


def _sniffed(body: bytes, language: str | None) -> str:
    """Decode bytes with no usable declaration: language's legacy codec, detection, cp1252."""
    legacy = _codec(LEGACY_CHARSETS.get((language or "").lower()))
    detected = (c for c in map(_codec, detect_encoding(body)) if c in WEB_CODECS)
    # detectors confuse single-byte Latin codecs with each other: use the default for those
    guesses = (
        [legacy] if legacy else [DEFAULT_CHARSET if c in LATIN_CODECS else c for c in detected]
    )
    for codec in guesses:
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            logger.debug("sniffed charset %s does not fit", codec)
    return body.decode(DEFAULT_CHARSET, errors="replace")


def decode_body(page: Page, language: str | None = None) -> str:
    """Decode the page body: declared charset, BOM, <meta charset>, UTF-8, then sniffing."""
    body = page.body
    if body.startswith(codecs.BOM_UTF8):
        return body.decode("utf-8-sig", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    sniffed = META_CHARSET.search(body[:CHARSET_SNIFF_BYTES])
    candidates = [
        _codec(page.encoding),
        _codec(sniffed.group(1).decode("ascii")) if sniffed else None,
    ]
    for codec in [*dict.fromkeys(c for c in candidates if c), "utf-8"]:
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            logger.debug("body of %s is not %s", page.final_url, codec)
    return _sniffed(body, language)


def _text(value: Any) -> str | None:
    """A whitespace-normalised string, or None when empty or not a string."""
    if not isinstance(value, str):
        return None
    return normalise_whitespace(value) or None


def _jsonld_nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a JSON-LD document, depth first (following @graph and lists)."""
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_nodes(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                yield from _jsonld_nodes(data[key])


def _jsonld_names(value: Any) -> list[str]:
    """Names from a JSON-LD author/publisher value (string, object or list of them)."""
    if isinstance(value, list):
        return [n for v in value for n in _jsonld_names(v)]
    if isinstance(value, dict):
        value = value.get("name")
    name = _text(value)
    return [name] if name else []


def _read_jsonld(tree: lxml.html.HtmlElement, meta: PageMeta) -> None:
    """Add datePublished, authors, headline and publisher from JSON-LD blocks to meta."""
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            logger.debug("invalid JSON-LD block skipped")
            continue
        for node in _jsonld_nodes(data):
            types = node.get("@type")
            types = types if isinstance(types, list) else [types]
            if not any(isinstance(t, str) and t.lower() in JSONLD_ARTICLE_TYPES for t in types):
                continue
            if published := _text(node.get("datePublished")):
                meta.published.append(published)
            meta.authors.extend(_jsonld_names(node.get("author")))
            meta.site_names.extend(_jsonld_names(node.get("publisher")))
            meta.title = meta.title or _text(node.get("headline"))
            meta.description = meta.description or _text(node.get("description"))


def read_meta(tree: lxml.html.HtmlElement, base_url: str) -> PageMeta:
    """Read canonical URL, site name, dates, language, title and description from the page."""
    meta = PageMeta()
    tags: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = _text(node.get("content"))
        if key and content:
            tags.setdefault(key.strip(), []).append(content)
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and link.get("href") and meta.canonical is None:
            meta.canonical = urljoin(base_url, link.get("href", "").strip())
    if tags.get("og:url"):
        meta.og_url = urljoin(base_url, tags["og:url"][0])
    meta.site_names = [*tags.get("og:site_name", []), *tags.get("application-name", [])]
    for key in PUBLISHED_META:
        meta.published.extend(tags.get(key, []))
    _read_jsonld(tree, meta)
    for time_node in tree.xpath("//time[@itemprop='datePublished'][@datetime]"):
        meta.published.append(time_node.get("datetime"))
    root = tree.getroottree().getroot()
    candidates = (root.get("lang"), root.get("xml:lang"), *tags.get("og:locale", []))
    meta.language = next((lang for c in candidates if (lang := _language(c))), None)
    meta.title = next(iter(tags.get("og:title", [])), None) or meta.title
    descriptions = tags.get("og:description") or tags.get("description") or []
    meta.description = next(iter(descriptions), None) or meta.description
    meta.authors = [*tags.get("author", []), *meta.authors]
    return meta


def _site_key(text: str) -> str:
    """Comparison key of a site name: case-folded letters and digits only."""
    return "".join(c for c in text.casefold() if c.isalnum())


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Drop a ' | Site' suffix (or 'Site | ' prefix) when it is exactly the site's name."""
    keys = {_site_key(s) for s in site_names if _site_key(s)}
    if not keys:
        return title
    pieces = TITLE_SEPARATOR.split(title)
    seps = TITLE_SEPARATOR.findall(title)
    if len(pieces) < 2:
        return title
    if _site_key(pieces[-1]) in keys:
        return title[: title.rfind(seps[-1])].strip() or title
    if _site_key(pieces[0]) in keys:
        return title[title.find(seps[0]) + len(seps[0]) :].strip() or title
    return title


def _pick_canonical(meta: PageMeta, page: Page) -> str:
    """Canonical URL: rel=canonical, then og:url, then the final URL, canonicalised."""
    for candidate in (meta.canonical, meta.og_url, page.final_url, page.url):
        if not candidate:
            continue
        try:
            return canonicalize_url(candidate)
        except ValueError:
            logger.debug("unusable canonical candidate %r", candidate)
    raise ExtractionRejected("bad_url", f"no usable URL for {page.url!r}")


def _published(meta: PageMeta, fallback: str | None, default_tz: str) -> datetime | None:
    """The first parseable publication time: page metadata, then trafilatura's date."""
    parsed = (parse_datetime(value, default_tz) for value in [*meta.published, fallback])
    return next((p for p in parsed if p is not None), None)


def _parse_tree(html: str) -> lxml.html.HtmlElement | None:
    """Parse the decoded page with lxml, or None when it is not HTML."""
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        logger.debug("lxml could not parse the page")
        return None


def doubled_blocks(tree: lxml.html.HtmlElement | None) -> set[str]:
    """Short texts the page prints twice in a row (image alt + caption, two caption blocks)."""
    if tree is None:
        return set()
    texts: list[str] = []
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag == "img":
            text = node.get("alt") or ""
        elif node.tag in BLOCK_TAGS and not any(
            isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in node.iterdescendants()
        ):
            text = node.text_content() or ""
        else:
            continue
        text = normalise_whitespace(text)
        if text:
            texts.append(text)
    low, high = DOUBLED_BLOCK_WORDS
    return {
        a
        for a, b in itertools.pairwise(texts)
        if normalise_text(a) == normalise_text(b) and low <= len(a.split()) <= high
    }


def _visible_prompt(tree: lxml.html.HtmlElement | None) -> bool:
    """True when some text block of the page is a paywall prompt (used when nothing extracts)."""
    nodes = tree.iter(*PROMPT_BLOCK_TAGS) if tree is not None else ()
    return any(match_paywall(normalise_whitespace(n.text_content() or "")) for n in nodes)


def extract_article(page: Page, source: SourceConfig) -> Article:
    """Extract, clean and normalise the article in a fetched page."""
    html = XML_DECLARATION.sub("", decode_body(page, source.language), count=1)
    tree = _parse_tree(html)
    meta = read_meta(tree, page.final_url) if tree is not None else PageMeta()
    try:
        doc = trafilatura.bare_extraction(html, url=page.final_url, **TRAFILATURA_OPTIONS)
    except Exception as exc:  # a crash on one odd page must not sink its batch
        logger.warning("trafilatura failed on %s: %r", page.url, exc)
        raise ExtractionRejected("extractor_error", f"{type(exc).__name__} at {page.url}") from exc
    text = _field(doc, "text")
    if text is None:
        if _visible_prompt(tree):
            raise ExtractionRejected("prompt_only", f"only a subscription prompt at {page.url}")
        raise ExtractionRejected("no_article", f"no article text found at {page.url}")

    sitename = _text(_field(doc, "sitename"))
    site_names = [*meta.site_names, *([sitename] if sitename else [])]
    raw_title = _text(_field(doc, "title")) or meta.title
    title = strip_site_name(raw_title, site_names) if raw_title else None
    cleaned = clean_paragraphs(text.splitlines(), title=title, known_captions=doubled_blocks(tree))
    if not cleaned.paragraphs and cleaned.prompts:
        raise ExtractionRejected("prompt_only", f"only prompts {cleaned.prompts} at {page.url}")
    words = sum(len(p.split()) for p in cleaned.paragraphs)
    if words < MIN_WORDS:
        raise ExtractionRejected("too_short", f"{words} words < {MIN_WORDS} at {page.url}")

    author = _field(doc, "author")
    raw_authors: list[str] = [author] if author else meta.authors
    language = meta.language or _language(_field(doc, "language")) or source.language
    extra = {"sitename": site_names[0]} if site_names else {}
    if cleaned.captions:
        extra["captions"] = "\n".join(cleaned.captions)
    article = Article(
        url=page.url,
        canonical_url=_pick_canonical(meta, page),
        source=source.name,
        title=title,
        paragraphs=cleaned.paragraphs,
        authors=normalise_authors(raw_authors),
        published_at=_published(meta, _field(doc, "date"), source.timezone),
        language=language,
        description=_text(_field(doc, "description")) or _text(meta.description),
        agency=cleaned.agency or agency_in_byline(raw_authors) or source.agency,
        dateline=cleaned.dateline,
        paywalled=cleaned.paywalled,
        prompts_stripped=cleaned.prompts,
        extractor_version=EXTRACTOR_VERSION,
        page_sha256=page.sha256,
        extra=extra,
    )
    logger.debug(
        "extracted %s: %d paragraphs, %d words, prompts=%s",
        page.url,
        len(article.paragraphs),
        words,
        ",".join(article.prompts_stripped) or "-",
    )
    return article


def _field(doc: object, name: str) -> str | None:
    """A non-blank string attribute of trafilatura's Document, else None."""
    value = getattr(doc, name, None)
    return value if isinstance(value, str) and value.strip() else None


def _language(value: str | None) -> str | None:
    """Primary language subtag of a tag, lower-cased, or None."""
    match = LANGUAGE_TAG.match((value or "").strip())
    return match.group(1).lower() if match else None
