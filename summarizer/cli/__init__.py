"""The command line: parse arguments, call the library, print. Each command group is a module."""

from __future__ import annotations

import importlib

import click

# Modules that define commands; each exposes `register(group)`. Adding a command is one line here.
_COMMAND_MODULES = [
    "summarizer.cli.evaluate",
    "summarizer.cli.export",
    "summarizer.cli.gold",
    "summarizer.cli.memo",
    "summarizer.cli.run",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
