"""Only the CLI and `summarizer.core.config` read the environment (issue 14, "no hidden effects").

Settings are read in one place and passed down: the CLI's flags, and `core/config.py`
(`BackendOptions.from_env`, `cache_dir`, `native_probe_dir`). import-linter cannot express this
contract (reading `os.environ` is an attribute access, not an import), so this test walks the AST of
every module of the package and fails on any environment read elsewhere. The second test plants a
read in a copy of the package and checks that the walk finds it: the contract can fail.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
ALLOWED = ("cli/", "core/config.py")  # relative to the package
# os.environ / os.environb / os.getenv / os.getenvb (and the writers, which are reads' partners):
# as an attribute of any module (`os.environ`, `posix.environ`) or a name imported from `os`.
ENVIRONMENT = frozenset({"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"})


def environment_reads(package: Path) -> list[str]:
    """`path:line: what` for every environment access outside the allowed modules."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith(ALLOWED):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT:
                found.append(f"{relative}:{node.lineno}: .{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module in ("os", "posix"):
                for alias in node.names:
                    if alias.name in ENVIRONMENT or alias.name == "*":
                        found.append(f"{relative}:{node.lineno}: from {node.module} import {alias.name}")
    return found


def test_only_the_cli_and_config_read_the_environment() -> None:
    assert environment_reads(PACKAGE) == []


def test_a_planted_environment_read_is_found(tmp_path: Path) -> None:
    copy = tmp_path / "summarizer"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert environment_reads(copy) == []
    (copy / "stages" / "planted.py").write_text(
        "import os\nfrom os import getenv\n\nLIMIT = os.environ.get('LIMIT')\nDEBUG = getenv('DEBUG')\n",
        encoding="utf-8",
    )
    (copy / "runs" / "planted_too.py").write_text(
        "import os as o\n\nHOME = o.environ['HOME']\n", encoding="utf-8"
    )
    assert environment_reads(copy) == [
        "runs/planted_too.py:3: .environ",
        "stages/planted.py:2: from os import getenv",
        "stages/planted.py:4: .environ",
    ]
