"""Fill the mechanical fields of hand-labeled gold files, in place.

A labeler writes spans as plain strings (or {"text": ...}) and leaves `value`/`unit` out. This
script locates every span in the source article (UTF-8, BOM stripped, before any cleaning) and
writes `start`/`end`; it writes `value`/`unit` from `summarizer.core.numbers.parse_figure`. A span
that already has offsets pointing at its text keeps them, so a labeler can pin a later occurrence.
Spans found more than once are listed so the labeler can check the first one is the right one.

    .venv/bin/python eval/tools/fill_gold.py eval/gold/*.json --sources seeds
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from summarizer.core.models import ArticleSummary, dump_json
from summarizer.core.numbers import parse_figure
from summarizer.evaluation.gold import load_source_text


def locate(span: str | dict, text: str, where: str, notes: list[str]) -> dict:
    """A span dict with exact offsets; raises ValueError when the text is not in the source."""
    span = {"text": span} if isinstance(span, str) else dict(span)
    needle, start = span["text"], span.get("start")
    if start is not None and text[start : start + len(needle)] == needle:
        span["end"] = start + len(needle)
        return span
    found = text.find(needle)
    if found < 0:
        raise ValueError(f"{where}: not in source: {needle!r}")
    if text.find(needle, found + 1) >= 0:
        notes.append(f"{where}: found more than once, first taken (offset {found})")
    span["start"], span["end"] = found, found + len(needle)
    return span


def fill(raw: dict, text: str, notes: list[str]) -> dict:
    for i, initiative in enumerate(raw.get("initiatives", [])):
        where = f"initiatives[{i}]"
        initiative["evidence"] = [
            locate(s, text, f"{where}.evidence[{j}]", notes) for j, s in enumerate(initiative["evidence"])
        ]
        for k, outcome in enumerate(initiative.get("outcomes", [])):
            owhere = f"{where}.outcomes[{k}]"
            outcome["evidence"] = locate(outcome["evidence"], text, f"{owhere}.evidence", notes)
            if outcome.get("value_text"):
                figure = parse_figure(outcome["value_text"])
                outcome["value"], outcome["unit"] = figure.value, figure.unit
                notes.append(f"{owhere}: {outcome['value_text']} -> {figure.value} {figure.unit}")
            else:
                outcome["value_text"], outcome["value"], outcome["unit"] = None, None, None
    return raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--sources", type=Path, default=Path("seeds"))
    args = parser.parse_args(argv)
    for path in args.files:
        raw = json.loads(path.read_text(encoding="utf-8"))
        text = load_source_text(raw["article_id"], args.sources)
        notes: list[str] = []
        summary = ArticleSummary.model_validate(fill(raw, text, notes))
        path.write_text(dump_json(summary), encoding="utf-8")
        print(f"{path}: {len(summary.initiatives)} initiatives, "
              f"{sum(len(i.outcomes) for i in summary.initiatives)} outcomes")  # fmt: skip
        for note in notes:
            print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
