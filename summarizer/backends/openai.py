"""Any OpenAI-compatible endpoint (OpenAI, DeepSeek, Qwen, vLLM, SGLang, Ollama, llama.cpp server).

Two layers of retry, each for its own kind of failure:
- instructor re-asks the model when its output does not validate against the pydantic model;
- tenacity retries transient transport faults (429, 5xx, timeouts, dropped connections) with
  exponential backoff, waiting as long as a `Retry-After` header asks (capped).
Configuration faults (401, 403, 404, 400) are never retried. A wrong key, an unknown model or a
base URL that is no API (401, 403, 404, a 200 that is not JSON) raise `ProviderConfigError`,
which names the variable to fix; the backend then refuses every later call without a request, and
the run stops. Usage of every attempt, failed ones included, is recorded through instructor's
hooks; a server that reports none (or negative counts) gets an estimate from the request's size.
"""

from __future__ import annotations

import functools
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, ClassVar

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from summarizer.backends.base import Backend, Completion, M, Message, normalize_endpoint
from summarizer.backends.httpclient import ApiHttpClient, NotAnAPIResponse, SettingsRefused
from summarizer.backends.limits import RateLimiter, limited_client
from summarizer.core.config import BackendKind, Mode
from summarizer.core.errors import (
    BackendError,
    BudgetExceeded,
    Interrupted,
    OutputError,
    ProviderConfigError,
    TransientBackendError,
    TruncatedOutput,
)
from summarizer.core.models import UsageRecord

DEFAULT_BASE_URL = "https://api.openai.com/v1"  # what the openai client uses when none is set

INSTRUCTOR_MODES = {
    Mode.tools: instructor.Mode.TOOLS,
    Mode.json_schema: instructor.Mode.JSON_SCHEMA,
    Mode.json: instructor.Mode.JSON,
}
_TRANSIENT = (
    openai.RateLimitError,
    openai.APITimeoutError,
    openai.APIConnectionError,
    openai.InternalServerError,
)
MAX_RETRY_AFTER_S = 60.0


@dataclass(frozen=True)
class OpenAISettings:
    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a repr, a log or a traceback
    mode: Mode = Mode.tools
    timeout_s: float = 120.0
    max_attempts: int = 5  # transport attempts per call
    reasks: int = 2  # validation re-asks per attempt
    backoff_max_s: float = 30.0
    temperature: float = 0.0
    max_concurrency: int = 16  # requests in flight (see summarizer.backends.limits.RateLimiter)
    rpm: float | None = None
    tpm: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", Mode(self.mode))  # "json" given: Mode.json kept


class OpenAIBackend(Backend):
    name: ClassVar[str] = BackendKind.openai

    def __init__(self, settings: OpenAISettings) -> None:
        self.settings = settings
        self.model = settings.model
        # Every HTTP request of the run goes through one limiter: it owns waiting on 429s.
        self.limiter = RateLimiter(settings.max_concurrency, settings.rpm, settings.tpm)
        self._http = openai.OpenAI(
            api_key=settings.api_key or "not-needed",
            base_url=settings.base_url,
            timeout=settings.timeout_s,  # each wait: connecting, one read
            max_retries=0,  # tenacity owns retries, so every attempt is counted once
            # the whole request has a deadline, slow bodies included; sends go through the limiter
            http_client=limited_client(ApiHttpClient, self.limiter, settings.timeout_s),
        )
        mode = INSTRUCTOR_MODES[settings.mode]
        # instructor around a plain POST of the body it builds (the SDK's documented way to send
        # a request as is): `chat.completions.create` walks every message through each TypedDict
        # of its union types first, a sixth of the client's CPU per request (bench/bench_scale.py),
        # and for plain JSON bodies changes nothing (tests/test_openai_http.py checks it).
        create = instructor.patch(create=self._post_chat, mode=mode)
        _load_handlers(mode)
        _check_async_validators_once()  # with the first backend, not on import: importing changes nothing
        self._client = instructor.Instructor(
            client=self._http, create=create, provider=instructor.Provider.OPENAI, mode=mode
        )
        self._local = threading.local()
        self._refused: ProviderConfigError | None = None  # set once the server refuses the settings
        self._client.on("completion:response", self._on_response)
        self._client.on("parse:error", self._on_parse_error)
        self._client.on("completion:error", self._on_completion_error)

    @property
    def endpoint(self) -> str:
        return normalize_endpoint(self.settings.base_url or DEFAULT_BASE_URL)

    def identity(self) -> dict[str, object]:
        return {
            "provider": self.name,
            "model": self.model,
            "endpoint": self.endpoint,
            "mode": self.settings.mode,
            "temperature": self.settings.temperature,
        }

    # -- hooks: per-thread attempt log, so concurrent articles never mix their usage --

    @property
    def _attempts(self) -> list[UsageRecord]:
        attempts: list[UsageRecord] = self._local.__dict__.setdefault("attempts", [])
        return attempts

    def _on_response(self, response: Any) -> None:
        self._attempts.append(usage_record(response, self._local.__dict__.get("request_chars", 0)))

    def _on_parse_error(self, error: Exception, **_: Any) -> None:
        if self._attempts:
            last = self._attempts[-1]
            self._attempts[-1] = last.model_copy(
                update={"ok": False, "error": _describe(error, self.settings)}
            )

    def _on_completion_error(self, error: Exception, **_: Any) -> None:
        self._attempts.append(UsageRecord(ok=False, error=_describe(error, self.settings)))

    # -- the interface --

    def complete(
        self,
        messages: list[Message],
        response_model: type[M],
        *,
        prompt_id: str,  # noqa: ARG002 - part of the interface; the cache keys on it
        max_tokens: int | None = None,
    ) -> Completion[M]:
        if self._refused is not None:  # the same answer for every call: no request
            raise ProviderConfigError(str(self._refused), provider=self.name, original=self._refused.original)
        self._local.attempts = []
        self._local.request_chars = sum(len(str(m.get("content", ""))) for m in messages)
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.max_attempts),
            wait=_RetryAfterWait(self.settings.backoff_max_s, limited=True),
            retry=retry_if_exception(_is_transient),
            reraise=True,
        )
        try:
            value = retrying(self._create_once, messages, response_model, max_tokens)
        except Exception as exc:
            refused = _run_refusal(exc)
            if isinstance(refused, SettingsRefused) and self._refused is not None:
                raise ProviderConfigError(
                    str(self._refused), provider=self.name, original=self._refused.original
                ) from None
            if refused is not None:  # the run's slot said no (stopped, token ceiling): as it was raised
                raise refused from None
            error = self._to_backend_error(exc)
            if isinstance(error, ProviderConfigError):
                self._refused = error
            raise error from exc
        return Completion(value=value, model=self.model, attempts=list(self._attempts))

    def _create_once(self, messages: list[Message], response_model: type[M], max_tokens: int | None) -> M:
        kwargs: dict[str, Any] = {"temperature": self.settings.temperature}
        if max_tokens:
            kwargs["max_tokens"] = max_tokens
        answer: M = self._client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            response_model=_prepared(response_model),
            max_retries=self.settings.reasks,
            **kwargs,
        )
        return answer

    def _post_chat(self, **body: Any) -> ChatCompletion:
        return self._http.post("/chat/completions", cast_to=ChatCompletion, body=body)

    def _to_backend_error(self, exc: Exception) -> BackendError:
        cause = _root_cause(exc)
        message = _describe(cause, self.settings)
        attempts = list(self._attempts)
        refusal = _refusal(exc, self.settings, str(self._http.base_url).rstrip("/"))
        if refusal is not None:
            return ProviderConfigError(refusal, provider=self.name, original=cause, attempts=attempts)
        if isinstance(cause, IncompleteOutputException):
            if attempts and attempts[-1].ok:  # instructor raises it before any parse hook fires
                attempts[-1] = attempts[-1].model_copy(
                    update={"ok": False, "error": "truncated: finish_reason length"}
                )
            return TruncatedOutput(message, provider=self.name, original=cause, attempts=attempts)
        if _no_choices(exc):
            message = "the server returned a completion with no choices"
            return TransientBackendError(message, provider=self.name, original=cause, attempts=attempts)
        if isinstance(cause, _TRANSIENT):
            return TransientBackendError(message, provider=self.name, original=cause, attempts=attempts)
        if isinstance(exc, InstructorRetryException) and not isinstance(cause, openai.APIError):
            return OutputError(message, provider=self.name, original=cause, attempts=attempts)
        return BackendError(message, provider=self.name, original=cause, attempts=attempts)

    def close(self) -> None:
        self._http.close()


@functools.lru_cache(maxsize=64)
def _prepared(response_model: type[M]) -> type[M]:
    """The response model as instructor wraps it, made once: instructor builds a new pydantic
    class per call otherwise (`response_schema`), and with it the JSON schema its own cache keys
    on; that was a third of the client's CPU per request at -j 32 (bench/bench_scale.py)."""
    from instructor.v2.core.function_calls import response_schema

    return response_schema(response_model)


def _load_handlers(mode: instructor.Mode) -> None:
    """Import instructor's handlers for `mode` now, with the backend: instructor imports them on
    the first request (0.2 to 0.6 s: they import `requests`), and every thread of a run's first
    wave of requests waited on that import before sending anything (bench/bench_scale.py)."""
    try:
        from instructor.v2.core.registry import mode_registry

        mode_registry.get_handlers(instructor.Provider.OPENAI, mode)
    except Exception:  # noqa: S110 - another instructor layout: the first request imports them
        pass


def _check_async_validators_once() -> None:
    """Make instructor's refusal of async validators look at each response model once.

    instructor walks the whole type tree of the response model (every field, every base class's
    attributes) seven times per request to refuse async validators it cannot run; at -j 32 that
    was a quarter of the client's CPU per request (bench/bench_scale.py). A class that passed
    once passes again: it is remembered (weakly). What cannot be remembered (an unhashable
    annotation) is walked as before, and a model that fails still raises every time."""
    try:
        from instructor.v2.core import patch
        from instructor.v2.validation import async_validators
    except ImportError:  # pragma: no cover - another instructor layout: no shortcut
        return
    walk = async_validators.reject_async_validators
    if getattr(walk, "_summarizer_once", False):
        return
    passed: weakref.WeakSet[Any] = weakref.WeakSet()

    def reject_once(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        walk(response_model)
        if isinstance(response_model, type):
            passed.add(response_model)

    reject_once._summarizer_once = True  # type: ignore[attr-defined]
    async_validators.reject_async_validators = reject_once  # call sites import it when called
    if getattr(patch, "reject_async_validators", None) is walk:
        patch.reject_async_validators = reject_once  # type: ignore[attr-defined]  # imported at module level there


def _root_cause(exc: BaseException) -> BaseException:
    """The provider's own exception under instructor's wrapper."""
    if isinstance(exc, InstructorRetryException) and exc.__cause__ is not None:
        return exc.__cause__
    return exc


def _run_refusal(exc: BaseException) -> Interrupted | BudgetExceeded | None:
    """What the run's slot or the HTTP client raised inside `send` (which the SDK wraps as a
    connection error): the run was stopped, its token ceiling was reached while waiting, or the
    server had refused the settings on an earlier request (`SettingsRefused`)."""
    return next((c for c in _causes(exc) if isinstance(c, Interrupted | BudgetExceeded)), None)


def _is_transient(exc: BaseException) -> bool:
    if any(isinstance(cause, NotAnAPIResponse) for cause in _causes(exc)):
        return False  # a web page at the base URL: asking again gets the same page
    if _run_refusal(exc) is not None:
        return False
    return isinstance(_root_cause(exc), _TRANSIENT) or _no_choices(exc)


def _causes(exc: BaseException | None) -> list[BaseException]:
    """`exc` and the exceptions under it (`__cause__`, then `__context__`), outermost first."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


def _refusal(exc: BaseException, settings: OpenAISettings, base_url: str) -> str | None:
    """The one line for a fault no retry and no other article can fix, or None."""
    for cause in _causes(exc):
        if isinstance(cause, NotAnAPIResponse):
            return (
                f"{base_url} is not an OpenAI-compatible API: it answered HTTP 200 with "
                f"{cause.content_type or 'no content type'}, not JSON ({cause.head!r}); "
                "set OPENAI_BASE_URL (or --base-url) to the API root, e.g. http://127.0.0.1:8000/v1"
            )
        if isinstance(cause, openai.APIStatusError) and cause.status_code in (401, 403, 404):
            return _status_refusal(cause, settings, base_url)
    return None


def _status_refusal(error: openai.APIStatusError, settings: OpenAISettings, base_url: str) -> str:
    said = _server_message(error, settings)
    if error.status_code == 401:
        return f"{base_url} rejected the API key (HTTP 401: {said}); set OPENAI_API_KEY to a valid key"
    if error.status_code == 403:
        return (
            f"{base_url} refused model {settings.model!r} to this key (HTTP 403: {said}); set OPENAI_API_KEY "
            "to a key allowed to use it, or SUMMARIZER_MODEL (or --model) to a model it may use"
        )
    if "model" in said.lower() or getattr(error, "code", None) == "model_not_found":
        return (
            f"{base_url} has no model {settings.model!r} (HTTP 404: {said}); "
            "set SUMMARIZER_MODEL (or --model) to a model this server serves"
        )
    return (
        f"{base_url} has no chat completions endpoint (HTTP 404: {said}); "
        "set OPENAI_BASE_URL (or --base-url) to the API root, e.g. http://127.0.0.1:8000/v1"
    )


def _server_message(error: openai.APIStatusError, settings: OpenAISettings) -> str:
    """What the server said, on one line, without the key (a server may echo it back)."""
    body = error.body
    said = body.get("message") if isinstance(body, dict) else None
    text = " ".join(str(said if isinstance(said, str) and said else error.message).split())[:200]
    return text.replace(settings.api_key, "[redacted]") if settings.api_key else text


def usage_record(response: Any, request_chars: int) -> UsageRecord:
    """The usage a response reports; missing or negative counts are unknown, and the token ceiling
    charges an estimate instead: one token per character of the request and of the answer
    (Chinese runs about 0.6 to 1 token per character, so the estimate errs high)."""
    usage = getattr(response, "usage", None)
    prompt = getattr(usage, "prompt_tokens", None)
    completion = getattr(usage, "completion_tokens", None)
    if isinstance(prompt, int) and isinstance(completion, int) and prompt >= 0 and completion >= 0:
        return UsageRecord(prompt_tokens=prompt, completion_tokens=completion)
    return UsageRecord(estimated_tokens=request_chars + _answer_chars(response))


def _answer_chars(response: Any) -> int:
    total = 0
    for choice in getattr(response, "choices", None) or []:
        message = getattr(choice, "message", None)
        total += len(getattr(message, "content", None) or "")
        for call in getattr(message, "tool_calls", None) or []:
            total += len(getattr(getattr(call, "function", None), "arguments", None) or "")
    return total


def _no_choices(exc: BaseException) -> bool:
    """An empty `choices` list: a server glitch worth retrying (instructor's re-ask cannot handle it)."""
    completion = getattr(exc, "last_completion", None)
    return isinstance(exc, InstructorRetryException) and completion is not None and not completion.choices


class _RetryAfterWait:
    """Exponential backoff with jitter, or the server's `Retry-After` when it sends one."""

    def __init__(self, max_s: float, limited: bool = False) -> None:
        self._exponential = wait_random_exponential(multiplier=0.5, max=max_s)
        self._limited = limited  # a RateLimiter pauses the whole run on 429: no wait of our own

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        cause = _root_cause(exc) if exc else None
        if self._limited and isinstance(cause, openai.RateLimitError):
            return 0.0
        retry_after = _retry_after_seconds(cause) if cause else None
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER_S)
        return float(self._exponential(state))


def _retry_after_seconds(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return max(0.0, float(header)) if header is not None else None
    except ValueError:
        return None


def _describe(exc: BaseException, settings: OpenAISettings) -> str:
    """A one-line reason with the API key removed, whatever the provider put in its message."""
    status = getattr(exc, "status_code", None)
    text = " ".join(str(exc).split())[:300]
    if settings.api_key:
        text = text.replace(settings.api_key, "[redacted]")
    prefix = f"HTTP {status}: " if status else f"{type(exc).__name__}: "
    return prefix + text
