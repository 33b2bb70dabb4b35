"""Align quoted evidence and figures to the source text. Pure: no model, no I/O.

Alignment, in order:
1. exact: the quote occurs verbatim in `Article.text` (the first occurrence at or after the hint);
2. fuzzy: `rapidfuzz.fuzz.partial_ratio_alignment` of the quote against the cleaned body; the
   aligned body span is mapped back to `Article.text` and the span's text becomes the source's
   own characters there. Accepted only when the score is at least `FUZZY_THRESHOLD` (90 of 100) and
   the quote has at least `MIN_FUZZY_CHARS` characters, so short strings never match by chance.
A quote that aligns neither way is dropped. Figures: an outcome's `value_text` must occur in its
evidence; `value` and `unit` always come from `summarizer.core.numbers.parse_figure`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from summarizer.core.models import (
    DESCRIPTION_CHARS,
    LABEL_CHARS,
    MAX_EVIDENCE,
    NAME_CHARS,
    Initiative,
    Outcome,
    Span,
)
from summarizer.core.numbers import find_figures, parse_figure
from summarizer.ingest.article import Article
from summarizer.stages.drafts import DraftInitiative, DraftOutcome

FUZZY_THRESHOLD = 90.0
MIN_EXACT_CHARS = 4
MIN_FUZZY_CHARS = 10
_TRIM = " \t\n\r\u3000“”\"'‘’…"


def align_quote(quote: str, article: Article, hint: int = 0) -> Span | None:
    """A grounded `Span` for `quote`, or None when it is not in the source."""
    needle = quote.strip(_TRIM)
    if len(needle) < MIN_EXACT_CHARS:
        return None
    start = article.text.find(needle, hint)
    if start < 0:
        start = article.text.find(needle)
    if start >= 0:
        return Span(text=needle, start=start, end=start + len(needle), alignment="exact")
    if len(needle) < MIN_FUZZY_CHARS:
        return None
    return _fuzzy(needle, article)


def _fuzzy(needle: str, article: Article) -> Span | None:
    result = fuzz.partial_ratio_alignment(needle, article.body, score_cutoff=FUZZY_THRESHOLD)
    if result is None or result.dest_end <= result.dest_start:
        return None
    start, end = article.to_text_span(result.dest_start, result.dest_end)
    text = article.text[start:end].strip(_TRIM)
    if len(text) < MIN_FUZZY_CHARS:
        return None
    start = article.text.find(text, start)
    return Span(text=text, start=start, end=start + len(text), alignment="fuzzy")


def is_grounded(span: Span, text: str) -> bool:
    """True when the span's text sits verbatim at its offsets."""
    return span.start is not None and span.end is not None and text[span.start : span.end] == span.text


def figure_in_evidence(value_text: str | None, evidence: Span) -> tuple[str | None, float | None, str | None]:
    """(value_text, value, unit) for an outcome: the figure must be printed inside its evidence.

    A model's figure that is not in the evidence is replaced by the evidence's own figure that
    shares its digits, or else dropped; a model's value is never kept.
    """
    if value_text:
        value_text = value_text.strip(_TRIM)
    if value_text and value_text in evidence.text:
        at = evidence.text.index(value_text)
        for figure in find_figures(evidence.text):
            # `5.9万` printed as `5.9万户`: take the whole printed figure, unit included.
            if figure.start <= at and at + len(value_text) <= figure.end:
                return figure.value_text, figure.value, figure.unit
        parsed = parse_figure(value_text)
        return value_text, parsed.value, parsed.unit
    digits = "".join(ch for ch in value_text or "" if ch.isdigit())
    for figure in find_figures(evidence.text):
        if digits and digits in "".join(ch for ch in figure.value_text if ch.isdigit()):
            return figure.value_text, figure.value, figure.unit
    return None, None, None


def ground_draft(draft: DraftInitiative, article: Article, hint: int = 0) -> tuple[Initiative | None, int]:
    """Turn a model's draft into a grounded `Initiative`; returns it (or None) and spans dropped.

    Quotes that do not align are dropped; an outcome whose quote does not align is dropped; an
    initiative with no quote left stands on its outcomes' passages (a chunk that holds only the
    result of an initiative named in the chunk before: merge joins it by name), and is dropped
    when it has none either; figures come from the normalizer.
    """
    evidence = _unique_spans(align_quote(q, article, hint) for q in draft.quotes)
    dropped = len(draft.quotes) - len(evidence)
    outcomes = []
    for draft_outcome in draft.outcomes:
        outcome = _ground_outcome(draft_outcome, article, hint)
        dropped += outcome is None
        if outcome is not None:
            outcomes.append(outcome)
    if not evidence:
        evidence = _unique_spans(o.evidence for o in outcomes)
    if not evidence:
        return None, dropped
    initiative = Initiative(
        name=draft.name.strip()[:NAME_CHARS] or evidence[0].text[:NAME_CHARS],
        domain=draft.domain,
        description=draft.description.strip(),
        actors=[a.strip() for a in draft.actors if a.strip()],
        outcomes=outcomes,
        evidence=evidence[:MAX_EVIDENCE],
    )
    return initiative, dropped


def _ground_outcome(draft: DraftOutcome, article: Article, hint: int) -> Outcome | None:
    span = align_quote(draft.quote, article, hint)
    if span is None:
        return None
    value_text, value, unit = figure_in_evidence(draft.value_text, span)
    if value_text is not None and len(value_text) > LABEL_CHARS:  # a "figure" of a thousand digits
        value_text, value, unit = None, None, None
    return Outcome(
        description=draft.description.strip() or span.text[:DESCRIPTION_CHARS],
        metric=(draft.metric or None) if value_text else None,
        value_text=value_text,
        value=value,
        unit=unit,
        evidence=span,
    )


def _unique_spans(spans: Iterable[Span | None]) -> list[Span]:
    seen: set[tuple[int | None, int | None]] = set()
    unique = []
    for span in spans:
        if span is not None and (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            unique.append(span)
    return unique
