"""make bench-query: latency of search_articles() and the views on a synthetic news database.

Builds (or reuses) a separate database `newswire_bench` with N generated articles in several
languages, their stories, URLs and a year of ingest_runs, then runs each query many times and
prints median and p95 latency and the plans (with the plans of the statements inside
search_articles(), through auto_explain when the server allows it).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg2
from sqlalchemy.engine import make_url

from newswire.db.engine import embedded_database_url, make_engine, sqlalchemy_url
from newswire.db.migrate import migrations_dir, upgrade
from newswire.settings import Settings

# Database the benchmark builds; never the news database itself.
BENCH_DATABASE = "newswire_bench"

# Target: median latency of a 20-result search, in milliseconds.
SEARCH_TARGET_MS = 50.0

# Sources: (count, language). 20 outlets, mostly English as on real wires.
SOURCE_LANGUAGES = (("en", 14), ("de", 2), ("fr", 2), ("es", 1), ("it", 1))

# Words per generated body and title.
BODY_WORDS = 80
TITLE_WORDS = 8

# Share of articles republished by a second outlet (an extra article_urls row).
REPUBLISHED_SHARE = 0.2

# Days the generated articles span.
SPAN_DAYS = 365

# Articles per COPY statement.
COPY_CHUNK = 100_000

# Word frequency ~ 1 / rank^ZIPF_EXPONENT (Zipf's law for natural text).
ZIPF_EXPONENT = 1.0

# Vocabulary size per language: the real words below, spread among generated pseudo-words so
# that content words have realistic document frequencies (a few percent, not most documents).
VOCABULARY_SIZE = 3000

# The first real words of each list become the most frequent (function words).
FUNCTION_WORDS = 3

# One real content word every this many vocabulary ranks.
CONTENT_WORD_SPACING = 25

# Syllables of the pseudo-words.
SYLLABLES = ("ka", "ro", "mi", "ten", "sul", "dar", "vi", "lo", "ne", "tra")

# Per-language vocabularies: the first words are the most frequent in generated text.
VOCABULARY: dict[str, str] = {
    "en": (
        "the said government minister officials president talks military economy market "
        "election police court report people country city week year state security war "
        "peace deal trade oil prices bank growth inflation storm flood fire health hospital "
        "vaccine school students workers strike union parliament vote budget tax energy gas "
        "climate summit leaders ceasefire troops border refugees migrants protest arrest "
        "investigation minister spokesman agency reuters statement company shares profit "
        "losses investors exports imports football match championship coach players team "
        "scientists study research space launch satellite earthquake rescue victims damage "
        "airport flights airline railway strike bridge hurricane drought harvest farmers "
        "wheat rice coffee copper gold currency dollar euro yen sanctions embassy diplomats "
        "negotiations agreement treaty nuclear missile navy army general commander"
    ),
    "de": (
        "die der und regierung minister gespräche wirtschaft wahl polizei gericht kindern "
        "schulen land stadt woche jahr sicherheit krieg frieden handel preise bank wachstum "
        "sturm hochwasser gesundheit krankenhaus arbeiter streik parlament haushalt steuer "
        "energie klima gipfel grenze flüchtlinge protest ermittlungen unternehmen aktien"
    ),
    "fr": (
        "le la les gouvernement ministre négociations économie élection électeurs votaient "
        "police tribunal pays ville semaine année sécurité guerre paix commerce prix banque "
        "croissance tempête inondation santé hôpital grève parlement budget impôt énergie "
        "climat sommet frontière réfugiés manifestation enquête entreprise actions"
    ),
    "es": (
        "el la los gobierno ministro negociaciones economía elecciones policía tribunal país "
        "ciudad semana año seguridad guerra paz comercio precios banco crecimiento tormenta "
        "inundación salud hospital huelga parlamento presupuesto impuesto energía clima"
    ),
    "it": (
        "il la governo ministro trattative economia elezioni polizia tribunale paese città "
        "settimana anno sicurezza guerra pace commercio prezzi banca crescita tempesta"
    ),
}

# Queries timed: (label, SQL). Search results are limited to 20 rows.
QUERIES: tuple[tuple[str, str], ...] = (
    ("search: rare pair", "SELECT * FROM search_articles('earthquake rescue')"),
    ("search: common word", "SELECT * FROM search_articles('military')"),
    ("search: phrase", "SELECT * FROM search_articles('\"nuclear missile\"')"),
    (
        "search: + source + week",
        "SELECT * FROM search_articles('election', now() - interval '7 days', now(), 'src-03')",
    ),
    ("search: german", "SELECT * FROM search_articles('Kind Schule', language => 'de')"),
    ("search: all articles", "SELECT * FROM search_articles('storm flood', per_story => false)"),
    ("search: typo fallback", "SELECT * FROM search_articles('ceasfire negotiatons troopz')"),
    (
        "latest_stories: latest 20",
        "SELECT * FROM latest_stories ORDER BY first_published_at DESC NULLS LAST LIMIT 20",
    ),
    (
        "story_articles: one story",
        "SELECT * FROM story_articles WHERE story_id = (SELECT max(id) / 2 FROM stories)",
    ),
    (
        "source_health: one week",
        "SELECT * FROM source_health WHERE day > current_date - 7 AND day <= current_date",
    ),
    (
        "source_health: one source, 30 days",
        "SELECT * FROM source_health WHERE source = 'src-01' AND day > current_date - 30",
    ),
)


def _admin_dsn(args: argparse.Namespace) -> str:
    url = args.database_url or embedded_database_url(Settings.from_env().data_dir)
    return make_url(sqlalchemy_url(url)).set(drivername="postgresql").render_as_string(False)


def _dsn_for(admin_dsn: str, name: str) -> str:
    return make_url(admin_dsn).set(database=name).render_as_string(hide_password=False)


def _article_count(dsn: str) -> int | None:
    try:
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM articles")
            return int(cur.fetchone()[0])
    except psycopg2.Error:
        return None


def build(admin_dsn: str, articles: int, rebuild: bool) -> str:
    """(Re)create the bench database with `articles` generated articles; return its DSN."""
    dsn = _dsn_for(admin_dsn, BENCH_DATABASE)
    if not rebuild and _article_count(dsn) == articles:
        print(f"reusing {BENCH_DATABASE} with {articles} articles")
        upgrade(make_engine(sqlalchemy_url(dsn)))  # newer migrations apply in place
        return dsn
    admin = psycopg2.connect(admin_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    admin.close()
    upgrade(make_engine(sqlalchemy_url(dsn)))
    started = time.monotonic()
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET session_replication_role = replica")  # no FK trigger per row
        _load(cur, articles)
    conn.close()
    print(f"built {articles} articles in {time.monotonic() - started:.0f} s")
    return dsn


def _step(cur: Any, label: str, sql: str, params: dict[str, Any] | None = None) -> None:
    started = time.monotonic()
    cur.execute(sql, params)
    print(f"  {label}: {time.monotonic() - started:.1f} s", flush=True)


def _vocabulary(real: list[str]) -> list[str]:
    """Function words first, then pseudo-words with a real content word every few ranks."""
    words = real[:FUNCTION_WORDS]
    content = real[FUNCTION_WORDS:]
    for rank in range(VOCABULARY_SIZE):
        if rank % CONTENT_WORD_SPACING == 0 and content:
            words.append(content.pop(0))
        else:
            digits = f"{rank:04d}"
            words.append("".join(SYLLABLES[int(d)] for d in digits) + "x")
    return words


def _article_rows(first: int, last: int, n: int, langs: list[str]) -> str:
    """COPY text rows of articles first..last: Zipf-like words from each source's language."""
    rng = random.Random(first)
    vocab = {lang: _vocabulary(text.split()) for lang, text in VOCABULARY.items()}
    weights = {
        lang: list(itertools.accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(w))))
        for lang, w in vocab.items()
    }
    now = datetime.now(UTC)
    agencies = ("Reuters", "AP", "AFP", r"\N")
    lines = []
    for g in range(first, last + 1):
        source = f"src-{g % len(langs):02d}"
        lang = langs[g % len(langs)]
        words = rng.choices(vocab[lang], cum_weights=weights[lang], k=BODY_WORDS + TITLE_WORDS)
        when = (now - timedelta(seconds=(n - g) * SPAN_DAYS * 86400 / n)).isoformat()
        authors = "{}" if g % 3 == 0 else f'{{"Reporter {g % 97}"}}'
        paywalled = g % 7 == 0
        fields = (
            f"https://{source}.example/a/{g}",
            source,
            " ".join(words[:TITLE_WORDS]).capitalize(),
            authors,
            when,
            lang,
            agencies[g % 4],
            " ".join(words[TITLE_WORDS:]),
            hashlib.md5(str(g).encode()).hexdigest(),
            str(BODY_WORDS),
            "t" if paywalled else "f",
            "{subscribe_wall}" if paywalled else "{}",
            "paywalled" if paywalled else "free",
            "bench",
            str(g * 3 // 5 + 1),
            when,
        )
        lines.append("\t".join(fields))
    return "\n".join(lines) + "\n"


def _load(cur: Any, n: int) -> None:
    """Generate sources' articles, stories, URLs and runs with indexes dropped, then index."""
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles'"
        " AND indexname NOT IN ('articles_pkey', 'articles_canonical_url_key',"
        " 'articles_content_hash_key')"
    )
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")  # rebuilt in bulk below: much faster than per row
    langs = [lang for lang, count in SOURCE_LANGUAGES for _ in range(count)]
    cur.execute("CREATE TEMP TABLE src (i int PRIMARY KEY, name text, lang text)")
    for i, lang in enumerate(langs):
        cur.execute("INSERT INTO src VALUES (%s, %s, %s)", (i, f"src-{i:02d}", lang))
    stories = int(n * 0.6) + 1
    params = {"n": n, "stories": stories, "days": SPAN_DAYS, "nsrc": len(langs)}
    _step(
        cur,
        "stories",
        "INSERT INTO stories (id, title)"
        " SELECT s, 'story ' || s FROM generate_series(1, %(stories)s) s",
        params,
    )
    started = time.monotonic()
    for first in range(1, n + 1, COPY_CHUNK):
        cur.copy_expert(
            "COPY articles (canonical_url, source, title, authors, published_at, language,"
            " agency, body, content_hash, word_count, paywalled, prompts_stripped, access,"
            " extractor_version, story_id, first_seen) FROM STDIN",
            io.StringIO(_article_rows(first, min(n, first + COPY_CHUNK - 1), n, langs)),
        )
        print(f"  articles: {min(n, first + COPY_CHUNK - 1)} copied", flush=True)
    print(f"  articles: {time.monotonic() - started:.1f} s", flush=True)
    _step(
        cur,
        "article_urls",
        f"""
        INSERT INTO article_urls (url, canonical_url, article_id, source, kind)
        SELECT canonical_url, canonical_url, id, source, 'canonical' FROM articles
        UNION ALL
        SELECT replace(canonical_url, source, 'mirror'), replace(canonical_url, source, 'mirror'),
               id, 'src-' || lpad(((id + 7) %% %(nsrc)s)::text, 2, '0'), 'republication'
        FROM articles WHERE id %% {round(1 / REPUBLISHED_SHARE)} = 0
        """,
        params,
    )
    _step(
        cur,
        "story figures",
        """
        UPDATE stories s SET representative_article_id = x.rep, title = x.title,
               agency = x.agency, first_published_at = x.first, article_count = x.n
        FROM (SELECT story_id, min(id) AS rep, min(title) AS title, min(agency) AS agency,
                     min(published_at) AS first, count(*) AS n
              FROM articles GROUP BY story_id) x
        WHERE x.story_id = s.id
        """,
    )
    _step(
        cur,
        "ingest_runs",
        """
        INSERT INTO ingest_runs (run_key, source, interval_start, interval_end, discovered,
            enqueued, fetched, failed, extracted, duplicates, loaded, error_summary)
        SELECT 'run-' || h, s.name, date_trunc('hour', now()) - make_interval(hours => h),
               date_trunc('hour', now()) - make_interval(hours => h - 1),
               6, 6, 5, 1, 5, 1, 4,
               CASE WHEN h %% 5 = 0 THEN '{"http_404": 1}'::jsonb ELSE '{"timeout": 1}' END
        FROM generate_series(1, %(days)s * 24) h CROSS JOIN src s
        """,
        params,
    )
    for name, indexdef in indexes:
        _step(cur, f"index {name}", indexdef)
    _step(cur, "analyze", "VACUUM ANALYZE")


def _time(run: Callable[[], None], repeat: int) -> tuple[float, float]:
    """Median and p95 in milliseconds of `repeat` runs after one warm-up."""
    run()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def _plans(conn: Any, sql: str) -> list[str]:
    """EXPLAIN of the statement, then auto_explain's plans of statements it ran inside."""
    conn.notices.clear()
    with conn.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
        outer = "\n".join(row[0] for row in cur.fetchall())
    inner = [n.strip() for n in conn.notices if "Query Text" in n]
    return [outer, *inner]


def _enable_auto_explain(conn: Any) -> bool:
    try:
        with conn.cursor() as cur:
            cur.execute("LOAD 'auto_explain'")
            cur.execute("SET auto_explain.log_min_duration = 0")
            cur.execute("SET auto_explain.log_nested_statements = on")
            cur.execute("SET auto_explain.log_level = notice")
            cur.execute("SET auto_explain.log_analyze = on")
            cur.execute("SET auto_explain.log_timing = off")
    except psycopg2.Error as exc:
        print(f"(auto_explain unavailable, inner plans not shown: {exc.pgerror})")
        conn.rollback()
        return False
    return True


def bench(dsn: str, repeat: int, show_plans: bool) -> None:
    """Time every query, then print the plans."""
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    results = []
    for label, sql in QUERIES:

        def run(sql: str = sql) -> None:
            with conn.cursor() as cur:
                cur.execute(sql)
                cur.fetchall()

        median, p95 = _time(run, repeat)
        results.append((label, median, p95))
    for name in ("top_stories_of_a_day", "story_coverage", "source_health_week"):
        sql = (migrations_dir() / "queries" / f"{name}.sql").read_text(encoding="utf-8")

        def run_file(sql: str = sql) -> None:
            with conn.cursor() as cur:
                cur.execute(sql)
                cur.fetchall()

        median, p95 = _time(run_file, repeat)
        results.append((f"sql/queries/{name}.sql", median, p95))
    with conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM articles),"
            " pg_size_pretty(pg_total_relation_size('articles'))"
        )
        count, size = cur.fetchone()
    print(f"\n{count} articles ({size} with indexes), {repeat} runs each after a warm-up\n")
    print(f"{'query':42} {'median ms':>10} {'p95 ms':>10}")
    for label, median, p95 in results:
        print(f"{label:42} {median:10.1f} {p95:10.1f}")
    searches = [m for label, m, _ in results if label.startswith("search:")]
    verdict = "meets" if statistics.median(searches) < SEARCH_TARGET_MS else "misses"
    print(
        f"\nmedian of the search medians: {statistics.median(searches):.1f} ms"
        f" ({verdict} the {SEARCH_TARGET_MS:.0f} ms target)"
    )
    if show_plans and _enable_auto_explain(conn):
        for label, sql in QUERIES:
            print(f"\n===== plan: {label}\n{sql}")
            for plan in _plans(conn, sql):
                print(plan)
    conn.close()


def main() -> None:
    """Parse arguments, build or reuse the bench database, run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000, help="articles to generate")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
    parser.add_argument(
        "--database-url",
        help="admin URL of a PostgreSQL server (default: NEWSWIRE_BENCH_DATABASE_URL or embedded)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild even when reusable")
    parser.add_argument("--no-plans", action="store_true", help="do not print EXPLAIN plans")
    args = parser.parse_args()
    args.database_url = args.database_url or os.environ.get("NEWSWIRE_BENCH_DATABASE_URL")
    dsn = build(_admin_dsn(args), args.articles, args.rebuild)
    bench(dsn, args.repeat, not args.no_plans)


if __name__ == "__main__":
    main()
