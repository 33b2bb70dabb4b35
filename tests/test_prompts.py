import string

import pytest

from summarizer.core.errors import ConfigError
from summarizer.llm.prompts import PROMPTS_DIR, load_prompt


def _placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(
    "path", sorted(PROMPTS_DIR.glob("*/v*.md")), ids=lambda p: f"{p.parent.name}@{p.stem}"
)
def test_every_prompt_file_loads_and_renders(path):
    prompt = load_prompt(f"{path.parent.name}@{path.stem}")
    names = _placeholders(prompt.system) | _placeholders(prompt.user)
    messages = prompt.render(**{name: f"<{name}>" for name in names})
    assert [m["role"] for m in messages] == ["system", "user"]
    rendered = messages[0]["content"] + messages[1]["content"]
    assert all(f"<{name}>" in rendered for name in names)


def test_missing_version_names_the_flag():
    with pytest.raises(ConfigError, match="--prompt"):
        load_prompt("extract@v999")


def test_latest_version_is_default():
    versions = sorted(int(p.stem[1:]) for p in (PROMPTS_DIR / "extract").glob("v*.md"))
    assert load_prompt("extract").version == f"v{versions[-1]}"


def test_a_prompt_for_another_task_design_is_a_config_error():
    prompt = load_prompt("decomposed@v1")  # the candidate-judging design, superseded by v2
    with pytest.raises(ConfigError, match="--prompt"):
        prompt.render(paragraph="一段文字")
