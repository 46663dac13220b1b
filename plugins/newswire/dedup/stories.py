"""Story clusters, article versions and the near-duplicate index tables."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, text

from newswire.dedup.decide import host_of, store_texts
from newswire.dedup.signatures import NUM_BANDS, Fingerprint
from newswire.models import Article

log = logging.getLogger(__name__)

# Recompute stories from their articles, in one pass over them (by the story_id index). The
# representative: the wire original (its agency's name starting a word of its source or URL:
# "apnews.com", "wire-ap", not "newspaper"), else the earliest published, else the first loaded.
_REFRESH_STORIES = text(
    """
    WITH members AS (
        SELECT id, story_id, title, agency, source, canonical_url, published_at
        FROM articles WHERE story_id = ANY(CAST(:ids AS bigint[]))
    ), rep AS (
        SELECT DISTINCT ON (story_id) story_id, id, title FROM members
        ORDER BY story_id,
                 coalesce(' ' || regexp_replace(lower(source || ' ' || canonical_url),
                                                '[^[:alnum:]]+', ' ', 'g')
                          LIKE '% ' || nullif(btrim(regexp_replace(lower(agency),
                                                                   '[^[:alnum:]]+', ' ', 'g')), '')
                               || '%', false) DESC,
                 published_at ASC NULLS LAST, id
    ), wire AS (
        SELECT DISTINCT ON (story_id) story_id, agency FROM members WHERE agency IS NOT NULL
        ORDER BY story_id, published_at ASC NULLS LAST, id
    ), counts AS (
        SELECT story_id, min(published_at) AS first_published_at, count(*) AS article_count
        FROM members GROUP BY story_id
    )
    UPDATE stories SET
        representative_article_id = rep.id,
        title = rep.title,
        agency = wire.agency,
        first_published_at = counts.first_published_at,
        article_count = counts.article_count,
        last_seen = now()
    FROM rep JOIN counts USING (story_id) LEFT JOIN wire USING (story_id)
    WHERE stories.id = rep.story_id
    """
)


def refresh(conn: Connection, story_id: int) -> None:
    """Recompute a story's representative, title, agency, first publication and count."""
    refresh_many(conn, [story_id])


def refresh_many(conn: Connection, story_ids: Sequence[int]) -> None:
    """refresh() for many stories in one statement."""
    if story_ids:
        conn.execute(_REFRESH_STORIES, {"ids": list(story_ids)})


def first_on_host(others: Iterable[str], url: str) -> bool:
    """True when none of the story's other articles (their canonical URLs) is on url's host."""
    host = host_of(url)
    return all(host_of(u) != host for u in others)


def index_article(
    conn: Connection,
    article_id: int,
    url: str,
    fp: Fingerprint,
    *,
    count_host: bool,
    count_global: bool,
    reindex: bool = False,
) -> None:
    """Store an article's text, bands and sentences; count them once per story (and per host)."""
    if reindex:  # a new version replaces its article's index rows
        conn.execute(text("DELETE FROM article_bands WHERE article_id = :a"), {"a": article_id})
        conn.execute(text("DELETE FROM article_sentences WHERE article_id = :a"), {"a": article_id})
    store_texts(conn, [(article_id, fp.text)])
    # One statement (data-modifying CTEs on four different tables) instead of four.
    parts: list[str] = []
    params: dict[str, object] = {"a": article_id}
    if fp.bands:
        assert len(fp.bands) == NUM_BANDS
        parts.append(
            "INSERT INTO article_bands (band, hash, article_id)"
            " SELECT b - 1, h, :a FROM unnest(CAST(:bands AS bigint[])) WITH ORDINALITY AS t(h, b)"
        )
        params["bands"] = list(fp.bands)
    if fp.indexed_sentences:
        parts.append(
            "INSERT INTO article_sentences (hash, article_id)"
            " SELECT h, :a FROM unnest(CAST(:indexed AS bigint[])) AS t(h)"
        )
        params["indexed"] = sorted(fp.indexed_sentences)
    # Counts are per distinct story: copies of one story are not boilerplate.
    if count_host:
        parts.append(
            "INSERT INTO host_sentences (host, hash, stories)"
            " SELECT :host, h, 1 FROM unnest(CAST(:every AS bigint[])) AS t(h)"
            " ON CONFLICT (host, hash) DO UPDATE SET stories = host_sentences.stories + 1"
        )
        params["host"] = host_of(url)
        params["every"] = sorted(fp.sentence_hashes)
    if count_global and fp.indexed_sentences:
        parts.append(
            "INSERT INTO sentence_stories (hash, stories)"
            " SELECT h, 1 FROM unnest(CAST(:indexed AS bigint[])) AS t(h)"
            " ON CONFLICT (hash) DO UPDATE SET stories = sentence_stories.stories + 1"
        )
        params["indexed"] = sorted(fp.indexed_sentences)
    if not parts:
        return
    *first, last = parts
    ctes = ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(first))
    conn.execute(text(f"WITH {ctes} {last}" if ctes else last), params)


def record_version(conn: Connection, article_id: int, article: Article) -> None:
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
