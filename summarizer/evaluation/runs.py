"""Reading run dirs, gold dirs and a run's manifest for scoring (one summary file, and a source
article, are read by `summarizer.runs.reading`, as memos read them).

A run dir is any folder of `<article_id>.json` ArticleSummary files; `manifest.json`,
`report.json` and `summaries.jsonl` are not summaries. The manifest is read by
`summarizer.runs.manifest`: a key that is missing or of the wrong type is not reported (not in the
record's `model_fields_set`), never an error.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from summarizer.core.errors import ConfigError
from summarizer.core.models import ArticleSummary
from summarizer.runs.manifest import ArticleRecord, read_manifest
from summarizer.runs.reading import load_summary
from summarizer.runs.rundir import summary_paths


def load_summaries(directory: Path, *, what: str = "run") -> dict[str, ArticleSummary]:
    """Every `<article_id>.json` summary in `directory`, keyed by file stem."""
    if not directory.is_dir():
        raise ConfigError(f"{directory}: {what} dir not found; pass an existing folder of summaries")
    summaries = {}
    for path in summary_paths(directory):
        summaries[path.stem] = load_summary(path)
    return summaries


def load_gold(directory: Path) -> dict[str, ArticleSummary]:
    gold = load_summaries(directory, what="gold")
    if not gold:
        raise ConfigError(f"{directory}: no gold files (<article_id>.json); pass --gold DIR")
    return gold


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
