-- Paywalled share by outlet: of the articles stored for each source, how many carried a paywall
-- or subscription prompt (stripped at load), and which named prompt patterns matched most.
-- Edit since in params (default: everything from 2026-01-01).
-- Columns: source, articles, paywalled, paywalled_share (0–1), top_prompts (pattern names,
-- most frequent first).
WITH params AS (
    SELECT timestamptz '2026-01-01 00:00+00' AS since
), stored AS (
    SELECT a.source, a.paywalled, a.prompts_stripped
    FROM articles a, params p
    WHERE coalesce(a.published_at, a.first_seen) >= p.since
)
SELECT s.source,
       count(*) AS articles,
       count(*) FILTER (WHERE s.paywalled) AS paywalled,
       round(avg(s.paywalled::integer), 3) AS paywalled_share,
       coalesce((SELECT array_agg(prompt ORDER BY n DESC, prompt)
                 FROM (SELECT x.prompt, count(*) AS n
                       FROM stored x2, unnest(x2.prompts_stripped) AS x(prompt)
                       WHERE x2.source = s.source
                       GROUP BY x.prompt) AS top), '{}') AS top_prompts
FROM stored s
GROUP BY s.source
ORDER BY paywalled_share DESC, s.source;
