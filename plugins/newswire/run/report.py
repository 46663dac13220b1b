"""Report: a run's task stats summed into ingest_runs, its resources, the failed-run watcher."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NoReturn

from sqlalchemy import Connection, Engine, text

from newswire import cputime
from newswire.db.migrate import checked_engine
from newswire.discover import frontier
from newswire.errors import RunFailed
from newswire.models import Window
from newswire.run.stats import DISCOVER, stage_of
from newswire.settings import Settings

log = logging.getLogger(__name__)

Counts = dict[str, Any]


def run_resources(conn: Connection, run_key: str) -> Counts:
    """A run's CPU seconds per stage (summed) and peak RSS per task kind (MiB, the largest)."""
    rows = conn.execute(
        text("SELECT task_key, counts FROM run_task_stats WHERE run_key = :r"), {"r": run_key}
    ).all()
    cpu: dict[str, float] = {}
    peak: dict[str, float] = {}
    for row in rows:
        cputime.add(cpu, row.counts.get("cpu", {}))
        kind = stage_of(row.task_key)
        peak[kind] = max(peak.get(kind, 0.0), float(row.counts.get("max_rss_mib", 0.0)))
    return {"cpu": cpu, "max_rss_mib": peak}


# Count columns of ingest_runs, summed over the run's task stats.
_COUNT_COLUMNS = (
    "discovered",
    "enqueued",
    "fetched",
    "failed",
    "extracted",
    "rejected",
    "duplicates",
    "loaded",
    "prompts_stripped",
    "not_modified",
)


def _new_aggregate() -> dict[str, Any]:
    return {"errors": Counter(), "seconds": Counter(), "note": None, "discovered_ok": False}


def _aggregate(conn: Connection, run_key: str) -> dict[str, dict[str, Any]]:
    """Sum the run's task stats per source: counts, errors, per-stage seconds, notes."""
    per: dict[str, dict[str, Any]] = {}
    rows = conn.execute(
        text("SELECT task_key, source, counts, seconds FROM run_task_stats WHERE run_key = :r"),
        {"r": run_key},
    ).all()
    for row in rows:
        agg = per.setdefault(row.source, _new_aggregate())
        stage = stage_of(row.task_key)
        agg["seconds"][stage] += row.seconds
        for key, value in row.counts.items():
            if key == "errors":
                agg["errors"].update(value)
            elif key == "skipped":
                agg["note"] = value
            elif key in _COUNT_COLUMNS:
                agg[key] = agg.get(key, 0) + int(value)
        if stage == DISCOVER:
            agg["discovered_ok"] = True
    return per


_UPSERT_RUN = text(
    """
    INSERT INTO ingest_runs (run_key, source, interval_start, interval_end,
        status, discovered, enqueued, fetched, failed, extracted, rejected,
        duplicates, loaded, prompts_stripped, not_modified, error_summary, note,
        discover_seconds, fetch_seconds, load_seconds, started_at, finished_at)
    VALUES (:run_key, :source, :start, :end, :status, :discovered, :enqueued,
        :fetched, :failed, :extracted, :rejected, :duplicates, :loaded,
        :prompts_stripped, :not_modified, CAST(:errors AS jsonb), :note, :ds, :fs, :ls,
        :started_at, now())
    ON CONFLICT (run_key, source) DO UPDATE SET
        status = EXCLUDED.status, discovered = EXCLUDED.discovered,
        enqueued = EXCLUDED.enqueued, fetched = EXCLUDED.fetched,
        failed = EXCLUDED.failed, extracted = EXCLUDED.extracted,
        rejected = EXCLUDED.rejected, duplicates = EXCLUDED.duplicates,
        loaded = EXCLUDED.loaded, prompts_stripped = EXCLUDED.prompts_stripped,
        not_modified = EXCLUDED.not_modified,
        error_summary = EXCLUDED.error_summary, note = EXCLUDED.note,
        discover_seconds = EXCLUDED.discover_seconds,
        fetch_seconds = EXCLUDED.fetch_seconds,
        load_seconds = EXCLUDED.load_seconds, finished_at = now()
    """
)


def finish_run(
    run_key: str,
    window: Window,
    sources: Sequence[str],
    *,
    started_at: datetime | None = None,
    settings: Settings | None = None,
    engine: Engine | None = None,
) -> Counts:
    """Sum the run's task stats into one ingest_runs row per source (idempotent)."""
    settings = settings or Settings.from_env()
    totals: Counter[str] = Counter()
    with checked_engine(engine, settings).begin() as conn:
        per = _aggregate(conn, run_key)
        for name in sources:
            per.setdefault(name, _new_aggregate())
        left = frontier.left_over(conn, run_key)
        for name, agg in sorted(per.items()):
            if not agg["discovered_ok"]:
                status, note = "partial", "discovery failed (see the task log)"
            elif agg["note"]:
                status, note = "skipped", agg["note"]
            elif (over := left.get(name)) is not None:
                status = "partial"
                note = (
                    f"{over.unfetched} items not fetched, {over.unloaded} fetched articles not"
                    " loaded: a task failed (see its log); clearing it in Airflow finishes them,"
                    f" as does a new run of the window {frontier.LEASE_MINUTES} minutes after"
                    " their claim"
                )
            else:
                status, note = "ok", None
            row = {key: int(agg.get(key, 0)) for key in _COUNT_COLUMNS}
            totals.update(row)
            conn.execute(
                _UPSERT_RUN,
                {
                    **row,
                    "run_key": run_key,
                    "source": name,
                    "start": window.start,
                    "end": window.end,
                    "status": status,
                    "note": note,
                    "errors": json.dumps(dict(agg["errors"]), ensure_ascii=False),
                    "ds": agg["seconds"]["discover"],
                    "fs": agg["seconds"]["batch"],
                    "ls": agg["seconds"]["load"],
                    "started_at": started_at or datetime.now(UTC),
                },
            )
    log.info(
        "report %s %s: sources=%d discovered=%d fetched=%d failed=%d rejected=%d"
        " duplicates=%d loaded=%d",
        run_key,
        window,
        len(per),
        totals["discovered"],
        totals["fetched"],
        totals["failed"],
        totals["rejected"],
        totals["duplicates"],
        totals["loaded"],
    )
    return {"run_key": run_key, **{k: totals[k] for k in _COUNT_COLUMNS}, "sources": len(per)}


def fail_run(run_key: str) -> NoReturn:
    """Fail the run's watcher task: another task of the run failed after its retries.

    `report` runs whatever happened before it, so without this the run would end green.
    """
    raise RunFailed(
        f"run {run_key}: a task failed after its retries (its log says why); report records"
        " what the run did in ingest_runs"
    )
