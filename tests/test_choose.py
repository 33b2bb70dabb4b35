"""The `choose` strategy with a scripted backend: rules candidates kept; for each paragraph the
rules missed, the model picks one of its printed name spans by number (or 0, none), and the pick
is kept verbatim with the text's own figures. Plus the option finder it asks about."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from summarizer.backends.fake import FakeBackend
from summarizer.cli import main
from summarizer.core.config import RunConfig
from summarizer.core.errors import ConfigError, OutputError
from summarizer.ingest.article import ingest_text
from summarizer.llm.calls import ModelCalls
from summarizer.stages.candidates import Sentence, sentences
from summarizer.stages.grounding import is_grounded
from summarizer.stages.options import MAX_OPTIONS, span_options
from summarizer.strategies import get_strategy, rules
from summarizer.strategies.choose import choice_model, extract

ARTICLE = (
    "标题\n"
    "　　永州推行“一照通”+“信易批”审批服务改革，新增经营主体5.9万户，增长12.5%。\n"
    "　　全市各镇因地制宜落实“一镇一策”，特色产业项目达46个，带动农户增收，镇村面貌焕然一新。\n"
    "　　港产城加速融合。港口通道能级稳步提升，新一代集装箱码头管控系统上线，集装箱航线增至150条。\n"
    "　　下一步，将持续优化营商环境，力争新增经营主体1万户。\n"
)
CONFIG = RunConfig(strategy="choose")


def run(*answers):
    backend = FakeBackend()
    backend.enqueue(*answers)
    article = ingest_text(ARTICLE, "t")
    return article, backend, extract(article, ModelCalls(backend), CONFIG)


def names(result):
    return [i.name for i in result.initiatives]


def test_one_numbered_choice_per_paragraph_the_rules_missed():
    _, backend, _ = run({"choice": "0"}, {"choice": "0"})
    # the 一照通 paragraph has a rules candidate, the 下一步 paragraph is a plan: no call for either
    assert len(backend.history) == 2
    first, second = (call.messages[-1]["content"] for call in backend.history)
    assert "1. “一镇一策”" in first
    assert "1. 港产城加速融合" in second and "港口通道能级" in second
    assert "营商环境" not in first + second


def test_the_chosen_span_is_kept_verbatim_with_the_texts_figures():
    article, _, result = run({"choice": "1"}, {"choice": "1"})
    assert names(result) == ["“一照通”+“信易批”审批服务改革", "“一镇一策”", "港产城加速融合"]
    chosen = result.initiatives[2]
    assert chosen.evidence[0].text == "港产城加速融合。"
    assert [o.value_text for o in result.initiatives[1].outcomes] == ["46个"]
    for item in result.initiatives:
        spans = item.evidence + [o.evidence for o in item.outcomes]
        assert all(is_grounded(s, article.text) for s in spans)


def test_the_number_names_the_option():
    _, _, result = run({"choice": "0"}, {"choice": "2"})
    assert names(result) == ["“一照通”+“信易批”审批服务改革", "港口通道能级"]
    assert result.initiatives[1].evidence[0].text.startswith("港口通道能级稳步提升")


def test_none_of_them_leaves_the_rules_output():
    article, _, result = run({"choice": "0"}, {"choice": "0"})
    assert result == rules.extract(article, None, CONFIG)


def test_an_answer_outside_the_options_is_refused_and_costs_only_its_paragraph():
    # two options at most in the first task: "5" does not validate against its enum
    _, _, result = run({"choice": "5"}, {"choice": "1"})
    assert names(result) == ["“一照通”+“信易批”审批服务改革", "港产城加速融合"]


def test_a_failed_call_costs_only_its_paragraph():
    _, _, result = run(OutputError("bad", provider="fake"), {"choice": "1"})
    assert "港产城加速融合" in names(result)


def test_the_answer_schema_is_an_enum_of_the_option_numbers():
    schema = choice_model(3).model_json_schema()
    assert schema["properties"]["choice"]["enum"] == ["0", "1", "2", "3"]
    assert schema["required"] == ["choice"] and schema["additionalProperties"] is False
    with pytest.raises(ValueError):
        choice_model(2).model_validate({"choice": "3"})


def test_needs_a_model():
    with pytest.raises(ConfigError):
        extract(ingest_text(ARTICLE, "t"), None, CONFIG)
    assert get_strategy("choose") is extract


def _paragraph(text: str) -> list[Sentence]:
    return sentences(text)


def test_options_run_in_head_items_quotes_and_verb_objects():
    options = [
        o.text for o in span_options(_paragraph("（二）存量资源资产有效盘活。有力推进“117项目”司法出清。"))
    ]
    assert options[0] == "存量资源资产有效盘活"
    assert "“117项目”" in options and "“117项目”司法出清" in options
    items = [
        o.text
        for o in span_options(_paragraph("重点抓好三件事：一是深化园区体制改革，二是健全人才引育机制。"))
    ]
    assert "深化园区体制改革" in items and "健全人才引育机制" in items
    verbs = [o.text for o in span_options(_paragraph("毕节积极发展以轻纺为主的劳动密集型产业，带动就业。"))]
    assert "以轻纺为主的劳动密集型产业" in verbs or "轻纺为主的劳动密集型产业" in verbs


def test_options_are_spans_of_the_body_without_figures_or_speech():
    body = "“我们赶上了好时候，”村民说。建成标准厂房12万平方米，打造“数字园区”，完善配套服务体系。"
    for option in span_options(_paragraph(body)):
        assert body[option.start : option.end] == option.text
        assert "12" not in option.text and "我们" not in option.text
    many = "，".join(f"推行“第{n}号样板”" for n in "一二三四五六七八九")
    assert len(span_options(_paragraph(many + "。"))) == MAX_OPTIONS


def test_cli_runs_the_choose_strategy_on_the_fake_backend(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    script = tmp_path / "answers.jsonl"
    script.write_text('{"choice": "0"}\n{"choice": "1"}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "run",
            str(tmp_path / "a.txt"),
            "-o",
            str(out),
            "--backend",
            "fake",
            "--strategy",
            "choose",
            "--fake-script",
            str(script),
            "--no-cache",
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert summary["provenance"]["strategy"] == "choose"
    assert summary["provenance"]["prompts"] == ["choose@v1"]
    assert [i["name"] for i in summary["initiatives"]] == ["“一照通”+“信易批”审批服务改革", "港产城加速融合"]
