"""The OpenAI-compatible backend over real HTTP: the `openai` client against the loopback server."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

import pytest
from faultserver import FaultServer

from summarizer.backends.limits import REQUEST_SLOT
from summarizer.backends.openai import OpenAIBackend, OpenAISettings
from summarizer.core.errors import (
    BackendError,
    BudgetExceeded,
    Interrupted,
    TransientBackendError,
    TruncatedOutput,
)
from summarizer.llm.prompts import load_prompt
from summarizer.stages.drafts import ArticleFields, ChunkExtraction

TEXT = "某市推出了“一网通办”改革，企业开办时间压缩到1天。第二句话也在这里。"


def _backend(server: FaultServer, **overrides: object) -> OpenAIBackend:
    settings = {"timeout_s": 1.0, "backoff_max_s": 0.05, "max_attempts": 3, "api_key": "sk-test"}
    settings.update(overrides)
    return OpenAIBackend(OpenAISettings(model="fault-model", base_url=server.url, **settings))  # type: ignore[arg-type]


def _messages() -> list[dict[str, str]]:
    prompt = load_prompt("extract@v1")
    return prompt.render(title="测试", text=TEXT, chunk_number="1", chunk_count="1")


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json"])
def test_backend_returns_validated_model_with_usage(fault_server: FaultServer, mode: str) -> None:
    backend = _backend(fault_server, mode=mode)
    completion = backend.complete(_messages(), ChunkExtraction, prompt_id="extract@v1")
    backend.close()
    assert isinstance(completion.value, ChunkExtraction)
    assert completion.value.initiatives[0].quotes == ["某市推出了“一网通办”改革，企业开办时间压缩到1天。"]
    assert fault_server.count == 1
    request = fault_server.requests[0]
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.body["model"] == "fault-model"
    [attempt] = completion.attempts
    assert attempt.ok and attempt.prompt_tokens + attempt.completion_tokens == request.billed > 0


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json"])
def test_the_body_is_what_the_sdk_would_send(fault_server: FaultServer, mode: str) -> None:
    """The backend posts instructor's body as it is (no per-request walk of the SDK's TypedDicts):
    for the bodies it sends, that walk would change nothing."""
    from openai._utils import maybe_transform
    from openai.types.chat import completion_create_params

    backend = _backend(fault_server, mode=mode)
    backend.complete(_messages(), ChunkExtraction, prompt_id="extract@v1", max_tokens=500)
    body = fault_server.requests[0].body
    assert body["messages"][-1] == _messages()[-1] and body["max_tokens"] == 500
    assert maybe_transform(body, completion_create_params.CompletionCreateParamsNonStreaming) == body


def test_article_fields_are_asked_by_their_own_model(fault_server: FaultServer) -> None:
    prompt = load_prompt("article@v1")
    messages = prompt.render(title="测试市改革", lead=TEXT, initiatives="（无）")
    completion = _backend(fault_server).complete(messages, ArticleFields, prompt_id="article@v1")
    assert completion.value.locality.name == "测试市"
    assert fault_server.requests[0].response_model == "ArticleFields"


@pytest.mark.parametrize(
    "fault", ["429", "500", "503", "slow", "drop", "malformed", "cut_json", "invalid", "empty_choices"]
)
def test_each_transient_fault_is_retried_once_and_its_attempt_recorded(
    fault_server: FaultServer, fault: str
) -> None:
    fault_server.slow_s = 1.5
    fault_server.script = lambda req: fault if req.attempt == 0 else None
    completion = _backend(fault_server).complete(_messages(), ChunkExtraction, prompt_id="extract@v1")
    assert fault_server.count == 2
    failed, ok = completion.attempts
    assert not failed.ok and failed.error and ok.ok
    assert completion.value.initiatives


def test_retry_after_is_honoured(fault_server: FaultServer) -> None:
    fault_server.retry_after = "0.4"
    fault_server.script = lambda req: "429" if req.attempt == 0 else None
    _backend(fault_server).complete(_messages(), ChunkExtraction, prompt_id="extract@v1")
    first, second = fault_server.requests
    assert second.at - first.at >= 0.35


def test_permanent_fault_stops_after_max_attempts(fault_server: FaultServer) -> None:
    fault_server.script = lambda _req: "503"
    with pytest.raises(TransientBackendError) as caught:
        _backend(fault_server, max_attempts=3).complete(_messages(), ChunkExtraction, prompt_id="extract@v1")
    assert fault_server.count == 3
    assert len(caught.value.attempts) == 3 and not any(a.ok for a in caught.value.attempts)
    assert str(caught.value).startswith("HTTP 503")


def test_truncation_is_not_retried_blindly_but_reported(fault_server: FaultServer) -> None:
    fault_server.script = lambda _req: "length"
    with pytest.raises(TruncatedOutput) as caught:
        _backend(fault_server).complete(_messages(), ChunkExtraction, prompt_id="extract@v1")
    assert fault_server.count == 1
    [attempt] = caught.value.attempts
    assert not attempt.ok and attempt.error and "truncated" in attempt.error and attempt.prompt_tokens > 0


def test_auth_error_is_not_retried_and_the_key_is_redacted(fault_server: FaultServer) -> None:
    fault_server.script = lambda _req: "echo_auth"
    with pytest.raises(BackendError) as caught:
        _backend(fault_server, api_key="sk-SENTINEL-123").complete(
            _messages(), ChunkExtraction, prompt_id="extract@v1"
        )
    assert fault_server.count == 1
    assert "sk-SENTINEL-123" not in str(caught.value)
    assert all("sk-SENTINEL-123" not in (a.error or "") for a in caught.value.attempts)


def test_instructor_is_changed_by_constructing_a_backend_not_by_importing_one():
    """The backend makes instructor check each response model for async validators once; merely
    importing `summarizer.backends.openai` (as a library user does) leaves instructor as it is."""
    code = (
        "import summarizer.backends.openai as o\n"
        "from instructor.v2.validation import async_validators as a\n"
        "print(getattr(a.reject_async_validators, '_summarizer_once', False))\n"
        "o.OpenAIBackend(o.OpenAISettings(model='m', base_url='http://127.0.0.1:9/v1')).close()\n"
        "print(getattr(a.reject_async_validators, '_summarizer_once', False))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    "refusal", [Interrupted("the run was stopped"), BudgetExceeded("token ceiling reached")]
)
def test_what_the_run_s_slot_raises_at_send_comes_back_as_it_is(fault_server: FaultServer, refusal) -> None:
    """The slot is taken inside the HTTP client's `send`, where the SDK turns any exception into a
    retryable connection error: a stopped run or a spent token ceiling must not be retried, and
    must reach the runner as themselves (an interrupted or skipped article, not a failed one)."""

    @contextlib.contextmanager
    def refusing() -> Iterator[None]:
        raise refusal
        yield

    backend = _backend(fault_server)
    token = REQUEST_SLOT.set(refusing)
    try:
        with pytest.raises(type(refusal)):
            backend.complete(_messages(), ChunkExtraction, prompt_id="extract@v1")
    finally:
        REQUEST_SLOT.reset(token)
        backend.close()
    assert fault_server.count == 0  # nothing sent, nothing retried
