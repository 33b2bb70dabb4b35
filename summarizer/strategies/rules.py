"""The `rules` strategy: no model at all, the floor every other strategy must beat.

Initiatives are the deterministic candidates of `summarizer.candidates` (reform-keyword phrases
and quoted names); each keeps the sentence that names it as evidence, takes its domain from the
keyword table, and takes as outcomes the figures of its sentence and the next one in the paragraph
(each figure goes to the nearest initiative before it, so two reforms never share one figure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from summarizer.calls import ModelCalls
from summarizer.candidates import Award, Candidate, find_candidates
from summarizer.config import RunConfig
from summarizer.domains import guess_domain
from summarizer.ingest import Article
from summarizer.models import Domain, Initiative, Outcome, Span
from summarizer.numbers import Figure
from summarizer.strategies import Extraction

T = TypeVar("T", Figure, Award)
_DESCRIPTION_CHARS = 120
_CLAUSE_MARKS = "，,；;。！？!?"


def extract(article: Article, calls: ModelCalls | None, config: RunConfig) -> Extraction:  # noqa: ARG001
    return Extraction(initiatives=initiatives_from(article, find_candidates(article)))


def initiatives_from(article: Article, candidates: list[Candidate]) -> list[Initiative]:
    """One grounded initiative per candidate, each figure and result clause to its nearest owner."""
    figures, awards = figure_owners(candidates), award_owners(candidates)
    return [
        build_initiative(
            article, c, guess_domain(c.name, c.sentence.text), figures.get(id(c), []), awards.get(id(c), [])
        )
        for c in candidates
    ]


def figure_owners(candidates: list[Candidate]) -> dict[int, list[Figure]]:
    """Each figure to the last candidate named before it (by `id` of the candidate)."""
    return nearest_owners(candidates, lambda c: c.figures)


def award_owners(candidates: list[Candidate]) -> dict[int, list[Award]]:
    """Each result clause without a figure to the last candidate named before it."""
    return nearest_owners(candidates, lambda c: c.awards)


def nearest_owners(
    candidates: list[Candidate], items_of: Callable[[Candidate], list[T]]
) -> dict[int, list[T]]:
    """Each item (anything with `start`) to the last candidate named before it, never two owners."""
    owners: dict[int, list[T]] = {}
    claimed: set[int] = set()
    for candidate in sorted(candidates, key=lambda c: -c.start):
        for item in items_of(candidate):
            if item.start >= candidate.start and item.start not in claimed:
                claimed.add(item.start)
                owners.setdefault(id(candidate), []).append(item)
    return owners


def body_span(article: Article, start: int, end: int) -> Span:
    """A grounded span of the body slice [start, end), with offsets into `article.text`."""
    text_start, text_end = article.to_text_span(start, end)
    return Span(text=article.text[text_start:text_end], start=text_start, end=text_end, alignment="exact")


def build_initiative(
    article: Article,
    candidate: Candidate,
    domain: Domain,
    figures: list[Figure],
    awards: list[Award] = (),  # type: ignore[assignment]
) -> Initiative:
    sentence = candidate.sentence
    found = [(f.start, _outcome(article, f)) for f in figures] + [
        (a.start, _award(article, a)) for a in awards
    ]
    return Initiative(
        name=candidate.name,
        domain=domain,
        description=sentence.text.strip()[:_DESCRIPTION_CHARS],
        outcomes=[outcome for _, outcome in sorted(found, key=lambda pair: pair[0])],
        evidence=[body_span(article, sentence.start, sentence.end)],
    )


def _outcome(article: Article, figure: Figure) -> Outcome:
    """The figure with the clause that reports it as description and evidence."""
    start, end = _clause_around(article.body, figure.start, figure.end)
    clause = article.body[start:end]
    return Outcome(
        description=clause,
        metric=None,
        value_text=figure.value_text,
        value=figure.value,
        unit=figure.unit,
        evidence=body_span(article, start, end),
    )


def _award(article: Article, award: Award) -> Outcome:
    clause = article.body[award.start : award.end].strip()
    start = award.start + article.body[award.start : award.end].find(clause)
    return Outcome(description=clause, evidence=body_span(article, start, start + len(clause)))


def _clause_around(body: str, start: int, end: int) -> tuple[int, int]:
    left = max((body.rfind(mark, 0, start) for mark in _CLAUSE_MARKS + "\n"), default=-1) + 1
    rights = [i for i in (body.find(mark, end) for mark in _CLAUSE_MARKS + "\n") if i >= 0]
    right = min(rights) if rights else len(body)
    while left < start and body[left].isspace():
        left += 1
    return left, right
