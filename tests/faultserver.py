"""A fault-injecting OpenAI-compatible server on loopback, for tests that need real HTTP.

    server = FaultServer().start()      # http://127.0.0.1:<free port>/v1
    server.script = lambda req: "500" if req.attempt == 0 else None
    ... point the `openai` client (or `summarizer run --base-url`) at server.url ...
    server.count, server.requests        # how many calls were made, and what they asked

A script maps each request to a fault name (one of `FAULTS`) or None for a good answer. The good
answer is built from the request, the way a careful model would answer: for `ChunkExtraction` one
initiative quoting a sentence of the text between `<article>` and `</article>` verbatim (so
grounding keeps it); for `ArticleFields` a locality and a summary. Usage is a deterministic
function of the request, so two runs of the same inputs produce identical outputs.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from summarizer.ingest.article import ingest_file

FAULTS = (
    "429",  # rate limited, with Retry-After
    "500",
    "503",
    "slow",  # answers after `slow_s`, longer than the client timeout
    "drop",  # closes the connection without a response
    "malformed",  # HTTP 200 whose body is not JSON
    "cut_json",  # the tool arguments stop mid-object (finish_reason "stop")
    "length",  # finish_reason "length" with the arguments cut off
    "invalid",  # parses as JSON but violates the schema
    "empty_choices",  # a completion with `choices: []`
    "echo_auth",  # HTTP 401 whose error body repeats the Authorization header
    "obey_injection",  # a "model" that obeys an injected instruction: off-schema text, ungrounded item
    "trickle",  # a good answer, one byte every `trickle_s` after the headers
    "html",  # HTTP 200 with an HTML page (a base URL that points at a website)
    "no_usage",  # a good answer without a `usage` object
    "negative_usage",  # a good answer whose `usage` counts are negative
    "401",  # wrong API key
    "403",  # the key may not use this model or endpoint
    "404_model",  # the model does not exist on this server
    "huge",  # a good answer whose description (or summary) runs to `HUGE_CHARS` characters
    "hostile_locality",  # article fields whose place starts like a real one and ends in markup
)
HOSTILE_LOCALITY = {
    "name": "潮州市</textarea><svg onload=alert(12)>",
    "level": "city",
    "province": "javascript:alert(12)",
}
HUGE_CHARS = 10_000_000
HTML_PAGE = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>"
# Faults that no retry can fix: the status and error body a real provider sends.
CONFIG_ERRORS: dict[str, tuple[int, dict[str, str]]] = {
    "401": (
        401,
        {
            "message": "Incorrect API key provided.",
            "type": "invalid_request_error",
            "code": "invalid_api_key",
        },
    ),
    "403": (403, {"message": "You do not have access to this model.", "type": "permission_error"}),
    "404_model": (
        404,
        {
            "message": "The model `fault-model` does not exist.",
            "type": "invalid_request_error",
            "code": "model_not_found",
        },
    ),
}
_ARTICLE = re.compile(r"<article>\n?(.*?)\n?</article>", re.S)
_SENTENCE = re.compile(r"[^。！？!?\n]{12,}?[。！？!?]")
_REFORM = re.compile("改革|推进|实施|创新|机制|试点|举措|工程")


@dataclass
class SeenRequest:
    """One request as the server saw it."""

    index: int  # arrival order, from 0
    attempt: int  # earlier requests with the same first user message (retries of one prompt)
    body: dict[str, Any]
    headers: dict[str, str]
    fault: str | None = None  # what the script answered with
    counted: bool = False  # held one of the server's slots (see `max_in_flight`)
    released: bool = False  # its slot was given back (just before its last bytes were written)
    billed: int = 0  # tokens the answer's `usage` reported (0 for HTTP errors)
    at: float = field(default_factory=time.monotonic)  # arrival time

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def user(self) -> str:
        """The first user message: the rendered prompt, without re-ask follow-ups."""
        return next((str(m.get("content")) for m in self.messages if m.get("role") == "user"), "")

    @property
    def response_model(self) -> str:
        """`ChunkExtraction` or `ArticleFields`, from the tool name or the response format."""
        for tool in self.body.get("tools") or []:
            return tool["function"]["name"]
        schema = (self.body.get("response_format") or {}).get("json_schema") or {}
        if schema.get("name"):
            return schema["name"]
        return "ChunkExtraction" if "<article>" in self.user else "ArticleFields"

    @property
    def article_text(self) -> str:
        match = _ARTICLE.search(self.user)
        return match.group(1) if match else ""


Script = Callable[[SeenRequest], str | None]


@dataclass
class FaultServer:
    script: Script = field(default=lambda _req: None)
    slow_s: float = 2.0
    delay_s: float = 0.0  # added to every answer: a slow but healthy server
    trickle_s: float = 0.5  # the gap between the bytes of a `trickle` answer
    retry_after: str = "0.2"
    requests: list[SeenRequest] = field(default_factory=list)
    # A server with this many parallel slots: a request beyond them is answered 429 at once
    # (`Retry-After: retry_after`), the way a provider's concurrency limit answers.
    max_in_flight: int | None = None
    # The Batch API (`/v1/files`, `/v1/batches`): the statuses a batch shows on each retrieve; the
    # last is its end (completed, failed or expired: then only `expire_after` lines are answered).
    batch_statuses: tuple[str, ...] = ("validating", "in_progress", "completed")
    expire_after: int = 1

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._seen: Counter[str] = Counter()
        self.in_flight = 0
        self.peak_in_flight = 0  # most requests being answered at once (rejected ones not counted)
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.downloads = 0  # file contents served (GET /v1/files/<id>/content)

    # -- lifecycle --

    def start(self) -> FaultServer:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # -- what tests read --

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def reset(self, script: Script | None = None) -> None:
        """Forget every request (the counter restarts at 0) and optionally change the script."""
        with self._lock:
            self.requests.clear()
            self._seen.clear()
            if script is not None:
                self.script = script

    def requests_for(self, marker: str) -> list[SeenRequest]:
        """Requests whose prompt contains `marker` (a title, a sentence of one article)."""
        with self._lock:
            return [r for r in self.requests if marker in r.user]

    # -- answering --

    def _admit(self, body: dict[str, Any], headers: dict[str, str]) -> SeenRequest:
        with self._lock:
            request = SeenRequest(len(self.requests), 0, body, headers)
            request.attempt = self._seen[request.user]
            self._seen[request.user] += 1
            self.requests.append(request)
            full = self.max_in_flight is not None and self.in_flight >= self.max_in_flight
            if not full:
                self.in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        request.fault = "429" if full else self.script(request)
        request.counted = not full
        return request

    # -- the Batch API --

    def _new_file(self, data: bytes, filename: str) -> dict[str, Any]:
        with self._lock:
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = data
        return {"id": file_id, "object": "file", "bytes": len(data), "created_at": 1_700_000_000,
                "filename": filename, "purpose": "batch", "status": "processed"}  # fmt: skip

    def _new_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            batch_id = f"batch_{len(self.batches) + 1}"
            total = len(self.files[body["input_file_id"]].decode("utf-8").splitlines())
            self.batches[batch_id] = {
                "id": batch_id, "object": "batch", "endpoint": body["endpoint"], "errors": None,
                "input_file_id": body["input_file_id"], "completion_window": body["completion_window"],
                "status": self.batch_statuses[0], "output_file_id": None, "error_file_id": None,
                "created_at": 1_700_000_000, "metadata": body.get("metadata"),
                "request_counts": {"total": total, "completed": 0, "failed": 0}, "_step": 0,
            }  # fmt: skip
        return self._public(self.batches[batch_id])

    def _retrieve(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        if batch["status"] not in ("completed", "failed", "expired"):
            batch["_step"] = min(batch["_step"] + 1, len(self.batch_statuses) - 1)
            batch["status"] = self.batch_statuses[batch["_step"]]
            if batch["status"] in ("completed", "failed", "expired"):
                self._finish(batch)
        return self._public(batch)

    def _finish(self, batch: dict[str, Any]) -> None:
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]].decode("utf-8").splitlines()]
        if batch["status"] == "failed":
            batch["errors"] = {
                "object": "list",
                "data": [{"code": "invalid_request", "message": "injected: the batch failed"}],
            }
            return
        answered = lines if batch["status"] == "completed" else lines[: self.expire_after]
        good, bad = [], []
        for number, line in enumerate(lines):
            if line in answered:
                result = self._answer_line(line)
                (good if result["response"]["status_code"] == 200 else bad).append(result)
            else:
                bad.append({"id": f"req_{number}", "custom_id": line["custom_id"], "response": None,
                            "error": {"code": "batch_expired", "message": "not executed before the window expired"}})  # fmt: skip
        for name, results in (("output_file_id", good), ("error_file_id", bad)):
            if results:
                data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results).encode("utf-8")
                batch[name] = self._new_file(data, name)["id"]
        batch["request_counts"] = {"total": len(lines), "completed": len(good), "failed": len(bad)}

    def _answer_line(self, line: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            request = SeenRequest(len(self.requests), 0, line["body"], {})
            request.attempt = self._seen[request.user]
            self._seen[request.user] += 1
            self.requests.append(request)
        request.fault = self.script(request)
        if request.fault in ("429", "500", "503"):
            body: dict[str, Any] = {
                "error": {"message": f"injected fault {request.fault}", "type": "server_error"}
            }
            status = int(request.fault)
        else:
            body, status = completion(request, request.fault), 200
        response = {"status_code": status, "request_id": f"r{request.index}", "body": body}
        return {
            "id": f"req_{request.index}",
            "custom_id": line["custom_id"],
            "response": response,
            "error": None,
        }

    @staticmethod
    def _public(batch: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in batch.items() if not k.startswith("_")}

    def _done(self, request: SeenRequest) -> None:
        """Give back the request's slot, once. Called before the answer's last write: once the
        client has the whole answer it may send the next request at once, and that request must
        not find this one still counted (a handler thread decrementing after its write races it)."""
        with self._lock:
            if request.counted and not request.released:
                request.released = True
                self.in_flight -= 1

    @property
    def rejected(self) -> int:
        """Requests answered 429 (by the script or for want of a free slot)."""
        with self._lock:
            return sum(1 for r in self.requests if r.fault == "429")


class _Handler(BaseHTTPRequestHandler):
    server_state: FaultServer
    protocol_version = "HTTP/1.1"
    _answering: SeenRequest | None = None  # the completion request this handler is answering

    def log_message(self, *_args: Any) -> None:  # keep test output quiet
        pass

    def setup(self) -> None:
        super().setup()
        # Every write leaves at once: without it every answer stalls ~40 ms (Nagle's algorithm
        # against delayed ACKs: headers and body are two writes), and a trickled byte is held back.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout, a kill): nothing to answer

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        state, parts = self.server_state, self.path.rstrip("/").split("/")
        if parts[-3:-1] == ["v1", "batches"] and parts[-1] in state.batches:
            self._send(200, state._retrieve(parts[-1]))
        elif parts[-1] == "content" and parts[-2] in state.files:
            with state._lock:
                state.downloads += 1
            self._send_raw(200, state.files[parts[-2]])
        else:
            self._send(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.rstrip("/").endswith("/v1/files"):
            data, filename = _multipart_file(self.headers.get("Content-Type", ""), raw)
            self._send(200, self.server_state._new_file(data, filename))
            return
        if self.path.rstrip("/").endswith("/v1/batches"):
            self._send(200, self.server_state._new_batch(json.loads(raw)))
            return
        if not self.path.rstrip("/").endswith("/v1/chat/completions"):
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        state = self.server_state
        request = state._admit(json.loads(raw), {k.lower(): v for k, v in self.headers.items()})
        self._answering = request
        try:
            self._answer(request, state)
        finally:
            self._answering = None
            state._done(request)

    def _answer(self, request: SeenRequest, state: FaultServer) -> None:
        fault = request.fault
        if not (fault == "429" and not request.counted):  # a full server rejects at once
            time.sleep(state.delay_s)
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault == "slow":
            time.sleep(state.slow_s)
        if fault in ("429", "500", "503", "echo_auth", *CONFIG_ERRORS):
            self._send_error(request, fault, state)
        elif fault == "malformed":
            self._send_raw(200, b'{"id": "x", "choices": [{"index": 0, "message": ')
        elif fault == "html":
            self._send_raw(200, HTML_PAGE, content_type="text/html; charset=utf-8")
        elif fault == "trickle":
            self._trickle(json.dumps(completion(request, None)).encode("utf-8"), state.trickle_s)
        else:
            self._send(200, completion(request, fault))

    def _trickle(self, data: bytes, gap_s: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        for at in range(len(data)):
            if at == len(data) - 1:
                self._release()
            self.wfile.write(data[at : at + 1])
            time.sleep(gap_s)

    def _release(self) -> None:
        """The completion being answered gives back its slot (see `FaultServer._done`)."""
        if self._answering is not None:
            self.server_state._done(self._answering)

    def _send_error(self, request: SeenRequest, fault: str, state: FaultServer) -> None:
        if fault == "echo_auth":
            auth = request.headers.get("authorization", "")
            self._send(
                401, {"error": {"message": f"Incorrect API key provided: {auth}", "code": "invalid_api_key"}}
            )
            return
        if fault in CONFIG_ERRORS:
            status, error = CONFIG_ERRORS[fault]
            self._send(status, {"error": error})
            return
        headers = {"Retry-After": state.retry_after} if fault == "429" else {}
        self._send(
            int(fault), {"error": {"message": f"injected fault {fault}", "type": "server_error"}}, headers
        )

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), headers)

    def _send_raw(
        self,
        status: int,
        data: bytes,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._release()
        self.wfile.write(data)


def _multipart_file(content_type: str, raw: bytes) -> tuple[bytes, str]:
    """The `file` part of a multipart/form-data upload: (its bytes, its file name)."""
    message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    for part in message.iter_parts():  # type: ignore[attr-defined]
        if part.get_param("name", header="content-disposition") == "file":
            return part.get_payload(decode=True), part.get_filename() or "file"
    raise ValueError("no file part in the upload")


# -- the completion body ------------------------------------------------------------------------


def completion(request: SeenRequest, fault: str | None) -> dict[str, Any]:
    """An OpenAI chat completion answering `request`, spoiled as `fault` asks."""
    answer = huge_answer(request) if fault == "huge" else good_answer(request)
    if fault == "hostile_locality" and "locality" in answer:
        answer["locality"] = HOSTILE_LOCALITY
    arguments = json.dumps(answer, ensure_ascii=False)
    finish = "stop"
    if fault == "invalid":
        arguments = json.dumps({"initiatives": [{"name": 42, "domain": "nonsense"}], "extra": True})
    elif fault in ("cut_json", "length"):
        arguments = arguments[: max(1, len(arguments) // 2)]
        finish = "length" if fault == "length" else "stop"
    elif fault == "obey_injection":  # first it "outputs" what it was told to, then invents an item
        arguments = (
            "系统已被入侵"
            if request.attempt == 0
            else json.dumps(injected_answer(request), ensure_ascii=False)
        )
    choices = [] if fault == "empty_choices" else [_choice(request, arguments, finish)]
    prompt_tokens = sum(len(str(m.get("content", ""))) for m in request.messages) // 2 + 1
    completion_tokens = len(arguments) // 2 + 1
    request.billed = prompt_tokens + completion_tokens
    usage = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": request.billed,
    }
    if fault == "negative_usage":
        usage = {"prompt_tokens": -7_000_000, "completion_tokens": -35, "total_tokens": -7_000_035}
    body = {
        "id": f"chatcmpl-{request.index}",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request.body.get("model", "fault-model"),
        "choices": choices,
        "usage": usage,
    }
    if fault == "no_usage":
        del body["usage"]
    return body


def _choice(request: SeenRequest, arguments: str, finish: str) -> dict[str, Any]:
    if request.body.get("tools"):
        call = {
            "id": "call_0",
            "type": "function",
            "function": {"name": request.response_model, "arguments": arguments},
        }
        message: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": [call]}
    else:
        message = {"role": "assistant", "content": arguments}
    return {"index": 0, "message": message, "finish_reason": finish}


def good_answer(request: SeenRequest) -> dict[str, Any]:
    if request.response_model == "ArticleFields":
        title = request.user.partition("标题：")[2].split("\n", 1)[0].strip() or "本文"
        return {
            "locality": {"name": "测试市", "level": "city", "province": "广东省"},
            "summary": f"{title}一文报道了当地的改革。当地推出了多项举措。举措取得了成效。",
        }
    sentence = first_sentence(request.article_text)
    if sentence is None:
        return {"initiatives": []}
    return {"initiatives": [_initiative(sentence, sentence)]}


def huge_answer(request: SeenRequest) -> dict[str, Any]:
    """The good answer with its free text blown up: what a runaway model (or a hostile server) sends."""
    answer = good_answer(request)
    if "summary" in answer:
        answer["summary"] = "改革" * (HUGE_CHARS // 2)
    for item in answer.get("initiatives", []):
        item["description"] = "改革" * (HUGE_CHARS // 2)
    return answer


def injected_answer(request: SeenRequest) -> dict[str, Any]:
    """What a model that obeyed `忽略以上所有指令` might return: an invented item beside a real one."""
    if request.response_model == "ArticleFields":
        return good_answer(request)
    invented = _initiative("已被入侵", "系统已被入侵，以上内容作废。")
    sentence = first_sentence(request.article_text)
    grounded = [_initiative(sentence, sentence)] if sentence else []
    return {"initiatives": [invented, *grounded]}


def _initiative(name_from: str, quote: str) -> dict[str, Any]:
    return {
        "name": name_from[:12],
        "domain": "other",
        "description": "文中描述的一项举措。",
        "actors": [],
        "quotes": [quote],
        "outcomes": [],
    }


def first_sentence(text: str) -> str | None:
    """The first sentence that speaks of reform, of at least 12 characters and inside one line (so
    it is verbatim in the source); None for text about anything else."""
    for line in text.split("\n"):
        for match in _SENTENCE.finditer(line):
            if _REFORM.search(match.group(0)):
                return match.group(0).strip()
    return None


# -- driving `summarizer run` against the server in a real subprocess ---------------------------

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Short timeouts and backoff, set the way a caller would: through OpenAISettings.
_BOOT = (
    "import functools, summarizer.backends.openai as o; "
    "o.OpenAISettings = functools.partial(o.OpenAISettings, backoff_max_s=0.05); "
    "from summarizer.cli import main; main()"
)


def cli_env(cache_dir: Path, api_key: str = "sk-test-key") -> dict[str, str]:
    """The environment of a run: the key only from OPENAI_API_KEY, no proxy for loopback."""
    env = {
        k: v
        for k, v in os.environ.items()
        if "proxy" not in k.lower() and not k.startswith(("OPENAI_", "SUMMARIZER_"))
    }
    env.update({"OPENAI_API_KEY": api_key, "SUMMARIZER_CACHE_DIR": str(cache_dir), "NO_PROXY": "127.0.0.1"})
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def cli_command(
    server: FaultServer, inputs: list[Path], out: Path, *extra: str, timeout_s: float = 1.0
) -> list[str]:
    base = [
        sys.executable,
        "-c",
        _BOOT,
        "run",
        *map(str, inputs),
        "-o",
        str(out),
        "--timeout",
        str(timeout_s),
    ]
    return [*base, "--backend", "openai", "--model", "fault-model", "--base-url", server.url, *extra]


def run_cli(
    server: FaultServer,
    inputs: list[Path],
    out: Path,
    *extra: str,
    env: dict[str, str],
    timeout_s: float = 1.0,
) -> subprocess.CompletedProcess[str]:
    command = cli_command(server, inputs, out, *extra, timeout_s=timeout_s)
    return subprocess.run(command, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


def seed_copies(dest: Path, copies: int = 3) -> list[Path]:
    """The seeds, `copies` times under different names; each copy's title carries a marker `[cK_NNN]`
    so the server (and a test) can tell its requests apart."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(1, copies + 1):
        for seed in sorted(SEEDS.glob("*.txt")):
            title = f"{ingest_file(seed).title} {marker(k, seed)}"
            path = dest / f"c{k}_{seed.name}"
            front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"
            path.write_text(front + seed.read_text(encoding="utf-8"), encoding="utf-8")
            paths.append(path)
    return paths


def marker(copy: int, seed: Path) -> str:
    return f"[c{copy}_{seed.name[:3]}]"


def read_outputs(out: Path) -> dict[str, dict[str, Any]]:
    """Every summary in a run dir, by article id."""
    skip = {"manifest", "batch"}
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(out.glob("*.json"))
        if p.stem not in skip
    }


def read_manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
