"""What every command shares: errors become one line on stderr, never a traceback; logging is
configured here (the library never changes it)."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast, overload

import click

from summarizer.core.errors import ConfigError, SummarizerError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def input_files(inputs: list[Path]) -> list[Path]:
    """The article files of `inputs`: a folder's files of other kinds are named in one warning (so a
    `.js` or `.tpl` dump is not dropped unseen), and none at all is a usage error."""
    from summarizer.ingest.article import SUPPORTED_KINDS, discover  # here: --help stays fast

    paths, skipped = discover(inputs)
    if skipped:
        shown = ", ".join(p.name for p in skipped[:5]) + (
            f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        )
        click.echo(
            f"warning: skipped {len(skipped)} file(s) of other kinds ({shown}); "
            f"articles must be {SUPPORTED_KINDS}: rename a text or HTML file to .txt or .html to include it",
            err=True,
        )
    if not paths:
        fail(f"no article files ({SUPPORTED_KINDS}) in the given inputs", code=2)
    return paths


@overload
def handle_errors(func: F, *, error_code: int = 1) -> F: ...
@overload
def handle_errors(func: None = None, *, error_code: int = 1) -> Callable[[F], F]: ...
def handle_errors(func: F | None = None, *, error_code: int = 1) -> F | Callable[[F], F]:
    """Turn `SummarizerError` into `error: <message>`; config errors exit 2 (usage), others
    `error_code` (`compare` uses 2 for errors, keeping 1 for a regression)."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except ConfigError as exc:
                fail(str(exc), code=2)
            except SummarizerError as exc:
                fail(str(exc), code=error_code)

        return cast(F, wrapper)

    return decorate(func) if func is not None else decorate


# -- logging ------------------------------------------------------------------------------------

# The loggers of the model client libraries (instructor, the openai SDK, its HTTP client).
LIBRARY_LOGGERS = ("instructor", "openai", "httpx", "httpx2", "httpcore")


def quiet_library_logs(verbose: bool) -> None:
    """instructor logs every failed attempt at ERROR; a run reports each failure once, in one line."""
    logging.getLogger("instructor").setLevel(logging.WARNING if verbose else logging.CRITICAL)


class _RedactFilter(logging.Filter):
    """Removes API keys from log records: instructor logs provider errors, which may echo the key."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(key in text for key in self.keys):
            for key in self.keys:
                text = text.replace(key, "[redacted]")
            record.msg, record.args = text, ()
        return True


_REDACT = _RedactFilter()


def redact_from_logs(api_key: str | None) -> None:
    """Attach the redacting filter to every logger of the client libraries (filters do not
    propagate, so each gets it). Call it once the backend is built: importing the libraries makes
    their loggers."""
    if not api_key:
        return
    _REDACT.keys.add(api_key)
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in LIBRARY_LOGGERS]
    for name in names:
        logger = logging.getLogger(name)
        if _REDACT not in logger.filters:
            logger.addFilter(_REDACT)


def existing_run(run_dir: Path) -> Path:
    """RUN_DIR as given, or a ConfigError (one line, exit 2) when nothing is there."""
    if not run_dir.exists():
        raise ConfigError(f"{run_dir}: no such run dir; pass a folder of <article_id>.json summaries")
    return run_dir


def exit_now(code: int) -> NoReturn:
    """Exit without waiting for worker threads (a request blocked in flight); output is flushed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@contextlib.contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """The first Ctrl-C or SIGTERM calls `stop` (the run winds down and saves what it has); a
    second one exits at once with 130."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handle(signum: int, _frame: object) -> None:
        received.append(signum)
        if len(received) > 1:
            click.echo("interrupted again: exiting now; rerun to resume", err=True)
            exit_now(130)
        click.echo(
            "stopping: no new requests; finishing those in flight (Ctrl-C again to quit now)", err=True
        )
        stop()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
