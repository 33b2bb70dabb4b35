"""Character-level ROUGE for Chinese: stock English tokenizers split on spaces and score Chinese as 0.

Both texts are normalized as for matching (NFKC, punctuation and spaces removed); ROUGE-1 and
ROUGE-2 count shared character uni- and bigrams (with multiplicity), ROUGE-L uses the longest
common subsequence. Each is returned as F1 = 2 * shared / (predicted units + gold units), a ratio
that pools over articles for the micro average.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz.distance import LCSseq


def _codes(text: str, n: int) -> np.ndarray:
    """Character n-grams (n = 1 or 2) as integers: code points fit in 21 bits."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if n == 1:
        return points
    if n == 2:
        return (points[:-1] << np.uint64(21)) | points[1:]
    raise ValueError(f"character ROUGE-{n} is not implemented; use n = 1 or 2")


def _shared(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the multiset intersection of two integer arrays."""
    if not a.size or not b.size:
        return 0
    values, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    counts_a = np.bincount(inverse[: a.size], minlength=values.size)
    counts_b = np.bincount(inverse[a.size :], minlength=values.size)
    return int(np.minimum(counts_a, counts_b).sum())


def rouge_n_counts(pred: str, gold: str, n: int) -> tuple[int, int]:
    """(2 * shared n-grams, predicted + gold n-grams) of normalized texts."""
    pred_grams, gold_grams = _codes(pred, n), _codes(gold, n)
    return 2 * _shared(pred_grams, gold_grams), pred_grams.size + gold_grams.size


def rouge_l_counts(pred: str, gold: str) -> tuple[int, int]:
    """(2 * longest common subsequence, predicted + gold characters) of normalized texts."""
    return 2 * LCSseq.similarity(pred, gold), len(pred) + len(gold)
