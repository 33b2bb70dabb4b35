"""One chunk in, the model's draft initiatives out (the `single` strategy's model step).

A chunk whose answer is cut off by the token limit is split in two at a sentence boundary and
each half is asked again (up to `MAX_SPLIT_DEPTH` times), so nothing is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.core.errors import TruncatedOutput
from summarizer.llm.calls import ModelCalls
from summarizer.llm.prompts import Prompt
from summarizer.stages.chunking import Chunk, chunk_text
from summarizer.stages.drafts import ChunkExtraction

MAX_SPLIT_DEPTH = 2


@dataclass
class ChunkResult:
    chunk: Chunk
    extraction: ChunkExtraction
    splits: int = 0


def extract_chunk(
    chunk: Chunk, count: int, calls: ModelCalls, prompt: Prompt, title: str, max_tokens: int, depth: int = 0
) -> list[ChunkResult]:
    try:
        extraction = calls.ask(
            prompt,
            ChunkExtraction,
            max_tokens=max_tokens,
            title=title,
            text=chunk.text,
            chunk_number=str(chunk.index + 1),
            chunk_count=str(count),
        )
        return [ChunkResult(chunk, extraction, depth)]
    except TruncatedOutput:
        halves = split_chunk(chunk)
        if depth >= MAX_SPLIT_DEPTH or len(halves) < 2:
            raise
    return [
        r for half in halves for r in extract_chunk(half, count, calls, prompt, title, max_tokens, depth + 1)
    ]


def split_chunk(chunk: Chunk) -> list[Chunk]:
    """Two halves of a chunk at a sentence boundary, offsets kept relative to the body."""
    half = max(len(chunk.text) // 2 + 1, 100)
    parts = chunk_text(chunk.text, max_chars=half, overlap_chars=0)
    if len(parts) < 2:
        return [chunk]
    middle = parts[len(parts) // 2].start
    first = Chunk(chunk.index, chunk.start, chunk.start + middle, chunk.text[:middle])
    second = Chunk(chunk.index, chunk.start + middle, chunk.end, chunk.text[middle:])
    return [first, second]
