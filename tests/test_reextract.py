"""Re-extraction of stored raw pages: only articles whose output changed are rewritten."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from newswire.clean.patterns import BOILERPLATE_PATTERNS
from newswire.extract import article, extract_article
from newswire.load import store
from newswire.load.reextract import reextract
from newswire.models import Page, SourceConfig
from newswire.run import pipeline

GOLDEN = Path(__file__).parent / "golden"
FETCHED_AT = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)
SINCE, UNTIL = datetime(2026, 11, 3, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC)
CASES = ("ap_byline", "wire_reuters_republished")

# A sentence only the AP page has: the "new extractor" drops it.
AP_ONLY = "The Environment Agency, which runs the barrier"


def _case(name: str) -> tuple[Page, SourceConfig]:
    """A golden page as fetched, with its source configuration."""
    given = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))["input"]
    page = Page(
        url=given["url"],
        final_url=given["final_url"],
        status=200,
        content_type="text/html",
        body=(GOLDEN / f"{name}.html").read_bytes(),
        fetched_at=FETCHED_AT,
        encoding=given["encoding"],
    )
    cfg = given["source"]
    source = SourceConfig(
        name=cfg["name"],
        kind="rss",
        urls=(),
        timezone=cfg["timezone"],
        language=cfg["language"],
        agency=cfg["agency"],
    )
    return page, source


@pytest.fixture
def loaded(engine: Engine) -> tuple[list[SourceConfig], dict[str, int]]:
    """Both golden pages archived and their articles loaded by the current extractor."""
    sources, ids = [], {}
    with engine.begin() as conn:
        for name in CASES:
            page, source = _case(name)
            pipeline.store_page(conn, page)
            (stored,) = store.store_articles(conn, [extract_article(page, source)])
            ids[name] = stored.article_id
            sources.append(source)
    return sources, ids


def _rows(engine: Engine) -> dict[int, tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, extractor_version, body FROM articles")).all()
    return {r.id: (r.extractor_version, r.body) for r in rows}


def _sentence_index(engine: Engine) -> dict[int, list[str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT article_id, array_agg(hash::text ORDER BY hash) AS hashes"
                " FROM article_sentences GROUP BY article_id"
            )
        ).all()
    return {r.article_id: r.hashes for r in rows}


def test_reextract_rewrites_only_changed_articles(
    engine: Engine, loaded: tuple[list[SourceConfig], dict[str, int]], monkeypatch
) -> None:
    sources, ids = loaded
    before = _rows(engine)
    assert AP_ONLY in before[ids["ap_byline"]][1]
    index_before = _sentence_index(engine)
    # a new extractor version whose output differs on the AP page only
    monkeypatch.setattr(article, "EXTRACTOR_VERSION", "test-next")
    monkeypatch.setitem(BOILERPLATE_PATTERNS, "test_rule", re.compile(rf"^{re.escape(AP_ONLY)}.*$"))
    counts = reextract(engine, SINCE, UNTIL, sources=sources)
    assert counts == {"examined": 2, "changed": 1, "unchanged": 1, "rejected": 0, "conflicts": 0}
    after = _rows(engine)
    version, body = after[ids["ap_byline"]]
    assert version == "test-next" and AP_ONLY not in body
    assert body.startswith("LONDON (AP) — The Thames Barrier was raised twice")
    assert after[ids["wire_reuters_republished"]] == before[ids["wire_reuters_republished"]]
    with engine.connect() as conn:
        prompts = conn.execute(
            text("SELECT prompts_stripped FROM articles WHERE id = :i"), {"i": ids["ap_byline"]}
        ).scalar_one()
    assert "test_rule" in prompts
    # the near-duplicate index follows the new text of the changed article only
    index_after = _sentence_index(engine)
    assert index_after[ids["ap_byline"]] != index_before[ids["ap_byline"]]
    assert (
        index_after[ids["wire_reuters_republished"]]
        == index_before[ids["wire_reuters_republished"]]
    )
    # a second pass finds nothing to change
    again = reextract(engine, SINCE, UNTIL, sources=sources)
    assert again == {"examined": 2, "changed": 0, "unchanged": 2, "rejected": 0, "conflicts": 0}


def test_reextract_same_version_changes_nothing_and_respects_window(
    engine: Engine, loaded: tuple[list[SourceConfig], dict[str, int]]
) -> None:
    sources, _ = loaded
    before = _rows(engine)
    assert reextract(engine, SINCE, UNTIL, sources=sources)["unchanged"] == 2
    outside = reextract(engine, UNTIL, datetime(2026, 11, 5, tzinfo=UTC), sources=sources)
    assert outside["examined"] == 0
    assert _rows(engine) == before


def test_page_fetch_metadata_is_archived(
    engine: Engine, loaded: tuple[list[SourceConfig], dict[str, int]]
) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT url, status, fetched_at FROM page_fetches ORDER BY url")
        ).all()
    assert [r.url for r in rows] == sorted(_case(n)[0].url for n in CASES)
    assert all(r.status == 200 and r.fetched_at == FETCHED_AT for r in rows)


@pytest.fixture(scope="module")
def airflow_db() -> None:
    """Airflow's metadata DB (SQLite under the temporary AIRFLOW_HOME), migrated once."""
    from airflow.utils import db as airflow_db_utils

    airflow_db_utils.resetdb()


@pytest.mark.airflow
def test_reextract_dag_runs_with_params(
    airflow_db: None,
    engine: Engine,
    db_url: str,
    loaded: tuple[list[SourceConfig], dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "data"))
    bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[1] / "dags"))
    assert bag.import_errors == {}
    dag = bag.dags["newswire_reextract"]
    assert type(dag.timetable).__name__ == "NullTimetable"  # manual trigger only
    assert set(dag.params) == {"since", "until"}
    original = article.EXTRACTOR_VERSION
    monkeypatch.setattr(article, "EXTRACTOR_VERSION", "test-dag")
    monkeypatch.setitem(BOILERPLATE_PATTERNS, "test_rule", re.compile(rf"^{re.escape(AP_ONLY)}.*$"))
    run = dag.test(run_conf={"since": "2026-11-03", "until": "2026-11-04"})
    assert run.state == "success"
    rows = _rows(engine)
    assert rows[loaded[1]["ap_byline"]][0] == "test-dag"  # changed: rewritten
    assert rows[loaded[1]["wire_reuters_republished"]][0] == original  # unchanged: left alone


def test_reextract_refreshes_the_story_of_a_rewritten_article(
    engine: Engine, loaded: tuple[list[SourceConfig], dict[str, int]], monkeypatch
) -> None:
    sources, ids = loaded
    from newswire.load import reextract as module

    real = module.extract_article

    def retitled(page: Page, source: SourceConfig) -> Any:
        return dataclasses.replace(real(page, source), title="Thames Barrier raised again")

    monkeypatch.setattr(module, "extract_article", retitled)
    counts = reextract(engine, SINCE, UNTIL, sources=sources)
    assert counts["changed"] == 2
    with engine.connect() as conn:
        titles = conn.execute(
            text(
                "SELECT s.title FROM articles a JOIN stories s ON s.id = a.story_id"
                " WHERE a.id = ANY(:ids)"
            ),
            {"ids": list(ids.values())},
        ).scalars()
        assert set(titles) == {"Thames Barrier raised again"}
        latest = conn.execute(text("SELECT DISTINCT headline FROM latest_stories")).scalars()
        assert set(latest) == {"Thames Barrier raised again"}
