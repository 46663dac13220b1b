"""Through the pipeline: a near-copy republished in a later run joins the existing story."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import text

from newswire.db.engine import make_engine
from newswire.demo import site as demosite
from newswire.models import Window
from newswire.run import pipeline
from newswire.settings import DEFAULT_SOURCES_FILE, Settings

DAY = datetime(2026, 1, 15, tzinfo=UTC)
OUTLET_BOILERPLATE = (
    "The Lakeside Ledger brings you the stories that matter most across the region every day.",
)


def _copy_pages(story: demosite.DemoStory, base: str) -> dict[str, tuple[str, bytes]]:
    """An outlet's feed and its edited copy: new headline, tail trimmed, credit line added."""
    published = DAY + timedelta(days=1, hours=10)
    kept = [p for p in story.paragraphs if p.strip()][: max(3, len(story.paragraphs) - 2)]
    body = [*kept, "Reporting by Ana Lopez; Editing by Tom Hale", *OUTLET_BOILERPLATE]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in body)
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Ledger: what happened next</title>"
        f"<link rel='canonical' href='{base}/ledger/copy-1'>"
        f"<meta property='article:published_time' content='{published.isoformat()}'>"
        "</head><body><article><h1>Ledger: what happened next</h1>\n"
        f"{paragraphs}</article></body></html>"
    )
    feed = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        "<title>Ledger</title><link>{b}/</link><description>x</description>"
        "<item><title>Ledger: what happened next</title><link>{b}/ledger/copy-1</link>"
        "<pubDate>{d}</pubDate></item></channel></rss>"
    ).format(b=base, d=published.strftime("%a, %d %b %Y %H:%M:%S +0000"))
    return {
        "/ledger/feed.xml": ("application/rss+xml", feed.encode()),
        "/ledger/copy-1": ("text/html; charset=utf-8", page.encode()),
        "/robots.txt": ("text/plain", b"User-agent: *\nAllow: /\n"),
    }


@pytest.fixture
def outlet() -> Iterator[tuple[ThreadingHTTPServer, dict[str, tuple[str, bytes]]]]:
    """A second outlet on 127.0.0.1 whose pages the test fills in."""
    pages: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = pages.get(self.path.split("?")[0])
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", found[0] if found else "text/plain")
            self.end_headers()
            self.wfile.write(found[1] if found else b"not found")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, pages
    server.shutdown()
    server.server_close()


def test_a_near_copy_in_a_later_run_joins_the_story(
    demo_env: str, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outlet
) -> None:
    server, pages = outlet
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = tmp_path / "sources.toml"
    shipped = DEFAULT_SOURCES_FILE.read_text(encoding="utf-8")
    sources.write_text(
        shipped + "\n[[source]]\nname = 'ledger'\nkind = 'rss'\n"
        f"urls = ['{base}/ledger/feed.xml']\nlanguage = 'en'\nallow_private = true\n"
        "min_delay = 0.0\nlive_only = false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSWIRE_SOURCES_FILE", str(sources))
    settings = Settings.from_env()
    engine = make_engine(db_url)

    first = Window(DAY, DAY + timedelta(days=1))
    pipeline.run_once(first, source_names=["demo-wire"], settings=settings, engine=engine)
    site = demosite.build_site()
    story = max(
        (s for s in site.stories if s.on_demo_day and not s.paywalled),
        key=lambda s: len(s.paragraphs),
    )
    pages.update(_copy_pages(story, base))

    second = Window(DAY + timedelta(days=1), DAY + timedelta(days=2))
    pipeline.run_once(second, source_names=["ledger"], settings=settings, engine=engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.source, a.title, a.story_id, s.article_count, s.title AS story_title,"
                " s.representative_article_id = a.id AS representative"
                " FROM articles a JOIN stories s ON s.id = a.story_id"
                " WHERE a.story_id = (SELECT story_id FROM articles WHERE source = 'ledger')"
                " ORDER BY a.source"
            )
        ).all()
        stories = conn.execute(text("SELECT count(*) FROM stories")).scalar_one()
        articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        loaded = conn.execute(
            text("SELECT loaded, duplicates FROM ingest_runs WHERE source = 'ledger'")
        ).one()
    engine.dispose()
    assert [(r.source, r.article_count) for r in rows] == [("demo-wire", 2), ("ledger", 2)]
    assert rows[0].title == story.title and rows[1].title == "Ledger: what happened next"
    assert rows[0].representative and rows[0].story_title == story.title  # the wire original
    assert tuple(loaded) == (1, 0)  # a new article row (not an alias) ...
    assert articles == stories + 1  # ... in an existing story
