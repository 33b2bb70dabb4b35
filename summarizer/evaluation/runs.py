"""Reading run dirs, gold dirs, source articles and a run's manifest.

A run dir is any folder of `<article_id>.json` ArticleSummary files; `manifest.json`,
`report.json` and `summaries.jsonl` are not summaries. The manifest is read by
`summarizer.runs.manifest`: a key that is missing or of the wrong type is not reported (not in the
record's `model_fields_set`), never an error.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pydantic

from summarizer.core.errors import ConfigError, InputError
from summarizer.core.models import ArticleSummary
from summarizer.ingest.article import load_text
from summarizer.runs.manifest import ArticleRecord, read_manifest
from summarizer.runs.rundir import source_files, summary_paths


def load_summaries(directory: Path, *, what: str = "run") -> dict[str, ArticleSummary]:
    """Every `<article_id>.json` summary in `directory`, keyed by file stem."""
    if not directory.is_dir():
        raise ConfigError(f"{directory}: {what} dir not found; pass an existing folder of summaries")
    summaries = {}
    for path in summary_paths(directory):
        summaries[path.stem] = _load_summary(path)
    return summaries


def _load_summary(path: Path) -> ArticleSummary:
    try:
        return ArticleSummary.model_validate_json(path.read_bytes())
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise InputError(
            str(path), f"not an ArticleSummary ({where}: {first['msg']}); fix or remove it"
        ) from exc
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror}); check its permissions") from exc


def load_gold(directory: Path) -> dict[str, ArticleSummary]:
    gold = load_summaries(directory, what="gold")
    if not gold:
        raise ConfigError(f"{directory}: no gold files (<article_id>.json); pass --gold DIR")
    return gold


def load_source(sources: Path | None, article_id: str) -> str | None:
    """The decoded source article `<sources>/<article_id>.*`, or None when there is none."""
    candidates = source_files(sources, article_id) if sources is not None else []
    return load_text(candidates[0]) if candidates else None


def _tokens(entry: ArticleRecord) -> float | None:
    if "usage" not in entry.model_fields_set:
        return None
    usage = entry.usage
    known = [
        float(getattr(usage, k))
        for k in ("prompt_tokens", "completion_tokens")
        if k in usage.model_fields_set
    ]
    return sum(known) if known else None


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def operational(run_dir: Path) -> dict[str, Any]:
    """Operational figures from `manifest.json`; each is None when the manifest does not report it."""
    manifest = read_manifest(run_dir)  # the journal folded in when a run was killed
    entries = list(manifest.articles.values()) if manifest is not None else []
    first = [e.schema_valid_first_attempt for e in entries if e.schema_valid_first_attempt is not None]
    attempts = [float(e.attempts) for e in entries if "attempts" in e.model_fields_set]
    tokens = [v for e in entries if (v := _tokens(e)) is not None]
    seconds = [e.seconds for e in entries if "seconds" in e.model_fields_set]
    statuses = sorted(str(e.status) for e in entries if "status" in e.model_fields_set)
    return {
        "manifest": manifest is not None,
        "articles": len(entries) if manifest is not None else None,
        "status": {s: statuses.count(s) for s in dict.fromkeys(statuses)} or None,
        "schema_valid_first_attempt": _mean([float(v) for v in first]),
        "attempts_per_article": _mean(attempts),
        "tokens_per_article": _mean(tokens),
        "seconds_per_article": _mean(seconds),
        "seconds_max": max(seconds) if seconds else None,
    }
