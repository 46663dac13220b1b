-- Top stories of a day: the stories first published on one UTC day, the most widely carried
-- first (outlets that carried the text, then stored articles, then earliest).
-- Edit the day in params (the default is the demo site's day, so it works after `make run`).
-- Columns: story_id, headline, first_published_at (UTC), agency, sources_count, outlets,
-- articles (distinct stored texts in the story).
WITH params AS (
    SELECT timezone('UTC', date '2026-01-15'::timestamp) AS day_start
)
SELECT ls.story_id,
       ls.headline,
       ls.first_published_at,
       ls.agency,
       ls.sources_count,
       ls.outlets,
       ls.articles
FROM latest_stories ls, params p
WHERE ls.first_published_at >= p.day_start
  AND ls.first_published_at < p.day_start + interval '1 day'
ORDER BY ls.sources_count DESC, ls.articles DESC, ls.first_published_at, ls.story_id
LIMIT 20;
