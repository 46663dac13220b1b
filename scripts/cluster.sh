#!/usr/bin/env bash
# The docker-compose topology without Docker, on one machine (`make cluster`):
# PostgreSQL, Redis, Airflow api-server, scheduler, dag-processor, triggerer and Celery
# workers (CeleryExecutor), each a background process in a process group of its own.
#
#   scripts/cluster.sh start    # start, wait for the API and every worker; unpauses nothing
#   scripts/cluster.sh status   # which components run (exit 3 when one does not)
#   scripts/cluster.sh stop     # SIGTERM every process group, SIGKILL leftovers after a grace
#
# Everything lives in NEWSWIRE_CLUSTER_DIR (default .data/cluster):
#   cluster.env                 what clients need, as shell KEY=value lines (values quoted
#                               only when they have to be): AIRFLOW_API_URL, AIRFLOW_USERNAME,
#                               AIRFLOW_PASSWORD, AIRFLOW_HOME, NEWSWIRE_DATABASE_URL,
#                               AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, the broker, the workers
#   <component>.log             output of redis, migrate, api-server, scheduler,
#                               dag-processor, triggerer, worker1, worker2, ...
#   <component>.pid             its process-group id
#   airflow/                    AIRFLOW_HOME (airflow.cfg, task logs, the login file)
#
# Databases: Airflow's metadata (and the Celery result backend) go to the "airflow_cluster"
# database of the embedded PostgreSQL under $NEWSWIRE_DATA_DIR/pg (default .data/pg; not
# "airflow", which is `make airflow`'s), the news data to its "newswire" database, unless AIRFLOW__DATABASE__SQL_ALCHEMY_CONN and/or
# NEWSWIRE_DATABASE_URL (or AIRFLOW_CONN_NEWS_DB) name servers. The embedded server is left
# running by `stop` (`make db-stop` stops it).
#
# Settings that may be overridden from the environment:
#   NEWSWIRE_CLUSTER_DIR          state, logs and pid files (default .data/cluster)
#   AIRFLOW__API__PORT            API/UI port on 127.0.0.1 (default 8081; make airflow has 8080)
#   NEWSWIRE_CLUSTER_WORKERS      Celery workers (default 2)
#   NEWSWIRE_CLUSTER_CONCURRENCY  task slots per worker (default 2)
#   NEWSWIRE_CLUSTER_REDIS_PORT   Redis port on 127.0.0.1 (default: a free port)
#   NEWSWIRE_CLUSTER_TIMEOUT      seconds to wait for the API and the workers (default 300)
#   NEWSWIRE_CLUSTER_STOP_GRACE   seconds between SIGTERM and SIGKILL on stop (default 30)
#   NEWSWIRE_VENV                 the virtualenv with airflow and newswire (default .venv)
#   any AIRFLOW__SECTION__KEY or NEWSWIRE_* variable: passed on to every component
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="${NEWSWIRE_VENV:-$ROOT/.venv}"
AIRFLOW="$VENV/bin/airflow"
NEWSWIRE="$VENV/bin/newswire"
CELERY="$VENV/bin/celery"
PYTHON="$VENV/bin/python"
DIR="${NEWSWIRE_CLUSTER_DIR:-$ROOT/.data/cluster}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
ENV_FILE="$DIR/cluster.env"
PORT="${AIRFLOW__API__PORT:-8081}"
WORKERS="${NEWSWIRE_CLUSTER_WORKERS:-2}"
CONCURRENCY="${NEWSWIRE_CLUSTER_CONCURRENCY:-2}"
TIMEOUT="${NEWSWIRE_CLUSTER_TIMEOUT:-300}"
GRACE="${NEWSWIRE_CLUSTER_STOP_GRACE:-30}"
API_URL="http://127.0.0.1:${PORT}"
CELERY_APP="airflow.providers.celery.executors.celery_executor.app"
# Airflow components in start order; redis starts before and stops after them.
COMPONENTS=(api-server scheduler dag-processor triggerer)

log() { printf '[cluster] %s\n' "$*"; }
warn() { printf '[cluster] WARNING: %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

worker_names() {
    local i
    for ((i = 1; i <= WORKERS; i++)); do echo "worker$i"; done
}

# --- Process groups --------------------------------------------------------------------

# The process-group id recorded for a component, or nothing.
pgid_of() {
    local file="$DIR/$1.pid" pgid
    [[ -f "$file" ]] || return 0
    pgid="$(cat "$file")"
    if [[ "$pgid" =~ ^[0-9]+$ ]] && (( pgid > 1 )); then echo "$pgid"; fi
}

# Running (not zombie) members of process group $1.
group_alive() {
    local pids
    pids="$(pgrep -g "$1" | xargs | tr ' ' ',')" || true
    [[ -n "$pids" ]] || return 1
    ps -o stat= -p "$pids" 2> /dev/null | grep -qv '^Z'
}

# shellcheck source=scripts/proctree.sh
source "$ROOT/scripts/proctree.sh"

# Which of the given pids still run (zombies do not count).
running() {
    local pids
    pids="$(echo "$*" | xargs | tr ' ' ',')"
    [[ -n "$pids" ]] || return 0
    ps -o pid=,stat= -p "$pids" 2> /dev/null | awk '$2 !~ /^Z/ { print $1 }' | xargs || true
}

# SIGTERM the process groups of the named components and their descendants, wait up to
# GRACE seconds, SIGKILL what is left; remove their pid files.
stop_components() {
    local name pgid pids="" pgids=() tree waited=0 left
    for name in "$@"; do
        pgid="$(pgid_of "$name")"
        [[ -n "$pgid" ]] && pgids+=("$pgid")
    done
    if (( ${#pgids[@]} )); then
        tree="$(descendants "${pgids[@]}" | sort -un | xargs)"
        pids="$(running "$tree")"
    fi
    if [[ -n "$pids" ]]; then
        log "stopping $* (SIGTERM to process groups ${pgids[*]})"
        for pgid in "${pgids[@]}"; do kill -TERM -- "-$pgid" 2> /dev/null || true; done
        for pid in $pids; do kill -TERM "$pid" 2> /dev/null || true; done
        while [[ -n "$(running "$pids")" ]] && (( waited < GRACE )); do
            sleep 1
            waited=$((waited + 1))
        done
        left="$(running "$pids")"
        if [[ -n "$left" ]]; then
            log "still running after ${GRACE}s: SIGKILL $left"
            for pgid in "${pgids[@]}"; do kill -KILL -- "-$pgid" 2> /dev/null || true; done
            for pid in $left; do kill -KILL "$pid" 2> /dev/null || true; done
            for _ in 1 2 3 4 5; do
                [[ -z "$(running "$left")" ]] && break
                sleep 1
            done
        fi
    fi
    for name in "$@"; do rm -f "$DIR/$name.pid"; done
    left="$(running "$pids")"
    [[ -z "$left" ]] || { warn "processes survived SIGKILL: $left"; return 1; }
}

# All components that have a pid file, Airflow ones first, redis last.
recorded() {
    local file name
    for file in "$DIR"/*.pid; do
        [[ -e "$file" ]] || continue
        name="$(basename "$file" .pid)"
        [[ "$name" == redis ]] || echo "$name"
    done
    [[ -e "$DIR/redis.pid" ]] && echo redis
    return 0
}

cmd_stop() {
    local names status=0
    mapfile -t names < <(recorded)
    if (( ${#names[@]} == 0 )); then
        log "not running (no pid files in $DIR)"
        return 0
    fi
    local airflow_parts=() name
    for name in "${names[@]}"; do [[ "$name" == redis ]] || airflow_parts+=("$name"); done
    if (( ${#airflow_parts[@]} )); then stop_components "${airflow_parts[@]}" || status=1; fi
    stop_components redis || status=1
    (( status == 0 )) && log "stopped"
    return "$status"
}

cmd_status() {
    local name pgid status=0 names
    mapfile -t names < <(recorded)
    if (( ${#names[@]} == 0 )); then
        log "not running (no pid files in $DIR)"
        return 3
    fi
    for name in "${names[@]}"; do
        pgid="$(pgid_of "$name")"
        if [[ -n "$pgid" ]] && group_alive "$pgid"; then
            printf '%-14s running (process group %s, log %s)\n' "$name" "$pgid" "$DIR/$name.log"
        else
            printf '%-14s NOT RUNNING (log %s)\n' "$name" "$DIR/$name.log"
            status=3
        fi
    done
    local url="$API_URL"
    if [[ -f "$ENV_FILE" ]]; then  # the port it was started with
        url="$(sed -n 's/^AIRFLOW_API_URL=//p' "$ENV_FILE")"
    fi
    if curl -fsS --max-time 5 "$url/api/v2/version" > /dev/null 2>&1; then
        printf '%-14s %s\n' "API" "$url (answers)"
    else
        printf '%-14s %s\n' "API" "$url (does not answer)"
        status=3
    fi
    return "$status"
}

# --- Start -----------------------------------------------------------------------------

# Start "$@" as component $name in a new session and process group; log and pid in $DIR.
launch() {
    local name="$1" pid pgid
    shift
    # A background job of a non-interactive shell is not a group leader, so setsid does not
    # fork: $! is the new group's leader.
    setsid "$@" >> "$DIR/$name.log" 2>&1 < /dev/null &
    pid=$!
    pgid="$(ps -o pgid= -p "$pid" | tr -d ' ')" || true
    if [[ "$pgid" != "$pid" ]]; then
        sleep 0.5  # setsid() may not have run yet
        pgid="$(ps -o pgid= -p "$pid" | tr -d ' ')" || true
    fi
    [[ "$pgid" == "$pid" ]] || warn "$name: process group '$pgid' differs from pid $pid"
    echo "$pid" > "$DIR/$name.pid"
    log "$name started (process group $pid, log $DIR/$name.log)"
}

# Whether something accepts connections on 127.0.0.1:$1.
port_in_use() {
    "$PYTHON" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2).close()' \
        "$1" 2> /dev/null
}

free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A value for a KEY=value line that a shell can source: quoted only when it has to be.
shell_value() {
    if [[ "$1" =~ ^[A-Za-z0-9_./:@%+=,?~-]*$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\\\'\'}"
    fi
}

# Fails (after stopping what was started) when a component has exited.
check_alive() {
    local name pgid
    for name in redis "${COMPONENTS[@]}" $(worker_names); do
        pgid="$(pgid_of "$name")"
        if [[ -z "$pgid" ]] || ! group_alive "$pgid"; then
            tail -n 30 "$DIR/$name.log" >&2 || true
            fail "$name exited during start-up; see $DIR/$name.log"
        fi
    done
}

fail() {
    warn "$*"
    warn "stopping what was started"
    cmd_stop || true
    exit 1
}

cmd_start() {
    [[ -x "$AIRFLOW" ]] || die "$AIRFLOW not found: create the venv first (make venv) or set NEWSWIRE_VENV"
    command -v setsid > /dev/null || die "setsid (util-linux) is required"
    command -v curl > /dev/null || die "curl is required"
    command -v redis-server > /dev/null \
        || die "redis-server not found: install it (Debian/Ubuntu: apt-get install redis-server)"
    [[ "$WORKERS" =~ ^[1-9][0-9]*$ ]] || die "NEWSWIRE_CLUSTER_WORKERS must be a positive integer"

    # Refuse to start twice.
    local name pgid
    for name in redis "${COMPONENTS[@]}" $(worker_names); do
        pgid="$(pgid_of "$name")"
        if [[ -n "$pgid" ]] && group_alive "$pgid"; then
            log "already running ($name: process group $pgid); stop it with scripts/cluster.sh stop"
            [[ -f "$ENV_FILE" ]] && log "settings: $ENV_FILE"
            return 0
        fi
    done
    rm -f "$DIR"/*.pid "$ENV_FILE"
    if port_in_use "$PORT"; then
        die "port $PORT is taken (another Airflow?): set AIRFLOW__API__PORT"
    fi

    # --- Environment shared by every component ------------------------------------------
    export PATH="$VENV/bin:$PATH"
    # The checkout's newswire package, whatever the venv has installed.
    export PYTHONPATH="$ROOT/plugins${PYTHONPATH:+:$PYTHONPATH}"
    export NEWSWIRE_DATA_DIR="${NEWSWIRE_DATA_DIR:-$ROOT/.data}"
    export AIRFLOW_HOME="$DIR/airflow"
    mkdir -p "$AIRFLOW_HOME"
    export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
    export AIRFLOW__CORE__PLUGINS_FOLDER="$ROOT/plugins"
    export AIRFLOW__CORE__LOAD_EXAMPLES=False
    export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
    export AIRFLOW__CORE__EXECUTOR=CeleryExecutor
    export AIRFLOW__API__HOST=127.0.0.1
    export AIRFLOW__API__PORT="$PORT"
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$API_URL/execution/"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="admin:admin"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
    # The first execution-API calls of a task can take over the 5 s default on a busy machine.
    export AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT="${AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT:-60}"
    # A worker can notice a finished task's exit only at its next heartbeat wake-up (default
    # 5 s) and holds the task slot until then: wake every 2 s (docs/airflow.md, "Task slots").
    export AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL="${AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL:-2}"

    log "news database and Airflow metadata database"
    if [[ -z "${NEWSWIRE_DATABASE_URL:-}" ]]; then
        NEWSWIRE_DATABASE_URL="$("$NEWSWIRE" db url)"
    fi
    export NEWSWIRE_DATABASE_URL
    if [[ -z "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-}" ]]; then
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="$("$NEWSWIRE" db url --embedded airflow_cluster)"
    fi
    export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN
    [[ "$AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" != "$NEWSWIRE_DATABASE_URL" ]] \
        || die "the news database must not be Airflow's metadata database"
    # Celery keeps task results in the metadata database, as in docker-compose.yml.
    # An unacknowledged task (its worker died) goes back to the queue after this long; the
    # scheduler retries it much sooner (task_instance_heartbeat_timeout, task_queued_timeout).
    export AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT="${AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT:-86400}"
    export AIRFLOW__CELERY__RESULT_BACKEND="db+${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN}"

    # --- Redis: the Celery broker, on loopback, nothing on disk ---------------------------
    local redis_port="${NEWSWIRE_CLUSTER_REDIS_PORT:-$(free_port)}"
    ! port_in_use "$redis_port" \
        || die "port $redis_port is taken (NEWSWIRE_CLUSTER_REDIS_PORT): the cluster runs a Redis of its own"
    launch redis redis-server --bind 127.0.0.1 --port "$redis_port" --save "" \
        --appendonly no --dir "$DIR" --protected-mode yes
    export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:${redis_port}/0"
    local waited=0
    until "$PYTHON" -c 'import redis, sys; redis.Redis("127.0.0.1", int(sys.argv[1]), socket_timeout=2).ping()' \
        "$redis_port" 2> /dev/null; do
        group_alive "$(pgid_of redis)" || { tail -n 20 "$DIR/redis.log" >&2; fail "redis-server exited"; }
        (( waited++ < 30 )) || fail "redis-server did not answer on port $redis_port"
        sleep 1
    done

    # --- Migrations (also writes airflow.cfg with the secrets every component shares) -----
    log "migrating the Airflow metadata database (log: $DIR/migrate.log)"
    "$AIRFLOW" db migrate >> "$DIR/migrate.log" 2>&1 \
        || { tail -n 30 "$DIR/migrate.log" >&2; fail "airflow db migrate failed"; }
    "$NEWSWIRE" db upgrade >> "$DIR/migrate.log" 2>&1 \
        || { tail -n 30 "$DIR/migrate.log" >&2; fail "newswire db upgrade failed"; }

    # The login: written before the api-server starts, so it does not generate one.
    local passwords="$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE" password
    if [[ ! -s "$passwords" ]]; then
        (umask 077 && "$PYTHON" -c 'import json, secrets, sys; json.dump({"admin": secrets.token_urlsafe(12)}, open(sys.argv[1], "w"))' "$passwords")
    fi
    password="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["admin"])' "$passwords")"

    # --- Airflow components ----------------------------------------------------------------
    # Logs are read from the shared $AIRFLOW_HOME/logs, so no component serves them (the
    # log-server ports would collide between workers and with `make airflow`).
    launch api-server "$AIRFLOW" api-server --host 127.0.0.1 --port "$PORT"
    launch scheduler "$AIRFLOW" scheduler --skip-serve-logs
    launch dag-processor "$AIRFLOW" dag-processor
    launch triggerer "$AIRFLOW" triggerer --skip-serve-logs
    local host worker nodes=()
    host="$(uname -n)"  # what Celery's %h and socket.gethostname() say
    for worker in $(worker_names); do
        nodes+=("$worker@$host")
        # Task instances record the worker's Celery node name as their hostname.
        NEWSWIRE_WORKER_HOSTNAME="$worker@$host" \
            AIRFLOW__CORE__HOSTNAME_CALLABLE=newswire.run.cluster.worker_hostname \
            launch "$worker" "$AIRFLOW" celery worker --celery-hostname "$worker@$host" \
            --concurrency "$CONCURRENCY" --skip-serve-logs
    done

    # --- Wait for the API server and the workers ---------------------------------------------
    local start=$SECONDS
    until curl -fsS --max-time 5 "$API_URL/api/v2/version" > /dev/null 2>&1; do
        check_alive
        (( SECONDS - start < TIMEOUT )) || fail "the API did not answer $API_URL within ${TIMEOUT}s"
        sleep 2
    done
    log "API up after $(( SECONDS - start ))s at $API_URL"
    local node missing
    while true; do
        check_alive
        missing=()
        for node in "${nodes[@]}"; do
            grep -q "$node ready" "$DIR/${node%%@*}.log" 2> /dev/null || missing+=("$node")
        done
        (( ${#missing[@]} == 0 )) && break
        (( SECONDS - start < TIMEOUT )) || fail "workers not ready within ${TIMEOUT}s: ${missing[*]}"
        sleep 2
    done
    # Ready in their logs; now answering through the broker too.
    local destinations
    destinations="$(IFS=,; echo "${nodes[*]}")"
    while true; do
        missing=()
        local pong
        pong="$("$CELERY" --app "$CELERY_APP" inspect ping --timeout 10 -d "$destinations" 2>&1)" || true
        for node in "${nodes[@]}"; do
            grep -Eq -- "-> +$node: OK" <<< "$pong" || missing+=("$node")
        done
        (( ${#missing[@]} == 0 )) && break
        check_alive
        (( SECONDS - start < TIMEOUT )) || fail "workers do not answer a ping: ${missing[*]}: $pong"
        sleep 2
    done
    log "workers ready after $(( SECONDS - start ))s: ${nodes[*]}"

    # --- What clients need -------------------------------------------------------------------
    local key tmp="$ENV_FILE.tmp"
    (
        umask 077
        {
            echo "# scripts/cluster.sh start, $(date -u +%Y-%m-%dT%H:%M:%SZ): source with set -a"
            for key in AIRFLOW_HOME AIRFLOW_API_URL AIRFLOW_USERNAME AIRFLOW_PASSWORD \
                NEWSWIRE_DATABASE_URL NEWSWIRE_DATA_DIR AIRFLOW__DATABASE__SQL_ALCHEMY_CONN \
                AIRFLOW__CORE__EXECUTOR AIRFLOW__CELERY__BROKER_URL AIRFLOW__CELERY__RESULT_BACKEND \
                AIRFLOW__CORE__DAGS_FOLDER AIRFLOW__CORE__PLUGINS_FOLDER \
                AIRFLOW__CORE__LOAD_EXAMPLES AIRFLOW__CORE__EXECUTION_API_SERVER_URL \
                NEWSWIRE_CLUSTER_DIR NEWSWIRE_CLUSTER_WORKERS NEWSWIRE_CLUSTER_NODES \
                NEWSWIRE_CLUSTER_REDIS_PORT; do
                case "$key" in
                    AIRFLOW_API_URL) value="$API_URL" ;;
                    AIRFLOW_USERNAME) value=admin ;;
                    AIRFLOW_PASSWORD) value="$password" ;;
                    NEWSWIRE_CLUSTER_DIR) value="$DIR" ;;
                    NEWSWIRE_CLUSTER_WORKERS) value="$WORKERS" ;;
                    NEWSWIRE_CLUSTER_NODES) value="$destinations" ;;
                    NEWSWIRE_CLUSTER_REDIS_PORT) value="$redis_port" ;;
                    *) value="${!key}" ;;
                esac
                echo "$key=$(shell_value "$value")"
            done
        } > "$tmp"
    )
    mv "$tmp" "$ENV_FILE"
    log "settings for clients: $ENV_FILE"
    log "UI and API: $API_URL (user admin, password in $ENV_FILE); DAGs start paused"
    log "stop with: scripts/cluster.sh stop"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
