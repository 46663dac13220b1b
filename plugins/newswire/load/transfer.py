"""Import pre-extracted articles (JSONL) through clean → dedup → load; export articles."""

from __future__ import annotations

import csv
import json
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, text

from newswire.clean.agencies import agency_name
from newswire.clean.lines import clean_paragraphs
from newswire.errors import PermanentError
from newswire.extract.dates import parse_datetime
from newswire.fetch.urls import canonicalize_url
from newswire.load import store
from newswire.models import Article, ensure_utc

log = logging.getLogger(__name__)

# Records dedup'ed and written per transaction.
IMPORT_BATCH = 500

# Export rows fetched from the server per round trip (memory stays flat on any table size).
EXPORT_FETCH = 1000

# Extractor version recorded on imported articles.
IMPORT_VERSION = "import-1"

# Record fields read into columns; every other field is kept in articles.extra.
_KNOWN_FIELDS = frozenset(
    {"id", "url", "canonical_url", "title", "body", "paragraphs", "published_at", "source"}
    | {"language", "agency", "authors", "description"}
)

# Outcome of a record that could not be imported.
REJECTED = "rejected"

EXPORT_COLUMNS = (
    "id",
    "story_id",
    "canonical_url",
    "source",
    "title",
    "published_at",
    "agency",
    "dateline",
    "language",
    "language_confidence",
    "word_count",
    "content_hash",
    "body",
    "extra",
)


@dataclass(frozen=True)
class ReportRow:
    """What happened to one input record."""

    line: int
    input_id: str | None
    outcome: str  # new, alias, near-duplicate, version or rejected
    article_id: int | None = None
    story_id: int | None = None
    reason: str | None = None


def _paragraphs(record: dict[str, Any]) -> list[str]:
    paragraphs = record.get("paragraphs")
    if isinstance(paragraphs, list):
        return [str(p) for p in paragraphs]
    body = str(record.get("body") or "")
    parts = body.split("\n\n") if "\n\n" in body else body.split("\n")
    return [p for p in parts if p.strip()]


def _text_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def article_from_record(record: dict[str, Any]) -> Article:
    """An imported record (id, url, title, body, published_at, source, ...) as a clean Article."""
    url = record.get("url")
    source = record.get("source")
    if not isinstance(url, str) or not url.strip():
        raise PermanentError("no_url", "record has no url")
    if not isinstance(source, str) or not source.strip():
        raise PermanentError("no_source", "record has no source")
    title = record.get("title")
    cleaned = clean_paragraphs(_paragraphs(record), title=title if isinstance(title, str) else None)
    if not cleaned.paragraphs:
        raise PermanentError("no_body", "record has no body text")
    published = record.get("published_at")
    when = parse_datetime(published) if isinstance(published, str) else None
    canonical = record.get("canonical_url") if isinstance(record.get("canonical_url"), str) else url
    authors = record.get("authors") or ()
    extra = {k: _text_value(v) for k, v in record.items() if k not in _KNOWN_FIELDS}
    if record.get("id") is not None:
        extra["input_id"] = str(record["id"])
    agency = record.get("agency")
    return Article(
        url=url.strip(),
        canonical_url=canonicalize_url(str(canonical).strip()),
        source=source.strip(),
        title=title if isinstance(title, str) else None,
        paragraphs=cleaned.paragraphs,
        authors=tuple(str(a) for a in authors) if isinstance(authors, list) else (),
        published_at=ensure_utc(when) if when else None,
        language=record.get("language") if isinstance(record.get("language"), str) else None,
        description=record.get("description")
        if isinstance(record.get("description"), str)
        else None,
        agency=cleaned.agency
        or (agency_name(agency) or agency.strip() if isinstance(agency, str) else None),
        dateline=cleaned.dateline,
        paywalled=cleaned.paywalled,
        prompts_stripped=cleaned.prompts,
        extractor_version=IMPORT_VERSION,
        extra=extra,
    )


def _records(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, error) for each non-blank line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"bad JSON: {exc.msg}"
            continue
        if not isinstance(record, dict):
            yield number, None, "not a JSON object"
            continue
        yield number, record, None


def _sort_key(pair: tuple[int, Article]) -> tuple[datetime, int]:
    published = pair[1].published_at
    return (published or datetime.max.replace(tzinfo=UTC), pair[0])


Pending = tuple[int, str | None, Article] | ReportRow


def _flush(engine: Engine, pending: list[Pending]) -> list[ReportRow]:
    """Dedup and write one batch of records in one transaction; rows in input order."""
    rows: dict[int, ReportRow] = {i: p for i, p in enumerate(pending) if isinstance(p, ReportRow)}
    todo = [(i, p) for i, p in enumerate(pending) if not isinstance(p, ReportRow)]
    # Earliest published first, as the loader does: the original becomes the article row.
    todo.sort(key=lambda item: _sort_key((item[0], item[1][2])))
    if todo:
        with engine.begin() as conn:
            results = store.store_articles(conn, [p[2] for _, p in todo])
            url_rows = []
            for (i, (line, input_id, article)), result in zip(todo, results, strict=True):
                url_rows.extend(store.alias_rows(article, result))
                rows[i] = ReportRow(
                    line, input_id, result.outcome, result.article_id, result.story_id
                )
            store.record_urls(conn, url_rows)
    return [rows[i] for i in range(len(pending))]


def import_jsonl(
    engine: Engine, stream: IO[str], report: IO[str], batch_size: int = IMPORT_BATCH
) -> Counter[str]:
    """Import every record of a JSONL stream; write one report line per record; count outcomes."""
    outcomes: Counter[str] = Counter()
    pending: list[Pending] = []

    def flush() -> None:
        for row in _flush(engine, pending):
            outcomes[row.outcome] += 1
            data = {k: v for k, v in row.__dict__.items() if v is not None or k == "input_id"}
            report.write(json.dumps(data) + "\n")
        pending.clear()

    for line, record, error in _records(stream):
        input_id = None if record is None or record.get("id") is None else str(record["id"])
        if record is None:
            pending.append(ReportRow(line, None, REJECTED, reason=error))
            continue
        try:
            pending.append((line, input_id, article_from_record(record)))
        except PermanentError as exc:
            pending.append(ReportRow(line, input_id, REJECTED, reason=exc.reason))
        if len(pending) >= batch_size:
            flush()
    flush()
    log.info("import: %s", dict(outcomes))
    return outcomes


@dataclass(frozen=True)
class ExportFilter:
    """Which articles to export: the same filters as `newswire search`."""

    since: datetime | None = None  # published at or after
    until: datetime | None = None  # published before
    source: str | None = None
    language: str | None = None
    query: str | None = None  # websearch syntax, through search_articles()
    limit: int | None = None


# Matches of search_articles() considered when exporting with --query and no --limit.
EXPORT_QUERY_LIMIT = 1_000_000


def _export_rows(engine: Engine, where: ExportFilter) -> Iterator[dict[str, Any]]:
    clauses = []
    params: dict[str, Any] = {
        "since": where.since,
        "until": where.until,
        "source": where.source,
        "lang": where.language,
    }
    if where.since is not None:
        clauses.append("published_at >= :since")
    if where.until is not None:
        clauses.append("published_at < :until")
    if where.source is not None:
        clauses.append("source = :source")
    if where.language is not None:
        clauses.append("language = :lang")
    if where.query is not None:
        clauses.append(
            "id IN (SELECT article_id FROM search_articles(CAST(:q AS text),"
            " CAST(:since AS timestamptz), CAST(:until AS timestamptz), CAST(:source AS text),"
            " CAST(:lang AS text), false, CAST(:qlim AS integer)))"
        )
        params["q"] = where.query
        params["qlim"] = where.limit or EXPORT_QUERY_LIMIT
    sql = f"SELECT {', '.join(EXPORT_COLUMNS)} FROM articles"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY id"
    if where.limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = where.limit
    with engine.connect().execution_options(stream_results=True, yield_per=EXPORT_FETCH) as conn:
        for row in conn.execute(text(sql), params):
            data = dict(row._mapping)
            if data["published_at"] is not None:
                data["published_at"] = data["published_at"].isoformat()
            yield data


def export(
    engine: Engine, out: IO[str], fmt: str = "jsonl", where: ExportFilter | None = None
) -> int:
    """Write the (filtered) articles with their story ids as JSONL or CSV; return the count."""
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown export format {fmt!r}: jsonl or csv")
    count = 0
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    for data in _export_rows(engine, where or ExportFilter()):
        if writer is not None:
            writer.writerow({**data, "extra": json.dumps(data["extra"], ensure_ascii=False)})
        else:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        count += 1
    return count


def report_path(source: Path) -> Path:
    """Default report file next to the input: FILE.report.jsonl."""
    return source.with_name(source.stem + ".report.jsonl")
