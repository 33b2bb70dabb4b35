"""Issue 7, scenario 6: the API key never reaches the run dir, the cache, the logs or any message,
even when the server echoes the Authorization header back in its error body."""

from __future__ import annotations

from pathlib import Path

from faultserver import SEEDS, FaultServer, cli_env, marker, run_cli, seed_copies

from summarizer.backends.openai import OpenAIBackend, OpenAISettings
from summarizer.core.config import BackendOptions

SENTINEL = "sk-SENTINEL-4b9d2e7f0c1a"


def _files_containing(root: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_sentinel_key_appears_nowhere(fault_server: FaultServer, tmp_path: Path) -> None:
    inputs = seed_copies(tmp_path / "in", copies=1)
    # The last article's server rejects the key: a 401 stops the run (issue 12), after four summaries.
    echoed = marker(1, SEEDS / "004_5e54178d8f9b0a9b.txt")
    faults = {0: "429", 1: "500", 2: "invalid"}  # failed attempts whose messages land in outputs
    fault_server.script = lambda req: "echo_auth" if echoed in req.user else faults.get(req.attempt % 4)
    env = cli_env(tmp_path / "cache", api_key=SENTINEL)
    runs = [run_cli(fault_server, inputs, tmp_path / "out", "--verbose", env=env)]
    # A rerun (the rejected article again) with the openai client's own debug log, the loudest there is.
    runs.append(
        run_cli(fault_server, inputs, tmp_path / "out", "--verbose", env=env | {"OPENAI_LOG": "debug"})
    )

    # The key was really sent, and the server really threw it back.
    assert all(r.headers["authorization"] == f"Bearer {SENTINEL}" for r in fault_server.requests)
    assert any(r.fault == "echo_auth" for r in fault_server.requests)
    for number, result in enumerate(runs):
        assert result.returncode == 2  # the server rejected the key: a usage error, the run stopped
        (tmp_path / f"stdout{number}.log").write_text(result.stdout, encoding="utf-8")
        (tmp_path / f"stderr{number}.log").write_text(result.stderr, encoding="utf-8")
        assert "Bearer [redacted]" in result.stderr and "HTTP 401" in result.stderr
    assert "Traceback" not in runs[0].stderr  # (the openai client's debug log prints its own)
    assert list((tmp_path / "cache").glob("*.sqlite*")), "the cache was written"
    assert len(list((tmp_path / "out").glob("*.json"))) >= 5  # four summaries and the manifest
    assert _files_containing(tmp_path, SENTINEL) == []  # run dir, cache db (and WAL), stdout, stderr
    grepped = sum(1 for p in tmp_path.rglob("*") if p.is_file())
    print(
        f"figures: {fault_server.count} requests, exits {[r.returncode for r in runs]}, {grepped} files grepped"
    )


def test_key_is_kept_out_of_reprs(fault_server: FaultServer) -> None:
    settings = OpenAISettings(model="m", base_url=fault_server.url, api_key=SENTINEL)
    backend = OpenAIBackend(settings)
    options = BackendOptions.from_env({"OPENAI_API_KEY": SENTINEL, "SUMMARIZER_MODEL": "m"})
    assert options.api_key == SENTINEL
    for text in (repr(settings), repr(options), repr(backend.settings)):
        assert SENTINEL not in text
    backend.close()
