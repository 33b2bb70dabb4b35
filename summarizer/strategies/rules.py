"""The `rules` strategy: no model at all, the floor every other strategy must beat.

Initiatives are the deterministic candidates of `summarizer.candidates` (reform-keyword phrases
and quoted names); each keeps the sentence that names it as evidence, takes its domain from the
keyword table, and takes as outcomes the figures of its sentence and the next one in the paragraph
(each figure goes to the nearest initiative before it, so two reforms never share one figure).
"""

from __future__ import annotations

from summarizer.calls import ModelCalls
from summarizer.candidates import Candidate, find_candidates
from summarizer.config import RunConfig
from summarizer.domains import guess_domain
from summarizer.ingest import Article
from summarizer.models import Domain, Initiative, Outcome, Span
from summarizer.numbers import Figure
from summarizer.strategies import Extraction

_DESCRIPTION_CHARS = 120
_CLAUSE_MARKS = "，,；;。！？!?"


def extract(article: Article, calls: ModelCalls | None, config: RunConfig) -> Extraction:  # noqa: ARG001
    candidates = find_candidates(article)
    owners = figure_owners(candidates)
    initiatives = [
        build_initiative(article, c, guess_domain(c.name, c.sentence.text), owners.get(id(c), []))
        for c in candidates
    ]
    return Extraction(initiatives=initiatives)


def figure_owners(candidates: list[Candidate]) -> dict[int, list[Figure]]:
    """Each figure to the last candidate named before it (by `id` of the candidate)."""
    owners: dict[int, list[Figure]] = {}
    claimed: set[int] = set()
    for candidate in sorted(candidates, key=lambda c: -c.start):
        for figure in candidate.figures:
            if figure.start >= candidate.start and figure.start not in claimed:
                claimed.add(figure.start)
                owners.setdefault(id(candidate), []).append(figure)
    return owners


def body_span(article: Article, start: int, end: int) -> Span:
    """A grounded span of the body slice [start, end), with offsets into `article.text`."""
    text_start, text_end = article.to_text_span(start, end)
    return Span(text=article.text[text_start:text_end], start=text_start, end=text_end, alignment="exact")


def build_initiative(
    article: Article, candidate: Candidate, domain: Domain, figures: list[Figure]
) -> Initiative:
    sentence = candidate.sentence
    return Initiative(
        name=candidate.name,
        domain=domain,
        description=sentence.text.strip()[:_DESCRIPTION_CHARS],
        outcomes=[_outcome(article, figure) for figure in sorted(figures, key=lambda f: f.start)],
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


def _clause_around(body: str, start: int, end: int) -> tuple[int, int]:
    left = max((body.rfind(mark, 0, start) for mark in _CLAUSE_MARKS + "\n"), default=-1) + 1
    rights = [i for i in (body.find(mark, end) for mark in _CLAUSE_MARKS + "\n") if i >= 0]
    right = min(rights) if rights else len(body)
    while left < start and body[left].isspace():
        left += 1
    return left, right
