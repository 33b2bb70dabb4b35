"""Issue 7, scenario 5: `kill -9` a batch midway, rerun, and lose nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from faultserver import (
    SEEDS,
    FaultServer,
    cli_command,
    cli_env,
    marker,
    read_manifest,
    read_outputs,
    run_cli,
    seed_copies,
)

from summarizer.core.models import ArticleSummary


def _start(
    server: FaultServer, inputs: list[Path], out: Path, env: dict[str, str], log: Path
) -> subprocess.Popen:
    command = cli_command(server, inputs, out, "-j", "2", "--no-cache")
    with log.open("w") as sink:
        return subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)


def _wait_for_outputs(out: Path, at_least: int, process: subprocess.Popen, deadline_s: float = 30.0) -> None:
    stop = time.monotonic() + deadline_s
    while time.monotonic() < stop and process.poll() is None:
        if len(read_outputs(out)) >= at_least:
            return
        time.sleep(0.01)
    raise AssertionError(f"the run ended or stalled before {at_least} outputs existed")


def _marker_of(article_id: str) -> str:
    copy, seed = article_id.split("_", 1)
    return marker(int(copy[1:]), SEEDS / f"{seed}.txt")


def test_kill_midway_then_rerun_equals_an_uninterrupted_run(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in")
    env = cli_env(tmp_path / "cache")
    fault_server.delay_s = 0.08  # slow enough that the kill lands midway
    clean = run_cli(fault_server, inputs, tmp_path / "clean", "-j", "2", "--no-cache", env=env)
    assert clean.returncode == 0, clean.stderr
    asked_per_article = {p.stem: len(fault_server.requests_for(_marker_of(p.stem))) for p in inputs}

    fault_server.reset()
    process = _start(fault_server, inputs, tmp_path / "out", env, tmp_path / "killed.log")
    _wait_for_outputs(tmp_path / "out", 4, process)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL
    finished = _assert_no_partial_output(tmp_path / "out")
    assert 4 <= len(finished) < len(inputs)

    # Issue 13: answers the killed run received are kept in the run dir (even with --no-cache) ...
    kept = _answers_kept(tmp_path / "out", finished)
    fault_server.reset()
    rerun = run_cli(fault_server, inputs, tmp_path / "out", "-j", "2", "--no-cache", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(inputs) - len(finished)} ok, {len(finished)} resumed, 0 failed" in rerun.stdout
    assert all(not fault_server.requests_for(_marker_of(a)) for a in finished)  # not asked again
    # ... so the rerun asks what the unfinished articles need, less what was already answered.
    assert fault_server.count == sum(n for a, n in asked_per_article.items() if a not in finished) - kept
    assert read_outputs(tmp_path / "out") == read_outputs(tmp_path / "clean")
    lines = (tmp_path / "out" / "summaries.jsonl").read_text(encoding="utf-8")
    assert lines == (tmp_path / "clean" / "summaries.jsonl").read_text(encoding="utf-8")
    assert not list((tmp_path / "out").glob(".*")), "temp files, the lock or kept answers left behind"
    assert read_manifest(tmp_path / "out")["finished"] is True
    print(f"figures: clean {sum(asked_per_article.values())} requests; killed with {len(finished)} outputs;"
          f" {kept} answers kept; rerun exit {rerun.returncode}, {fault_server.count} requests,"
          f" {rerun.stdout.strip()!r}")  # fmt: skip


def _answers_kept(out: Path, finished: set[str]) -> int:
    """How many answers of unfinished articles the run dir holds (`.answers.jsonl`)."""
    path = out / ".answers.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return sum(1 for line in lines if line.strip() and json.loads(line)["article"] not in finished)


def _assert_no_partial_output(out: Path) -> set[str]:
    """Every file the killed run left parses; returns the article ids it finished."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["finished"] is False
    finished = set()
    for path in out.glob("*.json"):
        if path.stem != "manifest":
            ArticleSummary.model_validate_json(path.read_text(encoding="utf-8"))
            finished.add(path.stem)
    return finished


def test_a_temp_file_left_by_a_kill_mid_write_is_ignored_and_removed(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    seed = SEEDS / "000_85ee287e49764f57.txt"
    out = tmp_path / "out"
    out.mkdir()
    (out / f".{seed.stem}.json.abc123.tmp").write_text('{"article_id": "000_85', encoding="utf-8")
    (out / f"{seed.stem}.json").write_text(
        '{"article_id": "000_85', encoding="utf-8"
    )  # torn, by another tool
    result = run_cli(fault_server, [seed], out, "--no-cache", env=cli_env(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr
    ArticleSummary.model_validate_json((out / f"{seed.stem}.json").read_text(encoding="utf-8"))
    assert fault_server.count > 0 and not list(out.glob(".*"))
