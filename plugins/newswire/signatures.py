"""Text fingerprints for near-duplicate search: sentences, shingles, MinHash bands."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from newswire.models import normalise_text

# Words per shingle: long enough that a template's fixed phrases rarely fill one alone.
SHINGLE_WORDS = 4

# Sentences shorter than this are not indexed (too generic to be evidence of a copy).
MIN_SENTENCE_WORDS = 7

# MinHash signature length and LSH banding: 16 bands of 4 rows catch Jaccard ≳ 0.5.
NUM_PERM = 64
BAND_ROWS = 4
NUM_BANDS = NUM_PERM // BAND_ROWS

# Fixed seed: signatures must be equal across processes, workers and releases.
MINHASH_SEED = 20_260_115

# Mersenne prime modulus of the universal hash family (as in datasketch).
_PRIME = np.uint64((1 << 61) - 1)
_MASK32 = 0xFFFFFFFF

_rng = np.random.RandomState(MINHASH_SEED)
_A = _rng.randint(1, 1 << 31, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_B = _rng.randint(0, 1 << 31, size=NUM_PERM, dtype=np.int64).astype(np.uint64)

# A sentence ends at . ! ? (optionally followed by a closing quote) before whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d")


def hash64(value: str) -> int:
    """A stable signed 64-bit hash (fits PostgreSQL bigint)."""
    digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True)
class Sentence:
    """One normalised sentence of a body: its words and their hash."""

    hash: int
    words: tuple[str, ...]


def sentences(paragraphs: Sequence[str]) -> list[Sentence]:
    """Sentences of a body in order, each normalised (NFKC, case-folded) into words."""
    found: list[Sentence] = []
    for paragraph in paragraphs:
        for piece in _SENTENCE_END.split(normalise_text(paragraph)):
            words = tuple(_WORD.findall(piece))
            if words:
                found.append(Sentence(hash64(" ".join(words)), words))
    return found


def split_body(body: str) -> list[str]:
    """Paragraphs of a stored body (joined by blank lines)."""
    return [p for p in body.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Fingerprint:
    """What near-duplicate search and verification need from one body."""

    sentence_hashes: frozenset[int]  # every sentence, for host boilerplate counts
    indexed_sentences: frozenset[int]  # long content sentences: containment candidates
    shingles: frozenset[int]  # word shingles of the content (boilerplate removed), hashed for
    # this process only (verification); the bands come from stable hash64 shingle hashes
    numbers: frozenset[str]  # numeric tokens of the content
    bands: tuple[int, ...]  # LSH band hashes, band number folded in; empty when too short


def fingerprint(
    all_sentences: Sequence[Sentence], boilerplate: Collection[int], *, with_bands: bool = True
) -> Fingerprint:
    """Fingerprint of a body's sentences, leaving out the host's boilerplate sentences."""
    content = [s for s in all_sentences if s.hash not in boilerplate]
    words = [w for s in content for w in s.words]
    grams = list(zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False))
    return Fingerprint(
        sentence_hashes=frozenset(s.hash for s in all_sentences),
        indexed_sentences=frozenset(s.hash for s in content if len(s.words) >= MIN_SENTENCE_WORDS),
        # Python's own hash of the word tuples: the words' hashes are cached, so this costs a
        # fraction of hash64; the sets are compared only within one process.
        shingles=frozenset(map(hash, grams)),
        numbers=frozenset(w for w in words if _NUMBER.search(w)),
        bands=band_hashes([hash64(" ".join(g)) for g in grams]) if with_bands else (),
    )


def minhash(shingles: Collection[int]) -> np.ndarray:
    """MinHash signature (NUM_PERM values) of 64-bit shingle hashes (repeats change nothing)."""
    values = np.fromiter((h & _MASK32 for h in shingles), dtype=np.uint64, count=len(shingles))
    hashed = (np.outer(values, _A) + _B) % _PRIME
    return hashed.min(axis=0)


def band_hashes(shingles: Collection[int]) -> tuple[int, ...]:
    """LSH band hashes of the MinHash signature of hash64 shingle hashes; none for no shingle."""
    if not shingles:
        return ()
    rows = minhash(shingles).reshape(NUM_BANDS, BAND_ROWS)
    return tuple(hash64(f"{band}:" + ",".join(map(str, row))) for band, row in enumerate(rows))
