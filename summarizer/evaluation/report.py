"""Write an evaluation as report.json, report.md and report.html, and a comparison as JSON and Markdown.

JSON: keys in a fixed order, floats rounded, no timestamps, so the same inputs give the same bytes.
HTML: one self-contained file (inline CSS bar chart, no external assets), rendered by jinja2 with
autoescaping, readable from disk without a server.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jinja2

from summarizer.core.templates import template_environment
from summarizer.evaluation.compare import Comparison
from summarizer.evaluation.metrics import MAIN_METRICS, METRICS
from summarizer.evaluation.scoring import EvalResult

CHART_METRICS = [*MAIN_METRICS, "figure_accuracy", "domain_accuracy", "rougeL"]


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.3f}"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]


def eval_markdown(result: EvalResult) -> str:
    lines = [
        f"# Evaluation of `{result.run}`",
        "",
        f"Gold: `{result.gold}`, {len(result.articles)} articles.",
        "",
    ]
    lines += _md_table(
        ["metric", "micro", "macro"], [[m, fmt(result.micro(m)), fmt(result.macro(m))] for m in METRICS]
    )
    lines += ["", "## Per article", ""]
    rows = [[a.article_id, a.status, *(fmt(a.value(m)) for m in MAIN_METRICS)] for a in result.articles]
    lines += _md_table(["article", "status", *MAIN_METRICS], rows)
    for article in result.articles:
        if article.missed or article.spurious:
            lines += ["", f"### {article.article_id}", ""]
            lines += [f"- missed: {name}" for name in article.missed]
            lines += [f"- spurious: {name}" for name in article.spurious]
    lines += ["", "## Operational", ""]
    lines += _md_table(["figure", "value"], [[k, fmt(v)] for k, v in result.operational.items()])
    if result.notes:
        lines += ["", "## Notes", "", *(f"- {note}" for note in result.notes)]
    return "\n".join(lines) + "\n"


@functools.cache
def _template() -> jinja2.Template:
    env = template_environment("summarizer.evaluation", trim_blocks=False, strict=True)
    return env.get_template("report.html.j2")


def eval_html(result: EvalResult, viewer_links: dict[str, str] | None = None) -> str:
    return _template().render(
        result=result.to_dict(),
        viewer_links=viewer_links or {},
        metrics=METRICS,
        chart_metrics=CHART_METRICS,
        fmt=fmt,
    )


def write_eval_reports(
    result: EvalResult, out_dir: Path, viewer_links: dict[str, str] | None = None
) -> list[Path]:
    """report.json, report.md and report.html in `out_dir`; returns their paths. `viewer_links`
    maps article ids to their evidence viewer pages, relative to `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    contents = {
        "report.json": to_json(result.to_dict()),
        "report.md": eval_markdown(result),
        "report.html": eval_html(result, viewer_links),
    }
    paths = []
    for name, text in contents.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def compare_markdown(comparison: Comparison) -> str:
    lines = [f"# `{comparison.run_a}` (A) vs `{comparison.run_b}` (B)", ""]
    lines.append(f"Paired bootstrap: {comparison.resamples} resamples of articles, seed {comparison.seed}.")
    lines.append("")
    rows = [
        [m.metric, fmt(m.a), fmt(m.b), signed(m.delta), f"[{signed(m.low)}, {signed(m.high)}]"]
        for m in comparison.metrics
    ]
    lines += _md_table(["metric", "A", "B", "B - A", "95% interval"], rows)
    lines += ["", "## Per article", ""]
    rows = [
        [
            c["article_id"],
            ", ".join(c["gained"]) or "-",
            ", ".join(c["lost"]) or "-",
            *(signed(c["deltas"][m]) for m in MAIN_METRICS),
        ]
        for c in comparison.articles
    ]
    lines += _md_table(["article", "gained", "lost", *MAIN_METRICS], rows)
    return "\n".join(lines) + "\n"


def write_compare_reports(comparison: Comparison, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "compare.json", out_dir / "compare.md"
    json_path.write_text(to_json(comparison.to_dict()), encoding="utf-8")
    md_path.write_text(compare_markdown(comparison), encoding="utf-8")
    return [json_path, md_path]
