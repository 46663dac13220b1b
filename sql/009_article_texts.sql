-- 009_article_texts: each article's body as near-duplicate verification reads it (sentence
-- hashes, words per sentence, word hashes), written with the article and with every new text,
-- so a candidate is verified without splitting and hashing its stored body again.
-- Articles stored before this migration have no row: they are verified from their body.
-- Forward-only: never edit an applied migration, add a new numbered file instead.

CREATE TABLE article_texts (
    article_id      bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    scheme          smallint NOT NULL,  -- version of the word hashes (signatures.TEXT_SCHEME)
    sentence_hashes bigint[] NOT NULL,  -- every sentence of the body, in order
    sentence_words  integer[] NOT NULL, -- words per sentence
    word_hashes     bytea NOT NULL      -- a little-endian uint32 hash per word, in order
);
COMMENT ON TABLE article_texts IS
    'Near-duplicate verification data of each article body (newswire.signatures.Text).';
