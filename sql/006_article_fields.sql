-- 006_article_fields: normalised fields (updated_at, date source, credits, section, tags,
-- top image) and access classification on articles.
ALTER TABLE articles
    ADD COLUMN updated_at        timestamptz,
    ADD COLUMN date_source       text,
    ADD COLUMN updated_source    text,
    ADD COLUMN credits           text,
    ADD COLUMN section           text,
    ADD COLUMN tags              text[] NOT NULL DEFAULT '{}',
    ADD COLUMN top_image_url     text,
    ADD COLUMN top_image_caption text,
    ADD COLUMN access            text NOT NULL DEFAULT 'free',
    ADD COLUMN access_evidence   text[] NOT NULL DEFAULT '{}';

-- Rows loaded before this migration: paywalled ones become 'paywalled'.
UPDATE articles SET access = 'paywalled' WHERE paywalled;

ALTER TABLE articles
    ADD CONSTRAINT articles_access_check CHECK (access IN ('free', 'paywalled', 'metered')),
    ADD CONSTRAINT articles_access_paywalled_check CHECK (paywalled = (access <> 'free'));

CREATE INDEX articles_section_idx ON articles (section);
CREATE INDEX articles_tags_idx ON articles USING gin (tags);

COMMENT ON COLUMN articles.updated_at IS 'Last modification time the page gives (UTC), never after the fetch.';
COMMENT ON COLUMN articles.date_source IS 'Where published_at came from: jsonld, meta, time (<time> element) or text (trafilatura).';
COMMENT ON COLUMN articles.updated_source IS 'Where updated_at came from: jsonld, meta or time.';
COMMENT ON COLUMN articles.credits IS 'Credits line moved out of the body ("Reporting by ...; Editing by ...").';
COMMENT ON COLUMN articles.access IS 'free, paywalled (teaser only) or metered (full text behind a meter); paywalled = (access <> free).';
COMMENT ON COLUMN articles.access_evidence IS 'Why: jsonld:isAccessibleForFree=false, markup:<class>, prompt:<pattern>, truncated_at_prompt, body_shorter_than_description.';

-- Fetch metadata of every stored page (a body fetched from several URLs has several rows):
-- re-extraction rebuilds the fetched Page from it without refetching.
CREATE TABLE page_fetches (
    id          bigserial PRIMARY KEY,
    sha256      text NOT NULL REFERENCES raw_pages (sha256),
    url         text NOT NULL,
    final_url   text NOT NULL,
    status      integer NOT NULL,
    fetched_at  timestamptz NOT NULL,
    elapsed_ms  integer NOT NULL DEFAULT 0
);
CREATE INDEX page_fetches_sha256_idx ON page_fetches (sha256, fetched_at DESC);
COMMENT ON TABLE page_fetches IS 'One row per fetch of a stored raw page: requested and final URL, status, time.';
