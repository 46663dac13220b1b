"""`newswire extract FILE... [--url URL]`: one JSON object per file, the pipeline's code path."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newswire.cli import app

GOLDEN = Path(__file__).parent / "golden"


def test_extract_prints_one_json_line_per_file() -> None:
    url = "https://riversidetimes.example/news/world/thames-barrier-closes-twice.html"
    result = CliRunner().invoke(
        app,
        ["extract", str(GOLDEN / "ap_byline.html"), str(GOLDEN / "no_charset.html"), "--url", url],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(d["file"]).name for d in lines] == ["ap_byline.html", "no_charset.html"]
    ap = lines[0]
    expected = json.loads((GOLDEN / "ap_byline.json").read_text(encoding="utf-8"))["expected"]
    assert ap["url"] == url
    assert ap["paragraphs"] == expected["paragraphs"]
    assert ap["authors"] == expected["authors"] and ap["agency"] == "AP"
    assert ap["access"] == "free" and ap["word_count"] > 40


def test_extract_reports_rejected_pages_and_fails() -> None:
    result = CliRunner().invoke(app, ["extract", str(GOLDEN / "prompt_only.html")])
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["rejected"] == "prompt_only"
