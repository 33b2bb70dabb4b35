"""Issue 7, scenarios 1-3: a batch against a model server that throttles, times out and breaks JSON.

Every test runs `summarizer run` in a real subprocess against the loopback fault server."""

from __future__ import annotations

import itertools
from pathlib import Path

from faultserver import (
    SEEDS,
    FaultServer,
    cli_env,
    first_sentence,
    marker,
    read_manifest,
    read_outputs,
    run_cli,
    seed_copies,
)

TRANSIENT = ("429", "500", "503", "slow", "drop", "malformed", "cut_json", "invalid", "empty_choices")
REASONS = {
    "HTTP 429", "HTTP 500", "HTTP 503", "APITimeoutError", "APIConnectionError",
    "JSONDecodeError", "ValidationError", "ResponseParsingError",
}  # fmt: skip


def _without_usage(summary: dict) -> dict:
    """A summary minus the attempts list, which rightly differs between a faulty and a clean run."""
    provenance = {k: v for k, v in summary["provenance"].items() if k != "attempts"}
    return {**summary, "provenance": provenance}


def test_transient_faults_on_first_attempts_lose_nothing(fault_server: FaultServer, tmp_path: Path) -> None:
    inputs = seed_copies(tmp_path / "in")
    clean = run_cli(fault_server, inputs, tmp_path / "clean", "-j", "4", env=cli_env(tmp_path / "cache1"))
    assert clean.returncode == 0, clean.stderr
    clean_requests = fault_server.count

    faults = itertools.cycle(TRANSIENT)
    fault_server.reset(lambda req: next(faults) if req.attempt == 0 else None)
    fault_server.slow_s = 1.5
    result = run_cli(fault_server, inputs, tmp_path / "out", "-j", "4", env=cli_env(tmp_path / "cache2"))

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "error" not in result.stderr
    outputs, expected = read_outputs(tmp_path / "out"), read_outputs(tmp_path / "clean")
    assert len(outputs) == 15
    assert {k: _without_usage(v) for k, v in outputs.items()} == {
        k: _without_usage(v) for k, v in expected.items()
    }
    faulted = [r for r in fault_server.requests if r.fault]
    assert len(faulted) == clean_requests  # every prompt failed once ...
    assert fault_server.count == 2 * clean_requests  # ... and was asked exactly once more
    manifest = read_manifest(tmp_path / "out")
    _assert_manifest_counts_every_attempt(manifest, fault_server)
    print(f"figures: clean {clean_requests} requests; faulty {fault_server.count} requests, {len(outputs)} outputs,"
          f" exit {result.returncode}, manifest totals {manifest['totals']}")  # fmt: skip


def _assert_manifest_counts_every_attempt(manifest: dict, server: FaultServer) -> None:
    totals = manifest["totals"]
    assert (totals["ok"], totals["failed"]) == (15, 0)
    assert totals["attempts"] == server.count
    assert totals["failed_attempts"] == sum(1 for r in server.requests if r.fault)
    reasons: set[str] = set()
    for record in manifest["articles"].values():
        reasons.update(record["failed_attempts"])
        assert record["schema_valid_first_attempt"] is False
    assert reasons == REASONS
    # The usage the server reported, failed answers included (a timed-out answer never arrived).
    billed = sum(r.billed for r in server.requests if r.fault != "slow")
    assert totals["prompt_tokens"] + totals["completion_tokens"] == billed


def test_permanent_fault_fails_one_article_and_a_rerun_redoes_only_it(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in")
    seed = SEEDS / "002_184599867ecce798.txt"
    broken, bad_marker, twin_marker = tmp_path / "in" / f"c2_{seed.name}", marker(2, seed), marker(1, seed)
    fault_server.script = lambda req: "500" if bad_marker in req.user else None
    env = cli_env(tmp_path / "cache")
    result = run_cli(fault_server, inputs, tmp_path / "out", "-j", "3", env=env)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert line.startswith(f"error: {broken}: HTTP 500")
    assert "14 ok, 0 resumed, 1 failed" in result.stdout
    # Its chunks go out together (issue 13); each is tried max_attempts times, then given up.
    chunks = [r for r in fault_server.requests_for(twin_marker) if r.response_model == "ChunkExtraction"]
    tried = 5 * len(chunks)
    assert len(fault_server.requests_for(bad_marker)) == tried
    manifest = read_manifest(tmp_path / "out")
    assert manifest["failures"] == [line.removeprefix("error: ")]
    record = manifest["articles"][broken.stem]
    assert (record["status"], record["attempts"], record["failed_attempts"]) == (
        "failed",
        tried,
        {"HTTP 500": tried},
    )
    assert not (tmp_path / "out" / f"{broken.stem}.json").exists()
    needed = len(fault_server.requests_for(twin_marker))  # what the same text asks when all goes well

    fault_server.reset(lambda _req: None)
    rerun = run_cli(fault_server, inputs, tmp_path / "out", "-j", "3", env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert "1 ok, 14 resumed, 0 failed" in rerun.stdout
    assert fault_server.count == len(fault_server.requests_for(bad_marker)) == needed
    assert len(read_outputs(tmp_path / "out")) == 15
    print(f"figures: run 1 exit {result.returncode}, {len(result.stdout)} stdout chars, line {line!r};"
          f" rerun exit {rerun.returncode}, {fault_server.count} requests, {rerun.stdout.strip()!r}")  # fmt: skip


def test_truncated_chunks_are_split_and_asked_again(fault_server: FaultServer, tmp_path: Path) -> None:
    seed = SEEDS / "001_b871c692167c7342.txt"
    # A model whose answer is cut off for any chunk longer than 1000 characters.
    fault_server.script = lambda req: "length" if len(req.article_text) > 1000 else None
    result = run_cli(fault_server, [seed], tmp_path / "out", "--no-cache", env=cli_env(tmp_path / "cache"))

    assert result.returncode == 0, result.stderr
    truncated = [r for r in fault_server.requests if r.fault == "length"]
    answered = [r for r in fault_server.requests if r.fault is None and r.response_model == "ChunkExtraction"]
    asked = [r.article_text for r in fault_server.requests]
    for cut in truncated:  # each cut chunk is asked again as two halves that cover it exactly
        later = asked[cut.index + 1 :]
        assert any(a + b == cut.article_text for a in later for b in later), "a truncated chunk was dropped"
    assert truncated and len(answered) > len(truncated)
    summary = read_outputs(tmp_path / "out")[seed.stem]
    quoted = {span["text"] for item in summary["initiatives"] for span in item["evidence"]}
    assert {first_sentence(r.article_text) for r in answered} - {
        None
    } <= quoted  # nothing of either half dropped
    record = read_manifest(tmp_path / "out")["articles"][seed.stem]
    assert record["failed_attempts"] == {"truncated": len(truncated)}
    attempts = summary["provenance"]["attempts"]
    assert [a["error"] for a in attempts if not a["ok"]] == ["truncated: finish_reason length"] * len(
        truncated
    )
    print(f"figures: exit {result.returncode}, {fault_server.count} requests, {len(truncated)} truncated,"
          f" {len(answered)} chunk answers, manifest record {record}")  # fmt: skip


def test_output_cut_off_at_every_size_fails_loudly(fault_server: FaultServer, tmp_path: Path) -> None:
    seed = SEEDS / "000_85ee287e49764f57.txt"
    fault_server.script = lambda _req: "length"
    result = run_cli(fault_server, [seed], tmp_path / "out", "--no-cache", env=cli_env(tmp_path / "cache"))

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {seed}: ") and "max_tokens" in line
    record = read_manifest(tmp_path / "out")["articles"][seed.stem]
    assert record["status"] == "failed" and record["failed_attempts"] == {"truncated": fault_server.count}
    assert fault_server.count == 3  # the chunk, its first half, that half's first half: then it gives up
    assert record["usage"]["prompt_tokens"] + record["usage"]["completion_tokens"] == sum(
        r.billed for r in fault_server.requests
    )
    assert not (tmp_path / "out" / f"{seed.stem}.json").exists()
    print(f"figures: exit {result.returncode}, {fault_server.count} requests, line {line!r}")
