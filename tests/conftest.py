"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

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
