"""`newswire run` and `newswire backfill`: ingestion cycles without a scheduler."""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newswire import query
from newswire.cli.common import console, fail, parse_when
from newswire.db.engine import get_engine
from newswire.db.migrate import upgrade
from newswire.errors import NewswireError
from newswire.models import Window
from newswire.run import pipeline
from newswire.run.windows import schedule_windows
from newswire.settings import Settings

log = logging.getLogger(__name__)

# The demo site's stories are all dated on this day (see newswire.demo.site.DEMO_DAY).
DEMO_WINDOW_DAYS = 1


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

            # The sources file's ${NEWSWIRE_DEMO_URL} must name the site served here.
            os.environ["NEWSWIRE_DEMO_URL"] = _demo_site(stack, settings.demo_url)
            names = names or ["demo-wire", "demo-courier"]
            start = datetime(*demosite.DEMO_DAY.timetuple()[:3], tzinfo=UTC)
            default = Window(start, start + timedelta(days=DEMO_WINDOW_DAYS))
        else:
            now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
            default = Window(now - timedelta(hours=1), now)
        try:
            window = Window(
                parse_when(since, "--since") if since else default.start,
                parse_when(until, "--until") if until else default.end,
            )
            engine = get_engine(settings)
            upgrade(engine)
            summary, failures = pipeline.run_once(
                window, source_names=names or None, settings=settings, engine=engine
            )
        except (NewswireError, ValueError) as exc:
            fail(exc)
            return
        _print_run(engine, summary["run_key"], headlines)
    if failures:
        for failure in failures:
            console.print(f"[bold red]discovery failed:[/] {failure}")
        raise typer.Exit(1)


def backfill(
    since: Annotated[str, typer.Option("--from", help="First window start (ISO, UTC if naive).")],
    until: Annotated[str, typer.Option("--to", help="End of the last window, exclusive.")],
    source: Annotated[list[str] | None, typer.Option(help="Only these sources.")] = None,
) -> None:
    """Run every scheduled window in [--from, --to) in order (NEWSWIRE_SCHEDULE, hourly)."""
    settings = Settings.from_env()
    cron = settings.schedule
    failures: list[str] = []
    totals: dict[str, int] = {"loaded": 0, "duplicates": 0, "failed": 0, "discovered": 0}
    try:
        windows = schedule_windows(cron, parse_when(since, "--from"), parse_when(until, "--to"))
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
        fail(exc)
        return
    console.print(
        f"{len(windows)} windows: discovered {totals['discovered']}, loaded {totals['loaded']},"
        f" duplicates {totals['duplicates']}, failed {totals['failed']}"
    )
    if failures:
        for failure in failures:
            console.print(f"[bold red]discovery failed:[/] {failure}")
        raise typer.Exit(1)


def _demo_site(stack: ExitStack, base: str) -> str:
    """Serve the demo site at base, a fixed port (URLs must stay the same from run to run)."""
    from urllib.parse import urlsplit

    import requests

    from newswire.demo import site as demosite

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
