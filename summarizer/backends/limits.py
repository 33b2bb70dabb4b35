"""How many requests a run has in flight, and how fast it sends them.

Two layers, each for its own question:
- `RequestSlots` (any backend): at most `-j` model calls in flight across the whole run, not per
  article. A backend holds its place (`request_slot()`) around the request itself only: the bytes
  on the wire and the model's work, not the building of the request, the parsing and validating
  of the answer or a retry's backoff (a slot held around the whole call stood idle through the
  client's work at both ends of every request, and through every backoff). Among waiting calls,
  an article's first calls (its chunks) go before the later calls of other articles (the
  article-fields call), the oldest article first among equals, so the end of a run still has
  enough calls waiting to fill every slot (`summarizer.runs.runner`).
- `RateLimiter` (HTTP backends): what the provider accepts. Requests per minute and tokens per
  minute from options and from the provider's `x-ratelimit-*` headers; on a 429 the whole run
  slows down: one shared pause (`Retry-After`, else exponential, with jitter), and the window of
  requests in flight is cut to what was in flight when the provider said no (AIMD). It starts at
  half of `-j` and grows by one per request the provider accepts until the first 429 (TCP's
  slow start), then by one per `probe` answers, `probe` doubling after each probe the provider
  rejects. During slow start a request counts as accepted when it is answered, or when it has
  been in flight `ACCEPTED_S` without a 429 (a server at its capacity rejects at once): growing
  only on answers kept a 0.5 s server at half of `-j` for the whole first half second.
  Measured in `bench/bench_scale.py`: a server allowing 8 in flight, `-j 32`, 100 articles.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import itertools
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from summarizer.core.errors import Interrupted

# What `request_slot()` enters: set by the caller of a backend (`summarizer.llm.calls.ModelCalls`)
# for the length of one call; None outside a run (no limit).
REQUEST_SLOT: contextvars.ContextVar[Callable[[], contextlib.AbstractContextManager[object]] | None] = (
    contextvars.ContextVar("request_slot", default=None)
)


def request_slot() -> contextlib.AbstractContextManager[object]:
    """The run's place among the requests in flight: a backend holds it around one request's
    transport and model work (an HTTP exchange, one local generation), and nothing else."""
    enter = REQUEST_SLOT.get()
    return enter() if enter is not None else contextlib.nullcontext()


MAX_PAUSE_S = 60.0
ACCEPTED_S = 0.1  # in flight this long without a 429: accepted (slow start only)
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")


class RequestSlots:
    """At most `limit` calls in flight; a waiting call with a lower `priority` goes first (an int,
    or a tuple: `(step, article order)` in a run).

    A freed slot is handed to exactly one waiter (its own event): with hundreds of calls waiting,
    waking them all on every release cost more CPU than the requests themselves."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._lock = threading.Lock()
        self._busy = 0
        self._waiting: list[tuple[Any, int, threading.Event]] = []
        self._order = itertools.count()
        self._closed = False
        self.peak = 0

    @contextlib.contextmanager
    def hold(self, priority: int | tuple[int, ...] = 0) -> Iterator[None]:
        self._acquire(priority)
        try:
            yield
        finally:
            self._release()

    def _acquire(self, priority: int | tuple[int, ...]) -> None:
        with self._lock:
            if self._closed:
                raise Interrupted("the run was stopped before this request was sent")
            if self._busy < self.limit and not self._waiting:
                self._take()
                return
            ready = threading.Event()
            heapq.heappush(self._waiting, (priority, next(self._order), ready))
        ready.wait()
        if self._closed:
            raise Interrupted("the run was stopped before this request was sent")

    def _take(self) -> None:
        self._busy += 1
        self.peak = max(self.peak, self._busy)

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1
            if self._waiting and not self._closed:
                _, _, ready = heapq.heappop(self._waiting)
                self._take()  # handed over: the waiter holds it when it wakes
                ready.set()

    def close(self) -> None:
        """Refuse every waiting and future call (the run is stopping)."""
        with self._lock:
            self._closed = True
            waiting, self._waiting = self._waiting, []
        for _, _, ready in waiting:
            ready.set()


@dataclass
class LimiterStats:
    requests: int = 0
    rate_limited: int = 0  # 429 answers
    paused_s: float = 0.0  # shared pauses asked for by 429s and exhausted rate-limit headers
    window: int = 0  # requests allowed in flight at the end
    smallest_window: int = 0
    peak_in_flight: int = 0


class RateLimiter:
    def __init__(
        self,
        max_concurrency: int,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.ceiling = max(1, max_concurrency)
        self.window = max(1, self.ceiling // 2)
        self.rpm, self.tpm = rpm, tpm
        self._clock, self._rng = clock, rng
        self._cond = threading.Condition()
        self._in_flight = 0
        self._pause_until = 0.0
        self._next_start = 0.0  # RPM pacing
        self._tokens = float(tpm or 0)  # TPM bucket
        self._tokens_at = clock()
        self._slow_start = True
        self._unconfirmed: deque[float] = deque()  # send times not yet counted as accepted
        self._good = 0
        self._probe = 2 * self.ceiling
        self._consecutive_429 = 0
        self.stats = LimiterStats(window=self.window, smallest_window=self.window)

    # -- sending --

    def acquire(self, tokens: int = 0) -> None:
        with self._cond:
            while True:
                delay = self._delay(tokens)
                confirm_in = self._confirm_accepted()
                if delay <= 0 and self._in_flight < self.window:
                    break
                if delay <= 0:
                    delay = confirm_in if confirm_in is not None else 0.0
                elif confirm_in is not None:
                    delay = min(delay, confirm_in)
                self._cond.wait(timeout=delay if delay > 0 else None)
            self._in_flight += 1
            self.stats.requests += 1
            self.stats.peak_in_flight = max(self.stats.peak_in_flight, self._in_flight)
            now = self._clock()
            if self._slow_start:
                self._unconfirmed.append(now)
            if self.rpm:
                self._next_start = max(now, self._next_start) + 60.0 / self.rpm
            if self.tpm:
                self._tokens -= min(tokens, self.tpm)

    def _confirm_accepted(self) -> float | None:
        """Slow start: one more in the window per request in flight `ACCEPTED_S` without a 429;
        the seconds until the next one is due, or None."""
        if not self._slow_start:
            self._unconfirmed.clear()
            return None
        now = self._clock()
        while self._unconfirmed and self._unconfirmed[0] + ACCEPTED_S <= now:
            self._unconfirmed.popleft()
            self._grow()
        return self._unconfirmed[0] + ACCEPTED_S - now if self._unconfirmed else None

    def _grow(self) -> None:
        if self.window < self.ceiling:
            self.window += 1
        self.stats.window = self.window

    def _delay(self, tokens: int) -> float:
        now = self._clock()
        delay = max(self._pause_until - now, 0.0)
        if self.rpm:
            delay = max(delay, self._next_start - now)
        if self.tpm:
            self._tokens = min(float(self.tpm), self._tokens + (now - self._tokens_at) * self.tpm / 60.0)
            self._tokens_at = now
            missing = min(tokens, self.tpm) - self._tokens
            delay = max(delay, missing * 60.0 / self.tpm)
        return delay

    def release(self, status: int | None, headers: Mapping[str, str] | None = None) -> None:
        """Called when a response's head arrived (`status`), or the request failed (None)."""
        with self._cond:
            self._in_flight -= 1
            if status == 429:
                self._rejected(headers or {})
            elif status is not None:
                self._consecutive_429 = 0
                self._answered()
            self._pause_for_headers(headers or {})
            self._cond.notify_all()

    def _rejected(self, headers: Mapping[str, str]) -> None:
        self.stats.rate_limited += 1
        self._consecutive_429 += 1
        if not self._slow_start:  # past slow start, a 429 answers the last probe: probe less often
            self._probe *= 2
        self._slow_start = False
        self._good = 0
        self.window = max(1, min(self.window - 1, self._in_flight))
        self.stats.smallest_window = min(self.stats.smallest_window, self.window)
        wait = retry_after_seconds(headers)
        if wait is None:
            wait = min(MAX_PAUSE_S, 0.5 * 2 ** (self._consecutive_429 - 1))
        self._pause(wait * (1.0 + 0.2 * self._rng()))  # jitter: retries do not land together

    def _answered(self) -> None:
        if self._slow_start:
            if self._unconfirmed:  # not yet counted as accepted (the oldest stands for it)
                self._unconfirmed.popleft()
                self._grow()
            return
        self._good += 1
        if self.window < self.ceiling and self._good >= self._probe:
            self._good = 0
            self._grow()

    def _pause_for_headers(self, headers: Mapping[str, str]) -> None:
        for kind in ("requests", "tokens"):
            remaining = headers.get(f"x-ratelimit-remaining-{kind}")
            if remaining is not None and remaining.strip() == "0":
                reset = parse_duration(headers.get(f"x-ratelimit-reset-{kind}", ""))
                self._pause(reset if reset is not None else 1.0)

    def _pause(self, seconds: float) -> None:
        seconds = min(max(seconds, 0.0), MAX_PAUSE_S)
        until = self._clock() + seconds
        if until > self._pause_until:
            self.stats.paused_s += until - max(self._pause_until, self._clock())
            self._pause_until = until

    def snapshot(self) -> dict[str, Any]:
        with self._cond:
            self.stats.window = self.window
            data = asdict(self.stats)
        data["paused_s"] = round(data["paused_s"], 3)
        return data


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`retry-after-ms` or `retry-after` (seconds) as seconds; None when absent or not a number."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue
    return None


def parse_duration(text: str) -> float | None:
    """OpenAI's reset durations (`1s`, `6m0s`, `20ms`, `1h2m3.5s`) as seconds."""
    parts = _DURATION.findall(text.strip())
    if not parts:
        try:
            return max(0.0, float(text))
        except ValueError:
            return None
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    return sum(float(number) * scale[unit] for number, unit in parts)


def limited_client(client_class: type, limiter: RateLimiter, *args: Any, **kwargs: Any) -> Any:
    """An instance of `client_class` (an httpx client) whose every `send` goes through `limiter`.

    At the client, not the transport: the wait for the limiter is not part of the request's
    `--timeout` deadline (which starts in `send`), and proxied requests are limited too."""

    class LimitedClient(client_class):  # type: ignore[misc]
        def send(self, request: Any, **options: Any) -> Any:
            try:
                size = len(request.content)
            except Exception:  # a streamed body: no estimate
                size = 0
            with request_slot():  # the run's -j first (its order among articles), then the provider's pace
                limiter.acquire(tokens=size // 3)  # ~3 UTF-8 bytes per CJK character, ~1 token each
                status, headers = None, None
                try:
                    response = super().send(request, **options)
                    status, headers = response.status_code, response.headers
                    return response  # the body is read: the backend never streams
                finally:
                    limiter.release(status, headers)

    return LimitedClient(*args, **kwargs)
