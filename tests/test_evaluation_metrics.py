"""What the metrics mean, on synthetic gold articles: each test breaks one thing and checks its score."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

try:
    from tests.test_evaluation_fixture import REFORMS, build_source_and_gold, copy_of
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_evaluation_fixture import REFORMS, build_source_and_gold, copy_of

from summarizer.core.models import ArticleSummary, Domain
from summarizer.evaluation.compare import compare_runs, parse_thresholds, regressions
from summarizer.evaluation.metrics import METRICS, score_article
from summarizer.evaluation.runs import load_gold
from summarizer.evaluation.scoring import EvalResult
from summarizer.runs.reading import load_source

GOLD_DIR = Path(__file__).resolve().parent.parent / "eval" / "gold"
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def _all_applicable_metrics_are_one(pred: ArticleSummary, gold: ArticleSummary, source: str) -> None:
    score = score_article(pred, gold, source)
    not_one = {m: score.value(m) for m in METRICS if score.value(m) not in (1.0, None)}
    assert not_one == {}


def test_gold_scored_against_itself_is_one_everywhere() -> None:
    source, gold = build_source_and_gold()
    score = score_article(copy_of(gold), gold, source)
    assert {m: score.value(m) for m in METRICS} == dict.fromkeys(METRICS, 1.0)


@pytest.mark.skipif(not any(GOLD_DIR.glob("*.json")), reason="no gold files yet")
def test_every_real_gold_file_scored_against_itself_is_one() -> None:
    gold = load_gold(GOLD_DIR)
    for article_id, summary in gold.items():
        _all_applicable_metrics_are_one(copy_of(summary), summary, load_source(article_id, sources=SEEDS_DIR))


@pytest.mark.parametrize("k", [1, 2, 5])
def test_dropping_k_of_n_initiatives_gives_recall_n_minus_k_over_n_and_precision_one(k: int) -> None:
    source, gold = build_source_and_gold()
    n = len(gold.initiatives)
    pred = copy_of(gold)
    del pred.initiatives[1 : 1 + k]
    score = score_article(pred, gold, source)
    assert score.value("initiative_recall") == pytest.approx((n - k) / n)
    assert score.value("initiative_precision") == 1.0
    assert len(score.missed) == k and score.spurious == []


def test_shuffling_initiatives_and_outcomes_changes_nothing() -> None:
    source, gold = build_source_and_gold()
    expected = score_article(copy_of(gold), gold, source)
    pred = copy_of(gold)
    pred.initiatives[0].outcomes[0].value = 1.0  # a wrong figure, so not every score is 1.0
    pred.initiatives[3].name = "飞地园区"
    baseline = score_article(pred, gold, source)
    for seed in range(5):
        shuffled = copy_of(pred)
        random.Random(seed).shuffle(shuffled.initiatives)
        for initiative in shuffled.initiatives:
            random.Random(seed).shuffle(initiative.outcomes)
        score = score_article(shuffled, gold, source)
        assert {m: score.value(m) for m in METRICS} == {m: baseline.value(m) for m in METRICS}
    assert baseline.value("figure_accuracy") < expected.value("figure_accuracy")


def test_a_paraphrased_name_still_matches() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    pred.initiatives[0].name = "一照通审批改革"
    pred.initiatives[2].name = "“整村授信”工程"
    score = score_article(pred, gold, source)
    assert score.value("initiative_f1") == 1.0
    assert ("整村授信", "“整村授信”工程") in [(g, p) for g, p, _ in score.matched]


def test_a_renamed_initiative_with_other_evidence_does_not_match() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    forest = pred.initiatives[5]
    forest.name = "河长制"
    forest.evidence = [pred.initiatives[1].evidence[0]]  # cites 县管校聘's sentence
    score = score_article(pred, gold, source)
    assert score.missed == ["林长制"] and score.spurious == ["河长制"]


def test_a_changed_figure_lowers_figure_accuracy_and_not_initiative_f1() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    outcome = pred.initiatives[2].outcomes[0]  # 357.14亿元
    outcome.value_text, outcome.value = "357.41亿元", 35741000000.0
    score = score_article(pred, gold, source)
    figures = sum(len(r[3]) for r in REFORMS)
    assert score.value("figure_accuracy") == pytest.approx((figures - 1) / figures)
    assert score.value("figure_recall") == pytest.approx((figures - 1) / figures)
    assert score.value("initiative_f1") == 1.0
    assert score.value("outcome_f1") == 1.0
    assert score.value("figure_grounding") < 1.0  # 357.41亿元 is not in the source


def test_a_changed_unit_is_a_wrong_figure() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    pred.initiatives[1].outcomes[0].unit = "人"  # 1260名
    assert score_article(pred, gold, source).value("figure_accuracy") < 1.0


@pytest.mark.parametrize("missing", [True, False])
def test_an_empty_prediction_scores_zero_recall_without_crashing(missing: bool) -> None:
    source, gold = build_source_and_gold()
    empty = ArticleSummary(
        article_id=gold.article_id, title="", locality={"name": "", "level": "other"}, summary=""
    )
    score = score_article(None if missing else empty, gold, source)
    for metric in (
        "initiative_recall",
        "outcome_recall",
        "article_outcome_recall",
        "figure_recall",
        "rouge1",
    ):
        assert score.value(metric) == 0.0, metric
    assert score.value("initiative_f1") == 0.0
    assert score.value("grounding_rate") is None  # no predicted spans: not applicable
    assert score.status == ("missing" if missing else "scored")


def test_a_span_with_wrong_offsets_is_not_grounded() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    span = pred.initiatives[0].evidence[0]
    span.start, span.end = span.start + 1, span.end + 1
    score = score_article(pred, gold, source)
    spans = score.ratios["grounding_rate"].den
    assert score.value("grounding_rate") == pytest.approx((spans - 1) / spans)
    assert score.value("initiative_f1") == 1.0  # the text still places it for matching


def test_without_a_source_grounding_is_not_reported() -> None:
    _, gold = build_source_and_gold()
    score = score_article(copy_of(gold), gold, None)
    assert score.value("grounding_rate") is None
    assert score.value("initiative_f1") == 1.0


def test_a_wrong_domain_lowers_domain_accuracy_only() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    pred.initiatives[0].domain = Domain.other
    score = score_article(pred, gold, source)
    assert score.value("domain_accuracy") == pytest.approx(5 / 6)
    assert score.value("initiative_f1") == 1.0


def test_article_fields_are_exact_matches() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    pred.locality.name, pred.published = "潮州", None
    score = score_article(pred, gold, source)
    assert (score.value("locality_name"), score.value("published")) == (0.0, 0.0)
    assert (score.value("title"), score.value("locality_level")) == (1.0, 1.0)


def test_character_rouge_scores_chinese_and_is_partial_for_a_partial_summary() -> None:
    source, gold = build_source_and_gold()
    pred = copy_of(gold)
    pred.summary = gold.summary[: len(gold.summary) // 2]
    score = score_article(pred, gold, source)
    assert 0.3 < score.value("rouge1") < 1.0
    assert 0.3 < score.value("rougeL") < 1.0


def _result(
    name: str, preds: list[ArticleSummary | None], golds: list[tuple[str, ArticleSummary]]
) -> EvalResult:
    return EvalResult(name, "gold", [score_article(p, g, s) for p, (s, g) in zip(preds, golds, strict=True)])


def _golds(n: int = 6) -> list[tuple[str, ArticleSummary]]:
    return [build_source_and_gold(f"{i:03d}_synthetic") for i in range(n)]


def test_bootstrap_on_identical_runs_gives_zero_delta_and_a_gate_that_passes() -> None:
    golds = _golds()
    preds = [copy_of(g) for _, g in golds]
    del preds[0].initiatives[0]  # not perfect, so the scores are not trivially 1.0
    comparison = compare_runs(_result("a", preds, golds), _result("b", preds, golds), seed=7, resamples=500)
    for m in comparison.metrics:
        assert m.delta in (0.0, None) and m.low in (0.0, None) and m.high in (0.0, None), m
    assert regressions(comparison, parse_thresholds([])) == []


def test_a_worse_run_b_fails_the_gate_with_one_line_per_regressed_metric() -> None:
    golds = _golds()
    run_a = [copy_of(g) for _, g in golds]
    run_b = [copy_of(g) for _, g in golds]
    for pred in run_b:
        del pred.initiatives[:3]
    comparison = compare_runs(_result("a", run_a, golds), _result("b", run_b, golds), resamples=500)
    delta = comparison.delta("initiative_f1")
    assert delta.delta < 0
    assert delta.low - 1e-9 <= delta.delta <= delta.high + 1e-9
    lines = regressions(comparison, parse_thresholds([]))
    assert [line.split()[1] for line in lines] == ["initiative_f1", "outcome_f1", "figure_recall"]
    assert (
        regressions(comparison, parse_thresholds(["initiative_f1=0.9", "outcome_f1=1", "figure_recall=1"]))
        == []
    )


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    golds = _golds()
    run_a = [copy_of(g) for _, g in golds]
    run_b = [copy_of(g) for _, g in golds]
    for pred in run_b[:3]:
        del pred.initiatives[0]
    a, b = _result("a", run_a, golds), _result("b", run_b, golds)
    first = compare_runs(a, b, seed=3).to_dict()
    assert compare_runs(a, b, seed=3).to_dict() == first
    assert compare_runs(a, b, seed=4).to_dict() != first


def test_articles_gained_and_lost_are_listed() -> None:
    golds = _golds(2)
    run_a = [copy_of(g) for _, g in golds]
    run_b = [copy_of(g) for _, g in golds]
    del run_a[0].initiatives[1]  # A misses 县管校聘, B finds it
    del run_b[1].initiatives[3]  # B loses 反向飞地
    comparison = compare_runs(_result("a", run_a, golds), _result("b", run_b, golds), resamples=100)
    assert [(c["gained"], c["lost"]) for c in comparison.articles] == [(["县管校聘"], []), ([], ["反向飞地"])]


@pytest.mark.parametrize("pair", ["initiative_f1", "nonsense=0.1", "initiative_f1=lots"])
def test_a_bad_threshold_pair_is_a_config_error(pair: str) -> None:
    from summarizer.core.errors import ConfigError

    with pytest.raises(ConfigError, match="--fail-on-regression"):
        parse_thresholds([pair])


@pytest.mark.parametrize(
    ("pred", "gold", "n", "expected"),
    [
        ("改革改革", "改革", 1, (2 * 2, 4 + 2)),  # 改 and 革 once each in gold: multiplicity counts
        ("改革改革", "改革", 2, (2 * 1, 3 + 1)),
        ("abc", "cba", 2, (0, 4)),
        ("", "改革", 1, (0, 2)),
        ("一", "一", 2, (0, 0)),
    ],
)
def test_character_rouge_n_counts_shared_ngrams_with_multiplicity(pred, gold, n, expected) -> None:
    from summarizer.evaluation.rouge import rouge_n_counts

    assert rouge_n_counts(pred, gold, n) == expected
