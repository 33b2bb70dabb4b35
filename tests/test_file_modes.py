"""Output files get the user's normal permissions (the umask), as any file the user writes (issue 10, §7).

Every command runs in a child process started with the umask under test, so the test's own umask is
never changed. The SQLite response cache is exempt (it holds model answers, not output to share).
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from cli_steps import exit_lines, run_steps

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")


def _modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and not p.name.startswith(".summarizer.lock")
    }


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600)])
def test_output_files_follow_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    steps = [
        ["run", "seeds", "--backend", "none", "-o", "out"],
        ["memo", "out", "-o", "out/memo.md"],
        ["memo", "out", "-o", "out/memo.html"],  # + viewer pages in out/view/
        ["memo", "out", "-o", "out/memo.docx"],
        ["view", "out/000_85ee287e49764f57.json", "-o", "out/page.html"],
        ["export", "out", "-o", "out/table.csv"],
        ["export", "out", "-o", "out/table.xlsx"],
    ]
    result = run_steps(steps, tmp_path, REPO, umask=umask)
    exits = exit_lines(result)
    assert result.returncode == 0 and len(exits) == len(steps), result.stderr[-2000:]
    assert all(line.startswith("EXIT 0 ") for line in exits), (exits, result.stderr[-2000:])

    modes = _modes(tmp_path / "out")
    summaries = [name for name in modes if name.endswith(".json") and "_" in name]
    assert len(summaries) == 5, modes
    for name in ("summaries.jsonl", "manifest.json", "manifest.jsonl", "memo.md", "memo.html", "memo.docx"):
        assert name in modes, (name, sorted(modes))
    assert any(name.startswith("view/") for name in modes), sorted(modes)
    wrong = {name: oct(mode) for name, mode in modes.items() if mode != expected}
    assert not wrong, f"expected {oct(expected)} under umask {oct(umask)}: {wrong}"
