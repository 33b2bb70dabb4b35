"""A run dir as memos and the viewer see it: its summaries in order, span keys, viewer file names,
domain labels.

A run dir is a folder of `<article_id>.json` ArticleSummary files (gold folders qualify). Reading
one summary and finding its source article is `summarizer.runs.reading`; placing a span in the
source is `summarizer.core.spans`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Literal

from summarizer.core.errors import InputError
from summarizer.core.models import ArticleSummary
from summarizer.runs.reading import load_summary
from summarizer.runs.rundir import summary_paths


def summary_files(run: Path) -> list[Path]:
    """The summary files of a run dir (or the one file given), sorted by name."""
    if run.is_file():
        return [run]
    if not run.is_dir():
        raise InputError(str(run), "no such run dir; pass a folder of <article_id>.json summaries")
    files = summary_paths(run)
    if not files:
        raise InputError(str(run), "holds no <article_id>.json summaries; pass a run dir or a gold folder")
    return files


def load_run(run: Path) -> list[ArticleSummary]:
    return [load_summary(p) for p in summary_files(run)]


def run_dir_of(run: Path) -> Path:
    return run.parent if run.is_file() else run


def span_key(initiative_no: int, kind: Literal["e", "o"], item_no: int) -> str:
    """The id of one evidence span, shared by memo links and viewer anchors: `i2-o1`."""
    return f"i{initiative_no}-{kind}{item_no}"


def safe_stem(article_id: str) -> str:
    """A file name for `article_id` that cannot leave its folder or smuggle markup into a URL."""
    stem = re.sub(r"[^\w.-]", "_", article_id).lstrip(".")
    return stem or "article"


def viewer_filename(article_id: str) -> str:
    """`<safe stem>-<8 hex of the id's hash>.html`: ids that share a stem (`a b`, `a_b`, `a(b`)
    get pages of their own."""
    digest = hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8]
    return f"{safe_stem(article_id)}-{digest}.html"


# Display names of the schema's domains, in the schema's order.
DOMAIN_LABELS = {
    "business_environment": "营商环境 Business environment",
    "industry_investment": "产业招商 Industry & investment",
    "state_assets_finance": "国资金融 State assets & finance",
    "rural_revitalization": "乡村振兴 Rural revitalization",
    "urban_regional": "城乡区域 Urban & regional",
    "public_services": "公共服务 Public services",
    "governance_safety": "治理安全 Governance & safety",
    "ecology": "生态 Ecology",
    "culture_tourism_media": "文旅媒体 Culture, tourism & media",
    "party_cadre": "党建干部 Party & cadres",
    "science_talent": "科技人才 Science & talent",
    "other": "其他 Other",
}


def domain_label(domain: str) -> str:
    return DOMAIN_LABELS.get(domain, domain)
