"""Settings from the environment and the sources file (loader and validator)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newswire.errors import ConfigError
from newswire.models import SourceConfig

# The sources file shipped with the package; NEWSWIRE_SOURCES_FILE points elsewhere.
DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.toml")

# Source kinds with a discover() implementation in newswire.discover.
KNOWN_KINDS = ("rss", "sitemap", "warc", "gdelt")

# Kinds that list only recent items: their default is live_only = true.
LIVE_KINDS = frozenset({"rss"})

# A host name in a source's 'hosts' list (no scheme, path or port).
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$"
)

# Base URL of the bundled demo site, used by ${NEWSWIRE_DEMO_URL} in the sources file.
DEFAULT_DEMO_URL = "http://127.0.0.1:8765"

# ${VAR} or ${VAR:-default} inside string values of the sources file.
_ENV_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")

# Source names become keys in the database and the Airflow UI: keep them simple.
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


# Frontier items per fetch task (one mapped task each) unless NEWSWIRE_BATCH_SIZE says
# otherwise. A task start costs seconds of Airflow latency and ~0.5 s of CPU, and past their
# batch the tasks share out the window's tail, so batches are large: with 50, a 2,000-page
# window ran at half the rate of 500 (40 tasks instead of 4 on a 2-core machine).
DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class Settings:
    """Process-wide settings read from the environment (no singletons: pass it along)."""

    data_dir: Path  # embedded PostgreSQL and other local state
    sources_file: Path
    batch_size: int  # frontier items claimed by one fetch task
    load_batch_size: int  # staged articles loaded in one transaction
    load_ahead: bool = True  # fetch tasks load the run's finished load batches as they go

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read NEWSWIRE_* variables, with defaults for a local checkout."""
        env = os.environ if env is None else env
        return cls(
            data_dir=Path(env.get("NEWSWIRE_DATA_DIR") or Path.cwd() / ".data").resolve(),
            sources_file=Path(env.get("NEWSWIRE_SOURCES_FILE") or DEFAULT_SOURCES_FILE),
            batch_size=_positive_int(env, "NEWSWIRE_BATCH_SIZE", DEFAULT_BATCH_SIZE),
            load_batch_size=_positive_int(env, "NEWSWIRE_LOAD_BATCH_SIZE", 500),
            load_ahead=_flag(env, "NEWSWIRE_LOAD_AHEAD", True),
        )


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a positive integer, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be a positive integer, got {raw!r}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), got {env[name]!r}")


def _expand(value: str, env: Mapping[str, str]) -> str:
    """Replace ${VAR} and ${VAR:-default} references by environment values."""

    def sub(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env and env[name] != "":
            return env[name]
        if default is not None:
            return default
        if name == "NEWSWIRE_DEMO_URL":
            return DEFAULT_DEMO_URL
        raise ConfigError(f"environment variable {name} is referenced but not set")

    return _ENV_REF.sub(sub, value)


def _source_from_table(
    table: Mapping[str, Any], index: int, env: Mapping[str, str]
) -> SourceConfig:
    """Validate one [[source]] table into a SourceConfig, naming the bad field."""
    name = table.get("name")
    where = f"source #{index + 1}" if not isinstance(name, str) else f"source {name!r}"
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{where}: 'name' must match {_NAME.pattern}")
    allowed = {f.name for f in fields(SourceConfig)}
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    kind = table.get("kind")
    if kind not in KNOWN_KINDS:
        raise ConfigError(f"{where}: 'kind' must be one of {', '.join(KNOWN_KINDS)}, got {kind!r}")
    expanded = _urls(table, kind, where, env)
    kwargs: dict[str, Any] = {"name": name, "kind": kind, "urls": expanded}
    kwargs["live_only"] = kind in LIVE_KINDS
    kwargs.update(_kind_fields(table, kind, where, env))
    if kind == "warc" and not (expanded or kwargs.get("paths") or kwargs.get("listing")):
        raise ConfigError(f"{where}: a warc source needs 'urls', 'paths' or 'listing'")
    for key, typ in (
        ("enabled", bool),
        ("allow_private", bool),
        ("live_only", bool),
    ):
        if key in table:
            if not isinstance(table[key], typ):
                raise ConfigError(f"{where}: {key!r} must be true or false")
            kwargs[key] = table[key]
    for key in ("language", "agency", "user_agent", "timezone"):
        if key in table:
            if not isinstance(table[key], str) or not table[key].strip():
                raise ConfigError(f"{where}: {key!r} must be a non-empty string")
            kwargs[key] = table[key].strip()
    if "timezone" in kwargs:
        try:
            ZoneInfo(kwargs["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{where}: 'timezone' {kwargs['timezone']!r} is not a known IANA zone"
            ) from None
    if "min_delay" in table:
        delay = table["min_delay"]
        if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
            raise ConfigError(f"{where}: 'min_delay' must be a number of seconds >= 0")
        kwargs["min_delay"] = float(delay)
    return SourceConfig(**kwargs)


def _string_list(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    """A list of non-empty strings, or ConfigError naming the field."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: {key!r} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _urls(
    table: Mapping[str, Any], kind: str, where: str, env: Mapping[str, str]
) -> tuple[str, ...]:
    """The source's URLs: http(s) for every kind, also file:// (globs allowed) for warc."""
    if kind != "warc" and (not isinstance(table.get("urls"), list) or not table.get("urls")):
        raise ConfigError(f"{where}: 'urls' must be a non-empty list of strings")
    expanded = tuple(_expand(u, env) for u in _string_list(table, "urls", where))
    schemes = r"^(https?://[^/\s]+|file://)" if kind == "warc" else r"^https?://[^/\s]+"
    for url in expanded:
        if not re.match(schemes, url):
            kinds = "an http(s) or file://" if kind == "warc" else "an http(s)"
            raise ConfigError(f"{where}: 'urls' entry {url!r} is not {kinds} URL")
    return expanded


def _kind_fields(
    table: Mapping[str, Any], kind: str, where: str, env: Mapping[str, str]
) -> dict[str, Any]:
    """Validate the fields only some kinds use: hosts (warc, gdelt), paths and listing (warc)."""
    out: dict[str, Any] = {}
    if "hosts" in table:
        if kind not in ("warc", "gdelt"):
            raise ConfigError(f"{where}: 'hosts' applies to warc and gdelt sources only")
        hosts = [h.lower().rstrip(".") for h in _string_list(table, "hosts", where)]
        for host in hosts:
            if not _HOST.match(host):
                raise ConfigError(f"{where}: 'hosts' entry {host!r} is not a host name")
        out["hosts"] = tuple(hosts)
    for key in ("paths", "listing"):
        if key in table and kind != "warc":
            raise ConfigError(f"{where}: {key!r} applies to warc sources only")
    if "paths" in table:
        out["paths"] = tuple(_expand(p, env) for p in _string_list(table, "paths", where))
    if "listing" in table:
        listing = table["listing"]
        if not isinstance(listing, str) or not re.match(r"^https?://[^/\s]+/", listing):
            raise ConfigError(f"{where}: 'listing' must be an http(s) URL of warc.paths.gz")
        listing = _expand(listing, env)
        try:
            listing.format(year="2026", month="01")
        except (KeyError, IndexError, ValueError):
            raise ConfigError(
                f"{where}: 'listing' may only use the {{year}} and {{month}} placeholders"
            ) from None
        out["listing"] = listing
    return out


def load_sources(path: Path, env: Mapping[str, str] | None = None) -> tuple[SourceConfig, ...]:
    """Load and validate every source declared in a TOML sources file."""
    env = os.environ if env is None else env
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"sources file {path} is not valid TOML: {exc}") from None
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"sources file {path}: expected at least one [[source]] table")
    sources = tuple(_source_from_table(t, i, env) for i, t in enumerate(tables))
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError(f"sources file {path}: source {source.name!r} is declared twice")
        seen.add(source.name)
    return sources


def enabled_sources(settings: Settings, names: list[str] | None = None) -> list[SourceConfig]:
    """Enabled sources of the configured file, or exactly the named ones (enabled or not)."""
    sources = load_sources(settings.sources_file)
    if names:
        by_name = {s.name: s for s in sources}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise ConfigError(f"unknown source(s) {', '.join(missing)} in {settings.sources_file}")
        return [by_name[n] for n in names]
    return [s for s in sources if s.enabled]


def source_by_name(settings: Settings, name: str) -> SourceConfig:
    """One source of the configured file by name."""
    return enabled_sources(settings, [name])[0]
