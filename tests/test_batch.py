"""Issue 13, part 3: the Batch API flow against a loopback fake of /v1/files and /v1/batches
(tests/faultserver.py): submit, status, collect in progress, collect done, collect again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from faultserver import (
    SEEDS,
    FaultServer,
    SeenRequest,
    cli_env,
    marker,
    read_manifest,
    read_outputs,
    run_cli,
    seed_copies,
)

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


# -- re-asks: an answer that does not fit the schema is asked again in the next round -------------

SEED = SEEDS / "002_184599867ecce798.txt"


def _collect_until_done(cli: CliRunner, out: Path) -> tuple[int, str, int]:
    """`collect` until it stops answering 3: (exit code, last output, how many collects)."""
    for number in range(1, 20):
        code, line = _batch(cli, "collect", str(out))
        if code != 3:
            return code, line, number
    raise AssertionError("collect never finished")


def _sent(out: Path, round_number: int) -> list[dict[str, Any]]:
    path = out / "batch" / f"round-{round_number}.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _user(body: dict[str, Any]) -> str:
    return next(str(m["content"]) for m in body["messages"] if m["role"] == "user")


def test_an_answer_that_does_not_fit_is_reasked_in_the_next_round_as_run_reasks_it(
    cli: CliRunner, fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)
    target = marker(1, SEED)
    # The first answer to each chunk of one article breaks the schema; its re-ask is answered well.
    script = lambda r: (  # noqa: E731
        "invalid" if target in r.user and r.response_model == "ChunkExtraction" and r.attempt == 0 else None
    )
    fault_server.reset(script)
    synchronous = run_cli(fault_server, inputs, tmp_path / "sync", "--no-cache", env=cli_env(tmp_path / "c2"))
    assert synchronous.returncode == 0, synchronous.stderr
    sync_reasks = [r.body for r in fault_server.requests if target in r.user and r.attempt == 1]
    assert sync_reasks  # `run` re-asked (instructor)
    fault_server.reset(script)
    fault_server.batch_statuses = ("validating", "completed")  # each collect finds its round done
    out = tmp_path / "out"

    assert _batch(cli, "submit", str(tmp_path / "in"), "-o", str(out))[0] == 0
    code, line = _batch(cli, "collect", str(out))
    assert code == 3 and line.startswith("round 2 submitted"), line
    reasks = [x["body"] for x in _sent(out, 2) if target in _user(x["body"])]
    assert len(reasks) == len(sync_reasks)
    for body in reasks:  # the request, the model's answer, and the validation error after it
        assert body["messages"][-2]["role"] == "assistant" and body["messages"][-2]["tool_calls"]
        said = body["messages"][-1]
        assert (
            said["role"] == "tool"
            and "validation errors for ChunkExtraction\ninitiatives.0.name" in said["content"]
        )
        assert "Recall the function correctly" in said["content"]
    assert sorted(map(_canonical, reasks)) == sorted(map(_canonical, sync_reasks))  # as run sends it

    code, line, _ = _collect_until_done(cli, out)
    # The other four were written by the collect that submitted round 3.
    assert code == 0 and line.startswith("1 ok, 4 resumed, 0 failed;"), line
    assert read_outputs(out) == read_outputs(tmp_path / "sync")  # attempts (the failed ones) included
    manifest = read_manifest(out)
    assert [r["reasks"] for r in manifest["batch"]["rounds"]] == [0, len(reasks), 0]
    [record] = [r for k, r in manifest["articles"].items() if k.startswith(f"c1_{SEED.stem}")]
    assert record["failed_attempts"] == {"ValidationError": len(reasks)}
    assert record["schema_valid_first_attempt"] is False
    records = manifest["articles"].values()  # each article as the run that wrote it recorded it
    billed = sum(r.billed for r in fault_server.requests)  # every answer's usage, the failed ones too
    assert sum(sum(r["usage"].values()) for r in records) == billed
    assert sum(r["attempts"] for r in records) == fault_server.count
    asked = fault_server.count

    downloads, written = fault_server.downloads, {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert _batch(cli, "collect", str(out)) == (0, line)  # again: nothing downloaded, nothing written
    assert fault_server.downloads == downloads and fault_server.count == asked
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == written
    print(f"figures: {len(reasks)} re-asks in round 2, {asked} requests in 3 rounds, final line {line!r}")


def test_answers_that_never_fit_fail_only_their_article_after_the_reasks_of_run(
    cli: CliRunner, fault_server: FaultServer, tmp_path: Path
) -> None:
    from summarizer.backends.openai import OpenAISettings
    from summarizer.runs.batch import BatchSettings

    limit = BatchSettings("m").reasks
    assert limit == OpenAISettings("m").reasks == 2  # the re-asks of `run`
    inputs = seed_copies(tmp_path / "in", copies=1)
    target = marker(1, SEED)
    fault_server.script = lambda r: (
        "invalid" if target in r.user and r.response_model == "ChunkExtraction" else None
    )
    fault_server.batch_statuses = ("validating", "completed")
    out = tmp_path / "out"
    assert _batch(cli, "submit", str(tmp_path / "in"), "-o", str(out))[0] == 0
    chunks = sum(target in _user(x["body"]) for x in _sent(out, 1))

    code, output, collects = _collect_until_done(cli, out)
    assert code == 1, output
    [error] = [x for x in output.splitlines() if x.startswith("error:")]
    [broken] = [p for p in inputs if p.name.startswith(f"c1_{SEED.stem}")]
    assert error.startswith(f"error: {broken}: ValidationError (after {limit} re-asks): ")
    assert "validation errors for ChunkExtraction initiatives.0.name" in error
    assert output.splitlines()[-1].startswith("0 ok, 4 resumed, 1 failed;")
    assert len(read_outputs(out)) == 4 and not (out / f"{broken.stem}.json").exists()
    # Each chunk was asked once and re-asked `limit` times, each request once.
    asked = [r for r in fault_server.requests if target in r.user]
    assert len(asked) == chunks * (limit + 1)
    assert len({json.dumps(r.body, sort_keys=True) for r in asked}) == len(asked)
    manifest = read_manifest(out)
    assert [r["reasks"] for r in manifest["batch"]["rounds"]][:3] == [0, chunks, chunks]
    # The article's record holds its failing call's answers, every one failed (as `run -j 1`: the
    # first chunk that fails ends the article); the rounds' usage, every answer downloaded.
    record = manifest["articles"][broken.stem]
    assert record["status"] == "failed" and record["attempts"] == limit + 1
    assert record["failed_attempts"] == {"ValidationError": limit + 1}
    chains = {user: sum(r.billed for r in asked if r.user == user) for user in {r.user for r in asked}}
    assert sum(record["usage"].values()) in chains.values()
    rounds = manifest["batch"]["rounds"]
    assert sum(sum(r["usage"].values()) for r in rounds) == sum(r.billed for r in fault_server.requests)

    downloads, count = fault_server.downloads, fault_server.count
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert _batch(cli, "collect", str(out)) == (1, output)  # again: the same, nothing new
    assert (fault_server.downloads, fault_server.count) == (downloads, count)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == written
    code, line = _batch(cli, "submit", str(tmp_path / "in"), "-o", str(out))  # no fourth answer
    assert code == 0 and line.startswith("nothing to submit: 0 ok, 4 resumed, 1 failed"), line
    print(f"figures: {chunks} chunks x {limit + 1} answers, {collects} collects; {error!r}")


def test_a_reask_whose_round_failed_is_resubmitted_by_submit(
    cli: CliRunner, fault_server: FaultServer, tmp_path: Path
) -> None:
    seed_copies(tmp_path / "in", copies=1)
    target = marker(1, SEED)
    fault_server.script = lambda r: (
        "invalid" if target in r.user and r.response_model == "ChunkExtraction" and r.attempt == 0 else None
    )
    fault_server.batch_statuses = ("validating", "completed")
    out = tmp_path / "out"
    assert _batch(cli, "submit", str(tmp_path / "in"), "-o", str(out))[0] == 0
    assert _batch(cli, "collect", str(out))[1].startswith("round 2 submitted")
    reasks = sorted(_canonical(x["body"]) for x in _sent(out, 2) if target in _user(x["body"]))
    fault_server.batch_statuses = ("validating", "failed")  # round 2, re-asks included, fails
    code, output = _batch(cli, "collect", str(out))
    assert code == 1 and output.splitlines()[-1].startswith("0 ok, 0 resumed, 5 failed"), output

    fault_server.batch_statuses = ("validating", "completed")
    code, line = _batch(cli, "submit", str(tmp_path / "in"), "-o", str(out))
    again = 4 + len(reasks)  # the other articles' fields, and the re-asks
    assert (code, line) == (
        0,
        f"submitted batch_3: {again} requests for 5 articles ({again} failed before, asked again)",
    )
    assert sorted(_canonical(x["body"]) for x in _sent(out, 3) if target in _user(x["body"])) == reasks
    code, line, _ = _collect_until_done(cli, out)
    assert code == 0 and len(read_outputs(out)) == 5, line
    assert sum(target in r.user and r.attempt == 1 for r in fault_server.requests) == len(reasks)
    assert [r["reasks"] for r in read_manifest(out)["batch"]["rounds"]] == [0, len(reasks), len(reasks), 0]


def test_a_reask_answered_past_max_tokens_splits_its_chunk_as_run_does(
    cli: CliRunner, fault_server: FaultServer, tmp_path: Path
) -> None:
    """Truncation is not re-asked (instructor does not either): the chunk is split in two, and the
    halves go out in the next round as fresh requests; the chain's answers stay in the record."""
    inputs = seed_copies(tmp_path / "in", copies=1)
    target = marker(1, SEED)

    def spoiler() -> Callable[[SeenRequest], str | None]:
        chunks: list[str] = []  # the chunks asked first; a part of one of them is a half

        def script(r: SeenRequest) -> str | None:
            if target not in r.user or r.response_model != "ChunkExtraction":
                return None
            if any(r.article_text in c and r.article_text != c for c in chunks):
                return None  # a half: answered well
            chunks.append(r.article_text)
            return "invalid" if r.attempt == 0 else "length"  # the re-ask's answer is cut off

        return script

    fault_server.reset(spoiler())
    synchronous = run_cli(fault_server, inputs, tmp_path / "sync", "--no-cache", env=cli_env(tmp_path / "c2"))
    assert synchronous.returncode == 0, synchronous.stderr
    fault_server.reset(spoiler())
    fault_server.batch_statuses = ("validating", "completed")
    out = tmp_path / "out"
    assert _batch(cli, "submit", str(tmp_path / "in"), "-o", str(out))[0] == 0
    code, line, collects = _collect_until_done(cli, out)
    assert code == 0 and "0 failed" in line, line
    chunks = sum(target in _user(x["body"]) for x in _sent(out, 1))
    # Round 2 re-asks each chunk; round 3 asks the first halves, round 4 the second ones (one
    # half after the other, as `extract_chunk` asks them), round 5 the article's fields.
    halves = [x["body"] for n in (3, 4) for x in _sent(out, n) if target in _user(x["body"])]
    assert len(halves) == 2 * chunks
    assert all(b["messages"][-1]["role"] == "user" for b in halves)  # fresh requests, no re-ask
    assert read_outputs(out) == read_outputs(tmp_path / "sync")  # the chain's attempts included
    [record] = [r for k, r in read_manifest(out)["articles"].items() if k.startswith(f"c1_{SEED.stem}")]
    assert record["failed_attempts"] == {"ValidationError": chunks, "truncated": chunks}
    print(f"figures: {chunks} chunks cut off when re-asked, {len(halves)} halves, {collects} collects")


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)
