#!/usr/bin/env bash
# Run an `airflow` command against the local instance of `make airflow`
# (same AIRFLOW_HOME, DAG folder and metadata database), e.g.
#   scripts/airflow.sh backfill create --dag-id newswire_ingest --from-date ... --to-date ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/airflow-env.sh
source "$ROOT/scripts/airflow-env.sh"
exec "$ROOT/.venv/bin/airflow" "$@"
