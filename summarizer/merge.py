"""Merge grounded initiatives found in several chunks into one list, in order of first mention.

Two items are the same initiative when their normalized names are similar (rapidfuzz ratio at
least `NAME_THRESHOLD`, or one name contains the other) or when their evidence overlaps in the
source. Merged items keep the first item's name and domain, and the union of actors, evidence and
outcomes without duplicates (same offsets, or same figure from the same passage).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rapidfuzz import fuzz

from summarizer.models import Initiative, Outcome, Span
from summarizer.textnorm import normalize

T = TypeVar("T")
NAME_THRESHOLD = 85.0
MAX_EVIDENCE = 3


def same_initiative(a: Initiative, b: Initiative) -> bool:
    # Names from different chunks may differ in the case of Latin letters (`SOFC`, `sofc`).
    name_a, name_b = normalize(a.name).casefold(), normalize(b.name).casefold()
    if name_a and name_b and (name_a in name_b or name_b in name_a):
        return True
    if fuzz.ratio(name_a, name_b) >= NAME_THRESHOLD:
        return True
    return any(_overlap(x, y) for x in a.evidence for y in b.evidence)


def _overlap(x: Span, y: Span) -> bool:
    if None in (x.start, x.end, y.start, y.end):
        return normalize(x.text).casefold() == normalize(y.text).casefold()
    return x.start < y.end and y.start < x.end  # type: ignore[operator]


def _combine(first: Initiative, other: Initiative) -> Initiative:
    evidence = _dedupe(first.evidence + other.evidence, _overlap)[:MAX_EVIDENCE]
    outcomes = _dedupe(first.outcomes + other.outcomes, _same_outcome)
    actors = list(dict.fromkeys(first.actors + other.actors))
    description = first.description or other.description
    return first.model_copy(
        update={"evidence": evidence, "outcomes": outcomes, "actors": actors, "description": description}
    )


def _dedupe(items: list[T], same: Callable[[T, T], bool]) -> list[T]:
    """The first of each group of items that `same` calls equal, in order."""
    kept: list[T] = []
    for item in items:
        if not any(same(item, k) for k in kept):
            kept.append(item)
    return kept


def _same_outcome(a: Outcome, b: Outcome) -> bool:
    if a.value_text != b.value_text:
        return False
    return a.value_text is not None or _overlap(a.evidence, b.evidence)


def first_mention(initiative: Initiative) -> int:
    starts = [s.start for s in initiative.evidence if s.start is not None]
    return min(starts) if starts else 1 << 62


def merge_initiatives(items: list[Initiative]) -> list[Initiative]:
    """One item per initiative, ordered by where the article first mentions it."""
    merged: list[Initiative] = []
    for item in sorted(items, key=first_mention):
        for index, existing in enumerate(merged):
            if same_initiative(existing, item):
                merged[index] = _combine(existing, item)
                break
        else:
            merged.append(item)
    return sorted(merged, key=first_mention)
