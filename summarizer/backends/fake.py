"""A scripted backend for tests and dry runs: records calls, returns queued values or raises.

Like httpx's MockTransport: `FakeBackend(handler=...)` answers with a function;
`enqueue()` queues values or exceptions; `history` records every call. With nothing queued it
returns the response model's `fake_default()` (empty extractions) or, for any other model, the
smallest instance that validates, so a run with any strategy still completes. Scripted data that
does not validate raises `OutputError`, as a real model's bad answer would.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from summarizer.backends.base import Backend, Completion, M, Message
from summarizer.backends.limits import request_slot
from summarizer.core.config import BackendKind
from summarizer.core.errors import OutputError
from summarizer.core.models import UsageRecord

Handler = Callable[[list[Message], type[BaseModel]], Any]


@dataclass
class FakeCall:
    messages: list[Message]
    response_model: type[BaseModel]
    prompt_id: str
    max_tokens: int | None = None


class FakeBackend(Backend):
    name: ClassVar[str] = BackendKind.fake

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
        with request_slot():
            self.history.append(FakeCall(messages, response_model, prompt_id, max_tokens))
            item = self._next(messages, response_model)
        if isinstance(item, BaseException):
            raise item
        value = item if isinstance(item, response_model) else _validate(response_model, item, prompt_id)
        usage = UsageRecord(prompt_tokens=_count_tokens(messages), completion_tokens=0)
        return Completion(value=value, model=self.model, attempts=[usage])

    def _next(self, messages: list[Message], response_model: type[BaseModel]) -> Any:
        if self.queue:
            return self.queue.popleft()
        if self.handler is not None:
            return self.handler(messages, response_model)
        default = getattr(response_model, "fake_default", None)
        return default() if default else minimal_instance(response_model)


def _validate(response_model: type[M], item: Any, prompt_id: str) -> M:
    try:
        return response_model.model_validate(item)
    except ValidationError as exc:
        raise OutputError(
            f"fake backend: scripted answer for {prompt_id} is not a valid {response_model.__name__}: "
            f"{exc.error_count()} error(s), first: {exc.errors()[0]['msg']}"
        ) from None


def minimal_instance(model: type[M]) -> M:
    """The smallest valid instance of `model`: every required field at its simplest value."""
    values = {name: _simplest(f.annotation) for name, f in model.model_fields.items() if f.is_required()}
    return model.model_validate(values)


def _simplest(annotation: Any) -> Any:
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is type(None) or (origin in (Union, UnionType) and type(None) in args):
        return None
    if origin in (Union, UnionType):
        return _simplest(args[0])
    if origin is Literal:
        return args[0]
    if origin is Annotated:
        return _simplest(args[0])
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set, frozenset):
        return []
    if origin is dict or annotation is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return minimal_instance(annotation).model_dump()
    simple: dict[Any, Any] = {str: "", int: 0, float: 0.0, bool: False}
    return simple.get(annotation)


def _count_tokens(messages: list[Message]) -> int:
    # A stand-in count (one token per character) so usage accounting is exercised in tests.
    return sum(len(m.get("content", "")) for m in messages)
