#!/usr/bin/env bash
# Stop the `airflow standalone` started by scripts/airflow-standalone.sh.
#
# Signals the whole process group recorded in .data/airflow/standalone.pid, plus any
# descendant that moved to a group of its own (Airflow puts each task runner in its own
# process group): SIGTERM first, SIGKILL after a grace period. Then removes the pid file.
#
#   AIRFLOW_STOP_GRACE   seconds to wait after SIGTERM (default 30)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PID_FILE="$ROOT/.data/airflow/standalone.pid"
GRACE="${AIRFLOW_STOP_GRACE:-30}"

log() { printf '[airflow-stop] %s\n' "$*"; }

# The demo site started by airflow-standalone.sh, in its own process group.
DEMO_PID_FILE="$ROOT/.data/airflow/demosite.pid"
if [[ -f "$DEMO_PID_FILE" ]]; then
    demo_pgid="$(cat "$DEMO_PID_FILE")"
    if [[ "$demo_pgid" =~ ^[0-9]+$ ]]; then
        kill -TERM -- "-$demo_pgid" 2> /dev/null || true
        log "demo site stopped (process group $demo_pgid)"
    fi
    rm -f "$DEMO_PID_FILE"
fi

if [[ ! -f "$PID_FILE" ]]; then
    log "not running (no $PID_FILE)"
    exit 0
fi
pgid="$(cat "$PID_FILE")"
if [[ ! "$pgid" =~ ^[0-9]+$ ]] || (( pgid <= 1 )); then
    log "ignoring invalid pid file content '$pgid'"
    rm -f "$PID_FILE"
    exit 1
fi

# shellcheck source=scripts/proctree.sh
source "$ROOT/scripts/proctree.sh"

# The processes of the group, or descendants collected before, that still run (zombies,
# already dead but not yet reaped by their new parent, do not count).
survivors() {
    local pids
    pids="$( { pgrep -g "$pgid" || true; echo "$tree"; } | xargs | tr ' ' ',')"
    [[ -n "$pids" ]] || return 0
    ps -o pid=,stat= -p "$pids" 2> /dev/null | awk '$2 !~ /^Z/ { print $1 }' | sort -un | xargs \
        || true
}
alive() { [[ -n "$(survivors)" ]]; }

tree="$(descendants "$pgid" | sort -un | xargs)"
if [[ -z "$tree" ]]; then
    log "process group $pgid is not running; removing the stale pid file"
    rm -f "$PID_FILE"
    exit 0
fi

log "stopping process group $pgid (SIGTERM; processes: $tree)"
kill -TERM -- "-$pgid" 2> /dev/null || true
for pid in $tree; do
    kill -TERM "$pid" 2> /dev/null || true
done

waited=0
while alive && (( waited < GRACE )); do
    sleep 1
    waited=$((waited + 1))
done

if alive; then
    log "still running after ${GRACE}s: SIGKILL"
    kill -KILL -- "-$pgid" 2> /dev/null || true
    for pid in $tree; do
        kill -KILL "$pid" 2> /dev/null || true
    done
    for _ in 1 2 3 4 5; do
        alive || break
        sleep 1
    done
fi

rm -f "$PID_FILE"
if alive; then
    log "some processes survived SIGKILL: $(survivors)"
    exit 1
fi
log "stopped (${waited}s after SIGTERM)"
