"""`newswire export` filters: the same as search (window, source, language, query, limit)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from sqlalchemy import Engine, text

from newswire.load.transfer import ExportFilter, export


def exported(engine: Engine, where: ExportFilter) -> list[dict[str, object]]:
    out = io.StringIO()
    count = export(engine, out, "jsonl", where)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(rows)
    return rows


def ids_where(engine: Engine, sql: str, **params: object) -> list[int]:
    with engine.connect() as conn:
        return list(
            conn.execute(text(f"SELECT id FROM articles WHERE {sql} ORDER BY id"), params).scalars()
        )


def test_export_filters_match_sql(engine: Engine, query_db: dict[str, int]) -> None:
    every = exported(engine, ExportFilter())
    assert [r["id"] for r in every] == ids_where(engine, "true")
    assert all("story_id" in r for r in every)

    source = str(every[-1]["source"])
    by_source = exported(engine, ExportFilter(source=source))
    assert [r["id"] for r in by_source] == ids_where(engine, "source = :s", s=source)
    assert 0 < len(by_source) < len(every)

    since = datetime(2026, 1, 15, tzinfo=UTC)
    until = datetime(2026, 1, 16, tzinfo=UTC)
    window = exported(engine, ExportFilter(since=since, until=until))
    assert [r["id"] for r in window] == ids_where(
        engine, "published_at >= :a AND published_at < :b", a=since, b=until
    )

    german = exported(engine, ExportFilter(language="de"))
    assert german and [r["id"] for r in german] == ids_where(engine, "language = 'de'")

    assert len(exported(engine, ExportFilter(limit=1))) == 1


def test_export_with_a_query_keeps_only_matches(engine: Engine, query_db: dict[str, int]) -> None:
    with engine.connect() as conn:
        expected = sorted(
            conn.execute(
                text(
                    "SELECT article_id FROM search_articles('kerry', NULL, NULL, NULL, NULL,"
                    " false, 1000)"
                )
            ).scalars()
        )
    assert expected, "the fixture has articles about Kerry"
    rows = exported(engine, ExportFilter(query="kerry"))
    assert sorted(int(str(r["id"])) for r in rows) == expected
    assert not exported(engine, ExportFilter(query="zzqxwv"))
