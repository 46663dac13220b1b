"""`newswire import` on random records: every line is reported, no record aborts the rest.

Random JSON records (missing, null and wrong-typed fields, huge and empty strings, bad dates,
non-http URLs, unicode, NUL characters, paywall prompts ending the body, duplicate ids) are
mixed with valid ones; seeds are fixed, so a failure repeats.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bench import syndication
from newswire.load import checks, transfer

WHEN = datetime(2026, 3, 2, 9, tzinfo=UTC)

# Outcomes of a stored record.
STORED = {"new", "alias", "near-duplicate", "version"}

# A paywall prompt as the last paragraph of a body (the clean stage strips it).
PAYWALL_PROMPT = "Subscribe to continue reading."

Record = dict[str, Any]

# Values of the wrong JSON type for a string field.
WRONG_TYPES: tuple[object, ...] = (7, 2.5, True, [], {}, ["a"], {"k": "v"})
BAD_DATES = ("yesterday", "2026-13-45", "0000-00-00", "31/02/2026 25:61", "year 99999999")
BAD_URLS = ("ftp://x.test/a", "javascript:alert(1)", "mailto:a@x.test", "/relative", "http://")
UNICODE = (" Zürich \u6771\u4eac \U0001f389 \u202eevil\u202c", "\u0635\u062d\u0641\u064a", "ﬁ½")
# Lines that are no record: bad JSON, other JSON values, nesting too deep, an integer too long.
JUNK = ("not json", "[1, 2]", "null", '"text"', '{"id": 1', "{}", "[" * 100_000, "9" * 5000)
FIELDS = ("id", "url", "source", "title", "body", "published_at", "agency", "language")


def _huge(rng: random.Random) -> str:
    return " ".join(rng.choice(("alpha", "beta", "gamma", "delta")) for _ in range(60_000))


def _mutate(rng: random.Random, record: Record, earlier_ids: list[str]) -> Record:
    """record with one random fault (it may still be a valid record)."""
    out = dict(record)
    name = rng.choice(FIELDS)
    fault = rng.choice(
        (
            "drop",
            "null",
            "wrong_type",
            "huge",
            "empty",
            "bad_date",
            "bad_url",
            "unicode",
            "nul",
            "surrogate",
            "paywall",
            "paywall_free",
            "duplicate_id",
            "bad_paragraphs",
            "bad_access",
            "nul_extra",
            "huge_url",
        )
    )
    if fault == "drop":
        out.pop(name, None)
    elif fault == "null":
        out[name] = None
    elif fault == "wrong_type":
        out[name] = rng.choice(WRONG_TYPES)
    elif fault == "huge":
        out[name] = _huge(rng) if name in ("body", "title") else "x" * rng.randint(3000, 9000)
    elif fault == "empty":
        out[name] = rng.choice(("", "   ", "\n\n"))
    elif fault == "bad_date":
        out["published_at"] = rng.choice(BAD_DATES)
    elif fault == "bad_url":
        out["url"] = rng.choice(BAD_URLS)
    elif fault == "unicode":
        out["title"] = str(out.get("title")) + rng.choice(UNICODE)
        out["body"] = str(out.get("body")) + rng.choice(UNICODE)
    elif fault == "nul":
        out[rng.choice(("title", "body", "source", "agency"))] = "before\x00after"
    elif fault == "surrogate":
        out["body"] = str(out.get("body")) + " \ud800"
    elif fault in ("paywall", "paywall_free"):
        out["body"] = str(out.get("body")) + "\n\n" + PAYWALL_PROMPT
        if fault == "paywall_free":
            out["access"] = "free"
    elif fault == "duplicate_id" and earlier_ids:
        out["id"] = rng.choice(earlier_ids)
    elif fault == "bad_paragraphs":
        out["paragraphs"] = rng.choice(([1, 2], "one paragraph", [None]))
    elif fault == "bad_access":
        out["access"] = rng.choice(("open", 1, ""))
    elif fault == "nul_extra":
        out["note"] = "a\x00b"
    elif fault == "huge_url":
        out["url"] = "https://x.test/" + "a" * 4000
    return out


def _corpus(seed: int, count: int) -> tuple[list[str], set[int]]:
    """JSONL lines (valid and random records, junk lines) and the line numbers of valid ones."""
    rng = random.Random(seed)
    gen = syndication.Generator(seed)
    lines: list[str] = []
    valid: set[int] = set()
    ids: list[str] = []
    for i in range(count):
        doc = gen.wire_story(f"s{i}", WHEN + timedelta(minutes=i))
        record = next(syndication.records([doc]))
        record["id"] = f"{seed}-{i}"
        roll = rng.random()
        if roll < 0.4:
            valid.add(len(lines) + 1)
            lines.append(json.dumps(record))
        elif roll < 0.92:
            lines.append(json.dumps(_mutate(rng, record, ids)))
        else:
            lines.append(rng.choice(JUNK))
        ids.append(str(record["id"]))
    return lines, valid


def _import(engine: Engine, lines: list[str], batch: int) -> list[Record]:
    report = io.StringIO()
    outcomes = transfer.import_jsonl(engine, io.StringIO("\n".join(lines) + "\n"), report, batch)
    rows = [json.loads(line) for line in report.getvalue().splitlines()]
    assert sum(outcomes.values()) == len(rows)
    return rows


def _check_report(engine: Engine, lines: list[str], valid: set[int], rows: list[Record]) -> None:
    """One report row per line, in order; valid lines stored; every other row has a reason."""
    assert [r["line"] for r in rows] == list(range(1, len(lines) + 1))
    with engine.connect() as conn:
        stored_ids = set(conn.execute(text("SELECT id FROM articles")).scalars())
        inconsistent = conn.execute(
            text("SELECT count(*) FROM articles WHERE paywalled <> (access <> 'free')")
        ).scalar_one()
    assert inconsistent == 0
    for row in rows:
        if row["line"] in valid:
            assert row["outcome"] in STORED, (row, lines[row["line"] - 1][:200])
        if row["outcome"] in STORED:
            assert row["article_id"] in stored_ids and "reason" not in row
        else:
            assert row["outcome"] == transfer.REJECTED and row["reason"], row


@pytest.mark.parametrize("seed", [3, 11])
def test_random_records_never_abort_an_import(engine: Engine, seed: int) -> None:
    lines, valid = _corpus(seed, 90)
    rows = _import(engine, lines, batch=8)
    _check_report(engine, lines, valid, rows)
    reasons = {r["reason"].split(":")[0] for r in rows if r["outcome"] == transfer.REJECTED}
    assert {"url", "source", "published_at"} <= reasons, reasons
    # A body ending in a paywall prompt is stored, access and paywalled agreeing.
    with engine.connect() as conn:
        prompted = conn.execute(
            text("SELECT access, paywalled FROM articles WHERE prompts_stripped <> '{}'")
        ).all()
    assert prompted and all(r.paywalled and r.access != "free" for r in prompted)


def test_a_paywall_prompt_at_the_end_makes_a_consistent_article() -> None:
    doc = syndication.Generator(5).wire_story("s", WHEN)
    record = next(syndication.records([doc]))
    for access in (None, "free"):
        prompted = {**record, "body": record["body"] + "\n\n" + PAYWALL_PROMPT, "access": access}
        article = transfer.article_from_record(prompted)
        assert article.paywalled and article.access == "paywalled"
        assert checks.problem(article) is None
    metered = transfer.article_from_record({**record, "access": "metered"})
    assert metered.paywalled and metered.access_evidence == ("record:access=metered",)


def _unchecked(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], str | None]:
    """Turn off the checks made before writing (the database's refusal is the last resort)."""
    original = checks.problem
    monkeypatch.setattr(checks, "problem", lambda article: None)
    return original


def test_a_record_the_database_refuses_is_rejected_alone(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = syndication.Generator(9)
    records = [next(syndication.records([gen.wire_story(f"s{i}", WHEN)])) for i in range(6)]
    for i, record in enumerate(records):
        record["id"] = f"r{i}"
        record["url"] = f"https://wire.test/a/{i}"
    # Too long for the btree indexes on canonical_url and source (random: no compression).
    rng = random.Random(1)
    records[2]["url"] += "/" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=8000))
    records[4]["source"] = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=8000))
    original = _unchecked(monkeypatch)
    assert original(transfer.article_from_record(records[4])).startswith("source: longer")
    rows = _import(engine, [json.dumps(r) for r in records], batch=10)
    _check_report(engine, [json.dumps(r) for r in records], {1, 2, 4, 6}, rows)
    rejected = {r["line"]: r["reason"] for r in rows if r["outcome"] == transfer.REJECTED}
    assert sorted(rejected) == [3, 5]
    assert all(reason.startswith("database: ") for reason in rejected.values()), rejected
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == 4
