"""The bundled demo news site: content, feeds, markup and extraction, over real HTTP."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser
import lxml.html
import pytest
import requests
import trafilatura
from protego import Protego

from newswire.demo import site as demosite
from newswire.demo import text as demotext
from newswire.demo.pages import COURIER_NAME, PAYWALL_PROMPT, WIRE_NAME
from newswire.demo.site import (
    DEMO_DAY,
    DemoSite,
    DemoStory,
    build_site,
    generate_site,
    serve,
)

TIMEOUT = 10


@pytest.fixture(scope="module")
def site() -> DemoSite:
    return build_site()


@pytest.fixture(scope="module")
def running() -> Iterator[demosite.RunningSite]:
    with serve() as server:
        yield server


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def fetch(http: requests.Session, url: str) -> requests.Response:
    return http.get(url, timeout=TIMEOUT)


def page(http: requests.Session, url: str) -> lxml.html.HtmlElement:
    response = fetch(http, url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def meta(doc: lxml.html.HtmlElement, attribute: str, key: str) -> str:
    (value,) = doc.xpath(f'//meta[@{attribute}="{key}"]/@content')
    return str(value)


def canonical(doc: lxml.html.HtmlElement) -> str:
    (value,) = doc.xpath('//link[@rel="canonical"]/@href')
    return str(value)


def body_paragraphs(doc: lxml.html.HtmlElement, container: str) -> list[str]:
    return [p.text_content() for p in doc.xpath(f'//div[@class="{container}"]/p')]


def merge_dateline(lines: list[str], story: DemoStory) -> list[str]:
    """Drop captions and prompts, then join a lone dateline to the paragraph after it."""
    kept = [line for line in lines if line != story.caption and line not in PAYWALL_PROMPT]
    if kept and kept[0] == story.dateline_prefix:
        kept = [f"{kept[0]} {kept[1]}", *kept[2:]]
    return kept


# --------------------------------------------------------------------------- content


def test_story_counts_and_day_spread(site: DemoSite) -> None:
    day = site.demo_day_stories()
    assert len({s.title for s in day}) == len(day) >= 22
    dates = Counter(s.published_at.date() for s in site.stories)
    assert dates == {
        DEMO_DAY - timedelta(days=1): 2,
        DEMO_DAY: len(day),
        DEMO_DAY + timedelta(1): 2,
    }
    hours = sorted(s.published_at.hour for s in day)
    assert hours[0] <= 1 and hours[-1] >= 22
    assert all(s.published_at.tzinfo is UTC for s in site.stories)
    assert [s.published_at for s in site.stories] == sorted(s.published_at for s in site.stories)
    assert len({s.slug for s in site.stories}) == len({s.wire_path for s in site.stories}) == 26


def test_story_fields(site: DemoSite) -> None:
    agencies = Counter(s.agency for s in site.stories)
    assert set(agencies) == {"Reuters", "AP", "AFP"}
    assert agencies["Reuters"] > agencies["AP"] + agencies["AFP"]
    for story in site.stories:
        assert 1 <= len(story.authors) <= 2
        assert story.byline == "By " + " and ".join(story.authors)
        assert story.paragraphs[0].startswith(f"{story.dateline} ({story.agency}) \u2014 ")
        assert story.dateline.isupper()
        assert story.wire_path == f"/wire/{story.published_at:%Y/%m/%d}/{story.slug}"
        assert any(mark in story.caption for mark in ("REUTERS/", "(AP Photo/", "/ AFP)"))
        expected = (4, 4) if story.paywalled else (5, 10)
        assert expected[0] <= len(story.paragraphs) <= expected[1], story.title
        assert all(len(p.split()) >= 15 for p in story.paragraphs)


def test_paywall_and_courier_selection(site: DemoSite) -> None:
    paywalled = [i for i, s in enumerate(site.stories) if s.paywalled]
    assert paywalled == list(range(2, len(site.stories), 3)) and len(paywalled) >= 7
    copies = site.courier_copies()
    assert len(copies) >= 6
    assert not any(s.paywalled for s in copies)
    assert all(s.on_demo_day for s in copies)
    to_wire = [s for s in copies if s.courier_canonical_is_wire]
    assert len(to_wire) * 2 == len(copies)
    for story in copies:
        assert story.courier_path is not None and story.courier_published_at is not None
        assert story.courier_path.startswith("/courier/news/")
        assert story.courier_path.rsplit("-", 1)[1].isdigit()
        assert story.slug not in story.courier_path
        assert story.courier_published_at > story.published_at
        assert story.courier_published_at.date() == DEMO_DAY


def test_no_shared_paragraphs(site: DemoSite) -> None:
    owners: dict[str, str] = {}
    for story in site.stories:
        for paragraph in story.paragraphs:
            assert owners.setdefault(paragraph, story.slug) == story.slug, paragraph
    assert len({s.caption for s in site.stories}) == len(site.stories)


def test_every_template_renders_for_every_setting() -> None:
    fill = demosite._numbers(random.Random(1))
    fill |= {f"p{n}": f"Person{n} Surname{n}" for n in range(1, 5)}
    fill |= {f"p{n}_last": f"Surname{n}" for n in range(1, 5)}
    fill |= {"firm": "A Firm", "firm2": "B Firm", "agency_name": "Reuters"}
    fill |= {"weekday": "Thursday", "photo_day": "Jan. 15, 2026"}
    for topic in demotext.TOPICS:
        assert len(topic.settings) <= len(topic.headlines)
        assert len(topic.body) >= 9
        for setting in topic.settings:
            values = dict(setting) | fill
            for template in (*topic.headlines, topic.lead, *topic.body, topic.caption):
                assert "{" not in template.format(**values)


# --------------------------------------------------------------------------- feeds


def test_wire_rss_feed(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    response = fetch(http, running.url("/wire/feed.xml"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert len(feed.entries) == len(site.stories) == 26
    by_path = {s.wire_path: s for s in site.stories}
    for entry in feed.entries:
        parts = urlsplit(entry.link)
        assert parse_qs(parts.query) == {"utm_source": ["rss"], "utm_medium": ["feed"]}
        story = by_path[parts.path]
        assert entry.title == story.title and entry.summary == story.description
        assert entry.id and entry.id != entry.link
        assert parsedate_to_datetime(entry.published) == story.published_at
    assert "GMT" in feed.entries[0].published
    assert sum(1 for e in feed.entries if e.published_parsed[2] != DEMO_DAY.day) == 4


def test_wire_atom_feed(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    response = fetch(http, running.url("/wire/latest.xml"))
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    assert len(feed.entries) >= 5
    queries = [parse_qs(urlsplit(e.link).query) for e in feed.entries]
    tagged = [q for q in queries if q]
    assert tagged and len(tagged) < len(queries)
    assert all(q == {"utm_campaign": ["latest"], "ref": ["homepage"]} for q in tagged)
    paths = {s.wire_path: s for s in site.demo_day_stories()}
    for entry in feed.entries:
        story = paths[urlsplit(entry.link).path]
        assert entry.title == story.title and entry.summary == story.description
        assert datetime.fromisoformat(entry.updated) == story.published_at
        assert [a.name for a in entry.authors] == list(story.authors)


def test_courier_rss_feed(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    response = fetch(http, running.url("/courier/feed.xml"))
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo and len(feed.entries) == len(site.courier_copies())
    by_path = {s.courier_path: s for s in site.courier_copies()}
    for entry in feed.entries:
        parts = urlsplit(entry.link)
        query = parse_qs(parts.query)
        assert query["utm_source"] == ["rss"] and len(query["fbclid"][0]) == 12
        story = by_path[parts.path]
        assert entry.published.endswith("-0500")
        assert parsedate_to_datetime(entry.published) == story.courier_published_at


# --------------------------------------------------------------------------- pages


def test_every_linked_page_is_served(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    """Crawl from the home page and the feeds: every same-site link answers 200 HTML."""
    queue = [running.url("/")]
    for path in site.feed_paths():
        queue += [e.link for e in feedparser.parse(fetch(http, running.url(path)).content).entries]
    seen: set[str] = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = fetch(http, url)
        assert response.status_code == 200, url
        if urlsplit(url).path in site.feed_paths():
            assert response.headers["Content-Type"].endswith("+xml; charset=utf-8")
            continue
        assert response.headers["Content-Type"] == "text/html; charset=utf-8", url
        assert response.encoding == "utf-8"
        for href in lxml.html.fromstring(response.content).xpath("//a/@href"):
            target = urljoin(url, str(href)).split("#")[0]
            if target.startswith(running.base_url) and target not in seen:
                queue.append(target)
    paths = {urlsplit(u).path for u in seen}
    assert {s.wire_path for s in site.stories} <= paths
    assert {s.courier_path for s in site.courier_copies()} <= paths
    assert any("utm_source=rss" in u for u in seen)


def test_wire_article_markup(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    for story in site.stories:
        url = running.url(story.wire_path)
        response = fetch(http, url + "?utm_source=rss&utm_medium=feed")
        text = response.text
        doc = lxml.html.fromstring(response.content)
        assert doc.get("lang") == "en"
        assert doc.findtext(".//title") == f"{story.title} | {WIRE_NAME}"
        assert canonical(doc) == meta(doc, "property", "og:url") == url
        assert meta(doc, "property", "og:title") == story.title
        assert meta(doc, "property", "og:description") == story.description
        assert meta(doc, "name", "author") == ", ".join(story.authors)
        published = datetime.fromisoformat(meta(doc, "property", "article:published_time"))
        assert published == story.published_at and published.utcoffset() is not None
        (ld_text,) = doc.xpath('//script[@type="application/ld+json"]/text()')
        ld = json.loads(ld_text)
        assert ld["@type"] == "NewsArticle" and ld["headline"] == story.title
        assert [a["name"] for a in ld["author"]] == list(story.authors)
        assert ld["publisher"]["name"] == WIRE_NAME
        assert datetime.fromisoformat(ld["datePublished"]) == story.published_at
        assert doc.xpath("//article//h1")[0].text_content() == story.title
        assert doc.xpath('//article//div[@class="byline"]')[0].text_content() == story.byline
        assert doc.xpath("//article//time/@datetime") == [story.published_at.isoformat()]
        assert doc.xpath("//article//figure/figcaption")[0].text_content() == story.caption
        lines = body_paragraphs(doc, "article-body story-body")
        assert lines.count(story.caption) == 1  # and once more in the figcaption
        assert text.count(story.caption.replace("'", "&#x27;")) == 2
        if story.dateline_alone:
            assert lines[0] == story.dateline_prefix
        else:
            assert lines[0] == story.paragraphs[0]
        assert merge_dateline(lines, story) == list(story.paragraphs)
        for prompt in PAYWALL_PROMPT:
            assert text.count(prompt) == (1 if story.paywalled else 0)
        prompt_texts = [p.text_content() for p in doc.xpath("//article//p")][-3:]
        assert (prompt_texts == list(PAYWALL_PROMPT)) is story.paywalled
        for chrome in ("Related stories", "Sign up for our newsletter", "We use cookies", "\u00a9"):
            assert chrome in text


def test_courier_copy_markup(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    for story in site.courier_copies():
        assert story.courier_path is not None
        own, wire = running.url(story.courier_path), running.url(story.wire_path)
        doc = page(http, own)
        wire_doc = page(http, wire)
        expected = wire if story.courier_canonical_is_wire else own
        assert canonical(doc) == meta(doc, "property", "og:url") == expected
        assert doc.findtext(".//title") == f"{story.title} - {COURIER_NAME}"
        assert meta(doc, "property", "og:site_name") == COURIER_NAME
        published = datetime.fromisoformat(meta(doc, "property", "article:published_time"))
        assert published == story.courier_published_at
        assert published.utcoffset() == timedelta(hours=-5)
        courier_lines = body_paragraphs(doc, "cr-article-body")
        assert courier_lines == body_paragraphs(wire_doc, "article-body story-body")
        assert courier_lines.count(story.caption) == 1
        assert doc.xpath('//aside[@class="sidebar"]/h3')[0].text == "Most read"
        assert not doc.xpath('//*[contains(@class, "story-body")]')


def test_robots_404_and_head(running: demosite.RunningSite, http: requests.Session) -> None:
    robots = fetch(http, running.url("/robots.txt"))
    assert robots.status_code == 200
    assert robots.headers["Content-Type"] == "text/plain; charset=utf-8"
    rules = Protego.parse(robots.text)
    assert rules.can_fetch(running.url("/wire/feed.xml"), "newswire")
    assert not rules.can_fetch(running.url("/private/notes"), "newswire")
    for path in ("/nope", "/wire/2026/01/15/no-such-story", "/private/", "/courier/news/x-1"):
        response = fetch(http, running.url(path))
        assert response.status_code == 404, path
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    head = http.head(running.url("/wire/feed.xml"), timeout=TIMEOUT)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) > 1000


# --------------------------------------------------------------------------- determinism

DIGEST = """
from newswire.demo.site import generate_site
import hashlib
site = generate_site()
digest = hashlib.sha256()
for path in site.page_paths() + site.feed_paths() + ("/robots.txt",):
    digest.update(repr(site.render(path, "http://127.0.0.1:1")).encode())
print(digest.hexdigest())
"""


def test_generation_is_deterministic(site: DemoSite) -> None:
    first, second = generate_site(), generate_site()
    assert first == second == site and first is not second
    assert generate_site(seed=7) != site
    local = hashlib.sha256()
    for path in site.page_paths() + site.feed_paths() + ("/robots.txt",):
        rendered = first.render(path, "http://127.0.0.1:1")
        assert rendered == second.render(path, "http://127.0.0.1:1")
        local.update(repr(rendered).encode())
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        result = subprocess.run(
            [sys.executable, "-c", DIGEST], env=env, capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == local.hexdigest()


# --------------------------------------------------------------------------- extraction


def extract(http: requests.Session, url: str) -> dict[str, object]:
    document = trafilatura.bare_extraction(fetch(http, url).text, url=url, with_metadata=True)
    assert document is not None, url
    result: dict[str, object] = document.as_dict()
    return result


def test_trafilatura_sees_the_same_story_on_both_outlets(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    chrome = [demotext.WIRE_COOKIE[:30], demotext.COURIER_COOKIE[:30], "newsletter", "Most read"]
    chrome += [demotext.WIRE_NEWSLETTER[1][:30], demotext.COURIER_NEWSLETTER[1][:30]]
    for story in site.courier_copies():
        assert story.courier_path is not None
        wire = extract(http, running.url(story.wire_path))
        copy = extract(http, running.url(story.courier_path))
        texts = [str(wire["text"]), str(copy["text"])]
        assert story.caption in texts[0] and story.caption in texts[1]
        cleaned = [merge_dateline(t.splitlines(), story) for t in texts]
        assert cleaned[0] == cleaned[1] == list(story.paragraphs)
        others = [s.title for s in site.stories if s is not story]
        for text in texts:
            assert not any(title in text for title in others)
            assert not any(phrase in text for phrase in chrome)
        assert wire["title"] == copy["title"] == story.title
        assert wire["sitename"] == WIRE_NAME and copy["sitename"] == COURIER_NAME
        assert str(wire["author"]).split("; ") == list(story.authors)


def test_trafilatura_keeps_the_paywall_prompt(
    site: DemoSite, running: demosite.RunningSite, http: requests.Session
) -> None:
    for story in [s for s in site.stories if s.paywalled][:3]:
        lines = str(extract(http, running.url(story.wire_path))["text"]).splitlines()
        assert lines[-3:] == list(PAYWALL_PROMPT)
        assert merge_dateline(lines, story) == list(story.paragraphs)


# --------------------------------------------------------------------------- server


def test_serve_stops_on_exit() -> None:
    with serve() as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert requests.get(server.url("/robots.txt"), timeout=TIMEOUT).ok
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url("/robots.txt"), timeout=TIMEOUT)


# Seconds the server may take to exit after Ctrl-C: a bound on the wait, not a speed check.
STOP_DEADLINE = 30


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a background job of a script


@pytest.mark.parametrize("inherited", ["default", "ignored"])
def test_command_line_serves_until_interrupted(inherited: str) -> None:
    command = [sys.executable, "-m", "newswire.demo.site", "--port", "0"]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint if inherited == "ignored" else None,
    ) as proc:
        try:
            assert proc.stdout is not None and proc.stderr is not None
            base_url = proc.stdout.readline().strip()
            assert base_url.startswith("http://127.0.0.1:") and not base_url.endswith(":0")
            assert requests.get(base_url + "/wire/feed.xml", timeout=TIMEOUT).ok
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=STOP_DEADLINE) == 0
            assert proc.stdout.read() == "" and "GET" not in proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
