"""Run configuration: one frozen object passed explicitly, and the names a run is configured with
(`Strategy`, `BackendKind`, `Mode`). Only this module and the CLI read the environment
(`SUMMARIZER_MODEL`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`, `SUMMARIZER_MODE`, `SUMMARIZER_CACHE_DIR`,
`XDG_CACHE_HOME`); `tests/test_environment.py` keeps it so."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from summarizer.core.errors import ConfigError


class Strategy(StrEnum):
    """How an article's initiatives are found (see `summarizer.strategies`)."""

    single = "single"
    decomposed = "decomposed"
    choose = "choose"
    rules = "rules"


class BackendKind(StrEnum):
    """Where the model lives: `--backend`, and the provider name outputs record."""

    openai = "openai"
    local = "local"
    fake = "fake"
    none = "none"


class Mode(StrEnum):
    """How an OpenAI-compatible server's output is constrained (`--mode`, `SUMMARIZER_MODE`)."""

    tools = "tools"
    json_schema = "json_schema"
    json = "json"


STRATEGIES = tuple(Strategy)
KINDS = tuple(BackendKind)
MODES = tuple(Mode)
# The strategy each backend kind gets unless one is asked for: the library and the CLI both use
# `RunConfig.for_backend`, so `summarize()` and `summarizer run` never differ.
DEFAULT_STRATEGY: dict[str, Strategy] = {
    BackendKind.local: Strategy.decomposed,
    BackendKind.none: Strategy.rules,
    BackendKind.openai: Strategy.single,
    BackendKind.fake: Strategy.single,
}
DEFAULT_PROMPTS = ("extract@v1", "article@v2")


@dataclass(frozen=True)
class RunConfig:
    strategy: Strategy = Strategy.single
    chunk_chars: int = 3000
    overlap_chars: int = 150
    prompts: tuple[str, ...] = DEFAULT_PROMPTS
    max_tokens_per_call: int = 2048
    max_tokens_total: int | None = None
    model_writes_article_fields: bool = True

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ConfigError(f"unknown strategy {str(self.strategy)!r}; use one of {', '.join(STRATEGIES)}")
        object.__setattr__(self, "strategy", Strategy(self.strategy))  # "rules" given: Strategy.rules kept
        if self.chunk_chars < 200:
            raise ConfigError("--chunk-chars must be at least 200")
        if not 0 <= self.overlap_chars < self.chunk_chars / 2:
            raise ConfigError(
                f"--overlap-chars {self.overlap_chars} must be at least 0 and less than half of --chunk-chars "
                f"({self.chunk_chars}): more overlap repeats more of each chunk than it adds"
            )

    @classmethod
    def for_backend(cls, kind: str, strategy: Strategy | None = None, **settings: object) -> RunConfig:
        """The defaults for a backend kind (`local`, `openai`, `fake`, `none`; any other name, such as
        a test's own backend, gets `rules`): its strategy, and the model writes the article fields
        (place, summary) only with the `single` strategy."""
        chosen = Strategy(strategy) if strategy else DEFAULT_STRATEGY.get(kind, Strategy.rules)
        settings.setdefault("model_writes_article_fields", chosen == Strategy.single)
        return cls(strategy=chosen, **settings)  # type: ignore[arg-type]

    def prompt_ref(self, task: str) -> str:
        """The prompt chosen for `task` (`extract@v2` when given), else the task's default."""
        for ref in self.prompts:
            if ref.partition("@")[0] == task:
                return ref
        return task

    def prompt_or(self, task: str, default: str) -> str:
        """The prompt chosen for `task` when one was given, else `default` (a strategy's own version)."""
        chosen = self.prompt_ref(task)
        return chosen if chosen != task else default

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

    kind: BackendKind | None = None  # None chooses from the environment
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    # A `Mode`; an unknown name (SUMMARIZER_MODE=typo) is kept as given, and refused only when an
    # OpenAI-compatible backend is built: it means nothing to the other backends.
    mode: Mode | str = Mode.tools
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
            "mode": env.get("SUMMARIZER_MODE") or Mode.tools,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self.kind is not None:
            if self.kind not in KINDS:
                raise ConfigError(f"unknown backend {str(self.kind)!r}; use one of {', '.join(KINDS)}")
            object.__setattr__(self, "kind", BackendKind(self.kind))
        if self.mode in MODES:
            object.__setattr__(self, "mode", Mode(self.mode))

    def resolved_kind(self) -> BackendKind:
        if self.kind:
            return self.kind
        return BackendKind.openai if (self.model or self.base_url) else BackendKind.local


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user cache of responses: `$SUMMARIZER_CACHE_DIR`, else `$XDG_CACHE_HOME/summarizer`,
    else `~/.cache/summarizer`."""
    env = os.environ if env is None else env
    base = env.get("SUMMARIZER_CACHE_DIR") or os.path.join(
        env.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "summarizer"
    )
    return Path(base)


def native_probe_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the native runtime's probe result is remembered: `$SUMMARIZER_CACHE_DIR`, else
    `~/.cache/summarizer` (`XDG_CACHE_HOME` is not consulted here, as it never was)."""
    env = os.environ if env is None else env
    return Path(env.get("SUMMARIZER_CACHE_DIR") or Path.home() / ".cache" / "summarizer")
