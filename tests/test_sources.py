"""Source kinds against fixtures served on 127.0.0.1: sitemaps, GDELT, CC-NEWS, feeds (304)."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newswire.discover import DiscoverContext, feeds, gdelt, sitemaps, warc
from newswire.errors import ConfigError, PermanentError
from newswire.fetch.http import Fetcher, FetchSettings
from newswire.models import SourceConfig, Window
from newswire.settings.sources import load_sources
from support.warcdata import Capture, Resource, serve, warc_bytes

DAY = Window(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 1, 16, tzinfo=UTC))
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def _source(kind: str, urls: tuple[str, ...] = (), **extra: object) -> SourceConfig:
    return SourceConfig(name="t", kind=kind, urls=urls, allow_private=True, min_delay=0.0, **extra)  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchSettings()) as f:
        yield f


def _urlset(rows: list[tuple[str, str]], news: bool = False) -> bytes:
    entries = []
    for loc, when in rows:
        if news:
            date = f"<news:news><news:publication_date>{when}</news:publication_date>"
            date += "<news:title>T</news:title></news:news>"
        else:
            date = f"<lastmod>{when}</lastmod>"
        entries.append(f"<url><loc>{loc}</loc>{date}</url>")
    return f'<?xml version="1.0"?><urlset {NS} {NEWS_NS}>{"".join(entries)}</urlset>'.encode()


def test_sitemap_index_news_and_lastmod_filtered_to_window(fetcher: Fetcher) -> None:
    """An index of a news sitemap, a gzipped lastmod sitemap, a stale one and a broken one."""
    routes: dict[str, Resource] = {}
    with serve(routes) as srv:
        b = srv.base_url
        index = "".join(
            f"<sitemap><loc>{b}{p}</loc><lastmod>{m}</lastmod></sitemap>"
            for p, m in (
                ("/news.xml", "2026-01-15T23:00:00Z"),
                ("/pages.xml.gz", "2026-01-16T02:00:00Z"),
                ("/old.xml", "2025-12-01"),  # last changed before the window: not read
                ("/broken.xml", "2026-01-15"),
            )
        )
        routes["/index.xml"] = Resource(f"<sitemapindex {NS}>{index}</sitemapindex>".encode())
        routes["/news.xml"] = Resource(
            _urlset(
                [
                    (f"{b}/a", "2026-01-14T23:59:59Z"),  # just before the window
                    (f"{b}/b", "2026-01-15T00:00:00Z"),  # first second of it
                    (f"{b}/c", "2026-01-15T23:59:59+00:00"),
                    (f"{b}/d", "2026-01-16T01:00:00+02:00"),  # 23:00 UTC: inside
                ],
                news=True,
            )
        )
        gz = gzip.compress(_urlset([(f"{b}/e", "2026-01-15"), (f"{b}/f", "2026-01-16")]))
        routes["/pages.xml.gz"] = Resource(gz, "application/gzip")
        routes["/old.xml"] = Resource(_urlset([(f"{b}/old", "2026-01-15T10:00:00Z")]))
        routes["/broken.xml"] = Resource(b"<urlset><url><loc>unclosed")
        ctx = DiscoverContext()
        items = list(sitemaps.discover(_source("sitemap", (f"{b}/index.xml",)), DAY, fetcher, ctx))
        paths = sorted(i.url.removeprefix(b) for i in items)
        assert paths == ["/b", "/c", "/d", "/e"]
        assert ctx.errors == {"discover:malformed_sitemap": 1}
        assert not any(path == "/old.xml" for path, _ in srv.seen)
        assert {i.title for i in items if i.url.endswith(("/b", "/c"))} == {"T"}


def test_malformed_sitemap_is_permanent() -> None:
    """Not XML, or XML that is not a sitemap, is malformed_sitemap."""
    for body in (b"<html><p>hi", b"<rss><channel/></rss>"):
        with pytest.raises(PermanentError) as err:
            sitemaps.parse_sitemap(body, "http://x/s.xml")
        assert err.value.reason == "malformed_sitemap"


def _gdelt_zip(rows: list[tuple[str, str]], name: str) -> bytes:
    lines = ["\t".join(["1", "20260115", *["x"] * 57, added, url]) for url, added in rows]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(name.removesuffix(".zip"), "\n".join(lines) + "\n")
    return out.getvalue()


def test_gdelt_slots_filter_window_and_hosts(fetcher: Fetcher) -> None:
    """15-minute exports of the window (plus one lag slot); DATEADDED decides; host filter."""
    window = Window(
        datetime(2026, 1, 15, 10, 0, tzinfo=UTC), datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
    )
    assert [s.strftime("%H%M") for s in gdelt.slots(window)] == ["1000", "1015", "1030"]
    routes: dict[str, Resource] = {}
    files = {
        "20260115100000": [
            ("https://news.example/a", "20260115100000"),
            ("https://other.example/x", "20260115100000"),
            ("https://news.example/a", "20260115100000"),
        ],
        "20260115103000": [
            ("https://www.news.example/b", "20260115102959"),
            ("https://news.example/late", "20260115103000"),
        ],
    }
    for stamp, rows in files.items():  # the 10:15 slot is missing: a gap, not an error
        name = f"{stamp}.export.CSV.zip"
        routes[f"/gdeltv2/{name}"] = Resource(_gdelt_zip(rows, name), "application/zip")
    routes["/gdeltv2/20260115101500.export.CSV.zip"] = Resource(b"", status=404)
    with serve(routes) as srv:
        source = _source("gdelt", (f"{srv.base_url}/gdeltv2/",), hosts=("news.example",))
        ctx = DiscoverContext()
        items = list(gdelt.discover(source, window, fetcher, ctx))
    assert [i.url for i in items] == ["https://news.example/a", "https://www.news.example/b"]
    assert items[1].published_at == datetime(2026, 1, 15, 10, 29, 59, tzinfo=UTC)
    assert ctx.counts["gdelt_missing"] == 1 and not ctx.errors


def test_ccnews_listing_selects_files_and_records_are_read_back(fetcher: Fetcher) -> None:
    """Files chosen by the crawl time in their name; records read back by HTTP Range."""
    routes: dict[str, Resource] = {}
    names = {  # crawl start -> captures in the file
        "20260114200000": [("https://n.example/before", "2026-01-14T23:10:00")],
        "20260115060000": [
            ("https://n.example/in", "2026-01-15T06:10:00"),
            ("https://skip.example/x", "2026-01-15T06:11:00"),
        ],
        "20260116000500": [("https://n.example/next-day", "2026-01-16T00:10:00")],
        "20260117000000": [("https://n.example/far", "2026-01-17T00:10:00")],
    }
    lines = []
    for stamp, caps in names.items():
        path = f"crawl-data/CC-NEWS/{stamp[:4]}/{stamp[4:6]}/CC-NEWS-{stamp}-00001.warc.gz"
        lines.append(path)
        body = warc_bytes(
            [
                Capture(
                    url, datetime.fromisoformat(t).replace(tzinfo=UTC), b"<html><p>x</p></html>"
                )
                for url, t in caps
            ]
        )
        routes["/" + path] = Resource(body, "application/octet-stream")
    routes["/crawl-data/CC-NEWS/2026/01/warc.paths.gz"] = Resource(
        gzip.compress("\n".join(lines).encode()), "application/octet-stream"
    )
    with serve(routes) as srv:
        listing = f"{srv.base_url}/crawl-data/CC-NEWS/{{year}}/{{month}}/warc.paths.gz"
        source = _source("warc", listing=listing, hosts=("n.example",))
        ctx = DiscoverContext()
        items = list(warc.discover(source, DAY, fetcher, ctx))
        assert [i.url for i in items] == ["https://n.example/in"]
        fetched = {p.split("/")[-1] for p, _ in srv.seen if p.endswith(".warc.gz")}
        # the file before the window, the one inside, one within the lookback; not the far one
        assert fetched == {f"CC-NEWS-{s}-00001.warc.gz" for s in list(names)[:3]}
        assert ctx.errors == {}  # December's listing is a 404: nothing listed, no error
        page = warc.read_record(items[0].record, source, FetchSettings())  # type: ignore[arg-type]
        assert page.url == "https://n.example/in" and page.body == b"<html><p>x</p></html>"
        assert srv.seen[-1][1].get("Range", "").startswith("bytes=")


def test_item_time_prefers_plausible_page_date() -> None:
    captured = datetime(2026, 1, 15, 0, 10, tzinfo=UTC)
    assert warc.item_time(captured, captured - timedelta(minutes=20)) == captured - timedelta(
        minutes=20
    )
    assert warc.item_time(captured, captured - timedelta(days=3)) == captured  # old page re-crawled
    assert warc.item_time(captured, captured + timedelta(hours=1)) == captured  # impossible
    assert warc.item_time(captured, None) == captured


def test_page_date_is_the_first_readable_date_extraction_reads() -> None:
    def page(head: str) -> bytes:
        return f"<html><head>{head}</head><body><p>Text.</p></body></html>".encode()

    jsonld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "%s"}'
    meta = '</script><meta property="article:published_time" content="2026-01-15T08:00:00+01:00">'
    # JSON-LD first; a date that does not read falls through to the meta tag.
    assert warc.page_date(page(jsonld % "2026-01-15T06:30:00Z" + meta), "text/html") == datetime(
        2026, 1, 15, 6, 30, tzinfo=UTC
    )
    assert warc.page_date(page(jsonld % "soon" + meta), "text/html") == datetime(
        2026, 1, 15, 7, tzinfo=UTC
    )
    assert warc.page_date(page(jsonld % "soon" + "</script>"), "text/html") is None


RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    "<item><title>a</title><link>{b}/a</link>"
    "<pubDate>Thu, 15 Jan 2026 10:00:00 GMT</pubDate></item>"
    "<item><title>b</title><link>{b}/b</link>"
    "<pubDate>Fri, 16 Jan 2026 10:00:00 GMT</pubDate></item>"
    "</channel></rss>"
)


def test_feed_conditional_get_304_counted_and_window_still_served(
    fetcher: Fetcher, engine: object
) -> None:
    """The ETag is kept in feed_state; a 304 re-reads the stored body for the new window."""
    routes: dict[str, Resource] = {}
    with serve(routes) as srv:
        routes["/feed.xml"] = Resource(
            RSS.format(b=srv.base_url).encode(), "application/rss+xml", etag='"v1"'
        )
        source = _source("rss", (f"{srv.base_url}/feed.xml",))
        first = DiscoverContext(engine=engine)
        assert [i.url for i in feeds.discover(source, DAY, fetcher, first)] == [f"{srv.base_url}/a"]
        assert first.counts["not_modified"] == 0
        next_day = Window(DAY.end, DAY.end + timedelta(days=1))
        second = DiscoverContext(engine=engine)
        got = [i.url for i in feeds.discover(source, next_day, fetcher, second)]
        assert got == [f"{srv.base_url}/b"]
        assert second.counts["not_modified"] == 1
        feed_requests = [h for p, h in srv.seen if p == "/feed.xml"]
        assert "If-None-Match" not in feed_requests[0]
        assert feed_requests[1]["If-None-Match"] == '"v1"'


def _load(tmp_path: Path, body: str) -> tuple[SourceConfig, ...]:
    path = tmp_path / "s.toml"
    path.write_text(body, encoding="utf-8")
    return load_sources(path, env={})


def test_config_new_kinds_and_fields(tmp_path: Path) -> None:
    """Kinds, hosts/paths/listing validated; history-capable kinds are not live-only."""
    sources = _load(
        tmp_path,
        '[[source]]\nname = "w"\nkind = "warc"\npaths = ["/data/*.warc.gz"]\n'
        'hosts = ["A.example"]\n'
        '[[source]]\nname = "s"\nkind = "sitemap"\nurls = ["https://x.example/sitemap.xml"]\n'
        '[[source]]\nname = "f"\nkind = "rss"\nurls = ["https://x.example/feed"]\n',
    )
    assert [s.live_only for s in sources] == [False, False, True]
    assert sources[0].hosts == ("a.example",) and sources[0].paths == ("/data/*.warc.gz",)
    bad = {
        '[[source]]\nname = "w"\nkind = "warc"\n': "source 'w': a warc source needs",
        '[[source]]\nname = "w"\nkind = "warc"\nhosts = ["a b"]\npaths = ["x"]\n': "'hosts'",
        '[[source]]\nname = "r"\nkind = "rss"\nurls = ["http://a"]\nhosts = ["a.b"]\n': "'hosts'",
        '[[source]]\nname = "w"\nkind = "warc"\nlisting = "ftp://x"\n': "source 'w': 'listing'",
        '[[source]]\nname = "w"\nkind = "warc"\nlisting = "http://x/{day}"\n': "'listing'",
        '[[source]]\nname = "g"\nkind = "gdelt"\nurls = ["file:///x"]\n': "source 'g': 'urls'",
    }
    for body, message in bad.items():
        with pytest.raises(ConfigError, match=message):
            _load(tmp_path, body)


def test_select_files_by_crawl_time() -> None:
    """The last file started before the window, those started inside it or in the lookback."""
    names = [
        "20260114200000",
        "20260115000000",
        "20260115230000",
        "20260116013000",
        "20260116030000",
    ]
    files = [
        warc.WarcFile(
            f"file:///w/CC-NEWS-{n}-00000.warc.gz", warc.crawl_time(f"CC-NEWS-{n}-00000.warc.gz")
        )
        for n in names
    ]
    untimed = warc.WarcFile("file:///w/mine.warc.gz")
    chosen = warc.select_files([*reversed(files), untimed], DAY)
    assert chosen == [untimed, *files[1:4]]  # starts at 00:00 exactly: nothing before needed
    later = Window(DAY.start + timedelta(hours=1), DAY.end)
    assert warc.select_files(files, later)[0] == files[1]


def test_schedule_windows_follow_the_cron() -> None:
    """Consecutive cron ticks inside [from, to); a partial window at either end is left out."""
    from newswire.run.windows import schedule_windows

    start = datetime(2026, 1, 14, tzinfo=UTC)
    daily = schedule_windows("0 0 * * *", start, start + timedelta(days=3))
    assert [(w.start.day, w.end.day) for w in daily] == [(14, 15), (15, 16), (16, 17)]
    hourly = schedule_windows(
        "0 * * * *", start + timedelta(minutes=30), start + timedelta(hours=3)
    )
    assert [w.start.hour for w in hourly] == [1, 2]
    with pytest.raises(ConfigError, match="NEWSWIRE_SCHEDULE"):
        schedule_windows("every hour", start, start + timedelta(days=1))


def test_not_modified_counted_in_ingest_runs(
    demo_env: str, engine: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the pipeline: the second run of a window gets a 304, counts it, loads nothing."""
    from sqlalchemy import text

    from newswire.demo.site import build_site
    from newswire.run import pipeline

    story = next(s for s in build_site().stories if s.on_demo_day and not s.paywalled)
    when = story.published_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        f"<title>x</title><link>{demo_env}{story.wire_path}</link><pubDate>{when}</pubDate>"
        "</item></channel></rss>"
    ).encode()
    with serve({"/feed.xml": Resource(rss, "application/rss+xml", etag='"1"')}) as srv:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "f"\nkind = "rss"\nurls = ["{srv.base_url}/feed.xml"]\n'
            "allow_private = true\nmin_delay = 0\nlive_only = false\n",
            encoding="utf-8",
        )
        monkeypatch.setenv("NEWSWIRE_SOURCES_FILE", str(sources))
        window = Window(story.published_at.replace(minute=0), story.published_at.replace(minute=59))
        first, _ = pipeline.run_once(window, engine=engine)  # type: ignore[arg-type]
        second, _ = pipeline.run_once(window, engine=engine)  # type: ignore[arg-type]
    assert (first["loaded"], first["not_modified"]) == (1, 0)
    assert (second["loaded"], second["fetched"], second["not_modified"]) == (0, 0, 1)
    with engine.connect() as conn:  # type: ignore[attr-defined]
        counts = conn.execute(text("SELECT not_modified FROM ingest_runs ORDER BY id")).scalars()
        assert list(counts) == [0, 1]


def test_local_warc_file_urls_hosts_and_truncation(tmp_path: Path) -> None:
    """file:// globs in urls; other hosts, non-HTML and non-200 records skipped; a cut file keeps
    the records before the cut and records truncated_warc."""
    from support.warcdata import write_warc

    at = datetime(2026, 1, 15, 12, tzinfo=UTC)
    page = b"<html><head><title>t</title></head><body><p>text</p></body></html>"
    good = [
        Capture("https://www.keep.example/1", at, page),
        Capture("https://drop.example/2", at, page),
        Capture("https://keep.example/img", at, b"GIF89a", content_type="image/gif"),
        Capture("https://keep.example/404", at, page, status="404 Not Found"),
        Capture("https://keep.example/late", DAY.end, page),  # outside the window
    ]
    write_warc(tmp_path / "a.warc.gz", good)
    noise = b"<html><p>" + bytes(range(256)) * 40 + b"</p></html>"
    cut = [
        Capture("https://keep.example/3", at, page),
        Capture("https://keep.example/4", at, noise),
    ]
    write_warc(tmp_path / "b.warc.gz", cut, truncate=300)
    source = _source("warc", (f"file://{tmp_path}/*.warc.gz",), hosts=("keep.example",))
    ctx = DiscoverContext()
    items = list(warc.discover(source, DAY, None, ctx))  # type: ignore[arg-type]
    assert [i.url for i in items] == ["https://www.keep.example/1", "https://keep.example/3"]
    assert ctx.errors == {"discover:truncated_warc": 1}
    assert all(i.published_at == at for i in items)
    page_back = warc.read_record(items[1].record, source, FetchSettings())  # type: ignore[arg-type]
    assert page_back.body == page and page_back.fetched_at == at
