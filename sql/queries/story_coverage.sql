-- Coverage of one story across outlets: every URL that led to one of its texts, which outlet
-- it belongs to, how (canonical page, URL variant or republication) and how long after the
-- story's first publication the outlet's copy was published or first seen.
-- Edit story_id in params; by default the most widely carried story first published on the
-- demo day (2026-01-15, UTC).
-- Columns: outlet, kind, url, article_id, title, published_at, first_seen (UTC), lag (interval
-- from the story's first publication to the copy's publication, else to when it was first seen).
WITH params AS (
    SELECT (SELECT story_id FROM latest_stories
            WHERE first_published_at >= timestamptz '2026-01-15 00:00+00'
              AND first_published_at < timestamptz '2026-01-16 00:00+00'
            ORDER BY sources_count DESC, first_published_at, story_id LIMIT 1) AS story_id
)
SELECT u.source AS outlet,
       u.kind,
       u.url,
       a.id AS article_id,
       a.title,
       a.published_at,
       u.first_seen,
       coalesce(a.published_at, u.first_seen) - s.first_published_at AS lag
FROM params p
JOIN stories s ON s.id = p.story_id
JOIN articles a ON a.story_id = s.id
JOIN article_urls u ON u.article_id = a.id
ORDER BY lag NULLS LAST, u.source, u.kind, u.url;
