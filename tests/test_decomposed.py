"""The `decomposed` strategy with a scripted backend: rules candidates kept, the model names
the reform of each paragraph the rules missed, code grounds the name and attaches figures."""

from __future__ import annotations

import pytest

from summarizer.backends.fake import FakeBackend
from summarizer.core.config import RunConfig
from summarizer.core.errors import ConfigError, OutputError
from summarizer.ingest.article import ingest_text
from summarizer.llm.calls import ModelCalls
from summarizer.stages.grounding import is_grounded
from summarizer.strategies import rules
from summarizer.strategies.decomposed import extract

ARTICLE = (
    "标题\n"
    "　　永州推行“一照通”+“信易批”审批服务改革，新增经营主体5.9万户，增长12.5%。\n"
    "　　全市各镇因地制宜落实“一镇一策”，特色产业项目达到46个，带动农户增收，镇村面貌焕然一新。\n"
    "　　盛夏时节，万物蓬勃，山水宋城如诗如画，发展势头方兴未艾，处处生机勃勃，令人振奋。\n"
)
CONFIG = RunConfig(strategy="decomposed")


def run(*answers):
    backend = FakeBackend()
    backend.enqueue(*answers)
    article = ingest_text(ARTICLE, "t")
    return article, backend, extract(article, ModelCalls(backend), CONFIG)


def test_one_call_per_paragraph_the_rules_missed():
    article, backend, result = run({"name": "“一镇一策”"}, {"name": "山水宋城"})
    assert len(backend.history) == 2  # the 一照通 paragraph has a rules candidate: no call
    names = [i.name for i in result.initiatives]
    assert names[0] == "“一照通”+“信易批”审批服务改革"
    assert "“一镇一策”" in names
    found = next(i for i in result.initiatives if i.name == "“一镇一策”")
    assert [o.value_text for o in found.outcomes] == ["46个"]  # the figure comes from the text
    for item in result.initiatives:
        assert all(is_grounded(s, article.text) for s in item.evidence + [o.evidence for o in item.outcomes])


def test_a_name_not_printed_in_the_paragraph_is_dropped():
    _, _, result = run({"name": "乡村振兴示范工程"}, {"name": "绿美生态建设"})
    assert [i.name for i in result.initiatives] == ["“一照通”+“信易批”审批服务改革"]


def test_a_failed_call_costs_only_its_paragraph():
    _, _, result = run(OutputError("bad", provider="fake"), {"name": "山水宋城"})
    assert len(result.initiatives) >= 1


def test_never_fewer_initiatives_than_rules():
    article, _, result = run({"name": ""}, {"name": ""})
    assert len(result.initiatives) >= len(rules.extract(article, None, CONFIG).initiatives)


def test_needs_a_model():
    with pytest.raises(ConfigError):
        extract(ingest_text(ARTICLE, "t"), None, CONFIG)
