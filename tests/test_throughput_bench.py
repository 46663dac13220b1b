"""The throughput benchmark's corpus and stage accounting (no timings are checked)."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bench import throughput_bench
from newswire import cputime

pytestmark = pytest.mark.bench


def test_stage_clock_charges_nested_stages_once() -> None:
    clock = cputime.StageClock()

    def spin(seconds: float) -> None:
        until = time.process_time() + seconds
        while time.process_time() < until:
            pass

    with clock.active(), cputime.stage("extract"):
        spin(0.02)
        with cputime.stage("clean"):
            spin(0.02)
    with cputime.stage("extract"):  # no active clock: not charged
        spin(0.01)
    assert set(clock.seconds) == {"extract", "clean"}
    assert 0.015 < clock.seconds["clean"] < 0.2
    assert 0.015 < clock.seconds["extract"] < 0.2
    split = cputime.apportion({"fetch": 3.0}, {"a": 2, "b": 1})
    assert split == {"a": {"fetch": 2.0}, "b": {"fetch": 1.0}}


def test_corpus_is_seeded_article_pages() -> None:
    pages = throughput_bench.corpus(20)
    assert pages == throughput_bench.corpus(20)
    assert len(pages) == 20 and len({p.url for p in pages}) >= 18
    html = pages[0].body.decode()
    for chrome in ('class="cookie-banner"', "<nav>", 'class="share"', "<footer>", "ld+json"):
        assert chrome in html
    assert all(throughput_bench.WINDOW.contains(p.captured) for p in pages)


def test_bench_reports_every_mode_and_stage(
    pg_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSWIRE_BENCH_DATABASE_URL", pg_server)
    args = argparse.Namespace(
        pages=20,
        memory_pages="10,20",
        batch_size=8,
        load_batch_size=500,
        parallelism=2,
        skip="c,d",
        json=None,
        workdir=tmp_path,
    )
    results = throughput_bench.bench(args)
    assert results["a"]["pages"] == 20 and results["a"]["pages_per_s"] > 0
    b = results["b"]
    assert b["counts"]["fetched"] == 20
    assert b["counts"]["loaded"] + b["counts"]["duplicates"] + b["counts"]["rejected"] <= 20
    assert b["counts"]["loaded"] > 0
    for stage in ("discover", "fetch", "extract", "clean", "dedup", "load"):
        assert b["cpu"][stage] > 0, stage
    assert set(b["max_rss_mib"]) == {"discover", "batch", "load"}
    assert 0 < b["machine_busy"] <= 1  # the run kept at least part of one core busy
    assert results["load"]["articles"] == b["counts"]["loaded"] + b["counts"]["duplicates"]
    assert set(results["memory"]) == {"10", "20"}


def test_busy_share_of_the_machine() -> None:
    ticks = throughput_bench.machine_ticks()
    assert ticks is not None and 0 <= ticks[0] <= ticks[1]
    assert throughput_bench.busy_share((10, 100), (60, 200)) == 0.5
    assert throughput_bench.busy_share((10, 100), (10, 100)) is None  # no time passed
    assert throughput_bench.busy_share(None, (60, 200)) is None


class _RunApi:
    """An Api stand-in whose run ends `lasts` seconds after its trigger (end_date)."""

    def __init__(self, lasts: float, state: str = "success") -> None:
        self.lasts, self.state, self.end = lasts, state, 0.0

    def trigger(self, run_id: str, window: object) -> None:
        self.end = time.time() + self.lasts

    def run(self, run_id: str) -> dict[str, object]:
        end = datetime.fromtimestamp(self.end, UTC).isoformat()
        return {"state": self.state, "end_date": end}


def test_dag_run_wall_time_ends_at_the_runs_end_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throughput_bench, "POLL_SECONDS", 0.0)
    timed: dict[str, object] = {}
    api: Any = _RunApi(7.5)
    wall = throughput_bench._finish(api, "r", throughput_bench.WINDOW, lambda: True, timed)
    assert wall == pytest.approx(7.5, abs=0.05)  # the poll came at once: the end_date counts
    assert {"started_unix", "ended_unix", "machine_busy"} <= timed.keys()
    with pytest.raises(RuntimeError, match="failed"):
        throughput_bench._finish(
            _RunApi(1.0, "failed"), "r", throughput_bench.WINDOW, lambda: True, {}
        )
