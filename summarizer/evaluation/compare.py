"""Compare two runs scored on the same gold set: deltas, paired bootstrap intervals, a CI gate.

The score of a run is the micro average (pooled num / den over articles). The paired bootstrap
draws `resamples` samples of the articles with replacement from a fixed seed, scores A and B on
the same sample, and reports the 2.5th and 97.5th percentiles of B - A. A metric regresses when
B - A is below -threshold (the point estimate: with a handful of gold articles an interval rarely
excludes zero, so the interval is shown for judgement, not used by the gate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from summarizer.core.errors import ConfigError
from summarizer.evaluation.metrics import MAIN_METRICS, METRICS, ArticleScore
from summarizer.evaluation.scoring import EvalResult, rounded

# One matched item of about 60 gold initiatives moves F1 by about 0.017: allow that much noise.
DEFAULT_THRESHOLDS = {
    "initiative_f1": 0.02,
    "outcome_f1": 0.02,
    "figure_recall": 0.02,
    "grounding_rate": 0.01,
}


@dataclass
class MetricDelta:
    metric: str
    a: float | None
    b: float | None
    delta: float | None
    low: float | None
    high: float | None


@dataclass
class Comparison:
    run_a: str
    run_b: str
    metrics: list[MetricDelta]
    articles: list[dict[str, Any]]
    seed: int
    resamples: int

    def delta(self, metric: str) -> MetricDelta:
        return next(m for m in self.metrics if m.metric == metric)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_a": self.run_a,
            "run_b": self.run_b,
            "seed": self.seed,
            "resamples": self.resamples,
            "metrics": [
                {k: rounded(v) if isinstance(v, float) else v for k, v in vars(m).items()}
                for m in self.metrics
            ],
            "articles": self.articles,
        }


def _arrays(scores: list[ArticleScore], metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ratios = [s.ratios[metric] for s in scores]
    fallback = [np.nan if r.value is None else r.value for r in ratios]
    return (
        np.array([r.num for r in ratios], float),
        np.array([r.den for r in ratios], float),
        np.array(fallback),
    )


def _pooled(num: np.ndarray, den: np.ndarray, fallback: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """Micro score of every resample (rows of `samples`); NaN where the metric never applies."""
    nums, dens = num[samples].sum(axis=1), den[samples].sum(axis=1)
    picked = fallback[samples]
    with np.errstate(invalid="ignore", divide="ignore"):
        counted = (~np.isnan(picked)).sum(axis=1)
        backup = np.where(counted > 0, np.nansum(picked, axis=1) / np.maximum(counted, 1), np.nan)
        return np.where(dens > 0, nums / np.where(dens > 0, dens, 1), backup)


def _metric_delta(a: EvalResult, b: EvalResult, metric: str, samples: np.ndarray) -> MetricDelta:
    score_a, score_b = a.micro(metric), b.micro(metric)
    if score_a is None or score_b is None:
        return MetricDelta(metric, score_a, score_b, None, None, None)
    deltas = _pooled(*_arrays(b.articles, metric), samples) - _pooled(*_arrays(a.articles, metric), samples)
    deltas = deltas[~np.isnan(deltas)]
    low, high = (float(x) for x in np.percentile(deltas, [2.5, 97.5])) if deltas.size else (None, None)
    return MetricDelta(metric, score_a, score_b, score_b - score_a, low, high)


def _article_changes(a: ArticleScore, b: ArticleScore) -> dict[str, Any]:
    found_a, found_b = {g for g, _, _ in a.matched}, {g for g, _, _ in b.matched}
    return {
        "article_id": a.article_id,
        "gained": sorted(found_b - found_a),
        "lost": sorted(found_a - found_b),
        "deltas": {m: rounded(_minus(b.value(m), a.value(m))) for m in MAIN_METRICS},
    }


def _minus(b: float | None, a: float | None) -> float | None:
    return None if a is None or b is None else b - a


def compare_runs(a: EvalResult, b: EvalResult, *, seed: int = 0, resamples: int = 2000) -> Comparison:
    """Paired comparison of two runs scored on the same gold articles."""
    ids_a, ids_b = [s.article_id for s in a.articles], [s.article_id for s in b.articles]
    if ids_a != ids_b:
        raise ConfigError("the two runs were scored on different gold sets; pass the same --gold")
    rng = np.random.default_rng(seed)
    samples = rng.integers(0, len(ids_a), size=(resamples, len(ids_a))) if ids_a else np.zeros((0, 0), int)
    metrics = [_metric_delta(a, b, m, samples) for m in METRICS]
    changes = [_article_changes(x, y) for x, y in zip(a.articles, b.articles, strict=True)]
    return Comparison(a.run, b.run, metrics, changes, seed, resamples)


def parse_thresholds(pairs: tuple[str, ...] | list[str]) -> dict[str, float]:
    """Default thresholds for the main metrics, overridden or extended by METRIC=THRESHOLD pairs."""
    thresholds = dict(DEFAULT_THRESHOLDS)
    for pair in pairs:
        name, sep, number = pair.partition("=")
        if not sep or name not in METRICS:
            raise ConfigError(
                f"--fail-on-regression: {pair!r} is not METRIC=THRESHOLD with METRIC one of {', '.join(METRICS)}"
            )
        try:
            thresholds[name] = float(number)
        except ValueError:
            raise ConfigError(
                f"--fail-on-regression: {pair!r}: the threshold must be a number such as 0.02"
            ) from None
    return thresholds


def regressions(comparison: Comparison, thresholds: dict[str, float]) -> list[str]:
    """One line per metric where B is worse than A by more than its threshold."""
    lines = []
    for metric, threshold in thresholds.items():
        m = comparison.delta(metric)
        if m.delta is not None and m.delta < -threshold:
            lines.append(
                f"regression: {metric} {m.a:.3f} -> {m.b:.3f} (delta {m.delta:+.3f}, threshold {threshold:g})"
            )
    return lines
