# Process-tree helpers sourced by scripts/cluster.sh and scripts/airflow-stop.sh.

# Every member of the given process groups and, recursively, their children, wherever their
# group is (Airflow moves each task runner to a process group of its own).
descendants() {
    local -A seen=()
    local queue="" next pid pgid
    for pgid in "$@"; do queue+=" $(pgrep -g "$pgid" || true)"; done
    queue="$(echo "$queue" | xargs)"
    while [[ -n "$queue" ]]; do
        next=""
        for pid in $queue; do
            [[ -n "${seen[$pid]:-}" ]] && continue
            seen[$pid]=1
            echo "$pid"
            next+=" $(pgrep -P "$pid" || true)"
        done
        queue="$(echo "$next" | xargs)"
    done
}
