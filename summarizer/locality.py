"""Locality without a model: the administrative division the title and lead talk about most.

The gazetteer is `cpca`'s table of China's divisions (province, city, county/district, with
adcodes; offline). Every division is looked up by its full name (`潮州市`) and its short name
(`潮州`); the title counts three times. A district keeps its city (`珠海市金湾区`), and every
place gets its province from the adcode. Without `cpca` installed, a regex suffix rule finds
names ending in 省/市/县/区 and leaves the province empty.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from summarizer.ingest import Article
from summarizer.models import Locality

_LEAD_CHARS = 600
_TITLE_WEIGHT = 3
_SUFFIXES = ("特别行政区", "自治州", "自治县", "自治区", "地区", "省", "市", "县", "区", "盟", "旗")
_PLACE = re.compile(r"([\u4e00-\u9fa5]{2,4}?(?:省|市|县|区))")
_NOT_PLACES = re.compile(
    r"(?:城区|园区|新区|高新区|开发区|示范区|试验区|片区|城市|全市|全县|全区|我市|我县|地区|社区|景区|山区)$"
)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[str, str]]:
    """adcode (6 digits) -> (full name, level), or an empty table without cpca."""
    try:
        import cpca
    except ImportError:
        return {}
    table = {}
    for info in cpca.ad_2_addr_dict.values():
        code = str(info.adcode)[:6]
        table[code] = (info.name, _level_of(code, info.name))
    return table


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


def _counts(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for code, (name, _) in _gazetteer().items():
        short = _short(name)
        hits = text.count(short) if len(short) >= 2 else 0  # the table has pseudo-names such as `县`
        if hits:
            counts[code] = hits
    return counts


def _display(code: str) -> tuple[str, str, str | None]:
    table = _gazetteer()
    name, level = table[code]
    province = table.get(code[:2] + "0000", (None,))[0]
    if level == "district" and (city := table.get(code[:4] + "00")):
        name = city[0] + name  # a district is named with its city: 珠海市金湾区
    return name, level, province


def find_locality(article: Article) -> Locality:
    """The place the article is about, from its title first, then its lead."""
    lead = article.body[:_LEAD_CHARS]
    if not _gazetteer():
        return _by_suffix(article.title, lead)
    counts = _counts(article.title)
    counts = Counter({code: n * _TITLE_WEIGHT for code, n in counts.items()}) + _counts(lead)
    if not counts:
        return Locality(name="", level="other", province=None)
    # Most mentions wins; on a tie the broader division (潮州市 over its 潮安区).
    code = max(counts, key=lambda c: (counts[c], -_rank(c)))
    name, level, province = _display(code)
    return Locality(name=name, level=level, province=province)  # type: ignore[arg-type]


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


@lru_cache(maxsize=1)
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
