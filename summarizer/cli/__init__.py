"""The command line: parse arguments, call the library, print. Each command group is a module."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import IO, Any

import click

# Modules that define commands; each exposes `register(group)`. Adding a command is one line here.
_COMMAND_MODULES = [
    "summarizer.cli.evaluate",
    "summarizer.cli.export",
    "summarizer.cli.gold",
    "summarizer.cli.memo",
    "summarizer.cli.run",
]


class OneLineUsageError(click.UsageError):
    """A usage error printed like every other error: `error: <message>` on one line, exit 2."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class _Commands(click.Group):
    """The command group; click's usage errors (`Invalid value for '-o'`) come out as one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _one_line_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line_usage_errors():
            return super().invoke(ctx)


@contextlib.contextmanager
def _one_line_usage_errors() -> Iterator[None]:
    try:
        yield
    except OneLineUsageError:
        raise
    except click.UsageError as exc:
        raise OneLineUsageError(exc.format_message(), exc.ctx) from exc


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Structured, grounded summaries of Chinese reform reporting.

    \b
    Examples:
      summarizer run seeds/ -o runs/demo
      summarizer ingest seeds/000_85ee287e49764f57.txt --json
    """


for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(main)
