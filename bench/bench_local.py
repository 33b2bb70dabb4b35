"""Benchmark the embedded local model: pipeline overhead and cost per article per strategy.

    .venv/bin/python bench/bench_local.py [--seeds seeds] [--prompts 6] [--articles 1]

1. tokens/s through `LocalBackend.complete` (schema, validation, usage records) vs raw
   `Llama.create_completion` with the same prompt and the same JSON-schema grammar, on the same
   `decomposed` task prompts, alternated call by call; the ratio should be >= 0.9.
2. calls, prompt and completion tokens, and wall time per article for `rules` and `decomposed`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from summarizer.backends.local import LocalBackend, grammar_for, plain_prompt
from summarizer.core.config import RunConfig
from summarizer.ingest.article import ingest_file
from summarizer.llm.calls import ModelCalls
from summarizer.llm.prompts import load_prompt
from summarizer.stages.candidates import sentences
from summarizer.strategies import get_strategy
from summarizer.strategies.decomposed import (
    MAX_PARAGRAPH_CHARS,
    MAX_TOKENS,
    PROMPT,
    ParagraphReform,
    paragraphs_of,
)


def task_prompts(seed: Path, limit: int) -> list[list[dict[str, str]]]:
    """The first `limit` decomposed naming prompts of one seed (one per paragraph)."""
    prompt = load_prompt(PROMPT)
    article = ingest_file(seed)
    paragraphs = paragraphs_of(sentences(article.body))
    texts = ["".join(s.text for s in p)[:MAX_PARAGRAPH_CHARS] for p in paragraphs]
    return [prompt.render(paragraph=text) for text in texts[:limit]]


def raw_call(backend: LocalBackend, messages: list[dict[str, str]]) -> int:
    """What llama.cpp alone does for the task: the same prompt and the same grammar."""
    schema = json.dumps(ParagraphReform.model_json_schema(), sort_keys=True)
    response = backend._loaded.llama.create_completion(
        plain_prompt(messages), grammar=grammar_for(schema), max_tokens=MAX_TOKENS, temperature=0.0
    )
    return int(response["usage"]["prompt_tokens"] + response["usage"]["completion_tokens"])


def pipeline_call(backend: LocalBackend, messages: list[dict[str, str]]) -> int:
    completion = backend.complete(messages, ParagraphReform, prompt_id=PROMPT, max_tokens=MAX_TOKENS)
    return sum(a.prompt_tokens + a.completion_tokens for a in completion.attempts)


def tokens_per_s(backend: LocalBackend, tasks: list, rounds: int) -> tuple[float, float]:
    """Raw and pipeline tokens/s, alternating task by task so machine noise hits both alike."""
    totals = {"raw": [0, 0.0], "pipeline": [0, 0.0]}
    for _ in range(rounds):
        for messages in tasks:
            for name, call in (("raw", raw_call), ("pipeline", pipeline_call)):
                backend._loaded.llama.reset()  # no prompt-prefix reuse between the twin calls
                started = time.perf_counter()
                totals[name][0] += call(backend, messages)
                totals[name][1] += time.perf_counter() - started
    return totals["raw"][0] / totals["raw"][1], totals["pipeline"][0] / totals["pipeline"][1]


def per_article(backend: LocalBackend, seeds: list[Path]) -> None:
    print("strategy    article                    calls  prompt_tok  completion_tok  initiatives  wall_s")
    for strategy in ("rules", "decomposed"):
        extract = get_strategy(strategy)
        for seed in seeds:
            article = ingest_file(seed)
            calls = ModelCalls(backend)
            started = time.perf_counter()
            result = extract(article, calls if strategy != "rules" else None, RunConfig(strategy=strategy))
            wall = time.perf_counter() - started
            prompt_tok = sum(a.prompt_tokens for a in calls.attempts)
            completion_tok = sum(a.completion_tokens for a in calls.attempts)
            print(f"{strategy:<11} {article.article_id:<26} {calls.calls:>5} {prompt_tok:>11} "
                  f"{completion_tok:>15} {len(result.initiatives):>12} {wall:>7.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=Path, default=Path("seeds"))
    parser.add_argument("--prompts", type=int, default=6, help="task prompts for the tokens/s comparison")
    parser.add_argument("--articles", type=int, default=5, help="seeds for the per-article table")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the prompts")
    args = parser.parse_args()
    seeds = sorted(args.seeds.glob("*.txt"))
    backend = LocalBackend()
    tasks = task_prompts(seeds[0], args.prompts)
    raw_call(backend, tasks[0])  # warm-up: first-call costs are not what we compare
    raw, ours = tokens_per_s(backend, tasks, args.rounds)
    print(f"raw llama.cpp   {raw:8.1f} tokens/s  ({len(tasks)} prompts)")
    print(f"pipeline        {ours:8.1f} tokens/s")
    print(f"ratio           {ours / raw:8.2f}")
    per_article(backend, seeds[: args.articles])


if __name__ == "__main__":
    main()
