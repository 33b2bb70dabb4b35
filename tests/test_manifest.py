"""The run dir's records as types (`summarizer.runs.manifest`): written in the layout the dict code
wrote, key for key; read back typed, forgivingly; one status type."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.backends.fake import FakeBackend
from summarizer.core.config import RunConfig, Strategy
from summarizer.runs.manifest import (
    ArticleRecord,
    ArticleStatus,
    Journal,
    Manifest,
    RunRecord,
    Totals,
    article_record,
    fold,
    read_events,
    read_manifest,
)
from summarizer.runs.runner import BatchRunner

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))

# The keys as the journal and manifest.json had them before the models, in their order.
ARTICLE_KEYS = [
    "run", "path", "status", "error", "seconds", "attempts", "calls", "usage", "failed_attempts",
    "schema_valid_first_attempt", "initiatives", "outcomes", "dropped_initiatives", "dropped_spans",
    "input_sha256", "config_fingerprint", "redo_reason", "warnings",
]  # fmt: skip
RUN_KEYS = [
    "run", "pid", "started", "backend", "model", "strategy", "config_fingerprint", "max_concurrency",
    "ended", "seconds", "finished", "interrupted", "abandoned_requests", "totals",
]  # fmt: skip
MANIFEST_KEYS = [
    "tool", "run", "backend", "endpoint", "model", "strategy", "prompts", "config", "config_fingerprint",
    "finished", "interrupted", "seconds", "totals", "failures", "runs", "articles", "journal_bytes",
]  # fmt: skip
TOTALS_KEYS = [
    "articles", "ok", "resumed", "failed", "skipped", "interrupted", "waiting", "attempts",
    "failed_attempts", "prompt_tokens", "completion_tokens",
]  # fmt: skip


def _run(out: Path, strategy: str = "rules") -> None:
    backend = FakeBackend() if strategy != "rules" else None
    BatchRunner(backend, RunConfig.for_backend("fake", Strategy(strategy)), out).run(SEEDS[:2])


def test_the_files_keep_the_layout_of_the_dict_code(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(out)
    snapshot = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert list(snapshot) == MANIFEST_KEYS
    assert list(snapshot["totals"]) == TOTALS_KEYS
    assert [list(r) for r in snapshot["runs"]] == [RUN_KEYS]  # no "limiter": none was used
    assert all(list(r) == ARTICLE_KEYS for r in snapshot["articles"].values())
    assert snapshot["strategy"] == "rules" and snapshot["config"]["strategy"] == "rules"
    events = list(read_events(out))
    assert [e["event"] for e in events] == ["run", "article", "article", "end"]
    assert list(events[0]) == ["event", *RUN_KEYS[:8]]
    assert list(events[1]) == ["event", "article_id", *ARTICLE_KEYS]
    assert list(events[-1]) == ["event", "run", *RUN_KEYS[8:]]


def test_the_manifest_reads_back_typed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(out, "single")
    _run(out, "single")  # the second run resumes both
    manifest = read_manifest(out)
    assert isinstance(manifest, Manifest) and manifest.finished and not manifest.interrupted
    assert manifest.strategy is Strategy.single
    first, second = (run.totals for run in manifest.runs)
    assert first is not None and first.ok == 2 and first.attempts > 0
    assert second == Totals(articles=2, resumed=2)
    record = article_record(out, SEEDS[0].stem)
    assert record is not None and record.status is ArticleStatus.ok
    assert record.path == str(SEEDS[0].absolute())
    assert record.run == manifest.runs[0].run  # the record of the run that made the summary


def test_a_killed_run_is_folded_from_the_journal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(out)
    journal = Journal(out)
    journal.run_started(RunRecord(run="killed", pid=1, strategy=Strategy.rules))
    journal.article("x", ArticleRecord(run="killed", path="x.txt", status=ArticleStatus.failed, error="boom"))
    journal.close()
    manifest = read_manifest(out)
    assert manifest is not None and manifest.finished is False
    assert manifest.runs[-1].to_json() == {"run": "killed", "pid": 1, "strategy": "rules"}  # no end
    assert manifest.articles["x"].status is ArticleStatus.failed and manifest.articles["x"].error == "boom"


def test_reading_drops_values_that_do_not_fit_and_keeps_the_rest() -> None:
    record = ArticleRecord.model_validate(
        {"status": "ok", "attempts": "3", "seconds": True, "usage": {"prompt_tokens": 5, "completion_tokens": "x"},
         "warnings": "not a list", "future_field": [1]}
    )  # fmt: skip
    assert record.status is ArticleStatus.ok
    assert record.model_fields_set == {"status", "usage", "future_field"}  # the others are not reported
    assert record.usage.model_fields_set == {"prompt_tokens"} and record.usage.prompt_tokens == 5
    assert record.to_json()["future_field"] == [1]  # unknown keys survive a rewrite
    manifest = Manifest.model_validate(
        {"articles": [{"article_id": "a", "status": "failed"}, "junk"], "runs": 3}
    )
    assert list(manifest.articles) == ["a"] and manifest.articles["a"].status is ArticleStatus.failed
    assert manifest.runs == []


def test_fold_keeps_the_latest_record_of_each_article_last() -> None:
    events = [
        {"event": "run", "run": "r1", "pid": 1},
        {"event": "article", "article_id": "a", "run": "r1", "status": "ok"},
        {"event": "article", "article_id": "b", "run": "r1", "status": "ok"},
        {"event": "article", "article_id": "a", "run": "r1", "status": "redoing"},
        {"event": "end", "run": "r1", "finished": True},
        {"event": "end", "run": "r2", "finished": False},  # an end without its start
        {"event": "article", "article_id": 5},  # no id: ignored
    ]
    folded = fold(events)
    assert list(folded.articles) == ["b", "a"] and folded.articles["a"].status is ArticleStatus.redoing
    assert folded.runs["r1"].to_json() == {"run": "r1", "pid": 1, "finished": True}
    assert folded.runs["r2"].to_json() == {"run": "r2", "finished": False}


def test_statuses_are_written_as_their_names() -> None:
    assert json.dumps({"status": ArticleStatus.interrupted}) == '{"status": "interrupted"}'
    assert ArticleRecord(status=ArticleStatus.waiting).to_json()["status"] == "waiting"
    assert "run" not in ArticleRecord().to_json()  # a record is written with its run, never with null
