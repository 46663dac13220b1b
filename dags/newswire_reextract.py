"""newswire_reextract: re-extract stored raw pages of [since, until) with the current extractor.

Triggered by hand with params since/until (ISO dates, UTC when naive). Articles whose output
changed are rewritten; the others are left alone. Only wiring lives here: nothing runs at
parse time. A configuration error fails the task without retries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from newswire.run.taskerrors import config_error_fails_task

# Longest the re-extraction may run before Airflow stops it: a backstop against a hang. The
# work grows with the [since, until) range; re-extract a very long range in several runs.
REEXTRACT_TIMEOUT = timedelta(hours=12)


@dag(
    dag_id="newswire_reextract",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["newswire"],
    doc_md=__doc__,
    params={
        "since": Param(
            "2026-01-01", type="string", description="Published from (ISO date or datetime)."
        ),
        "until": Param(
            "2026-01-02", type="string", description="Published before (exclusive, ISO)."
        ),
    },
)
def newswire_reextract() -> None:
    """Re-extract the archived pages of the articles published in [since, until)."""

    @task(execution_timeout=REEXTRACT_TIMEOUT)
    @config_error_fails_task
    def reextract() -> dict[str, Any]:
        from newswire.load.reextract import run_from_params

        params = get_current_context()["params"]
        return run_from_params(params["since"], params["until"])

    reextract()


newswire_reextract()
