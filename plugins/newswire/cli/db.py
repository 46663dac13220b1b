"""`newswire db upgrade|url|stop`: the news database's schema and the embedded server."""

from __future__ import annotations

from typing import Annotated

import typer

from newswire.cli.common import console, fail
from newswire.db.engine import (
    embedded_database_url,
    get_engine,
    libpq_uri,
    resolve_database_url,
    sqlalchemy_url,
    stop_embedded,
)
from newswire.db.migrate import current_version, upgrade
from newswire.errors import NewswireError
from newswire.settings import Settings


def db_upgrade() -> None:
    """Apply pending schema migrations from sql/ (idempotent)."""
    try:
        engine = get_engine()
        applied = upgrade(engine)
        version = current_version(engine)
    except NewswireError as exc:
        fail(exc)
        return
    if applied:
        console.print(f"applied {len(applied)} migration(s): {', '.join(applied)}")
    console.print(f"schema at version {version}")


def db_url(
    embedded: Annotated[
        str | None,
        typer.Option(
            help="URL of this database in the embedded server instead (created if missing),"
            " e.g. 'airflow' for a local Airflow metadata DB."
        ),
    ] = None,
    sqlalchemy: Annotated[
        bool,
        typer.Option(
            "--sqlalchemy", help="Print SQLAlchemy's form (postgresql+psycopg2://) instead."
        ),
    ] = False,
) -> None:
    """Print the resolved database URL for psql and other libpq clients (postgresql://).

    Starts the embedded server if that is the choice.
    """
    settings = Settings.from_env()
    try:
        if embedded:
            url = sqlalchemy_url(embedded_database_url(settings.data_dir, embedded))
        else:
            url = resolve_database_url(settings)
    except NewswireError as exc:
        fail(exc)
        return
    typer.echo(url if sqlalchemy else libpq_uri(url))


def db_stop() -> None:
    """Stop the embedded PostgreSQL server under the data directory, if it runs."""
    settings = Settings.from_env()
    stopped = stop_embedded(settings.data_dir)
    console.print("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL not running")
