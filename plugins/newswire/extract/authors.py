"""Authors: bylines read from markup and structured data, normalised to people's names."""

from __future__ import annotations

import re
from collections.abc import Sequence

import lxml.html

from newswire.clean.agencies import AGENCIES, NAME_STRIP, agency_name
from newswire.clean.lines import normalise_whitespace
from newswire.extract.metadata import name_key

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


# --- names in bylines -------------------------------------------------------------------------

# Separators between several names in one byline: punctuation, and "and" in English, German,
# French, Spanish, Italian/Portuguese, Danish/Norwegian, Swedish and Dutch.
AUTHOR_SEPARATORS = re.compile(
    r"\s*(?:;|,|\||&|\s+(?:and|und|et|y|e|og|och|en)\s+)\s*", re.IGNORECASE
)

# A parenthesis closing a byline name: a desk code or handle ("Elena Roth (ero)").
TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]{1,40}\)\s*$")

# Leading phrases before a name: "By", "Reporting by", "Additional reporting by", ...
BYLINE_PREFIX = re.compile(
    r"^(?:(?:additional\s+|further\s+)?reporting\s+by|written\s+by|writing\s+by|"
    r"compiled\s+by|story\s+by|words\s+by|text\s+by|by|von|par|por|door|av|af|"
    r"autor(?:in)?|auteure?|author|autore|texto?)\b[:\s]*",
    re.IGNORECASE,
)

# A one-word label run into a byline before its capitalised "By"/"Von"/"Par"/"Por"
# ("Capital Von Jemima Kelly"); a nobiliary particle after "Von" marks a surname instead
# ("Ursula Von Der Leyen").
LABEL_BEFORE_BYLINE = re.compile(
    r"^[^\W\d_][\w.-]*\s+(?:By|Von|Par|Por)\s+"
    r"(?!(?i:der|den|dem|des|zu|zur|und|la|le|de|del|y)\b)(?=[^\W\d_]\S*\s+[^\W\d_])"
)

# Byline segments naming a role that is not authorship (editors, photographers).
NON_AUTHOR_SEGMENT = re.compile(
    r"^(?:editing|edited|photos?|photographs?|photography|pictures|graphics|video)\s+by\b"
    r"|^(?:(?:AP|AFP|Reuters)\s+)?(?:photo|photograph|image|picture|credit)s?\b\s*[:/]",
    re.IGNORECASE,
)

# Outlet and agency names, and staff labels, that are not people.
NON_PERSON_NAMES: frozenset[str] = frozenset(
    {
        *AGENCIES,
        *("the ap", "wire services", "wire service", "wires"),
        *("staff", "staff writer", "staff writers", "staff reporter", "staff reporters"),
        *("editorial staff", "news desk", "newsdesk", "editors", "the editors"),
        *("journalist", "journalistin", "reporter", "redaktion", "red", "agenturen"),
        *("agencies", "agencias", "agences", "rédaction", "redacción", "redazione"),
    }
)

# Trailing labels after a name: "Jane Doe, AP Staff Writer", "John Roe Associated Press".
AUTHOR_SUFFIX = re.compile(
    r"(?:\s*[-–—/(]\s*|\s+)(?:the\s+)?(?:associated\s+press|reuters|afp|ap|"
    r"agence\s+france[- ]presse)(?:\s+(?:staff\s+)?(?:writer|reporter|correspondent)s?)?\)?$"
    r"|\s+(?:staff(?:\s+(?:writer|reporter|correspondent)s?)?|(?:writer|reporter|correspondent)s?)$",
    re.IGNORECASE,
)

# Role words around an agency name in a byline ("AP Staff Writer").
BYLINE_ROLE_WORDS = re.compile(r"\b(?:staff|writers?|reporters?|correspondents?)\b", re.IGNORECASE)

# An agency name closing a byline segment ("Jane Doe (Reuters)", "John Roe/AFP").
BYLINE_AGENCY_TAIL = re.compile(
    r"(?:^|[\s(/-])(?P<agency>(?:the\s+)?associated\s+press|reuters|afp|ap|"
    r"agence\s+france[- ]presse)\)?$",
    re.IGNORECASE,
)

# Email addresses and social handles that follow some bylines.
AUTHOR_CONTACT = re.compile(r"\S+@\S+\.\w+|(?<!\w)@\w{2,}")


# Words kept in capitals when a shouted name is title-cased (generational suffixes).
KEEP_UPPER_WORDS = re.compile(r"^(?:[IVX]+|[A-Z]\.(?:[A-Z]\.)*)$")


def _title_word(word: str) -> str:
    """Title-case one all-capitals word of a name, keeping O'Brien and Smith-Jones right."""
    if not word.isupper() or KEEP_UPPER_WORDS.match(word) or sum(c.isalpha() for c in word) < 2:
        return word
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())


def _title_case(name: str) -> str:
    """Title-case the shouted (all-capitals) words of a name."""
    return " ".join(_title_word(w) for w in name.split())


def _clean_author(segment: str) -> str | None:
    """One byline segment as a person's name, or None when it is not a person."""
    text = AUTHOR_CONTACT.sub(" ", segment)
    text = TRAILING_PARENTHESIS.sub("", " ".join(text.split())).strip(NAME_STRIP)
    if not text or NON_AUTHOR_SEGMENT.search(text):
        return None
    text = LABEL_BEFORE_BYLINE.sub("", text)
    previous = None
    role_dropped = False
    while previous != text:
        previous = text
        text = BYLINE_PREFIX.sub("", text).strip(NAME_STRIP)
        if text.casefold() in NON_PERSON_NAMES:
            return None
        stripped = AUTHOR_SUFFIX.sub("", text).strip(NAME_STRIP)
        role_dropped = role_dropped or stripped != text
        text = stripped
    if role_dropped and len(text.split()) == 1:  # "MND Staff", "Guardian staff reporter"
        return None
    if not text or text.casefold() in NON_PERSON_NAMES or not re.search(r"[^\W\d_]", text):
        return None
    if len(text.split()) > 6:  # a sentence, not a name
        return None
    return _title_case(text)


def normalise_authors(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    """Split a byline into people's names, without agencies, roles, contacts or duplicates."""
    if raw is None:
        return ()
    values = [raw] if isinstance(raw, str) else list(raw)
    names: list[str] = []
    seen: set[str] = set()
    for value in values:
        for segment in AUTHOR_SEPARATORS.split(value or ""):
            name = _clean_author(segment)
            key = "".join(c for c in (name or "").casefold() if c.isalnum())
            if name is None or key in seen:
                continue
            seen.add(key)
            names.append(name)
    return tuple(names)


def agency_in_byline(raw: str | Sequence[str] | None) -> str | None:
    """Canonical agency named in a byline ("By Jane Doe, Associated Press" -> "AP"), else None."""
    if raw is None:
        return None
    values = [raw] if isinstance(raw, str) else list(raw)
    for value in values:
        for segment in AUTHOR_SEPARATORS.split(value or ""):
            words = BYLINE_PREFIX.sub("", segment.strip(NAME_STRIP))
            words = BYLINE_ROLE_WORDS.sub(" ", words).strip(NAME_STRIP)
            match = BYLINE_AGENCY_TAIL.search(words)
            found = agency_name(match.group("agency") if match else words)
            if found:
                return found
    return None


# --- choosing the authors ---------------------------------------------------------------------

# Site names shorter than this (letters and digits) are not matched against author names.
MIN_SITE_KEY = 3

# A web address closing a byline, after the outlet's name: "Deutsche Welle (www.dw.com)".
HOST_IN_BYLINE = re.compile(
    r"\s*[(\[|–—-]?\s*(?:https?://)?(?:www\.)?(?P<host>[\w-]+(?:\.[\w-]+)+)/?\s*[)\]]?$"
)


def drop_site_names(authors: tuple[str, ...], site_names: list[str]) -> tuple[str, ...]:
    """Authors without the outlet's own name ("Heise Online", "Lesotho Times")."""
    keys = {name_key(s) for s in site_names if len(name_key(s)) >= MIN_SITE_KEY}
    return tuple(
        a for a in authors if not any(name_key(a) == k or name_key(a).startswith(k) for k in keys)
    )


def outlet_address(bylines: Sequence[str], site_names: list[str]) -> set[str]:
    """Name keys bylines give the outlet's address or full name, which are not people.

    "Coast News, Harbourtown, Freedonia" (a <meta name=author> value) names the outlet and
    where it sits, not people: "harbourtown" and "freedonia" are returned, so that no byline
    source turns them into authors. Lower-case desk codes ("srf, hosb") are not an address.
    A name printed before the outlet's own host ("Deutsche Welle (www.dw.com)" on dw.com) is
    the outlet's full name: its key ("deutschewelle") is returned too.
    """
    keys = {name_key(s) for s in site_names if len(name_key(s)) >= MIN_SITE_KEY}
    hosts = {s.casefold().removeprefix("www.") for s in site_names if "." in s}
    address: set[str] = set()
    for byline in bylines:
        host = HOST_IN_BYLINE.search(byline)
        outlet = name_key(byline[: host.start()]) if host is not None else ""
        if outlet and host is not None and host.group("host").casefold() in hosts:
            address.add(outlet)
        segments = [s for s in AUTHOR_SEPARATORS.split(byline) if s]
        if len(segments) > 1 and name_key(segments[0]) in keys:
            rest = segments[1:]
            if all(len(s.split()) == 1 and s[:1].isupper() for s in rest):
                address.update(name_key(s) for s in rest)
    return address


def _spelled_as(names: tuple[str, ...], structured: tuple[str, ...]) -> tuple[str, ...]:
    """Names in the spelling structured data gives them ("María R. Sahuquillo", not "R")."""
    spelling = {name_key(n): n for n in structured}
    return tuple(spelling.get(name_key(n), n) for n in names)


def pick_authors(
    bylines: Sequence[Sequence[str]], site_names: list[str], not_names: set[str] | None = None
) -> tuple[str, ...]:
    """People's names from the first byline source that names any, best source first.

    The sources are JSON-LD authors typed Person (structured, one name each), trafilatura's
    byline, then <meta name=author> and other JSON-LD authors; outlet names do not count,
    nor names whose key is in not_names (the outlet's address).
    """
    not_names = not_names or set()
    people = normalise_authors(bylines[0]) if bylines else ()
    for byline in bylines:
        names = drop_site_names(_spelled_as(normalise_authors(byline), people), site_names)
        names = tuple(n for n in names if name_key(n) not in not_names)
        if names:
            return names
    return ()
