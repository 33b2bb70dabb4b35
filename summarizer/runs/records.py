"""Filling an article's record (`summarizer.runs.manifest.ArticleRecord`) from its summary or its
attempts, and the files derived from the run dir when a run ends (`summaries.jsonl`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from pathlib import Path

from summarizer.core.models import ArticleSummary, UsageRecord
from summarizer.runs.manifest import ArticleRecord, TokenUsage
from summarizer.runs.rundir import summary_paths, write_atomic


def write_jsonl(out_dir: Path) -> None:
    lines = []
    for path in summary_paths(out_dir):
        with contextlib.suppress(OSError, ValueError):
            lines.append(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False))
    write_atomic(out_dir / "summaries.jsonl", "\n".join(lines) + ("\n" if lines else ""))


def sha256(path: Path) -> str | None:
    if not path.is_file():
        return None  # a FIFO, a device, a socket: never read here; ingest refuses it in one line
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None  # ingest reports it
    return digest.hexdigest()


def iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def fill_record(record: ArticleRecord, summary: ArticleSummary) -> None:
    provenance = summary.provenance
    fill_usage(record, provenance.attempts if provenance else [])
    record.initiatives = len(summary.initiatives)
    record.outcomes = sum(len(i.outcomes) for i in summary.initiatives)
    record.dropped_initiatives = provenance.dropped_initiatives if provenance else 0
    record.dropped_spans = provenance.dropped_spans if provenance else 0


def fill_usage(record: ArticleRecord, attempts: list[UsageRecord]) -> None:
    record.attempts = len(attempts)
    record.calls = sum(1 for a in attempts if not a.cached)
    record.usage = TokenUsage(
        prompt_tokens=sum(a.prompt_tokens for a in attempts),
        completion_tokens=sum(a.completion_tokens for a in attempts),
    )
    record.failed_attempts = failures_by_reason(attempts)
    record.schema_valid_first_attempt = all(a.ok for a in attempts[:1]) if attempts else None


def failures_by_reason(attempts: list[UsageRecord]) -> dict[str, int]:
    """`{"HTTP 429": 2, "truncated": 1}`: what the retries were for, without the long messages."""
    reasons: dict[str, int] = {}
    for attempt in attempts:
        if not attempt.ok:
            reason = (attempt.error or "unknown").split(":", 1)[0]
            reasons[reason] = reasons.get(reason, 0) + 1
    return reasons
