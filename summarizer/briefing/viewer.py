"""The evidence viewer: one self-contained HTML page per article.

The page shows the decoded source text with every evidence span highlighted where grounding put
it (initiatives and outcomes in different colours, figures bold) and a side list of the items.
Spans may overlap, so the text is cut at every span boundary and each piece carries the keys of
the spans covering it (`data-keys`); the pieces of one span, joined, are exactly its text.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment
from markupsafe import Markup

from summarizer.briefing.memo_run import domain_label, run_dir_of, span_key, viewer_filename
from summarizer.core.errors import InputError
from summarizer.core.models import ArticleSummary
from summarizer.core.spans import PlacedSpan, place_span
from summarizer.core.templates import template_environment
from summarizer.runs.reading import find_source, load_summary, read_source

VIEW_DIR = "view"


class MarkKind(StrEnum):
    """What a highlighted interval shows; its value is the CSS class suffix (`ev-outcome`)."""

    initiative = "initiative"
    outcome = "outcome"
    figure = "figure"


@dataclass(frozen=True)
class Mark:
    """One highlighted interval of the source: a span (key set) or a figure inside an outcome."""

    start: int
    end: int
    key: str
    kind: MarkKind
    label: str


@dataclass
class Piece:
    text: str
    marks: list[Mark] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)

    @property
    def keys(self) -> str:
        return " ".join(m.key for m in self.marks if m.kind is not MarkKind.figure)

    @property
    def figure(self) -> str:
        return " ".join(m.key for m in self.marks if m.kind is MarkKind.figure)

    @property
    def css(self) -> str:
        return " ".join(sorted({f"ev-{m.kind}" for m in self.marks}))

    @property
    def tooltip(self) -> str:
        return "\n".join(dict.fromkeys(m.label for m in self.marks if m.kind is not MarkKind.figure))


@dataclass
class SideSpan:
    key: str
    placed: PlacedSpan


@dataclass
class SideOutcome:
    span: SideSpan
    description: str
    value_text: str | None
    metric: str | None


@dataclass
class SideInitiative:
    key: str
    name: str
    domain: str
    description: str
    actors: list[str]
    evidence: list[SideSpan]
    outcomes: list[SideOutcome]


def side_items(summary: ArticleSummary, text: str | None) -> list[SideInitiative]:
    """The summary's items with each evidence span placed in `text` (see `place_span`)."""
    items = []
    for i, ini in enumerate(summary.initiatives, 1):
        evidence = [SideSpan(span_key(i, "e", k), place_span(s, text)) for k, s in enumerate(ini.evidence, 1)]
        outcomes = [
            SideOutcome(
                SideSpan(span_key(i, "o", m), place_span(o.evidence, text)),
                o.description,
                o.value_text,
                o.metric,
            )
            for m, o in enumerate(ini.outcomes, 1)
        ]
        items.append(
            SideInitiative(
                f"i{i}",
                ini.name,
                domain_label(ini.domain.value),
                ini.description,
                ini.actors,
                evidence,
                outcomes,
            )
        )
    return items


def collect_marks(items: list[SideInitiative]) -> list[Mark]:
    marks: list[Mark] = []
    for ini in items:
        for ev in ini.evidence:
            if ev.placed.start is not None:
                marks.append(
                    Mark(ev.placed.start, ev.placed.end or 0, ev.key, MarkKind.initiative, f"举措 {ini.name}")
                )
        for out in ini.outcomes:
            placed = out.span.placed
            if placed.start is None:
                continue
            label = f"成效 {ini.name}: {out.description}"
            marks.append(Mark(placed.start, placed.end or 0, out.span.key, MarkKind.outcome, label))
            at = placed.text.find(out.value_text) if out.value_text else -1
            if out.value_text and at >= 0:
                start = placed.start + at
                marks.append(
                    Mark(start, start + len(out.value_text), out.span.key, MarkKind.figure, out.value_text)
                )
    return marks


def cut_pieces(text: str, marks: list[Mark]) -> list[Piece]:
    """`text` cut at every mark boundary; each piece lists the marks covering it."""
    bounds = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    starts: dict[int, list[str]] = {}
    for m in marks:
        if m.kind is not MarkKind.figure:
            starts.setdefault(m.start, []).append(m.key)
    pieces = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        covering = [m for m in marks if m.start <= a and b <= m.end]
        pieces.append(Piece(text[a:b], covering, starts.get(a, [])))
    return pieces


def placement_notes(items: list[SideInitiative]) -> dict[str, int]:
    """How many spans were placed each way (exact, searched, corrected, missing)."""
    counts: dict[str, int] = {}
    for ini in items:
        for side in [*ini.evidence, *(o.span for o in ini.outcomes)]:
            counts[side.placed.placement] = counts.get(side.placed.placement, 0) + 1
    return counts


@functools.cache
def _environment() -> Environment:
    return template_environment(
        "summarizer.briefing", keep_trailing_newline=False, filters={"domain_label": domain_label}
    )


def _script() -> tuple[Markup, str]:
    """The page's one script and its CSP hash: nothing else on the page may run."""
    source = (
        files("summarizer.briefing")
        .joinpath("templates")
        .joinpath("viewer_script.js.j2")
        .read_text(encoding="utf-8")
    )
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return Markup(source), f"sha256-{digest}"


def render_viewer(summary: ArticleSummary, text: str, source_name: str = "") -> str:
    items = side_items(summary, text)
    script, script_hash = _script()
    return (
        _environment()
        .get_template("viewer.html.j2")
        .render(
            s=summary,
            items=items,
            pieces=cut_pieces(text, collect_marks(items)),
            counts=placement_notes(items),
            source_name=source_name,
            script=script,
            script_hash=script_hash,
        )
    )


def viewer_href(article_id: str, key: str | None = None, view_dir: str = VIEW_DIR) -> str:
    """The relative link from a memo (or report) folder to an article's page, at one span."""
    href = f"{view_dir}/{quote(viewer_filename(article_id))}"
    return f"{href}#span-{key}" if key else href


def write_viewer(
    summary: ArticleSummary,
    run_dir: Path,
    out: Path,
    sources: Path | None = None,
    read: Callable[[Path], str] = read_source,
) -> Path | None:
    """Write the page of `summary` to `out`; None when its source article cannot be found."""
    source = find_source(summary.article_id, run_dir, sources)
    if source is None:
        return None
    return save_viewer(summary, read(source), source.name, out)


def save_viewer(summary: ArticleSummary, text: str, source_name: str, out: Path) -> Path:
    """Write the page of `summary` over its already decoded source `text` to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_viewer(summary, text, source_name), encoding="utf-8")
    return out


def view_summary_file(path: Path, out: Path | None = None, sources: Path | None = None) -> Path:
    """`summarizer view`: the page of one summary file, by default at `<run dir>/view/<id>.html`."""
    summary = load_summary(path)
    run_dir = run_dir_of(path)
    target = out or run_dir / VIEW_DIR / viewer_filename(summary.article_id)
    written = write_viewer(summary, run_dir, target, sources)
    if written is None:
        raise InputError(
            str(path),
            f"source article {summary.article_id!r} not found (looked in --sources and manifest.json); "
            "pass --sources DIR holding <article_id>.txt",
        )
    return written
