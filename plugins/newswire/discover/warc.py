"""WARC archives: local files and Common Crawl CC-NEWS, read record by record (never refetched)."""

from __future__ import annotations

import glob
import io
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urljoin, urlsplit

import requests
import urllib3.exceptions
from lxml import etree
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataException
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from newswire.discover import DiscoverContext, gunzip_bounded
from newswire.errors import PermanentError, RetryableError
from newswire.extract.dates import parse_datetime
from newswire.fetch.charset import declared_charset
from newswire.fetch.http import FetchSettings, check_address, status_error
from newswire.models import Item, Page, SourceConfig, WarcRecord, Window, ensure_utc

if TYPE_CHECKING:
    from newswire.fetch.http import Fetcher

log = logging.getLogger(__name__)

# A page's own publication date is used as the item's time when it lies at most this long
# before the record's WARC-Date (a page cannot be published after it was captured); else the
# WARC-Date is. The window of a record thus depends on the record alone, and a window only
# needs the WARC files captured in [start, end + PAGE_DATE_LOOKBACK).
PAGE_DATE_LOOKBACK = timedelta(hours=2)
# CC-NEWS file names carry the crawl start time of the file.
CCNEWS_NAME = re.compile(r"CC-NEWS-(\d{14})-(\d{5})\.warc(?:\.gz)?$")
# Largest HTTP payload of one record read (bigger records are skipped as too_large).
MAX_RECORD_BYTES = 5 * 1024 * 1024
# Largest record (WARC + HTTP headers + payload, compressed) read back by offset.
MAX_STORED_RECORD_BYTES = 2 * MAX_RECORD_BYTES
# Content types of response records worth extracting.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Bytes per read while streaming a remote WARC file.
STREAM_CHUNK = 1024 * 1024
# A record whose WARC-Block/Payload-Digest does not match its bytes (a file cut short
# mid-record reads as a short, wrong-digest record) raises instead of being read silently.
CHECK_DIGESTS = "raise"
# What warcio, gzip, zlib and the file raise while reading a cut or corrupt file (warcio's
# AttributeError: a record's headers missing mid-record). Caught only around warcio's reading
# calls (see _reading): the same exception from newswire's own code propagates.
BROKEN_WARC = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    ChunkedDataException,
    EOFError,
    OSError,
    ValueError,
    AttributeError,
    zlib.error,
)
# Largest warc.paths.gz listing accepted, uncompressed.
MAX_LISTING_BYTES = 20 * 1024 * 1024


class BrokenWarc(PermanentError):
    """A WARC file that cannot be read on: its remaining records are lost ("truncated_warc")."""

    def __init__(self, message: str) -> None:
        super().__init__("truncated_warc", message)


@contextmanager
def _reading(where: str) -> Iterator[None]:
    """Around one warcio read: what BROKEN_WARC lists becomes BrokenWarc naming where."""
    try:
        yield
    except BROKEN_WARC as exc:
        raise BrokenWarc(f"{where}: {exc}") from None


def _records(records: ArchiveIterator, warc_url: str) -> Iterator[ArcWarcRecord]:
    """The records of an ArchiveIterator; only reading the next one is guarded (_reading)."""
    iterator = iter(records)
    while True:
        with _reading(warc_url):
            record = next(iterator, None)
        if record is None:
            return
        yield record


@dataclass(frozen=True)
class WarcFile:
    """One WARC file to scan: a file:// or http(s) URL and its crawl time when the name says."""

    url: str
    crawled_at: datetime | None = None


def crawl_time(name: str) -> datetime | None:
    """The crawl start encoded in a CC-NEWS file name, else None."""
    match = CCNEWS_NAME.search(name)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def select_files(files: Iterable[WarcFile], window: Window) -> list[WarcFile]:
    """Files that may hold records of the window; files without a crawl time are all kept.

    A timed file holds records from its crawl time until the next file's: keep those starting
    in (window.start, window.end + PAGE_DATE_LOOKBACK) and the last one starting at or before
    window.start.
    """
    untimed: list[WarcFile] = []
    timed: list[tuple[datetime, WarcFile]] = []
    for warc_file in files:
        if warc_file.crawled_at is None:
            untimed.append(warc_file)
        else:
            timed.append((warc_file.crawled_at, warc_file))
    timed.sort(key=lambda pair: pair[0])
    before = [f for at, f in timed if at <= window.start]
    inside = [f for at, f in timed if window.start < at < window.end + PAGE_DATE_LOOKBACK]
    return untimed + before[-1:] + inside


def local_files(source: SourceConfig) -> list[WarcFile]:
    """Local WARC files of the source: file:// URLs and 'paths', glob patterns expanded."""
    patterns = [unquote(urlsplit(u).path) for u in source.urls if u.startswith("file://")]
    patterns += list(source.paths)
    found: list[WarcFile] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        for match in matches:
            path = Path(match).resolve()
            found.append(WarcFile(path.as_uri(), crawl_time(path.name)))
    return found


def _months(start: datetime, end: datetime) -> list[tuple[int, int]]:
    """(year, month) of every month touching [start, end]."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def ccnews_files(
    source: SourceConfig, window: Window, fetcher: Fetcher, ctx: DiscoverContext
) -> list[WarcFile]:
    """CC-NEWS files listed for the months around the window (listing template in source)."""
    assert source.listing is not None
    # The month before the window too: its last file may run into the window.
    first = window.start - timedelta(days=1)
    files: list[WarcFile] = []
    for year, month in _months(first, window.end + PAGE_DATE_LOOKBACK):
        url = source.listing.format(year=f"{year:04d}", month=f"{month:02d}")
        try:
            body = fetcher.fetch(url, source, kind="archive").body
        except PermanentError as exc:
            if exc.reason == "http_404":  # a month not published (yet): nothing listed
                log.info("warc %s: no CC-NEWS listing at %s", source.name, url)
                continue
            raise
        base = url.split("crawl-data/", 1)[0] if "crawl-data/" in url else urljoin(url, ".")
        for line in _listing_lines(body, url):
            files.append(WarcFile(urljoin(base, line), crawl_time(line)))
    ctx.counts["warc_listed"] += len(files)
    return files


def _listing_lines(body: bytes, url: str) -> list[str]:
    """Non-empty lines of a (gzipped) warc.paths listing."""
    body = gunzip_bounded(body, url, MAX_LISTING_BYTES, "malformed_listing")
    if len(body) > MAX_LISTING_BYTES:  # an uncompressed listing
        raise PermanentError("too_large", f"{url}: listing over {MAX_LISTING_BYTES} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PermanentError("malformed_listing", f"{url}: {exc}") from None
    return [line.strip() for line in text.splitlines() if line.strip()]


def page_date(body: bytes, content_type: str, timezone: str = "UTC") -> datetime | None:
    """The publication time the page declares (meta tags, JSON-LD), as extraction reads it."""
    from newswire.extract.metadata import parse_html, published_dates

    encoding = declared_charset(content_type, body) or "utf-8"
    try:
        tree = parse_html(body.decode(encoding, "replace"))
    except (etree.ParserError, ValueError, LookupError):
        return None
    return next((d for v, _ in published_dates(tree) if (d := parse_datetime(v, timezone))), None)


def item_time(warc_date: datetime, declared: datetime | None) -> datetime:
    """The page's date when plausible (within PAGE_DATE_LOOKBACK before capture), else WARC-Date."""
    if declared is not None and warc_date - PAGE_DATE_LOOKBACK <= declared <= warc_date:
        return declared
    return warc_date


def _http_page(record: Any, warc_url: str) -> Page | None:
    """A Page from a WARC response record; None for non-response or non-HTML records."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    target = record.rec_headers.get_header("WARC-Target-URI")
    date = record.rec_headers.get_header("WARC-Date")
    if not target or not date:
        return None
    code = record.http_headers.get_statuscode() or ""
    status = int(code) if code.isascii() and code.isdigit() else 0  # 0: a malformed status
    content_type = record.http_headers.get_header("Content-Type") or ""
    mime = content_type.split(";", 1)[0].strip().lower()
    if status != 200 or mime not in HTML_TYPES:
        return None
    with _reading(f"{warc_url}: record {target}"):
        body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        raise PermanentError("too_large", f"{warc_url}: record {target} over {MAX_RECORD_BYTES}")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:  # the file ended before the record's Content-Length: cut short
        raise PermanentError(
            "truncated_warc", f"{warc_url}: record {target} misses {missing} bytes"
        )
    fetched = parse_datetime(date) or datetime.now(UTC)
    return Page(
        url=target,
        final_url=target,
        status=status,
        content_type=mime,
        body=body,
        fetched_at=ensure_utc(fetched),
        encoding=declared_charset(content_type, body),
    )


def scan(
    stream: IO[bytes], warc_url: str, source: SourceConfig, window: Window, ctx: DiscoverContext
) -> Iterator[Item]:
    """Items of one WARC stream inside the window; a broken tail is recorded, earlier kept.

    warcio yields a record before reading it: a record cut short raises BrokenWarc when the
    next one is read, after the records before it were listed (the cut one is not).
    """
    records = ArchiveIterator(stream, check_digests=CHECK_DIGESTS)
    for record in _records(records, warc_url):
        target = record.rec_headers.get_header("WARC-Target-URI") or ""
        if record.rec_type != "response" or not source.keeps_host(target):
            continue
        try:
            page = _http_page(record, warc_url)
        except BrokenWarc:
            raise  # the file cannot be read on
        except PermanentError as exc:  # this record only (too large, cut short)
            ctx.record(source, warc_url, exc)
            continue
        if page is None:
            ctx.counts["warc_skipped"] += 1
            continue
        with _reading(f"{warc_url}: record {target}"):
            offset, length = records.get_record_offset(), records.get_record_length()
        if not window.start <= page.fetched_at < window.end + PAGE_DATE_LOOKBACK:
            continue  # whatever the page's date, the record's time is outside the window
        when = item_time(page.fetched_at, page_date(page.body, page.content_type))
        if not window.contains(when):
            continue
        yield Item(page.url, source.name, when, record=WarcRecord(warc_url, offset, length))


def _open_remote(url: str, source: SourceConfig, settings: FetchSettings) -> requests.Response:
    """A streamed GET of a remote WARC file (raw bytes: warcio decompresses members itself)."""
    check_address(url, source.allow_private)
    headers = {"User-Agent": source.user_agent or settings.user_agent}
    timeout = (settings.connect_timeout, settings.read_timeout)
    try:
        response = requests.get(url, headers=headers, timeout=timeout, stream=True)
    except requests.RequestException as exc:
        raise RetryableError("connection", f"{url}: {exc}") from None
    if response.status_code != 200:
        response.close()
        raise status_error(response.status_code, response.headers, url)
    return response


def _scan_file(
    warc: WarcFile,
    source: SourceConfig,
    window: Window,
    ctx: DiscoverContext,
    settings: FetchSettings,
) -> Iterator[Item]:
    """Items of one local or remote WARC file."""
    ctx.counts["warc_files"] += 1
    if warc.url.startswith("file://"):
        path = Path(unquote(urlsplit(warc.url).path))
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise PermanentError("warc_missing", f"{path}: {exc}") from None
        with handle:
            yield from scan(handle, warc.url, source, window, ctx)
        return
    response = _open_remote(warc.url, source, settings)
    with response:
        try:
            yield from scan(cast(IO[bytes], response.raw), warc.url, source, window, ctx)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            # the connection broke or stalled mid-file: the whole file is read again later
            raise RetryableError("connection", f"{warc.url}: {exc}") from None


def discover(
    source: SourceConfig, window: Window, fetcher: Fetcher, ctx: DiscoverContext | None = None
) -> Iterator[Item]:
    """Response records of the source's WARC files captured for the window (see select_files)."""
    ctx = ctx or DiscoverContext(strict=True)
    files = local_files(source)
    remote = [u for u in source.urls if u.startswith(("http://", "https://"))]
    files += [WarcFile(u, crawl_time(urlsplit(u).path)) for u in remote]
    if source.listing:
        try:
            files += ccnews_files(source, window, fetcher, ctx)
        except (PermanentError, RetryableError) as exc:
            ctx.record(source, source.listing, exc)
    files = list(dict.fromkeys(files))
    settings = fetcher.settings if fetcher is not None else FetchSettings.from_env()
    for warc in select_files(files, window):
        try:
            yield from _scan_file(warc, source, window, ctx, settings)
        except (PermanentError, RetryableError) as exc:
            ctx.record(source, warc.url, exc)


def _read_stored(record: WarcRecord, source: SourceConfig, settings: FetchSettings) -> bytes:
    """The bytes of one record: a seek in a local file or an HTTP Range request."""
    if record.length > MAX_STORED_RECORD_BYTES:
        raise PermanentError("too_large", f"{record.warc_url}: record of {record.length} bytes")
    if record.warc_url.startswith("file://"):
        path = Path(unquote(urlsplit(record.warc_url).path))
        try:
            with path.open("rb") as handle:
                handle.seek(record.offset)
                data = handle.read(record.length)
        except OSError as exc:
            raise PermanentError("warc_missing", f"{path}: {exc}") from None
    else:
        check_address(record.warc_url, source.allow_private)
        end = record.offset + record.length - 1
        headers = {
            "User-Agent": source.user_agent or settings.user_agent,
            "Range": f"bytes={record.offset}-{end}",
        }
        timeout = (settings.connect_timeout, settings.read_timeout)
        try:
            response = requests.get(record.warc_url, headers=headers, timeout=timeout)
        except requests.RequestException as exc:
            raise RetryableError("connection", f"{record.warc_url}: {exc}") from None
        if response.status_code != 206:
            raise status_error(response.status_code, response.headers, f"{record.warc_url} (Range)")
        data = response.content
    if len(data) != record.length:
        raise PermanentError("truncated_warc", f"{record.warc_url}@{record.offset}: short read")
    return data


def read_record(record: WarcRecord, source: SourceConfig, settings: FetchSettings) -> Page:
    """The Page stored in a WARC response record (what discovery saw), without refetching."""
    data = _read_stored(record, source, settings)
    where = f"{record.warc_url}@{record.offset}"
    with _reading(where):
        stored = next(iter(ArchiveIterator(io.BytesIO(data), check_digests=CHECK_DIGESTS)), None)
    page = _http_page(stored, where) if stored is not None else None
    if page is None:
        raise PermanentError("bad_warc_record", f"{record.warc_url}@{record.offset}")
    return page
