"""Synthetic gold articles for the evaluation tests: a source text and a gold summary whose spans
carry true offsets into it. Imported by the other test_evaluation* modules."""

from __future__ import annotations

from summarizer.core.models import ArticleSummary, Initiative, Outcome, Span
from summarizer.core.numbers import parse_figure

# (name, domain, actor, [(metric, figure)]): unrelated reforms with distinct figures.
REFORMS = [
    (
        "一照通审批服务改革",
        "business_environment",
        "市政务服务数据管理局",
        [("办理时限", "3个工作日"), ("新增经营主体", "5.9万户")],
    ),
    ("县管校聘", "public_services", "市教育局", [("交流轮岗教师", "1260名")]),
    ("整村授信", "state_assets_finance", "农商银行", [("授信金额", "357.14亿元"), ("覆盖行政村", "85%")]),
    ("反向飞地", "urban_regional", "罗湖区", []),
    ("产业村长", "rural_revitalization", "各镇党委", [("带动增收", "1.2万元")]),
    ("林长制", "ecology", "市林业局", [("森林覆盖率", "62.5%")]),
]


def build_source_and_gold(article_id: str = "900_synthetic") -> tuple[str, ArticleSummary]:
    parts = ["改革风帆劲 奋楫立潮头\n发布日期:2024-07-18 文章来源:潮州日报\n\n"]
    initiatives = []
    for name, domain, actor, outcomes in REFORMS:
        sentence = f"我市深入推进“{name}”,由{actor}牵头实施,形成可复制经验。"
        offset = sum(len(p) for p in parts)
        parts.append(sentence + "\n")
        evidence = Span(text=sentence, start=offset, end=offset + len(sentence))
        items = []
        for metric, figure in outcomes:
            report = f"{name}实施以来,{metric}达到{figure}。"
            start = sum(len(p) for p in parts)
            parts.append(report + "\n")
            parsed = parse_figure(figure)
            items.append(
                Outcome(
                    description=f"{metric}达到{figure}",
                    metric=metric,
                    value_text=figure,
                    value=parsed.value,
                    unit=parsed.unit,
                    evidence=Span(text=report, start=start, end=start + len(report)),
                )
            )
        initiatives.append(
            Initiative(
                name=name,
                domain=domain,
                description=f"{actor}牵头推进{name}。",
                actors=[actor],
                outcomes=items,
                evidence=[evidence],
            )
        )
    gold = ArticleSummary(
        article_id=article_id,
        title="改革风帆劲 奋楫立潮头",
        source="潮州日报",
        published="2024-07-18",
        locality={"name": "潮州市", "level": "city", "province": "广东省"},
        summary="潮州市推进一照通、县管校聘、整村授信等改革。新增经营主体5.9万户。森林覆盖率达到62.5%。",
        initiatives=initiatives,
    )
    return "".join(parts), gold


def copy_of(summary: ArticleSummary) -> ArticleSummary:
    return summary.model_copy(deep=True)


def test_fixture_spans_are_verbatim_at_their_offsets() -> None:
    source, gold = build_source_and_gold()
    spans = [s for i in gold.initiatives for s in i.evidence]
    spans += [o.evidence for i in gold.initiatives for o in i.outcomes]
    assert len(spans) == len(REFORMS) + sum(len(r[3]) for r in REFORMS)
    for span in spans:
        assert source[span.start : span.end] == span.text
