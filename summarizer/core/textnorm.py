"""Text normalization for comparing Chinese names and quotes: the definitions every layer uses.

- `normalize`: NFKC, then only letters and digits kept; punctuation, symbols, spaces and controls go,
  ASCII and CJK alike (`“一照通”+“信易批”` -> `一照通信易批`). What merge, evaluation (matching and
  ROUGE) and the memo overview compare; merge also folds case.
- `unquote`: only quote marks and white space dropped (`“1+4”产业` -> `1+4产业`). What candidate
  extraction compares to let a fuller name replace one it contains, where `+` and `.` carry meaning:
  `normalize` makes `“1+4”` `14` and `0.1微克` `01微克`, and would drop `“信用+”` as part of a
  longer name, changing the candidates of 2 of the 29 seed and corpus articles.

How alike two keys must be is a threshold per purpose, each beside its one user with its reason:
`stages.merge.MERGE_NAME_RATIO` (85: one initiative within an article),
`briefing.memo_overview.SHARED_NAME_RATIO` (80: one initiative in two places) and
`evaluation.matching.THRESHOLD` (0.7: a prediction matches a gold item, name and evidence
together). The memo overview and the scorer share the minimum length of a contained name,
`MIN_CONTAINED_NAME_CHARS`; merge lets any name inside another count.
"""

from __future__ import annotations

import re
import unicodedata

# A name inside another counts only when it has at least this many characters: the two-character
# words every reform name ends in (`改革`, `机制`, `试点`) are inside almost every other name.
MIN_CONTAINED_NAME_CHARS = 3

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_QUOTES_AND_SPACES = re.compile(r"[“”《》\"'\s]")


def normalize(text: str) -> str:
    """NFKC, then letters and digits only."""
    return _NOT_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", text))


def unquote(name: str) -> str:
    """The name without quote marks (`“”《》"'`) and white space; everything else kept."""
    return _QUOTES_AND_SPACES.sub("", name)
