"""Normalisation of URLs, dates, bylines and datelines."""

from __future__ import annotations

import email.utils
import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

from newswire.clean.agencies import AGENCIES, NAME_STRIP, agency_name

logger = logging.getLogger(__name__)

# --- dates ------------------------------------------------------------------------------------

# Abbreviated zone names dateutil cannot resolve on its own (US zones, common in feeds).
TZ_ABBREVIATIONS: dict[str, int] = {
    "UT": 0,
    "GMT": 0,
    "UTC": 0,
    "Z": 0,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "BST": 1 * 3600,
    "CET": 1 * 3600,
    "CEST": 2 * 3600,
}

# An RFC 822 / RFC 2822 date ("Tue, 03 Nov 2026 10:00:00 GMT"); the email parser is too lenient
# with anything else (it reads "10:00 AM EST" as UTC).
RFC822_SHAPE = re.compile(
    r"^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d\d(?::\d\d)?"
    r"(?:\s+(?:[+-]\d{4}|[A-Za-z]{1,5}))?$"
)

# A value must contain a four-digit year before dateutil's lenient parser is trusted with it.
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _zone(name: str) -> tzinfo:
    """The tzinfo for an IANA name, falling back to UTC when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown timezone %r, using UTC", name)
        return UTC


def _finish(value: datetime, default_tz: str) -> datetime:
    """Make a parsed datetime aware (default_tz for naive values) and convert to UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=_zone(default_tz))
    return value.astimezone(UTC)


def parse_datetime(value: str | None, default_tz: str = "UTC") -> datetime | None:
    """Parse ISO 8601, RFC 822 and common date strings to an aware UTC datetime, else None."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    try:
        return _finish(datetime.fromisoformat(text), default_tz)
    except ValueError:
        pass
    if RFC822_SHAPE.match(text):
        try:
            return _finish(email.utils.parsedate_to_datetime(text), default_tz)
        except (TypeError, ValueError, IndexError):
            pass
    if not _HAS_YEAR.search(text):
        return None
    tzinfos = {name: dateutil_tz.tzoffset(name, off) for name, off in TZ_ABBREVIATIONS.items()}
    try:
        parsed = dateutil_parser.parse(text, tzinfos=tzinfos)
    except (ValueError, OverflowError, TypeError):
        logger.debug("unparseable date %r", text)
        return None
    return _finish(parsed, default_tz)


# --- bylines ----------------------------------------------------------------------------------

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
