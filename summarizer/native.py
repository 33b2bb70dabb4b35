"""The native runtime (llama.cpp inside llama-cpp-python): is it portable, and does it run here?

`scripts/install` builds llama-cpp-python for an x86-64-v3 baseline (AVX2, FMA, F16C) without
AVX-512 or AMX, because a build for the build machine's every feature dies with "Illegal
instruction" on the next machine. Two checks keep that promise:

- `python -m summarizer.native check`: disassembles the installed ggml CPU library (objdump) and
  refuses it when it holds AMX or AVX-512 instructions (a wheel built elsewhere with native flags,
  picked up from a cache); one line and exit 1, naming the fix.
- `probe()`: before the first model load in a process, a short child process loads the same
  library and runs it on a few tokens. If the child dies by a signal (SIGILL), the caller gets one
  `ConfigError` line naming the cause and the fix instead of the whole batch vanishing. The result
  is remembered per library file (path, size, mtime) in the user cache, so it runs once.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from summarizer.core.config import native_probe_dir
from summarizer.core.errors import ConfigError

REBUILD = "rebuild it portably with ./scripts/install (it compiles llama-cpp-python for x86-64-v3)"
# AMX tile instructions and any use of the AVX-512 register file (zmm, opmask k1-k7 writes).
_FORBIDDEN = re.compile(
    r"\b(?:tilezero|tileloadd|tileloaddt1|tilestored|tdpb[su]{2}d|tdpbf16ps|ldtilecfg|sttilecfg)\b|%zmm\d|\{%k[1-7]\}"
)
_PROBE = (
    "import sys, llama_cpp; "
    "m = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=64, n_threads=1, verbose=False); "
    "m.create_completion('1', max_tokens=1)"
)


def ggml_libraries() -> list[Path]:
    """The shared libraries llama-cpp-python installed (libggml-cpu*, libllama …)."""
    try:
        import llama_cpp
    except ImportError:
        return []
    lib = Path(llama_cpp.__file__).parent / "lib"
    return sorted({p.resolve() for p in lib.glob("lib*.so*")})


def forbidden_instructions(library: Path) -> int | None:
    """How many AMX/AVX-512 instructions `library` holds, or None when objdump is missing."""
    objdump = shutil.which("objdump")
    if objdump is None:
        return None
    done = subprocess.run([objdump, "-d", "--no-show-raw-insn", str(library)], capture_output=True, text=True)
    return sum(1 for line in done.stdout.splitlines() if _FORBIDDEN.search(line))


def check() -> int:
    """Exit status of `python -m summarizer.native check`."""
    libraries = [p for p in ggml_libraries() if "ggml" in p.name or "llama" in p.name]
    if not libraries:
        print("llama-cpp-python is not installed; nothing to check (the local model needs ./scripts/install)")
        return 0
    for library in libraries:
        found = forbidden_instructions(library)
        if found is None:
            print("objdump not found; skipped the portability check of the native runtime")
            return 0
        if found:
            print(
                f"error: {library} holds {found} AVX-512/AMX instructions (a host-specific build); {REBUILD}"
            )
            return 1
    print(f"native runtime portable: {len(libraries)} libraries, no AVX-512/AMX instructions")
    return 0


def _stamp(libraries: list[Path], model_path: str) -> str:
    parts = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in libraries] + [model_path]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _probe_file() -> Path:
    return native_probe_dir() / "native-probe.json"


def probe(model_path: str, timeout_s: float = 120.0) -> None:
    """Raise `ConfigError` (one line) when the native runtime dies on this machine."""
    libraries = ggml_libraries()
    if not libraries:
        return
    stamp, record = _stamp(libraries, model_path), _probe_file()
    try:
        if json.loads(record.read_text(encoding="utf-8")).get(stamp) == "ok":
            return
    except (OSError, ValueError):
        pass
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, model_path],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if done.returncode < 0:
        name = signal.Signals(-done.returncode).name
        cause = "an instruction this CPU does not run" if name == "SIGILL" else f"signal {name}"
        raise ConfigError(f"the local model's native runtime (llama.cpp) died with {cause}; {REBUILD}")
    if done.returncode != 0:
        return  # a Python-level failure: the in-process load reports it with its own message
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({stamp: "ok"}), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["check"]:
        print("usage: python -m summarizer.native check", file=sys.stderr)
        sys.exit(2)
    sys.exit(check())
