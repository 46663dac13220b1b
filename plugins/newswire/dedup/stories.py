"""Story clusters: each story's representative, title, agency, first publication and count."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, text

from newswire.dedup.decide import host_of

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
