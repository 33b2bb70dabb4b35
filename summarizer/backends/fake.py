"""A scripted backend for tests and dry runs: records calls, returns queued values or raises.

Like httpx's MockTransport: `FakeBackend(handler=...)` answers with a function;
`enqueue()` queues values or exceptions; `history` records every call. With nothing queued it
returns the response model's `fake_default()` (empty extractions), so a run still completes.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel

from summarizer.backends.base import Backend, Completion, M, Message
from summarizer.models import UsageRecord

Handler = Callable[[list[Message], type[BaseModel]], Any]


@dataclass
class FakeCall:
    messages: list[Message]
    response_model: type[BaseModel]
    prompt_id: str
    max_tokens: int | None = None


class FakeBackend(Backend):
    name: ClassVar[str] = "fake"

    def __init__(self, handler: Handler | None = None, model: str = "fake") -> None:
        self.model = model
        self.handler = handler
        self.queue: deque[Any] = deque()
        self.history: list[FakeCall] = []

    @classmethod
    def from_jsonl(cls, path: Path) -> FakeBackend:
        """Queue one JSON payload per line of `path`, answered in order."""
        backend = cls()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                backend.enqueue(json.loads(line))
        return backend

    def enqueue(self, *items: Any) -> None:
        """Queue values (model instances or dicts) or exceptions to raise, in order."""
        self.queue.extend(items)

    def complete(
        self,
        messages: list[Message],
        response_model: type[M],
        *,
        prompt_id: str,
        max_tokens: int | None = None,
    ) -> Completion[M]:
        self.history.append(FakeCall(messages, response_model, prompt_id, max_tokens))
        item = self._next(messages, response_model)
        if isinstance(item, BaseException):
            raise item
        value = item if isinstance(item, response_model) else response_model.model_validate(item)
        usage = UsageRecord(prompt_tokens=_count_tokens(messages), completion_tokens=0)
        return Completion(value=value, model=self.model, attempts=[usage])

    def _next(self, messages: list[Message], response_model: type[BaseModel]) -> Any:
        if self.queue:
            return self.queue.popleft()
        if self.handler is not None:
            return self.handler(messages, response_model)
        default = getattr(response_model, "fake_default", None)
        return default() if default else response_model()


def _count_tokens(messages: list[Message]) -> int:
    # A stand-in count (one token per character) so usage accounting is exercised in tests.
    return sum(len(m.get("content", "")) for m in messages)
