"""The distributed path end to end: `scripts/cluster.sh` (CeleryExecutor, Redis, two workers),
runs triggered through the REST API over a WARC archive, and a worker killed mid-run."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest
from sqlalchemy import create_engine, text

from support.airflowproc import ROOT, api_up, base_env, free_port, no_proxy_opener
from support.newspages import NewsPage, news_pages
from support.warcdata import Resource, serve, warc_bytes, write_warc

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(900)]

SCRIPT = ROOT / "scripts" / "cluster.sh"
DAG_ID = "newswire_ingest"
DAY_1 = datetime(2026, 3, 1, tzinfo=UTC)
DAY_2 = DAY_1 + timedelta(days=1)
# Pages per window: distinct stories, plus exact copies of some of them under other URLs.
STORIES = (200, 240)
COPIES = (20, 25)
# Seconds per record read of the second day's archive (served over HTTP).
RECORD_DELAY = 0.3
# Frontier items per fetch task: 11 and 14 mapped fetch tasks, enough for both workers.
BATCH_SIZE = 20
# Bounds on the waits (generous: a busy host starts Airflow's processes slowly).
START_TIMEOUT = 420.0
RUN_TIMEOUT = 300.0
# A killed worker's task is failed after the heartbeat timeout, then retried after its delay.
HEARTBEAT_TIMEOUT = 60
KILLED_RUN_TIMEOUT = 480.0
STOP_TIMEOUT = 180.0


class Cluster:
    """What `scripts/cluster.sh start` started, seen through its folder and the REST API."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder = folder
        self.env = env
        self.settings: dict[str, str] = {}
        self.token = ""
        self.seen: dict[int, psutil.Process] = {}  # every process observed, to check the stop

    def script(self, action: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT), action],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def read_settings(self) -> None:
        """cluster.env: KEY=value lines, values shell-quoted where needed."""
        for line in (self.folder / "cluster.env").read_text().splitlines():
            if line and not line.startswith("#"):
                key, value = shlex.split(line)[0].split("=", 1)
                self.settings[key] = value

    @property
    def api_url(self) -> str:
        return self.settings["AIRFLOW_API_URL"]

    @property
    def nodes(self) -> list[str]:
        return self.settings["NEWSWIRE_CLUSTER_NODES"].split(",")

    def groups(self) -> dict[str, int]:
        """Process-group id of each component that has a pid file."""
        return {p.stem: int(p.read_text()) for p in self.folder.glob("*.pid")}

    def members(self, pgid: int) -> list[psutil.Process]:
        """A group's leader and all its descendants (task runners move to groups of their own)."""
        try:
            leader = psutil.Process(pgid)
            return [leader, *leader.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def track(self) -> None:
        for pgid in self.groups().values():
            for proc in self.members(pgid):
                self.seen.setdefault(proc.pid, proc)

    def api(self, method: str, path: str, body: Any = None, allow: tuple[int, ...] = ()) -> Any:
        """One JSON call to the API with the token; None for an allowed HTTP error status."""
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.api_url + path, data=data, method=method, headers=headers
        )
        try:
            with no_proxy_opener().open(request, timeout=30) as reply:
                return json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as exc:
            if exc.code in allow:
                return None
            detail = exc.read()[:2000].decode(errors="replace")
            raise AssertionError(f"{method} {path}: HTTP {exc.code}: {detail}") from exc

    def login(self) -> None:
        """A JWT from the simple auth manager (POST /auth/token)."""
        reply = self.api(
            "POST",
            "/auth/token",
            {
                "username": self.settings["AIRFLOW_USERNAME"],
                "password": self.settings["AIRFLOW_PASSWORD"],
            },
        )
        self.token = reply["access_token"]

    def run(self, run_id: str) -> dict[str, Any]:
        return dict(self.api("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}"))

    def task_instances(self, run_id: str) -> list[dict[str, Any]]:
        reply = self.api("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=1000")
        return list(reply["task_instances"])

    def trigger(self, run_id: str, start: datetime, end: datetime) -> None:
        self.api(
            "POST",
            f"/api/v2/dags/{DAG_ID}/dagRuns",
            {
                "dag_run_id": run_id,
                "logical_date": start.isoformat(),
                "data_interval_start": start.isoformat(),
                "data_interval_end": end.isoformat(),
            },
        )

    def wait(self, what: str, check: Callable[[], bool], timeout: float, every: float = 2) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.track()
            if check():
                return
            time.sleep(every)
        pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{self.logs()}")

    def wait_for_run(self, run_id: str, timeout: float) -> None:
        def done() -> bool:
            state = self.run(run_id)["state"]
            if state == "failed":
                tis = [
                    (t["task_id"], t["map_index"], t["state"]) for t in self.task_instances(run_id)
                ]
                pytest.fail(f"run {run_id} failed: {tis}\n{self.logs()}")
            return bool(state == "success")

        self.wait(f"run {run_id} to succeed", done, timeout)

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker's process group and every descendant: a machine lost at once."""
        pgid = self.groups()[name]
        procs = self.members(pgid)
        assert procs, f"{name} is not running"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        for proc in procs:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        _, alive = psutil.wait_procs(procs, timeout=10)
        assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], alive

    def logs(self, lines: int = 25) -> str:
        parts = []
        for log in sorted(self.folder.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name}\n" + "\n".join(tail))
        return "\n".join(parts)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[tuple[Path, list[NewsPage], list[NewsPage]]]:
    """A sources file with one WARC source over two days of synthetic pages: the first day in
    a local file, the second on a slow HTTP server (each record read takes RECORD_DELAY, so
    a worker can be killed while a fetch task holds its claimed items)."""
    day_1 = news_pages(DAY_1, STORIES[0], COPIES[0], first_story=0, seed=1)
    day_2 = news_pages(DAY_2, STORIES[1], COPIES[1], first_story=1000, seed=2)
    (tmp_path / "warcs").mkdir()
    write_warc(tmp_path / "warcs" / "day1.warc.gz", [p.capture() for p in day_1])
    served = warc_bytes([p.capture() for p in day_2])
    routes = {"/day2.warc.gz": Resource(served, "application/warc", range_delay=RECORD_DELAY)}
    with serve(routes) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            '[[source]]\nname = "archive"\nkind = "warc"\nlanguage = "en"\n'
            f'paths = ["{tmp_path / "warcs"}/*.warc.gz"]\n'
            f'urls = ["{server.base_url}/day2.warc.gz"]\n'
            "allow_private = true\nmin_delay = 0\n",
            encoding="utf-8",
        )
        yield sources, day_1, day_2


@pytest.fixture
def cluster(
    tmp_path: Path,
    db_url: str,
    meta_url: str,
    archive: tuple[Path, list[NewsPage], list[NewsPage]],
) -> Iterator[Cluster]:
    """The topology of `make cluster` on temporary state and free ports; always stopped."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not on PATH (Debian/Ubuntu: apt-get install redis-server)")
    env = base_env()
    env.update(
        {
            "NEWSWIRE_VENV": sys.prefix,
            "NEWSWIRE_CLUSTER_DIR": str(tmp_path / "cluster"),
            "NEWSWIRE_CLUSTER_WORKERS": "2",
            "NEWSWIRE_CLUSTER_CONCURRENCY": "2",
            "NEWSWIRE_CLUSTER_REDIS_PORT": str(free_port()),
            "NEWSWIRE_CLUSTER_TIMEOUT": str(int(START_TIMEOUT)),
            "AIRFLOW__API__PORT": str(free_port()),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta_url,
            "NEWSWIRE_DATABASE_URL": db_url,
            "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
            "NEWSWIRE_SOURCES_FILE": str(archive[0]),
            "NEWSWIRE_SCHEDULE": "0 0 * * *",
            "NEWSWIRE_BATCH_SIZE": str(BATCH_SIZE),
            "NEWSWIRE_TASK_RETRIES": "2",
            # Only the runs the test triggers: no scheduled run of today's window on unpause.
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
            # A task of a killed worker stops heartbeating: failed (and retried) after this.
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
            # A task the killed worker had taken from Redis but not started stays queued:
            # re-queued after this (the default is 10 minutes).
            "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "180",
            "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "20",
        }
    )
    cluster = Cluster(tmp_path / "cluster", env)
    try:
        started = cluster.script("start", timeout=START_TIMEOUT + 180)
        cluster.track()
        assert started.returncode == 0, started.stdout + started.stderr + cluster.logs()
        cluster.read_settings()
        yield cluster
    finally:
        cluster.track()
        stopped = cluster.script("stop", timeout=STOP_TIMEOUT)
        leftovers = [p for p in cluster.seen.values() if p.is_running() and p.status() != "zombie"]
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert not leftovers, f"processes left running: {leftovers}"
        assert not list(cluster.folder.glob("*.pid"))


def _check_window(db_url: str, run_id: str, pages: list[NewsPage]) -> None:
    """Every page is one article or an alias of one; the run's stats add up."""
    stories = {p.story for p in pages}
    copies = len(pages) - len(stories)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            urls = {
                r.url: r
                for r in conn.execute(
                    text("SELECT url, article_id, kind FROM article_urls WHERE url = ANY(:u)"),
                    {"u": [p.url for p in pages]},
                )
            }
            frontier = dict(
                conn.execute(
                    text("SELECT state, count(*) FROM frontier WHERE run_key = :r GROUP BY 1"),
                    {"r": run_id},
                ).all()
            )
            run = conn.execute(
                text("SELECT * FROM ingest_runs WHERE run_key = :r"), {"r": run_id}
            ).one()
            stats = conn.execute(
                text("SELECT task_key, counts FROM run_task_stats WHERE run_key = :r"),
                {"r": run_id},
            ).all()
    finally:
        engine.dispose()
    assert set(urls) == {p.url for p in pages}  # every page recorded (url is the primary key)
    article_of: dict[int, set[int]] = {}
    for page in pages:
        article_of.setdefault(page.story, set()).add(urls[page.url].article_id)
    assert all(len(ids) == 1 for ids in article_of.values())  # a copy is its original's alias
    assert len({min(ids) for ids in article_of.values()}) == len(stories)  # one article each
    assert Counter(u.kind for u in urls.values()) == {
        "canonical": len(stories),
        "republication": copies,
    }
    assert frontier == {"done": len(pages)}
    assert run.status == "ok", run.error_summary
    assert (run.discovered, run.enqueued, run.fetched, run.extracted) == (len(pages),) * 4
    assert (run.failed, run.rejected) == (0, 0)
    assert (run.loaded, run.duplicates) == (len(stories), copies)
    totals: Counter[str] = Counter()
    for row in stats:
        stage = row.task_key.split(":", 1)[0]
        for key in ("discovered", "fetched", "loaded", "duplicates"):
            totals[f"{stage}.{key}"] += int(row.counts.get(key, 0))
    assert totals["discover.discovered"] == len(pages)
    assert totals["batch.fetched"] == len(pages)  # each page fetched by exactly one batch
    assert (totals["load.loaded"], totals["load.duplicates"]) == (len(stories), copies)


def _totals(db_url: str) -> tuple[int, int]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
            urls = conn.execute(text("SELECT count(*) FROM article_urls")).scalar_one()
    finally:
        engine.dispose()
    return int(articles), int(urls)


def _states(tis: list[dict[str, Any]]) -> set[str]:
    """States of a run's task instances; the fail_run watcher of a good run is skipped."""
    assert [t["state"] for t in tis if t["task_id"] == "fail_run"] == ["skipped"]
    return {t["state"] for t in tis if t["task_id"] != "fail_run"}


def test_celery_cluster_runs_on_both_workers_and_survives_a_killed_worker(
    cluster: Cluster, db_url: str, archive: tuple[Path, list[NewsPage], list[NewsPage]]
) -> None:
    _, day_1, day_2 = archive
    assert api_up(cluster.api_url)
    cluster.login()
    cluster.wait(
        "the DAG to be parsed",
        lambda: cluster.api("GET", f"/api/v2/dags/{DAG_ID}", allow=(404,)) is not None,
        START_TIMEOUT,
    )
    dag = cluster.api("PATCH", f"/api/v2/dags/{DAG_ID}", {"is_paused": False})
    assert dag["is_paused"] is False

    # --- Run 1: the work is spread over both Celery workers ------------------------------
    cluster.trigger("cluster_day_1", DAY_1, DAY_2)
    cluster.wait_for_run("cluster_day_1", RUN_TIMEOUT)
    tis = cluster.task_instances("cluster_day_1")
    assert _states(tis) == {"success"}
    fetches = [t for t in tis if t["task_id"] == "fetch_batch"]
    assert len(fetches) == -(-len(day_1) // BATCH_SIZE)
    ran = [t for t in tis if t["task_id"] != "fail_run"]  # the skipped watcher ran nowhere
    assert {t["hostname"] for t in ran} == set(cluster.nodes)  # both workers, nothing else
    _check_window(db_url, "cluster_day_1", day_1)

    # --- Run 2: a worker dies while one of its fetch tasks holds claimed items ------------
    cluster.trigger("cluster_day_2", DAY_2, DAY_2 + timedelta(days=1))
    victim: dict[str, Any] = {}
    news = create_engine(db_url)

    def fetch_holding_items() -> bool:
        state = cluster.run("cluster_day_2")["state"]
        if state not in ("queued", "running"):
            pytest.fail(f"run 2 ended ({state}) before a fetch task was caught holding items")
        with news.connect() as conn:
            claims = conn.execute(
                text(
                    "SELECT claimed_by, array_agg(id) AS ids FROM frontier"
                    " WHERE run_key = 'cluster_day_2' AND state = 'claimed' GROUP BY 1"
                )
            ).all()
        held = {row.claimed_by: sorted(row.ids) for row in claims}
        for ti in cluster.task_instances("cluster_day_2"):
            token = f"cluster_day_2#{ti['map_index']}"
            if ti["task_id"] == "fetch_batch" and ti["state"] == "running" and token in held:
                victim.update(ti, token=token, ids=held[token])
                return True
        return False

    try:
        cluster.wait("a fetch task holding items", fetch_holding_items, RUN_TIMEOUT, every=0.5)
        dead = victim["hostname"]
        assert dead in cluster.nodes
        (survivor,) = set(cluster.nodes) - {dead}
        cluster.kill_worker(dead.split("@", 1)[0])
        cluster.wait_for_run("cluster_day_2", KILLED_RUN_TIMEOUT)
        with news.connect() as conn:
            resumed = conn.execute(
                text("SELECT claimed_by, state FROM frontier WHERE id = ANY(:ids)"),
                {"ids": victim["ids"]},
            ).all()
    finally:
        news.dispose()
    # The items the killed try held were finished by its retry (not re-claimed elsewhere).
    assert set(resumed) == {(victim["token"], "done")} and len(resumed) == len(victim["ids"])

    tis = cluster.task_instances("cluster_day_2")
    assert _states(tis) == {"success"}
    (retried,) = [
        t for t in tis if (t["task_id"], t["map_index"]) == ("fetch_batch", victim["map_index"])
    ]
    # The killed try failed for want of heartbeats; a later try ran on the surviving worker.
    assert retried["try_number"] >= 2 and retried["hostname"] == survivor
    tries = cluster.api(
        "GET",
        f"/api/v2/dags/{DAG_ID}/dagRuns/cluster_day_2/taskInstances/fetch_batch/"
        f"{victim['map_index']}/tries",
    )["task_instances"]
    first = next(t for t in tries if t["try_number"] == victim["try_number"])
    assert first["hostname"] == dead and first["state"] == "failed"
    _check_window(db_url, "cluster_day_2", day_2)
    # Nothing lost or duplicated over both windows.
    stories = {p.story for p in day_1 + day_2}
    assert _totals(db_url) == (len(stories), len(day_1) + len(day_2))
