"""`summarizer gold check`: validate hand-labeled gold files against the schema and their sources."""

from __future__ import annotations

from pathlib import Path

import click

from summarizer.cli.common import handle_errors
from summarizer.evaluation.gold import check_gold_dir


@click.group("gold")
def gold_group() -> None:
    """Hand-labeled gold files (eval/gold)."""


@gold_group.command("check")
@handle_errors
@click.argument("directory", default="eval/gold", type=click.Path(path_type=Path))
@click.option(
    "--sources",
    default="seeds",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder of source articles, matched to gold files as <article_id>.*",
)
def check_command(directory: Path, sources: Path) -> None:
    """Check every gold file in DIRECTORY (default eval/gold) against its source article.

    Evidence must be verbatim (at its offsets when given), each value_text inside its evidence,
    and value/unit equal to the figure normalizer's. One line per problem; exit 1 on any.

    \b
    Examples:
      summarizer gold check
      summarizer gold check eval/gold --sources seeds
    """
    results = check_gold_dir(directory, sources)
    problems = [problem for found in results.values() for problem in found]
    for problem in problems:
        click.echo(str(problem))
    bad = sum(1 for found in results.values() if found)
    click.echo(f"{len(results)} gold files checked, {bad} with problems, {len(problems)} problems")
    if problems:
        raise SystemExit(1)


def register(group: click.Group) -> None:
    group.add_command(gold_group)
