"""Merge grounded initiatives found in several chunks into one list, in order of first mention.

Two items are the same initiative when their normalized names are similar (rapidfuzz ratio at
least `MERGE_NAME_RATIO`, or one name contains the other) or when their evidence overlaps in the
source. One answer (a chunk's) is the model's own word that its items are distinct: two of its
items merge only when their names are equal, never because they cite one sentence (a list of
reforms in one sentence is several initiatives). An item joins the existing item whose name is
most alike, and by overlapping evidence only when no name matches. Merged items keep the first
item's name and domain, and the union of actors, evidence and outcomes without duplicates (the
same figure, or no figure from an overlapping passage; one outcome stands for at most one of the
other item's, so two results of one sentence stay two).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rapidfuzz import fuzz

from summarizer.core.models import MAX_EVIDENCE, Initiative, Outcome, Span
from summarizer.core.textnorm import normalize

T = TypeVar("T")
# Names this alike (rapidfuzz ratio, 0-100) are one initiative of one article: a name written again
# with a character more merges (`美丽宁夏建设` / `美丽新宁夏建设`, 92), while two reforms of one article
# that share all but their last word stay two (`生态产品价值实现机制基金` / `…试点`, 83); merging is
# not undone later, so this asks more than the memo overview's 80.
MERGE_NAME_RATIO = 85.0


def same_initiative(a: Initiative, b: Initiative) -> bool:
    return name_similarity(a, b) > 0 or same_evidence(a, b)


def _key(text: str) -> str:
    # Names from different chunks may differ in the case of Latin letters (`SOFC`, `sofc`).
    return normalize(text).casefold()


def name_similarity(a: Initiative, b: Initiative) -> float:
    """How alike two names are (rapidfuzz ratio, 101 when equal); 0 when they are not the same name."""
    name_a, name_b = _key(a.name), _key(b.name)
    if name_a == name_b:
        return 101.0 if name_a else 0.0
    ratio = fuzz.ratio(name_a, name_b)
    if name_a and name_b and (name_a in name_b or name_b in name_a):
        return max(ratio, 1.0)
    return ratio if ratio >= MERGE_NAME_RATIO else 0.0


def same_evidence(a: Initiative, b: Initiative) -> bool:
    return any(_overlap(x, y) for x in a.evidence for y in b.evidence)


def _overlap(x: Span, y: Span) -> bool:
    if None in (x.start, x.end, y.start, y.end):
        return _key(x.text) == _key(y.text)
    return x.start < y.end and y.start < x.end  # type: ignore[operator]


def _combine(first: Initiative, other: Initiative) -> Initiative:
    evidence = _dedupe(first.evidence + other.evidence, _overlap)[:MAX_EVIDENCE]
    outcomes = first.outcomes + _new_outcomes(first.outcomes, other.outcomes)
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


def _new_outcomes(kept: list[Outcome], others: list[Outcome]) -> list[Outcome]:
    """The outcomes of `others` not already in `kept`, each kept outcome standing for one of them:
    two results of one sentence (`建成通车`, `开通运营`), seen again by the next chunk, stay two."""
    free = list(kept)
    new = []
    for outcome in others:
        twin = next((k for k in free if _same_outcome(k, outcome)), None)
        if twin is None:
            new.append(outcome)
        else:
            free.remove(twin)
    return new


def _same_outcome(a: Outcome, b: Outcome) -> bool:
    if a.value_text != b.value_text:
        return False
    return a.value_text is not None or _overlap(a.evidence, b.evidence)


def first_mention(initiative: Initiative) -> int:
    starts = [s.start for s in initiative.evidence if s.start is not None]
    return min(starts) if starts else 1 << 62


def merge_initiatives(items: list[Initiative]) -> list[Initiative]:
    """One item per initiative, ordered by where the article first mentions it (each item is taken
    as its own answer: any two may merge)."""
    return merge_answers([[item] for item in sorted(items, key=first_mention)])


def merge_answers(answers: list[list[Initiative]]) -> list[Initiative]:
    """One item per initiative from the answers of several chunks, in order of first mention."""
    merged: list[Initiative] = []
    sources: list[set[int]] = []  # the answers each merged item holds items of
    for number, answer in enumerate(answers):
        for item in answer:
            index = _partner(merged, sources, item, number)
            if index is None:
                merged.append(item)
                sources.append({number})
            else:
                merged[index] = _combine(merged[index], item)
                sources[index].add(number)
    return sorted(merged, key=first_mention)


def _partner(merged: list[Initiative], sources: list[set[int]], item: Initiative, answer: int) -> int | None:
    """The merged item `item` joins: the most alike name, else the first with overlapping evidence;
    an item already holding one of this answer's items takes another only under an equal name."""
    best, best_score = None, 0.0
    for index, existing in enumerate(merged):
        score = name_similarity(existing, item)
        if answer in sources[index] and score < 101:
            continue
        if score > best_score:
            best, best_score = index, score
    if best is not None:
        return best
    for index, existing in enumerate(merged):
        if answer not in sources[index] and same_evidence(existing, item):
            return index
    return None
