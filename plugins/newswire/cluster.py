"""Helpers for running several Airflow workers on one machine (`make cluster`)."""

from __future__ import annotations

import os
import socket

# Set per Celery worker by scripts/cluster.sh (the worker's Celery node name, worker1@host).
WORKER_HOSTNAME_ENV = "NEWSWIRE_WORKER_HOSTNAME"


def worker_hostname() -> str:
    """Airflow's `[core] hostname_callable` for workers sharing one machine.

    Task instances record the host they ran on; two Celery workers on one machine would both
    record the machine's name. With NEWSWIRE_WORKER_HOSTNAME set (scripts/cluster.sh sets it
    to the worker's Celery node name) each worker records its own; otherwise the FQDN, as
    Airflow's default does.
    """
    return os.environ.get(WORKER_HOSTNAME_ENV) or socket.getfqdn()
