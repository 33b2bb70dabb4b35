"""Issue 7, scenario 7: `--max-tokens-total` stops new requests cleanly and leaves a resumable run."""

from __future__ import annotations

import json
from pathlib import Path

from faultserver import FaultServer, cli_env, marker, read_manifest, read_outputs, run_cli, seed_copies


def test_token_ceiling_stops_requests_and_the_run_resumes(fault_server: FaultServer, tmp_path: Path) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)
    env = cli_env(tmp_path / "cache")
    clean = run_cli(fault_server, inputs, tmp_path / "clean", "--no-cache", env=env)
    assert clean.returncode == 0, clean.stderr
    tokens = {p.stem: sum(r.billed for r in fault_server.requests_for(_marker(p))) for p in inputs}
    calls = {p.stem: len(fault_server.requests_for(_marker(p))) for p in inputs}
    first, second, third = (p.stem for p in inputs[:3])
    limit = tokens[first] + tokens[second] + tokens[third] // 2  # runs out halfway through the third

    fault_server.reset()
    out = tmp_path / "out"
    stopped = run_cli(fault_server, inputs, out, "--no-cache", "--max-tokens-total", str(limit), env=env)
    assert stopped.returncode == 1
    assert "Traceback" not in stopped.stderr
    assert (
        stopped.stderr.startswith("stopped: token ceiling reached") and len(stopped.stderr.splitlines()) == 1
    )
    assert "2 ok, 0 resumed, 0 failed, 3 skipped" in stopped.stdout
    billed = [r.billed for r in fault_server.requests]
    assert sum(billed[:-1]) < limit <= sum(billed)  # each request began under the ceiling; none after it
    assert fault_server.count < calls[first] + calls[second] + calls[third]
    assert set(read_outputs(out)) == {first, second}  # the interrupted article left nothing half-done
    manifest = read_manifest(out)
    assert manifest["finished"] is True and manifest["totals"]["skipped"] == 3
    assert manifest["totals"]["prompt_tokens"] + manifest["totals"]["completion_tokens"] == sum(billed)
    assert all("token ceiling" in manifest["articles"][p.stem]["error"] for p in inputs[2:])

    # The third article's answered request is kept in the run dir (issue 13), even with --no-cache.
    kept = (out / ".answers.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["article"] for line in kept] == [third]
    fault_server.reset()
    resumed = run_cli(fault_server, inputs, out, "--no-cache", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert "3 ok, 2 resumed, 0 failed, 0 skipped" in resumed.stdout
    assert fault_server.count == sum(calls[p.stem] for p in inputs[2:]) - len(kept)  # only what was left
    assert read_outputs(out) == read_outputs(tmp_path / "clean")
    print(f"figures: limit {limit}; stopped run {len(billed)} requests, {sum(billed)} tokens, exit {stopped.returncode},"
          f" {stopped.stdout.strip()!r}; resumed {fault_server.count} requests, exit {resumed.returncode}")  # fmt: skip


def test_ceiling_already_spent_makes_no_request(fault_server: FaultServer, tmp_path: Path) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)[:2]
    result = run_cli(
        fault_server, inputs, tmp_path / "out", "--max-tokens-total", "1", env=cli_env(tmp_path / "cache")
    )
    # The first call is allowed (nothing spent yet); after it the ceiling holds.
    assert fault_server.count == 1 and result.returncode == 1
    assert "0 ok, 0 resumed, 0 failed, 2 skipped" in result.stdout


def _marker(path: Path) -> str:
    copy, seed_name = path.name.split("_", 1)
    return marker(int(copy[1:]), Path(seed_name))
