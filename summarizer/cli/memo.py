"""`summarizer memo` (briefing memo of a run) and `summarizer view` (evidence viewer page)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from summarizer.briefing.memo import DOMAIN_ORDER, GroupBy, MemoOptions
from summarizer.cli.common import existing_run, handle_errors, redact_from_logs
from summarizer.core.config import KINDS, BackendKind
from summarizer.core.errors import ConfigError

if TYPE_CHECKING:
    from summarizer.backends.base import Backend

F = TypeVar("F", bound=Callable[..., object])

_RUN = click.Path(path_type=Path)  # checked by `existing_run`: one line, exit 2
_SOURCES = click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of source articles (<article_id>.*). Default: the paths in the run's manifest.json.",
)


def _backend(kind: BackendKind | None, model: str | None) -> Backend:
    """The backend for --executive-summary, configured like `summarizer run` (flags, then env)."""
    from summarizer.backends.factory import build_backend
    from summarizer.core.config import BackendOptions

    options = BackendOptions.from_env(kind=kind, model=model)
    backend = build_backend(options)
    redact_from_logs(options.api_key)  # once the backend's client libraries made their loggers
    if backend is None:
        raise ConfigError("--executive-summary needs a model; pass --backend openai, local or fake")
    return backend


def filter_options(command: F) -> F:
    """`--locality`, `--domain`, `--min-figures`: the filters `memo` and `export` share."""
    options = [
        click.option(
            "--locality",
            "localities",
            multiple=True,
            help="Keep only articles on this place, by name or province (repeatable): 潮州市, 广东省.",
        ),
        click.option(
            "--domain",
            "domains",
            multiple=True,
            type=click.Choice(DOMAIN_ORDER),
            help="Keep only initiatives in this domain (repeatable).",
        ),
        click.option(
            "--min-figures",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="Keep only initiatives that report at least this many figures.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def memo_options(
    localities: tuple[str, ...],
    domains: tuple[str, ...],
    min_figures: int,
    *,
    title: str | None = None,
    group_by: GroupBy = "locality",
) -> MemoOptions:
    """MemoOptions from the values of `filter_options` (and `title`, `group_by` for a memo)."""
    return MemoOptions(
        title=title,
        group_by=group_by,
        domains=tuple(domains),
        min_figures=min_figures,
        localities=tuple(localities),
    )


@click.command("memo")
@click.argument("run_dir", type=_RUN)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("memo.md"),
    show_default=True,
    help="Memo file; .md for Markdown, .html for HTML (+ viewer pages in view/), .docx for Word.",
)
@click.option("--title", help="Memo title. Default: 'Reform briefing: <place>'.")
@click.option("--group-by", type=click.Choice(["locality", "domain"]), default="locality", show_default=True)
@filter_options
@click.option(
    "--executive-summary",
    is_flag=True,
    help="Ask the backend for an overview paragraph (marked model-written).",
)
@click.option(
    "--backend", type=click.Choice(KINDS), help="Backend for --executive-summary; default as for `run`."
)
@click.option("--model", help="Model for --executive-summary (default: $SUMMARIZER_MODEL).")
@_SOURCES
@handle_errors
def memo_command(
    run_dir: Path,
    output: Path,
    title: str | None,
    group_by: GroupBy,
    localities: tuple[str, ...],
    domains: tuple[str, ...],
    min_figures: int,
    executive_summary: bool,
    backend: BackendKind | None,
    model: str | None,
    sources: Path | None,
) -> None:
    """Write a briefing memo of RUN_DIR (a folder of <article_id>.json summaries).

    Every initiative and figure cites its evidence: a footnote with the verbatim quote and
    article_id:start-end in Markdown, a link into the evidence viewer in HTML, a linked note
    under Sources in Word.

    \b
    Examples:
      summarizer memo runs/demo -o memo.md
      summarizer memo eval/gold -o docs/examples/memo.html --title "广东改革简报"
      summarizer memo runs/demo --group-by domain --domain rural_revitalization --min-figures 1
      summarizer memo eval/gold -o memo.docx --locality 潮州市
    """
    from summarizer.briefing.memo_render import write_memo

    existing_run(run_dir)
    options = memo_options(localities, domains, min_figures, title=title, group_by=group_by)
    writer = _backend(backend, model) if executive_summary else None
    try:
        path, warnings = write_memo(run_dir, output, options, sources, writer)
    finally:
        if writer is not None:
            writer.close()
    for line in warnings:
        click.echo(f"warning: {line}", err=True)
    click.echo(str(path))


@click.command("view")
@click.argument("summary_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Page to write. Default: <run dir>/view/<article_id>.html.",
)
@_SOURCES
@handle_errors
def view_command(summary_file: Path, output: Path | None, sources: Path | None) -> None:
    """Write the evidence viewer page of one summary and print its path.

    The page shows the source article with every evidence span highlighted where the
    summary's offsets put it; open it in any browser (no server, no external assets).

    \b
    Example:
      summarizer view runs/demo/000_85ee287e49764f57.json
    """
    from summarizer.briefing.viewer import view_summary_file

    click.echo(str(view_summary_file(summary_file, output, sources)))


def register(group: click.Group) -> None:
    group.add_command(memo_command)
    group.add_command(view_command)
