"""Frontier (enqueue once, concurrent SKIP LOCKED claims) and load (exact dedup, atomic batches)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from newswire.discover import frontier
from newswire.load import store
from newswire.models import Article, Item, Window, article_to_payload

WINDOW = Window(datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 1, 16, tzinfo=UTC))
BODY = (
    "PARIS (AFP) — The city council approved a new tram line on Thursday after months of debate.",
    "The line will connect the northern suburbs to the centre by 2029, officials said.",
)


def items(n: int, source: str = "s", prefix: str = "http://news.test/a") -> list[Item]:
    return [Item(f"{prefix}{i}?utm_source=rss", source, WINDOW.start) for i in range(n)]


def article(url: str, canonical: str, paragraphs: tuple[str, ...] = BODY, source: str = "s"):
    return Article(
        url=url,
        canonical_url=canonical,
        source=source,
        title="Tram line approved",
        paragraphs=paragraphs,
        published_at=WINDOW.start,
        extractor_version="test",
    )


def test_enqueue_once_per_canonical_url_and_keeps_variants(engine: Engine) -> None:
    found = [
        Item("http://news.test/a?utm_source=rss", "s", WINDOW.start),
        Item("http://news.test/a?utm_campaign=x#top", "s", WINDOW.start),
        Item("http://news.test/b", "s", WINDOW.start),
        Item("not a url", "s", WINDOW.start),
    ]
    with engine.begin() as conn:
        result = frontier.enqueue(conn, found, "run1", WINDOW)
    assert (result.discovered, result.enqueued, result.known, result.invalid) == (4, 2, 0, 1)
    with engine.begin() as conn:
        again = frontier.enqueue(conn, found, "run1", WINDOW)
        rows = conn.execute(text("SELECT url, seen_urls FROM frontier ORDER BY url")).all()
    assert again.enqueued == 2 and again.known == 0  # still pending: taken over, not duplicated
    assert [r.url for r in rows] == ["http://news.test/a", "http://news.test/b"]
    assert sorted(rows[0].seen_urls) == [
        "http://news.test/a?utm_campaign=x#top",
        "http://news.test/a?utm_source=rss",
    ]


def test_done_items_are_not_requeued(engine: Engine) -> None:
    with engine.begin() as conn:
        frontier.enqueue(conn, items(3), "run1", WINDOW)
        conn.execute(text("UPDATE frontier SET state = 'failed' WHERE url LIKE '%a0'"))
        conn.execute(text("UPDATE frontier SET state = 'fetched' WHERE url LIKE '%a1'"))
    with engine.begin() as conn:
        result = frontier.enqueue(conn, items(3), "run2", WINDOW)
        assert frontier.pending_count(conn, "run2", ["s"]) == 1
    assert (result.enqueued, result.known) == (1, 2)


def test_concurrent_claims_take_every_item_exactly_once(engine: Engine) -> None:
    with engine.begin() as conn:
        frontier.enqueue(conn, items(200), "run1", WINDOW)
    claimed: dict[str, list[int]] = {"w1": [], "w2": []}
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        barrier.wait()
        batch_no = 0
        while True:
            with engine.begin() as conn:
                got = frontier.claim(conn, "run1", ["s"], f"run1#{name}-{batch_no}", 7)
            if not got:
                return
            claimed[name].extend(c.id for c in got)
            batch_no += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    every = claimed["w1"] + claimed["w2"]
    assert len(every) == 200 and len(set(every)) == 200
    assert claimed["w1"] and claimed["w2"], "both workers should have claimed work"


def test_retried_task_resumes_its_own_claim(engine: Engine) -> None:
    with engine.begin() as conn:
        frontier.enqueue(conn, items(5), "run1", WINDOW)
        first = frontier.claim(conn, "run1", ["s"], "run1#0", 3)
    with engine.begin() as conn:
        again = frontier.claim(conn, "run1", ["s"], "run1#0", 3)
        other = frontier.claim(conn, "run1", ["s"], "run1#1", 3)
    assert [c.id for c in again] == [c.id for c in first]
    assert len(other) == 2 and not {c.id for c in other} & {c.id for c in first}


def test_failures_retry_with_backoff_then_become_permanent(engine: Engine) -> None:
    with engine.begin() as conn:
        frontier.enqueue(conn, items(1), "run1", WINDOW)
        (item,) = frontier.claim(conn, "run1", ["s"], "run1#0", 1)
        state = frontier.mark_failed(
            conn, item, "http_503", "busy", retryable=True, retry_after=120
        )
        row = conn.execute(
            text("SELECT state, last_reason, next_attempt_at - now() AS wait FROM frontier")
        ).one()
    assert state == "retry" and row.state == "retry" and row.last_reason == "http_503"
    assert row.wait.total_seconds() >= 119
    spent = frontier.Claimed(item.id, item.url, item.fetch_url, "s", None, frontier.MAX_ATTEMPTS)
    with engine.begin() as conn:
        assert frontier.mark_failed(conn, spent, "timeout", "slow", retryable=True) == "failed"
        assert frontier.mark_failed(conn, item, "http_404", "gone", retryable=False) == "failed"


def stage(engine: Engine, run_key: str, arts: list[Article]) -> None:
    import json

    found = [Item(a.url, a.source, WINDOW.start) for a in arts]
    with engine.begin() as conn:
        frontier.enqueue(conn, found, run_key, WINDOW)
        claimed = frontier.claim(conn, run_key, ["s", "t"], f"{run_key}#0", 1000)
        ids = {c.fetch_url: c.id for c in claimed}
        for a in arts:
            conn.execute(
                text(
                    "INSERT INTO staged_articles (frontier_id, run_key, source, payload)"
                    " VALUES (:f, :r, :s, CAST(:p AS jsonb))"
                ),
                {
                    "f": ids[a.url],
                    "r": run_key,
                    "s": a.source,
                    "p": json.dumps(article_to_payload(a)),
                },
            )
        frontier.mark_fetched(conn, list(ids.values()))


def counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM articles")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM article_urls")).scalar_one(),
        )


def test_exact_duplicates_become_aliases(engine: Engine) -> None:
    other = ("A different story entirely, about a harbour strike in Rotterdam on Monday.",) * 1
    stage(
        engine,
        "run1",
        [
            article("http://wire.test/tram?utm_source=rss", "http://wire.test/tram"),
            article(
                "http://courier.test/news/tram-9", "http://courier.test/news/tram-9", source="t"
            ),
            article("http://wire.test/harbour", "http://wire.test/harbour", other),
        ],
    )
    result = store.load_run(engine, "run1", batch_size=2)  # the copy lands in a later batch
    assert dict(result.loaded) == {"s": 2} and dict(result.duplicates) == {"t": 1}
    with engine.connect() as conn:
        urls = conn.execute(
            text(
                "SELECT u.url, u.kind, a.canonical_url FROM article_urls u"
                " JOIN articles a ON a.id = u.article_id ORDER BY u.url"
            )
        ).all()
        states = conn.execute(text("SELECT DISTINCT state FROM frontier")).scalars().all()
        staged = conn.execute(text("SELECT count(*) FROM staged_articles")).scalar_one()
    assert [(u.url, u.kind, u.canonical_url) for u in urls] == [
        ("http://courier.test/news/tram-9", "republication", "http://wire.test/tram"),
        ("http://wire.test/harbour", "canonical", "http://wire.test/harbour"),
        ("http://wire.test/tram", "canonical", "http://wire.test/tram"),
        ("http://wire.test/tram?utm_source=rss", "variant", "http://wire.test/tram"),
    ]
    assert states == ["done"] and staged == 0
    # a later run discovering a new variant of a loaded page: recorded, not refetched
    with engine.begin() as conn:
        found = [Item("http://wire.test/tram?utm_source=atom", "s", WINDOW.start)]
        result2 = frontier.enqueue(conn, found, "run2", WINDOW)
    assert (result2.enqueued, result2.known, result2.aliases) == (0, 1, 1)
    assert sum(store.load_run(engine, "run2", batch_size=10).loaded.values()) == 0
    assert counts(engine) == (2, 5)


def test_failure_mid_batch_leaves_nothing_half_written(engine: Engine, monkeypatch) -> None:
    stage(
        engine,
        "run1",
        [
            article("http://wire.test/one", "http://wire.test/one"),
            article("http://wire.test/two", "http://wire.test/two", ("Another body text here.",)),
        ],
    )

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_upsert_urls", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        store.load_run(engine, "run1", batch_size=10)
    assert counts(engine) == (0, 0)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM staged_articles")).scalar_one() == 2
        assert set(conn.execute(text("SELECT state FROM frontier")).scalars()) == {"fetched"}
    monkeypatch.undo()
    result = store.load_run(engine, "run1", batch_size=10)
    assert sum(result.loaded.values()) == 2 and counts(engine) == (2, 2)


def test_copy_declaring_the_original_canonical_keeps_the_originals_row(engine: Engine) -> None:
    original = article("http://wire.test/tram?utm_source=rss", "http://wire.test/tram")
    later = WINDOW.start.replace(hour=5)
    copy = Article(
        url="http://courier.test/news/tram-9?fbclid=x",
        canonical_url="http://wire.test/tram",  # the courier's page points at the wire original
        source="t",
        title="Tram line approved - Courier",
        paragraphs=BODY,
        published_at=later,
        extractor_version="test",
    )
    stage(engine, "run1", [copy, original])  # arrival order must not matter
    result = store.load_run(engine, "run1", batch_size=10)
    assert sum(result.loaded.values()) == 1 and sum(result.duplicates.values()) == 1
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT url, kind, source FROM article_urls ORDER BY url")).all()
        owner = conn.execute(text("SELECT source FROM articles")).scalar_one()
    assert owner == "s"
    assert [(r.url, r.kind, r.source) for r in rows] == [
        ("http://courier.test/news/tram-9?fbclid=x", "republication", "t"),
        ("http://wire.test/tram", "canonical", "s"),
        ("http://wire.test/tram?utm_source=rss", "variant", "s"),
    ]
