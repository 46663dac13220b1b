"""The article language is read from the text; markup and source default decide short text."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from newswire.extract import extract_article
from newswire.extract.language import (
    CANDIDATES,
    MIN_CONFIDENCE,
    MIN_LETTERS,
    detect_language,
    same_language,
)
from newswire.load import store, transfer
from newswire.models import Page, SourceConfig, article_from_payload, article_to_payload
from newswire.settings import BLAS_THREADS

FETCHED_AT = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)

GERMAN_LINES = [
    "Der Stadtrat hat am Montagabend beschlossen, die Straßenbahnlinie bis zum neuen Wohngebiet"
    " im Norden der Stadt zu verlängern.",
    "Die Bauarbeiten sollen im kommenden Frühjahr beginnen und rund drei Jahre dauern, teilte"
    " die Verwaltung mit.",
    "Anwohner hatten sich seit Jahren eine bessere Anbindung an die Innenstadt gewünscht und"
    " begrüßten die Entscheidung.",
    "Jetzt weiterlesen mit Plus!",
]

FRENCH_LINES = [
    "Le conseil municipal a voté lundi soir le prolongement de la ligne de tramway jusqu'au"
    " nouveau quartier situé au nord de la ville.",
    "Les travaux doivent commencer au printemps prochain et durer environ trois ans, a indiqué"
    " la mairie dans un communiqué.",
    "Les habitants réclamaient depuis des années une meilleure desserte du centre-ville et ont"
    " salué la décision des élus.",
]


def _page(lines: list[str], lang: str | None, title: str) -> Page:
    """A fetched page of <p> lines, with <html lang> when lang is given."""
    attribute = f' lang="{lang}"' if lang else ""
    body = "".join(f"<p>{line}</p>\n" for line in lines)
    html = (
        f"<html{attribute}><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )
    url = "https://stadtblatt.example/lokales/strassenbahn"
    return Page(url, url, 200, "text/html", html.encode(), FETCHED_AT)


def _source(language: str | None = None) -> SourceConfig:
    """A source configuration, with a default language when given."""
    return SourceConfig(name="stadtblatt", kind="rss", urls=(), language=language)


def test_german_page_without_lang_is_german_and_its_prompt_goes() -> None:
    """No lang attribute and an English source default: the German text decides."""
    page = _page(GERMAN_LINES, None, "Straßenbahn wird verlängert")
    article = extract_article(page, _source("en"))
    assert article.language == "de"
    assert article.language_confidence is not None
    assert MIN_CONFIDENCE <= article.language_confidence <= 1.0
    assert "abo_de" in article.prompts_stripped and article.paywalled
    assert article.paragraphs == tuple(GERMAN_LINES[:3])


def test_french_text_under_english_markup_is_french() -> None:
    """<html lang="en"> on a French story: the text overrules the markup."""
    article = extract_article(_page(FRENCH_LINES, "en", "Le tramway prolongé"), _source())
    assert article.language == "fr"
    assert article.language_confidence is not None and article.language_confidence > 0.9


def test_markup_keeps_its_finer_code_when_the_text_agrees() -> None:
    """Markup "nb" (Bokmål) on Norwegian text stays "nb" (the model says "no")."""
    lines = [
        "Bystyret vedtok mandag kveld å forlenge trikkelinjen til det nye boligområdet nord i"
        " byen, og arbeidet skal starte til våren.",
        "Beboerne har i mange år ønsket seg en bedre forbindelse til sentrum og er glade for"
        " vedtaket, sier lederen i velforeningen.",
    ]
    detected = detect_language("Trikken forlenges", lines, "nb")
    assert detected.language == "nb" and detected.source == "text"
    assert same_language("nb", "no") and not same_language("nn", "no")


def test_short_text_falls_back_to_the_hint() -> None:
    """Under MIN_LETTERS letters the markup (or source default) decides, whatever the text."""
    short = "Le tram arrive"  # French, but too few letters to overrule the hint
    assert sum(c.isalpha() for c in short) < MIN_LETTERS
    detected = detect_language(None, [short], "de")
    assert (detected.language, detected.source) == ("de", "hint")
    assert detected.confidence is not None and detected.confidence < MIN_CONFIDENCE
    nothing = detect_language(None, ["12:3 (4:1)"], "en")
    assert (nothing.language, nothing.confidence, nothing.source) == ("en", None, "hint")
    assert detect_language(None, ["12:3 (4:1)"], None).language is None


def test_long_text_without_hint_is_detected() -> None:
    """No markup and no source default: the text alone decides."""
    detected = detect_language("Le tramway prolongé", FRENCH_LINES, None)
    assert (detected.language, detected.source) == ("fr", "text")


def test_candidates_are_two_letter_codes_the_model_knows() -> None:
    """The candidate set is ISO 639-1 and loads into the model (set_languages checks it)."""
    assert all(len(code) == 2 for code in CANDIDATES)
    assert {"de", "en", "fr", "es", "ja", "zh", "zu", "xh", "sw"} <= CANDIDATES
    detected = detect_language(None, ["اللغة العربية لغة جميلة ويتحدث بها الملايين من الناس"], None)
    assert detected.language == "ar"


def test_confidence_round_trips_through_payload() -> None:
    """language_confidence travels with the staged payload like the other fields."""
    article = extract_article(_page(FRENCH_LINES, "en", "Le tramway prolongé"), _source())
    again = article_from_payload(article_to_payload(article))
    assert again.language_confidence == article.language_confidence
    assert again == article


def test_language_confidence_column_is_stored(engine: Engine) -> None:
    """Migration 011 adds articles.language_confidence; a stored article fills it."""
    page = _page(GERMAN_LINES, None, "Straßenbahn wird verlängert")
    article = replace(extract_article(page, _source()), page_sha256=None)  # no raw_pages row
    with engine.begin() as conn:
        (stored,) = store.store_articles(conn, [article])
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT language, language_confidence FROM articles WHERE id = :id"),
            {"id": stored.article_id},
        ).one()
        comment = conn.execute(
            text(
                "SELECT col_description('articles'::regclass, attnum) FROM pg_attribute"
                " WHERE attrelid = 'articles'::regclass AND attname = 'language_confidence'"
            )
        ).scalar_one()
    assert row.language == "de"
    assert row.language_confidence == article.language_confidence
    assert "Probability" in comment
    out = io.StringIO()
    assert transfer.export(engine, out) == 1
    exported = json.loads(out.getvalue())
    assert (exported["language"], exported["language_confidence"]) == (
        "de",
        row.language_confidence,
    )


def test_blas_threads_capped_before_trafilatura_brings_numpy() -> None:
    """trafilatura imports py3langid and numpy: the extract stage caps OpenBLAS's threads first."""
    script = (
        "import os, sys\n"
        "import newswire.extract.article\n"
        "print('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[1] / "plugins")}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[0] == f"True {BLAS_THREADS}"
