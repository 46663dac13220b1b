"""Tests for newswire.fetch.http against a real local HTTP server on 127.0.0.1."""

from __future__ import annotations

import itertools
import logging
import socket
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newswire.errors import ConfigError, PermanentError, RetryableError
from newswire.fetch import http
from newswire.fetch.charset import declared_charset
from newswire.fetch.http import (
    Fetcher,
    FetchSettings,
    _resolve,
    check_address,
    parse_retry_after,
)
from newswire.fetch.status import status_policy
from newswire.models import SourceConfig
from support.httpserver import clear_proxies, running

SOURCE = SourceConfig(name="test", kind="rss", urls=(), allow_private=True, min_delay=0.0)
PUBLIC = SourceConfig(name="public", kind="rss", urls=(), allow_private=False, min_delay=0.0)
FAST = FetchSettings(connect_timeout=1.0, read_timeout=0.3, robots_timeout=0.3)


@dataclass
class Seen:
    """One request as the server received it."""

    path: str
    headers: Message
    at: float


Route = Callable[["Handler"], None]


class Server(ThreadingHTTPServer):
    """Threaded test server recording every request; routes map a path to a handler function."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [s.path for s in self.seen]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Broken pipes from clients that gave up are expected here."""


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self.server.seen.append(Seen(self.path, self.headers, time.monotonic()))
        route = self.server.routes.get(self.path)
        if route is None:
            self.reply(404, b"not found", "text/plain")
        else:
            route(self)

    def reply(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = "text/html",
        headers: dict[str, str] | None = None,
        length: bool = True,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def html(
    body: bytes, content_type: str | None = "text/html", length: bool = True, **headers: str
) -> Route:
    return lambda h: h.reply(200, body, content_type, headers, length)


def status(code: int, **headers: str) -> Route:
    return lambda h: h.reply(code, f"status {code}".encode(), "text/plain", headers)


def redirect(location: str, code: int = 302) -> Route:
    return lambda h: h.reply(code, b"", None, {"Location": location})


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    clear_proxies(monkeypatch)
    with running(Server()) as srv:
        yield srv


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as f:
        yield f


def error_of(call: Callable[[], object]) -> RetryableError | PermanentError:
    with pytest.raises((RetryableError, PermanentError)) as info:
        call()
    assert isinstance(info.value, RetryableError | PermanentError)
    return info.value


# --- success, charset --------------------------------------------------------------------------


def test_200_html_with_charset(server: Server, fetcher: Fetcher) -> None:
    body = "<html><body>Café</body></html>".encode("iso-8859-1")
    server.routes["/a"] = html(body, "Text/HTML; Charset=ISO-8859-1")
    page = fetcher.fetch(server.url("/a"), SOURCE)
    assert page.status == 200
    assert page.url == page.final_url == server.url("/a")
    assert page.content_type == "text/html"
    assert page.encoding == "iso-8859-1"
    assert page.body == body
    assert page.body.decode(page.encoding) == "<html><body>Café</body></html>"
    assert page.fetched_at.tzinfo is not None
    assert page.elapsed_ms >= 0
    assert server.paths() == ["/robots.txt", "/a"]
    assert server.seen[1].headers["User-Agent"] == FAST.user_agent


def test_meta_charset_sniffed_when_header_has_none(server: Server, fetcher: Fetcher) -> None:
    server.routes["/meta"] = html(b'<html><head><meta charset="windows-1252"></head>\x93hi\x94')
    server.routes["/equiv"] = html(
        b'<head><meta http-equiv="Content-Type" content="text/html; charset=KOI8-R"></head>'
    )
    assert fetcher.fetch(server.url("/meta"), SOURCE).encoding == "windows-1252"
    assert fetcher.fetch(server.url("/equiv"), SOURCE).encoding == "koi8-r"


def test_meta_beyond_4kib_is_not_sniffed(server: Server, fetcher: Fetcher) -> None:
    server.routes["/late"] = html(b" " * 5000 + b'<meta charset="koi8-r">')
    assert fetcher.fetch(server.url("/late"), SOURCE).encoding is None


def test_bogus_charset_falls_back_without_raising(server: Server, fetcher: Fetcher) -> None:
    server.routes["/bogus-meta"] = html(
        b'<meta charset="utf-8"><p>ok</p>', "text/html; charset=no-such-codec"
    )
    server.routes["/bogus"] = html(b"<p>no hints</p>", "text/html; charset=no-such-codec")
    server.routes["/bytes-codec"] = html(b"<p>x</p>", "text/html; charset=base64")
    server.routes["/bad-meta"] = html(b'<meta charset="nonsense-9"><p>x</p>')
    assert fetcher.fetch(server.url("/bogus-meta"), SOURCE).encoding == "utf-8"
    assert fetcher.fetch(server.url("/bogus"), SOURCE).encoding is None
    assert fetcher.fetch(server.url("/bytes-codec"), SOURCE).encoding is None
    assert fetcher.fetch(server.url("/bad-meta"), SOURCE).encoding is None


def test_detect_encoding_rules() -> None:
    assert declared_charset('text/html; charset="UTF-8"', b"") == "utf-8"
    assert declared_charset("text/html", b"\xef\xbb\xbf<p>caf\xc3\xa9</p>") == "utf-8"  # BOM
    assert declared_charset("text/html", b'<meta charset="utf-16">') == "utf-8"  # HTML spec rule
    assert declared_charset("text/xml", b'<?xml version="1.0" encoding="koi8-r"?>') == "koi8-r"
    assert declared_charset("text/html; charset=rot13", b"<p>") is None


# --- HTTP errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "cls", "reason"),
    [
        (404, PermanentError, "http_404"),
        (410, PermanentError, "http_410"),
        (403, PermanentError, "http_403"),
        (451, PermanentError, "http_451"),
        (400, PermanentError, "http_400"),
        (300, PermanentError, "http_300"),
        (408, RetryableError, "http_408"),
        (425, RetryableError, "http_425"),
        (429, RetryableError, "http_429"),
        (500, RetryableError, "http_500"),
        (502, RetryableError, "http_502"),
        (503, RetryableError, "http_503"),
        (599, RetryableError, "http_599"),
    ],
)
def test_http_errors(
    server: Server, fetcher: Fetcher, code: int, cls: type[Exception], reason: str
) -> None:
    server.routes["/e"] = status(code)
    err = error_of(lambda: fetcher.fetch(server.url("/e"), SOURCE))
    assert type(err) is cls
    assert err.reason == reason
    assert server.paths()[-1] == "/e"


def test_status_policy_table() -> None:
    retryable = {s for s in range(100, 600) if status_policy(s).retryable}
    assert retryable == {408, 425, 429, *range(500, 600)}
    assert {s for s in range(100, 600) if status_policy(s).throttle} == {429, 503}
    assert status_policy(451).reason == "http_451" and status_policy(425).reason == "http_425"


@pytest.mark.parametrize(("code", "throttles"), [(408, False), (425, False), (429, True)])
def test_only_throttle_statuses_back_the_host_off(
    server: Server, code: int, throttles: bool
) -> None:
    """A 429 (or 503) pushes the whole host back by its Retry-After; a 408 or 425 does not."""
    server.routes["/e"] = status(code, **{"Retry-After": "600"})
    server.routes["/next"] = html(b"<p>fine</p>")
    with Fetcher(FAST) as f:
        err = error_of(lambda: f.fetch(server.url("/e"), SOURCE))
        assert isinstance(err, RetryableError) and err.status == code
        assert err.retry_after == (600.0 if throttles else None)
        if throttles:
            backed_off = error_of(lambda: f.fetch(server.url("/next"), SOURCE))
            assert backed_off.reason == "host_backoff"
            assert server.paths()[-1] == "/e"  # the host was not asked again
        else:
            assert f.fetch(server.url("/next"), SOURCE).status == 200


def test_503_with_retry_after_seconds(server: Server, fetcher: Fetcher) -> None:
    server.routes["/busy"] = status(503, **{"Retry-After": "120"})
    err = error_of(lambda: fetcher.fetch(server.url("/busy"), SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "http_503"
    assert err.retry_after == 120.0


def test_429_with_retry_after_http_date(server: Server, fetcher: Fetcher) -> None:
    server.routes["/slow-down"] = status(
        429, **{"Retry-After": formatdate(time.time() + 60, usegmt=True)}
    )
    err = error_of(lambda: fetcher.fetch(server.url("/slow-down"), SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "http_429"
    assert err.retry_after is not None
    assert 55 <= err.retry_after <= 61


def test_parse_retry_after() -> None:
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after(" 30 ") == 30.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None
    assert parse_retry_after(None) is None


# --- transport failures ------------------------------------------------------------------------


def test_read_timeout_before_headers(server: Server, fetcher: Fetcher) -> None:
    def sleepy(h: Handler) -> None:
        time.sleep(0.8)
        h.reply(200, b"late")

    server.routes["/sleepy"] = sleepy
    started = time.monotonic()
    err = error_of(lambda: fetcher.fetch(server.url("/sleepy"), SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "timeout"
    assert time.monotonic() - started < 0.75


def test_read_timeout_while_streaming_body(server: Server, fetcher: Fetcher) -> None:
    def stall(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.write(b"<html>" + b"x" * 100)
        h.wfile.flush()
        time.sleep(0.8)
        h.wfile.write(b"x" * 894)

    server.routes["/stall"] = stall
    err = error_of(lambda: fetcher.fetch(server.url("/stall"), SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "timeout"


def test_connection_reset(server: Server, fetcher: Fetcher) -> None:
    def reset(h: Handler) -> None:
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    server.routes["/reset"] = reset
    err = error_of(lambda: fetcher.fetch(server.url("/reset"), SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "connection"
    assert "/reset" in server.paths()


def test_connection_refused(fetcher: Fetcher) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = FetchSettings(connect_timeout=1.0, read_timeout=0.3, respect_robots=False)
    with Fetcher(settings) as f:
        err = error_of(lambda: f.fetch(f"http://127.0.0.1:{port}/", SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "connection"


# --- redirects ---------------------------------------------------------------------------------


def test_redirect_chain_ends_fine(server: Server, fetcher: Fetcher) -> None:
    server.routes["/r1"] = redirect("/r2", 301)
    server.routes["/r2"] = redirect(server.url("/final"), 307)
    server.routes["/final"] = html(b"<p>arrived</p>", "text/html; charset=utf-8")
    page = fetcher.fetch(server.url("/r1"), SOURCE)
    assert page.url == server.url("/r1")
    assert page.final_url == server.url("/final")
    assert page.status == 200
    assert page.body == b"<p>arrived</p>"
    assert server.paths() == ["/robots.txt", "/r1", "/r2", "/final"]


def test_redirect_loop(server: Server, fetcher: Fetcher) -> None:
    server.routes["/loop-a"] = redirect("/loop-b")
    server.routes["/loop-b"] = redirect("/loop-a")
    err = error_of(lambda: fetcher.fetch(server.url("/loop-a"), SOURCE))
    assert isinstance(err, PermanentError)
    assert err.reason == "redirect_loop"
    assert server.paths().count("/loop-a") == 1
    assert server.paths().count("/loop-b") == 1


def test_too_many_redirects(server: Server) -> None:
    for i in range(6):
        server.routes[f"/hop{i}"] = redirect(f"/hop{i + 1}")
    server.routes["/hop6"] = html(b"end")
    settings = FetchSettings(read_timeout=0.3, max_redirects=3)
    with Fetcher(settings) as f:
        err = error_of(lambda: f.fetch(server.url("/hop0"), SOURCE))
        assert err.reason == "redirect_loop"
        assert server.paths()[-1] == "/hop3"  # 3 redirects followed, the 4th refused
        server.routes["/hop0"] = redirect("/hop4")
        assert f.fetch(server.url("/hop0"), SOURCE).final_url == server.url("/hop6")


def test_redirect_to_other_scheme_is_bad_url(server: Server, fetcher: Fetcher) -> None:
    server.routes["/to-file"] = redirect("file:///etc/passwd")
    err = error_of(lambda: fetcher.fetch(server.url("/to-file"), SOURCE))
    assert isinstance(err, PermanentError)
    assert err.reason == "bad_url"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "/relative", "http://"])
def test_bad_url(fetcher: Fetcher, url: str) -> None:
    err = error_of(lambda: fetcher.fetch(url, SOURCE))
    assert isinstance(err, PermanentError)
    assert err.reason == "bad_url"


# --- size and content type ---------------------------------------------------------------------


def test_too_large_with_content_length(server: Server) -> None:
    def announced(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "10000000")
        h.end_headers()
        h.wfile.write(b"<html>")
        h.wfile.flush()
        time.sleep(0.8)  # a client that ignored Content-Length would time out instead

    server.routes["/big"] = html(b"x" * 5000)
    server.routes["/announced"] = announced
    with Fetcher(FetchSettings(max_bytes=1000, read_timeout=0.3)) as f:
        for path in ("/big", "/announced"):
            err = error_of(lambda p=path: f.fetch(server.url(p), SOURCE))  # type: ignore[misc]
            assert isinstance(err, PermanentError)
            assert err.reason == "too_large"


def test_too_large_streamed_without_content_length(server: Server) -> None:
    def endless(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()  # HTTP/1.0 without Content-Length: body runs until close
        for _ in range(2000):
            h.wfile.write(b"y" * 1024)

    server.routes["/endless"] = endless
    server.routes["/exact"] = html(b"z" * 1000, length=False)
    with Fetcher(FetchSettings(max_bytes=1000)) as f:
        err = error_of(lambda: f.fetch(server.url("/endless"), SOURCE))
        assert isinstance(err, PermanentError)
        assert err.reason == "too_large"
        assert f.fetch(server.url("/exact"), SOURCE).body == b"z" * 1000


def test_content_type_per_kind(server: Server, fetcher: Fetcher) -> None:
    rss = b'<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"></rss>'
    server.routes["/doc.pdf"] = html(b"%PDF-1.4", "application/pdf")
    server.routes["/feed"] = html(rss, "application/rss+xml")
    server.routes["/feed.xml"] = html(rss, "text/xml; charset=utf-8")
    server.routes["/untyped"] = html(b"<p>?</p>", None)
    for path, kind in [("/doc.pdf", "page"), ("/doc.pdf", "feed"), ("/feed", "page")]:
        with pytest.raises(PermanentError) as info:
            fetcher.fetch(server.url(path), SOURCE, kind=kind)
        assert info.value.reason == "content_type", (path, kind)
    assert error_of(lambda: fetcher.fetch(server.url("/untyped"), SOURCE)).reason == "content_type"
    feed = fetcher.fetch(server.url("/feed"), SOURCE, kind="feed")
    assert (feed.content_type, feed.encoding, feed.body) == (
        "application/rss+xml",
        "iso-8859-1",
        rss,
    )
    assert fetcher.fetch(server.url("/feed.xml"), SOURCE, kind="feed").encoding == "utf-8"
    with pytest.raises(ValueError):
        fetcher.fetch(server.url("/feed"), SOURCE, kind="video")


# --- robots.txt and politeness -----------------------------------------------------------------


def test_robots_disallow(server: Server, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = html(b"User-agent: *\nDisallow: /private\n", "text/plain")
    server.routes["/private/story"] = html(b"secret")
    server.routes["/public"] = html(b"<p>hello</p>")
    err = error_of(lambda: fetcher.fetch(server.url("/private/story"), SOURCE))
    assert isinstance(err, PermanentError)
    assert err.reason == "robots_disallowed"
    assert fetcher.fetch(server.url("/public"), SOURCE).body == b"<p>hello</p>"
    assert server.paths() == ["/robots.txt", "/public"]  # robots cached, /private never asked


def test_robots_matches_our_user_agent(server: Server) -> None:
    server.routes["/robots.txt"] = html(b"User-agent: newsbot\nDisallow: /\n", "text/plain")
    server.routes["/a"] = html(b"a")
    source = SourceConfig(
        name="t", kind="rss", urls=(), allow_private=True, min_delay=0.0, user_agent="newsbot/2.0"
    )
    with Fetcher(FAST) as f:
        assert f.fetch(server.url("/a"), SOURCE).status == 200
        assert error_of(lambda: f.fetch(server.url("/a"), source)).reason == "robots_disallowed"
    assert server.seen[0].headers["User-Agent"] == FAST.user_agent
    with Fetcher(FetchSettings(respect_robots=False)) as f:
        assert f.fetch(server.url("/a"), source).status == 200
    assert server.seen[-1].headers["User-Agent"] == "newsbot/2.0"


def test_robots_404_allows_all(server: Server, fetcher: Fetcher) -> None:
    server.routes["/a"] = html(b"a")
    assert fetcher.fetch(server.url("/a"), SOURCE).status == 200
    assert fetcher.fetch(server.url("/a"), SOURCE).status == 200
    assert server.paths() == ["/robots.txt", "/a", "/a"]


@pytest.mark.parametrize(
    ("code", "retryable"), [(408, True), (425, True), (429, True), (451, False)]
)
def test_robots_status_follows_the_status_policy(
    server: Server, code: int, retryable: bool
) -> None:
    """A retryable robots.txt status postpones the fetch; a final 4xx means no rules."""
    server.routes["/a"] = html(b"a")
    server.routes["/robots.txt"] = status(code)
    with Fetcher(FAST) as f:
        if retryable:
            assert error_of(lambda: f.fetch(server.url("/a"), SOURCE)).reason == (
                "robots_unavailable"
            )
            assert server.paths() == ["/robots.txt"]
        else:
            assert f.fetch(server.url("/a"), SOURCE).status == 200


def test_robots_5xx_and_timeout_are_retryable(server: Server) -> None:
    server.routes["/a"] = html(b"a")
    server.routes["/robots.txt"] = status(500)
    with Fetcher(FAST) as f:
        err = error_of(lambda: f.fetch(server.url("/a"), SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "robots_unavailable"

    def slow_robots(h: Handler) -> None:
        time.sleep(0.8)
        h.reply(200, b"User-agent: *\nAllow: /\n", "text/plain")

    server.routes["/robots.txt"] = slow_robots
    with Fetcher(FAST) as f:
        err = error_of(lambda: f.fetch(server.url("/a"), SOURCE))
    assert isinstance(err, RetryableError)
    assert err.reason == "robots_unavailable"
    assert "/a" not in server.paths()


def arrivals(server: Server, path: str) -> list[float]:
    return [s.at for s in server.seen if s.path == path]


def test_min_delay_spaces_requests_to_one_host(server: Server, fetcher: Fetcher) -> None:
    server.routes["/a"] = html(b"a")
    source = SourceConfig(name="t", kind="rss", urls=(), allow_private=True, min_delay=0.3)
    fetcher.fetch(server.url("/a"), source)
    fetcher.fetch(server.url("/a"), source)
    first, second = arrivals(server, "/a")
    assert second - first >= 0.3


def test_crawl_delay_from_robots_when_larger(server: Server, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = html(b"User-agent: *\nCrawl-delay: 0.4\n", "text/plain")
    server.routes["/a"] = html(b"a")
    source = SourceConfig(name="t", kind="rss", urls=(), allow_private=True, min_delay=0.1)
    for _ in range(3):
        fetcher.fetch(server.url("/a"), source)
    times = arrivals(server, "/a")
    assert len(times) == 3
    assert all(b - a >= 0.4 for a, b in itertools.pairwise(times))
    assert server.paths().count("/robots.txt") == 1


def test_no_delay_without_min_delay(server: Server, fetcher: Fetcher) -> None:
    server.routes["/a"] = html(b"a")
    started = time.monotonic()
    for _ in range(5):
        fetcher.fetch(server.url("/a"), SOURCE)
    assert time.monotonic() - started < 0.5


# --- SSRF --------------------------------------------------------------------------------------


def test_ssrf_blocks_loopback_before_any_request(server: Server, fetcher: Fetcher) -> None:
    server.routes["/a"] = html(b"a")
    for url in (server.url("/a"), server.url("/a", host="localhost")):
        with pytest.raises(PermanentError) as info:
            fetcher.fetch(url, PUBLIC)
        assert info.value.reason == "ssrf_blocked"
    assert server.seen == []


def test_redirect_to_blocked_host_is_refused(
    server: Server, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """127.0.0.1 is made to look public; its redirect to "localhost" must still be refused."""
    real_resolve = _resolve

    def resolve(host: str, port: int) -> list[str]:
        return ["93.184.216.34"] if host == "127.0.0.1" else real_resolve(host, port)

    monkeypatch.setattr(http, "_resolve", resolve)
    server.routes["/ok"] = html(b"<p>fine</p>")
    server.routes["/jump"] = redirect(server.url("/ok", host="localhost"))
    assert fetcher.fetch(server.url("/ok"), PUBLIC).status == 200  # the disguise works
    err = error_of(lambda: fetcher.fetch(server.url("/jump"), PUBLIC))
    assert isinstance(err, PermanentError)
    assert err.reason == "ssrf_blocked"
    assert server.paths() == ["/robots.txt", "/ok", "/jump"]  # localhost never contacted


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://127.0.0.1:8080/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
    ],
)
def test_check_address_blocks_non_public(url: str) -> None:
    with pytest.raises(PermanentError) as info:
        check_address(url, allow_private=False)
    assert info.value.reason == "ssrf_blocked"
    check_address(url, allow_private=True)  # the demo site and tests opt in


def test_check_address_allows_public_literals() -> None:
    check_address("https://93.184.216.34/news", allow_private=False)
    check_address("http://[2606:2800:220:1:248:1893:25c8:1946]/", allow_private=False)
    with pytest.raises(PermanentError) as info:
        check_address("gopher://93.184.216.34/", allow_private=False)
    assert info.value.reason == "bad_url"


# --- conditional GET, settings, logging --------------------------------------------------------


def test_conditional_get_304(server: Server, fetcher: Fetcher) -> None:
    def etagged(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            h.reply(304, b"", None, {"ETag": '"v1"'}, length=False)
        else:
            h.reply(200, b"<p>v1</p>", "text/html", {"ETag": '"v1"'})

    server.routes["/e"] = etagged
    first = fetcher.fetch(server.url("/e"), SOURCE)
    assert (first.status, first.body) == (200, b"<p>v1</p>")
    assert server.seen[-1].headers.get("If-None-Match") is None
    lm = "Wed, 21 Oct 2015 07:28:00 GMT"
    again = fetcher.fetch(server.url("/e"), SOURCE, etag='"v1"', last_modified=lm)
    assert (again.status, again.body, again.encoding) == (304, b"", None)
    assert again.final_url == server.url("/e")
    assert server.seen[-1].headers["If-None-Match"] == '"v1"'
    assert server.seen[-1].headers["If-Modified-Since"] == lm
    changed = fetcher.fetch(server.url("/e"), SOURCE, etag='"v0"')
    assert changed.status == 200


def test_settings_from_env() -> None:
    assert FetchSettings.from_env({}) == FetchSettings()
    env = {
        "NEWSWIRE_USER_AGENT": "bot/1",
        "NEWSWIRE_MAX_BYTES": "2048",
        "NEWSWIRE_CONNECT_TIMEOUT": "1.5",
        "NEWSWIRE_READ_TIMEOUT": "7",
    }
    s = FetchSettings.from_env(env)
    assert (s.user_agent, s.max_bytes, s.connect_timeout, s.read_timeout) == ("bot/1", 2048, 1.5, 7)
    for name, bad in [
        ("NEWSWIRE_MAX_BYTES", "lots"),
        ("NEWSWIRE_MAX_BYTES", "-1"),
        ("NEWSWIRE_MAX_BYTES", "1.5"),
        ("NEWSWIRE_CONNECT_TIMEOUT", "0"),
        ("NEWSWIRE_READ_TIMEOUT", "nan"),
        ("NEWSWIRE_USER_AGENT", "  "),
    ]:
        with pytest.raises(ConfigError, match=name):
            FetchSettings.from_env({name: bad})


def test_one_debug_line_per_fetch(
    server: Server, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    server.routes["/a"] = html(b"a")
    caplog.set_level(logging.DEBUG, logger="newswire.fetch.http")
    fetcher.fetch(server.url("/a"), SOURCE)
    error_of(lambda: fetcher.fetch(server.url("/missing"), SOURCE))
    records = [r for r in caplog.records if r.name == "newswire.fetch.http"]
    assert len(records) == 2
    assert server.url("/a") in records[0].getMessage()
    assert "http_404" in records[1].getMessage()


def test_context_manager_closes_session() -> None:
    closed: list[bool] = []
    with Fetcher() as f:
        f.session.close = lambda: closed.append(True)  # type: ignore[method-assign]
    assert closed == [True]
