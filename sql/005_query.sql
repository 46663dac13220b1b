-- 005_query: per-language full-text search, trigram titles, search_articles(), the analyst
-- views (latest_stories, story_articles, source_health) and the reader/writer roles.
-- Forward-only: never edit an applied migration, add a new numbered file instead.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Text-search configuration of an article language ('de', 'de-AT' → german; unknown → simple).
CREATE FUNCTION newswire_search_config(lang text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE split_part(lower(coalesce(lang, '')), '-', 1)
    WHEN 'en' THEN 'english'::regconfig
    WHEN 'de' THEN 'german'::regconfig
    WHEN 'fr' THEN 'french'::regconfig
    WHEN 'es' THEN 'spanish'::regconfig
    ELSE 'simple'::regconfig
END;
COMMENT ON FUNCTION newswire_search_config(text) IS
    'Text-search configuration for an article language: english, german, french, spanish, else simple.';

-- Title (weight A) and body (weight B) stemmed with the article's own language.
ALTER TABLE articles ADD COLUMN search_vector_lang tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector(newswire_search_config(language), coalesce(title, '')), 'A')
    || setweight(to_tsvector(newswire_search_config(language), body), 'B')
) STORED;
COMMENT ON COLUMN articles.search_vector_lang IS
    'Title (A) and body (B) stemmed with newswire_search_config(language); GIN-indexed.';
COMMENT ON COLUMN articles.search_vector IS
    'Title (A) and body (B) stemmed as English whatever the language (see search_vector_lang).';
CREATE INDEX articles_search_lang_idx ON articles USING gin (search_vector_lang);
CREATE INDEX articles_title_trgm_idx ON articles USING gin (title gin_trgm_ops);

-- UTC day an article belongs to in source_health (published, else first seen); indexed.
CREATE FUNCTION newswire_article_day(published_at timestamptz, first_seen timestamptz)
    RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (timezone('UTC', coalesce(published_at, first_seen)))::date;
CREATE INDEX articles_day_source_idx ON articles
    (newswire_article_day(published_at, first_seen), source);
CREATE INDEX ingest_runs_day_source_idx ON ingest_runs
    (((timezone('UTC', interval_start))::date), source);
CREATE INDEX IF NOT EXISTS stories_first_published_q_idx
    ON stories (first_published_at DESC NULLS LAST, id DESC);

-- A websearch query for one language, or OR-ed over every configuration when lang is NULL.
CREATE FUNCTION newswire_tsquery(query text, lang text DEFAULT NULL) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN lang IS NOT NULL
    THEN websearch_to_tsquery(newswire_search_config(lang), query)
    ELSE websearch_to_tsquery('english'::regconfig, query)
        || websearch_to_tsquery('german'::regconfig, query)
        || websearch_to_tsquery('french'::regconfig, query)
        || websearch_to_tsquery('spanish'::regconfig, query)
        || websearch_to_tsquery('simple'::regconfig, query)
END;
COMMENT ON FUNCTION newswire_tsquery(text, text) IS
    'websearch_to_tsquery in the language''s configuration; all configurations OR-ed when NULL.';

-- Sum of {"reason": count} objects, key by key (failed_by_reason in source_health).
CREATE FUNCTION newswire_jsonb_add(total jsonb, item jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    reason text;
    n jsonb;
BEGIN
    IF item IS NULL OR item = '{}'::jsonb OR jsonb_typeof(item) <> 'object' THEN
        RETURN total;
    END IF;
    FOR reason, n IN SELECT * FROM jsonb_each(item) LOOP
        IF jsonb_typeof(n) = 'number' THEN
            total := jsonb_set(total, ARRAY[reason],
                               to_jsonb(coalesce((total ->> reason)::numeric, 0) + n::numeric));
        END IF;
    END LOOP;
    RETURN total;
END
$$;
CREATE AGGREGATE newswire_jsonb_sum(jsonb) (
    SFUNC = newswire_jsonb_add, STYPE = jsonb, INITCOND = '{}'
);
COMMENT ON AGGREGATE newswire_jsonb_sum(jsonb) IS 'Key-by-key sum of {"reason": count} objects.';

-- Fuzzy title match: pg_trgm word similarity of query within title (GIN-indexed). Built with chr(37)
-- because the migrator's driver reads a literal percent sign as a parameter marker.
DO $$
BEGIN
    EXECUTE replace(
        'CREATE FUNCTION newswire_title_like(query text, title text) RETURNS boolean'
        ' LANGUAGE sql STABLE PARALLEL SAFE RETURN query <@@ title',
        '@@', chr(37));
END
$$;
COMMENT ON FUNCTION newswire_title_like(text, text) IS
    'pg_trgm word-similarity match of query inside title (the trigram index answers it).';

-- Ranked full-text search with a highlighted snippet; one row per story unless per_story is
-- false. Falls back to fuzzy (trigram) title matching when the full-text query finds nothing.
CREATE FUNCTION search_articles(
    query     text,
    since     timestamptz DEFAULT NULL,
    until     timestamptz DEFAULT NULL,
    source    text DEFAULT NULL,
    language  text DEFAULT NULL,
    per_story boolean DEFAULT true,
    lim       integer DEFAULT 20
) RETURNS TABLE (
    article_id    bigint,
    story_id      bigint,
    title         text,
    article_source   text,
    agency           text,
    article_language text,
    published_at  timestamptz,
    canonical_url text,
    rank          real,
    story_matches integer,
    snippet       text
) LANGUAGE plpgsql STABLE
-- Fuzzy fallback: how much of a title must look like the query (pg_trgm default 0.6 is too strict
-- for queries of several misspelt words).
SET pg_trgm.word_similarity_threshold = 0.35
-- Sorting up to 5000 candidates with their vectors fits in memory; JIT only adds compile time.
SET work_mem = '32MB'
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    tsq tsquery := newswire_tsquery(search_articles.query, search_articles.language);
    -- Most recent matches ranked: bounds the work for very common words (ranking reads every
    -- candidate's tsvector); below this many matches every match is ranked.
    candidates constant integer := 5000;
BEGIN
    -- EXECUTE plans with the actual query and filters: the planner then sees how common the
    -- words are (walk the published_at index for common ones, the GIN index for rare ones).
    RETURN QUERY EXECUTE $q$
    WITH matches AS (
        SELECT a.id, a.story_id, a.published_at
        FROM articles a
        WHERE a.search_vector_lang @@ $1
          AND ($2 IS NULL OR a.published_at >= $2)
          AND ($3 IS NULL OR a.published_at < $3)
          AND ($4 IS NULL OR a.source = $4)
          AND ($5 IS NULL OR a.language = $5)
        ORDER BY a.published_at DESC NULLS LAST
        LIMIT $8
    ), hits AS (
        -- ranked after the cut, so sorts carry ids and dates, not vectors
        SELECT m.id, m.story_id, m.published_at,
               ts_rank(v.search_vector_lang, $1) AS rank,
               CASE WHEN $6 THEN coalesce(m.story_id, -m.id) ELSE m.id END AS grp
        FROM matches m JOIN articles v ON v.id = m.id
    ), best AS (
        SELECT DISTINCT ON (h.grp) h.id, h.rank, h.published_at,
               count(*) OVER (PARTITION BY h.grp) AS matches
        FROM hits h
        ORDER BY h.grp, h.rank DESC, h.published_at NULLS LAST, h.id
    ), top AS (
        SELECT b.* FROM best b
        ORDER BY b.rank DESC, b.published_at DESC NULLS LAST, b.id
        LIMIT $7
    )
    SELECT a.id, a.story_id, a.title, a.source, a.agency, a.language, a.published_at,
           a.canonical_url, t.rank, t.matches::integer,
           ts_headline(newswire_search_config(a.language), a.body, $1,
                       'MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "')
    FROM top t JOIN articles a ON a.id = t.id
    ORDER BY t.rank DESC, t.published_at DESC NULLS LAST, t.id
    $q$
    USING tsq, search_articles.since, search_articles.until, search_articles.source,
          search_articles.language, search_articles.per_story, search_articles.lim, candidates;
    IF FOUND THEN
        RETURN;
    END IF;
    -- Nothing matched the words: try titles that look like the query (typos, spellings).
    RETURN QUERY
    SELECT a.id, a.story_id, a.title, a.source, a.agency, a.language, a.published_at,
           a.canonical_url, word_similarity(search_articles.query, a.title)::real, 1,
           left(a.body, 200)
    FROM articles a
    WHERE newswire_title_like(search_articles.query, a.title)
      AND (search_articles.since IS NULL OR a.published_at >= search_articles.since)
      AND (search_articles.until IS NULL OR a.published_at < search_articles.until)
      AND (search_articles.source IS NULL OR a.source = search_articles.source)
      AND (search_articles.language IS NULL OR a.language = search_articles.language)
    ORDER BY word_similarity(search_articles.query, a.title) DESC, a.published_at DESC, a.id
    LIMIT search_articles.lim;
END;
$$;
COMMENT ON FUNCTION search_articles(text, timestamptz, timestamptz, text, text, boolean, integer) IS
    'Ranked full-text search (websearch syntax) with a <b>-highlighted snippet; since inclusive, '
    'until exclusive; one row per story (its best match) unless per_story is false.';

-- One row per story, newest first when ordered by first_published_at DESC (index-backed: the
-- per-story figures are computed only for the rows a query keeps).
CREATE VIEW latest_stories AS
SELECT s.id AS story_id,
       coalesce(s.title, rep.title) AS headline,
       s.first_published_at,
       s.first_seen,
       s.last_seen,
       coalesce(s.agency, rep.agency, agg.agency) AS agency,
       agg.articles,
       cardinality(agg.outlets) AS sources_count,
       agg.outlets,
       s.representative_article_id,
       rep.canonical_url AS representative_url,
       rep.source AS representative_source
FROM stories s
LEFT JOIN articles rep ON rep.id = s.representative_article_id
CROSS JOIN LATERAL (
    SELECT count(DISTINCT a.id)::integer AS articles,
           min(a.agency) AS agency,
           coalesce(array_agg(DISTINCT o.outlet ORDER BY o.outlet)
                    FILTER (WHERE o.outlet IS NOT NULL), '{}') AS outlets
    FROM articles a
    LEFT JOIN LATERAL (
        SELECT a.source AS outlet
        UNION
        SELECT u.source FROM article_urls u WHERE u.article_id = a.id
    ) AS o ON true
    WHERE a.story_id = s.id
) AS agg;
COMMENT ON VIEW latest_stories IS
    'One row per story: headline, first published, outlets carrying it, wire agency. '
    'Order by first_published_at DESC for the latest.';
COMMENT ON COLUMN latest_stories.headline IS 'The story''s title (its representative article''s headline).';
COMMENT ON COLUMN latest_stories.first_published_at IS 'Earliest published_at of its articles (UTC).';
COMMENT ON COLUMN latest_stories.agency IS 'Wire agency (Reuters, AP, AFP…) when known.';
COMMENT ON COLUMN latest_stories.articles IS 'Distinct stored articles (versions of the text) in the story.';
COMMENT ON COLUMN latest_stories.sources_count IS 'How many outlets carried it (sources and republishing outlets).';
COMMENT ON COLUMN latest_stories.outlets IS 'Those outlets, sorted.';
COMMENT ON COLUMN latest_stories.representative_url IS 'Canonical URL of the representative article.';

-- One row per article of a story, with every URL and outlet that led to it.
CREATE VIEW story_articles AS
SELECT a.story_id,
       a.id AS article_id,
       (a.id = s.representative_article_id) AS is_representative,
       a.source,
       a.title,
       a.published_at,
       a.first_seen,
       a.language,
       a.agency,
       a.authors,
       a.word_count,
       a.paywalled,
       a.canonical_url,
       urls.url_count,
       urls.outlets,
       (SELECT count(*)::integer FROM article_versions v WHERE v.article_id = a.id) AS versions
FROM articles a
LEFT JOIN stories s ON s.id = a.story_id
CROSS JOIN LATERAL (
    SELECT count(*)::integer AS url_count,
           coalesce(array_agg(DISTINCT u.source ORDER BY u.source), '{}') AS outlets
    FROM article_urls u WHERE u.article_id = a.id
) AS urls;
COMMENT ON VIEW story_articles IS 'One row per article of a story (filter on story_id), with its URLs and outlets.';
COMMENT ON COLUMN story_articles.is_representative IS 'This article gives the story its headline.';
COMMENT ON COLUMN story_articles.url_count IS 'URLs that led to this text: canonical, variants, republications.';
COMMENT ON COLUMN story_articles.outlets IS 'Sources whose URLs led to this text.';
COMMENT ON COLUMN story_articles.versions IS 'Captured earlier versions (article_versions rows).';

-- Per source and UTC day: the pipeline's counts (ingest_runs, by interval start) next to what
-- is stored (articles, by published day, else first seen). Filter on day to use the indexes.
CREATE VIEW source_health AS
SELECT u.source,
       u.day,
       sum(u.runs)::integer AS runs,
       sum(u.discovered)::integer AS discovered,
       sum(u.fetched)::integer AS fetched,
       sum(u.failed)::integer AS failed,
       coalesce((
           SELECT jsonb_object_agg(e.reason, e.n ORDER BY e.reason)
           FROM (
               SELECT x.key AS reason, sum((x.value)::numeric) AS n
               FROM ingest_runs r2, jsonb_each(r2.error_summary) AS x
               WHERE r2.source = u.source
                 AND (timezone('UTC', r2.interval_start))::date = u.day
                 AND jsonb_typeof(x.value) = 'number'
               GROUP BY x.key
           ) AS e
       ), '{}'::jsonb) AS failed_by_reason,
       sum(u.extracted)::integer AS extracted,
       sum(u.rejected)::integer AS rejected,
       sum(u.duplicates)::integer AS duplicates,
       sum(u.loaded)::integer AS loaded,
       sum(u.articles)::integer AS articles,
       sum(u.paywalled)::integer AS paywalled,
       round(sum(u.paywalled)::numeric / nullif(sum(u.articles), 0), 3) AS paywalled_share,
       round(sum(u.has_title)::numeric / nullif(sum(u.articles), 0), 3) AS title_fill,
       round(sum(u.has_authors)::numeric / nullif(sum(u.articles), 0), 3) AS authors_fill,
       round(sum(u.has_date)::numeric / nullif(sum(u.articles), 0), 3) AS date_fill
FROM (
    SELECT r.source, (timezone('UTC', r.interval_start))::date AS day, 1 AS runs,
           r.discovered, r.fetched, r.failed, r.extracted,
           r.rejected, r.duplicates, r.loaded,
           0 AS articles, 0 AS paywalled, 0 AS has_title, 0 AS has_authors, 0 AS has_date
    FROM ingest_runs r
    UNION ALL
    SELECT a.source, newswire_article_day(a.published_at, a.first_seen), 0,
           0, 0, 0, 0, 0, 0, 0,
           1, a.paywalled::integer, (coalesce(a.title, '') <> '')::integer,
           (cardinality(a.authors) > 0)::integer, (a.published_at IS NOT NULL)::integer
    FROM articles a
) AS u
GROUP BY u.source, u.day;
COMMENT ON VIEW source_health IS
    'Per source and UTC day: discovered, fetched, failed (by reason), extracted, duplicates, '
    'loaded (from ingest_runs) and stored articles with paywalled share and field fill rates.';
COMMENT ON COLUMN source_health.day IS 'UTC day: run interval start; article published_at, else first_seen.';
COMMENT ON COLUMN source_health.failed_by_reason IS 'Failures summed by reason, e.g. {"http_404": 2}.';
COMMENT ON COLUMN source_health.articles IS 'Articles stored for that source and day.';
COMMENT ON COLUMN source_health.paywalled_share IS 'Share of stored articles behind a paywall prompt (0–1).';
COMMENT ON COLUMN source_health.title_fill IS 'Share of stored articles with a title (0–1).';
COMMENT ON COLUMN source_health.authors_fill IS 'Share of stored articles with at least one author (0–1).';
COMMENT ON COLUMN source_health.date_fill IS 'Share of stored articles with a published date (0–1).';

-- Roles (cluster-wide, so created only when missing); privileges are per database.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newswire_reader') THEN
        BEGIN
            CREATE ROLE newswire_reader NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            RAISE NOTICE 'newswire_reader was created concurrently';
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newswire_writer') THEN
        BEGIN
            CREATE ROLE newswire_writer NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            RAISE NOTICE 'newswire_writer was created concurrently';
        END;
    END IF;
END
$$;
COMMENT ON ROLE newswire_reader IS 'Read-only consumers (psql, notebooks, BI): SELECT and search_articles().';
COMMENT ON ROLE newswire_writer IS 'The ingestion pipeline: reads and writes rows, owns no schema.';

GRANT USAGE ON SCHEMA public TO newswire_reader, newswire_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO newswire_reader;
GRANT EXECUTE ON FUNCTION
    search_articles(text, timestamptz, timestamptz, text, text, boolean, integer),
    newswire_tsquery(text, text), newswire_search_config(text)
    TO newswire_reader, newswire_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO newswire_writer;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO newswire_writer;
-- Tables and views created later by the migrating role get the same privileges.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO newswire_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO newswire_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO newswire_writer;
