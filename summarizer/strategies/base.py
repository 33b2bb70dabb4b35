"""What every strategy returns (`Extraction`) and the function type a strategy is (`StrategyFn`)."""

from __future__ import annotations

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
