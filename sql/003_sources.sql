-- 003_sources: WARC record locations in the frontier, conditional-GET state of feeds.
-- Forward-only: never edit an applied migration, add a new numbered file instead.

-- A WARC record is extracted from the archive, never refetched: the frontier keeps where it is.
ALTER TABLE frontier ADD COLUMN warc_url text;
ALTER TABLE frontier ADD COLUMN warc_offset bigint CHECK (warc_offset >= 0);
ALTER TABLE frontier ADD COLUMN warc_length bigint CHECK (warc_length > 0);
COMMENT ON COLUMN frontier.warc_url IS 'WARC file (file:// or http(s)) holding the response record; NULL for fetched URLs.';
COMMENT ON COLUMN frontier.warc_offset IS 'Byte offset of the (compressed) record inside warc_url.';
COMMENT ON COLUMN frontier.warc_length IS 'Byte length of the (compressed) record inside warc_url.';

-- Conditional GET of feeds and sitemaps: validators and the last body, per URL.
CREATE TABLE feed_state (
    url           text PRIMARY KEY,
    etag          text,
    last_modified text,
    body_zlib     bytea NOT NULL,
    fetched_at    timestamptz NOT NULL DEFAULT now(),
    not_modified  integer NOT NULL DEFAULT 0 CHECK (not_modified >= 0)
);
COMMENT ON TABLE feed_state IS 'ETag / Last-Modified of each feed and its last body (re-read on 304 Not Modified).';
COMMENT ON COLUMN feed_state.not_modified IS 'How many fetches answered 304 since the body last changed.';

-- Feeds answering 304 Not Modified in a run, per source.
ALTER TABLE ingest_runs ADD COLUMN not_modified integer NOT NULL DEFAULT 0 CHECK (not_modified >= 0);
