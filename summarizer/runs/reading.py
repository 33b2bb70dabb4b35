"""Reading a run dir from outside the run: one summary file, and the source article of a summary.

Shared by `eval`, `compare`, `gold check`, `memo`, `view` and `export`, so a summary is parsed and a
source is found the same way everywhere. A run dir is a folder of `<article_id>.json`
ArticleSummary files (gold folders qualify). The source of an article is looked up, in order:
`--sources DIR` (`DIR/<article_id>.*`, whatever the extension), else the path the run's
`manifest.json` records for it. Nothing is resolved against the working directory. Span offsets
index the source as the pipeline decodes it (`read_source`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from summarizer.core.errors import InputError
from summarizer.core.models import ArticleSummary
from summarizer.ingest.article import load_text
from summarizer.runs.manifest import article_record
from summarizer.runs.rundir import source_files


def load_summary(path: Path) -> ArticleSummary:
    """One `<article_id>.json` summary (a UTF-8 BOM is allowed); an InputError naming the file and
    its first problem when it cannot be read or is not an ArticleSummary."""
    try:
        return ArticleSummary.model_validate_json(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror}); check its permissions") from exc
    except (ValidationError, UnicodeDecodeError) as exc:
        first = _first_problem(exc)
        raise InputError(str(path), f"is not an ArticleSummary ({first}); fix it or move it out") from exc


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(file)"
        return f"{where}: {err['msg']}"
    return str(exc)


def source_candidates(
    article_id: str, run_dir: Path | None = None, sources: Path | None = None
) -> list[Path]:
    """Every file that may be the source of `article_id`: `sources/<article_id>.*` (sorted) when
    `sources` is given, else the path `run_dir`'s manifest records (when it is a file); else none."""
    if sources is not None:
        return source_files(sources, article_id)
    if run_dir is None:
        return []
    recorded = _manifest_path(run_dir, article_id)
    return [recorded] if recorded is not None else []


def find_source(article_id: str, run_dir: Path | None = None, sources: Path | None = None) -> Path | None:
    """The source article of `article_id` (the first candidate), or None when there is none."""
    return next(iter(source_candidates(article_id, run_dir, sources)), None)


def read_source(path: Path) -> str:
    """The decoded text that span offsets index: the pipeline's own decoding."""
    return load_text(path)


def load_source(
    article_id: str,
    run_dir: Path | None = None,
    sources: Path | None = None,
    read: Callable[[Path], str] = read_source,
) -> str | None:
    """The decoded source of `article_id` (see `find_source`), or None when there is none."""
    path = find_source(article_id, run_dir, sources)
    return read(path) if path is not None else None


class SourceTexts:
    """Decoded sources by path, each file read once: for a command that uses a source twice
    (`eval` scores an article and writes its viewer page). Holds every text it read, so it lives
    as long as one command."""

    def __init__(self) -> None:
        self._texts: dict[Path, str] = {}

    def read(self, path: Path) -> str:
        if path not in self._texts:
            self._texts[path] = read_source(path)
        return self._texts[path]


def _manifest_path(run_dir: Path, article_id: str) -> Path | None:
    entry = article_record(run_dir, article_id)  # the manifest is read once per folder, not per article
    raw = entry.path if entry is not None else None
    if not raw:
        return None
    # Runs record absolute paths; a relative one (an older or hand-made manifest) is taken relative
    # to the run dir, never to the working directory of whoever reads it.
    candidate = Path(raw) if Path(raw).is_absolute() else run_dir / raw
    return candidate if candidate.is_file() else None
