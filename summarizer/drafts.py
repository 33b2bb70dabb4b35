"""What a model is asked to return, before grounding turns it into schema objects.

Quotes are plain strings: the model copies text, grounding finds where it is. Numbers the model
writes are never kept: value and unit come from `summarizer.numbers`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from summarizer.models import Domain, Locality


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftOutcome(_Draft):
    description: str = Field(description="one sentence: the reported result")
    metric: str | None = Field(default=None, description="what is measured, e.g. 办理时限")
    value_text: str | None = Field(default=None, description="the figure exactly as printed, e.g. 5.9万户")
    quote: str = Field(description="the sentence that reports it, copied verbatim from the text")


class DraftInitiative(_Draft):
    name: str = Field(description="short name as the article gives it, at most 30 characters")
    domain: Domain
    description: str = Field(description="one or two sentences")
    actors: list[str] = Field(default_factory=list, description="bodies named as leading it")
    quotes: list[str] = Field(description="1-3 passages copied verbatim that state the initiative")
    outcomes: list[DraftOutcome] = Field(default_factory=list)


class ChunkExtraction(_Draft):
    initiatives: list[DraftInitiative] = Field(default_factory=list)

    @classmethod
    def fake_default(cls) -> ChunkExtraction:
        return cls(initiatives=[])


class ArticleFields(_Draft):
    locality: Locality
    summary: str = Field(description="3 to 5 sentences in Chinese: what was done and what came of it")

    @classmethod
    def fake_default(cls) -> ArticleFields:
        # Empty fields tell the pipeline to use its deterministic fallbacks.
        return cls(locality=Locality(name="", level="other"), summary="")
