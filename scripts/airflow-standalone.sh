#!/usr/bin/env bash
# Start `airflow standalone` in the background for local scheduled runs of the newswire DAGs.
#
#   scripts/airflow-standalone.sh      # start, wait for the API, unpause newswire_ingest
#   scripts/airflow-stop.sh            # stop everything it started
#
# Everything lives under .data/ in the checkout:
#   .data/airflow/                     AIRFLOW_HOME (airflow.cfg, logs; metadata DB: database
#                                      "airflow" of the embedded PostgreSQL in .data/pg)
#   .data/airflow/standalone.pid       process-group id of the standalone tree
#   .data/airflow/standalone.log       its output
#   .data/                             NEWSWIRE_DATA_DIR (the embedded news database, ...)
#
# Settings that may be overridden from the environment:
#   AIRFLOW__API__PORT         API/UI port (default 8080)
#   AIRFLOW__API__HOST         API/UI address (default 127.0.0.1, loopback only)
#   AIRFLOW_STANDALONE_TIMEOUT seconds to wait for the API server (default 300; it takes
#                              40-50 s on 2 idle cores, about 100 s on a busy machine)
#   AIRFLOW_UNPAUSE_TIMEOUT    seconds to wait for the DAG to be parsed and unpaused (default 90)
#   AIRFLOW_CONN_NEWS_DB / NEWSWIRE_DATABASE_URL  an external news database instead
#                              of the embedded one
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

AIRFLOW="$ROOT/.venv/bin/airflow"
DAG_ID="newswire_ingest"
PORT="${AIRFLOW__API__PORT:-8080}"
API_URL="http://127.0.0.1:${PORT}/api/v2/version"
TIMEOUT="${AIRFLOW_STANDALONE_TIMEOUT:-300}"

# shellcheck source=scripts/airflow-env.sh
source "$ROOT/scripts/airflow-env.sh"
# Serve the UI/API on loopback only unless told otherwise (standalone's default is 0.0.0.0).
export AIRFLOW__API__HOST="${AIRFLOW__API__HOST:-127.0.0.1}"
# Tasks reach the execution API on the API server's port: with another port than 8080 they
# must be told (else every task fails to start).
export AIRFLOW__API__PORT="$PORT"
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://127.0.0.1:${PORT}/execution/}"

PID_FILE="$AIRFLOW_HOME/standalone.pid"
LOG_FILE="$AIRFLOW_HOME/standalone.log"
PASSWORDS_FILE="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"

log() { printf '[airflow-standalone] %s\n' "$*"; }
warn() { printf '[airflow-standalone] WARNING: %s\n' "$*" >&2; }
die() { printf '[airflow-standalone] ERROR: %s\n' "$*" >&2; exit 1; }

[[ -x "$AIRFLOW" ]] || die "$AIRFLOW not found: create the venv and install the project first"
command -v setsid > /dev/null || die "setsid (util-linux) is required"
command -v curl > /dev/null || die "curl is required"

# --- Refuse to start twice ---------------------------------------------------------------
if [[ -f "$PID_FILE" ]]; then
    old_pgid="$(cat "$PID_FILE")"
    if [[ "$old_pgid" =~ ^[0-9]+$ ]] && kill -0 -- "-$old_pgid" 2> /dev/null; then
        log "already running (process group $old_pgid); stop it with scripts/airflow-stop.sh"
        exit 0
    fi
    warn "removing stale pid file $PID_FILE"
    rm -f "$PID_FILE"
fi
# Something else answering on the port would make the readiness check below lie.
if curl -fsS --max-time 2 "$API_URL" > /dev/null 2>&1; then
    die "port $PORT already answers $API_URL: another Airflow is running (set AIRFLOW__API__PORT)"
fi

# --- The news database schema --------------------------------------------------------------
# Tasks refuse to run on a schema older than the code: bring it up to date first.
"$ROOT/.venv/bin/newswire" db upgrade

# --- The demo site ------------------------------------------------------------------------
# The shipped demo sources read the bundled demo site on 127.0.0.1:8765: serve it alongside
# (in its own process group, stopped by airflow-stop.sh) unless something already does.
mkdir -p "$AIRFLOW_HOME"
DEMO_URL="${NEWSWIRE_DEMO_URL:-http://127.0.0.1:8765}"
DEMO_PID_FILE="$AIRFLOW_HOME/demosite.pid"
if curl -fsS --max-time 2 "$DEMO_URL/robots.txt" > /dev/null 2>&1; then
    log "demo site already answers at $DEMO_URL"
else
    setsid "$ROOT/.venv/bin/python" -m newswire.demo.site --port "${DEMO_URL##*:}" \
        >> "$AIRFLOW_HOME/demosite.log" 2>&1 < /dev/null &
    echo $! > "$DEMO_PID_FILE"
    log "demo site serving at $DEMO_URL (pid $(cat "$DEMO_PID_FILE"))"
fi

# --- Start ---------------------------------------------------------------------------------
log "starting airflow standalone (AIRFLOW_HOME=$AIRFLOW_HOME, log: $LOG_FILE)"
# setsid makes the standalone process the leader of a new session and process group, so
# airflow-stop.sh can signal it and every component it forks (scheduler, dag-processor,
# api-server, triggerer) at once. A background job of a non-interactive shell is not a
# group leader, so setsid does not fork here and $! is the leader itself.
setsid "$AIRFLOW" standalone >> "$LOG_FILE" 2>&1 < /dev/null &
pid=$!
pgid="$(ps -o pgid= -p "$pid" | tr -d ' ')"
if [[ "$pgid" != "$pid" ]]; then
    sleep 0.5  # setsid() may not have run yet
    pgid="$(ps -o pgid= -p "$pid" | tr -d ' ')"
fi
[[ "$pgid" == "$pid" ]] || warn "process group $pgid differs from pid $pid"
echo "$pgid" > "$PID_FILE"
log "process group $pgid (pid file: $PID_FILE)"

# --- Wait for the API server ------------------------------------------------------------------
start=$SECONDS
until curl -fsS --max-time 2 "$API_URL" > /dev/null 2>&1; do
    if ! kill -0 -- "-$pgid" 2> /dev/null; then
        rm -f "$PID_FILE"
        tail -n 40 "$LOG_FILE" >&2 || true
        die "airflow standalone exited during startup; see $LOG_FILE"
    fi
    if (( SECONDS - start >= TIMEOUT )); then
        tail -n 20 "$LOG_FILE" >&2 || true
        die "the API server did not answer $API_URL within ${TIMEOUT}s; it is left running \
(see $LOG_FILE, stop it with scripts/airflow-stop.sh)"
    fi
    sleep 2
done
log "API server up after $(( SECONDS - start ))s: $(curl -fsS --max-time 5 "$API_URL")"

# --- Unpause the ingest DAG --------------------------------------------------------------------
# DAGs are created paused, and a DAG exists in the database only once the dag-processor has
# parsed its file, so retry until UNPAUSE_TIMEOUT. `airflow dags unpause` exits 0 even when
# the DAG does not exist ("No paused DAGs were found"), so the result is read back with
# `airflow dags details`. A DAG that cannot be unpaused is a warning, not a failure.
UNPAUSE_TIMEOUT="${AIRFLOW_UNPAUSE_TIMEOUT:-90}"

# Prints True or False (the DAG's is_paused), or nothing when the DAG is not known yet.
dag_paused() {
    "$AIRFLOW" dags details "$DAG_ID" -o json 2>> "$LOG_FILE" \
        | grep -o '"is_paused": "[A-Za-z]*"' | grep -o 'True\|False' || true
}

deadline=$((SECONDS + UNPAUSE_TIMEOUT))
paused=""
while (( SECONDS < deadline )); do
    paused="$(dag_paused)"
    case "$paused" in
        False) break ;;
        True) "$AIRFLOW" dags unpause "$DAG_ID" >> "$LOG_FILE" 2>&1 || true ;;
        *)
            log "DAG $DAG_ID not parsed yet, retrying in 5s"
            sleep 5
            ;;
    esac
done
case "$paused" in
    False) log "DAG $DAG_ID is unpaused: it runs on its schedule" ;;
    True) warn "DAG $DAG_ID is still paused after ${UNPAUSE_TIMEOUT}s; see $LOG_FILE" ;;
    *)
        warn "DAG $DAG_ID not found after ${UNPAUSE_TIMEOUT}s: it was not unpaused."
        warn "Is it missing from dags/, or does it fail to import? Check with:"
        warn "  AIRFLOW_HOME=$AIRFLOW_HOME $AIRFLOW dags list-import-errors"
        ;;
esac
if [[ "$paused" != False ]]; then
    warn "Unpause it later with: AIRFLOW_HOME=$AIRFLOW_HOME $AIRFLOW dags unpause $DAG_ID"
fi

# --- How to log in ------------------------------------------------------------------------------
log "UI: http://127.0.0.1:${PORT}/"
if [[ -f "$PASSWORDS_FILE" ]]; then
    log "login (user: password) from $PASSWORDS_FILE:"
    cat "$PASSWORDS_FILE"
    echo
else
    warn "$PASSWORDS_FILE not found: see the login details in $LOG_FILE"
fi
log "stop with: scripts/airflow-stop.sh"
