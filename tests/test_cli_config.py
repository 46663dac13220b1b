"""`newswire config [--json]`: effective settings with their origin, enabled sources, no secret."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswire.cli import app

# Secrets the environment and the sources file hold: none may reach the output.
DB_PASSWORD = "hunter2-Db-Pw"
FEED_PASSWORD = "Feed-Pass-99"
CONN_PASSWORD = "conn-S3cret"

SOURCES = f"""
[[source]]
name = "wire"
kind = "rss"
urls = ["https://reader:{FEED_PASSWORD}@feeds.example/rss", "https://feeds.example/more"]
language = "de"

[[source]]
name = "off"
kind = "rss"
urls = ["https://off.example/rss"]
enabled = false

[[source]]
name = "archive"
kind = "warc"
paths = ["/srv/warc/*.warc.gz"]
hosts = ["news.example"]
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Only the variables a test sets: none of the caller's NEWSWIRE_* or news_db settings."""
    for name in list(os.environ):
        if name.startswith("NEWSWIRE_") or name == "AIRFLOW_CONN_NEWS_DB":
            monkeypatch.delenv(name)
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    monkeypatch.setenv("NEWSWIRE_SOURCES_FILE", str(sources))
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", f"postgresql://news:{DB_PASSWORD}@db.example/news")
    monkeypatch.setenv("NEWSWIRE_BATCH_SIZE", "7")
    monkeypatch.setenv("NEWSWIRE_LOAD_AHEAD", "")  # empty: the default
    return sources


def assert_no_secret(output: str) -> None:
    """No password in the output, not even folded across table lines."""
    squeezed = re.sub(r"[\s│┃]", "", output)
    for secret in (DB_PASSWORD, FEED_PASSWORD, CONN_PASSWORD):
        assert secret not in squeezed


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert_no_secret(result.output)
    return result.output


def test_json_names_values_origins_and_enabled_sources(env: Path) -> None:
    report = json.loads(invoke("config", "--json"))
    settings = report["settings"]
    assert settings["batch_size"] == {
        "value": 7,
        "variable": "NEWSWIRE_BATCH_SIZE",
        "from": "NEWSWIRE_BATCH_SIZE",
    }
    assert settings["load_ahead"] == {
        "value": True,
        "variable": "NEWSWIRE_LOAD_AHEAD",
        "from": "default",
    }
    assert settings["schedule"]["value"] == "0 * * * *"
    assert settings["sources_file"] == {
        "value": str(env),
        "variable": "NEWSWIRE_SOURCES_FILE",
        "from": "NEWSWIRE_SOURCES_FILE",
    }
    assert settings["database_url"]["value"] == "postgresql://news:****@db.example/news"
    assert report["database"] == {
        "database": "postgresql://news:****@db.example/news",
        "from": "NEWSWIRE_DATABASE_URL",
    }
    assert [s["name"] for s in report["sources"]] == ["wire", "archive"]
    wire = report["sources"][0]
    assert wire["urls"] == ["https://reader:****@feeds.example/rss", "https://feeds.example/more"]
    assert wire["language"] == "de" and wire["live_only"] is True
    assert report["sources"][1]["hosts"] == ["news.example"]


def test_table_shows_the_same_masked(env: Path) -> None:
    out = invoke("config")
    assert "batch_size" in out and "NEWSWIRE_BATCH_SIZE" in out
    assert "postgresql://news:****@db.example/news" in out
    assert "news database:" in out
    assert "https://reader:****@feeds.example/rss" in out
    assert "wire" in out and "archive" in out and "off.example" not in out
    assert "language=de" in out and "hosts=" in out


def test_airflow_connection_comes_first_and_stays_hidden(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = {"conn_type": "postgres", "login": "u", "password": CONN_PASSWORD, "host": "h"}
    monkeypatch.setenv("AIRFLOW_CONN_NEWS_DB", json.dumps(conn))
    report = json.loads(invoke("config", "--json"))
    assert report["database"] == {
        "database": "the Airflow connection news_db",
        "from": "AIRFLOW_CONN_NEWS_DB",
    }


def test_embedded_database_when_nothing_is_set(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSWIRE_DATABASE_URL")
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "state"))
    report = json.loads(invoke("config", "--json"))
    assert report["settings"]["database_url"] == {
        "value": None,
        "variable": "NEWSWIRE_DATABASE_URL",
        "from": "default",
    }
    assert report["database"]["database"] == f"the embedded PostgreSQL under {tmp_path}/state/pg"
    assert not (tmp_path / "state").exists()  # reported, not started


def test_bad_setting_or_sources_file_fails_naming_it(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSWIRE_READ_TIMEOUT", "soon")
    result = CliRunner().invoke(app, ["config"])
    assert result.exit_code == 2
    assert "NEWSWIRE_READ_TIMEOUT='soon'" in result.output
    assert_no_secret(result.output)
    monkeypatch.delenv("NEWSWIRE_READ_TIMEOUT")
    env.write_text(SOURCES.replace('language = "de"', "language = 5"), encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "--json"])
    assert result.exit_code == 2
    assert "source 'wire': 'language' must be a non-empty string" in result.output
