"""The HTTP client of the OpenAI-compatible backend: a wall-clock deadline for each request
(`--timeout`), and a 2xx answer that is not JSON (a web page) recognised as such.

httpx's timeouts bound each wait (connecting, one read), not the request: a server that sends one
byte every 0.5 s never trips a 5 s read timeout (issue 12 measured 135 s before an error with
`--timeout 5 --max-attempts 2`). `ApiHttpClient.send` gives each request a deadline, kept by one watchdog
thread for the whole process (`_Watchdog`); when it passes, the sockets of that request are shut
down, the blocked read fails at once, and the failure is
raised as `ReadTimeout`, which the openai client reports as `APITimeoutError` (transient: retried
like any timeout, within `--max-attempts`). The deadline starts with the request's first network
event (httpcore's first trace call), not in `send`: time spent waiting for the rate limiter's
permission (`summarizer.backends.limits`, a transport above the network) is not the server's time.

The sockets come from httpcore's `trace` extension as each connection opens (redirect hops
included). Keep-alive is therefore off: every request opens its own connection, so its socket is
known before a byte is sent, and a deadline that passes late can never cut a connection that another
request has taken from the pool. The backend never streams, so `send` returns with the whole body.

A base URL that points at a website answers 200 with HTML; the openai client would hand the page
on as a string (`AttributeError: 'str' object has no attribute 'choices'`, after three requests).
`send` raises `NotAnAPIResponse` with the content type and the first bytes instead.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import openai

from summarizer.core.errors import Interrupted

try:  # the HTTP client the openai SDK is built on: httpx2 from openai 3, httpx before
    import httpx2 as httpx
except ImportError:  # pragma: no cover - older openai
    import httpx  # type: ignore[no-redef]

Trace = Callable[[str, dict[str, Any]], None]
HEAD_BYTES = 80  # of a non-JSON answer, quoted in the error
_CONNECT_EVENTS = ("connection.connect_tcp.complete", "connection.connect_unix_socket.complete")


class _Watch:
    """The deadline and the sockets of one request."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._started = self._stopped = False

    def trace(self, inner: Trace | None) -> Trace:
        """A `trace` callback that records each new connection's socket, then calls `inner`."""

        def callback(event: str, info: dict[str, Any]) -> None:
            if not self._started:
                self._start()
            stream = info.get("return_value") if event in _CONNECT_EVENTS else None
            if stream is not None:
                self._add(stream.get_extra_info("socket"))
            if inner is not None:
                inner(event, info)

        return callback

    def _add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _start(self) -> None:
        with self._lock:
            if self._started or self._stopped:
                return
            self._started = True
        _WATCHDOG.watch(self)

    def expire(self) -> None:
        """Called by the watchdog at the deadline: a request still going is cut off."""
        with self._lock:
            if self._stopped:
                return  # ended in time: its sockets may already serve another request
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Watch:
        return self

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._stopped = True


class _Watchdog:
    """One daemon thread that fires the deadlines of every request in the process, earliest first.

    A `threading.Timer` per request started a thread per request, and `Thread.start` waits until
    the new thread runs: under a busy GIL that wait was on every request's path (bench/bench_scale.py)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, watch: _Watch) -> None:
        with self._cond:
            deadline = time.monotonic() + watch.seconds
            heapq.heappush(self._heap, (deadline, next(self._order), watch))
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._thread = threading.Thread(target=self._run, name="request-deadlines", daemon=True)
                self._thread.start()
            elif self._heap[0][2] is watch:
                self._cond.notify()  # a nearer deadline than the one the thread sleeps towards

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2]._stopped:
                    heapq.heappop(self._heap)  # ended in time
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, _, watch = self._heap[0]
                left = deadline - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                heapq.heappop(self._heap)
            watch.expire()


_WATCHDOG = _Watchdog()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv at once; close() would not
    except OSError:
        pass  # already closed by its connection


class NotAnAPIResponse(Exception):
    """A successful HTTP answer whose body is not JSON."""

    def __init__(self, url: str, content_type: str, head: bytes) -> None:
        super().__init__(f"{url} answered with {content_type or 'no content type'}, not JSON")
        self.url = url
        self.content_type = content_type
        self.head = head.decode("utf-8", errors="replace")


class SettingsRefused(Interrupted):
    """The server refused this run's settings (key, model, base URL) on an earlier request: no
    more requests go out. The backend reports the refusal itself, once, as a configuration error."""


# What a chat completions endpoint answers to a wrong key, a model it does not serve or a path
# that is no API: nothing another request with the same settings could change.
_REFUSALS = (401, 403, 404)


class ApiHttpClient(openai.DefaultHttpxClient):
    """The openai SDK's default client, with a total deadline of `deadline_s` per request and
    JSON required of every successful answer. Once a completion request is refused (`_REFUSALS`,
    or a web page where the API should be), every later request is refused before it is sent:
    the run's slot is freed as soon as the refusal arrives, and the requests waiting for it must
    not go out while the backend turns the refusal into the run's error."""

    def __init__(self, deadline_s: float, **kwargs: Any) -> None:
        kwargs.setdefault("limits", httpx.Limits(max_connections=1000, max_keepalive_connections=0))
        super().__init__(**kwargs)
        self.deadline_s = deadline_s
        self.refused = threading.Event()

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        completion = request.url.path.rstrip("/").endswith("/chat/completions")
        if completion and self.refused.is_set():
            raise SettingsRefused("the server refused this run's settings; no more requests are sent")
        try:
            response = self._send(request, **kwargs)
        except NotAnAPIResponse:
            if completion:
                self.refused.set()
            raise
        if completion and response.status_code in _REFUSALS:
            self.refused.set()
        return response

    def _send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        watch = _Watch(self.deadline_s)
        request.extensions = {**request.extensions, "trace": watch.trace(request.extensions.get("trace"))}
        with watch:
            try:
                response = super().send(request, **kwargs)
            except httpx.TransportError as exc:
                if not watch.expired:
                    raise
                message = f"no complete answer within {watch.seconds:g} s (the --timeout deadline)"
                raise httpx.ReadTimeout(message, request=request) from exc
        _require_json(response)
        return response


def _require_json(response: httpx.Response) -> None:
    content_type = response.headers.get("content-type", "")
    if not response.is_success or "json" in content_type.lower() or not response.is_stream_consumed:
        return  # an error status has its own handling; a streamed body is not read here
    head = response.content.lstrip()[:HEAD_BYTES]
    if head[:1] in (b"{", b"["):
        return  # JSON under a wrong content type: let the client parse it
    raise NotAnAPIResponse(str(response.request.url), content_type, head)
