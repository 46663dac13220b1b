"""newswire_ingest: discover → fetch/extract/clean (mapped batches) → dedup + load → report.

fail_run, downstream of every task, fails the run when one of them failed for good.

Only wiring lives here: each task body calls one newswire.run.pipeline or newswire.run.report
function. Nothing runs at parse time (no DB, no connections, no HTTP, no heavy imports). A
fetch task also loads the load batches its batch made final (pipeline.process_batch);
dedup_load loads the rest.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, CronDataIntervalTimetable, dag, get_current_context, task

from newswire.settings import Settings

# The schedule (NEWSWIRE_SCHEDULE, a UTC cron, hourly by default) and the task retries
# (NEWSWIRE_TASK_RETRIES, exponential backoff from 30 s, capped at 30 min; tests set 0).
SETTINGS = Settings.from_env()
SCHEDULE = SETTINGS.schedule

# Emitted when a run has loaded its articles: downstream DAGs can be scheduled on it.
ARTICLES = Asset(name="newswire_articles", uri="newswire://news_db/public/articles")

RETRIES = SETTINGS.task_retries

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "newswire",
    "retries": RETRIES,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
}


@dag(
    dag_id="newswire_ingest",
    schedule=CronDataIntervalTimetable(SCHEDULE, timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=4,
    default_args=DEFAULT_ARGS,
    tags=["newswire"],
    doc_md=__doc__,
)
def newswire_ingest() -> None:
    """Ingest the articles of one data interval."""

    @task
    def sources() -> list[str]:
        from newswire.run import pipeline

        return pipeline.list_sources()

    @task(max_active_tis_per_dagrun=8)
    def discover(source_name: str) -> dict[str, Any]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.discover_source(
            source_name, windows.window_from_context(ctx), windows.run_key_from_context(ctx)
        )

    @task(trigger_rule="all_done")
    def plan(names: list[str]) -> list[int]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.plan_batches(windows.run_key_from_context(ctx), names)

    @task
    def fetch_batch(batch_no: int, names: list[str], batches: list[int]) -> dict[str, Any]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.process_batch(
            windows.run_key_from_context(ctx), batch_no, names, batches=len(batches)
        )

    @task(trigger_rule="all_done")
    def dedup_load() -> dict[str, Any]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.load_run(windows.run_key_from_context(ctx))

    @task(trigger_rule="all_done", outlets=[ARTICLES])
    def report(names: list[str]) -> dict[str, Any]:
        from newswire.run import windows
        from newswire.run.report import finish_run

        ctx = get_current_context()
        counts = finish_run(
            windows.run_key_from_context(ctx), windows.window_from_context(ctx), names
        )
        ctx["outlet_events"][ARTICLES].extra = counts  # consumers see what the run loaded
        return counts

    @task(trigger_rule="one_failed", retries=0)
    def fail_run() -> None:
        from newswire.run import report, windows

        report.fail_run(windows.run_key_from_context(get_current_context()))

    # Counts travel through PostgreSQL (run_task_stats), not XCom: a failed task's counts
    # are still reported, and XCom carries only source names and batch numbers.
    names = sources()
    discovered = discover.expand(source_name=names)
    batch_numbers = plan(names)
    discovered >> batch_numbers
    batches = fetch_batch.partial(names=names, batches=batch_numbers).expand(batch_no=batch_numbers)
    loaded = dedup_load()
    batches >> loaded
    reported = report(names)
    loaded >> reported
    # report runs whatever failed before it, so it alone would end every run green: fail_run
    # fails the run when any task failed for good (skipped, it leaves a good run green).
    [names, discovered, batch_numbers, batches, loaded, reported] >> fail_run()


newswire_ingest()
