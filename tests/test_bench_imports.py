"""Every bench script still imports against the package (a moved function broke one silently)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("script", sorted(BENCH.glob("*.py")), ids=lambda p: p.name)
def test_bench_script_imports(script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", [str(BENCH), *sys.path])
    namespace = runpy.run_path(str(script), run_name="bench_import_check")  # main() not called
    assert callable(namespace.get("main")), f"{script.name} has no main()"
