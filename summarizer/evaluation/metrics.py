"""Scores of one predicted ArticleSummary against its gold file, and their averages.

Every metric is a ratio num / den, so the micro average pools num and den over articles and the
paired bootstrap can resample articles. When den is 0 the metric takes a stated value instead:
precision, recall and F1 are 1.0 when both sides are empty and 0.0 when only one is; figure,
domain and grounding metrics are None (not applicable) and leave the macro average.

- initiative_*: one-to-one matching (see `matching`); F1 = 2 * matched / (predicted + gold).
- outcome_*: outcomes matched within matched initiative pairs, over all outcomes of the article.
- article_outcome_*: outcomes matched over the whole article, ignoring which initiative holds them.
- figure_accuracy: matched outcomes (article-wide) whose value and unit equal the gold figure.
- figure_recall: gold figures (value, unit) found among the predicted outcomes' figures anywhere in
  the article; each predicted outcome offers one figure: its value and unit when they are a gold
  figure, else what its `value_text` normalizes to.
- grounding_rate: predicted spans whose text is verbatim at their offsets (see `place_span`).
- figure_grounding: predicted `value_text` found verbatim in the source.
- domain_accuracy: matched initiatives with the gold domain.
- locality_name, locality_level, title, source, published: exact match (NFKC, outer spaces trimmed).
- rouge1, rouge2, rougeL: character-level ROUGE F1 of the summary (see `rouge`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from summarizer.core.models import ArticleSummary
from summarizer.core.textnorm import normalize
from summarizer.evaluation.matching import (
    THRESHOLD,
    assign,
    combine,
    group_max,
    overlap_matrix,
    text_similarity,
)
from summarizer.evaluation.prepare import PreparedArticle, prepare, text_figure_key
from summarizer.evaluation.rouge import rouge_l_counts, rouge_n_counts

METRICS = [
    "initiative_precision", "initiative_recall", "initiative_f1",
    "outcome_precision", "outcome_recall", "outcome_f1",
    "article_outcome_precision", "article_outcome_recall", "article_outcome_f1",
    "figure_accuracy", "figure_recall", "grounding_rate", "figure_grounding", "domain_accuracy",
    "locality_name", "locality_level", "title", "source", "published",
    "rouge1", "rouge2", "rougeL",
]  # fmt: skip
MAIN_METRICS = ["initiative_f1", "outcome_f1", "figure_recall", "grounding_rate"]
_FIELDS = ("locality_name", "locality_level", "title", "source", "published")


class Ratio(NamedTuple):
    num: float
    den: float
    if_empty: float | None = None

    @property
    def value(self) -> float | None:
        return self.num / self.den if self.den else self.if_empty


@dataclass
class ArticleScore:
    article_id: str
    status: str  # "scored", or "missing" when the run has no prediction (scored as empty)
    ratios: dict[str, Ratio]
    matched: list[tuple[str, str, float]] = field(default_factory=list)  # gold, predicted, similarity
    missed: list[str] = field(default_factory=list)  # gold initiatives not found
    spurious: list[str] = field(default_factory=list)  # predicted initiatives with no gold partner

    def value(self, metric: str) -> float | None:
        return self.ratios[metric].value


def _prf(prefix: str, matched: int, n_pred: int, n_gold: int) -> dict[str, Ratio]:
    both_empty = 1.0 if n_pred == 0 and n_gold == 0 else 0.0
    return {
        f"{prefix}_precision": Ratio(matched, n_pred, both_empty),
        f"{prefix}_recall": Ratio(matched, n_gold, both_empty),
        f"{prefix}_f1": Ratio(2 * matched, n_pred + n_gold, 1.0),
    }


def _initiative_similarity(p: PreparedArticle, g: PreparedArticle) -> np.ndarray:
    names = text_similarity(p.names, g.names)
    evidence = group_max(overlap_matrix(p.spans, g.spans), p.span_starts, g.span_starts)
    return combine(names, evidence)


def _outcome_similarity(p: PreparedArticle, g: PreparedArticle) -> np.ndarray:
    descriptions = text_similarity(p.descriptions, g.descriptions)
    evidence = overlap_matrix(p.outcome_spans, g.outcome_spans)
    ids: dict[object, int] = {}
    pred_ids = np.array([ids.setdefault(f, len(ids)) if f else -1 for f in p.figures])
    gold_ids = np.array([ids.setdefault(f, len(ids)) if f else -2 for f in g.figures])
    figures = (pred_ids[:, None] == gold_ids[None, :]).astype(float)
    return combine(descriptions, evidence, figures.reshape(descriptions.shape))


def _within_initiatives(
    similarity: np.ndarray, p: PreparedArticle, g: PreparedArticle, pairs: list[tuple[int, int, float]]
) -> int:
    """Outcome matches counted only inside matched initiative pairs."""
    pred_rows, gold_cols = _by_owner(p.outcome_owner), _by_owner(g.outcome_owner)
    matched = 0
    for pi, gi, _ in pairs:
        rows, cols = pred_rows.get(pi), gold_cols.get(gi)
        if not rows or not cols:
            continue
        block = similarity[rows][:, cols]
        if len(rows) == 1 or len(cols) == 1:  # one-to-one with a single item: any pair above will do
            matched += int(block.max() >= THRESHOLD)
        else:
            matched += len(assign(block))
    return matched


def _by_owner(owners: list[int]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for index, owner in enumerate(owners):
        groups.setdefault(owner, []).append(index)
    return groups


def _figure_scores(
    p: PreparedArticle, g: PreparedArticle, pairs: list[tuple[int, int, float]]
) -> dict[str, Ratio]:
    judged = [(p.figures[pi], g.figures[gi]) for pi, gi, _ in pairs if g.figures[gi] is not None]
    gold = Counter(f for f in g.figures if f is not None)
    return {
        "figure_accuracy": Ratio(sum(a == b for a, b in judged), len(judged)),
        "figure_recall": Ratio(_figures_found(p, gold), sum(gold.values())),
    }


def _figures_found(p: PreparedArticle, gold: Counter[Any]) -> int:
    """Gold figures (with multiplicity) among the predicted outcomes' values or their value_text."""
    given = Counter(f for f in p.figures if f is not None)
    found = sum(min(count, given[key]) for key, count in gold.items())
    if found == sum(gold.values()):
        return found  # parsing value_text cannot add more
    # Each outcome offers one figure: its value when that is a gold figure, else its value_text's.
    predicted = Counter(
        key if key in gold else text_figure_key(outcome.value_text)
        for outcome, key in zip(p.outcomes, p.figures, strict=True)
    )
    return sum(min(count, predicted[key]) for key, count in gold.items())


def _grounding(p: PreparedArticle, source: str | None) -> dict[str, Ratio]:
    if source is None:
        return {"grounding_rate": Ratio(0, 0), "figure_grounding": Ratio(0, 0)}
    spans = p.spans + p.outcome_spans
    value_texts = [o.value_text for o in p.outcomes if o.value_text]
    return {
        "grounding_rate": Ratio(sum(s.grounded for s in spans), len(spans)),
        "figure_grounding": Ratio(sum(v in source for v in value_texts), len(value_texts)),
    }


def _same(a: str | None, b: str | None) -> bool:
    def canon(text: str | None) -> str | None:
        return None if text is None else unicodedata.normalize("NFKC", text).strip()

    return canon(a) == canon(b)


def _field_matches(pred: ArticleSummary | None, gold: ArticleSummary) -> dict[str, Ratio]:
    if pred is None:
        return {name: Ratio(0, 1) for name in _FIELDS}
    pairs = {
        "locality_name": (pred.locality.name, gold.locality.name),
        "locality_level": (pred.locality.level, gold.locality.level),
        "title": (pred.title, gold.title),
        "source": (pred.source, gold.source),
        "published": (pred.published, gold.published),
    }
    return {name: Ratio(int(_same(a, b)), 1) for name, (a, b) in pairs.items()}


def _rouge(pred: str, gold: str) -> dict[str, Ratio]:
    p, g = normalize(pred), normalize(gold)
    return {
        "rouge1": Ratio(*rouge_n_counts(p, g, 1), 1.0),
        "rouge2": Ratio(*rouge_n_counts(p, g, 2), 1.0),
        "rougeL": Ratio(*rouge_l_counts(p, g), 1.0),
    }


def empty_prediction(article_id: str) -> ArticleSummary:
    """What a missing prediction is scored as: nothing found."""
    return ArticleSummary.model_validate(
        {"article_id": article_id, "title": "", "locality": {"name": "", "level": "other"}, "summary": ""}
    )


def score_article(pred: ArticleSummary | None, gold: ArticleSummary, source: str | None) -> ArticleScore:
    """Every metric of one article; `pred` None means the run has no prediction for it."""
    p = prepare(pred or empty_prediction(gold.article_id), source)
    g = prepare(gold, source)
    initiative_pairs = assign(_initiative_similarity(p, g))
    outcome_similarity = _outcome_similarity(p, g)
    outcome_pairs = assign(outcome_similarity)
    ratios = _prf("initiative", len(initiative_pairs), len(p.initiatives), len(g.initiatives))
    within = _within_initiatives(outcome_similarity, p, g, initiative_pairs)
    ratios |= _prf("outcome", within, len(p.outcomes), len(g.outcomes))
    ratios |= _prf("article_outcome", len(outcome_pairs), len(p.outcomes), len(g.outcomes))
    ratios |= _figure_scores(p, g, outcome_pairs)
    ratios |= _grounding(p, source)
    domains = [p.initiatives[pi].domain == g.initiatives[gi].domain for pi, gi, _ in initiative_pairs]
    ratios["domain_accuracy"] = Ratio(sum(domains), len(domains))
    ratios |= _field_matches(pred, gold)
    ratios |= _rouge(p.summary.summary, gold.summary)
    return _with_details(gold.article_id, pred is None, ratios, p, g, initiative_pairs)


def _with_details(
    article_id: str,
    missing: bool,
    ratios: dict[str, Ratio],
    p: PreparedArticle,
    g: PreparedArticle,
    pairs: list[tuple[int, int, float]],
) -> ArticleScore:
    matched_pred, matched_gold = {pi for pi, _, _ in pairs}, {gi for _, gi, _ in pairs}
    return ArticleScore(
        article_id=article_id,
        status="missing" if missing else "scored",
        ratios={name: ratios[name] for name in METRICS},
        matched=[(g.initiatives[gi].name, p.initiatives[pi].name, sim) for pi, gi, sim in pairs],
        missed=[i.name for k, i in enumerate(g.initiatives) if k not in matched_gold],
        spurious=[i.name for k, i in enumerate(p.initiatives) if k not in matched_pred],
    )


def micro(scores: list[ArticleScore], metric: str) -> float | None:
    """Pooled num / den over articles; the macro average when every den is 0."""
    num = sum(s.ratios[metric].num for s in scores)
    den = sum(s.ratios[metric].den for s in scores)
    return num / den if den else macro(scores, metric)


def macro(scores: list[ArticleScore], metric: str) -> float | None:
    """Mean of the per-article values, leaving out articles where the metric does not apply."""
    values = [v for s in scores if (v := s.value(metric)) is not None]
    return sum(values) / len(values) if values else None
