"""The `rules` strategy and the candidate finder it shares with `decomposed`: no model."""

from __future__ import annotations

import pytest

from summarizer.core.config import RunConfig
from summarizer.core.models import NAME_CHARS, Domain
from summarizer.ingest.article import ingest_text
from summarizer.stages.candidates import find_candidates
from summarizer.stages.domains import guess_domain
from summarizer.stages.grounding import is_grounded
from summarizer.strategies.rules import extract

ARTICLE = (
    "潮州市深化改革综述\n"
    "　　我市持续深化义务教育教师“县管校聘”改革，新创建2个办学联盟。\n"
    "　　潮州首创“反向飞地”，吸引十多家企业入驻。\n"
    "　　改革红利持续释放，坚持把全面深化改革作为关键一招。\n"
    "　　永州推行“一照通”+“信易批”审批服务改革、园区招商体制改革，新增经营主体5.9万户。\n"
)


@pytest.fixture
def article():
    return ingest_text(ARTICLE, "t")


def names(article):
    return [c.name for c in find_candidates(article)]


def test_keyword_phrase_is_trimmed_of_its_verbs(article):
    assert "义务教育教师“县管校聘”改革" in names(article)


def test_quoted_name_after_a_reform_verb(article):
    assert "“反向飞地”" in names(article)


def test_a_listed_pair_is_kept_whole(article):
    # Splitting `A改革、B改革` measured worse on the gold files (initiative F1 0.452 vs 0.471).
    assert "“一照通”+“信易批”审批服务改革、园区招商体制改革" in names(article)


def test_slogans_are_not_candidates(article):
    found = "".join(names(article))
    assert "改革红利" not in found and "全面深化改革" not in found


def test_every_span_is_grounded_and_names_are_short(article):
    result = extract(article, None, RunConfig(strategy="rules"))
    assert result.initiatives
    for initiative in result.initiatives:
        assert len(initiative.name) <= NAME_CHARS
        spans = initiative.evidence + [o.evidence for o in initiative.outcomes]
        assert all(is_grounded(span, article.text) for span in spans)
        assert initiative.name in article.text


def test_figures_go_to_the_nearest_initiative_before_them(article):
    result = extract(article, None, RunConfig(strategy="rules"))
    by_name = {i.name: [o.value_text for o in i.outcomes] for i in result.initiatives}
    assert by_name["“一照通”+“信易批”审批服务改革、园区招商体制改革"] == ["5.9万户"]
    assert by_name["“反向飞地”"] == ["十多家"]
    assert by_name["义务教育教师“县管校聘”改革"] == ["2个"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("义务教育教师“县管校聘”改革", Domain.public_services),
        ("“一照通”+“信易批”审批服务改革", Domain.business_environment),
        ("园区招商体制改革", Domain.industry_investment),
        ("“以实绩论英雄”干部考核评价体系改革", Domain.party_cadre),
        ("无关键词", Domain.other),
    ],
)
def test_domain_from_keywords(name, expected):
    assert guess_domain(name) is expected


def test_empty_body_gives_no_candidates():
    assert find_candidates(ingest_text("标题\n今天天气很好。\n", "t")) == []


@pytest.mark.parametrize(
    "fragment",
    ["改革贵在行动", "一项系统工程", "牢牢抓住了重要领域、重要任务、重要试点", "其视为‘一把手’工程"],
)
def test_clause_fragments_are_not_names(fragment):
    from summarizer.stages.candidates import is_name

    assert not is_name(fragment)


@pytest.mark.parametrize(
    "name", ["“一照通”+“信易批”审批服务改革", "国有“三资”一网通管理创新", "义务教育教师“县管校聘”改革"]
)
def test_real_names_pass_the_filter(name):
    from summarizer.stages.candidates import is_name

    assert is_name(name)


def test_a_recognition_without_a_figure_is_an_outcome():
    from summarizer.ingest.article import ingest_text
    from summarizer.strategies.rules import extract

    text = "标题\n永州推行“一照通”改革，“一照通”入选全省“放管服”改革“十大品牌”。\n"
    article = ingest_text(text, "t")
    (initiative,) = extract(article, None, None).initiatives
    (outcome,) = initiative.outcomes
    assert outcome.value_text is None and "入选全省" in outcome.evidence.text
    assert text[outcome.evidence.start : outcome.evidence.end] == outcome.evidence.text
