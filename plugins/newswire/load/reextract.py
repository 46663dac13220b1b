"""Re-extraction: stored raw pages through the current extractor, without refetching."""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from newswire.db.engine import get_engine
from newswire.db.migrate import upgrade
from newswire.dedup import decide
from newswire.errors import ConfigError, ExtractionRejected
from newswire.extract import extract_article
from newswire.load import store
from newswire.models import (
    EXTRACTED_COLUMNS,
    Article,
    Page,
    SourceConfig,
    Window,
    article_columns,
)
from newswire.settings import Settings
from newswire.settings.sources import load_sources

logger = logging.getLogger(__name__)

# Articles re-extracted per transaction.
BATCH_SIZE = 100

# Columns of articles that the extractor's output fills (canonical_url, the row's identity,
# is never rewritten).
OUTPUT_COLUMNS = EXTRACTED_COLUMNS

# The articles of a window with their stored page and its latest fetch (if recorded).
_OUTPUT_SELECT = ", ".join(f"a.{c}" for c in OUTPUT_COLUMNS)
_SELECT = text(
    f"""
    SELECT a.id, a.source, a.canonical_url, a.extractor_version, {_OUTPUT_SELECT},
           r.body_zlib, r.content_type, r.encoding, r.first_fetched,
           f.url AS fetch_url, f.final_url, f.status, f.fetched_at
    FROM articles a
    JOIN raw_pages r ON r.sha256 = a.page_sha256
    LEFT JOIN LATERAL (
        SELECT url, final_url, status, fetched_at FROM page_fetches p
        WHERE p.sha256 = a.page_sha256 ORDER BY fetched_at DESC LIMIT 1
    ) f ON true
    WHERE coalesce(a.published_at, a.first_seen) >= :since
      AND coalesce(a.published_at, a.first_seen) < :until
      AND a.id > :after
    ORDER BY a.id
    LIMIT :n
    """
)


def _page(row: Any) -> Page:
    """The fetched Page rebuilt from the archive (canonical URL when no fetch was recorded)."""
    url = row.fetch_url or row.canonical_url
    return Page(
        url=url,
        final_url=row.final_url or url,
        status=row.status or 200,
        content_type=row.content_type,
        body=zlib.decompress(row.body_zlib),
        fetched_at=row.fetched_at or row.first_fetched,
        encoding=row.encoding,
    )


def _source(by_name: dict[str, SourceConfig], name: str) -> SourceConfig:
    """The article's source configuration, or defaults when it is no longer configured."""
    source = by_name.get(name)
    if source is None:
        logger.warning("source %s is not configured: re-extracting with defaults", name)
        source = SourceConfig(name=name, kind="rss", urls=())
        by_name[name] = source
    return source


def _batch(conn: Connection, rows: Sequence[Any], by_name: dict[str, SourceConfig]) -> Counter[str]:
    """Re-extract one batch of articles inside the caller's transaction."""
    counts: Counter[str] = Counter()
    rewrites: list[tuple[int, Article]] = []
    for row in rows:
        counts["examined"] += 1
        try:
            article = extract_article(_page(row), _source(by_name, row.source))
        except ExtractionRejected as exc:
            logger.warning("re-extraction of article %d rejected: %s", row.id, exc)
            counts["rejected"] += 1
            continue
        values = article_columns(article)
        if all(getattr(row, c) == values[c] for c in OUTPUT_COLUMNS):
            counts["unchanged"] += 1
        else:
            rewrites.append((row.id, article))
    for result in store.rewrite_articles(conn, rewrites):
        if result.outcome == decide.CONFLICT:
            logger.warning(
                "re-extracted article %d now duplicates another: kept", result.article_id
            )
            counts["conflicts"] += 1
        else:
            counts["changed"] += 1
    return counts


def reextract(
    engine: Engine,
    since: datetime,
    until: datetime,
    *,
    sources: Sequence[SourceConfig] | None = None,
    settings: Settings | None = None,
) -> dict[str, int]:
    """Re-extract the articles published in [since, until); rewrite only those that changed."""
    window = Window(since, until)
    if sources is None:
        settings = settings or Settings.from_env()
        sources = load_sources(settings.sources_file)
    by_name = {s.name: s for s in sources}
    counts: Counter[str] = Counter()
    after = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                _SELECT,
                {"since": window.start, "until": window.end, "after": after, "n": BATCH_SIZE},
            ).all()
            if not rows:
                break
            counts.update(_batch(conn, rows, by_name))
        after = rows[-1].id
    result = {k: counts[k] for k in ("examined", "changed", "unchanged", "rejected", "conflicts")}
    logger.info("re-extraction %s: %s", window, result)
    return result


def _when(value: object, name: str) -> datetime:
    """An ISO date or datetime parameter (UTC when naive)."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not an ISO date or datetime") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def run_from_params(since: object, until: object) -> dict[str, int]:
    """Re-extract [since, until) given as ISO strings (the DAG's params) on the configured DB."""
    settings = Settings.from_env()
    engine = get_engine(settings)
    upgrade(engine)
    try:
        return reextract(engine, _when(since, "since"), _when(until, "until"), settings=settings)
    finally:
        engine.dispose()
