"""The `decomposed` strategy: the rules' candidates, plus what a small model finds that they miss.

Measured on the gold files with Gemma 3 270M (see the issue-4 note in README): asked to judge each
rules candidate ("is this an initiative?"), the model kept 48 of 51 true and 74 of 75 false
candidates, and its yes/no log-odds ranked them no better than chance (AUC 0.46-0.51 over three
prompt designs). It adds nothing as a judge. Asked to *name* the reform of a paragraph in one
few-shot task, it copies a name verbatim from the paragraph about half the time. So:

1. every rules candidate is kept (figures attached by proximity, as in `rules`);
2. each paragraph where the rules found no candidate gets one small constrained task: the name
   of its reform, as printed (`prompts/decomposed/v2.md`);
3. a name is kept only when it is printed verbatim in that paragraph and passes the same name
   filter as the rules; its evidence is the sentence that prints it. The model never writes a
   figure: outcomes are the normalizer's figures near the name.
A failed model call costs that paragraph only.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from summarizer.core.config import RunConfig
from summarizer.core.errors import BackendError, BudgetExceeded, ConfigError
from summarizer.core.models import NAME_CHARS
from summarizer.ingest.article import Article
from summarizer.llm.calls import ModelCalls
from summarizer.llm.prompts import load_prompt
from summarizer.stages.candidates import (
    Candidate,
    Sentence,
    candidate_at,
    find_candidates,
    is_name,
    sentences,
)
from summarizer.stages.sections import inside, review_stretches
from summarizer.strategies.base import Extraction
from summarizer.strategies.rules import with_found

PROMPT = "decomposed@v2"
MAX_TOKENS = 48
MIN_PARAGRAPH_CHARS = 40
MAX_PARAGRAPH_CHARS = 300


class ParagraphReform(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=NAME_CHARS)


def extract(article: Article, calls: ModelCalls | None, config: RunConfig) -> Extraction:
    if calls is None:
        raise ConfigError("strategy 'decomposed' needs a model; use --strategy rules with --backend none")
    prompt = load_prompt(config.prompt_or("decomposed", PROMPT))
    all_sentences = sentences(article.body)
    candidates = find_candidates(article)
    uncovered = uncovered_paragraphs(article.body, all_sentences, candidates)
    # One task per paragraph, asked concurrently; kept in paragraph order.
    named = calls.map(lambda c, paragraph: _name_paragraph(c, prompt, paragraph, all_sentences), uncovered)
    return with_found(article, candidates, named)


def uncovered_paragraphs(
    body: str, all_sentences: list[Sentence], candidates: list[Candidate]
) -> list[list[Sentence]]:
    """The paragraphs of the review (`summarizer.stages.sections`: a plan's paragraphs name nothing
    carried out) where the rules found no candidate: what a model is asked about."""
    covered = {c.sentence.paragraph for c in candidates}
    review = review_stretches(body)
    return [
        p
        for p in paragraphs_of(all_sentences)
        if p[0].paragraph not in covered and inside(review, p[0].start)
    ]


def paragraphs_of(all_sentences: list[Sentence]) -> list[list[Sentence]]:
    grouped: dict[int, list[Sentence]] = {}
    for sentence in all_sentences:
        grouped.setdefault(sentence.paragraph, []).append(sentence)
    return [p for p in grouped.values() if sum(len(s.text) for s in p) >= MIN_PARAGRAPH_CHARS]


def _name_paragraph(
    calls: ModelCalls, prompt: object, paragraph: list[Sentence], all_sentences: list[Sentence]
) -> Candidate | None:
    text = "".join(s.text for s in paragraph)[:MAX_PARAGRAPH_CHARS]
    try:
        answer = calls.ask(prompt, ParagraphReform, max_tokens=MAX_TOKENS, paragraph=text)  # type: ignore[arg-type]
    except (BudgetExceeded, ConfigError):
        raise  # the run's ceiling, or settings the server refused: no other paragraph would fare better
    except BackendError:
        return None
    name = answer.name.strip()
    if not is_name(name):
        return None
    for sentence in paragraph:
        at = sentence.text.find(name)
        if at >= 0:
            index = all_sentences.index(sentence)
            start = sentence.start + at
            return candidate_at(name, start, all_sentences, index)
    return None
