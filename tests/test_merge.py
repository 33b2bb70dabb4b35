from summarizer.core.models import Initiative, Outcome, Span
from summarizer.stages.merge import merge_answers, merge_initiatives


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


# A sentence that lists three reforms: a model reports each, all citing the same sentence.
LIST = "推进易货贸易平台、“海外仓”和“药食同源”进口试点建设"


def test_items_of_one_answer_citing_one_sentence_stay_distinct():
    answer = [
        _item("易货贸易平台", 100, LIST),
        _item("“海外仓”", 100, LIST),
        _item("药食同源进口试点", 100, LIST),
    ]
    merged = merge_answers([answer])
    assert [i.name for i in merged] == ["易货贸易平台", "“海外仓”", "药食同源进口试点"]


def test_one_answer_keeps_a_name_inside_another_name_apart():
    merged = merge_answers(
        [[_item("“十项重点改革”", 10, "甲乙丙丁"), _item("“十项重点改革”推进机制", 50, "戊己庚辛")]]
    )
    assert len(merged) == 2


def test_listed_items_seen_by_two_chunks_pair_by_name_not_by_sentence():
    # The sentence sits in the overlap: both chunks report both reforms, in either order.
    first = [_item("易货贸易平台", 100, LIST), _item("“海外仓”", 100, LIST)]
    second = [_item("海外仓", 100, LIST), _item("易货贸易平台", 100, LIST)]
    merged = merge_answers([first, second])
    assert [i.name for i in merged] == ["易货贸易平台", "“海外仓”"]


def test_a_renamed_item_in_the_next_chunk_still_merges_by_evidence_but_takes_one_partner():
    first = [_item("反向飞地", 50, "反向飞地模式")]
    second = [_item("飞地经济合作", 52, "向飞地模式"), _item("罗湖创享岛", 52, "向飞地模式")]
    merged = merge_answers([first, second])
    assert [i.name for i in merged] == ["反向飞地", "罗湖创享岛"]


def test_two_results_of_one_sentence_survive_a_merge():
    # `东六环入地改造工程建成通车，北京通州站开通运营`: two figure-less results of one sentence.
    text = "东六环入地改造工程建成通车，北京通州站开通运营"
    span = Span(text=text, start=100, end=100 + len(text))
    results = [Outcome(description=d, evidence=span) for d in ("建成通车", "开通运营")]
    first = Initiative(name="城市副中心", domain="other", description="", evidence=[span], outcomes=results)
    again = first.model_copy(update={"outcomes": results[:1]})  # the next chunk sees one of them
    later = _item("城市副中心", 900, "市级机关搬迁基本完成")
    merged = merge_answers([[first], [again], [later]])
    assert [o.description for o in merged[0].outcomes] == ["建成通车", "开通运营"]
