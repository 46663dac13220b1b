"""Run windows and run keys: one function computes a run's window, for Airflow and the CLI."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from newswire.errors import ConfigError, NewswireError
from newswire.models import Window, ensure_utc


def window_from_context(context: Mapping[str, Any]) -> Window:
    """The run's [data_interval_start, data_interval_end) from an Airflow task context.

    A scheduled run or `dag.test(logical_date=D)` covers [D-1, D); a backfill of D covers
    [D, D+1): Airflow's data interval says which, so nothing here guesses.
    """
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


def schedule_windows(cron: str, start: datetime, end: datetime) -> list[Window]:
    """The schedule's data intervals inside [start, end): consecutive cron ticks, as Airflow's."""
    from croniter import CroniterBadCronError, croniter

    start, end = ensure_utc(start), ensure_utc(end)
    try:
        ticks = croniter(cron, start - timedelta(microseconds=1))
    except (CroniterBadCronError, ValueError) as exc:
        raise ConfigError(f"NEWSWIRE_SCHEDULE={cron!r} is not a cron expression: {exc}") from None
    windows: list[Window] = []
    current = ticks.get_next(datetime)
    while True:
        following = ticks.get_next(datetime)
        if following > end:
            return windows
        windows.append(Window(current, following))
        current = following
