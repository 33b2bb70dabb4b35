"""Model calls of one article: render a prompt, call the backend, keep every attempt's usage,
respect the run's token ceiling and its limit on requests in flight."""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import TypeVar

from summarizer.backends.base import Backend, Completion, M
from summarizer.backends.limits import REQUEST_SLOT
from summarizer.core.errors import BackendError, BudgetExceeded, Deferred
from summarizer.core.models import UsageRecord
from summarizer.llm.prompts import Prompt

T = TypeVar("T")
R = TypeVar("R")


class TokenBudget:
    """A run-wide ceiling on tokens; shared by every article's calls (thread-safe).

    A run may also give it `slot()` (a place among the requests in flight, held by the backend
    around each request it sends: `summarizer.backends.limits.request_slot`)
    and `fan_out` (an executor for requests of one article that do not depend on each other)."""

    fan_out: Executor | None = None

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def check(self) -> None:
        if self.limit is not None and self.used >= self.limit:
            raise BudgetExceeded(
                f"token ceiling reached ({self.used} >= {self.limit}); rerun to resume, "
                "or raise --max-tokens-total"
            )

    def spend(self, attempts: list[UsageRecord]) -> None:
        with self._lock:
            self.used += sum(a.ceiling_tokens for a in attempts)

    def slot(self) -> contextlib.AbstractContextManager[object]:
        return contextlib.nullcontext()


class ModelCalls:
    """The calls one article makes; `attempts` and `prompt_ids` end up in its provenance."""

    def __init__(self, backend: Backend, budget: TokenBudget | None = None) -> None:
        self.backend = backend
        self.budget = budget or TokenBudget(None)
        self.attempts: list[UsageRecord] = []
        self.prompt_ids: list[str] = []

    def ask(self, prompt: Prompt, response_model: type[M], max_tokens: int | None = None, **values: str) -> M:
        return self.complete(prompt, response_model, max_tokens, **values).value

    def complete(
        self, prompt: Prompt, response_model: type[M], max_tokens: int | None = None, **values: str
    ) -> Completion[M]:
        """`ask`, returning the whole completion (its value and the model that answered). Either
        way the budget is checked before the call and every attempt is recorded and spent."""
        self.budget.check()
        if prompt.id not in self.prompt_ids:
            self.prompt_ids.append(prompt.id)
        messages = prompt.render(**values)
        token = REQUEST_SLOT.set(self._slot)  # the backend holds it around each request it sends
        try:
            completion = self.backend.complete(
                messages, response_model, prompt_id=prompt.id, max_tokens=max_tokens
            )
        except BackendError as exc:
            self._record(exc.attempts)
            raise
        finally:
            REQUEST_SLOT.reset(token)
        self._record(completion.attempts, spend=not completion.replayed)
        return completion

    @contextlib.contextmanager
    def _slot(self) -> Iterator[None]:
        with self.budget.slot():
            self.budget.check()  # again: what was spent while this request waited for its slot counts
            yield

    def map(self, fn: Callable[[ModelCalls, T], R], items: list[T]) -> list[R]:
        """`fn(calls, item)` for every item, concurrently when the run gives a `fan_out` executor.

        Results, attempts and prompt ids come back in item order whatever order the answers came
        in, so an article's output does not depend on timing. Every item runs to its end; then the
        first failure (in item order) is raised."""
        pool = self.budget.fan_out
        if pool is None or len(items) < 2:
            return self._map_serially(fn, items)
        children = [ModelCalls(self.backend, self.budget) for _ in items]
        # The first item runs in this thread, the others in the pool (fewer threads to start).
        futures: list[Future[R]] = [
            pool.submit(contextvars.copy_context().run, fn, child, item)
            for child, item in zip(children[1:], items[1:], strict=True)
        ]
        first: Future[R] = Future()
        try:
            first.set_result(fn(children[0], items[0]))
        except BaseException as exc:  # re-raised below, once every item has ended
            first.set_exception(exc)
        results: list[R] = []
        error: BaseException | None = None
        for child, future in zip(children, [first, *futures], strict=True):
            try:
                results.append(future.result())
            except BaseException as exc:  # re-raised below, once every item has ended
                error = error or exc
            self.attempts.extend(child.attempts)
            self.prompt_ids.extend(p for p in child.prompt_ids if p not in self.prompt_ids)
        if error is not None:
            raise error
        return results

    def _map_serially(self, fn: Callable[[ModelCalls, T], R], items: list[T]) -> list[R]:
        """One item after another; the first failure stops the rest, except a `Deferred` answer
        (a Batch API round): the other items still say what they need, then it is raised."""
        results: list[R] = []
        deferred: Deferred | None = None
        for item in items:
            try:
                results.append(fn(self, item))
            except Deferred as exc:
                deferred = deferred or exc
        if deferred is not None:
            raise deferred
        return results

    def _record(self, attempts: list[UsageRecord], spend: bool = True) -> None:
        self.attempts.extend(attempts)
        if spend:
            self.budget.spend(attempts)

    @property
    def calls(self) -> int:
        return sum(1 for a in self.attempts if not a.cached)
