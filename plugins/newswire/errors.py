"""Error types: retryable (try again later) vs permanent (record and never retry)."""

from __future__ import annotations


class NewswireError(Exception):
    """Base class of every error newswire raises on purpose."""


class ConfigError(NewswireError):
    """Invalid configuration: a sources file, an environment variable or a connection."""


class RetryableError(NewswireError):
    """A transient failure (network, timeout, 5xx, 408, 425, 429): the work may succeed later."""

    def __init__(
        self,
        reason: str,
        message: str,
        retry_after: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.retry_after = retry_after
        self.status = status  # the HTTP status that caused it, if any


class PermanentError(NewswireError):
    """A failure that retrying cannot fix (404, 410, 451, bad content type, oversized body)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason


class ExtractionRejected(PermanentError):
    """A fetched page that is not an article (no body, only a prompt, too short)."""


class RunFailed(NewswireError):
    """A run in which a task failed for good (after its retries): the run must not end green."""


class MigrationError(NewswireError):
    """The database schema cannot be brought to the expected version."""
