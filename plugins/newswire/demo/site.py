"""A synthetic, deterministic news site served on 127.0.0.1 for offline runs and tests.

Two outlets share one server: "Demo Wire" (/wire/) publishes every story, some behind a
paywall teaser; "Daily Courier" (/courier/) republishes a few of them with its own chrome and
URLs. Pages carry what the cleaning pipeline must handle: datelines, doubled photo captions,
paywall prompts, tracking parameters in feed links and canonical links that may or may not
point at the original. Everything is generated from a seeded RNG; nothing is read from disk.
This module generates the stories and serves them; newswire.demo.pages renders the routes.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import random
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from newswire.demo import pages
from newswire.demo import text as txt
from newswire.demo.pages import slugify

logger = logging.getLogger(__name__)

DEMO_DAY = date(2026, 1, 15)
SEED = 20260115
TEASER_PARAGRAPHS = 4
COURIER_COPIES = 6
PHOTO_CREDITS = {"Reuters": "REUTERS/{}", "AP": "(AP Photo/{})", "AFP": "(Photo by {} / AFP)"}
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
        paths += [f"/wire/section/{slugify(n)}" for n in txt.WIRE_SECTIONS]
        paths += [f"/courier/section/{slugify(n)}" for n in txt.COURIER_SECTIONS]
        paths += [f"/wire/info/{slugify(n)}" for n in txt.WIRE_FOOTER]
        paths += [s.wire_path for s in self.stories]
        paths += [s.courier_path for s in self.stories if s.courier_path]
        return tuple(paths)

    def story_by_path(self, path: str) -> DemoStory | None:
        """The story whose wire or courier page is at path (query ignored)."""
        clean = urlsplit(path).path
        return next((s for s in self.stories if clean in (s.wire_path, s.courier_path)), None)

    def render(self, path: str, base_url: str) -> tuple[int, str, bytes]:
        """Status, content type and body for a request path; base_url makes links absolute."""
        return pages.render(self, path, base_url)


# --------------------------------------------------------------------------- generation


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
    fill |= {"firm": names.firm(), "firm2": names.firm(), "agency_name": pages.AGENCY_NAMES[agency]}
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
        slug=slugify(title),
        title=title,
        published_at=when,
        authors=tuple(names.person() for _ in range(rng.choice((1, 2, 2)))),
        agency=agency,
        dateline=setting["CITY"],
        paragraphs=tuple(paragraphs[:TEASER_PARAGRAPHS] if paywalled else paragraphs),
        caption=f"{topic.caption.format(**fill)} {credit}",
        paywalled=paywalled,
        wire_path=f"/wire/{when:%Y/%m/%d}/{slugify(title)}",
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
        words = [w for w in slugify(story.title).split("-") if w not in _STOP and w.isalpha()]
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
