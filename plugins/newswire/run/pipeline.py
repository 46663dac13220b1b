"""The functions DAG tasks and the CLI both call: discover, plan, fetch batches, store."""

from __future__ import annotations

import logging
import time
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from newswire import cputime
from newswire.db.engine import execute_values
from newswire.db.migrate import checked_engine
from newswire.dedup import decide
from newswire.discover import frontier
from newswire.errors import (
    ExtractionRejected,
    PermanentError,
    RetryableError,
)
from newswire.load import store
from newswire.models import Item, Page, Window, article_to_payload
from newswire.run import report, windows
from newswire.run.report import Counts
from newswire.run.stats import batch_key, discover_key, load_recorder, record_stats
from newswire.settings import Settings
from newswire.settings.sources import enabled_sources, load_sources, source_by_name

if TYPE_CHECKING:
    from newswire.fetch.http import Fetcher
    from newswire.models import SourceConfig

log = logging.getLogger(__name__)

# A live-only source (a feed listing only recent items) cannot serve windows that ended
# longer ago than this; such windows are skipped and ingest_runs says so.
LIVE_HORIZON = timedelta(hours=48)
SKIPPED_LIVE_ONLY = "live-only source: past window not served"

# Discovery counters kept in run_task_stats besides the errors (newswire.discover.DiscoverContext).
_DISCOVER_COUNTS = frozenset(
    {"not_modified", "warc_files", "warc_listed", "warc_skipped", "gdelt_files", "gdelt_missing"}
)


def list_sources(settings: Settings | None = None) -> list[str]:
    """Names of the enabled sources (validates the sources file)."""
    settings = settings or Settings.from_env()
    return [s.name for s in enabled_sources(settings)]


def discover_source(
    source_name: str,
    window: Window,
    run_key: str,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    now: datetime | None = None,
) -> Counts:
    """List a source's items inside the window and enqueue them in the frontier."""
    from newswire.discover import DiscoverContext, discoverer
    from newswire.fetch.http import Fetcher, FetchSettings
    from newswire.fetch.politeness import PgHostPolicy

    settings = settings or Settings.from_env()
    source = source_by_name(settings, source_name)
    started = time.monotonic()
    now = now or datetime.now(UTC)
    eng = checked_engine(engine, settings)
    if source.live_only and window.end < now - LIVE_HORIZON:
        log.info("discover %s %s: skipped (live-only source, past window)", source.name, window)
        skipped: Counts = {"source": source.name, "skipped": SKIPPED_LIVE_ONLY}
        with eng.begin() as conn:
            record_stats(conn, run_key, discover_key(), source.name, skipped)
        return skipped
    items: list[Item] = []
    ctx = DiscoverContext(engine=eng)
    clock = cputime.StageClock()
    with (
        Fetcher(FetchSettings.from_env(), policy=PgHostPolicy(eng)) as fetcher,
        clock.active(),
        cputime.stage("discover"),
    ):
        try:
            for item in discoverer(source.kind)(source, window, fetcher, ctx):
                items.append(item)
        except (PermanentError, RetryableError) as exc:  # a listing failed as a whole
            ctx.record(source, source.name, exc)
    if ctx.retryable and not items:
        raise ctx.retryable[0]  # nothing listed at all: let Airflow retry the task
    errors = ctx.errors
    with eng.begin() as conn:
        result = frontier.enqueue(conn, items, run_key, window)
        counts: Counts = {
            "source": source.name,
            "discovered": result.discovered,
            "enqueued": result.enqueued,
            "known": result.known,
            "taken_over": result.taken_over,
            "duplicates": result.aliases,
            "errors": dict(errors),
            **{k: v for k, v in ctx.counts.items() if k in _DISCOVER_COUNTS},
            "seconds": round(time.monotonic() - started, 3),
        }
        resources = {"cpu": cputime.rounded(clock.seconds), "max_rss_mib": cputime.max_rss_mib()}
        record_stats(conn, run_key, discover_key(), source.name, {**counts, **resources})
    log.info(
        "discover %s %s: discovered=%d enqueued=%d known=%d errors=%d",
        source.name,
        window,
        result.discovered,
        result.enqueued,
        result.known,
        sum(errors.values()),
    )
    return counts


def plan_batches(
    run_key: str,
    sources: Sequence[str],
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> list[int]:
    """Batch numbers for the mapped fetch tasks (at least one, so the graph stays simple)."""
    settings = settings or Settings.from_env()
    with checked_engine(engine, settings).connect() as conn:
        pending = frontier.pending_count(conn, run_key, sources)
    batches = max(1, -(-pending // settings.batch_size))
    log.info("plan %s: %d items to fetch in %d batches", run_key, pending, batches)
    return list(range(batches))


def store_page(conn: Connection, page: Page) -> None:
    """Archive a fetched page: compressed body by sha256, plus this fetch's metadata."""
    store_pages(conn, [page])


def store_pages(conn: Connection, pages: Sequence[Page]) -> None:
    """Archive a batch of fetched pages (bodies by sha256, fetch metadata), in two statements."""
    if not pages:
        return
    execute_values(
        conn,
        "INSERT INTO raw_pages (sha256, content_type, encoding, size_bytes, body_zlib)"
        " VALUES %s ON CONFLICT (sha256) DO NOTHING",
        [
            (p.sha256, p.content_type, p.encoding, len(p.body), zlib.compress(p.body, 6))
            for p in pages
        ],
    )
    execute_values(
        conn,
        "INSERT INTO page_fetches (sha256, url, final_url, status, fetched_at, elapsed_ms)"
        " VALUES %s",
        [(p.sha256, p.url, p.final_url, p.status, p.fetched_at, p.elapsed_ms) for p in pages],
    )


def _stage_articles(conn: Connection, staged: Sequence[dict[str, Any]]) -> None:
    """Stage extracted articles for the load task (a retried batch replaces its rows)."""
    if not staged:
        return
    execute_values(
        conn,
        "INSERT INTO staged_articles (frontier_id, run_key, source, payload, fingerprint)"
        " VALUES %s ON CONFLICT (frontier_id) DO UPDATE SET payload = EXCLUDED.payload,"
        " run_key = EXCLUDED.run_key, fingerprint = EXCLUDED.fingerprint",
        [
            (s["fid"], s["run_key"], s["source"], _json(s["payload"]), _json(s["fingerprint"]))
            for s in staged
        ],
        template="(%s, %s, %s, CAST(%s AS jsonb), CAST(%s AS jsonb))",
    )


# Items a fetch task claims, fetches, stages and commits together: a chunk's articles can be
# loaded (by any task) while the rest of the batch is fetched, and a task holds one chunk's
# claims, pages and articles, not its batch's.
STAGE_CHUNK = 250


def process_batch(
    run_key: str,
    batch_no: int,
    sources: Sequence[str],
    *,
    batches: int | None = None,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> Counts:
    """Fetch, extract, clean and stage a batch of the run's items (per attempt), a chunk at a
    time.

    Each chunk is claimed from the front of the frontier when the last one is done, and
    commits its staged articles, failures and counts together (a retry resumes the items left
    claimed); then the task loads the load batches that became final (store.load_ready).
    Given the run's number of fetch tasks (batches), a task that has claimed its batch goes on
    claiming once every one of them has claimed: no task is left to start and take the rest.
    """
    from newswire.fetch.http import Fetcher, FetchSettings
    from newswire.fetch.politeness import PgHostPolicy

    settings = settings or Settings.from_env()
    eng = checked_engine(engine, settings)
    started = time.monotonic()
    token = frontier.claim_token(run_key, batch_no)
    by_name = {s.name: s for s in load_sources(settings.sources_file)}
    totals: dict[str, Counter[str]] = {}
    claimed = ahead = 0
    with Fetcher(FetchSettings.from_env(), policy=PgHostPolicy(eng)) as fetcher:
        # Claimed a chunk at a time, the run's running tasks work side by side on its lowest
        # items: every load batch below them is final, and a task that loads holds no claim.
        while True:
            room = min(STAGE_CHUNK, settings.batch_size - claimed)
            with eng.begin() as conn:
                if room <= 0:
                    # Past its batch only when all the run's fetch tasks have started: the
                    # tasks then share the rest, so the run does not wait on one that loaded
                    # ahead or started late while the others sit idle.
                    if batches is None or frontier.claimers(conn, run_key) < batches:
                        break
                    room = STAGE_CHUNK
                chunk = frontier.claim(conn, run_key, sources, token, room)
            if not chunk:
                break
            claimed += len(chunk)
            done = _process_chunk(eng, run_key, batch_no, chunk, by_name, fetcher)
            for name, counts in done.items():
                totals.setdefault(name, Counter()).update(counts)
            if settings.load_ahead:
                # Load batches made final while other fetch tasks still run (the serial dedup
                # overlaps the parallel fetch); the load task takes what is left.
                loaded = store.load_ready(
                    eng, run_key, settings.load_batch_size, load_recorder(run_key)
                )
                ahead += sum(loaded.loaded.values()) + sum(loaded.duplicates.values())
    seconds = round(time.monotonic() - started, 3)
    log.info(
        "batch %s: claimed=%d staged=%d failed=%d loaded_ahead=%d in %.1fs",
        token,
        claimed,
        sum(c["extracted"] for c in totals.values()),
        sum(c["failed"] + c["rejected"] for c in totals.values()),
        ahead,
        seconds,
    )
    per_source = {name: _counts_json(c) for name, c in totals.items()}
    return {"batch": batch_no, "sources": per_source, "seconds": seconds, "loaded_ahead": ahead}


def _counts_json(counts: Counter[str]) -> dict[str, Any]:
    """A source's batch counts as reported: plain counts, errors by reason under "errors"."""
    plain = {k: v for k, v in counts.items() if not k.startswith("error:")}
    errors = {k.removeprefix("error:"): v for k, v in counts.items() if k.startswith("error:")}
    return {**plain, "errors": errors}


def _process_chunk(
    eng: Engine,
    run_key: str,
    batch_no: int,
    chunk: Sequence[frontier.Claimed],
    by_name: Mapping[str, SourceConfig],
    fetcher: Fetcher,
) -> dict[str, Counter[str]]:
    """Fetch and extract a chunk of claimed items, stage it in one transaction; its counts."""
    from newswire.discover import warc
    from newswire.extract import extract_article

    started = time.monotonic()
    stats: dict[str, Counter[str]] = {}
    pages: list[Page] = []
    staged: list[dict[str, Any]] = []
    failures: list[tuple[frontier.Claimed, Exception]] = []
    clock = cputime.StageClock()
    with clock.active():
        for item in chunk:
            counter = stats.setdefault(item.source, Counter())
            source = by_name.get(item.source)
            try:
                if source is None:
                    raise PermanentError("unknown_source", f"{item.source} is not configured")
                with cputime.stage("fetch"):
                    if item.record is not None:  # archived response: read it, never refetch
                        page = warc.read_record(item.record, source, fetcher.settings)
                        counter["from_warc"] += 1
                    else:
                        page = fetcher.fetch(item.fetch_url, source, kind="page")
                counter["fetched"] += 1
                pages.append(page)
                with cputime.stage("extract"):
                    article = extract_article(page, source)
            except ExtractionRejected as exc:
                counter["rejected"] += 1
                failures.append((item, exc))
                continue
            except (PermanentError, RetryableError) as exc:
                counter["failed"] += 1
                failures.append((item, exc))
                continue
            except SQLAlchemyError:
                raise  # the database itself failed: fail the task, the claims come back
            except Exception as exc:
                # A bug or an unexpected library error in one item must not lose the batch:
                # the item is recorded as failed for good, named by the exception type.
                log.exception("fetch %s: unexpected %s", item.fetch_url, type(exc).__name__)
                counter["failed"] += 1
                failures.append((item, exc))
                continue
            counter["extracted"] += 1
            counter["prompts_stripped"] += len(article.prompts_stripped)
            staged.append(
                {
                    "fid": item.id,
                    "run_key": run_key,
                    "source": item.source,
                    "payload": article_to_payload(article),
                    "article": article,
                }
            )
    with eng.begin() as conn, clock.active():
        with cputime.stage("dedup"):  # fingerprints, here in parallel rather than in the load
            for start in range(0, len(staged), store.DECIDE_CHUNK):  # a chunk's texts at a time
                part = staged[start : start + store.DECIDE_CHUNK]
                prepared = decide.prepare(conn, [entry.pop("article") for entry in part])
                for entry, ready in zip(part, prepared, strict=True):
                    entry["fingerprint"] = ready.to_json()
        with cputime.stage("fetch"):  # archiving the fetched pages
            store_pages(conn, pages)
        with cputime.stage("extract"):  # staging the extracted articles
            _stage_articles(conn, staged)
        frontier.mark_fetched(conn, [s["fid"] for s in staged])
        for item, error in failures:
            if isinstance(error, RetryableError | PermanentError):
                reason = error.reason
            else:
                reason = type(error).__name__
            state = frontier.mark_failed(
                conn,
                item,
                reason,
                str(error),
                retryable=isinstance(error, RetryableError),
                retry_after=getattr(error, "retry_after", None),
            )
            stats.setdefault(item.source, Counter())[f"error:{reason}"] += 1
            log.warning("fetch %s: %s (%s)", item.fetch_url, error, state)
        seconds = round(time.monotonic() - started, 3)
        cpu = cputime.apportion(
            clock.seconds, {n: c["fetched"] + c["failed"] for n, c in stats.items()}
        )
        task_key = batch_key(batch_no, chunk[0].id, chunk[0].attempts)
        for name, counts in stats.items():
            resources = {"cpu": cputime.rounded(cpu[name]), "max_rss_mib": cputime.max_rss_mib()}
            record_stats(
                conn,
                run_key,
                task_key,
                name,
                {**_counts_json(counts), **resources, "seconds": seconds},
            )
    return stats


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def load_run(
    run_key: str, *, settings: Settings | None = None, engine: Engine | None = None
) -> Counts:
    """Dedup and load every staged article of the run."""
    settings = settings or Settings.from_env()
    started = time.monotonic()
    result = store.load_run(
        checked_engine(engine, settings),
        run_key,
        settings.load_batch_size,
        on_batch=load_recorder(run_key),
    )
    seconds = round(time.monotonic() - started, 3)
    names = sorted(set(result.loaded) | set(result.duplicates))
    log.info(
        "load %s: %d articles and %d duplicates were left after the fetch tasks loaded theirs"
        " (the run report has the totals), in %.1fs",
        run_key,
        sum(result.loaded.values()),
        sum(result.duplicates.values()),
        seconds,
    )
    return {
        "sources": {
            n: {"loaded": result.loaded[n], "duplicates": result.duplicates[n]} for n in names
        },
        "seconds": seconds,
    }


def run_once(
    window: Window,
    *,
    source_names: list[str] | None = None,
    run_key: str | None = None,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> tuple[Counts, list[str]]:
    """One full cycle without a scheduler, through the same functions as the DAG."""
    settings = settings or Settings.from_env()
    eng = checked_engine(engine, settings)
    run_key = run_key or windows.new_run_key(window)
    started_at = datetime.now(UTC)
    names = [s.name for s in enabled_sources(settings, source_names)]
    failed: list[str] = []
    for name in names:
        try:
            discover_source(name, window, run_key, settings=settings, engine=eng)
        except RetryableError as exc:
            log.error("discover %s failed: %s", name, exc)
            failed.append(f"{name}: {exc}")
    for batch_no in plan_batches(run_key, names, settings=settings, engine=eng):
        process_batch(run_key, batch_no, names, settings=settings, engine=eng)
    load_run(run_key, settings=settings, engine=eng)
    summary = report.finish_run(
        run_key, window, names, started_at=started_at, settings=settings, engine=eng
    )
    return summary, failed
