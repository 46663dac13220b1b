"""Helpers for tests that run real Airflow processes: ports, a clean environment, the API."""

from __future__ import annotations

import os
import socket
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# Settings of the developer's shell that must not leak into a test's Airflow.
_SKIPPED_PREFIXES = ("AIRFLOW", "NEWSWIRE_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env() -> dict[str, str]:
    """os.environ without Airflow, newswire and proxy settings; this venv's binaries and the
    checkout's plugins first on PATH and PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(_SKIPPED_PREFIXES)}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "plugins"), env.get("PYTHONPATH")])
    )
    return env


def no_proxy_opener() -> urllib.request.OpenerDirector:
    """A urllib opener that talks to loopback directly, whatever the proxy settings."""
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def api_up(api_url: str) -> bool:
    """Whether the Airflow API server at api_url answers /api/v2/version."""
    try:
        with no_proxy_opener().open(f"{api_url}/api/v2/version", timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False
