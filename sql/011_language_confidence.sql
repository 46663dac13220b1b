-- 011_language_confidence: the language of an article is detected from its text (py3langid);
-- the model's probability of the stored language is kept beside it. NULL: articles extracted
-- before this migration, imported articles, and languages taken from the markup alone.
-- Forward-only: never edit an applied migration, add a new numbered file instead.

ALTER TABLE articles ADD COLUMN language_confidence real;
COMMENT ON COLUMN articles.language_confidence IS
    'Probability in [0, 1] the text model gives articles.language (extract/language.py); NULL when not scored.';
