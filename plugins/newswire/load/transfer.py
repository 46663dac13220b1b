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

import psycopg2
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from newswire.clean.agencies import agency_name
from newswire.clean.lines import METER_PATTERNS, PAYWALL_PATTERNS, clean_paragraphs
from newswire.errors import PermanentError
from newswire.extract.access import FREE, classify_access
from newswire.extract.dates import parse_datetime
from newswire.fetch.urls import canonicalize_url
from newswire.load import checks, store
from newswire.models import Article, count_words, ensure_utc

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
    | {"language", "agency", "authors", "description", "access", "paywalled"}
)

# Known fields that hold one string when present (null or absent: not given).
_STRING_FIELDS: tuple[str, ...] = (
    *("title", "body", "canonical_url", "published_at", "language", "agency"),
    *("description", "access"),
)

# SQLSTATE classes of a database error that one record's values cause (data exception,
# integrity violation, program limit such as an index row too large): the record is rejected.
# Any other error (connection, deadlock, disk) fails the import.
RECORD_ERROR_CLASSES = ("22", "23", "54")

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
    if paragraphs is not None:
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            raise PermanentError("paragraphs: not a list of strings", "bad paragraphs")
        return list(paragraphs)
    body = str(record.get("body") or "")
    parts = body.split("\n\n") if "\n\n" in body else body.split("\n")
    return [p for p in parts if p.strip()]


def _text_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _check_types(record: dict[str, Any]) -> None:
    """Reject a record whose known fields have the wrong JSON type (PermanentError)."""
    for name in _STRING_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            raise PermanentError(f"{name}: not a string", f"bad {name}")
    authors = record.get("authors")
    if authors is not None and not (
        isinstance(authors, list) and all(isinstance(a, str) for a in authors)
    ):
        raise PermanentError("authors: not a list of strings", "bad authors")
    if record.get("paywalled") is not None and not isinstance(record["paywalled"], bool):
        raise PermanentError("paywalled: not a boolean", "bad paywalled")
    access = record.get("access")
    if access is not None and access not in checks.ACCESS_CLASSES:
        raise PermanentError("access: not free, paywalled or metered", "bad access")


def _access(record: dict[str, Any], derived: str) -> str:
    """The access class: the record's, unless it says free where the body had a prompt."""
    given = record.get("access")
    if given is None and record.get("paywalled") is True:
        given = "paywalled"
    if given is None or (given == FREE and derived != FREE):
        return derived
    return str(given)


def article_from_record(record: dict[str, Any]) -> Article:
    """An imported record (id, url, title, body, published_at, source, ...) as a clean Article.

    Raises PermanentError (reason: "<field>: <problem>") for a record that cannot be stored.
    """
    url = record.get("url")
    source = record.get("source")
    if not isinstance(url, str) or not url.strip():
        raise PermanentError("url: missing", "record has no url")
    if not isinstance(source, str) or not source.strip():
        raise PermanentError("source: missing", "record has no source")
    _check_types(record)
    title = record.get("title")
    cleaned = clean_paragraphs(_paragraphs(record), title=title)
    if not cleaned.paragraphs:
        raise PermanentError("body: no text", "record has no body text")
    published = record.get("published_at")
    when = parse_datetime(published) if published is not None else None
    if published is not None and published.strip() and when is None:
        raise PermanentError("published_at: not a date", "unparseable published_at")
    canonical = record.get("canonical_url") or url
    try:
        canonical_url = canonicalize_url(canonical.strip())
    except ValueError as exc:
        field = "canonical_url" if record.get("canonical_url") else "url"
        raise PermanentError(f"{field}: {exc}", "bad url") from exc
    extra = {k: _text_value(v) for k, v in record.items() if k not in _KNOWN_FIELDS}
    if record.get("id") is not None:
        extra["input_id"] = str(record["id"])
    agency = record.get("agency")
    description = record.get("description")
    derived = classify_access(
        free=None,
        markup=(),
        prompts=[p for p in cleaned.prompts if p in PAYWALL_PATTERNS or p in METER_PATTERNS],
        truncated=cleaned.truncated,
        body_words=sum(count_words(p) for p in cleaned.paragraphs),
        description=description,
    )
    access = _access(record, derived.access)
    evidence = derived.evidence if access == derived.access else (f"record:access={access}",)
    return Article(
        url=url.strip(),
        canonical_url=canonical_url,
        source=source.strip(),
        title=title,
        paragraphs=cleaned.paragraphs,
        authors=tuple(record.get("authors") or ()),
        published_at=ensure_utc(when) if when else None,
        language=record.get("language"),
        description=description,
        agency=cleaned.agency or (agency_name(agency) or agency.strip() if agency else None),
        dateline=cleaned.dateline,
        paywalled=access != FREE,
        prompts_stripped=cleaned.prompts,
        extractor_version=IMPORT_VERSION,
        extra=extra,
        access=access,
        access_evidence=evidence,
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
        except (ValueError, RecursionError) as exc:  # an integer too long, nesting too deep
            yield number, None, f"bad JSON: {exc}"
            continue
        if not isinstance(record, dict):
            yield number, None, "not a JSON object"
            continue
        yield number, record, None


def _sort_key(pair: tuple[int, Article]) -> tuple[datetime, int]:
    published = pair[1].published_at
    return (published or datetime.max.replace(tzinfo=UTC), pair[0])


Pending = tuple[int, str | None, Article] | ReportRow


def _store(
    conn: Connection, items: list[tuple[int, tuple[int, str | None, Article]]]
) -> list[ReportRow]:
    """Dedup and write items (index, (line, input id, article)) in the caller's transaction."""
    results = store.store_articles(conn, [p[2] for _, p in items])
    url_rows = []
    rows = []
    for (_, (line, input_id, article)), result in zip(items, results, strict=True):
        url_rows.extend(store.alias_rows(article, result))
        rows.append(ReportRow(line, input_id, result.outcome, result.article_id, result.story_id))
    store.record_urls(conn, url_rows)
    return rows


# A database error as SQLAlchemy raises it, or as psycopg2 does (bulk writes on its cursor).
DatabaseError = (DBAPIError, psycopg2.Error)


def _record_error(exc: DBAPIError | psycopg2.Error) -> str | None:
    """The database's message when exc is caused by one record's values, else None."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(error, "pgcode", None) or ""
    if code[:2] not in RECORD_ERROR_CLASSES:
        return None
    return "database: " + str(error).strip().splitlines()[0]


def _one_by_one(
    engine: Engine, todo: list[tuple[int, tuple[int, str | None, Article]]]
) -> dict[int, ReportRow]:
    """Store a failed batch's records one at a time, each in a savepoint; reject the bad ones."""
    rows: dict[int, ReportRow] = {}
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": store.DEDUP_LOCK_KEY})
        for item in todo:
            i, (line, input_id, _) = item
            try:
                with conn.begin_nested():
                    rows[i] = _store(conn, [item])[0]
            except DatabaseError as exc:
                reason = _record_error(exc)
                if reason is None:
                    raise
                log.warning("import: line %d rejected by the database: %s", line, reason)
                rows[i] = ReportRow(line, input_id, REJECTED, reason=reason)
    return rows


def _flush(engine: Engine, pending: list[Pending]) -> list[ReportRow]:
    """Dedup and write one batch of records in one transaction; rows in input order.

    Articles that break a rule of the schema are rejected before (checks.problem); should the
    database still refuse the batch for one record's values, the batch is stored again one
    record at a time and that record is rejected with the database's message.
    """
    rows: dict[int, ReportRow] = {i: p for i, p in enumerate(pending) if isinstance(p, ReportRow)}
    todo = [(i, p) for i, p in enumerate(pending) if not isinstance(p, ReportRow)]
    # Earliest published first, as the loader does: the original becomes the article row.
    todo.sort(key=lambda item: _sort_key((item[0], item[1][2])))
    if todo:
        try:
            with engine.begin() as conn:
                rows.update((i, row) for (i, _), row in zip(todo, _store(conn, todo), strict=True))
        except DatabaseError as exc:
            if _record_error(exc) is None:
                raise
            log.warning("import: batch refused (%s), storing it record by record", exc)
            rows.update(_one_by_one(engine, todo))
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
            article = article_from_record(record)
        except PermanentError as exc:
            pending.append(ReportRow(line, input_id, REJECTED, reason=exc.reason))
        else:
            problem = checks.problem(article)
            if problem is None:
                pending.append((line, input_id, article))
            else:
                pending.append(ReportRow(line, input_id, REJECTED, reason=problem))
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
