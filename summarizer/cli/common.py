"""What every command shares: errors become one line on stderr, never a traceback."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from summarizer.core.errors import ConfigError, SummarizerError


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable[..., Any] | None = None, *, error_code: int = 1) -> Any:
    """Turn `SummarizerError` into `error: <message>`; config errors exit 2 (usage), others
    `error_code` (`compare` uses 2 for errors, keeping 1 for a regression)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except ConfigError as exc:
                fail(str(exc), code=2)
            except SummarizerError as exc:
                fail(str(exc), code=error_code)

        return wrapper

    return decorate(func) if func is not None else decorate


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
