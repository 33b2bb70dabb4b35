"""Logging is configured by the CLI only (issue 14, "no hidden effects"): building a backend leaves
the process's logging as it found it; `summarizer run` quiets instructor and redacts the key."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from summarizer.backends.factory import build_backend
from summarizer.backends.openai import OpenAIBackend, OpenAISettings
from summarizer.cli.common import LIBRARY_LOGGERS, quiet_library_logs, redact_from_logs
from summarizer.core.config import BackendOptions

KEY = "sk-LOGGING-7f3e9a"


def logging_state() -> dict[str, Any]:
    """The root logger and every client-library logger: level, handlers, filters, propagation."""
    loggers: dict[str, logging.Logger] = {"": logging.getLogger()}
    for name, logger in logging.root.manager.loggerDict.items():
        if name.split(".")[0] in LIBRARY_LOGGERS and isinstance(logger, logging.Logger):
            loggers[name] = logger
    return {
        name: (logger.level, list(logger.handlers), list(logger.filters), logger.propagate, logger.disabled)
        for name, logger in loggers.items()
    }


@pytest.fixture
def restore_logging():
    """Undo what a test's CLI-side calls change, so later tests see the process as it was."""
    before = {name: (lg.level, list(lg.filters)) for name, lg in _library_loggers().items()}
    yield
    for name, logger in _library_loggers().items():
        level, filters = before.get(name, (logging.NOTSET, []))
        logger.setLevel(level)
        logger.filters[:] = filters


def _library_loggers() -> dict[str, logging.Logger]:
    return {
        name: logger
        for name, logger in logging.root.manager.loggerDict.items()
        if name.split(".")[0] in LIBRARY_LOGGERS and isinstance(logger, logging.Logger)
    }


def test_building_an_openai_backend_leaves_logging_unchanged() -> None:
    OpenAIBackend(OpenAISettings(model="warm-up", base_url="http://127.0.0.1:9/v1")).close()  # imports
    before = logging_state()
    assert {name.split(".")[0] for name in before} >= {"openai", "instructor"}
    backend = OpenAIBackend(OpenAISettings(model="m", base_url="http://127.0.0.1:9/v1", api_key=KEY))
    backend.close()
    factory_built = build_backend(BackendOptions(kind="openai", model="m", api_key=KEY))
    assert factory_built is not None
    factory_built.close()
    assert logging_state() == before


@pytest.mark.usefixtures("restore_logging")
def test_the_cli_quiets_instructor_and_redacts_the_key() -> None:
    OpenAIBackend(OpenAISettings(model="m", base_url="http://127.0.0.1:9/v1")).close()
    quiet_library_logs(verbose=False)
    assert logging.getLogger("instructor").level == logging.CRITICAL
    quiet_library_logs(verbose=True)
    assert logging.getLogger("instructor").level == logging.WARNING
    redact_from_logs(KEY)
    record = logging.LogRecord(
        "openai._base_client", logging.ERROR, __file__, 1, "echo: Bearer %s", (KEY,), None
    )
    assert logging.getLogger("openai._base_client").filter(record)
    assert record.getMessage() == "echo: Bearer [redacted]"
