"""The deterministic figure normalizer: finds figures in Chinese text and computes value and unit.

Rules (the same for pipeline output, gold files and evaluation):
- A figure is a number (Arabic, with optional thousands commas and decimals, or Chinese numerals
  such as 十五, 两百) followed by an optional magnitude and an optional unit.
- Magnitudes multiply: 千 ×1e3, 万 ×1e4, 亿 ×1e8, 万亿 ×1e12, 千万 ×1e7, 百万 ×1e6.
- A percentage keeps its percent number: `85%` -> 85, unit `%` (full-width `％` too), and
  ends at its percent sign (`70%村卫生室` is 70 %, not 70 村); `个百分点` is its own unit.
- A range (`3-5天`, `3至5天`, `10%-20%`) normalizes to its lower bound; `value_text` keeps the
  whole range as printed.
- `余`/`多` (about, more than) between number and unit are skipped: `120余万元` -> 1200000 元.
- Dates are not figures: `2023年`, `9月5日`, `2023-07-18` are skipped.
- Chinese numerals count as figures only when a unit follows (`十项`, `两万三千户`, `三点五亿元`),
  so `一批` is not a figure; a lone `一` never counts (`一镇一策`, `一村一品`). `百分之二十` is 20 %.
  Their values come from `cn2an` (maintained, made for Chinese numerals); finding figures and
  units in running text stays ours, because no library does that for reform reporting.
- A bare number with no magnitude, unit or percent sign (`18`, a clock time) is not found as a
  figure in running text, but `parse_figure("44")` still gives 44.
- `value` is None when the text holds no number; `unit` is None when none follows the number.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

_MAGNITUDES = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "亿": 1e8, "万": 1e4, "千": 1e3}

# Longest first so `平方公里` wins over `公里` and `个百分点` over `个`.
UNITS = sorted(
    # Measures of quantity, money, area, energy and time, then the general classifiers (量词) that
    # count things in reform reporting; a unit-less count is not found in running text, so a
    # missing classifier loses the figure.
    """个百分点 个工作日 工作日 平方公里 平方米 立方米 千瓦时 公里 千米 千瓦 人次 美元 欧元 港元 元 户 亩 吨 项 个 家
    人 名 次 件 条 所 座 宗 笔 套 台 辆 间 张 场 批 村 镇 米 瓦 度 天 小时 分钟 倍 位 年 支 口 份 类 种 % ％ kW MW
    GW km 微克/立方米 吨标准煤 标准箱 标箱 千克 公斤 斤 克 升 艘次 艘 架次 架 班次 班 列 趟 辆次 户次
    件次 亩次 家次 场次 册次 个月 周 处 部 单 只 对 栋 幢 款 颗 株 棵 头 匹 床 门 册 篇 届 期 轮 段 层 块 根 枚 道 片 网点
    公顷 平方千米 千公顷 TEU 集 首 幅 盏 眼 起 组 方面 kWh MWh GWh TWh 车次 航次 批次""".split(),
    key=len,
    reverse=True,
)
# Chinese numerals before these are mostly idiom (`一批`, `六次全会`), not figures.
_UNITS_CN_NUMERAL = [
    u
    for u in UNITS
    if u
    not in {
        "集",
        "首",
        "起",
        "组",
        "方面",
        "幅",
        "盏",
        "眼",
        "次",
        "年",
        "位",
        "名",
        "批",
        "场",
        "张",
        "种",
        "类",
        "份",
        "口",
        "村",
        "镇",
        "届",
        "期",
        "轮",
        "段",
        "层",
        "道",
        "片",
        "门",
        "头",
        "部",
        "单",
        "只",
        "对",
        "周",
        "班",
        "列",
        "块",
        "根",
        "枚",
        "篇",
        "册",
        "床",
        "株",
        "棵",
        "匹",
        "款",
        "颗",
        "处",
        "趟",
        "架",
        "网点",
    }
]

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A Chinese numeral may hold 万/亿 inside (`两万三千`) and a decimal part (`三点五`).
# At most 16 numeral characters (`一千二百三十四万五千六百七十八` is 15): a longer run is no figure, and
# an unbounded one made each try scan to the run's end (`一万一万…`: quadratic, 4 s for 6,000
# characters).
_CHINESE = r"[零〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]{0,15}(?:点[零〇一二两三四五六七八九]{1,8})?"
# 千 before 克, 米, 瓦 or 公顷 is the unit's own prefix (`0.13千克` is 0.13 kg, not 130 g).
_MAG = r"(?:万亿|千万|百万|亿|万|千(?!克|米|瓦|公顷))"
_RANGE_SEP = r"(?:-|~|～|—|–|至|到)"
_ABOUT = r"(?:余|多)?"  # `120余万元`, `1000多条`: an approximate figure keeps its number
_UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"
_UNIT_CN = "(?:" + "|".join(re.escape(u) for u in _UNITS_CN_NUMERAL) + ")"

_ARABIC_FIGURE = re.compile(
    rf"(?<![\d.])(?P<num>{_ARABIC})(?:%|％)?(?:{_RANGE_SEP}{_ARABIC})?{_ABOUT}(?P<mag>{_MAG})?{_ABOUT}(?P<unit>{_UNIT})?"
)
# A numeral starts where a run of numerals starts: trying every position inside a long run of
# them (`一二三…`, no unit after) was quadratic, 15 s on a 10,000-character line.
_CHINESE_FIGURE = re.compile(
    rf"(?<![零〇一二两三四五六七八九十百千])(?P<pct>百分之)?(?P<num>{_CHINESE}){_ABOUT}(?P<mag>{_MAG})?{_ABOUT}"
    rf"(?(pct)|(?P<unit>{_UNIT_CN}))"
)
# A Chinese numeral that counts about so many (`千余场`, `两百多处`) counts with any classifier: the
# idioms the list above keeps out (`一场`, `三处`) never take 余 or 多.
_CHINESE_ABOUT_FIGURE = re.compile(
    rf"(?<![零〇一二两三四五六七八九十百千])(?P<num>{_CHINESE})(?:余|多)(?P<mag>{_MAG})?(?P<unit>{_UNIT})"
)
# A magnitude with no numeral counts one of it (`超万亿元`, `近万家`, `上万人`, as `千亿元` counts one
# 千亿). In running text only after a word of about so many, so `千家万户` and `万人空巷` stay idiom.
_BARE_MAGNITUDE = re.compile(rf"(?P<mag>万亿|万|亿)(?:余|多)?(?P<unit>{_UNIT})")
_ABOUT_BEFORE = "超近逾上破达过约"
# After money, a class of projects or firms, not a figure (`超亿元项目`, `超亿元产业项目`,
# `营收过亿元的企业`); after a count, what is counted (`近万家企业`)
_CLASS_AFTER = re.compile(r"级|以上|的|[^，。；、\s\d]{0,4}?(?:项目|企业)")
_ARABIC_NUMBER = re.compile(_ARABIC)
_CHINESE_NUMERAL = re.compile(_CHINESE)
# Every figure starts with a digit or a numeral character (`百分之` too): text without one has none.
_ANY_NUMBER = re.compile(r"[\d零〇一二两三四五六七八九十百千]")
_DIGIT_RUN = re.compile(r"\d+")
_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千]+")
_DATE_AFTER = re.compile(r"^(?:年|月|日|号|时)")
_DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}")


@dataclass(frozen=True)
class Figure:
    value_text: str
    value: float | None
    unit: str | None
    start: int = 0
    end: int = 0

    def shifted(self, offset: int) -> Figure:
        """The same figure with its offsets moved by `offset` (from a slice's to the whole text's)."""
        return Figure(self.value_text, self.value, self.unit, self.start + offset, self.end + offset)


def parse_chinese_numeral(text: str) -> float | None:
    """`十五` -> 15, `两万三千` -> 23000, `三点五亿` -> 3.5e8, `千` -> 1000; None when `text` is not a
    numeral."""
    if not text or not _CHINESE_NUMERAL.fullmatch(text):
        return None
    if text[0] in "百千":  # a bare magnitude is one of it (`千余场`, `千亿元`, `百余亩`); cn2an reads none
        text = "一" + text
    value = _cn2an(text)
    if value is None:  # cn2an reads `三点五` but not `三点五亿`: split off the trailing magnitude
        body = text.rstrip("万亿")
        scale = 1.0
        for ch in text[len(body) :]:
            scale *= _MAGNITUDES[ch]
        inner = _cn2an(body) if body else None
        value = None if inner is None else inner * scale
    return value


_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _common_numerals() -> dict[str, float | None]:
    """What cn2an answers for the numerals reporting writes most (`两`, `十五`, `三十`, `千`, `百万`,
    `二十亿`), without importing it: 0 to 99 in words (`十`, `X`, `X十`, `十Y`, `X十Y`), the same
    times 万 or 亿, and units alone, which it does not read. tests/test_numbers.py checks every
    entry against cn2an itself."""
    ones = {d: v for d, v in _DIGITS.items() if v}
    below_100: dict[str, float | None] = {d: float(v) for d, v in _DIGITS.items()}
    below_100["十"] = 10.0
    for d, v in ones.items():
        below_100[f"十{d}"] = 10.0 + v
        below_100[f"{d}十"] = 10.0 * v
        for e, w in ones.items():
            below_100[f"{d}十{e}"] = 10.0 * v + w
    table = dict(below_100)
    for word, value in below_100.items():
        if value:
            table[word + "万"] = value * 1e4
            table[word + "亿"] = value * 1e8
    units = "百千万亿"
    table.update({a: None for a in units})
    table.update({a + b: None for a in units for b in units})
    return table


_COMMON_NUMERALS = _common_numerals()


def _cn2an(text: str) -> float | None:
    if text in _COMMON_NUMERALS:  # most figures: cn2an costs 0.3 s of CPU to import and set up
        return _COMMON_NUMERALS[text]
    import cn2an  # 0.35 s to import: only when a figure is written in Chinese numerals

    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError):
        return None


def _number(text: str) -> float | None:
    if _ARABIC_NUMBER.fullmatch(text):
        return float(text.replace(",", ""))
    return parse_chinese_numeral(text)


def _normalize(num: str, mag: str | None, unit: str | None, raw: str) -> tuple[float | None, str | None]:
    if num in ("百", "千") and not mag and "余" not in raw and "多" not in raw:
        return None, None  # `千克` is a unit, `千家万户` an idiom; `千余家`, `千亿元` are figures
    value = _number(num)
    if value is None:
        return None, None
    if mag:
        value *= _MAGNITUDES[mag]
    if unit == "％" or (unit is None and ("%" in raw or "％" in raw)):
        unit = "%"
    return _tidy(value), unit


def _tidy(value: float) -> float:
    # 357.14 * 1e8 is 35714000000.000004 in binary floating point: keep the 12 significant
    # digits a printed figure can carry (285.6亿 -> 28560000000, not 28560000000.000004).
    return float(f"{value:.12g}")


def _is_date(text: str, start: int, end: int, num: str) -> bool:
    after = text[end : end + 1]
    if _DATE_LIKE.match(text[start : start + 8]):  # a bounded slice: linear on long text
        return True
    return bool(_DATE_AFTER.match(after)) and (len(num) == 4 or after in "月日号时")


def find_figures(text: str) -> list[Figure]:
    """Every figure in `text`, in order, with offsets into `text`."""
    magnitudes = "万" in text or "亿" in text  # a bare magnitude counts too (`超万亿元`)
    if not magnitudes and not _ANY_NUMBER.search(text):
        return []
    found: list[Figure] = []
    arabic: list[tuple[int, int]] = []
    for pattern in (_ARABIC_FIGURE, _CHINESE_FIGURE, _CHINESE_ABOUT_FIGURE):
        if pattern is _CHINESE_ABOUT_FIGURE:
            if "余" not in text and "多" not in text:
                break
            taken = sorted((f.start, f.end) for f in found)  # what the patterns before found
        for m in _matches(pattern, text):
            num, mag, unit = m.group("num"), m.group("mag"), m.group("unit")
            if pattern is _CHINESE_ABOUT_FIGURE and _overlaps(taken, m.start(), m.end()):
                continue
            if pattern is _CHINESE_FIGURE and m.group("pct"):
                unit = "%"
            start, end = m.start(), m.end()
            if pattern is _ARABIC_FIGURE and _percent_then_word(text, m):
                mag, unit, end = None, None, m.start("num") + len(num) + 1  # `70%村卫生室`: 70%
            bare = not (mag or unit or "%" in m.group(0) or "％" in m.group(0))
            if pattern is _ARABIC_FIGURE and (bare or (not unit and _is_date(text, start, end, num))):
                continue
            if unit == "年" and (len(num) == 4 or _DATE_AFTER.match(text[end : end + 1])):
                continue
            if unit == "起" and start and text[start - 1] in "-/:：.年月日":
                continue  # `自2025-01-01起`, `9:00起`: from a date or a time, not a count of cases
            if pattern is not _ARABIC_FIGURE and (_overlaps(arabic, start, end) or num == "一"):
                continue  # `一镇一策`, `一项改革`: a lone 一 is wording, not a count
            value, norm_unit = _normalize(num, mag, unit, text[start:end])
            found.append(Figure(text[start:end], value, norm_unit, start, end))
        if pattern is _ARABIC_FIGURE:
            arabic = [(f.start, f.end) for f in found]
    if magnitudes:
        found.extend(_bare_magnitudes(text, sorted((f.start, f.end) for f in found)))
    return sorted(found, key=lambda f: f.start)


def _bare_magnitudes(text: str, taken: list[tuple[int, int]]) -> Iterator[Figure]:
    for m in _BARE_MAGNITUDE.finditer(text):
        start, end = m.span()
        if (
            start
            and text[start - 1] in _ABOUT_BEFORE
            and not (m.group("unit").endswith("元") and _CLASS_AFTER.match(text, end))
            and not _overlaps(taken, start, end)
        ):
            yield _bare_magnitude(m, text[start:end], start)


def _bare_magnitude(m: re.Match[str], printed: str, start: int) -> Figure:
    return Figure(printed, _MAGNITUDES[m.group("mag")], m.group("unit"), start, start + len(printed))


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, tried only where a match can start. Both figure patterns open
    with a look-behind (no digit or `.` before an Arabic number, no numeral before a Chinese one),
    so a match starts where a run of digits (numerals) starts; the regex engine tried its
    look-behind at every character instead (a third of the time of finding figures)."""
    runs, behind = (_DIGIT_RUN, ".") if pattern is _ARABIC_FIGURE else (_NUMERAL_RUN, "")
    reach = 0
    for run in runs.finditer(text):
        start = run.start()
        if start < reach or (behind and start and text[start - 1] in behind):
            continue  # inside the last match, or the look-behind fails here and within the run
        m = pattern.match(text, start)
        if m is not None:
            reach = m.end()
            yield m


def _percent_then_word(text: str, m: re.Match[str]) -> bool:
    """A percent sign ends its figure: what follows it is the next word (`70%村卫生室`, `97%门诊量`),
    unless it is a range's second percentage (`10%-20%`)."""
    after = m.end("num")
    return (
        text[after : after + 1] in ("%", "％") and m.end() > after + 1 and m.group("unit") not in ("%", "％")
    )


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of `spans` (sorted, disjoint): one bisect, not a scan."""
    at = bisect.bisect_left(spans, (end,)) - 1
    return at >= 0 and spans[at][1] > start


def parse_figure(value_text: str) -> Figure:
    """Normalize one printed figure (`357.14亿元` -> 35714000000.0, `元`).

    The first figure found in the text is used; text with no figure gives value None.
    """
    figures = find_figures(value_text)
    if not figures and (m := _BARE_MAGNITUDE.match(value_text)):  # `万亿元`, printed after `超`
        figures = [_bare_magnitude(m, m.group(0), 0)]
    if not figures:
        bare = re.search(_ARABIC, value_text)
        value = _tidy(float(bare.group(0).replace(",", ""))) if bare else None
        return Figure(value_text, value, None, 0, len(value_text))
    first = figures[0]
    return Figure(value_text, first.value, first.unit, 0, len(value_text))
