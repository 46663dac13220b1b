"""`newswire config`: the effective settings, where each came from, and the enabled sources."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from newswire.cli.common import console, fail
from newswire.db.engine import CONNECTION_ID
from newswire.errors import NewswireError
from newswire.models import SourceConfig
from newswire.settings import Settings, mask
from newswire.settings.sources import enabled_sources

# The environment variable of the Airflow connection holding the news database.
CONNECTION_ENV = f"AIRFLOW_CONN_{CONNECTION_ID.upper()}"

# Source fields always shown in their own column (the others only when not the default).
SOURCE_COLUMNS = ("name", "kind", "urls")

# Shown for a setting without a value.
UNSET = "(unset)"


def _plain(value: Any) -> Any:
    """A value as JSON has it: paths as strings, tuples as lists."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _shown(value: Any) -> str:
    """A value in a table cell: strings as they are, others as JSON spells them."""
    if value is None:
        return UNSET
    return value if isinstance(value, str) else json.dumps(value)


def settings_report(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every setting: its (masked) value, its variable and where it came from."""
    return {
        name: {
            "value": mask(name, _plain(getattr(settings, name))),
            "variable": Settings.variable(name),
            "from": settings.origin(name),
        }
        for name in Settings.model_fields
    }


def database_report(settings: Settings) -> dict[str, str]:
    """Which news database commands would use, in the order db.engine resolves it."""
    if os.environ.get(CONNECTION_ENV):
        return {"database": f"the Airflow connection {CONNECTION_ID}", "from": CONNECTION_ENV}
    if settings.database_url:
        return {
            "database": mask("database_url", settings.database_url),
            "from": Settings.variable("database_url"),
        }
    return {
        "database": f"the embedded PostgreSQL under {settings.data_dir / 'pg'}",
        "from": "default",
    }


def source_report(source: SourceConfig) -> dict[str, Any]:
    """One source's fields, secrets masked."""
    return {name: mask(name, _plain(value)) for name, value in asdict(source).items()}


def config(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Print the effective settings (value, default or variable) and the enabled sources."""
    try:
        settings = Settings.from_env()
        sources = enabled_sources(settings)
    except NewswireError as exc:
        fail(exc)
        return
    report: dict[str, Any] = {
        "settings": settings_report(settings),
        "database": database_report(settings),
        "sources_file": str(settings.sources_file),
        "sources": [source_report(s) for s in sources],
    }
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(title="settings")
    for column in ("setting", "value", "from"):
        table.add_column(column, overflow="fold")
    for name, row in report["settings"].items():
        table.add_row(name, escape(_shown(row["value"])), row["from"])
    console.print(table)
    database = report["database"]
    console.print(f"news database: {escape(database['database'])} ({database['from']})")
    _print_sources(report["sources"], report["sources_file"])


def _print_sources(sources: list[dict[str, Any]], path: str) -> None:
    defaults = {f.name: f.default for f in fields(SourceConfig)}
    table = Table(title=f"enabled sources ({escape(path)})")
    for column in (*SOURCE_COLUMNS, "other fields"):
        table.add_column(column, overflow="fold")
    for source in sources:
        others = {
            k: v
            for k, v in source.items()
            if k not in (*SOURCE_COLUMNS, "enabled") and _plain(defaults.get(k)) != v
        }
        table.add_row(
            source["name"],
            source["kind"],
            escape("\n".join(source["urls"])),
            escape(", ".join(f"{k}={_shown(v)}" for k, v in others.items())),
        )
    console.print(table)
    if not sources:
        console.print("no enabled source")
