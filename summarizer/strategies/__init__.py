"""Extraction strategies: how an article's initiatives are found.

- `single`: one schema-constrained model call per chunk, merged and grounded (capable models);
- `decomposed`: deterministic candidates and figures, one small model task each (small models);
- `choose`: as `decomposed`, but the model picks one of a paragraph's printed name spans (an index
  from an enum, or none) instead of writing a name (opt-in, see README);
- `rules`: no model at all; the floor every strategy must beat.

A strategy is a function `(article, calls, config) -> Extraction`. `calls` is None for strategies
that need no model. Every initiative it returns is already grounded (offsets into `article.text`).
"""

from __future__ import annotations

from summarizer.core.config import Strategy
from summarizer.strategies import choose, decomposed, rules, single
from summarizer.strategies.base import Extraction, StrategyFn

# name -> `extract(article, calls, config) -> Extraction`; a plain registry, so each strategy module
# imports `Extraction` from `base` and nothing imports back into this package's __init__.
_STRATEGIES: dict[Strategy, StrategyFn] = {
    Strategy.single: single.extract,
    Strategy.decomposed: decomposed.extract,
    Strategy.choose: choose.extract,
    Strategy.rules: rules.extract,
}
NEEDS_MODEL = {
    Strategy.single: True,
    Strategy.decomposed: True,
    Strategy.choose: True,
    Strategy.rules: False,
}

__all__ = ["NEEDS_MODEL", "Extraction", "StrategyFn", "get_strategy"]


def get_strategy(name: Strategy) -> StrategyFn:
    return _STRATEGIES[name]
