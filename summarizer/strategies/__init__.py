"""Extraction strategies: how an article's initiatives are found.

- `single`: one schema-constrained model call per chunk, merged and grounded (capable models);
- `decomposed`: deterministic candidates and figures, one small model task each (small models);
- `rules`: no model at all; the floor every strategy must beat.

A strategy is a function `(article, calls, config) -> Extraction`. `calls` is None for strategies
that need no model. Every initiative it returns is already grounded (offsets into `article.text`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from summarizer.core.config import RunConfig
from summarizer.core.models import Initiative
from summarizer.ingest.article import Article
from summarizer.llm.calls import ModelCalls


@dataclass
class Extraction:
    initiatives: list[Initiative]
    dropped_initiatives: int = 0
    dropped_spans: int = 0


StrategyFn = Callable[[Article, ModelCalls | None, RunConfig], Extraction]

# name -> module defining `extract(article, calls, config) -> Extraction`
_MODULES = {
    "single": "summarizer.strategies.single",
    "decomposed": "summarizer.strategies.decomposed",
    "rules": "summarizer.strategies.rules",
}
NEEDS_MODEL = {"single": True, "decomposed": True, "rules": False}


def get_strategy(name: str) -> StrategyFn:
    return importlib.import_module(_MODULES[name]).extract  # type: ignore[no-any-return]
