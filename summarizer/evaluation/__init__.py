"""The offline evaluation harness: score a run against the gold set, compare two runs.

matching   normalization, similarity and one-to-one (Hungarian) matching
prepare    an ArticleSummary in canonical order with its spans placed in the source
metrics    per-article ratios and their micro / macro averages
rouge      character-level ROUGE
runs       reading run dirs, gold dirs, sources and the manifest
scoring    evaluate_run: a whole run against the gold set
compare    deltas, paired bootstrap, the regression gate
report     report.json / .md / .html; terminal holds the rich tables
"""

from summarizer.core.textnorm import normalize
from summarizer.evaluation.compare import (
    DEFAULT_THRESHOLDS,
    Comparison,
    compare_runs,
    parse_thresholds,
    regressions,
)
from summarizer.evaluation.matching import THRESHOLD
from summarizer.evaluation.metrics import MAIN_METRICS, METRICS, ArticleScore, score_article
from summarizer.evaluation.report import write_compare_reports, write_eval_reports
from summarizer.evaluation.scoring import EvalResult, evaluate_run

__all__ = [
    "DEFAULT_THRESHOLDS",
    "MAIN_METRICS",
    "METRICS",
    "THRESHOLD",
    "ArticleScore",
    "Comparison",
    "EvalResult",
    "compare_runs",
    "evaluate_run",
    "normalize",
    "parse_thresholds",
    "regressions",
    "score_article",
    "write_compare_reports",
    "write_eval_reports",
]
