"""What a model is asked to return, before grounding turns it into schema objects.

Quotes are plain strings: the model copies text, grounding finds where it is. Numbers the model
writes are never kept: value and unit come from `summarizer.core.numbers`. Every string and list has a
length limit (in the JSON schema the model is given, and in validation: an answer over it is
re-asked, then refused); names may run past `NAME_CHARS` here, grounding cuts them to it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from summarizer.core.models import (
    DESCRIPTION_CHARS,
    LABEL_CHARS,
    MAX_EVIDENCE,
    NAME_CHARS,
    SPAN_CHARS,
    SUMMARY_CHARS,
    Domain,
    Locality,
)

_DRAFT_NAME_CHARS = 200
_Label = Annotated[str, Field(max_length=LABEL_CHARS)]
_Quote = Annotated[str, Field(max_length=SPAN_CHARS)]


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftOutcome(_Draft):
    description: str = Field(max_length=DESCRIPTION_CHARS, description="one sentence: the reported result")
    metric: str | None = Field(
        default=None, max_length=LABEL_CHARS, description="what is measured, e.g. 办理时限"
    )
    value_text: str | None = Field(
        default=None, max_length=LABEL_CHARS, description="the figure exactly as printed, e.g. 5.9万户"
    )
    quote: str = Field(
        max_length=SPAN_CHARS, description="the sentence that reports it, copied verbatim from the text"
    )


class DraftInitiative(_Draft):
    name: str = Field(
        max_length=_DRAFT_NAME_CHARS,
        description=f"short name as the article gives it, at most {NAME_CHARS} characters",
    )
    domain: Domain
    description: str = Field(max_length=DESCRIPTION_CHARS, description="one or two sentences")
    actors: list[_Label] = Field(
        default_factory=list, max_length=20, description="bodies named as leading it"
    )
    quotes: list[_Quote] = Field(
        max_length=10, description=f"1-{MAX_EVIDENCE} passages copied verbatim that state the initiative"
    )
    outcomes: list[DraftOutcome] = Field(default_factory=list, max_length=50)


class ChunkExtraction(_Draft):
    initiatives: list[DraftInitiative] = Field(default_factory=list, max_length=100)

    @classmethod
    def fake_default(cls) -> ChunkExtraction:
        return cls(initiatives=[])


class ArticleFields(_Draft):
    locality: Locality
    summary: str = Field(
        max_length=SUMMARY_CHARS, description="3 to 5 sentences in Chinese: what was done and what came of it"
    )

    @classmethod
    def fake_default(cls) -> ArticleFields:
        # Empty fields tell the pipeline to use its deterministic fallbacks.
        return cls(locality=Locality(name="", level="other"), summary="")
