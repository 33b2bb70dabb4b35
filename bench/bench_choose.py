"""How much choosing among a paragraph's name spans could earn, without a model: the `choose`
strategy's tasks (`summarizer.strategies.choose.choice_tasks`) answered by fixed policies.

    python bench/bench_choose.py                    # seeds and dev
    python bench/bench_choose.py --splits seeds
    python bench/bench_choose.py --policies none,first,oracle,model --prompt choose@v1

Policies: `none` (every answer none: the `rules` output), `first` (always option 1), `random`
(seeded), `model` (the model behind `--backend`, `local` by default, through the strategy's
prompt and enum schema: what `summarizer run --strategy choose` would answer), and `oracle`: per paragraph the option that adds the most matched gold initiatives to
the rules' own (none when no option adds one), an upper bound that reads the gold. A model that
chooses earns its place only above `none` and `first`; `oracle` is what a perfect chooser would
reach with these options. The test split is refused: the oracle reads gold, and the test split
is never tuned on.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_quality import split_members  # noqa: E402

from summarizer.core.config import RunConfig  # noqa: E402
from summarizer.core.models import ArticleSummary  # noqa: E402
from summarizer.evaluation.metrics import ArticleScore, micro, score_article  # noqa: E402
from summarizer.evaluation.runs import load_gold  # noqa: E402
from summarizer.ingest.article import Article, ingest_file  # noqa: E402
from summarizer.pipeline import summarize  # noqa: E402
from summarizer.runs.reading import load_source  # noqa: E402
from summarizer.stages.candidates import Candidate, add_candidate, candidate_at, find_candidates, sentences  # noqa: E402
from summarizer.stages.options import Option  # noqa: E402
from summarizer.strategies.choose import choice_tasks  # noqa: E402
from summarizer.strategies.rules import initiatives_from  # noqa: E402

# (paragraph shown, its options, the gain in matched gold of adding some options, a seeded rng) -> pick
Policy = Callable[[str, list[Option], Callable[[list[Option]], float], random.Random], Option | None]


def _as_candidate(article: Article, option: Option) -> Candidate:
    all_sentences = sentences(article.body)
    index = next(i for i, s in enumerate(all_sentences) if s.start <= option.start < s.end)
    return candidate_at(option.text, option.start, all_sentences, index)


def _with(article: Article, base: ArticleSummary, picks: list[Option]) -> ArticleSummary:
    candidates = find_candidates(article)
    for option in picks:
        add_candidate(candidates, _as_candidate(article, option))
    candidates.sort(key=lambda c: c.start)
    return base.model_copy(update={"initiatives": initiatives_from(article, candidates)})


def _oracle(
    _text: str, options: list[Option], gain: Callable[[list[Option]], float], _: random.Random
) -> Option | None:
    best, best_gain = None, 0.0
    for option in options:
        if (g := gain([option])) > best_gain:
            if VERBOSE:
                print("   oracle:", option.text, "|", " / ".join(o.text for o in options), file=sys.stderr)
            best, best_gain = option, g
    return best


VERBOSE = False
POLICIES: dict[str, Policy] = {
    "none": lambda text, options, gain, rng: None,  # noqa: ARG005
    "first": lambda text, options, gain, rng: options[0],  # noqa: ARG005
    "random": lambda text, options, gain, rng: rng.choice([*options, None]),  # noqa: ARG005
    "oracle": _oracle,
}


def score_policy(split: str, policy: Policy, seed: int = 0) -> tuple[list[ArticleScore], int, int, int]:
    """Scores of every article of `split` under `policy`, the number of tasks, of picks, and of
    useful picks (ones that alone add a matched gold initiative to the rules' output)."""
    articles, gold_dir, ids = split_members()[split]
    gold = load_gold(gold_dir)
    rng = random.Random(seed)
    scores, tasks_total, picks_total, useful_total = [], 0, 0, 0
    for article_id in ids:
        (path,) = articles.glob(f"{article_id}.*")
        article = ingest_file(path)
        source = load_source(article_id, sources=articles)
        base = summarize(article, None, RunConfig.for_backend("none"))
        matched = score_article(base, gold[article_id], source).ratios["initiative_precision"].num

        def gain(extra: list[Option], article: Article = article, base: ArticleSummary = base) -> float:
            score = score_article(_with(article, base, extra), gold[article_id], source)  # noqa: B023
            return score.ratios["initiative_precision"].num - matched  # noqa: B023

        all_sentences = sentences(article.body)
        tasks = choice_tasks(article.body, all_sentences, find_candidates(article))
        picks = [p for text, options in tasks if (p := policy(text, options, gain, rng)) is not None]
        tasks_total += len(tasks)
        picks_total += len(picks)
        useful_total += sum(1 for p in picks if gain([p]) > 0)
        scores.append(score_article(_with(article, base, picks), gold[article_id], source))
    return scores, tasks_total, picks_total, useful_total


def model_policy(prompt_ref: str) -> Policy:
    """The embedded model answering each task as the strategy asks it."""
    from summarizer.backends.local import LocalBackend
    from summarizer.llm.calls import ModelCalls
    from summarizer.llm.prompts import load_prompt
    from summarizer.strategies.choose import ask_choice

    calls, prompt = ModelCalls(LocalBackend()), load_prompt(prompt_ref)

    def choose(
        text: str, options: list[Option], _gain: Callable[[list[Option]], float], _: random.Random
    ) -> Option | None:
        return ask_choice(calls, prompt, text, options)

    return choose


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", default="seeds,dev")
    parser.add_argument("--policies", default=",".join(POLICIES))
    parser.add_argument("--prompt", default="choose@v1", help="prompt of the model policy")
    args = parser.parse_args()
    if "test" in args.splits.split(","):
        raise SystemExit("the test split is never tuned on; score it once with bench_quality.py")
    print("| policy | split | tasks | picks | useful picks | init P | init R | init F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for split in args.splits.split(","):
        for name in args.policies.split(","):
            policy = model_policy(args.prompt) if name == "model" else POLICIES[name]
            scores, tasks, picks, useful = score_policy(split, policy)
            cells = [f"{micro(scores, f'initiative_{m}') or 0:.3f}" for m in ("precision", "recall", "f1")]
            print(
                f"| {name} | {split} | {tasks} | {picks} | {useful} | " + " | ".join(cells) + " |", flush=True
            )


if __name__ == "__main__":
    main()
