"""Site chrome recognised line by line: breadcrumbs, widgets, link lists, bylines, footers.

Patterns come from the kinds seen in real pages (the seeds): `您现在的位置 : 网站首页 >> …`,
`首页 > 要闻动态 > …`, `【打印】 【字体:`, channel lists, `返回…首页`, copyright blocks.
A pattern here must never match a sentence of article text, so each is anchored or needs a
marker that prose does not use. Each pattern also runs in linear time on a line of any length: no
unanchored `.+` before a marker (`.+\s*»\s*.+` took 10.7 s on one 20,000-character line; the
lookaround form is O(n)), and repeats are bounded; `bench/bench_long_lines.py` measures it.
"""

from __future__ import annotations

import re

_NAV_PATTERNS = [
    r"^(您现在的位置|当前位置|你的位置|所在位置)",
    r"^首页\s*[>›»]",
    r"(?<=.)(?:>>|»|›)(?=.)",  # breadcrumb trail: a marker with text on both sides
    r"^[^。，,；]{1,12}(\s+>\s+[^。，,；]{1,16}){1,}$",  # 首页 > 要闻动态 > …
    r"^【(打印|字体|关闭|大|中|小|收藏)",
    r"^(发布日期|发布时间|时间|日期|来源|文章来源|稿源|作者|编辑|责任编辑|审核|校对|特约记者|通讯员|浏览次数|点击数)\s*[:：]",
    r"^(文|图)/\s*\S+记者",
    r"^[(（]\S{2,20}记者[^)）]*[)）]$",
    r"^编辑\s+\S+",
    r"^(分享到|扫一扫|打印本页|关闭窗口|上一篇|下一篇|阅读下一篇|字号)",
    r"^返回.{0,20}首页",
    r"^\S+\.(jpg|jpeg|png|gif|webp)$",
    r"图片来源\s*[:：]",
    r"^(Baidu|map|Google)$",
    r"^[•·▪■◆●]\s*\S{1,12}$",  # one item of a link list
    r"^(评论一下|最热评论|最新评论|还没有评论|暂时没有评论|已有\d+人参与)",
    r"^评论\s*\d+人参与",
    r"^-?我已经到底线啦-?$",
    r"^(版权所有|Copyright|©|备案号|ICP|违法和不良信息|互联网新闻信息服务)",
    r"^(电话|传真|地址|邮箱)\s*[:：]",
]
# Anchored patterns are tried once, at the line's start; the two that may match anywhere are
# searched alone (one alternation of all of them was tried at every character: 2.4 x slower).
_NAV_START = re.compile("|".join(f"(?:{p})" for p in _NAV_PATTERNS if p.startswith("^")), re.I)
_NAV_ANYWHERE = re.compile("|".join(f"(?:{p})" for p in _NAV_PATTERNS if not p.startswith("^")), re.I)

# A line that starts the page footer: everything after it is site chrome.
_FOOTER = re.compile(
    r"^(相关链接|相关阅读|相关新闻|频道精选|推荐阅读|评论一下|网友评论|以上资料仅为|版权所有|-?我已经到底线啦-?)"
)


def is_navigation(line: str) -> bool:
    """True for a stripped line that is site chrome, not article text."""
    return bool(_NAV_START.match(line) or _NAV_ANYWHERE.search(line))


def is_footer_start(line: str) -> bool:
    return bool(_FOOTER.match(line))
