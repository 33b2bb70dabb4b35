"""Issue 13, part 1: -j bounds the requests in flight across the run, chunks of one article go out
together, and a rate-limited run finishes every article with few rejected requests."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

from faultserver import SEEDS, FaultServer, cli_env, marker, read_manifest, run_cli, seed_copies
from pydantic import BaseModel

from summarizer.backends.base import Backend, Completion, M, Message
from summarizer.backends.limits import (
    RateLimiter,
    RequestSlots,
    parse_duration,
    request_slot,
    retry_after_seconds,
)
from summarizer.core.models import UsageRecord
from summarizer.llm.calls import ModelCalls, TokenBudget
from summarizer.llm.prompts import Prompt


def test_a_server_with_two_slots_gets_every_article_done_with_few_429s(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    inputs = seed_copies(tmp_path / "in", copies=2)
    fault_server.max_in_flight, fault_server.delay_s, fault_server.retry_after = 2, 0.1, "0.3"
    result = run_cli(
        fault_server, inputs, tmp_path / "out", "-j", "8", "--no-cache", env=cli_env(tmp_path / "c")
    )

    assert result.returncode == 0, result.stderr
    assert "10 ok, 0 resumed, 0 failed" in result.stdout
    assert fault_server.peak_in_flight <= 2
    share = fault_server.rejected / fault_server.count
    assert share <= 0.2, f"{fault_server.rejected} of {fault_server.count} requests rejected"
    limiter = read_manifest(tmp_path / "out")["runs"][-1]["limiter"]
    assert limiter["rate_limited"] == fault_server.rejected and limiter["smallest_window"] <= 2
    print(
        f"figures: {fault_server.count} requests, {fault_server.rejected} answered 429 ({share:.0%}); limiter {limiter}"
    )


def test_j_bounds_requests_in_flight_and_the_chunks_of_one_article_go_out_together(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    seed = SEEDS / "001_b871c692167c7342.txt"  # two chunks, then the article-fields call
    fault_server.delay_s = 0.5
    result = run_cli(
        fault_server, [seed], tmp_path / "one", "-j", "4", "--no-cache", env=cli_env(tmp_path / "c")
    )
    assert result.returncode == 0, result.stderr
    chunks = [r for r in fault_server.requests if r.response_model == "ChunkExtraction"]
    gap = abs(chunks[0].at - chunks[1].at)
    assert len(chunks) == 2 and gap < 0.4  # together: one after the other is >= 0.5 s apart

    fault_server.reset()
    inputs = seed_copies(tmp_path / "in", copies=2)
    result = run_cli(
        fault_server, inputs, tmp_path / "many", "-j", "3", "--no-cache", env=cli_env(tmp_path / "c")
    )
    assert result.returncode == 0, result.stderr
    assert fault_server.peak_in_flight == 3  # requests across articles, never more than -j


def test_request_slots_serve_the_oldest_article_first_and_refuse_after_close() -> None:
    slots, order = RequestSlots(1), []
    slots._acquire(0)  # held
    waiters = [
        threading.Thread(target=lambda p=p: (slots._acquire(p), order.append(p), slots._release()))
        for p in (5, 2, 9)
    ]
    for thread in waiters:
        thread.start()
        time.sleep(0.05)
    slots._release()
    for thread in waiters:
        thread.join(timeout=5)
    assert order == [2, 5, 9]
    slots.close()
    try:
        slots._acquire(0)
    except Exception as exc:
        assert type(exc).__name__ == "Interrupted"
    else:
        raise AssertionError("a closed run still sent a request")


def test_rate_limiter_cuts_its_window_pauses_on_429_and_reads_the_headers() -> None:
    now = [0.0]
    limiter = RateLimiter(16, clock=lambda: now[0], rng=lambda: 0.0)
    assert limiter.window == 8  # slow start from half of -j
    for _ in range(8):
        limiter.acquire()
    limiter.release(200)
    assert limiter.window == 9  # one more per answer until the first 429
    limiter.release(429, {"retry-after": "2"})
    assert limiter.window == 6 and limiter._delay(0) == 2.0  # cut to what is in flight; all wait
    now[0] = 2.0
    limiter.release(200, {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1m5s"})
    assert limiter._delay(0) == 60.0  # 65 s asked, at most MAX_PAUSE_S
    assert parse_duration("6m0s") == 360 and parse_duration("20ms") == 0.02 and parse_duration("1.5") == 1.5
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25 and retry_after_seconds({}) is None


def test_rate_limiter_paces_requests_per_minute() -> None:
    now = [0.0]
    limiter = RateLimiter(4, rpm=120, clock=lambda: now[0])
    limiter.acquire()
    limiter.release(200)
    assert limiter._delay(0) == 0.5  # 120 a minute: one every half second


def test_a_call_holds_its_slot_only_around_the_request_it_sends() -> None:
    """-j counts requests in flight: a call's work before and after its request (building it,
    parsing the answer, a retry's backoff) leaves the slot to others. With -j 1, a second call's
    request goes out while the first call is still busy after its own request (when the whole
    call held the slot, the second request waited for the first call to end: this test failed)."""
    slots = RequestSlots(1)
    sent = {"first": threading.Event(), "second": threading.Event()}

    class OneSlot(TokenBudget):
        def slot(self) -> contextlib.AbstractContextManager[object]:
            return slots.hold()

    class Parsing(Backend):
        name = "parsing"

        def complete(
            self,
            messages: list[Message],  # noqa: ARG002 - the interface
            response_model: type[M],
            *,
            prompt_id: str,  # noqa: ARG002
            max_tokens: int | None = None,  # noqa: ARG002
        ) -> Completion[M]:
            me = threading.current_thread().name
            with request_slot():
                sent[me].set()
            if me == "first":  # still parsing its answer when the second request must go out
                assert sent["second"].wait(5), "the second request waited for the first call to end"
            return Completion(value=response_model(), model="m", attempts=[UsageRecord()])

    class Answer(BaseModel):
        pass

    budget, backend = OneSlot(None), Parsing()
    prompt = Prompt(task="t", version="1", system="s", user="u")
    errors: list[BaseException] = []

    def call() -> None:
        try:
            ModelCalls(backend, budget).complete(prompt, Answer)
        except BaseException as exc:
            errors.append(exc)

    first = threading.Thread(target=call, name="first")
    first.start()
    assert sent["first"].wait(5)
    second = threading.Thread(target=call, name="second")
    second.start()
    first.join(10)
    second.join(10)
    assert not errors, errors
    assert sent["second"].is_set() and slots._busy == 0


def test_the_last_articles_are_let_in_together_so_their_chunks_go_out_before_the_last_calls(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    """At -j 2 an article holds one of 5 places (1.5 x -j + 2) while it runs; the sixth, the last
    of the run, is let in at once (the end of a run lets in up to 4 x -j + 2), so its chunks wait
    behind no earlier article's article-fields call. Let in when a place freed, it came after the
    first article had ended, and its two rounds ran with one slot of two idle (this test failed)."""
    fault_server.delay_s = 0.2
    inputs = seed_copies(tmp_path / "in", copies=2)[:6]
    result = run_cli(
        fault_server, inputs, tmp_path / "out", "-j", "2", "--no-cache", env=cli_env(tmp_path / "c")
    )
    assert result.returncode == 0, result.stderr
    last = marker(2, SEEDS / inputs[-1].name.split("_", 1)[1])
    last_chunks = [r.at for r in fault_server.requests_for(last) if r.response_model == "ChunkExtraction"]
    fields = [r.at for r in fault_server.requests if r.response_model == "ArticleFields"]
    assert len(fields) == 6 and last_chunks
    assert max(last_chunks) < min(fields)
