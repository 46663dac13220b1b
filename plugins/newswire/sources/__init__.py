"""Source kinds: each module exposes discover(source, window, fetcher) -> Iterator[Item]."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from newswire.errors import ConfigError
from newswire.models import Item, SourceConfig, Window

if TYPE_CHECKING:
    from newswire.fetch import Fetcher

Discover = Callable[[SourceConfig, Window, "Fetcher"], Iterator[Item]]


def discoverer(kind: str) -> Discover:
    """The discover function of a source kind."""
    if kind == "rss":
        from newswire.sources import feeds

        return feeds.discover
    raise ConfigError(f"no discoverer for source kind {kind!r}")
