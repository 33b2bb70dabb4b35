"""The `decomposed` strategy: the work a small model (Gemma 3 270M) can do well.

Deterministic code (`summarizer.candidates`) finds every candidate name and every figure near it;
the model answers one small constrained task per candidate: is it an initiative, its domain from
the enum, and which of the listed figures (by index) belong to it. The model never writes a name
or a figure: names are the printed candidates and figures come from the normalizer, so grounding
is by construction. A failed call keeps the candidate as the rules would (never loses recall to
a backend fault).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.calls import ModelCalls
from summarizer.candidates import Candidate, find_candidates
from summarizer.config import RunConfig
from summarizer.domains import KEYWORDS, guess_domain
from summarizer.errors import BackendError, BudgetExceeded, ConfigError
from summarizer.ingest import Article
from summarizer.models import Domain, Initiative
from summarizer.numbers import Figure
from summarizer.prompts import load_prompt
from summarizer.strategies import Extraction
from summarizer.strategies.rules import build_initiative, figure_owners

PROMPT = "decomposed@v1"
MAX_TOKENS = 96
MAX_FIGURES = 8


class CandidateAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_initiative: bool
    domain: Domain
    figures: list[int] = Field(default_factory=list)


def answer_model(n_figures: int) -> type[CandidateAnswer]:
    """The answer schema for one candidate: figure indices restricted to the ones listed."""
    if n_figures == 0:
        return create_model(
            "CandidateAnswerNoFigures", __base__=CandidateAnswer, figures=(list[int], Field(max_length=0))
        )
    indices = IntEnum("FigureIndex", {f"f{i}": i for i in range(n_figures)})  # type: ignore[misc]
    return create_model(  # type: ignore[no-any-return, call-overload]
        f"CandidateAnswer{n_figures}",
        __base__=CandidateAnswer,
        figures=(list[indices], Field(default_factory=list, max_length=n_figures)),  # type: ignore[valid-type]
    )


def extract(article: Article, calls: ModelCalls | None, config: RunConfig) -> Extraction:
    if calls is None:
        raise ConfigError("strategy 'decomposed' needs a model; use --strategy rules with --backend none")
    prompt = load_prompt(config.prompt_ref("decomposed") if "decomposed" in str(config.prompts) else PROMPT)
    candidates = find_candidates(article)
    owners = figure_owners(candidates)
    kept: list[Initiative] = []
    dropped = 0
    for candidate in candidates:
        figures = candidate.figures[:MAX_FIGURES]
        answer = _ask(calls, prompt, candidate, figures)
        if answer is not None and not answer.is_initiative:
            dropped += 1
            continue
        chosen = (
            owners.get(id(candidate), []) if answer is None else [figures[int(i)] for i in answer.figures]
        )
        kept.append(build_initiative(article, candidate, _domain(candidate, answer), _unique(chosen)))
    return Extraction(initiatives=kept, dropped_initiatives=dropped)


def _ask(
    calls: ModelCalls, prompt: Any, candidate: Candidate, figures: list[Figure]
) -> CandidateAnswer | None:
    listing = "\n".join(f"{i}: {f.value_text}" for i, f in enumerate(figures)) or "（无数字）"
    try:
        return calls.ask(
            prompt,
            answer_model(len(figures)),
            max_tokens=MAX_TOKENS,
            sentence=candidate.sentence.text[:300],
            candidate=candidate.name,
            figures=listing,
        )
    except BudgetExceeded:
        raise
    except BackendError:
        return None


def _domain(candidate: Candidate, answer: CandidateAnswer | None) -> Domain:
    """Keywords in the name are surer than a small model; the model decides when they are silent."""
    if any(word in candidate.name for words in KEYWORDS.values() for word in words):
        return guess_domain(candidate.name)
    if answer is not None and answer.domain is not Domain.other:
        return answer.domain
    return guess_domain(candidate.name, candidate.sentence.text)


def _unique(figures: list[Figure]) -> list[Figure]:
    seen: dict[int, Figure] = {}
    for figure in figures:
        seen.setdefault(figure.start, figure)
    return list(seen.values())
