"""Benchmark: cost of the shared per-host rate limit and robots cache in PostgreSQL.

Prints requests slots taken per second by N worker threads (delay 0, so only the locking and
round trips are measured) and the latency of a robots.txt cache hit. Uses the news database
(NEWSWIRE_DATABASE_URL or the embedded one); writes only host_state/robots_cache rows of
hosts named bench-*.invalid and deletes them afterwards.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time

from sqlalchemy import text

from newswire.db.engine import get_engine
from newswire.db.migrate import upgrade
from newswire.fetch.politeness import PgHostPolicy
from newswire.settings import Settings

# Slots taken per worker thread, worker threads, and distinct hosts they share.
SLOTS_PER_WORKER = 500
WORKERS = (1, 4)
HOSTS = (1, 20)
# robots.txt cache lookups timed.
ROBOTS_LOOKUPS = 500


def bench_slots(policy: PgHostPolicy, workers: int, hosts: int) -> tuple[float, float]:
    """Slots per second and median milliseconds per reserve+finished pair."""
    latencies: list[float] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        mine = []
        for i in range(SLOTS_PER_WORKER):
            host = f"bench-{(n + i) % hosts}.invalid"
            started = time.perf_counter()
            policy.reserve(host, 0.0)
            policy.finished(host, 0.0)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return workers * SLOTS_PER_WORKER / elapsed, statistics.median(latencies) * 1000


def main() -> None:
    """Run the benchmark and print one line per case."""
    engine = get_engine(Settings.from_env())
    upgrade(engine)
    policy = PgHostPolicy(engine)
    try:
        for workers in WORKERS:
            for hosts in HOSTS:
                rate, median = bench_slots(policy, workers, hosts)
                print(
                    f"slots: workers={workers} hosts={hosts}"
                    f" {rate:8.0f} slots/s  median {median:.2f} ms per request"
                )
        policy.robots("http://bench-robots.invalid:80", lambda: "User-agent: *\nDisallow:\n")
        started = time.perf_counter()
        for _ in range(ROBOTS_LOOKUPS):
            policy.robots("http://bench-robots.invalid:80", lambda: None)
        per = (time.perf_counter() - started) / ROBOTS_LOOKUPS * 1000
        print(f"robots cache hit: {per:.2f} ms per lookup")
    finally:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM host_state WHERE host LIKE 'bench-%.invalid'"))
            conn.execute(
                text("DELETE FROM robots_cache WHERE origin LIKE '%bench-robots.invalid%'")
            )
        engine.dispose()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
