"""Locality without a model: the most prominent administrative place named in title and lead.

A first, regex-based gazetteer: names ending in 省/市/县/区/镇/自治州/自治县. The place in the
title wins; a county or district named together with its city (`珠海市金湾区`) keeps the city.
"""

from __future__ import annotations

import re
from collections import Counter

from summarizer.ingest import Article
from summarizer.models import Locality

_PLACE = re.compile(r"([\u4e00-\u9fa5]{2,6}?(?:自治州|自治县|省|市|县|区|镇))")
_LEVEL = {"省": "province", "市": "city", "县": "county", "区": "district", "镇": "town",
          "自治州": "city", "自治县": "county"}  # fmt: skip
_NOT_PLACES = re.compile(r"(城区|园区|新区|高新区|开发区|示范区|试验区|片区|市场|城市|全市|全县|全区|我市|我县|我区|本市|地区|社区|景区|山区|灾区|老区|苏区|都市|县域|市域)$")
_LEAD_CHARS = 600


def _places(text: str) -> list[str]:
    names = []
    for match in _PLACE.finditer(text):
        name = match.group(1)
        if not _NOT_PLACES.search(name) and not name.startswith(("全", "各", "我", "该", "本")):
            names.append(name)
    return names


def _level(name: str) -> str:
    for suffix, level in sorted(_LEVEL.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return level
    return "other"


def find_locality(article: Article) -> Locality:
    """The place the article is about, from its title first, then its lead."""
    lead = article.body[:_LEAD_CHARS]
    counts = Counter(_places(article.title) * 3 + _places(lead))
    if not counts:
        return Locality(name="", level="other", province=None)
    name = counts.most_common(1)[0][0]
    return Locality(name=name, level=_level(name), province=None)  # type: ignore[arg-type]
