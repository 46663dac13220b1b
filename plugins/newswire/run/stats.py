"""Run stats: the task-key format and the rows of run_task_stats that tasks write."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, text

from newswire import cputime
from newswire.load import store

# Stages of a run as task keys name them ("<stage>" or "<stage>:<what>").
DISCOVER = "discover"  # one key per source: a retried discovery replaces its counts
BATCH = "batch"  # batch:<batch no>:<first item id>.<its claim count>
LOAD = "load"  # load:<first frontier id of the load batch>


def discover_key() -> str:
    """The task key of a source's discovery."""
    return DISCOVER


def batch_key(batch_no: int, first_item: int, attempts: int) -> str:
    """The task key of a fetch chunk: its batch, its first item and that item's claim count.

    Committed with the chunk, so a retried task's chunks (the items left claimed) add to the
    run, never replace.
    """
    return f"{BATCH}:{batch_no}:{first_item}.{attempts}"


def load_key(first_frontier_id: int) -> str:
    """The task key of a load batch: its first frontier id.

    Committed with the batch, exact on retries, the same whether a fetch task loaded it ahead
    or the load task did.
    """
    return f"{LOAD}:{first_frontier_id}"


def stage_of(task_key: str) -> str:
    """The stage a task key belongs to (DISCOVER, BATCH or LOAD)."""
    return task_key.split(":", 1)[0]


def record_stats(
    conn: Connection, run_key: str, task_key: str, source: str, counts: Mapping[str, Any]
) -> None:
    """Store one task's counts for one source; a retry of the same task replaces them."""
    conn.execute(
        text(
            "INSERT INTO run_task_stats (run_key, task_key, source, counts, seconds)"
            " VALUES (:r, :t, :s, CAST(:c AS jsonb), :sec)"
            " ON CONFLICT (run_key, task_key, source) DO UPDATE SET counts = EXCLUDED.counts,"
            " seconds = EXCLUDED.seconds, recorded_at = now()"
        ),
        {
            "r": run_key,
            "t": task_key,
            "s": source,
            "c": json.dumps(
                {k: v for k, v in counts.items() if k not in ("source", "seconds")},
                ensure_ascii=False,
            ),
            "sec": float(counts.get("seconds", 0.0)),
        },
    )


def load_recorder(run_key: str) -> store.BatchHook:
    """A load batch hook writing the batch's counts to run_task_stats, per source."""

    def record(conn: Connection, staged: Sequence[store.Staged], result: store.LoadResult) -> None:
        task_key = load_key(staged[0].frontier_id)
        names = sorted(set(result.loaded) | set(result.duplicates) | set(result.versions))
        cpu = cputime.apportion(
            result.cpu,
            {n: result.loaded[n] + result.duplicates[n] + result.versions[n] for n in names},
        )
        for name in names:
            counts = {
                "loaded": result.loaded[name],
                "duplicates": result.duplicates[name],
                "near_duplicates": result.near_duplicates[name],  # of loaded: a known story
                "versions": result.versions[name],
                "cpu": cputime.rounded(cpu[name]),
                "max_rss_mib": cputime.max_rss_mib(),
            }
            record_stats(conn, run_key, task_key, name, counts)

    return record
