"""Peak memory of a process: its own, not its parent's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newswire import cputime

PLUGINS = str(Path(__file__).resolve().parents[1] / "plugins")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux procfs")
def test_a_child_of_a_big_process_reports_its_own_peak() -> None:
    ballast = bytearray(400 * 2**20)
    ballast[:: 2**12] = b"\x01" * len(ballast[:: 2**12])  # every page resident
    assert cputime.max_rss_mib() > 400
    child = subprocess.run(
        [sys.executable, "-c", "from newswire import cputime; print(cputime.max_rss_mib())"],
        env={"PYTHONPATH": PLUGINS},
        capture_output=True,
        text=True,
        check=True,
    )
    # getrusage would say over 400 MiB here (the parent's size at the fork).
    assert 1 < json.loads(child.stdout) < 100
    del ballast
