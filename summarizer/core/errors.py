"""The error tree. The CLI turns any of these into one line; nothing else reaches the user.

SummarizerError
├── ConfigError          a setting is missing or wrong; the message names the variable or flag
├── InputError           an input file cannot be read as an article; names the file and the fix
├── GoldError            a gold file breaks the schema or disagrees with its source
├── BudgetExceeded       the run's token ceiling was reached; the run can be resumed
├── Interrupted          the run was asked to stop (Ctrl-C, SIGTERM); the run can be resumed
├── Deferred             an answer comes later (a Batch API round); the article waits, not fails
└── BackendError         the model call failed (carries provider and original exception)
    ├── TransientBackendError   rate limit, timeout, connection, 5xx: retried
    ├── OutputError              the model's output never fit the schema (after reasks)
    ├── TruncatedOutput          the model hit its token limit mid-answer: split and retry
    └── ProviderConfigError      the server refused the settings (401/403, unknown model, not an
                                 API at that URL): also a ConfigError, so it names the variable to
                                 fix, stops the run at once and exits 2
"""

from __future__ import annotations

from typing import Any


class SummarizerError(Exception):
    """Root of every error this package raises on purpose."""


class ConfigError(SummarizerError):
    pass


class InputError(SummarizerError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GoldError(SummarizerError):
    pass


class BudgetExceeded(SummarizerError):
    pass


class Interrupted(SummarizerError):
    pass


class Deferred(SummarizerError):
    pass


class BackendError(SummarizerError):
    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        original: BaseException | None = None,
        attempts: list[Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.original = original
        # UsageRecords of the attempts spent before the failure, so usage is never lost.
        self.attempts = list(attempts or [])


class TransientBackendError(BackendError):
    pass


class OutputError(BackendError):
    pass


class TruncatedOutput(BackendError):
    pass


class ProviderConfigError(BackendError, ConfigError):
    """Every later call would fail the same way: no retry, no next article."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (whitespace collapsed), or its type when it has none."""
    return " ".join(str(exc).split()) or type(exc).__name__
