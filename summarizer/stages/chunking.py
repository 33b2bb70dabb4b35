"""Sentence-aware chunking of Chinese text. Pure: `body` in, chunks with offsets out.

Sentences end at `。！？；!?;` (closing quotes stay with their sentence) and at line breaks. A chunk
never cuts inside a sentence unless that one sentence alone is longer than `max_chars`. Each chunk
after the first starts with up to `overlap_chars` of the previous chunk's last whole sentences, so
an initiative named at a boundary is seen with its context. Text that fits in one chunk is one
chunk: nothing is paid for chunking that is not needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n+|$)")


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; whitespace-only pieces are dropped."""
    spans = []
    for m in _SENTENCE.finditer(text):
        if m.group(0).strip():
            spans.append((m.start(), m.end()))
    return spans


def _hard_split(start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    return [(s, min(s + max_chars, end)) for s in range(start, end, max_chars)]


def _pieces(text: str, max_chars: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        pieces.extend(_hard_split(start, end, max_chars) if end - start > max_chars else [(start, end)])
    return pieces


def chunk_text(text: str, max_chars: int = 1500, overlap_chars: int = 200) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_chars` characters (overlap included)."""
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    if not text.strip():
        return []
    if len(text) <= max_chars:
        return [Chunk(0, 0, len(text), text)]
    pieces = _pieces(text, max_chars)
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for piece in pieces:
        if current and piece[1] - current[0][0] > max_chars:
            groups.append(current)
            current = _overlap_tail(current, overlap_chars, max_chars - (piece[1] - piece[0]))
        current.append(piece)
    groups.append(current)
    return [Chunk(i, g[0][0], g[-1][1], text[g[0][0] : g[-1][1]]) for i, g in enumerate(groups)]


def _overlap_tail(group: list[tuple[int, int]], overlap_chars: int, room: int) -> list[tuple[int, int]]:
    """The last whole sentences of `group` that fit in the overlap and still leave room."""
    budget = min(overlap_chars, room)
    tail: list[tuple[int, int]] = []
    for piece in reversed(group):
        if group[-1][1] - piece[0] > budget:
            break
        tail.insert(0, piece)
    return tail
