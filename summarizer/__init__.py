"""summarizer: structured, grounded, checkable summaries of Chinese reform reporting.

from pathlib import Path
from summarizer import BackendOptions, RunConfig, build_backend, ingest_file, summarize

article = ingest_file(Path("seeds/000_85ee287e49764f57.txt"))
summary = summarize(article, build_backend(BackendOptions(kind="fake")), RunConfig())
print(summary.model_dump_json(indent=2))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.backends.base import Backend, Completion
    from summarizer.backends.factory import build_backend
    from summarizer.backends.fake import FakeBackend
    from summarizer.core.config import BackendKind, BackendOptions, Mode, RunConfig, Strategy
    from summarizer.core.errors import (
        BackendError,
        BudgetExceeded,
        ConfigError,
        InputError,
        OutputError,
        SummarizerError,
        TransientBackendError,
        TruncatedOutput,
    )
    from summarizer.core.models import ArticleSummary, Domain, Initiative, Locality, Outcome, Span
    from summarizer.core.numbers import find_figures, parse_figure
    from summarizer.ingest.article import Article, ingest_file, ingest_text, load_text
    from summarizer.pipeline import summarize

# Where each public name lives: imported on first use, so `summarizer --help` imports none of it.
_HOMES = {
    "Backend": "summarizer.backends.base",
    "Completion": "summarizer.backends.base",
    "build_backend": "summarizer.backends.factory",
    "FakeBackend": "summarizer.backends.fake",
    **dict.fromkeys(
        ["BackendKind", "BackendOptions", "Mode", "RunConfig", "Strategy"], "summarizer.core.config"
    ),
    **dict.fromkeys(
        [
            "BackendError",
            "BudgetExceeded",
            "ConfigError",
            "InputError",
            "OutputError",
            "SummarizerError",
            "TransientBackendError",
            "TruncatedOutput",
        ],
        "summarizer.core.errors",
    ),
    **dict.fromkeys(["Article", "ingest_file", "ingest_text", "load_text"], "summarizer.ingest.article"),
    **dict.fromkeys(
        ["ArticleSummary", "Domain", "Initiative", "Locality", "Outcome", "Span"], "summarizer.core.models"
    ),
    "find_figures": "summarizer.core.numbers",
    "parse_figure": "summarizer.core.numbers",
    "summarize": "summarizer.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")


__all__ = [
    "Article",
    "ArticleSummary",
    "Backend",
    "BackendError",
    "BackendKind",
    "BackendOptions",
    "BudgetExceeded",
    "Completion",
    "ConfigError",
    "Domain",
    "FakeBackend",
    "Initiative",
    "InputError",
    "Locality",
    "Mode",
    "Outcome",
    "OutputError",
    "RunConfig",
    "Span",
    "Strategy",
    "SummarizerError",
    "TransientBackendError",
    "TruncatedOutput",
    "build_backend",
    "find_figures",
    "ingest_file",
    "ingest_text",
    "load_text",
    "parse_figure",
    "summarize",
]
__version__ = "0.1.0"
