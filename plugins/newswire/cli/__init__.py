"""The `newswire` command line (typer): db, run, backfill, stats, search, story, extract,
reextract, import, export, config."""

from __future__ import annotations

from typing import Annotated

import typer

from newswire.cli import config, data, db, extract, run
from newswire.cli.common import setup_logging

app = typer.Typer(
    help="newswire: scheduled news ingestion into PostgreSQL.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold database passwords
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    """newswire command line."""
    setup_logging(verbose)


db_app.command("upgrade")(db.db_upgrade)
db_app.command("url")(db.db_url)
db_app.command("stop")(db.db_stop)

app.command("run")(run.run)
app.command("backfill")(run.backfill)
app.command("stats")(data.stats)
app.command("search")(data.search)
app.command("story")(data.story_cmd)
app.command("extract")(extract.extract_files)
app.command("reextract")(extract.reextract)
app.command("import")(data.import_)
app.command("export")(data.export)
app.command("config")(config.config)
