"""Check hand-labeled gold files against the schema and their source articles.

A gold file is an `ArticleSummary` whose every span, figure and offset must agree with the
article it labels. `check_summary` is pure (summary + source text -> problems); `check_gold_dir`
adds the file handling: reading JSON, finding `<article_id>.*` under the sources folder.
Each problem names the file and the field path, e.g.
`eval/gold/000_x.json: initiatives[2].outcomes[0].value: 428000000.0 != normalizer 4.28`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from summarizer.core.errors import GoldError, InputError
from summarizer.core.models import MAX_EVIDENCE, ArticleSummary, Outcome, Span
from summarizer.core.numbers import parse_figure
from summarizer.core.spans import place_span
from summarizer.runs.reading import read_source, source_candidates

# Sentence ends in a Chinese summary: full-width and ASCII terminators.
_SENTENCE_END = re.compile(r"[。！？!?]+")


@dataclass(frozen=True)
class GoldProblem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


def load_source_text(article_id: str, sources: Path) -> str:
    """The decoded text of `<sources>/<article_id>.*`: the text that gold offsets index into."""
    matches = source_candidates(article_id, sources=sources)
    if not matches:
        raise GoldError(f"{sources}/{article_id}.*: no source article; pass --sources DIR")
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise GoldError(f"{sources}: several sources for {article_id} ({names}); keep one")
    try:
        return read_source(matches[0])
    except InputError as exc:
        raise GoldError(str(exc)) from exc


def check_summary(summary: ArticleSummary, text: str, file: str = "") -> list[GoldProblem]:
    """Every disagreement between a gold summary and its source text; empty when it is sound."""
    problems: list[GoldProblem] = []
    problems += _check_summary_text(summary.summary, file)
    for i, initiative in enumerate(summary.initiatives):
        where = f"initiatives[{i}]"
        if len(initiative.evidence) > MAX_EVIDENCE:
            problems.append(
                GoldProblem(file, f"{where}.evidence", f"{len(initiative.evidence)} spans > {MAX_EVIDENCE}")
            )
        for j, span in enumerate(initiative.evidence):
            problems += check_span(span, text, file, f"{where}.evidence[{j}]")
        for k, outcome in enumerate(initiative.outcomes):
            problems += check_outcome(outcome, text, file, f"{where}.outcomes[{k}]")
    return problems


def check_span(span: Span, text: str, file: str, field: str) -> list[GoldProblem]:
    """A span is verbatim in the source, and at its offsets when it has them (`place_span`)."""
    if (span.start is None) != (span.end is None):
        return [GoldProblem(file, field, "start and end must both be set or both be null")]
    placed = place_span(span, text)
    if placed.grounded:
        return []
    if placed.placement == "missing":
        return [GoldProblem(file, f"{field}.text", f"not in source: {_short(span.text)}")]
    at = text[span.start : span.end]
    message = f"text[{span.start}:{span.end}] is {_short(at)}; the text is at {placed.start}:{placed.end}"
    return [GoldProblem(file, f"{field}.start", message)]


def check_outcome(outcome: Outcome, text: str, file: str, field: str) -> list[GoldProblem]:
    """Evidence verbatim; `value_text` inside it; `value`/`unit` equal to the normalizer's."""
    problems = check_span(outcome.evidence, text, file, f"{field}.evidence")
    if outcome.value_text is None:
        if outcome.value is not None or outcome.unit is not None:
            problems.append(GoldProblem(file, f"{field}.value", "value or unit set without value_text"))
        return problems
    if outcome.value_text not in outcome.evidence.text:
        message = f"{outcome.value_text!r} not in its evidence {_short(outcome.evidence.text)}"
        problems.append(GoldProblem(file, f"{field}.value_text", message))
    figure = parse_figure(outcome.value_text)
    if not _same_value(outcome.value, figure.value):
        problems.append(GoldProblem(file, f"{field}.value", f"{outcome.value} != normalizer {figure.value}"))
    if outcome.unit != figure.unit:
        problems.append(GoldProblem(file, f"{field}.unit", f"{outcome.unit!r} != normalizer {figure.unit!r}"))
    return problems


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _check_summary_text(summary: str, file: str) -> list[GoldProblem]:
    sentences = [s for s in _SENTENCE_END.split(summary) if s.strip()]
    if 3 <= len(sentences) <= 5:
        return []
    return [GoldProblem(file, "summary", f"{len(sentences)} sentences; the spec asks for 3 to 5")]


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def check_gold_file(path: Path, sources: Path) -> list[GoldProblem]:
    """Schema, file name and source checks of one gold file."""
    file = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [GoldProblem(file, "(file)", f"cannot read JSON: {exc}")]
    try:
        summary = ArticleSummary.model_validate(raw)
    except ValidationError as exc:
        return [GoldProblem(file, _field_path(err["loc"]), err["msg"]) for err in exc.errors()]
    problems = []
    if summary.article_id != path.stem:
        problems.append(GoldProblem(file, "article_id", f"{summary.article_id!r} != file name {path.stem!r}"))
    try:
        text = load_source_text(summary.article_id, sources)
    except GoldError as exc:
        return [*problems, GoldProblem(file, "article_id", str(exc))]
    return problems + check_summary(summary, text, file)


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(root)"


def gold_files(directory: Path) -> list[Path]:
    """The gold files of a folder: every `*.json`, sorted; an error when there are none."""
    if not directory.is_dir():
        raise GoldError(f"{directory}: not a folder; pass the gold folder (default eval/gold)")
    files = sorted(directory.glob("*.json"))
    if not files:
        raise GoldError(f"{directory}: no *.json gold files")
    return files


def check_gold_dir(directory: Path, sources: Path) -> dict[Path, list[GoldProblem]]:
    """Problems of every gold file in `directory`, keyed by file (empty lists for sound files)."""
    return {path: check_gold_file(path, sources) for path in gold_files(directory)}
