"""The run dir's records, typed, and the one place that writes and reads them.

    ArticleRecord   one article's record: a journal line (`manifest.jsonl`) and `articles[<id>]`
    RunRecord       one run: its start (`event: run`) merged with its end (`event: end`)
    Manifest        the snapshot, `manifest.json`: this run's settings and totals, every run, and
                    for every article in the folder the record of the run that made it

`Journal` appends the events, `write_snapshot` writes `manifest.json`, `fold` folds the journal,
`read_manifest` reads the manifest (folding the journal when the snapshot is older: a killed run),
`article_record` looks one article up. Nothing else in the package parses these files.

Reading is forgiving, because a folder may come from an older version, a hand-made file or a run
killed mid-line: unknown keys are kept, a value that does not fit its field is dropped (the
record then does not report it, see `model_fields_set`) instead of losing the whole record, and a
torn journal line is skipped. Writing is exact: the JSON of a record is what the dataclass-and-dict
code before these models wrote, key for key.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from summarizer.core.config import Strategy
from summarizer.runs.rundir import JOURNAL, SNAPSHOT, write_atomic


class ArticleStatus(StrEnum):
    """Where an article stands in a run (`status` of its record)."""

    pending = "pending"  # planned, not started
    running = "running"  # a worker has it
    ok = "ok"  # summarized by this run
    resumed = "resumed"  # its summary from an earlier run is kept
    failed = "failed"
    skipped = "skipped"  # not started: the token ceiling was reached
    interrupted = "interrupted"  # a stop cut it short, or came before it started
    waiting = "waiting"  # a Batch API round will answer it
    redoing = "redoing"  # journal only: its old summary was removed before it is redone


# The statuses counted in a run's totals, in the order they are written.
COUNTED = (
    ArticleStatus.ok,
    ArticleStatus.resumed,
    ArticleStatus.failed,
    ArticleStatus.skipped,
    ArticleStatus.interrupted,
    ArticleStatus.waiting,
)


class _Record(BaseModel):
    """A record of the run dir: unknown keys kept; on reading, a value that does not fit its field
    is dropped (left unset, so not reported) rather than failing the whole record."""

    model_config = ConfigDict(extra="allow", strict=True)  # "3" is no count, 1 no yes/no

    @model_validator(mode="wrap")
    @classmethod
    def _drop_unfit_values(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise
            unfit = {error["loc"][0] for error in exc.errors() if error["loc"]}
            return handler({k: v for k, v in data.items() if k not in unfit})

    def to_json(self) -> dict[str, Any]:
        """The record as written: JSON values, in field order (then any unknown keys)."""
        return self.model_dump(mode="json")


class TokenUsage(_Record):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ArticleRecord(_Record):
    """What a run records about one article: one journal line, and the snapshot's `articles[<id>]`."""

    run: str | None = None  # the run that wrote the record; set when it is recorded
    path: str | None = None  # the source file, absolute; always set by a run
    status: ArticleStatus = Field(default=ArticleStatus.pending, strict=False)  # from its name
    error: str | None = None
    seconds: float = 0.0
    attempts: int = 0
    calls: int = 0
    usage: TokenUsage = Field(default_factory=TokenUsage)
    failed_attempts: dict[str, int] = Field(default_factory=dict)  # retried or fatal, by reason
    schema_valid_first_attempt: bool | None = None
    initiatives: int = 0
    outcomes: int = 0
    dropped_initiatives: int = 0
    dropped_spans: int = 0
    input_sha256: str | None = None
    config_fingerprint: str | None = None
    redo_reason: str | None = None  # why an existing summary was not resumed
    warnings: list[str] = Field(default_factory=list)  # from ingest (replaced undecodable bytes)

    @model_serializer(mode="wrap")
    def _without_unset_run(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("run") is None:
            data.pop("run", None)  # a record not yet recorded (records of a run before the journal)
        return data


class Totals(_Record):
    articles: int = 0
    ok: int = 0
    resumed: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: int = 0
    waiting: int = 0
    attempts: int = 0
    failed_attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @classmethod
    def of(cls, records: Iterable[ArticleRecord]) -> Totals:
        records = list(records)
        counts = {status.value: sum(r.status == status for r in records) for status in COUNTED}
        return cls(
            articles=len(records),
            **counts,
            attempts=sum(r.attempts for r in records),
            failed_attempts=sum(sum(r.failed_attempts.values()) for r in records),
            prompt_tokens=sum(r.usage.prompt_tokens for r in records),
            completion_tokens=sum(r.usage.completion_tokens for r in records),
        )


class RunRecord(_Record):
    """One run: the fields of its start, then those of its end (absent while it runs, or when it
    was killed). Written without the fields it does not have."""

    run: str = ""
    # the start
    pid: int | None = None
    started: str | None = None
    backend: str | None = None
    model: str | None = None
    strategy: Strategy | None = Field(default=None, strict=False)
    config_fingerprint: str | None = None
    max_concurrency: int | None = None
    # the end
    ended: str | None = None
    seconds: float | None = None
    finished: bool | None = None
    interrupted: bool | None = None
    abandoned_requests: bool | None = None
    totals: Totals | None = None
    limiter: dict[str, Any] | None = None  # what the client-side rate limiter did

    @model_serializer(mode="wrap")
    def _without_absent_fields(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None}

    def ended_with(self, end: RunRecord) -> RunRecord:
        """This run's start merged with its end."""
        return RunRecord.model_validate({**self.to_json(), **end.to_json()})


class Manifest(_Record):
    """`manifest.json`: the snapshot folded from the journal when a run starts and ends."""

    tool: str | None = None
    run: str | None = None
    backend: str | None = None
    endpoint: str | None = None
    model: str | None = None
    strategy: Strategy | None = Field(default=None, strict=False)
    prompts: list[str] = Field(default_factory=list)
    config: dict[str, Any] = Field(default_factory=dict)
    config_fingerprint: str | None = None
    finished: bool = False
    interrupted: bool = False
    seconds: float | None = None
    totals: Totals = Field(default_factory=Totals)
    failures: list[str] = Field(default_factory=list)
    runs: list[RunRecord] = Field(default_factory=list)
    batch: dict[str, Any] | None = None  # Batch API rounds (summarizer.runs.batch); absent otherwise
    articles: dict[str, ArticleRecord] = Field(default_factory=dict)
    journal_bytes: int | None = None  # the journal's size when written: a larger one is newer

    @field_validator("articles", mode="before")
    @classmethod
    def _article_entries(cls, value: Any) -> Any:
        """Entries that are records: a list of records (an older layout) keyed by their id; any
        entry that is not an object is left out."""
        if isinstance(value, list):
            value = {
                str(a.get("article_id", a.get("id", i))): a
                for i, a in enumerate(value)
                if isinstance(a, dict)
            }
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items() if isinstance(v, dict | ArticleRecord)}
        return value

    @model_serializer(mode="wrap")
    def _without_absent_sections(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in ("batch", "journal_bytes"):
            if data.get(name) is None:
                data.pop(name, None)
        return data


# -- the journal --------------------------------------------------------------------------------


class Journal:
    """Appends one JSON line per event to `manifest.jsonl` (flushed, not fsynced: a killed process
    loses nothing the kernel has; a torn last line from a power cut is skipped by readers)."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / JOURNAL
        self._handle = self.path.open("a", encoding="utf-8")

    def run_started(self, start: RunRecord) -> None:
        self._append({"event": "run", **start.to_json()})

    def article(self, article_id: str, record: ArticleRecord) -> None:
        self._append({"event": "article", "article_id": article_id, **record.to_json()})

    def run_ended(self, end: RunRecord) -> None:
        self._append({"event": "end", **end.to_json()})

    def _append(self, event: dict[str, Any]) -> None:
        self._handle.write(json.dumps(event, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


def read_events(run_dir: Path) -> Iterator[dict[str, Any]]:
    """The journal's events in order; unreadable lines (a torn last line) are skipped."""
    path = run_dir / JOURNAL
    if not path.is_file():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                if isinstance(event, dict):
                    yield event


@dataclass
class Folded:
    """The journal folded: runs in order (start merged with end), the latest record per article."""

    runs: dict[str, RunRecord] = field(default_factory=dict)
    articles: dict[str, ArticleRecord] = field(default_factory=dict)


def fold(events: Iterable[dict[str, Any]]) -> Folded:
    folded = Folded()
    for event in events:
        kind, run = event.get("event"), str(event.get("run", ""))
        body = {k: v for k, v in event.items() if k != "event"}
        if kind == "run":
            folded.runs[run] = RunRecord.model_validate(body)
        elif kind == "end":
            start = folded.runs.get(run, RunRecord(run=run))
            folded.runs[run] = start.ended_with(RunRecord.model_validate(body))
        elif kind == "article" and isinstance(article_id := event.get("article_id"), str):
            record = ArticleRecord.model_validate({k: v for k, v in body.items() if k != "article_id"})
            folded.articles.pop(article_id, None)  # keep the order of the latest record
            folded.articles[article_id] = record
    return folded


def legacy_records(run_dir: Path) -> Folded:
    """A folder written before the journal: its manifest's articles, without input hashes."""
    folded = Folded()
    snapshot = _read_json(run_dir / SNAPSHOT)
    articles = snapshot.get("articles") if snapshot is not None else None
    if isinstance(articles, dict):
        for article_id, record in articles.items():
            if isinstance(record, dict) and "#" not in article_id:
                folded.articles[article_id] = ArticleRecord.model_validate({"run": "legacy", **record})
    return folded


# -- the snapshot ---------------------------------------------------------------------------------


def write_snapshot(run_dir: Path, manifest: Manifest) -> None:
    """Write `manifest.json` atomically, stamped with the journal's size (see `read_manifest`)."""
    manifest.journal_bytes = (run_dir / JOURNAL).stat().st_size
    text = json.dumps(manifest.to_json(), ensure_ascii=False, indent=1) + "\n"
    write_atomic(run_dir / SNAPSHOT, text)


def read_manifest(run_dir: Path) -> Manifest | None:
    """The manifest of `run_dir`: the snapshot, or the journal folded when the snapshot is older
    (a killed run) or missing; None when the folder has neither."""
    snapshot_path, journal_path = run_dir / SNAPSHOT, run_dir / JOURNAL
    snapshot = _read_json(snapshot_path)
    if not journal_path.is_file():
        return Manifest.model_validate(snapshot) if snapshot is not None else None
    if snapshot is not None and snapshot.get("journal_bytes") == journal_path.stat().st_size:
        return Manifest.model_validate(snapshot)
    folded = fold(read_events(run_dir))
    runs = list(folded.runs.values())
    finished = bool(runs[-1].finished) if runs else False  # a run without an end was killed
    return Manifest.model_validate(
        {**(snapshot or {}), "runs": runs, "articles": folded.articles, "finished": finished}
    )


def article_record(run_dir: Path, article_id: str) -> ArticleRecord | None:
    """The manifest record of one article (memo and viewer use its `path`), read once per folder."""
    return _cached_articles(run_dir).get(article_id)


_ARTICLES_CACHE: dict[tuple[str, tuple[int, int], tuple[int, int]], dict[str, ArticleRecord]] = {}


def _cached_articles(run_dir: Path) -> dict[str, ArticleRecord]:
    key = (str(run_dir.resolve()), _stamp(run_dir / SNAPSHOT), _stamp(run_dir / JOURNAL))
    if key not in _ARTICLES_CACHE:
        manifest = read_manifest(run_dir)
        _ARTICLES_CACHE.clear()
        _ARTICLES_CACHE[key] = manifest.articles if manifest is not None else {}
    return _ARTICLES_CACHE[key]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
