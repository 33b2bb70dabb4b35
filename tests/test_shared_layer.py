"""The shared layer (issue 14): one span placement, used by memos, the viewer, scoring and the gold
checker."""

from __future__ import annotations

import random

import pytest

from summarizer.core.models import Span
from summarizer.core.spans import PlacedSpan, place_span

TEXT = "甲乙丙丁乙丙"


# -- summarizer.core.spans ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "text", "expected"),
    [
        (Span(text="乙丙", start=1, end=3), TEXT, PlacedSpan("乙丙", 1, 3, "exact")),
        (Span(text="乙丙"), TEXT, PlacedSpan("乙丙", 1, 3, "searched")),
        (Span(text="乙丙", start=4, end=6), TEXT, PlacedSpan("乙丙", 4, 6, "exact")),  # the second one
        (Span(text="乙丙", start=0, end=2), TEXT, PlacedSpan("乙丙", 1, 3, "corrected")),
        (Span(text="乙丙", start=-2, end=6), TEXT, PlacedSpan("乙丙", 1, 3, "corrected")),
        (Span(text="丙", start=-1, end=6), TEXT, PlacedSpan("丙", 2, 3, "corrected")),  # no negative index
        (Span(text="乙丙", start=3, end=1), TEXT, PlacedSpan("乙丙", 1, 3, "corrected")),
        (Span(text="庚辛", start=1, end=3), TEXT, PlacedSpan("庚辛", None, None, "missing")),
        (Span(text="乙丙", start=1, end=3), None, PlacedSpan("乙丙", 1, 3, "recorded")),
        (Span(text="乙丙"), None, PlacedSpan("乙丙", None, None, "missing")),
    ],
)
def test_place_span(span, text, expected):
    assert place_span(span, text) == expected


@pytest.mark.parametrize(
    ("placement", "located", "grounded", "ref"),
    [
        ("exact", True, True, "1-3"),
        ("searched", True, True, "1-3"),
        ("corrected", True, False, "1-3"),
        ("recorded", False, False, "1-3"),
        ("missing", False, False, "?"),
    ],
)
def test_placed_span_properties(placement, located, grounded, ref):
    placed = (
        PlacedSpan("乙丙", None, None, placement)
        if placement == "missing"
        else PlacedSpan("乙丙", 1, 3, placement)
    )
    assert (placed.located, placed.grounded, placed.ref) == (located, grounded, ref)


def test_a_located_span_always_slices_to_its_text():
    rng = random.Random(14)
    text = "".join(rng.choice("甲乙丙丁") for _ in range(40))
    for _ in range(2000):
        a = rng.randrange(len(text))
        quote = text[a : a + rng.randint(1, 4)]
        start = rng.choice([None, rng.randint(-5, 45)])
        end = None if start is None else start + rng.randint(-2, 6)
        placed = place_span(Span(text=quote, start=start, end=end), text)
        assert placed.located and text[placed.start : placed.end] == quote
        assert placed.placement == (
            "exact" if (start, end) == (placed.start, placed.end) else placed.placement
        )
        if placed.placement != "exact":
            assert placed.start == text.find(quote)
