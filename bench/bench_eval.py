"""Benchmark of the evaluation harness: score N synthetic article pairs shaped like the gold files.

Each pair is a real gold file and a prediction made from it by random, seeded damage: initiatives
and outcomes dropped, names reworded, figures changed, offsets shifted, spurious initiatives
added, the order shuffled. Only scoring is timed (`score_article` on every pair, as `summarizer
eval` does), not building the pairs.

    .venv/bin/python bench/bench_eval.py                 # 10,000 pairs, one process
    .venv/bin/python bench/bench_eval.py --workers 2     # split over two processes (fork)
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from summarizer.core.models import ArticleSummary
from summarizer.evaluation.metrics import score_article
from summarizer.evaluation.runs import load_gold
from summarizer.runs.reading import load_source

ROOT = Path(__file__).resolve().parent.parent


def damaged(gold: ArticleSummary, rng: random.Random) -> ArticleSummary:
    """A plausible imperfect prediction of `gold`."""
    pred = gold.model_copy(deep=True)
    pred.initiatives = [i for i in pred.initiatives if rng.random() > 0.15]
    for initiative in pred.initiatives:
        initiative.outcomes = [o for o in initiative.outcomes if rng.random() > 0.15]
        if rng.random() < 0.2:
            initiative.name = initiative.name.strip("“”") + "改革"
        for outcome in initiative.outcomes:
            if outcome.value is not None and rng.random() < 0.1:
                outcome.value *= 1.1
        for span in initiative.evidence:
            if span.start is not None and rng.random() < 0.05:
                span.start, span.end = span.start + 3, (span.end or 0) + 3
    for _ in range(rng.randint(0, 2)):
        if pred.initiatives:
            spurious = rng.choice(pred.initiatives).model_copy(deep=True)
            spurious.name = f"新增试点机制{rng.randint(0, 99)}"
            pred.initiatives.append(spurious)
    rng.shuffle(pred.initiatives)
    return pred


def build_pairs(count: int, seed: int) -> list[tuple[ArticleSummary, ArticleSummary, str | None]]:
    gold = load_gold(ROOT / "eval" / "gold")
    sources = {article_id: load_source(article_id, sources=ROOT / "seeds") for article_id in gold}
    ids = sorted(gold)
    rng = random.Random(seed)
    pairs = []
    for n in range(count):
        article_id = ids[n % len(ids)]
        pairs.append((damaged(gold[article_id], rng), gold[article_id], sources[article_id]))
    return pairs


def score_all(pairs: list[tuple[ArticleSummary, ArticleSummary, str | None]]) -> float:
    """Score every pair; returns the mean initiative F1 so the work cannot be skipped."""
    return statistics.fmean(score_article(p, g, s).value("initiative_f1") or 0.0 for p, g, s in pairs)


_PAIRS: list = []  # set before the pool forks, so workers inherit the pairs instead of unpickling them


def _score_slice(worker: int, workers: int) -> float:
    return score_all(_PAIRS[worker::workers])


def score_parallel(pairs: list, workers: int) -> float:
    _PAIRS[:] = pairs
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        means = list(pool.map(_score_slice, range(workers), [workers] * workers))
    return statistics.fmean(means)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--pairs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    built = time.perf_counter()
    pairs = build_pairs(args.pairs, args.seed)
    initiatives = statistics.fmean(len(g.initiatives) for _, g, _ in pairs)
    outcomes = statistics.fmean(sum(len(i.outcomes) for i in g.initiatives) for _, g, _ in pairs)
    print(f"built {len(pairs)} pairs in {time.perf_counter() - built:.1f} s "
          f"(gold: {initiatives:.1f} initiatives, {outcomes:.1f} outcomes per article)")  # fmt: skip
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    mean_f1 = score_parallel(pairs, args.workers) if args.workers > 1 else score_all(pairs)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    print(f"scored {len(pairs)} pairs in {seconds:.2f} s: {len(pairs) / seconds:,.0f} articles/s "
          f"({args.workers} worker(s), {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"CPU time {cpu:.2f} s; mean initiative F1 {mean_f1:.3f})")  # fmt: skip


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers: less sensitive than wall time to a busy machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
