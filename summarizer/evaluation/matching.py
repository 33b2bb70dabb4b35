"""One-to-one matching of predicted to gold items on normalized Chinese text.

Normalization (`normalize`): NFKC, then only letters and digits are kept: punctuation, symbols,
spaces and controls go, ASCII and CJK alike (`“一照通”+“信易批”` -> `一照通信易批`).

Similarity of an initiative pair, in [0, 1]:

    name       = max(ratio(a, b), 0.75 if the shorter name (>= 3 chars) is inside the longer)
    evidence   = max over span pairs of the passages' overlap coefficient
    similarity = max(name, (name + evidence) / 2)

`ratio` is rapidfuzz's normalized Indel similarity (`fuzz.ratio / 100`, character level, so it
works on Chinese without a tokenizer); the containment term lets a name inside the other
(`县管校聘` in `中小学教师县管校聘改革`, ratio 0.53) score 0.75. The overlap
coefficient is shared characters / length of the shorter passage, on the passages' positions in the
source: 1.0 when one passage contains the other, 0.0 for different sentences. A span is placed at
its offsets when they hold its text, else where its text first occurs in the source
(`summarizer.core.spans.place_span`, shared with memos and the gold checker); a span that cannot be
placed is compared by normalized-text containment (1.0 or 0.0).

A pair matches when similarity >= THRESHOLD (0.7). Why 0.7 (see the tables in
tests/test_evaluation_matching.py):
- paraphrases of one name score 0.75-0.9 on the name alone (`整村授信` / `整村授信工程` 0.8,
  `反向飞地` / `“反向飞地”模式` 0.8, a contained name 0.75);
- unrelated reforms that share the common words `改革`, `制度`, `县` score 0.2-0.45, and short
  names one character apart score up to 0.67 (`河长制` / `林长制`), so 0.6 would be too low;
- a reworded name that cites the same passage matches once its name scores 0.4, since
  (0.4 + 1.0) / 2 = 0.7; different reforms listed in one sentence are then separated by the
  assignment, which gives each gold item its best partner.
Known limit: longer names a few characters apart (`一照通改革` / `一网通办改革`, 0.73) still
match when the run lacks the true partner; evidence only ever raises a score.

Outcomes use the description in place of the name and a third term for the figure, so a reworded
outcome with the same evidence and figure matches, and a wrong figure alone does not unmatch it:

    similarity = max(description, (description + evidence) / 2, (evidence + figure) / 2)

Assignment: the Hungarian method (`scipy.optimize.linear_sum_assignment`) on weights 1 + similarity
for pairs at or above the threshold (0 otherwise), so it finds the most matches, then the most
similar ones. Items are put in a canonical order first, so the input order never changes a result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from summarizer.core.spans import PlacedSpan
from summarizer.core.textnorm import MIN_CONTAINED_NAME_CHARS, normalize

# A pair matches at this similarity: paraphrases of one name score 0.75-0.9, unrelated reforms
# 0.2-0.45 and short names one character apart up to 0.67 (examples and limits in the docstring).
THRESHOLD = 0.7
CONTAINED_SCORE = 0.75


def overlap_matrix(pred: Sequence[PlacedSpan], gold: Sequence[PlacedSpan]) -> np.ndarray:
    """Overlap coefficient of every predicted passage with every gold passage."""
    if not pred or not gold:
        return np.zeros((len(pred), len(gold)))
    ps, pe = _positions(pred)
    gs, ge = _positions(gold)
    shared = np.minimum(pe[:, None], ge[None, :]) - np.maximum(ps[:, None], gs[None, :])
    shorter = np.minimum((pe - ps)[:, None], (ge - gs)[None, :])
    overlap = np.clip(shared, 0, None) / np.maximum(shorter, 1)
    norms: dict[str, str] = {}
    for i, j in _unplaced_pairs(ps, gs):
        a, b = (norms.setdefault(t, normalize(t)) for t in (pred[i].text, gold[j].text))
        overlap[i, j] = _containment(a, b)
    return np.asarray(overlap)


def _positions(spans: Sequence[PlacedSpan]) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the spans in the source; -1 for a span not located there."""
    located = [(s.start, s.end) if s.located else (-1, -1) for s in spans]
    return np.array([p[0] for p in located]), np.array([p[1] for p in located])


def _unplaced_pairs(ps: np.ndarray, gs: np.ndarray) -> list[tuple[int, int]]:
    rows, cols = np.nonzero((ps[:, None] < 0) | (gs[None, :] < 0))
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def _containment(a: str, b: str) -> float:
    return 1.0 if a and b and (a in b or b in a) else 0.0


def text_similarity(pred: Sequence[str], gold: Sequence[str]) -> np.ndarray:
    """Similarity of normalized strings: max(ratio, 0.75 when the shorter is inside the longer)."""
    if not pred or not gold:
        return np.zeros((len(pred), len(gold)))
    ratio = process.cdist(pred, gold, scorer=fuzz.ratio, dtype=np.float64) / 100.0
    pred_len = np.array([len(p) for p in pred])[:, None]
    gold_len = np.array([len(g) for g in gold])[None, :]
    shorter = np.minimum(pred_len, gold_len)
    # A contained string has ratio exactly 2 * shorter / (both lengths): test only those pairs.
    possible = ratio >= 2 * shorter / np.maximum(pred_len + gold_len, 1) - 1e-9
    candidates = possible & (ratio < CONTAINED_SCORE) & (shorter >= MIN_CONTAINED_NAME_CHARS)
    for i, j in zip(*np.nonzero(candidates), strict=True):
        if _containment(pred[i], gold[j]):
            ratio[i, j] = CONTAINED_SCORE
    return ratio


def group_max(matrix: np.ndarray, row_starts: Sequence[int], col_starts: Sequence[int]) -> np.ndarray:
    """Reduce a span-by-span matrix to item-by-item maxima (spans of an item are contiguous)."""
    if matrix.size == 0:
        return np.zeros((len(row_starts), len(col_starts)))
    by_rows = np.maximum.reduceat(matrix, list(row_starts), axis=0)
    return np.maximum.reduceat(by_rows, list(col_starts), axis=1)


def combine(name: np.ndarray, evidence: np.ndarray, figure: np.ndarray | None = None) -> np.ndarray:
    """The documented similarity: max(name, (name + evidence) / 2[, (evidence + figure) / 2])."""
    similarity = np.maximum(name, (name + evidence) / 2)
    if figure is not None:
        similarity = np.maximum(similarity, (evidence + figure) / 2)
    return np.asarray(similarity)


def assign(similarity: np.ndarray, threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """Hungarian one-to-one matching: (pred index, gold index, similarity), above threshold only."""
    if similarity.size == 0:
        return []
    weights = np.where(similarity >= threshold, 1.0 + similarity, 0.0)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [
        (int(r), int(c), float(similarity[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if weights[r, c] > 0
    ]


def canonical_order(keys: Sequence[str]) -> list[int]:
    """Indices that sort items by a content key, so the input order never changes a result."""
    return sorted(range(len(keys)), key=lambda i: (keys[i], i))
