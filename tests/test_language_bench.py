"""The language benchmark on a corpus it is given: truth from the text, markup compared."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench import language_bench

pytestmark = pytest.mark.bench

GERMAN = (
    "Der Stadtrat hat am Montagabend beschlossen, die Straßenbahnlinie bis zum neuen Wohngebiet"
    " im Norden der Stadt zu verlängern. Die Bauarbeiten sollen im kommenden Frühjahr beginnen"
    " und rund drei Jahre dauern, teilte die Verwaltung am Dienstag mit. Anwohner hatten sich"
    " seit Jahren eine bessere Anbindung an die Innenstadt gewünscht und begrüßten die"
    " Entscheidung des Rates ausdrücklich."
)
FRENCH = (
    "Le conseil municipal a voté lundi soir le prolongement de la ligne de tramway jusqu'au"
    " nouveau quartier situé au nord de la ville. Les travaux doivent commencer au printemps"
    " prochain et durer environ trois ans, a indiqué la mairie dans un communiqué. Les habitants"
    " réclamaient depuis des années une meilleure desserte du centre-ville et ont salué la"
    " décision des élus."
)


def _write(root: Path, country: str, name: str, lang: str | None, body: str, host: str) -> None:
    """One corpus pair: <country>/<name>.html.gz and .json with the expected body."""
    folder = root / country
    folder.mkdir(parents=True, exist_ok=True)
    attribute = f' lang="{lang}"' if lang else ""
    paragraphs = "".join(f"<p>{s.strip()}.</p>" for s in body.split(".") if s.strip())
    html = f"<html{attribute}><head><meta charset='utf-8'></head><body><article>{paragraphs}"
    (folder / f"{name}.html.gz").write_bytes(
        gzip.compress(f"{html}</article></body></html>".encode())
    )
    gold = {"url": f"https://{host}/a", "body": body, "crawl_date": "2026-11-03T10:00:00Z"}
    (folder / f"{name}.json").write_text(json.dumps(gold), encoding="utf-8")


def test_truth_comes_from_the_text_and_markup_errors_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A German page without lang and a French page tagged en: both detected right."""
    _write(tmp_path, "de", "stadt", None, GERMAN, "stadtblatt.example")
    _write(tmp_path, "fr", "ville", "en", FRENCH, "journal-ville.example")
    cases = language_bench.load_cases(tmp_path)
    assert [(c.truth, c.markup) for c in cases] == [("de", None), ("fr", "en")]
    assert language_bench.main(["--corpus", str(tmp_path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "markup language missing on 1 pages, wrong on 1:" in out
    assert "all pages 2/2 = 1.000 0/2 = 0.000" in out
    assert "markup missing or wrong 2/2 = 1.000 0/2 = 0.000" in out
    assert "detected share 1.000: meets 0.98" in out


def test_host_split_is_the_shared_rule() -> None:
    """Even sha1 of the host (www. dropped, lower case) is the tuning half."""
    assert language_bench.host_half("https://WWW.Example.com/x") == language_bench.host_half(
        "https://example.com/y"
    )
    assert {language_bench.host_half(f"https://h{i}.example/") for i in range(8)} == {
        "tuning",
        "checking",
    }
