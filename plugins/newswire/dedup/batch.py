"""Batch dedup: the one implementation of the dedup decisions; one article is a batch of one.

The rows the decisions read (known URLs and texts, host boilerplate and sentence counts,
candidate index hits, candidate texts, story members) are read for the whole batch at once;
each article is then decided in order in memory, the batch's earlier articles counting as
stored (an overlay on what was read), and newswire.dedup.index writes stories, articles, index
rows and counts in bulk. A new version or a re-extracted article is decided and written on its
own, after what came before it is written, so the articles after it read it as stored.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, text

from newswire import cputime
from newswire.dedup import counts, index, signatures, stories
from newswire.dedup import decide as dedup
from newswire.dedup.decide import Stored
from newswire.dedup.signatures import Fingerprint, Sentence, Text
from newswire.models import Article

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


class _Batch:
    """Decides and writes one batch (the caller holds the dedup lock)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending = index.Pending()
        self.host_counts = counts.Counts(conn, self.pending.host_counts, counts.host_counts)
        self.sentence_counts = counts.Counts(
            conn, self.pending.sentence_counts, counts.sentence_counts
        )
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
        rows = counts.tuples(
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

    def replace_text(self, article_id: int, item: _Incoming) -> None:
        """Replace a stored article's text and index rows with item's (no counts change)."""
        with cputime.stage("dedup"):
            self.host_counts.ensure((item.host, h) for h in item.hashes)
            fp = item.fingerprint(self.noise(item.host, item.hashes))
        self.pending.reindexed.append(article_id)
        self.pending.texts.append((article_id, fp.text))
        self.pending.bands.extend((band, h, article_id) for band, h in enumerate(fp.bands))
        self.pending.sentences.extend((h, article_id) for h in sorted(fp.indexed_sentences))

    def provisional(self) -> int:
        """The next provisional id."""
        self.next_id += 1
        return self.next_id

    # --- writes ------------------------------------------------------------------------------

    def flush(self) -> dict[int, int]:
        """Write the pending rows (index.flush); returns the real id of every provisional one."""
        real = index.flush(self.conn, self.pending)
        self.pending = index.Pending()
        return real


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
        self.prepared = prepared.named(article.paragraphs) if prepared is not None else None
        self.found: list[Sentence] | None = None
        if self.prepared is not None:
            self.hashes = self.prepared.text.sentence_hashes
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
            made = self.made[removed] = signatures.fingerprint(
                self.found, removed, self.article.paragraphs
            )
        return made


def store_batch(
    conn: Connection,
    articles: Sequence[Article],
    prepared: Sequence[signatures.Prepared | None] | None = None,
) -> list[Stored]:
    """Dedup and write articles in order, each deciding against those before it as stored.

    prepared holds fingerprints made ahead (dedup.prepare), None where there is none. The caller
    holds the dedup lock and refreshes the stories.
    """
    ahead = list(prepared) if prepared is not None else [None] * len(articles)
    results: list[Stored] = []
    while len(results) < len(articles):
        start = len(results)
        done, version = _store_run(conn, articles[start:], ahead[start:])
        results.extend(done)
        if version is not None:
            results.append(version)
    return results


def _store_run(
    conn: Connection, articles: Sequence[Article], prepared: Sequence[signatures.Prepared | None]
) -> tuple[list[Stored], Stored | None]:
    """Decide and write articles up to the first new version of a known article, that one too.

    Returns the Stored of the articles before it and that of the version (None if there is
    none): the version is written after them, and the articles after it see it as stored.
    """
    batch = _Batch(conn)
    results: list[Stored] = []
    with cputime.stage("dedup"):
        incoming = [_Incoming(a, p) for a, p in zip(articles, prepared, strict=True)]
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
    for item, row in zip(incoming, exact_rows, strict=True):
        with cputime.stage("dedup"):
            exact = batch.exact(item.article, row)
        if exact is not None and exact.outcome == dedup.ALIAS:
            assert exact.article_id is not None and exact.story_id is not None
            results.append(Stored(dedup.ALIAS, exact.article_id, exact.story_id, exact.alias_kind))
            continue
        if exact is not None:  # a known URL with changed text: same article, same story
            assert exact.article_id is not None and exact.story_id is not None
            real = batch.flush()
            known = Stored(
                dedup.VERSION,
                real.get(exact.article_id, exact.article_id),
                real.get(exact.story_id, exact.story_id),
            )
            return [_real(r, real) for r in results], _store_version(conn, item, known)
        with cputime.stage("dedup"):
            noise = batch.noise(item.host, item.hashes)
            fp = item.fingerprint(noise)
            near = batch.resolve_near(fp)
        decided = batch.add(item.article, noise, fp, near)
        assert decided.article_id is not None and decided.story_id is not None
        results.append(Stored(near.outcome, decided.article_id, decided.story_id))
    real = batch.flush()
    return [_real(r, real) for r in results], None


def _store_version(conn: Connection, item: _Incoming, known: Stored) -> Stored:
    """Write item as the new text of the known article: a version row, its new index rows."""
    batch = _Batch(conn)
    batch.pending.versions.append((known.article_id, item.article))
    batch.replace_text(known.article_id, item)
    batch.flush()
    return known


# A stored article re-extracted: its story and text, and whether another article has the new text.
_REEXTRACTED = text(
    "SELECT a.story_id, a.content_hash, EXISTS (SELECT 1 FROM articles o"
    " WHERE o.content_hash = :h AND o.id <> a.id) AS taken FROM articles a WHERE a.id = :id"
)


def rewrite_batch(conn: Connection, rewrites: Sequence[tuple[int, Article]]) -> list[Stored]:
    """Write re-extracted output over stored articles (id, article), in order.

    Same canonical URL, same story; a new text gets new index rows (its counts were made once,
    when the story first counted it). A text that another article has is a CONFLICT: the stored
    row is kept. The caller holds the dedup lock and refreshes the stories.
    """
    results: list[Stored] = []
    for article_id, article in rewrites:
        row = conn.execute(_REEXTRACTED, {"id": article_id, "h": article.content_hash}).one()
        if row.taken:
            results.append(Stored(dedup.CONFLICT, article_id, row.story_id))
            continue
        batch = _Batch(conn)
        batch.pending.reextracted.append((article_id, article))
        if article.content_hash != row.content_hash:
            batch.replace_text(article_id, _Incoming(article, None))
        batch.flush()
        results.append(Stored(dedup.REEXTRACTED, article_id, row.story_id))
    return results
