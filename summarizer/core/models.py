"""Pydantic models of the summary schema (`../shared/spec/summary-schema.md`).

The spec is the contract: fields here may be added (optional) but never renamed, dropped or
re-typed. Every model forbids unknown fields so a typo in a gold file is an error, not a silent
default.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Domain(StrEnum):
    business_environment = "business_environment"
    industry_investment = "industry_investment"
    state_assets_finance = "state_assets_finance"
    rural_revitalization = "rural_revitalization"
    urban_regional = "urban_regional"
    public_services = "public_services"
    governance_safety = "governance_safety"
    ecology = "ecology"
    culture_tourism_media = "culture_tourism_media"
    party_cadre = "party_cadre"
    science_talent = "science_talent"
    other = "other"


LocalityLevel = Literal["province", "city", "county", "district", "town", "other"]

# Length limits (characters) of the text a model can write, here and in `summarizer.stages.drafts`:
# several times what the field holds in the gold files and the corpus (longest description 159,
# summary 524, span 442), so a runaway answer (a 10-million-character description) is refused at
# validation instead of stored, printed and re-read by every later tool. A name is the exception:
# the schema itself says 30 characters at most (summary-schema.md), so candidates longer than that
# are not names and a model's longer name is cut.
NAME_CHARS = 30
DESCRIPTION_CHARS = 600
SUMMARY_CHARS = 2000
SPAN_CHARS = 2000
LABEL_CHARS = 100  # a metric, a figure as printed, an actor, a place name
UNIT_CHARS = 20
# Evidence spans an initiative keeps at most: the labeling guidelines give 1-3 per initiative
# (eval/gold/GUIDELINES.md), the passages that state it rather than every mention.
MAX_EVIDENCE = 3

Alignment = Literal["exact", "fuzzy"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Strict):
    text: str = Field(min_length=1, max_length=SPAN_CHARS)
    start: int | None = None
    end: int | None = None
    # How grounding located the text; absent in gold files.
    alignment: Alignment | None = None


class Outcome(_Strict):
    description: str = Field(max_length=DESCRIPTION_CHARS)
    metric: str | None = Field(default=None, max_length=LABEL_CHARS)
    value_text: str | None = Field(default=None, max_length=LABEL_CHARS)
    value: float | None = None
    unit: str | None = Field(default=None, max_length=UNIT_CHARS)
    evidence: Span


class Initiative(_Strict):
    name: str = Field(min_length=1, max_length=NAME_CHARS)
    domain: Domain
    description: str = Field(max_length=DESCRIPTION_CHARS)
    actors: list[Annotated[str, Field(max_length=LABEL_CHARS)]] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    evidence: list[Span] = Field(min_length=1)


class Locality(_Strict):
    name: str = Field(max_length=LABEL_CHARS)
    level: LocalityLevel
    province: str | None = Field(default=None, max_length=LABEL_CHARS)


class UsageRecord(_Strict):
    """Token usage of one model attempt, failed attempts included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    ok: bool = True
    error: str | None = None
    cached: bool = False
    # Set when the server reported no usage, or counts below zero: the counts above are then
    # unknown (left 0), and this estimate from the request's size is what the token ceiling charges.
    estimated_tokens: int | None = None

    @property
    def ceiling_tokens(self) -> int:
        """What this attempt counts against `--max-tokens-total`."""
        if self.estimated_tokens is not None:
            return self.estimated_tokens
        return self.prompt_tokens + self.completion_tokens


class Provenance(_Strict):
    """What produced a summary: an optional field the spec allows us to add."""

    backend: str
    model: str
    strategy: str
    prompts: list[str] = Field(default_factory=list)
    attempts: list[UsageRecord] = Field(default_factory=list)
    dropped_initiatives: int = 0
    dropped_spans: int = 0
    config_fingerprint: str | None = None
    endpoint: str | None = None  # scheme://host:port/path of a remote model server; never a key


class ArticleSummary(_Strict):
    article_id: str
    title: str
    source: str | None = None
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    locality: Locality
    summary: str = Field(max_length=SUMMARY_CHARS)
    initiatives: list[Initiative] = Field(default_factory=list)
    provenance: Provenance | None = None


def dump_json(model: BaseModel) -> str:
    """The one JSON form of every file we write: UTF-8 text, Chinese left readable."""
    return model.model_dump_json(indent=2, exclude_none=False) + "\n"
