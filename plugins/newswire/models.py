"""Frozen dataclasses that cross stage boundaries."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit


def ensure_utc(value: datetime) -> datetime:
    """Return an aware UTC datetime (a plain one); naive values are taken as UTC."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if type(value) is not datetime:
        # A subclass, such as the pendulum DateTimes of Airflow's task context: pendulum's
        # arithmetic drops a stdlib tzinfo (DateTime + timedelta comes out naive).
        value = datetime.combine(value.date(), value.timetz())
    return value


@dataclass(frozen=True)
class Window:
    """A half-open data interval [start, end) in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", ensure_utc(self.start))
        object.__setattr__(self, "end", ensure_utc(self.end))
        if self.end <= self.start:
            raise ValueError(f"empty window: {self.start.isoformat()} >= {self.end.isoformat()}")

    def contains(self, moment: datetime) -> bool:
        """True when moment falls inside [start, end)."""
        return self.start <= ensure_utc(moment) < self.end

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


@dataclass(frozen=True)
class SourceConfig:
    """One news source as declared in the sources file."""

    name: str
    kind: str  # "rss", "sitemap", "warc" or "gdelt" (newswire.settings.sources.KNOWN_KINDS)
    urls: tuple[str, ...]
    enabled: bool = True
    language: str | None = None  # default language when the page does not say
    timezone: str = "UTC"  # timezone for naive dates in feeds and pages
    agency: str | None = None  # wire agency when the whole source is one (Reuters, AP, AFP)
    allow_private: bool = False  # allow loopback/private addresses (the demo site, tests)
    min_delay: float = 1.0  # seconds between two requests to one host
    user_agent: str | None = None  # overrides the global User-Agent
    live_only: bool = True  # feeds list only recent items; past windows are skipped
    hosts: tuple[str, ...] = ()  # warc/gdelt: keep only URLs of these hosts (and subdomains)
    paths: tuple[str, ...] = ()  # warc: local WARC files or glob patterns
    listing: str | None = None  # warc: CC-NEWS warc.paths.gz URL template ({year}, {month})

    def keeps_host(self, url: str) -> bool:
        """True when the source has no host list or url's host is one of them (or below)."""
        if not self.hosts:
            return True
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        return any(host == h or host.endswith("." + h) for h in self.hosts)


@dataclass(frozen=True)
class WarcRecord:
    """Where a WARC response record is: the file (file:// or http(s) URL), offset and length."""

    warc_url: str
    offset: int
    length: int


@dataclass(frozen=True)
class Item:
    """A discovered URL, with what the listing said about it."""

    url: str
    source: str
    published_at: datetime | None = None
    title: str | None = None
    record: WarcRecord | None = None  # set for WARC records: extracted, never refetched


@dataclass(frozen=True)
class Page:
    """A fetched response: bytes and the metadata needed to extract and archive them."""

    url: str  # the URL that was requested
    final_url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime
    encoding: str | None = None  # charset from headers or sniffing
    elapsed_ms: int = 0
    etag: str | None = None  # ETag response header (conditional GET of feeds)
    last_modified: str | None = None  # Last-Modified response header

    @property
    def sha256(self) -> str:
        """Content address of the body."""
        return hashlib.sha256(self.body).hexdigest()


_WS = re.compile(r"\s+")

# Scripts written without spaces between words (Han, Hiragana, Katakana): each character counts
# as a word, everything else is split on whitespace.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")


def count_words(text: str) -> int:
    """Words in text: whitespace-separated, each Han/Kana character counting as one."""
    if text.isascii():
        return len(text.split())
    return len(_WORD.findall(text))


def normalise_text(text: str) -> str:
    """Text as compared for exact dedup: NFKC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


@dataclass(frozen=True)
class Article:
    """A cleaned, normalised article ready for dedup and load."""

    url: str  # the URL it was fetched from
    canonical_url: str  # canonicalised rel=canonical / og:url, else the fetched URL
    source: str
    title: str | None
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    language: str | None = None  # ISO 639-1, detected from the text (extract/language.py)
    description: str | None = None
    agency: str | None = None  # Reuters, AP, AFP... when the dateline or byline says so
    dateline: str | None = None  # "WASHINGTON" from "WASHINGTON (Reuters) -"
    paywalled: bool = False
    prompts_stripped: tuple[str, ...] = ()  # names of the prompt patterns that matched
    extractor_version: str = ""
    page_sha256: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    updated_at: datetime | None = None  # last modification, when the page says
    date_source: str | None = None  # where published_at came from: jsonld, meta, time, text
    updated_source: str | None = None  # where updated_at came from: jsonld, meta, time
    credits: str | None = None  # "Reporting by Jane Doe; Editing by John Roe", out of the body
    section: str | None = None
    tags: tuple[str, ...] = ()
    top_image_url: str | None = None
    top_image_caption: str | None = None
    access: str = "free"  # free, paywalled (teaser only) or metered
    access_evidence: tuple[str, ...] = ()  # why: jsonld flag, markup, prompts, short body
    language_confidence: float | None = None  # the text model's probability of language

    @property
    def body(self) -> str:
        """Paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)

    @cached_property
    def word_count(self) -> int:
        """Number of whitespace-separated words in the body."""
        return sum(count_words(p) for p in self.paragraphs)

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the normalised body: equal for identical republications."""
        text = "\n".join(normalise_text(p) for p in self.paragraphs)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SourceCounts:
    """Counts for one source in one run (one row of ingest_runs)."""

    discovered: int = 0
    enqueued: int = 0
    fetched: int = 0
    failed: int = 0
    extracted: int = 0
    rejected: int = 0
    duplicates: int = 0
    loaded: int = 0
    prompts_stripped: int = 0
    errors: dict[str, int] = field(default_factory=dict)


def article_to_payload(article: Article) -> dict[str, object]:
    """An Article as a JSON-able dict (for staging and export): its fields in order."""
    return {f.name: _plain(getattr(article, f.name), iso=True) for f in fields(Article)}


def _plain(value: object, *, iso: bool) -> object:
    """A field value as JSON or the database takes it: tuples as lists, dates ISO when iso."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    if iso and isinstance(value, datetime):
        return value.isoformat()
    return value


def article_from_payload(data: dict[str, object]) -> Article:
    """The inverse of article_to_payload."""
    published = data.get("published_at")
    updated = data.get("updated_at")
    return Article(
        url=str(data["url"]),
        canonical_url=str(data["canonical_url"]),
        source=str(data["source"]),
        title=data.get("title"),  # type: ignore[arg-type]
        paragraphs=tuple(data.get("paragraphs") or ()),  # type: ignore[arg-type]
        authors=tuple(data.get("authors") or ()),  # type: ignore[arg-type]
        published_at=datetime.fromisoformat(str(published)) if published else None,
        language=data.get("language"),  # type: ignore[arg-type]
        description=data.get("description"),  # type: ignore[arg-type]
        agency=data.get("agency"),  # type: ignore[arg-type]
        dateline=data.get("dateline"),  # type: ignore[arg-type]
        paywalled=bool(data.get("paywalled")),
        prompts_stripped=tuple(data.get("prompts_stripped") or ()),  # type: ignore[arg-type]
        extractor_version=str(data.get("extractor_version") or ""),
        page_sha256=data.get("page_sha256"),  # type: ignore[arg-type]
        extra=dict(data.get("extra") or {}),  # type: ignore[call-overload]
        updated_at=datetime.fromisoformat(str(updated)) if updated else None,
        date_source=data.get("date_source"),  # type: ignore[arg-type]
        updated_source=data.get("updated_source"),  # type: ignore[arg-type]
        credits=data.get("credits"),  # type: ignore[arg-type]
        section=data.get("section"),  # type: ignore[arg-type]
        tags=tuple(data.get("tags") or ()),  # type: ignore[arg-type]
        top_image_url=data.get("top_image_url"),  # type: ignore[arg-type]
        top_image_caption=data.get("top_image_caption"),  # type: ignore[arg-type]
        access=str(data.get("access") or ("paywalled" if data.get("paywalled") else "free")),
        access_evidence=tuple(data.get("access_evidence") or ()),  # type: ignore[arg-type]
        language_confidence=data.get("language_confidence"),  # type: ignore[arg-type]
    )


# Article fields that are no extraction output column of articles (or are written apart).
_NOT_EXTRACTED_COLUMNS = frozenset(
    {"url", "canonical_url", "source", "paragraphs", "extractor_version", "page_sha256", "extra"}
)

# Columns of articles that the extractor's output fills: Article fields and derived values.
EXTRACTED_COLUMNS: tuple[str, ...] = (
    *(f.name for f in fields(Article) if f.name not in _NOT_EXTRACTED_COLUMNS),
    *("body", "content_hash", "word_count"),
)


def article_columns(article: Article) -> dict[str, Any]:
    """The articles columns an Article fills (extraction output), as the database returns them."""
    return {c: _plain(getattr(article, c), iso=False) for c in EXTRACTED_COLUMNS}


# Every articles column an insert writes besides id and story_id, in article_row's order.
ROW_COLUMNS: tuple[str, ...] = (
    *EXTRACTED_COLUMNS,
    *("canonical_url", "source", "extractor_version", "page_sha256", "extra"),
)


def article_row(article: Article) -> dict[str, Any]:
    """Every articles column an insert writes, besides id and story_id (ROW_COLUMNS)."""
    return {
        **article_columns(article),
        "canonical_url": article.canonical_url,
        "source": article.source,
        "extractor_version": article.extractor_version,
        "page_sha256": article.page_sha256,
        "extra": json.dumps(article.extra, ensure_ascii=False),
    }
