"""Batch dedup: load.store_article's decisions for a whole batch in a few statements.

The rows the decisions read (known URLs and texts, host boilerplate and sentence counts,
candidate index hits, candidate texts, story members) are read for the whole batch at once;
each article is then decided in order in memory, the batch's earlier articles counting as
stored (an overlay on what was read), and stories, articles, index rows and counts are written
in bulk. The outcome equals storing the articles one by one (tests compare both).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, text

from newswire import cputime
from newswire.db.engine import dbapi_cursor, execute_values
from newswire.dedup import decide as dedup
from newswire.dedup import signatures, stories
from newswire.dedup.decide import Stored
from newswire.dedup.signatures import Fingerprint, Sentence, Text
from newswire.models import Article, article_row

log = logging.getLogger(__name__)

# Provisional ids of the batch's new articles and stories until the flush draws real ones from
# the sequences: above every stored id, in insertion order, as the real ids will be.
PROVISIONAL_BASE = 1 << 62


@dataclass(frozen=True)
class _Candidate:
    """A stored or pending article as near-duplicate verification reads it."""

    id: int
    story_id: int
    canonical_url: str
    text: Text


@dataclass(frozen=True)
class _Known:
    """An article found by canonical URL or text (the columns of dedup._EXACT)."""

    id: int
    content_hash: str
    story_id: int
    paywalled: bool


@dataclass
class _Pending:
    """Writes decided but not yet flushed."""

    articles: list[tuple[int, int, Article]] = field(default_factory=list)  # id, story, article
    texts: list[tuple[int, Text]] = field(default_factory=list)  # article id, its text (new
    # articles, and candidates stored without one)
    stories: list[int] = field(default_factory=list)
    bands: list[tuple[int, int, int]] = field(default_factory=list)  # band, hash, article id
    sentences: list[tuple[int, int]] = field(default_factory=list)  # hash, article id
    host_counts: Counter[tuple[str, int]] = field(default_factory=Counter)
    sentence_counts: Counter[int] = field(default_factory=Counter)


def _tuples(conn: Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """A read's rows as plain tuples, through the DBAPI cursor (%(name)s parameters): these
    reads return up to 10^5 rows a chunk, and SQLAlchemy's row objects would double their cost."""
    cursor = dbapi_cursor(conn)
    cursor.execute(sql, params)
    return list(cursor.fetchall())


def _host_counts(conn: Connection, keys: Sequence[tuple[str, int]]) -> Iterable[Any]:
    """(key, stories) rows of host_sentences for (host, sentence hash) keys."""
    rows = _tuples(
        conn,
        "SELECT s.host, s.hash, s.stories FROM unnest(%(hosts)s::text[], %(h)s::bigint[])"
        " AS t(host, hash) JOIN host_sentences s ON s.host = t.host AND s.hash = t.hash",
        {"hosts": [k[0] for k in keys], "h": [k[1] for k in keys]},
    )
    return (((host, h), stories) for host, h, stories in rows)


def _sentence_counts(conn: Connection, keys: Sequence[int]) -> Iterable[Any]:
    """(key, stories) rows of sentence_stories for sentence hashes."""
    rows = conn.execute(
        text("SELECT hash, stories FROM sentence_stories WHERE hash = ANY(:h)"), {"h": list(keys)}
    )
    return ((r.hash, r.stories) for r in rows)


class _Counts:
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


class _Batch:
    """Decides and writes one batch (the caller holds the dedup lock)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending = _Pending()
        self.host_counts = _Counts(conn, self.pending.host_counts, _host_counts)
        self.sentence_counts = _Counts(conn, self.pending.sentence_counts, _sentence_counts)
        self.hits: dict[tuple[str, int], list[int]] = {}  # stored (kind, hash) → article ids
        self.pending_hits: defaultdict[tuple[str, int], list[int]] = defaultdict(list)
        self.candidates: dict[int, _Candidate] = {}
        self.counted: set[int] = set()  # candidates whose hosts' counts were read
        # The batch's new articles' fingerprints by (id, sentences removed).
        self.own_fingerprints: dict[tuple[int, frozenset[int]], Fingerprint] = {}
        self.members: dict[int, list[str]] = {}  # story → canonical URLs of its articles
        self.by_url: dict[str, _Known] = {}  # the batch's new articles
        self.by_hash: dict[str, _Known] = {}
        self.next_id = PROVISIONAL_BASE

    # --- reads -------------------------------------------------------------------------------

    def exact_rows(self, articles: Sequence[Article]) -> list[Any]:
        """dedup.EXACT_COLUMNS of every article, in one query (in the articles' order)."""
        rows = self.conn.execute(
            text(
                f"""
                SELECT q.i, {dedup.EXACT_COLUMNS}
                FROM unnest(CAST(:u AS text[]), CAST(:h AS text[])) WITH ORDINALITY AS q(u, h, i)
                {dedup.EXACT_JOINS}
                ORDER BY q.i
                """
            ),
            {
                "u": [a.canonical_url for a in articles],
                "h": [a.content_hash for a in articles],
            },
        ).all()
        return list(rows)

    def ensure_hits(self, keys: Iterable[tuple[str, int]]) -> None:
        """Read the stored articles indexed under (kind, hash) keys not read yet."""
        missing = sorted({k for k in keys if k not in self.hits})
        if not missing:
            return
        for key in missing:
            self.hits[key] = []
        rows = _tuples(
            self.conn,
            "SELECT 'b', hash, article_id FROM article_bands WHERE hash = ANY(%(b)s::bigint[])"
            " UNION ALL SELECT 's', hash, article_id FROM article_sentences"
            " WHERE hash = ANY(%(s)s::bigint[])",
            {
                "b": [h for kind, h in missing if kind == "b"],
                "s": [h for kind, h in missing if kind == "s"],
            },
        )
        hits = self.hits
        for kind, h, article_id in rows:
            hits[(kind, h)].append(article_id)

    def ensure_candidates(self, ids: Iterable[int]) -> None:
        """Read stored candidate articles not read yet, their hosts' counts and story members."""
        missing = sorted(i for i in set(ids) if i not in self.candidates)
        if missing:
            rows = self.conn.execute(
                text(
                    f"SELECT a.id, a.story_id, a.canonical_url, {dedup.STORED_TEXT_COLUMNS}"
                    f" FROM articles a {dedup.STORED_TEXT_JOIN} WHERE a.id = ANY(:ids)"
                ),
                {"ids": missing, "scheme": signatures.TEXT_SCHEME},
            )
            for r in rows:
                stored = dedup.stored_text(r)
                self.candidates[r.id] = _Candidate(r.id, r.story_id, r.canonical_url, stored)
                if r.word_hashes is None:  # stored before migration 009: keep the split text
                    self.pending.texts.append((r.id, stored))
        self.ensure_members(self.candidates[i].story_id for i in ids)
        keys: list[tuple[str, int]] = []
        for i in set(ids) - self.counted:
            host = dedup.host_of(self.candidates[i].canonical_url)
            keys.extend((host, h) for h in self.candidates[i].text.sentence_hashes)
            self.counted.add(i)
        self.host_counts.ensure(keys)

    def ensure_members(self, story_ids: Iterable[int]) -> None:
        """Read the canonical URLs of stored stories' articles not read yet."""
        missing = sorted(s for s in set(story_ids) if s not in self.members)
        if not missing:
            return
        for story_id in missing:
            self.members[story_id] = []
        rows = self.conn.execute(
            text("SELECT story_id, canonical_url FROM articles WHERE story_id = ANY(:s)"),
            {"s": missing},
        )
        for r in rows:
            self.members[r.story_id].append(r.canonical_url)

    # --- decisions ---------------------------------------------------------------------------

    def noise(self, host: str, hashes: Iterable[int]) -> set[int]:
        """The host's boilerplate among sentence hashes, as counted now."""
        return {
            h for h in hashes if self.host_counts.get((host, h)) >= dedup.BOILERPLATE_MIN_STORIES
        }

    def index_keys(self, fp: Fingerprint) -> list[tuple[str, int]]:
        """The (kind, hash) keys a fingerprint's candidates are searched under.

        Sentences in COMMON_SENTENCE_STORIES stories or more (as counted now) are left out.
        """
        keys = [("b", h) for h in fp.bands]
        for h in sorted(fp.indexed_sentences):
            if self.sentence_counts.get(h) < dedup.COMMON_SENTENCE_STORIES:
                keys.append(("s", h))
        return keys

    def ranked(self, fp: Fingerprint) -> list[int]:
        """Candidate ids, most shared bands and sentences first (dedup._CANDIDATES' order)."""
        keys = self.index_keys(fp)
        self.ensure_hits(keys)
        ids: list[int] = []
        for key in keys:
            ids.extend(self.hits[key])
            ids.extend(self.pending_hits.get(key, ()))
        best = sorted(Counter(ids).items(), key=lambda item: (-item[1], item[0]))
        return [article_id for article_id, _ in best[: dedup.MAX_CANDIDATES]]

    def resolve_near(self, fp: Fingerprint) -> dedup.Decision:
        """dedup.resolve_near against the stored articles and the batch's."""
        if not fp.bands and not fp.indexed_sentences:
            return dedup.Decision(dedup.NEW)
        ids = self.ranked(fp)
        if not ids:
            return dedup.Decision(dedup.NEW)
        self.ensure_candidates(ids)
        rows = [self.candidates[i] for i in ids]
        texts = {r.id: r.text for r in rows}
        noise: dict[str, set[int]] = {}
        for r in rows:
            host = dedup.host_of(r.canonical_url)
            noise.setdefault(host, set()).update(self.noise(host, r.text.sentence_hashes))
        return dedup.best_candidate(fp, rows, texts, noise, self.own_fingerprints)

    def exact(self, article: Article, row: Any) -> dedup.Decision | None:
        """dedup.exact_decision with the batch's new articles counted as stored."""
        known = row if row.id is not None else self.by_url.get(article.canonical_url)
        if row.text_id is not None:
            text_id, text_story = row.text_id, row.text_story_id
        elif article.content_hash in self.by_hash:
            same = self.by_hash[article.content_hash]
            text_id, text_story = same.id, same.story_id
        else:
            text_id = text_story = None
        merged = SimpleNamespace(
            id=getattr(known, "id", None),
            content_hash=getattr(known, "content_hash", None),
            story_id=getattr(known, "story_id", None),
            paywalled=getattr(known, "paywalled", None),
            text_id=text_id,
            text_story_id=text_story,
        )
        return dedup.exact_decision(self.conn, article, merged)

    def add(
        self, article: Article, removed: set[int], fp: Fingerprint, near: dedup.Decision
    ) -> dedup.Decision:
        """Record a new article (of near's story, else of a new story) and its index rows.

        removed is the boilerplate left out of its fingerprint fp.
        """
        article_id = self.provisional()
        # As a candidate later in the batch it reads as stored: keep what is computed.
        self.own_fingerprints[(article_id, frozenset(removed))] = replace(fp, bands=())
        starts = near.outcome == dedup.NEW
        if starts:
            story_id = self.provisional()
            self.pending.stories.append(story_id)
            self.members[story_id] = []
        else:
            assert near.story_id is not None
            story_id = near.story_id
            self.ensure_members([story_id])
        others = self.members[story_id]
        count_host = starts or stories.first_on_host(others, article.canonical_url)
        others.append(article.canonical_url)
        self.pending.articles.append((article_id, story_id, article))
        self.pending.texts.append((article_id, fp.text))
        known = _Known(article_id, article.content_hash, story_id, article.paywalled)
        self.by_url.setdefault(article.canonical_url, known)
        self.by_hash.setdefault(article.content_hash, known)
        self.candidates[article_id] = _Candidate(
            article_id, story_id, article.canonical_url, fp.text
        )
        for band, h in enumerate(fp.bands):
            self.pending.bands.append((band, h, article_id))
            self.pending_hits[("b", h)].append(article_id)
        for h in sorted(fp.indexed_sentences):
            self.pending.sentences.append((h, article_id))
            self.pending_hits[("s", h)].append(article_id)
        if count_host:
            host = dedup.host_of(article.canonical_url)
            self.pending.host_counts.update((host, h) for h in fp.sentence_hashes)
        if starts:
            self.pending.sentence_counts.update(fp.indexed_sentences)
        return replace(near, article_id=article_id, story_id=story_id)

    def provisional(self) -> int:
        """The next provisional id."""
        self.next_id += 1
        return self.next_id

    # --- writes ------------------------------------------------------------------------------

    def flush(self) -> dict[int, int]:
        """Write the pending rows; returns the real id of every provisional one."""
        p = self.pending
        real: dict[int, int] = {}
        real.update(zip(p.stories, self._draw("stories", len(p.stories)), strict=True))
        real.update(
            zip([a[0] for a in p.articles], self._draw("articles", len(p.articles)), strict=True)
        )
        if p.stories:
            self.conn.execute(
                text("INSERT INTO stories (id) SELECT unnest(CAST(:ids AS bigint[]))"),
                {"ids": [real[s] for s in p.stories]},
            )
        if p.articles:
            rows = [article_row(a) for _, _, a in p.articles]
            columns = ("id", "story_id", *rows[0])
            execute_values(
                self.conn,
                f"INSERT INTO articles ({', '.join(columns)}) VALUES %s",
                [
                    (real[i], real.get(s, s), *row.values())
                    for (i, s, _), row in zip(p.articles, rows, strict=True)
                ],
                template="(" + ", ".join(_placeholder(c) for c in columns) + ")",
                page_size=len(p.articles),
            )
        dedup.store_texts(self.conn, [(real.get(i, i), t) for i, t in p.texts])
        if p.bands:
            self.conn.execute(
                text(
                    "INSERT INTO article_bands (band, hash, article_id) SELECT * FROM"
                    " unnest(CAST(:band AS smallint[]), CAST(:h AS bigint[]), CAST(:a AS bigint[]))"
                ),
                {
                    "band": [b[0] for b in p.bands],
                    "h": [b[1] for b in p.bands],
                    "a": [real[b[2]] for b in p.bands],
                },
            )
        if p.sentences:
            self.conn.execute(
                text(
                    "INSERT INTO article_sentences (hash, article_id) SELECT * FROM"
                    " unnest(CAST(:h AS bigint[]), CAST(:a AS bigint[]))"
                ),
                {"h": [s[0] for s in p.sentences], "a": [real[s[1]] for s in p.sentences]},
            )
        if p.host_counts:
            keys = sorted(p.host_counts)
            self.conn.execute(
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
            self.conn.execute(
                text(
                    "INSERT INTO sentence_stories (hash, stories) SELECT * FROM"
                    " unnest(CAST(:h AS bigint[]), CAST(:n AS int[])) ON CONFLICT (hash)"
                    " DO UPDATE SET stories = sentence_stories.stories + EXCLUDED.stories"
                ),
                {"h": keys_s, "n": [p.sentence_counts[k] for k in keys_s]},
            )
        self.pending = _Pending()
        return real

    def _draw(self, table: str, count: int) -> list[int]:
        """count ids from table's id sequence, ascending."""
        if not count:
            return []
        ids = self.conn.execute(
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


def _real(stored: Stored, real: dict[int, int]) -> Stored:
    """stored with provisional ids replaced by the real ones."""
    return replace(
        stored,
        article_id=real.get(stored.article_id, stored.article_id),
        story_id=real.get(stored.story_id, stored.story_id),
    )


class _Incoming:
    """An article to decide: its sentence hashes, and its fingerprints by boilerplate removed."""

    def __init__(self, article: Article, prepared: signatures.Prepared | None) -> None:
        self.article = article
        self.host = dedup.host_of(article.canonical_url)
        self.prepared = prepared
        self.found: list[Sentence] | None = None
        if prepared is not None:
            self.hashes = prepared.text.sentence_hashes
        else:
            self.found = signatures.sentences(article.paragraphs)
            self.hashes = tuple(s.hash for s in self.found)
        self.made: dict[frozenset[int], Fingerprint] = {}

    def fingerprint(self, noise: set[int]) -> Fingerprint:
        """The fingerprint without the noise sentences (the prepared one if it left out those)."""
        removed = frozenset(noise)
        if self.prepared is not None and self.prepared.noise == removed:
            return self.prepared.fingerprint
        made = self.made.get(removed)
        if made is None:
            if self.found is None:
                self.found = signatures.sentences(self.article.paragraphs)
            made = self.made[removed] = signatures.fingerprint(self.found, removed)
        return made


def store_batch(
    conn: Connection,
    articles: Sequence[Article],
    prepared: Sequence[signatures.Prepared | None] | None = None,
) -> tuple[list[Stored], Sequence[Article]]:
    """Dedup and write articles in order, as load.store_article one by one would.

    prepared holds fingerprints made ahead (dedup.prepare), None where there is none. Stops
    before an article that is a new version of a known one (load.store_article's business) and
    returns the Stored of those written and the articles left, that one first. The caller
    holds the dedup lock and refreshes the stories.
    """
    batch = _Batch(conn)
    results: list[Stored] = []
    with cputime.stage("dedup"):
        incoming = [
            _Incoming(a, p)
            for a, p in zip(articles, prepared or [None] * len(articles), strict=True)
        ]
        exact_rows = batch.exact_rows(articles)
        batch.host_counts.ensure((i.host, h) for i in incoming for h in i.hashes)
        batch.sentence_counts.ensure(h for i in incoming for h in i.hashes)
        # Fingerprints as the stored counts have them, to read the candidates ahead.
        ahead = [
            i.fingerprint(batch.noise(i.host, i.hashes))
            for i, row in zip(incoming, exact_rows, strict=True)
            if row.id is None and row.text_id is None
        ]
        batch.ensure_hits(key for fp in ahead for key in batch.index_keys(fp))
        batch.ensure_candidates({i for fp in ahead for i in batch.ranked(fp)})
    for index, (item, row) in enumerate(zip(incoming, exact_rows, strict=True)):
        with cputime.stage("dedup"):
            exact = batch.exact(item.article, row)
        if exact is not None and exact.outcome == dedup.ALIAS:
            assert exact.article_id is not None and exact.story_id is not None
            results.append(Stored(dedup.ALIAS, exact.article_id, exact.story_id, exact.alias_kind))
            continue
        if exact is not None:  # a new version
            real = batch.flush()
            return [_real(r, real) for r in results], articles[index:]
        with cputime.stage("dedup"):
            noise = batch.noise(item.host, item.hashes)
            fp = item.fingerprint(noise)
            near = batch.resolve_near(fp)
        decided = batch.add(item.article, noise, fp, near)
        assert decided.article_id is not None and decided.story_id is not None
        results.append(Stored(near.outcome, decided.article_id, decided.story_id))
    real = batch.flush()
    return [_real(r, real) for r in results], ()
