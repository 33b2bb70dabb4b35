"""Character-level ROUGE for Chinese: stock English tokenizers split on spaces and score Chinese as 0.

Both texts are normalized as for matching (NFKC, punctuation and spaces removed); ROUGE-1 and
ROUGE-2 count shared character uni- and bigrams, ROUGE-L uses the longest common subsequence.
Each is returned as F1 = 2 * shared / (predicted units + gold units), a ratio that pools over
articles for the micro average.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz.distance import LCSseq


def _ngrams(text: str, n: int) -> Counter[str]:
    return Counter(text[i : i + n] for i in range(len(text) - n + 1))


def rouge_n_counts(pred: str, gold: str, n: int) -> tuple[int, int]:
    """(2 * shared n-grams, predicted + gold n-grams) of normalized texts."""
    pred_grams, gold_grams = _ngrams(pred, n), _ngrams(gold, n)
    shared = sum((pred_grams & gold_grams).values())
    return 2 * shared, sum(pred_grams.values()) + sum(gold_grams.values())


def rouge_l_counts(pred: str, gold: str) -> tuple[int, int]:
    """(2 * longest common subsequence, predicted + gold characters) of normalized texts."""
    return 2 * LCSseq.similarity(pred, gold), len(pred) + len(gold)
