"""newswire_ingest: discover → fetch/extract/clean (mapped batches) → dedup + load → report.

fail_run, downstream of every task, fails the run when one of them failed for good. A
configuration error fails its task at once, without retries (config_error_fails_task); every
task has an execution timeout.

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

from newswire.run.taskerrors import config_error_fails_task
from newswire.settings import Settings

# The schedule (NEWSWIRE_SCHEDULE, a UTC cron, hourly by default) and the task retries
# (NEWSWIRE_TASK_RETRIES, exponential backoff from 30 s, capped at 30 min; tests set 0).
SETTINGS = Settings.from_env()
SCHEDULE = SETTINGS.schedule

# Emitted when a run has loaded its articles: downstream DAGs can be scheduled on it.
ARTICLES = Asset(name="newswire_articles", uri="newswire://news_db/public/articles")

RETRIES = SETTINGS.task_retries

# Longest each task may run before Airflow stops it (and retries it while it has retries left):
# a backstop against a hung connection or lock, set well above what the task normally takes.
# Reading and checking the sources file.
SOURCES_TIMEOUT = timedelta(minutes=10)
# One source's listings: feeds and sitemaps take seconds, a WARC source streams whole files.
DISCOVER_TIMEOUT = timedelta(hours=2)
# Counting the run's frontier items into batches.
PLAN_TIMEOUT = timedelta(minutes=30)
# One batch (NEWSWIRE_BATCH_SIZE, 500 by default) of polite fetches and extractions, plus the
# load batches it made final.
FETCH_TIMEOUT = timedelta(hours=3)
# Dedup and load of everything the fetch tasks left staged.
LOAD_TIMEOUT = timedelta(hours=2)
# Summing the run's task stats into ingest_runs.
REPORT_TIMEOUT = timedelta(minutes=30)
# Raising RunFailed.
FAIL_RUN_TIMEOUT = timedelta(minutes=5)

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

    @task(execution_timeout=SOURCES_TIMEOUT)
    @config_error_fails_task
    def sources() -> list[str]:
        from newswire.run import pipeline

        return pipeline.list_sources()

    @task(max_active_tis_per_dagrun=8, execution_timeout=DISCOVER_TIMEOUT)
    @config_error_fails_task
    def discover(source_name: str) -> dict[str, Any]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.discover_source(
            source_name, windows.window_from_context(ctx), windows.run_key_from_context(ctx)
        )

    @task(trigger_rule="all_done", execution_timeout=PLAN_TIMEOUT)
    @config_error_fails_task
    def plan(names: list[str]) -> list[int]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.plan_batches(windows.run_key_from_context(ctx), names)

    @task(execution_timeout=FETCH_TIMEOUT)
    @config_error_fails_task
    def fetch_batch(batch_no: int, names: list[str], batches: list[int]) -> dict[str, Any]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.process_batch(
            windows.run_key_from_context(ctx), batch_no, names, batches=len(batches)
        )

    @task(trigger_rule="all_done", execution_timeout=LOAD_TIMEOUT)
    @config_error_fails_task
    def dedup_load() -> dict[str, Any]:
        from newswire.run import pipeline, windows

        ctx = get_current_context()
        return pipeline.load_run(windows.run_key_from_context(ctx))

    @task(trigger_rule="all_done", outlets=[ARTICLES], execution_timeout=REPORT_TIMEOUT)
    @config_error_fails_task
    def report(names: list[str]) -> dict[str, Any]:
        from newswire.run import windows
        from newswire.run.report import finish_run

        ctx = get_current_context()
        counts = finish_run(
            windows.run_key_from_context(ctx), windows.window_from_context(ctx), names
        )
        ctx["outlet_events"][ARTICLES].extra = counts  # consumers see what the run loaded
        return counts

    @task(trigger_rule="one_failed", retries=0, execution_timeout=FAIL_RUN_TIMEOUT)
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
