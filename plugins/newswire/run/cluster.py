"""Helpers for running Airflow on one machine: several workers (`make cluster`), tests, benches."""

from __future__ import annotations

import secrets
import socket
from pathlib import Path

from newswire.settings import Settings

# Seconds between a task worker's wake-ups (Airflow's [workers] min_heartbeat_interval, 5 by
# default): a worker can miss a task process's exit and notice it only at its next wake-up,
# holding the task slot idle until then; 2 s bounds that at the cost of more heartbeats.
MIN_HEARTBEAT_INTERVAL = 2


def worker_hostname() -> str:
    """Airflow's `[core] hostname_callable` for workers sharing one machine.

    Task instances record the host they ran on; two Celery workers on one machine would both
    record the machine's name. With NEWSWIRE_WORKER_HOSTNAME set (scripts/cluster.sh sets it
    to the worker's Celery node name) each worker records its own; otherwise the FQDN, as
    Airflow's default does.
    """
    return Settings.from_env().worker_hostname or socket.getfqdn()


def local_airflow_env(root: Path, home: Path, meta_url: str, port: int) -> dict[str, str]:
    """Settings of an Airflow on loopback for tests and benchmarks (`airflow standalone`).

    root is the checkout (dags/, plugins/), home the AIRFLOW_HOME, meta_url the metadata
    database and port the API server's; callers add the executor and newswire's settings.
    """
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(root / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(root / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta_url,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16),
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        # The first execution-API calls can take over the 5 s default on a busy machine (cold
        # API server): a timed-out start fails the task for good.
        "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",
        "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": str(MIN_HEARTBEAT_INTERVAL),
    }
