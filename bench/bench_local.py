"""Benchmark the embedded local model: pipeline overhead and cost per article per strategy.

    .venv/bin/python bench/bench_local.py [--seeds seeds] [--prompts 6] [--articles 1]

1. tokens/s through `LocalBackend.complete` (schema, validation, usage records) vs raw
   `Llama.create_chat_completion` with the same messages and the same JSON-schema constraint,
   on the same `decomposed` task prompts; the ratio should be >= 0.9.
2. calls, prompt and completion tokens, and wall time per article for `rules` and `decomposed`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from summarizer.backends.local import LocalBackend
from summarizer.calls import ModelCalls
from summarizer.candidates import find_candidates
from summarizer.config import RunConfig
from summarizer.ingest import ingest_file
from summarizer.prompts import load_prompt
from summarizer.strategies import get_strategy
from summarizer.strategies.decomposed import MAX_FIGURES, MAX_TOKENS, PROMPT, answer_model


def task_prompts(seed: Path, limit: int) -> list[tuple[list[dict[str, str]], type]]:
    """The first `limit` decomposed task prompts of one seed, with their answer models."""
    prompt = load_prompt(PROMPT)
    tasks = []
    for candidate in find_candidates(ingest_file(seed))[:limit]:
        figures = candidate.figures[:MAX_FIGURES]
        listing = "\n".join(f"{i}: {f.value_text}" for i, f in enumerate(figures)) or "（无数字）"
        messages = prompt.render(
            sentence=candidate.sentence.text[:300], candidate=candidate.name, figures=listing
        )
        tasks.append((messages, answer_model(len(figures))))
    return tasks


def raw_tokens_per_s(backend: LocalBackend, tasks: list) -> float:
    llama, tokens, started = backend._loaded.llama, 0, time.perf_counter()
    for messages, model in tasks:
        response = llama.create_chat_completion(
            messages=messages,
            response_format={"type": "json_object", "schema": model.model_json_schema()},
            max_tokens=MAX_TOKENS,
            temperature=0.0,
        )
        tokens += response["usage"]["prompt_tokens"] + response["usage"]["completion_tokens"]
    return tokens / (time.perf_counter() - started)


def pipeline_tokens_per_s(backend: LocalBackend, tasks: list) -> float:
    tokens, started = 0, time.perf_counter()
    for messages, model in tasks:
        completion = backend.complete(messages, model, prompt_id=PROMPT, max_tokens=MAX_TOKENS)
        tokens += sum(a.prompt_tokens + a.completion_tokens for a in completion.attempts)
    return tokens / (time.perf_counter() - started)


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
    parser.add_argument("--articles", type=int, default=1, help="seeds for the per-article table")
    args = parser.parse_args()
    seeds = sorted(args.seeds.glob("*.txt"))
    backend = LocalBackend()
    tasks = task_prompts(seeds[0], args.prompts)
    raw_tokens_per_s(backend, tasks[:1])  # warm-up: first-call costs are not what we compare
    raw = raw_tokens_per_s(backend, tasks)
    ours = pipeline_tokens_per_s(backend, tasks)
    print(f"raw llama.cpp   {raw:8.1f} tokens/s  ({len(tasks)} prompts)")
    print(f"pipeline        {ours:8.1f} tokens/s")
    print(f"ratio           {ours / raw:8.2f}")
    per_article(backend, seeds[: args.articles])


if __name__ == "__main__":
    main()
