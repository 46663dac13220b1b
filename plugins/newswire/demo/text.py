"""Text data for the synthetic demo site: story kinds, names, page and feed templates.

Story kinds (headline, lead, body and caption templates with their settings) are data in
``topics.toml``; templates are ``str.format`` strings whose slots that file describes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Topic:
    """One kind of news story: settings (one per story), headlines, lead, body and caption."""

    key: str
    section: str
    settings: tuple[Mapping[str, str], ...]
    headlines: tuple[str, ...]
    lead: str
    body: tuple[str, ...]
    caption: str


_FIRST_NAMES = (
    "Amara Benedikt Carmen Dmitri Elena Farid Greta Hiroshi Ines Jonas Kavita Lorenzo "
    "Mariam Nikolai Olivia Pablo Quentin Rosa Samuel Tamara Umar Valeria Wanjiru Xavier "
    "Yasmin Zoltan Adele Bruno Chiara Desmond Esther Felipe Gabriela Henrik Isabel Julian "
    "Katarzyna Luca Mei Nadia Oskar Priya Rafael Sofia Tobias Ursula Viktor Wen Yusuf "
    "Zara Anders Beatriz Colm Daria"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Abernathy Bergstrom Castellanos Dufresne Ekwueme Falkenberg Gallagher Haddad Ibarra "
    "Jankowski Kowalczyk Lindqvist Moreau Nakamura Okafor Petrovic Quintero Rasmussen "
    "Santoro Takahashi Underwood Valdivia Whitfield Xu Yilmaz Zielinski Achterberg "
    "Bianchi Carvalho Delacroix Esposito Fitzgerald Grimaldi Holloway Iversen Jovanovic "
    "Kaminski Larsen Mwangi Novak Oyelaran Pellegrini Rahman Sandoval Thorne Varga Weston "
    "Yamamoto Zamora Brennan Costa Dragomir Engel"
)
LAST_NAMES = tuple(_LAST_NAMES.split())
_FIRMS = (
    "Northgate Capital;Harbor Street Securities;Lindenmeyer Research;Tallis Economics;"
    "Crescent Ridge Advisors;Pemberton & Vale;Albion Market Analytics;Kestrel Partners;"
    "Meridian Insight;Corvus Asset Management;Baywater Strategy;Oakhurst Consulting;"
    "Silverline Research;Fenwick Global;Arden Macro;Blue Heron Analytics;"
    "Halcyon Investment Group;Ironbridge Securities;Westmark Economics;Solent Advisory;"
    "Cairn Street Partners;Larchmont Capital;Ostara Research;Whitcombe Analytics;"
    "Rookwood Partners;Thistle Bank Research;Calder & Moss;Everly Economics"
)
FIRMS = tuple(_FIRMS.split(";"))
MONTHS_NEXT = ("February", "March", "April", "May", "June")
MONTHS_PREV = ("September", "October", "November", "December")
ORDINALS = ("third", "fourth", "fifth", "sixth", "seventh")
FRACTIONS = ("fifth", "quarter", "third", "tenth")


def _load_topics() -> tuple[Topic, ...]:
    """The story kinds declared in topics.toml, in file order."""
    source = resources.files("newswire.demo").joinpath("topics.toml").read_text("utf-8")
    return tuple(
        Topic(
            key=t["key"],
            section=t["section"],
            settings=tuple(t["settings"]),
            headlines=tuple(t["headlines"]),
            lead=t["lead"],
            body=tuple(t["body"]),
            caption=t["caption"],
        )
        for t in tomllib.loads(source)["topic"]
    )


# The story kinds: data in topics.toml (the templates' slots are described there).
TOPICS: tuple[Topic, ...] = _load_topics()

WIRE_SECTIONS = (
    "World",
    "Business",
    "Markets",
    "Politics",
    "Technology",
    "Health",
    "Environment",
    "Science",
    "Sports",
    "Opinion",
    "Video",
    "Podcasts",
)
COURIER_SECTIONS = (
    "Local",
    "Nation",
    "World",
    "Business",
    "Sport",
    "Politics",
    "Health",
    "Science",
    "Weather",
    "Obituaries",
    "Puzzles",
    "Lifestyle",
)
WIRE_COOKIE = (
    "We use cookies and similar technologies to improve your experience, measure audiences and "
    "show you personalised advertising. By clicking Accept all you agree to our use of cookies "
    "as described in our Cookie Policy."
)
WIRE_NEWSLETTER = (
    "Sign up for our newsletter",
    "Get the day's top wire stories delivered to your inbox every morning. "
    "No spam, unsubscribe at any time.",
)
WIRE_FOOTER = (
    "About Demo Wire",
    "Contact us",
    "Terms of Use",
    "Privacy Policy",
    "Cookie Policy",
    "Accessibility",
    "Careers",
)
COURIER_COOKIE = (
    "The Daily Courier and our partners store and access information on your device to deliver "
    "content, analyse traffic and tailor ads. You can change your choices at any time from the "
    "Privacy settings link at the bottom of every page."
)
COURIER_NEWSLETTER = (
    "Get the Courier Briefing",
    "Our editors pick the stories you need to know, every weekday at 7 a.m. Enter your email "
    "address to subscribe.",
)
SHARE_LABELS = ("Share on Facebook", "Share on X", "Share on LinkedIn", "Email", "Copy link")

# --------------------------------------------------------------------------- page templates
# Filled with str.format; every value is HTML-escaped by demo.site before it goes in.

DOCUMENT = """<!DOCTYPE html>
<html lang="en">
<head>
{head}
</head>
<body class="{body_class}">
{body}
</body>
</html>
"""
ARTICLE_HEAD = """<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{canonical}">
<meta name="description" content="{description}">
<meta name="author" content="{authors}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{outlet}">
<meta property="og:url" content="{canonical}">
<meta property="og:title" content="{headline}">
<meta property="og:description" content="{description}">
<meta property="og:image" content="{image}">
<meta property="article:published_time" content="{published}">
<meta property="article:section" content="{section}">
<script type="application/ld+json">
{json_ld}
</script>"""
FIGURE = """<figure class="photo"><img src="{image}" alt="" width="1200" height="800">\
<figcaption>{caption}</figcaption></figure>
<p>{caption}</p>"""
# No link inside the prompt: a link-only block makes trafilatura drop the whole prompt,
# and real pages print it as plain text that the cleaning stage must remove.
PAYWALL = """<div class="paywall-prompt">
<p><strong>{ask}</strong></p>
<p>{subscriber}</p>
<p><span class="login-link" role="link" data-target="/wire/login">{login}</span></p>
</div>"""
WIRE_CHROME = """<div class="cookie-banner" role="dialog"><p>{cookie}</p>\
<button type="button">Accept all</button> <button type="button">Manage preferences</button></div>
<header class="site-header"><a class="logo" href="/wire/">Demo Wire</a>
<nav class="main-nav">{nav}</nav></header>
<main id="content">
{main}
</main>
<footer class="site-footer">
<nav>{footer}</nav>
<p>\u00a9 2026 Demo Wire. All rights reserved. All stories on this site are synthetic.</p>
</footer>"""
WIRE_ARTICLE = """<article class="story">
<header class="story-header">
<p class="kicker"><a href="/wire/section/{section_slug}">{section}</a></p>
<h1>{headline}</h1>
<div class="byline">{byline}</div>
<time datetime="{published}">{shown_time}</time>
<ul class="share-tools">{share}</ul>
</header>
<div class="article-body story-body">
{blocks}
</div>
</article>
<aside class="newsletter-box"><h2>{letter}</h2><p>{pitch}</p>\
<form method="post" action="/wire/newsletter"><input type="email" name="email" \
placeholder="Email address"><button type="submit">Sign up</button></form></aside>
<aside class="related-stories"><h2>Related stories</h2>
{related}
</aside>"""
COURIER_CHROME = """<div id="consent" class="consent-notice"><p>{cookie}</p>\
<button type="button">I agree</button> <button type="button">Reject optional</button></div>
<div class="masthead"><a class="brand" href="/courier/">Daily Courier</a>
<nav class="menu">{nav}</nav></div>
<div class="page-grid">
<main class="content-col">
{main}
<section class="cr-newsletter"><h3>{letter}</h3><p>{pitch}</p><form method="post" \
action="/courier/subscribe"><input type="email" name="address"><button type="submit">Subscribe\
</button></form></section>
</main>
<aside class="sidebar">
<h3>Most read</h3>
{most_read}
<div class="ad-slot">Advertisement</div>
</aside>
</div>
<footer class="cr-footer"><p>\u00a9 2026 Daily Courier Media Group. All rights reserved.</p>
<p>Privacy settings \u00b7 Terms and conditions \u00b7 Contact the newsroom</p></footer>"""
COURIER_ARTICLE = """<article class="cr-article">
<h1 class="cr-headline">{headline}</h1>
<div class="cr-byline">{byline}, {agency}</div>
<div class="cr-dates">Published <time datetime="{published}">{shown_time}</time></div>
<div class="cr-article-body">
{blocks}
</div>
</article>"""

# --------------------------------------------------------------------------- feed templates

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>{title}</title>
<link>{link}</link>
<description>Latest headlines from {title}</description>
<language>en</language>
{items}
</channel>
</rss>
"""
RSS_ITEM = """<item>
<title>{title}</title>
<link>{link}</link>
<guid isPermaLink="false">{guid}</guid>
<pubDate>{date}</pubDate>
<description>{description}</description>
<category>{section}</category>
</item>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{title}</title>
<id>{link}</id>
<link rel="self" href="{link}"/>
<updated>{date}</updated>
{items}
</feed>
"""
ATOM_ENTRY = """<entry>
<title>{title}</title>
<link rel="alternate" href="{link}"/>
<id>{guid}</id>
<published>{date}</published>
<updated>{date}</updated>
<summary>{description}</summary>
<category term="{section}"/>
{authors}
</entry>"""
