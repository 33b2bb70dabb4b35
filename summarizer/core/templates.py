"""The one Jinja environment factory: memos, the evidence viewer and the evaluation report all load
their templates through `template_environment`.

Every printed value is escaped: HTML by jinja's autoescape (on unless a caller turns it off for a
format with an escaper of its own, Markdown's `finalize`), and bidi controls isolated by the default
`finalize` (`summarizer.core.bidi`). Imported only by the commands that render (jinja2 is not loaded
by `summarizer run`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jinja2

from summarizer.core import bidi


def template_environment(
    package: str,
    *,
    autoescape: bool = True,
    finalize: Callable[[Any], Any] = bidi.finalize,
    trim_blocks: bool = True,
    keep_trailing_newline: bool = True,
    strict: bool = False,
    filters: Mapping[str, Callable[..., Any]] | None = None,
) -> jinja2.Environment:
    """An environment over `<package>/templates/`.

    `autoescape` stays on for HTML; only a Markdown environment, whose `finalize` escapes, turns
    it off. `trim_blocks` also strips the indentation before a block tag (`lstrip_blocks`).
    `strict` makes an undefined name an error (`StrictUndefined`)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=autoescape,
        finalize=finalize,
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
        keep_trailing_newline=keep_trailing_newline,
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
    )
    env.filters.update(filters or {})
    return env
