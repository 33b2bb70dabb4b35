"""The `rules` strategy: no model at all, the floor every other strategy must beat.

Initiatives are the deterministic candidates of `summarizer.stages.candidates` (in a feature story,
the first of each sentence); each keeps the sentence that names it as evidence, takes its domain
from the keyword table, and takes as outcomes the figures of its sentence and the next one in the
paragraph (a figure goes to the name printed in its clause, else to the nearest initiative before
it, so two reforms never share one figure; a number inside a quoted name is none).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from summarizer.core.config import RunConfig
from summarizer.core.models import DESCRIPTION_CHARS, LABEL_CHARS, Domain, Initiative, Outcome, Span
from summarizer.core.numbers import Figure, find_figures
from summarizer.ingest.article import Article
from summarizer.llm.calls import ModelCalls
from summarizer.stages.candidates import Award, Candidate, add_candidate, find_candidates, is_work_report
from summarizer.stages.clause_names import opens_as_done
from summarizer.stages.domains import guess_domain
from summarizer.stages.names import PROGRAM
from summarizer.stages.sections import inside, review_stretches
from summarizer.strategies.base import Extraction

T = TypeVar("T", Figure, Award)
_DESCRIPTION_CHARS = 120
_CLAUSE_MARKS = "，,；;。！？!?"
# Bounds for text without punctuation (one "sentence" of 200,000 characters): evidence is a window
# of the sentence around the name, an outcome's clause a window around its figure. The corpus's
# longest sentence is 442 characters and longest clause 332 (a government work report), so real
# articles stay well inside them.
_MAX_EVIDENCE_CHARS = 1000
_MAX_CLAUSE_SIDE = 500
# A long sentence holds many names: its keyword counts are computed once, not once per name.
_sentence_domain = functools.lru_cache(maxsize=64)(guess_domain)


def extract(article: Article, calls: ModelCalls | None, config: RunConfig) -> Extraction:  # noqa: ARG001
    return Extraction(initiatives=initiatives_from(article, find_candidates(article)))


def with_found(
    article: Article, candidates: list[Candidate], found: Iterable[Candidate | None]
) -> Extraction:
    """The rules' `candidates` and the ones a model `found` (None: nothing), one per reform, in
    text order, as initiatives: how `decomposed` and `choose` add to the rules."""
    for candidate in found:
        if candidate is not None:
            add_candidate(candidates, candidate)  # a name the rules already have is not added twice
    candidates.sort(key=lambda c: c.start)
    return Extraction(initiatives=initiatives_from(article, candidates))


def initiatives_from(article: Article, candidates: list[Candidate]) -> list[Initiative]:
    """One grounded initiative per candidate, each figure and result clause to its nearest owner.

    Figure-bearing clauses of a reform article are nearly always results, so a reported figure
    that no candidate's own sentence holds goes to the candidate named last before it (the first
    one when none comes before); figures of plans and targets (`力争`, `预计`, a work report's
    coming-year section) and figures inside quoted names (`“六个一”`) are not results."""
    review = review_stretches(article.body)
    candidates = reported_candidates(candidates, review)
    if not is_work_report(article):
        candidates = first_per_sentence(candidates)
    in_name = quoted_name_test(article.body)
    figures = {
        key: [f for f in found if not in_name(f.start)] for key, found in figure_owners(candidates).items()
    }
    awards = award_owners(candidates)
    _attach_orphans(candidates, figures, reported_figures(article.body, review))
    return [
        build_initiative(article, c, _domain(c), figures.get(id(c), []), awards.get(id(c), []))
        for c in candidates
    ]


def first_per_sentence(candidates: list[Candidate]) -> list[Candidate]:
    """The first candidate named in each sentence. In a feature story a sentence reports one piece of
    work; the other names in it are its parts, its places or its slogans (on the seeds and the dev
    split, 20 of 113 second and later names in a sentence were initiatives of their own). Their
    figures go to the first name. A work report lists one piece of work per clause: not there.
    A later name that is a program's own (`加强“琢玉工程”建设`) is kept too: initiative F1 rose on
    the seeds (0.497 to 0.513), on the dev split and on five unseen pages (0.535 to 0.556)."""
    seen: set[int] = set()
    kept = []
    for candidate in sorted(candidates, key=lambda c: c.start):
        if candidate.sentence.start not in seen or PROGRAM.search(candidate.name) or _done(candidate):
            seen.add(candidate.sentence.start)
            kept.append(candidate)
    return kept


def _done(candidate: Candidate) -> bool:
    """A facility or project the sentence says opened, was finished or moved in: a deliverable of
    its own wherever the sentence names it."""
    at = candidate.start - candidate.sentence.start
    return opens_as_done(candidate.name, candidate.sentence.text[at : at + 60])


def _attach_orphans(
    candidates: list[Candidate], owners: dict[int, list[Figure]], reported: list[Figure]
) -> None:
    if not candidates:
        return
    claimed = {f.start for items in owners.values() for f in items}
    ordered = sorted(candidates, key=lambda c: c.start)
    starts = [c.start for c in ordered]
    for figure in reported:
        if figure.start in claimed:
            continue
        at = bisect.bisect_right(starts, figure.start) - 1
        owner = ordered[max(at, 0)]
        owners.setdefault(id(owner), []).append(figure)


# Words of plans: a sentence holding one reports no initiative carried out (`_PLAN_SENTENCE`, with
# the words of continuing work) and no result figure (`_PLAN_WORDS`, with the words of targets).
_PLAN_MARKERS = ("力争", "预计", "计划到", "今年将", "下一步")
_PLAN_SENTENCE = re.compile("|".join((*_PLAN_MARKERS, "明年将", "将继续", "将进一步", "接下来")))
_PLAN_WORDS = re.compile(
    "|".join(
        (*_PLAN_MARKERS, "预期", "目标", r"到20\d\d年", "明年", "拟", "将达", "将实现", "将建成", "确保")
    )
)
_QUOTED_NAME = re.compile(r"“[^“”\n]{1,12}”|《[^《》\n]{1,30}》")


def reported_candidates(candidates: list[Candidate], review: Sequence[tuple[int, int]]) -> list[Candidate]:
    """Candidates the article reports as done: inside the `review` stretches, not in a sentence of
    plans (`下一步`, `力争`, `今年将`): plans are not initiatives carried out."""
    return [c for c in candidates if inside(review, c.start) and not _PLAN_SENTENCE.search(c.sentence.text)]


def is_plan_sentence(text: str) -> bool:
    """A sentence of plans (`下一步`, `力争`, `今年将`): what it names is not carried out yet."""
    return bool(_PLAN_SENTENCE.search(text))


def reported_figures(body: str, review: Sequence[tuple[int, int]]) -> list[Figure]:
    """Figures of the body that report results: inside the `review` stretches, not in a sentence
    of plans or targets, not inside a quoted name."""
    in_name = quoted_name_test(body)
    out = []
    for figure in _figures_within(body, review):
        start, end = _bounded_span(body, figure.start, figure.start, _SENTENCE_MARKS, _MAX_EVIDENCE_CHARS)
        if not _PLAN_WORDS.search(body[start:end]) and not in_name(figure.start):
            out.append(figure)
    return out


def quoted_name_test(body: str) -> Callable[[int], bool]:
    """Whether a body offset lies inside a quoted name (`“15分钟政务服务圈”`, `“六个一”`): a number
    there is part of the name, not a figure."""
    names = [(m.start(), m.end()) for m in _QUOTED_NAME.finditer(body)]  # sorted, disjoint

    def inside(offset: int) -> bool:
        at = bisect.bisect_right(names, (offset, len(body))) - 1
        return at >= 0 and names[at][0] <= offset < names[at][1]

    return inside


def _figures_within(body: str, stretches: Sequence[tuple[int, int]]) -> list[Figure]:
    """`find_figures` over each stretch, with body offsets."""
    return [f.shifted(start) for start, end in stretches for f in find_figures(body[start:end])]


_SENTENCE_MARKS = "。！？；\n"


def _domain(candidate: Candidate) -> Domain:
    """`guess_domain(name, sentence)`: the name's keywords first, then its sentence's."""
    domain = guess_domain(candidate.name)
    return domain if domain is not Domain.other else _sentence_domain(candidate.sentence.text)


def figure_owners(candidates: list[Candidate]) -> dict[int, list[Figure]]:
    """Each figure to the candidate named in its clause (`建设47.8万亩高标准农田`: the figure comes
    first), else to the last candidate named before it (by `id` of the candidate)."""
    owners = same_clause_owners(candidates)
    claimed = {f.start for figures in owners.values() for f in figures}
    for key, figures in nearest_owners(candidates, lambda c: c.figures, claimed).items():
        owners[key] = sorted(owners.get(key, []) + figures, key=lambda f: f.start)
    return owners


def same_clause_owners(candidates: list[Candidate]) -> dict[int, list[Figure]]:
    """Figures printed in the clause of a candidate's name, to that candidate (the first named)."""
    owners: dict[int, list[Figure]] = {}
    claimed: set[int] = set()
    for candidate in sorted(candidates, key=lambda c: c.start):
        text, base = candidate.sentence.text, candidate.sentence.start
        start, end = _bounded_span(
            text, candidate.start - base, candidate.end - base, _CLAUSE_MARKS, _MAX_CLAUSE_SIDE
        )
        for figure in candidate.figures:
            if base + start <= figure.start < base + end and figure.start not in claimed:
                claimed.add(figure.start)
                owners.setdefault(id(candidate), []).append(figure)
    return owners


def award_owners(candidates: list[Candidate]) -> dict[int, list[Award]]:
    """Each result clause without a figure to the last candidate named before it."""
    return nearest_owners(candidates, lambda c: c.awards)


def nearest_owners(
    candidates: list[Candidate], items_of: Callable[[Candidate], list[T]], claimed: set[int] | None = None
) -> dict[int, list[T]]:
    """Each item (anything with `start`) to the last candidate named before it, never two owners.

    The names of one sentence share one item list; going from the last name to the first, each
    name looks only at the items of its list that no later name has looked at (`seen`), so a
    sentence with thousands of names and figures costs one pass over them."""
    owners: dict[int, list[T]] = {}
    claimed = set(claimed or ())
    seen: dict[int, tuple[list[T], list[int], int]] = {}  # list id -> (sorted items, starts, first seen)
    for candidate in sorted(candidates, key=lambda c: -c.start):
        items = items_of(candidate)
        ordered, starts, upto = seen.get(id(items)) or _by_start(items)
        first = bisect.bisect_left(starts, candidate.start)
        for item in ordered[first:upto]:
            if item.start not in claimed:
                claimed.add(item.start)
                owners.setdefault(id(candidate), []).append(item)
        seen[id(items)] = (ordered, starts, min(first, upto))
    return owners


def _by_start(items: list[T]) -> tuple[list[T], list[int], int]:
    ordered = sorted(items, key=lambda item: item.start)
    return ordered, [item.start for item in ordered], len(ordered)


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
    start, end = _evidence_bounds(candidate)
    figures = [f for f in figures if len(f.value_text) <= LABEL_CHARS]  # not a line of digits
    found = [(f.start, _outcome(article, f)) for f in figures] + [
        (a.start, _award(article, a)) for a in awards
    ]
    return Initiative(
        name=candidate.name,
        domain=domain,
        description=article.body[start:end].strip()[:_DESCRIPTION_CHARS],
        outcomes=[outcome for _, outcome in sorted(found, key=lambda pair: pair[0])],
        evidence=[body_span(article, start, end)],
    )


def _evidence_bounds(candidate: Candidate) -> tuple[int, int]:
    """The candidate's sentence, or a window of it around the name when the sentence is too long."""
    sentence = candidate.sentence
    if sentence.end - sentence.start <= _MAX_EVIDENCE_CHARS:
        return sentence.start, sentence.end
    margin = max(0, _MAX_EVIDENCE_CHARS - (candidate.end - candidate.start)) // 2
    start = max(sentence.start, candidate.start - margin)
    return start, min(sentence.end, start + _MAX_EVIDENCE_CHARS)


def _outcome(article: Article, figure: Figure) -> Outcome:
    """The figure with the clause that reports it as description and evidence."""
    start, end = _clause_around(article.body, figure.start, figure.end)
    clause = article.body[start:end]
    return Outcome(
        description=clause[:DESCRIPTION_CHARS],
        metric=None,
        value_text=figure.value_text,
        value=figure.value,
        unit=figure.unit,
        evidence=body_span(article, start, end),
    )


def _award(article: Article, award: Award) -> Outcome:
    clause = article.body[award.start : award.end].strip()
    start = award.start + article.body[award.start : award.end].find(clause)
    return Outcome(
        description=clause[:DESCRIPTION_CHARS], evidence=body_span(article, start, start + len(clause))
    )


def _clause_around(body: str, start: int, end: int) -> tuple[int, int]:
    left, right = _bounded_span(body, start, end, _CLAUSE_MARKS + "\n", _MAX_CLAUSE_SIDE)
    while left < start and body[left].isspace():
        left += 1
    return left, right


def _bounded_span(body: str, start: int, end: int, marks: str, side: int) -> tuple[int, int]:
    """The stretch between the nearest `marks` around [start, end), looked for within `side`
    characters each way (a text without punctuation would otherwise be scanned whole each time)."""
    low, high = max(0, start - side), min(len(body), end + side)
    left = max((body.rfind(mark, low, start) + 1 for mark in marks), default=0) or low
    rights = [i for i in (body.find(mark, end, high) for mark in marks) if i >= 0]
    return left, min(rights) if rights else high
