"""Exact backfill from a WARC archive source: `newswire backfill` over three daily windows."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from newswire.cli import app
from newswire.demo import site as demosite
from support.warcdata import Capture, Resource, serve, write_warc

# The archived pages claim to come from here; nothing is ever fetched from it.
ORIGIN = "https://wire.example"
# How long after publication the crawler captured each page.
CAPTURE_LAG = timedelta(minutes=30)


def _noise_page() -> bytes:
    """An HTML page that gzip cannot shrink much, so cutting its end cuts only this record."""
    return b"<html><body><p>" + random.Random(7).randbytes(3000).hex().encode() + b"</p></html>"


def _archive(folder: Path) -> dict[str, datetime]:
    """One CC-NEWS-named WARC per capture day (the last one cut short) and URL -> published."""
    site = demosite.build_site()
    by_day: dict[str, list[Capture]] = {}
    published: dict[str, datetime] = {}
    for story in site.stories:
        _status, _ctype, body = site.render(story.wire_path, ORIGIN)
        captured = story.published_at + CAPTURE_LAG
        url = ORIGIN + story.wire_path
        published[url] = story.published_at
        by_day.setdefault(f"{captured:%Y%m%d}", []).append(Capture(url, captured, body))
    last = max(by_day)
    for day, captures in sorted(by_day.items()):
        extra = []
        if day == last:  # a record cut in half at the end of the file: a broken download
            cut = captures[-1].captured + timedelta(minutes=1)
            extra = [Capture(ORIGIN + "/wire/cut", cut, _noise_page())]
        # Records the source must skip: an image and a 404 page.
        skipped = [
            Capture(ORIGIN + "/logo.png", captures[0].captured, b"\x89PNG", "200 OK", "image/png"),
            Capture(ORIGIN + "/gone", captures[0].captured, b"<html>gone</html>", "404 Not Found"),
        ]
        name = f"CC-NEWS-{day}000000-00000.warc.gz"
        write_warc(folder / name, skipped + captures + extra, truncate=200 if extra else 0)
    return published


@pytest.fixture
def archive_env(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, datetime]:
    """A sources file with one local WARC source; daily schedule; the test database."""
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    published = _archive(warcs)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "archive"\nkind = "warc"\n'
        f'paths = ["{warcs}/CC-NEWS-*.warc.gz"]\nhosts = ["wire.example"]\nlanguage = "en"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSWIRE_SOURCES_FILE", str(sources))
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSWIRE_SCHEDULE", "0 0 * * *")
    return published


def _backfill() -> None:
    result = CliRunner().invoke(app, ["backfill", "--from", "2026-01-14", "--to", "2026-01-17"])
    assert result.exit_code == 0, result.output
    assert "3 windows" in result.output


def test_three_day_backfill_loads_each_day_exactly_once(
    archive_env: dict[str, datetime], engine: object
) -> None:
    """Each daily run loads exactly that day's articles; a second backfill adds nothing."""
    published = archive_env
    _backfill()
    with engine.connect() as conn:  # type: ignore[attr-defined]
        runs = conn.execute(
            text(
                "SELECT interval_start, status, discovered, loaded, fetched, error_summary"
                " FROM ingest_runs ORDER BY interval_start"
            )
        ).all()
        rows = conn.execute(
            text(
                "SELECT a.canonical_url, a.published_at, f.interval_start, f.interval_end,"
                " f.warc_url FROM articles a JOIN frontier f ON f.article_id = a.id"
            )
        ).all()
    expected_per_day: dict[datetime, int] = {}
    for moment in published.values():
        day = moment.replace(hour=0, minute=0)
        expected_per_day[day] = expected_per_day.get(day, 0) + 1
    assert [r.interval_start for r in runs] == sorted(expected_per_day)
    assert [r.loaded for r in runs] == [expected_per_day[d] for d in sorted(expected_per_day)]
    assert all(r.status == "ok" for r in runs)
    # Every article was loaded by the run whose window holds its publication time...
    assert len(rows) == len(published)
    for row in rows:
        assert row.interval_start <= row.published_at < row.interval_end, row.canonical_url
        assert row.warc_url.startswith("file://")  # ...read from the archive, not fetched
    # ...including the story published at 23:41 and captured after midnight.
    late = {u for u, p in published.items() if (p + CAPTURE_LAG).date() > p.date()}
    assert late and late <= {r.canonical_url for r in rows}
    # The cut record is recorded as an error of the run that scanned the broken file.
    last_run = runs[-1]
    assert last_run.error_summary.get("discover:truncated_warc", 0) >= 1

    _backfill()  # again: the same windows change nothing
    with engine.connect() as conn:  # type: ignore[attr-defined]
        again = conn.execute(
            text("SELECT loaded, fetched, status FROM ingest_runs ORDER BY id DESC LIMIT 3")
        ).all()
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    assert articles == len(published)
    assert [(r.loaded, r.fetched, r.status) for r in again] == [(0, 0, "ok")] * 3


def test_backfill_records_malformed_sitemap_and_skips_live_only(
    demo_site: str, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: object
) -> None:
    """A broken child sitemap is recorded and the run goes on; a live-only feed skips the past."""
    site = demosite.build_site()
    day = [s for s in site.stories if s.on_demo_day][:3]
    other_day = next(s for s in site.stories if not s.on_demo_day)
    urls = "".join(
        f"<url><loc>{demo_site}{s.wire_path}</loc>"
        f"<lastmod>{s.published_at.isoformat()}</lastmod></url>"
        for s in [*day, other_day]
    )
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    routes: dict[str, Resource] = {"/bad.xml": Resource(b"<urlset><url><loc>oops")}
    routes["/good.xml"] = Resource(f"<urlset {ns}>{urls}</urlset>".encode())
    with serve(routes) as srv:
        children = "".join(
            f"<sitemap><loc>{srv.base_url}{p}</loc></sitemap>" for p in ("/good.xml", "/bad.xml")
        )
        routes["/index.xml"] = Resource(f"<sitemapindex {ns}>{children}</sitemapindex>".encode())
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "map"\nkind = "sitemap"\nurls = ["{srv.base_url}/index.xml"]\n'
            "allow_private = true\nmin_delay = 0\n"
            f'[[source]]\nname = "feed"\nkind = "rss"\nurls = ["{demo_site}/wire/feed.xml"]\n'
            "allow_private = true\nmin_delay = 0\n",
            encoding="utf-8",
        )
        monkeypatch.setenv("NEWSWIRE_SOURCES_FILE", str(sources))
        monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
        monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("NEWSWIRE_SCHEDULE", "0 0 * * *")
        result = CliRunner().invoke(app, ["backfill", "--from", "2026-01-15", "--to", "2026-01-16"])
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:  # type: ignore[attr-defined]
        runs = {
            r.source: r
            for r in conn.execute(
                text("SELECT source, status, note, loaded, error_summary FROM ingest_runs")
            )
        }
    assert runs["map"].status == "ok" and runs["map"].loaded == len(day)
    assert runs["map"].error_summary == {"discover:malformed_sitemap": 1}
    assert runs["feed"].status == "skipped" and "live-only" in runs["feed"].note
