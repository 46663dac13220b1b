# Environment of the local Airflow instance (`make airflow`); sourced by the airflow scripts.
# Expects ROOT (the checkout). Airflow's metadata DB: the `airflow` database of the embedded
# PostgreSQL under .data/pg (SQLite locks under a scheduler and a backfill at once), unless
# AIRFLOW__DATABASE__SQL_ALCHEMY_CONN is already set.

# standalone starts its components as `airflow ...` subprocesses found on PATH.
export PATH="$ROOT/.venv/bin:$PATH"
export AIRFLOW_HOME="$ROOT/.data/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/plugins"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
# A worker can notice a finished task's exit only at its next heartbeat wake-up (default 5 s)
# and holds the task slot until then: wake every 2 s (docs/airflow.md, "Task slots").
export AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL="${AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL:-2}"
export NEWSWIRE_DATA_DIR="$ROOT/.data"
if [[ -z "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-}" ]]; then
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$("$ROOT/.venv/bin/newswire" db url --embedded airflow)"
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN
fi
