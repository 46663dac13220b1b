"""Fault injection through pipeline.run_once: every bad response named, nothing lost or doubled."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from newswire.models import Window
from newswire.run import pipeline
from newswire.settings import Settings
from support.httpserver import running

DAY = Window(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 1, 16, tzinfo=UTC))
NEXT_DAY = Window(datetime(2026, 1, 16, tzinfo=UTC), datetime(2026, 1, 17, tzinfo=UTC))
MAX_BYTES = 100_000
WORDS = [
    "council",
    "minister",
    "harbour",
    "railway",
    "budget",
    "election",
    "storm",
    "river",
    "farmers",
    "court",
    "museum",
    "bridge",
    "schools",
    "hospital",
    "energy",
    "talks",
    "border",
    "market",
    "vaccine",
    "reservoir",
    "orchestra",
    "airport",
    "census",
]

# path -> expected fate: (reason of the first failure or None, loads eventually)
GOOD = ("/good-1", "/good-2", "/charset-wrong", "/charset-missing", "/good-3")
PERMANENT = {
    "/gone-404": "http_404",
    "/gone-410": "http_410",
    "/legal-451": "http_451",
    "/loop": "redirect_loop",
    "/huge": "too_large",
    "/report.pdf": "content_type",
}
RETRYABLE = {
    "/error-500": "http_500",
    "/busy-503": "http_503",
    "/limited-429": "http_429",
    "/timeout-408": "http_408",
    "/too-early-425": "http_425",
    "/slow": "timeout",
    "/reset": "connection",
}
# The feed order mixes faults between good pages: good pages after a fault must still load.
FEED_ORDER = (
    "/good-1",
    "/gone-404",
    "/error-500",
    "/limited-429",
    "/good-2",
    "/slow",
    "/reset",
    "/loop",
    "/charset-wrong",
    "/huge",
    "/report.pdf",
    "/busy-503",
    "/gone-410",
    "/timeout-408",
    "/legal-451",
    "/too-early-425",
    "/charset-missing",
    "/good-3",
)


def article_html(path: str, extra: str = "", charset: str | None = "utf-8") -> bytes:
    """A distinct article page of about 80 words for one path."""
    n = FEED_ORDER.index(path)
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(60)]
    title = f"Story {n}: the {WORDS[n]} report"
    paragraphs = [
        f"LISBON - Officials described the {WORDS[n]} plan number {n} on Thursday. {extra}",
        " ".join(words[:30]).capitalize() + ".",
        " ".join(words[30:]).capitalize() + f", the statement for item {n} said.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    meta = f'<meta charset="{charset}">' if charset else ""
    doc = (
        f"<!doctype html><html><head>{meta}<title>{title}</title>"
        '<meta property="article:published_time" content="2026-01-15T10:00:00Z">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )
    return doc.encode("utf-8")


class FaultSite(ThreadingHTTPServer):
    """A news site whose feed lists one page per bad response; recover() heals the transient."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.recovered = False
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients giving up on a slow page break the pipe: expected here."""


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultSite

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def reply(self, status: int, body: bytes, ctype: str | None, **headers: str) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        with self.server.lock:
            self.server.hits[path] += 1
        route = ROUTES.get(path)
        if route is None:
            self.reply(404, b"not found", "text/plain")
        elif self.server.recovered and path in RETRYABLE:
            self.reply(200, article_html(path), "text/html; charset=utf-8")
        else:
            route(self)


def _feed(h: FaultHandler) -> None:
    when = format_datetime(datetime(2026, 1, 15, 9, 0, tzinfo=UTC), usegmt=True)
    items = "".join(
        f"<item><title>{p}</title><link>{h.server.base}{p}</link><pubDate>{when}</pubDate></item>"
        for p in FEED_ORDER
    )
    doc = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}</channel></rss>'
    )
    h.reply(200, doc.encode(), "application/rss+xml")


def _reset(h: FaultHandler) -> None:
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def _slow(h: FaultHandler) -> None:
    time.sleep(1.5)  # the run uses NEWSWIRE_READ_TIMEOUT=0.4
    h.reply(200, article_html("/slow"), "text/html")


def _page(path: str, **kw: Any) -> Callable[[FaultHandler], None]:
    return lambda h: h.reply(200, article_html(path, **kw), "text/html; charset=utf-8")


ROUTES: dict[str, Callable[[FaultHandler], None]] = {
    "/feed.xml": _feed,
    "/broken.xml": lambda h: h.reply(200, b"this is {not] a <feed", "application/rss+xml"),
    "/good-1": _page("/good-1"),
    "/good-2": _page("/good-2"),
    "/good-3": _page("/good-3"),
    "/gone-404": lambda h: h.reply(404, b"gone", "text/html"),
    "/gone-410": lambda h: h.reply(410, b"gone for good", "text/html"),
    "/error-500": lambda h: h.reply(500, b"oops", "text/html"),
    "/busy-503": lambda h: h.reply(503, b"busy", "text/html", **{"Retry-After": "1"}),
    "/limited-429": lambda h: h.reply(429, b"slow down", "text/html", **{"Retry-After": "1"}),
    "/timeout-408": lambda h: h.reply(408, b"request timeout", "text/html"),
    "/too-early-425": lambda h: h.reply(425, b"too early", "text/html"),
    "/legal-451": lambda h: h.reply(451, b"unavailable for legal reasons", "text/html"),
    "/slow": _slow,
    "/reset": _reset,
    "/loop": lambda h: h.reply(302, b"", None, Location="/loop"),
    "/huge": lambda h: h.reply(200, article_html("/huge", "x " * MAX_BYTES), "text/html"),
    "/report.pdf": lambda h: h.reply(200, b"%PDF-1.7 " + b"0" * 500, "application/pdf"),
    # Declared UTF-8 but sent as Windows-1252; and no charset anywhere, Latin-1 bytes.
    "/charset-wrong": lambda h: h.reply(
        200,
        article_html("/charset-wrong", "The café reopened.", charset=None)
        .decode()
        .encode("cp1252"),
        "text/html; charset=utf-8",
    ),
    "/charset-missing": lambda h: h.reply(
        200,
        article_html("/charset-missing", "Zürich agreed.", charset=None).decode().encode("latin-1"),
        "text/html",
    ),
}


@pytest.fixture
def site() -> Iterator[FaultSite]:
    with running(FaultSite()) as srv:
        yield srv


@pytest.fixture
def env(site: FaultSite, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[[source]]\n"
        'name = "faulty"\n'
        'kind = "rss"\n'
        f'urls = ["{site.base}/feed.xml", "{site.base}/broken.xml"]\n'
        'language = "en"\n'
        "allow_private = true\n"
        "min_delay = 0.0\n"
        "live_only = false\n",
        encoding="utf-8",
    )
    for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NEWSWIRE_SOURCES_FILE", str(sources))
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSWIRE_READ_TIMEOUT", "0.4")
    monkeypatch.setenv("NEWSWIRE_CONNECT_TIMEOUT", "1")
    monkeypatch.setenv("NEWSWIRE_MAX_BYTES", str(MAX_BYTES))
    return Settings.from_env()


def frontier_rows(engine: Engine, base: str) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT url, state, last_reason, attempts, next_attempt_at > now() AS later,"
                " article_id FROM frontier"
            )
        ).all()
    return {r.url.removeprefix(base): r for r in rows}


def loaded_paths(engine: Engine, base: str) -> list[str]:
    with engine.connect() as conn:
        urls = conn.execute(text("SELECT url FROM article_urls ORDER BY url")).scalars().all()
    return sorted(u.removeprefix(base) for u in urls)


def run_row(engine: Engine, run_key: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT * FROM ingest_runs WHERE run_key = :r"), {"r": run_key}
        ).one()


def test_every_bad_response_is_named_and_nothing_is_lost_or_doubled(
    site: FaultSite, env: Settings, engine: Engine
) -> None:
    # Run 1: the site is sick. Good pages load once; every fault is named.
    summary, failed = pipeline.run_once(DAY, run_key="run-1", settings=env, engine=engine)
    assert failed == []  # one feed is malformed, the other listed items: the run goes on
    first = run_row(engine, "run-1")
    expected_errors = {**PERMANENT, **RETRYABLE}
    assert first.error_summary == {
        **{reason: 1 for reason in expected_errors.values()},
        "discover:malformed_feed": 1,
    }
    assert first.discovered == len(FEED_ORDER)
    assert first.failed == len(expected_errors)
    assert first.loaded == len(GOOD)
    assert summary["loaded"] == len(GOOD)
    assert loaded_paths(engine, site.base) == sorted(GOOD)
    rows = frontier_rows(engine, site.base)
    assert set(rows) == set(FEED_ORDER)  # every discovered URL is in the frontier, once
    for path, reason in PERMANENT.items():
        assert (rows[path].state, rows[path].last_reason, rows[path].attempts) == (
            "failed",
            reason,
            1,
        ), path
    for path, reason in RETRYABLE.items():
        row = rows[path]
        assert (row.state, row.last_reason, row.attempts) == ("retry", reason, 1), path
        assert row.later, f"{path}: a retry is scheduled in the future"
    for path in GOOD:
        assert rows[path].state == "done" and rows[path].article_id is not None, path
    with engine.connect() as conn:
        bodies = dict(
            conn.execute(
                text(
                    "SELECT u.url, a.body FROM articles a JOIN article_urls u"
                    " ON u.article_id = a.id"
                )
            ).all()
        )
    assert "The café reopened." in bodies[site.base + "/charset-wrong"]
    assert "Zürich agreed." in bodies[site.base + "/charset-missing"]

    # Run 2, before the retries are due: nothing is fetched again.
    pipeline.run_once(NEXT_DAY, run_key="run-2", settings=env, engine=engine)
    assert run_row(engine, "run-2").fetched == 0
    assert sum(site.hits[p] for p in RETRYABLE) == len(RETRYABLE)

    # Time passes and the site recovers: a later run loads the transient failures.
    site.recovered = True
    with engine.begin() as conn:
        conn.execute(text("UPDATE frontier SET next_attempt_at = now() WHERE state = 'retry'"))
        conn.execute(text("UPDATE host_state SET next_allowed_at = now()"))
    pipeline.run_once(NEXT_DAY, run_key="run-3", settings=env, engine=engine)
    third = run_row(engine, "run-3")
    assert third.fetched == len(RETRYABLE) and third.loaded == len(RETRYABLE)
    assert third.error_summary == {"discover:malformed_feed": 1}
    assert loaded_paths(engine, site.base) == sorted([*GOOD, *RETRYABLE])
    rows = frontier_rows(engine, site.base)
    for path in RETRYABLE:
        assert (rows[path].state, rows[path].attempts) == ("done", 2), path
    for path, reason in PERMANENT.items():
        assert (rows[path].state, rows[path].last_reason) == ("failed", reason), path

    # Run 4 over the first window again: permanent failures are never retried, nothing doubles.
    pipeline.run_once(DAY, run_key="run-4", settings=env, engine=engine)
    fourth = run_row(engine, "run-4")
    assert (fourth.fetched, fourth.loaded, fourth.enqueued) == (0, 0, 0)
    assert all(site.hits[p] == 1 for p in [*PERMANENT, *GOOD]), site.hits
    assert all(site.hits[p] == 2 for p in RETRYABLE), site.hits
    with engine.connect() as conn:
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        hashes = conn.execute(text("SELECT count(DISTINCT content_hash) FROM articles")).scalar()
    assert articles == hashes == len(GOOD) + len(RETRYABLE)


def test_unexpected_exception_in_one_item_is_recorded_not_lost(
    site: FaultSite, env: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newswire import extract

    real = extract.extract_article

    def flaky(page: Any, source: Any) -> Any:
        if page.url.endswith("/good-2"):
            raise ValueError("a bug in one item")
        return real(page, source)

    monkeypatch.setattr(extract, "extract_article", flaky)
    pipeline.run_once(DAY, run_key="run-x", settings=env, engine=engine)
    rows = frontier_rows(engine, site.base)
    assert (rows["/good-2"].state, rows["/good-2"].last_reason) == ("failed", "ValueError")
    assert run_row(engine, "run-x").error_summary["ValueError"] == 1
    assert "/good-1" in loaded_paths(engine, site.base)
    assert "/good-3" in loaded_paths(engine, site.base)


def test_database_errors_still_fail_the_task(
    site: FaultSite, env: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from newswire import extract

    def db_down(page: Any, source: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    pipeline.discover_source("faulty", DAY, "run-db", settings=env, engine=engine)
    monkeypatch.setattr(extract, "extract_article", db_down)
    with pytest.raises(OperationalError):
        pipeline.process_batch("run-db", 0, ["faulty"], settings=env, engine=engine)
    with engine.connect() as conn:
        states = conn.execute(text("SELECT DISTINCT state FROM frontier")).scalars().all()
    # Nothing was recorded as failed: the claims come back to a retried task.
    assert "failed" not in states
