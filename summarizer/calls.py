"""Model calls of one article: render a prompt, call the backend, keep every attempt's usage,
respect the run's token ceiling."""

from __future__ import annotations

import threading

from summarizer.backends.base import Backend, M
from summarizer.errors import BackendError, BudgetExceeded
from summarizer.models import UsageRecord
from summarizer.prompts import Prompt


class TokenBudget:
    """A run-wide ceiling on tokens; shared by every article's calls (thread-safe)."""

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


class ModelCalls:
    """The calls one article makes; `attempts` and `prompt_ids` end up in its provenance."""

    def __init__(self, backend: Backend, budget: TokenBudget | None = None) -> None:
        self.backend = backend
        self.budget = budget or TokenBudget(None)
        self.attempts: list[UsageRecord] = []
        self.prompt_ids: list[str] = []

    def ask(self, prompt: Prompt, response_model: type[M], max_tokens: int | None = None, **values: str) -> M:
        self.budget.check()
        if prompt.id not in self.prompt_ids:
            self.prompt_ids.append(prompt.id)
        try:
            completion = self.backend.complete(
                prompt.render(**values), response_model, prompt_id=prompt.id, max_tokens=max_tokens
            )
        except BackendError as exc:
            self._record(exc.attempts)
            raise
        self._record(completion.attempts)
        return completion.value

    def _record(self, attempts: list[UsageRecord]) -> None:
        self.attempts.extend(attempts)
        self.budget.spend(attempts)

    @property
    def calls(self) -> int:
        return sum(1 for a in self.attempts if not a.cached)
