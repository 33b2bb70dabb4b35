"""Where a quoted span sits in its source text: the one placement rule that memos, the evidence
viewer, scoring and the gold checker share.

Span offsets are Python str indices into the decoded source. A span is placed at its offsets when
they slice to its text; otherwise (no offsets, or offsets that disagree) at the first occurrence of
its text (`str.find`). Offsets are only trusted when `0 <= start <= end`.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from summarizer.core.models import Span

# exact: the offsets slice to the text; searched: no offsets, found by str.find;
# corrected: the offsets disagree with the text, found by str.find; missing: not in the source;
# recorded: no source at hand, the offsets are taken as written.
Placement = Literal["exact", "searched", "corrected", "missing", "recorded"]

# Placements whose start and end are positions in the source text at hand.
_IN_SOURCE = frozenset({"exact", "searched", "corrected"})


class PlacedSpan(NamedTuple):
    """A span's text, its position in the source (None when it has none) and how it was placed.

    A NamedTuple, not a dataclass: scoring places hundreds of thousands of spans."""

    text: str
    start: int | None
    end: int | None
    placement: Placement

    @property
    def ref(self) -> str:
        """`start-end`, or `?` when the passage could not be placed."""
        return "?" if self.start is None else f"{self.start}-{self.end}"

    @property
    def located(self) -> bool:
        """`start:end` is where the text sits in the source (not merely what a summary recorded)."""
        return self.placement in _IN_SOURCE

    @property
    def grounded(self) -> bool:
        """The text is verbatim at the span's offsets or, for a span without offsets (gold files
        may omit them), somewhere in the source. Wrong offsets are never grounded."""
        return self.placement == "exact" or self.placement == "searched"


def place_span(span: Span, text: str | None) -> PlacedSpan:
    """Where `span` sits in `text`: its offsets when they slice to its text, else the first match.

    Without a source (`text` None) a span keeps its recorded offsets (`recorded`), or is `missing`
    when it has none."""
    start, end = span.start, span.end
    has_offsets = start is not None and end is not None
    if text is None:
        return PlacedSpan(span.text, start, end, "recorded" if has_offsets else "missing")
    if start is not None and end is not None and 0 <= start <= end and text[start:end] == span.text:
        return PlacedSpan(span.text, start, end, "exact")
    found = text.find(span.text)
    if found < 0:
        return PlacedSpan(span.text, None, None, "missing")
    return PlacedSpan(span.text, found, found + len(span.text), "corrected" if has_offsets else "searched")
