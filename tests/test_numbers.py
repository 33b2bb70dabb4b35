import pytest

from summarizer.core.numbers import find_figures, parse_chinese_numeral, parse_figure


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("357.14亿元", 35714000000.0, "元"),
        ("5.9万户", 59000.0, "户"),
        ("85%", 85.0, "%"),
        ("85％", 85.0, "%"),
        ("4.28亿元", 428000000.0, "元"),
        ("1,234万元", 12340000.0, "元"),
        ("3-5天", 3.0, "天"),
        ("3至5个工作日", 3.0, "个工作日"),
        ("十项", 10.0, "项"),
        ("2.3个百分点", 2.3, "个百分点"),
        ("1.2万亿元", 1.2e12, "元"),
        ("5千万元", 5e7, "元"),
        ("300亿米", 3e10, "米"),
        ("871户", 871.0, "户"),
        ("44", 44.0, None),
        ("一批", None, None),
        ("120余万元", 1200000.0, "元"),
        ("1000多条", 1000.0, "条"),
        ("十多家", 10.0, "家"),
        ("218口", 218.0, "口"),
        ("6支", 6.0, "支"),
        # 千 of a metric unit is the unit's prefix, not a magnitude: 0.13 kg is not 130 g
        ("0.13千克", 0.13, "千克"),
        ("3.5千米", 3.5, "千米"),
        ("8千瓦时", 8.0, "千瓦时"),
        ("1.2万千瓦", 12000.0, "千瓦"),
        ("500余场次", 500.0, "场次"),
        # energy keeps its whole unit (120GWh is not 120 GW), and trips are counted
        ("120GWh", 120.0, "GWh"),
        ("10万kWh", 100000.0, "kWh"),
        ("2.5GW", 2.5, "GW"),
        ("12555车次", 12555.0, "车次"),
        # classifiers of works and fixtures a labeler met in unseen pages (`短剧12集`)
        ("12集", 12.0, "集"),
        ("5首", 5.0, "首"),
        ("300盏", 300.0, "盏"),
        ("10眼", 10.0, "眼"),
        ("30万册次", 300000.0, "册次"),
        # a bare magnitude is one of it where the text counts with it (余, 多, a larger magnitude)
        ("千亿元", 1e11, "元"),
        ("千万标箱", 1e7, "标箱"),
        ("百余亩", 100.0, "亩"),
        ("千余家", 1000.0, "家"),
        # … and no figure in a unit's prefix or an idiom
        ("千克", None, None),
        ("千家", None, None),
    ],
)
def test_parse_figure(text, value, unit):
    figure = parse_figure(text)
    assert (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十", 10), ("十五", 15), ("二十", 20), ("两百", 200), ("一千零五", 1005), ("三", 3), ("改革", None)],
)
def test_chinese_numerals(numeral, value):
    assert parse_chinese_numeral(numeral) == value


def test_dates_and_clock_times_are_not_figures():
    text = "2023年9月5日启动，发布日期 : 2024-07-18 09:37:04，共完成5项"
    assert [f.value_text for f in find_figures(text)] == ["5项"]


def test_offsets_point_at_the_figure():
    text = "全县地区生产总值达到44.03亿元，增长5.2%。"
    for figure in find_figures(text):
        assert text[figure.start : figure.end] == figure.value_text
    assert [f.value_text for f in find_figures(text)] == ["44.03亿元", "5.2%"]


@pytest.mark.parametrize(
    ("text", "value_text", "value", "unit"),
    [
        ("新增两万三千户", "两万三千户", 23000.0, "户"),
        ("投资三点五亿元", "三点五亿元", 350000000.0, "元"),
        ("增长百分之二十", "百分之二十", 20.0, "%"),
        ("下降百分之三点五", "百分之三点五", 3.5, "%"),
        ("一亿两千万元", "一亿两千万元", 120000000.0, "元"),
        # a magnitude with no numeral, after a word of about so many, counts one of it
        ("经济总量突破万亿元大关", "万亿元", 1e12, "元"),
        ("海铁联运班列突破万列", "万列", 1e4, "列"),
        ("吸引参赛队伍上万支", "万支", 1e4, "支"),
        ("近万家企业入驻", "万家", 1e4, "家"),
    ],
)
def test_chinese_numerals_with_magnitudes_inside_are_read_whole(text, value_text, value, unit):
    (figure,) = find_figures(text)
    assert (figure.value_text, figure.value, figure.unit) == (value_text, value, unit)
    assert parse_figure(value_text).value == value


@pytest.mark.parametrize(
    ("text", "printed", "unit"),
    [
        ("70%村卫生室实现一体化管理", "70%", "%"),
        ("覆盖二级以上医疗机构97%门诊量", "97%", "%"),
        ("占比12.5％户籍人口", "12.5％", "%"),
        ("增长10%-20%", "10%-20%", "%"),
    ],
)
def test_a_percent_sign_ends_its_figure(text, printed, unit):
    (figure,) = find_figures(text)
    assert (figure.value_text, figure.unit) == (printed, unit)


def test_common_numerals_read_as_cn2an_reads_them() -> None:
    """The numerals read without importing cn2an (`两`, `十五`, `三十亿`, `千`) give exactly what
    cn2an gives, including where it reads none (`百万` alone)."""
    import cn2an

    from summarizer.core.numbers import _COMMON_NUMERALS

    def read(text: str) -> float | None:
        try:
            return float(cn2an.cn2an(text, "normal"))
        except (ValueError, KeyError, IndexError):
            return None

    assert len(_COMMON_NUMERALS) > 400
    assert {text: value for text, value in _COMMON_NUMERALS.items() if read(text) != value} == {}


def test_figures_are_matched_where_runs_start_exactly_as_finditer_matches_them() -> None:
    """`_matches` tries the figure patterns only where a run of digits (numerals) starts; on the
    corpus and on random strings of digits, numerals, units and separators it yields what
    `finditer` yields."""
    import random
    from pathlib import Path

    from summarizer.core import numbers

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    rng = random.Random(13)
    alphabet = [
        *"0123456789.,%％-~至到余多万亿千百十一二两三四五六七八九零〇项个年月日元户 号",
        "百分之",
        "个百分点",
    ]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(20_000)]
    for text in texts:
        for pattern in (numbers._ARABIC_FIGURE, numbers._CHINESE_FIGURE):
            expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in numbers._matches(pattern, text)] == expected, text


def test_more_classifiers_and_about_so_many_with_any_classifier():
    found = {
        f.value_text: (f.value, f.unit)
        for f in find_figures("查处案件21起，组建60余组，涉及4方面，举办千余场，整治两百多处。")
    }
    assert found == {
        "21起": (21.0, "起"),
        "60余组": (60.0, "组"),
        "4方面": (4.0, "方面"),
        "千余场": (1000.0, "场"),
        "两百多处": (200.0, "处"),
    }
    # wording, not counts: no 余 or 多 after a Chinese numeral before these classifiers
    assert find_figures("一方面，大家一起办好一场活动，三处景点") == []


def test_from_a_date_or_a_time_is_no_count_of_cases():
    for text in ("本办法自2025-01-01起施行", "每天9:00起免费开放", "自2025/3/1起执行"):
        assert find_figures(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "走进千家万户",
        "万人空巷",
        "万家灯火",
        "打造万亿级产业集群",
        "引进超亿元项目",
        "新开工超亿元产业项目",  # classes of projects and firms
        "培育营收超亿元企业",
        "营收过亿元的企业",
    ],
)
def test_idioms_and_classes_with_a_bare_magnitude_are_no_figures(text):
    assert [f.value for f in find_figures(text) if f.value is not None] == []
