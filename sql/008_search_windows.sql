-- 008_search_windows: search_articles() ranks the matches of the most recent time window that
-- holds enough of them, so a very common word reads a few hundred rows instead of every match;
-- the English-only search_vector (superseded by search_vector_lang in 005) is dropped, so each
-- write stems the article once instead of twice.
-- Forward-only: never edit an applied migration, add a new numbered file instead.

-- Dropping the generated column drops its GIN index (articles_search_idx) with it.
ALTER TABLE articles DROP COLUMN IF EXISTS search_vector;

CREATE OR REPLACE FUNCTION search_articles(
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
-- Sorting a few thousand candidates fits in memory; JIT only adds compile time.
SET work_mem = '32MB'
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    tsq tsquery := newswire_tsquery(search_articles.query, search_articles.language);
    -- Windows tried in turn, ending at the newest article in [since, until); NULL = no bound.
    -- The first window holding enough_matches matches is ranked: recent news first, and a common
    -- word costs the rows of one short window, not every article that contains it.
    windows constant interval[] := ARRAY['1 day', '7 days', '30 days', '365 days', NULL]::interval[];
    -- Matches a window must hold to be ranked (a 20-row page of stories needs a few times that).
    enough_matches constant integer := 100;
    -- At most this many of a window's newest matches are ranked (ranking reads each vector).
    max_candidates constant integer := 5000;
    newest timestamptz;
    span interval;
    lower_bound timestamptz;
    ids bigint[];
BEGIN
    SELECT max(a.published_at) INTO newest FROM articles a
    WHERE (search_articles.until IS NULL OR a.published_at < search_articles.until)
      AND (search_articles.since IS NULL OR a.published_at >= search_articles.since);
    FOREACH span IN ARRAY windows LOOP
        IF span IS NULL OR newest IS NULL THEN
            lower_bound := search_articles.since;  -- the whole requested range
        ELSE
            lower_bound := greatest(search_articles.since, newest - span);  -- NULL since ignored
        END IF;
        -- EXECUTE plans with the actual query and bounds: the planner sees how common the words
        -- are and how wide the window is (GIN bitmap, AND-ed with the published_at index).
        EXECUTE $q$
            SELECT (array_agg(m.id ORDER BY m.published_at DESC NULLS LAST, m.id DESC))[1:$7]
            FROM (
                SELECT a.id, a.published_at
                FROM articles a
                WHERE a.search_vector_lang @@ $1
                  AND ($2 IS NULL OR a.published_at >= $2)
                  AND ($3 IS NULL OR a.published_at < $3)
                  AND ($4 IS NULL OR a.source = $4)
                  AND ($5 IS NULL OR a.language = $5)
                  -- windows are bounded by date: articles without one count only unbounded
                  AND ($6 OR a.published_at IS NOT NULL)
            ) m
        $q$
        INTO ids
        USING tsq, lower_bound, search_articles.until, search_articles.source,
              search_articles.language, lower_bound IS NULL, max_candidates;
        EXIT WHEN coalesce(cardinality(ids), 0) >= enough_matches
            OR span IS NULL OR newest IS NULL
            OR lower_bound IS NOT DISTINCT FROM search_articles.since;
    END LOOP;
    IF coalesce(cardinality(ids), 0) > 0 THEN
        RETURN QUERY EXECUTE $q$
        WITH hits AS (
            SELECT v.id, v.story_id, v.published_at,
                   ts_rank(v.search_vector_lang, $1) AS rank,
                   CASE WHEN $2 THEN coalesce(v.story_id, -v.id) ELSE v.id END AS grp
            FROM articles v
            WHERE v.id = ANY($4)
        ), best AS (
            SELECT DISTINCT ON (h.grp) h.id, h.rank, h.published_at,
                   count(*) OVER (PARTITION BY h.grp) AS matches
            FROM hits h
            ORDER BY h.grp, h.rank DESC, h.published_at NULLS LAST, h.id
        ), top AS (
            SELECT b.* FROM best b
            ORDER BY b.rank DESC, b.published_at DESC NULLS LAST, b.id
            LIMIT $3
        )
        SELECT a.id, a.story_id, a.title, a.source, a.agency, a.language, a.published_at,
               a.canonical_url, t.rank, t.matches::integer,
               ts_headline(newswire_search_config(a.language), a.body, $1,
                           'MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "')
        FROM top t JOIN articles a ON a.id = t.id
        ORDER BY t.rank DESC, t.published_at DESC NULLS LAST, t.id
        $q$
        USING tsq, search_articles.per_story, search_articles.lim, ids;
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
    'until exclusive; one row per story (its best match) unless per_story is false. Ranks the '
    'matches of the most recent window (1 day, 7, 30, 365 days, all) holding at least 100.';
