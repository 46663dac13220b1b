"""Load: staged articles → articles / article_urls, one transaction per batch."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, text

from newswire import cputime
from newswire.db.engine import execute_values
from newswire.dedup import decide, stories
from newswire.dedup.batch import rewrite_batch, store_batch
from newswire.dedup.decide import Stored
from newswire.dedup.signatures import Prepared
from newswire.discover import frontier
from newswire.fetch.urls import canonicalize_url
from newswire.models import Article, article_from_payload

log = logging.getLogger(__name__)

# Advisory lock key: dedup decisions of concurrent loaders are serialised, so two workers
# loading copies of one story at the same moment cannot both insert it.
DEDUP_LOCK_KEY = 7_343_001

# Articles batch dedup decides and writes together: a few statements per chunk, and the memory
# it holds (fingerprints, candidate bodies) follows this, not the load batch or the window.
DECIDE_CHUNK = 100


@dataclass(frozen=True)
class Staged:
    """One staged article with the frontier row it came from."""

    frontier_id: int
    seen_urls: tuple[str, ...]
    article: Article
    prepared: Prepared | None = None  # its fingerprint made by the fetch task


@dataclass(frozen=True)
class LoadResult:
    """Counts of one load call, per source."""

    loaded: Counter[str]  # new article rows (near-duplicates included)
    duplicates: Counter[str]  # aliases: exact copies recorded as article_urls rows
    near_duplicates: Counter[str] = field(default_factory=Counter)  # loaded into a known story
    versions: Counter[str] = field(default_factory=Counter)  # known URLs with changed text
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage (dedup, load)


def _claim_staged(conn: Connection, run_key: str, limit: int) -> list[Staged]:
    rows = conn.execute(
        text(
            """
            SELECT s.frontier_id, f.seen_urls, s.payload, s.fingerprint
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
        Staged(
            r.frontier_id,
            tuple(r.seen_urls),
            article_from_payload(r.payload),
            Prepared.from_json(r.fingerprint),
        )
        for r in rows
    ]


# The run's first load batch is final when no frontier item the run may still stage comes
# before its last article: items to fetch, items claimed by the run's tasks, retries due now.
# Yields the batch's size, its last frontier id and the first such unfinished item (or NULL).
_NEXT_BATCH = text(
    """
    WITH head AS (SELECT frontier_id FROM staged_articles WHERE run_key = :r
                  ORDER BY frontier_id LIMIT :n)
    SELECT (SELECT count(*) FROM head) AS size, (SELECT max(frontier_id) FROM head) AS last,
           (SELECT min(id) FROM frontier
            WHERE (run_key = :r AND (state IN ('pending', 'claimed')
                                     OR (state = 'retry' AND next_attempt_at <= now())))
               OR (state = 'claimed' AND claimed_by LIKE :tokens)) AS unfinished
    """
)


def _next_batch_final(conn: Connection, run_key: str, batch_size: int) -> bool:
    """True when the run's next load batch can no longer change (see _NEXT_BATCH)."""
    prefix = frontier.token_prefix(run_key)
    tokens = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    row = conn.execute(_NEXT_BATCH, {"r": run_key, "n": batch_size, "tokens": tokens}).one()
    if row.size == 0:
        return False
    if row.unfinished is None:
        return True  # every item is settled: the last, partial batch is final too
    return bool(row.size == batch_size and row.last < row.unfinished)


def store_articles(
    conn: Connection,
    articles: Sequence[Article],
    prepared: Sequence[Prepared | None] | None = None,
) -> list[Stored]:
    """The one way an article is stored: fetched, imported or (through rewrite_articles)
    re-extracted. Dedup and write articles in order under the dedup lock, in the caller's
    transaction, then refresh every story they joined or changed.

    Chunks of DECIDE_CHUNK articles go through batch dedup (a few statements per chunk).
    prepared: fingerprints made ahead (decide.prepare), one per article, None where there is none.
    """
    _lock(conn)
    results: list[Stored] = []
    for start in range(0, len(articles), DECIDE_CHUNK):
        chunk = articles[start : start + DECIDE_CHUNK]
        ahead = prepared[start : start + DECIDE_CHUNK] if prepared else None
        results.extend(store_batch(conn, chunk, ahead))
    _refresh(conn, results)
    return results


def rewrite_articles(conn: Connection, rewrites: Sequence[tuple[int, Article]]) -> list[Stored]:
    """Store re-extracted output over stored articles (id, article) as store_articles stores:
    under the dedup lock, new texts indexed, their stories refreshed."""
    _lock(conn)
    results = rewrite_batch(conn, rewrites)
    _refresh(conn, results)
    return results


def _lock(conn: Connection) -> None:
    """Take the dedup lock for the caller's transaction."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": DEDUP_LOCK_KEY})


def _refresh(conn: Connection, results: Sequence[Stored]) -> None:
    """Summarise each story an article joined or changed once, after the whole batch (dedup
    reads articles, never the stories rows, so the outcome is as with a refresh per article)."""
    unchanged = (decide.ALIAS, decide.CONFLICT)
    stories.refresh_many(conn, sorted({r.story_id for r in results if r.outcome not in unchanged}))


def _upsert_urls(conn: Connection, rows: list[tuple[str, str, int, str, str]]) -> None:
    """Record every URL seen for an article (url, canonical_url, article_id, source, kind)."""
    if not rows:
        return
    unique: dict[str, tuple[str, str, int, str, str]] = {}
    for row in rows:  # the first (earliest published) owner of a URL keeps its row
        unique.setdefault(row[0], row)
    execute_values(
        conn,
        """
        INSERT INTO article_urls (url, canonical_url, article_id, source, kind) VALUES %s
        ON CONFLICT (url) DO UPDATE SET last_seen = now()
        """,
        list(unique.values()),
    )


def _publication_order(item: Staged) -> tuple[datetime, int]:
    published = item.article.published_at or datetime.max.replace(tzinfo=UTC)
    return (published, item.frontier_id)


def record_urls(conn: Connection, rows: list[tuple[str, str, int, str, str]]) -> None:
    """Record URL rows from alias_rows() (for loaders outside the frontier, e.g. import)."""
    _upsert_urls(conn, rows)


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonicalize_url(url)
    except ValueError:
        return None


def alias_rows(
    article: Article, result: Stored, seen_urls: Sequence[str] = ()
) -> list[tuple[str, str, int, str, str]]:
    """article_urls rows (url, canonical_url, article_id, source, kind) for a stored article."""
    rows = []
    for url in sorted({article.canonical_url, article.url, *seen_urls}):
        if result.alias_kind == decide.REPUBLICATION:
            kind = "republication"
        elif result.outcome in (decide.NEW, decide.NEAR) and url == article.canonical_url:
            kind = "canonical"
        elif result.outcome == decide.ALIAS and _canonical_or_none(url) != article.canonical_url:
            # Another page (another outlet) that declares the article's URL canonical.
            kind = "republication"
        else:
            kind = "variant"
        rows.append((url, article.canonical_url, result.article_id, article.source, kind))
    return rows


def load_batch(conn: Connection, staged: Sequence[Staged]) -> LoadResult:
    """Dedup and write one batch inside the caller's transaction."""
    # Earliest published first: of identical copies, the original becomes the article row and
    # later republications its aliases, whatever order the fetch tasks finished in.
    staged = sorted(staged, key=_publication_order)
    results = store_articles(conn, [s.article for s in staged], [s.prepared for s in staged])
    loaded: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    near: Counter[str] = Counter()
    versions: Counter[str] = Counter()
    url_rows: list[tuple[str, str, int, str, str]] = []
    touched: list[int] = []
    for item, result in zip(staged, results, strict=True):
        article = item.article
        if result.outcome == decide.ALIAS:
            duplicates[article.source] += 1
            touched.append(result.article_id)
        elif result.outcome == decide.VERSION:
            versions[article.source] += 1
        else:
            loaded[article.source] += 1
            if result.outcome == decide.NEAR:
                near[article.source] += 1
        url_rows.extend(alias_rows(article, result, item.seen_urls))
    done = [(s.frontier_id, r.article_id) for s, r in zip(staged, results, strict=True)]
    frontier.mark_done_many(conn, done)
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
    return LoadResult(loaded, duplicates, near, versions)


BatchHook = Callable[[Connection, Sequence[Staged], LoadResult], None]


def _load_one(
    engine: Engine, run_key: str, batch_size: int, on_batch: BatchHook | None, *, ahead: bool
) -> LoadResult | None:
    """Load the run's next batch in one transaction; None when there is none to load.

    ahead: only a final batch (_next_batch_final), and only if no other loader holds the
    dedup lock (a fetch task must not wait for one).
    """
    clock = cputime.StageClock()
    with engine.begin() as conn:
        with clock.active(), cputime.stage("load"):
            if ahead:
                locked = conn.execute(
                    text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": DEDUP_LOCK_KEY}
                ).scalar_one()
                if not locked or not _next_batch_final(conn, run_key, batch_size):
                    return None
            staged = _claim_staged(conn, run_key, batch_size)
            if not staged:
                return None
            result = load_batch(conn, staged)
        result = replace(result, cpu=dict(clock.seconds))
        if on_batch is not None:
            on_batch(conn, staged, result)
    return result


def load_run(
    engine: Engine, run_key: str, batch_size: int, on_batch: BatchHook | None = None
) -> LoadResult:
    """Load every staged article of a run, one transaction per batch (on_batch runs inside)."""
    return _load_batches(engine, run_key, batch_size, on_batch, ahead=False)


def load_ready(
    engine: Engine, run_key: str, batch_size: int, on_batch: BatchHook | None = None
) -> LoadResult:
    """Load the run's batches that fetches still running cannot change, unless another loader
    holds the dedup lock.

    Batches are the run's staged articles in frontier order, batch_size at a time, as load_run
    takes them; a batch is final once no unfinished item of the run comes before its last
    article. Loading those while later batches are still fetched gives the same database as
    loading everything at the end, and overlaps the serial load with the parallel fetch.
    """
    return _load_batches(engine, run_key, batch_size, on_batch, ahead=True)


def _load_batches(
    engine: Engine, run_key: str, batch_size: int, on_batch: BatchHook | None, *, ahead: bool
) -> LoadResult:
    """Load batches until none is left (ahead: none is final or the lock is taken)."""
    loaded: Counter[str] = Counter()
    duplicates: Counter[str] = Counter()
    near: Counter[str] = Counter()
    versions: Counter[str] = Counter()
    cpu: dict[str, float] = {}
    while (result := _load_one(engine, run_key, batch_size, on_batch, ahead=ahead)) is not None:
        loaded.update(result.loaded)
        duplicates.update(result.duplicates)
        near.update(result.near_duplicates)
        versions.update(result.versions)
        cputime.add(cpu, result.cpu)
    return LoadResult(loaded, duplicates, near, versions, cpu)
