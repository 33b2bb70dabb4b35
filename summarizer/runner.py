"""Batch runs: many articles, concurrently, resumably, losing nothing when one fails.

Layout of a run dir:
    <article_id>.json   one ArticleSummary per article (written atomically: temp file + rename)
    summaries.jsonl     every summary in the run dir, one per line, rebuilt at the end
    manifest.json       backend, model, prompts, config, per-article status, usage, timings, failures

Resume: an article whose `<article_id>.json` exists with the same config fingerprint is skipped.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from summarizer.backends.base import Backend, backend_details, backend_identity
from summarizer.calls import TokenBudget
from summarizer.config import RunConfig
from summarizer.errors import BudgetExceeded, ConfigError, InputError, SummarizerError, one_line
from summarizer.ingest import ingest_file
from summarizer.models import ArticleSummary, UsageRecord, dump_json
from summarizer.pipeline import summarize
from summarizer.rundir import RESERVED_IDS, summary_paths


@dataclass
class ArticleRecord:
    path: str
    status: str = "pending"  # ok | failed | resumed | skipped
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


@dataclass
class RunResult:
    out_dir: Path
    records: dict[str, ArticleRecord]
    manifest: dict

    @property
    def failures(self) -> list[str]:
        return [f"{r.path}: {r.error}" for r in self.records.values() if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return all(r.status in ("ok", "resumed") for r in self.records.values())


def write_atomic(path: Path, text: str) -> None:
    """Write through a temp file in the same folder, then rename: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _ArticleBudget(TokenBudget):
    """The run's budget as one article sees it: spending goes to the run, and the article keeps
    its own attempts, so a failed or stopped article still reports the usage of every attempt."""

    def __init__(self, run: TokenBudget) -> None:
        super().__init__(run.limit)
        self.run = run
        self.attempts: list[UsageRecord] = []

    def check(self) -> None:
        self.run.check()

    def spend(self, attempts: list[UsageRecord]) -> None:
        self.attempts.extend(attempts)
        self.run.spend(attempts)


class BatchRunner:
    def __init__(
        self,
        backend: Backend | None,
        config: RunConfig,
        out_dir: Path,
        jobs: int = 1,
        on_done: Callable[[str, ArticleRecord], None] | None = None,
    ) -> None:
        self.backend = backend
        self.config = config
        self.out_dir = out_dir
        self.jobs = max(1, jobs)
        self.on_done = on_done
        self.budget = TokenBudget(config.max_tokens_total)
        self.fingerprint = config.fingerprint(backend_details(backend))
        self._lock = threading.Lock()
        self.records: dict[str, ArticleRecord] = {}
        self.started = time.time()

    def run(self, paths: list[Path]) -> RunResult:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.out_dir.glob(".*.tmp"):  # left by a run killed mid-write (see write_atomic)
            stale.unlink(missing_ok=True)
        todo = self._plan(paths)
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = {pool.submit(self._process, article_id, path): article_id for article_id, path in todo}
            for future in as_completed(futures):
                _stop_on_config_error(pool, future)
        self._write_jsonl()
        manifest = self._write_manifest(finished=True)
        return RunResult(self.out_dir, self.records, manifest)

    def _plan(self, paths: list[Path]) -> list[tuple[str, Path]]:
        todo = []
        for path in paths:
            article_id = path.stem
            record = ArticleRecord(path=str(path))
            if article_id in self.records or article_id in RESERVED_IDS:
                record.status, record.error = "failed", "duplicate or reserved article id; rename the file"
                self.records[f"{article_id}#{len(self.records)}"] = record
            elif self._is_done(article_id):
                record.status = "resumed"
                self.records[article_id] = record
            else:
                self.records[article_id] = record
                todo.append((article_id, path))
        return todo

    def _is_done(self, article_id: str) -> bool:
        path = self.out_dir / f"{article_id}.json"
        if not path.is_file():
            return False
        try:
            summary = ArticleSummary.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, ValueError, OSError):
            return False
        return summary.provenance is not None and summary.provenance.config_fingerprint == self.fingerprint

    def _process(self, article_id: str, path: Path) -> None:
        record = self.records[article_id]
        started = time.perf_counter()
        budget = _ArticleBudget(self.budget)
        try:
            self.budget.check()
            summary = summarize(ingest_file(path), self.backend, self.config, budget)
            write_atomic(self.out_dir / f"{article_id}.json", dump_json(summary))
            _fill_record(record, summary)
            record.status = "ok"
        except BudgetExceeded as exc:
            record.status, record.error = "skipped", str(exc)
            _fill_usage(record, budget.attempts)
        except ConfigError:
            raise  # a wrong key, model or URL fails every article alike: the run stops (exit 2)
        except SummarizerError as exc:
            # An InputError names the file itself; the failure line adds the path once.
            record.status, record.error = (
                "failed",
                exc.reason if isinstance(exc, InputError) else one_line(exc),
            )
            _fill_usage(record, budget.attempts)
        except Exception as exc:  # one bad article must never sink the batch
            record.status, record.error = "failed", f"internal error: {type(exc).__name__}: {one_line(exc)}"
            _fill_usage(record, budget.attempts)
        record.seconds = round(time.perf_counter() - started, 3)
        with self._lock:
            self._write_manifest(finished=False)
        if self.on_done:
            self.on_done(article_id, record)

    def _write_jsonl(self) -> None:
        lines = []
        for path in summary_paths(self.out_dir):
            lines.append(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False))
        write_atomic(self.out_dir / "summaries.jsonl", "\n".join(lines) + ("\n" if lines else ""))

    def _write_manifest(self, finished: bool) -> dict:
        manifest = build_manifest(self, finished)
        write_atomic(
            self.out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        )
        return manifest


def _stop_on_config_error(pool: ThreadPoolExecutor, future: Future[None]) -> None:
    """Re-raise an article's `ConfigError` after cancelling the articles not yet started."""
    try:
        future.result()
    except ConfigError:
        pool.shutdown(wait=False, cancel_futures=True)
        raise


def _fill_record(record: ArticleRecord, summary: ArticleSummary) -> None:
    provenance = summary.provenance
    _fill_usage(record, provenance.attempts if provenance else [])
    record.initiatives = len(summary.initiatives)
    record.outcomes = sum(len(i.outcomes) for i in summary.initiatives)
    record.dropped_initiatives = provenance.dropped_initiatives if provenance else 0
    record.dropped_spans = provenance.dropped_spans if provenance else 0


def _fill_usage(record: ArticleRecord, attempts: list[UsageRecord]) -> None:
    record.attempts = len(attempts)
    record.calls = sum(1 for a in attempts if not a.cached)
    record.usage = {
        "prompt_tokens": sum(a.prompt_tokens for a in attempts),
        "completion_tokens": sum(a.completion_tokens for a in attempts),
    }
    record.failed_attempts = _failures_by_reason(attempts)
    record.schema_valid_first_attempt = all(a.ok for a in attempts[:1]) if attempts else None


def _failures_by_reason(attempts: list[UsageRecord]) -> dict[str, int]:
    """`{"HTTP 429": 2, "truncated": 1}`: what the retries were for, without the long messages."""
    reasons: dict[str, int] = {}
    for attempt in attempts:
        if not attempt.ok:
            reason = (attempt.error or "unknown").split(":", 1)[0]
            reasons[reason] = reasons.get(reason, 0) + 1
    return reasons


def build_manifest(runner: BatchRunner, finished: bool) -> dict:
    records = {k: asdict(v) for k, v in runner.records.items()}
    totals = {
        "articles": len(records),
        "ok": sum(r["status"] == "ok" for r in records.values()),
        "resumed": sum(r["status"] == "resumed" for r in records.values()),
        "failed": sum(r["status"] == "failed" for r in records.values()),
        "skipped": sum(r["status"] == "skipped" for r in records.values()),
        "attempts": sum(r["attempts"] for r in records.values()),
        "failed_attempts": sum(sum(r["failed_attempts"].values()) for r in records.values()),
        "prompt_tokens": sum(r["usage"]["prompt_tokens"] for r in records.values()),
        "completion_tokens": sum(r["usage"]["completion_tokens"] for r in records.values()),
    }
    backend_name, model = backend_identity(runner.backend)
    return {
        "tool": "summarizer",
        "backend": backend_name,
        "model": model,
        "endpoint": runner.backend.endpoint if runner.backend is not None else None,
        "strategy": runner.config.strategy,
        "prompts": list(runner.config.prompts),
        "config": asdict(runner.config),
        "config_fingerprint": runner.fingerprint,
        "finished": finished,
        "seconds": round(time.time() - runner.started, 3),
        "totals": totals,
        "failures": [f"{r['path']}: {r['error']}" for r in records.values() if r["status"] == "failed"],
        "articles": records,
    }
