-- 002_run_task_stats: counts recorded by each task, summed into ingest_runs by the report.
-- A retried task replaces its own row (same key), so counts stay exact under retries.

CREATE TABLE run_task_stats (
    run_key     text NOT NULL,
    task_key    text NOT NULL,   -- 'discover', 'batch:N', 'load:FIRST_FRONTIER_ID'
    source      text NOT NULL,
    counts      jsonb NOT NULL,  -- {"fetched": 3, "errors": {"http_404": 1}, ...}
    seconds     double precision NOT NULL DEFAULT 0,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_key, task_key, source)
);
COMMENT ON TABLE run_task_stats IS 'Per-task counts of a run; the report task sums them into ingest_runs.';
