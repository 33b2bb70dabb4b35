"""`summarizer run` and `summarizer ingest`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from summarizer.backends.factory import build_backend
from summarizer.cli.common import (
    exit_now,
    handle_errors,
    input_files,
    quiet_library_logs,
    redact_from_logs,
    stop_on_signals,
)
from summarizer.core.config import (
    DEFAULT_PROMPTS,
    KINDS,
    MODES,
    STRATEGIES,
    BackendKind,
    BackendOptions,
    Mode,
    RunConfig,
    Strategy,
    cache_dir,
    with_prompts,
)
from summarizer.ingest.article import ingest_file
from summarizer.llm.cache import CachedBackend, ResponseCache
from summarizer.llm.prompts import load_prompt
from summarizer.runs.manifest import ArticleRecord, ArticleStatus
from summarizer.runs.runner import BatchRunner, RunResult


def default_cache_path() -> Path:
    return cache_dir() / "responses.sqlite"


@click.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    callback=lambda _ctx, _param, value: _folder_or_new(value),
    help="Run folder (created when missing).",
)
@click.option(
    "--backend",
    type=click.Choice(KINDS),
    help="Default: openai when SUMMARIZER_MODEL or OPENAI_BASE_URL is set, else the embedded local model.",
)
@click.option("--model", help="Model name for an OpenAI-compatible server (or SUMMARIZER_MODEL).")
@click.option(
    "--base-url",
    help="OpenAI-compatible base URL (or OPENAI_BASE_URL). The key comes only from OPENAI_API_KEY.",
)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    help="How output is constrained (or SUMMARIZER_MODE; default tools).",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=1),
    default=120.0,
    show_default=True,
    help="Seconds per model request (OpenAI-compatible backend).",
)
@click.option(
    "--max-attempts",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Attempts per request on transient faults (429, 5xx, timeouts).",
)
@click.option("--model-path", type=click.Path(path_type=Path), help="A GGUF file for the embedded backend.")
@click.option(
    "--strategy",
    type=click.Choice(STRATEGIES),
    help="Default: decomposed for the embedded model, rules for --backend none, else single.",
)
@click.option(
    "--prompt", "prompts", multiple=True, help="Prompt version to use, e.g. extract@v2 (repeatable)."
)
@click.option(
    "--chunk-chars",
    type=click.IntRange(min=200),
    default=3000,
    show_default=True,
    help="Largest chunk sent to the model.",
)
@click.option(
    "--overlap-chars",
    type=click.IntRange(min=0),
    default=150,
    show_default=True,
    help="Context carried into the next chunk (less than half of --chunk-chars).",
)
@click.option(
    "-j",
    "--max-concurrency",
    "jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Model requests in flight across the whole run (chunks of one article go out together).",
)
@click.option("--rpm", type=click.FloatRange(min=0, min_open=True), help="Requests per minute to stay under.")
@click.option("--tpm", type=click.FloatRange(min=0, min_open=True), help="Tokens per minute to stay under.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the response cache.")
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(path_type=Path),
    help="Cache file (default ~/.cache/summarizer/responses.sqlite).",
)
@click.option("--force", is_flag=True, help="Redo articles that already have an output.")
@click.option(
    "--max-tokens-total",
    type=click.IntRange(min=1),
    help="Stop starting requests past this many tokens; rerun to resume.",
)
@click.option(
    "--fake-script",
    type=click.Path(exists=True, dir_okay=False, readable=True),
    help="JSONL of scripted responses for --backend fake.",
)
@click.option("-v", "--verbose", is_flag=True, help="Print each article's status.")
@handle_errors
def run_command(
    inputs: tuple[Path, ...],
    out_dir: Path,
    backend: BackendKind | None,
    model: str | None,
    base_url: str | None,
    mode: Mode | None,
    timeout_s: float,
    max_attempts: int,
    model_path: Path | None,
    strategy: Strategy | None,
    prompts: tuple[str, ...],
    chunk_chars: int,
    overlap_chars: int,
    jobs: int,
    rpm: float | None,
    tpm: float | None,
    no_cache: bool,
    cache_path: Path | None,
    force: bool,
    max_tokens_total: int | None,
    fake_script: str | None,
    verbose: bool,
) -> None:
    """Summarize articles (.txt, .md, .html and saved web pages, .csv; files or folders) into OUT.

    \b
    Examples:
      summarizer run seeds/ -o runs/demo                      # embedded model, offline
      summarizer run seeds/ -o runs/rules --backend none      # no model: the rules baseline
      SUMMARIZER_MODEL=deepseek-chat OPENAI_BASE_URL=https://api.deepseek.com/v1 \\
        OPENAI_API_KEY=... summarizer run seeds/ -o runs/ds -j 4
      summarizer run seeds/ -o runs/v2 --prompt extract@v2    # a prompt variant
    """
    backend_options = BackendOptions.from_env(
        kind=backend, model=model, base_url=base_url, mode=mode,
        model_path=str(model_path) if model_path else None,
        fake_script=fake_script,
        timeout_s=timeout_s,
        max_attempts=max_attempts,
        max_concurrency=jobs, rpm=rpm, tpm=tpm,
    )  # fmt: skip
    kind = backend_options.resolved_kind()
    config = RunConfig.for_backend(
        kind,
        strategy,
        chunk_chars=chunk_chars,
        overlap_chars=overlap_chars,
        prompts=with_prompts(DEFAULT_PROMPTS, prompts),
        max_tokens_total=max_tokens_total,
    )
    quiet_library_logs(verbose)
    for ref in config.prompts:
        load_prompt(ref)  # a missing prompt version is a usage error, reported once
    paths = input_files(list(inputs))
    model_backend = build_backend(backend_options) if config.strategy != Strategy.rules else None
    redact_from_logs(backend_options.api_key)  # once the backend's client libraries made their loggers
    if model_backend is not None and not no_cache:
        model_backend = CachedBackend(model_backend, ResponseCache(cache_path or default_cache_path()))
    runner = BatchRunner(model_backend, config, out_dir, jobs, force=force)
    try:
        with stop_on_signals(runner.request_stop):
            result = _run_with_progress(runner, paths, verbose)
    finally:
        if model_backend is not None:
            model_backend.close()
    _report(result)


def _folder_or_new(path: Path) -> Path:
    """`-o` names a folder, or a path where one can be made; anything else is a usage error."""
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"{str(path)!r} exists and is not a folder; name a new or existing folder")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise click.BadParameter(f"{str(parent)!r} is not a folder, so {str(path)!r} cannot be made")
    return path


def _run_with_progress(runner: BatchRunner, paths: list[Path], verbose: bool) -> RunResult:
    def echo_status(article_id: str, record: ArticleRecord) -> None:
        if verbose:
            click.echo(f"{record.status}: {article_id} ({record.seconds:.1f}s)", err=True)

    if not sys.stderr.isatty():
        runner.on_done = echo_status
        return runner.run(paths)
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("summarizing", total=len(paths))

        def advance(article_id: str, record: ArticleRecord) -> None:
            echo_status(article_id, record)
            progress.advance(task)

        runner.on_done = advance
        return runner.run(paths)


def _report(result: RunResult) -> None:
    totals = result.manifest.totals
    for line in result.failures:
        click.echo(f"error: {line}", err=True)
    skipped = [r for r in result.records.values() if r.status == ArticleStatus.skipped]
    if skipped:
        click.echo(f"stopped: {skipped[0].error} ({len(skipped)} articles not started)", err=True)
    stopped = f", {totals.interrupted} interrupted" if totals.interrupted else ""
    click.echo(
        f"{totals.ok} ok, {totals.resumed} resumed, {totals.failed} failed, {totals.skipped} skipped"
        f"{stopped}; {totals.prompt_tokens + totals.completion_tokens} tokens -> {result.out_dir}"
    )
    if result.interrupted:
        done = totals.ok + totals.resumed
        click.echo(f"interrupted: {done} done, {totals.articles - done} left; rerun to resume", err=True)
        if result.manifest.runs[-1].abandoned_requests:
            exit_now(130)  # requests still blocked in flight: do not wait for them at exit
        sys.exit(130)
    if not result.ok:
        sys.exit(1)


@click.command("ingest")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@handle_errors
def ingest_command(path: Path, as_json: bool) -> None:
    """Show what the cleaner saw: title, source, date and the cleaned body.

    \b
    Example:
      summarizer ingest seeds/000_85ee287e49764f57.txt --json
    """
    article = ingest_file(path)
    for warning in article.warnings:
        click.echo(f"warning: {path}: {warning}", err=True)
    fields = {
        "article_id": article.article_id,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "body": article.body,
    }
    if as_json:
        click.echo(json.dumps(fields, ensure_ascii=False, indent=2))
        return
    for key in ("article_id", "title", "source", "published"):
        click.echo(f"{key}: {fields[key]}")
    click.echo("")
    click.echo(article.body)


def register(group: click.Group) -> None:
    group.add_command(run_command)
    group.add_command(ingest_command)
