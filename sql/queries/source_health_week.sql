-- Source health over a week: per source and UTC day for the 7 days ending on a day, what the
-- pipeline did (discovered, fetched, failed and why, duplicates, loaded) and the quality of what
-- it stored (paywalled share, fill rates of title, authors and date).
-- Edit last_day in params (default: the demo day); use current_date for the latest week.
-- Filtering on day lets source_health use its indexes.
WITH params AS (
    SELECT date '2026-01-16' AS last_day
)
SELECT h.source,
       h.day,
       h.discovered,
       h.fetched,
       h.failed,
       h.failed_by_reason,
       h.duplicates,
       h.loaded,
       h.articles,
       h.paywalled_share,
       h.title_fill,
       h.authors_fill,
       h.date_fill
FROM source_health h, params p
WHERE h.day > p.last_day - 7 AND h.day <= p.last_day
ORDER BY h.source, h.day;
