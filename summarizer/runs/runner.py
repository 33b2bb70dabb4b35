"""Batch runs: many articles, concurrently, resumably, losing nothing when one fails or the run stops.

The run dir's layout is in `summarizer.runs.rundir`. One run at a time holds a folder (a lock); every
finished article is one line appended to the journal, so the cost of recording an article does
not grow with the folder.

Resume is keyed on content: an article is skipped only when its summary exists, was made with
the same configuration and model (the summary's `config_fingerprint`), and from the same input
bytes (the journal's `input_sha256`). Otherwise it is redone, and its record says why
(`redo_reason`): input changed, config changed, model changed, unreadable summary, input not
recorded, --force.

Concurrency: `-j` bounds the model requests in flight across the run (`RequestSlots`), not the
articles; requests of one article that do not depend on each other (chunks) go out together.

Stopping (`request_stop`, from Ctrl-C or SIGTERM): no new request is sent, articles not started
stay as they were, in-flight requests get `GRACE_S` to finish; then the journal, `manifest.json`
and `summaries.jsonl` are written. Articles the stop cut short are `interrupted`, never `failed`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from summarizer.backends.base import Backend, backend_details, backend_identity
from summarizer.backends.limits import RequestSlots
from summarizer.core.config import RunConfig
from summarizer.core.errors import (
    BudgetExceeded,
    ConfigError,
    Deferred,
    InputError,
    Interrupted,
    SummarizerError,
    one_line,
)
from summarizer.core.models import ArticleSummary, UsageRecord, dump_json
from summarizer.ingest.article import ingest_file
from summarizer.llm.calls import TokenBudget
from summarizer.pipeline import summarize
from summarizer.runs.answers import CURRENT_ARTICLE, AnsweringBackend, AnswerStore
from summarizer.runs.manifest import (
    ArticleRecord,
    ArticleStatus,
    Journal,
    Manifest,
    RunRecord,
    Totals,
    fold,
    legacy_records,
    read_events,
    write_snapshot,
)
from summarizer.runs.reading import load_summary
from summarizer.runs.records import fill_record, fill_usage, iso, sha256, write_jsonl
from summarizer.runs.rundir import RESERVED_IDS, RunLock, new_run_id, remove_stale_temps, write_temp

GRACE_S = 3.0  # how long in-flight requests may finish after a stop before they are abandoned


@dataclass
class RunResult:
    out_dir: Path
    records: dict[str, ArticleRecord]
    manifest: Manifest

    @property
    def failures(self) -> list[str]:
        return _failures(self.records)

    @property
    def ok(self) -> bool:
        return all(r.status in (ArticleStatus.ok, ArticleStatus.resumed) for r in self.records.values())

    @property
    def interrupted(self) -> bool:
        return self.manifest.interrupted


def _failures(records: dict[str, ArticleRecord]) -> list[str]:
    return [f"{r.path}: {r.error}" for r in records.values() if r.status == ArticleStatus.failed]


class _ArticleBudget(TokenBudget):
    """The run as one article sees it: spending goes to the run's budget and the article keeps its
    own attempts (a failed or stopped article still reports every attempt's usage); a call waits
    for a slot among the run's requests in flight; a stopped run refuses it.

    Which waiting call goes first: an article's first calls (its chunks, asked together) before
    the later calls of other articles (the article-fields call, which waits for the chunks'
    answers), and among those the oldest article first. Oldest-article-first alone left the end of
    a run with only article-fields calls, one per article, too few to fill `-j` (a zero-latency
    simulation of bench/bench_scale.py: 10 rounds of requests where 9 suffice)."""

    def __init__(self, runner: BatchRunner, order: int) -> None:
        super().__init__(runner.budget.limit)
        self.runner = runner
        self.order = order
        self.attempts: list[UsageRecord] = []
        self.fan_out = runner.fan_out
        self._first_answered = False  # one of this article's calls has ended

    def check(self) -> None:
        if self.runner.stopping.is_set():
            raise Interrupted("the run was stopped")
        self.runner.budget.check()

    def spend(self, attempts: list[UsageRecord]) -> None:
        self.attempts.extend(attempts)
        self.runner.budget.spend(attempts)

    @contextlib.contextmanager
    def slot(self) -> Iterator[object]:
        with self.runner.slots.hold((int(self._first_answered), self.order)):
            try:
                yield None
            finally:
                self._first_answered = True


class BatchRunner:
    def __init__(
        self,
        backend: Backend | None,
        config: RunConfig,
        out_dir: Path,
        jobs: int = 1,
        on_done: Callable[[str, ArticleRecord], None] | None = None,
        *,
        force: bool = False,
        keep_answers: bool = True,
    ) -> None:
        self.backend = backend
        self.config = config
        self.out_dir = out_dir
        self.jobs = max(1, jobs)  # model requests in flight across the run
        self.on_done = on_done
        self.force = force
        self.keep_answers = keep_answers  # False when the backend keeps its own (batch)
        self.take_lock = True  # False when the caller holds the folder's lock (batch)
        self.batch_section: dict[str, Any] | None = None  # manifest.json's `batch` (Batch API rounds)
        self.budget = TokenBudget(config.max_tokens_total)
        self.identity = backend_identity(backend)
        self.fingerprint = config.fingerprint(backend_details(backend))
        self._config_error: ConfigError | None = None  # a wrong key, model or URL: the run stops
        self.slots = RequestSlots(self.jobs)
        self.fan_out: ThreadPoolExecutor | None = None
        self.stopping = threading.Event()
        self.records: dict[str, ArticleRecord] = {}
        self.run_id = new_run_id()
        self.started = time.time()
        self._lock = threading.Lock()
        self._closed = False  # set when the run's records are final; late workers write nothing
        self._folder: dict[str, ArticleRecord] = {}  # the journal's latest record per article
        self._runs: dict[str, RunRecord] = {}
        self._stale: dict[str, str] = {}  # article id -> why its existing summary is redone
        self._journal: Journal | None = None
        self._answers: AnswerStore | None = None

    # -- the run --

    def request_stop(self) -> None:
        """Stop sending requests and starting articles (Ctrl-C, SIGTERM); `run` returns soon after."""
        self.stopping.set()
        self.slots.close()

    def run(self, paths: list[Path]) -> RunResult:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with RunLock(self.out_dir) if self.take_lock else contextlib.nullcontext():
            remove_stale_temps(self.out_dir)  # left by runs that died mid-write
            _freeze_long_lived()
            self._open()
            todo = self._plan(paths)
            abandoned = False
            try:
                abandoned = self._execute(todo)
            finally:
                manifest = self._close(abandoned)
        if self._config_error is not None:
            raise self._config_error  # every article would fail alike: one line, exit 2
        return RunResult(self.out_dir, self.records, manifest)

    def _open(self) -> None:
        folded = fold(read_events(self.out_dir))
        if not folded.runs and not folded.articles:
            folded = legacy_records(self.out_dir)
        self._folder, self._runs = folded.articles, folded.runs
        self._journal = Journal(self.out_dir)
        start = self._run_start()
        self._journal.run_started(start)
        self._runs[self.run_id] = start
        self._write_snapshot(finished=False)

    def _run_start(self) -> RunRecord:
        backend_name, model = self.identity
        return RunRecord(
            run=self.run_id,
            pid=os.getpid(),
            started=iso(self.started),
            backend=backend_name,
            model=model,
            strategy=self.config.strategy,
            config_fingerprint=self.fingerprint,
            max_concurrency=self.jobs,
        )

    def _execute(self, todo: list[tuple[int, str, Path]]) -> bool:
        """Process `todo`; True when a stop abandoned requests still in flight after the grace."""
        if not todo:
            return False
        backend = self.backend
        if backend is not None and self.keep_answers:
            self._answers = AnswerStore(self.out_dir)
            backend = AnsweringBackend(backend, self._answers)
        # -j 1 keeps the old order: one article, one request at a time.
        # Threads: one per article in progress and one per extra request of an article (the
        # first chunk is asked by the article's own thread); each waits for a slot. Half again
        # as many articles in progress as requests in flight: enough first calls waiting to
        # fill every slot that frees (with -j + 2 articles, -j 32 ended its runs with half the
        # slots idle: bench/bench_scale.py). More threads only cost CPU: starting one under a
        # busy GIL took 20 ms, and 300 articles at 4 x -j in progress took longer than at 1.5 x.
        # The end of the run is the exception: the last articles are let in together (up to
        # 4 x -j in progress), so their chunks go out while earlier articles' article-fields
        # calls still wait to fill the slots. Let in one by one, the last article's chunks and
        # then its article-fields call ran after everything else, with the slots all but empty
        # for a whole latency (100 articles at -j 32: 1.20 x ideal, 1.18 let in together).
        steady = 1 if self.jobs == 1 or backend is None else self.jobs * 3 // 2 + 2
        drain = steady if steady == 1 else self.jobs * 4 + 2
        if self.jobs > 1 and backend is not None:
            self.fan_out = ThreadPoolExecutor(self.jobs, thread_name_prefix="request")
        pool = ThreadPoolExecutor(drain, thread_name_prefix="article")
        # Articles are submitted as they can start (one more queued behind a single worker): with
        # every article submitted at once, each `wait` (ten a second) walked all their futures:
        # at 10,000 articles that took the GIL from the workers (bench_scale.py, part 3).
        queue, left = iter(todo), len(todo)
        pending: set[Future[None]] = set()
        deadline = None

        def admitted() -> int:
            if drain == 1:
                return 2
            return steady if left > drain - steady else drain

        while True:
            while not self.stopping.is_set() and left and len(pending) < admitted():
                item = next(queue)
                left -= 1
                pending.add(pool.submit(self._process, backend, *item))
            if not pending:
                break
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for future in done:
                if not future.cancelled():
                    future.result()
            if self.stopping.is_set() and deadline is None:
                deadline = time.monotonic() + GRACE_S
                for future in pending:
                    future.cancel()  # not started: stays as it was
            if deadline is not None and time.monotonic() > deadline:
                break
        for executor in (pool, self.fan_out):
            if executor is not None:
                executor.shutdown(wait=not pending, cancel_futures=True)
        return bool(pending)

    def _plan(self, paths: list[Path]) -> list[tuple[int, str, Path]]:
        todo: list[tuple[int, str, Path]] = []
        for path in paths:
            article_id = path.stem
            # absolute: memo and view find the source from any folder (never against their own cwd)
            record = ArticleRecord(path=str(path.absolute()), config_fingerprint=self.fingerprint)
            if article_id in self.records or article_id in RESERVED_IDS:
                record.status = ArticleStatus.failed
                record.error = "duplicate or reserved article id; rename the file"
                self.records[f"{article_id}#{len(self.records)}"] = record
                continue
            self.records[article_id] = record
            record.input_sha256 = sha256(path)
            reason = self._redo_reason(article_id, record.input_sha256)
            if reason is None:  # the journal recorded this very input_sha256
                record.status = ArticleStatus.resumed
            else:
                todo.append((len(todo), article_id, path))
                if reason:
                    self._stale[article_id] = reason
        return todo

    def _redo_reason(self, article_id: str, sha: str | None) -> str | None:
        """None to resume; "" to do an article that has no summary; else why its summary is redone."""
        path = self.out_dir / f"{article_id}.json"
        if not path.is_file():
            return ""
        if self.force:
            return "--force"
        try:
            provenance = load_summary(path).provenance
        except InputError:
            return "unreadable summary"
        if provenance is None or provenance.config_fingerprint != self.fingerprint:
            made_by = (provenance.backend, provenance.model) if provenance else None
            if made_by is not None and made_by != self.identity:
                return f"model changed (was {made_by[0]}/{made_by[1]})"
            return "config changed"
        previous = self._folder.get(article_id)
        recorded = previous.input_sha256 if previous is not None else None
        if recorded is None:
            return "input not recorded"
        return None if recorded == sha else "input changed"

    # -- one article --

    def _process(self, backend: Backend | None, order: int, article_id: str, path: Path) -> None:
        if self.stopping.is_set():
            return
        self.records[article_id].status = ArticleStatus.running
        record = self.records[article_id].model_copy()  # the worker's copy, published by `_commit`
        record.redo_reason = self._stale.get(article_id)
        if record.redo_reason:
            self._forget_summary(article_id, record)
        started = time.perf_counter()
        budget = _ArticleBudget(self, order)
        token = CURRENT_ARTICLE.set(article_id)
        summary = None
        try:
            article = ingest_file(path)
            record.warnings = list(getattr(article, "warnings", None) or [])
            summary = summarize(article, backend, self.config, budget)
            fill_record(record, summary)
            record.status = ArticleStatus.ok
        except BaseException as exc:  # one bad article must never sink the batch
            self._record_failure(record, exc, budget.attempts)
        finally:
            CURRENT_ARTICLE.reset(token)
        record.seconds = round(time.perf_counter() - started, 3)
        if self._commit(article_id, record, summary) and self.on_done:
            self.on_done(article_id, record)

    def _record_failure(self, record: ArticleRecord, exc: BaseException, attempts: list[UsageRecord]) -> None:
        fill_usage(record, attempts)
        if isinstance(exc, ConfigError) and not self.stopping.is_set():
            self._config_error = self._config_error or exc
            self.request_stop()
        if isinstance(exc, ConfigError):
            record.status, record.error = ArticleStatus.failed, one_line(exc)
        elif self.stopping.is_set() or isinstance(exc, Interrupted | KeyboardInterrupt):
            record.status, record.error = ArticleStatus.interrupted, "the run was stopped; rerun to resume"
        elif isinstance(exc, Deferred):
            record.status, record.error = ArticleStatus.waiting, str(exc)  # a Batch API round will answer
        elif isinstance(exc, BudgetExceeded):
            record.status, record.error = ArticleStatus.skipped, str(exc)
        elif isinstance(exc, InputError):
            record.status, record.error = ArticleStatus.failed, exc.reason  # the failure line adds the path
        elif isinstance(exc, SummarizerError):
            record.status, record.error = ArticleStatus.failed, one_line(exc)
        elif isinstance(exc, Exception):
            record.status = ArticleStatus.failed
            record.error = f"internal error: {type(exc).__name__}: {one_line(exc)}"
        else:
            raise exc

    def _forget_summary(self, article_id: str, record: ArticleRecord) -> None:
        """Remove a summary that is being redone, and say so in the journal, before any work on it."""
        with self._lock:
            if self._closed:
                return
            self._append(article_id, record.model_copy(update={"status": ArticleStatus.redoing}))
            (self.out_dir / f"{article_id}.json").unlink(missing_ok=True)

    def _commit(self, article_id: str, record: ArticleRecord, summary: ArticleSummary | None) -> bool:
        """Record the article (journal first, then the summary's rename: a kill between the two
        leaves a record without a summary, which the next run redoes). False once the run closed."""
        tmp = write_temp(self.out_dir / f"{article_id}.json", dump_json(summary)) if summary else None
        with self._lock:
            if self._closed:
                if tmp is not None:
                    tmp.unlink(missing_ok=True)
                return False
            self.records[article_id] = record
            self._append(article_id, record)
            if tmp is not None:
                os.replace(tmp, self.out_dir / f"{article_id}.json")
        return True

    def _append(self, article_id: str, record: ArticleRecord) -> None:
        assert self._journal is not None
        entry = record.model_copy(update={"run": self.run_id}, deep=True)  # the run's own stays apart
        self._journal.article(article_id, entry)
        self._folder.pop(article_id, None)
        self._folder[article_id] = entry

    # -- the end --

    def _close(self, abandoned: bool) -> Manifest:
        interrupted = self.stopping.is_set()
        with self._lock:
            self._closed = True
            for article_id, record in self.records.items():
                if record.status in (ArticleStatus.pending, ArticleStatus.running):
                    record.status = ArticleStatus.interrupted
                    record.error = "the run was stopped before it was done"
                    # An article not started keeps its old summary and the record of that summary.
                    if not (self.out_dir / f"{article_id}.json").exists():
                        self._append(article_id, record)
        end = RunRecord(
            run=self.run_id,
            ended=iso(time.time()),
            seconds=round(time.time() - self.started, 3),
            finished=not interrupted,
            interrupted=interrupted,
            abandoned_requests=abandoned,
            totals=Totals.of(self.records.values()),
            limiter=_limiter_stats(self.backend),
        )
        assert self._journal is not None
        self._journal.run_ended(end)
        self._journal.close()
        self._runs[self.run_id] = self._runs[self.run_id].ended_with(end)
        if self._answers is not None:
            done = {a for a, r in self._folder.items() if r.status == ArticleStatus.ok}
            resumed = {a for a, r in self.records.items() if r.status == ArticleStatus.resumed}
            self._answers.drop_articles(done | resumed)
        write_jsonl(self.out_dir)
        return self._write_snapshot(finished=not interrupted, interrupted=interrupted)

    def _write_snapshot(self, finished: bool, interrupted: bool = False) -> Manifest:
        manifest = build_manifest(self, finished, interrupted)
        write_snapshot(self.out_dir, manifest)
        return manifest


def build_manifest(runner: BatchRunner, finished: bool, interrupted: bool = False) -> Manifest:
    """The snapshot: this run's settings and totals, every run, every article in the folder."""
    backend_name, model = runner.identity
    return Manifest(
        tool="summarizer",
        run=runner.run_id,
        backend=backend_name,
        endpoint=runner.backend.endpoint if runner.backend is not None else None,
        model=model,
        strategy=runner.config.strategy,
        prompts=list(runner.config.prompts),
        config=asdict(runner.config),
        config_fingerprint=runner.fingerprint,
        finished=finished,
        interrupted=interrupted,
        seconds=round(time.time() - runner.started, 3),
        totals=Totals.of(runner.records.values()),
        failures=_failures(runner.records),
        runs=list(runner._runs.values()),
        batch=runner.batch_section,
        articles=runner._folder,
    )


_frozen = False


def _freeze_long_lived() -> None:
    """Move what exists when the first run of the process starts (modules, the backend and its
    client) out of the cyclic collector's reach, once: every full collection during a run walked
    them all, a pause of 150 to 170 ms of every thread (in flight requests' answers waited on it)
    at -j 32 (bench/bench_scale.py: collector time during a run 0.23-0.26 s, 0.07-0.10 s frozen).
    Nothing frozen is garbage that matters: it lives as long as the process anyway."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


def _limiter_stats(backend: Backend | None) -> dict[str, Any] | None:
    for _ in range(4):  # through the cache and answer wrappers
        if backend is None:
            return None
        limiter = getattr(backend, "limiter", None)
        if limiter is not None:
            return limiter.snapshot()  # type: ignore[no-any-return]
        backend = getattr(backend, "inner", None)
    return None
