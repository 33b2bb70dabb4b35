"""Domain of an initiative from keyword tables (the spec's domain list, widened). Pure.

The name's keywords decide first; the sentence around it breaks a tie or fills in when the
name has none. Earlier domains win ties, so specific ones come before broad ones.
"""

from __future__ import annotations

from summarizer.core.models import Domain

KEYWORDS: dict[Domain, tuple[str, ...]] = {
    Domain.party_cadre: ("党建", "干部", "考核", "巡察", "考评", "组织部", "实绩论英雄", "编外用人", "纪检"),
    Domain.culture_tourism_media: (
        "文旅",
        "非遗",
        "媒体",
        "融媒",
        "旅游",
        "古城",
        "文化",
        "文物",
        "学习强国",
    ),
    Domain.ecology: (
        "生态",
        "绿美",
        "碳",
        "林业",
        "林权",
        "林长",
        "环保",
        "绿水青山",
        "河长",
        "森林",
        "污染",
    ),
    Domain.science_talent: ("科技", "创新中心", "人才", "研发", "孵化", "高新技术", "大学科技园"),
    Domain.state_assets_finance: (
        "国资",
        "国企",
        "国有",
        "三资",
        "财政",
        "金融",
        "信贷",
        "授信",
        "贷",
        "税收",
        "基金",
        "医保基金",
    ),
    Domain.public_services: (
        "教育",
        "医疗",
        "养老",
        "就业",
        "社保",
        "医共体",
        "医联体",
        "医保",
        "村医",
        "学校",
        "教师",
        "月嫂",
        "适老",
        "卫生",
        "特困",
        "民生",
    ),
    Domain.rural_revitalization: (
        "乡村",
        "农村",
        "村集体",
        "土地",
        "宅基地",
        "承包地",
        "产业村长",
        "强村",
        "农业",
        "田长",
        "圩镇",
        "农房",
    ),
    Domain.urban_regional: (
        "城乡融合",
        "城市更新",
        "区域",
        "飞地",
        "融湾",
        "大湾区",
        "协同",
        "对口帮扶",
        "共建",
        "老旧小区",
        "城市",
        "百千万",
    ),
    Domain.business_environment: (
        "营商环境",
        "审批",
        "放管服",
        "信用",
        "信易",
        "一照通",
        "快批",
        "企业开办",
        "市场主体",
        "经营主体",
        "流程再造",
    ),
    Domain.industry_investment: ("产业", "制造业", "招商", "园区", "工业", "项目", "投资", "开发区", "亩均"),
    Domain.governance_safety: (
        "基层治理",
        "治理",
        "应急",
        "法治",
        "政务服务",
        "执法",
        "安全",
        "纠纷",
        "府院",
        "网格",
        "城市大脑",
        "督查",
    ),
}


def _by_first_character() -> dict[str, list[tuple[Domain, str]]]:
    """Each keyword under its first character, domains in table order."""
    index: dict[str, list[tuple[Domain, str]]] = {}
    for domain, words in KEYWORDS.items():
        for word in words:
            index.setdefault(word[0], []).append((domain, word))
    return index


_BY_FIRST = _by_first_character()


def _scores(text: str) -> dict[Domain, int]:
    """Keyword mentions per domain (every domain, in table order). Only keywords whose first
    character is printed can be in `text`: counted without trying the other ~120."""
    scores = dict.fromkeys(KEYWORDS, 0)
    for first in set(text).intersection(_BY_FIRST):
        for domain, word in _BY_FIRST[first]:
            scores[domain] += text.count(word)
    return scores


def guess_domain(name: str, context: str = "") -> Domain:
    """The domain whose keywords the name (then the context) mentions most; `other` if none."""
    for text in (name, context):
        scores = _scores(text)
        best = max(scores.values(), default=0)
        if best > 0:
            return next(domain for domain, score in scores.items() if score == best)
    return Domain.other
