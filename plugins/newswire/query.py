"""Read-side queries used by the CLI: stats, search, run summaries, headlines."""

from __future__ import annotations

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


def search(engine: Engine, query_text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Ranked full-text search (websearch syntax) over titles (weight A) and bodies (B)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                """
                SELECT a.id, a.published_at, a.source, a.title, a.canonical_url,
                       ts_rank(a.search_vector, q) AS rank
                FROM articles a, websearch_to_tsquery('english', :q) AS q
                WHERE a.search_vector @@ q
                ORDER BY rank DESC, a.published_at DESC NULLS LAST
                LIMIT :n
                """
            ),
            {"q": query_text, "n": limit},
        ).all()
    return [dict(r._mapping) for r in rows]
