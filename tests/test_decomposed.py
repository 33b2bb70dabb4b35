"""The `decomposed` strategy with a scripted backend: the model decides, code grounds."""

from __future__ import annotations

import pytest

from summarizer.backends.fake import FakeBackend
from summarizer.calls import ModelCalls
from summarizer.config import RunConfig
from summarizer.errors import ConfigError, OutputError
from summarizer.grounding import is_grounded
from summarizer.ingest import ingest_text
from summarizer.strategies.decomposed import answer_model, extract

ARTICLE = "标题\n　　永州推行“一照通”+“信易批”审批服务改革，新增经营主体5.9万户，增长12.5%。\n　　深化税收征管改革。\n"
CONFIG = RunConfig(strategy="decomposed")


def run(*answers):
    backend = FakeBackend()
    backend.enqueue(*answers)
    article = ingest_text(ARTICLE, "t")
    return article, backend, extract(article, ModelCalls(backend), CONFIG)


def test_one_call_per_candidate_and_figures_by_index():
    article, backend, result = run(
        {"is_initiative": True, "domain": "business_environment", "figures": [0]},
        {"is_initiative": False, "domain": "other", "figures": []},
    )
    assert len(backend.history) == 2
    assert [i.name for i in result.initiatives] == ["“一照通”+“信易批”审批服务改革"]
    assert [o.value_text for o in result.initiatives[0].outcomes] == ["5.9万户"]
    assert result.dropped_initiatives == 1
    assert all(is_grounded(s, article.text) for s in result.initiatives[0].evidence)


def test_a_failed_call_keeps_the_candidate_as_rules_would():
    _, _, result = run(
        OutputError("bad", provider="fake"), {"is_initiative": True, "domain": "other", "figures": []}
    )
    assert len(result.initiatives) == 2
    assert [o.value_text for o in result.initiatives[0].outcomes] == ["5.9万户", "12.5%"]


def test_figure_index_outside_the_list_is_invalid():
    model = answer_model(2)
    assert model.model_validate({"is_initiative": True, "domain": "other", "figures": [1]})
    with pytest.raises(ValueError):
        model.model_validate({"is_initiative": True, "domain": "other", "figures": [2]})


def test_needs_a_model():
    with pytest.raises(ConfigError):
        extract(ingest_text(ARTICLE, "t"), None, CONFIG)
