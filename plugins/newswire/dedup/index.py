"""The writes of dedup: stories, articles, versions, texts, the index tables and their counts.

Every article row, new version, re-extracted row and near-duplicate index row is written here,
in bulk, from the Pending rows batch dedup decided (newswire.dedup.batch); nothing else writes
those tables.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from newswire.db.engine import execute_values
from newswire.dedup import signatures
from newswire.dedup.signatures import Text
from newswire.models import EXTRACTED_COLUMNS, Article, article_columns, article_row

log = logging.getLogger(__name__)


@dataclass
class Pending:
    """Writes decided but not yet flushed (new rows carry provisional ids)."""

    stories: list[int] = field(default_factory=list)
    articles: list[tuple[int, int, Article]] = field(default_factory=list)  # id, story, article
    versions: list[tuple[int, Article]] = field(default_factory=list)  # known id, its new text
    reextracted: list[tuple[int, Article]] = field(default_factory=list)  # id, new output
    reindexed: list[int] = field(default_factory=list)  # known ids whose index rows are replaced
    texts: list[tuple[int, Text]] = field(default_factory=list)  # article id, its text (new
    # articles, new texts, and candidates stored without one)
    bands: list[tuple[int, int, int]] = field(default_factory=list)  # band, hash, article id
    sentences: list[tuple[int, int]] = field(default_factory=list)  # hash, article id
    host_counts: Counter[tuple[str, int]] = field(default_factory=Counter)
    sentence_counts: Counter[int] = field(default_factory=Counter)


def store_texts(conn: Connection, texts: Sequence[tuple[int, Text]]) -> None:
    """Write (article id, text) rows to article_texts, replacing an article's earlier row."""
    if not texts:
        return
    execute_values(
        conn,
        "INSERT INTO article_texts (article_id, scheme, sentence_hashes, sentence_words,"
        " word_hashes) VALUES %s ON CONFLICT (article_id) DO UPDATE SET scheme = EXCLUDED.scheme,"
        " sentence_hashes = EXCLUDED.sentence_hashes, sentence_words = EXCLUDED.sentence_words,"
        " word_hashes = EXCLUDED.word_hashes",
        [
            (i, signatures.TEXT_SCHEME, list(t.sentence_hashes), list(t.lengths), t.word_bytes())
            for i, t in texts
        ],
        template="(%s, %s, %s::bigint[], %s::integer[], %s)",
        page_size=max(1, len(texts)),
    )


def flush(conn: Connection, p: Pending) -> dict[int, int]:
    """Write the pending rows; returns the real id of every provisional one."""
    real: dict[int, int] = {}
    real.update(zip(p.stories, _draw(conn, "stories", len(p.stories)), strict=True))
    real.update(
        zip([a[0] for a in p.articles], _draw(conn, "articles", len(p.articles)), strict=True)
    )
    if p.stories:
        conn.execute(
            text("INSERT INTO stories (id) SELECT unnest(CAST(:ids AS bigint[]))"),
            {"ids": [real[s] for s in p.stories]},
        )
    if p.articles:
        _insert_articles(conn, p.articles, real)
    for article_id, article in p.versions:
        _record_version(conn, article_id, article)
    for article_id, article in p.reextracted:
        _rewrite(conn, article_id, article)
    if p.reindexed:
        ids = {"a": sorted(set(p.reindexed))}
        conn.execute(text("DELETE FROM article_bands WHERE article_id = ANY(:a)"), ids)
        conn.execute(text("DELETE FROM article_sentences WHERE article_id = ANY(:a)"), ids)
    store_texts(conn, [(real.get(i, i), t) for i, t in p.texts])
    if p.bands:
        conn.execute(
            text(
                "INSERT INTO article_bands (band, hash, article_id) SELECT * FROM"
                " unnest(CAST(:band AS smallint[]), CAST(:h AS bigint[]), CAST(:a AS bigint[]))"
            ),
            {
                "band": [b[0] for b in p.bands],
                "h": [b[1] for b in p.bands],
                "a": [real.get(b[2], b[2]) for b in p.bands],
            },
        )
    if p.sentences:
        conn.execute(
            text(
                "INSERT INTO article_sentences (hash, article_id) SELECT * FROM"
                " unnest(CAST(:h AS bigint[]), CAST(:a AS bigint[]))"
            ),
            {"h": [s[0] for s in p.sentences], "a": [real.get(s[1], s[1]) for s in p.sentences]},
        )
    _add_counts(conn, p)
    return real


def _insert_articles(
    conn: Connection, articles: Sequence[tuple[int, int, Article]], real: dict[int, int]
) -> None:
    """Insert new article rows (provisional ids and stories replaced by the real ones)."""
    rows = [article_row(a) for _, _, a in articles]
    columns = ("id", "story_id", *rows[0])
    execute_values(
        conn,
        f"INSERT INTO articles ({', '.join(columns)}) VALUES %s",
        [
            (real[i], real.get(s, s), *row.values())
            for (i, s, _), row in zip(articles, rows, strict=True)
        ],
        template="(" + ", ".join(_placeholder(c) for c in columns) + ")",
        page_size=len(articles),
    )


def _add_counts(conn: Connection, p: Pending) -> None:
    """Add the batch's sentence counts per host and per story to the stored ones."""
    if p.host_counts:
        keys = sorted(p.host_counts)
        conn.execute(
            text(
                "INSERT INTO host_sentences (host, hash, stories) SELECT * FROM"
                " unnest(CAST(:host AS text[]), CAST(:h AS bigint[]), CAST(:n AS int[]))"
                " ON CONFLICT (host, hash)"
                " DO UPDATE SET stories = host_sentences.stories + EXCLUDED.stories"
            ),
            {
                "host": [k[0] for k in keys],
                "h": [k[1] for k in keys],
                "n": [p.host_counts[k] for k in keys],
            },
        )
    if p.sentence_counts:
        keys_s = sorted(p.sentence_counts)
        conn.execute(
            text(
                "INSERT INTO sentence_stories (hash, stories) SELECT * FROM"
                " unnest(CAST(:h AS bigint[]), CAST(:n AS int[])) ON CONFLICT (hash)"
                " DO UPDATE SET stories = sentence_stories.stories + EXCLUDED.stories"
            ),
            {"h": keys_s, "n": [p.sentence_counts[k] for k in keys_s]},
        )


def _record_version(conn: Connection, article_id: int, article: Article) -> None:
    """Keep the article's current text in article_versions and replace it with article's."""
    conn.execute(
        text(
            "INSERT INTO article_versions (article_id, title, body, content_hash)"
            " SELECT id, title, body, content_hash FROM articles WHERE id = :a"
        ),
        {"a": article_id},
    )
    conn.execute(
        text(
            "UPDATE articles SET title = :title, body = :body, content_hash = :hash,"
            " word_count = :words, paywalled = :paywalled, description = :description,"
            " published_at = coalesce(published_at, :published), last_seen = now()"
            " WHERE id = :a"
        ),
        {
            "a": article_id,
            "title": article.title,
            "body": article.body,
            "hash": article.content_hash,
            "words": article.word_count,
            "paywalled": article.paywalled,
            "description": article.description,
            "published": article.published_at,
        },
    )
    log.info("new version of article %d (%s)", article_id, article.canonical_url)


# A re-extracted article's row: every extraction output column and the extractor's version.
_REWRITE = text(
    "UPDATE articles SET "
    + ", ".join(f"{c} = :{c}" for c in EXTRACTED_COLUMNS)
    + ", extractor_version = :extractor_version WHERE id = :id"
)


def _rewrite(conn: Connection, article_id: int, article: Article) -> None:
    """Replace a stored article's extraction output with article's (canonical URL kept)."""
    params = {**article_columns(article), "extractor_version": article.extractor_version}
    conn.execute(_REWRITE, {**params, "id": article_id})


def _draw(conn: Connection, table: str, count: int) -> list[int]:
    """count ids from table's id sequence, ascending."""
    if not count:
        return []
    ids = conn.execute(
        text(
            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) AS id"
            " FROM generate_series(1, :n) ORDER BY 1"
        ),
        {"t": table, "n": count},
    ).scalars()
    return [int(i) for i in ids]


# text[] columns of articles (an empty Python list needs the cast).
_ARRAYS = frozenset({"authors", "prompts_stripped", "tags", "access_evidence"})


def _placeholder(column: str) -> str:
    """execute_values placeholder of an articles column, cast where the type needs it."""
    return "%s::jsonb" if column == "extra" else "%s::text[]" if column in _ARRAYS else "%s"
