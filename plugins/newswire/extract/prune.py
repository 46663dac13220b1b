"""Structural filtering of a page before extraction: related lists, share bars, teasers."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection

import lxml.html

logger = logging.getLogger(__name__)

# class/id words of containers that hold no article text (related stories, newsletter boxes,
# share bars, recommendation widgets, comment sections, breadcrumbs). Paywall boxes stay: their
# prompts are the evidence the cleaner needs to truncate and classify access.
BOILERPLATE_CONTAINER = re.compile(
    r"(?:^|[-_\s])(?:related(?:[-_]?(?:articles?|stories|posts|content|links|news))?|"
    r"recommended|recommendations?|more[-_]?(?:stories|articles|news|from)|read[-_]?more|"
    r"also[-_]?read|further[-_]?reading|newsletter(?:[-_]?(?:signup|box|teaser|promo))?|"
    r"outbrain|taboola|share[-_]?(?:bar|buttons?|tools|links)|social(?:[-_]?(?:share|links|bar|"
    r"media))?|sharing|breadcrumbs?|comments?(?:[-_]?section)?|most[-_]?(?:read|popular|viewed)|"
    r"trending|cookie[-_]?(?:banner|consent|notice)|"
    r"consent[-_]?banner|app[-_]?promo|author[-_]?bio)(?:$|[-_\s])",
    re.IGNORECASE,
)

# Elements never removed as containers (they may carry a misleading class).
PROTECTED_TAGS = frozenset({"html", "body", "article", "main", "h1"})

# A container holding more than this share of the page's paragraph words is kept anyway.
MAX_CONTAINER_SHARE = 0.3

# A list is a link list when at least this share of its words is link text...
LINK_LIST_DENSITY = 0.8

# ...it has at least this many items, each at most LINK_ITEM_MAX_WORDS words.
LINK_LIST_MIN_ITEMS = 2
LINK_ITEM_MAX_WORDS = 25

# A list of at least this many items, each a link wrapping a heading or picture and
# (almost) all of the item's text, is a list of story teasers whatever the items' length.
TEASER_LIST_MIN_ITEMS = 2
TEASER_LINK_DENSITY = 0.95


# Headings that name a story inside an <article>.
STORY_HEADINGS = ("h1", "h2")

# Headlines shorter than this (letters and digits) are not matched against headings.
MIN_HEADLINE_KEY = 12


def _words(node: lxml.html.HtmlElement) -> int:
    """Words of an element's text."""
    return len((node.text_content() or "").split())


def _is_teaser_item(item: lxml.html.HtmlElement) -> bool:
    """True for a list item that is one story teaser: a link holding a heading or image."""
    words = _words(item)
    for link in item.iter("a"):
        has_head = next(link.iter("h1", "h2", "h3", "h4", "img", "picture"), None) is not None
        if has_head and _words(link) >= TEASER_LINK_DENSITY * words:
            return True
    return False


def _is_link_list(node: lxml.html.HtmlElement) -> bool:
    """True for a <ul>/<ol> whose items are short and almost all link text, or teasers."""
    items = [li for li in node if isinstance(li.tag, str) and li.tag == "li"]
    if len(items) < min(TEASER_LIST_MIN_ITEMS, LINK_LIST_MIN_ITEMS) or node.find(".//a") is None:
        return False  # both kinds need items and links
    if len(items) >= LINK_LIST_MIN_ITEMS and all(_words(li) <= LINK_ITEM_MAX_WORDS for li in items):
        total = _words(node)
        linked = sum(_words(a) for a in node.iter("a"))
        if total > 0 and linked >= LINK_LIST_DENSITY * total:
            return True
    return len(items) >= TEASER_LIST_MIN_ITEMS and all(_is_teaser_item(li) for li in items)


def _key(text: str) -> str:
    """Comparison key of a headline: NFKC, case-folded letters and digits."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def other_stories(
    tree: lxml.html.HtmlElement, headlines: Collection[str]
) -> list[lxml.html.HtmlElement]:
    """Outermost <article> elements printing another story than the page's headline.

    Pages that append the next story (infinite scroll) print each in its own <article> with
    its own heading. When exactly one outermost <article> has a heading matching one of the
    page's headlines, the others with a heading of their own are other stories.
    """
    keys = {k for h in headlines if len(k := _key(h)) >= MIN_HEADLINE_KEY}
    articles = [a for a in tree.iter("article") if next(a.iterancestors("article"), None) is None]
    if len(articles) < 2 or not keys:
        return []
    headed = {a: [_key(h.text_content() or "") for h in a.iter(*STORY_HEADINGS)] for a in articles}
    main = [a for a, heads in headed.items() if any(h in keys for h in heads)]
    if len(main) != 1:
        return []
    return [a for a, heads in headed.items() if a is not main[0] and any(heads)]


def prune_boilerplate(tree: lxml.html.HtmlElement, headlines: Collection[str] = ()) -> int:
    """Remove boilerplate containers, link lists and other stories in place; return how many."""
    body_words: int | None = None
    doomed: list[lxml.html.HtmlElement] = [n for n in tree.iter("ul", "ol") if _is_link_list(n)]
    doomed.extend(other_stories(tree, headlines))
    # class and id values are searched as strings: an element is built only for a match
    for value in tree.xpath("//body//@class | //body//@id"):
        if not BOILERPLATE_CONTAINER.search(value):
            continue
        node = value.getparent()
        if node.tag not in PROTECTED_TAGS and node.tag not in ("ul", "ol"):
            if body_words is None:
                body_words = sum(_words(p) for p in tree.iter("p")) or 1
            words = sum(_words(p) for p in node.iter("p"))
            if words <= MAX_CONTAINER_SHARE * body_words:
                doomed.append(node)
    marked = set(doomed)
    removed = 0
    for node in doomed:
        if node.getparent() is not None and not any(a in marked for a in node.iterancestors()):
            node.drop_tree()
            removed += 1
    logger.debug("pruned %d boilerplate blocks", removed)
    return removed
