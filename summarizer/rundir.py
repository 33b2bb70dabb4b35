"""The layout of a run dir, shared by `run`, `eval`, `memo` and `view`: `<article_id>.json`
summaries beside the files the tools write there."""

from __future__ import annotations

from pathlib import Path

# Written by the tools next to the summaries; never read as summaries, never used as article ids.
TOOL_FILES = frozenset({"manifest.json", "report.json", "compare.json", "summaries.jsonl"})
RESERVED_IDS = frozenset(Path(name).stem for name in TOOL_FILES)


def summary_paths(run_dir: Path) -> list[Path]:
    """The `<article_id>.json` summary files of `run_dir`, sorted by name."""
    return sorted(p for p in run_dir.glob("*.json") if p.name not in TOOL_FILES)


def source_files(folder: Path, article_id: str) -> list[Path]:
    """The files `<folder>/<article_id>.<ext>` (any extension), sorted; none when no such folder."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.stem == article_id)
