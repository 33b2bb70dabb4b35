"""The command line: parse arguments, call the library, print. Each command group is a module.

Commands are imported when they are run, not when the program starts: `summarizer --help` and
`summarizer run --backend none` never import scipy (eval), jinja2 (memo) or the OpenAI client
(measured with `python -X importtime`, see bench/bench_scale.py). `--help` lists the commands
from the table below; a test checks each line against the command's own short help.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import IO, Any

import click

# name -> (module, attribute, its short help as `get_short_help_str(limit=1000)` gives it).
# Adding a command is one line here.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "batch": (
        "summarizer.cli.batch",
        "batch_group",
        "Summarize through a provider's Batch API, at its batch price.",
    ),
    "compare": (
        "summarizer.cli.evaluate",
        "compare_command",
        "Compare run A (baseline) with run B per metric: A, B, B - A and a bootstrap 95% interval.",
    ),
    "eval": (
        "summarizer.cli.evaluate",
        "eval_command",
        "Score RUN_DIR (a folder of <article_id>.json summaries) against the gold set.",
    ),
    "export": (
        "summarizer.cli.export",
        "export_command",
        "Write every initiative and figure of RUN_DIR as a table, and print its path.",
    ),
    "gold": ("summarizer.cli.gold", "gold_group", "Hand-labeled gold files (eval/gold)."),
    "ingest": (
        "summarizer.cli.run",
        "ingest_command",
        "Show what the cleaner saw: title, source, date and the cleaned body.",
    ),
    "memo": (
        "summarizer.cli.memo",
        "memo_command",
        "Write a briefing memo of RUN_DIR (a folder of <article_id>.json summaries).",
    ),
    "run": (
        "summarizer.cli.run",
        "run_command",
        "Summarize articles (.txt, .md, .html and saved web pages, .csv; files or folders) into OUT.",
    ),
    "view": (
        "summarizer.cli.memo",
        "view_command",
        "Write the evidence viewer page of one summary and print its path.",
    ),
}
# Modules that still register their commands themselves (`register(group)`), imported at start.
_COMMAND_MODULES: list[str] = []


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, attribute, _ = COMMANDS[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click lists commands, from the table: nothing is imported to print `--help`."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS:
                rows.append((name, click.Command(name, help=COMMANDS[name][2]).get_short_help_str(limit)))
            elif not (command := self.commands[name]).hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class OneLineUsageError(click.UsageError):
    """A usage error printed like every other error: `error: <message>` on one line, exit 2."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class _Commands(LazyGroup):
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


def _register_eager(group: Any) -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(group)


_register_eager(main)
