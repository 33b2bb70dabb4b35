"""The shipped fake answers every schema the pipeline asks, and rejects scripted data cleanly."""

from enum import StrEnum
from typing import Literal

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, Field

from summarizer.backends.fake import FakeBackend, minimal_instance
from summarizer.cli import main
from summarizer.core.errors import OutputError
from summarizer.core.models import NAME_CHARS
from summarizer.strategies.decomposed import ParagraphReform
from tests.test_cli_run import SEEDS


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Inner(BaseModel):
    label: str
    kind: Literal["a", "b"]


class Outer(BaseModel):
    name: str = Field(max_length=30)
    count: int
    ratio: float | None
    colour: Colour
    inner: Inner
    items: list[Inner]
    note: str = "kept"


def test_minimal_instance_of_a_model_without_fake_default():
    value = minimal_instance(Outer)
    assert value == Outer(
        name="", count=0, ratio=None, colour=Colour.RED, inner=Inner(label="", kind="a"), items=[]
    )


def test_fake_answers_a_schema_with_required_fields_and_no_default():
    completion = FakeBackend().complete([{"role": "user", "content": "x"}], ParagraphReform, prompt_id="t@v1")
    assert completion.value == ParagraphReform(name="")


def test_scripted_data_that_does_not_validate_is_an_output_error():
    backend = FakeBackend()
    backend.enqueue({"name": "x" * (NAME_CHARS + 1)})
    with pytest.raises(OutputError, match=r"t@v1 is not a valid ParagraphReform"):
        backend.complete([{"role": "user", "content": "x"}], ParagraphReform, prompt_id="t@v1")


def test_run_fake_decomposed_summarizes_every_seed(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main, ["run", str(SEEDS), "-o", str(out), "--backend", "fake", "--strategy", "decomposed"]
    )
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("0*.json"))) == 5
