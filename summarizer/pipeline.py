"""One article through every stage: strategy (extract, merge, ground), then article fields.

summarize(article, backend, config) -> ArticleSummary
"""

from __future__ import annotations

from summarizer.backends.base import Backend, backend_details, backend_identity
from summarizer.core.config import BackendKind, RunConfig
from summarizer.core.errors import ConfigError, OutputError
from summarizer.core.models import ArticleSummary, Initiative, Locality, Provenance
from summarizer.core.numbers import find_figures
from summarizer.ingest.article import Article
from summarizer.llm.calls import ModelCalls, TokenBudget
from summarizer.llm.prompts import load_prompt
from summarizer.stages.drafts import ArticleFields
from summarizer.stages.extractive import extractive_summary
from summarizer.stages.grounding import is_grounded
from summarizer.stages.locality import find_locality, is_province, place_in_article
from summarizer.strategies import NEEDS_MODEL, get_strategy

MIN_SUMMARY_CHINESE = 30
LEAD_CHARS = 400  # the lead names the place; the initiatives carry the rest


def summarize(
    article: Article,
    backend: Backend | None,
    config: RunConfig | None = None,
    budget: TokenBudget | None = None,
) -> ArticleSummary:
    """The grounded summary of one article. Raises `SummarizerError` subclasses on failure.
    Without `config`, the defaults `summarizer run` uses for this backend (`RunConfig.for_backend`)."""
    if config is None:
        config = RunConfig.for_backend(backend.name if backend is not None else BackendKind.none)
    if NEEDS_MODEL[config.strategy] and backend is None:
        raise ConfigError(f"strategy {str(config.strategy)!r} needs a model; use --strategy rules for none")
    calls = ModelCalls(backend, budget) if backend is not None else None
    extraction = get_strategy(config.strategy)(article, calls, config)
    initiatives, lost_items, lost_spans = keep_grounded(extraction.initiatives, article.text)
    locality, summary = article_fields(article, initiatives, calls, config)
    backend_name, model = backend_identity(backend)
    provenance = Provenance(
        backend=backend_name,
        model=model,
        strategy=config.strategy,
        prompts=calls.prompt_ids if calls else [],
        attempts=calls.attempts if calls else [],
        dropped_initiatives=extraction.dropped_initiatives + lost_items,
        dropped_spans=extraction.dropped_spans + lost_spans,
        config_fingerprint=config.fingerprint(backend_details(backend)),
        endpoint=backend.endpoint if backend is not None else None,
    )
    return ArticleSummary(
        article_id=article.article_id,
        title=article.title,
        source=article.source,
        published=article.published,
        locality=locality,
        summary=summary,
        initiatives=initiatives,
        provenance=provenance,
    )


def keep_grounded(items: list[Initiative], text: str) -> tuple[list[Initiative], int, int]:
    """The last gate: only spans verbatim at their offsets leave the pipeline."""
    kept, lost_items, lost_spans = [], 0, 0
    for item in items:
        evidence = [s for s in item.evidence if is_grounded(s, text)]
        outcomes = [o for o in item.outcomes if is_grounded(o.evidence, text)]
        lost_spans += len(item.evidence) - len(evidence) + len(item.outcomes) - len(outcomes)
        if evidence:
            kept.append(item.model_copy(update={"evidence": evidence, "outcomes": outcomes}))
        else:
            lost_items += 1
    return kept, lost_items, lost_spans


def article_fields(
    article: Article, initiatives: list[Initiative], calls: ModelCalls | None, config: RunConfig
) -> tuple[Locality, str]:
    """Locality and summary: by the model when it writes them, else deterministic fallbacks."""
    fields = None
    if calls is not None and config.model_writes_article_fields:
        try:
            fields = calls.ask(
                load_prompt(config.prompt_ref("article")),
                ArticleFields,
                max_tokens=config.max_tokens_per_call,
                title=article.title,
                lead=article.body[:LEAD_CHARS],
                initiatives="\n".join(f"- {i.name}: {i.description}" for i in initiatives) or "（无）",
            )
        except OutputError:
            fields = None  # a model that cannot write them gets the deterministic fields, not a failure
    locality = (
        fields.locality if fields and _place_in_text(fields.locality, article) else find_locality(article)
    )
    summary = fields.summary.strip() if fields and _usable_summary(fields.summary, article) else ""
    return locality, summary or extractive_summary(article)


def _place_in_text(locality: Locality, article: Article) -> bool:
    """A model's place stands only when its name is printed whole in the article or is a division
    of the gazetteer the article names (`金湾区` of `珠海市金湾区`), and its province is printed
    whole or is a province of the gazetteer; anything else (`广州市</textarea><svg …>`,
    `javascript:…`) gives way to the deterministic locality."""
    if not place_in_article(locality.name.strip(), article.text):
        return False
    province = (locality.province or "").strip()
    return not province or province in article.text or is_province(province)


def _usable_summary(summary: str, article: Article) -> bool:
    """A model's summary is kept only when it reads as sentences of Chinese (the spec asks for 3
    to 5; weak models return fragments such as `3-5`) and every figure it states is printed in
    the article."""
    sentences = sum(summary.count(mark) for mark in "。！？")
    chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in summary)
    if sentences < 2 or chinese < MIN_SUMMARY_CHINESE:
        return False
    return all(f.value_text in article.text for f in find_figures(summary))
