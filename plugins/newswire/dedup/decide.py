"""The dedup decisions: canonical URL, exact text hash, then near-duplicates verified on texts.

The rules and thresholds live here; newswire.dedup.batch applies them to a batch of articles
and newswire.dedup.index writes what they decide.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, text

from newswire.dedup import signatures
from newswire.dedup.signatures import Fingerprint, Text
from newswire.models import Article

log = logging.getLogger(__name__)

# Outcomes of resolving one article against the database.
NEW = "new"  # a new article and a new story
ALIAS = "alias"  # a known URL with the same text, or the same text under another URL
NEAR = "near-duplicate"  # a new article of an existing story
VERSION = "version"  # a known URL with changed text: the article is updated
REEXTRACTED = "re-extracted"  # a stored article's page extracted again: its row is rewritten
CONFLICT = "conflict"  # re-extracted into another article's text: the stored row is kept

# Kinds of alias (article_urls.kind).
VARIANT = "variant"  # its canonical URL is already known
REPUBLICATION = "republication"  # another URL, identical normalised text

# A sentence found in this many distinct stories of one host is that site's boilerplate.
BOILERPLATE_MIN_STORIES = 2

# A sentence found in this many distinct stories overall is too common to propose candidates.
COMMON_SENTENCE_STORIES = 50

# URLs whose host host_of keeps (candidates' URLs come back for every article of a story).
HOST_CACHE_SIZE = 8192

# Candidates verified per article at most (best first by shared bands and sentences).
MAX_CANDIDATES = 20

# Bodies with fewer content shingles than this only match exactly (too little evidence).
MIN_SHINGLES = 20

# Verification: a copy shares this share of the shorter text's shingles (brief, paywall cut)...
MIN_CONTAINMENT = 0.65
# ... or this Jaccard resemblance of the two shingle sets (edits on both sides).
MIN_RESEMBLANCE = 0.5

# Below this containment, texts with at least MIN_NUMBERS numbers each must agree on
# MIN_NUMBER_AGREEMENT of the smaller set: templates (earnings, scores, market reports) share
# phrasing but not figures; an updated copy changes a few figures but keeps nearly all text.
SURE_CONTAINMENT = 0.9
MIN_NUMBERS = 3
MIN_NUMBER_AGREEMENT = 0.5

# Likewise for proper names (capitalised words not opening a sentence, signatures.name_hashes):
# below SURE_CONTAINMENT, texts with at least MIN_NAMES names each must agree on
# MIN_NAME_AGREEMENT of the smaller set. Reports of one template about other companies, people
# or places share phrasing and may share figures, not names; a brief or a paywall cut keeps
# the names of the story's first paragraphs.
MIN_NAMES = 3
MIN_NAME_AGREEMENT = 0.5


@dataclass(frozen=True)
class Decision:
    """What to do with one incoming article."""

    outcome: str
    article_id: int | None = None  # the alias/version article, or the near-duplicate matched
    story_id: int | None = None  # the story it joins (None for NEW)
    alias_kind: str | None = None  # VARIANT or REPUBLICATION for ALIAS
    score: float = 0.0  # verification score of a near-duplicate


@dataclass(frozen=True)
class Stored:
    """Where one article ended up."""

    outcome: str  # NEW, ALIAS, NEAR, VERSION (fetched or imported); REEXTRACTED or CONFLICT
    article_id: int
    story_id: int
    alias_kind: str | None = None  # VARIANT or REPUBLICATION for an alias


@functools.lru_cache(maxsize=HOST_CACHE_SIZE)
def host_of(url: str) -> str:
    """Host of a URL without a leading www."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


# The exact lookups of articles given as q(u, h), canonical URL and content hash: the article
# known under the URL (k: an alias row first, else its own row) and the first with the text (t).
EXACT_COLUMNS = (
    "k.id, k.content_hash, k.story_id, k.paywalled, t.id AS text_id, t.story_id AS text_story_id"
)
EXACT_JOINS = """
    LEFT JOIN articles k ON k.id = (SELECT article_id FROM article_urls WHERE canonical_url = q.u
                                    UNION ALL SELECT id FROM articles WHERE canonical_url = q.u
                                    LIMIT 1)
    LEFT JOIN LATERAL (SELECT id, story_id FROM articles WHERE content_hash = q.h LIMIT 1) t
        ON true
"""


def exact_decision(conn: Connection, article: Article, row: Any) -> Decision | None:
    """Alias, version or None from the _EXACT columns of a row: known URL first, then text."""
    known = row if row.id is not None else None
    same_text = row if row.text_id is not None else None
    if known is not None:
        if known.content_hash == article.content_hash or same_text is not None:
            return Decision(ALIAS, known.id, known.story_id, VARIANT)
        if _previous_version(conn, known.id, article.content_hash):
            log.info("stale copy of %s: an earlier version's text", article.canonical_url)
            return Decision(ALIAS, known.id, known.story_id, VARIANT)
        if article.paywalled and not known.paywalled:
            log.info("paywalled refetch of %s: keeping the full text", article.canonical_url)
            return Decision(ALIAS, known.id, known.story_id, VARIANT)
        return Decision(VERSION, known.id, known.story_id)
    if same_text is not None:
        return Decision(ALIAS, same_text.text_id, same_text.text_story_id, REPUBLICATION)
    return None


def _previous_version(conn: Connection, article_id: int, content_hash: str) -> bool:
    """True when content_hash is the text of one of the article's earlier versions."""
    found = conn.execute(
        text("SELECT 1 FROM article_versions WHERE article_id = :a AND content_hash = :h"),
        {"a": article_id, "h": content_hash},
    ).first()
    return found is not None


def _hosts_boilerplate(conn: Connection, pairs: list[tuple[str, int]]) -> dict[str, set[int]]:
    """Boilerplate sentences per host among (host, sentence hash) pairs, in one query."""
    if not pairs:
        return {}
    unique = sorted(set(pairs))
    rows = conn.execute(
        text(
            "SELECT t.host, t.hash FROM unnest(CAST(:hosts AS text[]), CAST(:h AS bigint[]))"
            " AS t(host, hash) JOIN host_sentences s ON s.host = t.host AND s.hash = t.hash"
            " WHERE s.stories >= :n"
        ),
        {
            "hosts": [p[0] for p in unique],
            "h": [p[1] for p in unique],
            "n": BOILERPLATE_MIN_STORIES,
        },
    )
    found: dict[str, set[int]] = {}
    for row in rows:
        found.setdefault(row.host, set()).add(row.hash)
    return found


def prepare(conn: Connection, articles: Sequence[Article]) -> list[signatures.Prepared]:
    """The texts and bands of articles without their hosts' boilerplate as counted now.

    Fetch tasks make them in parallel and stage them; the serial load makes the fingerprint from
    them as long as the host's boilerplate among the article's sentences is still the same (else
    it makes it anew from the sentences).
    """
    found = [signatures.sentences(a.paragraphs) for a in articles]
    hosts = [host_of(a.canonical_url) for a in articles]
    noise = _hosts_boilerplate(
        conn, [(host, s.hash) for host, f in zip(hosts, found, strict=True) for s in f]
    )
    prepared = []
    for host, sentences in zip(hosts, found, strict=True):
        host_noise = noise.get(host, set())
        removed = frozenset(s.hash for s in sentences if s.hash in host_noise)
        bands = signatures.content_bands(sentences, removed)
        prepared.append(signatures.Prepared(removed, Text.of(sentences), bands))
    return prepared


# The columns stored_text reads, for a query over articles a with STORED_TEXT_JOIN (the body
# for its names: article_texts keeps case-folded words only; split too where the text is
# missing: stored before article_texts, or of another scheme).
STORED_TEXT_COLUMNS = "t.sentence_hashes, t.sentence_words, t.word_hashes, a.body"
STORED_TEXT_JOIN = "LEFT JOIN article_texts t ON t.article_id = a.id AND t.scheme = :scheme"


def stored_text(row: Any) -> Text:
    """The Text of a stored article from STORED_TEXT_COLUMNS (split from its body if missing),
    with its body's paragraphs for the names."""
    paragraphs = signatures.split_body(row.body)
    if row.word_hashes is not None:
        words = bytes(row.word_hashes)
        return Text.from_stored(row.sentence_hashes, row.sentence_words, words, paragraphs)
    return Text.of(signatures.sentences(paragraphs), paragraphs)


def verify(a: Fingerprint, b: Fingerprint) -> float | None:
    """Score of two texts being copies of one story (containment), None when they are not."""
    small = min(len(a.shingles), len(b.shingles))
    if small < MIN_SHINGLES:
        return None
    shared = len(a.shingles & b.shingles)
    containment = shared / small
    resemblance = shared / len(a.shingles | b.shingles)
    if containment < MIN_CONTAINMENT and resemblance < MIN_RESEMBLANCE:
        return None
    fewest = min(len(a.numbers), len(b.numbers))
    if containment >= SURE_CONTAINMENT:
        return containment
    if fewest >= MIN_NUMBERS and len(a.numbers & b.numbers) / fewest < MIN_NUMBER_AGREEMENT:
        return None
    if a.names is not None and b.names is not None:
        fewest = min(len(a.names), len(b.names))
        if fewest >= MIN_NAMES and len(a.names & b.names) / fewest < MIN_NAME_AGREEMENT:
            return None
    return containment


def best_candidate(
    fp: Fingerprint,
    rows: Sequence[Any],
    texts: Mapping[int, Text],
    noise: dict[str, set[int]],
    known: Mapping[tuple[int, frozenset[int]], Fingerprint] | None = None,
) -> Decision:
    """The best verified candidate's story (NEAR), else NEW.

    rows (id, story_id, canonical_url) come best first, texts are their bodies and noise the
    boilerplate sentences of their hosts; known holds fingerprints already made, by (article
    id, sentences removed).
    """
    best: Decision = Decision(NEW)
    for row in rows:
        if best.story_id == row.story_id:
            continue  # one verified copy per story is enough
        body = texts[row.id]
        host_noise = noise.get(host_of(row.canonical_url), set())
        removed = frozenset(h for h in body.sentence_hashes if h in host_noise)
        other = known.get((row.id, removed)) if known else None
        if other is None:
            other = signatures.verification(body, removed)
        score = verify(fp, other)
        if score is not None and (
            score > best.score or (score == best.score and row.id < (best.article_id or 0))
        ):
            best = Decision(NEAR, row.id, row.story_id, score=score)
    return best
