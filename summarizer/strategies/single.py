"""`single`: one schema-constrained call per chunk, then grounding and merge (capable models)."""

from __future__ import annotations

from summarizer.core.config import RunConfig
from summarizer.core.errors import ConfigError
from summarizer.core.models import Initiative
from summarizer.ingest.article import Article
from summarizer.llm.calls import ModelCalls
from summarizer.llm.prompts import load_prompt
from summarizer.stages.chunking import chunk_text
from summarizer.stages.extract import extract_chunk
from summarizer.stages.grounding import ground_draft
from summarizer.stages.merge import merge_answers
from summarizer.strategies.base import Extraction


def extract(article: Article, calls: ModelCalls | None, config: RunConfig) -> Extraction:
    if calls is None:
        raise ConfigError("strategy 'single' needs a model; pass --strategy rules to run without one")
    prompt = load_prompt(config.prompt_ref("extract"))
    chunks = chunk_text(article.body, config.chunk_chars, config.overlap_chars)
    # The chunks are asked concurrently (within the run's limit on requests in flight).
    answers = calls.map(
        lambda c, chunk: extract_chunk(
            chunk, len(chunks), c, prompt, article.title, config.max_tokens_per_call
        ),
        chunks,
    )
    grounded: list[list[Initiative]] = []  # one list per answer: its items are distinct
    dropped_items, dropped_spans = 0, 0
    for results in answers:
        for result in results:
            hint = article.to_text_offset(result.chunk.start)
            grounded.append([])
            for draft in result.extraction.initiatives:
                initiative, spans_lost = ground_draft(draft, article, hint)
                dropped_spans += spans_lost
                if initiative is None:
                    dropped_items += 1
                else:
                    grounded[-1].append(initiative)
    return Extraction(merge_answers(grounded), dropped_items, dropped_spans)
