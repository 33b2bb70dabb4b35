"""Normalization, similarity and matching: the table that justifies the threshold."""

from __future__ import annotations

import numpy as np
import pytest

from summarizer.core.models import Span
from summarizer.core.spans import place_span
from summarizer.evaluation.matching import (
    THRESHOLD,
    assign,
    combine,
    normalize,
    overlap_matrix,
    text_similarity,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“一照通”+“信易批”审批服务改革", "一照通信易批审批服务改革"),
        ("县管校聘 (试点)", "县管校聘试点"),
        ("ＡＢＣ１２３，。！", "ABC123"),  # full-width letters, digits and punctuation
        ("反向\u3000飞地\n", "反向飞地"),  # ideographic space and newline
        ("《潮州日报》、【要闻】", "潮州日报要闻"),
        ("", ""),
    ],
)
def test_normalize_folds_width_and_drops_punctuation_and_spaces(text: str, expected: str) -> None:
    assert normalize(text) == expected


def _name_similarity(a: str, b: str) -> float:
    return float(text_similarity([normalize(a)], [normalize(b)])[0, 0])


# Paraphrases of one reform name, as a model might write them: must match on the name alone.
PARAPHRASES = [
    ("“一照通”+“信易批”审批服务改革", "一照通信易批改革"),
    ("整村授信", "整村授信工程"),
    ("反向飞地", "“反向飞地”模式"),
    ("产业村长", "产业村长制度"),
    ("建百带千", "“建百带千”工程"),
    ("县管校聘", "中小学教师县管校聘改革"),
    ("村医“镇村一体化”管理", "村医镇村一体化管理改革"),
    ("优化营商环境“十大举措”", "营商环境十大举措"),
]

# Different reforms that share common words (改革, 制度, 县, 管理): must not match on the name alone.
UNRELATED = [
    ("一照通", "整村授信"),
    ("商事制度改革", "医药卫生体制改革"),
    ("县管校聘", "县域医共体"),
    ("农村综合改革", "国资国企改革"),
    ("河长制", "林长制"),
    ("适老化改造", "城市更新改造"),
    ("全员招商体系", "干部考评机制"),
    ("村医“镇村一体化”管理", "“百千万工程”"),
]


@pytest.mark.parametrize(("gold", "predicted"), PARAPHRASES)
def test_paraphrased_names_score_at_or_above_the_threshold(gold: str, predicted: str) -> None:
    assert _name_similarity(predicted, gold) >= THRESHOLD


@pytest.mark.parametrize(("gold", "predicted"), UNRELATED)
def test_unrelated_names_score_below_the_threshold(gold: str, predicted: str) -> None:
    assert _name_similarity(predicted, gold) < THRESHOLD


def test_the_same_name_scores_one_and_a_name_in_a_longer_one_scores_three_quarters() -> None:
    assert _name_similarity("“县管校聘”", "县管校聘") == 1.0
    assert _name_similarity("中小学教师县管校聘改革", "县管校聘") == 0.75


def test_two_character_names_get_no_containment_credit() -> None:
    # `改革` is inside almost every name; it must not match them.
    assert _name_similarity("改革", "县管校聘改革") < THRESHOLD


SOURCE = "我市推进县管校聘改革。整村授信覆盖全市。反向飞地落地罗湖。"


def test_span_with_wrong_offsets_is_not_grounded_but_is_still_placed() -> None:
    placed = place_span(Span(text="整村授信覆盖全市。", start=0, end=9), SOURCE)
    assert not placed.grounded
    assert SOURCE[placed.start : placed.end] == "整村授信覆盖全市。"


def test_span_without_offsets_is_grounded_when_its_text_is_in_the_source() -> None:
    assert place_span(Span(text="反向飞地落地罗湖"), SOURCE).grounded
    assert not place_span(Span(text="不在原文中的句子"), SOURCE).grounded


def test_overlap_is_one_for_a_contained_passage_and_zero_for_another_sentence() -> None:
    sentence = place_span(Span(text="整村授信覆盖全市。"), SOURCE)
    inside = place_span(Span(text="授信覆盖"), SOURCE)
    other = place_span(Span(text="反向飞地落地罗湖。"), SOURCE)
    assert overlap_matrix([inside, other], [sentence]).tolist() == [[1.0], [0.0]]


def test_a_reworded_name_with_the_same_evidence_matches() -> None:
    # name 0.5 alone is no match; the shared passage lifts it to (0.5 + 1) / 2.
    name = text_similarity([normalize("飞地园区")], [normalize("反向飞地")])
    assert name[0, 0] < THRESHOLD
    assert combine(name, np.ones((1, 1)))[0, 0] >= THRESHOLD


def test_assignment_prefers_more_matches_and_drops_pairs_below_threshold() -> None:
    similarity = np.array([[0.95, 0.8], [0.75, 0.1], [0.2, 0.65]])
    assert sorted((p, g) for p, g, _ in assign(similarity)) == [(0, 1), (1, 0)]
