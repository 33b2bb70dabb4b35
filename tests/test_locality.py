"""Locality from the division gazetteer: the seeds' places, districts with their city, provinces."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.ingest.article import ingest_file, ingest_text
from summarizer.stages.locality import find_locality

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize(
    ("stem", "name", "level", "province"),
    [
        ("000_85ee287e49764f57", "潮州市", "city", "广东省"),
        ("001_b871c692167c7342", "潮州市", "city", "广东省"),
        ("002_184599867ecce798", "永州市", "city", "湖南省"),
        ("003_b9fa52adc42cd28e", "平远县", "county", "广东省"),
        ("004_5e54178d8f9b0a9b", "珠海市金湾区", "district", "广东省"),
    ],
)
def test_seed_localities(stem, name, level, province):
    pytest.importorskip("cpca")
    locality = find_locality(ingest_file(SEEDS / f"{stem}.txt"))
    assert (locality.name, locality.level, locality.province) == (name, level, province)


def test_slogans_are_not_places():
    pytest.importorskip("cpca")
    locality = find_locality(ingest_text("强县促镇带村 闯出潮州新路\n潮州推进改革。\n", "t"))
    assert locality.name == "潮州市"


def test_no_place_gives_an_empty_name():
    locality = find_locality(ingest_text("改革综述\n今天天气很好。\n", "t"))
    assert locality.name == "" and locality.level == "other"
