"""The `rules` strategy and the candidate finder it shares with `decomposed`: no model."""

from __future__ import annotations

import pytest

from summarizer.core.config import RunConfig
from summarizer.core.models import NAME_CHARS, Domain
from summarizer.ingest.article import ingest_text
from summarizer.stages.candidates import find_candidates, is_name
from summarizer.stages.domains import guess_domain
from summarizer.stages.grounding import is_grounded
from summarizer.strategies.rules import extract

ARTICLE = (
    "潮州市深化改革综述\n"
    "　　我市持续深化义务教育教师“县管校聘”改革，新创建2个办学联盟。\n"
    "　　潮州首创“反向飞地”，吸引十多家企业入驻。\n"
    "　　改革红利持续释放，坚持把全面深化改革作为关键一招。\n"
    "　　永州推行“一照通”+“信易批”审批服务改革、园区招商体制改革，新增经营主体5.9万户。\n"
)


@pytest.fixture
def article():
    return ingest_text(ARTICLE, "t")


def names(article):
    return [c.name for c in find_candidates(article)]


def test_keyword_phrase_is_trimmed_of_its_verbs(article):
    assert "义务教育教师“县管校聘”改革" in names(article)


def test_quoted_name_after_a_reform_verb(article):
    assert "“反向飞地”" in names(article)


def test_a_listed_pair_is_kept_whole(article):
    # Splitting `A改革、B改革` measured worse on the gold files (initiative F1 0.452 vs 0.471).
    assert "“一照通”+“信易批”审批服务改革、园区招商体制改革" in names(article)


def test_slogans_are_not_candidates(article):
    found = "".join(names(article))
    assert "改革红利" not in found and "全面深化改革" not in found


def test_every_span_is_grounded_and_names_are_short(article):
    result = extract(article, None, RunConfig(strategy="rules"))
    assert result.initiatives
    for initiative in result.initiatives:
        assert len(initiative.name) <= NAME_CHARS
        spans = initiative.evidence + [o.evidence for o in initiative.outcomes]
        assert all(is_grounded(span, article.text) for span in spans)
        assert initiative.name in article.text


def test_figures_go_to_the_nearest_initiative_before_them(article):
    result = extract(article, None, RunConfig(strategy="rules"))
    by_name = {i.name: [o.value_text for o in i.outcomes] for i in result.initiatives}
    assert by_name["“一照通”+“信易批”审批服务改革、园区招商体制改革"] == ["5.9万户"]
    assert by_name["“反向飞地”"] == ["十多家"]
    assert by_name["义务教育教师“县管校聘”改革"] == ["2个"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("义务教育教师“县管校聘”改革", Domain.public_services),
        ("“一照通”+“信易批”审批服务改革", Domain.business_environment),
        ("园区招商体制改革", Domain.industry_investment),
        ("“以实绩论英雄”干部考核评价体系改革", Domain.party_cadre),
        ("无关键词", Domain.other),
    ],
)
def test_domain_from_keywords(name, expected):
    assert guess_domain(name) is expected


def test_empty_body_gives_no_candidates():
    assert find_candidates(ingest_text("标题\n今天天气很好。\n", "t")) == []


@pytest.mark.parametrize(
    "fragment",
    ["改革贵在行动", "一项系统工程", "牢牢抓住了重要领域、重要任务、重要试点", "其视为‘一把手’工程"],
)
def test_clause_fragments_are_not_names(fragment):
    from summarizer.stages.candidates import is_name

    assert not is_name(fragment)


@pytest.mark.parametrize(
    "name", ["“一照通”+“信易批”审批服务改革", "国有“三资”一网通管理创新", "义务教育教师“县管校聘”改革"]
)
def test_real_names_pass_the_filter(name):
    from summarizer.stages.candidates import is_name

    assert is_name(name)


def test_a_recognition_without_a_figure_is_an_outcome():
    from summarizer.ingest.article import ingest_text
    from summarizer.strategies.rules import extract

    text = "标题\n永州推行“一照通”改革，“一照通”入选全省“放管服”改革“十大品牌”。\n"
    article = ingest_text(text, "t")
    (initiative,) = extract(article, None, None).initiatives
    (outcome,) = initiative.outcomes
    assert outcome.value_text is None and "入选全省" in outcome.evidence.text
    assert text[outcome.evidence.start : outcome.evidence.end] == outcome.evidence.text


WORK_REPORT = (
    "政府工作报告\n"
    "　　过去一年，城市更新深入实施，京津冀协同发展深入拓展。"
    "建设47.8万亩高标准农田，扎实开展党史学习教育。"
    "“海河之夜”焕新靓丽，养老机构357家，了农产品的附加值和市场竞争力。招投标改革试点成效显著。"
    "累计建成智慧农场120个，增设电动汽车充电桩3.2万个，改造城镇老旧小区7323个、棚户区5.2万套。"
    "防风化债取得阶段性成效，个人养老金制度全面实施、开户602万人，优良天数比例达到77%。"
    "九是黄河治理工程全面贯通，累计新建成轨道交通线路7条。\n"
)


def _names(text: str) -> list[str]:
    return [c.name for c in find_candidates(ingest_text(text, "t"))]


@pytest.mark.parametrize(
    "name",
    [
        "城市更新",  # <name><adverb><status>
        "京津冀协同发展",  # the shortest name that leaves a status, not `京津冀协同`
        "高标准农田",  # <action><quantity><name>: the quantity is a figure, not part of the name
        "党史学习教育",  # <adverb><action><name>
        "“海河之夜”",  # a quoted name as the clause's subject
        "招投标改革试点",  # <name><what came of it>
        "智慧农场",  # 累计 <action><name><quantity>
        "电动汽车充电桩",  # 增设 is an action too
        "城镇老旧小区",  # a list of counted works: the first item names the work
        "防风化债",  # <name><result>…: work that came off, then more
        "个人养老金制度",
        "黄河治理工程",  # a numbered item (`九是`) names its work without the number
        "轨道交通线路",  # 新建成 is one action, not 新建 + `成轨道交通线路`
    ],
)
def test_a_clause_reporting_work_done_names_it(name):
    assert name in _names(WORK_REPORT)


@pytest.mark.parametrize(
    "fragment",
    [
        "养老机构357家",
        "养老机构",
        "了农产品的附加值和市场竞争力",
        "农产品的附加值和市场竞争力",
        "优良天数比例",  # an indicator reaching a level is not a piece of work
    ],
)
def test_counts_and_clause_fragments_are_not_clause_names(fragment):
    assert fragment not in _names(WORK_REPORT)


def test_the_quantity_of_a_clause_name_becomes_its_outcome():
    result = extract(ingest_text(WORK_REPORT, "t"), None, RunConfig(strategy="rules"))
    farmland = next(i for i in result.initiatives if i.name == "高标准农田")
    assert [o.value_text for o in farmland.outcomes] == ["47.8万亩"]


def test_one_reform_named_twice_is_one_candidate_and_a_name_inside_another_is_not():
    text = (
        "政府工作报告\n　　永州推行“一照通”改革，成效明显。“一照通”+“信易批”审批服务改革取得成效。"
        "城市更新深入实施。审议通过城市更新条例。县管校聘改革有序推进，县管校聘深入实施。\n"
    )
    names = _names(text)
    assert "“一照通”+“信易批”审批服务改革" in names  # the fuller name replaces `“一照通”改革`
    assert not any(n.startswith("“一照通”改革") for n in names)
    assert "城市更新" in names and "城市更新条例" in names  # another reform, not a repeat
    assert sum(n.startswith("县管校聘") for n in names) == 1


REPORT_WITH_MIXED_HEADING = (
    "政府工作报告\n"
    "一、2025年工作回顾\n"
    + "　　过去一年，城市更新深入实施，建设47.8万亩高标准农田。\n"
    * 3
    + "二、“十四五”时期发展成就和“十五五”时期主要目标任务\n"
    "　　过去五年，边境新村建设全面完成，新建农村公路310公里。\n"
    "　　“十五五”时期，深入实施新型城镇化战略，新建城市公园120个。\n"
    "三、“十五五”时期主要任务\n"
    "　　零碳园区加快建设，新建充电桩5000个。\n"
)


def test_a_look_back_after_a_heading_that_joins_results_and_targets_is_reported():
    result = extract(ingest_text(REPORT_WITH_MIXED_HEADING, "t"), None, RunConfig(strategy="rules"))
    names = [i.name for i in result.initiatives]
    figures = [o.value_text for i in result.initiatives for o in i.outcomes]
    assert "边境新村建设" in names and "农村公路" in names  # 过去五年, under the mixed heading
    assert "310公里" in figures
    assert "城市公园" not in names and "120个" not in figures  # the targets under it are not
    assert "零碳园区" not in names and "5000个" not in figures  # `主要任务` opens plans too


def test_clause_patterns_name_work_only_in_a_work_report():
    feature = WORK_REPORT.replace("政府工作报告", "城市更新见闻", 1)
    assert "城市更新" in _names(WORK_REPORT)
    assert "城市更新" not in _names(feature)  # a feature's narrative clause, not a listed piece of work
    assert "“海河之夜”" in _names(feature)  # quoted names are names in any genre


def test_a_plans_fuller_mention_does_not_replace_the_reported_one():
    text = (
        "政府工作报告\n一、2025年工作回顾\n"
        + "　　“海河之夜”焕新靓丽，游客增长12%。\n" * 3
        + "二、2026年工作安排\n　　深耕“海河之夜”、津派相声等文旅品牌，力争游客增长20%。\n"
    )
    article = ingest_text(text, "t")
    result = extract(article, None, RunConfig(strategy="rules"))
    night = [i for i in result.initiatives if "海河之夜" in i.name]
    assert [i.name for i in night] == ["“海河之夜”"]
    assert night[0].evidence[0].start < article.text.find("二、2026年")  # the review's mention


def test_a_feature_sentence_reports_one_piece_of_work_and_its_parts_figures():
    text = (
        "某县深化改革\n"
        "　　某县推行“一窗通办”改革，打造“15分钟政务服务圈”，建成便民服务站120个。\n"
        "　　某县实施乡村振兴工程，新建高标准农田2万亩。\n"
    )
    result = extract(ingest_text(text, "t"), None, RunConfig(strategy="rules"))
    by_name = {i.name: [o.value_text for o in i.outcomes] for i in result.initiatives}
    assert by_name == {"“一窗通办”改革": ["120个"], "乡村振兴工程": ["2万亩"]}


def test_a_work_report_keeps_every_piece_of_work_of_a_sentence():
    text = "政府工作报告\n　　各位代表：过去一年，推行“一窗通办”改革，打造“15分钟政务服务圈”，建成便民服务站120个。\n"
    names = [i.name for i in extract(ingest_text(text, "t"), None, RunConfig(strategy="rules")).initiatives]
    assert "“一窗通办”改革" in names and len(names) >= 2


def test_a_name_ends_before_the_status_of_its_building():
    text = "某县推进项目建设\n　　新能源外送通道开工建设，美丽乡村建设成效明显。\n"
    found = _names(text)
    assert "新能源外送通道" in found and "新能源外送通道开工建设" not in found


def test_the_shortcomings_that_close_a_review_are_not_results():
    text = (
        "政府工作报告\n一、2025年工作回顾\n"
        + "　　城市更新深入实施，改造老旧小区70个。\n" * 4
        + "　　同时我们也清醒认识到，还存在不少问题。主要是：“放管服”改革仍有差距，民生短板仍需补齐。\n"
        + "二、2026年工作安排\n　　实施城市更新行动。\n"
    )
    result = extract(ingest_text(text, "t"), None, RunConfig(strategy="rules"))
    names = [i.name for i in result.initiatives]
    assert "城市更新" in names and not any("放管服" in name for name in names)


def test_a_heading_names_a_field_and_the_text_under_it_names_the_work():
    text = "政府工作报告\n一、2025年工作回顾\n（四）有力有效推进城市治理\n　　城市更新深入实施，改造老旧小区70个。\n"
    found = _names(text)
    assert "城市更新" in found and "城市治理" not in found


def test_a_heading_that_names_a_program_names_the_work():
    text = (
        "某州：深入实施“六大提升行动”\n深入实施项目投资提升行动\n"
        "　　强化项目谋划，完善项目库，全年实施重点项目300个。\n"
        "深入实施“双招双引”提升行动\n　　完善招商体系，引进项目50个。\n"
    )
    found = _names(text)
    assert "项目投资提升行动" in found and any("双招双引" in name for name in found)


@pytest.mark.parametrize(
    ("name", "ok"), [("520PARK文创公园", True), ("5G基站建设", True), ("39个区域医疗中心", False)]
)
def test_a_name_may_start_with_digits_but_not_with_a_count(name, ok):
    from summarizer.stages.candidates import is_name

    assert is_name(name) is ok


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a clause that builds a facility names it
        ("某区文旅融合见闻\n　　近年来，该区先后推出一批文旅项目，建成浙东运河博物馆。\n", "浙东运河博物馆"),
        # a campaign is a piece of work
        (
            "某新区见闻\n　　贵安新区深入打好“五场”污染防治攻坚战，生态环境持续改善。\n",
            "“五场”污染防治攻坚战",
        ),
    ],
)
def test_a_feature_sentence_names_a_facility_built_or_a_campaign(text, name):
    assert name in _names(text)


def test_a_feature_sentence_reports_its_first_name_and_a_later_program_or_facility_it_says_opened():
    text = (
        "某区教育改革见闻\n　　该区深入实施名师培养计划，加强“琢玉工程”建设，依托“智慧教育”平台，"
        "培养骨干教师300名。\n"
    )
    result = extract(ingest_text(text, "t"), None, RunConfig(strategy="rules"))
    names = [i.name for i in result.initiatives]
    assert names[0] == "名师培养计划" and any("琢玉工程" in name for name in names)
    assert not any("智慧教育" in name for name in names)  # a later name that is no program: a part
    assert [o.value_text for i in result.initiatives for o in i.outcomes] == ["300名"]  # reported once
    text = (
        "某区见闻\n　　该区融入“一带一路”建设，渝缅集团国际航空物流结算中心项目落户，"
        "组织企业参加“渝贸全球”等展会60余场次。\n"
    )
    names = [i.name for i in extract(ingest_text(text, "t"), None, RunConfig(strategy="rules")).initiatives]
    assert "渝缅集团国际航空物流结算中心项目" in names, names  # a later facility it says moved in
    assert not any("渝贸全球" in name for name in names), names  # a later name that is neither


def test_a_work_report_clause_of_counted_work_names_it():
    text = (
        "政府工作报告\n各位代表：\n一、2024年工作回顾\n　　打通断头路14条，新选派601名大学生农业职业经理人，"
        "推出7批170个人民至上微改革项目，高质量完成第五次全国经济普查，累计推广氢能车辆561台。\n"
    )
    found = _names(text)
    for name in ("断头路", "大学生农业职业经理人", "人民至上微改革项目", "第五次全国经济普查", "氢能车辆"):
        assert name in found, (name, found)


def test_a_feature_names_quoted_work_after_more_verbs_and_a_counted_body_it_set_up():
    text = (
        "某县见闻\n　　该县根据各乡镇土壤特性绘制“产业地图”，引进“粮菇轮作、过菇还田”技术。\n"
        "　　同时，常态化开展助企活动，成立20个助企服务工作组。\n"
    )
    found = _names(text)
    assert "“产业地图”" in found and any("粮菇轮作" in name for name in found)
    assert "助企服务工作组" in found


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("“十四五”", False),
        ("“十四五”规划目标", False),
        ("“十四五”规划重大工程", True),
        ("改革开放", False),
        ("城镇就业", False),  # 新增城镇就业5万人: a locality-wide indicator
        ("就业优先政策", True),
    ],
)
def test_a_plan_period_a_national_strategy_or_an_indicator_is_no_initiative(name, ok):
    from summarizer.stages.candidates import is_name

    assert is_name(name) is ok


def test_a_run_in_head_names_its_program_but_not_its_field():
    text = (
        "某区见闻\n　　“四能提升”工程包括干部提能、人才聚能两项子工程。\n"
        "在干部提能工程方面，该区组建新质先锋训练营。在人才聚能工程方面，该区以人才项目为载体。\n"
        "在社会治理方面，该区推行“网格吹哨”。\n"
    )
    found = _names(text)
    assert "干部提能工程" in found and "人才聚能工程" in found, found
    assert "社会治理" not in found  # a field of work, not a piece of it


def test_a_title_in_book_marks_is_one_name_with_a_colon_inside():
    text = "某市见闻\n　　该市推出《文化遗产保护：行动指南》，随着《黑神话：悟空》走红网络，游客增多。\n"
    found = _names(text)
    assert "《文化遗产保护：行动指南》" in found, found
    assert not any(name.startswith(("悟空", "随着")) for name in found), found


def test_the_title_an_award_gives_is_no_initiative():
    text = "某区见闻\n　　“建设人才陪跑体系”入选“2024中国改革年度案例”，3人获评“中国好人”。\n"
    found = _names(text)
    assert "“建设人才陪跑体系”" in found, found
    assert not any("年度案例" in name or "中国好人" in name for name in found), found


def test_a_feature_names_a_facility_that_opened_or_moved_in():
    text = (
        "某县见闻\n　　2024年5月15日，蔡志忠美术馆在高平正式开馆。2021年7月，比亚迪合肥基地落户长丰县下塘镇。\n"
        "　　在新材料产业，全国产能第一的ITO靶材项目建成投产。2024年10月15日，大连英歌石科学城开城。\n"
        "　　陕西氢能质量技术创新园入驻科研项目26个。\n"
    )
    found = _names(text)
    for name in (
        "蔡志忠美术馆",
        "比亚迪合肥基地",
        "ITO靶材项目",
        "大连英歌石科学城",
        "陕西氢能质量技术创新园",
    ):
        assert name in found, (name, found)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("按照片区化思维模式", False),  # the way of working, not a piece of work
        ("一系列有效措施", False),
        ("保障产业发展、项目建设", False),
        ("整车制造为中心", False),  # 以…为中心: a frame
        ("保障性租赁住房", True),
        ("“周六解题”活动", True),
        ("永州的改革", False),  # a place's reform in general, not one reform
        ("并将其作为头号工程", False),  # a clause with its pronoun
        ("“白鹭岛”成为彰显沧县运河生态治理", False),
        ("林长制改革", True),
        ("则更贴近于具体任务、具体项目", False),  # a clause opening with a conjunction
        ("园区还获评国家级绿色园区", False),  # a subject and its award
        ("萤石制造、虬龙科技等33个项目", False),  # a count of works, not a name
        ("从守护历史文脉到赋能乡村建设", False),  # a span of work, not a piece of it
        ("从早期孵化到专业服务再到研发赋能的多维度培育体系", True),
        ("“40条”帮扶企业政策", True),
        ("并与库迪咖啡共建产业园", False),  # a clause opening with a conjunction
        ("并购重组改革", True),
        ("“汽车自主研发能力有待加强”", False),  # a shortcoming
        ("发改君为您带来金融领域优化营商环境若干新举措", False),  # words to the reader
        ("郑州立即行动", False),
        ("紫阳迪鑫玩具有限责任公司拓展国内外市场", False),  # a market reached for
        ("国家级食用菌产地交易市场", True),  # a market built
        ("全国重要的新能源汽车产业基地", False),  # what a place is
        ("全国首批产品碳足迹标识认证试点", True),
        ("行业专家人才", False),  # people counted, not work
        ("智能制造标杆企业", False),
        ("国家级专精特新“小巨人”企业", True),  # a quoted class: a program's
        ("可漫步在八角湾畔的万华烟台产业园", False),  # a modal clause
        ("可持续发展试点", True),
        ("线上我们还入驻了电商平台", False),  # a line of speech
        ("“我们的节日”", True),
        ("各项事业发展", False),  # the frame of all the work
    ],
)
def test_frames_clauses_counts_and_spans_of_work_are_no_names(name, ok):
    assert is_name(name) is ok


def test_a_quoted_name_keeps_the_kind_printed_after_it():
    text = "某区见闻\n　　该区托育园推出“夜托”服务。该县开展“周六解题”活动，加强“琢玉工程”建设。\n"
    found = _names(text)
    assert "“夜托”服务" in found and "“周六解题”活动" in found, found  # `“夜托”` alone is too short
    assert "“琢玉工程”" in found, found  # 建设 is what is done to it, not its kind
    text = "某区见闻\n　　商务社区组建“科小塘”助企服务队。开展“人才会客厅”主题沙龙，推出“科创企业”清单。\n"
    found = _names(text)
    assert "“科小塘”助企服务队" in found and "“人才会客厅”主题沙龙" in found, found  # a body or an event
    found = _names("某市见闻\n　　合肥创办原创网评栏目“皖中评”。合肥持续办好“榜样”专栏，涌现出一批典型。\n")
    assert "“皖中评”" in found and "“榜样”专栏" in found, found  # a column founded or kept up


def test_a_clause_listing_works_before_their_kind_names_them():
    text = (
        "政府工作报告\n各位代表：\n一、2024年工作回顾\n　　中兰高铁、乌玛高速、银昆高速宁夏段和黑山峡黄河特大桥等交通项目开工或通车，"
        "成功举办亚洲电子商务生态大会、国际绿色健康建筑大会等重大活动，园区先后引进中嶒能源、国药智谷等重大产业化项目。\n"
    )
    found = _names(text)
    assert "中兰高铁" in found, found  # the whole list is longer than a name: its first item
    assert "亚洲电子商务生态大会、国际绿色健康建筑大会等重大活动" in found, found
    assert not any(name.startswith("园区") for name in found), found  # a subject and its verb


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("随后该公司揭牌。", []),  # a time word and a pronoun, not a facility's name
        ("截至目前已有30个项目建成投产。", []),
        ("越来越多的企业和项目落户。", []),
        ("组织党员、干部等参加志愿活动。", []),  # a clause with its verb, not a list of works
        ("城乡居民、企业职工等踊跃参与活动。", []),
        ("在水利工程方面，该县修建水库。", []),  # a field, not a program
        ("在“强基”工程方面，该区推进。", ["“强基”工程"]),
    ],
)
def test_what_the_new_shapes_must_not_take_for_a_name(body, expected):
    assert _names("某县见闻\n　　" + body + "\n") == expected


def test_a_name_ends_where_the_clause_says_how_it_went():
    text = (
        "某地区见闻\n　　林长制改革成效突出，连续3年获评优秀。医共体改革深入推进，县域就诊率达90%。\n"
        "　　“白鹭岛”成为彰显运河生态治理成效的窗口。\n"
    )
    found = _names(text)
    assert "林长制改革" in found and "医共体改革" in found, found
    assert not any("成为" in name for name in found), found  # a clause with its verb, not a name


def test_more_verbs_introduce_a_name_and_a_demonstrative_opens_none():
    text = (
        "某区见闻\n　　该区紧扣“六区一高地”建设，持续做靓火锅美食文化节。\n"
        "　　这一模式在全市推广。这些细致入微的保护措施见效。\n"
    )
    found = _names(text)
    assert "“六区一高地”建设" in found, found
    assert not any(name.startswith(("紧扣", "做靓", "这")) for name in found), found


def test_a_name_starts_after_what_the_work_made_it_into():
    text = (
        "某区见闻\n　　该区将旧厂房打造成文化创意孵化平台，致力打造一批首创型、引领型改革项目。\n"
        "　　该市努力打造成渝制造业配套基地。该市高标准建设天开高教科创园。立足全国首批民用无人驾驶航空试验基地。\n"
    )
    found = _names(text)
    assert "文化创意孵化平台" in found, found
    assert "成渝制造业配套基地" in found, found  # 成渝 is a place, not 打造成
    assert "天开高教科创园" in found, found  # after building to a standard
    assert not any(name.startswith(("成文化", "型", "高标准", "立足")) for name in found), found


def test_a_work_reports_money_is_the_outcome_of_the_work_not_part_of_its_name():
    text = (
        "政府工作报告\n各位代表：\n一、2024年工作回顾\n　　打通断头路14条，争取省级乡村振兴整治专项资金3.1亿元，"
        "京津冀协同发展走深走实、成效显著。\n"
    )
    found = _names(text)
    assert "省级乡村振兴整治专项资金" in found, found
    assert not any(name.startswith("、") or name.endswith("、") for name in found), found


def test_a_feature_clause_that_counts_its_work_names_it_after_its_doer_or_time():
    text = (
        "某地区见闻\n　　大兴安岭地区持续强化森林资源管育，5年来完成森林抚育1031.1万亩。"
        "\n　　全县共组建社区服务工作组28个。沧县建成非遗传承基地、传习所和研究室20余处。\n"
        "　　全区GDP提高3个百分点以上。\n"
    )
    found = _names(text)
    for name in ("森林抚育", "社区服务工作组", "非遗传承基地、传习所和研究室"):
        assert name in found, (name, found)
    assert not any(name.startswith("分点") or name.endswith("以上") for name in found), found
    indicators = _names("某县见闻\n　　全县新增就业岗位1.2万个，新增市场主体3000户，新增规上企业20家。\n")
    assert indicators == [], indicators  # locality-wide indicators, not pieces of work


def test_a_quoted_product_bought_for_people_and_a_quoted_subject_with_its_kind_are_names():
    text = (
        "某区见闻\n　　该区为2000余名困难群众购买“青云暖心保”，减轻就医负担。\n"
        "　　“周末有约”文化节，吸引游客超50万人次。\n"
    )
    found = _names(text)
    assert "“青云暖心保”" in found, found
    assert "“周末有约”文化节" in found, found  # a quoted subject keeps its kind too


def test_a_count_of_what_was_built_opens_no_name_and_a_listed_work_starts_after_its_verbs():
    text = (
        "某县见闻\n　　全县完成56个老旧小区改造，新建9个“口袋公园”。\n"
        "　　持续做靓火锅美食文化节、重庆小面文化节、大渡口半程马拉松等系列品牌活动。\n"
        "　　新建3个帮扶项目。这是一项系统工程。\n"
    )
    found = _names(text)
    assert "“口袋公园”" in found, found  # what was counted, not the count
    assert "火锅美食文化节" in found, found  # the list's first item, after its verbs
    assert not any(name.startswith(("新建", "持续", "3个")) for name in found), found
    assert "系统工程" not in found, found  # `一项` is an article, not a count


def test_a_quoted_name_is_one_clause_and_a_quoted_saying_is_no_name():
    text = (
        "某县见闻\n　　滦平县推出“畅玩冰雪登长城，尽享汤泉憩民宿”亮点品牌，吸引游客。\n"
        "　　当地人常说“秧好一半禾，苗好七分收”。他说：“摸清底数，才能科学分类整治。”\n"
    )
    found = _names(text)
    assert "“畅玩冰雪登长城，尽享汤泉憩民宿”亮点品牌" in found, found  # the comma is the name's own
    assert not any("秧好" in name or "摸清" in name for name in found), found  # a saying, a line of speech
    text = (
        "某县见闻\n　　地处秦巴山区腹地，“九山半水半分田”，该县底子薄。“七山两岭一分川”的地形造就冷凉气候。\n"
        "　　“土陶+文旅”，塑造特色品牌。\n"
    )
    found = _names(text)
    assert "“土陶+文旅”" in found, found  # a run-in head names its work; a saying or a modifier does not
    assert not any("九山" in name or "七山" in name for name in found), found


def test_a_built_facility_may_have_a_two_character_stem():
    found = _names("某市见闻\n　　为解决两地跑难题，泰州建成药监综合体，设立审评核查泰州分中心。\n")
    assert "药监综合体" in found, found


def test_a_sentence_naming_no_work_may_say_what_the_locality_did():
    text = (
        "湖北嘉鱼县做强蔬菜产业\n　　嘉鱼县推动蔬菜产业链条向上下游延伸，着力提升附加值。\n"
        "　　嘉鱼县打造蔬菜高地，推出“菜篮子”工程。\n"
        "　　该县深入推进汽车产业2025年发展目标。\n"
    )
    found = _names(text)
    assert "推动蔬菜产业链条向上下游延伸" in found, found  # the subject is the locality: its verb and object
    assert "“菜篮子”工程" in found and not any("高地" in name for name in found), found  # a printed name wins
    assert not any("目标" in name for name in found), found  # a plan
    text = "重庆石柱种好黄连\n　　石柱土家族自治县发展黄连产业。石柱县推动产业从初加工向精深加工转型。\n"
    assert "推动产业从初加工向精深加工转型" in _names(text)  # the county by its everyday name


def test_a_name_ends_before_where_it_went_live_and_a_facility_may_be_done_at_a_time():
    text = (
        "某区见闻\n　　近日，该区主动公开事项数字化清单在管委会官网上线。\n"
        "　　投资1200万元的鄂托克旗螺旋藻新型养殖示范项目于去年建成。\n"
        "　　该区利用其政务公开数字化管理平台推送信息，让非遗项目走进校园。\n"
    )
    found = _names(text)
    assert any(name.endswith("主动公开事项数字化清单") for name in found), found  # 在… says where
    assert "鄂托克旗螺旋藻新型养殖示范项目" in found, found  # 于去年建成: done at a time
    assert not any(name.startswith(("让", "该区利用")) for name in found), found  # clauses
