"""Bylines printed in the page's markup: itemprop=author, rel=author links, byline elements."""

from __future__ import annotations

import re

import lxml.html

from newswire.clean.lines import normalise_whitespace

__all__ = ["markup_bylines"]

# class/id tokens of an element holding a byline ("byline", "article-author", "autor").
BYLINE_CLASS = re.compile(
    r"^(?:[\w-]*[_-])?(?:byline|by-line|author|authors|autor|autoren|auteur|autore|"
    r"author-name|authorname|writer)(?:[_-](?:name|names|info|line|wrapper|link|text))?$",
    re.IGNORECASE,
)

# class/id tokens of author elements that hold no byline (pictures, biographies, follow buttons).
NOT_BYLINE_CLASS = re.compile(
    r"(?:image|img|photo|picture|avatar|bio|description|follow|social|more|teaser|list|box)",
    re.IGNORECASE,
)

# A byline longer than this (characters) is a biography or a sentence, not names.
MAX_BYLINE_CHARS = 120

# Elements searched for byline classes (inline and block containers).
BYLINE_TAGS = ("p", "div", "span", "a", "address", "li", "strong", "b", "section")

# Substrings of class/id values worth a closer look with BYLINE_CLASS (a cheap prefilter).
BYLINE_HINTS = ("uthor", "yline", "utor", "uteur", "riter")

# Label elements printed before an author's name in a facts list ("<strong>Autor</strong> Name").
AUTHOR_LABELS = frozenset(
    {
        *("author", "authors", "autor", "autorin", "autoren", "autorin/autor", "autor/in"),
        *("auteur", "auteure", "auteurs", "autore", "autori", "written by", "text"),
    }
)

# Elements that may hold an author label in a facts list.
LABEL_TAGS = frozenset({"strong", "b", "dt", "th", "span", "label"})

# Elements whose own text may be a label before the names they hold ("<li>Von: <a>...").
LABELLED_TAGS = frozenset({"li", "p", "div", "span", "dd"})

# Words opening a byline, printed as a label with a colon before linked names ("Von:", "By:").
BY_LABELS = frozenset({"by", "von", "par", "por", "door", "av", "af"})

# Byline texts that credit a source, not a writer ("Quelle: dpa", "Powered by").
NOT_A_BYLINE = re.compile(
    r"^(?:quelle|source|sources|fuente|fonte|powered\s+by|sponsored\s+by)\b", re.IGNORECASE
)

# A link to an author's profile page ("/autoren/name/max-kolbe", "/author/jane-doe/").
AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:en|in)?|auteurs?|autori?|journalists?)/[^/?#]")

# The markup bylines of one page are read from at most this many elements (the first ones).
MAX_BYLINE_ELEMENTS = 3


def _plausible(text: str) -> bool:
    """True when a byline text may name people: no digits (times, dates), not all lower-case."""
    return not any(c.isdigit() for c in text) and (text != text.lower() or text == text.upper())


def _text(node: lxml.html.HtmlElement) -> str:
    """Whitespace-normalised text of an element, or its content attribute for <meta>/<link>."""
    if node.tag in ("meta", "link"):
        return normalise_whitespace(node.get("content") or "")
    return normalise_whitespace(node.text_content() or "")


def _is_byline_element(node: lxml.html.HtmlElement) -> bool:
    """True when a class or id token of the element names a byline and none a picture or bio."""
    tokens = f"{node.get('class') or ''} {node.get('id') or ''}".split()
    return any(BYLINE_CLASS.match(t) for t in tokens) and not any(
        NOT_BYLINE_CLASS.search(t) for t in tokens
    )


def markup_bylines(tree: lxml.html.HtmlElement) -> list[str]:
    """Byline texts of the page's author markup, the first kind it uses (see _markup_texts).

    The kinds, best first: itemprop=author, rel=author links, author labels in a facts list or
    before the names an element holds ("<li>Von: <a>Name</a></li>"), elements classed as
    bylines, links to author profile pages. Texts too long to be names, with digits (a time
    or a date run into the byline) or all in lower case are skipped.
    """
    return [t for t in _markup_texts(tree) if _plausible(t)]


def _markup_texts(tree: lxml.html.HtmlElement) -> list[str]:
    """Byline texts of the first kind of byline markup the page uses (one pass over <body>)."""
    body = tree.find("body")
    if body is None:
        return []
    itemprops: list[str] = []
    links: list[str] = []
    labelled: list[str] = []
    classed: list[str] = []
    profiles: list[str] = []
    for node in body.iter():
        if not isinstance(node.tag, str):
            continue
        if "author" in (node.get("itemprop") or "").split():
            names = node.xpath(".//*[@itemprop='name']")
            itemprops.extend(_text(n) for n in (names[:1] or [node]))
        elif node.tag == "a" and "author" in (node.get("rel") or "").lower().split():
            links.append(_text(node))
        elif node.tag == "a" and len(profiles) < MAX_BYLINE_ELEMENTS:
            if AUTHOR_PAGE.search(node.get("href") or ""):
                profiles.append(_text(node))
        elif node.tag in LABEL_TAGS and not len(node) and not labelled:
            labelled.extend(_labelled(node))
        elif node.tag in LABELLED_TAGS and len(node) and not labelled:
            labelled.extend(_label_before_names(node))
        hint = f"{node.get('class') or ''}{node.get('id') or ''}"
        if (
            node.tag in BYLINE_TAGS
            and len(classed) < MAX_BYLINE_ELEMENTS
            and any(w in hint for w in BYLINE_HINTS)
            and _is_byline_element(node)
            and not any(_is_byline_element(a) for a in node.iterancestors(*BYLINE_TAGS))
        ):
            text = _text(node)
            if text and not NOT_A_BYLINE.match(text):
                classed.append(text)
    for found in (itemprops, links, labelled, classed, profiles):
        names = [t for t in found if t and len(t) <= MAX_BYLINE_CHARS]
        if names:
            return list(dict.fromkeys(names))[:MAX_BYLINE_ELEMENTS]
    return []


def _labelled(node: lxml.html.HtmlElement) -> list[str]:
    """The name after an author label element ("<strong>Autor</strong> Name"), if it is one."""
    label = normalise_whitespace(node.text or "")
    parent = node.getparent()
    if label.rstrip(":").strip().casefold() not in AUTHOR_LABELS or parent is None:
        return []
    text = _text(parent)
    name = text[len(label) :].lstrip(" :")
    return [name] if text.startswith(label) and 0 < len(name) <= MAX_BYLINE_CHARS else []


def _label_before_names(node: lxml.html.HtmlElement) -> list[str]:
    """The names an element holds after its own label text ("<li>Von: <a>Name</a></li>")."""
    label = normalise_whitespace(node.text or "")
    if not label.endswith(":") or label[:-1].strip().casefold() not in AUTHOR_LABELS | BY_LABELS:
        return []
    text = _text(node)
    names = text[len(label) :].strip(" :,")
    return [names] if text.startswith(label) and 0 < len(names) <= MAX_BYLINE_CHARS else []
