"""Database resolution order and the tracked, forward-only migrator on a real PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from newswire.db.engine import (
    embedded_database_url,
    make_engine,
    resolve_database_url,
    sqlalchemy_url,
    stop_embedded,
)
from newswire.db.migrate import current_version, load_migrations, upgrade
from newswire.errors import ConfigError, MigrationError
from newswire.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_resolution_order_prefers_airflow_connection(tmp_path: Path) -> None:
    settings = Settings.from_env({"NEWSWIRE_DATA_DIR": str(tmp_path)})
    env = {
        "AIRFLOW_CONN_NEWS_DB": "postgresql://u:p@airflowhost:5432/news",
        "NEWSWIRE_DATABASE_URL": "postgresql://u:p@envhost/news",
    }
    assert "airflowhost" in resolve_database_url(settings, env)
    env.pop("AIRFLOW_CONN_NEWS_DB")
    assert resolve_database_url(settings, env).startswith("postgresql+psycopg2://u:p@envhost")


def test_airflow_connection_as_json(tmp_path: Path) -> None:
    settings = Settings.from_env({"NEWSWIRE_DATA_DIR": str(tmp_path)})
    value = json.dumps(
        {
            "conn_type": "postgres",
            "login": "news",
            "password": "s3cr@t",
            "host": "h",
            "port": 5433,
            "schema": "newswire",
        }
    )
    url = resolve_database_url(settings, {"AIRFLOW_CONN_NEWS_DB": value})
    assert url == "postgresql+psycopg2://news:s3cr%40t@h:5433/newswire"


def _connection_json(admin_url: str, extra: object) -> str:
    """AIRFLOW_CONN_NEWS_DB in JSON form for the test server, with the given extra."""
    url = make_url(admin_url)
    return json.dumps(
        {
            "conn_type": "postgres",
            "login": url.username,
            "password": url.password,
            "host": url.host or url.query.get("host"),  # a socket directory, if that
            "port": url.port,
            "schema": url.database,
            "extra": extra,
        }
    )


def _show(url: str, *settings: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [str(conn.execute(text(f"SHOW {name}")).scalar_one()) for name in settings]
    finally:
        engine.dispose()


@pytest.mark.parametrize("extra_as_string", [False, True])
def test_airflow_json_connection_extras_reach_the_engine(
    pg_server: str, tmp_path: Path, extra_as_string: bool
) -> None:
    settings = Settings.from_env({"NEWSWIRE_DATA_DIR": str(tmp_path)})
    extra = {
        "sslmode": "disable",
        "options": "-c search_path=newswire_x,public -c statement_timeout=12345",
        "application_name": "newswire-extra",
        "connect_timeout": 10,
        "cursor": "realdictcursor",  # the Airflow hook's, not libpq's: left out
    }
    value = _connection_json(pg_server, json.dumps(extra) if extra_as_string else extra)
    url = resolve_database_url(settings, {"AIRFLOW_CONN_NEWS_DB": value})
    query = make_url(url).query
    assert query["sslmode"] == "disable" and query["connect_timeout"] == "10"
    assert "cursor" not in query
    shown = _show(url, "search_path", "statement_timeout", "application_name", "timezone")
    assert shown == ["newswire_x,public", "12345ms", "newswire-extra", "UTC"]


def test_airflow_uri_connection_extras_reach_the_engine(pg_server: str, tmp_path: Path) -> None:
    """URI form: extras as query parameters, or as Airflow's __extra__ JSON."""
    from urllib.parse import urlencode

    settings = Settings.from_env({"NEWSWIRE_DATA_DIR": str(tmp_path)})
    admin = make_url(sqlalchemy_url(pg_server))
    base = admin.set(drivername="postgres", query={}).render_as_string(hide_password=False)
    socket = {"host": admin.query["host"]} if "host" in admin.query else {}
    plain = {**socket, "sslmode": "disable", "options": "-c application_name=newswire-uri"}
    nested = {**socket, "sslmode": "disable", "options": "-c search_path=a_schema"}
    for query, setting, expected in (
        (urlencode(plain), "application_name", "newswire-uri"),
        (
            urlencode({"__extra__": json.dumps({**nested, "keepalives": True})}),
            "search_path",
            "a_schema",
        ),
    ):
        url = resolve_database_url(settings, {"AIRFLOW_CONN_NEWS_DB": f"{base}?{query}"})
        assert make_url(url).query["sslmode"] == "disable"
        assert _show(url, setting, "timezone") == [expected, "UTC"]


def test_unknown_connection_extra_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings.from_env({"NEWSWIRE_DATA_DIR": str(tmp_path)})
    value = json.dumps({"conn_type": "postgres", "host": "h", "extra": {"sslmod": "disable"}})
    with pytest.raises(ConfigError, match="'sslmod' is not a libpq connection parameter"):
        resolve_database_url(settings, {"AIRFLOW_CONN_NEWS_DB": value})
    with pytest.raises(ConfigError, match="must be a JSON object"):
        resolve_database_url(settings, {"AIRFLOW_CONN_NEWS_DB": '{"host": "h", "extra": [1]}'})


def test_non_postgres_url_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings.from_env({"NEWSWIRE_DATA_DIR": str(tmp_path)})
    with pytest.raises(ConfigError, match="not a PostgreSQL URI"):
        resolve_database_url(settings, {"NEWSWIRE_DATABASE_URL": "mysql://x:y@h/db"})


def test_migrations_are_numbered_and_never_drop_tables() -> None:
    migrations = load_migrations(ROOT / "sql")
    assert [m.version for m in migrations] == sorted({m.version for m in migrations})
    assert migrations[0].version == 1
    for migration in migrations:
        assert not re.search(r"\bDROP\s+TABLE\b", migration.sql, re.IGNORECASE), migration.name


def test_migrations_are_package_data_in_the_wheel(tmp_path: Path) -> None:
    """An installed newswire (the Docker image) finds its migrations without a path setting."""
    import subprocess
    import sys
    import zipfile

    # uv (pinned in the lock) builds the wheel in an isolated environment, as pip in the image does.
    uv = Path(sys.executable).with_name("uv")
    subprocess.run(
        [str(uv), "build", "-q", "--wheel", "--out-dir", str(tmp_path), str(ROOT)], check=True
    )
    (wheel,) = tmp_path.glob("newswire-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.rsplit("/", 1)[1] for n in names if n.startswith("newswire/db/migrations/")}
    assert shipped == {p.name for p in (ROOT / "sql").glob("*.sql")}
    assert load_migrations() == load_migrations(ROOT / "sql")


def test_upgrade_is_idempotent_and_tracked(engine: Engine) -> None:
    # the template database was migrated already: nothing left to apply
    assert upgrade(engine) == []
    assert current_version(engine) == load_migrations()[-1].version
    with engine.connect() as conn:
        tables = set(
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
        )
    assert {"articles", "article_urls", "ingest_runs", "frontier", "raw_pages"} <= tables


def test_upgrade_applies_new_and_refuses_edited_migrations(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "sql"
    folder.mkdir()
    for migration in load_migrations():
        (folder / f"{migration.name}.sql").write_text(migration.sql, encoding="utf-8")
    (folder / "900_extra.sql").write_text("CREATE TABLE extra_t (id int);", encoding="utf-8")
    assert upgrade(engine, folder) == ["900_extra"]
    assert current_version(engine) == 900
    (folder / "900_extra.sql").write_text("CREATE TABLE extra_t (id bigint);", encoding="utf-8")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        upgrade(engine, folder)


def test_failed_migration_leaves_nothing_half_applied(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "sql"
    folder.mkdir()
    for migration in load_migrations():
        (folder / f"{migration.name}.sql").write_text(migration.sql, encoding="utf-8")
    (folder / "901_broken.sql").write_text(
        "CREATE TABLE half_t (id int); SELECT no_such_function();", encoding="utf-8"
    )
    with pytest.raises(Exception, match="no_such_function"):
        upgrade(engine, folder)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('half_t')")).scalar() is None
    assert current_version(engine) == load_migrations()[-1].version


def test_database_newer_than_code_is_refused(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'x', 'y')")
        )
    with pytest.raises(MigrationError, match="does not know"):
        upgrade(engine)


def test_pipeline_refuses_an_unmigrated_database(pg_server: str) -> None:
    from sqlalchemy import create_engine

    from newswire.run import pipeline

    name = "newswire_empty_check"
    admin = create_engine(sqlalchemy_url(pg_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    from sqlalchemy.engine import make_url

    url = make_url(sqlalchemy_url(pg_server)).set(database=name)
    empty = make_engine(url.render_as_string(hide_password=False))
    try:
        with pytest.raises(MigrationError, match="newswire db upgrade"):
            pipeline.plan_batches("run", ["s"], engine=empty)
        upgrade(empty)
        assert pipeline.plan_batches("run", ["s"], engine=empty) == [0]
    finally:
        empty.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.db  # starts an embedded server of its own
def test_embedded_server_holds_named_databases(tmp_path: Path) -> None:
    """`newswire db url --embedded airflow` is a database of its own, not the news database."""
    news = embedded_database_url(tmp_path)
    try:
        airflow = embedded_database_url(tmp_path, "airflow")
        assert make_url(news).database == "newswire"
        assert make_url(airflow).database == "airflow"
        engine = make_engine(sqlalchemy_url(airflow))
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT current_database()")).scalar_one() == "airflow"
        finally:
            engine.dispose()
    finally:
        stop_embedded(tmp_path)
