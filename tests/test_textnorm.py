"""The one text normalizer (and the candidates' quote stripper), and the name thresholds of each purpose."""

from __future__ import annotations

import pytest

from summarizer.briefing import memo_overview
from summarizer.briefing.memo_overview import SHARED_NAME_RATIO, similar_names
from summarizer.core.models import Initiative, Span
from summarizer.core.textnorm import MIN_CONTAINED_NAME_CHARS, normalize, unquote
from summarizer.evaluation import matching
from summarizer.stages import merge
from summarizer.stages.candidates import Candidate, Sentence, add_candidate
from summarizer.stages.merge import MERGE_NAME_RATIO, merge_initiatives


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“一照通”+“信易批”审批服务改革", "一照通信易批审批服务改革"),
        ("潮州—罗湖创享岛“反向飞地”", "潮州罗湖创享岛反向飞地"),  # dashes go like any punctuation
        ("150亿方/年天然气产能", "150亿方年天然气产能"),
        ("ＳＯＦＣ　示范（一期）", "SOFC示范一期"),  # NFKC: full-width letters, spaces and brackets
        ("“2.0升级版”", "20升级版"),
        ("snake_case", "snakecase"),
        ("", ""),
    ],
)
def test_normalize_keeps_letters_and_digits_only(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("“1+4”产业发展五大示范片区", "1+4产业发展五大示范片区"),
        ("《潮州市营商环境条例》", "潮州市营商环境条例"),
        ("“0.1微克” 攻坚\u3000行动", "0.1微克攻坚行动"),
        ("教育、医疗“三年提升计划”", "教育、医疗三年提升计划"),
        ("'县管校聘'\n改革", "县管校聘改革"),
    ],
)
def test_unquote_drops_quote_marks_and_spaces_and_keeps_the_rest(name: str, expected: str) -> None:
    assert unquote(name) == expected


def test_every_name_comparison_uses_the_core_normalizer() -> None:
    assert matching.normalize is normalize
    assert memo_overview.normalize is normalize
    assert merge.normalize is normalize


def test_the_memo_overview_and_the_scorer_fold_names_alike() -> None:
    a, b = "潮州—罗湖创享岛", "潮州罗湖创享岛"
    assert similar_names(a, b)
    assert matching.text_similarity([normalize(a)], [normalize(b)])[0, 0] == 1.0


def test_candidates_keep_formula_names_apart() -> None:
    sentence = Sentence(0, 1, "x", 0)
    found: list[Candidate] = []
    for name in ("“1+4”", "14", "“信用+”", "信用+模式"):
        add_candidate(found, Candidate(name, 0, 0, sentence))
    # `1+4` is not `14`; `信用+模式` is `“信用+”` with a reform word, and the fuller name stays
    assert [c.name for c in found] == ["“1+4”", "14", "信用+模式"]


def _item(name: str, start: int) -> Initiative:
    span = Span(text="证据", start=start, end=start + 2)
    return Initiative(name=name, domain="other", description="", evidence=[span])


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        ("美丽宁夏建设", "美丽新宁夏建设", True),  # ratio 92: a name written again, a character more
        ("SOFC示范项目", "sofc示范项目", True),  # case folded
        ("生态产品价值实现机制基金", "生态产品价值实现机制试点", False),  # 83: two reforms
    ],
)
def test_merge_name_ratio(a: str, b: str, merged: bool) -> None:
    assert MERGE_NAME_RATIO == 85
    assert (len(merge_initiatives([_item(a, 0), _item(b, 100)])) == 1) is merged


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("国防和军队建设", "国防和军队现代化建设", True),  # ratio 82
        ("“两重”“两新”政策", "“两重”、“两新”等国家政策", True),  # 80
        ("经营模式", "经验模式", False),  # 75: different reforms one word apart
        ("国土空间管控体系", "国土空间规划体系", False),  # 75
    ],
)
def test_shared_name_ratio(a: str, b: str, same: bool) -> None:
    assert SHARED_NAME_RATIO == 80
    assert similar_names(a, b) is same


def test_a_contained_name_counts_from_three_characters() -> None:
    assert MIN_CONTAINED_NAME_CHARS == 3
    assert similar_names("县管校聘", "中小学教师县管校聘改革")
    assert not similar_names("改革", "审批服务改革")
    similarity = matching.text_similarity(["县管校", "改革"], ["县管校聘改革"])
    assert similarity[0, 0] == matching.CONTAINED_SCORE and similarity[1, 0] < matching.CONTAINED_SCORE
