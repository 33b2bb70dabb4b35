from pathlib import Path

import pytest

from summarizer.core.models import Span
from summarizer.ingest.article import ingest_file, ingest_text
from summarizer.stages.drafts import DraftInitiative, DraftOutcome
from summarizer.stages.grounding import align_quote, figure_in_evidence, ground_draft, is_grounded

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_85ee287e49764f57.txt"


@pytest.fixture(scope="module")
def article():
    return ingest_file(SEED)


def test_exact_quote_gets_offsets_into_the_raw_text(article):
    quote = "该项目是凤泉湖高新区去年引进的首个超5亿元工业项目"
    span = align_quote(quote, article)
    assert span.alignment == "exact"
    assert article.text[span.start : span.end] == quote


def test_fuzzy_quote_takes_the_source_characters(article):
    # Full-width comma and a dropped character: close, not verbatim.
    quote = "在潮安区庵埠镇，第二届中国广东(潮州)特色食品产业大会正如火如荼举行"
    span = align_quote(quote, article)
    assert span is not None and span.alignment == "fuzzy"
    assert is_grounded(span, article.text)
    assert "庵埠镇" in span.text


@pytest.mark.parametrize("quote", ["完全不相关的一句话但是比较长的文本内容", "改革", ""])
def test_unrelated_or_tiny_quotes_are_dropped(article, quote):
    assert align_quote(quote, article) is None


def test_quote_across_removed_navigation_maps_back():
    text = "首页 > 新闻 > 要闻\n标题\n  第一段第一句。\n第二段的话。\n"
    article = ingest_text(text, "x")
    span = align_quote("第一段第一句。", article)
    assert text[span.start : span.end] == "第一段第一句。"


def test_figure_must_be_in_its_evidence():
    evidence = Span(text="新增经营主体5.9万户，增长12%", start=0, end=15)
    assert figure_in_evidence("5.9万户", evidence) == ("5.9万户", 59000.0, "户")
    # The model's figure is not printed there: the evidence's own figure with its digits is used.
    assert figure_in_evidence("5.9万", evidence)[0] == "5.9万户"
    assert figure_in_evidence("99亿元", evidence) == (None, None, None)


def test_ground_draft_drops_what_is_not_in_the_source(article):
    draft = DraftInitiative(
        name="凤泉湖高新区招商",
        domain="industry_investment",
        description="引进工业项目",
        quotes=["该项目是凤泉湖高新区去年引进的首个超5亿元工业项目", "编造的一句话，原文中没有这样的内容。"],
        outcomes=[
            DraftOutcome(
                description="超5亿元项目",
                value_text="5亿元",
                quote="该项目是凤泉湖高新区去年引进的首个超5亿元工业项目",
            ),
            DraftOutcome(
                description="编造", value_text="7亿元", quote="这是一条完全编造的成果句子，原文没有。"
            ),
        ],
    )
    initiative, dropped = ground_draft(draft, article)
    assert dropped == 2
    assert len(initiative.evidence) == 1 and len(initiative.outcomes) == 1
    assert initiative.outcomes[0].value == 5e8 and initiative.outcomes[0].unit == "元"


def test_initiative_with_no_grounded_evidence_is_dropped(article):
    draft = DraftInitiative(
        name="不存在", domain="other", description="", quotes=["原文里根本没有这句话，纯属编造的内容。"]
    )
    assert ground_draft(draft, article) == (None, 1)


def test_initiative_whose_chunk_holds_only_its_outcome_keeps_the_outcome(article):
    # The initiative was named in the chunk before; this chunk holds only its result.
    quote = "该项目是凤泉湖高新区去年引进的首个超5亿元工业项目"
    draft = DraftInitiative(
        name="凤泉湖高新区招商",
        domain="industry_investment",
        description="",
        quotes=[],
        outcomes=[DraftOutcome(description="超5亿元项目", value_text="5亿元", quote=quote)],
    )
    initiative, dropped = ground_draft(draft, article)
    assert dropped == 0 and initiative is not None
    assert [o.value_text for o in initiative.outcomes] == ["5亿元"]
    assert [s.text for s in initiative.evidence] == [quote]
