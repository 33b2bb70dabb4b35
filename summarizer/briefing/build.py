"""`build_memo`: a run's summaries -> the `Memo`, with citations numbered and, for several articles,
the overview. Kept out of memo.py so that memo_overview imports the memo model and nothing imports back.
"""

from __future__ import annotations

from summarizer.briefing.memo import (
    Memo,
    MemoOptions,
    article_entry,
    default_title,
    domain_sections,
    in_localities,
    locality_sections,
    number_citations,
)
from summarizer.briefing.memo_overview import build_overview
from summarizer.core.models import ArticleSummary


def build_memo(
    summaries: list[ArticleSummary],
    options: MemoOptions,
    texts: dict[str, str | None] | None = None,
    viewers: dict[str, str | None] | None = None,
) -> Memo:
    """The memo's content. `texts` places spans with null offsets; `viewers` links each article."""
    texts, viewers = texts or {}, viewers or {}
    articles = [
        article_entry(s, n, options, texts.get(s.article_id), viewers.get(s.article_id))
        for n, s in enumerate(summaries, 1)
        if in_localities(s, options)
    ]
    if options.filtered:
        articles = [a for a in articles if a.initiatives]
    sections = domain_sections(articles) if options.group_by == "domain" else locality_sections(articles)
    memo = Memo(options.title or default_title(articles), options, articles, sections)
    number_citations(memo)
    if len(articles) > 1:
        memo.overview = build_overview(memo)
    return memo
