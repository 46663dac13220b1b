"""`newswire stats|search|story|import|export`: what the news database holds, in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from newswire import query
from newswire.cli.common import console, fail, parse_when
from newswire.db.engine import get_engine
from newswire.db.migrate import upgrade
from newswire.errors import NewswireError


def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    since: Annotated[
        str | None, typer.Option(help="Per-source report from this UTC day (default: all).")
    ] = None,
) -> None:
    """Articles, aliases, sources and runs, the last run, and a report per source."""
    try:
        day = parse_when(since, "--since").date() if since else None
        engine = get_engine()
        data = query.stats(engine)
        data["per_source"] = query.source_report(engine, day)
    except NewswireError as exc:
        fail(exc)
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
            since=parse_when(since, "--since") if since else None,
            until=parse_when(until, "--until") if until else None,
            source=source,
            language=lang,
            per_story=not all_articles,
            limit=limit,
        )
    except NewswireError as exc:
        fail(exc)
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


def story_cmd(
    story_id: Annotated[int, typer.Argument(help="Story id (from search or latest_stories).")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """One story: its headline, every article and outlet, every URL and captured version."""
    try:
        data = query.story(get_engine(), story_id)
    except NewswireError as exc:
        fail(exc)
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
        fail(exc)
        return
    console.print(", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "no records")
    console.print(f"report: {report}")


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
        since=parse_when(since, "--since") if since else None,
        until=parse_when(until, "--until") if until else None,
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
        fail(exc)
        return
    if output is not None:
        console.print(f"exported {count} articles to {output}")
