"""What every command shares: errors become one line on stderr, never a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from summarizer.errors import ConfigError, SummarizerError


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
