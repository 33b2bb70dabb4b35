"""Issue 12, rows 1-3: a run dir is one consistent record. Resume is keyed on content; one run at a
time per folder; the manifest describes every summary in the folder, across runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from faultserver import FaultServer, cli_command, cli_env, read_manifest, seed_copies

from summarizer.backends.fake import FakeBackend
from summarizer.cli import main
from summarizer.core.config import RunConfig
from summarizer.runs.manifest import read_manifest as folded_manifest
from summarizer.runs.reading import find_source
from summarizer.runs.rundir import LOCK, RunDirBusy, RunLock, remove_stale_temps
from summarizer.runs.runner import BatchRunner

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("SUMMARIZER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def _run(cli: CliRunner, inputs: list[Path], out: Path, *extra: str) -> str:
    result = cli.invoke(main, ["run", *map(str, inputs), "-o", str(out), "--backend", "fake", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_input_overwritten_with_another_article_is_redone_and_the_manifest_says_why(
    cli: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "in" / "a.txt"
    source.parent.mkdir()
    source.write_bytes(SEEDS[0].read_bytes())
    out = tmp_path / "out"
    _run(cli, [source], out)
    first = json.loads((out / "a.json").read_text(encoding="utf-8"))

    source.write_bytes(SEEDS[3].read_bytes())  # same name, another article
    output = _run(cli, [source], out)

    assert "1 ok, 0 resumed" in output
    second = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert second["title"] != first["title"] and second["title"] in SEEDS[3].read_text(encoding="utf-8")
    record = read_manifest(out)["articles"]["a"]
    assert record["redo_reason"] == "input changed" and record["status"] == "ok"
    assert "0 ok, 1 resumed" in _run(cli, [source], out)  # unchanged now: resumed


def test_config_and_model_changes_are_redone_with_their_reason(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(cli, SEEDS[:2], out)
    assert "2 ok" in _run(cli, SEEDS[:2], out, "--chunk-chars", "900")
    assert {r["redo_reason"] for r in read_manifest(out)["articles"].values()} == {"config changed"}

    config = RunConfig(chunk_chars=900)
    BatchRunner(FakeBackend(model="another-model"), config, out).run(SEEDS[:2])
    reasons = {r["redo_reason"] for r in read_manifest(out)["articles"].values()}
    assert reasons == {"model changed (was fake/fake)"}
    assert "2 ok" in _run(cli, SEEDS[:2], out, "--force")
    assert {r["redo_reason"] for r in read_manifest(out)["articles"].values()} == {"--force"}


def test_a_summary_that_no_longer_reads_is_redone(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(cli, SEEDS[:1], out)
    summary = out / f"{SEEDS[0].stem}.json"
    summary.write_text('{"article_id": "truncated', encoding="utf-8")
    assert "1 ok, 0 resumed" in _run(cli, SEEDS[:1], out)
    assert read_manifest(out)["articles"][SEEDS[0].stem]["redo_reason"] == "unreadable summary"
    assert json.loads(summary.read_text(encoding="utf-8"))["article_id"] == SEEDS[0].stem


def test_two_runs_with_different_inputs_leave_one_manifest_describing_both(
    cli: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(cli, SEEDS[:2], out)
    _run(cli, SEEDS[2:], out)

    manifest = read_manifest(out)
    summaries = sorted(p.stem for p in out.glob("0*.json"))
    assert sorted(manifest["articles"]) == summaries == [p.stem for p in SEEDS]
    first_run, second_run = (run["run"] for run in manifest["runs"])
    assert {manifest["articles"][p.stem]["run"] for p in SEEDS[:2]} == {first_run}
    assert {manifest["articles"][p.stem]["run"] for p in SEEDS[2:]} == {second_run}
    assert [run["totals"]["ok"] for run in manifest["runs"]] == [2, 3]
    # The viewer and memos find the first run's sources through the manifest.
    assert find_source(SEEDS[0].stem, out, None) == SEEDS[0]
    lines = (out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["article_id"] for line in lines] == summaries
    assert not list(out.glob(".*")), "lock, temp files or kept answers left behind"


def test_a_second_run_into_a_busy_folder_gets_one_line_and_exit_2_and_the_first_finishes(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)
    env = cli_env(tmp_path / "cache")
    out = tmp_path / "out"
    fault_server.delay_s = 8.0  # the first run is still on its first request when the second starts
    first = subprocess.Popen(
        cli_command(fault_server, inputs, out, "--no-cache", timeout_s=30),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_until(lambda: (out / LOCK).exists() and fault_server.count > 0)
    # Temp files of the live run are its own: a second run must not touch them.
    mine = out / f".x.json.{first.pid}.abcd1234.tmp"
    mine.write_text("in progress", encoding="utf-8")

    second = subprocess.run(
        cli_command(fault_server, inputs[:1], out, "--no-cache"), env=env, capture_output=True, text=True
    )
    assert second.returncode == 2
    assert second.stderr.splitlines() == [
        f"error: {out} is in use by another run (pid {first.pid}); wait for it to end or pass another -o"
    ]
    assert mine.exists()

    fault_server.delay_s = 0.0
    stdout, stderr = first.communicate(timeout=60)
    assert first.returncode == 0, stderr
    assert "5 ok" in stdout and (out / "summaries.jsonl").exists()
    assert not (out / LOCK).exists()
    print(
        f"figures: second run exit {second.returncode}, stderr {second.stderr.strip()!r}; first {stdout.strip()!r}"
    )


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from summarizer.runs.rundir import RunLock; "
            "lock = RunLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(RunDirBusy, match=f"pid {holder.pid}"):
        RunLock(out).acquire()
    holder.kill()
    holder.wait()
    assert (out / LOCK).exists()  # left behind by the kill
    with RunLock(out):
        assert (out / LOCK).read_text(encoding="utf-8").strip() == str(os.getpid())
    assert not (out / LOCK).exists()


def test_temp_files_are_removed_only_when_their_maker_is_gone(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        files = {
            "dead": tmp_path / f".a.json.{int(dead.stdout)}.0a1b2c3d.tmp",
            "alive": tmp_path / f".b.json.{alive.pid}.0a1b2c3d.tmp",
            "mine": tmp_path / f".c.json.{os.getpid()}.0a1b2c3d.tmp",
            "old-style": tmp_path / ".d.json.abc123.tmp",
        }
        for path in files.values():
            path.write_text("x", encoding="utf-8")
        assert remove_stale_temps(tmp_path) == 2
        assert {name for name, path in files.items() if path.exists()} == {"alive", "mine"}
    finally:
        alive.kill()
        alive.wait()


def test_a_killed_runs_records_are_read_from_the_journal(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(cli, SEEDS[:2], out)
    snapshot = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    # What a run killed after one more article leaves: its records in the journal only.
    with (out / "manifest.jsonl").open("a", encoding="utf-8") as journal:
        journal.write(json.dumps({"event": "run", "run": "killed"}) + "\n")
        record = {"event": "article", "run": "killed", "article_id": "x", "status": "ok", "path": "x.txt"}
        journal.write(json.dumps(record) + "\n")
        journal.write('{"event": "article", "run": "killed", "article_id": "torn')
    manifest = folded_manifest(out)
    assert manifest is not None and set(manifest.articles) == {*snapshot["articles"], "x"}
    assert manifest.articles["x"].run == "killed" and manifest.finished is False


def _wait_until(condition, timeout_s: float = 30.0) -> None:  # noqa: ANN001
    stop = time.monotonic() + timeout_s
    while time.monotonic() < stop:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting")


def test_ingest_warnings_are_recorded_in_the_manifest(cli: CliRunner, tmp_path: Path) -> None:
    data = SEEDS[1].read_bytes()
    cut = data.index("。".encode()) + 3  # after a whole character
    source = tmp_path / "bad_bytes.txt"
    source.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    _run(cli, [source], tmp_path / "out")
    record = read_manifest(tmp_path / "out")["articles"]["bad_bytes"]
    assert record["status"] == "ok" and record["warnings"] and "replaced" in record["warnings"][0]
