"""The sources file: one pydantic model per kind of [[source]] table, errors naming the source
and the field, and the SourceConfig each table becomes."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from newswire.errors import ConfigError
from newswire.models import SourceConfig
from newswire.settings import DEFAULT_DEMO_URL, HTTP_URL, Settings

# Source names become keys in the database and the Airflow UI: keep them simple.
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"

# A host name in a source's 'hosts' list (no scheme, path or port).
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$"
)

# ${VAR} or ${VAR:-default} inside string values of the sources file.
_ENV_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")

# A CC-NEWS listing URL (before ${VAR} expansion): http(s), a host and a path.
_LISTING = re.compile(r"^https?://[^/\s]+/")

# A non-empty string, surrounding whitespace stripped.
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]


def _expand(value: str, info: ValidationInfo) -> str:
    """Replace ${VAR} and ${VAR:-default} by values of the environment given as context."""
    env: Mapping[str, str] = info.context["env"] if info.context else os.environ

    def sub(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env and env[name] != "":
            return env[name]
        if default is not None:
            return default
        if name == "NEWSWIRE_DEMO_URL":
            return DEFAULT_DEMO_URL
        raise ValueError(f"references environment variable {name}, which is not set")

    return _ENV_REF.sub(sub, value)


def _host(value: str) -> str:
    host = value.lower().rstrip(".")
    if not _HOST.match(host):
        raise ValueError(f"entry {host!r} is not a host name")
    return host


class _Source(BaseModel):
    """The fields of every kind of source (one [[source]] table)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The URLs a kind reads, and how an error calls them.
    URL_PATTERN: ClassVar[re.Pattern[str]] = HTTP_URL
    URL_WORDS: ClassVar[str] = "an http(s) URL"

    name: Annotated[StrictStr, Field(pattern=NAME_PATTERN)]
    urls: Annotated[tuple[Text, ...], Field(min_length=1)]
    enabled: StrictBool = True
    language: Text | None = None
    timezone: Text = "UTC"
    agency: Text | None = None
    allow_private: StrictBool = False
    min_delay: Annotated[float, Strict(), Field(ge=0)] = 1.0
    user_agent: Text | None = None
    live_only: StrictBool = False

    @field_validator("urls")
    @classmethod
    def _urls(cls, urls: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        expanded = tuple(_expand(u, info) for u in urls)
        for url in expanded:
            if not cls.URL_PATTERN.match(url):
                raise ValueError(f"entry {url!r} is not {cls.URL_WORDS}")
        return expanded

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a known IANA zone") from None
        return value


class RssSource(_Source):
    """An RSS or Atom feed: it lists only recent items, so it is live-only by default."""

    kind: Literal["rss"]
    live_only: StrictBool = True


class SitemapSource(_Source):
    """Sitemaps, sitemap indexes and Google News sitemaps."""

    kind: Literal["sitemap"]


class WarcSource(_Source):
    """WARC files: local paths or globs, http(s) or file:// URLs, or a CC-NEWS listing."""

    URL_PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^(https?://[^/\s]+|file://)")
    URL_WORDS: ClassVar[str] = "an http(s) or file:// URL"

    kind: Literal["warc"]
    urls: tuple[Text, ...] = ()
    hosts: tuple[Annotated[Text, AfterValidator(_host)], ...] = ()
    paths: tuple[Text, ...] = ()
    listing: StrictStr | None = None

    @field_validator("paths")
    @classmethod
    def _paths(cls, paths: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        return tuple(_expand(p, info) for p in paths)

    @field_validator("listing")
    @classmethod
    def _listing(cls, listing: str | None, info: ValidationInfo) -> str | None:
        if listing is None:
            return None
        if not _LISTING.match(listing):
            raise ValueError("must be an http(s) URL of warc.paths.gz")
        listing = _expand(listing, info)
        try:
            listing.format(year="2026", month="01")
        except (KeyError, IndexError, ValueError):
            raise ValueError("may only use the {year} and {month} placeholders") from None
        return listing

    @model_validator(mode="after")
    def _something_to_read(self) -> WarcSource:
        if not (self.urls or self.paths or self.listing):
            raise ValueError("a warc source needs 'urls', 'paths' or 'listing'")
        return self


class GdeltSource(_Source):
    """GDELT 2.0 15-minute exports (base URL of the files), filtered to hosts."""

    kind: Literal["gdelt"]
    hosts: tuple[Annotated[Text, AfterValidator(_host)], ...] = ()


# The model of each kind; each kind has a discover() implementation in newswire.discover.
SOURCE_MODELS: dict[str, type[_Source]] = {
    "rss": RssSource,
    "sitemap": SitemapSource,
    "warc": WarcSource,
    "gdelt": GdeltSource,
}
KNOWN_KINDS = tuple(SOURCE_MODELS)

# What a field must be, for errors pydantic words by type; (field, error type) first.
_EXPECTED: dict[str | tuple[str, str], str] = {
    ("urls", "too_short"): "must be a non-empty list of strings",
    ("urls", "missing"): "must be a non-empty list of strings",
    "name": f"must match {NAME_PATTERN}",
    "urls": "must be a list of non-empty strings",
    "hosts": "must be a list of non-empty strings",
    "paths": "must be a list of non-empty strings",
    "listing": "must be an http(s) URL of warc.paths.gz",
    "min_delay": "must be a number of seconds >= 0",
    **dict.fromkeys(("enabled", "allow_private", "live_only"), "must be true or false"),
    **dict.fromkeys(("language", "timezone", "agency", "user_agent"), "must be a non-empty string"),
}


def _source_problems(exc: ValidationError) -> list[str]:
    """Each error of one source's table, worded with the field it is about."""
    problems, unknown = [], []
    for error in exc.errors(include_url=False):
        field = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "extra_forbidden":
            owners = [k for k, m in SOURCE_MODELS.items() if field in m.model_fields]
            if not owners:
                unknown.append(field)
                continue
            problems.append(f"{field!r} applies to {' and '.join(owners)} sources only")
        elif error["type"] == "value_error":
            reason = str(error["ctx"]["error"])
            problems.append(f"{field!r} {reason}" if field else reason)
        else:
            expected = _EXPECTED.get((field, error["type"])) or _EXPECTED.get(field)
            problems.append(f"{field!r} {expected or error['msg']}")
    if unknown:
        problems.insert(0, f"unknown field(s) {', '.join(sorted(unknown))}")
    return problems


def _source_from_table(table: Any, index: int, env: Mapping[str, str]) -> SourceConfig:
    """Validate one [[source]] table into a SourceConfig, naming the source and the field."""
    name = table.get("name") if isinstance(table, dict) else None
    where = f"source {name!r}" if isinstance(name, str) else f"source #{index + 1}"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    kind = table.get("kind")
    model = SOURCE_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ConfigError(f"{where}: 'kind' must be one of {', '.join(KNOWN_KINDS)}, got {kind!r}")
    try:
        source = model.model_validate(table, context={"env": env})
    except ValidationError as exc:
        raise ConfigError(f"{where}: {'; '.join(_source_problems(exc))}") from None
    return SourceConfig(**source.model_dump())


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
