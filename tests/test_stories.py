"""Near-duplicates and stories: each kind of copy, each hard negative, versions, concurrency."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from bench import syndication
from bench.syndication import Doc, Generator
from newswire.dedup import decide, signatures
from newswire.load import store, transfer
from newswire.models import Article
from test_frontier_load import stage

WHEN = datetime(2026, 1, 15, 9, tzinfo=UTC)


def fp(
    doc: Doc, boilerplate: frozenset[int] = frozenset(), *, named: bool = True
) -> signatures.Fingerprint:
    paragraphs = article_of(doc).paragraphs
    cased = paragraphs if named else None
    return signatures.fingerprint(signatures.sentences(paragraphs), boilerplate, cased)


def article_of(doc: Doc) -> Article:
    return transfer.article_from_record(next(syndication.records([doc])))


@pytest.fixture
def gen() -> Generator:
    return Generator(seed=3)


@pytest.mark.parametrize("kind", syndication.EDITS)
def test_each_kind_of_copy_verifies_as_the_same_story(gen: Generator, kind: str) -> None:
    for n in range(5):  # several originals: the rule must not depend on one text
        original = gen.wire_story(f"s{n}", WHEN)
        copy = gen.edit(original, kind)
        assert decide.verify(fp(original), fp(copy)) is not None, (kind, n)


def test_combined_edits_with_known_outlet_boilerplate_verify(gen: Generator) -> None:
    original = gen.wire_story("s", WHEN)
    copy = gen.republish(original, "herald", WHEN + timedelta(hours=1))
    noise = frozenset(s.hash for p in gen.boilerplate["herald"] for s in signatures.sentences([p]))
    assert decide.verify(fp(original), fp(copy, noise)) is not None


def test_split_siblings_sharing_dateline_and_background_stay_apart(gen: Generator) -> None:
    for n in range(10):
        siblings = gen.split_siblings(f"split{n}", WHEN, 3)
        assert siblings[0].paragraphs[-2:] == siblings[1].paragraphs[-2:]  # shared background
        for a in siblings:
            for b in siblings:
                if a is not b:
                    assert decide.verify(fp(a), fp(b)) is None
                    for kind in ("trim", "editor_note", "reorder"):
                        assert decide.verify(fp(gen.edit(a, kind)), fp(b)) is None


@pytest.mark.parametrize("family", ["earnings", "scores", "markets"])
def test_template_siblings_stay_apart(gen: Generator, family: str) -> None:
    stories = [gen.template_story(f"t{n}", family, WHEN) for n in range(8)]
    for i, a in enumerate(stories):
        for b in stories[i + 1 :]:
            assert decide.verify(fp(a), fp(b)) is None
            for kind in ("brief", "paywall", "typos", "merge"):  # nor do their copies
                assert decide.verify(fp(gen.edit(a, kind)), fp(b)) is None
        assert decide.verify(fp(a), fp(gen.edit(a, "credit"))) is not None  # copies still match


@pytest.mark.parametrize("family", ["earnings", "scores", "markets"])
def test_template_siblings_with_other_names_and_the_same_figures_stay_apart(
    gen: Generator, family: str
) -> None:
    first = gen.template_story("t-0", family, WHEN)
    siblings = [
        d for _ in range(4) for d in gen.template_siblings(first, family, gen.figures["t-0"])
    ]
    same = [d for d in siblings if gen.figures[d.label] == gen.figures["t-0"]]
    assert same and len(same) < len(siblings)
    # Without names some of the same-figure siblings would verify: only the names tell them
    # apart (score reports are so short and so full of names that they share too few shingles).
    unnamed = fp(first, named=False)
    verified = any(decide.verify(unnamed, fp(d, named=False)) for d in same)
    assert verified == (family != "scores")
    for sibling in siblings:
        assert decide.verify(fp(first), fp(sibling)) is None
        assert decide.verify(fp(gen.edit(sibling, "paywall")), fp(first)) is None
        for kind in ("brief", "paywall", "credit", "typos"):  # copies share the names
            assert decide.verify(fp(sibling), fp(gen.edit(sibling, kind))) is not None, kind


def test_names_are_capitalised_words_not_opening_a_sentence_or_clause() -> None:
    names = signatures.name_hashes(
        [
            'LONDON (Reuters) - Shares in Northgate Capital rose, said: "The bank held 12 bn." '
            "Analysts at Kestrel Partners in Zürich agreed. İstanbul traders did too."
        ]
    )
    expected = {"northgate", "capital", "kestrel", "partners", "zürich"}
    assert names == {signatures.word_hash(w) for w in expected}


def test_a_stored_candidate_s_names_come_from_its_body(engine: Engine, gen: Generator) -> None:
    first = gen.template_story("t-0", "earnings", WHEN)
    siblings = gen.template_siblings(first, "earnings", gen.figures["t-0"])
    same = [d for d in siblings if gen.figures[d.label] == gen.figures["t-0"]]
    while not same:
        siblings = gen.template_siblings(first, "earnings", gen.figures["t-0"])
        same = [d for d in siblings if gen.figures[d.label] == gen.figures["t-0"]]
    later = WHEN + timedelta(hours=5)
    cut = replace(gen.republish(first, "post", later), paragraphs=first.paragraphs[:3])
    docs = [first, replace(same[0], published_at=later), cut]
    for doc in docs:  # one at a time: each decided against the stored ones
        import_docs(engine, [doc])
    with engine.connect() as conn:
        stories = conn.execute(text("SELECT story_id FROM articles ORDER BY id")).scalars().all()
    assert len(stories) == 3 and stories[0] == stories[2] != stories[1]


def test_outlet_boilerplate_does_not_count_as_shared_content(gen: Generator) -> None:
    a, b = gen.wire_story("a", WHEN), gen.wire_story("b", WHEN)
    brief_a = replace(gen.edit(a, "brief"), paragraphs=(*gen.boilerplate["post"], "x"))
    wrapped_a = replace(a, paragraphs=(gen.boilerplate["post"][0], *a.paragraphs[:2]))
    wrapped_b = replace(b, paragraphs=(gen.boilerplate["post"][0], *b.paragraphs[:2]))
    assert decide.verify(fp(wrapped_a), fp(wrapped_b)) is None
    assert decide.verify(fp(brief_a), fp(wrapped_b)) is None


def records(docs: list[Doc]) -> io.StringIO:
    return io.StringIO("".join(json.dumps(r) + "\n" for r in syndication.records(docs)))


def import_docs(engine: Engine, docs: list[Doc]) -> list[dict[str, object]]:
    report = io.StringIO()
    transfer.import_jsonl(engine, records(docs), report)
    return [json.loads(line) for line in report.getvalue().splitlines()]


def test_host_boilerplate_is_learnt_and_copies_join_one_story(
    engine: Engine, gen: Generator
) -> None:
    originals = [gen.wire_story(f"s{n}", WHEN + timedelta(minutes=n)) for n in range(6)]
    copies = [
        gen.republish(replace(o, paragraphs=o.paragraphs), "courier", o.published_at)
        for o in originals
    ]
    rows = import_docs(engine, [d for pair in zip(originals, copies, strict=True) for d in pair])
    stories = [r["story_id"] for r in rows]
    assert stories[0::2] == stories[1::2]  # every copy joined its original's story
    assert len(set(stories)) == 6  # and no two stories merged through the courier's chrome
    with engine.connect() as conn:
        learnt = conn.execute(
            text(
                "SELECT count(*) FROM host_sentences WHERE host = 'courier.example'"
                " AND stories >= :n"
            ),
            {"n": decide.BOILERPLATE_MIN_STORIES},
        ).scalar_one()
        counts = conn.execute(text("SELECT article_count FROM stories ORDER BY id")).scalars()
        assert list(counts) == [2] * 6
    assert learnt >= 2  # the courier's opening and closing paragraphs


def test_story_representative_is_the_wire_original(engine: Engine, gen: Generator) -> None:
    original = gen.wire_story("s", WHEN)
    early_copy = replace(
        gen.republish(original, "post", WHEN), published_at=WHEN - timedelta(hours=1)
    )
    rows = import_docs(engine, [early_copy, original])
    assert rows[0]["story_id"] == rows[1]["story_id"]
    with engine.connect() as conn:
        story = conn.execute(text("SELECT * FROM stories")).one()
    assert story.representative_article_id == rows[1]["article_id"]
    assert story.title == original.title and story.agency == original.agency
    assert story.first_published_at == WHEN - timedelta(hours=1)
    assert story.article_count == 2


@pytest.mark.parametrize("copy_agency", ["inside a word", "punctuation only"])
def test_agency_letters_inside_a_word_of_a_copy_url_do_not_make_it_the_original(
    engine: Engine, gen: Generator, copy_agency: str
) -> None:
    """The wire original is told by its agency as a word of its source or URL ("apnews",
    "wire-ap"), not by the agency's letters inside another word ("theapers"); an agency
    without letters names no word."""
    original = gen.wire_story("s", WHEN)
    assert original.agency is not None
    copy = gen.republish(original, "post", WHEN)
    if copy_agency == "inside a word":
        url, agency = copy.url.replace("://", f"://the{original.agency.lower()}ers.", 1), None
    else:
        url, agency = copy.url, "—"
    early_copy = replace(
        copy,
        url=url,
        agency=agency or original.agency,
        published_at=WHEN - timedelta(hours=1),
    )
    rows = import_docs(engine, [early_copy, original])
    assert rows[0]["story_id"] == rows[1]["story_id"]
    with engine.connect() as conn:
        story = conn.execute(text("SELECT * FROM stories")).one()
    assert story.representative_article_id == rows[1]["article_id"]


def test_changed_text_at_a_known_url_is_a_version(engine: Engine, gen: Generator) -> None:
    original = gen.wire_story("s", WHEN)
    updated = gen.version(original, WHEN + timedelta(hours=2))
    rows = [
        *import_docs(engine, [original]),
        *import_docs(engine, [updated]),
        *import_docs(engine, [original]),  # a stale copy of the old text: no new version
    ]
    assert [r["outcome"] for r in rows] == ["new", "version", "alias"]
    assert {r["article_id"] for r in rows} == {rows[0]["article_id"]}
    assert {r["story_id"] for r in rows} == {rows[0]["story_id"]}
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT body FROM article_versions")).scalars().all()
        body = conn.execute(text("SELECT body FROM articles")).scalar_one()
        count = conn.execute(text("SELECT article_count FROM stories")).scalar_one()
    assert versions == [article_of(original).body]
    assert body == article_of(updated).body and count == 1


def test_exact_copies_stay_aliases(engine: Engine, gen: Generator) -> None:
    original = gen.wire_story("s", WHEN)
    rows = import_docs(engine, [original, gen.exact_copy(original, WHEN + timedelta(hours=1))])
    assert [r["outcome"] for r in rows] == ["new", "alias"]
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM article_urls ORDER BY kind")).scalars().all()
    assert kinds == ["canonical", "republication"]


def test_two_workers_loading_near_copies_at_once_make_one_story(
    engine: Engine, gen: Generator
) -> None:
    original = gen.wire_story("s", WHEN)
    first = replace(article_of(original), source="s")
    second = replace(
        article_of(gen.edit(gen.edit(original, "trim"), "credit")),
        source="t",
        url="http://other.test/copy",
        canonical_url="http://other.test/copy",
    )
    stage(engine, "run-a", [first])
    stage(engine, "run-b", [second])
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(run_key: str) -> None:
        try:
            barrier.wait()
            store.load_run(engine, run_key, batch_size=10)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in ("run-a", "run-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT story_id FROM articles")).scalars().all()
        stories = conn.execute(text("SELECT article_count FROM stories")).scalars().all()
    assert len(rows) == 2 and len(set(rows)) == 1
    assert stories == [2]


def test_import_report_and_export(engine: Engine, gen: Generator, tmp_path) -> None:
    original = gen.wire_story("s", WHEN)
    docs = [original, gen.republish(original, "gazette", WHEN + timedelta(hours=1))]
    bad = '{"id": "bad", "url": "http://x.test/1"}\nnot json\n'
    stream = io.StringIO(records(docs).getvalue() + bad)
    report = io.StringIO()
    outcomes = transfer.import_jsonl(engine, stream, report)
    assert dict(outcomes) == {"new": 1, "near-duplicate": 1, "rejected": 2}
    rows = [json.loads(line) for line in report.getvalue().splitlines()]
    assert [r["input_id"] for r in rows[:3]] == ["rec000000", "rec000001", "bad"]
    assert rows[2]["reason"] == "source: missing" and rows[3]["line"] == 4
    out = io.StringIO()
    assert transfer.export(engine, out, "jsonl") == 2
    exported = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {e["story_id"] for e in exported} == {rows[0]["story_id"]}
    assert exported[0]["extra"]["label"] == "s" and exported[0]["extra"]["input_id"] == "rec000000"
    csv_out = io.StringIO()
    transfer.export(engine, csv_out, "csv")
    header = csv_out.getvalue().splitlines()[0]
    assert header.startswith("id,story_id,canonical_url")


def test_articles_loaded_before_004_get_a_story_each(
    pg_server: str, tmp_path, gen: Generator
) -> None:
    import shutil
    import uuid

    from conftest import _with_database
    from newswire.db.engine import make_engine, sqlalchemy_url
    from newswire.db.migrate import migrations_dir, upgrade

    before = tmp_path / "sql"
    before.mkdir()
    for path in sorted(migrations_dir().glob("00[12]_*.sql")):
        shutil.copy(path, before / path.name)
    name = f"newswire_t_{uuid.uuid4().hex[:10]}"
    admin = make_engine(sqlalchemy_url(pg_server))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_with_database(pg_server, name))
    try:
        upgrade(engine, before)
        with engine.begin() as conn:
            for n in (1, 2):
                conn.execute(
                    text(
                        "INSERT INTO articles (canonical_url, source, title, body, content_hash,"
                        " word_count, extractor_version) VALUES (:u, 's', :t, 'b', :h, 1, 'x')"
                    ),
                    {"u": f"http://old.test/{n}", "t": f"old {n}", "h": f"h{n}"},
                )
        upgrade(engine)
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT a.id, a.story_id, s.representative_article_id, s.article_count,"
                    " s.title FROM articles a JOIN stories s ON s.id = a.story_id ORDER BY a.id"
                )
            ).all()
            fresh = store.store_articles(conn, [article_of(gen.wire_story("s", WHEN))])
        assert [(r.representative_article_id, r.article_count, r.title) for r in rows] == [
            (rows[0].id, 1, "old 1"),
            (rows[1].id, 1, "old 2"),
        ]
        assert fresh[0].outcome == "new" and fresh[0].story_id not in {r.story_id for r in rows}
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_cli_import_then_export_csv(
    db_url: str, tmp_path, gen: Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv

    from typer.testing import CliRunner

    from newswire.cli import app

    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", db_url)
    original = gen.wire_story("s", WHEN)
    source = tmp_path / "in.jsonl"
    brief = replace(gen.edit(original, "brief"), url="https://other.example/brief")
    source.write_text(records([original, brief]).getvalue())
    result = CliRunner().invoke(app, ["import", str(source)])
    assert result.exit_code == 0, result.output
    assert "near-duplicate=1" in result.output and "new=1" in result.output
    report = [json.loads(x) for x in (tmp_path / "in.report.jsonl").read_text().splitlines()]
    assert [r["outcome"] for r in report] == ["new", "near-duplicate"]
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["story_id"]) for r in rows] == [report[0]["story_id"]] * 2


def test_importing_signatures_starts_no_blas_thread_pool() -> None:
    """A task process that imports numpy through newswire stays one thread (no OpenBLAS pool)."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    probe = "import os, newswire.dedup.signatures; print(len(os.listdir('/proc/self/task')))"
    shown = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "1"
