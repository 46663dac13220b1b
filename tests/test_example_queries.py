"""Every documented query in sql/queries/ runs against a populated database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

QUERIES = Path(__file__).resolve().parents[1] / "sql" / "queries"


def run_query(engine: Engine, name: str) -> list[dict[str, Any]]:
    """Run sql/queries/NAME.sql as psql would (no parameter markers) and return its rows."""
    sql = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    conn = engine.raw_connection()
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            columns = [c.name for c in cur.description]
            return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    finally:
        conn.close()


def test_every_query_file_is_documented_and_tested() -> None:
    names = sorted(p.stem for p in QUERIES.glob("*.sql"))
    assert names == sorted(EXPECTED), "add a test for every file in sql/queries/"
    for name in names:
        head = (QUERIES / f"{name}.sql").read_text(encoding="utf-8").splitlines()[:3]
        assert all(line.startswith("--") for line in head), f"{name}.sql needs a comment header"


def _top_stories(rows: list[dict[str, Any]], ids: dict[str, int]) -> None:
    assert rows[0]["story_id"] == ids["story:kerry"]
    assert rows[0]["outlets"] == ["demo-courier", "demo-wire", "wire-mirror"]
    # only stories first published on 2026-01-15 (not the 14th's storm or the 16th's vote)
    assert {r["story_id"] for r in rows} == {
        ids["story:kerry"],
        ids["story:budget"],
        ids["story:schulen"],
    }


def _coverage(rows: list[dict[str, Any]], ids: dict[str, int]) -> None:
    assert {r["outlet"] for r in rows} == {"demo-wire", "demo-courier", "wire-mirror"}
    assert {r["kind"] for r in rows} == {"canonical", "variant", "republication"}
    courier = next(r for r in rows if r["outlet"] == "demo-courier")
    assert courier["article_id"] == ids["talks_copy"]
    assert courier["lag"] == timedelta(hours=2, minutes=30)


def _source_health(rows: list[dict[str, Any]], ids: dict[str, int]) -> None:
    keys = [(r["source"], str(r["day"])) for r in rows]
    assert ("demo-wire", "2026-01-15") in keys and ("afp-fr", "2026-01-16") in keys
    wire = rows[keys.index(("demo-wire", "2026-01-15"))]
    assert wire["failed_by_reason"] == {"http_404": 2, "timeout": 2}
    assert wire["loaded"] == 2


def _paywalled(rows: list[dict[str, Any]], ids: dict[str, int]) -> None:
    by_source = {r["source"]: r for r in rows}
    assert by_source["afp-fr"]["paywalled_share"] == 1
    assert (by_source["demo-courier"]["articles"], by_source["demo-courier"]["paywalled"]) == (2, 1)
    assert by_source["demo-courier"]["top_prompts"] == ["subscribe_wall"]
    assert by_source["demo-wire"]["top_prompts"] == []
    assert rows[0]["source"] == "afp-fr"  # highest share first


EXPECTED = {
    "top_stories_of_a_day": _top_stories,
    "story_coverage": _coverage,
    "source_health_week": _source_health,
    "paywalled_share_by_outlet": _paywalled,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_query(engine: Engine, query_db: dict[str, int], name: str) -> None:
    rows = run_query(engine, name)
    assert rows, f"{name} returned nothing"
    EXPECTED[name](rows, query_db)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_query_on_an_empty_database(engine: Engine, name: str) -> None:
    assert run_query(engine, name) == []
