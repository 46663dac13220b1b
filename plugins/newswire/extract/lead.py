"""The head of the body: headline residue, kicker labels and a standfirst already kept apart."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence

import lxml.html

from newswire.models import count_words

# How many leading paragraphs are searched for headline residue, labels and the standfirst.
LEAD_SEARCH_DEPTH = 4

# A leading paragraph printing a headline plus at most this many words (a kicker before it,
# " | Site" after it) is headline residue, not article text.
MAX_KICKER_WORDS = 8

# Headlines shorter than this (letters and digits) are not looked for in the body.
MIN_HEADLINE_KEY = 12

# A leading paragraph of at most this many words without closing punctuation is a label
# (section, kicker, agency code, a lone dash), not article text.
MAX_LABEL_WORDS = 3

# Characters that close a sentence or a quotation.
SENTENCE_END = re.compile(r"[.!?…;:\"'»”’)]\s*$")

# Separators after a headline that introduce a suffix (" | Site", " - Section").
SUFFIX_START = re.compile(r"^\s*[|–—:·•»/-]")

# A paragraph shares at least this share of its words with the description: the standfirst.
STANDFIRST_OVERLAP = 0.9

# Standfirsts (and descriptions) shorter than this many characters are not compared.
MIN_STANDFIRST_CHARS = 40

# Trailing characters of a truncated description ("The council voted…").
TRUNCATION = " .…"

# class/id words of an element printing the standfirst (lead, teaser, intro, dek...), in
# English, German, French and Spanish page templates.
LEAD_CLASS = re.compile(
    r"(?:^|[-_\s])(?:lead|leadin|teaser|intro|standfirst|summary|excerpt|dek|subtitle|subline|"
    r"subheadline|abstract|description|chapeau|chapo|entradilla|sumario|vorspann|kicker|"
    r"deck)(?:$|[-_\s])",
    re.IGNORECASE,
)

# The same words in a camel-case class name ("Article_elementLead", "SummaryList", "leadIn").
LEAD_CLASS_CAMEL = re.compile(
    r"(?:(?<=[a-z])|(?<![A-Za-z]))(?:Lead|Intro|Teaser|Standfirst|Summary|Excerpt|Subtitle|"
    r"Deck|Abstract)(?=$|[-_\sA-Z])|(?<![A-Za-z])(?:lead|intro|teaser|summary|excerpt|subtitle|"
    r"deck)(?=[A-Z])"
)

# A quick test before LEAD_CLASS / LEAD_CLASS_CAMEL: the class or id may name a lead.
MAYBE_LEAD = re.compile(r"lead|intro|standfirst|summary|excerpt|subtitle|deck|teaser", re.I)

# A lead element longer than this many words is not a standfirst (a whole body classed
# "article-intro").
MAX_LEAD_WORDS = 80

# How many leading paragraphs may be a lead printed apart, whatever the description says.
LEAD_ELEMENT_DEPTH = 2

# A summary box above the standfirst prints at most this many bullet points.
MAX_LEAD_BULLETS = 6

# A list item as trafilatura prints it.
BULLET = re.compile(r"^[-–•·*]\s")

# Heading elements: their text is a title or a standfirst, never a body paragraph.
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

# Bold elements: a paragraph or list item printed wholly in bold is a standfirst set apart.
BOLD_TAGS = ("strong", "b")

# Elements that print a standfirst only when classed as a lead.
LEAD_ONLY_TAGS = ("div", "span")

# Everything but letters and digits, dropped from comparison keys.
NOT_ALNUM = re.compile(r"[\W_]+")

# A page text is compared with the description only when its key opens like the
# description's for this many characters or its length is within these ratios of it.
PREFIX_CHARS = 16
LENGTH_RATIOS = (0.8, 1.25)

# Words of the overlap comparison: lower-cased runs of word characters.
WORD = re.compile(r"\w+")

# A news dateline opening a paragraph ("PUTRAJAYA, Nov 22 — ", "LONDON (Reuters) - "): the
# story's first paragraph, which a standfirst printed over the story never carries.
DATELINE_OPENING = re.compile(
    r"^[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,30}(?:,\s*[\w.'’ ]{1,30})?(?:\s*\([^()]{2,30}\))?\s+[—–-]{1,2}\s"
)


def _key(text: str) -> str:
    """Comparison key: NFKC, case-folded letters and digits only (spacing ignored)."""
    return NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def _is_headline_residue(paragraph: str, headlines: Collection[str]) -> bool:
    """True when a paragraph is a headline, with at most a kicker before or a suffix after."""
    key = _key(paragraph)
    extra_words = count_words(paragraph)
    for headline in headlines:
        head = _key(headline)
        if len(head) < MIN_HEADLINE_KEY or extra_words > count_words(headline) + MAX_KICKER_WORDS:
            continue
        if key == head or key.endswith(head):
            return True
        if key.startswith(head) and _suffix_after(paragraph, headline):
            return True
    return False


def _suffix_after(paragraph: str, headline: str) -> bool:
    """True when what follows the headline in the paragraph reads as a suffix, not a sentence."""
    words = len(headline.split())
    rest = " ".join(paragraph.split()[words:])
    return bool(SUFFIX_START.match(rest)) or not SENTENCE_END.search(paragraph)


def _is_label(paragraph: str) -> bool:
    """True for a short line without closing punctuation ("MIDDLE EAST CRISIS", "AA", "-")."""
    return count_words(paragraph) <= MAX_LABEL_WORDS and not SENTENCE_END.search(paragraph)


def is_standfirst(paragraph: str, description: str | None) -> bool:
    """True when a paragraph repeats the description (whole, truncated or lightly edited).

    A paragraph opening with a dateline is the story's first paragraph, never a standfirst.
    """
    if not description or len(paragraph) < MIN_STANDFIRST_CHARS:
        return False
    if DATELINE_OPENING.match(paragraph):
        return False
    lead, summary = _key(paragraph), _key(description.rstrip(TRUNCATION))
    if len(summary) < MIN_STANDFIRST_CHARS // 2:
        return False
    if lead == summary or summary.startswith(lead) or lead.startswith(summary):
        return True
    ours = Counter(WORD.findall(paragraph.casefold()))
    theirs = Counter(WORD.findall(description.casefold()))
    shared = sum((ours & theirs).values())
    return shared >= STANDFIRST_OVERLAP * max(sum(ours.values()), sum(theirs.values()))


def standfirst_keys(tree: lxml.html.HtmlElement | None, description: str | None) -> set[str]:
    """Keys of the page's texts that repeat the description outside the body's paragraphs.

    Those are headings, elements classed as a lead or teaser, a <p> with no sibling <p>, and
    a <p> or list item printed wholly in bold: a description copied from the first body
    paragraph is not among them, so that paragraph stays in the body.
    """
    if tree is None or not description:
        return set()
    summary = _key(description.rstrip(TRUNCATION))
    keys: set[str] = set()
    for node in tree.iter("p", *HEADING_TAGS, "div", "span", "li"):
        if not _printed_apart(node):
            continue
        text = node.text_content() or ""
        if len(text) < MIN_STANDFIRST_CHARS:
            continue
        key = _key(text)
        low, high = LENGTH_RATIOS
        similar = low * len(summary) <= len(key) <= high * len(summary)
        if (key[:PREFIX_CHARS] == summary[:PREFIX_CHARS] or similar) and is_standfirst(
            text, description
        ):
            keys.add(key)
    return keys


def _printed_apart(node: lxml.html.HtmlElement) -> bool:
    """True when an element prints its text apart from the body's run of paragraphs."""
    if node.tag in HEADING_TAGS or LEAD_CLASS.search(
        f"{node.get('class', '')} {node.get('id', '')}"
    ):
        return True
    if node.tag in LEAD_ONLY_TAGS:
        return False
    if node.tag == "p":
        parent = node.getparent()
        if parent is None or sum(1 for _ in parent.iterchildren("p")) <= 1:
            return True
    return _printed_bold(node)


def _printed_bold(node: lxml.html.HtmlElement) -> bool:
    """True when all the text of an element is in its bold children (<p><strong>...</strong>)."""
    bold = "".join(c.text_content() or "" for c in node.iterchildren(*BOLD_TAGS))
    return bool(bold.strip()) and _key(bold) == _key(node.text_content() or "")


def lead_names(values: Collection[str]) -> set[str]:
    """The class and id values that name a lead, intro, teaser, deck or summary."""
    return {
        v
        for v in set(values)
        if MAYBE_LEAD.search(v) and (LEAD_CLASS.search(v) or LEAD_CLASS_CAMEL.search(v))
    }


def lead_keys(tree: lxml.html.HtmlElement | None, names: Collection[str]) -> set[str]:
    """Keys of the texts of the elements whose class or id is one of names (see lead_names).

    The element's own text and each of its paragraphs and list items count (a summary box of
    bullet points prints one line per item).
    """
    if tree is None or not names:
        return set()
    keys: set[str] = set()
    for node in tree.iter():
        if not isinstance(node.tag, str) or not (
            node.get("class") in names or node.get("id") in names
        ):
            continue
        text = node.text_content() or ""
        if len(text) < MIN_STANDFIRST_CHARS or count_words(text) > MAX_LEAD_WORDS:
            continue
        keys.add(_key(text))
        keys.update(_key(c.text_content() or "") for c in node.iter("p", "li"))
    return keys - {""}


def trim_lead(
    paragraphs: Sequence[str],
    headlines: Collection[str],
    description: str | None,
    standfirsts: Collection[str] = (),
    leads: Collection[str] = (),
) -> tuple[str, ...]:
    """Drop headline residue and labels before the text, and a standfirst near its top.

    A paragraph repeating the description is the standfirst only when the page prints it apart
    from the body's paragraphs (its key is in standfirsts): most sites copy their first
    paragraph into the description, and that paragraph stays in the body. The first
    paragraphs printed in a lead or summary element (their keys in leads) are a standfirst
    whatever the description says.
    """
    body = list(paragraphs)
    index = 0
    while index < min(LEAD_SEARCH_DEPTH, len(body) - 1):
        text = body[index]
        if _is_headline_residue(text, headlines) or (index == 0 and _is_label(text)):
            body.pop(index)
            continue
        index += 1
    while len(body) > 1 and leads and _key(body[0]) in leads:
        body.pop(0)
    if len(body) > 1 and leads and _key(body[1]) in leads and LEAD_ELEMENT_DEPTH > 1:
        body.pop(1)
    for index, text in enumerate(body[:LEAD_SEARCH_DEPTH]):
        if len(body) > 1 and _key(text) in standfirsts and is_standfirst(text, description):
            body.pop(index)
            break
    return tuple(body)


def dropped_standfirst(
    before: Sequence[str], after: Sequence[str], leads: Collection[str]
) -> str | None:
    """The lead paragraph trim_lead took off the body (not a bullet point), else None."""
    kept = set(after)
    return next(
        (
            p
            for p in before[: LEAD_SEARCH_DEPTH + MAX_LEAD_BULLETS]
            if p not in kept
            and _key(p) in leads
            and len(p) >= MIN_STANDFIRST_CHARS
            and not BULLET.match(p)
        ),
        None,
    )
