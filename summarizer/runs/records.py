"""What a run records about each article (`ArticleRecord`, one journal line) and the files
derived from the run dir when a run ends (`summaries.jsonl`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.core.models import ArticleSummary, UsageRecord
from summarizer.runs.rundir import SNAPSHOT, fold, summary_paths, write_atomic


@dataclass
class ArticleRecord:
    path: str
    status: str = "pending"  # ok | failed | resumed | skipped | interrupted | waiting (batch)
    error: str | None = None
    seconds: float = 0.0
    attempts: int = 0
    calls: int = 0
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0})
    failed_attempts: dict[str, int] = field(default_factory=dict)  # retried or fatal, by reason
    schema_valid_first_attempt: bool | None = None
    initiatives: int = 0
    outcomes: int = 0
    dropped_initiatives: int = 0
    dropped_spans: int = 0
    input_sha256: str | None = None
    config_fingerprint: str | None = None
    redo_reason: str | None = None  # why an existing summary was not resumed
    warnings: list[str] = field(default_factory=list)  # from ingest (replaced undecodable bytes)


def write_jsonl(out_dir: Path) -> None:
    lines = []
    for path in summary_paths(out_dir):
        with contextlib.suppress(OSError, ValueError):
            lines.append(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False))
    write_atomic(out_dir / "summaries.jsonl", "\n".join(lines) + ("\n" if lines else ""))


def legacy_manifest(out_dir: Path) -> Any:
    """A folder written before the journal: its manifest's articles, without input hashes."""
    folded = fold([])
    with contextlib.suppress(OSError, ValueError, AttributeError):
        old = json.loads((out_dir / SNAPSHOT).read_text(encoding="utf-8"))
        for article_id, record in (old.get("articles") or {}).items():
            if isinstance(record, dict) and "#" not in article_id:
                folded.articles[article_id] = {"run": "legacy", **record}
    return folded


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
    record.usage = {
        "prompt_tokens": sum(a.prompt_tokens for a in attempts),
        "completion_tokens": sum(a.completion_tokens for a in attempts),
    }
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
