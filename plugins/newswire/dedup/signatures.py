"""Text fingerprints for near-duplicate search: sentences, shingles, MinHash bands."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from newswire.models import normalise_text
from newswire.settings import limit_blas_threads

if TYPE_CHECKING:
    import numpy as np

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

_MASK32 = 0xFFFFFFFF

# Version of the stored word hashes (article_texts.scheme): rows of another scheme are not read.
TEXT_SCHEME = 1

# Mersenne prime modulus of the universal hash family (as in datasketch).
PRIME = (1 << 61) - 1

# Odd multipliers folding a shingle's four word hashes into one 64-bit value.
FOLD = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)

# A sentence ends at . ! ? (optionally followed by a closing quote) before whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d")
_SPACE = re.compile(r"\s+")
# Inside a sentence, a clause opens after a dash, colon or semicolon, an opening quote or
# parenthesis: "LONDON (Reuters) - Shares rose", 'said: "The bank'. Its first word is
# capitalised as a sentence's is, so it is not taken for a name.
_CLAUSE_START = re.compile(r"\s[-\u2013\u2014]+\s|[:;]\s|[\"\u201c\u2018(\[]")


@functools.cache
def _numpy() -> ModuleType:
    """numpy, imported on first use with OpenBLAS's threads capped (nothing runs at import)."""
    limit_blas_threads()
    import numpy

    return numpy


@functools.cache
def _hash_family() -> tuple[Any, Any, Any, tuple[Any, ...]]:
    """The MinHash hash family (prime, a, b, seeded) and the shingle fold, as numpy values."""
    np = _numpy()
    rng = np.random.RandomState(MINHASH_SEED)
    a = rng.randint(1, 1 << 31, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
    b = rng.randint(0, 1 << 31, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
    return np.uint64(PRIME), a, b, tuple(np.uint64(k) for k in FOLD)


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


def name_hashes(paragraphs: Sequence[str]) -> frozenset[int]:
    """word_hash of the proper names of a body: its capitalised words without digits that do
    not open a sentence or a clause (sentences split as sentences() splits, case kept)."""
    names: set[int] = set()
    for paragraph in paragraphs:
        spaced = _SPACE.sub(" ", unicodedata.normalize("NFKC", paragraph)).strip()
        for sentence in _SENTENCE_END.split(spaced):
            for clause in _CLAUSE_START.split(sentence):
                for word in _WORD.findall(clause)[1:]:
                    if word[0].isupper() and not _NUMBER.search(word):
                        names.update(word_hash(part) for part in _WORD.findall(word.casefold()))
    return frozenset(names)


def word_hash(word: str) -> int:
    """A stable 32-bit hash of a normalised word; its lowest bit is set when it holds a digit."""
    flag = 1 if _NUMBER.search(word) else 0
    return (zlib.crc32(word.encode("utf-8")) & 0xFFFFFFFE) | flag


# Distinct words whose hashes are kept (a few MiB; emptied when full, so memory stays bounded).
WORD_CACHE_SIZE = 1 << 15
_word_cache: dict[str, int] = {}


def word_hashes(found: Sequence[Sentence]) -> list[int]:
    """word_hash of every word of found, in order (cached)."""
    cache = _word_cache
    hashes: list[int] = []
    for sentence in found:
        for word in sentence.words:
            value = cache.get(word)
            if value is None:
                if len(cache) >= WORD_CACHE_SIZE:
                    cache.clear()
                value = cache[word] = word_hash(word)
            hashes.append(value)
    return hashes


@dataclass(frozen=True, eq=False)
class Text:
    """A body as verification reads it (stored in article_texts, so stored copies need not be
    split and hashed again): sentence hashes in order, words per sentence, word hashes, and
    the cased paragraphs for its proper names when at hand (article_texts keeps case-folded
    words only: a stored article's paragraphs come from its body)."""

    sentence_hashes: tuple[int, ...]
    lengths: tuple[int, ...]
    words: np.ndarray  # uint32 word_hash of every word, in order
    cased: tuple[str, ...] | None = None  # the paragraphs as written; None: not at hand

    @classmethod
    def of(cls, found: Sequence[Sentence], cased: Sequence[str] | None = None) -> Text:
        """The Text of a body's sentences (cased: its paragraphs, for the names)."""
        np = _numpy()
        words = np.array(word_hashes(found), dtype=np.uint32)
        hashes, lengths = tuple(s.hash for s in found), tuple(len(s.words) for s in found)
        return cls(hashes, lengths, words, None if cased is None else tuple(cased))

    @classmethod
    def from_stored(
        cls,
        hashes: Sequence[int],
        lengths: Sequence[int],
        words: bytes,
        cased: Sequence[str] | None = None,
    ) -> Text:
        """A Text from its article_texts columns (cased: the paragraphs of its body, if read)."""
        words_array = _numpy().frombuffer(words, dtype="<u4")
        return cls(
            tuple(hashes), tuple(lengths), words_array, None if cased is None else tuple(cased)
        )

    @functools.cached_property
    def names(self) -> frozenset[int] | None:
        """name_hashes of the paragraphs (made on first use); None when they are not at hand."""
        return None if self.cased is None else name_hashes(self.cased)

    def word_bytes(self) -> bytes:
        """The word hashes as stored (article_texts.word_hashes: little-endian uint32)."""
        return self.words.astype("<u4").tobytes()

    def content(self, removed: AbstractSet[int]) -> np.ndarray:
        """Word hashes of the sentences not in removed."""
        if not removed or removed.isdisjoint(self.sentence_hashes):
            return self.words
        np = _numpy()
        keep = np.fromiter((h not in removed for h in self.sentence_hashes), dtype=bool)
        return self.words[np.repeat(keep, self.lengths)]


def shingle_hashes(words: np.ndarray) -> frozenset[int]:
    """Hashes of the SHINGLE_WORDS-word shingles of word hashes (stable across processes)."""
    if len(words) < SHINGLE_WORDS:
        return frozenset()
    fold = _hash_family()[3]
    w = words.astype(_numpy().uint64)
    folded = w[:-3] * fold[0] + w[1:-2] * fold[1] + w[2:-1] * fold[2] + w[3:]
    return frozenset(folded.tolist())


@dataclass(frozen=True)
class Fingerprint:
    """What near-duplicate search and verification need from one body."""

    sentence_hashes: frozenset[int]  # every sentence, for host boilerplate counts
    indexed_sentences: frozenset[int]  # long content sentences: containment candidates
    shingles: frozenset[int]  # word shingles of the content (boilerplate removed), hashed from
    # word hashes (verification); the bands come from hash64 of the shingles' words
    numbers: frozenset[int]  # hashes of the numeric words of the content
    bands: tuple[int, ...]  # LSH band hashes, band number folded in; empty when too short
    text: Text  # the whole body (boilerplate included), as stored for later verification
    removed: frozenset[int] = frozenset()  # the sentences left out of the content

    @functools.cached_property
    def names(self) -> frozenset[int] | None:
        """The body's names found in its content (made when verification first needs them: a
        name only in boilerplate is no evidence); None when the cased body is not at hand."""
        return _content_names(self.text.names, self.text.content(self.removed))


def fingerprint(
    all_sentences: Sequence[Sentence],
    boilerplate: Collection[int],
    cased: Sequence[str] | None = None,
) -> Fingerprint:
    """Fingerprint of a body's sentences, leaving out the host's boilerplate sentences (cased:
    the body's paragraphs as written, for its names)."""
    removed = frozenset(boilerplate)
    body = verification(Text.of(all_sentences, cased), removed)
    return replace(body, bands=content_bands(all_sentences, removed))


def content_bands(all_sentences: Sequence[Sentence], removed: Collection[int]) -> tuple[int, ...]:
    """LSH band hashes of the shingles of the sentences not in removed (hash64 of their words)."""
    words = [w for s in all_sentences if s.hash not in removed for w in s.words]
    grams = zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)
    return band_hashes([hash64(" ".join(g)) for g in grams])


def verification(body: Text, removed: frozenset[int]) -> Fingerprint:
    """Fingerprint of a stored body without the removed sentences, no bands (verification)."""
    content = body.content(removed)
    return Fingerprint(
        sentence_hashes=frozenset(body.sentence_hashes),
        indexed_sentences=frozenset(
            h
            for h, n in zip(body.sentence_hashes, body.lengths, strict=True)
            if n >= MIN_SENTENCE_WORDS and h not in removed
        ),
        shingles=shingle_hashes(content),
        numbers=frozenset(content[(content & 1) == 1].tolist()),
        bands=(),
        text=body,
        removed=removed,
    )


def _content_names(names: frozenset[int] | None, content: np.ndarray) -> frozenset[int] | None:
    """The names whose word is in the content."""
    if not names:
        return names
    np = _numpy()
    found = np.fromiter(names, dtype=np.uint32, count=len(names))
    return frozenset(found[np.isin(found, content)].tolist())


@dataclass(frozen=True)
class Prepared:
    """A body's text and bands made ahead of the load (in a fetch task), with the boilerplate
    they leave out; the load uses them while the host's boilerplate is still the same."""

    noise: frozenset[int]
    text: Text
    bands: tuple[int, ...]

    def named(self, cased: Sequence[str]) -> Prepared:
        """The same with the body's cased paragraphs, for its names (staging keeps none)."""
        return replace(self, text=replace(self.text, cased=tuple(cased)))

    @functools.cached_property
    def fingerprint(self) -> Fingerprint:
        """The fingerprint they make (only once the load finds the boilerplate unchanged)."""
        return replace(verification(self.text, self.noise), bands=self.bands)

    def to_json(self) -> dict[str, object]:
        """The staged form (staged_articles.fingerprint)."""
        return {
            "scheme": TEXT_SCHEME,
            "noise": sorted(self.noise),
            "bands": list(self.bands),
            "sentences": list(self.text.sentence_hashes),
            "lengths": list(self.text.lengths),
            "words": base64.b64encode(self.text.word_bytes()).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Prepared | None:
        """The Prepared of a staged form; None for none or another scheme."""
        if not data or data.get("scheme") != TEXT_SCHEME:
            return None
        body = Text.from_stored(data["sentences"], data["lengths"], base64.b64decode(data["words"]))
        noise = frozenset(int(h) for h in data["noise"])
        return cls(noise, body, tuple(data["bands"]))


def minhash(shingles: Collection[int]) -> np.ndarray:
    """MinHash signature (NUM_PERM values) of 64-bit shingle hashes (repeats change nothing)."""
    np = _numpy()
    prime, a, b, _ = _hash_family()
    values = np.fromiter((h & _MASK32 for h in shingles), dtype=np.uint64, count=len(shingles))
    hashed = (np.outer(values, a) + b) % prime
    return hashed.min(axis=0)


def band_hashes(shingles: Collection[int]) -> tuple[int, ...]:
    """LSH band hashes of the MinHash signature of hash64 shingle hashes; none for no shingle."""
    if not shingles:
        return ()
    rows = minhash(shingles).reshape(NUM_BANDS, BAND_ROWS)
    return tuple(hash64(f"{band}:" + ",".join(map(str, row))) for band, row in enumerate(rows))
