"""Bidirectional control characters in data, isolated so they cannot reorder the page around them.

A U+202E (right-to-left override) in a title reverses everything printed after it, up to the end
of the paragraph ("Trojan Source"): `abc\u202e.exe` can show as another name, a memo line can show
a figure backwards. Wrapped in FSI … PDI (U+2068 … U+2069) a value's controls act only inside
it. HTML's `<bdi>` isolates the same way in element content, but not inside `<title>` or an
attribute value, so the HTML pages and the Markdown memo all get the two characters (from the
templates' `finalize`, only around values that hold a control). A PDI inside a value that would
close the wrapper early is dropped.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

FSI, PDI = "\u2068", "\u2069"
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ISOLATE_OPENERS = "\u2066\u2067\u2068"


def has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def isolate(text: str) -> str:
    """`text`, wrapped in FSI … PDI when it holds a bidi control; unchanged otherwise."""
    if not has_controls(text):
        return text
    return FSI + _without_stray_closers(text) + PDI


def _without_stray_closers(text: str) -> str:
    kept, depth = [], 0
    for ch in text:
        if ch in _ISOLATE_OPENERS:
            depth += 1
        elif ch == PDI:
            if depth == 0:
                continue  # would close the wrapper, not an isolate of its own
            depth -= 1
        kept.append(ch)
    return "".join(kept)


def finalize(value: Any) -> Any:
    """Jinja `finalize` for HTML templates: every printed string isolated; markup built by the
    code (links, citations, the page script) left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return isolate(value)
    return value
