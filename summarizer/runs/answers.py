"""The answers a run dir has received for its unfinished articles, so a resume never asks twice.

Every answer is appended to `<run>/.answers.jsonl` as it arrives (key, article, value, the usage
of the attempts it took), with or without `--no-cache`: the response cache is a shared, optional
speed-up keyed across run dirs, this file is the run dir's own record that resume depends on. A
rerun answers those requests from it; their attempts are reported again in the article's
provenance (they were spent, by the run that asked) but not spent again against the token
ceiling. When a run ends, the answers of articles that are done are dropped, and the file with
them when none is left.
"""

from __future__ import annotations

import contextvars
import json
import threading
from pathlib import Path
from typing import Any, ClassVar

from summarizer.backends.base import Backend, Completion, M
from summarizer.core.models import UsageRecord
from summarizer.llm.cache import ReplayingBackend
from summarizer.runs.rundir import ANSWERS, write_atomic

# The article whose calls are being made (set by the runner; carried into fan-out threads).
CURRENT_ARTICLE: contextvars.ContextVar[str | None] = contextvars.ContextVar("article", default=None)


class AnswerStore:
    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / ANSWERS
        self._lock = threading.Lock()
        self._answers: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                    self._answers[str(entry["key"])] = entry
                except (ValueError, KeyError, TypeError):
                    continue  # a torn last line
        self._handle: Any = None

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: str) -> dict[str, Any] | None:
        return self._answers.get(key)

    def put(self, key: str, article: str | None, value: str, attempts: list[UsageRecord]) -> None:
        entry = {
            "key": key,
            "article": article,
            "value": value,
            "attempts": [a.model_dump() for a in attempts],
        }
        with self._lock:
            if self._handle is None:
                self._handle = self.path.open("a", encoding="utf-8")
            self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            self._handle.flush()
            self._answers[key] = entry

    def drop_articles(self, done: set[str]) -> None:
        """Forget the answers of articles that are done; remove the file when nothing is left."""
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
            kept = [e for e in self._answers.values() if e.get("article") not in done]
            if len(kept) == len(self._answers) and self.path.is_file():
                return
            self._answers = {str(e["key"]): e for e in kept}
            if kept:
                write_atomic(self.path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept))
            else:
                self.path.unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None


class AnsweringBackend(ReplayingBackend):
    """Answers from the run dir's store when it can; otherwise asks `inner` and records the answer."""

    name: ClassVar[str] = "answers"

    def __init__(self, inner: Backend, store: AnswerStore) -> None:
        super().__init__(inner)
        self.store = store

    def replay(self, key: str, response_model: type[M]) -> Completion[M] | None:
        entry = self.store.get(key)
        if entry is None:
            return None
        value = response_model.model_validate_json(entry["value"])
        attempts = [UsageRecord.model_validate(a) for a in entry["attempts"]]
        return Completion(value=value, model=self.model, attempts=attempts, replayed=True)

    def record(self, key: str, prompt_id: str, completion: Completion[Any]) -> None:  # noqa: ARG002
        if not all(a.cached for a in completion.attempts):  # the shared cache keeps those already
            self.store.put(
                key, CURRENT_ARTICLE.get(), completion.value.model_dump_json(), completion.attempts
            )
