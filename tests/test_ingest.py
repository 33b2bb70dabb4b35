from pathlib import Path

import pytest

from summarizer.core.errors import InputError
from summarizer.ingest.article import decode_bytes, ingest_file, ingest_text, load_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Hand-checked against each article.
SEED_FIELDS = {
    "000_85ee287e49764f57": ("改革风帆劲 奋楫立潮头 ——潮州市全面深化改革工作综述", "潮州日报", "2024-07-18"),
    "001_b871c692167c7342": (
        "以头号力度推进“百千万工程”走深走实 强县促镇带村 闯出潮州新路",
        "南方日报网络版",
        "2023-12-21",
    ),
    "002_184599867ecce798": ("千帆竞发立潮头——永州市2023年“十项重点改革”综述", "永州日报", None),
    "003_b9fa52adc42cd28e": (
        "平远县委十四届六次全会报告解读:以高质量发展为目标 全面深化改革再出发",
        "梅州日报",
        None,
    ),
    "004_5e54178d8f9b0a9b": ("深化改革,金湾区一直在路上", None, None),
}


@pytest.mark.parametrize("article_id", sorted(SEED_FIELDS))
def test_seed_metadata(article_id):
    article = ingest_file(SEEDS / f"{article_id}.txt")
    assert (article.title, article.source, article.published) == SEED_FIELDS[article_id]


@pytest.mark.parametrize("article_id", sorted(SEED_FIELDS))
def test_body_is_slices_of_the_text(article_id):
    article = ingest_file(SEEDS / f"{article_id}.txt")
    for seg in article.segments:
        body_piece = article.body[seg.body_start : seg.body_start + seg.length]
        assert article.text[seg.text_start : seg.text_start + seg.length] == body_piece


@pytest.mark.parametrize(
    "chrome",
    [
        "您现在的位置 : 网站首页 >> 新闻 >> 荐读",
        "首页 > 要闻动态 > 政务专题",
        "【打印】 【字体:",
        "相关链接",
        "返回红网首页 返回永州站首页",
        "Baidu",
    ],
)
def test_navigation_is_stripped(chrome):
    bodies = "\n".join(ingest_file(p).body for p in SEEDS.glob("*.txt"))
    assert chrome not in bodies


def test_footer_and_channel_lists_are_dropped():
    article = ingest_file(SEEDS / "002_184599867ecce798.txt")
    assert "频道精选" not in article.body and "冷水滩" not in article.body
    assert article.body.rstrip().endswith("必将更加精彩!")


def _seed_text():
    return (SEEDS / "000_85ee287e49764f57.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_give_the_same_article(tmp_path, encoding):
    path = tmp_path / "000_85ee287e49764f57.txt"
    path.write_bytes(_seed_text().encode(encoding))
    article = ingest_file(path)
    assert article.text == _seed_text()
    assert (article.title, article.source, article.published) == SEED_FIELDS["000_85ee287e49764f57"]


def test_html_page(tmp_path):
    html = (
        "<html><head><title>平远县深化改革_梅州网</title><style>p{color:red}</style>"
        "<script>alert('x')</script></head><body><nav>首页 > 新闻</nav>"
        "<h1>平远县深化改革</h1><p>发布时间：2024-05-06 来源：梅州日报</p>"
        "<p>平远县推进“一照通”改革，办理时限压缩85%。</p><footer>版权所有</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    article = ingest_file(path)
    assert (article.title, article.source, article.published) == ("平远县深化改革", "梅州日报", "2024-05-06")
    assert "alert" not in article.text and "color:red" not in article.text
    assert "办理时限压缩85%" in article.body
    assert load_text(path) == article.text


@pytest.mark.parametrize(
    ("head", "source"),
    [
        ("<title>海尔产业园区本月开建- 【阳光易购】</title>", "阳光易购"),  # the title's site name
        ("<title>深化改革_滚动新闻_中国政府网</title>", "中国政府网"),  # the site, not its section
        ("<title>平远县人民政府 - 深化改革</title>", "平远县人民政府"),  # the site first, the headline last
        ('<meta property="og:site_name" content="梅州网"><title>深化改革_首页</title>', "梅州网"),
        ("<title>深化改革_首页</title>", None),  # a page's section is no publisher
        ("<title>欢迎访问剑阁网络管理平台</title>", "剑阁网络管理平台"),  # a welcome names the site
        ("<title>欢迎访问某某县人民政府网站_首页</title>", "某某县人民政府网站"),  # not its section
        ("<title>欢迎访问本网站</title>", None),
    ],
)
def test_an_html_page_s_site_name_is_the_publisher_when_the_text_prints_none(tmp_path, head, source):
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><head>{head}</head><body><h1>深化改革</h1><p>平远县推进改革。</p></body></html>", "utf-8"
    )
    assert ingest_file(path).source == source


@pytest.mark.parametrize(
    ("suffix", "opening"),
    [
        (
            ".jsp",
            '<%@ page pageEncoding="UTF-8"%>\n<%@ include file="/common/taglibs.jsp"%>\n<%-- a note --%>\n',
        ),
        (".shtml", ""),
        (".aspx", "<!-- saved from url=(0042)http://www.example.gov.cn/a.aspx -->\n"),
        (".php", "<?php echo 1; ?>\n"),
        (".txt", "<?xml version='1.0'?>\n"),
    ],
)
def test_a_page_saved_under_its_servers_name_is_read_as_html(tmp_path, suffix, opening):
    path = tmp_path / f"page{suffix}"
    path.write_text(
        opening + "<!DOCTYPE html>\n"
        "<html><head><title>中联拟建华东基地_阳光易购</title></head>"
        "<body><h1>中联拟建华东基地</h1><p>江阴市推进改革。</p></body></html>",
        encoding="utf-8",
    )
    article = ingest_file(path)
    assert (article.title, article.source) == ("中联拟建华东基地", "阳光易购")
    assert "<" not in article.body and "江阴市推进改革" in article.body


def test_a_welcome_is_no_headline(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>欢迎访问剑阁网络管理平台</title></head><body><p>关于开展核查的通知</p></body></html>",
        encoding="utf-8",
    )
    assert ingest_file(path).title == "关于开展核查的通知"


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "x.md"
    path.write_text(
        "---\ntitle: 金湾区改革\nsource: 珠海特区报\npublished: 2023-08-01\n---\n# 金湾区改革\n\n金湾区推进改革。\n",
        encoding="utf-8",
    )
    article = ingest_file(path)
    assert (article.title, article.source, article.published) == ("金湾区改革", "珠海特区报", "2023-08-01")
    assert "title:" not in article.body
    start = article.text.index("金湾区推进改革")
    assert article.to_text_offset(article.body.index("金湾区推进改革")) == start


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_bad_bytes_name_the_file(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=reason) as info:
        ingest_file(path)
    assert str(path) in str(info.value)


def test_decode_prefers_utf8():
    assert decode_bytes("改革".encode(), "x") == "改革"


def test_ingest_text_pure():
    article = ingest_text("标题\n\n正文第一句。", "a")
    assert article.title == "标题" and article.body == "标题\n正文第一句。"


_REPOST = "---\ntitle: 'x'\nauthor: 新浪财经\n---\n"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # an outlet's reporter byline, with or without its channel
        (_REPOST + "<p>界面新闻记者 张三</p>\n<p>某县推进改革。</p>\n", "界面新闻"),
        (_REPOST + "<p>（界面新闻记者 张三）某县推进改革。</p>\n", "界面新闻"),
        (_REPOST + "<p>文|第一财经记者 李四</p>\n<p>某县推进改革。</p>\n", "第一财经"),
        (_REPOST + "<p>张三对界面新闻大湾区频道记者表示，改革取得成效。</p>\n", "界面新闻"),
        (
            _REPOST + "<p>不过，第一财经记者17日再次搜索发现，文件已删除。</p>\n",
            "第一财经",
        ),  # its reporter's day
        (_REPOST + "<p>某县推进改革，本报记者近日走访。</p>\n", "新浪财经"),  # 本报 names no outlet
        (_REPOST + "<p>某县推进改革。</p>\n", "新浪财经"),  # nothing printed: the crawler's outlet
        ("---\ntitle: x\nauthor: 张三\n---\n某县推进改革。\n", None),  # a person is not a publisher
        # a wire story's dateline
        ("# 标题\n\n新华社北京1月4日电（记者张三）某县推进改革。\n", "新华社"),
        ("# 标题\n\n中新网1月4日电 某县推进改革。\n", "中新网"),
        ("# 标题\n\n央视网消息：某县推进改革。\n", "央视网"),
        ("# 标题\n\n本报北京1月4日电 某县推进改革。\n", None),
        ("# 标题\n\n【深圳商报讯】（首席记者 王海荣）某市推进改革。\n", "深圳商报"),
        ("# 标题\n\n本报讯（记者 张三）某市推进改革。\n", None),
        ("# 标题\n\n某县推进改革。据了解，我台记者近日走访发现，群众满意。\n", None),  # a pronoun's outlet
        ("# 标题\n\n某县推进改革。据悉，当地电视台记者近日前往现场。\n", None),
        # separators and brackets around a 来源 line
        ("# 标题\n\n来源 | 界面新闻\n某县推进改革。\n", "界面新闻"),
        ("# 标题\n\n（来源：光明日报）\n某县推进改革。\n", "光明日报"),
        ("---\ntitle: x\npublisher: 南方日报\n---\n某县推进改革。\n", "南方日报"),
        ("# 标题\n\n发布机构：\n浙江省发展改革委\n某县推进改革。\n", "浙江省发展改革委"),
        ("# 标题\n\n来源单位：县委改革办\n某县推进改革。\n", "县委改革办"),
        (_REPOST + "<p>南方财经全媒体见习记者程浩 东莞报道</p>\n<p>某市推进改革。</p>\n", "南方财经全媒体"),
        (_REPOST + "<p>南方日报全媒体记者 张三</p>\n<p>某市推进改革。</p>\n", "南方日报"),
    ],
)
def test_publisher_shapes(text, source):
    assert ingest_text(text, "t").source == source


def test_a_markdown_link_title_is_its_text():
    text = "# [四川：以改革举措加强国家战略腹地建设](https://mp.weixin.qq.com/s/x)\n\n正文。\n"
    assert ingest_text(text, "t").title == "四川：以改革举措加强国家战略腹地建设"


def test_server_template_code_in_a_saved_page_is_not_text(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<?php\n$baseUrlImage = Yii::app()->theme->baseUrl . "/images/";\n?>\n'
        "<div><strong>点点滴滴民生情</strong></div><p>定南县推进民生工程，民生支出占70%以上。</p>\n",
        encoding="utf-8",
    )
    article = ingest_file(page)
    assert article.title == "点点滴滴民生情" and "baseUrl" not in article.body


def test_a_csv_row_with_chinese_columns(tmp_path):
    path = tmp_path / "row.csv"
    path.write_text(
        "序号,标题,发文单位,发文时间,正文,来源URL\n"
        '86,"""高阳毛巾""成为区域品牌",人民网-河北频道,2025-03-05,"日前，""高阳毛巾""入选名品。高阳县推进纺织改革。",http://x\n',
        encoding="utf-8",
    )
    article = ingest_file(path)
    assert (article.title, article.source, article.published) == (
        '"高阳毛巾"成为区域品牌',
        "人民网-河北频道",
        "2025-03-05",
    )
    assert "高阳县推进纺织改革" in article.body
    start = article.text.find("日前")
    assert article.body.startswith(article.text[start : start + 10])  # offsets into the file as printed


def test_a_printed_source_line_names_the_publisher_before_the_issuing_site(tmp_path):
    dump = (
        "标题：某省政府工作报告\n发文单位：某省人民政府\n\n正文：\n报告（摘登）\n来源：河北日报\n各位代表：\n"
    )
    assert ingest_text(dump, "t").source == "河北日报"
    path = tmp_path / "row.csv"
    path.write_text(
        '标题,发文单位,正文\n报告,某省人民政府,"来源：河北日报\n各位代表：现在，我代表省人民政府向大会报告工作，请予审议。"\n',
        encoding="utf-8",
    )
    assert ingest_file(path).source == "河北日报"
    path.write_text(
        "标题,发文单位,正文\n报告,某省人民政府,各位代表：现在，我代表省人民政府向大会报告工作，请予审议。\n",
        encoding="utf-8",
    )
    assert ingest_file(path).source == "某省人民政府"  # no printed source: the issuer


def test_a_csv_of_several_articles_is_refused_in_one_line(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("title,date,content\n甲,2025-01-01,正文一。\n乙,2025-01-02,正文二。\n", encoding="utf-8")
    with pytest.raises(InputError, match="a CSV of 2 articles; give one article per file"):
        ingest_file(path)


def test_labelled_metadata_lines_of_a_document_dump():
    text = "标题：2025年保定市政府工作报告\n发文单位：保定市人民政府\n发文时间：2025-01-21\n来源URL：http://x\n\n正文：\n各位代表：\n"
    article = ingest_text(text, "t")
    assert (article.title, article.source, article.published) == (
        "2025年保定市政府工作报告",
        "保定市人民政府",
        "2025-01-21",
    )


def test_a_text_files_inline_tags_keep_a_sentence_on_one_line_and_offsets_exact():
    text = (
        "# 北京持续优化金融营商环境\n\n"
        '<p cms-style="font-L">　　<font cms-style="strong-Bold">成立北京金融法院</font></p>\n'
        '<p cms-style="font-L">　　<font cms-style="strong-Bold">2021年3月18日，北京金融法院正式成立</font>，'
        "对金融案件实行集中管辖。</p>\n"
        '<p>　　出台贴息政策，在<span id="s"><a href="https://x.cn/a">中关村</a></span><span></span>'
        "示范区率先建立风险补偿机制。<br>下一行</p>\n"
    )
    article = ingest_text(text, "t")
    lines = article.body.split("\n")
    assert "2021年3月18日，北京金融法院正式成立，对金融案件实行集中管辖。" in lines, lines
    assert "出台贴息政策，在中关村示范区率先建立风险补偿机制。" in lines, lines  # `<br>` ends a line
    assert "成立北京金融法院" in lines and "下一行" in lines, lines
    for needle in ("正式成立，对金融", "在中关村示范区", "成立北京金融法院"):
        at = article.body.index(needle)
        start, end = article.to_text_span(at, at + len(needle))
        # each run maps to its own place in the text: the span runs from the first to the last character
        assert article.text[start] == needle[0] and article.text[end - 1] == needle[-1]


def _word_file(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("平远县深化改革工作要点")
    document.add_paragraph("来源：梅州日报")
    document.add_paragraph("平远县推进“一照通”改革，办理时限压缩85%。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "事项", "成效"
    table.cell(1, 0).text, table.cell(1, 1).text = "园区改革", "新增企业12家"
    document.add_paragraph("下一步将继续深化改革。")
    document.save(path)
    return path


def test_a_word_document_is_read_in_document_order_with_its_tables(tmp_path):
    article = ingest_file(_word_file(tmp_path / "要点.docx"))
    assert article.title == "平远县深化改革工作要点"
    assert article.source == "梅州日报"
    lines = article.body.split("\n")
    assert lines.index("平远县推进“一照通”改革，办理时限压缩85%。") < lines.index("园区改革\t新增企业12家")
    assert lines[-1] == "下一步将继续深化改革。"  # the paragraph after the table comes after it
    at = article.body.index("新增企业12家")
    start, end = article.to_text_span(at, at + 7)
    assert article.text[start:end] == "新增企业12家"  # offsets refer to the document's text


def test_a_broken_word_file_is_one_line_naming_it(tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as caught:
        ingest_file(bad)
    assert "坏.docx" in str(caught.value) and "save it again" in str(caught.value)
    assert "\n" not in str(caught.value)
    import docx

    docx.Document().save(tmp_path / "空.docx")
    with pytest.raises(InputError, match=r"空\.docx: empty article \(no text\)"):  # the shared check
        ingest_file(tmp_path / "空.docx")
