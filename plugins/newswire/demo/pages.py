"""The demo site's pages and feeds: HTML of both outlets, RSS and Atom, robots.txt.

newswire.demo.site generates the stories and serves them; everything here renders a
DemoSite's routes, so the same site renders the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import urlsplit

from newswire.demo import text as txt

if TYPE_CHECKING:
    from newswire.demo.site import DemoSite, DemoStory

WIRE_NAME = "Demo Wire"
COURIER_NAME = "Daily Courier"
PAYWALL_PROMPT = ("To Read The Full Story", "Are you already a subscriber?", "Click to log in!")
WIRE_FEED_PARAMS = "utm_source=rss&utm_medium=feed"
LATEST_PARAMS = "utm_campaign=latest&ref=homepage"
COURIER_TZ = timezone(timedelta(hours=-5), "EST")  # the courier dates its pages in New York time
AGENCY_NAMES = {"Reuters": "Reuters", "AP": "The Associated Press", "AFP": "AFP"}
HTML_TYPE = "text/html; charset=utf-8"
_GIF = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)


def render(site: DemoSite, path: str, base_url: str) -> tuple[int, str, bytes]:
    """Status, content type and body for a request path; base_url makes links absolute."""
    base = base_url.rstrip("/")
    route = urlsplit(path).path or "/"
    if route == "/robots.txt":
        robots = "User-agent: *\nDisallow: /private/\nAllow: /\n"
        return 200, "text/plain; charset=utf-8", robots.encode()
    if route == "/wire/feed.xml":
        return 200, "application/rss+xml; charset=utf-8", _wire_rss(site, base)
    if route == "/wire/latest.xml":
        return 200, "application/atom+xml; charset=utf-8", _wire_atom(site, base)
    if route == "/courier/feed.xml":
        return 200, "application/rss+xml; charset=utf-8", _courier_rss(site, base)
    if route.startswith("/media/") and any(route == image_path(s) for s in site.stories):
        return 200, "image/gif", _GIF
    story = site.story_by_path(route)
    if story is not None and route == story.wire_path:
        text = _wire_story(site, story, base)
    elif story is not None:
        text = _courier_story(site, story, base)
    elif route in site.page_paths():
        text = _listing(site, route)
    else:
        page = _wire_page("Page not found", "<h1>Page not found</h1>\n<p>No such page.</p>")
        return 404, HTML_TYPE, page.encode("utf-8")
    return 200, HTML_TYPE, text.encode("utf-8")


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --------------------------------------------------------------------------- pages


def _e(text: str) -> str:
    """HTML-escape text for element content and attribute values."""
    return html.escape(text, quote=True)


def image_path(story: DemoStory) -> str:
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
        "section_slug": slugify(story.section),
        "image": _e(base + image_path(story)),
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
    figure = txt.FIGURE.format(image=_e(base + image_path(story)), caption=_e(story.caption))
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
        nav=_links([(f"/wire/section/{slugify(n)}", n) for n in txt.WIRE_SECTIONS]),
        footer=_links([(f"/wire/info/{slugify(n)}", n) for n in txt.WIRE_FOOTER]),
        main=main,
    )
    return txt.DOCUMENT.format(head=head, body_class="wire", body=body)


def _courier_page(title: str, main: str, most_read: list[tuple[str, str]], head: str = "") -> str:
    """Daily Courier chrome (consent notice, menu, newsletter, sidebar, footer)."""
    head = head or f'<meta charset="utf-8">\n<title>{_e(title)} - {COURIER_NAME}</title>'
    letter, pitch = txt.COURIER_NEWSLETTER
    body = txt.COURIER_CHROME.format(
        cookie=txt.COURIER_COOKIE,
        nav=_links([(f"/courier/section/{slugify(n)}", n) for n in txt.COURIER_SECTIONS]),
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
        if section in ("", slugify(s.section))
    ]
    if courier:
        return _courier_page(title, f"<h1>{title}</h1>\n{_links(stories, cls='river')}", stories)
    return _wire_page(title, f"<h1>{title}</h1>\n{_links(stories)}")


# --------------------------------------------------------------------------- feeds

_Row: TypeAlias = "tuple[DemoStory, str, str, str]"  # story, link, guid, date


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
