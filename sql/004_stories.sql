-- 004_stories (stub: replaced by the real migration at merge)
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
ALTER TABLE articles ADD COLUMN story_id bigint REFERENCES stories (id);
CREATE INDEX articles_story_idx ON articles (story_id);
CREATE TABLE article_versions (
    id           bigserial PRIMARY KEY,
    article_id   bigint NOT NULL REFERENCES articles (id),
    title        text,
    body         text NOT NULL,
    content_hash text NOT NULL,
    captured_at  timestamptz NOT NULL DEFAULT now()
);
