"""`summarizer eval` and `summarizer compare` end to end on synthetic run dirs, with CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

try:
    from tests.test_evaluation_fixture import build_source_and_gold, copy_of
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_evaluation_fixture import build_source_and_gold, copy_of

from summarizer.briefing.memo_run import viewer_filename
from summarizer.cli.evaluate import EXIT_ERROR, EXIT_REGRESSION, register
from summarizer.core.models import dump_json
from summarizer.evaluation.runs import operational

IDS = ["900_first", "901_second", "902_third"]


@pytest.fixture
def cli() -> click.Group:
    group = click.Group()
    register(group)
    return group


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """gold/ and sources/ for three articles; run_good/ predicts two of them perfectly plus one extra."""
    for directory in ("gold", "sources", "run_good", "run_bad"):
        (tmp_path / directory).mkdir()
    for article_id in IDS:
        source, gold = build_source_and_gold(article_id)
        (tmp_path / "sources" / f"{article_id}.txt").write_text(source, encoding="utf-8")
        (tmp_path / "gold" / f"{article_id}.json").write_text(dump_json(gold), encoding="utf-8")
        if article_id != IDS[2]:
            (tmp_path / "run_good" / f"{article_id}.json").write_text(dump_json(gold), encoding="utf-8")
        worse = copy_of(gold)
        del worse.initiatives[:3]
        (tmp_path / "run_bad" / f"{article_id}.json").write_text(dump_json(worse), encoding="utf-8")
    _, extra = build_source_and_gold("999_no_gold")
    (tmp_path / "run_good" / "999_no_gold.json").write_text(dump_json(extra), encoding="utf-8")
    (tmp_path / "run_good" / "summaries.jsonl").write_text("not a summary\n", encoding="utf-8")
    return tmp_path


def _invoke(cli: click.Group, layout: Path, *args: str):
    return CliRunner().invoke(
        cli, [*args, "--gold", str(layout / "gold"), "--sources", str(layout / "sources")]
    )


def test_eval_writes_three_reports_and_counts_a_missing_prediction_as_empty(cli, layout: Path) -> None:
    result = _invoke(cli, layout, "eval", str(layout / "run_good"))
    assert result.exit_code == 0, result.output
    report = json.loads((layout / "run_good" / "report.json").read_text(encoding="utf-8"))
    assert [a["status"] for a in report["articles"]] == ["scored", "scored", "missing"]
    assert report["skipped"] == ["999_no_gold"]
    assert report["micro"]["initiative_recall"] == pytest.approx(2 / 3)
    assert report["micro"]["initiative_precision"] == 1.0
    assert "initiative_f1" in result.output and "901_second" in result.output
    assert "\x1b[" not in result.output and "+---" in result.output  # plain ASCII table off a TTY
    for name in ("report.md", "report.html"):
        assert (layout / "run_good" / name).stat().st_size > 0


def test_the_html_report_is_self_contained_and_escaped(cli, layout: Path) -> None:
    _, gold = build_source_and_gold(IDS[0])
    gold.initiatives[0].name = "<script>x</script>"
    (layout / "run_good" / f"{IDS[0]}.json").write_text(dump_json(gold), encoding="utf-8")
    assert _invoke(cli, layout, "eval", str(layout / "run_good")).exit_code == 0
    html = (layout / "run_good" / "report.html").read_text(encoding="utf-8")
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html
    assert html.count('class="bar') >= 3 * 7  # a bar per chart metric per article


def test_the_same_inputs_give_a_byte_identical_report_json(cli, layout: Path) -> None:
    path = layout / "run_good" / "report.json"
    assert _invoke(cli, layout, "eval", str(layout / "run_good")).exit_code == 0
    first = path.read_bytes()
    path.unlink()
    assert _invoke(cli, layout, "eval", str(layout / "run_good")).exit_code == 0
    assert path.read_bytes() == first


def test_a_broken_prediction_is_one_error_line_naming_the_file(cli, layout: Path) -> None:
    (layout / "run_good" / f"{IDS[0]}.json").write_text('{"article_id": "x"}', encoding="utf-8")
    result = _invoke(cli, layout, "eval", str(layout / "run_good"))
    assert result.exit_code == EXIT_ERROR
    assert result.stderr.startswith("error: ") and f"{IDS[0]}.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_gold_dir_is_an_error_that_names_the_flag(cli, layout: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["eval", str(layout / "run_good"), "--gold", str(tmp_path / "empty")])
    assert result.exit_code == EXIT_ERROR and "--gold" in result.stderr


def test_compare_of_a_run_with_itself_passes_the_gate(cli, layout: Path) -> None:
    run = str(layout / "run_good")
    result = _invoke(cli, layout, "compare", run, run, "--fail-on-regression", "-o", str(layout / "cmp"))
    assert result.exit_code == 0, result.output
    data = json.loads((layout / "cmp" / "compare.json").read_text(encoding="utf-8"))
    assert {m["delta"] for m in data["metrics"] if m["delta"] is not None} == {0.0}


def test_compare_fails_on_a_regression_with_one_line_per_metric(cli, layout: Path) -> None:
    result = _invoke(
        cli, layout, "compare", str(layout / "run_good"), str(layout / "run_bad"), "--fail-on-regression"
    )
    assert result.exit_code == EXIT_REGRESSION
    regressed = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("regression: ")]
    assert "initiative_f1" in regressed and len(regressed) == len(set(regressed))
    assert "grounding_rate" not in regressed


def test_compare_thresholds_override_the_defaults(cli, layout: Path) -> None:
    args = ["compare", str(layout / "run_good"), str(layout / "run_bad"), "--fail-on-regression"]
    loose = ["initiative_f1=1", "outcome_f1=1", "figure_recall=1", "article_outcome_f1=1"]
    assert _invoke(cli, layout, *args, *loose).exit_code == 0
    assert _invoke(cli, layout, *args[:3]).exit_code == 0  # no gate asked for


def test_compare_rejects_a_bad_threshold_before_scoring(cli, layout: Path) -> None:
    result = _invoke(cli, layout, "compare", "nowhere_a", "nowhere_b", "--fail-on-regression", "f1=x")
    assert result.exit_code == EXIT_ERROR and "METRIC=THRESHOLD" in result.stderr


def test_the_manifest_is_read_defensively(tmp_path: Path) -> None:
    manifest = {
        "articles": {
            "a": {"status": "ok", "attempts": 1, "usage": {"prompt_tokens": 100, "completion_tokens": 50},
                  "seconds": 2.0, "schema_valid_first_attempt": True},
            "b": {"status": "ok", "attempts": 3, "usage": "garbled", "seconds": "slow",
                  "schema_valid_first_attempt": False},
            "c": {"status": "failed"},
            "d": "not an entry",
        }
    }  # fmt: skip
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    ops = operational(tmp_path)
    assert ops["articles"] == 3 and ops["status"] == {"failed": 1, "ok": 2}
    assert ops["attempts_per_article"] == 2.0 and ops["tokens_per_article"] == 150.0
    assert ops["seconds_per_article"] == 2.0 and ops["schema_valid_first_attempt"] == 0.5


@pytest.mark.parametrize("content", ["{not json", "[]", '{"articles": 3}'])
def test_a_broken_manifest_reports_nothing_and_does_not_crash(tmp_path: Path, content: str) -> None:
    (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    ops = operational(tmp_path)
    assert ops["tokens_per_article"] is None and ops["attempts_per_article"] is None


def test_eval_report_links_each_article_to_its_evidence_viewer(cli, layout: Path) -> None:
    result = _invoke(cli, layout, "eval", str(layout / "run_good"))
    assert result.exit_code == 0, result.output
    html = (layout / "run_good" / "report.html").read_text(encoding="utf-8")
    for article_id in IDS[:2]:
        page = layout / "run_good" / "view" / viewer_filename(article_id)
        assert page.is_file()
        assert f'href="view/{viewer_filename(article_id)}"' in html
    # No source for the prediction without gold: no page, no dead link.
    assert f'href="view/{viewer_filename("999_no_gold")}"' not in html


def test_eval_reads_each_source_file_once(cli, layout: Path, source_reads) -> None:
    """Scoring and the viewer pages share one read per source (issue 14)."""
    assert _invoke(cli, layout, "eval", str(layout / "run_good")).exit_code == 0
    assert (layout / "run_good" / "view").is_dir()
    assert sorted(source_reads) == [f"{article_id}.txt" for article_id in IDS]
