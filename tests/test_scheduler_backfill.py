"""A backfill through a real scheduler: airflow standalone, `airflow backfill create`, the rows."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from newswire.demo import site as demosite
from newswire.run.cluster import local_airflow_env
from support.airflowproc import BIN, ROOT, api_up, base_env, free_port

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(1200)]

DAG_ID = "newswire_ingest"
DAY_14 = datetime(2026, 1, 14, tzinfo=UTC)
DAY_15 = datetime(2026, 1, 15, tzinfo=UTC)
# Bounds on the waits (the machine is shared and slow): start-up, parsing, the runs.
STARTUP_TIMEOUT = 300.0
RUNS_TIMEOUT = 300.0
STOP_GRACE = 30.0


class Standalone:
    """`airflow standalone` in its own session and process group, and everything it forks."""

    def __init__(self, home: Path, env: dict[str, str], meta: Engine) -> None:
        self.home = home
        self.env = env
        self.meta = meta  # Airflow's metadata DB, read by the test
        self.api_url = f"http://127.0.0.1:{env['AIRFLOW__API__PORT']}"
        self.log_path = home / "standalone.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.seen: dict[int, psutil.Process] = {}  # every descendant observed, to stop them all

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "airflow"), "standalone"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # setsid() in the child: a new session and process group led by standalone
                # (not the setsid program, which forks when its caller leads a group).
                start_new_session=True,
            )

    def track(self) -> None:
        """Remember descendants (task runners may move to process groups of their own)."""
        if self.proc is None:
            return
        try:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                self.seen.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            pass

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def cli(self, *args: str, timeout: float = 180.0) -> subprocess.CompletedProcess[str]:
        """One airflow CLI command against the same AIRFLOW_HOME."""
        self.track()
        return subprocess.run(
            [str(BIN / "airflow"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def query(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Read Airflow's metadata DB (empty until its tables exist)."""
        try:
            with self.meta.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql), params).all()]
        except DBAPIError:  # not migrated yet
            return []

    def wait(self, what: str, check: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.track()
            if check():
                return
            if not self.alive():
                pytest.fail(f"airflow standalone exited while waiting for {what}\n{self.tail()}")
            time.sleep(2)
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{self.tail()}")

    def tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the process group and every descendant seen, SIGKILL what remains."""
        if self.proc is None:
            return
        self.track()
        procs = list(self.seen.values())
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        for proc in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=STOP_GRACE)
        _, alive = psutil.wait_procs(procs, timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        for proc in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        psutil.wait_procs(alive, timeout=5)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def airflow(tmp_path: Path, db_url: str, meta_url: str, demo_site: str) -> Iterator[Standalone]:
    """A running standalone Airflow on a temporary AIRFLOW_HOME; always stopped afterwards."""
    home = tmp_path / "airflow"
    port = free_port()
    env = base_env()
    env.update(
        {
            **local_airflow_env(ROOT, home, meta_url, port),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "NEWSWIRE_SCHEDULE": "0 0 * * *",
            "NEWSWIRE_DEMO_URL": demo_site,
            "NEWSWIRE_DATABASE_URL": db_url,
            "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
            "NEWSWIRE_TASK_RETRIES": "0",
        }
    )
    meta = create_engine(meta_url, pool_pre_ping=True)
    standalone = Standalone(home, env, meta)
    try:
        standalone.start()
        yield standalone
    finally:
        standalone.stop()
        meta.dispose()
        leftovers = [
            p for p in standalone.seen.values() if p.is_running() and p.status() != "zombie"
        ]
        assert not leftovers, f"processes left running: {leftovers}"


def _runs(airflow: Standalone) -> list[tuple[Any, ...]]:
    return airflow.query(
        "SELECT run_id, state, data_interval_start, data_interval_end FROM dag_run"
        " WHERE dag_id = :d AND run_type = 'backfill' ORDER BY data_interval_start, run_id",
        d=DAG_ID,
    )


def _backfills_done(airflow: Standalone) -> bool:
    rows = airflow.query("SELECT completed_at FROM backfill WHERE dag_id = :d", d=DAG_ID)
    return bool(rows) and all(r[0] is not None for r in rows)


def _news(db_url: str) -> dict[str, Any]:
    eng = create_engine(db_url)
    try:
        with eng.connect() as conn:
            articles = conn.execute(
                text("SELECT id, title, published_at, source FROM articles ORDER BY id")
            ).all()
            urls = conn.execute(text("SELECT url, article_id, kind FROM article_urls")).all()
            runs = conn.execute(
                text(
                    "SELECT run_key, source, interval_start, interval_end, status, loaded,"
                    " duplicates, failed FROM ingest_runs ORDER BY interval_start, source"
                )
            ).all()
    finally:
        eng.dispose()
    return {"articles": articles, "urls": sorted(urls), "runs": runs}


def test_backfill_two_days_through_the_scheduler(airflow: Standalone, db_url: str) -> None:
    # Tasks talk to the API server's execution API: let it come up before any run starts.
    airflow.wait("the API server", lambda: api_up(airflow.api_url), STARTUP_TIMEOUT)
    airflow.wait(
        "the DAG to be parsed",
        lambda: bool(airflow.query("SELECT 1 FROM dag WHERE dag_id = :d", d=DAG_ID)),
        STARTUP_TIMEOUT,
    )
    unpaused = airflow.cli("dags", "unpause", DAG_ID)
    assert unpaused.returncode == 0, unpaused.stderr
    assert airflow.query("SELECT is_paused FROM dag WHERE dag_id = :d", d=DAG_ID) == [(False,)]

    created = airflow.cli(
        "backfill",
        "create",
        "--dag-id",
        DAG_ID,
        "--from-date",
        "2026-01-14",
        "--to-date",
        "2026-01-15",
    )
    assert created.returncode == 0, created.stdout + created.stderr

    def finished() -> bool:
        runs = _runs(airflow)
        failed = [r for r in runs if r[1] == "failed"]
        if failed:
            pytest.fail(f"backfill runs failed: {failed}\n{airflow.tail()}")
        return len(runs) == 2 and all(r[1] == "success" for r in runs)

    airflow.wait("both backfill runs to succeed", finished, RUNS_TIMEOUT)
    runs = _runs(airflow)
    assert [str(r[2])[:10] for r in runs] == ["2026-01-14", "2026-01-15"]

    site = demosite.build_site()
    by_day = {
        day: sorted(s.title for s in site.stories if s.published_at.date() == day.date())
        for day in (DAY_14, DAY_15)
    }
    assert len(by_day[DAY_14]) == 2 and len(by_day[DAY_15]) == 22
    stored = _news(db_url)
    run_ids = {r[0] for r in runs}
    # Unpausing may also start the latest scheduled run (today's window): not checked here.
    backfilled = [r for r in stored["runs"] if r.run_key in run_ids]
    assert all(
        r.interval_start > DAY_15 + timedelta(days=2)
        for r in stored["runs"]
        if r.run_key not in run_ids
    )
    titles = {
        day: sorted(
            a.title for a in stored["articles"] if day <= a.published_at < day + timedelta(days=1)
        )
        for day in (DAY_14, DAY_15)
    }
    assert titles == by_day  # each window loaded exactly its own day's stories
    assert len(stored["articles"]) == 24  # and nothing of the 16th
    # One ingest_runs row per run and source, with the run's interval.
    assert {r.run_key for r in backfilled} == run_ids
    assert len(backfilled) == 4
    for row in backfilled:
        day = DAY_14 if row.interval_start == DAY_14 else DAY_15
        assert (row.interval_start, row.interval_end) == (day, day + timedelta(days=1))
        assert row.status == "ok" and row.failed == 0
    loaded = {(r.interval_start, r.source): r.loaded for r in backfilled}
    assert loaded == {
        (DAY_14, "demo-courier"): 0,
        (DAY_14, "demo-wire"): 2,
        (DAY_15, "demo-courier"): 0,
        (DAY_15, "demo-wire"): 22,
    }

    # Re-running the completed windows changes nothing.
    airflow.wait("the first backfill to complete", lambda: _backfills_done(airflow), RUNS_TIMEOUT)
    again = airflow.cli(
        "backfill",
        "create",
        "--dag-id",
        DAG_ID,
        "--from-date",
        "2026-01-14",
        "--to-date",
        "2026-01-15",
        "--reprocess-behavior",
        "completed",
    )
    assert again.returncode == 0, again.stdout + again.stderr
    airflow.wait(
        "the re-run backfill to complete",
        lambda: (
            len(airflow.query("SELECT id FROM backfill WHERE dag_id = :d", d=DAG_ID)) == 2
            and _backfills_done(airflow)
            and all(r[1] == "success" for r in _runs(airflow))
        ),
        RUNS_TIMEOUT,
    )
    rerun = _news(db_url)
    assert rerun["articles"] == stored["articles"]
    assert rerun["urls"] == stored["urls"]
    rerun_ids = {r[0] for r in _runs(airflow)}
    rerun_rows = [r for r in rerun["runs"] if r.run_key in rerun_ids]
    assert {(r.run_key, r.source) for r in rerun_rows} >= {
        (r.run_key, r.source) for r in backfilled
    }
    assert len(rerun_rows) == 2 * len(rerun_ids)  # still one row per run and source
    assert all(r.status == "ok" and r.failed == 0 for r in rerun_rows)
    assert sum(r.loaded for r in rerun_rows) == 24  # the first runs' loads, nothing more
