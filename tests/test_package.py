"""A real package (issue 10, §2): the wheel alone runs, from any working directory.

Builds the wheel from a clean copy of the sources (no network: the venv's setuptools, no build
isolation), installs it with `pip --target` into a temporary folder, and runs the CLI from another
temporary folder with only that folder on PYTHONPATH. The repo is installed in editable mode in the
dev venv, so the child first proves that the wheel's copy is the one imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_steps import exit_lines, imported_from, run_steps

REPO = Path(__file__).resolve().parent.parent


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, "-m", "pip", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources and installed into `<tmp>/site`."""
    root = tmp_path_factory.mktemp("package")
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(
        REPO / "summarizer", src / "summarizer", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    built = _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(root / "dist"), str(src), cwd=root)
    assert built.returncode == 0, (
        "building the wheel failed (the dev venv needs `wheel` or setuptools>=70.1: pip install -e '.[dev]')\n"
        + built.stdout[-2000:]
        + built.stderr[-2000:]
    )
    wheels = sorted((root / "dist").glob("summarizer-*.whl"))
    assert len(wheels) == 1, wheels
    site = root / "site"
    done = _pip("install", "--no-deps", "--target", str(site), str(wheels[0]), cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    return site


def _run_installed(site: Path, cwd: Path, steps: list[list[str]]) -> tuple[list[str], list[str], str]:
    result = run_steps(steps, cwd, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return imported_from(result), exit_lines(result), result.stderr


@pytest.mark.slow
def test_the_installed_wheel_runs_from_any_folder(installed: Path, tmp_path: Path) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copytree(REPO / "seeds", work / "articles")
    steps = [
        ["run", "articles", "-o", "out", "--backend", "none"],
        ["run", "articles", "-o", "out-fake", "--backend", "fake", "--strategy", "decomposed"],
        ["memo", "out", "-o", "memo.md"],
        ["memo", "out-fake", "-o", "memo.html"],
        ["cd", str(tmp_path)],  # a memo from another folder still finds the sources the run read
        ["memo", "elsewhere/out", "-o", "memo-from-above.html"],
    ]
    origin, exits, stderr = _run_installed(installed, work, steps)

    assert origin, stderr[-3000:]
    for path in origin:  # the wheel's copy, not the editable install of the repo
        assert Path(path).resolve().is_relative_to(installed.resolve()), origin
        assert not Path(path).resolve().is_relative_to(REPO), origin
    assert len(exits) == len(steps) - 1, stderr[-3000:]
    assert all(line.startswith("EXIT 0 ") for line in exits), (exits, stderr[-3000:])

    seeds = sorted(p.stem for p in (REPO / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for out in ("out", "out-fake"):
        made = sorted(p.stem for p in (work / out).glob("*.json") if p.stem in seeds)
        assert made == seeds, (out, made)
        assert len((work / out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()) == 5
    memo = (work / "memo.md").read_text(encoding="utf-8")
    assert memo.strip()
    assert (work / "memo.html").is_file()
    for folder in (work / "view", tmp_path / "view"):
        pages = sorted(p.stem for p in folder.glob("*.html"))
        assert len(pages) == 5, (folder, pages, stderr[-3000:])
    assert "not found" not in stderr, stderr[-3000:]
