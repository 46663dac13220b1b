"""Settings from NEWSWIRE_* variables: types, defaults, origins, errors; nothing else reads them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from newswire.errors import ConfigError
from newswire.fetch.http import FetchSettings
from newswire.run.cluster import worker_hostname
from newswire.settings import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_SCHEDULE,
    DEFAULT_SOURCES_FILE,
    MASK,
    Settings,
    limit_blas_threads,
    mask,
)

ROOT = Path(__file__).resolve().parents[1]

# Every variable, a valid value for it and the value the setting then has.
VALID = {
    "NEWSWIRE_DATABASE_URL": ("postgresql://u@h/db", "postgresql://u@h/db"),
    "NEWSWIRE_DATA_DIR": ("/srv/newswire/../state", Path("/srv/state")),
    "NEWSWIRE_SOURCES_FILE": ("my-sources.toml", Path("my-sources.toml")),
    "NEWSWIRE_SCHEDULE": ("0 0 * * *", "0 0 * * *"),
    "NEWSWIRE_TASK_RETRIES": ("0", 0),
    "NEWSWIRE_BATCH_SIZE": (" 250 ", 250),
    "NEWSWIRE_LOAD_BATCH_SIZE": ("100", 100),
    "NEWSWIRE_LOAD_AHEAD": ("off", False),
    "NEWSWIRE_DEMO_URL": ("http://127.0.0.1:9999", "http://127.0.0.1:9999"),
    "NEWSWIRE_USER_AGENT": ("bot/2 (+https://bot.example)", "bot/2 (+https://bot.example)"),
    "NEWSWIRE_CONNECT_TIMEOUT": ("1.5", 1.5),
    "NEWSWIRE_READ_TIMEOUT": ("7", 7.0),
    "NEWSWIRE_MAX_BYTES": ("2048", 2048),
    "NEWSWIRE_WORKER_HOSTNAME": ("worker1@host", "worker1@host"),
}

# Values each variable refuses.
INVALID = [
    ("NEWSWIRE_SCHEDULE", "every hour"),
    ("NEWSWIRE_TASK_RETRIES", "-1"),
    ("NEWSWIRE_BATCH_SIZE", "0"),
    ("NEWSWIRE_LOAD_BATCH_SIZE", "many"),
    ("NEWSWIRE_LOAD_AHEAD", "maybe"),
    ("NEWSWIRE_DEMO_URL", "127.0.0.1:8765"),
    ("NEWSWIRE_USER_AGENT", "bot\nX-Injected: 1"),
    ("NEWSWIRE_CONNECT_TIMEOUT", "inf"),
    ("NEWSWIRE_READ_TIMEOUT", "-3"),
    ("NEWSWIRE_MAX_BYTES", "1.5"),
]


def test_every_variable_is_a_setting_with_its_type() -> None:
    assert sorted(VALID) == sorted(Settings.variable(f) for f in Settings.model_fields)
    settings = Settings.from_env({name: raw for name, (raw, _) in VALID.items()})
    for name, (_, value) in VALID.items():
        field = name.removeprefix("NEWSWIRE_").lower()
        assert getattr(settings, field) == value, name
        assert settings.origin(field) == name


def test_defaults_and_their_origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSWIRE_BATCH_SIZE", "9")  # a dict stands for the whole environment
    settings = Settings.from_env({"NEWSWIRE_SCHEDULE": "", "newswire_max_bytes": "1"})
    assert settings == Settings()
    assert settings.data_dir == tmp_path.resolve() / ".data"
    assert settings.sources_file == DEFAULT_SOURCES_FILE
    assert (settings.batch_size, settings.schedule) == (DEFAULT_BATCH_SIZE, DEFAULT_SCHEDULE)
    assert settings.max_bytes == FetchSettings().max_bytes  # lower-case names are not read
    assert {settings.origin(f) for f in Settings.model_fields} == {"default"}
    assert Settings.from_env().batch_size == 9


@pytest.mark.parametrize(("name", "raw"), INVALID)
def test_a_bad_value_names_its_variable(name: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name}={re.escape(repr(raw))} is invalid: "):
        Settings.from_env({name: raw})


def test_every_bad_variable_is_named_at_once() -> None:
    with pytest.raises(ConfigError) as err:
        Settings.from_env({"NEWSWIRE_BATCH_SIZE": "x", "NEWSWIRE_MAX_BYTES": "y"})
    assert "NEWSWIRE_BATCH_SIZE='x'" in str(err.value)
    assert "NEWSWIRE_MAX_BYTES='y'" in str(err.value)


def test_settings_are_frozen() -> None:
    with pytest.raises(ValueError, match="frozen"):
        Settings().batch_size = 3  # type: ignore[misc]


def test_fetch_settings_come_from_the_settings() -> None:
    settings = Settings(user_agent="bot/3", max_bytes=10, connect_timeout=2.0, read_timeout=3.0)
    fetch = FetchSettings.from_settings(settings)
    assert (fetch.user_agent, fetch.max_bytes, fetch.connect_timeout, fetch.read_timeout) == (
        "bot/3",
        10,
        2.0,
        3.0,
    )
    assert FetchSettings.from_env({}) == FetchSettings()


def test_worker_hostname_from_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSWIRE_WORKER_HOSTNAME", "worker2@box")
    assert worker_hostname() == "worker2@box"
    monkeypatch.delenv("NEWSWIRE_WORKER_HOSTNAME")
    assert worker_hostname() not in ("", "worker2@box")


def test_mask_hides_passwords_and_secret_fields() -> None:
    url = "postgresql://news:p@ss/w0rd@db.example:5432/news"
    assert mask("database_url", url) == f"postgresql://news:{MASK}@db.example:5432/news"
    assert mask("urls", ("https://a:b@x.example/f", "https://x.example/g")) == (
        f"https://a:{MASK}@x.example/f",
        "https://x.example/g",
    )
    assert mask("urls", "https://user@x.example/f") == "https://user@x.example/f"
    for name in ("api_token", "password", "client_secret", "DB_PASSWORD"):
        assert mask(name, "plain") == MASK
    assert mask("batch_size", 7) == 7 and mask("api_token", None) is None


def test_blas_threads_capped_on_first_numpy_use_not_at_import() -> None:
    script = (
        "import os, sys\n"
        "import newswire.dedup.signatures as s\n"
        "print('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))\n"
        "s.band_hashes([1, 2, 3])\n"
        "print('numpy' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split("\n")[:2] == ["False None", "True 1"]
    preset = {"OPENBLAS_NUM_THREADS": "4"}
    limit_blas_threads(preset)
    assert preset == {"OPENBLAS_NUM_THREADS": "4"}


# Reads of NEWSWIRE_* variables: env.get("NEWSWIRE_…"), os.getenv("NEWSWIRE_…"),
# env["NEWSWIRE_…"] (not an assignment to it).
_ENV_READ = re.compile(
    r"(\.get|getenv|\.setdefault)\(\s*[\"']NEWSWIRE_"
    r"|\[\s*[\"']NEWSWIRE_\w+[\"']\s*\](?!\s*=[^=])"
)


def test_only_the_settings_module_reads_newswire_variables() -> None:
    assert _ENV_READ.search('cron = os.environ.get("NEWSWIRE_SCHEDULE") or DEFAULT')
    assert _ENV_READ.search('return sqlalchemy_url(env["NEWSWIRE_DATABASE_URL"])')
    assert not _ENV_READ.search('os.environ["NEWSWIRE_DEMO_URL"] = served')
    readers = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [*(ROOT / "plugins" / "newswire").rglob("*.py"), *(ROOT / "dags").glob("*.py")]
        if "settings" not in path.relative_to(ROOT).parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _ENV_READ.search(line)
    ]
    assert readers == []


def test_the_docs_list_every_variable() -> None:
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [v for v in map(Settings.variable, Settings.model_fields) if f"`{v}`" not in docs]
    assert missing == []
