"""Issue 13's figures, measured in one run:

    .venv/bin/python bench/bench_scale.py [--quick] [--sizes 100,1000,10000]

1. wall / ideal at -j 32: 100 articles (20 copies of the seeds), `--no-cache`, against a loopback
   OpenAI-compatible server answering after 0.5 s; ideal = requests x 0.5 s / 32; wall is the
   run's own time (manifest `seconds`: start-up excluded). Target <= 1.2. `--repeat N` runs it N
   times and prints the median too (one run moves by +-0.05 on a shared 2-core machine).
2. The same server with 8 parallel slots (429 + `Retry-After: 1` beyond them), -j 32: articles
   done, share of 429s among requests. Target: all done, <= 10%.
3. Per-article milliseconds of `run --backend none` at 100, 1,000 and 10,000 articles (copies of
   the seeds; `--corpus` adds the corpus articles): the run's seconds / articles, and the median
   article. Target <= 20 ms and flat.
4. `memo` of the 1,000-summary run: seconds (target < 30 s).
5. Start-up: seconds of imports (`python -X importtime`) of `summarizer --help` and of
   `summarizer run --backend none`: to start (a resumed article) and with one article summarized.

Every run is a real `summarizer` process; the server runs in this process (tests/faultserver.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from faultserver import FaultServer, cli_command, cli_env, seed_copies  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
LATENCY_S = 0.5
CLI = [sys.executable, "-c", "from summarizer.cli import main; main()"]


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def against_server(tmp: Path, name: str, articles: int, jobs: int, slots: int | None) -> dict:
    server = FaultServer(delay_s=LATENCY_S, retry_after="1", max_in_flight=slots).start()
    try:
        inputs = seed_copies(tmp / f"in-{articles}", copies=articles // 5)
        out = tmp / name
        command = cli_command(server, inputs, out, "-j", str(jobs), "--no-cache", timeout_s=60)
        cpu_before, started = _children_cpu(), time.perf_counter()
        result = subprocess.run(command, env=cli_env(tmp / "cache"), capture_output=True, text=True)
        process_wall, client_cpu = time.perf_counter() - started, _children_cpu() - cpu_before
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
        totals = manifest(out)["totals"]
        seconds = manifest(out)["runs"][-1]["seconds"]
        answered = server.count - server.rejected
        return {
            "exit": result.returncode,
            "ok": totals["ok"],
            "articles": len(inputs),
            "requests": server.count,
            "answered": answered,
            "rejected": server.rejected,
            "seconds": seconds,
            "ideal": answered * LATENCY_S / jobs,
            "peak": server.peak_in_flight,
            "limiter": manifest(out)["runs"][-1].get("limiter"),
            "process_wall": process_wall,  # start-up included
            "client_cpu": client_cpu,  # user + system seconds of the run's process, start-up included
        }
    finally:
        server.stop()


def fast_server(tmp: Path, articles: int, run: int) -> float:
    """Part 1 once: prints its line, returns wall / ideal."""
    r = against_server(tmp, f"fast-{run}", articles, 32, None)
    print(
        f"1. -j 32, {r['articles']} articles, {LATENCY_S} s server: wall {r['seconds']:.2f} s, ideal "
        f"{r['ideal']:.2f} s ({r['answered']} requests x {LATENCY_S} / 32): wall/ideal "
        f"{r['seconds'] / r['ideal']:.2f}; peak in flight {r['peak']}, mean "
        f"{r['answered'] * LATENCY_S / r['seconds']:.1f}; {r['ok']} ok, exit {r['exit']}; "
        f"client process {r['client_cpu']:.2f} s CPU in {r['process_wall']:.2f} s (start-up included)"
    )
    return float(r["seconds"] / r["ideal"])


def make_inputs(folder: Path, count: int, corpus: bool = False) -> list[Path]:
    sources = sorted((ROOT / "seeds").glob("*.txt")) + (sorted(CORPUS.glob("*.txt")) if corpus else [])
    folder.mkdir(parents=True, exist_ok=True)
    texts = [(p.stem, p.read_bytes()) for p in sources]
    paths = []
    for i in range(count):
        stem, data = texts[i % len(texts)]
        path = folder / f"{i:05d}_{stem[:24]}.txt"
        path.write_bytes(data)
        paths.append(path)
    return paths


def without_model(tmp: Path, count: int, corpus: bool) -> dict:
    folder = tmp / f"none-in-{count}"
    make_inputs(folder, count, corpus)
    out = tmp / f"none-{count}"
    cpu_before, started = _children_cpu(), time.perf_counter()
    result = subprocess.run(
        [*CLI, "run", str(folder), "-o", str(out), "--backend", "none"], capture_output=True, text=True
    )
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    data = manifest(out)
    per_article = [r["seconds"] for r in data["articles"].values()]
    return {
        "exit": result.returncode,
        "ok": data["totals"]["ok"],
        "run_ms": 1000 * data["runs"][-1]["seconds"] / count,
        "median_ms": 1000 * statistics.median(per_article),
        "wall_s": wall,
        "cpu_ms": 1000 * cpu / count,  # the process's CPU per article, start-up included
        "out": out,
    }


def _children_cpu() -> float:
    """User + system seconds of this process's finished children (the `summarizer` runs): CPU is
    what other jobs on a shared machine change least, where wall-clock figures can double."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def memo_seconds(run_dir: Path, tmp: Path) -> tuple[int, float]:
    started = time.perf_counter()
    result = subprocess.run(
        [*CLI, "memo", str(run_dir), "-o", str(tmp / "memo.md")], capture_output=True, text=True
    )
    return result.returncode, time.perf_counter() - started


def import_seconds(args: list[str]) -> float:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *CLI[1:], *args], capture_output=True, text=True
    )
    top = re.findall(r"import time:\s+\d+ \|\s+(\d+) \| \S", result.stderr)
    return sum(int(us) for us in top) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20 articles against the server, sizes 100,1000")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--corpus", action="store_true", help="part 3 over the seeds and the corpus")
    parser.add_argument(
        "--skip", default="", help="comma list of parts to skip: server,limited,none,memo,imports"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of part 1 (the median is printed too)")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    articles = 20 if args.quick else 100
    sizes = [100, 1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as name:
        tmp = Path(name)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} cores, load average {load} (wall-clock figures move with it)")
        if "server" not in skip:
            ratios = [fast_server(tmp, articles, run) for run in range(max(1, args.repeat))]
            if len(ratios) > 1:
                listed = ", ".join(f"{r:.2f}" for r in ratios)
                print(
                    f"1. wall/ideal over {len(ratios)} runs: median {statistics.median(ratios):.2f} ({listed})"
                )
        if "limited" not in skip:
            r = against_server(tmp, "limited", articles, 32, 8)
            print(
                f"2. -j 32, {r['articles']} articles, server with 8 slots (429 beyond, Retry-After 1): "
                f"{r['ok']}/{r['articles']} done, exit {r['exit']}; 429s {r['rejected']} of {r['requests']} "
                f"requests = {100 * r['rejected'] / r['requests']:.1f}%; wall {r['seconds']:.2f} s "
                f"(ideal at 8: {r['answered'] * LATENCY_S / 8:.2f} s); peak in flight {r['peak']}; "
                f"limiter {r['limiter']}"
            )
        biggest = None
        if "none" not in skip:
            for count in sizes:
                r = without_model(tmp, count, args.corpus)
                biggest = r["out"] if count >= 1000 and biggest is None else biggest
                print(
                    f"3. --backend none, {count} articles: {r['run_ms']:.1f} ms per article (run), median "
                    f"article {r['median_ms']:.1f} ms; process CPU {r['cpu_ms']:.1f} ms per article (start-up "
                    f"included); {r['ok']} ok, exit {r['exit']}, wall {r['wall_s']:.1f} s"
                )
        if "memo" not in skip and biggest is not None:
            code, seconds = memo_seconds(biggest, tmp)
            print(f"4. memo of {biggest.name.split('-')[-1]} summaries: {seconds:.1f} s, exit {code}")
        if "imports" not in skip:
            one = make_inputs(tmp / "one", 1)[0]
            help_s = import_seconds(["--help"])
            args = ["run", str(one), "-o", str(tmp / "one-out"), "--backend", "none"]
            run_s = import_seconds(args)  # everything one article needs (cn2an, the gazetteer ...)
            start_s = import_seconds(args)  # again: resumed, so only what starting a run imports
            print(
                f"5. imports: `summarizer --help` {help_s:.2f} s; `run --backend none`: {start_s:.2f} s to "
                f"start, {run_s:.2f} s with all that summarizing one article imports"
            )


if __name__ == "__main__":
    main()
