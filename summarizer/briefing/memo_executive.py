"""`--executive-summary`: one short overview paragraph asked of the configured backend.

The model sees only a digest of the memo (places, summaries, initiative names, figures as
printed) and the memo labels its answer as model-written; nothing else in a memo comes from a model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from summarizer.briefing.memo import Memo
from summarizer.core.models import SUMMARY_CHARS, UsageRecord
from summarizer.llm.calls import ModelCalls
from summarizer.llm.prompts import load_prompt

PROMPT_REF = "memo_executive@v1"


class ExecutiveSummary(BaseModel):
    paragraph: str = Field(
        min_length=1, max_length=SUMMARY_CHARS, description="3 to 5 sentences, facts from the digest only"
    )

    @classmethod
    def fake_default(cls) -> ExecutiveSummary:
        return cls(paragraph="（fake backend）本段为测试用的占位概述。")


@dataclass(frozen=True)
class ExecutiveNote:
    text: str
    backend: str
    model: str
    attempts: tuple[UsageRecord, ...] = ()  # the usage of the call, failed attempts included


def memo_digest(memo: Memo) -> dict[str, Any]:
    """What the model may use: the memo's own content, compact."""
    return {
        "articles": [
            {
                "locality": art.summary.locality.name,
                "title": art.summary.title,
                "summary": art.summary.summary,
                "initiatives": [
                    {"name": ini.name, "domain": ini.domain, "figures": [o.value_text for o in ini.figures]}
                    for ini in art.initiatives
                ],
            }
            for art in memo.articles
        ]
    }


def executive_summary(memo: Memo, calls: ModelCalls) -> ExecutiveNote:
    """One model call through `calls`, like every other: the token ceiling of its budget applies
    and the attempts are recorded there (and on the note)."""
    prompt = load_prompt(PROMPT_REF)
    before = len(calls.attempts)
    done = calls.complete(
        prompt, ExecutiveSummary, max_tokens=600, digest=json.dumps(memo_digest(memo), ensure_ascii=False)
    )
    backend = calls.backend
    attempts = tuple(calls.attempts[before:])
    return ExecutiveNote(done.value.paragraph.strip(), backend.name, done.model or backend.model, attempts)
