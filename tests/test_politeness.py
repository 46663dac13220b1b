"""Politeness shared through PostgreSQL: host slots, 429/503 back-off, cached robots.txt."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from newswire.errors import PermanentError, RetryableError
from newswire.fetch.http import Fetcher, host_key
from newswire.fetch.politeness import (
    DEFAULT_BACKOFF,
    MemoryHostPolicy,
    PgHostPolicy,
    backoff_seconds,
)
from newswire.models import SourceConfig
from support.httpserver import clear_proxies, running
from test_fetch import FAST, SOURCE, Server, html, status


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    clear_proxies(monkeypatch)
    with running(Server()) as srv:
        yield srv


def host_row(engine: Any, host: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT *, EXTRACT(EPOCH FROM next_allowed_at - clock_timestamp()) AS ahead,"
                " EXTRACT(EPOCH FROM backoff_until - clock_timestamp()) AS backoff_ahead"
                " FROM host_state WHERE host = :h"
            ),
            {"h": host},
        ).one()


def test_host_key_keeps_only_unusual_ports() -> None:
    assert host_key("example.com", 443) == "example.com"
    assert host_key("example.com", 80) == "example.com"
    assert host_key("127.0.0.1", 8765) == "127.0.0.1:8765"


def test_backoff_seconds() -> None:
    assert backoff_seconds(None) == DEFAULT_BACKOFF
    assert backoff_seconds(5.0) == 5.0
    assert backoff_seconds(-3.0) == 0.0
    assert backoff_seconds(10**9) == 6 * 3600.0


def test_pg_slots_are_spaced_by_the_delay(engine: Any) -> None:
    policy = PgHostPolicy(engine)
    first = policy.reserve("news.example", 10.0)
    second = policy.reserve("news.example", 10.0)
    third = policy.reserve("other.example", 10.0)
    assert first.granted and first.wait == 0.0
    assert second.granted and 9.0 < second.wait <= 10.0  # one delay after the first slot
    assert third.granted and third.wait == 0.0  # hosts are independent
    row = host_row(engine, "news.example")
    assert row.requests == 2
    assert 19.0 < row.ahead <= 20.0


def test_pg_slot_too_far_away_is_refused_without_reserving(engine: Any) -> None:
    policy = PgHostPolicy(engine, max_wait=60.0)
    policy.back_off("slow.example", 600.0, 429)
    slot = policy.reserve("slow.example", 1.0)
    assert not slot.granted and 590 < slot.wait <= 600
    row = host_row(engine, "slow.example")
    assert row.requests == 0 and row.backoffs == 1 and row.last_status == 429
    assert 590 < row.ahead <= 600


def test_memory_policy_has_the_same_rules() -> None:
    policy = MemoryHostPolicy(max_wait=60.0)
    assert policy.reserve("h", 10.0).wait == 0.0
    assert 9.0 < policy.reserve("h", 10.0).wait <= 10.0
    policy.back_off("h", 600.0, 503)
    assert not policy.reserve("h", 1.0).granted


def test_429_retry_after_pushes_the_host_back_for_every_worker(server: Server, engine: Any) -> None:
    server.routes["/limited"] = status(429, **{"Retry-After": "120"})
    server.routes["/page"] = html(b"<p>fine</p>")
    host = host_key("127.0.0.1", server.port)
    with (
        Fetcher(FAST, policy=PgHostPolicy(engine)) as worker_a,
        pytest.raises(RetryableError) as info,
    ):
        worker_a.fetch(server.url("/limited"), SOURCE)
    assert info.value.reason == "http_429" and info.value.retry_after == 120.0
    row = host_row(engine, host)
    assert row.last_status == 429 and row.backoffs == 1
    assert 110 < row.backoff_ahead <= 120 and 110 < row.ahead <= 120
    # Another worker (another Fetcher, another policy object) must not hit the host now.
    with (
        Fetcher(FAST, policy=PgHostPolicy(engine)) as worker_b,
        pytest.raises(RetryableError) as info,
    ):
        worker_b.fetch(server.url("/page"), SOURCE)
    assert info.value.reason == "host_backoff"
    assert info.value.retry_after is not None and info.value.retry_after > 100
    assert "/page" not in server.paths()


def test_503_without_retry_after_backs_off_by_default(server: Server, engine: Any) -> None:
    server.routes["/busy"] = status(503)
    with Fetcher(FAST, policy=PgHostPolicy(engine)) as fetcher, pytest.raises(RetryableError):
        fetcher.fetch(server.url("/busy"), SOURCE)
    row = host_row(engine, host_key("127.0.0.1", server.port))
    assert row.last_status == 503
    assert DEFAULT_BACKOFF - 5 < row.ahead <= DEFAULT_BACKOFF


def test_two_workers_share_one_rate_limit(server: Server, engine: Any) -> None:
    server.routes["/a"] = html(b"a")
    source = SourceConfig(name="t", kind="rss", urls=(), allow_private=True, min_delay=0.3)

    def work() -> None:
        with Fetcher(FAST, policy=PgHostPolicy(engine)) as fetcher:
            for _ in range(3):
                fetcher.fetch(server.url("/a"), source)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(s.at for s in server.seen if s.path == "/a")
    assert len(times) == 6
    # Ordering, not speed: no two requests of either worker closer than the host's delay.
    assert all(b - a >= 0.29 for a, b in itertools.pairwise(times))
    assert host_row(engine, host_key("127.0.0.1", server.port)).requests == 6


def test_crawl_delay_is_recorded_and_honoured(server: Server, engine: Any) -> None:
    server.routes["/robots.txt"] = html(b"User-agent: *\nCrawl-delay: 0.4\n", "text/plain")
    server.routes["/a"] = html(b"a")
    with Fetcher(FAST, policy=PgHostPolicy(engine)) as fetcher:
        for _ in range(2):
            fetcher.fetch(server.url("/a"), SOURCE)
    first, second = (s.at for s in server.seen if s.path == "/a")
    assert second - first >= 0.39
    assert host_row(engine, host_key("127.0.0.1", server.port)).crawl_delay == 0.4


def test_robots_cached_in_postgres_across_workers_until_stale(server: Server, engine: Any) -> None:
    server.routes["/robots.txt"] = html(b"User-agent: *\nDisallow: /private\n", "text/plain")
    server.routes["/a"] = html(b"a")
    for _ in range(2):  # two workers, each with its own Fetcher and policy object
        with Fetcher(FAST, policy=PgHostPolicy(engine)) as fetcher:
            fetcher.fetch(server.url("/a"), SOURCE)
            with pytest.raises(PermanentError) as info:
                fetcher.fetch(server.url("/private/x"), SOURCE)
            assert info.value.reason == "robots_disallowed"
    assert server.paths().count("/robots.txt") == 1
    origin = f"http://127.0.0.1:{server.port}"
    with engine.begin() as conn:
        body = conn.execute(
            text("SELECT body FROM robots_cache WHERE origin = :o"), {"o": origin}
        ).scalar_one()
        assert "Disallow: /private" in body
        conn.execute(text("UPDATE robots_cache SET fetched_at = now() - interval '25 hours'"))
    with Fetcher(FAST, policy=PgHostPolicy(engine, robots_ttl=timedelta(hours=24))) as fetcher:
        fetcher.fetch(server.url("/a"), SOURCE)
    assert server.paths().count("/robots.txt") == 2


def test_missing_robots_is_cached_as_allow_all(server: Server, engine: Any) -> None:
    server.routes["/a"] = html(b"a")
    for _ in range(2):
        with Fetcher(FAST, policy=PgHostPolicy(engine)) as fetcher:
            fetcher.fetch(server.url("/a"), SOURCE)
    assert server.paths().count("/robots.txt") == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT body FROM robots_cache")).scalar_one() is None


def test_unavailable_robots_is_not_cached(server: Server, engine: Any) -> None:
    server.routes["/robots.txt"] = status(500)
    server.routes["/a"] = html(b"a")
    with (
        Fetcher(FAST, policy=PgHostPolicy(engine)) as fetcher,
        pytest.raises(RetryableError) as info,
    ):
        fetcher.fetch(server.url("/a"), SOURCE)
    assert info.value.reason == "robots_unavailable"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM robots_cache")).scalar_one() == 0
