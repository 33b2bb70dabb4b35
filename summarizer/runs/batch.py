"""The Batch API: the requests of `run`, sent as files of requests at the provider's batch price.

    summarizer batch submit seeds/ -o runs/b   # JSONL of requests uploaded (Files API), a Batch created
    summarizer batch status runs/b             # one line: batch id, status, counts
    summarizer batch collect runs/b            # exit 0 and the outputs of `run` when done; 3 while not

Design. The pipeline is the synchronous one (`BatchRunner`, `summarize`), run against
`BatchBackend`: a backend that answers from the answers downloaded so far, and records every
request it cannot answer yet, raising `Deferred` (the article is `waiting`, not failed). Its
request bodies are built by instructor's own mode handlers, as the synchronous path builds them.

- `submit` runs every article with no answers: what each asks first (its chunks) is round 1.
- `collect` downloads a finished round's output and error files once, then runs the articles
  again. Those whose requests are all answered are written as `run` writes them (summaries,
  journal, manifest.json, summaries.jsonl); requests that depend on earlier answers (the
  article-fields call needs the initiatives; a truncated chunk's two halves) form the next round,
  which the same `collect` submits (exit 3 until the last round is in).
- An answer that does not fit the schema is re-asked, as `run` re-asks it (instructor): the
  article's next round sends the re-ask that instructor's handler for the mode builds (the request,
  the model's answer, the validation error after it; `handle_reask`). A re-ask is keyed by its
  body like any request, and derived from what is stored (the request before it, that answer),
  so every `collect` derives the same one and asks it once. After `BatchSettings.reasks` re-asks
  (2, `run`'s `OpenAISettings.reasks`) the article fails with one line naming the error:
  `ValidationError (after 2 re-asks): 5 validation errors for ChunkExtraction ...`. Every answer
  of the chain is one of the call's attempts, with its usage, as `run` records them. Only the
  errors instructor re-asks (`ValidationError`, broken JSON, no tool call) are re-asked; an
  answer with no choices fails its article at once.
- An answer cut off at max_tokens (`finish_reason: length`), first answer or re-ask, is never
  re-asked (instructor does not either): `TruncatedOutput`, with the chain's attempts, and the
  chunk is split as in `run`; its halves are fresh requests in the next rounds.
- A request that failed or expired fails its article, reported per article; `submit` again on
  the folder resubmits what failed (answers already received are kept and never asked again;
  a re-ask that failed is derived again and resubmitted).
- `collect` once everything is in prints the same line, downloads nothing and writes nothing.

State: `<run>/batch.json` (settings, inputs, rounds with batch ids, request counts, how many
requests were re-asks, and usage);
requests sent: `<run>/batch/round-<n>.jsonl` (the Batch API's input format, which vLLM's
`run-batch` also reads); answers: `<run>/batch/answers.jsonl`, one per downloaded answer or error.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from summarizer.backends.base import Backend, Completion, M, Message, normalize_endpoint
from summarizer.core.config import MODES, BackendKind, Mode, RunConfig
from summarizer.core.errors import (
    ConfigError,
    Deferred,
    OutputError,
    TransientBackendError,
    TruncatedOutput,
    one_line,
)
from summarizer.core.models import UsageRecord
from summarizer.runs.manifest import ArticleStatus
from summarizer.runs.rundir import RunLock, write_atomic

if TYPE_CHECKING:
    from summarizer.runs.runner import RunResult

STATE = "batch.json"
ANSWERS = Path("batch") / "answers.jsonl"
ENDPOINT = "/v1/chat/completions"
RUNNING = ("validating", "in_progress", "finalizing", "cancelling")
PRICING = "batch: usage billed at the provider's batch rate (OpenAI: half the synchronous price)"


@dataclass
class BatchSettings:
    model: str
    base_url: str | None = None
    mode: Mode | str = Mode.tools  # an unknown name (SUMMARIZER_MODE=typo) is refused by BatchBackend
    completion_window: str = "24h"
    config: RunConfig = field(default_factory=RunConfig)
    reasks: int = 2  # re-asks of an answer that does not fit the schema: `OpenAISettings.reasks`

    def __post_init__(self) -> None:
        if self.mode in MODES:
            self.mode = Mode(self.mode)


# -- answers ------------------------------------------------------------------------------------


class BatchAnswers:
    """Downloaded answers by request key (custom_id): the completion body, or an error line."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / ANSWERS
        self.entries: dict[str, dict[str, Any]] = {}
        if self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.entries[entry["key"]] = entry
                except (ValueError, KeyError, TypeError):
                    continue

    def add(self, entries: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            for entry in entries:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
                self.entries[entry["key"]] = entry

    def forget_errors(self) -> int:
        """Drop failed and expired answers, so those requests are asked again; how many."""
        errors = [k for k, e in self.entries.items() if e.get("error")]
        if errors:
            for key in errors:
                del self.entries[key]
            write_atomic(
                self.path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries.values())
            )
        return len(errors)


def request_key(body: dict[str, Any]) -> str:
    """The custom_id of a request: a hash of its body, so equal requests are asked once."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:40]


class BatchBackend(Backend):
    name: ClassVar[str] = BackendKind.openai

    def __init__(
        self,
        model: str,
        mode: Mode | str,
        answers: BatchAnswers,
        base_url: str | None = None,
        temperature: float = 0.0,
        reasks: int = 2,
    ) -> None:
        if mode not in MODES:
            raise ConfigError(f"unknown SUMMARIZER_MODE {str(mode)!r}; use one of {', '.join(MODES)}")
        self.model, self.mode, self.answers, self.temperature = model, Mode(mode), answers, temperature
        self.base_url, self.reasks = base_url, max(reasks, 0)
        self.wanted: dict[str, dict[str, Any]] = {}
        self.wanted_reasks: set[str] = set()  # the keys in `wanted` that are re-asks
        self._lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        from summarizer.backends.openai import DEFAULT_BASE_URL

        return normalize_endpoint(self.base_url or DEFAULT_BASE_URL)

    def identity(self) -> dict[str, object]:
        """As `OpenAIBackend.identity()`: a summary made through a batch resumes a `run` and back."""
        return {
            "provider": self.name,
            "model": self.model,
            "endpoint": self.endpoint,
            "mode": self.mode,
            "temperature": self.temperature,
        }

    def request(
        self, messages: list[Message], response_model: type[M], max_tokens: int | None
    ) -> tuple[Any, dict[str, Any]]:
        """(the model instructor parses into, the request body), as the synchronous path sends it."""
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": self.temperature}
        if max_tokens:
            kwargs["max_tokens"] = max_tokens
        prepared, body = _handler(self.mode).prepare_request(response_model, kwargs)
        return prepared, body

    def complete(
        self,
        messages: list[Message],
        response_model: type[M],
        *,
        prompt_id: str,  # noqa: ARG002 - part of the interface
        max_tokens: int | None = None,
    ) -> Completion[M]:
        """The call's answer, found along its chain of requests: the request; while an answer
        does not fit the schema and re-asks are left, the re-ask instructor builds from the request
        before, its answer and the error. The first request not answered yet is wanted (`Deferred`)."""
        from instructor.core.exceptions import IncompleteOutputException

        handler = _handler(self.mode)
        prepared, body = self.request(messages, response_model, max_tokens)
        request_chars = sum(len(str(m.get("content", ""))) for m in messages)  # as the sync path
        attempts: list[UsageRecord] = []  # every answer along the chain, the failed ones too
        for reask in range(self.reasks + 1):
            key = request_key(body)
            entry = self.answers.entries.get(key)
            if entry is None:
                with self._lock:
                    self.wanted[key] = body
                    if reask:
                        self.wanted_reasks.add(key)
                raise Deferred("waiting for a batch round to answer")
            if entry.get("error"):
                attempts.append(UsageRecord(ok=False, error=entry["error"]))
                raise TransientBackendError(entry["error"], provider=self.name, attempts=attempts)
            completion, attempt = _completion(entry["completion"], request_chars)
            try:
                value = handler.parse_response(completion, prepared)
            except IncompleteOutputException as exc:  # never re-asked: the caller splits the work
                attempts.append(
                    attempt.model_copy(update={"ok": False, "error": "truncated: finish_reason length"})
                )
                message = "the answer was cut off at max_tokens"
                raise TruncatedOutput(message, provider=self.name, original=exc, attempts=attempts) from exc
            except Exception as exc:  # an answer that does not fit the schema
                # recorded as the synchronous path records it (`_describe`), so the summaries match
                why = one_line(exc)[:300]
                attempts.append(
                    attempt.model_copy(update={"ok": False, "error": f"{type(exc).__name__}: {why}"})
                )
                if reask < self.reasks and _reaskable(exc, completion):
                    body = handler.handle_reask(copy.deepcopy(body), completion, exc)
                    continue
                told = f" (after {reask} re-ask{'s' if reask > 1 else ''})" if reask else ""
                message = f"{type(exc).__name__}{told}: {why}"
                raise OutputError(message, provider=self.name, original=exc, attempts=attempts) from exc
            return Completion(value=value, model=self.model, attempts=[*attempts, attempt])
        raise AssertionError("unreachable: the last request of a chain returns or raises")


def _completion(body: dict[str, Any], request_chars: int) -> tuple[Any, UsageRecord]:
    """A downloaded answer as the openai client returns it, and its usage as `run` records it."""
    from openai.types.chat import ChatCompletion

    from summarizer.backends.openai import usage_record

    completion = ChatCompletion.model_validate(body)
    return completion, usage_record(completion, request_chars)


def _reaskable(error: Exception, completion: Any) -> bool:
    """Whether instructor would re-ask after this parse error (a ValidationError, broken JSON, a
    tool call missing); an answer with no choices is not (the synchronous path retries it as a
    transport fault; here it fails its article, as before)."""
    from instructor.v2.core import retry

    reaskable = getattr(retry, "_RETRYABLE_PARSE_ERRORS", (ValueError,))  # instructor's own list
    return isinstance(error, reaskable) and bool(completion.choices)


def _handler(mode: Mode) -> Any:
    from instructor.v2.providers.openai import handlers

    names = {
        Mode.tools: "OpenAIToolsHandler",
        Mode.json_schema: "OpenAIJSONSchemaHandler",
        Mode.json: "OpenAIJSONHandler",
    }
    return getattr(handlers, names[mode])()


# -- the commands ---------------------------------------------------------------------------------


class BatchJob:
    """One batch folder: its state file, its answers, the provider's Files and Batches APIs."""

    def __init__(self, out_dir: Path, client: Any, state: dict[str, Any]) -> None:
        self.out_dir, self.client, self.state = out_dir, client, state
        self.answers = BatchAnswers(out_dir)

    @classmethod
    def load(cls, out_dir: Path, client: Any) -> BatchJob:
        path = out_dir / STATE
        if not path.is_file():
            raise ConfigError(
                f"{out_dir}: no batch here; start one with `summarizer batch submit INPUTS -o {out_dir}`"
            )
        return cls(out_dir, client, json.loads(path.read_text(encoding="utf-8")))

    @property
    def settings(self) -> BatchSettings:
        data = dict(self.state["settings"])
        config = data.pop("config")
        config["prompts"] = tuple(config["prompts"])
        return BatchSettings(**data, config=RunConfig(**config))

    def save(self) -> None:
        write_atomic(self.out_dir / STATE, json.dumps(self.state, ensure_ascii=False, indent=1) + "\n")

    # -- rounds --

    def open_round(self) -> dict[str, Any] | None:
        rounds = self.state["rounds"]
        return rounds[-1] if rounds and not rounds[-1].get("collected") else None

    def refresh(self, round_: dict[str, Any]) -> None:
        batch = self.client.batches.retrieve(round_["batch_id"])
        counts = batch.request_counts
        round_.update(
            status=batch.status,
            output_file_id=batch.output_file_id,
            error_file_id=batch.error_file_id,
            request_counts=counts.model_dump() if counts is not None else None,
            errors=[e.message for e in (batch.errors.data or [])] if batch.errors else [],
        )

    def download(self, round_: dict[str, Any]) -> None:
        """Store a finished round's answers and errors (once: the round is then `collected`)."""
        entries = []
        for file_id in (round_.get("output_file_id"), round_.get("error_file_id")):
            if file_id:
                text = self.client.files.content(file_id).text
                entries += [_answer(json.loads(line), round_) for line in text.splitlines() if line.strip()]
        answered = {e["key"] for e in entries}
        for key in round_["keys"]:  # a failed batch (or a line the provider lost): an error per request
            if key not in answered:
                why = "; ".join(round_.get("errors") or []) or f"no answer ({round_['status']})"
                entries.append(
                    {"key": key, "round": round_["round"], "error": f"batch {round_['status']}: {why}"}
                )
        self.answers.add(entries)
        round_["usage"] = {
            "prompt_tokens": sum(e.get("prompt_tokens", 0) for e in entries),
            "completion_tokens": sum(e.get("completion_tokens", 0) for e in entries),
        }
        round_["collected"] = True

    def submit_round(
        self, wanted: dict[str, dict[str, Any]], articles: int, reasks: int = 0
    ) -> dict[str, Any]:
        lines = "".join(
            json.dumps(
                {"custom_id": key, "method": "POST", "url": ENDPOINT, "body": body}, ensure_ascii=False
            )
            + "\n"
            for key, body in wanted.items()
        )
        number = len(self.state["rounds"]) + 1
        sent = self.out_dir / ANSWERS.parent / f"round-{number}.jsonl"  # kept: what was asked
        sent.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(sent, lines)
        upload = self.client.files.create(
            file=(f"round-{number}.jsonl", lines.encode("utf-8")), purpose="batch"
        )
        batch = self.client.batches.create(
            input_file_id=upload.id,
            endpoint=ENDPOINT,
            completion_window=self.settings.completion_window,
            metadata={"tool": "summarizer", "round": str(number)},
        )
        round_ = {
            "round": number,
            "batch_id": batch.id,
            "input_file_id": upload.id,
            "submitted": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "requests": len(wanted),
            "reasks": reasks,
            "articles": articles,
            "status": batch.status,
            "keys": list(wanted),
            "collected": False,
        }
        self.state["rounds"].append(round_)
        self.state["complete"] = None
        self.save()
        return round_

    # -- running the articles --

    def advance(self, paths: list[Path]) -> tuple[RunResult, BatchBackend]:
        """Run every article against the answers so far: (the run's result, the backend, whose
        `wanted` holds the requests the next round asks)."""
        from summarizer.runs.runner import BatchRunner

        settings = self.settings
        backend = BatchBackend(
            settings.model, settings.mode, self.answers, settings.base_url, reasks=settings.reasks
        )
        runner = BatchRunner(backend, settings.config, self.out_dir, keep_answers=False)
        runner.take_lock = False
        runner.batch_section = self.manifest_section()
        return runner.run(paths), backend

    def manifest_section(self) -> dict[str, Any]:
        keep = ("round", "batch_id", "status", "requests", "reasks", "articles", "request_counts", "usage")
        return {"pricing": PRICING, "rounds": [{k: r.get(k) for k in keep} for r in self.state["rounds"]]}

    def line(self, round_: dict[str, Any]) -> str:
        counts = round_.get("request_counts") or {}
        done = f"{counts.get('completed', 0)}/{counts.get('total', round_['requests'])} done"
        return (
            f"{round_['batch_id']}: {round_['status']}, {done}, {counts.get('failed', 0)} failed "
            f"(round {round_['round']}, {round_['articles']} articles)"
        )


def _answer(line: dict[str, Any], round_: dict[str, Any]) -> dict[str, Any]:
    response = line.get("response") or {}
    body, status = response.get("body"), response.get("status_code")
    entry: dict[str, Any] = {"key": line.get("custom_id"), "round": round_["round"]}
    if status == 200 and isinstance(body, dict) and not line.get("error"):
        usage = body.get("usage") or {}
        entry.update(
            completion=body,
            prompt_tokens=max(int(usage.get("prompt_tokens") or 0), 0),
            completion_tokens=max(int(usage.get("completion_tokens") or 0), 0),
        )
        return entry
    error = line.get("error") or (body or {}).get("error") or {}
    message = error.get("message") if isinstance(error, dict) else str(error)
    entry["error"] = f"HTTP {status}: {message}" if status else f"batch: {message or 'no answer'}"
    return entry


def submit(paths: list[Path], out_dir: Path, settings: BatchSettings, client: Any) -> tuple[int, str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with RunLock(out_dir):
        if (out_dir / STATE).is_file():
            job = BatchJob.load(out_dir, client)
            if (open_round := job.open_round()) is not None:
                return 3, f"{job.line(open_round)}; run `summarizer batch collect {out_dir}` first"
            retried = job.answers.forget_errors()
        else:
            state: dict[str, Any] = {
                "settings": asdict(settings),
                "inputs": [],
                "rounds": [],
                "complete": None,
            }
            job, retried = BatchJob(out_dir, client, state), 0
        job.state["inputs"] = [str(p) for p in paths]
        job.save()
        result, backend = job.advance(paths)
        wanted = backend.wanted
        if not wanted:
            return 0, f"nothing to submit: {_summary(result)}"
        waiting = sum(r.status == ArticleStatus.waiting for r in result.records.values())
        round_ = job.submit_round(wanted, waiting, len(backend.wanted_reasks))
        again = f" ({retried} failed before, asked again)" if retried else ""
        return 0, f"submitted {round_['batch_id']}: {len(wanted)} requests for {waiting} articles{again}"


def status(out_dir: Path, client: Any) -> str:
    job = BatchJob.load(out_dir, client)
    if not job.state["rounds"]:
        return "no batch submitted yet"
    round_ = job.state["rounds"][-1]
    if not round_.get("collected"):
        job.refresh(round_)
    complete = job.state.get("complete")
    return job.line(round_) + (f"; collected: {complete['line']}" if complete else "")


def collect(out_dir: Path, client: Any) -> tuple[int, str]:
    with RunLock(out_dir):
        job = BatchJob.load(out_dir, client)
        complete = job.state.get("complete")
        if complete:  # nothing new: no download, no write
            return int(complete["code"]), complete["line"]
        round_ = job.open_round()
        if round_ is not None:
            job.refresh(round_)
            if round_["status"] in RUNNING:
                job.save()
                return 3, job.line(round_)
            job.download(round_)
            job.save()
        result, backend = job.advance([Path(p) for p in job.state["inputs"]])
        if backend.wanted:
            waiting = sum(r.status == ArticleStatus.waiting for r in result.records.values())
            next_round = job.submit_round(backend.wanted, waiting, len(backend.wanted_reasks))
            return 3, f"round {next_round['round']} submitted: {job.line(next_round)}"
        code = 0 if result.ok else 1
        job.state["complete"] = {"code": code, "line": _summary(result)}
        job.save()
        return code, _summary(result)


def _summary(result: RunResult) -> str:
    totals = result.manifest.totals
    tokens = totals.prompt_tokens + totals.completion_tokens
    return (
        f"{totals.ok} ok, {totals.resumed} resumed, {totals.failed} failed; "
        f"{tokens} tokens at the batch rate -> {result.out_dir}"
    )
