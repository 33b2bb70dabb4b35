"""Text normalization for comparing Chinese names and quotes: NFKC, no punctuation or spaces."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not _is_punct_or_space(ch)).lower()


def _is_punct_or_space(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "PZS" or ch.isspace()
