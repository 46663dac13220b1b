"""`newswire extract` and `newswire reextract`: the extractor on local files, stored pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import typer

from newswire.cli.common import console, fail, parse_when
from newswire.db.engine import get_engine
from newswire.db.migrate import upgrade
from newswire.errors import NewswireError
from newswire.models import Page, SourceConfig, article_to_payload
from newswire.settings import Settings
from newswire.settings.sources import source_by_name

# Base URL given to local files extracted without --url (relative links resolve against it).
LOCAL_URL = "http://localhost/local"


def extract_files(
    files: Annotated[list[Path], typer.Argument(help="Local HTML files.", exists=True)],
    url: Annotated[
        str | None, typer.Option(help="URL the page was fetched from (default: LOCAL_URL/name).")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Configured source whose defaults apply.")
    ] = None,
) -> None:
    """Print the normalised article of each HTML file as one JSON object per line."""
    from newswire.errors import ExtractionRejected
    from newswire.extract import extract_article

    try:
        config_source = (
            source_by_name(Settings.from_env(), source)
            if source
            else SourceConfig(name="local", kind="file", urls=())
        )
    except NewswireError as exc:
        fail(exc)
        return
    rejected = 0
    for path in files:
        page_url = url or f"{LOCAL_URL}/{quote(path.name)}"
        page = Page(
            url=page_url,
            final_url=page_url,
            status=200,
            content_type="text/html",
            body=path.read_bytes(),
            fetched_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        )
        try:
            article = extract_article(page, config_source)
        except ExtractionRejected as exc:
            rejected += 1
            record: dict[str, Any] = {"file": str(path), "rejected": exc.reason, "error": str(exc)}
        else:
            record = {"file": str(path), **article_to_payload(article)}
            record["word_count"] = article.word_count
        typer.echo(json.dumps(record, ensure_ascii=False, default=str))
    if rejected:
        raise typer.Exit(1)


def reextract(
    since: Annotated[str, typer.Option(help="Published from (ISO, UTC if naive).")],
    until: Annotated[str, typer.Option(help="Published before (exclusive).")],
) -> None:
    """Re-extract stored raw pages with the current extractor; rewrite only changed articles."""
    from newswire.load.reextract import reextract as run_reextract

    try:
        engine = get_engine()
        upgrade(engine)
        counts = run_reextract(engine, parse_when(since, "--since"), parse_when(until, "--until"))
    except (NewswireError, ValueError) as exc:
        fail(exc)
        return
    console.print(" ".join(f"{k}={v}" for k, v in counts.items()))
