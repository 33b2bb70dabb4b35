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
    locality = find_locality(ingest_file(SEEDS / f"{stem}.txt"))
    assert (locality.name, locality.level, locality.province) == (name, level, province)


def test_slogans_are_not_places():
    locality = find_locality(ingest_text("强县促镇带村 闯出潮州新路\n潮州推进改革。\n", "t"))
    assert locality.name == "潮州市"


def test_no_place_gives_an_empty_name():
    locality = find_locality(ingest_text("改革综述\n今天天气很好。\n", "t"))
    assert locality.name == "" and locality.level == "other"


@pytest.mark.parametrize(
    ("title", "body", "name", "level"),
    [
        # autonomous prefectures and counties by their short names (`凉山州`, `德宏`)
        ("凉山州：推进乡村振兴", "凉山州推进乡村振兴，建成安置点1000个。", "凉山彝族自治州", "city"),
        ("德宏：口岸经济提速", "德宏州推进口岸改革，德宏进出口增长9%。", "德宏傣族景颇族自治州", "city"),
        ("黔东南州传统村落保护", "黔东南州保护传统村落400个。", "黔东南苗族侗族自治州", "city"),
        ("白沙县：茶旅融合", "白沙县推进茶旅融合，游客增长20%。", "白沙黎族自治县", "county"),
        ("锡林郭勒盟深化牧区改革", "锡林郭勒盟推行草原生态补奖。", "锡林郭勒盟", "city"),
        # a province's name is the province, not a prefecture that shares it (海南藏族自治州)
        ("海南：自贸港建设提速", "海南推进自贸港建设，新增市场主体10万户。", "海南省", "province"),
        # development zones and new areas, also when the gazetteer knows no place in them
        (
            "苏州工业园区：开放创新再出发",
            "苏州工业园区推进制度型开放，新增企业300家。",
            "苏州工业园区",
            "other",
        ),
        # a kind's short form is named in full, as labelers name zones (`重庆高新区` in unseen pages)
        ("长沙经开区：链式招商见实效", "长沙经开区推行链长制，引进项目60个。", "长沙经济技术开发区", "other"),
        ("重庆高新区：双化协同", "重庆高新区推进数字化绿色化协同转型。", "重庆高新技术产业开发区", "other"),
        ("上海临港新片区制度创新见成效", "临港新片区推出制度创新案例30项。", "临港新片区", "other"),
        ("西咸新区 打造创新高地", "西咸新区推进秦创原建设，新增企业500家。", "西咸新区", "other"),
        (
            "西部（重庆）科学城：扎实推动高质量发展",
            "西部（重庆）科学城新增企业100家。",
            "西部（重庆）科学城",
            "other",
        ),
        (
            "杭州未来科技城：执创新之笔",
            "杭州未来科技城集聚海外人才1万余名。",
            "杭州未来科技城",
            "other",
        ),
        (
            "横琴粤澳深度合作区建设提速",
            "横琴粤澳深度合作区新增澳资企业800家。",
            "横琴粤澳深度合作区",
            "other",
        ),
    ],
)
def test_prefectures_leagues_and_zones(title, body, name, level):
    locality = find_locality(ingest_text(f"# {title}\n\n{body}\n", "t"))
    assert (locality.name, locality.level) == (name, level)


def test_a_zone_named_by_a_place_stem_only_in_the_lead_is_not_the_locality():
    """`毕节试验区` in the lead of an article titled `毕节` is the city's nickname, not a zone title."""
    text = "# 新发展理念引领毕节发展\n\n毕节市推进改革。毕节试验区建设取得成效，苏州工业园区结对帮扶。\n"
    assert find_locality(ingest_text(text, "t")).name == "毕节市"


def test_a_zone_is_named_in_full_when_the_lead_prints_its_full_name():
    text = "# 新都高新区：打造产业新高地\n\n成都新都高新技术产业园区推进产业建圈强链，新增企业100家。\n"
    assert find_locality(ingest_text(text, "t")).name == "新都高新技术产业园区"


def test_the_fullest_name_of_the_title_s_zone_is_taken_from_anywhere_but_only_of_its_kind():
    tail = "推进改革。" * 200  # past the lead
    text = f"# 咸阳高新区：发展新质生产力\n\n咸阳高新区推进数字化转型。{tail}\n数据来源：咸阳高新技术产业开发区管委会\n"
    assert find_locality(ingest_text(text, "t")).name == "咸阳高新技术产业开发区"
    text = "# 贵安新区：推动高质量发展\n\n贵安新区推进改革，贵安综合保税区进出口增长20%。\n"
    assert find_locality(ingest_text(text, "t")).name == "贵安新区"  # a zone of another kind


def test_a_prefecture_s_bare_name_is_a_word_unless_the_prefecture_is_named():
    """`文山会海` is a phrase (too many documents and meetings), not 文山壮族苗族自治州."""
    text = "# 破除文山会海 为基层减负\n\n昆明市精简文件会议，会议数量下降30%。\n"
    assert find_locality(ingest_text(text, "t")).name == "昆明市"


@pytest.mark.parametrize(
    ("title", "body", "name"),
    [
        ("郑州航空港区：打造枢纽经济", "郑州航空港区推进航空物流改革。", "郑州航空港区"),
        (
            "郑州航空港区：打造枢纽经济",
            "郑州航空港经济综合实验区推进航空物流改革，货邮吞吐量增长12%。",
            "郑州航空港经济综合实验区",
        ),
    ],
)
def test_an_airport_zone_is_named_in_full_where_the_article_prints_it(title, body, name):
    assert find_locality(ingest_text(f"# {title}\n\n{body}\n", "t")).name == name


def test_a_company_s_industrial_park_is_not_a_locality():
    text = "# 海尔产业园区本月开建\n\n天津市津南区海尔产业园区本月开建，总投资50亿元。天津市推进项目建设。\n"
    assert find_locality(ingest_text(text, "t")).name != "海尔产业园区"


def test_a_title_city_the_text_never_names_gives_way_to_the_county_it_reports():
    text = (
        "# 保定市：小城大产业向“智”而行\n\n"
        "高阳县纺织产业推进数字化改造。高阳县建成智能工厂20家。高阳县毛巾产量占全国三分之一。\n"
    )
    assert find_locality(ingest_text(text, "t")).name == "高阳县"
    named = text.replace("高阳县纺织", "保定市高阳县纺织")  # the city named too: the title holds
    assert find_locality(ingest_text(named, "t")).name == "保定市"


@pytest.mark.parametrize(
    ("title", "body", "name"),
    [
        # one name, four districts: the one whose city the article prints
        ("鼓楼区推进老城保护", "福州市鼓楼区推进老城保护，鼓楼区完成改造项目30个。", "福州市鼓楼区"),
        ("鼓楼区推进老城保护", "南京市鼓楼区推进老城保护，鼓楼区完成改造项目30个。", "南京市鼓楼区"),
        # a municipality's district takes the municipality's name, not its `市辖区` level
        ("海淀区建设创新高地", "北京市海淀区聚焦科技创新，海淀区企业数量超过1万家。", "北京市海淀区"),
        ("杭州市萧山区：擦亮金名片", "萧山区坚持教育优先，全区新建学校10所。", "杭州市萧山区"),
    ],
)
def test_a_district_is_named_with_the_city_the_article_prints(title, body, name):
    locality = find_locality(ingest_text(f"{title}\n{body}\n", "t"))
    assert (locality.name, locality.level) == (name, "district")


def test_a_division_inside_a_word_of_the_title_gives_way_to_the_title_s_city():
    """`最北林区` (the northernmost forest region) holds 北林区, a district of 绥化市: a county or
    district outside the city the title names is not the article's place."""
    article = ingest_text("黑龙江省大兴安岭地区  书写祖国最北林区的绿色答卷\n　　林区生态持续向好。", "a")
    assert find_locality(article).name == "大兴安岭地区"


def test_an_innovation_district_is_not_a_new_area():
    article = ingest_text(
        "上海杨浦向新而行  全力推进杨“数”浦新质秀带创新区建设\n　　杨浦区新增科技企业300家。", "a"
    )
    assert find_locality(article).name == "上海市杨浦区"


@pytest.mark.parametrize(
    ("title", "name", "level", "province"),
    [
        # districts formed after 2018 (cpca 0.5.5's table had the old 城区 and 郊区 of 长治市)
        ("山西省长治市潞州区：描绘文旅康养融合发展新图景", "长治市潞州区", "district", "山西省"),
        ("山东济南莱芜区：老工业区焕新", "济南市莱芜区", "district", "山东省"),
        # a municipality's city level is the municipality itself, a province-level place
        ("2026年天津市政府工作报告", "天津市", "province", "天津市"),
    ],
)
def test_the_gazetteer_knows_todays_divisions(title, name, level, province):
    locality = find_locality(ingest_text(f"{title}\n{title[:8]}推进改革。\n", "t"))
    assert (locality.name, locality.level, locality.province) == (name, level, province)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "关于加强临港新片区太阳能光伏系统建设管理的通知\n为推动临港新片区光伏应用。\n"
            "发布单位：中国（上海）自由贸易试验区临港新片区管理委员会\n",
            "中国（上海）自由贸易试验区临港新片区",
        ),
        ("海南自贸港遇全球最大自贸区：RCEP带来更多开放红利\n海南自贸港机遇多于挑战。\n", "海南自由贸易港"),
        # a title that points at its zone (`这个高新区`) means the one the lead names; words before a
        # place are not part of the zone's name
        (
            "这个高新区如何打造投资引力场\n一季度湖北荆门高新区产值同比增四成。荆门高新区招商。\n",
            "荆门高新技术产业开发区",
        ),
    ],
)
def test_a_zone_is_named_without_the_words_that_lead_to_it_and_with_the_zone_it_belongs_to(text, name):
    locality = find_locality(ingest_text(text, "t"))
    assert (locality.name, locality.level) == (name, "other")


@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        (
            "上海市奉贤区柘林镇人民政府关于印发《文物保护管理办法》的通知\n柘林镇加强文物保护。\n",
            "上海市奉贤区柘林镇",
            "town",
        ),
        (
            "东升：一个科创小镇的生长笔记\n数据来源：北京市海淀区东升镇人民政府\n东升镇隶属于北京市海淀区。\n",
            "北京市海淀区东升镇",
            "town",
        ),
        (
            "浙江东阳横店：从影视拍摄基地到文化创新高地\n金华市东阳市的横店镇吸引了全球目光。\n",
            "东阳市横店镇",
            "town",
        ),
        # the seat town named like its county stands for no town; a town only in the lead is a part
        ("黑龙江省庆安县 农旅融合铺就共富路\n庆安县庆安镇推进改革。\n", "庆安县", "county"),
        ("平远县深化改革\n平远县仁居镇推进改革，平远县全县推进。\n", "平远县", "county"),
    ],
)
def test_a_town_is_the_locality_when_the_title_names_it(text, name, level):
    locality = find_locality(ingest_text(text, "t"))
    assert (locality.name, locality.level) == (name, level)


def test_an_autonomous_regions_everyday_name_counts_in_the_title():
    text = "1-7月宁夏扩大有效投资重大项目推进情况\n全区重大项目加速推进，中卫市增长36.4%，银川市增长7.5%，银川市领先。\n"
    locality = find_locality(ingest_text(text, "t"))
    assert (locality.name, locality.level) == ("宁夏回族自治区", "province")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "一个GDP在安徽排第60的县劝公务员买房\n安徽宿州泗县正式发文。泗县房产管理服务中心回应。"
            "泗县的倡议书已删除。泗县此前还出台政策。\n",
            "泗县",
        ),
        # a ranking of the province's cities is about the province
        (
            "安徽16市GDP排行出炉\n合肥市居首，芜湖市第二，合肥市增速领先，芜湖市、阜阳市紧随。合肥市稳居。\n",
            "安徽省",
        ),
    ],
)
def test_a_province_in_the_title_gives_way_to_the_one_place_the_text_reports_on(text, name):
    assert find_locality(ingest_text(text, "t")).name == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # words that end in 镇, 乡 or 街道 are no towns
        ("庆安县推进城乡融合发展\n庆安县推进城乡融合发展。\n", "庆安县"),
        ("长丰县打造工业强镇\n长丰县打造工业强镇。\n", "长丰县"),
        ("海淀区以党建引领街道治理\n北京市海淀区以党建引领街道治理。\n", "北京市海淀区"),
        # zones side by side are two zones; only a part of a free trade zone is named with it
        (
            "重庆高新区：打造科技创新高地\n记者从西部（重庆）科学城重庆高新区管委会获悉。\n",
            "重庆高新技术产业开发区",
        ),
        ("雄安新区：建设未来之城\n" + "浦东新区滨海新区两江新区舟山群岛新区兰州新区" * 2 + "\n", "雄安新区"),
        # the place that names a zone stays in its name
        ("海南自由贸易港建设取得新进展\n海南自由贸易港推进改革。\n", "海南自由贸易港"),
    ],
)
def test_words_and_neighbouring_zones_are_not_read_as_one_place(text, name):
    assert find_locality(ingest_text(text, "t")).name == name


def test_zones_printed_back_to_back_stay_linear():
    body = "两江新区天府新区" * 25_000  # 200,000 characters of adjacent zones
    locality = find_locality(ingest_text("临港新片区发展\n" + body + "\n", "t"))
    assert locality.name == "临港新片区"


def test_a_locality_goes_by_its_division_short_and_bare_names():
    from summarizer.stages.locality import names_of

    assert names_of("杭州市拱墅区") == ["杭州市拱墅区", "拱墅区", "拱墅"]
    assert {"石柱", "石柱县"} <= set(names_of("石柱土家族自治县"))  # everyday names of an autonomous county
    assert names_of("") == [""]
