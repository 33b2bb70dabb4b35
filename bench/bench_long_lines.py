"""Seconds per article for one very long line: text handling must stay linear in line length.

    PYTHONPATH=. python bench/bench_long_lines.py [--lengths 10000,20000,50000,100000,200000]

Each article is a short title line and then one line of N characters, in three shapes:
- `prose`: the seeds' article text with line breaks removed (sentences, figures, reform names);
- `no-punct`: the same text with every punctuation mark removed (one sentence of N characters);
- `names`: distinct reform names and figures joined by 和, no punctuation (`推行甲乙丙改革和新增5万户和…`),
  the candidate finder's worst case (thousands of names and figures in one sentence);
- `numerals`: Chinese numerals with no unit after them (`一二三…`), the figure finder's worst case.
Per cell: ingest (decode, navigation, metadata), chunking at the default size, and the whole
`rules` pipeline (candidates, figures, locality, extractive summary, grounding). A linear stage
takes about 20x as long at 200k as at 10k; the last column divides by N to make that visible.
Not a test: timings vary by machine, so nothing here asserts.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.core.config import RunConfig  # noqa: E402
from summarizer.ingest.article import ingest_file, ingest_text  # noqa: E402
from summarizer.pipeline import summarize  # noqa: E402
from summarizer.stages.chunking import chunk_text  # noqa: E402

_PUNCT = re.compile(r"[\s，。、；：！？“”‘’（）《》【】,.;:!?()\[\]\"'—…·-]")
_NAME_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def seed_text() -> str:
    """The seeds' article text (site navigation already removed: a breadcrumb's `>>` anywhere in
    the line would make the whole line navigation, and there would be nothing left to measure)."""
    return "".join(ingest_file(p).body for p in sorted((ROOT / "seeds").glob("*.txt")))


def shapes() -> dict[str, str]:
    text = seed_text()
    return {
        "prose": "".join(text.split()),
        "no-punct": _PUNCT.sub("", text),
        "names": "".join(f"推行{_name(i)}改革和新增{i}万户和" for i in range(30000)),
        "numerals": "一二三四五六七八九十百千",
    }


def _name(index: int) -> str:
    """A distinct three-character name for each index below 24**3."""
    chars = []
    for _ in range(3):
        index, digit = divmod(index, len(_NAME_CHARS))
        chars.append(_NAME_CHARS[digit])
    return "".join(chars)


def line_of(pattern: str, length: int) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def measure(line: str) -> tuple[float, float, float]:
    text = f"长行测试\n{line}\n"
    ingest_s = timed(lambda: ingest_text(text, "long"))
    article = ingest_text(text, "long")
    chunk_s = timed(lambda: chunk_text(article.body, 3000, 150))
    rules_s = timed(lambda: summarize(article, None, RunConfig(strategy="rules")))
    return ingest_s, chunk_s, rules_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="10000,20000,50000,100000,200000")
    args = parser.parse_args()
    lengths = [int(n) for n in args.lengths.split(",")]
    measure("热身")  # load the gazetteer and compile patterns outside the timings
    print(f"{'shape':9} {'chars':>7} {'ingest s':>9} {'chunk s':>8} {'rules s':>8} {'µs/char':>8}")
    for name, pattern in shapes().items():
        for length in lengths:
            ingest_s, chunk_s, rules_s = measure(line_of(pattern, length))
            per_char = (ingest_s + chunk_s + rules_s) / length * 1e6
            print(
                f"{name:9} {length:7d} {ingest_s:9.3f} {chunk_s:8.3f} {rules_s:8.3f} {per_char:8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
