"""The words around a reform's name, shared by the candidate finder and `choose`'s options: the
verbs that introduce a name (the name starts after them), quoted and 《》 names, and the number of a
list item or heading. Pure patterns; no model."""

from __future__ import annotations

import re

# Words that introduce a reform rather than name it; the name starts after the last one.
_LEAD_VERBS = re.compile(
    r"(?:打造|改造|建设)成(?![渝都])|大力|持续|深入|全面|积极|加快|着力|率先|全力|不断|扎实|稳步|进一步|先后|同时|首创(?!型)|新创建|创建|"
    r"深化|推进|推动|实施|推行|推出|推广|建立|构建|打造|开展|启动|探索|完善|实行|落实|谋划|培育|支持|"
    r"健全|布局|出台|制定|印发|组建|成立|设立|抓好|围绕|聚焦|依托|通过|入选|获批|被纳入|纳入|形成|成功|坚持|提出|紧扣|强化|抓实|做靓|做优|做强|做大|做实|打好|打赢|"
    r"立足|(?:高标准|高质量|高水平)建设"
)
_LEAD_CHARS = "的了以在将把对由为是有和与及、 "
# A count of what was built or set up opens no name: the name is what it counts
# (`新建9个“口袋公园”` -> `“口袋公园”`, `组建28个社区服务工作组` -> `社区服务工作组`).
_BUILT = "新建|新增|新改建|改扩建|建成|改造|打造|培育|引进|组建|成立|设立"
_COUNTED = r"(?:[0-9０-９]+|[一二三四五六七八九十百千]{2,}|[二三四五六七八九十])(?:万|亿)?(?:余|多)?[个家项座所条处批支]"
_LEAD_COUNT = re.compile(rf"(?:{_BUILT})?{_COUNTED}(?=“|[^0-9０-９的“]....)")
# What is left of a count too short to name anything alone (`新建3个帮扶项目`): a clause, no name.
BUILT_COUNT = re.compile(rf"(?:{_BUILT}){_COUNTED}(?![0-9０-９])")
QUOTED = re.compile(r"“[^“”]{2,16}”(?:\+“[^“”]{2,16}”)*|《[^《》]{2,28}》")
# The number of a list item or heading: `（一）`, `一、`, `1.`, `一是`, `其一`, `首先`.
ORDINAL = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[.．、]|"
    r"其[一二三四五六七八九十]|首先|其次|再次|最后)\s*"
)


def trim_lead(head: str) -> int:
    """Where the name starts in `head`: after the last introducing verb that leaves 3+ characters."""
    start = 0
    for m in _LEAD_VERBS.finditer(head):
        if len(head) - m.end() >= 3:
            start = m.end()
    while start < len(head) - 3 and head[start] in _LEAD_CHARS:
        start += 1
    if count := _LEAD_COUNT.match(head, start):
        start = count.end()
    return start


# A program's own name (`“双招双引”提升行动`, `项目投资提升行动`, `“琢玉工程”`): a piece of work
# wherever it is printed, in a heading (`深入实施项目投资提升行动`) or after another name.
PROGRAM = re.compile(r"(?:行动|工程|计划)”?$")
