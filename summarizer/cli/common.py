"""What every command shares: errors become one line on stderr, never a traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from summarizer.errors import ConfigError, SummarizerError


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn `SummarizerError` into `error: <message>`; config errors exit 2 (usage), others 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            fail(str(exc), code=2)
        except SummarizerError as exc:
            fail(str(exc), code=1)

    return wrapper
