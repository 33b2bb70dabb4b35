"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from faultserver import FaultServer


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    """A fault-injecting OpenAI-compatible server on a free loopback port (see tests/faultserver.py)."""
    server = FaultServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def source_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the source files read from now on, one entry per read (issue 14: each once)."""
    import summarizer.ingest.article as article_module

    reads: list[str] = []
    real = article_module.read_article_bytes

    def counting(path):
        reads.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(article_module, "read_article_bytes", counting)
    return reads
