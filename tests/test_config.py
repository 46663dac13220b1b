"""Sources file loading and validation, settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from newswire.discover import discoverer
from newswire.errors import ConfigError
from newswire.models import SourceConfig
from newswire.settings import DEFAULT_SOURCES_FILE, Settings
from newswire.settings.sources import (
    KNOWN_KINDS,
    enabled_sources,
    load_sources,
    source_by_name,
)


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
        ('[[source]]\nname = 3\nkind = "rss"\nurls = ["http://a"]\n', "source #1: 'name'"),
        ('[[source]]\nname = "a"\nkind = "rss"\n', "source 'a': 'urls' must be a non-empty"),
        ('[[source]]\nname = "a"\nkind = "rss"\nurls = [""]\n', "source 'a': 'urls'"),
        ('[[source]]\nname = "a"\nkind = "rss"\nurls = "http://a"\n', "source 'a': 'urls'"),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://a"]\nlanguage = " "\n',
            "source 'a': 'language' must be a non-empty string",
        ),
        (
            '[[source]]\nname = "a"\nkind = "rss"\nurls = ["http://a"]\nmin_delay = true\n',
            "min_delay",
        ),
        (
            '[[source]]\nname = "a"\nkind = "sitemap"\nurls = ["http://a"]\nlisting = "http://x/"\n',
            "source 'a': 'listing' applies to warc sources only",
        ),
        ("source = [1]\n", "source #1: expected a table"),
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


def test_every_error_of_a_source_at_once(tmp_path: Path) -> None:
    body = (
        '[[source]]\nname = "a"\nkind = "rss"\nurls = ["${NOPE}/feed"]\nenabled = 1\n'
        'colour = "red"\nsize = 3\n'
    )
    with pytest.raises(ConfigError) as err:
        load_sources(write(tmp_path, body), env={})
    assert str(err.value) == (
        "source 'a': unknown field(s) colour, size;"
        " 'urls' references environment variable NOPE, which is not set;"
        " 'enabled' must be true or false"
    )


def test_tables_become_source_configs_with_kind_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[source]]\nname = "f"\nkind = "rss"\nurls = [" https://x.example/feed "]\n'
        'agency = " AP "\nmin_delay = 2\n'
        '[[source]]\nname = "g"\nkind = "gdelt"\nurls = ["http://data.example/gdeltv2/"]\n'
        'hosts = ["WWW.Example.com."]\nenabled = false\n',
    )
    feed, gdelt = load_sources(path, env={})
    assert feed == SourceConfig(
        name="f", kind="rss", urls=("https://x.example/feed",), agency="AP", min_delay=2.0
    )
    assert isinstance(feed.min_delay, float) and feed.live_only is True
    assert gdelt.hosts == ("www.example.com",) and gdelt.live_only is False
    assert source_by_name(Settings.from_env({"NEWSWIRE_SOURCES_FILE": str(path)}), "g") == gdelt


def test_every_kind_has_a_discoverer() -> None:
    assert KNOWN_KINDS == ("rss", "sitemap", "warc", "gdelt")
    for kind in KNOWN_KINDS:
        assert callable(discoverer(kind))
