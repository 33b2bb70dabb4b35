"""Gold files and `summarizer gold check`: the real files pass, each kind of corruption is named."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from summarizer.cli.gold import register
from summarizer.core.models import ArticleSummary
from summarizer.evaluation.gold import check_gold_dir, check_gold_file

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold"
SEEDS = ROOT / "seeds"
GOLD_FILES = sorted(GOLD.glob("*.json"))


def test_every_seed_has_a_gold_file() -> None:
    assert {p.stem for p in GOLD_FILES} == {p.stem for p in SEEDS.glob("*.txt")}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_real_gold_file_passes(path: Path) -> None:
    assert check_gold_file(path, SEEDS) == []


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_real_gold_offsets_are_filled_and_exact(path: Path) -> None:
    summary = ArticleSummary.model_validate_json(path.read_text(encoding="utf-8"))
    text = (SEEDS / f"{summary.article_id}.txt").read_bytes().decode("utf-8-sig")
    spans = [s for i in summary.initiatives for s in i.evidence]
    spans += [o.evidence for i in summary.initiatives for o in i.outcomes]
    assert summary.initiatives and spans
    for span in spans:
        assert span.start is not None and text[span.start : span.end] == span.text


def _first_outcome(raw: dict) -> tuple[int, dict]:
    for i, initiative in enumerate(raw["initiatives"]):
        for outcome in initiative["outcomes"]:
            if outcome["value_text"]:
                return i, outcome
    raise AssertionError("no outcome with a figure")


def _shift_offset(raw: dict) -> str:
    raw["initiatives"][0]["evidence"][0]["start"] += 1
    return "initiatives[0].evidence[0].start"


def _value_text_outside_evidence(raw: dict) -> str:
    i, outcome = _first_outcome(raw)
    outcome["value_text"] = "5.0亿元"  # same value as the gold 5亿元, but not printed
    return f"initiatives[{i}].outcomes[0].value_text"


def _wrong_value(raw: dict) -> str:
    i, outcome = _first_outcome(raw)
    outcome["value"] = outcome["value"] * 1e4
    return f"initiatives[{i}].outcomes[0].value"


def _wrong_unit(raw: dict) -> str:
    i, outcome = _first_outcome(raw)
    outcome["unit"] = "吨" if outcome["unit"] != "吨" else "元"
    return f"initiatives[{i}].outcomes[0].unit"


def _invented_evidence(raw: dict) -> str:
    span = raw["initiatives"][1]["evidence"][0]
    span["text"], span["start"], span["end"] = "本市首创时光机审批改革。", None, None
    return "initiatives[1].evidence[0].text"


def _bad_domain(raw: dict) -> str:
    raw["initiatives"][2]["domain"] = "astrology"
    return "initiatives[2].domain"


def _one_offset_only(raw: dict) -> str:
    raw["initiatives"][0]["evidence"][0]["end"] = None
    return "initiatives[0].evidence[0]"


CORRUPTIONS: list[Callable[[dict], str]] = [
    _shift_offset,
    _value_text_outside_evidence,
    _wrong_value,
    _wrong_unit,
    _invented_evidence,
    _bad_domain,
    _one_offset_only,
]


@pytest.fixture
def gold_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    shutil.copy(GOLD_FILES[0], folder)
    return folder / GOLD_FILES[0].name


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_corruption_is_reported_with_its_field_path(gold_copy: Path, corrupt: Callable[[dict], str]) -> None:
    raw = json.loads(gold_copy.read_text(encoding="utf-8"))
    field = corrupt(raw)
    gold_copy.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    problems = check_gold_file(gold_copy, SEEDS)
    assert [p.field for p in problems] == [field]
    assert str(problems[0]).startswith(f"{gold_copy}: {field}: ")


def test_null_offsets_need_the_text_somewhere(gold_copy: Path) -> None:
    raw = json.loads(gold_copy.read_text(encoding="utf-8"))
    raw["initiatives"][0]["evidence"][0].update(start=None, end=None)
    gold_copy.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert check_gold_file(gold_copy, SEEDS) == []


def test_wrong_value_message_names_both_values(gold_copy: Path) -> None:
    raw = json.loads(gold_copy.read_text(encoding="utf-8"))
    gold_value = _first_outcome(raw)[1]["value"]
    _wrong_value(raw)
    gold_copy.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    (problem,) = check_gold_file(gold_copy, SEEDS)
    assert problem.message == f"{gold_value * 1e4} != normalizer {gold_value}"


def test_missing_source_and_renamed_file_are_problems(gold_copy: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no_sources"
    empty.mkdir()
    assert [p.field for p in check_gold_file(gold_copy, empty)] == ["article_id"]
    renamed = gold_copy.with_name("999_other.json")
    gold_copy.rename(renamed)
    assert "article_id" in [p.field for p in check_gold_file(renamed, SEEDS)]


def test_unreadable_json_is_one_problem(tmp_path: Path) -> None:
    bad = tmp_path / "000_85ee287e49764f57.json"
    bad.write_text("{not json", encoding="utf-8")
    assert [p.field for p in check_gold_dir(tmp_path, SEEDS)[bad]] == ["(file)"]


def _cli() -> click.Group:
    group = click.Group("summarizer")
    register(group)
    return group


def test_cli_passes_on_the_real_gold_files() -> None:
    result = CliRunner().invoke(_cli(), ["gold", "check", str(GOLD), "--sources", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert f"{len(GOLD_FILES)} gold files checked, 0 with problems" in result.output


def test_cli_fails_with_one_line_per_problem(gold_copy: Path) -> None:
    raw = json.loads(gold_copy.read_text(encoding="utf-8"))
    gold_value = _first_outcome(raw)[1]["value"]
    field = _wrong_value(raw)
    gold_copy.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["gold", "check", str(gold_copy.parent), "--sources", str(SEEDS)])
    assert result.exit_code == 1
    assert (
        result.output.splitlines()[0]
        == f"{gold_copy}: {field}: {gold_value * 1e4} != normalizer {gold_value}"
    )


def test_cli_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["gold", "check", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert result.output.startswith("error: ") and "Traceback" not in result.output
