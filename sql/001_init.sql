-- 001_init: articles, their URLs, the URL frontier, raw pages, staging and run stats.
-- Forward-only: never edit an applied migration, add a new numbered file instead.

-- Raw fetched pages, compressed (zlib) and content-addressed by the sha256 of the body.
CREATE TABLE raw_pages (
    sha256        text PRIMARY KEY,
    content_type  text NOT NULL,
    encoding      text,
    size_bytes    integer NOT NULL,
    body_zlib     bytea NOT NULL,
    first_fetched timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE raw_pages IS 'Fetched page bodies, zlib-compressed, keyed by sha256 of the raw bytes.';

-- One row per normalised article: the product.
CREATE TABLE articles (
    id                bigserial PRIMARY KEY,
    canonical_url     text NOT NULL UNIQUE,
    source            text NOT NULL,
    title             text,
    authors           text[] NOT NULL DEFAULT '{}',
    published_at      timestamptz,
    language          text,
    description       text,
    agency            text,
    dateline          text,
    body              text NOT NULL,
    content_hash      text NOT NULL UNIQUE,
    word_count        integer NOT NULL CHECK (word_count >= 0),
    paywalled         boolean NOT NULL DEFAULT false,
    prompts_stripped  text[] NOT NULL DEFAULT '{}',
    extractor_version text NOT NULL,
    page_sha256       text REFERENCES raw_pages (sha256),
    first_seen        timestamptz NOT NULL DEFAULT now(),
    last_seen         timestamptz NOT NULL DEFAULT now(),
    search_vector     tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', body), 'B')
    ) STORED
);
CREATE INDEX articles_published_at_idx ON articles (published_at DESC);
CREATE INDEX articles_source_published_idx ON articles (source, published_at DESC);
CREATE INDEX articles_search_idx ON articles USING gin (search_vector);
COMMENT ON TABLE articles IS 'One row per distinct article (exact duplicates are rows of article_urls).';
COMMENT ON COLUMN articles.canonical_url IS 'Canonicalised rel=canonical/og:url, else the fetched URL.';
COMMENT ON COLUMN articles.content_hash IS 'sha256 of the normalised body (NFKC, case-folded, whitespace collapsed).';
COMMENT ON COLUMN articles.paywalled IS 'A paywall or subscription prompt was found (and stripped).';
COMMENT ON COLUMN articles.prompts_stripped IS 'Names of the prompt patterns that matched this page.';

-- Every URL that led to an article: the canonical one, tracking-param and AMP variants,
-- and republications of the same text under another outlet's URL.
CREATE TABLE article_urls (
    url           text PRIMARY KEY,
    canonical_url text NOT NULL,
    article_id    bigint NOT NULL REFERENCES articles (id),
    source        text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('canonical', 'variant', 'republication')),
    first_seen    timestamptz NOT NULL DEFAULT now(),
    last_seen     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX article_urls_article_idx ON article_urls (article_id);
CREATE INDEX article_urls_canonical_idx ON article_urls (canonical_url);
COMMENT ON TABLE article_urls IS 'Every URL seen for an article: canonical, variants (tracking params, AMP, mobile) and republications.';

-- The URL frontier: every discovered URL once (canonicalised), with its fetch state.
CREATE TABLE frontier (
    id              bigserial PRIMARY KEY,
    url             text NOT NULL UNIQUE,
    fetch_url       text NOT NULL,
    seen_urls       text[] NOT NULL DEFAULT '{}',
    source          text NOT NULL,
    published_at    timestamptz,
    title           text,
    run_key         text NOT NULL,
    interval_start  timestamptz NOT NULL,
    interval_end    timestamptz NOT NULL,
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'claimed', 'fetched', 'retry', 'failed', 'done')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_by      text,
    claimed_at      timestamptz,
    last_error      text,
    last_reason     text,
    article_id      bigint REFERENCES articles (id),
    discovered_at   timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX frontier_claim_idx ON frontier (run_key, state, id);
CREATE INDEX frontier_due_idx ON frontier (state, next_attempt_at) WHERE state = 'retry';
CREATE INDEX frontier_claimed_by_idx ON frontier (claimed_by) WHERE state = 'claimed';
COMMENT ON TABLE frontier IS 'Discovered URLs (canonical) and their fetch state; claimed with FOR UPDATE SKIP LOCKED.';

-- Extracted articles waiting for dedup + load (the fetch tasks write, the load task reads).
CREATE TABLE staged_articles (
    frontier_id bigint PRIMARY KEY REFERENCES frontier (id),
    run_key     text NOT NULL,
    source      text NOT NULL,
    payload     jsonb NOT NULL,
    staged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staged_articles_run_idx ON staged_articles (run_key);

-- Per run and source: what happened, with timings.
CREATE TABLE ingest_runs (
    id               bigserial PRIMARY KEY,
    run_key          text NOT NULL,
    source           text NOT NULL,
    interval_start   timestamptz NOT NULL,
    interval_end     timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'partial', 'skipped')),
    discovered       integer NOT NULL DEFAULT 0,
    enqueued         integer NOT NULL DEFAULT 0,
    fetched          integer NOT NULL DEFAULT 0,
    failed           integer NOT NULL DEFAULT 0,
    extracted        integer NOT NULL DEFAULT 0,
    rejected         integer NOT NULL DEFAULT 0,
    duplicates       integer NOT NULL DEFAULT 0,
    loaded           integer NOT NULL DEFAULT 0,
    prompts_stripped integer NOT NULL DEFAULT 0,
    error_summary    jsonb NOT NULL DEFAULT '{}',
    note             text,
    discover_seconds double precision NOT NULL DEFAULT 0,
    fetch_seconds    double precision NOT NULL DEFAULT 0,
    load_seconds     double precision NOT NULL DEFAULT 0,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_key, source)
);
CREATE INDEX ingest_runs_interval_idx ON ingest_runs (interval_start, source);
COMMENT ON TABLE ingest_runs IS 'One row per run and source: discovered, fetched, failed, extracted, rejected, duplicates, loaded.';
