import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from summarizer.cli import main
from summarizer.core.models import ArticleSummary

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("SUMMARIZER_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def test_run_fake_writes_summaries_jsonl_and_manifest(runner, tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(main, ["run", str(SEEDS), "-o", str(out), "--backend", "fake"])
    assert result.exit_code == 0, result.output
    ids = sorted(p.stem for p in SEEDS.glob("*.txt"))
    for article_id in ids:
        text = (out / f"{article_id}.json").read_text(encoding="utf-8")
        summary = ArticleSummary.model_validate_json(text)
        assert summary.article_id == article_id
        assert "\\u" not in text  # ensure_ascii=False
    lines = (out / "summaries.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == "fake" and manifest["totals"]["ok"] == 5
    assert set(manifest["articles"]) == set(ids)
    assert manifest["prompts"] == ["extract@v1", "article@v2"]


def test_second_run_resumes_and_force_redoes(runner, tmp_path):
    out = tmp_path / "run"
    runner.invoke(main, ["run", str(SEEDS), "-o", str(out), "--backend", "fake"])
    again = runner.invoke(main, ["run", str(SEEDS), "-o", str(out), "--backend", "fake"])
    assert "5 resumed" in again.output
    changed = runner.invoke(
        main, ["run", str(SEEDS), "-o", str(out), "--backend", "fake", "--chunk-chars", "900"]
    )
    assert "5 ok" in changed.output  # another config is not resumed


def test_one_bad_file_fails_alone_with_one_line(runner, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "empty.txt").write_bytes(b"")
    result = runner.invoke(main, ["run", str(inputs), "-o", str(tmp_path / "run"), "--backend", "fake"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "empty.txt" in errors[0] and "empty article" in errors[0]
    assert "Traceback" not in result.output
    assert len(list((tmp_path / "run").glob("0*.json"))) == 5


def test_missing_model_config_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["run", str(SEEDS), "-o", str(tmp_path / "r"), "--backend", "openai"])
    assert result.exit_code == 2
    assert "SUMMARIZER_MODEL" in result.output


def test_unknown_prompt_version_names_the_flag(runner, tmp_path):
    result = runner.invoke(
        main, ["run", str(SEEDS), "-o", str(tmp_path / "r"), "--backend", "fake", "--prompt", "extract@v99"]
    )
    assert result.exit_code == 2  # reported once, before any article is read
    assert result.output.count("error:") == 1
    assert "extract@v99" in result.output and "--prompt" in result.output


def test_ingest_json(runner):
    result = runner.invoke(main, ["ingest", str(SEEDS / "000_85ee287e49764f57.txt"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["source"] == "潮州日报" and data["published"] == "2024-07-18"
    assert data["article_id"] == "000_85ee287e49764f57" and "您现在的位置" not in data["body"]


def test_help_has_examples(runner):
    result = runner.invoke(main, ["run", "--help"])
    assert "Examples:" in result.output and "summarizer run seeds/" in result.output
