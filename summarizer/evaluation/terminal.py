"""Terminal tables with rich: coloured boxes on a terminal, plain ASCII when piped or captured."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from summarizer.evaluation.compare import Comparison
from summarizer.evaluation.metrics import MAIN_METRICS, METRICS
from summarizer.evaluation.report import fmt, signed
from summarizer.evaluation.scoring import EvalResult


def console() -> Console:
    plain = Console()
    if plain.is_terminal:
        return plain
    return Console(no_color=True, highlight=False, width=200)


def _row(table: Table, *cells: str) -> None:
    # Text, not markup: names and paths may hold square brackets.
    table.add_row(*(Text(cell) for cell in cells))


def _table(console: Console, title: str, columns: list[str], text_columns: int = 1) -> Table:
    table = Table(
        title=Text(title), box=box.ROUNDED if console.is_terminal else box.ASCII, title_justify="left"
    )
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i < text_columns else "right")
    return table


def print_eval(console: Console, result: EvalResult) -> None:
    scores = _table(console, f"{result.run} vs {result.gold}", ["metric", "micro", "macro"])
    for m in METRICS:
        _row(scores, m, fmt(result.micro(m)), fmt(result.macro(m)))
    console.print(scores)
    per_article = _table(console, "per article", ["article", "status", *MAIN_METRICS], 2)
    for a in result.articles:
        _row(per_article, a.article_id, a.status, *(fmt(a.value(m)) for m in MAIN_METRICS))
    console.print(per_article)
    reported = {k: v for k, v in result.operational.items() if v is not None}
    if reported.get("manifest"):
        ops = _table(console, "operational (manifest.json)", ["figure", "value"])
        for key, value in reported.items():
            _row(ops, key, fmt(value))
        console.print(ops)
    for note in result.notes:
        console.print(f"note: {note}", markup=False)


def _names(names: list[str], shown: int = 3) -> str:
    """A few names and a count: the full lists are in compare.json and compare.md."""
    if not names:
        return "-"
    more = f" (+{len(names) - shown} more)" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def print_compare(console: Console, comparison: Comparison) -> None:
    title = f"A = {comparison.run_a}, B = {comparison.run_b}"
    table = _table(console, title, ["metric", "A", "B", "B - A", "95% interval"])
    for m in comparison.metrics:
        _row(table, m.metric, fmt(m.a), fmt(m.b), signed(m.delta), f"[{signed(m.low)}, {signed(m.high)}]")
    console.print(table)
    changes = _table(console, "per article", ["article", "gained", "lost", *MAIN_METRICS], 3)
    for c in comparison.articles:
        deltas = (signed(c["deltas"][m]) for m in MAIN_METRICS)
        _row(changes, c["article_id"], _names(c["gained"]), _names(c["lost"]), *deltas)
    console.print(changes)
