"""`newswire search`, `story` and `stats` on a populated database, as tables and as JSON."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newswire.cli import app


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose newswire commands use the test database."""
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    return CliRunner()


def test_search_table(cli: CliRunner, query_db: dict[str, int]) -> None:
    result = cli.invoke(app, ["search", "military talks"])
    assert result.exit_code == 0, result.output
    assert "search: military talks" in result.output
    assert "Kerry meets Russian officials for military talks" in result.output
    assert "(2 matches)" in result.output
    assert "demo-wire" in result.output
    assert "<b>" not in result.output  # highlights are rendered, not printed as tags
    assert "Kerry and Russia hold talks" not in result.output  # same story, one row


def test_search_json_with_filters(cli: CliRunner, query_db: dict[str, int]) -> None:
    args = ["search", "talks", "--json", "--source", "demo-courier", "--since", "2026-01-15"]
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == [query_db["talks_copy"]]
    assert rows[0]["source"] == "demo-courier"
    assert rows[0]["story_id"] == query_db["story:kerry"]
    assert "<b>talks</b>" in rows[0]["snippet"]
    result = cli.invoke(app, ["search", "Kind", "--lang", "de", "--limit", "5", "--json"])
    assert [r["id"] for r in json.loads(result.output)] == [query_db["kinder"]]
    result = cli.invoke(app, ["search", "talks", "--all-articles", "--json"])
    assert len(json.loads(result.output)) == 2
    result = cli.invoke(app, ["search", "talks", "--until", "yesterday"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


def test_search_without_matches(cli: CliRunner, query_db: dict[str, int]) -> None:
    result = cli.invoke(app, ["search", "zzzz qqqq"])
    assert result.exit_code == 0
    assert "no matches" in result.output


def test_story_table_and_json(cli: CliRunner, query_db: dict[str, int]) -> None:
    story = str(query_db["story:kerry"])
    result = cli.invoke(app, ["story", story])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"story {story}: Kerry meets Russian officials for military talks" in out
    assert "agency Reuters" in out
    assert "3 outlet(s): demo-courier, demo-wire, wire-mirror" in out
    assert "https://wire-mirror.example/kerry" in out and "republication" in out
    assert "Kerry to meet Russian officials" in out  # the captured earlier version
    data = json.loads(cli.invoke(app, ["story", story, "--json"]).output)
    assert [a["article_id"] for a in data["articles"]] == [
        query_db["talks"],
        query_db["talks_copy"],
    ]
    assert len(data["urls"]) == 4 and len(data["versions"]) == 1
    missing = cli.invoke(app, ["story", "999999"])
    assert missing.exit_code == 1
    assert "no story 999999" in missing.output


def test_stats_report_and_json(cli: CliRunner, query_db: dict[str, int]) -> None:
    result = cli.invoke(app, ["stats"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "per source" in out
    for source in ("afp-fr", "demo-courier", "demo-wire", "dw-news"):
        assert source in out
    assert "http_404 2, timeout 2" in out
    assert "50%" in out  # demo-courier: one of two stored articles paywalled
    data = json.loads(cli.invoke(app, ["stats", "--json"]).output)
    assert data["articles"] == 6 and data["runs"] == 3  # the JSON form keeps its keys
    per_source = {r["source"]: r for r in data["per_source"]}
    assert per_source["demo-wire"]["loaded"] == 2
    assert per_source["demo-wire"]["failed_by_reason"] == {"http_404": 2, "timeout": 2}
    since = json.loads(cli.invoke(app, ["stats", "--json", "--since", "2026-01-16"]).output)
    assert [r["source"] for r in since["per_source"]] == ["afp-fr"]
