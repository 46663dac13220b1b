"""The newswire CLI end to end: db upgrade, run --demo (twice), stats --json, search."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from newswire.cli import app
from newswire.demo import site

runner = CliRunner()


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_run_demo_twice_then_query(demo_env: str) -> None:
    assert "schema at version" in invoke("db", "upgrade")
    day_stories = site.build_site().demo_day_stories()
    copies = [s for s in day_stories if s.courier_path]

    invoke("run", "--demo", "--headlines", "3")
    first = json.loads(invoke("stats", "--json"))
    assert first["articles"] == len(day_stories)
    rows = {r["source"]: r for r in first["last_run"]["sources"]}
    assert rows["demo-wire"]["loaded"] == len(day_stories)
    assert rows["demo-courier"]["duplicates"] == len(copies)
    assert rows["demo-wire"]["prompts_stripped"] > 0

    invoke("run", "--demo")  # everything is known now: nothing is fetched or loaded
    second = json.loads(invoke("stats", "--json"))
    assert second["articles"] == first["articles"] and second["aliases"] == first["aliases"]
    assert second["runs"] == 2
    for row in second["last_run"]["sources"]:
        assert (row["enqueued"], row["fetched"], row["loaded"]) == (0, 0, 0), row

    story = next(s for s in day_stories if "Measles" in s.title)
    found = json.loads(invoke("search", "measles Romania", "--json"))
    assert found and found[0]["title"] == story.title


def test_bad_window_is_a_clear_error(demo_env: str) -> None:
    result = runner.invoke(app, ["run", "--since", "yesterday"])
    assert result.exit_code != 0
    assert "not an ISO date" in result.output
    result = runner.invoke(app, ["run", "--since", "2026-01-16", "--until", "2026-01-15"])
    assert result.exit_code == 2 and "empty window" in result.output


def test_every_command_is_documented() -> None:
    import typer.main

    root = Path(__file__).resolve().parents[1]
    docs = (root / "docs" / "cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    names = [
        f"{name} {sub}" if sub else name
        for name, command in group.commands.items()  # type: ignore[attr-defined]
        for sub in (getattr(command, "commands", None) or [""])
    ]
    assert "config" in names and "db upgrade" in names and len(names) == 13
    missing = [name for name in names if f"## `newswire {name}`" not in docs]
    assert missing == []


@pytest.mark.skipif(shutil.which("psql") is None, reason="psql is not installed")
def test_db_url_is_a_uri_psql_takes(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    printed = runner.invoke(app, ["db", "url"])
    assert printed.exit_code == 0, printed.output
    uri = printed.output.strip()
    assert uri.startswith("postgresql://")
    psql = subprocess.run(
        ["psql", uri, "-XAtc", "SELECT current_database()"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert psql.stdout.strip() == make_url(db_url).database
    driver = runner.invoke(app, ["db", "url", "--sqlalchemy"]).output.strip()
    assert driver == "postgresql+psycopg2://" + uri.removeprefix("postgresql://")
