"""The settings: every NEWSWIRE_* variable, typed and validated (pydantic-settings).

The sources file's models live beside them, in newswire.settings.sources.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, NonNegativeInt, PositiveInt, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict
from pydantic_settings.sources import PydanticBaseSettingsSource

from newswire.errors import ConfigError

# The sources file shipped with the package; NEWSWIRE_SOURCES_FILE points elsewhere.
DEFAULT_SOURCES_FILE = Path(__file__).parents[1] / "sources.toml"

# Base URL of the bundled demo site, used by ${NEWSWIRE_DEMO_URL} in the sources file.
DEFAULT_DEMO_URL = "http://127.0.0.1:8765"

# Cron (UTC) of the newswire_ingest DAG and of `newswire backfill` windows: hourly.
DEFAULT_SCHEDULE = "0 * * * *"

# Retries of a failed DAG task (exponential backoff from 30 s, capped at 30 min).
DEFAULT_TASK_RETRIES = 3

# Frontier items per fetch task (one mapped task each) unless NEWSWIRE_BATCH_SIZE says
# otherwise. A task start costs seconds of Airflow latency and ~0.5 s of CPU, and past their
# batch the tasks share out the window's tail, so batches are large: 50 a batch halves the
# pages per second of 500 on a 2,000-page window (40 task starts instead of 4).
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
HTTP_URL = re.compile(r"^https?://[^/\s]+")


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
        if not HTTP_URL.match(value):
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
