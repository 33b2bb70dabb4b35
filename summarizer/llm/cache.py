"""A SQLite response cache in front of any backend.

Key: sha256 of the backend's identity (provider, model, endpoint, mode, temperature: everything
that can change an answer), prompt id@version, the response model's JSON schema, the rendered
messages and max_tokens. The API key is never part of a key or a row. Schema changes are
numbered migrations (PRAGMA user_version), applied in order on open.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import threading
from abc import abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel

from summarizer.backends.base import Backend, Completion, M, Message, WrappingBackend
from summarizer.core.models import UsageRecord

MIGRATIONS = [
    """CREATE TABLE responses (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        value TEXT NOT NULL,
        created REAL NOT NULL DEFAULT (julianday('now'))
    )""",
]


class ResponseCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._migrate()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        for number, statement in enumerate(MIGRATIONS[version:], start=version + 1):
            self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {number}")

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, model: str, prompt_id: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, model, prompt_id, value) VALUES (?, ?, ?, ?)",
                (key, model, prompt_id, value),
            )

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        self._db.close()


def cache_key(
    backend: Backend, messages: list[Message], schema: dict[str, Any], prompt_id: str, max_tokens: int | None
) -> str:
    payload = [backend.identity(), prompt_id, schema, messages, max_tokens]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@functools.lru_cache(maxsize=64)
def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """A response model's JSON schema, built once (1.7 ms each time pydantic builds it)."""
    return model.model_json_schema()


class ReplayingBackend(WrappingBackend):
    """Answers a request from earlier answers when it can (`replay`); otherwise asks the wrapped
    backend and keeps the answer (`record`). One key for both kinds of store: `cache_key`."""

    def complete(
        self,
        messages: list[Message],
        response_model: type[M],
        *,
        prompt_id: str,
        max_tokens: int | None = None,
    ) -> Completion[M]:
        key = cache_key(self.inner, messages, schema_of(response_model), prompt_id, max_tokens)
        replayed = self.replay(key, response_model)
        if replayed is not None:
            return replayed
        completion = self.inner.complete(messages, response_model, prompt_id=prompt_id, max_tokens=max_tokens)
        self.record(key, prompt_id, completion)
        return completion

    @abstractmethod
    def replay(self, key: str, response_model: type[M]) -> Completion[M] | None:
        """The stored answer under `key`, or None."""

    @abstractmethod
    def record(self, key: str, prompt_id: str, completion: Completion[Any]) -> None:
        """Keep a new answer under `key`."""


class CachedBackend(ReplayingBackend):
    """Answers from the cache when it can; otherwise asks the wrapped backend and stores the answer."""

    name: ClassVar[str] = "cached"

    def __init__(self, inner: Backend, cache: ResponseCache) -> None:
        super().__init__(inner)
        self.cache = cache

    def replay(self, key: str, response_model: type[M]) -> Completion[M] | None:
        hit = self.cache.get(key)
        if hit is None:
            return None
        value = response_model.model_validate_json(hit)
        return Completion(value=value, model=self.model, attempts=[UsageRecord(cached=True)])

    def record(self, key: str, prompt_id: str, completion: Completion[Any]) -> None:
        self.cache.put(key, self.model, prompt_id, completion.value.model_dump_json())

    def close(self) -> None:
        self.inner.close()
        self.cache.close()
