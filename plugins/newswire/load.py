"""Load: staged articles → articles / article_urls, one transaction per batch."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from psycopg2.extras import execute_values
from sqlalchemy import Connection, Engine, text

from newswire import dedup, frontier
from newswire.models import Article, article_from_payload

log = logging.getLogger(__name__)

# Advisory lock key: dedup decisions of concurrent loaders are serialised, so two workers
# loading copies of one story at the same moment cannot both insert it.
DEDUP_LOCK_KEY = 7_343_001


@dataclass(frozen=True)
class Staged:
    """One staged article with the frontier row it came from."""

    frontier_id: int
    seen_urls: tuple[str, ...]
    article: Article


@dataclass(frozen=True)
class LoadResult:
    """Counts of one load call, per source."""

    loaded: Counter[str]
    duplicates: Counter[str]


def _claim_staged(conn: Connection, run_key: str, limit: int) -> list[Staged]:
    rows = conn.execute(
        text(
            """
            SELECT s.frontier_id, f.seen_urls, s.payload
            FROM staged_articles s JOIN frontier f ON f.id = s.frontier_id
            WHERE s.run_key = :r
            ORDER BY s.frontier_id
            LIMIT :n
            FOR UPDATE OF s SKIP LOCKED
            """
        ),
        {"r": run_key, "n": limit},
    ).all()
    return [
        Staged(r.frontier_id, tuple(r.seen_urls), article_from_payload(r.payload)) for r in rows
    ]


def _insert_articles(conn: Connection, articles: Sequence[Article]) -> list[int]:
    """Insert new articles in one statement; return their ids in input order."""
    if not articles:
        return []
    rows = [
        (
            a.canonical_url,
            a.source,
            a.title,
            list(a.authors),
            a.published_at,
            a.language,
            a.description,
            a.agency,
            a.dateline,
            a.body,
            a.content_hash,
            a.word_count,
            a.paywalled,
            list(a.prompts_stripped),
            a.extractor_version,
            a.page_sha256,
            a.updated_at,
            a.date_source,
            a.updated_source,
            a.credits,
            a.section,
            list(a.tags),
            a.top_image_url,
            a.top_image_caption,
            a.access,
            list(a.access_evidence),
        )
        for a in articles
    ]
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    returned = execute_values(
        cursor,
        """
        INSERT INTO articles (canonical_url, source, title, authors, published_at, language,
                              description, agency, dateline, body, content_hash, word_count,
                              paywalled, prompts_stripped, extractor_version, page_sha256,
                              updated_at, date_source, updated_source, credits, section, tags,
                              top_image_url, top_image_caption, access, access_evidence)
        VALUES %s
        RETURNING id, canonical_url
        """,
        rows,
        template="(%s, %s, %s, %s::text[], %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::text[], %s, %s,"
        " %s, %s, %s, %s, %s, %s::text[], %s, %s, %s, %s::text[])",
        fetch=True,
    )
    ids = {url: article_id for article_id, url in returned}
    return [ids[a.canonical_url] for a in articles]


def _upsert_urls(conn: Connection, rows: list[tuple[str, str, int, str, str]]) -> None:
    """Record every URL seen for an article (url, canonical_url, article_id, source, kind)."""
    if not rows:
        return
    unique = list({r[0]: r for r in rows}.values())
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    execute_values(
        cursor,
        """
        INSERT INTO article_urls (url, canonical_url, article_id, source, kind) VALUES %s
        ON CONFLICT (url) DO UPDATE SET last_seen = now()
        """,
        unique,
    )


def _publication_order(item: Staged) -> tuple[datetime, int]:
    published = item.article.published_at or datetime.max.replace(tzinfo=UTC)
    return (published, item.frontier_id)


def load_batch(conn: Connection, staged: Sequence[Staged]) -> LoadResult:
    """Dedup and write one batch inside the caller's transaction."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": DEDUP_LOCK_KEY})
    # Earliest published first: of identical copies, the original becomes the article row and
    # later republications its aliases, whatever order the fetch tasks finished in.
    staged = sorted(staged, key=_publication_order)
    articles = [s.article for s in staged]
    decisions = dedup.resolve(conn, articles)
    new_positions = [i for i, d in enumerate(decisions) if d.outcome == dedup.NEW]
    new_ids = _insert_articles(conn, [articles[i] for i in new_positions])
    article_ids: dict[int, int] = dict(zip(new_positions, new_ids, strict=True))
    loaded: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    url_rows: list[tuple[str, str, int, str, str]] = []
    touched: list[int] = []
    for index, (item, decision) in enumerate(zip(staged, decisions, strict=True)):
        article = item.article
        if decision.outcome == dedup.NEW:
            article_id = article_ids[index]
            loaded[article.source] += 1
        else:
            if decision.article_id is not None:
                article_id = decision.article_id
            else:
                assert decision.batch_index is not None
                article_id = article_ids[decision.batch_index]
            article_ids[index] = article_id
            duplicates[article.source] += 1
            touched.append(article_id)
        urls = {article.canonical_url, article.url, *item.seen_urls}
        for url in sorted(urls):
            if decision.outcome == dedup.REPUBLICATION:
                kind = "republication"
            elif decision.outcome == dedup.NEW and url == article.canonical_url:
                kind = "canonical"
            else:
                kind = "variant"
            url_rows.append((url, article.canonical_url, article_id, article.source, kind))
        frontier.mark_done(conn, item.frontier_id, article_id)
    _upsert_urls(conn, url_rows)
    if touched:
        conn.execute(
            text("UPDATE articles SET last_seen = now() WHERE id = ANY(:ids)"),
            {"ids": sorted(set(touched))},
        )
    conn.execute(
        text("DELETE FROM staged_articles WHERE frontier_id = ANY(:ids)"),
        {"ids": [s.frontier_id for s in staged]},
    )
    return LoadResult(loaded, duplicates)


BatchHook = Callable[[Connection, Sequence[Staged], LoadResult], None]


def load_run(
    engine: Engine, run_key: str, batch_size: int, on_batch: BatchHook | None = None
) -> LoadResult:
    """Load every staged article of a run, one transaction per batch (on_batch runs inside)."""
    loaded: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    while True:
        with engine.begin() as conn:
            staged = _claim_staged(conn, run_key, batch_size)
            if not staged:
                break
            result = load_batch(conn, staged)
            if on_batch is not None:
                on_batch(conn, staged, result)
        loaded.update(result.loaded)
        duplicates.update(result.duplicates)
    return LoadResult(loaded, duplicates)
