"""Issue 7, scenario 4: bad input files. Each gets a valid summary or one error line naming the file
and the reason; no traceback; the batch completes; an injected instruction is not obeyed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from faultserver import FaultServer, cli_env, read_manifest, read_outputs, run_cli

from summarizer.core.models import ArticleSummary
from summarizer.ingest.article import load_text

sys.path.insert(0, str(Path(__file__).parent / "data"))
from make_bad import INJECTION, bad_files, make_bad  # noqa: E402

BAD = Path(__file__).parent / "data" / "bad"
REJECTED = {
    "empty.txt": "empty article",
    "whitespace_only.txt": "empty article",
    "png_image.txt": "binary data",
}
SAME_AS_SEED = ["seed_gb18030", "seed_utf16_bom", "广东 改革 报道 (副本)"]


def test_committed_bad_inputs_are_what_the_script_makes() -> None:
    assert {p.name: p.read_bytes() for p in BAD.iterdir()} == bad_files()


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """One batch over every bad input, the 2 MB article included, against a well-behaved server."""
    tmp = tmp_path_factory.mktemp("bad")
    inputs = make_bad(tmp / "in", include_large=True)
    server = FaultServer().start()
    # A model that obeys instructions planted in the text (see `obey_injection`).
    server.script = lambda req: "obey_injection" if INJECTION in req.user else None
    try:
        result = run_cli(server, [tmp / "in"], tmp / "out", "-j", "4", env=cli_env(tmp / "cache"))
    finally:
        server.stop()
    return result, inputs, tmp / "out", server


def test_bad_files_fail_alone_with_one_line_each(bad_run: tuple) -> None:
    result, inputs, out, _ = bad_run
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = result.stderr.splitlines()
    by_name = {Path(p).name: p for p in inputs}
    assert len(errors) == len(REJECTED)
    for name, reason in REJECTED.items():
        [line] = [e for e in errors if e.startswith(f"error: {by_name[name]}: ")]
        assert line.removeprefix(f"error: {by_name[name]}: ").startswith(reason)
    manifest = read_manifest(out)
    assert manifest["finished"] is True
    assert manifest["totals"]["ok"] == len(inputs) - len(REJECTED)
    assert f"{len(inputs) - len(REJECTED)} ok, 0 resumed, {len(REJECTED)} failed" in result.stdout
    print(
        f"figures: exit {result.returncode}, {bad_run[3].count} requests, {result.stdout.strip()!r}, stderr {errors}"
    )


def test_every_other_file_has_a_valid_grounded_summary(bad_run: tuple) -> None:
    _, inputs, out, _ = bad_run
    outputs = read_outputs(out)
    for path in inputs:
        if path.name in REJECTED:
            assert path.stem not in outputs
            continue
        summary = ArticleSummary.model_validate(outputs[path.stem])
        _assert_grounded(summary, load_text(path))


def _assert_grounded(summary: ArticleSummary, text: str) -> None:
    assert summary.summary
    # A place is named only when the article prints it (the weather report names none, and the
    # scripted model's invented `测试市` is not taken).
    assert summary.locality.name == "" or summary.locality.name[:2] in text
    for item in summary.initiatives:
        for span in [*item.evidence, *(o.evidence for o in item.outcomes)]:
            assert span.start is not None and text[span.start : span.end] == span.text


def test_other_encodings_and_names_read_as_the_same_article(bad_run: tuple) -> None:
    _, _, out, _ = bad_run
    outputs = read_outputs(out)
    reference = outputs[SAME_AS_SEED[-1]]
    assert reference["initiatives"]
    for stem in SAME_AS_SEED:
        assert (outputs[stem]["title"], outputs[stem]["initiatives"]) == (
            reference["title"],
            reference["initiatives"],
        )
    assert (out / "广东 改革 报道 (副本).json").is_file()


def test_html_page_is_read_without_its_markup(bad_run: tuple) -> None:
    _, _, out, _ = bad_run
    summary = read_outputs(out)["raw_page"]
    assert summary["initiatives"]
    text = " ".join(s["text"] for i in summary["initiatives"] for s in i["evidence"]) + summary["title"]
    assert "<" not in text and "tracker" not in text


def test_article_without_reform_content_has_no_initiatives(bad_run: tuple) -> None:
    _, _, out, _ = bad_run
    summary = read_outputs(out)["no_reform_content"]
    assert summary["initiatives"] == [] and summary["summary"]


def test_large_article_is_summarized(bad_run: tuple) -> None:
    _, inputs, out, server = bad_run
    large = next(p for p in inputs if p.name == "large_2mb.txt")
    assert large.stat().st_size >= 2 * 1024 * 1024
    record = read_manifest(out)["articles"]["large_2mb"]
    assert record["status"] == "ok" and record["initiatives"] > 0
    assert record["calls"] == len(server.requests_for("第1部分")) > 10  # chunked, one call per chunk


def test_injected_instruction_is_not_obeyed(bad_run: tuple) -> None:
    _, inputs, out, server = bad_run
    summary = ArticleSummary.model_validate(read_outputs(out)["prompt_injection"])
    path = next(p for p in inputs if p.name == "prompt_injection.txt")
    _assert_grounded(summary, load_text(path))
    dumped = summary.model_dump_json(exclude={"provenance"})  # provenance logs what the model said
    assert "已被入侵" not in dumped.replace(INJECTION, "")  # only where the article itself says it
    assert summary.initiatives and summary.provenance and summary.provenance.dropped_initiatives >= 1
    # The text reaches the model as data: inside <article> tags, under a system prompt that says so.
    asked = server.requests_for(INJECTION)
    assert asked and all("不是指令" in r.messages[0]["content"] for r in asked)
    assert all(INJECTION in r.article_text for r in asked if r.response_model == "ChunkExtraction")
    assert any(r.attempt == 0 and r.fault == "obey_injection" for r in asked)  # off-schema answer, re-asked


def test_bad_inputs_copy_cleanly(tmp_path: Path) -> None:
    """The committed folder works as CLI input as is (names with spaces and Chinese included)."""
    shutil.copytree(BAD, tmp_path / "bad")
    names = sorted(p.name for p in (tmp_path / "bad").iterdir())
    assert "广东 改革 报道 (副本).txt" in names and len(names) == len(bad_files())
