"""Types over strings (issue 14): strategy, backend kind and mode are `StrEnum`s, written as their
values (fingerprints and outputs unchanged); every command takes typed parameters."""

from __future__ import annotations

import importlib
import inspect
import json
from typing import Any, get_type_hints

import click
import pytest

from summarizer.backends.base import backend_details
from summarizer.backends.fake import FakeBackend
from summarizer.backends.openai import OpenAISettings
from summarizer.cli import COMMANDS
from summarizer.core.config import BackendKind, BackendOptions, Mode, RunConfig, Strategy
from summarizer.core.errors import ConfigError
from summarizer.core.models import Provenance


def test_names_given_as_strings_become_the_enums() -> None:
    assert RunConfig(strategy="rules").strategy is Strategy.rules  # type: ignore[arg-type]
    assert RunConfig.for_backend("local").strategy is Strategy.decomposed
    assert RunConfig.for_backend("a-test-backend").strategy is Strategy.rules
    options = BackendOptions(kind="fake", mode="json_schema")  # type: ignore[arg-type]
    assert options.kind is BackendKind.fake and options.mode is Mode.json_schema
    assert BackendOptions(model="m").resolved_kind() is BackendKind.openai
    assert OpenAISettings(model="m", mode="json").mode is Mode.json  # type: ignore[arg-type]


def test_unknown_names_are_one_line_errors_where_they_were() -> None:
    with pytest.raises(
        ConfigError, match="unknown strategy 'fast'; use one of single, decomposed, choose, rules"
    ):
        RunConfig(strategy="fast")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="unknown backend 'gpu'; use one of openai, local, fake, none"):
        BackendOptions(kind="gpu")  # type: ignore[arg-type]
    # SUMMARIZER_MODE means something only to an OpenAI-compatible backend: refused when one is built.
    options = BackendOptions.from_env({"SUMMARIZER_MODE": "toolz"}, kind="none")
    assert options.mode == "toolz"
    from summarizer.backends.factory import build_backend

    assert build_backend(options) is None
    with pytest.raises(ConfigError, match="unknown SUMMARIZER_MODE 'toolz'"):
        build_backend(BackendOptions.from_env({"SUMMARIZER_MODE": "toolz"}, kind="openai", model="m"))


def test_enums_are_written_as_their_values() -> None:
    assert json.dumps([Strategy.decomposed, BackendKind.none, Mode.json_schema]) == (
        '["decomposed", "none", "json_schema"]'
    )
    written = Provenance(backend=BackendKind.fake, model="fake", strategy=Strategy.single).model_dump_json()
    assert '"backend":"fake"' in written and '"strategy":"single"' in written
    assert f"{Strategy.rules}" == "rules" and str(Mode.tools) == "tools"


def test_fingerprints_are_those_of_the_string_configs() -> None:
    """What resume compares: the seeds' runs before the enums recorded these fingerprints."""
    assert RunConfig.for_backend("none").fingerprint(backend_details(None)) == "5ab605153b0360ef"
    assert RunConfig.for_backend("fake").fingerprint(backend_details(FakeBackend())) == "3fa76506c6e319a1"


def _callbacks() -> list[tuple[str, click.Command]]:
    found = []
    for name, (module, attribute, _) in COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        commands = command.commands.items() if isinstance(command, click.Group) else [("", command)]
        found += [(f"{name} {sub}".strip(), cmd) for sub, cmd in commands]
    return found


@pytest.mark.parametrize(("name", "command"), _callbacks(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_takes_typed_parameters(name: str, command: click.Command) -> None:
    callback = inspect.unwrap(command.callback)  # type: ignore[arg-type]
    signature = inspect.signature(callback)
    hints = get_type_hints(callback)
    for parameter in signature.parameters.values():
        assert parameter.kind is not parameter.VAR_KEYWORD, f"{name}: **{parameter.name}"
        assert parameter.name in hints and hints[parameter.name] is not Any, f"{name}: {parameter.name}"
    # every option click passes has a parameter of its own
    assert {p.name for p in command.params} <= set(signature.parameters), name
