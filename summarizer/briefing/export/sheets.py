"""The table written as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX (openpyxl: typed
cells, frozen header, filters, column widths), and `write_table`, the whole `summarizer export`.

Article text is data. A cell that begins with `=`, `+`, `-`, `@` (or a tab or carriage return)
would be read as a formula by a spreadsheet, the spreadsheet form of XSS: in CSV it is prefixed
with `'` (OWASP's advice), in XLSX it is stored as a string cell with Excel's quote prefix, so its
text stays verbatim and is never evaluated, not even after the cell is edited.
"""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from summarizer.briefing.export.table import COLUMNS, Cell, Row, table_rows
from summarizer.briefing.memo import MemoOptions
from summarizer.briefing.memo_render import check_output, load_memo, save_output

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TABLE_FORMATS = {".csv", ".xlsx"}
MAX_WIDTH, MIN_WIDTH = 50, 8  # column widths, in characters (a Chinese character counts two)
DATE_FORMAT = "yyyy-mm-dd"


def formula_like(value: Cell) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Cell) -> str:
    """A cell as CSV text: dates ISO, None empty, formula-like text behind a `'`."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return f"'{value}" if formula_like(value) else str(value)


def write_csv(rows: list[Row], out: Path) -> None:
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows([csv_cell(row[c]) for c in COLUMNS] for row in rows)


def write_xlsx(rows: list[Row], out: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has one sheet
    ws.title = "initiatives"
    ws.append(COLUMNS)
    for r, row in enumerate(rows, 2):
        for c, name in enumerate(COLUMNS, 1):
            _set_cell(ws, r, c, row[name])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _set_widths(ws, rows)
    wb.save(out)


def _set_cell(ws: Worksheet, row: int, column: int, value: Cell) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XML cannot hold
    cell = ws.cell(row, column, value)
    if formula_like(value):
        cell.data_type = "s"  # openpyxl took it for a formula
        cell.quotePrefix = True
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT


def _set_widths(ws: Worksheet, rows: list[Row]) -> None:
    for c, name in enumerate(COLUMNS, 1):
        longest = max([display_width(name), *(display_width(csv_cell(row[name])) for row in rows)])
        ws.column_dimensions[get_column_letter(c)].width = max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_table(
    run: Path, out: Path, options: MemoOptions, sources: Path | None = None
) -> tuple[Path, int, list[str]]:
    """The table of `run` into `out` (.csv or .xlsx): the path, the number of rows, warnings."""
    fmt = check_output(out, TABLE_FORMATS, "name the table .csv or .xlsx")
    memo, warnings = load_memo(run, options, sources)
    rows = table_rows(memo)
    save_output(out, lambda path: (write_csv if fmt == ".csv" else write_xlsx)(rows, path))
    return out, len(rows), warnings
