"""Align quoted evidence and figures to the source text. Pure: no model, no I/O.

Alignment, in order:
1. exact: the quote occurs verbatim in `Article.text` (the first occurrence at or after the hint);
2. fuzzy: `rapidfuzz.fuzz.partial_ratio_alignment` of the quote against the cleaned body; the
   aligned body span is mapped back to `Article.text` and the span's text becomes the source's
   own characters there. Accepted only when the score is at least `FUZZY_THRESHOLD` (90 of 100) and
   the quote has at least `MIN_FUZZY_CHARS` characters, so short strings never match by chance.
A quote that aligns neither way is dropped. Figures: an outcome's `value_text` must occur in its
evidence; `value` and `unit` always come from `summarizer.numbers.parse_figure`.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from summarizer.ingest import Article
from summarizer.models import Span
from summarizer.numbers import find_figures, parse_figure

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
        figure = parse_figure(value_text)
        return value_text, figure.value, figure.unit
    digits = "".join(ch for ch in value_text or "" if ch.isdigit())
    for figure in find_figures(evidence.text):
        if digits and digits in "".join(ch for ch in figure.value_text if ch.isdigit()):
            return figure.value_text, figure.value, figure.unit
    return None, None, None
