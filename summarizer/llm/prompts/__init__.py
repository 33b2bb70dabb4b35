"""Versioned prompt files, shipped as package data: `summarizer/llm/prompts/<task>/v<N>.md`. A released version is never edited; a change
is a new file, so every output can name the exact prompt that made it (`extract@v1`).

File format: a `# system` section and a `# user` section; `{name}` placeholders are filled by
`Prompt.render` (str.format_map, so literal braces in a prompt are written `{{` and `}}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from summarizer.core.errors import ConfigError

PROMPTS_DIR: Traversable = files(__name__)  # read through importlib.resources: works from a wheel or a zip
_SECTION = re.compile(r"^# (system|user)\s*$", re.M)


@dataclass(frozen=True)
class Prompt:
    task: str
    version: str
    system: str
    user: str

    @property
    def id(self) -> str:
        return f"{self.task}@{self.version}"

    def render(self, **values: str) -> list[dict[str, str]]:
        try:
            return [
                {"role": "system", "content": self.system.format_map(values)},
                {"role": "user", "content": self.user.format_map(values)},
            ]
        except KeyError as exc:
            raise ConfigError(
                f"prompt {self.id} expects {{{exc.args[0]}}}, which this task does not give "
                f"(it was written for another task design); choose another version with --prompt"
            ) from exc


def parse_ref(ref: str) -> tuple[str, str | None]:
    """`extract@v2` -> ("extract", "v2"); `extract` -> ("extract", None) for the latest."""
    task, _, version = ref.partition("@")
    return task, (version or None)


def latest_version(task: str, root: Traversable = PROMPTS_DIR) -> str:
    folder = root / task
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    versions = sorted((n[:-3] for n in names if re.fullmatch(r"v\d+\.md", n)), key=lambda v: int(v[1:]))
    if not versions:
        raise ConfigError(f"no prompt files in {root / task}; add {root / task}/v1.md")
    return versions[-1]


def load_prompt(ref: str, root: Traversable = PROMPTS_DIR) -> Prompt:
    task, version = parse_ref(ref)
    if not re.fullmatch(r"\w+", task) or (version is not None and not re.fullmatch(r"v\d+", version)):
        raise ConfigError(f"bad prompt reference {ref!r}; write <task>@v<N>, e.g. extract@v2")
    version = version or latest_version(task, root)
    path = root / task / f"{version}.md"
    if not path.is_file():
        raise ConfigError(f"prompt {task}@{version} not found ({path}); check --prompt")
    parts = _SECTION.split(path.read_text(encoding="utf-8"))
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=False))
    if "user" not in sections:
        raise ConfigError(f"{path}: no '# user' section")
    return Prompt(task, version, sections.get("system", ""), sections["user"])
