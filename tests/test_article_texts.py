"""article_texts: stored copies are verified from their stored text, kept current with the body."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from bench import syndication
from bench.syndication import Generator
from newswire.dedup import decide, signatures
from newswire.load import store, transfer
from newswire.models import Article

WHEN = datetime(2026, 1, 15, 9, tzinfo=UTC)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def article_of(doc: syndication.Doc) -> Article:
    return transfer.article_from_record(next(syndication.records([doc])))


def stored(engine: Engine, article_id: int) -> signatures.Text:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                f"SELECT {decide.STORED_TEXT_COLUMNS} FROM articles a"
                f" {decide.STORED_TEXT_JOIN} WHERE a.id = :a"
            ),
            {"a": article_id, "scheme": signatures.TEXT_SCHEME},
        ).one()
    return decide.stored_text(row)


def same(a: signatures.Text, b: signatures.Text) -> bool:
    return (a.sentence_hashes, a.lengths, a.words.tolist()) == (
        b.sentence_hashes,
        b.lengths,
        b.words.tolist(),
    )


def text_of(article: Article) -> signatures.Text:
    return signatures.Text.of(signatures.sentences(article.paragraphs))


def test_shingles_and_numbers_are_the_same_in_every_process() -> None:
    doc = Generator(seed=2).wire_story("s", WHEN)
    body = text_of(article_of(doc))
    here = sorted(signatures.shingle_hashes(body.words))
    code = (
        "from bench import syndication\n"
        "from newswire.dedup import signatures\n"
        "from newswire.load import transfer\n"
        "from datetime import datetime, UTC\n"
        "when = datetime(2026, 1, 15, 9, tzinfo=UTC)\n"
        "doc = syndication.Generator(seed=2).wire_story('s', when)\n"
        "a = transfer.article_from_record(next(syndication.records([doc])))\n"
        "t = signatures.Text.of(signatures.sentences(a.paragraphs))\n"
        "print(sorted(signatures.shingle_hashes(t.words)))\n"
    )
    env = {
        **os.environ,
        "PYTHONHASHSEED": "12345",
        "PYTHONPATH": os.pathsep.join((ROOT, os.path.join(ROOT, "plugins"))),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == str(here)
    assert len(here) > 50
    digits = [w for s in signatures.sentences(article_of(doc).paragraphs) for w in s.words]
    flagged = {signatures.word_hash(w) for w in digits if any(c.isdigit() for c in w)}
    assert signatures.verification(body, frozenset()).numbers == frozenset(flagged)


def test_removing_a_sentence_drops_its_words_and_joins_its_neighbours() -> None:
    found = signatures.sentences(["One two three four five. Six seven eight. Nine ten 11 twelve."])
    body = signatures.Text.of(found)
    middle = frozenset({found[1].hash})
    kept = [w for s in (found[0], found[2]) for w in s.words]
    assert body.content(middle).tolist() == [signatures.word_hash(w) for w in kept]
    expected = signatures.fingerprint([found[0], found[2]], ())
    got = signatures.verification(body, middle)
    assert got.shingles == expected.shingles and got.numbers == expected.numbers
    assert len(got.numbers) == 1
    round_trip = signatures.Text.from_stored(body.sentence_hashes, body.lengths, body.word_bytes())
    assert same(round_trip, body)


def test_every_new_article_and_every_new_text_is_stored(engine: Engine) -> None:
    gen = Generator(seed=7)
    original = article_of(gen.wire_story("s", WHEN))
    copy = article_of(gen.republish(gen.wire_story("s", WHEN), "herald", WHEN))
    with engine.begin() as conn:
        (one,) = store.store_articles(conn, [original])  # a batch of one
        (many,) = store.store_articles(conn, [copy])
    assert same(stored(engine, one.article_id), text_of(original))
    assert same(stored(engine, many.article_id), text_of(copy))
    changed = replace(original, paragraphs=(*original.paragraphs, "A later paragraph was added."))
    with engine.begin() as conn:
        (version,) = store.store_articles(conn, [changed])
    assert version.outcome == decide.VERSION and version.article_id == one.article_id
    assert same(stored(engine, one.article_id), text_of(changed))
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM article_texts")).scalar_one()
    assert count == 2


def test_articles_without_a_stored_text_are_verified_from_their_body(engine: Engine) -> None:
    gen = Generator(seed=8)
    wire = gen.wire_story("s", WHEN)
    original = article_of(wire)
    copies = [
        article_of(gen.republish(wire, outlet, WHEN + timedelta(hours=1)))
        for outlet in ("herald", "post")
    ]
    with engine.begin() as conn:
        (first,) = store.store_articles(conn, [original])
        # As stored before migration 009 (or by another scheme): no usable row.
        conn.execute(text("DELETE FROM article_texts"))
    assert same(stored(engine, first.article_id), text_of(original))
    with engine.begin() as conn:
        (near,) = store.store_articles(conn, [copies[0]])
        healed = "SELECT count(*) FROM article_texts WHERE article_id = :a AND scheme = :s"
        params = {"a": first.article_id, "s": signatures.TEXT_SCHEME}
        assert conn.execute(text(healed), params).scalar_one() == 1
        conn.execute(text("UPDATE article_texts SET scheme = scheme + 1"))
        (batch,) = store.store_articles(conn, copies[1:])
    assert near.outcome == batch.outcome == decide.NEAR
    assert near.story_id == batch.story_id == first.story_id
    # Each store kept the text it split, so the next lookup reads it.
    with engine.connect() as conn:
        schemes = conn.execute(
            text("SELECT article_id, scheme FROM article_texts ORDER BY 1")
        ).all()
    assert [tuple(r) for r in schemes] == [
        (i, signatures.TEXT_SCHEME)
        for i in sorted({first.article_id, near.article_id, batch.article_id})
    ]
    assert same(stored(engine, first.article_id), text_of(original))


def test_a_new_text_replaces_the_stored_text_and_index_rows(engine: Engine) -> None:
    gen = Generator(seed=9)
    article = article_of(gen.wire_story("s", WHEN))
    other = article_of(gen.wire_story("t", WHEN))
    rows = "SELECT count(*) FROM article_bands WHERE article_id = :a"
    with engine.begin() as conn:
        (result,) = store.store_articles(conn, [article])
        before = conn.execute(text(rows), {"a": result.article_id}).scalar_one()
        (rewritten,) = store.rewrite_articles(conn, [(result.article_id, other)])
        after = conn.execute(text(rows), {"a": result.article_id}).scalar_one()
    assert rewritten.outcome == decide.REEXTRACTED and rewritten.article_id == result.article_id
    assert same(stored(engine, result.article_id), text_of(other))
    assert before == after == signatures.NUM_BANDS  # replaced, not added
