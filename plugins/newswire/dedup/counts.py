"""Sentence counts (per host, per story) as batch dedup reads them: stored plus the batch's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from newswire.db.engine import dbapi_cursor


def tuples(conn: Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """A read's rows as plain tuples, through the DBAPI cursor (%(name)s parameters): these
    reads return up to 10^5 rows a chunk, and SQLAlchemy's row objects would double their cost."""
    cursor = dbapi_cursor(conn)
    cursor.execute(sql, params)
    return list(cursor.fetchall())


def host_counts(conn: Connection, keys: Sequence[tuple[str, int]]) -> Iterable[Any]:
    """(key, stories) rows of host_sentences for (host, sentence hash) keys."""
    rows = tuples(
        conn,
        "SELECT s.host, s.hash, s.stories FROM unnest(%(hosts)s::text[], %(h)s::bigint[])"
        " AS t(host, hash) JOIN host_sentences s ON s.host = t.host AND s.hash = t.hash",
        {"hosts": [k[0] for k in keys], "h": [k[1] for k in keys]},
    )
    return (((host, h), stories) for host, h, stories in rows)


def sentence_counts(conn: Connection, keys: Sequence[int]) -> Iterable[Any]:
    """(key, stories) rows of sentence_stories for sentence hashes."""
    rows = conn.execute(
        text("SELECT hash, stories FROM sentence_stories WHERE hash = ANY(:h)"), {"h": list(keys)}
    )
    return ((r.hash, r.stories) for r in rows)


class Counts:
    """Stored counts (host_sentences or sentence_stories) read on demand, plus the batch's."""

    def __init__(
        self,
        conn: Connection,
        pending: Counter[Any],
        read: Callable[[Connection, Sequence[Any]], Iterable[Any]],
    ) -> None:
        self.conn, self.pending, self.reader = conn, pending, read
        self.stored: dict[Any, int] = {}
        self.read: set[Any] = set()

    def ensure(self, keys: Iterable[Any]) -> None:
        """Read the stored counts of keys not read yet, in one query."""
        missing = sorted({k for k in keys if k not in self.read})
        if not missing:
            return
        self.stored.update(self.reader(self.conn, missing))
        self.read.update(missing)

    def get(self, key: Any) -> int:
        """The count now: stored plus the batch's (the key must have been ensured)."""
        assert key in self.read, key
        return self.stored.get(key, 0) + self.pending.get(key, 0)
