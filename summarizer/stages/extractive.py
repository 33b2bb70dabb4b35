"""An extractive summary when no model writes one: lead sentences that report what was done,
preferring sentences with figures, 3-5 sentences, in article order."""

from __future__ import annotations

from summarizer.core.numbers import find_figures
from summarizer.ingest.article import Article
from summarizer.stages.chunking import split_sentences

_REFORM_WORDS = ("改革", "推进", "实施", "建立", "创新", "试点", "机制", "完成", "实现", "成效")
_MIN_CHARS, _MAX_CHARS = 20, 160


def _score(sentence: str, position: int) -> float:
    figures = len(find_figures(sentence))
    words = sum(word in sentence for word in _REFORM_WORDS)
    return figures * 2 + words - position * 0.02


def extractive_summary(article: Article, max_sentences: int = 4) -> str:
    """3-5 verbatim sentences of the body (fewer only when the article is that short)."""
    sentences = [article.body[s:e].strip() for s, e in split_sentences(article.body)]
    candidates = [
        (i, s) for i, s in enumerate(sentences) if _MIN_CHARS <= len(s) <= _MAX_CHARS and s[-1] in "。！？!?"
    ]
    ranked = sorted(candidates, key=lambda item: -_score(item[1], item[0]))[:max_sentences]
    return "".join(s for _, s in sorted(ranked))
