"""What dedup left in a database, without ids: for comparing two ways of loading."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from newswire.load import store

# Everything dedup writes, without the ids (sequences differ between the two runs).
_SNAPSHOT = {
    "articles": """
        SELECT a.canonical_url, a.content_hash, a.title,
               (SELECT array_agg(o.canonical_url ORDER BY o.canonical_url)
                FROM articles o WHERE o.story_id = a.story_id) AS story
        FROM articles a ORDER BY a.canonical_url
    """,
    "stories": """
        SELECT r.canonical_url AS representative, s.title, s.agency, s.first_published_at,
               s.article_count
        FROM stories s JOIN articles r ON r.id = s.representative_article_id
        ORDER BY r.canonical_url
    """,
    "empty stories": "SELECT count(*) FROM stories WHERE representative_article_id IS NULL",
    "bands": """
        SELECT a.canonical_url, b.band, b.hash FROM article_bands b
        JOIN articles a ON a.id = b.article_id ORDER BY 1, 2, 3
    """,
    "sentences": """
        SELECT a.canonical_url, s.hash FROM article_sentences s
        JOIN articles a ON a.id = s.article_id ORDER BY 1, 2
    """,
    "host counts": "SELECT host, hash, stories FROM host_sentences ORDER BY 1, 2",
    "sentence counts": "SELECT hash, stories FROM sentence_stories ORDER BY 1",
    "versions": """
        SELECT a.canonical_url, v.content_hash FROM article_versions v
        JOIN articles a ON a.id = v.article_id ORDER BY 1, 2
    """,
}


def snapshot(conn: Connection, results: list[store.Stored]) -> dict[str, Any]:
    """What dedup left in the database, and each article's outcome by canonical URL."""
    found: dict[str, Any] = {
        name: [tuple(row) for row in conn.execute(text(sql))] for name, sql in _SNAPSHOT.items()
    }
    urls = dict(conn.execute(text("SELECT id, canonical_url FROM articles")).all())
    found["outcomes"] = [(r.outcome, urls[r.article_id], r.alias_kind) for r in results]
    return found
