-- 010_staged_fingerprints: fetch tasks stage each article's near-duplicate fingerprint (made
-- in parallel with the host boilerplate known then), so the serial load need not make it again
-- while that boilerplate is unchanged. NULL (rows staged before this migration): made at load.
-- Forward-only: never edit an applied migration, add a new numbered file instead.

ALTER TABLE staged_articles ADD COLUMN fingerprint jsonb;
COMMENT ON COLUMN staged_articles.fingerprint IS
    'newswire.signatures.Prepared.to_json(): the fingerprint and the boilerplate it left out.';
