"""RSS/Atom discovery: items inside the window only, malformed feeds named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newswire.discover.feeds import parse_feed
from newswire.errors import PermanentError
from newswire.models import SourceConfig, Window

SOURCE = SourceConfig(name="t", kind="rss", urls=("http://127.0.0.1/feed",))

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>T</title>
<item><title>Before</title><link>http://n.test/a</link>
  <pubDate>Wed, 14 Jan 2026 23:59:59 +0000</pubDate></item>
<item><title>Start</title><link>http://n.test/b?utm_source=rss</link>
  <pubDate>Thu, 15 Jan 2026 00:00:00 +0000</pubDate></item>
<item><title>Local time</title><link>http://n.test/c</link>
  <pubDate>Thu, 15 Jan 2026 18:30:00 -0500</pubDate></item>
<item><title>End</title><link>http://n.test/d</link>
  <pubDate>Fri, 16 Jan 2026 00:00:00 +0000</pubDate></item>
<item><title>Undated</title><link>http://n.test/e</link></item>
<item><title>No link</title><pubDate>Thu, 15 Jan 2026 10:00:00 +0000</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>Atom one</title><link href="http://n.test/x"/><id>x</id>
  <updated>2026-01-15T12:00:00+01:00</updated></entry>
</feed>"""


def test_rss_items_with_utc_dates() -> None:
    items = parse_feed(RSS, "http://127.0.0.1/feed", SOURCE)
    by_title = {i.title: i for i in items}
    assert "No link" not in by_title
    assert by_title["Local time"].published_at == datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    assert by_title["Undated"].published_at is None
    assert by_title["Start"].url == "http://n.test/b?utm_source=rss"


def test_window_is_half_open() -> None:
    window = Window(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 1, 16, tzinfo=UTC))
    items = parse_feed(RSS, "http://127.0.0.1/feed", SOURCE)
    kept = [i.title for i in items if i.published_at and window.contains(i.published_at)]
    assert kept == ["Start", "Local time"]


def test_atom_feed() -> None:
    (item,) = parse_feed(ATOM, "http://127.0.0.1/atom", SOURCE)
    assert item.url == "http://n.test/x"
    assert item.published_at == datetime(2026, 1, 15, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize("body", [b"<html><body>not a feed</body></html>", b"\x00\x01garbage"])
def test_malformed_feed_is_a_permanent_error(body: bytes) -> None:
    with pytest.raises(PermanentError) as info:
        parse_feed(body, "http://127.0.0.1/feed", SOURCE)
    assert info.value.reason == "malformed_feed"
