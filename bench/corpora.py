"""The benchmark corpora under ../shared/corpus: one loader for every folder, and the host split.

Each page is a pair ``<id>.html.gz`` (the page as downloaded) + ``<id>.json`` (its expected
fields, null where not annotated). ``news-pages`` keeps its pages in one folder per country
(the page id is ``<country>/<stem>``); the other corpora keep them flat.

The split: a page's split key is its host (lower case, leading "www." dropped); a page without
a real URL (``readability-news``) uses its ``publisher`` when the record names one, else its id
with a trailing page number dropped ("nytimes-2" -> "nytimes"), so one site's numbered pages
share a half (the record's ``source`` is the file it was taken from, not a site). The key goes
to the tuning half when ``int(sha1(key).hexdigest(), 16) % 2 == 0``, else to the checking half.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# The folder holding the corpora (next to the repository).
CORPUS_ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"

# The corpora, in the order the benchmark prints them.
CORPUS_NAMES = ("news-pages", "l3s-gn1-dev", "readability-news")

# Corpora whose pages sit in one sub-folder per country.
NESTED_CORPORA = frozenset({"news-pages"})

# The two halves of the host split.
TUNING, CHECKING = "tuning", "checking"
HALVES = (TUNING, CHECKING)

# File name endings of a page and of its expected fields.
HTML_SUFFIX, JSON_SUFFIX = ".html.gz", ".json"

# Leading label dropped from a host before it is hashed.
WWW_PREFIX = "www."

# A trailing page number of an id used as split key ("yahoo-3").
PAGE_NUMBER = re.compile(r"-\d+$")


@dataclass(frozen=True)
class CorpusPage:
    """One page of a corpus with its expected fields (None: the field is not annotated)."""

    corpus: str
    id: str
    host: str  # the split key: host, or publisher / id for a page without a URL
    html: bytes
    url: str | None  # None when the corpus has no real URL for the page
    title: str | None
    authors: tuple[str, ...] | None
    published: str | None
    body: str | None
    publisher: str | None = None
    crawl_date: str | None = None

    @property
    def half(self) -> str:
        """TUNING or CHECKING, from the split key."""
        return half_of(self.host)


def host_key(url: str) -> str:
    """The split key of a URL: its host in lower case, without a leading "www."."""
    return (urlsplit(url).hostname or "").lower().removeprefix(WWW_PREFIX)


def half_of(key: str) -> str:
    """The half a split key belongs to."""
    return TUNING if int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % 2 == 0 else CHECKING


def split_key(record: dict[str, object], page_id: str) -> str:
    """A page's split key: its URL's host, else its publisher, else its unnumbered id."""
    url, publisher = record.get("url"), record.get("publisher")
    if isinstance(url, str) and url:
        return host_key(url)
    if isinstance(publisher, str) and publisher.strip():
        return publisher.strip().lower()
    return PAGE_NUMBER.sub("", page_id.rsplit("/", 1)[-1]).lower()


def _text(value: object) -> str | None:
    """A string field as annotated (None when null)."""
    return None if value is None else str(value)


def _authors(value: object) -> tuple[str, ...] | None:
    """The authors field as annotated: a tuple (maybe empty), or None when null."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ValueError(f"authors is not a list: {value!r}")
    return tuple(str(name) for name in value)


def read_page(corpus: str, page_id: str, meta: Path) -> CorpusPage:
    """One page from its JSON record and the gzip HTML beside it."""
    record = json.loads(meta.read_text(encoding="utf-8"))
    stem = meta.name[: -len(JSON_SUFFIX)]
    html = gzip.decompress(meta.with_name(stem + HTML_SUFFIX).read_bytes())
    url = record.get("url")
    return CorpusPage(
        corpus=corpus,
        id=page_id,
        host=split_key(record, page_id),
        html=html,
        url=url if isinstance(url, str) and url else None,
        title=_text(record.get("title")),
        authors=_authors(record.get("authors")),
        published=_text(record.get("published")),
        body=_text(record.get("body")),
        publisher=_text(record.get("publisher")),
        crawl_date=_text(record.get("crawl_date")),
    )


def _records(folder: Path, nested: bool) -> Iterator[tuple[str, Path]]:
    """(page id, JSON path) of every page of a corpus folder that has its HTML, by path."""
    for meta in sorted(folder.glob(f"*/*{JSON_SUFFIX}" if nested else f"*{JSON_SUFFIX}")):
        stem = meta.name[: -len(JSON_SUFFIX)]
        if meta.with_name(stem + HTML_SUFFIX).exists():
            yield (f"{meta.parent.name}/{stem}" if nested else stem), meta


def load_corpus(name: str, root: Path = CORPUS_ROOT) -> list[CorpusPage]:
    """Every page of one corpus, sorted by path; FileNotFoundError when its folder is absent."""
    folder = root / name
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus {name!r} not found at {folder.resolve()}")
    records = _records(folder, name in NESTED_CORPORA)
    return [read_page(name, page_id, meta) for page_id, meta in records]


def select(pages: Iterable[CorpusPage], half: str | None = None) -> list[CorpusPage]:
    """The pages of one half (every page when half is None)."""
    return [p for p in pages if half is None or p.half == half]
