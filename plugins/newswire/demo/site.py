"""A synthetic, deterministic news site served on 127.0.0.1 for offline runs and tests.

Two outlets share one server: "Demo Wire" (/wire/) publishes every story, some behind a
paywall teaser; "Daily Courier" (/courier/) republishes a few of them with its own chrome and
URLs. Pages carry what the cleaning pipeline must handle: datelines, doubled photo captions,
paywall prompts, tracking parameters in feed links and canonical links that may or may not
point at the original. Everything is generated from a seeded RNG; nothing is read from disk.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import html
import json
import logging
import random
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from newswire.demo import text as txt

logger = logging.getLogger(__name__)

DEMO_DAY = date(2026, 1, 15)
SEED = 20260115
WIRE_NAME = "Demo Wire"
COURIER_NAME = "Daily Courier"
PAYWALL_PROMPT = ("To Read The Full Story", "Are you already a subscriber?", "Click to log in!")
TEASER_PARAGRAPHS = 4
COURIER_COPIES = 6
WIRE_FEED_PARAMS = "utm_source=rss&utm_medium=feed"
LATEST_PARAMS = "utm_campaign=latest&ref=homepage"
COURIER_TZ = timezone(timedelta(hours=-5), "EST")  # the courier dates its pages in New York time
AGENCY_NAMES = {"Reuters": "Reuters", "AP": "The Associated Press", "AFP": "AFP"}
PHOTO_CREDITS = {"Reuters": "REUTERS/{}", "AP": "(AP Photo/{})", "AFP": "(Photo by {} / AFP)"}
HTML_TYPE = "text/html; charset=utf-8"
_GIF = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)
_STOPWORDS = "a an and as at by for from in of on over the to with after amid"
_STOP = frozenset(_STOPWORDS.split())


@dataclass(frozen=True)
class DemoStory:
    """One wire story and the text the pipeline should recover from its pages."""

    slug: str
    title: str
    published_at: datetime  # aware, UTC
    authors: tuple[str, ...]
    agency: str  # "Reuters", "AP" or "AFP"
    dateline: str  # "WASHINGTON"
    paragraphs: tuple[str, ...]  # cleaned text as shown (the teaser when paywalled)
    caption: str  # photo caption with its credit, printed twice on every page
    paywalled: bool
    wire_path: str
    courier_path: str | None
    courier_canonical_is_wire: bool
    section: str
    description: str
    dateline_alone: bool  # dateline printed as its own paragraph above the photo
    courier_published_at: datetime | None = None

    @property
    def dateline_prefix(self) -> str:
        """The dateline as printed, e.g. "WASHINGTON (Reuters) —"."""
        return f"{self.dateline} ({self.agency}) \u2014"

    @property
    def byline(self) -> str:
        """The byline as printed, e.g. "By Jane Doe and John Roe"."""
        return "By " + " and ".join(self.authors)

    @property
    def on_demo_day(self) -> bool:
        """True when the story was published on DEMO_DAY (UTC)."""
        return self.published_at.date() == DEMO_DAY


@dataclass(frozen=True)
class DemoSite:
    """All stories of both outlets, and the renderer for every route."""

    stories: tuple[DemoStory, ...]

    def demo_day_stories(self) -> tuple[DemoStory, ...]:
        """Wire stories published on DEMO_DAY."""
        return tuple(s for s in self.stories if s.on_demo_day)

    def courier_copies(self) -> tuple[DemoStory, ...]:
        """Stories the Daily Courier republishes."""
        return tuple(s for s in self.stories if s.courier_path is not None)

    def feed_paths(self) -> tuple[str, ...]:
        """Paths of the RSS and Atom feeds."""
        return ("/wire/feed.xml", "/wire/latest.xml", "/courier/feed.xml")

    def page_paths(self) -> tuple[str, ...]:
        """Paths of every HTML page (articles, listings, info pages)."""
        paths = ["/", "/wire/", "/courier/"]
        paths += [f"/wire/section/{_slugify(n)}" for n in txt.WIRE_SECTIONS]
        paths += [f"/courier/section/{_slugify(n)}" for n in txt.COURIER_SECTIONS]
        paths += [f"/wire/info/{_slugify(n)}" for n in txt.WIRE_FOOTER]
        paths += [s.wire_path for s in self.stories]
        paths += [s.courier_path for s in self.stories if s.courier_path]
        return tuple(paths)

    def story_by_path(self, path: str) -> DemoStory | None:
        """The story whose wire or courier page is at path (query ignored)."""
        clean = urlsplit(path).path
        return next((s for s in self.stories if clean in (s.wire_path, s.courier_path)), None)

    def render(self, path: str, base_url: str) -> tuple[int, str, bytes]:
        """Status, content type and body for a request path; base_url makes links absolute."""
        base = base_url.rstrip("/")
        route = urlsplit(path).path or "/"
        if route == "/robots.txt":
            robots = "User-agent: *\nDisallow: /private/\nAllow: /\n"
            return 200, "text/plain; charset=utf-8", robots.encode()
        if route == "/wire/feed.xml":
            return 200, "application/rss+xml; charset=utf-8", _wire_rss(self, base)
        if route == "/wire/latest.xml":
            return 200, "application/atom+xml; charset=utf-8", _wire_atom(self, base)
        if route == "/courier/feed.xml":
            return 200, "application/rss+xml; charset=utf-8", _courier_rss(self, base)
        if route.startswith("/media/") and any(route == _image(s) for s in self.stories):
            return 200, "image/gif", _GIF
        story = self.story_by_path(route)
        if story is not None and route == story.wire_path:
            text = _wire_story(self, story, base)
        elif story is not None:
            text = _courier_story(self, story, base)
        elif route in self.page_paths():
            text = _listing(self, route)
        else:
            page = _wire_page("Page not found", "<h1>Page not found</h1>\n<p>No such page.</p>")
            return 404, HTML_TYPE, page.encode("utf-8")
        return 200, HTML_TYPE, text.encode("utf-8")


# --------------------------------------------------------------------------- generation


def _slugify(text: str) -> str:
    """Lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_HALVES = ("a.m.", "p.m.")
_INT_SLOTS = "n_mid=12-95 n_big=120-950 year_past=2009-2021 bp=5-25 age=24-79 goals=28-41"


def _numbers(rng: random.Random) -> dict[str, str]:
    """Per-story numbers and words for the template slots."""
    n_small, pct, money_m = rng.randint(3, 9), rng.uniform(2.1, 8.9), rng.randint(140, 880)
    ranges = (item.split("=") for item in _INT_SLOTS.split())
    nums = {key: str(rng.randint(*map(int, span.split("-")))) for key, span in ranges}
    words = ("month_next", "month_prev", "ordinal", "fraction")
    lists = (txt.MONTHS_NEXT, txt.MONTHS_PREV, txt.ORDINALS, txt.FRACTIONS)
    nums |= {key: rng.choice(choices) for key, choices in zip(words, lists, strict=True)}
    return nums | {
        "n_small": str(n_small),
        "n_small_plus": str(n_small + 2),
        "n_huge": f"{rng.randint(12, 98) * 100:,}",
        "n_dec": f"{rng.randint(2, 9)}.{rng.randint(1, 9)}",
        "pct": f"{pct:.1f}",
        "pct_prev": f"{pct + rng.uniform(0.3, 1.8):.1f}",
        "pct_small": f"{rng.uniform(0.2, 1.9):.1f}",
        "money": f"{rng.randint(2, 95)}.{rng.randint(1, 9)} billion",
        "money_m": f"{money_m} million",
        "money_m2": f"{money_m * rng.randint(55, 90) // 100} million",
        "score": f"{rng.randint(2, 4)}-{rng.randint(0, 1)}",
        "litres": str(rng.randrange(80, 160, 10)),
        "clock": f"{rng.randint(1, 11)}:{rng.randrange(0, 60, 5):02d} {rng.choice(_HALVES)}",
    }


class _Names:
    """Unique person names and research firms drawn without replacement."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.firms = list(txt.FIRMS)
        rng.shuffle(self.firms)

    def person(self) -> str:
        """A full name not handed out before."""
        while True:
            name = f"{self.rng.choice(txt.FIRST_NAMES)} {self.rng.choice(txt.LAST_NAMES)}"
            if name not in self.used:
                self.used.add(name)
                return name

    def firm(self) -> str:
        """A research firm, cycling through the shuffled list."""
        self.firms.append(self.firms.pop(0))
        return self.firms[-1]


def _publication_times(rng: random.Random) -> list[datetime]:
    """2 stories late on the eve, 22 spread over DEMO_DAY, 2 early the day after (UTC)."""
    day = datetime.combine(DEMO_DAY, time(), tzinfo=UTC)
    minutes = [-170 + rng.randint(0, 30), -25 + rng.randint(0, 10)]
    minutes += [5 + k * 65 + rng.randint(0, 40) for k in range(22)]
    minutes += [1440 + 20 + rng.randint(0, 20), 1440 + 400 + rng.randint(0, 60)]
    return [day + timedelta(minutes=m) for m in minutes]


_Slot = tuple[txt.Topic, dict[str, str], str]  # topic, setting, headline template


def _make_story(
    rng: random.Random, names: _Names, slot: _Slot, index: int, when: datetime
) -> DemoStory:
    """One story from a topic setting; index decides paywall and dateline layout."""
    topic, setting, headline = slot
    agency = rng.choice(("Reuters",) * 5 + ("AP", "AP", "AFP"))
    fill = dict(setting) | _numbers(rng)
    for n in range(1, 5):
        fill[f"p{n}"] = names.person()
        fill[f"p{n}_last"] = fill[f"p{n}"].split()[-1]
    fill |= {"firm": names.firm(), "firm2": names.firm(), "agency_name": AGENCY_NAMES[agency]}
    fill |= {"weekday": when.strftime("%A"), "photo_day": f"Jan. {when.day}, {when.year}"}
    paywalled = index % 3 == 2
    count = rng.randint(8, 10) if paywalled else rng.randint(5, 10)
    picks = sorted(rng.sample(range(len(topic.body)), count - 1))
    lead = topic.lead.format(**fill)
    paragraphs = [lead] + [topic.body[j].format(**fill) for j in picks]
    paragraphs[0] = f"{setting['CITY']} ({agency}) \u2014 {lead}"
    credit = PHOTO_CREDITS[agency].format(names.person())
    title = headline.format(**fill)
    return DemoStory(
        slug=_slugify(title),
        title=title,
        published_at=when,
        authors=tuple(names.person() for _ in range(rng.choice((1, 2, 2)))),
        agency=agency,
        dateline=setting["CITY"],
        paragraphs=tuple(paragraphs[:TEASER_PARAGRAPHS] if paywalled else paragraphs),
        caption=f"{topic.caption.format(**fill)} {credit}",
        paywalled=paywalled,
        wire_path=f"/wire/{when:%Y/%m/%d}/{_slugify(title)}",
        courier_path=None,
        courier_canonical_is_wire=False,
        section=topic.section,
        description=lead,
        dateline_alone=index % 2 == 0,
    )


def generate_site(seed: int = SEED) -> DemoSite:
    """Build the site from a seed (uncached; build_site() caches the default)."""
    rng = random.Random(seed)
    names = _Names(rng)
    slots = [
        (topic, dict(setting), headline)
        for topic in txt.TOPICS
        for setting, headline in zip(topic.settings, rng.sample(topic.headlines, 2), strict=True)
    ]
    rng.shuffle(slots)
    times = _publication_times(rng)
    stories = [_make_story(rng, names, slot, i, times[i]) for i, slot in enumerate(slots)]
    # copies fall on DEMO_DAY both in UTC and in the courier's New York time
    eligible = [
        i
        for i, s in enumerate(stories)
        if s.on_demo_day and not s.paywalled and 5 <= s.published_at.hour < 20
    ]
    for n, i in enumerate(sorted(rng.sample(eligible, COURIER_COPIES))):
        story = stories[i]
        words = [w for w in _slugify(story.title).split("-") if w not in _STOP and w.isalpha()]
        stories[i] = replace(
            story,
            courier_path=f"/courier/news/{'-'.join(words[:5])}-{rng.randint(100000, 999999)}",
            courier_canonical_is_wire=n % 2 == 0,
            courier_published_at=story.published_at + timedelta(minutes=rng.randint(15, 150)),
        )
    _check(stories)
    return DemoSite(tuple(stories))


def _check(stories: list[DemoStory]) -> None:
    """Fail loudly if generation broke a promise (unique titles and paragraphs)."""
    titles = {s.title for s in stories}
    paragraphs = [p for s in stories for p in s.paragraphs]
    if len(titles) != len(stories) or len(set(paragraphs)) != len(paragraphs):
        raise RuntimeError("demo site generation produced duplicate titles or paragraphs")


@functools.cache
def build_site() -> DemoSite:
    """The demo site for the default seed (deterministic, cached)."""
    return generate_site(SEED)


# --------------------------------------------------------------------------- pages


def _e(text: str) -> str:
    """HTML-escape text for element content and attribute values."""
    return html.escape(text, quote=True)


def _image(story: DemoStory) -> str:
    """Path of the story's photo."""
    return f"/media/{story.slug}.gif"


def _shown_time(moment: datetime) -> str:
    """A date as printed for readers: "January 15, 2026 9:30 AM UTC"."""
    hour, half = moment.hour % 12 or 12, "AM" if moment.hour < 12 else "PM"
    return f"{moment:%B} {moment.day}, {moment.year} {hour}:{moment:%M} {half} {moment.tzname()}"


def _links(items: list[tuple[str, str]], tag: str = "ul", cls: str = "links") -> str:
    """A list of (href, text) links."""
    lis = "".join(f'<li><a href="{_e(h)}">{_e(t)}</a></li>\n' for h, t in items)
    return f'<{tag} class="{cls}">\n{lis}</{tag}>'


def _fields(story: DemoStory, base: str, when: datetime) -> dict[str, str]:
    """Escaped values shared by the head and article templates of both outlets."""
    return {
        "headline": _e(story.title),
        "description": _e(story.description),
        "authors": _e(", ".join(story.authors)),
        "byline": _e(story.byline),
        "agency": AGENCY_NAMES[story.agency],
        "section": story.section,
        "section_slug": _slugify(story.section),
        "image": _e(base + _image(story)),
        "published": when.isoformat(),
        "shown_time": _shown_time(when),
        "blocks": _story_blocks(story, base),
    }


def _head(story: DemoStory, fields: dict[str, str], title: str, canonical: str, outlet: str) -> str:
    """<head> with canonical, Open Graph, article and JSON-LD NewsArticle metadata."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "datePublished": fields["published"],
        "author": [{"@type": "Person", "name": a} for a in story.authors],
        "publisher": {"@type": "Organization", "name": outlet},
        "mainEntityOfPage": canonical,
    }
    data = json.dumps(ld, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return txt.ARTICLE_HEAD.format(
        title=_e(title), canonical=_e(canonical), outlet=outlet, json_ld=data, **fields
    )


def _story_blocks(story: DemoStory, base: str) -> str:
    """The article body: dateline, photo with caption, the caption again, paragraphs."""
    figure = txt.FIGURE.format(image=_e(base + _image(story)), caption=_e(story.caption))
    first, *rest = (_e(p) for p in story.paragraphs)
    if story.dateline_alone:
        lead = first.removeprefix(_e(story.dateline_prefix) + " ")
        blocks = [f"<p>{_e(story.dateline_prefix)}</p>", figure, f"<p>{lead}</p>"]
    else:
        blocks = [f"<p>{first}</p>", figure]
    blocks += [f"<p>{p}</p>" for p in rest]
    if story.paywalled:
        ask, subscriber, login = PAYWALL_PROMPT
        blocks.append(txt.PAYWALL.format(ask=ask, subscriber=subscriber, login=login))
    return "\n".join(blocks)


def _wire_page(title: str, main: str, head: str = "") -> str:
    """Demo Wire chrome (cookie banner, navigation, footer) around main content."""
    head = head or f'<meta charset="utf-8">\n<title>{_e(title)} | {WIRE_NAME}</title>'
    body = txt.WIRE_CHROME.format(
        cookie=txt.WIRE_COOKIE,
        nav=_links([(f"/wire/section/{_slugify(n)}", n) for n in txt.WIRE_SECTIONS]),
        footer=_links([(f"/wire/info/{_slugify(n)}", n) for n in txt.WIRE_FOOTER]),
        main=main,
    )
    return txt.DOCUMENT.format(head=head, body_class="wire", body=body)


def _courier_page(title: str, main: str, most_read: list[tuple[str, str]], head: str = "") -> str:
    """Daily Courier chrome (consent notice, menu, newsletter, sidebar, footer)."""
    head = head or f'<meta charset="utf-8">\n<title>{_e(title)} - {COURIER_NAME}</title>'
    letter, pitch = txt.COURIER_NEWSLETTER
    body = txt.COURIER_CHROME.format(
        cookie=txt.COURIER_COOKIE,
        nav=_links([(f"/courier/section/{_slugify(n)}", n) for n in txt.COURIER_SECTIONS]),
        main=main,
        letter=letter,
        pitch=pitch,
        most_read=_links(most_read[:5], "ol", "most-read"),
    )
    return txt.DOCUMENT.format(head=head, body_class="courier", body=body)


def _wire_story(site: DemoSite, story: DemoStory, base: str) -> str:
    """A Demo Wire article page."""
    others = [s for s in site.stories if s is not story]
    start = site.stories.index(story)
    related = _links([(r.wire_path, r.title) for r in (others * 2)[start : start + 4]])
    share = "".join(f'<li><button type="button">{x}</button></li>' for x in txt.SHARE_LABELS)
    letter, pitch = txt.WIRE_NEWSLETTER
    fields = _fields(story, base, story.published_at)
    main = txt.WIRE_ARTICLE.format(
        share=share, letter=letter, pitch=pitch, related=related, **fields
    )
    title = f"{story.title} | {WIRE_NAME}"
    return _wire_page(title, main, _head(story, fields, title, base + story.wire_path, WIRE_NAME))


def _courier_story(site: DemoSite, story: DemoStory, base: str) -> str:
    """A Daily Courier republication of a wire story, dated in the courier's timezone."""
    assert story.courier_path is not None and story.courier_published_at is not None
    fields = _fields(story, base, story.courier_published_at.astimezone(COURIER_TZ))
    wire = story.courier_canonical_is_wire
    canonical = base + (story.wire_path if wire else story.courier_path)
    most_read = [(s.courier_path or "", s.title) for s in site.courier_copies() if s is not story]
    title = f"{story.title} - {COURIER_NAME}"
    head = _head(story, fields, title, canonical, COURIER_NAME)
    return _courier_page(title, txt.COURIER_ARTICLE.format(**fields), most_read, head)


def _listing(site: DemoSite, route: str) -> str:
    """Home, outlet front pages, section pages and the small info pages."""
    if route == "/":
        links = [("/wire/", WIRE_NAME), ("/courier/", COURIER_NAME)]
        links += [(p, p) for p in site.feed_paths()]
        return _wire_page("Demo news sites", f"<h1>Demo news sites</h1>\n{_links(links)}")
    if route.startswith("/wire/info/"):
        title = route.removeprefix("/wire/info/").replace("-", " ").capitalize()
        return _wire_page(title, f"<h1>{title}</h1>\n<p>This page is part of the demo site.</p>")
    courier = route.startswith("/courier/")
    section = route.split("/section/")[-1] if "/section/" in route else ""
    title = section.replace("-", " ").title() or "Latest news"
    stories = [
        ((s.courier_path or "") if courier else s.wire_path, s.title)
        for s in (site.courier_copies() if courier else site.stories)
        if section in ("", _slugify(s.section))
    ]
    if courier:
        return _courier_page(title, f"<h1>{title}</h1>\n{_links(stories, cls='river')}", stories)
    return _wire_page(title, f"<h1>{title}</h1>\n{_links(stories)}")


# --------------------------------------------------------------------------- feeds

_Row = tuple[DemoStory, str, str, str]  # story, link, guid, date


def _feed(doc: str, item: str, title: str, link: str, rows: list[_Row]) -> bytes:
    """Fill a feed template (RSS 2.0 or Atom) with one item per row, newest first."""
    items = "\n".join(
        item.format(
            title=_e(s.title),
            link=_e(url),
            guid=guid,
            date=date,
            description=_e(s.description),
            section=s.section,
            authors="".join(f"<author><name>{_e(a)}</name></author>" for a in s.authors),
        )
        for s, url, guid, date in rows
    )
    return doc.format(title=title, link=link, date=rows[0][3], items=items).encode("utf-8")


def _rfc822(when: datetime) -> str:
    """RFC 822 date for RSS: "GMT" for UTC, a numeric offset otherwise."""
    return format_datetime(when, usegmt=when.utcoffset() == timedelta(0))


def _wire_rss(site: DemoSite, base: str) -> bytes:
    """RSS 2.0 of every wire story, links tagged with utm parameters."""
    rows = [
        (s, f"{base}{s.wire_path}?{WIRE_FEED_PARAMS}", f"wire-{s.slug}", _rfc822(s.published_at))
        for s in reversed(site.stories)
    ]
    return _feed(txt.RSS, txt.RSS_ITEM, WIRE_NAME, f"{base}/wire/", rows)


def _courier_rss(site: DemoSite, base: str) -> bytes:
    """RSS 2.0 of the courier copies, dated in New York time, links with click ids."""
    rows = []
    for s in reversed(site.courier_copies()):
        assert s.courier_path is not None and s.courier_published_at is not None
        click = hashlib.sha1(s.slug.encode()).hexdigest()[:12]
        link = f"{base}{s.courier_path}?utm_source=rss&fbclid={click}"
        rows.append(
            (s, link, f"courier-{click}", _rfc822(s.courier_published_at.astimezone(COURIER_TZ)))
        )
    return _feed(txt.RSS, txt.RSS_ITEM, COURIER_NAME, f"{base}/courier/", rows)


def _wire_atom(site: DemoSite, base: str) -> bytes:
    """Atom feed of the latest DEMO_DAY stories, every other link with campaign parameters."""
    rows = []
    for n, s in enumerate(reversed(site.demo_day_stories()[-8:])):
        link = f"{base}{s.wire_path}{'' if n % 2 else '?' + LATEST_PARAMS}"
        rows.append((s, link, f"tag:demo-wire,2026:{s.slug}", s.published_at.isoformat()))
    return _feed(txt.ATOM, txt.ATOM_ENTRY, f"{WIRE_NAME}: latest", f"{base}/wire/latest.xml", rows)


# --------------------------------------------------------------------------- server


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its site and its base URL."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: DemoSite) -> None:
        super().__init__(address, _Handler)
        self.site = site
        host = "127.0.0.1" if address[0] in ("", "0.0.0.0") else address[0]
        self.base_url = f"http://{host}:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD for every route of the demo site."""

    server_version = "DemoSite/1.0"

    def do_GET(self) -> None:
        """Serve a route."""
        self._reply(with_body=True)

    def do_HEAD(self) -> None:
        """Serve a route's headers."""
        self._reply(with_body=False)

    def _reply(self, with_body: bool) -> None:
        """Render the requested path and send it."""
        server = self.server
        assert isinstance(server, _Server)
        status, content_type, body = server.site.render(self.path, server.base_url)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=60")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Log requests at debug level instead of printing to stderr."""
        logger.debug("demosite %s %s", self.address_string(), format % args)


@dataclass(frozen=True)
class RunningSite:
    """A demo server running in a background thread."""

    base_url: str
    site: DemoSite

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base_url + path


@contextlib.contextmanager
def serve(host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningSite]:
    """Serve the demo site in a daemon thread; stop it on exit."""
    server = _Server((host, port), build_site())
    thread = threading.Thread(target=server.serve_forever, name="demosite", daemon=True)
    thread.start()
    logger.info("demo site serving at %s", server.base_url)
    try:
        yield RunningSite(server.base_url, server.site)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    """Command line: serve the demo site until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m newswire.demo.site", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    # Ctrl-C and SIGTERM stop the server cleanly, even when started from a background job of a
    # non-interactive shell, which would otherwise leave SIGINT ignored (POSIX) and unstoppable.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    with serve(args.host, args.port) as running:
        print(running.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


def _interrupt(signum: int, frame: object) -> None:
    """Turn SIGTERM into the KeyboardInterrupt that stops serving."""
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
