"""Per-host politeness shared by all workers: request slots, back-off and cached robots.txt."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

# How long a fetched robots.txt is trusted before it is fetched again (RFC 9309 suggests 24 h).
ROBOTS_TTL = timedelta(hours=24)
# Longest wait for a host's next slot a worker sleeps through; beyond it the item is retried
# later (so one host's Retry-After of an hour does not stall a worker for an hour).
MAX_WAIT = 60.0
# Back-off applied to a host after a 429/503 without a usable Retry-After, in seconds.
DEFAULT_BACKOFF = 30.0
# Upper bound on a server's Retry-After we apply to the whole host, in seconds.
MAX_BACKOFF = 6 * 3600.0


@dataclass(frozen=True)
class Slot:
    """The outcome of asking for a host's next request slot."""

    wait: float  # seconds until the slot (0 when it is free now)
    granted: bool  # False: the wait exceeded max_wait and nothing was reserved


@dataclass(frozen=True)
class RobotsEntry:
    """A cached robots.txt: its text, or None when the origin has none (allow all)."""

    body: str | None


class HostPolicy(Protocol):
    """Where per-host politeness state lives: process memory or PostgreSQL."""

    def reserve(self, host: str, delay: float, crawl_delay: float = 0.0) -> Slot:
        """Take the host's next slot and push the following one delay seconds later."""
        ...

    def finished(self, host: str, delay: float) -> None:
        """Keep the host's next slot at least delay seconds after a request just finished."""
        ...

    def back_off(self, host: str, seconds: float, status: int) -> None:
        """Push the host's next slot seconds from now (a 429/503 with Retry-After)."""
        ...

    def robots(self, origin: str, load: Callable[[], str | None]) -> RobotsEntry:
        """The origin's robots.txt from the cache, calling load() when absent or stale."""
        ...


def backoff_seconds(retry_after: float | None) -> float:
    """Seconds a 429/503 pushes its host back: Retry-After capped, or the default."""
    if retry_after is None:
        return DEFAULT_BACKOFF
    return min(max(0.0, retry_after), MAX_BACKOFF)


class MemoryHostPolicy:
    """Politeness state of one process (unit tests, one-off fetches)."""

    def __init__(self, max_wait: float = MAX_WAIT, robots_ttl: timedelta = ROBOTS_TTL) -> None:
        self.max_wait = max_wait
        self.robots_ttl = robots_ttl.total_seconds()
        self._next_slot: dict[str, float] = {}  # host -> monotonic time of the next request
        self._robots: dict[str, tuple[float, RobotsEntry]] = {}  # origin -> (fetched at, entry)
        self._lock = threading.Lock()

    def reserve(self, host: str, delay: float, crawl_delay: float = 0.0) -> Slot:
        """Take the host's next slot and push the following one delay seconds later."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            if slot - now > self.max_wait:
                return Slot(slot - now, granted=False)
            self._next_slot[host] = slot + delay
        return Slot(slot - now, granted=True)

    def finished(self, host: str, delay: float) -> None:
        """Keep the host's next slot at least delay seconds after a request just finished."""
        with self._lock:
            done = time.monotonic() + delay
            self._next_slot[host] = max(self._next_slot.get(host, done), done)

    def back_off(self, host: str, seconds: float, status: int) -> None:
        """Push the host's next slot seconds from now (a 429/503 with Retry-After)."""
        with self._lock:
            until = time.monotonic() + seconds
            self._next_slot[host] = max(self._next_slot.get(host, until), until)

    def robots(self, origin: str, load: Callable[[], str | None]) -> RobotsEntry:
        """The origin's robots.txt from the cache, calling load() when absent or stale."""
        with self._lock:
            cached = self._robots.get(origin)
        if cached is not None and time.monotonic() - cached[0] < self.robots_ttl:
            return cached[1]
        entry = RobotsEntry(load())
        with self._lock:
            self._robots[origin] = (time.monotonic(), entry)
        return entry


class PgHostPolicy:
    """Politeness state in PostgreSQL (host_state, robots_cache), shared by every worker."""

    def __init__(
        self, engine: Engine, max_wait: float = MAX_WAIT, robots_ttl: timedelta = ROBOTS_TTL
    ) -> None:
        self.engine = engine
        self.max_wait = max_wait
        self.robots_ttl = robots_ttl

    def reserve(self, host: str, delay: float, crawl_delay: float = 0.0) -> Slot:
        """Take the host's next slot under a row lock; refuse waits longer than max_wait."""
        with self.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO host_state (host) VALUES (:h) ON CONFLICT (host) DO NOTHING"),
                {"h": host},
            )
            wait = conn.execute(
                text(
                    "SELECT GREATEST(0, EXTRACT(EPOCH FROM next_allowed_at - clock_timestamp()))"
                    " FROM host_state WHERE host = :h FOR UPDATE"
                ),
                {"h": host},
            ).scalar_one()
            wait = float(wait)
            if wait > self.max_wait:
                return Slot(wait, granted=False)
            conn.execute(
                text(
                    "UPDATE host_state SET next_allowed_at ="
                    " GREATEST(next_allowed_at, clock_timestamp()) + make_interval(secs => :d),"
                    " crawl_delay = :cd, requests = requests + 1, updated_at = clock_timestamp()"
                    " WHERE host = :h"
                ),
                {"h": host, "d": delay, "cd": crawl_delay},
            )
        return Slot(wait, granted=True)

    def finished(self, host: str, delay: float) -> None:
        """Keep the host's next slot at least delay seconds after a request just finished."""
        if delay <= 0:
            return
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE host_state SET next_allowed_at = GREATEST(next_allowed_at,"
                    " clock_timestamp() + make_interval(secs => :d)) WHERE host = :h"
                ),
                {"h": host, "d": delay},
            )

    def back_off(self, host: str, seconds: float, status: int) -> None:
        """Push the host's next slot seconds from now and remember why."""
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO host_state AS h (host, next_allowed_at, last_status,"
                    " backoff_until, backoffs)"
                    " VALUES (:h, clock_timestamp() + make_interval(secs => :s), :st,"
                    " clock_timestamp() + make_interval(secs => :s), 1)"
                    " ON CONFLICT (host) DO UPDATE SET"
                    " next_allowed_at = GREATEST(h.next_allowed_at, EXCLUDED.next_allowed_at),"
                    " backoff_until = EXCLUDED.backoff_until, last_status = EXCLUDED.last_status,"
                    " backoffs = h.backoffs + 1, updated_at = clock_timestamp()"
                ),
                {"h": host, "s": seconds, "st": status},
            )
        log.info("host %s: HTTP %d, next request in %.1fs", host, status, seconds)

    def robots(self, origin: str, load: Callable[[], str | None]) -> RobotsEntry:
        """robots.txt from robots_cache while fresh, else load() and store it for everyone."""
        with self.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT body FROM robots_cache WHERE origin = :o"
                    " AND fetched_at > clock_timestamp() - :ttl"
                ),
                {"o": origin, "ttl": self.robots_ttl},
            ).first()
        if row is not None:
            return RobotsEntry(row.body)
        body = load()  # outside any transaction: this is a network call
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO robots_cache (origin, body, fetched_at)"
                    " VALUES (:o, :b, clock_timestamp())"
                    " ON CONFLICT (origin) DO UPDATE SET body = EXCLUDED.body,"
                    " fetched_at = EXCLUDED.fetched_at"
                ),
                {"o": origin, "b": body},
            )
        return RobotsEntry(body)
