"""Per-stage CPU accounting: process CPU seconds of fetch, extract, clean, dedup and load.

A task activates a StageClock; library code marks its stages with `stage(name)`, which costs
two `time.process_time()` calls and does nothing when no clock is active. Stages nest: the
time of an inner stage (clean inside extract, dedup inside load) counts for the inner stage
only. The counts go to run_task_stats (`counts.cpu`, `counts.max_rss_mib`), where
`report.run_resources()` sums them per run.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

# The pipeline's stages, in order (discover is the listing of a source's items).
STAGES = ("discover", "fetch", "extract", "clean", "dedup", "load")

# ru_maxrss is in KiB on Linux, in bytes on macOS.
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024

# Where Linux gives a process's memory high-water mark (VmHWM, in kB).
_STATUS = "/proc/self/status"

_active: ContextVar[StageClock | None] = ContextVar("newswire_stage_clock", default=None)


@dataclass
class StageClock:
    """CPU seconds per stage of the current task (process time, this process only)."""

    seconds: dict[str, float] = field(default_factory=dict)
    _stack: list[list[float]] = field(default_factory=list)  # [start, nested seconds]

    @contextmanager
    def active(self) -> Iterator[StageClock]:
        """Make this clock the one `stage()` charges, in this context."""
        token = _active.set(self)
        try:
            yield self
        finally:
            _active.reset(token)

    def begin(self) -> None:
        """Start a stage (see end)."""
        self._stack.append([time.process_time(), 0.0])

    def end(self, name: str) -> None:
        """End the innermost stage, charging it its time minus that of its inner stages."""
        started, nested = self._stack.pop()
        spent = time.process_time() - started
        self.seconds[name] = self.seconds.get(name, 0.0) + spent - nested
        if self._stack:
            self._stack[-1][1] += spent


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Charge the CPU time of the block to `name` on the active clock, if any."""
    clock = _active.get()
    if clock is None:
        yield
        return
    clock.begin()
    try:
        yield
    finally:
        clock.end(name)


def max_rss_mib() -> float:
    """This process's peak resident set size (high-water mark), in MiB.

    Linux's VmHWM where there is one: getrusage's ru_maxrss of a process started by fork and
    exec keeps its parent's size at the fork (a small child of a big parent reports the parent).
    """
    try:
        with open(_STATUS, encoding="ascii") as status:
            peak_kib = next((int(x.split()[1]) for x in status if x.startswith("VmHWM:")), None)
    except FileNotFoundError:  # no procfs (macOS): getrusage
        peak_kib = None
    if peak_kib is not None:
        return round(peak_kib / 2**10, 1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _RSS_UNIT
    return round(peak / 2**20, 1)


def apportion(
    seconds: Mapping[str, float], weights: Mapping[str, int]
) -> dict[str, dict[str, float]]:
    """Split stage seconds among keys (sources) in proportion to their weights (items)."""
    total = sum(weights.values())
    split: dict[str, dict[str, float]] = {}
    for key, weight in weights.items():
        share = weight / total if total else 0.0
        split[key] = {name: value * share for name, value in seconds.items()}
    return split


def add(into: dict[str, float], seconds: Mapping[str, float]) -> None:
    """Add stage seconds into a running total."""
    for name, value in seconds.items():
        into[name] = into.get(name, 0.0) + value


def rounded(seconds: Mapping[str, float]) -> dict[str, float]:
    """Stage seconds as stored in run stats (microsecond precision)."""
    return {name: round(value, 6) for name, value in seconds.items()}
