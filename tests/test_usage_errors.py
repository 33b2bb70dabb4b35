"""Issue 12, rows 13 and 16: a wrong flag is one line and exit 2, before any article is read.

Through the CLI (click's runner): `-o` naming a file, a `--fake-script` that is not JSON lines
(or a FIFO, which must not be opened), out-of-range numbers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_85ee287e49764f57.txt"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("SUMMARIZER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str, out: Path | None = None) -> tuple[int, list[str]]:
        target = out or tmp_path / "out"
        result = CliRunner().invoke(main, ["run", str(SEED), "-o", str(target), "--backend", "fake", *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert not (tmp_path / "out").exists()  # nothing was started
        return result.exit_code, result.output.splitlines()

    return invoke


def test_out_naming_a_file(run, tmp_path: Path) -> None:
    taken = tmp_path / "notes.txt"
    taken.write_text("x", encoding="utf-8")
    assert run(out=taken) == (
        2,
        [f"error: Invalid value for '-o' / '--out': {str(taken)!r} exists and is not a folder; "
         "name a new or existing folder"],
    )  # fmt: skip
    assert run(out=taken / "run") == (
        2,
        [f"error: Invalid value for '-o' / '--out': {str(taken)!r} is not a folder, so "
         f"{str(taken / 'run')!r} cannot be made"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b'{"initiatives": []}\nnot json\n',
            "line 2 is not JSON (Expecting value); give one JSON object per line",
        ),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
    ],
)
def test_fake_script_that_is_not_json_lines(run, tmp_path: Path, content: bytes, reason: str) -> None:
    script = tmp_path / "script.jsonl"
    script.write_bytes(content)
    assert run("--fake-script", str(script)) == (2, [f"error: --fake-script {script}: {reason}"])


def test_fake_script_that_is_a_fifo_is_not_opened(run, tmp_path: Path) -> None:
    script = tmp_path / "script.jsonl"
    os.mkfifo(script)  # nobody writes: opening it to read would block the command forever
    assert run("--fake-script", str(script)) == (
        2,
        [f"error: --fake-script {script}: a FIFO, not a regular file; give a regular file"],
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--max-tokens-total", "0"], "Invalid value for '--max-tokens-total': 0 is not in the range x>=1."),
        (["-j", "-1"], "Invalid value for '-j' / '--max-concurrency': -1 is not in the range x>=1."),
        (["-j", "0"], "Invalid value for '-j' / '--max-concurrency': 0 is not in the range x>=1."),
        (["--chunk-chars", "100"], "Invalid value for '--chunk-chars': 100 is not in the range x>=200."),
        (["--overlap-chars", "-5"], "Invalid value for '--overlap-chars': -5 is not in the range x>=0."),
        (
            ["--overlap-chars", "5000", "--chunk-chars", "300"],
            "--overlap-chars 5000 must be at least 0 and less than half of --chunk-chars (300): "
            "more overlap repeats more of each chunk than it adds",
        ),
        (
            ["--overlap-chars", "150", "--chunk-chars", "300"],
            "--overlap-chars 150 must be at least 0 and less than half of --chunk-chars (300): "
            "more overlap repeats more of each chunk than it adds",
        ),
    ],
)
def test_out_of_range_numbers(run, flags: list[str], message: str) -> None:
    assert run(*flags) == (2, [f"error: {message}"])


def test_numbers_in_range_still_run(run, tmp_path: Path) -> None:
    code, lines = run("--overlap-chars", "149", "--chunk-chars", "300", "-j", "2", out=tmp_path / "ok")
    assert code == 0 and lines[-1].startswith("1 ok")


def test_a_folders_files_of_other_kinds_are_named_and_its_articles_still_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.js").write_text("Page({text: `<p>某县推行改革</p>`})", encoding="utf-8")
    (folder / ".hidden").write_text("x", encoding="utf-8")
    (folder / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(folder), "-o", str(tmp_path / "out"), "--backend", "none"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: skipped")]
    assert len(warnings) == 1 and "page.js" in warnings[0] and ".hidden" not in warnings[0], result.output
    assert (tmp_path / "out" / "a.json").exists()


def test_a_folder_without_articles_is_one_line_naming_the_kinds(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.tpl").write_text("<html></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(folder), "-o", str(tmp_path / "out"), "--backend", "none"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "error: no article files (.txt, .html, .htm, .md, .markdown, .csv, .docx, .shtml, .xhtml, .jsp, .asp, "
        ".aspx, .php) in the given inputs"
    )
