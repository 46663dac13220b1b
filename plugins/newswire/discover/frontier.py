"""The URL frontier in PostgreSQL: enqueue once, claim with SKIP LOCKED, record outcomes."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from newswire.db.engine import execute_values
from newswire.fetch.urls import canonicalize_url
from newswire.models import Item, WarcRecord, Window

log = logging.getLogger(__name__)

# A claim older than this is considered abandoned (its worker died) and may be re-claimed.
CLAIM_LEASE = timedelta(minutes=30)
LEASE_MINUTES = int(CLAIM_LEASE.total_seconds() // 60)  # as logs and run notes say it

# Retry schedule for retryable failures: base * 2**attempts (+ jitter), capped.
RETRY_BASE = timedelta(minutes=2)
RETRY_CAP = timedelta(hours=6)

# After this many attempts a retryable failure is recorded as permanent.
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Claimed:
    """One frontier row handed to a fetch task."""

    id: int
    url: str
    fetch_url: str
    source: str
    published_at: datetime | None
    attempts: int
    record: WarcRecord | None = None  # a WARC record: read from the archive, not fetched


@dataclass(frozen=True)
class EnqueueResult:
    """What enqueueing a source's discovered items did."""

    discovered: int
    enqueued: int  # new or re-queued for this run
    known: int  # already fetched or loaded before: not fetched again
    invalid: int  # URLs that cannot be canonicalised
    aliases: int = 0  # new URL variants recorded for already loaded articles
    taken_over: int = 0  # left claimed or staged by another run past CLAIM_LEASE: fetched again


def enqueue(conn: Connection, items: Sequence[Item], run_key: str, window: Window) -> EnqueueResult:
    """Insert discovered items once per canonical URL; re-queue unfinished ones for this run."""
    rows: dict[str, dict[str, object]] = {}
    invalid = 0
    for item in items:
        try:
            canonical = canonicalize_url(item.url)
        except ValueError:
            invalid += 1
            log.warning("source %s: cannot canonicalise %r", item.source, item.url)
            continue
        row = rows.get(canonical)
        if row is None:
            rows[canonical] = {
                "url": canonical,
                "fetch_url": item.url,
                "seen": [item.url],
                "source": item.source,
                "published_at": item.published_at,
                "title": item.title,
                "warc_url": item.record.warc_url if item.record else None,
                "warc_offset": item.record.offset if item.record else None,
                "warc_length": item.record.length if item.record else None,
            }
        elif item.url not in row["seen"]:  # type: ignore[operator]
            row["seen"].append(item.url)  # type: ignore[attr-defined]
    if not rows:
        return EnqueueResult(len(items), 0, 0, invalid)
    params = [
        {**r, "run_key": run_key, "start": window.start, "end": window.end} for r in rows.values()
    ]
    taken_over = _release_abandoned(conn, list(rows), run_key)
    # xmax = 0 tells a fresh insert from an update; a conflicting row is taken over by this
    # run only while it is unfinished (pending/retry); fetched or loaded URLs are left alone.
    result = _enqueue_rows(conn, params, run_key)
    enqueued = sum(1 for _ins, state, mine in result if mine and state in ("pending", "retry"))
    known = len(result) - enqueued
    aliases = _record_known_variants(conn, list(rows))
    if taken_over:
        log.warning(
            "run %s takes over %d items another run claimed over %d minutes ago and left"
            " unfinished",
            run_key,
            taken_over,
            LEASE_MINUTES,
        )
    return EnqueueResult(len(items), enqueued, known, invalid, aliases, taken_over)


def _release_abandoned(conn: Connection, urls: list[str], run_key: str) -> int:
    """Put back to pending the given URLs another run claimed over CLAIM_LEASE ago and left
    claimed or staged (its task failed for good, its process died): their staged articles are
    dropped, so this run fetches them again and loads them once."""
    # Staged rows first, then frontier rows: the lock order of a load, which takes a run's
    # staged rows FOR UPDATE and then marks their frontier rows done.
    return len(
        conn.execute(
            text(
                """
                WITH dropped AS (
                    DELETE FROM staged_articles s USING frontier f
                    WHERE f.id = s.frontier_id AND f.url = ANY(:urls) AND f.run_key <> :r
                      AND f.state = 'fetched' AND f.claimed_at < now() - :lease
                    RETURNING s.frontier_id
                )
                UPDATE frontier SET state = 'pending', claimed_by = NULL, updated_at = now()
                WHERE url = ANY(:urls) AND run_key <> :r  -- by the URL index, not a scan
                  AND (id IN (SELECT frontier_id FROM dropped)
                       OR (state = 'claimed' AND claimed_at < now() - :lease))
                RETURNING id
                """
            ),
            {"urls": urls, "r": run_key, "lease": CLAIM_LEASE},
        ).all()
    )


def _record_known_variants(conn: Connection, urls: list[str]) -> int:
    """New URL variants of already loaded articles become article_urls rows, unfetched."""
    result = conn.execute(
        text(
            """
            INSERT INTO article_urls (url, canonical_url, article_id, source, kind)
            SELECT seen.url, f.url, f.article_id, f.source,
                   CASE WHEN c.kind = 'republication' THEN 'republication' ELSE 'variant' END
            FROM frontier f
            CROSS JOIN LATERAL unnest(f.seen_urls) AS seen(url)
            LEFT JOIN article_urls c ON c.url = f.url
            WHERE f.url = ANY(:urls) AND f.state = 'done' AND f.article_id IS NOT NULL
            ON CONFLICT (url) DO NOTHING
            """
        ),
        {"urls": urls},
    )
    return max(0, result.rowcount or 0)


# Rows upserted per statement (each row's outcome comes back through RETURNING).
ENQUEUE_PAGE = 1000


def _enqueue_rows(
    conn: Connection, params: list[dict[str, object]], run_key: str
) -> list[tuple[bool, str, bool]]:
    """Upsert frontier rows (unique URLs), ENQUEUE_PAGE per statement; (inserted, state,
    taken by this run) per row."""
    columns = [
        "url",
        "fetch_url",
        "seen",
        "source",
        "published_at",
        "title",
        "run_key",
        "start",
        "end",
        "warc_url",
        "warc_offset",
        "warc_length",
    ]
    rows = execute_values(
        conn,
        """
        INSERT INTO frontier AS f (url, fetch_url, seen_urls, source, published_at, title,
                                   run_key, interval_start, interval_end,
                                   warc_url, warc_offset, warc_length)
        VALUES %s
        ON CONFLICT (url) DO UPDATE SET
            seen_urls = ARRAY(SELECT DISTINCT u FROM unnest(f.seen_urls || EXCLUDED.seen_urls) u
                              ORDER BY u),
            run_key = CASE WHEN f.state IN ('pending', 'retry')
                           THEN EXCLUDED.run_key ELSE f.run_key END,
            interval_start = CASE WHEN f.state IN ('pending', 'retry')
                                  THEN EXCLUDED.interval_start ELSE f.interval_start END,
            interval_end = CASE WHEN f.state IN ('pending', 'retry')
                                THEN EXCLUDED.interval_end ELSE f.interval_end END,
            -- an archived copy of a URL still to fetch is read from the archive instead
            warc_offset = CASE WHEN f.warc_url IS NULL AND f.state IN ('pending', 'retry')
                               THEN EXCLUDED.warc_offset ELSE f.warc_offset END,
            warc_length = CASE WHEN f.warc_url IS NULL AND f.state IN ('pending', 'retry')
                               THEN EXCLUDED.warc_length ELSE f.warc_length END,
            warc_url = CASE WHEN f.warc_url IS NULL AND f.state IN ('pending', 'retry')
                            THEN EXCLUDED.warc_url ELSE f.warc_url END,
            updated_at = now()
        RETURNING (xmax = 0) AS inserted, state, run_key
        """,
        [tuple(p[c] for c in columns) for p in params],
        template="(%s, %s, %s::text[], %s, %s::timestamptz, %s, %s, %s::timestamptz,"
        " %s::timestamptz, %s, %s::bigint, %s::bigint)",
        page_size=ENQUEUE_PAGE,
        fetch=True,
    )
    return [(bool(r[0]), str(r[1]), r[2] == run_key) for r in rows]


# Items a run may claim: its own unfinished ones, abandoned claims, and retries that are due
# for its sources (a retryable failure comes back in a later run of the same source).
_CLAIMABLE = """
    (run_key = :r AND (state = 'pending'
                       OR (state = 'retry' AND next_attempt_at <= now())
                       OR (state = 'claimed' AND claimed_at < now() - :lease)))
    OR (state = 'retry' AND next_attempt_at <= now() AND source = ANY(:sources))
"""


@dataclass(frozen=True)
class LeftOver:
    """A source's items a run still holds after its tasks ended (a task failed for good)."""

    unfetched: int  # pending or claimed
    unloaded: int  # fetched and staged, not loaded


def left_over(conn: Connection, run_key: str) -> dict[str, LeftOver]:
    """The run's unfinished items by source; sources with none are absent."""
    rows = conn.execute(
        text(
            """
            SELECT source,
                   count(*) FILTER (WHERE state IN ('pending', 'claimed')) AS unfetched,
                   count(*) FILTER (WHERE state = 'fetched') AS unloaded
            FROM frontier WHERE run_key = :r AND state IN ('pending', 'claimed', 'fetched')
            GROUP BY source
            """
        ),
        {"r": run_key},
    )
    return {r.source: LeftOver(int(r.unfetched), int(r.unloaded)) for r in rows}


def pending_count(conn: Connection, run_key: str, sources: Sequence[str]) -> int:
    """Items this run still has to fetch."""
    return int(
        conn.execute(
            text(f"SELECT count(*) FROM frontier WHERE {_CLAIMABLE}"),
            {"r": run_key, "sources": list(sources), "lease": CLAIM_LEASE},
        ).scalar_one()
    )


def claim_token(run_key: str, batch_no: int) -> str:
    """The claim token of the run's fetch task for batch batch_no ("run_key#3")."""
    return f"{token_prefix(run_key)}{batch_no}"


def token_prefix(run_key: str) -> str:
    """The start of every claim token of the run's fetch tasks."""
    return f"{run_key}#"


def claimers(conn: Connection, run_key: str) -> int:
    """How many of the run's fetch tasks (claim_token) have claimed its items."""
    return int(
        conn.execute(
            text(
                "SELECT count(DISTINCT claimed_by) FROM frontier"
                " WHERE run_key = :r AND starts_with(claimed_by, :prefix)"
            ),
            {"r": run_key, "prefix": token_prefix(run_key)},
        ).scalar_one()
    )


def claim(
    conn: Connection, run_key: str, sources: Sequence[str], token: str, limit: int
) -> list[Claimed]:
    """Claim up to limit items of this run; a retried task gets back its own unfinished claim."""
    own = conn.execute(
        text(
            f"SELECT {_CLAIMED_COLUMNS} FROM frontier"
            " WHERE claimed_by = :t AND state = 'claimed' ORDER BY id"
        ),
        {"t": token},
    ).all()
    if own:
        log.info("claim %s: resuming %d items claimed by an earlier attempt", token, len(own))
        return [_claimed(row) for row in own]
    rows = conn.execute(
        text(
            f"""
            UPDATE frontier SET state = 'claimed', claimed_by = :t, claimed_at = now(),
                                attempts = attempts + 1, updated_at = now()
            WHERE id IN (
                SELECT id FROM frontier
                WHERE {_CLAIMABLE}
                ORDER BY id
                LIMIT :n
                FOR UPDATE SKIP LOCKED
            )
            RETURNING {_CLAIMED_COLUMNS}
            """
        ),
        {"t": token, "r": run_key, "n": limit, "lease": CLAIM_LEASE, "sources": list(sources)},
    ).all()
    return sorted((_claimed(row) for row in rows), key=lambda c: c.id)


# Columns read back into a Claimed.
_CLAIMED_COLUMNS = (
    "id, url, fetch_url, source, published_at, attempts, warc_url, warc_offset, warc_length"
)


def _claimed(row: Any) -> Claimed:
    """A Claimed from a row of _CLAIMED_COLUMNS."""
    record = None
    if row.warc_url is not None:
        record = WarcRecord(row.warc_url, int(row.warc_offset), int(row.warc_length))
    return Claimed(
        row.id, row.url, row.fetch_url, row.source, row.published_at, row.attempts, record
    )


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential backoff with jitter, at least Retry-After when the server gave one."""
    delay = min(RETRY_CAP, RETRY_BASE * (2 ** max(0, attempts - 1)))
    delay = delay * (0.5 + random.random())
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return min(delay, RETRY_CAP)


def mark_fetched(conn: Connection, ids: Sequence[int]) -> None:
    """Items whose article is staged for loading."""
    if ids:
        conn.execute(
            text(
                "UPDATE frontier SET state = 'fetched', last_error = NULL, last_reason = NULL,"
                " updated_at = now() WHERE id = ANY(:ids)"
            ),
            {"ids": list(ids)},
        )


def mark_failed(
    conn: Connection,
    item: Claimed,
    reason: str,
    message: str,
    *,
    retryable: bool,
    retry_after: float | None = None,
) -> str:
    """Record a failure: 'retry' with a next attempt time, or 'failed' for good."""
    state = "retry" if retryable and item.attempts < MAX_ATTEMPTS else "failed"
    conn.execute(
        text(
            "UPDATE frontier SET state = :s, last_reason = :reason, last_error = :msg,"
            " next_attempt_at = now() + :delay, updated_at = now() WHERE id = :id"
        ),
        {
            "s": state,
            "reason": reason,
            "msg": message[:2000],
            "delay": retry_delay(item.attempts, retry_after),
            "id": item.id,
        },
    )
    return state


def mark_done_many(conn: Connection, done: Sequence[tuple[int, int]]) -> None:
    """Items loaded: link each (frontier id, article id) to its article, in one statement."""
    if not done:
        return
    conn.execute(
        text(
            "UPDATE frontier f SET state = 'done', article_id = d.article_id, updated_at = now()"
            " FROM unnest(CAST(:ids AS bigint[]), CAST(:articles AS bigint[]))"
            " AS d(id, article_id) WHERE f.id = d.id"
        ),
        {"ids": [d[0] for d in done], "articles": [d[1] for d in done]},
    )
