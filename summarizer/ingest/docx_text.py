"""Text of a Word document (`.docx`): its paragraphs and table rows in document order, one per line.

Analysts receive 工作要点 and 政府工作报告 as Word files. Read with python-docx (already used for
the Word memo), not by unzipping the XML by hand: it knows paragraphs, runs and tables. A table
row becomes one line, its cells joined by a tab. Offsets of every span refer to this text, as they
refer to the visible text of an HTML page."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from summarizer.core.errors import InputError


def docx_to_text(data: bytes, where: str) -> str:
    """The document's lines; `InputError` naming `where` when the bytes are not a Word document."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(where, f"not a readable .docx ({exc}); save it again from Word, or as .txt") from exc
    lines = [line for line in _lines(document) if line.strip()]
    return "\n".join(lines) + "\n"  # none at all: `ingest_text` reports the empty article


def _lines(document: Document) -> list[str]:
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, document).text.strip())
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                cells = [cell.text.strip().replace("\n", " ") for cell in row.cells]
                lines.append("\t".join(_unmerged(cells)))
    return lines


def _unmerged(cells: list[str]) -> list[str]:
    """A merged cell is repeated for every grid column it spans: once is enough."""
    out: list[str] = []
    for cell in cells:
        if not out or cell != out[-1]:
            out.append(cell)
    return out
