"""Issue 12, rows 7, 9-11 and 12: servers that are slow, wrong or miscounting, met through the CLI.

Every test runs `summarizer run` in a real subprocess against the loopback fault server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from faultserver import SEEDS, FaultServer, SeenRequest, cli_env, read_manifest, run_cli, seed_copies

from summarizer.core.errors import InputError
from summarizer.core.models import DESCRIPTION_CHARS, SUMMARY_CHARS, ArticleSummary

ONE = [SEEDS / "000_85ee287e49764f57.txt"]


# -- row 7: `--timeout` bounds the whole request ------------------------------------------------


def test_timeout_is_a_deadline_for_a_body_sent_one_byte_at_a_time(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    fault_server.script = lambda _req: "trickle"
    fault_server.trickle_s = 0.2  # a gap well under the timeout; the whole body would take minutes
    result = run_cli(
        fault_server, ONE, tmp_path / "out", "--max-attempts", "2", env=cli_env(tmp_path / "c"), timeout_s=2
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {ONE[0]}: APITimeoutError: Request timed out."]
    first, second = fault_server.requests
    # The retry began when the deadline cut the first answer, not when its body ended.
    assert 2 <= second.at - first.at < 10
    assert read_manifest(tmp_path / "out")["articles"][ONE[0].stem]["failed_attempts"] == {
        "APITimeoutError": 2
    }


# -- row 11: a wrong key, model or URL stops the run at once -------------------------------------


@pytest.mark.parametrize(
    ("fault", "variable", "said", "jobs"),
    [
        ("401", "OPENAI_API_KEY", "rejected the API key (HTTP 401: Incorrect API key provided.)", "1"),
        ("401", "OPENAI_API_KEY", "rejected the API key (HTTP 401: Incorrect API key provided.)", "4"),
        ("403", "OPENAI_API_KEY", "refused model 'fault-model' to this key (HTTP 403:", "4"),
        ("404_model", "SUMMARIZER_MODEL", "has no model 'fault-model' (HTTP 404:", "4"),
    ],
)
def test_refused_settings_stop_the_run_with_one_line(
    fault_server: FaultServer, tmp_path: Path, fault: str, variable: str, said: str, jobs: str
) -> None:
    fault_server.script = lambda _req: fault
    inputs = seed_copies(tmp_path / "in", copies=4)  # 20 articles
    result = run_cli(fault_server, inputs, tmp_path / "out", "-j", jobs, env=cli_env(tmp_path / "c"))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {fault_server.url} ") and said in line and f"set {variable}" in line
    assert result.stdout == ""
    assert fault_server.count <= int(jobs)  # the requests already in flight, none after


def test_a_path_that_is_no_api_names_the_base_url(fault_server: FaultServer, tmp_path: Path) -> None:
    root = fault_server.url.removesuffix("/v1")  # the server's root, not its API root
    result = run_cli(fault_server, ONE, tmp_path / "out", "--base-url", root, env=cli_env(tmp_path / "c"))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "has no chat completions endpoint (HTTP 404: no route" in line and "set OPENAI_BASE_URL" in line


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1/v1", "http://"])
def test_a_base_url_that_is_not_a_url_is_a_usage_error(
    fault_server: FaultServer, tmp_path: Path, url: str
) -> None:
    result = run_cli(fault_server, ONE, tmp_path / "out", "--base-url", url, env=cli_env(tmp_path / "c"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: OPENAI_BASE_URL (or --base-url) {url!r} is not an http(s) URL; "
        "give the API root, e.g. http://127.0.0.1:8000/v1"
    ]
    assert fault_server.count == 0


# -- row 10: a 200 that is not JSON -------------------------------------------------------------


def test_a_web_page_at_the_base_url_is_named_after_one_request(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    fault_server.script = lambda _req: "html"
    inputs = seed_copies(tmp_path / "in", copies=1)
    result = run_cli(fault_server, inputs, tmp_path / "out", env=cli_env(tmp_path / "c"))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(
        f"error: {fault_server.url} is not an OpenAI-compatible API: it answered HTTP 200 with"
    )
    assert "text/html" in line and "'<!DOCTYPE html><html><head><title>Welcome</title>" in line
    assert "set OPENAI_BASE_URL" in line and "AttributeError" not in line
    assert fault_server.count == 1


# -- row 9: no usage, or negative usage ---------------------------------------------------------


@pytest.mark.parametrize("fault", ["no_usage", "negative_usage"])
def test_unknown_usage_is_estimated_so_the_ceiling_holds(
    fault_server: FaultServer, tmp_path: Path, fault: str
) -> None:
    fault_server.script = lambda _req: fault
    inputs = seed_copies(tmp_path / "in", copies=1)
    out = tmp_path / "out"
    result = run_cli(fault_server, inputs, out, "--max-tokens-total", "100", env=cli_env(tmp_path / "c"))
    assert result.returncode == 1
    assert result.stderr.startswith("stopped: token ceiling reached")
    assert "0 ok, 0 resumed, 0 failed, 5 skipped; 0 tokens" in result.stdout
    assert fault_server.count == 1  # the first call is allowed; its estimate spends the ceiling
    manifest = read_manifest(out)
    assert manifest["totals"]["prompt_tokens"] == manifest["totals"]["completion_tokens"] == 0  # unknown
    first = manifest["articles"][inputs[0].stem]
    assert first["status"] == "skipped" and first["attempts"] == 1


# -- row 12: a 10-million-character description ------------------------------------------------


def test_runaway_text_is_refused_not_stored(fault_server: FaultServer, tmp_path: Path) -> None:
    # The extraction's first answer carries a 10M-character description (re-asked, then answered
    # well); every answer for the article fields carries a 10M-character summary.
    def script(req: SeenRequest) -> str | None:
        if req.response_model == "ArticleFields" or req.attempt == 0:
            return "huge"
        return None

    fault_server.script = script
    out = tmp_path / "out"
    result = run_cli(fault_server, ONE, out, "--no-cache", env=cli_env(tmp_path / "c"), timeout_s=30)
    assert result.returncode == 0, result.stderr
    sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    assert max(sizes.values()) < 100_000, sizes
    summary = ArticleSummary.model_validate_json((out / f"{ONE[0].stem}.json").read_text(encoding="utf-8"))
    assert summary.initiatives and all(len(i.description) <= DESCRIPTION_CHARS for i in summary.initiatives)
    assert len(summary.summary) <= SUMMARY_CHARS  # the extractive fallback, not the model's
    failed = [a.error for a in summary.provenance.attempts if not a.ok]  # type: ignore[union-attr]
    assert failed and all("at most" in (e or "") for e in failed)


def test_stored_text_over_its_limit_is_refused_on_reading(tmp_path: Path) -> None:
    from summarizer.runs.reading import load_summary

    path = tmp_path / "x.json"
    summary = {
        "article_id": "x",
        "title": "t",
        "locality": {"name": "潮州市", "level": "city"},
        "summary": "s",
        "initiatives": [
            {"name": "n", "domain": "other", "description": "长" * 10_000_000, "evidence": [{"text": "e"}]}
        ],
    }
    path.write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=r"initiatives\.0\.description: String should have at most 600"):
        load_summary(path)


def test_the_deadline_starts_when_the_request_leaves_not_while_it_waits_for_a_slot(
    fault_server: FaultServer,
) -> None:
    """A rate limiter (a transport above the network) may hold a request back longer than the
    deadline; the server's time starts when the request goes out."""
    import time

    import httpx2

    from summarizer.backends.httpclient import ApiHttpClient

    class WaitingTransport(httpx2.BaseTransport):
        def __init__(self, wait_s: float) -> None:
            self.inner, self.wait_s = httpx2.HTTPTransport(), wait_s

        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            time.sleep(self.wait_s)  # the limiter's queue
            return self.inner.handle_request(request)

    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    with ApiHttpClient(1.0, transport=WaitingTransport(2.0)) as client:
        response = client.post(f"{fault_server.url}/chat/completions", json=body)
    assert response.status_code == 200 and response.json()["choices"]
    fault_server.script = lambda _req: "trickle"
    fault_server.trickle_s = 0.2  # a body of ~3 KB: ten minutes, cut at the deadline
    started = time.monotonic()
    with ApiHttpClient(2.0, transport=WaitingTransport(1.0)) as client, pytest.raises(httpx2.ReadTimeout):
        client.post(f"{fault_server.url}/chat/completions", json=body)
    assert 3.0 <= time.monotonic() - started < 6.0  # 1 s in the queue, 2 s with the server
