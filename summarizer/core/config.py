"""Run configuration: one frozen object passed explicitly. Only this module and the CLI read the
environment (`SUMMARIZER_MODEL`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`, `SUMMARIZER_MODE`)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from summarizer.core.errors import ConfigError

STRATEGIES = ("single", "decomposed", "choose", "rules")
# The strategy each backend kind gets unless one is asked for: the library and the CLI both use
# `RunConfig.for_backend`, so `summarize()` and `summarizer run` never differ.
DEFAULT_STRATEGY = {"local": "decomposed", "none": "rules", "openai": "single", "fake": "single"}
DEFAULT_PROMPTS = ("extract@v1", "article@v2")


@dataclass(frozen=True)
class RunConfig:
    strategy: str = "single"
    chunk_chars: int = 3000
    overlap_chars: int = 150
    prompts: tuple[str, ...] = DEFAULT_PROMPTS
    max_tokens_per_call: int = 2048
    max_tokens_total: int | None = None
    model_writes_article_fields: bool = True

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ConfigError(f"unknown strategy {self.strategy!r}; use one of {', '.join(STRATEGIES)}")
        if self.chunk_chars < 200:
            raise ConfigError("--chunk-chars must be at least 200")
        if not 0 <= self.overlap_chars < self.chunk_chars / 2:
            raise ConfigError(
                f"--overlap-chars {self.overlap_chars} must be at least 0 and less than half of --chunk-chars "
                f"({self.chunk_chars}): more overlap repeats more of each chunk than it adds"
            )

    @classmethod
    def for_backend(cls, kind: str, strategy: str | None = None, **settings: object) -> RunConfig:
        """The defaults for a backend kind (`local`, `openai`, `fake`, `none`): its strategy, and
        the model writes the article fields (place, summary) only with the `single` strategy."""
        chosen = strategy or DEFAULT_STRATEGY.get(kind, "rules")
        settings.setdefault("model_writes_article_fields", chosen == "single")
        return cls(strategy=chosen, **settings)  # type: ignore[arg-type]

    def prompt_ref(self, task: str) -> str:
        """The prompt chosen for `task` (`extract@v2` when given), else the task's default."""
        for ref in self.prompts:
            if ref.partition("@")[0] == task:
                return ref
        return task

    def fingerprint(self, backend: Mapping[str, object]) -> str:
        """Identifies what an output depends on (this config and the backend's identity: provider,
        model, endpoint, mode), so resume never mixes configurations or servers."""
        data = {k: v for k, v in asdict(self).items() if k != "max_tokens_total"}
        payload = json.dumps([data, dict(backend)], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def with_prompts(defaults: tuple[str, ...], overrides: tuple[str, ...]) -> tuple[str, ...]:
    """Replace default prompt refs by task with `--prompt` overrides (`extract@v2`)."""
    chosen = {ref.partition("@")[0]: ref for ref in defaults}
    for ref in overrides:
        chosen[ref.partition("@")[0]] = ref
    return tuple(chosen.values())


@dataclass(frozen=True)
class BackendOptions:
    """Where the model lives. Secrets stay here and never reach outputs or logs."""

    kind: str | None = None  # openai | local | fake | none; None chooses from the environment
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "tools"
    model_path: str | None = None
    fake_script: str | None = None
    timeout_s: float = 120.0  # per request
    max_attempts: int = 5  # per request, transient faults included
    max_concurrency: int = 1  # requests in flight across a run (-j)
    rpm: float | None = None  # requests per minute to stay under (--rpm)
    tpm: float | None = None  # tokens per minute to stay under (--tpm)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> BackendOptions:
        env = os.environ if env is None else env
        values: dict[str, object] = {
            "model": env.get("SUMMARIZER_MODEL") or None,
            "base_url": env.get("OPENAI_BASE_URL") or None,
            "api_key": env.get("OPENAI_API_KEY") or None,
            "mode": env.get("SUMMARIZER_MODE") or "tools",
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def resolved_kind(self) -> str:
        if self.kind:
            return self.kind
        return "openai" if (self.model or self.base_url) else "local"
