from summarizer.merge import merge_initiatives
from summarizer.models import Initiative, Outcome, Span


def _item(name, start, text="证据", value_text=None):
    span = Span(text=text, start=start, end=start + len(text))
    outcomes = [Outcome(description="d", value_text=value_text, evidence=span)] if value_text else []
    return Initiative(name=name, domain="other", description="", evidence=[span], outcomes=outcomes)


def test_same_name_across_chunks_becomes_one_item_with_combined_evidence():
    merged = merge_initiatives(
        [_item("“一照通”改革", 10, "甲乙丙", "5项"), _item("一照通改革", 200, "丁戊己", "5项")]
    )
    assert len(merged) == 1
    assert [s.start for s in merged[0].evidence] == [10, 200]
    assert len(merged[0].outcomes) == 1  # the same figure is not counted twice


def test_overlapping_evidence_merges_differently_named_items():
    merged = merge_initiatives(
        [_item("反向飞地", 50, "反向飞地模式"), _item("飞地经济合作", 52, "向飞地模式")]
    )
    assert len(merged) == 1


def test_distinct_items_keep_first_mention_order():
    merged = merge_initiatives([_item("县管校聘", 300), _item("整村授信", 100), _item("产业村长", 200)])
    assert [i.name for i in merged] == ["整村授信", "产业村长", "县管校聘"]
