"""Text normalization for comparing Chinese names and quotes (merge and evaluation alike):
NFKC, then only letters and digits kept; punctuation, symbols, spaces and controls go, ASCII
and CJK alike (`“一照通”+“信易批”` -> `一照通信易批`)."""

from __future__ import annotations

import re
import unicodedata

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def normalize(text: str) -> str:
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", text))
