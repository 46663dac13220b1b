"""Polite, safe HTTP fetching of news pages and feeds."""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from protego import Protego

from newswire.errors import PermanentError, RetryableError
from newswire.fetch.charset import declared_charset
from newswire.fetch.politeness import HostPolicy, MemoryHostPolicy, backoff_seconds
from newswire.fetch.status import OK_STATUSES, status_policy
from newswire.models import Page, SourceConfig
from newswire.settings import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_BYTES,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_USER_AGENT,
    Settings,
)

logger = logging.getLogger(__name__)

# Redirect hops followed before giving up with "redirect_loop".
DEFAULT_MAX_REDIRECTS = 5
# Connect and read timeout for robots.txt, in seconds.
DEFAULT_ROBOTS_TIMEOUT = 5.0
# Content types accepted for kind="page".
PAGE_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Content types accepted for kind="feed" (feeds and sitemaps are often served as plain XML/text).
FEED_CONTENT_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml"}
    | {"text/xml", "text/plain"}
)
# Content types accepted for kind="archive" (GDELT zips, CC-NEWS warc.paths.gz, .xml.gz).
ARCHIVE_CONTENT_TYPES = frozenset(
    {"application/zip", "application/x-zip-compressed", "application/gzip", "application/x-gzip"}
    | {"application/octet-stream", "binary/octet-stream"}
)
# Accept headers sent per kind.
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
    "*/*;q=0.1",
    "archive": "application/zip,application/gzip,application/octet-stream;q=0.9,*/*;q=0.1",
    "sitemap": "application/xml,text/xml;q=0.9,application/gzip;q=0.9,*/*;q=0.1",
}
# Bytes read from the socket per iteration while streaming a body.
CHUNK_SIZE = 64 * 1024
# Largest robots.txt read (Google reads 500 KiB); the rest is ignored.
ROBOTS_MAX_BYTES = 512 * 1024
# Upper bound on a robots Crawl-delay we honour, so one site cannot stall a worker for hours.
MAX_CRAWL_DELAY = 60.0
# Statuses that carry a Location to follow.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchSettings:
    """Process-wide fetch limits and identity."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    respect_robots: bool = True
    robots_timeout: float = DEFAULT_ROBOTS_TIMEOUT
    page_content_types: frozenset[str] = PAGE_CONTENT_TYPES
    feed_content_types: frozenset[str] = FEED_CONTENT_TYPES
    archive_content_types: frozenset[str] = ARCHIVE_CONTENT_TYPES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FetchSettings:
        """Defaults overridden by the NEWSWIRE_{USER_AGENT,MAX_BYTES,*_TIMEOUT} variables."""
        return cls.from_settings(Settings.from_env(environ))

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchSettings:
        """Defaults overridden by the process settings' user agent, body limit and timeouts."""
        return cls(
            user_agent=settings.user_agent,
            max_bytes=settings.max_bytes,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
        )

    def content_types(self, kind: str) -> frozenset[str]:
        """Allowed mime types for a fetch kind ("page" or "feed")."""
        if kind == "page":
            return self.page_content_types
        if kind == "feed":
            return self.feed_content_types
        if kind == "archive":
            return self.archive_content_types
        if kind == "sitemap":  # XML, or .xml.gz served as gzip / octet-stream
            return self.feed_content_types | self.archive_content_types
        raise ValueError(f"unknown fetch kind {kind!r} (expected page, feed, archive or sitemap)")


def _resolve(host: str, port: int) -> list[str]:
    """All addresses a host name resolves to (IP literals resolve to themselves)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _is_blocked(address: str) -> bool:
    """True for loopback, private, link-local, multicast, reserved or unspecified addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None and _is_blocked(str(embedded)):
            return True
    flags = (ip.is_loopback, ip.is_private, ip.is_link_local, ip.is_multicast, ip.is_reserved)
    # "not global" also catches shared address space (100.64/10) and other special ranges.
    return any(flags) or ip.is_unspecified or not ip.is_global


def _split(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or PermanentError("bad_url")."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise PermanentError("bad_url", f"{url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise PermanentError("bad_url", f"{url!r} is not an absolute http(s) URL")
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def check_address(url: str, allow_private: bool) -> None:
    """Refuse URLs whose host resolves to a non-public address (SSRF guard)."""
    _, host, port = _split(url)
    if allow_private:
        return
    # Caveat (DNS rebinding): requests resolves the name again when it connects, so a hostile
    # DNS server could answer a public address here and a private one there. Pinning the
    # checked address in a custom adapter would close that gap; outbound firewalling should
    # back this check up in production.
    try:
        addresses = _resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise RetryableError("connection", f"cannot resolve {host!r}: {exc}") from None
    blocked = [a for a in addresses if _is_blocked(a)]
    if blocked or not addresses:
        raise PermanentError("ssrf_blocked", f"{host!r} resolves to non-public {blocked}")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), or None if unparsable."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def status_error(
    status: int, headers: Mapping[str, str], message: str
) -> RetryableError | PermanentError:
    """The error a failed (non-2xx, non-304) status raises, as fetch.status decides."""
    rule = status_policy(status)
    if not rule.retryable:
        return PermanentError(rule.reason, message)
    retry_after = parse_retry_after(headers.get("Retry-After")) if rule.throttle else None
    return RetryableError(rule.reason, message, retry_after=retry_after, status=status)


def _mime(content_type_header: str) -> str:
    """The lowercased mime type of a Content-Type header, without parameters."""
    return content_type_header.split(";", 1)[0].strip().lower()


def _transport_error(url: str, exc: requests.RequestException) -> RetryableError | PermanentError:
    """Map a requests exception to "timeout", "connection" (both retryable) or "bad_url"."""
    # requests wraps a read timeout hit while streaming the body in a ConnectionError.
    cause = exc.args[0] if exc.args else None
    if isinstance(exc, requests.Timeout) or isinstance(cause, urllib3.exceptions.ReadTimeoutError):
        return RetryableError("timeout", f"{url}: {exc}")
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return PermanentError("bad_url", f"{url}: {exc}")
    return RetryableError("connection", f"{url}: {exc}")


def host_key(host: str, port: int) -> str:
    """The politeness key of a host: its name, with the port unless it is 80 or 443."""
    return host if port in (80, 443) else f"{host}:{port}"


class Fetcher:
    """HTTP client with robots.txt, per-host politeness, size limits and an SSRF guard."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        session: requests.Session | None = None,
        policy: HostPolicy | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.session = session or requests.Session()
        # Shared per-host state: PgHostPolicy in the pipeline, process memory otherwise.
        self.policy: HostPolicy = policy if policy is not None else MemoryHostPolicy()
        self._robots: dict[str, Protego | None] = {}  # origin -> parsed rules (None: allow all)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying HTTP session."""
        self.session.close()

    def fetch(
        self,
        url: str,
        source: SourceConfig,
        *,
        kind: str = "page",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Page:
        """GET one URL politely; raise RetryableError or PermanentError on failure."""
        allowed_types = self.settings.content_types(kind)  # ValueError for an unknown kind
        headers = {"User-Agent": source.user_agent or self.settings.user_agent}
        headers["Accept"] = ACCEPT[kind]
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        outcome = "error"
        try:
            page = self._fetch(url, source, headers, allowed_types)
            outcome = f"status={page.status} bytes={len(page.body)} final={page.final_url}"
            return page
        except (RetryableError, PermanentError) as exc:
            outcome = f"failed={exc.reason}"
            raise
        finally:
            ms = int((time.monotonic() - started) * 1000)
            logger.debug("fetch %s source=%s %s ms=%d", url, source.name, outcome, ms)

    def _fetch(
        self, url: str, source: SourceConfig, headers: dict[str, str], allowed_types: frozenset[str]
    ) -> Page:
        """Follow redirects hop by hop, re-checking scheme, address and robots each time."""
        user_agent = headers["User-Agent"]
        timeouts = (self.settings.connect_timeout, self.settings.read_timeout)
        seen: set[str] = set()
        current = url
        elapsed = 0.0
        while True:
            if current in seen or len(seen) > self.settings.max_redirects:
                raise PermanentError("redirect_loop", f"{url} after {len(seen)} redirects")
            seen.add(current)
            _, name, port = _split(current)
            host = host_key(name, port)
            check_address(current, source.allow_private)
            crawl_delay = self._check_robots(current, user_agent, source.allow_private)
            delay = max(source.min_delay, crawl_delay)
            self._wait_turn(host, delay, crawl_delay)
            hop_started = time.monotonic()
            try:
                with self._get(current, headers, timeouts) as response:
                    location = response.headers.get("Location", "").strip()
                    redirect = response.status_code in REDIRECT_STATUSES and bool(location)
                    body = b"" if redirect else self._read_page(response, allowed_types)
            except RetryableError as exc:
                if exc.status is not None and status_policy(exc.status).throttle:
                    self.policy.back_off(host, backoff_seconds(exc.retry_after), exc.status)
                raise
            finally:
                self.policy.finished(host, delay)
            elapsed += time.monotonic() - hop_started
            if redirect:
                current = urljoin(current, location)
                continue
            content_type = response.headers.get("Content-Type", "")
            return Page(
                url=url,
                final_url=current,
                status=response.status_code,
                content_type=_mime(content_type),
                body=body,
                fetched_at=datetime.now(UTC),
                encoding=declared_charset(content_type, body) if body else None,
                elapsed_ms=int(elapsed * 1000),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )

    def _get(
        self, url: str, headers: Mapping[str, str], timeout: tuple[float, float]
    ) -> requests.Response:
        """One streamed GET without redirects, with transport errors mapped to newswire errors."""
        try:
            return self.session.get(
                url, headers=dict(headers), timeout=timeout, stream=True, allow_redirects=False
            )
        except requests.exceptions.RequestException as exc:
            raise _transport_error(url, exc) from None

    def _read_page(self, response: requests.Response, allowed_types: frozenset[str]) -> bytes:
        """Check status and content type, then read the body within max_bytes."""
        status = response.status_code
        url = response.url
        if status == 304:
            return b""
        if status not in OK_STATUSES:  # 4xx, 5xx, and 1xx/3xx that cannot be followed
            raise status_error(status, response.headers, url)
        mime = _mime(response.headers.get("Content-Type", ""))
        if mime not in allowed_types:
            raise PermanentError("content_type", f"{url}: {mime or 'no content type'}")
        return self._read_body(response, self.settings.max_bytes)

    def _read_body(self, response: requests.Response, limit: int, truncate: bool = False) -> bytes:
        """Stream the (decoded) body; past limit bytes raise "too_large" or, if truncate, stop."""
        declared = response.headers.get("Content-Length", "").strip()
        if not truncate and declared.isdigit() and int(declared) > limit:
            raise PermanentError("too_large", f"{response.url}: Content-Length {declared}")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK_SIZE):
                size += len(chunk)
                if size > limit and truncate:
                    chunks.append(chunk[: len(chunk) - (size - limit)])
                    break
                if size > limit:
                    raise PermanentError("too_large", f"{response.url}: more than {limit} bytes")
                chunks.append(chunk)
        except requests.exceptions.RequestException as exc:  # stall, reset, corrupt gzip
            raise _transport_error(response.url, exc) from None
        return b"".join(chunks)

    def _check_robots(self, url: str, user_agent: str, allow_private: bool) -> float:
        """Raise "robots_disallowed" if robots.txt forbids url; return its Crawl-delay (or 0)."""
        if not self.settings.respect_robots:
            return 0.0
        scheme, host, port = _split(url)
        origin = f"{scheme}://{host}:{port}"
        if origin not in self._robots:  # parsed once per Fetcher; the text is in the policy
            entry = self.policy.robots(
                origin, lambda: self._load_robots(origin, user_agent, allow_private)
            )
            self._robots[origin] = None if entry.body is None else Protego.parse(entry.body)
        rules = self._robots[origin]
        if rules is None:
            return 0.0
        if not rules.can_fetch(url, user_agent):
            raise PermanentError("robots_disallowed", url)
        delay = rules.crawl_delay(user_agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else 0.0

    def _load_robots(self, origin: str, user_agent: str, allow_private: bool) -> str | None:
        """Fetch origin/robots.txt; None means allow all (4xx, unusable redirects)."""
        timeout = self.settings.robots_timeout
        current = f"{origin}/robots.txt"
        headers = {"User-Agent": user_agent, "Accept": "text/plain,*/*;q=0.1"}
        for _ in range(self.settings.max_redirects + 1):
            try:
                check_address(current, allow_private)
                response = self._get(current, headers, (timeout, timeout))
            except PermanentError:  # redirected off to a bad or blocked URL: no usable rules
                return None
            except RetryableError as exc:
                raise RetryableError("robots_unavailable", f"{current}: {exc}") from None
            with response:
                status = response.status_code
                location = response.headers.get("Location", "").strip()
                if status in REDIRECT_STATUSES and location:
                    current = urljoin(current, location)
                    continue
                if status_policy(status).retryable:
                    raise RetryableError("robots_unavailable", f"{current}: HTTP {status}")
                if status >= 400:  # a final 4xx: no usable rules, allow all
                    return None
                try:
                    body = self._read_body(response, ROBOTS_MAX_BYTES, truncate=True)
                except RetryableError as exc:
                    raise RetryableError("robots_unavailable", f"{current}: {exc}") from None
                return body.decode("utf-8", "replace").replace("\x00", "")
        return None

    def _wait_turn(self, host: str, delay: float, crawl_delay: float) -> None:
        """Sleep until the host's next slot; a slot too far away is retried later instead."""
        slot = self.policy.reserve(host, delay, crawl_delay)
        if not slot.granted:
            raise RetryableError(
                "host_backoff", f"{host}: next request allowed in {slot.wait:.0f}s", slot.wait
            )
        if slot.wait > 0:
            time.sleep(slot.wait)
