"""Synthetic news pages for archive tests: distinct stories as HTML, with exact duplicates."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from support.warcdata import Capture

_SUBJECTS = (
    "The ministry",
    "Regional officials",
    "The central bank",
    "A coalition of farmers",
    "Port authorities",
    "The city council",
    "Union leaders",
    "The health agency",
    "Shipping firms",
    "The election commission",
    "Energy regulators",
    "School boards",
    "The coast guard",
    "Rail operators",
    "The finance committee",
    "Local hospitals",
)
_VERBS = (
    "announced",
    "rejected",
    "postponed",
    "approved",
    "questioned",
    "defended",
    "expanded",
    "suspended",
    "reviewed",
    "criticised",
    "welcomed",
    "proposed",
)
_OBJECTS = (
    "a new budget for road repairs",
    "plans for a desalination plant",
    "the harvest forecast",
    "an inquiry into delayed payments",
    "emergency funding for flood defences",
    "a reform of pension rules",
    "the closure of two border crossings",
    "a wage agreement",
    "fresh limits on fishing quotas",
    "a programme of vaccine trials",
    "new tariffs on steel",
    "the sale of a state-owned airline",
    "a ban on night flights",
    "changes to the tax code",
)
_DETAILS = (
    "after weeks of negotiations",
    "despite protests outside parliament",
    "citing rising costs",
    "in a statement on Tuesday",
    "following a court ruling",
    "ahead of the winter season",
    "under pressure from investors",
    "amid a heatwave",
    "as talks continued late into the night",
    "according to people familiar with the matter",
)
_PLACES = (
    "Lisbon",
    "Nairobi",
    "Oslo",
    "Santiago",
    "Hanoi",
    "Tbilisi",
    "Accra",
    "Montevideo",
    "Tallinn",
    "Manila",
    "Casablanca",
    "Ljubljana",
    "Quito",
    "Kathmandu",
    "Valletta",
    "Perth",
)


@dataclass(frozen=True)
class NewsPage:
    """One archived page: its URL, when it was published and captured, its HTML."""

    url: str
    story: int  # pages with one story number carry the same article text
    published: datetime
    captured: datetime
    body: bytes

    def capture(self) -> Capture:
        return Capture(self.url, self.captured, self.body)


def _paragraph(rng: random.Random, story: int) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        figure = rng.randint(2, 9_800)
        sentences.append(
            f"{rng.choice(_SUBJECTS)} in {rng.choice(_PLACES)} {rng.choice(_VERBS)} "
            f"{rng.choice(_OBJECTS)} {rng.choice(_DETAILS)}, putting the figure at "
            f"{figure} (case {story}-{rng.randint(100, 999)})."
        )
    return " ".join(sentences)


def _html(story: int, url: str, published: datetime, rng: random.Random) -> bytes:
    place = rng.choice(_PLACES)
    title = f"{place}: {rng.choice(_SUBJECTS).lower()} {rng.choice(_VERBS)} plan no. {story}"
    paragraphs = "".join(f"<p>{html.escape(_paragraph(rng, story))}</p>" for _ in range(5))
    stamp = published.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        f"<link rel='canonical' href='{url}'>"
        f"<meta property='article:published_time' content='{stamp}'>"
        "</head><body><header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"</header><main><article><h1>{html.escape(title)}</h1>"
        f"<p class='byline'>By Staff Reporter, {place}</p>{paragraphs}</article></main>"
        "<footer><p>Copyright Example Wire</p></footer></body></html>"
    ).encode()


def news_pages(
    day: datetime, stories: int, duplicates: int, *, first_story: int = 0, seed: int = 1
) -> list[NewsPage]:
    """stories distinct pages published during day (at wire.example) and duplicates exact
    copies of some of them republished later that day under other URLs (at mirror.example)."""
    rng = random.Random(seed)
    pages: list[NewsPage] = []
    step = timedelta(hours=20) / stories
    for n in range(stories):
        story = first_story + n
        published = day + timedelta(minutes=30) + step * n
        url = f"https://wire.example/{day:%Y/%m/%d}/story-{story}"
        body = _html(story, url, published, random.Random(f"{seed}:{story}"))
        pages.append(NewsPage(url, story, published, published + timedelta(minutes=10), body))
    for original in rng.sample(pages[: stories // 2], duplicates):
        url = f"https://mirror.example/copy/{original.story}"
        captured = original.captured + timedelta(hours=2)
        # The same article text under another URL (and its own canonical link).
        body = original.body.replace(original.url.encode(), url.encode())
        pages.append(NewsPage(url, original.story, original.published, captured, body))
    return pages
