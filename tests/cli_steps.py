"""Several `summarizer` commands in one child process (imports are paid once), for tests that need
a process of their own: a umask, or only an installed wheel on the path.

    result = run_steps([["run", "seeds", "-o", "out"], ["cd", "elsewhere"], ["memo", ...]], cwd, pythonpath)
    exit_lines(result)      # ["EXIT 0 [\"run\", ...]", ...]: one per step, `cd` steps excepted
    imported_from(result)   # the files summarizer, its prompts and its CLI were imported from
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Prints where summarizer came from, then each step's exit status, one per line; a step
# ["cd", DIR] moves the child to another folder.
STEPS_SCRIPT = """
import json, sys
import summarizer, summarizer.llm.prompts, summarizer.cli
print("FROM", json.dumps([summarizer.__file__, summarizer.llm.prompts.__file__, summarizer.cli.__file__]))
import os
from summarizer.cli import main
for args in json.loads(sys.argv[1]):
    if args[0] == "cd":
        os.chdir(args[1])
        continue
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    print("EXIT", code, json.dumps(args), flush=True)
"""


def run_steps(
    steps: list[list[str]], cwd: Path, pythonpath: Path, *, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `steps` in a child with only `pythonpath` on PYTHONPATH, a response cache in `cwd/cache`,
    no API key, and `umask` when given."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "SUMMARIZER_CACHE_DIR": str(cwd / "cache")}
    env.pop("OPENAI_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-c", STEPS_SCRIPT, json.dumps(steps)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=None if umask is None else (lambda: os.umask(umask)),
    )


def exit_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("EXIT ")]


def imported_from(result: subprocess.CompletedProcess[str]) -> list[str]:
    lines = result.stdout.splitlines()
    return next((json.loads(line[5:]) for line in lines if line.startswith("FROM ")), [])
