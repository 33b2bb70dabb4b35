"""`--executive-summary`: one short overview paragraph asked of the configured backend.

The model sees only a digest of the memo (places, summaries, initiative names, figures as
printed) and the memo labels its answer as model-written; nothing else in a memo comes from a model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel, Field

from summarizer.backends.base import Backend
from summarizer.briefing.memo import Memo
from summarizer.core.models import SUMMARY_CHARS
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


def memo_digest(memo: Memo) -> dict:
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


def executive_summary(memo: Memo, backend: Backend) -> ExecutiveNote:
    prompt = load_prompt(PROMPT_REF)
    messages = prompt.render(digest=json.dumps(memo_digest(memo), ensure_ascii=False))
    done = backend.complete(messages, ExecutiveSummary, prompt_id=prompt.id, max_tokens=600)
    return ExecutiveNote(done.value.paragraph.strip(), backend.name, done.model or backend.model)
