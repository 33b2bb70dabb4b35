"""An ArticleSummary put in the form the scorer needs: canonical order, normalized text, placed spans."""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.core.models import ArticleSummary, Initiative, Outcome
from summarizer.core.numbers import parse_figure
from summarizer.core.spans import PlacedSpan, place_span
from summarizer.core.textnorm import normalize
from summarizer.evaluation.matching import canonical_order

# A figure compared across files: value to 9 significant digits (so 357.14 * 1e8 equals
# 35714000000.0) and unit ("" when none).
FigureKey = tuple[float, str]


def figure_key(value: float | None, unit: str | None) -> FigureKey | None:
    return None if value is None else (float(f"{value:.9g}"), unit or "")


def text_figure_key(value_text: str | None) -> FigureKey | None:
    """The figure a printed `value_text` normalizes to, by the project's own normalizer."""
    if not value_text:
        return None
    parsed = parse_figure(value_text)
    return figure_key(parsed.value, parsed.unit)


@dataclass
class PreparedArticle:
    summary: ArticleSummary
    initiatives: list[Initiative]
    names: list[str]
    spans: list[PlacedSpan]
    span_starts: list[int]
    outcomes: list[Outcome]
    outcome_owner: list[int]
    descriptions: list[str]
    outcome_spans: list[PlacedSpan]
    figures: list[FigureKey | None]


def _initiative_key(item: Initiative, name: str) -> str:
    evidence = "\x1f".join(s.text for s in item.evidence)
    return "\x1e".join([name, evidence, item.description])


def _outcome_key(item: Outcome) -> str:
    return "\x1e".join([item.description, item.value_text or "", item.evidence.text, str(item.value)])


def prepare(summary: ArticleSummary, source: str | None) -> PreparedArticle:
    """Sort initiatives and their outcomes canonically and place every span in the source."""
    names = [normalize(i.name) for i in summary.initiatives]
    order = canonical_order([_initiative_key(i, n) for i, n in zip(summary.initiatives, names, strict=True)])
    initiatives = [summary.initiatives[i] for i in order]
    spans: list[PlacedSpan] = []
    span_starts, outcomes, owners = [], [], []
    for index, initiative in enumerate(initiatives):
        span_starts.append(len(spans))
        spans.extend(place_span(s, source) for s in initiative.evidence)
        items = initiative.outcomes
        if len(items) > 1:
            items = [items[j] for j in canonical_order([_outcome_key(o) for o in items])]
        outcomes.extend(items)
        owners.extend([index] * len(items))
    return PreparedArticle(
        summary=summary,
        initiatives=initiatives,
        names=[names[i] for i in order],
        spans=spans,
        span_starts=span_starts,
        outcomes=outcomes,
        outcome_owner=owners,
        descriptions=[normalize(o.description) for o in outcomes],
        outcome_spans=[place_span(o.evidence, source) for o in outcomes],
        figures=[figure_key(o.value, o.unit) for o in outcomes],
    )
