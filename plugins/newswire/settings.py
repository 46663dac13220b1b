"""The one settings module: every NEWSWIRE_* variable, typed and validated (pydantic-settings),
and the sources file (pydantic models of its [[source]] tables)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    Strict,
    StrictBool,
    StrictStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict
from pydantic_settings.sources import PydanticBaseSettingsSource

from newswire.errors import ConfigError
from newswire.models import SourceConfig

# The sources file shipped with the package; NEWSWIRE_SOURCES_FILE points elsewhere.
DEFAULT_SOURCES_FILE = Path(__file__).with_name("sources.toml")

# Base URL of the bundled demo site, used by ${NEWSWIRE_DEMO_URL} in the sources file.
DEFAULT_DEMO_URL = "http://127.0.0.1:8765"

# Cron (UTC) of the newswire_ingest DAG and of `newswire backfill` windows: hourly.
DEFAULT_SCHEDULE = "0 * * * *"

# Retries of a failed DAG task (exponential backoff from 30 s, capped at 30 min).
DEFAULT_TASK_RETRIES = 3

# Frontier items per fetch task (one mapped task each) unless NEWSWIRE_BATCH_SIZE says
# otherwise. A task start costs seconds of Airflow latency and ~0.5 s of CPU, and past their
# batch the tasks share out the window's tail, so batches are large: with 50, a 2,000-page
# window ran at half the rate of 500 (40 tasks instead of 4 on a 2-core machine).
DEFAULT_BATCH_SIZE = 500

# Staged articles loaded in one transaction.
DEFAULT_LOAD_BATCH_SIZE = 500

# Sent when neither the source nor the environment overrides it.
DEFAULT_USER_AGENT = "newswire/0.1 (+https://github.com/newswire)"
# Seconds to establish a TCP/TLS connection.
DEFAULT_CONNECT_TIMEOUT = 5.0
# Seconds to wait between two reads from the socket (not a total deadline).
DEFAULT_READ_TIMEOUT = 20.0
# Largest body kept, in bytes (after content decoding); larger responses are refused.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# Prefix of the environment variables of the settings.
ENV_PREFIX = "NEWSWIRE_"

# Seconds of a timeout: positive and finite.
Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]

# OpenBLAS threads per process: newswire scales by processes (Airflow tasks) and does no linear
# algebra, and OpenBLAS's thread pool, started when numpy is imported, would only cost each
# task process ~0.1 s of CPU. An OPENBLAS_NUM_THREADS already set is kept.
BLAS_THREADS = "1"

# Values of settings or fields named like this are never shown (`newswire config`, errors).
SECRET_NAME = re.compile(r"password|secret|token", re.IGNORECASE)

# The password of a URL's user info (scheme://user:password@host), masked wherever shown.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]*):[^\s]*@", re.IGNORECASE)

# What a masked value shows instead.
MASK = "****"

# An http(s) URL with a host (the demo site's base URL, sources' URLs).
_HTTP_URL = re.compile(r"^https?://[^/\s]+")


def mask(name: str, value: Any) -> Any:
    """value as it may be shown: MASK for secret-named fields, URL passwords masked."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if SECRET_NAME.search(name):
        return MASK
    if isinstance(value, tuple | list):
        return type(value)(mask(name, v) for v in value)
    return _URL_PASSWORD.sub(rf"\g<head>:{MASK}@", str(value))


def limit_blas_threads(environ: MutableMapping[str, str] | None = None) -> None:
    """Cap OpenBLAS's thread pool (call before numpy is first imported); a set value is kept."""
    (os.environ if environ is None else environ).setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)


class _EnvironSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping instead of os.environ."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {  # NEWSWIRE_ names as given (upper case), looked up in lower case
            k.lower(): v
            for k, v in self._environ.items()
            if k.startswith(ENV_PREFIX) and k.isupper() and not (self.env_ignore_empty and v == "")
        }


class Settings(BaseSettings):
    """Process-wide settings (no singletons: build with from_env and pass it along)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,  # field batch_size: variable NEWSWIRE_BATCH_SIZE
        env_ignore_empty=True,  # NEWSWIRE_X= (empty) means the default
        validate_default=True,
        frozen=True,
        extra="forbid",
    )

    database_url: str | None = None  # news database URI, when there is no news_db connection
    data_dir: Path = Path(".data")  # embedded PostgreSQL (pg/) and local state; made absolute
    sources_file: Path = DEFAULT_SOURCES_FILE
    schedule: str = DEFAULT_SCHEDULE  # cron (UTC) of newswire_ingest and `newswire backfill`
    task_retries: NonNegativeInt = DEFAULT_TASK_RETRIES  # of a failed DAG task
    batch_size: PositiveInt = DEFAULT_BATCH_SIZE  # frontier items claimed by one fetch task
    load_batch_size: PositiveInt = DEFAULT_LOAD_BATCH_SIZE  # articles per load transaction
    load_ahead: bool = True  # fetch tasks load the run's finished load batches as they go
    demo_url: str = DEFAULT_DEMO_URL  # ${NEWSWIRE_DEMO_URL} in the sources file
    user_agent: str = DEFAULT_USER_AGENT  # a source's user_agent overrides it
    connect_timeout: Seconds = DEFAULT_CONNECT_TIMEOUT
    read_timeout: Seconds = DEFAULT_READ_TIMEOUT
    max_bytes: PositiveInt = DEFAULT_MAX_BYTES
    worker_hostname: str | None = None  # what task instances record (scripts/cluster.sh sets it)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only the values given: from_env reads the environment (no .env, no secrets dir)."""
        return (init_settings,)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read NEWSWIRE_* variables from env (default os.environ); ConfigError names a bad one."""
        environ = os.environ if env is None else env
        try:
            return cls(**_EnvironSource(cls, environ)())
        except ValidationError as exc:
            raise ConfigError(_settings_problems(exc, environ)) from None

    @classmethod
    def variable(cls, field: str) -> str:
        """The environment variable of a field (batch_size: NEWSWIRE_BATCH_SIZE)."""
        if field not in cls.model_fields:
            raise KeyError(field)
        return ENV_PREFIX + field.upper()

    def origin(self, field: str) -> str:
        """Where a field's value came from: its environment variable, or "default"."""
        return self.variable(field) if field in self.model_fields_set else "default"

    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.resolve()

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        from croniter import croniter

        if not croniter.is_valid(value):
            raise ValueError("not a cron expression")
        return value

    @field_validator("demo_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not _HTTP_URL.match(value):
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("user_agent")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if not value or any(c in value for c in "\r\n"):
            raise ValueError("must be a non-empty single line")
        return value


def _settings_problems(exc: ValidationError, environ: Mapping[str, str]) -> str:
    """One line naming each bad variable, its (masked) value and what is wrong with it."""
    problems = []
    for error in exc.errors(include_url=False):
        variable = Settings.variable(str(error["loc"][0])) if error["loc"] else "NEWSWIRE_*"
        reason = str(error["ctx"]["error"]) if error["type"] == "value_error" else error["msg"]
        shown = mask(variable, environ.get(variable, ""))
        problems.append(f"{variable}={shown!r} is invalid: {reason}")
    return "; ".join(problems)


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
    URL_PATTERN: ClassVar[re.Pattern[str]] = _HTTP_URL
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
