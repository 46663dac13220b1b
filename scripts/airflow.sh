#!/usr/bin/env bash
# Run an `airflow` command against the local instance of `make airflow`
# (same AIRFLOW_HOME, DAG folder and metadata database), e.g.
#   scripts/airflow.sh backfill create --dag-id newswire_ingest --from-date ... --to-date ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.venv/bin:$PATH"
export AIRFLOW_HOME="$ROOT/.data/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export NEWSWIRE_DATA_DIR="$ROOT/.data"
if [[ -z "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-}" ]]; then
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$("$ROOT/.venv/bin/newswire" db url --embedded airflow)"
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN
fi
exec "$ROOT/.venv/bin/airflow" "$@"
