"""Reading run dirs, gold dirs and a run's manifest for scoring (one summary file, and a source
article, are read by `summarizer.runs.reading`, as memos read them).

A run dir is any folder of `<article_id>.json` ArticleSummary files; `manifest.json`,
`report.json` and `summaries.jsonl` are not summaries. The manifest is written by the pipeline and
read defensively: a key that is missing or of the wrong type means "not reported", never an error.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from summarizer.core.errors import ConfigError
from summarizer.core.models import ArticleSummary
from summarizer.runs.reading import load_summary
from summarizer.runs.rundir import read_manifest, summary_paths


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


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _manifest_articles(manifest: Any) -> dict[str, dict]:
    articles = manifest.get("articles") if isinstance(manifest, dict) else None
    if isinstance(articles, list):
        articles = {
            str(a.get("article_id", a.get("id", i))): a for i, a in enumerate(articles) if isinstance(a, dict)
        }
    if not isinstance(articles, dict):
        return {}
    return {str(k): v for k, v in articles.items() if isinstance(v, dict)}


def _tokens(entry: dict) -> float | None:
    usage = entry.get("usage")
    if not isinstance(usage, dict):
        return None
    parts = [_number(usage.get(k)) for k in ("prompt_tokens", "completion_tokens")]
    known = [p for p in parts if p is not None]
    return sum(known) if known else None


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def operational(run_dir: Path) -> dict[str, Any]:
    """Operational figures from `manifest.json`; each is None when the manifest does not report it."""
    manifest = read_manifest(run_dir)  # the journal folded in when a run was killed
    entries = list(_manifest_articles(manifest).values())
    first = [
        e["schema_valid_first_attempt"]
        for e in entries
        if isinstance(e.get("schema_valid_first_attempt"), bool)
    ]
    attempts = [v for e in entries if (v := _number(e.get("attempts"))) is not None]
    tokens = [v for e in entries if (v := _tokens(e)) is not None]
    seconds = [v for e in entries if (v := _number(e.get("seconds"))) is not None]
    statuses = sorted(str(e["status"]) for e in entries if "status" in e)
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
