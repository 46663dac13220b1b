"""The migrator: numbered SQL files of sql/ (package data), applied in order, each once."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, text

from newswire.db.engine import get_engine
from newswire.errors import MigrationError
from newswire.settings import Settings

log = logging.getLogger(__name__)

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


def checked_engine(engine: Engine | None, settings: Settings) -> Engine:
    """The given engine, else the resolved news database, checked to be migrated."""
    eng = engine if engine is not None else get_engine(settings)
    require_current(eng)
    return eng


def migrations_dir() -> Path:
    """The migrations: package data newswire/db/migrations (the checkout's sql/ folder)."""
    folder = resources.files("newswire.db") / "migrations"
    return Path(str(folder))


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
