"""HTTP status policy: which failed responses are retried later and which are final."""

from __future__ import annotations

from dataclasses import dataclass

# Statuses that are not failures: a body to read (2xx) or "not modified" (304, conditional GET).
OK_STATUSES = frozenset({*range(200, 300), 304})
# Client errors that may succeed later as they are: the server gave up waiting for the
# request (408), refused to risk a replay (425 Too Early), or asked us to slow down (429).
RETRYABLE_CLIENT_STATUSES = frozenset({408, 425, 429})
# Server errors: every 5xx is retried.
SERVER_ERROR_STATUSES = range(500, 600)
# Statuses that say the host is overloaded: the server's Retry-After is honoured and the
# whole host is backed off, not only the URL.
THROTTLE_STATUSES = frozenset({429, 503})
# The reason recorded for a failed status (frontier.last_reason, ingest_runs.error_summary).
REASON_FORMAT = "http_{status}"


@dataclass(frozen=True)
class StatusPolicy:
    """What a failed HTTP status means: its reason, and whether to retry or back off."""

    status: int
    reason: str
    retryable: bool
    throttle: bool


def status_policy(status: int) -> StatusPolicy:
    """The policy of a non-OK status: retryable for 408, 425, 429 and 5xx, else permanent."""
    retryable = status in RETRYABLE_CLIENT_STATUSES or status in SERVER_ERROR_STATUSES
    return StatusPolicy(
        status=status,
        reason=REASON_FORMAT.format(status=status),
        retryable=retryable,
        throttle=status in THROTTLE_STATUSES,
    )
