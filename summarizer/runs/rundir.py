"""The layout of a run dir, shared by `run`, `batch`, `eval`, `memo` and `view`: `<article_id>.json`
summaries beside the files the tools write there.

    <article_id>.json   one ArticleSummary per article (written atomically: temp file + rename)
    summaries.jsonl     every summary in the folder, one per line, rebuilt when a run ends or stops
    manifest.jsonl      the journal: one line per run start, per article finished, per run end;
                        append-only, so recording an article costs the same at 10 or 10,000
    manifest.json       a snapshot folded from the journal when a run starts and ends: every run,
                        and for every article in the folder the record of the run that made it
    .summarizer.lock    held (flock) by the one run writing the folder; holds its pid
    .answers.jsonl      model answers of unfinished articles, so a resume never asks twice

A reader that finds the journal newer than the snapshot (a run that was killed) folds the journal
itself (`read_manifest`): a crash loses nothing that was recorded.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from summarizer.core.errors import ConfigError

# Written by the tools next to the summaries; never read as summaries, never used as article ids.
TOOL_FILES = frozenset({"manifest.json", "report.json", "compare.json", "summaries.jsonl", "batch.json"})
RESERVED_IDS = frozenset(Path(name).stem for name in TOOL_FILES)
JOURNAL = "manifest.jsonl"
SNAPSHOT = "manifest.json"
LOCK = ".summarizer.lock"
ANSWERS = ".answers.jsonl"


def summary_paths(run_dir: Path) -> list[Path]:
    """The `<article_id>.json` summary files of `run_dir`, sorted by name."""
    return sorted(p for p in run_dir.glob("*.json") if p.name not in TOOL_FILES)


def source_files(folder: Path, article_id: str) -> list[Path]:
    """The files `<folder>/<article_id>.<ext>` (any extension), sorted; none when no such folder."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.stem == article_id)


# -- writing files -----------------------------------------------------------------------------


def temp_path(path: Path) -> Path:
    """`.<name>.<pid>.<random>.tmp` beside `path`: the pid says whose it is (see `remove_stale_temps`)."""
    return path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def write_temp(path: Path, text: str) -> Path:
    """Write `text` to a fresh temp file beside `path`, flushed to disk; the caller renames it."""
    tmp = temp_path(path)
    try:
        with tmp.open("x", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, text: str) -> None:
    """Write through a temp file in the same folder, then rename: a reader never sees half a file."""
    tmp = write_temp(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temps(run_dir: Path) -> int:
    """Remove the temp files whose maker is gone (its pid no longer runs, or the name has none)."""
    removed = 0
    for tmp in run_dir.glob(".*.tmp"):
        pid = _pid_in_temp_name(tmp.name)
        if pid is None or (pid != os.getpid() and not pid_alive(pid)):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def _pid_in_temp_name(name: str) -> int | None:
    parts = name.split(".")  # ['', '<name>', ..., '<pid>', '<random>', 'tmp']
    return int(parts[-3]) if len(parts) >= 5 and parts[-3].isdigit() else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True


# -- one run at a time -------------------------------------------------------------------------


class RunDirBusy(ConfigError):
    """Another run holds the folder's lock: a usage error (exit 2), named in one line."""


class RunLock:
    """An exclusive lock on a run dir for the life of one run.

    `flock` on `.summarizer.lock`: the kernel drops it when the holder dies, however it dies, so a
    killed run never blocks the next one. The file holds the holder's pid for the message."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / LOCK
        self._handle: IO[str] | None = None

    def acquire(self) -> RunLock:
        import fcntl

        while True:
            handle = self.path.open("a+", encoding="utf-8")
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                handle.close()
                raise RunDirBusy(
                    f"{self.path.parent} is in use by another run (pid {holder}); "
                    "wait for it to end or pass another -o"
                ) from None
            # The holder may have removed the file between our open and our lock: lock the new one.
            if _same_file(handle, self.path):
                break
            handle.close()
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            self.path.unlink(missing_ok=True)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False


# -- the journal and the manifest ----------------------------------------------------------------


class Journal:
    """Appends one JSON line per event to `manifest.jsonl` (flushed, not fsynced: a killed process
    loses nothing the kernel has; a torn last line from a power cut is skipped by readers)."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / JOURNAL
        self._handle = self.path.open("a", encoding="utf-8")

    def append(self, event: dict[str, Any]) -> None:
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

    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)


def fold(events: Iterable[dict[str, Any]]) -> Folded:
    folded = Folded()
    for event in events:
        kind, run = event.get("event"), str(event.get("run", ""))
        body = {k: v for k, v in event.items() if k != "event"}
        if kind == "run":
            folded.runs[run] = body
        elif kind == "end":
            folded.runs.setdefault(run, {"run": run}).update(body)
        elif kind == "article" and isinstance(event.get("article_id"), str):
            record = {k: v for k, v in body.items() if k != "article_id"}
            folded.articles.pop(event["article_id"], None)  # keep the order of the latest record
            folded.articles[event["article_id"]] = record
    return folded


def read_manifest(run_dir: Path) -> dict[str, Any] | None:
    """The manifest of `run_dir`: the snapshot, or the journal folded when the snapshot is older
    (a killed run) or missing; None when the folder has neither."""
    snapshot_path, journal_path = run_dir / SNAPSHOT, run_dir / JOURNAL
    snapshot = _read_json(snapshot_path)
    if not journal_path.is_file():
        return snapshot
    if snapshot is not None and snapshot.get("journal_bytes") == journal_path.stat().st_size:
        return snapshot
    folded = fold(read_events(run_dir))
    base = dict(snapshot or {})
    base.update({"runs": list(folded.runs.values()), "articles": folded.articles})
    last = list(folded.runs.values())[-1] if folded.runs else {}
    base["finished"] = bool(last.get("finished", False))  # a run without an end was killed
    return base


def article_record(run_dir: Path, article_id: str) -> dict[str, Any] | None:
    """The manifest record of one article (memo and viewer use its `path`), read once per folder."""
    articles = _cached_articles(run_dir)
    record = articles.get(article_id)
    return record if isinstance(record, dict) else None


_ARTICLES_CACHE: dict[tuple[str, tuple[int, int], tuple[int, int]], dict[str, Any]] = {}


def _cached_articles(run_dir: Path) -> dict[str, Any]:
    key = (str(run_dir.resolve()), _stamp(run_dir / SNAPSHOT), _stamp(run_dir / JOURNAL))
    if key not in _ARTICLES_CACHE:
        manifest = read_manifest(run_dir) or {}
        articles = manifest.get("articles")
        _ARTICLES_CACHE.clear()
        _ARTICLES_CACHE[key] = articles if isinstance(articles, dict) else {}
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


def new_run_id() -> str:
    """`20261129T163456Z-12345-9f3a`: when a run started, its pid, and a few random digits."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}-{secrets.token_hex(2)}"
