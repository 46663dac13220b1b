"""Golden fingerprint of a fixed text: stored MinHash bands and text hashes must not change.

article_bands, article_sentences and article_texts keep what dedup/signatures.py computed when
each article was loaded, and new articles are matched against them: a change of normalisation,
sentence splitting, shingling, hashing, the MinHash seed or the banding would leave every
stored article unfindable. tests/golden/signatures/fingerprint.json holds the expected values;
regenerate it (NEWSWIRE_REGEN_GOLDEN=1, refused under CI) only together with a migration that
recomputes what is stored, or a new TEXT_SCHEME.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from newswire.dedup import signatures
from support import golden

EXPECTED = golden.GOLDEN_DIR / "signatures" / "fingerprint.json"

# A wire story with what normalisation must handle: a dateline, curly quotes, an em dash,
# accents, NFKC forms (fullwidth digits, a ligature), numbers, and a host boilerplate line.
PARAGRAPHS = (
    "ZÜRICH (Reuters) \u2014 The Swiss National Bank held its policy rate at 1.5% on Thursday, "
    "saying inflation had eased to \uff12.\uff11 percent in the year to March.",
    "\u201cWe remain ready to act if the franc\u2019s strength threatens price stability,\u201d "
    "Chairman Thomas Jordan told reporters in Zürich. The decision was expected by 27 of 30 "
    "economists polled.",
    "Exporters, from watchmakers to the \ufb01rms of the machine industry, have complained for "
    "months that a strong currency erodes their margins abroad. Some cut jobs in February!",
    "Sign up for our free morning newsletter to get the day's top stories.",
    "The bank will publish its next assessment on June 20. Markets price a cut by September?",
)
BOILERPLATE = ("Sign up for our free morning newsletter to get the day's top stories.",)


def _hashes(texts: tuple[str, ...]) -> list[int]:
    """Sentence hashes of texts, in order."""
    return [s.hash for s in signatures.sentences(texts)]


def fingerprint_of(paragraphs: tuple[str, ...], boilerplate: tuple[str, ...]) -> dict[str, Any]:
    """What is stored for the text: bands, indexed sentences and article_texts columns."""
    found = signatures.sentences(paragraphs)
    fp = signatures.fingerprint(found, _hashes(boilerplate))
    return {
        "bands": list(fp.bands),
        "indexed_sentences": sorted(fp.indexed_sentences),
        "sentence_hashes": list(fp.text.sentence_hashes),
        "sentence_words": list(fp.text.lengths),
        "word_hashes_sha256": hashlib.sha256(fp.text.word_bytes()).hexdigest(),
        "numbers": sorted(fp.numbers),
    }


def actual() -> dict[str, Any]:
    """The golden file's content as the code computes it now."""
    return {
        "scheme": signatures.TEXT_SCHEME,
        "num_bands": signatures.NUM_BANDS,
        "whole_text": fingerprint_of(PARAGRAPHS, ()),
        "without_boilerplate": fingerprint_of(PARAGRAPHS, BOILERPLATE),
    }


def test_fingerprint_of_a_fixed_text_is_the_golden_one() -> None:
    computed = actual()
    if golden.regenerating():
        EXPECTED.write_text(json.dumps(computed, indent=2) + "\n", encoding="utf-8")
        return
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert computed["without_boilerplate"]["bands"] == expected["without_boilerplate"]["bands"]
    assert computed == expected


def test_the_golden_text_exercises_every_part() -> None:
    whole, cut = actual()["whole_text"], actual()["without_boilerplate"]
    assert len(whole["bands"]) == len(cut["bands"]) == signatures.NUM_BANDS
    assert whole["bands"] != cut["bands"]  # the boilerplate sentence counts only when kept
    assert whole["sentence_hashes"] == cut["sentence_hashes"]  # stored texts keep every sentence
    assert len(cut["indexed_sentences"]) < len(whole["indexed_sentences"])
    assert cut["numbers"]  # the digits (fullwidth ones folded by NFKC) are flagged


def test_regeneration_is_refused_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(golden.REGEN_VARIABLE, raising=False)
    monkeypatch.setenv(golden.CI_VARIABLE, "true")
    assert golden.regenerating() is False  # comparing is what CI does
    monkeypatch.setenv(golden.REGEN_VARIABLE, "1")
    with pytest.raises(pytest.fail.Exception, match="never in CI"):
        golden.regenerating()
    monkeypatch.setenv(golden.CI_VARIABLE, "")
    assert golden.regenerating() is True
