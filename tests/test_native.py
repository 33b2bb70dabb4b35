"""The native runtime is portable (no AVX-512/AMX), and a native crash is one clear line."""

import shutil
import subprocess
import sys

import pytest

from summarizer import native
from summarizer.core.errors import ConfigError

needs_objdump = pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump not installed (binutils)")
needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc not installed")


@needs_objdump
@needs_gcc
def test_the_check_finds_avx512_in_a_library_built_for_it(tmp_path):
    source = tmp_path / "wide.c"
    source.write_text(
        "#include <immintrin.h>\n"
        "void add(float *a, float *b) { _mm512_storeu_ps(a, _mm512_add_ps(_mm512_loadu_ps(a), _mm512_loadu_ps(b))); }\n"
    )
    library = tmp_path / "libwide.so"
    subprocess.run(
        ["gcc", "-O2", "-mavx512f", "-shared", "-fPIC", str(source), "-o", str(library)], check=True
    )
    assert native.forbidden_instructions(library) > 0


@needs_objdump
def test_installed_ggml_has_no_avx512_or_amx_instructions():
    libraries = [p for p in native.ggml_libraries() if "ggml-cpu" in p.name]
    if not libraries:
        pytest.skip("llama-cpp-python is not installed (./scripts/install)")
    for library in libraries:
        assert native.forbidden_instructions(library) == 0, f"{library} is a host-specific build"


_CRASH = "import os, signal; os.kill(os.getpid(), signal.SIGILL)"


@pytest.fixture
def fake_runtime(tmp_path, monkeypatch):
    """A stand-in ggml library and an empty cache, so `native.probe` runs whatever `_PROBE` says."""
    library = tmp_path / "libggml-cpu.so"
    library.write_bytes(b"\x7fELF")
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(native, "ggml_libraries", lambda: [library])


@pytest.mark.usefixtures("fake_runtime")
def test_a_native_crash_in_the_probe_is_one_line_naming_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "_PROBE", _CRASH)
    with pytest.raises(ConfigError) as caught:
        native.probe(str(tmp_path / "model.gguf"))
    message = str(caught.value)
    assert "\n" not in message
    assert "instruction this CPU does not run" in message and "./scripts/install" in message


@pytest.mark.usefixtures("fake_runtime")
def test_a_probe_that_succeeds_is_remembered(monkeypatch):
    monkeypatch.setattr(native, "_PROBE", "pass")
    native.probe("m.gguf")
    monkeypatch.setattr(native, "_PROBE", _CRASH)
    native.probe("m.gguf")  # remembered: no second child process


def test_check_command_runs():
    done = subprocess.run(
        [sys.executable, "-m", "summarizer.native", "check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
