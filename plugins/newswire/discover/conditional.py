"""Conditional GET of listings (feeds, sitemaps): ETag / Last-Modified state in feed_state."""

from __future__ import annotations

import logging
import zlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from newswire.discover import DiscoverContext
from newswire.models import Page, SourceConfig

if TYPE_CHECKING:
    from newswire.fetch.http import Fetcher

log = logging.getLogger(__name__)


def _load_state(engine: Any, url: str) -> tuple[str | None, str | None, bytes | None]:
    """ETag, Last-Modified and the last body of a URL from feed_state (all None if unknown)."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT etag, last_modified, body_zlib FROM feed_state WHERE url = :u"),
            {"u": url},
        ).one_or_none()
    if row is None:
        return None, None, None
    return row.etag, row.last_modified, zlib.decompress(row.body_zlib)


def _save_state(engine: Any, url: str, page: Page) -> None:
    """Remember a 200 answer's validators and body (only when the server sent validators)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO feed_state (url, etag, last_modified, body_zlib)"
                " VALUES (:u, :e, :lm, :b) ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag,"
                " last_modified = EXCLUDED.last_modified, body_zlib = EXCLUDED.body_zlib,"
                " fetched_at = now(), not_modified = 0"
            ),
            {"u": url, "e": page.etag, "lm": page.last_modified, "b": zlib.compress(page.body)},
        )


def _count_not_modified(engine: Any, url: str) -> None:
    """Count one more 304 answer for url in feed_state."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE feed_state SET not_modified = not_modified + 1, fetched_at = now()"
                " WHERE url = :u"
            ),
            {"u": url},
        )


def conditional_fetch(
    url: str, source: SourceConfig, fetcher: Fetcher, ctx: DiscoverContext, kind: str = "feed"
) -> bytes:
    """GET with If-None-Match / If-Modified-Since from feed_state; a 304 gives the stored body.

    The stored body is re-read on 304 (not skipped): a window only keeps the entries dated
    inside it, so entries of this window may already have been listed by the previous fetch.
    """
    if ctx.engine is None:
        return fetcher.fetch(url, source, kind=kind).body
    etag, last_modified, stored = _load_state(ctx.engine, url)
    if stored is None:
        etag = last_modified = None  # nothing to fall back on: ask for the full body
    page = fetcher.fetch(url, source, kind=kind, etag=etag, last_modified=last_modified)
    if page.status == 304 and stored is not None:
        ctx.counts["not_modified"] += 1
        _count_not_modified(ctx.engine, url)
        log.debug("feed %s: 304 not modified, re-reading the stored body", url)
        return stored
    if page.etag or page.last_modified:
        _save_state(ctx.engine, url, page)
    return page.body
