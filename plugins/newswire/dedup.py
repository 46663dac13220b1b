"""Exact dedup: canonical URL first, then the hash of the normalised body."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from newswire.models import Article

log = logging.getLogger(__name__)

# Outcomes of resolving one article against the database and the rest of its batch.
NEW = "new"  # a new article row
VARIANT = "variant"  # its canonical URL is already known: another URL of the same article
REPUBLICATION = "republication"  # another URL, identical normalised text


@dataclass(frozen=True)
class Decision:
    """What to do with one incoming article."""

    outcome: str
    article_id: int | None  # the existing article for VARIANT/REPUBLICATION
    batch_index: int | None = None  # the earlier article of the same batch it duplicates


def resolve(conn: Connection, articles: Sequence[Article]) -> list[Decision]:
    """Decide new / variant / republication for each article, in order, in one batch."""
    urls = sorted({a.canonical_url for a in articles})
    hashes = sorted({a.content_hash for a in articles})
    by_url: dict[str, int] = {
        row.canonical_url: row.article_id
        for row in conn.execute(
            text(
                "SELECT canonical_url, article_id FROM article_urls"
                " WHERE canonical_url = ANY(:u)"
                " UNION SELECT canonical_url, id FROM articles WHERE canonical_url = ANY(:u)"
            ),
            {"u": urls},
        )
    }
    by_hash: dict[str, int] = {
        row.content_hash: row.id
        for row in conn.execute(
            text("SELECT id, content_hash FROM articles WHERE content_hash = ANY(:h)"),
            {"h": hashes},
        )
    }
    batch_url: dict[str, int] = {}
    batch_hash: dict[str, int] = {}
    decisions: list[Decision] = []
    for index, article in enumerate(articles):
        url, digest = article.canonical_url, article.content_hash
        if url in by_url:
            decisions.append(Decision(VARIANT, by_url[url]))
        elif url in batch_url:
            decisions.append(Decision(VARIANT, None, batch_url[url]))
        elif digest in by_hash:
            decisions.append(Decision(REPUBLICATION, by_hash[digest]))
        elif digest in batch_hash:
            decisions.append(Decision(REPUBLICATION, None, batch_hash[digest]))
        else:
            decisions.append(Decision(NEW, None))
            batch_url[url] = index
            batch_hash[digest] = index
    return decisions
