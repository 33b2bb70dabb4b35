"""The `choose` strategy: the rules' candidates, plus one name per paragraph the model *chooses*.

`decomposed` asks the model to write a paragraph's reform name and keeps it only when it is
printed verbatim (about half the time with Gemma 3 270M). Here the model never writes a name:

1. every rules candidate is kept (figures attached by proximity, as in `rules`);
2. each paragraph of the review where the rules found no candidate (as in `decomposed`) gets its
   name spans found deterministically (`summarizer.stages.options`: run-in heads, `一是` items,
   quoted and 《》 names, verb objects), numbered;
3. one small task per such paragraph (`prompts/choose/v1.md`): the answer is an index from an enum,
   or `none`, constrained by the response model's JSON schema, so it works the same through the
   embedded model's grammar and an OpenAI-compatible server's structured output;
4. the chosen span is kept as printed, with its sentence as evidence; outcomes are the
   normalizer's figures near it, as in `rules`. The model never writes text or a figure.
A failed call costs that paragraph only.

Measured (README, "Strategies, and what the embedded model can do"): with Gemma 3 270M it loses
initiative F1 against `rules` on seeds (-0.045) and dev (-0.025), both intervals below zero, and
-0.007 [-0.025, +0.002] on the test split: the model almost never answers 0 and its picks are no
better than always taking option 1. Opt-in only; a capable model behind an OpenAI-compatible
server may choose better (not measured here).
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from summarizer.core.config import RunConfig
from summarizer.core.errors import BackendError, BudgetExceeded, ConfigError
from summarizer.ingest.article import Article
from summarizer.llm.calls import ModelCalls
from summarizer.llm.prompts import Prompt, load_prompt
from summarizer.stages.candidates import (
    Candidate,
    Sentence,
    candidate_at,
    find_candidates,
    sentences,
)
from summarizer.stages.options import Option, span_options
from summarizer.strategies.base import Extraction
from summarizer.strategies.decomposed import uncovered_paragraphs
from summarizer.strategies.rules import is_plan_sentence, with_found

PROMPT = "choose@v1"
NONE = "0"  # the answer "none of these"; the options are numbered from 1
MAX_TOKENS = 16
MAX_PARAGRAPH_CHARS = 300


@functools.cache
def choice_model(n: int) -> type[BaseModel]:
    """`{"choice": "0" | "1" | … | "n"}`: an enum, so a constrained answer is always an option
    (or `0`, none of them)."""
    values = (NONE, *(str(i) for i in range(1, n + 1)))
    answer: Any = Literal[values]  # Literal["0", "1", …] built at run time
    return create_model(f"Choice{n}", __config__=ConfigDict(extra="forbid"), choice=(answer, ...))


def extract(article: Article, calls: ModelCalls | None, config: RunConfig) -> Extraction:
    if calls is None:
        raise ConfigError("strategy 'choose' needs a model; use --strategy rules with --backend none")
    prompt = load_prompt(config.prompt_or("choose", PROMPT))
    all_sentences = sentences(article.body)
    candidates = find_candidates(article)
    tasks = choice_tasks(article.body, all_sentences, candidates)
    chosen = calls.map(lambda c, task: _choose(c, prompt, task, all_sentences), tasks)
    return with_found(article, candidates, chosen)


def choice_tasks(
    body: str, all_sentences: list[Sentence], candidates: list[Candidate]
) -> list[tuple[str, list[Option]]]:
    """(paragraph text as shown, its options) for each paragraph of the review the rules found
    nothing in (as `decomposed` asks); options only from sentences that are not plans and lie in
    the text shown."""
    tasks = []
    for paragraph in uncovered_paragraphs(body, all_sentences, candidates):
        shown_end = paragraph[0].start + MAX_PARAGRAPH_CHARS
        allowed = [s for s in paragraph if s.end <= shown_end and not is_plan_sentence(s.text)]
        options = span_options(paragraph, allowed)
        if options:
            tasks.append((body[paragraph[0].start : min(paragraph[-1].end, shown_end)], options))
    return tasks


def render_options(options: list[Option]) -> str:
    return "\n".join(f"{i}. {o.text}" for i, o in enumerate(options, 1))


def ask_choice(calls: ModelCalls, prompt: Prompt, text: str, options: list[Option]) -> Option | None:
    """The option the model picks for paragraph `text`, or None when it answers 0 (none of them)."""
    answer = calls.ask(
        prompt,
        choice_model(len(options)),
        max_tokens=MAX_TOKENS,
        paragraph=text,
        options=render_options(options),
    )
    choice = getattr(answer, "choice", NONE)
    return None if choice == NONE else options[int(choice) - 1]


def _choose(
    calls: ModelCalls, prompt: Prompt, task: tuple[str, list[Option]], all_sentences: list[Sentence]
) -> Candidate | None:
    text, options = task
    try:
        option = ask_choice(calls, prompt, text, options)
    except (BudgetExceeded, ConfigError):
        raise  # the run's ceiling, or settings the server refused: no other paragraph would fare better
    except BackendError:
        return None
    if option is None:
        return None
    index = next(i for i, s in enumerate(all_sentences) if s.start <= option.start < s.end)
    return candidate_at(option.text, option.start, all_sentences, index)
