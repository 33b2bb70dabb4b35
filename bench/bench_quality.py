"""Quality by split: run a strategy on the seeds, the corpus dev split and the corpus test split,
score each with `summarizer eval`, and print one row per split (the README's strategy table).

    python bench/bench_quality.py                                  # rules (--backend none)
    python bench/bench_quality.py --name decomposed -- --strategy decomposed
    python bench/bench_quality.py --splits test --keep runs/q      # keep the run dirs

Everything goes through the CLI, as a user would run it. The corpus is read from
../shared/corpus/articles (never copied into the repository); the test split is fixed in
eval/splits.json and must never be used for tuning: report it, do not read its errors.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
COLUMNS = [
    ("init P", "initiative_precision"),
    ("init R", "initiative_recall"),
    ("init F1", "initiative_f1"),
    ("outc F1", "outcome_f1"),
    ("fig R", "figure_recall"),
    ("fig acc", "figure_accuracy"),
    ("locality", "locality_name"),
    ("publisher", "source"),
]


def split_members() -> dict[str, tuple[Path, Path, list[str]]]:
    """split -> (articles dir, gold dir, article ids)."""
    test = set(json.loads((ROOT / "eval" / "splits.json").read_text(encoding="utf-8"))["test"])
    corpus_gold = sorted(p.stem for p in (ROOT / "eval" / "corpus-gold").glob("*.json"))
    seeds = sorted(p.stem for p in (ROOT / "eval" / "gold").glob("*.json"))
    return {
        "seeds": (ROOT / "seeds", ROOT / "eval" / "gold", seeds),
        "dev": (CORPUS, ROOT / "eval" / "corpus-gold", [a for a in corpus_gold if a not in test]),
        "test": (CORPUS, ROOT / "eval" / "corpus-gold", [a for a in corpus_gold if a in test]),
    }


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from summarizer.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)


def score_split(name: str, work: Path, run_args: list[str]) -> dict[str, float]:
    articles, gold, ids = split_members()[name]
    inputs, golds, out = work / name / "in", work / name / "gold", work / name / "run"
    inputs.mkdir(parents=True)
    golds.mkdir()
    chars = 0
    for article_id in ids:
        (source,) = articles.glob(f"{article_id}.*")
        (inputs / source.name).symlink_to(source)
        (golds / f"{article_id}.json").symlink_to(gold / f"{article_id}.json")
        chars += len(source.read_text(encoding="utf-8"))
    started = time.perf_counter()
    done = cli("run", str(inputs), "-o", str(out), "--no-cache", *run_args)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"run failed on {name}: {done.stderr.strip()[-500:]}")
    scored = cli("eval", str(out), "--gold", str(golds), "--sources", str(inputs))
    if scored.returncode != 0:
        raise SystemExit(f"eval failed on {name}: {scored.stderr.strip()[-500:]}")
    micro = json.loads((out / "report.json").read_text(encoding="utf-8"))["micro"]
    micro["s/article"] = seconds / len(ids)
    micro["s/10k chars"] = seconds / chars * 10_000
    micro["articles"] = len(ids)
    return micro


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="rules", help="label of the row")
    parser.add_argument("--splits", default="seeds,dev,test")
    parser.add_argument("--keep", type=Path, help="keep run dirs here")
    parser.add_argument("run_args", nargs="*", help="options for `summarizer run` (after --)")
    args = parser.parse_args()
    run_args = args.run_args or ["--backend", "none"]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-quality-"))
    header = ["strategy", "split", "n", *(c for c, _ in COLUMNS), "s/article", "s/10k chars"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for split in args.splits.split(","):
        m = score_split(split, work, run_args)
        cells = [args.name, split, str(m["articles"]), *(f"{m[key]:.2f}" for _, key in COLUMNS)]
        cells += [f"{m['s/article']:.1f}", f"{m['s/10k chars']:.1f}"]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
