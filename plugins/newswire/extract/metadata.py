"""Page metadata: <meta> tags, JSON-LD, <time>, <h1>, figures and paywall markup."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from newswire.clean.lines import normalise_whitespace
from newswire.extract.lead import lead_names

logger = logging.getLogger(__name__)

# lxml.html's own parser picks each element's class in Python (HtmlElementClassLookup), a call
# per element every time code touches one: this one gives every element lxml.html's HtmlElement
# (text_content, drop_tree...) from C, which makes extraction about 6% faster. Only <form>,
# <input>, <select>, <textarea> and <label> lose their form helpers, which nothing here uses.
HTML_PARSER = etree.HTMLParser()
HTML_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse a decoded page into an lxml.html tree (raises lxml's ParserError or ValueError)."""
    return lxml.html.document_fromstring(html, parser=HTML_PARSER)


# Separators between a headline and the site name in a <title>.
TITLE_SEPARATOR = re.compile(r"\s+[|–—:·•»-]\s+|\s*\|\s*")

# Meta tags giving the publication time, best first (property or name attribute).
PUBLISHED_META: tuple[str, ...] = (
    *("article:published_time", "og:article:published_time", "datepublished", "pubdate"),
    *("publishdate", "publish-date", "dc.date.issued", "dcterms.issued", "parsely-pub-date"),
    *("sailthru.date", "date", "dc.date", "dcterms.created"),
)

# Meta tags giving the last modification time, best first.
MODIFIED_META: tuple[str, ...] = (
    *("article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified"),
    *("last-modified", "dcterms.modified"),
)

# <time> elements giving the publication / modification time (after JSON-LD and meta tags).
_TIME_XPATH = "//time[@itemprop=$prop][@datetime]"
_PUBLISHED, _MODIFIED = "datePublished", "dateModified"

# Meta tags naming the section, best first.
SECTION_META: tuple[str, ...] = (
    *("article:section", "og:article:section", "section", "parsely-section"),
)

# Meta tags listing tags or keywords (one tag per element or comma-separated), best first.
TAG_META: tuple[str, ...] = ("article:tag", "og:article:tag", "news_keywords", "keywords")

# Meta tags giving the lead image, best first.
IMAGE_META: tuple[str, ...] = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image")

# At most this many tags are kept (keyword stuffing beyond that is noise).
MAX_TAGS = 25

# JSON-LD @type values that describe the article itself.
JSONLD_ARTICLE_TYPES = frozenset(
    {
        *("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle"),
        *("opinionnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting"),
        *("webpage", "report", "scholarlyarticle", "techarticle", "socialmediaposting"),
    }
)

# class/id words of elements that hold a paywall or registration wall.
PAYWALL_MARKUP = re.compile(
    r"\b(?:paywall|pay-wall|regwall|reg-wall|subscriber-only|subscribers-only|premium-(?:content|"
    r"article|teaser|paywall|wall)|article--locked|is-locked|locked-content|piano-(?:paywall|offer)"
    r"|tp-modal|plus-teaser|paid-content|metered-content)\b"
)

# The opening of a wrapper some pages put around a JSON-LD block's text: a CDATA section or an
# HTML comment, either behind "//" (script markup kept valid for XHTML and old browsers).
JSONLD_OPENING = re.compile(r"^\s*(?://[ \t]*)?(?:<!\[CDATA\[|<!--)")

# A plausible language tag's primary subtag ("en" from "en-US").
LANGUAGE_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass
class PageMeta:
    """Metadata read from the page's <head>, JSON-LD and markup."""

    canonical: str | None = None
    og_url: str | None = None
    site_names: list[str] = field(default_factory=list)
    published: list[tuple[str, str]] = field(default_factory=list)  # (value, where from)
    modified: list[tuple[str, str]] = field(default_factory=list)
    language: str | None = None
    title: str | None = None  # og:title, else JSON-LD headline
    headline: str | None = None  # JSON-LD headline
    h1: list[str] = field(default_factory=list)  # <h1> texts
    subheads: list[str] = field(default_factory=list)  # <h2> and <h3> texts, in page order
    html_title: str | None = None  # <title>
    description: str | None = None
    authors: list[str] = field(default_factory=list)  # <meta name=author>, then JSON-LD
    jsonld_authors: list[str] = field(default_factory=list)
    jsonld_people: list[str] = field(default_factory=list)  # JSON-LD authors typed Person
    publishers: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    image_caption: str | None = None
    free: bool | None = None  # JSON-LD isAccessibleForFree, when the page says
    paywall_markup: list[str] = field(default_factory=list)  # class/id words found
    lead_names: set[str] = field(default_factory=set)  # class/id values naming a lead


def text_of(value: Any) -> str | None:
    """A whitespace-normalised string with HTML entities decoded, or None when empty."""
    if not isinstance(value, str):
        return None
    return normalise_whitespace(html.unescape(value) if "&" in value else value) or None


def language_of(value: str | None) -> str | None:
    """Primary language subtag of a tag, lower-cased, or None."""
    match = LANGUAGE_TAG.match((value or "").strip())
    return match.group(1).lower() if match else None


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
    name = text_of(value)
    return [name] if name else []


def _jsonld_people(value: Any) -> list[str]:
    """Names of the JSON-LD author objects typed Person."""
    if isinstance(value, list):
        return [n for v in value for n in _jsonld_people(v)]
    if isinstance(value, dict):
        types = value.get("@type")
        types = types if isinstance(types, list) else [types]
        if "Person" in types:
            return _jsonld_names(value)
    return []


def _jsonld_strings(value: Any) -> list[str]:
    """Strings of a JSON-LD value that may be a string, a comma list or a list."""
    if isinstance(value, list):
        return [s for v in value for s in _jsonld_strings(v)]
    text = text_of(value)
    return [t.strip() for t in text.split(",") if t.strip()] if text else []


def _jsonld_image(value: Any) -> tuple[str | None, str | None]:
    """(url, caption) of a JSON-LD image value (string, ImageObject or list)."""
    if isinstance(value, list):
        return _jsonld_image(value[0]) if value else (None, None)
    if isinstance(value, dict):
        return text_of(value.get("url") or value.get("contentUrl")), text_of(value.get("caption"))
    return text_of(value), None


def _is_article(node: dict[str, Any]) -> bool:
    """True when a JSON-LD node's @type is an article type."""
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.lower() in JSONLD_ARTICLE_TYPES for t in types)


def _read_jsonld_node(node: dict[str, Any], meta: PageMeta) -> None:
    """Add one article node's fields to meta (earlier nodes win)."""
    if published := text_of(node.get("datePublished")):
        meta.published.append((published, "jsonld"))
    if modified := text_of(node.get("dateModified")):
        meta.modified.append((modified, "jsonld"))
    meta.jsonld_authors.extend(_jsonld_names(node.get("author")))
    meta.jsonld_people.extend(_jsonld_people(node.get("author")))
    meta.publishers.extend(_jsonld_names(node.get("publisher")))
    meta.headline = meta.headline or text_of(node.get("headline"))
    meta.description = meta.description or text_of(node.get("description"))
    section = _jsonld_strings(node.get("articleSection"))
    meta.section = meta.section or (section[0] if section else None)
    meta.tags.extend(_jsonld_strings(node.get("keywords")))
    if meta.image is None:
        meta.image, meta.image_caption = _jsonld_image(node.get("image"))
    free = node.get("isAccessibleForFree")
    if isinstance(free, str):
        free = {"true": True, "false": False}.get(free.strip().lower())
    if isinstance(free, bool) and meta.free is None:
        meta.free = free


def load_jsonld(text: str) -> Any:
    """The JSON value of a JSON-LD block, read past CDATA or comment wrappers and trailing junk.

    Raises ValueError when no JSON value opens the block.
    """
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass  # not plain JSON: try again without the wrappers
    bare = JSONLD_OPENING.sub("", text, count=1).strip()
    # raw_decode reads the first value and leaves what follows it ("]]>", "-->", a ";")
    value, _ = json.JSONDecoder(strict=False).raw_decode(bare)
    return value


def _jsonld_articles(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    """The article nodes of the page's JSON-LD blocks, in page order (invalid blocks skipped)."""
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = load_jsonld(script.text or "")
        except ValueError:
            logger.debug("invalid JSON-LD block skipped")
            continue
        yield from (node for node in _jsonld_nodes(data) if _is_article(node))


def _read_jsonld(tree: lxml.html.HtmlElement, meta: PageMeta) -> None:
    """Add dates, authors, headline, section, tags, image and access from JSON-LD blocks."""
    for node in _jsonld_articles(tree):
        _read_jsonld_node(node, meta)


def _time_dates(tree: lxml.html.HtmlElement, prop: str) -> list[tuple[str, str]]:
    """Datetimes of the page's <time itemprop=prop> elements."""
    return [(node.get("datetime"), "time") for node in tree.xpath(_TIME_XPATH, prop=prop)]


def _meta_dates(tags: dict[str, list[str]], keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """Values of the date meta tags keys, key by key."""
    return [(v, "meta") for k in keys for v in tags.get(k, [])]


def published_dates(tree: lxml.html.HtmlElement) -> Iterator[tuple[str, str]]:
    """read_meta(tree).published alone (JSON-LD, meta tags, <time>), lazily: WARC discovery
    stops at the first date it can read and leaves the page's other parts unread."""
    for node in _jsonld_articles(tree):
        if value := text_of(node.get("datePublished")):
            yield value, "jsonld"
    yield from _meta_dates(_meta_tags(tree), PUBLISHED_META)
    yield from _time_dates(tree, _PUBLISHED)


def _figure_caption(tree: lxml.html.HtmlElement, image: str | None) -> str | None:
    """Caption of the <figure> showing the lead image (same file name), else None."""
    if not image:
        return None
    name = image.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    if not name:
        return None
    for figure in tree.iter("figure"):
        sources = [
            img.get("src") or img.get("data-src") or img.get("srcset") or ""
            for img in figure.iter("img", "source")
        ]
        if any(name in s for s in sources):
            caption = next(figure.iter("figcaption"), None)
            return text_of(caption.text_content()) if caption is not None else None
    return None


def _paywall_markup(values: list[str]) -> list[str]:
    """Distinct paywall class/id words among the page's class and id values."""
    text = " ".join(values).lower()  # the pattern is lower-case: no case-insensitive scan
    return list(dict.fromkeys(m.group(0) for m in PAYWALL_MARKUP.finditer(text)))


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Content of every <meta> by lower-cased property/name/itemprop, in page order."""
    tags: dict[str, list[str]] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = text_of(node.get("content"))
        if key and content:
            tags.setdefault(key.strip(), []).append(content)
    return tags


def _first(tags: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    """The first value of the first key present."""
    return next((tags[k][0] for k in keys if tags.get(k)), None)


def read_meta(tree: lxml.html.HtmlElement, base_url: str) -> PageMeta:
    """Read canonical URL, site name, dates, language, title, description and more."""
    meta = PageMeta()
    tags = _meta_tags(tree)
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels and link.get("href") and meta.canonical is None:
            meta.canonical = urljoin(base_url, link.get("href", "").strip())
    if tags.get("og:url"):
        meta.og_url = urljoin(base_url, tags["og:url"][0])
    meta.site_names = [*tags.get("og:site_name", []), *tags.get("application-name", [])]
    _read_jsonld(tree, meta)
    meta.site_names.extend(meta.publishers)
    meta.published.extend([*_meta_dates(tags, PUBLISHED_META), *_time_dates(tree, _PUBLISHED)])
    meta.modified.extend([*_meta_dates(tags, MODIFIED_META), *_time_dates(tree, _MODIFIED)])
    root = tree.getroottree().getroot()
    candidates = (root.get("lang"), root.get("xml:lang"), *tags.get("og:locale", []))
    meta.language = next((lang for c in candidates if (lang := language_of(c))), None)
    meta.title = next(iter(tags.get("og:title", [])), None) or meta.headline
    meta.h1 = [t for h in tree.iter("h1") if (t := text_of(h.text_content()))]
    meta.subheads = [t for h in tree.iter("h2", "h3") if (t := text_of(h.text_content()))]
    head_title = next(tree.iter("title"), None)
    meta.html_title = text_of(head_title.text_content()) if head_title is not None else None
    descriptions = tags.get("og:description") or tags.get("description") or []
    meta.description = next(iter(descriptions), None) or meta.description
    meta.authors = [*tags.get("author", []), *meta.jsonld_authors]
    meta.section = _first(tags, SECTION_META) or meta.section
    for key in TAG_META:
        for value in tags.get(key, []):
            meta.tags.extend(t.strip() for t in value.split(",") if t.strip())
    meta.tags = list(dict.fromkeys(meta.tags))[:MAX_TAGS]
    image = _first(tags, IMAGE_META) or meta.image
    meta.image = urljoin(base_url, image) if image else None
    meta.image_caption = meta.image_caption or _figure_caption(tree, meta.image)
    values = tree.xpath("//body//@class | //body//@id")
    meta.paywall_markup = _paywall_markup(values)
    meta.lead_names = lead_names(values)
    return meta


def name_key(text: str) -> str:
    """Comparison key of a site's or a person's name: case-folded letters and digits only."""
    return "".join(c for c in text.casefold() if c.isalnum())


def strip_site_name(title: str, site_names: list[str]) -> str:
    """Drop a ' | Site' suffix (or 'Site | ' prefix) when it is exactly the site's name."""
    keys = {name_key(s) for s in site_names if name_key(s)}
    if not keys:
        return title
    pieces = TITLE_SEPARATOR.split(title)
    seps = TITLE_SEPARATOR.findall(title)
    if len(pieces) < 2:
        return title
    if name_key(pieces[-1]) in keys:
        return title[: title.rfind(seps[-1])].strip() or title
    if name_key(pieces[0]) in keys:
        return title[title.find(seps[0]) + len(seps[0]) :].strip() or title
    return title


def host_names(url: str) -> list[str]:
    """Names an outlet goes by in its host: "wdr.de" and "wdr" for https://www.wdr.de/x."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = host.split(".")
    return [host, labels[-2]] if len(labels) >= 2 else [host] if host else []
