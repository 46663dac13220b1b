"""Discovery: the source kinds, each `discover(source, window, fetcher, ctx)`, and the frontier."""

from __future__ import annotations

import gzip
import io
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newswire.errors import ConfigError, PermanentError, RetryableError
from newswire.models import Item, SourceConfig, Window

if TYPE_CHECKING:
    from newswire.fetch.http import Fetcher

log = logging.getLogger(__name__)

# The gzip magic number: .xml.gz sitemaps and .paths.gz listings are decompressed here, not by
# the HTTP layer.
GZIP_MAGIC = b"\x1f\x8b"


def gunzip_bounded(body: bytes, url: str, limit: int, reason: str) -> bytes:
    """Gunzip a gzip body to at most limit bytes (else too_large); bad gzip raises reason."""
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as unzipped:
            body = unzipped.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise PermanentError(reason, f"{url}: bad gzip: {exc}") from None
    if len(body) > limit:
        raise PermanentError("too_large", f"{url}: more than {limit} bytes uncompressed")
    return body


@dataclass(frozen=True)
class DiscoverContext:
    """What a discoverer may use besides the fetcher: an error sink, counters, the database."""

    engine: Any = None  # sqlalchemy Engine for feed_state (conditional GET); None: no state
    errors: Counter[str] = field(default_factory=Counter)  # "discover:<reason>" -> count
    counts: Counter[str] = field(default_factory=Counter)  # e.g. "not_modified", "warc_files"
    strict: bool = False  # raise the first error instead of recording it
    retryable: list[RetryableError] = field(default_factory=list)  # recorded retryable errors

    def record(
        self, source: SourceConfig, where: str, exc: PermanentError | RetryableError
    ) -> None:
        """Record a failure of one part of a listing (one sitemap, one WARC file) and go on."""
        if self.strict:
            raise exc
        self.errors[f"discover:{exc.reason}"] += 1
        if isinstance(exc, RetryableError):
            self.retryable.append(exc)
        log.error("discover %s: %s failed: %s", source.name, where, exc)


Discover = Callable[[SourceConfig, Window, "Fetcher", DiscoverContext], Iterator[Item]]


def discoverer(kind: str) -> Discover:
    """The discover function of a source kind."""
    if kind == "rss":
        from newswire.discover import feeds

        return feeds.discover
    if kind == "sitemap":
        from newswire.discover import sitemaps

        return sitemaps.discover
    if kind == "warc":
        from newswire.discover import warc

        return warc.discover
    if kind == "gdelt":
        from newswire.discover import gdelt

        return gdelt.discover
    raise ConfigError(f"no discoverer for source kind {kind!r}")
