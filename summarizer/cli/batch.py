"""`summarizer batch submit|status|collect`: the Batch API (see summarizer/runs/batch.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from summarizer.cli.common import handle_errors, input_files
from summarizer.core.config import (
    DEFAULT_PROMPTS,
    MODES,
    BackendKind,
    BackendOptions,
    Mode,
    RunConfig,
    Strategy,
    with_prompts,
)
from summarizer.core.errors import ConfigError

_DIR = click.Path(file_okay=False, path_type=Path)


@click.group("batch")
def batch_group() -> None:
    """Summarize through a provider's Batch API, at its batch price.

    \b
    Examples:
      SUMMARIZER_MODEL=gpt-4o-mini OPENAI_API_KEY=... summarizer batch submit seeds/ -o runs/b
      summarizer batch status runs/b      # one line: batch id, status, counts
      summarizer batch collect runs/b     # exit 0 and the outputs of `run` when done; 3 while not
    """


@batch_group.command("submit")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True, type=_DIR, help="Run folder.")
@click.option("--model", help="Model name (or SUMMARIZER_MODEL).")
@click.option(
    "--base-url", help="OpenAI-compatible base URL (or OPENAI_BASE_URL); the key from OPENAI_API_KEY."
)
@click.option("--mode", type=click.Choice(MODES), help="How output is constrained.")
@click.option(
    "--strategy",
    type=click.Choice([Strategy.single, Strategy.decomposed]),
    default=Strategy.single,
    show_default=True,
)
@click.option(
    "--prompt", "prompts", multiple=True, help="Prompt version to use, e.g. extract@v2 (repeatable)."
)
@click.option("--chunk-chars", default=3000, show_default=True, help="Largest chunk sent to the model.")
@click.option("--overlap-chars", default=150, show_default=True, help="Context carried into the next chunk.")
@click.option("--completion-window", default="24h", show_default=True, help="The provider's batch window.")
@handle_errors
def submit_command(
    inputs: tuple[Path, ...],
    out_dir: Path,
    model: str | None,
    base_url: str | None,
    mode: Mode | None,
    strategy: Strategy,
    prompts: tuple[str, ...],
    chunk_chars: int,
    overlap_chars: int,
    completion_window: str,
) -> None:
    """Build the requests of INPUTS, upload them and create a batch; again to resubmit failures."""
    from summarizer.runs.batch import BatchSettings, submit

    backend = BackendOptions.from_env(kind=BackendKind.openai, model=model, base_url=base_url, mode=mode)
    if not backend.model:
        raise ConfigError("no model name: set SUMMARIZER_MODEL (e.g. gpt-4o-mini) or pass --model")
    config = RunConfig(
        strategy=strategy,
        chunk_chars=chunk_chars,
        overlap_chars=overlap_chars,
        prompts=with_prompts(DEFAULT_PROMPTS, prompts),
        model_writes_article_fields=strategy == Strategy.single,
    )
    settings = BatchSettings(backend.model, backend.base_url, backend.mode, completion_window, config)
    code, line = submit(input_files(list(inputs)), out_dir, settings, _client(backend.base_url))
    click.echo(line)
    sys.exit(code)


@batch_group.command("status")
@click.argument("run_dir", type=_DIR)
@handle_errors
def status_command(run_dir: Path) -> None:
    """Print one line: the latest batch's id, status and request counts."""
    from summarizer.runs.batch import status

    click.echo(status(run_dir, _client(_base_url(run_dir))))


@batch_group.command("collect")
@click.argument("run_dir", type=_DIR)
@handle_errors
def collect_command(run_dir: Path) -> None:
    """Download finished rounds and write the outputs of `run`; exit 3 while a round is not done."""
    from summarizer.runs.batch import collect
    from summarizer.runs.manifest import read_manifest

    code, line = collect(run_dir, _client(_base_url(run_dir)))
    if code == 1:
        manifest = read_manifest(run_dir)
        for failure in manifest.failures if manifest is not None else []:
            click.echo(f"error: {failure}", err=True)
    click.echo(line)
    sys.exit(code)


def _base_url(run_dir: Path) -> str | None:
    from summarizer.runs.batch import BatchJob

    if not (run_dir / "batch.json").is_file():
        return None
    return BatchJob.load(run_dir, None).settings.base_url or BackendOptions.from_env().base_url


def _client(base_url: str | None) -> Any:
    import openai

    options = BackendOptions.from_env(base_url=base_url)
    if not options.base_url and not options.api_key:
        raise ConfigError(
            "no API key for api.openai.com: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
        )
    return openai.OpenAI(api_key=options.api_key or "not-needed", base_url=options.base_url, timeout=120)


def register(group: click.Group) -> None:
    group.add_command(batch_group)
