"""The functions DAG tasks and the CLI both call: discover, plan, process, load, finish."""

from __future__ import annotations

import logging
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from newswire import config, db, frontier, load
from newswire.errors import ExtractionRejected, NewswireError, PermanentError, RetryableError
from newswire.models import Page, SourceConfig, Window, article_to_payload

log = logging.getLogger(__name__)

# A live-only source (a feed listing only recent items) cannot serve windows that ended
# longer ago than this; such windows are skipped and ingest_runs says so.
LIVE_HORIZON = timedelta(hours=48)

Counts = dict[str, Any]


def window_from_context(context: Mapping[str, Any]) -> Window:
    """The run's [data_interval_start, data_interval_end) from an Airflow task context."""
    start = context.get("data_interval_start")
    end = context.get("data_interval_end")
    if start is None or end is None:
        raise NewswireError(
            "the DAG run has no data interval: schedule newswire_ingest with a"
            " CronDataIntervalTimetable"
        )
    return Window(start, end)


def run_key_from_context(context: Mapping[str, Any]) -> str:
    """The Airflow run_id: the key of this run's frontier items and stats."""
    return str(context["run_id"])


def new_run_key(window: Window) -> str:
    """A run key for a run started outside Airflow (the CLI)."""
    return f"cli__{window.start:%Y%m%dT%H%M%S}__{uuid.uuid4().hex[:8]}"


def list_sources(settings: config.Settings | None = None) -> list[str]:
    """Names of the enabled sources (validates the sources file)."""
    settings = settings or config.Settings.from_env()
    return [s.name for s in config.enabled_sources(settings)]


def _engine(engine: Engine | None, settings: config.Settings) -> Engine:
    return engine if engine is not None else db.get_engine(settings)


def discover_source(
    source_name: str,
    window: Window,
    run_key: str,
    *,
    settings: config.Settings | None = None,
    engine: Engine | None = None,
    now: datetime | None = None,
) -> Counts:
    """List a source's items inside the window and enqueue them in the frontier."""
    from newswire.fetch import Fetcher, FetchSettings
    from newswire.sources import discoverer

    settings = settings or config.Settings.from_env()
    source = config.source_by_name(settings, source_name)
    started = time.monotonic()
    now = now or datetime.now(UTC)
    if source.live_only and window.end < now - LIVE_HORIZON:
        log.info("discover %s %s: skipped (live-only source, past window)", source.name, window)
        return {"source": source.name, "skipped": "live-only source: past window not served"}
    items = []
    errors: Counter[str] = Counter()
    retryable: RetryableError | None = None
    with Fetcher(FetchSettings.from_env()) as fetcher:
        for url in source.urls:
            one = SourceConfig(**{**asdict(source), "urls": (url,)})
            try:
                items.extend(discoverer(source.kind)(one, window, fetcher))
            except PermanentError as exc:
                errors[f"discover:{exc.reason}"] += 1
                log.error("discover %s: %s failed permanently: %s", source.name, url, exc)
            except RetryableError as exc:
                errors[f"discover:{exc.reason}"] += 1
                retryable = exc
                log.error("discover %s: %s failed (retryable): %s", source.name, url, exc)
    eng = _engine(engine, settings)
    with eng.begin() as conn:
        result = frontier.enqueue(conn, items, run_key, window)
    if retryable is not None and not items:
        raise retryable  # nothing listed at all: let Airflow retry the task
    counts: Counts = {
        "source": source.name,
        "discovered": result.discovered,
        "enqueued": result.enqueued,
        "known": result.known,
        "errors": dict(errors),
        "seconds": round(time.monotonic() - started, 3),
    }
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
    settings: config.Settings | None = None,
    engine: Engine | None = None,
) -> list[int]:
    """Batch numbers for the mapped fetch tasks (at least one, so the graph stays simple)."""
    settings = settings or config.Settings.from_env()
    with _engine(engine, settings).connect() as conn:
        pending = frontier.pending_count(conn, run_key, sources)
    batches = max(1, -(-pending // settings.batch_size))
    log.info("plan %s: %d items to fetch in %d batches", run_key, pending, batches)
    return list(range(batches))


def _store_page(conn: Any, page: Page) -> None:
    conn.execute(
        text(
            "INSERT INTO raw_pages (sha256, content_type, encoding, size_bytes, body_zlib)"
            " VALUES (:sha, :ct, :enc, :size, :body) ON CONFLICT (sha256) DO NOTHING"
        ),
        {
            "sha": page.sha256,
            "ct": page.content_type,
            "enc": page.encoding,
            "size": len(page.body),
            "body": zlib.compress(page.body, 6),
        },
    )


def process_batch(
    run_key: str,
    batch_no: int,
    sources: Sequence[str],
    *,
    settings: config.Settings | None = None,
    engine: Engine | None = None,
) -> Counts:
    """Claim a batch from the frontier, fetch, extract and clean it, stage the articles."""
    from newswire.extract import extract_article
    from newswire.fetch import Fetcher, FetchSettings

    settings = settings or config.Settings.from_env()
    eng = _engine(engine, settings)
    started = time.monotonic()
    token = f"{run_key}#{batch_no}"
    with eng.begin() as conn:
        claimed = frontier.claim(conn, run_key, sources, token, settings.batch_size)
    by_name = {s.name: s for s in config.load_sources(settings.sources_file)}
    stats: dict[str, Counter[str]] = {}
    errors: dict[str, Counter[str]] = {}
    pages: list[Page] = []
    staged: list[dict[str, Any]] = []
    failures: list[tuple[frontier.Claimed, NewswireError]] = []
    with Fetcher(FetchSettings.from_env()) as fetcher:
        for item in claimed:
            counter = stats.setdefault(item.source, Counter())
            source = by_name.get(item.source)
            try:
                if source is None:
                    raise PermanentError("unknown_source", f"{item.source} is not configured")
                page = fetcher.fetch(item.fetch_url, source, kind="page")
                counter["fetched"] += 1
                pages.append(page)
                article = extract_article(page, source)
            except ExtractionRejected as exc:
                counter["rejected"] += 1
                failures.append((item, exc))
                continue
            except (PermanentError, RetryableError) as exc:
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
                }
            )
    with eng.begin() as conn:
        for page in pages:
            _store_page(conn, page)
        if staged:
            conn.execute(
                text(
                    "INSERT INTO staged_articles (frontier_id, run_key, source, payload)"
                    " VALUES (:fid, :run_key, :source, CAST(:payload AS jsonb))"
                    " ON CONFLICT (frontier_id) DO UPDATE SET payload = EXCLUDED.payload,"
                    " run_key = EXCLUDED.run_key"
                ),
                [{**s, "payload": _json(s["payload"])} for s in staged],
            )
        frontier.mark_fetched(conn, [s["fid"] for s in staged])
        for item, exc in failures:
            reason = getattr(exc, "reason", type(exc).__name__)
            state = frontier.mark_failed(
                conn,
                item,
                reason,
                str(exc),
                retryable=isinstance(exc, RetryableError),
                retry_after=getattr(exc, "retry_after", None),
            )
            errors.setdefault(item.source, Counter())[reason] += 1
            log.warning("fetch %s: %s (%s)", item.fetch_url, exc, state)
    seconds = round(time.monotonic() - started, 3)
    per_source = {
        name: {**dict(c), "errors": dict(errors.get(name, {}))} for name, c in stats.items()
    }
    log.info(
        "batch %s: claimed=%d staged=%d failed=%d in %.1fs",
        token,
        len(claimed),
        len(staged),
        len(failures),
        seconds,
    )
    return {"batch": batch_no, "sources": per_source, "seconds": seconds}


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def load_run(
    run_key: str, *, settings: config.Settings | None = None, engine: Engine | None = None
) -> Counts:
    """Dedup and load every staged article of the run."""
    settings = settings or config.Settings.from_env()
    started = time.monotonic()
    result = load.load_run(_engine(engine, settings), run_key, settings.load_batch_size)
    seconds = round(time.monotonic() - started, 3)
    names = sorted(set(result.loaded) | set(result.duplicates))
    log.info(
        "load %s: loaded=%d duplicates=%d in %.1fs",
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


def _merge(into: dict[str, Any], counts: Mapping[str, Any]) -> None:
    for key, value in counts.items():
        if key == "errors":
            errs = into.setdefault("errors", Counter())
            errs.update(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            into[key] = into.get(key, 0) + value


def finish_run(
    run_key: str,
    window: Window,
    sources: Sequence[str],
    discovered: Sequence[Counts | None],
    batches: Sequence[Counts | None],
    loaded: Counts | None,
    *,
    started_at: datetime | None = None,
    settings: config.Settings | None = None,
    engine: Engine | None = None,
) -> Counts:
    """Write one ingest_runs row per source (idempotent) and return the run summary."""
    settings = settings or config.Settings.from_env()
    per: dict[str, dict[str, Any]] = {name: {} for name in sources}
    seconds: dict[str, dict[str, float]] = {name: Counter() for name in sources}
    notes: dict[str, str] = {}
    for d in discovered:
        if not d:
            continue
        name = d["source"]
        row = per.setdefault(name, {})
        if d.get("skipped"):
            notes[name] = str(d["skipped"])
            continue
        _merge(row, {k: v for k, v in d.items() if k in ("discovered", "enqueued", "errors")})
        seconds.setdefault(name, Counter())["discover"] += float(d.get("seconds", 0))
    missing = [n for n in sources if not any(d and d.get("source") == n for d in discovered)]
    for name in missing:
        notes[name] = "discovery failed (see the task log)"
    for b in batches:
        if not b:
            continue
        for name, counts in b.get("sources", {}).items():
            _merge(per.setdefault(name, {}), counts)
            seconds.setdefault(name, Counter())["fetch"] += float(b.get("seconds", 0))
    if loaded:
        for name, counts in loaded.get("sources", {}).items():
            _merge(per.setdefault(name, {}), counts)
            seconds.setdefault(name, Counter())["load"] += float(loaded.get("seconds", 0))
    rows = []
    for name, counts in sorted(per.items()):
        status = "skipped" if name in notes and "live-only" in notes[name] else "ok"
        if name in missing:
            status = "partial"
        rows.append(
            {
                "run_key": run_key,
                "source": name,
                "start": window.start,
                "end": window.end,
                "status": status,
                "discovered": counts.get("discovered", 0),
                "enqueued": counts.get("enqueued", 0),
                "fetched": counts.get("fetched", 0),
                "failed": counts.get("failed", 0),
                "extracted": counts.get("extracted", 0),
                "rejected": counts.get("rejected", 0),
                "duplicates": counts.get("duplicates", 0),
                "loaded": counts.get("loaded", 0),
                "prompts_stripped": counts.get("prompts_stripped", 0),
                "errors": _json(dict(counts.get("errors", {}))),
                "note": notes.get(name),
                "ds": seconds.get(name, {}).get("discover", 0.0),
                "fs": seconds.get(name, {}).get("fetch", 0.0),
                "ls": seconds.get(name, {}).get("load", 0.0),
                "started_at": started_at or datetime.now(UTC),
            }
        )
    with _engine(engine, settings).begin() as conn:
        for row in rows:
            conn.execute(
                text(
                    """
                    INSERT INTO ingest_runs (run_key, source, interval_start, interval_end,
                        status, discovered, enqueued, fetched, failed, extracted, rejected,
                        duplicates, loaded, prompts_stripped, error_summary, note,
                        discover_seconds, fetch_seconds, load_seconds, started_at, finished_at)
                    VALUES (:run_key, :source, :start, :end, :status, :discovered, :enqueued,
                        :fetched, :failed, :extracted, :rejected, :duplicates, :loaded,
                        :prompts_stripped, CAST(:errors AS jsonb), :note, :ds, :fs, :ls,
                        :started_at, now())
                    ON CONFLICT (run_key, source) DO UPDATE SET
                        status = EXCLUDED.status, discovered = EXCLUDED.discovered,
                        enqueued = EXCLUDED.enqueued, fetched = EXCLUDED.fetched,
                        failed = EXCLUDED.failed, extracted = EXCLUDED.extracted,
                        rejected = EXCLUDED.rejected, duplicates = EXCLUDED.duplicates,
                        loaded = EXCLUDED.loaded, prompts_stripped = EXCLUDED.prompts_stripped,
                        error_summary = EXCLUDED.error_summary, note = EXCLUDED.note,
                        discover_seconds = EXCLUDED.discover_seconds,
                        fetch_seconds = EXCLUDED.fetch_seconds,
                        load_seconds = EXCLUDED.load_seconds, finished_at = now()
                    """
                ),
                row,
            )
    totals = Counter[str]()
    for row in rows:
        for key in ("discovered", "fetched", "failed", "rejected", "duplicates", "loaded"):
            totals[key] += int(row[key])
    log.info(
        "report %s %s: sources=%d discovered=%d fetched=%d failed=%d rejected=%d"
        " duplicates=%d loaded=%d",
        run_key,
        window,
        len(rows),
        totals["discovered"],
        totals["fetched"],
        totals["failed"],
        totals["rejected"],
        totals["duplicates"],
        totals["loaded"],
    )
    return {"run_key": run_key, **dict(totals), "sources": len(rows)}


def run_once(
    window: Window,
    *,
    source_names: list[str] | None = None,
    run_key: str | None = None,
    settings: config.Settings | None = None,
    engine: Engine | None = None,
) -> tuple[Counts, list[str]]:
    """One full cycle without a scheduler, through the same functions as the DAG."""
    settings = settings or config.Settings.from_env()
    eng = _engine(engine, settings)
    run_key = run_key or new_run_key(window)
    started_at = datetime.now(UTC)
    names = [s.name for s in config.enabled_sources(settings, source_names)]
    discovered: list[Counts | None] = []
    failed: list[str] = []
    for name in names:
        try:
            discovered.append(
                discover_source(name, window, run_key, settings=settings, engine=eng)
            )
        except RetryableError as exc:
            log.error("discover %s failed: %s", name, exc)
            failed.append(f"{name}: {exc}")
    batches = [
        process_batch(run_key, n, names, settings=settings, engine=eng)
        for n in plan_batches(run_key, names, settings=settings, engine=eng)
    ]
    loaded = load_run(run_key, settings=settings, engine=eng)
    summary = finish_run(
        run_key,
        window,
        names,
        discovered,
        batches,
        loaded,
        started_at=started_at,
        settings=settings,
        engine=eng,
    )
    return summary, failed
