"""A small run dir for memo, viewer and browser tests: two articles, their sources, and a hostile one.

Spans are built from the source text with `str.find`, so offsets are right by construction;
`offsets=False` leaves them null the way gold files may.
"""

from __future__ import annotations

from pathlib import Path

from summarizer.core.models import ArticleSummary, Initiative, Locality, Outcome, Span, dump_json

CHAOZHOU = (
    "改革风帆劲 奋楫立潮头\n"
    "潮州日报 2024-07-18\n\n"
    "　　潮州市推行“一照通”+“信易批”审批服务改革，企业开办时间压缩至1个工作日。\n"
    "　　全市新增经营主体5.9万户，同比增长12.5%。\n"
    "　　潮州市探索“反向飞地”模式，在深圳设立科创中心，引进项目总投资357.14亿元。\n"
)
PINGYUAN = (
    "平远县深化教育改革\n\n"
    "　　平远县推进县管校聘改革，全县交流教师320名。\n"
    "　　平远县推广“一照通”改革经验，审批时限压缩85%。\n"
    "　　平远县实施整村授信，发放贷款2.3亿元。\n"
)
# Every trick an article or a model could play on a page that renders it.
SCRIPT = "<script>document.body.setAttribute('data-pwned','script')</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
JS_LINK = "[点我](javascript:alert(1))"
HOSTILE = f"标题{SCRIPT}\n\n　　某县推行{IMG}改革，节约资金1.5万元。\n　　链接{JS_LINK}在此。\n"


def span(text: str, passage: str, offsets: bool = True) -> Span:
    start = text.index(passage)
    if not offsets:
        return Span(text=passage)
    return Span(text=passage, start=start, end=start + len(passage))


def outcome(text: str, passage: str, value_text: str, value: float, unit: str, **kw) -> Outcome:
    return Outcome(
        description=kw.pop("description", f"{value_text}"),
        metric=kw.pop("metric", None),
        value_text=value_text,
        value=value,
        unit=unit,
        evidence=span(text, passage, kw.pop("offsets", True)),
    )


def chaozhou() -> ArticleSummary:
    t = CHAOZHOU
    one_licence = Initiative(
        name="“一照通”+“信易批”审批服务改革",
        domain="business_environment",
        description="合并审批事项，压缩企业开办时间。",
        actors=["市政务服务数据管理局"],
        evidence=[span(t, "潮州市推行“一照通”+“信易批”审批服务改革，企业开办时间压缩至1个工作日。")],
        outcomes=[
            outcome(
                t,
                "企业开办时间压缩至1个工作日",
                "1个工作日",
                1,
                "个工作日",
                metric="企业开办时间",
                description="企业开办时间压缩至1个工作日。",
            ),
            outcome(
                t,
                "全市新增经营主体5.9万户",
                "5.9万户",
                59000,
                "户",
                metric="新增经营主体",
                description="新增经营主体。",
            ),
            # Null offsets: the viewer and the memo must locate it by search.
            outcome(t, "同比增长12.5%", "12.5%", 12.5, "%", offsets=False, description="经营主体同比增长。"),
        ],
    )
    enclave = Initiative(
        name="反向飞地",
        domain="urban_regional",
        description="在深圳设立科创中心。",
        evidence=[span(t, "潮州市探索“反向飞地”模式，在深圳设立科创中心")],
        outcomes=[
            outcome(
                t,
                "引进项目总投资357.14亿元",
                "357.14亿元",
                35714000000,
                "元",
                description="引进项目的总投资。",
            )
        ],
    )
    return ArticleSummary(
        article_id="000_chaozhou",
        title="改革风帆劲 奋楫立潮头",
        source="潮州日报",
        published="2024-07-18",
        locality=Locality(name="潮州市", level="city", province="广东省"),
        summary="潮州市推进审批服务改革和反向飞地。企业开办提速，经营主体增加。",
        initiatives=[one_licence, enclave],
    )


def pingyuan() -> ArticleSummary:
    t = PINGYUAN
    return ArticleSummary(
        article_id="001_pingyuan",
        title="平远县深化教育改革",
        source=None,
        published=None,
        locality=Locality(name="平远县", level="county", province="广东省"),
        summary="平远县推进县管校聘和整村授信。",
        initiatives=[
            Initiative(
                name="县管校聘",
                domain="public_services",
                description="教师由县统一管理、学校聘用。",
                evidence=[span(t, "平远县推进县管校聘改革")],
                outcomes=[
                    outcome(
                        t,
                        "全县交流教师320名",
                        "320名",
                        320,
                        "名",
                        metric="交流教师",
                        description="全县交流教师。",
                    )
                ],
            ),
            Initiative(
                name="“一照通”改革",
                domain="business_environment",
                description="推广一照通经验。",
                evidence=[span(t, "平远县推广“一照通”改革经验，审批时限压缩85%。")],
                outcomes=[
                    outcome(
                        t, "审批时限压缩85%", "85%", 85, "%", metric="审批时限", description="审批时限压缩。"
                    )
                ],
            ),
            Initiative(
                name="整村授信",
                domain="state_assets_finance",
                description="对整村农户授信。",
                evidence=[span(t, "平远县实施整村授信")],
                outcomes=[
                    outcome(t, "发放贷款2.3亿元", "2.3亿元", 230000000, "元", description="发放贷款。")
                ],
            ),
        ],
    )


def hostile() -> ArticleSummary:
    t = HOSTILE
    return ArticleSummary(
        article_id="002_hostile",
        title=f"标题{SCRIPT}",
        source="javascript:alert(1)",
        locality=Locality(name=f"某县{IMG}", level="county"),
        summary=f"摘要{SCRIPT}{JS_LINK}",
        initiatives=[
            Initiative(
                name=JS_LINK,
                domain="other",
                description=IMG,
                evidence=[span(t, f"某县推行{IMG}改革")],
                outcomes=[outcome(t, "节约资金1.5万元", "1.5万元", 15000, "元", description=SCRIPT)],
            )
        ],
    )


def write_run(root: Path, summaries: list[ArticleSummary], texts: dict[str, str]) -> tuple[Path, Path]:
    """`root/run/<id>.json` and `root/src/<id>.txt`; returns (run dir, sources dir)."""
    run, src = root / "run", root / "src"
    run.mkdir(parents=True, exist_ok=True)
    src.mkdir(parents=True, exist_ok=True)
    for s in summaries:
        (run / f"{s.article_id}.json").write_text(dump_json(s), encoding="utf-8")
        (src / f"{s.article_id}.txt").write_text(texts[s.article_id], encoding="utf-8")
    return run, src


def standard_run(root: Path) -> tuple[Path, Path]:
    summaries = [chaozhou(), pingyuan()]
    return write_run(root, summaries, {"000_chaozhou": CHAOZHOU, "001_pingyuan": PINGYUAN})


def hostile_run(root: Path) -> tuple[Path, Path]:
    return write_run(root, [hostile(), chaozhou()], {"002_hostile": HOSTILE, "000_chaozhou": CHAOZHOU})


def test_fixture_spans_slice_their_sources():
    for summary, text in ((chaozhou(), CHAOZHOU), (pingyuan(), PINGYUAN), (hostile(), HOSTILE)):
        for ini in summary.initiatives:
            for s in [*ini.evidence, *(o.evidence for o in ini.outcomes)]:
                if s.start is not None:
                    assert text[s.start : s.end] == s.text
                else:
                    assert s.text in text
