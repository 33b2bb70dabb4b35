from pathlib import Path

import pytest

from summarizer.backends.fake import FakeBackend
from summarizer.core.config import RunConfig
from summarizer.core.errors import BudgetExceeded, ConfigError, OutputError, TruncatedOutput
from summarizer.ingest.article import ingest_file, ingest_text
from summarizer.llm.cache import CachedBackend, ResponseCache
from summarizer.llm.calls import TokenBudget
from summarizer.pipeline import summarize
from summarizer.stages.drafts import ArticleFields
from summarizer.stages.grounding import is_grounded
from tests.fakes import MODEL_SUMMARY, quoting_handler

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def article():
    return ingest_file(SEEDS / "001_b871c692167c7342.txt")


def test_default_fake_gives_ingest_fields_and_no_initiatives(article):
    summary = summarize(article, FakeBackend(), RunConfig())
    assert summary.initiatives == []
    assert summary.title == article.title and summary.source == "南方日报网络版"
    assert summary.summary  # the extractive fallback
    assert summary.provenance.prompts == ["extract@v1", "article@v2"]


def test_every_span_is_grounded_and_usage_is_recorded(article):
    backend = FakeBackend(handler=quoting_handler)
    summary = summarize(article, backend, RunConfig(chunk_chars=1500))
    assert summary.initiatives
    for item in summary.initiatives:
        for span in item.evidence + [o.evidence for o in item.outcomes]:
            assert is_grounded(span, article.text)
    calls = len(backend.history)
    assert calls == len(summary.provenance.attempts) and calls >= 3  # chunks + article fields
    assert summary.locality.name == "潮州市" and summary.summary == MODEL_SUMMARY


def test_initiatives_follow_first_mention(article):
    summary = summarize(article, FakeBackend(handler=quoting_handler), RunConfig())
    starts = [min(s.start for s in i.evidence) for i in summary.initiatives]
    assert starts == sorted(starts)


def test_second_identical_run_makes_zero_model_calls(article, tmp_path):
    cache = ResponseCache(tmp_path / "cache.sqlite")
    first = FakeBackend(handler=quoting_handler)
    one = summarize(article, CachedBackend(first, cache), RunConfig())
    second = FakeBackend(handler=quoting_handler)
    two = summarize(article, CachedBackend(second, cache), RunConfig())
    assert len(first.history) > 0 and len(second.history) == 0
    assert one.initiatives == two.initiatives
    assert all(a.cached for a in two.provenance.attempts)


def test_prompt_variant_changes_the_cache_key(article, tmp_path):
    cache = ResponseCache(tmp_path / "cache.sqlite")
    summarize(article, CachedBackend(FakeBackend(handler=quoting_handler), cache), RunConfig())
    variant = FakeBackend(handler=quoting_handler)
    config = RunConfig(prompts=("extract@v2", "article@v1"))
    summary = summarize(article, CachedBackend(variant, cache), config)
    assert len(variant.history) > 0
    assert "extract@v2" in summary.provenance.prompts


def test_truncated_chunk_is_split_and_retried(article):
    backend = FakeBackend(handler=quoting_handler)
    backend.enqueue(TruncatedOutput("finish_reason=length", provider="fake"))
    summary = summarize(article, backend, RunConfig(chunk_chars=6000))
    prompts = [call.prompt_id for call in backend.history]
    assert prompts.count("extract@v1") == 3  # the whole article, then its two halves
    assert summary.initiatives


def test_budget_stops_new_requests(article):
    backend = FakeBackend(handler=quoting_handler)
    budget = TokenBudget(limit=1)
    with pytest.raises(BudgetExceeded, match="--max-tokens-total"):
        summarize(article, backend, RunConfig(chunk_chars=1000), budget=budget)
    assert len(backend.history) == 1  # the first call spent the budget; no second request was made


def test_model_strategy_without_model_is_a_config_error(article):
    with pytest.raises(ConfigError, match="--strategy rules"):
        summarize(article, None, RunConfig(strategy="single"))


def _fields_handler(locality_name, summary):
    def handler(messages, response_model):
        if response_model is ArticleFields:
            return {"locality": {"name": locality_name, "level": "city"}, "summary": summary}
        return quoting_handler(messages, response_model)

    return handler


def test_a_model_summary_with_a_figure_not_in_the_article_is_replaced(article):
    backend = FakeBackend(handler=_fields_handler("潮州市", "潮州新增经营主体99.9万户。"))
    summary = summarize(article, backend, RunConfig())
    assert "99.9万户" not in summary.summary and summary.summary  # the extractive fallback


def test_a_model_place_not_in_the_article_is_replaced(article):
    backend = FakeBackend(handler=_fields_handler("北京市", MODEL_SUMMARY))
    summary = summarize(article, backend, RunConfig())
    assert summary.locality.name == "潮州市" and summary.summary == MODEL_SUMMARY


def test_article_fields_the_model_cannot_write_fall_back(article):
    def handler(messages, response_model):
        if response_model is ArticleFields:
            raise OutputError("never fit ArticleFields", provider="fake")
        return quoting_handler(messages, response_model)

    summary = summarize(article, FakeBackend(handler=handler), RunConfig())
    assert summary.initiatives and summary.summary and summary.locality.name == "潮州市"


@pytest.mark.parametrize("junk", ["3-5", "},\n（无）{", "一句话。"])
def test_a_model_summary_that_is_not_sentences_is_replaced(article, junk):
    summary = summarize(article, FakeBackend(handler=_fields_handler("潮州市", junk)), RunConfig())
    assert summary.summary != junk and summary.summary.count("。") >= 2


def test_reforms_listed_in_one_sentence_stay_apart():
    # A chunk's answer lists two reforms that cite the same sentence: both reach the summary.
    sentence = "沙坪坝区搭建易货贸易平台，建设“海外仓”，带动进出口额增长12%。"
    article = ingest_text(f"# 沙坪坝区外贸改革\n\n{sentence}\n", "listed")
    items = [
        {"name": name, "domain": "other", "description": name, "quotes": [sentence]}
        for name in ("易货贸易平台", "“海外仓”")
    ]
    backend = FakeBackend()
    backend.enqueue({"initiatives": items})
    summary = summarize(article, backend, RunConfig())
    assert [i.name for i in summary.initiatives] == ["易货贸易平台", "“海外仓”"]
