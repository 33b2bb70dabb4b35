import pytest

from summarizer.errors import ConfigError
from summarizer.prompts import PROMPTS_DIR, load_prompt


@pytest.mark.parametrize(
    "path", sorted(PROMPTS_DIR.glob("*/v*.md")), ids=lambda p: f"{p.parent.name}@{p.stem}"
)
def test_every_prompt_file_loads_and_renders(path):
    prompt = load_prompt(f"{path.parent.name}@{path.stem}")
    assert prompt.user
    names = {
        "title": "t",
        "text": "x",
        "chunk_number": "1",
        "chunk_count": "1",
        "lead": "l",
        "initiatives": "i",
    }
    try:
        messages = prompt.render(**names)
    except KeyError:
        pytest.skip("prompt takes other values")  # decomposed prompts have their own fields
    assert messages[0]["role"] == "system" and messages[1]["role"] == "user"


def test_missing_version_names_the_flag():
    with pytest.raises(ConfigError, match="--prompt"):
        load_prompt("extract@v999")


def test_latest_version_is_default():
    versions = sorted(int(p.stem[1:]) for p in (PROMPTS_DIR / "extract").glob("v*.md"))
    assert load_prompt("extract").version == f"v{versions[-1]}"
