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

The journal and the snapshot are written and read by `summarizer.runs.manifest` only; a reader that
finds the journal newer than the snapshot (a run that was killed) folds the journal itself
(`read_manifest`): a crash loses nothing that was recorded.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import IO

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


def new_run_id() -> str:
    """`20261129T163456Z-12345-9f3a`: when a run started, its pid, and a few random digits."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}-{secrets.token_hex(2)}"
