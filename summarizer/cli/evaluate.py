"""`summarizer eval` and `summarizer compare`: score runs against the gold set, gate prompt changes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from summarizer.briefing.memo_run import viewer_filename
from summarizer.briefing.viewer import VIEW_DIR, viewer_href, write_viewer
from summarizer.cli.common import handle_errors
from summarizer.core.models import ArticleSummary
from summarizer.evaluation import (
    compare_runs,
    evaluate_run,
    parse_thresholds,
    regressions,
    write_compare_reports,
    write_eval_reports,
)
from summarizer.evaluation.runs import load_summaries
from summarizer.evaluation.terminal import console, print_compare, print_eval
from summarizer.runs.reading import SourceTexts

EXIT_REGRESSION = 1
EXIT_ERROR = 2

_dir = click.Path(file_okay=False, path_type=Path)
_gold_option = click.option(
    "--gold", type=_dir, default=Path("eval/gold"), show_default=True, help="Folder of gold files."
)
_sources_option = click.option(
    "--sources",
    type=_dir,
    default=Path("seeds"),
    show_default=True,
    help="Folder of source articles <article_id>.* (UTF-8), for the grounding rate.",
)


@click.command("eval")
@click.argument("run_dir", type=_dir)
@_gold_option
@_sources_option
@click.option("-o", "--out", type=_dir, help="Where to write the reports (default: RUN_DIR).")
@handle_errors(error_code=EXIT_ERROR)
def eval_command(run_dir: Path, gold: Path, sources: Path, out: Path | None) -> None:
    """Score RUN_DIR (a folder of <article_id>.json summaries) against the gold set.

    Writes report.json, report.md and report.html to RUN_DIR. Missing predictions count as empty;
    predictions with no gold file are listed and skipped.

    \b
    Examples:
      summarizer eval runs/demo
      summarizer eval runs/demo --gold eval/gold --sources seeds/ -o reports/demo
    """
    predictions, texts = load_summaries(run_dir), SourceTexts()  # each file read once
    result = evaluate_run(run_dir, gold, sources, texts.read, predictions)
    out_console = console()
    print_eval(out_console, result)
    report_dir = out or run_dir
    links = write_viewer_pages(predictions, run_dir, report_dir, sources, texts)
    for path in write_eval_reports(result, report_dir, links):
        out_console.print(f"wrote {path}", markup=False, highlight=False)


def write_viewer_pages(
    predictions: dict[str, ArticleSummary],
    run_dir: Path,
    report_dir: Path,
    sources: Path | None,
    texts: SourceTexts,
) -> dict[str, str]:
    """The evidence viewer page of every predicted article, linked from report.html."""
    links = {}
    for article_id, summary in predictions.items():
        target = report_dir / VIEW_DIR / viewer_filename(article_id)
        if write_viewer(summary, run_dir, target, sources, texts.read) is not None:
            links[article_id] = viewer_href(article_id)
    return links


@click.command("compare")
@click.argument("run_a", type=_dir)
@click.argument("run_b", type=_dir)
@click.argument("thresholds", nargs=-1, metavar="[METRIC=THRESHOLD]...")
@_gold_option
@_sources_option
@click.option(
    "--fail-on-regression",
    is_flag=True,
    help="Exit 1 when B is worse than A by more than a threshold (defaults: initiative_f1, outcome_f1 "
    "and figure_recall 0.02, grounding_rate 0.01); METRIC=THRESHOLD arguments override or add to "
    "them and imply this flag. Errors exit 2.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the paired bootstrap.")
@click.option("--resamples", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option("-o", "--out", type=_dir, help="Also write compare.json and compare.md here.")
@handle_errors(error_code=EXIT_ERROR)
def compare_command(
    run_a: Path,
    run_b: Path,
    thresholds: tuple[str, ...],
    gold: Path,
    sources: Path,
    fail_on_regression: bool,
    seed: int,
    resamples: int,
    out: Path | None,
) -> None:
    """Compare run A (baseline) with run B per metric: A, B, B - A and a bootstrap 95% interval.

    \b
    Examples:
      summarizer compare runs/v1 runs/v2
      summarizer compare runs/v1 runs/v2 --fail-on-regression
      summarizer compare runs/v1 runs/v2 --fail-on-regression initiative_f1=0.05 grounding_rate=0
    """
    gates = parse_thresholds(thresholds)  # fail fast on a bad pair, before scoring
    comparison = compare_runs(
        evaluate_run(run_a, gold, sources), evaluate_run(run_b, gold, sources), seed=seed, resamples=resamples
    )
    out_console = console()
    print_compare(out_console, comparison)
    if out is not None:
        for path in write_compare_reports(comparison, out):
            out_console.print(f"wrote {path}", markup=False, highlight=False)
    if fail_on_regression or thresholds:
        failed = regressions(comparison, gates)
        for line in failed:
            click.echo(line, err=True)
        if failed:
            sys.exit(EXIT_REGRESSION)


def register(group: click.Group) -> None:
    group.add_command(eval_command)
    group.add_command(compare_command)
