"""`--max-attempts` and `--timeout` reach the OpenAI-compatible backend."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from summarizer.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_85ee287e49764f57.txt"


def _run(fault_server, tmp_path, monkeypatch, *flags):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    args = ["run", str(SEED), "-o", str(tmp_path / "out"), "--backend", "openai", "--model", "m",
            "--base-url", fault_server.url, "--strategy", "single", *flags]  # fmt: skip
    return CliRunner().invoke(main, args)


def test_max_attempts_bounds_the_requests_of_a_failing_server(fault_server, tmp_path, monkeypatch):
    fault_server.reset(lambda _request: "503")
    result = _run(fault_server, tmp_path, monkeypatch, "--max-attempts", "2")
    assert result.exit_code == 1
    assert fault_server.count == 2
    assert "HTTP 503" in result.output


def test_timeout_is_per_request(fault_server, tmp_path, monkeypatch):
    fault_server.reset(lambda _request: "slow")  # answers after fault_server.slow_s (2 s)
    result = _run(fault_server, tmp_path, monkeypatch, "--timeout", "1", "--max-attempts", "1")
    assert result.exit_code == 1
    assert fault_server.count == 1
    assert "Timeout" in result.output or "timed out" in result.output.lower()
