"""Loading ahead: fetch tasks load the run's final load batches; the database ends up the same."""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bench import syndication, throughput_bench
from newswire.discover import frontier
from newswire.errors import ConfigError
from newswire.load import store, transfer
from newswire.models import Article, Item, Window, article_to_payload
from newswire.run import pipeline, report, windows
from newswire.settings import Settings
from support.dedupstate import snapshot
from support.warcdata import write_warc

WINDOW = Window(datetime(2026, 1, 14, tzinfo=UTC), datetime(2026, 1, 21, tzinfo=UTC))
RUN = "test__run_1"  # underscores: LIKE wildcards in the run's claim tokens must be escaped


def corpus(stories: int, seed: int) -> list[Article]:
    """Syndicated copies, versions and templates, one article per frontier URL."""
    docs = syndication.generate(seed=seed, stories=stories)
    articles, seen = [], set()
    for record in syndication.records(docs):
        article = transfer.article_from_record(record)
        if article.url not in seen:
            seen.add(article.url)
            articles.append(article)
    return articles


def enqueue(engine: Engine, articles: list[Article], run_key: str = RUN) -> None:
    with engine.begin() as conn:
        found = [Item(a.url, a.source, a.published_at) for a in articles]
        frontier.enqueue(conn, found, run_key, WINDOW)


def claim(engine: Engine, batch_no: int, size: int, sources: tuple[str, ...] = ()) -> list[int]:
    """Claim a fetch batch as process_batch does (sources: whose due retries it may take)."""
    with engine.begin() as conn:
        claimed = frontier.claim(conn, RUN, list(sources), f"{RUN}#{batch_no}", size)
    return [c.id for c in claimed]


def finish(engine: Engine, ids: list[int], by_id: dict[int, Article], run_key: str = RUN) -> None:
    """Stage the claimed items' articles and mark them fetched, as process_batch does."""
    with engine.begin() as conn:
        for fid in ids:
            article = by_id[fid]
            conn.execute(
                text(
                    "INSERT INTO staged_articles (frontier_id, run_key, source, payload)"
                    " VALUES (:f, :r, :s, CAST(:p AS jsonb))"
                ),
                {
                    "f": fid,
                    "r": run_key,
                    "s": article.source,
                    "p": json.dumps(article_to_payload(article)),
                },
            )
        frontier.mark_fetched(conn, ids)


def articles_by_frontier_id(engine: Engine, articles: list[Article]) -> dict[int, Article]:
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT fetch_url, id FROM frontier")).all())
    return {ids[a.url]: a for a in articles}


def handled(result: store.LoadResult) -> int:
    return sum(result.loaded.values()) + sum(result.duplicates.values())


def state(engine: Engine) -> dict[str, Any]:
    """The dedup tables, every URL row and where each frontier item ended, without ids."""
    with engine.connect() as conn:
        found = snapshot(conn, [])
        found["urls"] = conn.execute(
            text(
                "SELECT u.url, a.canonical_url, u.kind FROM article_urls u"
                " JOIN articles a ON a.id = u.article_id ORDER BY 1"
            )
        ).all()
        found["frontier"] = conn.execute(
            text(
                "SELECT f.url, f.state, a.canonical_url FROM frontier f"
                " LEFT JOIN articles a ON a.id = f.article_id ORDER BY 1"
            )
        ).all()
        found["staged"] = conn.execute(text("SELECT count(*) FROM staged_articles")).scalar()
    return found


def test_only_final_batches_are_loaded_ahead(engine: Engine) -> None:
    articles = corpus(stories=4, seed=3)[:10]
    enqueue(engine, articles)
    by_id = articles_by_frontier_id(engine, articles)
    first, second = claim(engine, 0, 4), claim(engine, 1, 4)
    finish(engine, second, by_id)
    # The first batch is still being fetched: nothing after its items is final.
    assert handled(store.load_ready(engine, RUN, 3)) == 0
    finish(engine, first, by_id)
    # Items 1-8 are settled, 9-10 still to fetch: batches 1-3 and 4-6 are final; 7-8 is not
    # full yet (a later fetch will add to it).
    assert handled(store.load_ready(engine, RUN, 3)) == 6
    with engine.connect() as conn:
        left = conn.execute(text("SELECT frontier_id FROM staged_articles ORDER BY 1")).scalars()
        assert list(left) == sorted(second)[2:]
    rest = claim(engine, 2, 4)
    assert len(rest) == 2
    finish(engine, rest, by_id)
    # Nothing is left to fetch: the full batch 7-9 and the last, partial one are final.
    assert handled(store.load_ready(engine, RUN, 3)) == 4
    assert state(engine)["staged"] == 0


def test_settled_and_unsettled_frontier_items(engine: Engine) -> None:
    articles = corpus(stories=3, seed=4)[:6]
    enqueue(engine, articles)
    by_id = articles_by_frontier_id(engine, articles)
    ids = claim(engine, 0, 6)
    failed, rest = ids[0], ids[1:]
    finish(engine, rest, by_id)
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE frontier SET state = 'retry', next_attempt_at = now() - interval '1 s'"
                " WHERE id = :i"
            ),
            {"i": failed},
        )
    # A retry that is due may still be fetched by this run: it holds the batches back.
    assert handled(store.load_ready(engine, RUN, 2)) == 0
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE frontier SET next_attempt_at = now() + interval '1 h' WHERE id = :i"),
            {"i": failed},
        )
    # A retry for later (or a permanent failure) is settled for this run.
    assert handled(store.load_ready(engine, RUN, 2)) == 5


def test_an_item_claimed_from_another_run_holds_the_batches_back(engine: Engine) -> None:
    articles = corpus(stories=3, seed=5)[:4]
    enqueue(engine, articles[:1], run_key="other_run")
    enqueue(engine, articles[1:])
    by_id = articles_by_frontier_id(engine, articles)
    with engine.begin() as conn:  # a due retry of an earlier run, claimed by this run's task
        conn.execute(
            text(
                "UPDATE frontier SET state = 'retry', next_attempt_at = now()"
                " WHERE run_key = 'other_run'"
            )
        )
    mine = claim(engine, 1, 1, sources=(articles[0].source,))
    assert by_id[mine[0]] is articles[0]
    others = claim(engine, 0, 3)
    finish(engine, others, by_id)
    assert handled(store.load_ready(engine, RUN, 1)) == 0
    finish(engine, mine, by_id)
    assert handled(store.load_ready(engine, RUN, 1)) == 4


def test_a_fetch_task_does_not_wait_for_the_dedup_lock(engine: Engine) -> None:
    articles = corpus(stories=3, seed=6)[:5]
    enqueue(engine, articles)
    by_id = articles_by_frontier_id(engine, articles)
    finish(engine, claim(engine, 0, 5), by_id)
    holder = engine.connect()
    holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": store.DEDUP_LOCK_KEY})
    results: list[store.LoadResult] = []
    worker = threading.Thread(target=lambda: results.append(store.load_ready(engine, RUN, 2)))
    worker.start()
    worker.join(timeout=30)
    holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": store.DEDUP_LOCK_KEY})
    holder.close()
    assert not worker.is_alive(), "load_ready waited for the lock"
    assert handled(results[0]) == 0
    assert handled(store.load_ready(engine, RUN, 2)) == 5


def claim_all(engine: Engine, size: int) -> list[list[int]]:
    """Every fetch batch of the run, claimed in order."""
    batches: list[list[int]] = []
    while ids := claim(engine, len(batches), size):
        batches.append(ids)
    return batches


@pytest.mark.parametrize("seed", [1, 2])
def test_loading_ahead_in_any_fetch_order_gives_the_same_database(
    engine: Engine, seed: int
) -> None:
    articles = corpus(stories=40, seed=seed)
    fetch_size, load_size = 23, 17  # neither divides the other: load batches straddle fetches
    # Reference: every batch fetched, then one load at the end.
    enqueue(engine, articles)
    by_id = articles_by_frontier_id(engine, articles)
    for ids in claim_all(engine, fetch_size):
        finish(engine, ids, by_id)
    assert handled(store.load_run(engine, RUN, load_size)) == len(articles)
    expected = state(engine)
    reset(engine)

    enqueue(engine, articles)
    by_id = articles_by_frontier_id(engine, articles)
    batches = claim_all(engine, fetch_size)
    assert len(batches) > 5
    order = list(range(len(batches)))
    random.Random(seed).shuffle(order)
    ahead = 0
    for number in order:  # fetch tasks finish in a random order, each loading what is final
        finish(engine, batches[number], by_id)
        ahead += handled(store.load_ready(engine, RUN, load_size))
    rest = handled(store.load_run(engine, RUN, load_size))
    assert ahead > 0 and ahead + rest == len(articles)
    got = state(engine)
    assert got["staged"] == 0 and expected["articles"]
    for name in expected:
        assert got[name] == expected[name], name


def reset(engine: Engine) -> None:
    """Empty every table the ingest writes (the schema and its migrations stay)."""
    with engine.begin() as conn:
        tables = conn.execute(
            text(
                "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables"
                " WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"
            )
        ).scalar_one()
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def run_steps(engine: Engine, settings: Settings) -> tuple[int, dict[str, Any]]:
    """run_once's steps (pages loaded ahead by the fetch batches, the run's summary)."""
    run_key = windows.new_run_key(throughput_bench.WINDOW)
    names = pipeline.list_sources(settings)
    for name in names:
        pipeline.discover_source(
            name, throughput_bench.WINDOW, run_key, settings=settings, engine=engine
        )
    ahead = 0
    for batch in pipeline.plan_batches(run_key, names, settings=settings, engine=engine):
        counts = pipeline.process_batch(run_key, batch, names, settings=settings, engine=engine)
        ahead += counts["loaded_ahead"]
    pipeline.load_run(run_key, settings=settings, engine=engine)
    summary = report.finish_run(
        run_key, throughput_bench.WINDOW, names, settings=settings, engine=engine
    )
    return ahead, summary


def bench_env(tmp_path: Path, pages: int, **extra: str) -> dict[str, str]:
    """Settings of a run over a WARC archive of the bench corpus's first pages."""
    archive = tmp_path / "pages.warc.gz"
    if not archive.exists():
        write_warc(archive, throughput_bench.corpus(pages))
    return {
        "NEWSWIRE_SOURCES_FILE": str(throughput_bench.sources_file(tmp_path, archive)),
        "NEWSWIRE_DATA_DIR": str(tmp_path / "data"),
        **extra,
    }


def clean_run(engine: Engine, settings: Settings) -> tuple[dict[str, Any], pipeline.Counts]:
    """An uninterrupted run's tables and summary (without its run_key); the tables are then
    emptied for the run under test."""
    _, summary = run_steps(engine, settings)
    expected = state(engine)
    reset(engine)
    del summary["run_key"]
    return expected, summary


def discover(engine: Engine, settings: Settings, run_key: str) -> pipeline.Counts:
    """Discover the bench archive's window for run_key."""
    name = pipeline.list_sources(settings)[0]
    return pipeline.discover_source(
        name, throughput_bench.WINDOW, run_key, settings=settings, engine=engine
    )


def fetched(counts: pipeline.Counts) -> int:
    """Pages a process_batch call fetched, over its sources."""
    return sum(c["fetched"] for c in counts["sources"].values())


def finish_as_clean(
    engine: Engine,
    settings: Settings,
    run_key: str,
    clean: tuple[dict[str, Any], pipeline.Counts],
) -> pipeline.Counts:
    """Load and report the run; its tables and summary must equal the clean run's."""
    expected, clean_summary = clean
    names = pipeline.list_sources(settings)
    pipeline.load_run(run_key, settings=settings, engine=engine)
    summary = report.finish_run(
        run_key, throughput_bench.WINDOW, names, settings=settings, engine=engine
    )
    got = state(engine)
    for name in expected:
        assert got[name] == expected[name], name
    del summary["run_key"]
    assert summary == clean_summary
    return summary


def test_fetch_batches_load_ahead_and_the_run_adds_up(engine: Engine, tmp_path: Path) -> None:
    env = bench_env(tmp_path, 60, NEWSWIRE_BATCH_SIZE="9", NEWSWIRE_LOAD_BATCH_SIZE="7")
    after, after_summary = run_steps(
        engine, Settings.from_env({**env, "NEWSWIRE_LOAD_AHEAD": "off"})
    )
    expected = state(engine)
    reset(engine)
    ahead, summary = run_steps(engine, Settings.from_env(env))
    assert after == 0 and ahead > 30
    got = state(engine)
    for name in expected:
        assert got[name] == expected[name], name
    del after_summary["run_key"], summary["run_key"]
    assert summary == after_summary
    assert summary["loaded"] + summary["duplicates"] == summary["extracted"] > 50


def test_load_ahead_setting() -> None:
    assert Settings.from_env({}).load_ahead is True
    assert Settings.from_env({"NEWSWIRE_LOAD_AHEAD": "0"}).load_ahead is False
    assert Settings.from_env({"NEWSWIRE_LOAD_AHEAD": "Yes"}).load_ahead is True
    with pytest.raises(ConfigError, match="NEWSWIRE_LOAD_AHEAD"):
        Settings.from_env({"NEWSWIRE_LOAD_AHEAD": "maybe"})


def test_a_batch_commits_chunk_by_chunk_and_a_retry_resumes_it(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from newswire import extract

    monkeypatch.setattr(pipeline, "STAGE_CHUNK", 6)
    env = bench_env(tmp_path, 20, NEWSWIRE_BATCH_SIZE="20", NEWSWIRE_LOAD_AHEAD="off")
    settings = Settings.from_env(env)
    clean = clean_run(engine, settings)

    real, calls = extract.extract_article, [0]

    def dies_in_chunk_two(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == 9:  # the worker is killed (or the database goes) mid-chunk
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real(*args, **kwargs)

    run_key = windows.new_run_key(throughput_bench.WINDOW)
    names = pipeline.list_sources(settings)
    discover(engine, settings, run_key)
    assert pipeline.plan_batches(run_key, names, settings=settings, engine=engine) == [0]
    monkeypatch.setattr(extract, "extract_article", dies_in_chunk_two)
    with pytest.raises(OperationalError):
        pipeline.process_batch(run_key, 0, names, settings=settings, engine=engine)
    with engine.connect() as conn:
        states = dict(conn.execute(text("SELECT state, count(*) FROM frontier GROUP BY 1")).all())
        staged = conn.execute(text("SELECT count(*) FROM staged_articles")).scalar_one()
        keys = (
            conn.execute(text("SELECT task_key FROM run_task_stats WHERE task_key LIKE 'batch:%'"))
            .scalars()
            .all()
        )
    # The first chunk is committed (staged, its counts recorded), the second stays claimed
    # and the rest of the batch was never claimed (a chunk is claimed when the last is done).
    assert states.get("claimed") == 6 and states.get("pending") == 8
    assert sum(states.values()) == 20
    assert staged + states.get("failed", 0) + states.get("rejected", 0) == 6
    assert len(keys) == 1

    monkeypatch.setattr(extract, "extract_article", real)
    counts = pipeline.process_batch(run_key, 0, names, settings=settings, engine=engine)
    assert fetched(counts) == 14  # the retry resumed
    # The two attempts' counts add up to an uninterrupted run's.
    summary = finish_as_clean(engine, settings, run_key, clean)
    assert summary["fetched"] == 20


def test_a_fetch_task_loads_ahead_between_its_chunks(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "STAGE_CHUNK", 6)
    env = bench_env(tmp_path, 20, NEWSWIRE_BATCH_SIZE="20", NEWSWIRE_LOAD_BATCH_SIZE="4")
    real, seen = store.load_ready, []

    def watched(*args: Any, **kwargs: Any) -> store.LoadResult:
        with engine.connect() as conn:
            claimed = conn.execute(
                text("SELECT count(*) FROM frontier WHERE state = 'claimed'")
            ).scalar_one()
        result = real(*args, **kwargs)
        with engine.connect() as conn:
            unfetched = conn.execute(
                text("SELECT count(*) FROM frontier WHERE state IN ('pending', 'claimed')")
            ).scalar_one()
        seen.append((claimed, unfetched, handled(result)))
        return result

    monkeypatch.setattr(store, "load_ready", watched)
    ahead, summary = run_steps(engine, Settings.from_env(env))
    # One try after each of the 4 chunks; articles were loaded while the batch's later
    # chunks were still to fetch, by a task holding no claim, and the run adds up.
    assert [unfetched for _, unfetched, _ in seen] == [14, 8, 2, 0]
    assert [claimed for claimed, _, _ in seen] == [0, 0, 0, 0]
    assert sum(n for _, unfetched, n in seen if unfetched) > 0
    assert ahead == sum(n for _, _, n in seen)
    assert summary["loaded"] + summary["duplicates"] == summary["extracted"] > 15


def test_a_fetch_task_goes_past_its_batch_once_every_fetch_task_has_claimed(
    engine: Engine, tmp_path: Path
) -> None:
    env = bench_env(tmp_path, 24, NEWSWIRE_BATCH_SIZE="6", NEWSWIRE_LOAD_AHEAD="off")
    settings = Settings.from_env(env)
    clean = clean_run(engine, settings)

    run_key = windows.new_run_key(throughput_bench.WINDOW)
    names = pipeline.list_sources(settings)
    discover(engine, settings, run_key)
    batches = pipeline.plan_batches(run_key, names, settings=settings, engine=engine)
    assert batches == [0, 1, 2, 3]

    def pending() -> int:
        with engine.connect() as conn:
            return frontier.pending_count(conn, run_key, names)

    # Alone (tasks 1-3 not started yet), task 0 stops at its batch: the rest is theirs.
    first = pipeline.process_batch(run_key, 0, names, batches=4, settings=settings, engine=engine)
    assert fetched(first) == 6 and pending() == 18
    # Tasks 1 and 2 start and claim a first item each (still fetching it)...
    with engine.begin() as conn:
        for batch_no in (1, 2):
            token = frontier.claim_token(run_key, batch_no)
            assert len(frontier.claim(conn, run_key, names, token, 1)) == 1
        assert frontier.claimers(conn, run_key) == 3
    # ...so task 3, the last to start, takes everything left once its own batch is done.
    last = pipeline.process_batch(run_key, 3, names, batches=4, settings=settings, engine=engine)
    assert fetched(last) == 16 and pending() == 0
    # Tasks 1 and 2 finish the item they hold and find nothing more to claim.
    for batch_no in (1, 2):
        counts = pipeline.process_batch(
            run_key, batch_no, names, batches=4, settings=settings, engine=engine
        )
        assert fetched(counts) == 1
    finish_as_clean(engine, settings, run_key, clean)


def test_a_new_run_of_the_window_takes_over_what_a_dead_run_left_after_the_lease(
    engine: Engine, tmp_path: Path
) -> None:
    env = bench_env(tmp_path, 24, NEWSWIRE_BATCH_SIZE="8", NEWSWIRE_LOAD_AHEAD="off")
    settings = Settings.from_env(env)
    clean = clean_run(engine, settings)
    names = pipeline.list_sources(settings)

    def held_by(run_key: str) -> dict[str, int]:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT state, count(*) FROM frontier WHERE run_key = :r GROUP BY 1"),
                {"r": run_key},
            ).all()
        return {state: int(n) for state, n in rows}

    # Run A stages its first batch, claims 5 more items and dies without loading anything.
    dead = windows.new_run_key(throughput_bench.WINDOW)
    discover(engine, settings, dead)
    pipeline.process_batch(dead, 0, names, settings=settings, engine=engine)
    with engine.begin() as conn:
        assert len(frontier.claim(conn, dead, names, f"{dead}#1", 5)) == 5
    assert held_by(dead) == {"fetched": 8, "claimed": 5, "pending": 11}

    # A new run within the lease takes over only the pending items: A may still be running.
    run_key = windows.new_run_key(throughput_bench.WINDOW)
    early = discover(engine, settings, run_key)
    assert (early["enqueued"], early["known"], early["taken_over"]) == (11, 13, 0)
    assert held_by(dead) == {"fetched": 8, "claimed": 5}

    # Past the lease, its discovery (a retry, or any later run) takes A's items over: the
    # staged articles are dropped and fetched again, and the run loads each page once.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE frontier SET claimed_at = claimed_at - :lease WHERE run_key = :r"),
            {"lease": frontier.CLAIM_LEASE, "r": dead},
        )
    late = discover(engine, settings, run_key)
    assert (late["enqueued"], late["known"], late["taken_over"]) == (24, 0, 13)
    assert held_by(dead) == {}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM staged_articles")).scalar_one() == 0
    for batch in pipeline.plan_batches(run_key, names, settings=settings, engine=engine):
        pipeline.process_batch(run_key, batch, names, settings=settings, engine=engine)
    finish_as_clean(engine, settings, run_key, clean)
