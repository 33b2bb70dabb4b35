"""The cache and resume know who answered: endpoint and mode are part of every key."""

import json

import pytest

from summarizer.backends.base import normalize_endpoint
from summarizer.backends.openai import OpenAIBackend, OpenAISettings
from summarizer.core.config import RunConfig
from summarizer.llm.cache import cache_key
from tests.faultserver import SEEDS, FaultServer, cli_env, run_cli


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://user:sk-secret@API.Example.com:443/v1/", "https://api.example.com/v1"),
        ("http://127.0.0.1:8000/v1?key=sk-secret", "http://127.0.0.1:8000/v1"),
        ("http://localhost:80/v1", "http://localhost/v1"),
    ],
)
def test_endpoint_is_normalized_without_credentials(url, normalized):
    assert normalize_endpoint(url) == normalized


def _backend(base_url: str, mode: str = "tools") -> OpenAIBackend:
    return OpenAIBackend(OpenAISettings(model="same-name", base_url=base_url, api_key="sk-x", mode=mode))


def test_cache_key_and_fingerprint_differ_by_server_and_mode():
    messages = [{"role": "user", "content": "x"}]
    one, two = _backend("http://127.0.0.1:1/v1"), _backend("http://127.0.0.1:2/v1")
    json_mode = _backend("http://127.0.0.1:1/v1", mode="json")
    keys = {cache_key(b, messages, {}, "extract@v1", 100) for b in (one, two, json_mode)}
    assert len(keys) == 3
    config = RunConfig()
    prints = {config.fingerprint(b.identity()) for b in (one, two, json_mode)}
    assert len(prints) == 3
    assert "sk-x" not in json.dumps([b.identity() for b in (one, two, json_mode)])


def test_second_server_with_the_same_model_name_is_asked_and_recorded(tmp_path):
    first, second = FaultServer().start(), FaultServer().start()
    try:
        env = cli_env(tmp_path / "cache")
        seed = sorted(SEEDS.glob("*.txt"))[:1]
        out = tmp_path / "run"
        done = run_cli(first, seed, out, env=env, timeout_s=10)
        assert done.returncode == 0, done.stderr
        assert first.count > 0
        done = run_cli(second, seed, out, env=env, timeout_s=10)
        assert done.returncode == 0, done.stderr
        assert second.count > 0, (
            "the second server was never asked: the cache or resume served the first's answer"
        )
        summary = json.loads((out / f"{seed[0].stem}.json").read_text(encoding="utf-8"))
        assert summary["provenance"]["endpoint"] == second.url.rstrip("/")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["endpoint"] == second.url.rstrip("/")
    finally:
        first.stop()
        second.stop()
