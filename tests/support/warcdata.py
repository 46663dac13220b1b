"""Test data for archive sources: a tiny static HTTP server and WARC files written with warcio."""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_RANGE = re.compile(r"bytes=(\d+)-(\d+)")


@dataclass
class Resource:
    """A served body with its content type and optional ETag."""

    body: bytes
    content_type: str = "application/xml"
    etag: str | None = None
    status: int = 200
    range_delay: float = 0.0  # seconds before answering a Range request (a slow archive)


@dataclass
class StaticServer:
    """Routes (path -> Resource) and every request seen: (path, headers)."""

    base_url: str
    routes: dict[str, Resource]
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: Any = self.server
        state: StaticServer = server.state
        state.seen.append((self.path, dict(self.headers)))
        res = state.routes.get(self.path)
        if res is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if res.etag and self.headers.get("If-None-Match") == res.etag:
            self.send_response(304)
            self.send_header("ETag", res.etag)
            self.end_headers()
            return
        body, status = res.body, res.status
        match = _RANGE.match(self.headers.get("Range", ""))
        if match:
            body, status = body[int(match.group(1)) : int(match.group(2)) + 1], 206
            time.sleep(res.range_delay)
        self.send_response(status)
        self.send_header("Content-Type", res.content_type)
        self.send_header("Content-Length", str(len(body)))
        if res.etag:
            self.send_header("ETag", res.etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextmanager
def serve(routes: dict[str, Resource]) -> Iterator[StaticServer]:
    """Serve routes on 127.0.0.1 in a daemon thread."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    state = StaticServer(f"http://127.0.0.1:{httpd.server_address[1]}", routes)
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class Capture:
    """One response record to write: URL, capture time, HTML body, HTTP status/type."""

    url: str
    captured: datetime
    body: bytes
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"


def warc_bytes(captures: Sequence[Capture]) -> bytes:
    """A gzipped WARC file (one member per record) holding the captures."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for cap in captures:
        headers = StatusAndHeaders(
            cap.status, [("Content-Type", cap.content_type)], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            cap.url,
            "response",
            payload=io.BytesIO(cap.body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": cap.captured.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        writer.write_record(record)
    return out.getvalue()


def write_warc(path: Path, captures: Sequence[Capture], truncate: int = 0) -> Path:
    """Write a WARC file; truncate cuts that many bytes off its end (a broken download)."""
    data = warc_bytes(captures)
    path.write_bytes(data[: len(data) - truncate] if truncate else data)
    return path
