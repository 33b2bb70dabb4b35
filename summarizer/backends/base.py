"""The one backend interface: messages and a pydantic model in, a validated instance out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from summarizer.models import UsageRecord

M = TypeVar("M", bound=BaseModel)
Message = dict[str, str]


@dataclass
class Completion(Generic[M]):
    """A validated result and the usage of every attempt it took (failed ones included)."""

    value: M
    model: str
    attempts: list[UsageRecord] = field(default_factory=list)
    # Answered from a run dir's own record of an earlier run (see `summarizer.answers`): its
    # attempts are what that run spent, reported again but not spent again.
    replayed: bool = False


class Backend(ABC):
    """A model provider. Subclasses set `name` and implement `complete`.

    `complete` raises `BackendError` (with the attempts spent) when no valid value can be had;
    transient faults are retried inside the backend, configuration errors are not.
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


def backend_identity(backend: Backend | None) -> tuple[str, str]:
    """(provider name, model) as outputs record them; ("none", "none") when no model is used."""
    return (backend.name, backend.model) if backend is not None else ("none", "none")
