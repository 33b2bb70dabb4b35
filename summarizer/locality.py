"""Locality without a model: the administrative division the title and lead talk about most.

The gazetteer is `cpca`'s table of China's divisions (province, city, county/district, with
adcodes; offline). Every division is looked up by its full name (`潮州市`) and its short name
(`潮州`); the title counts three times. A district keeps its city (`珠海市金湾区`), and every
place gets its province from the adcode. Without `cpca` installed, a regex suffix rule finds
names ending in 省/市/县/区 and leaves the province empty.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

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
    table = {}
    for adcode, name in _cpca_rows():
        code = adcode[:6]
        table[code] = (name, _level_of(code, name))
    return table


def _cpca_rows() -> list[tuple[str, str]]:
    """(adcode, name) rows of cpca's table, read from its CSV: `import cpca` costs 0.3 s (it
    loads pkg_resources) for a file that takes 5 ms to read."""
    spec = importlib.util.find_spec("cpca")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "resources" / "adcodes.csv"
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                rows = {r["adcode"]: r["name"] for r in csv.DictReader(handle)}  # as cpca keys them
            return list(rows.items())
    try:
        import cpca
    except ImportError:
        return []
    return [(str(info.adcode), info.name) for info in cpca.ad_2_addr_dict.values()]


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Built once: short name -> adcodes, and first two characters -> short names (the table has
    pseudo-names such as `县`; names shorter than 2 are left out)."""
    by_short: dict[str, list[str]] = {}
    for code, (name, _) in _gazetteer().items():
        short = _short(name)
        if len(short) >= 2:
            by_short.setdefault(short, []).append(code)
    by_start: dict[str, list[str]] = {}
    for short in by_short:
        by_start.setdefault(short[:2], []).append(short)
    return by_short, by_start


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
    by_short, by_start = _index()
    # The short names printed in `text`, found from their first two characters (one lookup per
    # character instead of 3,500 `str.count` calls per text), then counted as before.
    present = {
        short
        for i in range(len(text) - 1)
        for short in by_start.get(text[i : i + 2], ())
        if text.startswith(short, i)
    }
    counts: Counter[str] = Counter()
    for short in present:
        for code in by_short[short]:
            counts[code] = text.count(short)
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
