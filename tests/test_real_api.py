"""Against a real remote model: runs only when OPENAI_API_KEY and SUMMARIZER_MODEL are set
(e.g. SUMMARIZER_MODEL=gpt-4o-mini, or deepseek-chat with OPENAI_BASE_URL). Skipped otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from summarizer.backends.factory import build_backend
from summarizer.core.config import BackendOptions, RunConfig
from summarizer.ingest.article import ingest_file
from summarizer.pipeline import summarize
from summarizer.stages.grounding import is_grounded

pytestmark = [
    pytest.mark.needs_api_key,
    pytest.mark.skipif(
        not (os.environ.get("OPENAI_API_KEY") and os.environ.get("SUMMARIZER_MODEL")),
        reason="set OPENAI_API_KEY and SUMMARIZER_MODEL to run against a real API",
    ),
]

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_85ee287e49764f57.txt"


def test_single_strategy_on_a_real_model_is_grounded():
    article = ingest_file(SEED)
    backend = build_backend(BackendOptions.from_env(kind="openai"))
    summary = summarize(article, backend, RunConfig(strategy="single"))
    assert summary.initiatives, "a capable model finds initiatives in this article"
    for item in summary.initiatives:
        assert all(is_grounded(s, article.text) for s in item.evidence + [o.evidence for o in item.outcomes])
