"""What a failed DAG task tells Airflow: a configuration error fails it without retries.

Imported by the DAG files at parse time, so it imports nothing heavy: Airflow is imported only
when a task actually fails with a ConfigError.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from newswire.errors import ConfigError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def config_error_fails_task(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap a task body: a ConfigError becomes AirflowFailException (failed, no retry).

    Retrying cannot fix a bad sources file, environment variable or connection, so the task
    fails at once instead of backing off through its retries. Other exceptions pass unchanged.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            from airflow.sdk.exceptions import AirflowFailException

            log.error("%s: configuration error, failing without retry: %s", func.__name__, exc)
            raise AirflowFailException(f"configuration error: {exc}") from exc

    return wrapper
