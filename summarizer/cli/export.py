"""`summarizer export`: every initiative and figure of a run as one table (CSV or Excel)."""

from __future__ import annotations

from pathlib import Path

import click

from summarizer.cli.common import existing_run, handle_errors
from summarizer.cli.memo import filter_options, memo_options


@click.command("export")
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Table file: .csv (UTF-8 with BOM, opens in Excel) or .xlsx.",
)
@filter_options
@click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of source articles (<article_id>.*) to place spans in. Default: the paths in the run's manifest.json.",
)
@handle_errors(error_code=2)
def export_command(
    run_dir: Path,
    output: Path,
    localities: tuple[str, ...],
    domains: tuple[str, ...],
    min_figures: int,
    sources: Path | None,
) -> None:
    """Write every initiative and figure of RUN_DIR as a table, and print its path.

    One row per outcome, plus one row for each initiative without outcomes, with the article,
    the place, the figure as printed and normalized, and its evidence (article_id:start-end).
    The filters are the memo's. Cells that a spreadsheet would read as a formula are neutralized.

    \b
    Examples:
      summarizer export runs/demo -o initiatives.csv
      summarizer export eval/gold -o initiatives.xlsx --domain business_environment --min-figures 1
    """
    from summarizer.briefing.export.sheets import write_table

    existing_run(run_dir)
    path, rows, warnings = write_table(
        run_dir, output, memo_options(localities, domains, min_figures), sources
    )
    for line in warnings:
        click.echo(f"warning: {line}", err=True)
    click.echo(f"{rows} rows", err=True)
    click.echo(str(path))


def register(group: click.Group) -> None:
    group.add_command(export_command)
