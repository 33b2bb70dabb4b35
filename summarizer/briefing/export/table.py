"""The memo's content as a table: one row per outcome, plus one row per initiative without outcomes.

Rows follow the memo (its filters, articles in file order, initiatives in the order the article
names them) and carry typed values: `published` a date, `value`, `start` and `end` numbers, None
for what the summary leaves out. Evidence is placed in the source like the memo's citations, so
`start`/`end` are filled in where a gold file left them null and the passage is found.
"""

from __future__ import annotations

from datetime import date

from summarizer.briefing.memo import Citation, InitiativeEntry, Memo, OutcomeEntry

Cell = str | int | float | date | None
Row = dict[str, Cell]

COLUMNS = (
    "article_id",
    "title",
    "source",
    "published",
    "locality",
    "locality_level",
    "province",
    "initiative",
    "domain",
    "actors",
    "initiative_description",
    "outcome_description",
    "metric",
    "value_text",
    "value",
    "unit",
    "evidence",
    "start",
    "end",
    "citation",
)


def table_rows(memo: Memo) -> list[Row]:
    return [row for ini in memo.initiatives for row in initiative_rows(ini)]


def initiative_rows(ini: InitiativeEntry) -> list[Row]:
    """One row per outcome; an initiative without outcomes gets one row citing its own evidence."""
    base = _initiative_cells(ini)
    if not ini.outcomes:
        return [base | _outcome_cells(None) | _evidence_cells(ini.cites[0] if ini.cites else None)]
    return [base | _outcome_cells(o) | _evidence_cells(o.cite) for o in ini.outcomes]


def _initiative_cells(ini: InitiativeEntry) -> Row:
    article = ini.article
    return {
        "article_id": article.article_id,
        "title": article.title,
        "source": article.source,
        "published": parse_date(article.published),
        "locality": article.locality.name,
        "locality_level": article.locality.level,
        "province": article.locality.province,
        "initiative": ini.name,
        "domain": ini.domain,
        "actors": "、".join(ini.actors) or None,
        "initiative_description": ini.description,
    }


def _outcome_cells(outcome: OutcomeEntry | None) -> Row:
    if outcome is None:
        return dict.fromkeys(("outcome_description", "metric", "value_text", "value", "unit"))
    return {
        "outcome_description": outcome.description,
        "metric": outcome.metric,
        "value_text": outcome.value_text,
        "value": number(outcome.value),
        "unit": outcome.unit,
    }


def _evidence_cells(cite: Citation | None) -> Row:
    if cite is None:
        return dict.fromkeys(("evidence", "start", "end", "citation"))
    placed = cite.placed
    return {"evidence": placed.text, "start": placed.start, "end": placed.end, "citation": cite.ref}


def parse_date(text: str | None) -> date | str | None:
    """`YYYY-MM-DD` as a date; anything else stays as written."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def number(value: float | None) -> int | float | None:
    """Whole numbers as int, so `500000000` does not print as `500000000.0`."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
