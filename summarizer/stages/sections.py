"""Where an article reports what was done, and where it plans: a work report's coming-year
section (`二、2026年工作安排`, `“十五五”时期主要目标任务`) holds targets, not results, except for the
paragraphs that look back (`过去五年，…`) under a heading that joins both.

Pure: a body in, stretches of body offsets out. Candidates are taken only from the review
stretches, so a plan's later mention of a name never replaces the mention that reports it. The
candidates, the rules' figure filter and `decomposed` all ask for one article's stretches, so the
last few bodies' answers are kept (`lru_cache`) instead of scanning the body three times.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence

# A heading that opens the coming year's tasks (a work report's `二、2026年工作安排`, `下一步`).
_PLAN_HEADING = re.compile(
    r"(?:(?:20\d\d|今|明)年(?:的)?(?:政府)?(?:工作|重点|主要|目标)|工作安排|总体要求|预期目标|下一步|今后五年|"
    r"“十五五”时期(?:经济社会)?发展的|奋斗目标|目标任务|主要目标|主要任务|重要要求|重点任务)"
)


@functools.lru_cache(maxsize=16)
def review_stretches(body: str) -> tuple[tuple[int, int], ...]:
    """The stretches of the body that report what was done, in order: all of it before a heading
    that opens the coming year's tasks, and after that heading the paragraphs that look back
    (`过去五年，…`): a work report's heading may join both (`“十四五”时期发展成就和“十五五”时期主要目标任务`)."""
    plan_from = _plan_section_start(body)
    stretches, pos = [(0, _shortcomings_start(body, plan_from))], plan_from
    for line in body[plan_from:].split("\n"):
        if _LOOKING_BACK.match(line.lstrip("\u3000 ")):
            stretches.append((pos, pos + len(line)))
        pos += len(line) + 1
    return tuple(stretches)


# A paragraph that reviews past years, wherever it stands.
_LOOKING_BACK = re.compile(r"(?:过去五年|这五年|五年来|过去一年|这一年|一年来|回顾过去)")


# A work report closes its review with what is still wrong (`我们也清醒认识到`, `问题也不容忽视`):
# shortcomings, not results, up to the plans.
_SHORTCOMINGS = re.compile(r"清醒认识到|清醒看到|不容忽视|面临一些困难和挑战|存在不少问题")


def _shortcomings_start(body: str, plan_from: int) -> int:
    """Where the paragraphs of shortcomings before the plans begin (in the last half of the
    review), else `plan_from`."""
    start = body.rfind("\n", 0, plan_from - 1) + 1
    for _ in range(3):  # the shortcomings take at most the last few paragraphs
        if start <= plan_from // 2:
            break
        if _SHORTCOMINGS.search(body[start : start + 60]):
            return start
        start = body.rfind("\n", 0, start - 1) + 1
    return plan_from


def inside(stretches: Sequence[tuple[int, int]], position: int) -> bool:
    """Whether body offset `position` lies in one of `stretches` (sorted, disjoint)."""
    at = bisect.bisect_right([start for start, _ in stretches], position) - 1
    return at >= 0 and position < stretches[at][1]


def _plan_section_start(body: str) -> int:
    """Where a heading opens the coming year's tasks (after the first fifth of the body), else the end."""
    pos = 0
    for line in body.split("\n"):
        if (
            len(line) <= 40
            and not line.endswith("。")
            and _PLAN_HEADING.search(line)
            and pos > len(body) // 5
        ):
            return pos
        pos += len(line) + 1
    return len(body)
