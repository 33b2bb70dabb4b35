"""Score a whole run against the gold set: `evaluate_run(run_dir, gold_dir, sources)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.core.models import ArticleSummary
from summarizer.evaluation.matching import THRESHOLD
from summarizer.evaluation.metrics import METRICS, ArticleScore, macro, micro, score_article
from summarizer.evaluation.runs import load_gold, load_summaries, operational
from summarizer.runs.reading import load_source, read_source

DIGITS = 6  # report floats are rounded so the same inputs give byte-identical files


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


@dataclass
class EvalResult:
    run: str
    gold: str
    articles: list[ArticleScore]
    skipped: list[str] = field(default_factory=list)  # predictions with no gold file
    notes: list[str] = field(default_factory=list)
    operational: dict[str, Any] = field(default_factory=dict)

    def micro(self, metric: str) -> float | None:
        return micro(self.articles, metric)

    def macro(self, metric: str) -> float | None:
        return macro(self.articles, metric)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "gold": self.gold,
            "threshold": THRESHOLD,
            "micro": {m: rounded(self.micro(m)) for m in METRICS},
            "macro": {m: rounded(self.macro(m)) for m in METRICS},
            "operational": {
                k: rounded(v) if isinstance(v, float) else v for k, v in self.operational.items()
            },
            "articles": [_article_dict(a) for a in self.articles],
            "skipped": self.skipped,
            "notes": self.notes,
        }


def _article_dict(score: ArticleScore) -> dict[str, Any]:
    return {
        "article_id": score.article_id,
        "status": score.status,
        "metrics": {m: rounded(score.value(m)) for m in METRICS},
        "counts": {m: [r.num, r.den] for m, r in score.ratios.items()},
        "matched": [{"gold": g, "predicted": p, "similarity": rounded(s)} for g, p, s in score.matched],
        "missed": score.missed,
        "spurious": score.spurious,
    }


def score_run(
    predictions: dict[str, ArticleSummary],
    gold: dict[str, ArticleSummary],
    sources: Path | None,
    read: Callable[[Path], str] = read_source,
) -> tuple[list[ArticleScore], list[str]]:
    """Per-article scores in gold order, and notes on what could not be scored fully."""
    scores, notes = [], []
    for article_id in sorted(gold):
        source = load_source(article_id, sources=sources, read=read)
        if source is None:
            notes.append(f"{article_id}: no source text under {sources}; grounding not reported")
        pred = predictions.get(article_id)
        if pred is None:
            notes.append(f"{article_id}: no prediction; scored as empty")
        scores.append(score_article(pred, gold[article_id], source))
    return scores, notes


def evaluate_run(
    run_dir: Path,
    gold_dir: Path,
    sources: Path | None,
    read: Callable[[Path], str] = read_source,
    predictions: dict[str, ArticleSummary] | None = None,
) -> EvalResult:
    """Load a run (unless its `predictions` are given) and the gold set, score every gold article
    (sources decoded by `read`), read the manifest."""
    gold = load_gold(gold_dir)
    predictions = load_summaries(run_dir) if predictions is None else predictions
    scores, notes = score_run(predictions, gold, sources, read)
    skipped = sorted(set(predictions) - set(gold))
    notes.extend(f"{article_id}: no gold file; skipped" for article_id in skipped)
    return EvalResult(
        run=run_dir.as_posix(),
        gold=gold_dir.as_posix(),
        articles=scores,
        skipped=skipped,
        notes=notes,
        operational=operational(run_dir),
    )
