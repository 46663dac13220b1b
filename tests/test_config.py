"""Sources file loading and validation, settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from newswire.errors import ConfigError
from newswire.settings import DEFAULT_SOURCES_FILE, Settings, enabled_sources, load_sources


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_shipped_sources_file_is_valid_and_demo_enabled() -> None:
    sources = load_sources(DEFAULT_SOURCES_FILE, env={})
    by_name = {s.name: s for s in sources}
    assert {"demo-wire", "demo-courier"} <= set(by_name)
    assert by_name["demo-wire"].urls[0] == "http://127.0.0.1:8765/wire/feed.xml"
    assert by_name["demo-wire"].allow_private is True
    enabled = [s.name for s in sources if s.enabled]
    assert enabled == ["demo-wire", "demo-courier"]
    assert all(not s.allow_private for s in sources if not s.name.startswith("demo"))


def test_env_references_are_expanded(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[source]]\nname = "a"\nkind = "rss"\nurls = ["${BASE}/feed", "${OTHER:-http://x.test}/f"]\n',
    )
    (source,) = load_sources(path, env={"BASE": "http://127.0.0.1:9"})
    assert source.urls == ("http://127.0.0.1:9/feed", "http://x.test/f")
    with pytest.raises(ConfigError, match="BASE"):
        load_sources(path, env={})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[source]]\nname = "Bad Name"\nkind = "rss"\nurls = ["http://a"]\n', "'name'"),
        ('[[source]]\nname = "a"\nkind = "telex"\nurls = ["http://a"]\n', "source 'a': 'kind'"),
        ('[[source]]\nname = "a"\nkind = "rss"\nurls = []\n', "source 'a': 'urls'"),
        ('[[source]]\nname = "a"\nkind = "rss"\nurls = ["ftp://a"]\n', "not an http"),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://a"]\nenabled = "yes"\n',
            "'enabled'",
        ),
        ('[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://a"]\ncolour = 1\n', "colour"),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://a"]\ntimezone = "Mars/Base"\n',
            "timezone",
        ),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://a"]\nmin_delay = -1\n',
            "min_delay",
        ),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://a"]\n'
            '[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://b"]\n',
            "declared twice",
        ),
        ("name = 1\n", "at least one"),
        ("[[source]\n", "not valid TOML"),
    ],
)
def test_bad_config_names_source_and_field(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_sources(write(tmp_path, body), env={})


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_sources(tmp_path / "nope.toml", env={})


def test_enabled_sources_and_named_selection(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[source]]\nname = "on"\nkind = "rss"\nurls = ["http://a"]\n'
        '[[source]]\nname = "off"\nkind = "rss"\nurls = ["http://b"]\nenabled = false\n',
    )
    settings = Settings.from_env({"NEWSWIRE_SOURCES_FILE": str(path)})
    assert [s.name for s in enabled_sources(settings)] == ["on"]
    assert [s.name for s in enabled_sources(settings, ["off"])] == ["off"]
    with pytest.raises(ConfigError, match="unknown source"):
        enabled_sources(settings, ["nope"])


def test_settings_validate_integers() -> None:
    assert Settings.from_env({"NEWSWIRE_BATCH_SIZE": "7"}).batch_size == 7
    with pytest.raises(ConfigError, match="NEWSWIRE_BATCH_SIZE"):
        Settings.from_env({"NEWSWIRE_BATCH_SIZE": "zero"})
    with pytest.raises(ConfigError, match="NEWSWIRE_LOAD_BATCH_SIZE"):
        Settings.from_env({"NEWSWIRE_LOAD_BATCH_SIZE": "0"})
