-- 004_stories: story clusters, article versions and the near-duplicate index.
-- Near-duplicates are separate articles sharing a story; exact duplicates stay article_urls rows.

CREATE TABLE stories (
    id                        bigserial PRIMARY KEY,
    representative_article_id bigint REFERENCES articles (id),
    title                     text,          -- the representative's headline
    agency                    text,          -- wire agency when known
    first_published_at        timestamptz,   -- earliest published_at of its articles
    first_seen                timestamptz NOT NULL DEFAULT now(),
    last_seen                 timestamptz NOT NULL DEFAULT now(),
    article_count             integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE stories IS 'One row per story: near-duplicate articles (republications, briefs, edits) share it.';

ALTER TABLE articles ADD COLUMN story_id bigint REFERENCES stories (id);
CREATE INDEX articles_story_idx ON articles (story_id);
-- Fields of an imported record that have no column of their own (kept, and exported).
ALTER TABLE articles ADD COLUMN extra jsonb NOT NULL DEFAULT '{}';

CREATE TABLE article_versions (
    id           bigserial PRIMARY KEY,
    article_id   bigint NOT NULL REFERENCES articles (id),
    title        text,
    body         text NOT NULL,
    content_hash text NOT NULL,
    captured_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX article_versions_article_idx ON article_versions (article_id, captured_at);
COMMENT ON TABLE article_versions IS 'Previous texts of an article whose URL came back with changed text.';

-- MinHash LSH: one row per band of an article's signature (resemblance candidates).
CREATE TABLE article_bands (
    band       smallint NOT NULL,
    hash       bigint NOT NULL,   -- hash of the band's rows, band number included
    article_id bigint NOT NULL REFERENCES articles (id)
);
CREATE INDEX article_bands_hash_idx ON article_bands (hash);
CREATE INDEX article_bands_article_idx ON article_bands (article_id);
COMMENT ON TABLE article_bands IS 'MinHash LSH band hashes of each article body (boilerplate removed).';

-- Sentence hashes: containment candidates (a brief or a paywall cut shares whole sentences).
CREATE TABLE article_sentences (
    hash       bigint NOT NULL,   -- hash of the sentence's normalised words
    article_id bigint NOT NULL REFERENCES articles (id)
);
CREATE INDEX article_sentences_hash_idx ON article_sentences (hash);
CREATE INDEX article_sentences_article_idx ON article_sentences (article_id);
COMMENT ON TABLE article_sentences IS 'Hashes of the long sentences of each article body (boilerplate removed).';

-- Per host: in how many distinct stories a sentence appeared (boilerplate when many).
CREATE TABLE host_sentences (
    host    text NOT NULL,
    hash    bigint NOT NULL,
    stories integer NOT NULL DEFAULT 0,
    PRIMARY KEY (host, hash)
);
COMMENT ON TABLE host_sentences IS 'Distinct stories of one host containing a sentence: the site''s boilerplate when many.';

-- Across hosts: in how many distinct stories a sentence appeared (too common to be evidence).
CREATE TABLE sentence_stories (
    hash    bigint PRIMARY KEY,
    stories integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE sentence_stories IS 'Distinct stories containing a sentence; very common sentences are not candidates.';

-- Articles loaded before this migration: each becomes a story of its own (not indexed for
-- near-duplicate search; later copies of them are still caught by URL and exact hash).
INSERT INTO stories (id, representative_article_id, title, agency, first_published_at,
                     first_seen, last_seen, article_count)
SELECT id, id, title, agency, published_at, first_seen, last_seen, 1 FROM articles;
UPDATE articles SET story_id = id;
SELECT setval(pg_get_serial_sequence('stories', 'id'),
              coalesce((SELECT max(id) FROM stories), 0) + 1, false);
