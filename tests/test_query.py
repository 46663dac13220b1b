"""search_articles(), the analyst views and the read-only role on a populated database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from newswire import query
from newswire.db.engine import make_engine
from newswire.db.migrate import load_migrations, upgrade


def test_search_ranks_title_matches_first_one_row_per_story(
    engine: Engine, query_db: dict[str, int]
) -> None:
    rows = query.search(engine, "military talks")
    # both Kerry articles match: one row for their story, the best (title hit) representing it
    assert [r["id"] for r in rows] == [query_db["talks"]]
    assert rows[0]["story_id"] == query_db["story:kerry"]
    assert rows[0]["story_matches"] == 2
    assert "<b>" in rows[0]["snippet"] and "</b>" in rows[0]["snippet"]
    # "military" alone also hits the budget body: title matches rank above body matches
    ranked = query.search(engine, "military")
    assert [r["id"] for r in ranked] == [query_db["talks"], query_db["budget"]]
    assert ranked[0]["rank"] > ranked[1]["rank"]


def test_search_every_article_when_not_per_story(engine: Engine, query_db: dict[str, int]) -> None:
    rows = query.search(engine, "military talks", per_story=False)
    assert [r["id"] for r in rows] == [query_db["talks"], query_db["talks_copy"]]
    assert all(r["story_matches"] == 1 for r in rows)
    assert len(query.search(engine, "officials", per_story=False, limit=1)) == 1


def test_search_filters(engine: Engine, query_db: dict[str, int]) -> None:
    def ids(**filters: object) -> list[int]:
        return [r["id"] for r in query.search(engine, "talks", per_story=False, **filters)]

    assert ids(source="demo-courier") == [query_db["talks_copy"]]
    assert ids(source="dw-news") == []
    since = datetime(2026, 1, 15, 10, tzinfo=UTC)
    assert ids(since=since) == [query_db["talks_copy"]]
    # until is exclusive
    assert ids(until=datetime(2026, 1, 15, 9, tzinfo=UTC)) == []
    assert ids(until=datetime(2026, 1, 15, 9, 1, tzinfo=UTC)) == [query_db["talks"]]
    assert ids(language="de") == []


def test_search_stems_each_language_with_its_own_configuration(
    engine: Engine, query_db: dict[str, int]
) -> None:
    # German stemming: "Kind" finds "Kindern", which English stemming would not
    assert [r["id"] for r in query.search(engine, "Kind", language="de")] == [query_db["kinder"]]
    assert [r["id"] for r in query.search(engine, "Kind")] == [query_db["kinder"]]
    assert query.search(engine, "Kind", language="en") == []
    # French: "voter" and "votaient" share the stem
    assert [r["id"] for r in query.search(engine, "voter", language="fr")] == [query_db["vote"]]
    # Spanish: "tormentas" finds "tormenta"
    assert [r["id"] for r in query.search(engine, "tormentas")] == [query_db["storm"]]
    with engine.connect() as conn:
        configs = dict(
            conn.execute(
                text("SELECT l, newswire_search_config(l)::text FROM unnest(:ls) AS l"),
                {"ls": ["en", "de-AT", "fr", "es", "it"]},
            ).all()
        )
    assert configs == {
        "en": "english",
        "de-AT": "german",
        "fr": "french",
        "es": "spanish",
        "it": "simple",
    }


def _bulk_articles(engine: Engine, word: str, days: list[datetime], title_word: str = "") -> None:
    """One article per date in days whose body mentions word (title_word in the title)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (canonical_url, source, title, body, content_hash,"
                " word_count, extractor_version, published_at, language)"
                " SELECT 'https://bulk.example/' || :w || :tw || '/' || i, 'bulk',"
                " :tw || ' bulletin ' || i, 'A bulletin about the ' || :w || ' number ' || i,"
                " md5(:w || :tw || i), 6, 'test', d, 'en'"
                " FROM unnest(CAST(:days AS timestamptz[])) WITH ORDINALITY AS t(d, i)"
            ),
            {"w": word, "tw": title_word, "days": days},
        )


def test_search_ranks_the_newest_window_holding_enough_matches(engine: Engine) -> None:
    newest = datetime(2026, 3, 1, 12, tzinfo=UTC)
    # 150 matches in the last day, 50 a month earlier whose titles would rank them first
    recent = [newest - timedelta(minutes=5 * i) for i in range(150)]
    older = [newest - timedelta(days=30, minutes=i) for i in range(50)]
    _bulk_articles(engine, "glacier", recent)
    _bulk_articles(engine, "glacier", older, title_word="glacier")
    rows = query.search(engine, "glacier", per_story=False, limit=200)
    # the last day holds enough matches (100): only they are ranked, the title hits are older
    assert len(rows) == 150
    assert min(r["published_at"] for r in rows) >= newest - timedelta(days=1)
    # asked for the older range, the title hits come first
    early = query.search(engine, "glacier", until=newest - timedelta(days=20), per_story=False)
    assert len(early) == 20 and all("glacier" in r["title"] for r in early)


def test_search_widens_the_window_for_rare_words(engine: Engine) -> None:
    newest = datetime(2026, 3, 1, 12, tzinfo=UTC)
    _bulk_articles(engine, "tundra", [newest - timedelta(minutes=i) for i in range(120)])
    # 3 matches spread over two years: none in the last day, week, month or year but one
    _bulk_articles(
        engine,
        "permafrost",
        [newest - timedelta(days=2), newest - timedelta(days=200), newest - timedelta(days=700)],
    )
    rows = query.search(engine, "permafrost", per_story=False)
    assert len(rows) == 3
    # an article without a date is found once every dated window is exhausted
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (canonical_url, source, title, body, content_hash,"
                " word_count, extractor_version, language)"
                " VALUES ('https://bulk.example/undated', 'bulk', 'Undated', 'the steppe story',"
                " md5('steppe'), 3, 'test', 'en')"
            )
        )
    assert [r["title"] for r in query.search(engine, "steppe")] == ["Undated"]


def test_search_falls_back_to_similar_titles(engine: Engine, query_db: dict[str, int]) -> None:
    rows = query.search(engine, "Parliment budjet")
    assert [r["id"] for r in rows] == [query_db["budget"]]
    assert query.search(engine, "zzzz qqqq") == []


def test_latest_stories_view(engine: Engine, query_db: dict[str, int]) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT * FROM latest_stories ORDER BY first_published_at DESC")
        ).all()
    assert rows[0].story_id == query_db["story:vote"]
    kerry = next(r for r in rows if r.story_id == query_db["story:kerry"])
    assert kerry.headline == "Kerry meets Russian officials for military talks"
    assert kerry.articles == 2
    assert kerry.outlets == ["demo-courier", "demo-wire", "wire-mirror"]
    assert kerry.sources_count == 3
    assert kerry.agency == "Reuters"
    assert kerry.representative_url == "https://demo-wire.example/talks"


def test_story_articles_view_and_story_query(engine: Engine, query_db: dict[str, int]) -> None:
    data = query.story(engine, query_db["story:kerry"])
    assert data is not None
    assert [a["article_id"] for a in data["articles"]] == [
        query_db["talks"],
        query_db["talks_copy"],
    ]
    first = data["articles"][0]
    assert first["is_representative"] and first["url_count"] == 3 and first["versions"] == 1
    assert first["outlets"] == ["demo-wire", "wire-mirror"]
    assert {u["kind"] for u in data["urls"]} == {"canonical", "variant", "republication"}
    assert [v["title"] for v in data["versions"]] == ["Kerry to meet Russian officials"]
    assert query.story(engine, 999_999) is None


def test_source_health_view(engine: Engine, query_db: dict[str, int]) -> None:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT * FROM source_health WHERE source = 'demo-wire' AND day = '2026-01-15'")
        ).one()
        dw = conn.execute(text("SELECT * FROM source_health WHERE source = 'dw-news'")).one()
    assert (row.runs, row.discovered, row.fetched, row.failed) == (2, 7, 5, 2)
    assert row.failed_by_reason == {"http_404": 2, "timeout": 2}
    assert (row.extracted, row.duplicates, row.loaded) == (4, 1, 2)
    assert (row.articles, row.paywalled) == (2, 0)
    assert float(row.authors_fill) == 0.5  # the budget article has no byline
    assert float(row.title_fill) == 1.0 and float(row.date_fill) == 1.0
    # a source with stored articles but no run rows still has a day
    assert (dw.runs, dw.articles, dw.failed_by_reason) == (0, 1, {})
    report = {r["source"]: r for r in query.source_report(engine)}
    assert report["demo-courier"]["paywalled_share"] == pytest.approx(0.5)
    assert report["demo-wire"]["failed_by_reason"] == {"http_404": 2, "timeout": 2}
    assert [r["source"] for r in query.source_report(engine, date(2026, 1, 16))] == ["afp-fr"]


def _login_role(engine: Engine, role: str) -> tuple[str, str]:
    """A new login role granted `role`; returns (name, URL connecting as it)."""
    name = f"nw_test_{uuid.uuid4().hex[:8]}"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD 'pw' IN ROLE {role}"))
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    return name, url.set(username=name, password="pw").render_as_string(hide_password=False)


def _drop_role(engine: Engine, name: str) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP OWNED BY {name}"))
        conn.execute(text(f"DROP ROLE {name}"))


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO stories (title) VALUES ('x')",
        "UPDATE articles SET title = 'x'",
        "DELETE FROM article_urls",
        "CREATE TABLE reader_table (id int)",
    ],
)
def test_reader_role_can_read_and_search_but_not_write(
    engine: Engine, query_db: dict[str, int], statement: str
) -> None:
    name, url = _login_role(engine, "newswire_reader")
    reader = make_engine(url)
    try:
        with reader.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 6
            assert conn.execute(text("SELECT count(*) FROM latest_stories")).scalar() == 5
            assert conn.execute(text("SELECT count(*) FROM source_health")).scalar() > 0
            found = conn.execute(text("SELECT article_id FROM search_articles('talks')")).all()
            assert [r.article_id for r in found] == [query_db["talks"]]
        with reader.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
            conn.execute(text(statement))
    finally:
        reader.dispose()
        _drop_role(engine, name)


def test_writer_role_writes_rows(engine: Engine, query_db: dict[str, int]) -> None:
    name, url = _login_role(engine, "newswire_writer")
    writer = make_engine(url)
    try:
        with writer.begin() as conn:
            story = conn.execute(
                text("INSERT INTO stories (title) VALUES ('w') RETURNING id")
            ).scalar_one()
            conn.execute(
                text("UPDATE articles SET story_id = :s WHERE id = :a"),
                {"s": story, "a": query_db["storm"]},
            )
        with writer.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
            conn.execute(text("CREATE TABLE writer_table (id int)"))
        # `newswire run` checks migrations first: nothing pending needs no DDL rights
        assert upgrade(writer) == []
    finally:
        writer.dispose()
        _drop_role(engine, name)


def test_roles_migration_is_idempotent(engine: Engine) -> None:
    # roles are cluster-wide: running the migration's role block again must not fail
    sql = next(m.sql for m in load_migrations() if m.version == 5)
    block = sql[sql.index("DO $$\nBEGIN\n    IF NOT EXISTS") :]
    with engine.begin() as conn:
        conn.exec_driver_sql(block)
        roles = conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'newswire_%' ORDER BY 1")
        ).scalars()
        assert list(roles) == ["newswire_reader", "newswire_writer"]
