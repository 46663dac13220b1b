"""WARC failures: only what warcio, gzip, zlib or the file raise marks a file broken; newswire's
own errors propagate; remote files fail by the HTTP status policy or a broken connection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newswire.discover import DiscoverContext, warc
from newswire.errors import PermanentError, RetryableError
from newswire.fetch.http import FetchSettings
from newswire.models import SourceConfig, Window
from support.httpserver import clear_proxies, running
from support.warcdata import Capture, Resource, serve, warc_bytes, write_warc

DAY = Window(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 1, 16, tzinfo=UTC))
AT = datetime(2026, 1, 15, 12, tzinfo=UTC)
PAGE = b"<html><head><title>t</title></head><body><p>text</p></body></html>"
CAPTURES = [
    Capture("https://keep.example/1", AT, PAGE),
    Capture("https://keep.example/2", AT, PAGE),
]
FAST = FetchSettings(connect_timeout=1.0, read_timeout=1.0)


def _source(*urls: str) -> SourceConfig:
    return SourceConfig(
        name="t", kind="warc", urls=urls, allow_private=True, min_delay=0.0, hosts=("keep.example",)
    )


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)


def _boom(exc: type[Exception]) -> Any:
    def raiser(*args: object, **kwargs: object) -> Any:
        raise exc("a bug in newswire's own parsing")

    return raiser


@pytest.mark.parametrize(
    ("function", "exc"),
    [
        ("page_date", ValueError),  # the page's own date, read by newswire
        ("item_time", AttributeError),
        ("parse_datetime", ValueError),  # the record's WARC-Date, read inside _http_page
        ("parse_datetime", AttributeError),
    ],
)
def test_newswire_errors_while_scanning_propagate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str, exc: type[Exception]
) -> None:
    """A bug of ours fails the task loudly: not a truncated_warc file with its records lost."""
    path = write_warc(tmp_path / "a.warc.gz", CAPTURES)
    source = _source(path.as_uri())
    assert len(list(warc.discover(source, DAY, None, DiscoverContext()))) == 2  # type: ignore[arg-type]
    monkeypatch.setattr(warc, function, _boom(exc))
    ctx = DiscoverContext()  # not strict: a broken file would be recorded, not raised
    with pytest.raises(exc, match="a bug in newswire"):
        list(warc.discover(source, DAY, None, ctx))  # type: ignore[arg-type]
    assert ctx.errors == {}


def test_newswire_errors_while_reading_a_record_back_propagate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_warc(tmp_path / "a.warc.gz", CAPTURES)
    source = _source(path.as_uri())
    item = next(warc.discover(source, DAY, None, DiscoverContext()))  # type: ignore[arg-type]
    assert item.record is not None
    monkeypatch.setattr(warc, "parse_datetime", _boom(AttributeError))
    with pytest.raises(AttributeError, match="a bug in newswire"):
        warc.read_record(item.record, source, FAST)


def test_a_cut_file_is_still_a_broken_file(tmp_path: Path) -> None:
    """What warcio raises on a cut file still ends that file as truncated_warc, earlier kept."""
    data = warc_bytes(CAPTURES)
    first_member = len(warc_bytes(CAPTURES[:1]))
    # warcio reads a file cut inside a gzip header or trailer as ending early; these cuts fall
    # inside the second record's WARC headers and its payload
    for cut in (first_member + 120, len(data) - 30):
        path = tmp_path / f"cut-{cut}.warc.gz"
        path.write_bytes(data[:cut])
        ctx = DiscoverContext()
        items = list(warc.discover(_source(path.as_uri()), DAY, None, ctx))  # type: ignore[arg-type]
        assert [i.url for i in items] == ["https://keep.example/1"], cut
        assert ctx.errors == {"discover:truncated_warc": 1}, cut


def test_a_corrupt_record_read_back_is_truncated_warc(tmp_path: Path) -> None:
    """Bytes that warcio cannot decompress, read back by offset: the record is broken."""
    path = write_warc(tmp_path / "a.warc.gz", CAPTURES)
    source = _source(path.as_uri())
    item = next(warc.discover(source, DAY, None, DiscoverContext()))  # type: ignore[arg-type]
    assert item.record is not None
    data = bytearray(path.read_bytes())
    middle = item.record.offset + item.record.length // 2
    data[middle : middle + 16] = bytes(16)
    path.write_bytes(bytes(data))
    with pytest.raises(PermanentError) as info:
        warc.read_record(item.record, source, FAST)
    assert info.value.reason == "truncated_warc"


@pytest.mark.parametrize(
    ("status", "retryable"), [(408, True), (425, True), (503, True), (404, False), (451, False)]
)
def test_remote_warc_status_follows_the_status_policy(status: int, retryable: bool) -> None:
    with serve({"/a.warc.gz": Resource(b"", "application/octet-stream", status=status)}) as srv:
        ctx = DiscoverContext()
        source = _source(f"{srv.base_url}/a.warc.gz")
        assert list(warc.discover(source, DAY, None, ctx)) == []  # type: ignore[arg-type]
    assert ctx.errors == {f"discover:http_{status}": 1}
    assert [e.reason for e in ctx.retryable] == ([f"http_{status}"] if retryable else [])


class _CutServer(ThreadingHTTPServer):
    """Serves a WARC file but drops the connection after `sent` of its bytes."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, body: bytes, sent: int) -> None:
        super().__init__(("127.0.0.1", 0), _CutHandler)
        self.body = body
        self.sent = sent

    def handle_error(self, request: Any, client_address: Any) -> None:
        """The reset is the point of this server."""


class _CutHandler(BaseHTTPRequestHandler):
    server: _CutServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body[: self.server.sent])
        self.wfile.flush()
        self.close_connection = True  # closed short of Content-Length


@pytest.fixture
def cut_server() -> Iterator[_CutServer]:
    data = warc_bytes(CAPTURES)
    with running(_CutServer(data, len(warc_bytes(CAPTURES[:1])) + 60)) as srv:
        yield srv


def test_a_connection_broken_mid_file_is_retryable(cut_server: _CutServer) -> None:
    """The network failing is no broken file: the file is read again on a later try."""
    ctx = DiscoverContext()
    url = f"http://127.0.0.1:{cut_server.server_address[1]}/a.warc.gz"
    items = list(warc.discover(_source(url), DAY, None, ctx))  # type: ignore[arg-type]
    assert [i.url for i in items] == ["https://keep.example/1"]
    assert ctx.errors == {"discover:connection": 1}
    assert [type(e) for e in ctx.retryable] == [RetryableError]
