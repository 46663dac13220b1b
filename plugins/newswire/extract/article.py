"""Extraction of an Article from a fetched Page (trafilatura, then clean and normalise)."""

from __future__ import annotations

import itertools
import json
import logging
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from newswire import cputime
from newswire.clean.agencies import agency_in_credits
from newswire.clean.lines import (
    DOUBLED_CAPTION_MAX_WORDS,
    clean_paragraphs,
    match_paywall,
    normalise_whitespace,
    sign_off,
    trim_tail,
)
from newswire.clean.patterns import METER_PATTERNS, PAYWALL_PATTERNS
from newswire.errors import ExtractionRejected
from newswire.extract.access import classify_access
from newswire.extract.authors import (
    agency_in_byline,
    markup_bylines,
    outlet_address,
    pick_authors,
)
from newswire.extract.dates import parse_datetime
from newswire.extract.language import detect_language
from newswire.extract.lead import (
    LEAD_SEARCH_DEPTH,
    dropped_standfirst,
    is_standfirst,
    lead_keys,
    standfirst_keys,
    trim_lead,
)
from newswire.extract.metadata import (
    PageMeta,
    host_names,
    language_of,
    parse_html,
    read_meta,
    strip_site_name,
    text_of,
)
from newswire.extract.prune import prune_boilerplate
from newswire.extract.title import pick_title
from newswire.fetch.charset import decode_body
from newswire.fetch.urls import canonicalize_url
from newswire.models import (
    Article,
    Page,
    SourceConfig,
    count_words,
    ensure_utc,
    normalise_text,
)

__all__ = [
    "EXTRACTOR_VERSION",
    "MIN_WORDS",
    "extract_article",
    "pick_title",
    "strip_site_name",
]

logger = logging.getLogger(__name__)

# Version of the extraction output: bump whenever the same page would give a different Article.
EXTRACTOR_VERSION = "2026.12.1"

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

# A precision-mode text shorter than this share of the tokens in the <p> elements of the
# page's main container has lost article text: trafilatura runs again favouring recall.
RECALL_FALLBACK_RATIO = 0.8

# Pages with fewer tokens than this in their main container's <p> never get the second run.
RECALL_FALLBACK_MIN_WORDS = 100

# Options of the second run, favouring recall. It also runs when precision mode finds fewer
# than MIN_WORDS words: older CMSs lay the story out in table cells or <br>-separated <div>
# text, which precision mode and the <p> count above miss. (Reading tables as well finds a
# little more of such stories but prints each table row as one "| cell | cell |" line.)
RECALL_OPTIONS: dict[str, Any] = {**TRAFILATURA_OPTIONS, "favor_precision": False}

# A page is rejected as only a prompt when its prompt blocks hold more than this share of the
# words of its visible text (a "Subscribe" link in the navigation does not make a prompt page).
PROMPT_ONLY_SHARE = 0.5

# Elements whose text is not shown on the page.
INVISIBLE_TAGS = ("script", "style", "noscript", "template")

# An XML declaration, which lxml refuses in an already-decoded string.
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# A date this far after the fetch time is still accepted (clock skew); later ones are wrong.
FUTURE_TOLERANCE = timedelta(minutes=10)

# Elements searched for a visible paywall prompt when trafilatura finds no text.
PROMPT_BLOCK_TAGS = ("p", "div", "span", "a", "button", "h1", "h2", "h3", "h4", "li", "strong")

# Block elements whose text is compared to find a caption printed twice in a row.
BLOCK_TAGS = frozenset(
    {"p", "div", "figcaption", "caption", "li", "blockquote", "section", "figure", "td"}
)

# Word range of a block printed twice in a row that is taken for a photo caption.
DOUBLED_BLOCK_WORDS = (4, DOUBLED_CAPTION_MAX_WORDS)

# A JSON string literal in a script, long enough to hold an article's HTML (client-rendered
# pages ship their body in hydration data: Next.js, Nuxt, React Query states).
SCRIPT_STRING = re.compile(r'"(?:[^"\\]|\\.){200,}"')

# A paragraph tag in such a literal, JSON-escaped ("\u003cp>") or plain.
EMBEDDED_PARAGRAPH = re.compile(r"\\u003cp[\s>\\]|<p[\s>]", re.IGNORECASE)

# Embedded HTML is taken for the article only with at least this many words in its <p>.
EMBEDDED_MIN_WORDS = 100


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


def _dated(
    candidates: Sequence[tuple[str | None, str]], default_tz: str, fetched_at: datetime
) -> tuple[datetime | None, str | None]:
    """The first parseable time not after the fetch, with where it came from."""
    latest = ensure_utc(fetched_at) + FUTURE_TOLERANCE
    for value, where in candidates:
        parsed = parse_datetime(value, default_tz)
        if parsed is None:
            continue
        if parsed > latest:
            logger.debug("date %s from %s is after the fetch: ignored", parsed, where)
            continue
        return parsed, where
    return None, None


def _parse_tree(html: str) -> lxml.html.HtmlElement | None:
    """Parse the decoded page with lxml, or None when it is not HTML."""
    try:
        return parse_html(html)
    except (etree.ParserError, ValueError):
        logger.debug("lxml could not parse the page")
        return None


def doubled_blocks(tree: lxml.html.HtmlElement | None) -> set[str]:
    """Short texts the page prints twice in a row (image alt + caption, two caption blocks)."""
    if tree is None:
        return set()
    nodes = [n for n in tree.iter(*BLOCK_TAGS, "img") if isinstance(n.tag, str)]
    # a block with a block inside it is not a leaf: mark every block's block ancestors once
    inner: set[lxml.html.HtmlElement] = set()
    for node in nodes:
        for ancestor in node.iterancestors(*BLOCK_TAGS):
            if ancestor in inner:
                break
            inner.add(ancestor)
    texts: list[str] = []
    for node in nodes:
        if node.tag == "img":
            text = node.get("alt") or ""
        elif node not in inner:
            text = node.text_content() or ""
        else:
            continue
        text = normalise_whitespace(text)
        if text:
            texts.append(text)
    low, high = DOUBLED_BLOCK_WORDS
    # cheap tests first: few pairs have the caption's word count and a similar length
    return {
        a
        for a, b in itertools.pairwise(texts)
        if abs(len(a) - len(b)) <= len(a) // 2
        and low <= len(a.split()) <= high
        and normalise_text(a) == normalise_text(b)
    }


def _trafilatura(source: Any, page: Page, options: dict[str, Any]) -> Any:
    """trafilatura.bare_extraction of a tree or HTML text; a crash rejects the page."""
    try:
        return trafilatura.bare_extraction(source, url=page.final_url, **options)
    except Exception as exc:  # a crash on one odd page must not sink its batch
        logger.warning("trafilatura failed on %s: %r", page.url, exc)
        raise ExtractionRejected("extractor_error", f"{type(exc).__name__} at {page.url}") from exc


def _main_words(tree: lxml.html.HtmlElement | None) -> int:
    """Tokens in the <p> elements of the page's main container (largest <article>/<main>)."""
    if tree is None:
        return 0
    containers = [*tree.iter("article", "main")] or [tree]
    return max(sum(_tokens(p.text_content()) for p in c.iter("p")) for c in containers)


def _tokens(text: str | None) -> int:
    """Whitespace-separated tokens of a text (unspaced scripts count a phrase as one)."""
    return len((text or "").split())


def embedded_article_html(tree: lxml.html.HtmlElement | None) -> str | None:
    """The article HTML a script embeds as a JSON string, the one with most <p> words."""
    best, most = None, EMBEDDED_MIN_WORDS - 1
    for script in tree.iter("script") if tree is not None else ():
        for match in SCRIPT_STRING.finditer(script.text or ""):
            if not EMBEDDED_PARAGRAPH.search(match.group(0)):
                continue
            try:
                value = json.loads(match.group(0))
                fragment = lxml.html.fragment_fromstring(value, create_parent="div")
            except (ValueError, etree.ParserError):
                continue
            words = sum(_tokens(p.text_content()) for p in fragment.iter("p"))
            if words > most:
                best, most = value, words
    return best


def _visible_prompt(tree: lxml.html.HtmlElement | None) -> bool:
    """True when paywall prompts are most of the page's text (used when nothing extracts)."""
    body = next(tree.iter("body"), None) if tree is not None else None
    if body is None:
        return False
    prompts: list[lxml.html.HtmlElement] = []
    for node in body.iter(*PROMPT_BLOCK_TAGS):
        if any(a in prompts for a in node.iterancestors(*PROMPT_BLOCK_TAGS)):
            continue  # inside a prompt already counted
        if match_paywall(normalise_whitespace(node.text_content() or "")):
            prompts.append(node)
    if not prompts:
        return False
    words = sum(_tokens(n.text_content()) for n in prompts)
    hidden = sum(_tokens(n.text_content()) for n in body.iter(*INVISIBLE_TAGS))
    return words > PROMPT_ONLY_SHARE * (_tokens(body.text_content()) - hidden)


def extract_article(page: Page, source: SourceConfig) -> Article:
    """Extract, clean and normalise the article in a fetched page."""
    html = XML_DECLARATION.sub("", decode_body(page, source.language), count=1)
    tree = _parse_tree(html)
    meta = read_meta(tree, page.final_url) if tree is not None else PageMeta()
    with cputime.stage("clean"):
        known = doubled_blocks(tree) | ({meta.image_caption} if meta.image_caption else set())
        if tree is not None:
            prune_boilerplate(tree, [h for h in (meta.headline, *meta.h1[:1], meta.title) if h])
    doc = _trafilatura(tree if tree is not None else html, page, TRAFILATURA_OPTIONS)
    text = _field(doc, "text")
    main_words = _main_words(tree)
    lost = main_words >= RECALL_FALLBACK_MIN_WORDS and _tokens(text) < (
        RECALL_FALLBACK_RATIO * main_words
    )
    if lost:
        # precision mode dropped article text: run again favouring recall, keep the longer
        again = _trafilatura(tree, page, RECALL_OPTIONS)
        if _tokens(_field(again, "text")) > _tokens(text):
            doc, text = again, _field(again, "text")
    elif tree is not None and count_words(text or "") < MIN_WORDS:
        # (almost) nothing in a page without <p> text, a table or <br> layout: run again
        # favouring recall, kept when it finds an article's worth of words
        again = _trafilatura(tree, page, RECALL_OPTIONS)
        if count_words(_field(again, "text") or "") >= MIN_WORDS:
            doc, text = again, _field(again, "text")
    if text is None and (embedded := embedded_article_html(tree)) is not None:
        # a client-rendered page: the body is only in the scripts' data (metadata stays the page's)
        logger.debug("no text in the markup of %s: extracting the HTML its scripts embed", page.url)
        wrapped = f"<html><body><article>{embedded}</article></body></html>"
        text = _field(_trafilatura(wrapped, page, TRAFILATURA_OPTIONS), "text")
    if text is None:
        if _visible_prompt(tree):
            raise ExtractionRejected("prompt_only", f"only a subscription prompt at {page.url}")
        raise ExtractionRejected("no_article", f"no article text found at {page.url}")

    sitename = text_of(_field(doc, "sitename"))
    site_names = [*meta.site_names, *([sitename] if sitename else [])]
    raw_title = pick_title(meta) or text_of(_field(doc, "title")) or meta.html_title
    title = strip_site_name(raw_title, site_names) if raw_title else None
    # detected before the lines are cleaned: the language is the text's, whatever the markup says
    hint = meta.language or language_of(_field(doc, "language")) or source.language
    detected = detect_language(title, text.splitlines(), hint)
    with cputime.stage("clean"):
        cleaned = clean_paragraphs(text.splitlines(), title=title, known_captions=known)
    if not cleaned.paragraphs and cleaned.prompts:
        raise ExtractionRejected("prompt_only", f"only prompts {cleaned.prompts} at {page.url}")
    words = sum(count_words(p) for p in cleaned.paragraphs)
    if words < MIN_WORDS:
        if any(p in PAYWALL_PATTERNS for p in cleaned.prompts):
            raise ExtractionRejected("prompt_only", f"{words} words and a prompt at {page.url}")
        raise ExtractionRejected("too_short", f"{words} words < {MIN_WORDS} at {page.url}")

    author = _field(doc, "author")
    raw_authors: list[str] = [author] if author else (meta.jsonld_people or meta.authors)
    extra = {"sitename": site_names[0]} if site_names else {}
    if cleaned.captions:
        extra["captions"] = "\n".join(cleaned.captions)
    description = text_of(_field(doc, "description")) or text_of(meta.description)
    headlines = [h for h in (title, meta.headline, *meta.h1, meta.title, meta.html_title) if h]
    lead = cleaned.paragraphs[:LEAD_SEARCH_DEPTH]
    # the page is searched for a standfirst printed apart only when the body may hold one
    maybe = any(is_standfirst(p, description) for p in lead)
    standfirsts = standfirst_keys(tree, description) if maybe else set()
    leads = lead_keys(tree, meta.lead_names)
    paragraphs = trim_lead(cleaned.paragraphs, headlines, description, standfirsts, leads)
    paragraphs, tail = trim_tail(paragraphs)
    description = description or dropped_standfirst(cleaned.paragraphs, paragraphs, leads)
    if len(paragraphs) < len(cleaned.paragraphs):
        words = sum(count_words(p) for p in paragraphs)
    access = classify_access(
        free=meta.free,
        markup=meta.paywall_markup,
        prompts=[p for p in cleaned.prompts if p in PAYWALL_PATTERNS or p in METER_PATTERNS],
        truncated=cleaned.truncated,
        body_words=words,
        description=description,
    )
    published, date_source = _dated(
        [*meta.published, (_field(doc, "date"), "text")], source.timezone, page.fetched_at
    )
    updated, updated_source = _dated(meta.modified, source.timezone, page.fetched_at)
    if updated is not None and published is not None and updated < published:
        updated, updated_source = None, None
    sites = [*site_names, *host_names(page.final_url)]
    address = outlet_address(meta.authors, sites)
    bylines = [meta.jsonld_people, [author] if author else [], meta.authors]
    authors = pick_authors(bylines, sites, address)
    if not authors and tree is not None:
        # no structured or trafilatura byline: read the bylines printed in the markup (slower)
        authors = pick_authors([markup_bylines(tree)], sites, address)
    if not authors and (signed := sign_off(tail)):
        authors = pick_authors([[signed]], sites, address)  # a name signed under the story
    article = Article(
        url=page.url,
        canonical_url=_pick_canonical(meta, page),
        source=source.name,
        title=title,
        paragraphs=paragraphs,
        authors=authors,
        published_at=published,
        language=detected.language,
        language_confidence=detected.confidence,
        description=description,
        agency=cleaned.agency
        or agency_in_byline([*raw_authors, *meta.jsonld_authors])
        or agency_in_credits(cleaned.credits)
        or source.agency,
        dateline=cleaned.dateline,
        paywalled=access.paywalled,
        prompts_stripped=cleaned.prompts,
        extractor_version=EXTRACTOR_VERSION,
        page_sha256=page.sha256,
        extra=extra,
        updated_at=updated,
        date_source=date_source,
        updated_source=updated_source,
        credits=cleaned.credits,
        section=meta.section,
        tags=tuple(meta.tags),
        top_image_url=meta.image,
        top_image_caption=meta.image_caption,
        access=access.access,
        access_evidence=access.evidence,
    )
    logger.debug(
        "extracted %s: %d paragraphs, %d words, access=%s, prompts=%s",
        page.url,
        len(article.paragraphs),
        words,
        article.access,
        ",".join(article.prompts_stripped) or "-",
    )
    return article


def _field(doc: object, name: str) -> str | None:
    """A non-blank string attribute of trafilatura's Document, else None."""
    value = getattr(doc, name, None)
    return value if isinstance(value, str) and value.strip() else None
