"""Test HTTP servers on 127.0.0.1: run one in a thread, keep proxies out of the way."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest

S = TypeVar("S", bound=socketserver.BaseServer)

# requests honours these: a proxy on the machine must not see loopback test traffic.
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


def clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset every proxy variable for the test."""
    for var in PROXY_VARIABLES:
        monkeypatch.delenv(var, raising=False)


@contextmanager
def running(srv: S) -> Iterator[S]:
    """Serve srv in a daemon thread until the block ends, then shut it down and close it."""
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
