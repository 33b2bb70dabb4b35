"""The one backend interface: messages and a pydantic model in, a validated instance out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel

from summarizer.core.config import BackendKind
from summarizer.core.models import UsageRecord

M = TypeVar("M", bound=BaseModel)
Message = dict[str, str]


@dataclass
class Completion(Generic[M]):
    """A validated result and the usage of every attempt it took (failed ones included)."""

    value: M
    model: str
    attempts: list[UsageRecord] = field(default_factory=list)
    # Answered from a run dir's own record of an earlier run (see `summarizer.runs.answers`): its
    # attempts are what that run spent, reported again but not spent again.
    replayed: bool = False


class Backend(ABC):
    """A model provider. Subclasses set `name` and implement `complete`.

    `complete` raises `BackendError` (with the attempts spent) when no valid value can be had;
    transient faults are retried inside the backend, configuration errors are not. Each request
    it sends (each model generation) is made inside `summarizer.backends.limits.request_slot()`,
    which keeps a run's `-j`; what may raise there (the run stopped, its token ceiling reached)
    is raised from `complete` as it is.
    """

    name: ClassVar[str]
    model: str = ""

    @abstractmethod
    def complete(
        self,
        messages: list[Message],
        response_model: type[M],
        *,
        prompt_id: str,
        max_tokens: int | None = None,
    ) -> Completion[M]: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (HTTP pools, model weights)."""

    def identity(self) -> dict[str, object]:
        """Everything about this backend that can change an answer: provider, model, and for
        remote providers the endpoint and mode. Cache keys and resume fingerprints hash it, so an
        answer from one server is never served as another's. Never holds a secret."""
        return {"provider": self.name, "model": self.model}

    @property
    def endpoint(self) -> str | None:
        """Where requests go (scheme://host:port/path, no credentials), or None when in-process."""
        return None


class WrappingBackend(Backend):
    """A backend in front of another (a cache, a run dir's answer store): outputs, cache keys and
    fingerprints name the wrapped provider, so a wrapper never changes who answered."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.model = inner.model
        self.name = inner.name  # type: ignore[misc]  # outputs name the real provider

    def identity(self) -> dict[str, object]:
        return self.inner.identity()

    @property
    def endpoint(self) -> str | None:
        return self.inner.endpoint


def backend_identity(backend: Backend | None) -> tuple[str, str]:
    """(provider name, model) as outputs record them; ("none", "none") when no model is used."""
    return (backend.name, backend.model) if backend is not None else (BackendKind.none, "none")


def backend_details(backend: Backend | None) -> dict[str, object]:
    """`Backend.identity()`, or the identity of "no model" for rules-only runs."""
    return backend.identity() if backend is not None else {"provider": BackendKind.none, "model": "none"}


def normalize_endpoint(base_url: str) -> str:
    """`https://user:key@API.example.com:443/v1/` -> `https://api.example.com/v1`: the same server
    always gives the same string, and credentials or query strings never leave this function."""
    parts = urlsplit(base_url.strip())
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(scheme)
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port in (None, default_port) else f"[{host}]:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))
