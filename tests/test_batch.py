"""Issue 13, part 3: the Batch API flow against a loopback fake of /v1/files and /v1/batches
(tests/faultserver.py): submit, status, collect in progress, collect done, collect again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from faultserver import FaultServer, cli_env, read_manifest, read_outputs, run_cli, seed_copies

from summarizer.cli import main


@pytest.fixture
def cli(fault_server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name, value in cli_env(tmp_path / "cache").items():
        monkeypatch.setenv(name, value)
    for name in [k for k in __import__("os").environ if "proxy" in k.lower()]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("OPENAI_BASE_URL", fault_server.url)
    monkeypatch.setenv("SUMMARIZER_MODEL", "fault-model")
    return CliRunner()


def _batch(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(main, ["batch", *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output.strip()


def test_submit_status_collect_gives_the_outputs_of_run_and_collect_again_downloads_nothing(
    cli: CliRunner, fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)
    synchronous = run_cli(fault_server, inputs, tmp_path / "sync", "--no-cache", env=cli_env(tmp_path / "c2"))
    assert synchronous.returncode == 0, synchronous.stderr
    fault_server.reset()
    out = str(tmp_path / "out")

    code, line = _batch(cli, "submit", str(tmp_path / "in"), "-o", out)
    assert code == 0 and line == "submitted batch_1: 9 requests for 5 articles"
    assert fault_server.count == 0  # nothing asked synchronously
    assert _batch(cli, "status", out) == (0, "batch_1: in_progress, 0/9 done, 0 failed (round 1, 5 articles)")
    # Round 1 (the chunks) completes; the article-fields calls need its answers: round 2.
    code, line = _batch(cli, "collect", out)
    assert (code, line) == (
        3,
        "round 2 submitted: batch_2: validating, 0/5 done, 0 failed (round 2, 5 articles)",
    )
    assert _batch(cli, "collect", out) == (
        3,
        "batch_2: in_progress, 0/5 done, 0 failed (round 2, 5 articles)",
    )
    code, line = _batch(cli, "collect", out)
    assert code == 0 and line.startswith("5 ok, 0 resumed, 0 failed;"), line
    assert read_outputs(Path(out)) == read_outputs(tmp_path / "sync")  # the same summaries as `run`
    manifest = read_manifest(Path(out))
    assert [r["batch_id"] for r in manifest["batch"]["rounds"]] == ["batch_1", "batch_2"]
    assert manifest["batch"]["rounds"][0]["request_counts"] == {"total": 9, "completed": 9, "failed": 0}
    assert sum(r["usage"]["prompt_tokens"] for r in manifest["batch"]["rounds"]) > 0
    assert (Path(out) / "summaries.jsonl").read_text(encoding="utf-8").count("\n") == 5

    downloads, written = fault_server.downloads, {p: p.stat().st_mtime_ns for p in Path(out).rglob("*")}
    assert _batch(cli, "collect", out) == (0, line)
    assert fault_server.downloads == downloads
    assert {p: p.stat().st_mtime_ns for p in Path(out).rglob("*")} == written
    print(f"figures: {fault_server.count} requests in 2 rounds, {downloads} downloads, final line {line!r}")


@pytest.mark.parametrize("ending", ["expired", "failed"])
def test_failed_or_expired_requests_fail_their_articles_and_submit_resubmits_only_them(
    cli: CliRunner, fault_server: FaultServer, tmp_path: Path, ending: str
) -> None:
    seed_copies(tmp_path / "in", copies=1)
    out = str(tmp_path / "out")
    fault_server.batch_statuses = ("validating", ending)
    fault_server.expire_after = 4  # an expired batch answered its first 4 requests
    assert _batch(cli, "submit", str(tmp_path / "in"), "-o", out)[0] == 0
    code, line = _batch(cli, "collect", out)
    answered = 4 if ending == "expired" else 0
    kept = [
        json.loads(x)
        for x in (Path(out) / "batch" / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert (
        sum("completion" in k for k in kept) == answered and sum("error" in k for k in kept) == 9 - answered
    )
    if ending == "expired":  # the articles whose chunks all came back went on to round 2
        assert code == 3 and line.startswith("round 2 submitted")
        fault_server.batch_statuses = ("validating", "completed")
        code, line = _batch(cli, "collect", out)
    assert code == 1
    errors = [x for x in line.splitlines() if x.startswith("error:")]
    manifest = read_manifest(Path(out))
    assert len(errors) == manifest["totals"]["failed"] > 0
    assert all(ending in e for e in errors), errors

    fault_server.batch_statuses = ("validating", "completed")
    code, line = _batch(cli, "submit", str(tmp_path / "in"), "-o", out)
    assert code == 0 and f"({9 - answered} failed before, asked again)" in line
    assert line.startswith(f"submitted batch_{len(manifest['batch']['rounds']) + 1}: {9 - answered} requests")
    while (result := _batch(cli, "collect", out))[0] == 3:
        pass
    assert result[0] == 0 and len(read_outputs(Path(out))) == 5, result
    print(
        f"figures: {ending}: {answered} of 9 answered, {len(errors)} articles failed; resubmitted, {result[1]!r}"
    )


def test_collect_without_a_batch_is_one_line_exit_2(cli: CliRunner, tmp_path: Path) -> None:
    code, line = _batch(cli, "collect", str(tmp_path))
    assert code == 2 and line.startswith("error: ") and "batch submit" in line and "\n" not in line
