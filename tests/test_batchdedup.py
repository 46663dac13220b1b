"""Batch dedup: the same stories whatever the batch sizes and orders; few statements a batch."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from typing import Any

import psycopg2.extensions
import pytest
from sqlalchemy import Connection, Engine

from bench import syndication
from newswire.dedup import decide, signatures
from newswire.load import store as load
from newswire.load import transfer
from newswire.models import Article
from support.dedupstate import snapshot


def corpus(stories: int, seed: int) -> list[Article]:
    """A labelled syndication corpus (originals, republications, copies, versions, templates)."""
    docs = syndication.generate(seed=seed, stories=stories)
    return [transfer.article_from_record(r) for r in syndication.records(docs)]


def in_batches(conn: Connection, articles: list[Article], size: int) -> list[load.Stored]:
    """load.store_articles over consecutive batches of size (1: one article at a time)."""
    results: list[load.Stored] = []
    for start in range(0, len(articles), size):
        results.extend(load.store_articles(conn, articles[start : start + size]))
    return results


def hard_corpus() -> list[Article]:
    """The corpus with harder cases: a page fetched twice, a paywall-cut refetch of a full text,
    a changed text at a URL first seen shortly before, bodies too short to fingerprint."""
    articles = corpus(stories=40, seed=11)
    articles.insert(40, articles[3])
    articles.insert(45, replace(articles[8], paragraphs=articles[8].paragraphs[:1], paywalled=True))
    articles.insert(50, replace(articles[12], paragraphs=(*articles[12].paragraphs, "Updated.")))
    short = replace(
        articles[20], url="https://short.example/a", canonical_url="https://short.example/a"
    )
    articles.insert(55, replace(short, paragraphs=("Markets closed higher.",)))
    articles.insert(
        56,
        replace(
            short,
            url="https://short.example/b",
            canonical_url="https://short.example/b",
            paragraphs=("Markets closed higher.",),
        ),
    )
    return articles


def test_the_same_stories_whatever_the_batch_sizes(engine: Engine) -> None:
    articles = hard_corpus()
    found = {}
    with engine.connect() as conn:
        for size in (len(articles), 60, 7, 1):
            with conn.begin() as tx:
                found[size] = snapshot(conn, in_batches(conn, articles, size))
                tx.rollback()
    expected = found[len(articles)]
    picked = [expected["outcomes"][i][::2] for i in (40, 45, 50, 56)]
    assert picked == [
        (decide.ALIAS, decide.VARIANT),  # fetched twice
        (decide.ALIAS, decide.VARIANT),  # the paywall cut keeps the full text
        (decide.VERSION, None),
        (decide.ALIAS, decide.REPUBLICATION),
    ]
    outcomes = Counter(o[0] for o in expected["outcomes"])
    # The corpus exercises every decision (else the comparison proves little).
    assert set(outcomes) == {decide.NEW, decide.NEAR, decide.ALIAS, decide.VERSION}, outcomes
    assert {o[2] for o in expected["outcomes"]} >= {decide.VARIANT, decide.REPUBLICATION}
    assert expected["host counts"] and expected["versions"]
    multi = [a for a in expected["articles"] if len(a[3]) > 1]
    assert len(multi) > 20  # stories with several articles
    for size, got in found.items():
        for name in expected:
            assert got[name] == expected[name], (size, name)


def test_the_same_stories_whatever_the_order_a_load_batch_arrives_in(engine: Engine) -> None:
    articles = hard_corpus()
    staged = [load.Staged(i + 1, (a.url,), a) for i, a in enumerate(articles)]
    found = []
    with engine.connect() as conn:
        for seed in range(3):
            shuffled = list(staged)
            random.Random(seed).shuffle(shuffled)
            with conn.begin() as tx:
                result = load.load_batch(conn, shuffled)
                found.append((snapshot(conn, []), result))
                tx.rollback()
    (expected, counts), *others = found
    assert sum(counts.near_duplicates.values()) > 0 and sum(counts.duplicates.values()) > 0
    for got, got_counts in others:
        assert got_counts == counts
        for name in expected:
            assert got[name] == expected[name], name


def test_a_batch_takes_far_fewer_statements(engine: Engine) -> None:
    seen: set[str] = set()
    unique = []  # no versions: one article per canonical URL
    for article in corpus(stories=40, seed=5):
        if article.canonical_url not in seen:
            seen.add(article.canonical_url)
            unique.append(article)
    statements: Counter[str] = Counter()

    class Counting(psycopg2.extensions.cursor):
        """Counts every statement, SQLAlchemy's and those sent on the DBAPI cursor."""

        def execute(self, query: Any, params: Any = None) -> None:
            statements[str(query)[:60]] += 1
            super().execute(query, params)

    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for size in (1, len(unique)):
            with conn.begin() as tx:
                raw.cursor_factory = Counting  # type: ignore[union-attr]
                results = in_batches(conn, unique, size)
                raw.cursor_factory = psycopg2.extensions.cursor  # type: ignore[union-attr]
                tx.rollback()
            assert Counter(r.outcome for r in results)[decide.NEAR] > 0
            if size == 1:  # one article at a time: a batch of one each
                reference, statements = statements.total(), Counter()
    assert reference >= 4 * len(unique)
    # The batch reads candidates again for an article whose boilerplate changed within the
    # batch (at most one statement per article); every other read and write is per batch.
    assert statements.total() <= len(unique) + 20, statements


@pytest.mark.parametrize("when", ["before the load", "before each chunk"])
def test_fingerprints_made_ahead_change_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    articles = corpus(stories=50, seed=13)
    made = Counter[str]()
    fingerprint = signatures.fingerprint

    def counted(*args: Any, **kwargs: Any) -> signatures.Fingerprint:
        made["fingerprints"] += 1
        return fingerprint(*args, **kwargs)

    def staged(conn: Connection, some: list[Article]) -> list[signatures.Prepared | None]:
        """As a fetch task stages them (through JSON), made with the boilerplate known now."""
        return [signatures.Prepared.from_json(p.to_json()) for p in decide.prepare(conn, some)]

    monkeypatch.setattr(signatures, "fingerprint", counted)
    with engine.connect() as conn:
        with conn.begin() as tx:
            expected = snapshot(conn, in_batches(conn, articles, 60))
            tx.rollback()
        without = made.pop("fingerprints")
        with conn.begin() as tx:
            # Before the load, no outlet's boilerplate is known yet: the fingerprints of the
            # articles that have some by the time they are loaded are stale and made again.
            upfront = staged(conn, articles) if when == "before the load" else None
            results: list[load.Stored] = []
            made.clear()
            for start in range(0, len(articles), 60):
                chunk = articles[start : start + 60]
                with monkeypatch.context() as m:
                    m.setattr(signatures, "fingerprint", fingerprint)  # not counted: in the fetch
                    ahead = upfront[start : start + 60] if upfront else staged(conn, chunk)
                results.extend(load.store_articles(conn, chunk, ahead))
            got = snapshot(conn, results)
            tx.rollback()
    with_prepared = made["fingerprints"]
    assert 0 < with_prepared < without, (with_prepared, without)  # both paths are taken
    if when == "before each chunk":
        assert with_prepared < without / 4
    for name in expected:
        assert got[name] == expected[name], name
