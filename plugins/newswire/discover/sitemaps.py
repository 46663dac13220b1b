"""Sitemaps, sitemap indexes and Google News sitemaps: URLs dated inside the run's window."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lxml import etree

from newswire.discover import DiscoverContext, gunzip_bounded
from newswire.discover.conditional import conditional_fetch
from newswire.errors import PermanentError, RetryableError
from newswire.extract.dates import parse_datetime
from newswire.models import Item, SourceConfig, Window

if TYPE_CHECKING:
    from newswire.fetch.http import Fetcher

log = logging.getLogger(__name__)

# Sitemap indexes are followed this many levels deep (index -> index -> urlset is depth 2).
MAX_DEPTH = 3
# Largest uncompressed sitemap accepted (the sitemaps.org limit is 50 MB).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
# No DTDs, no entities, no network: a sitemap is untrusted input.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


@dataclass(frozen=True)
class SitemapEntry:
    """One <url> of a urlset or one <sitemap> of an index."""

    loc: str
    published_at: datetime | None  # news:publication_date, else lastmod
    title: str | None = None


def _local(tag: object) -> str:
    """The tag name without its namespace ('' for comments and processing instructions)."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(node: etree._Element, *path: str) -> str | None:
    """Text of the first descendant following local names in path, else None."""
    current = [node]
    for name in path:
        current = [c for n in current for c in n if _local(c.tag) == name]
        if not current:
            return None
    text = current[0].text
    return text.strip() if text and text.strip() else None


def parse_sitemap(body: bytes, url: str, timezone: str = "UTC") -> tuple[str, list[SitemapEntry]]:
    """('urlset' or 'sitemapindex', entries); anything else is PermanentError malformed_sitemap."""
    body = gunzip_bounded(body, url, MAX_UNCOMPRESSED_BYTES, "malformed_sitemap")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PermanentError("malformed_sitemap", f"{url}: {exc}") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise PermanentError("malformed_sitemap", f"{url}: root element <{kind}>")
    child = "url" if kind == "urlset" else "sitemap"
    entries = []
    for node in root:
        if _local(node.tag) != child:
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        published = _child_text(node, "news", "publication_date") or _child_text(node, "lastmod")
        entries.append(
            SitemapEntry(
                loc=loc,
                published_at=parse_datetime(published, timezone),
                title=_child_text(node, "news", "title"),
            )
        )
    return kind, entries


def _walk(
    url: str,
    source: SourceConfig,
    window: Window,
    fetcher: Fetcher,
    ctx: DiscoverContext,
    depth: int,
    seen: set[str],
) -> Iterator[Item]:
    """Items of one sitemap; an index is followed depth-first, bad children are recorded."""
    seen.add(url)
    body = conditional_fetch(url, source, fetcher, ctx, kind="sitemap")
    sitemap_kind, entries = parse_sitemap(body, url, source.timezone)
    if sitemap_kind == "urlset":
        kept = [
            e for e in entries if e.published_at is not None and window.contains(e.published_at)
        ]
        log.debug("sitemap %s: %d urls, %d in %s", url, len(entries), len(kept), window)
        for entry in kept:
            yield Item(entry.loc, source.name, entry.published_at, entry.title)
        return
    for entry in entries:
        if entry.loc in seen:
            continue
        # A child sitemap last modified before the window cannot list a URL dated inside it.
        if entry.published_at is not None and entry.published_at < window.start:
            continue
        if depth >= MAX_DEPTH:
            ctx.record(source, entry.loc, PermanentError("sitemap_too_deep", entry.loc))
            continue
        try:
            yield from _walk(entry.loc, source, window, fetcher, ctx, depth + 1, seen)
        except (PermanentError, RetryableError) as exc:
            ctx.record(source, entry.loc, exc)


def discover(
    source: SourceConfig, window: Window, fetcher: Fetcher, ctx: DiscoverContext | None = None
) -> Iterator[Item]:
    """URLs of every sitemap (or index) of the source dated inside the window."""
    ctx = ctx or DiscoverContext(strict=True)
    seen: set[str] = set()
    for url in source.urls:
        try:
            yield from _walk(url, source, window, fetcher, ctx, 0, seen)
        except (PermanentError, RetryableError) as exc:
            ctx.record(source, url, exc)
