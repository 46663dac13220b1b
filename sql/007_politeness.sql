-- 007_politeness: per-host politeness state shared by every worker.

-- One row per host (with its port when not 80/443): when the next request may start.
-- A worker takes a slot under the row lock and pushes next_allowed_at by the host's delay;
-- a 429/503 pushes it to now + Retry-After.
CREATE TABLE host_state (
    host            text PRIMARY KEY,
    next_allowed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    crawl_delay     double precision NOT NULL DEFAULT 0,
    requests        bigint NOT NULL DEFAULT 0,
    backoffs        integer NOT NULL DEFAULT 0,
    last_status     integer,
    backoff_until   timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE host_state IS 'Per-host rate limit shared by all workers: next request slot, Crawl-delay, 429/503 back-off.';

-- robots.txt per origin (scheme://host:port), reused by every worker until it is stale.
CREATE TABLE robots_cache (
    origin     text PRIMARY KEY,
    body       text,                 -- NULL: no usable robots.txt (4xx), everything allowed
    fetched_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE robots_cache IS 'robots.txt bodies per origin with their fetch time (TTL applied by the reader).';
