"""GDELT 2.0 event exports: the article URLs (SOURCEURL) added in each 15-minute slot."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from newswire.discover import DiscoverContext
from newswire.errors import PermanentError, RetryableError
from newswire.models import Item, SourceConfig, Window

if TYPE_CHECKING:
    from newswire.fetch.http import Fetcher

log = logging.getLogger(__name__)

# GDELT 2.0 publishes one export file per 15 minutes.
SLOT = timedelta(minutes=15)
# Rows of a slot may be published in the next slot's file too: read one slot past the window.
SLOT_LAG = 1
# File name of a slot's export (the slot's time, UTC).
EXPORT_NAME = "{slot:%Y%m%d%H%M%S}.export.CSV.zip"
# Largest uncompressed export read (real ones are a few MB).
MAX_EXPORT_BYTES = 100 * 1024 * 1024
# Fewer columns than this is not an event row (GDELT 2.0 exports have 61).
MIN_COLUMNS = 3


def slots(window: Window) -> list[datetime]:
    """Slot times whose files may hold rows added inside the window."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    first = epoch + ((window.start - epoch) // SLOT) * SLOT
    out = []
    moment = first
    while moment < window.end + SLOT * SLOT_LAG:
        out.append(moment)
        moment += SLOT
    return out


def parse_export(body: bytes, url: str) -> list[tuple[str, datetime]]:
    """(SOURCEURL, DATEADDED) of every row of an export zip; a bad zip is malformed_gdelt."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if not names:
                raise PermanentError("malformed_gdelt", f"{url}: no CSV member")
            with archive.open(names[0]) as member:
                data = member.read(MAX_EXPORT_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PermanentError("malformed_gdelt", f"{url}: {exc}") from None
    if len(data) > MAX_EXPORT_BYTES:
        raise PermanentError("too_large", f"{url}: export over {MAX_EXPORT_BYTES} bytes")
    rows = []
    for line in data.decode("utf-8", "replace").splitlines():
        columns = line.rstrip("\r").split("\t")
        if len(columns) < MIN_COLUMNS:
            continue
        source_url, added = columns[-1].strip(), columns[-2].strip()
        try:
            when = datetime.strptime(added, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            log.debug("gdelt %s: row without a DATEADDED: %r", url, added)
            continue
        if source_url.startswith(("http://", "https://")):
            rows.append((source_url, when))
    return rows


def discover(
    source: SourceConfig, window: Window, fetcher: Fetcher, ctx: DiscoverContext | None = None
) -> Iterator[Item]:
    """URLs added to GDELT inside the window (DATEADDED), from the 15-minute export files."""
    ctx = ctx or DiscoverContext(strict=True)
    base = source.urls[0].rstrip("/") + "/"  # e.g. http://data.gdeltproject.org/gdeltv2/
    seen: set[str] = set()
    for slot in slots(window):
        url = base + EXPORT_NAME.format(slot=slot)
        try:
            rows = parse_export(fetcher.fetch(url, source, kind="archive").body, url)
        except PermanentError as exc:
            if exc.reason == "http_404":  # GDELT has gaps: a slot without a file is no error
                ctx.counts["gdelt_missing"] += 1
                log.warning("gdelt %s: no export for slot %s", source.name, url)
                continue
            ctx.record(source, url, exc)
            continue
        except RetryableError as exc:
            ctx.record(source, url, exc)
            continue
        ctx.counts["gdelt_files"] += 1
        for source_url, added in rows:
            if source_url in seen or not window.contains(added):
                continue
            if not source.keeps_host(source_url):
                continue
            seen.add(source_url)
            yield Item(source_url, source.name, added)
