"""Issue 12, row 4: Ctrl-C (a real SIGINT to a real `summarizer run` against a loopback server)
stops new requests, saves everything, exits 130; a second one exits at once; nothing is `failed`."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

from faultserver import FaultServer, cli_command, cli_env, read_manifest, read_outputs, run_cli, seed_copies

from summarizer.runs.runner import GRACE_S

_INTERRUPTED = re.compile(r"^interrupted: (\d+) done, (\d+) left; rerun to resume$")


def _start(server: FaultServer, inputs: list[Path], out: Path, env: dict[str, str]) -> subprocess.Popen:
    command = cli_command(server, inputs, out, "-j", "4", "--no-cache", timeout_s=30)
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_until(condition, process: subprocess.Popen, timeout_s: float = 60.0) -> None:  # noqa: ANN001
    stop = time.monotonic() + timeout_s
    while time.monotonic() < stop and process.poll() is None:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the run ended or stalled first")


def test_ctrl_c_stops_new_requests_saves_the_run_and_a_rerun_asks_nothing_twice(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in", copies=3)
    env, out = cli_env(tmp_path / "cache"), tmp_path / "out"
    fault_server.delay_s = 0.4
    process = _start(fault_server, inputs, out, env)
    _wait_until(lambda: len(read_outputs(out)) >= 2, process)
    sent_at = time.monotonic()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    took = time.monotonic() - sent_at

    assert process.returncode == 130, stderr
    assert took < GRACE_S + 5
    late = [r for r in fault_server.requests if r.at > sent_at + 0.2]
    assert late == [], "requests were sent after Ctrl-C"
    match = _INTERRUPTED.match(stderr.splitlines()[-1])
    assert match, stderr
    done, left = int(match[1]), int(match[2])
    outputs = read_outputs(out)
    assert done == len(outputs) and done + left == len(inputs) and left > 0
    manifest = read_manifest(out)
    assert manifest["interrupted"] is True and manifest["finished"] is False
    assert (manifest["totals"]["failed"], manifest["totals"]["interrupted"]) == (0, left)
    statuses = {record["status"] for record in manifest["articles"].values()}
    assert statuses <= {"ok", "interrupted"} and "Traceback" not in stderr
    lines = (out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == done
    assert not list(out.glob(".*.tmp")) and not (out / ".summarizer.lock").exists()

    answered = {r.user for r in fault_server.requests if r.fault is None}
    fault_server.reset()
    rerun = run_cli(fault_server, inputs, out, "-j", "4", "--no-cache", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{left} ok, {done} resumed, 0 failed" in rerun.stdout
    assert not answered & {r.user for r in fault_server.requests}, "an answered request was asked again"
    print(f"figures: Ctrl-C after {done} summaries; exit {process.returncode} in {took:.2f}s,"
          f" {len(late)} requests after it, {stderr.splitlines()[-1]!r};"
          f" rerun {fault_server.count} requests, {rerun.stdout.strip()!r}")  # fmt: skip


def test_sigterm_with_requests_hanging_cancels_them_within_the_grace_and_saves_the_run(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)
    env, out = cli_env(tmp_path / "cache"), tmp_path / "out"
    fault_server.delay_s = 60.0  # never answers in time
    process = _start(fault_server, inputs, out, env)
    _wait_until(lambda: fault_server.count >= 2, process)
    sent_at = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    took = time.monotonic() - sent_at

    assert process.returncode == 130
    assert GRACE_S <= took < GRACE_S + 5
    assert stderr.splitlines()[-1] == f"interrupted: 0 done, {len(inputs)} left; rerun to resume"
    manifest = read_manifest(out)
    assert manifest["interrupted"] is True and manifest["totals"]["interrupted"] == len(inputs)
    assert {r["status"] for r in manifest["articles"].values()} == {"interrupted"}
    assert (out / "summaries.jsonl").read_text(encoding="utf-8") == ""
    print(
        f"figures: SIGTERM with {fault_server.count} requests hanging; exit {process.returncode} in {took:.2f}s"
    )


def test_a_second_ctrl_c_exits_at_once(fault_server: FaultServer, tmp_path: Path) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)
    fault_server.delay_s = 60.0
    process = _start(fault_server, inputs, tmp_path / "out", cli_env(tmp_path / "cache"))
    _wait_until(lambda: fault_server.count >= 1, process)
    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    sent_at = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    took = time.monotonic() - sent_at

    assert process.returncode == 130
    assert took < 2.0  # not the 60 s the requests in flight would take
    assert stderr.splitlines()[-1] == "interrupted again: exiting now; rerun to resume"
    print(f"figures: second Ctrl-C: exit {process.returncode} in {took:.2f}s")
