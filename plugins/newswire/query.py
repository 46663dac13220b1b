"""Read-side queries used by the CLI: stats, search, stories, source reports, headlines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, text


def stats(engine: Engine) -> dict[str, Any]:
    """Counts of articles, alias URLs, sources and runs, and the last run's per-source rows."""
    with engine.connect() as conn:
        counts = conn.execute(
            text(
                """
                SELECT (SELECT count(*) FROM articles) AS articles,
                       (SELECT count(*) FROM article_urls WHERE kind <> 'canonical') AS aliases,
                       (SELECT count(DISTINCT source) FROM articles) AS sources,
                       (SELECT count(DISTINCT run_key) FROM ingest_runs) AS runs,
                       (SELECT count(*) FROM frontier WHERE state IN ('pending', 'retry'))
                           AS frontier_pending,
                       (SELECT count(*) FROM frontier WHERE state = 'failed') AS frontier_failed
                """
            )
        ).one()
        last = conn.execute(
            text("SELECT run_key FROM ingest_runs ORDER BY finished_at DESC, id DESC LIMIT 1")
        ).scalar()
        data: dict[str, Any] = dict(counts._mapping)
        data["last_run"] = None
        if last is not None:
            data["last_run"] = {"run_key": last, "sources": _run_rows(conn, last)}
    return data


def _run_rows(conn: Any, run_key: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(
            """
            SELECT source, status, interval_start, interval_end, discovered, enqueued, fetched,
                   failed, extracted, rejected, duplicates, loaded, prompts_stripped,
                   error_summary, note
            FROM ingest_runs WHERE run_key = :r ORDER BY source
            """
        ),
        {"r": run_key},
    ).all()
    return [dict(r._mapping) for r in rows]


def run_summary(engine: Engine, run_key: str) -> list[dict[str, Any]]:
    """The ingest_runs rows of one run."""
    with engine.connect() as conn:
        return _run_rows(conn, run_key)


def latest_headlines(engine: Engine, limit: int = 10) -> list[dict[str, Any]]:
    """Most recently published articles with how many URLs led to each."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT a.id, a.published_at, a.source, a.title,
                       (SELECT count(*) FROM article_urls u WHERE u.article_id = a.id) AS urls
                FROM articles a
                ORDER BY a.published_at DESC NULLS LAST, a.id DESC
                LIMIT :n
                """
            ),
            {"n": limit},
        ).all()
    return [dict(r._mapping) for r in rows]


# Columns of search_articles() as the CLI and --json show them (article_source → source).
_SEARCH_SQL = """
    SELECT article_id AS id, story_id, title, article_source AS source, agency,
           article_language AS language, published_at, canonical_url, rank, story_matches,
           snippet
    FROM search_articles(:q, :since, :until, :source, :language, :per_story, :lim)
"""


def search(
    engine: Engine,
    query_text: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    language: str | None = None,
    per_story: bool = True,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """search_articles() in SQL: ranked matches with <b>-highlighted snippets, one per story."""
    params = {
        "q": query_text,
        "since": since,
        "until": until,
        "source": source,
        "language": language,
        "per_story": per_story,
        "lim": limit,
    }
    with engine.connect() as conn:
        rows = conn.execute(text(_SEARCH_SQL), params).all()
    return [dict(r._mapping) for r in rows]


def story(engine: Engine, story_id: int) -> dict[str, Any] | None:
    """One story: its latest_stories row, articles, every URL and captured versions."""
    with engine.connect() as conn:
        head = conn.execute(
            text("SELECT * FROM latest_stories WHERE story_id = :s"), {"s": story_id}
        ).one_or_none()
        if head is None:
            return None
        articles = conn.execute(
            text(
                "SELECT * FROM story_articles WHERE story_id = :s"
                " ORDER BY published_at NULLS LAST, article_id"
            ),
            {"s": story_id},
        ).all()
        urls = conn.execute(
            text(
                """
                SELECT u.article_id, u.source, u.kind, u.url, u.first_seen
                FROM article_urls u JOIN articles a ON a.id = u.article_id
                WHERE a.story_id = :s
                ORDER BY u.article_id, u.kind, u.url
                """
            ),
            {"s": story_id},
        ).all()
        versions = conn.execute(
            text(
                """
                SELECT v.id, v.article_id, v.title, v.content_hash, v.captured_at,
                       length(v.body) AS body_chars
                FROM article_versions v JOIN articles a ON a.id = v.article_id
                WHERE a.story_id = :s
                ORDER BY v.captured_at, v.id
                """
            ),
            {"s": story_id},
        ).all()
    data = dict(head._mapping)
    data["articles"] = [dict(r._mapping) for r in articles]
    data["urls"] = [dict(r._mapping) for r in urls]
    data["versions"] = [dict(r._mapping) for r in versions]
    return data


def source_report(engine: Engine, since: date | None = None) -> list[dict[str, Any]]:
    """Per source totals from source_health (all days, or days >= since)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT source, min(day) AS first_day, max(day) AS last_day,
                       sum(runs)::integer AS runs, sum(discovered)::integer AS discovered,
                       sum(fetched)::integer AS fetched, sum(failed)::integer AS failed,
                       newswire_jsonb_sum(failed_by_reason) AS failed_by_reason,
                       sum(extracted)::integer AS extracted,
                       sum(rejected)::integer AS rejected,
                       sum(duplicates)::integer AS duplicates,
                       sum(loaded)::integer AS loaded, sum(articles)::integer AS articles,
                       round(sum(paywalled)::numeric / nullif(sum(articles), 0), 3)
                           AS paywalled_share,
                       round(sum(title_fill * articles) / nullif(sum(articles), 0), 3)
                           AS title_fill,
                       round(sum(authors_fill * articles) / nullif(sum(articles), 0), 3)
                           AS authors_fill,
                       round(sum(date_fill * articles) / nullif(sum(articles), 0), 3)
                           AS date_fill
                FROM source_health
                WHERE CAST(:since AS date) IS NULL OR day >= CAST(:since AS date)
                GROUP BY source ORDER BY source
                """
            ),
            {"since": since},
        ).all()
    return [dict(r._mapping) for r in rows]
