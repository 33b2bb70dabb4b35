"""The briefing memo as a Word document: the Markdown memo's content, in its order.

Headings use Word's built-in Heading styles, so Word's navigation pane (and a PDF made from the
document) shows the memo's outline. Every initiative and figure carries a superscript citation
number that links to its note under "Sources" at the end: the evidence quoted verbatim and
`article_id:start-end`, like the Markdown memo's footnotes (python-docx has no footnote API, so
the notes are endnotes in all but name). Styles name a Chinese face for East Asian text.
"""

from __future__ import annotations

import docx
from docx.document import Document
from docx.shared import RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from summarizer.briefing.export.docx_parts import (
    add_bookmark,
    add_internal_link,
    set_east_asian_font,
    set_east_asian_language,
    xml_safe,
)
from summarizer.briefing.memo import (
    Citation,
    DomainSection,
    InitiativeEntry,
    LocalitySection,
    Memo,
    OutcomeEntry,
)
from summarizer.briefing.memo_executive import ExecutiveNote
from summarizer.briefing.memo_overview import Overview

# The Chinese sans face of Windows and Office; where it is missing, Word and LibreOffice substitute
# another Chinese face (Noto Sans CJK on Linux), never a Latin one.
CJK_FONT = "Microsoft YaHei"
CODE_FONT = "Consolas"
STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "List Bullet", "List Bullet 2")
LINK_COLOR = RGBColor(0x1F, 0x4E, 0x9A)
PLACEMENT_NOTES = {
    "searched": " (located by text search)",
    "corrected": " (located by text search)",
    "missing": " (passage not found in the source)",
}
Figure = tuple[OutcomeEntry, InitiativeEntry]


def render_docx(memo: Memo, run_label: str = "") -> Document:
    doc = docx.Document()
    for name in STYLES:
        set_east_asian_font(doc.styles[name], CJK_FONT)
    set_east_asian_language(doc.styles["Normal"], "zh-CN")  # the other styles inherit it
    doc.core_properties.title = memo.title
    DocxMemo(doc, memo).write(run_label)
    return doc


def note_anchor(c: Citation) -> str:
    return f"note-{c.number}"


class DocxMemo:
    """Writes one memo into `doc`, part by part, in the order of `memo.md.j2`."""

    def __init__(self, doc: Document, memo: Memo) -> None:
        self.doc, self.memo = doc, memo
        self._bookmarks = 0

    def write(self, run_label: str) -> None:
        self.header(run_label)
        if isinstance(self.memo.executive, ExecutiveNote):
            self.executive(self.memo.executive)
        if isinstance(self.memo.overview, Overview):
            self.overview(self.memo.overview)
        for sec in self.memo.sections:
            if isinstance(sec, DomainSection):
                self.domain_section(sec)
            else:
                self.locality_section(sec)
        if self.memo.citations:
            self.sources()

    # Building blocks.

    def paragraph(self, text: str = "", style: str | None = None, anchor: str | None = None) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if anchor:
            self._bookmarks += 1
            add_bookmark(p, anchor, self._bookmarks)
        if text:
            self.text(p, text)
        return p

    def heading(self, text: str, level: int, anchor: str | None = None) -> Paragraph:
        return self.paragraph(text, "Title" if level == 0 else f"Heading {level}", anchor)

    @staticmethod
    def text(p: Paragraph, text: str, bold: bool = False, italic: bool = False, code: bool = False) -> None:
        run = p.add_run(xml_safe(text))
        run.bold, run.italic = bold or None, italic or None
        if code:
            run.font.name = CODE_FONT

    @staticmethod
    def link(p: Paragraph, text: str, anchor: str) -> None:
        run = add_internal_link(p, xml_safe(text), anchor)
        run.font.color.rgb = LINK_COLOR
        run.font.underline = True

    @staticmethod
    def cite(p: Paragraph, c: Citation) -> None:
        run = add_internal_link(p, f"[{c.number}]", note_anchor(c))
        run.font.superscript = True
        run.font.color.rgb = LINK_COLOR

    def table(self, headers: list[str]) -> Table:
        table: Table = self.doc.add_table(rows=1, cols=len(headers), style="Table Grid")
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            self.text(cell.paragraphs[0], header, bold=True)
        return table

    def bold_line(self, text: str) -> None:
        self.text(self.paragraph(), text, bold=True)

    # The memo's parts.

    def header(self, run_label: str) -> None:
        memo = self.memo
        self.heading(memo.title, 0)
        n = len(memo.articles)
        p = self.paragraph(f"Built from {n} article summar{'y' if n == 1 else 'ies'}")
        if run_label:
            self.text(p, " in ")
            self.text(p, run_label, code=True)
        self.text(
            p,
            ". Figures are quoted as printed; every initiative and figure cites its source passage "
            "(notes under Sources: verbatim quote, article_id:start-end).",
        )
        if memo.options.filtered:
            empty = "" if memo.articles else " No initiative matches the filters."
            self.paragraph(f"Filters: {memo.options.filter_text}.{empty}")

    def executive(self, note: ExecutiveNote) -> None:
        self.heading("Executive summary (model-written)", 1)
        self.paragraph(note.text, "Quote")
        self.text(
            self.paragraph(),
            f"Written by the model {note.model} ({note.backend}) from the summaries below; "
            "not checked against the sources. Everything after this paragraph is built from the "
            "summaries without a model.",
            italic=True,
        )

    def overview(self, ov: Overview) -> None:
        self.heading("Overview", 1)
        places = self.table(["Locality", "Level", "Province", "Articles", "Initiatives", "Figures"])
        for row in ov.localities:
            cells = places.add_row().cells
            if row.anchor:
                self.link(cells[0].paragraphs[0], row.name, row.anchor)
            else:
                cells[0].text = xml_safe(row.name)
            for cell, value in zip(
                cells[1:],
                [row.level, row.province or "", row.articles, row.initiatives, row.figures],
                strict=True,
            ):
                cell.text = xml_safe(str(value))
        self.paragraph()
        domains = self.table(["Domain", "Initiatives", "Localities"])
        for drow in ov.domains:
            for cell, value in zip(
                domains.add_row().cells, [drow.label, drow.initiatives, drow.localities], strict=True
            ):
                cell.text = xml_safe(str(value))
        self.paragraph()
        self.figure_list("Largest amounts", ov.largest_amounts)
        self.figure_list("Highest percentages", ov.top_percentages)
        self.shared(ov)

    def figure_list(self, label: str, figures: list[Figure]) -> None:
        if not figures:
            return
        self.bold_line(label)
        for o, ini in figures:
            p = self.paragraph(style="List Bullet")
            self.text(p, o.value_text or "", bold=True)
            self.cite(p, o.cite)
            self.text(p, f" {ini.article.locality.name} · ")
            self.link(p, ini.name, ini.anchor)
            self.text(p, f": {o.description}")

    def shared(self, ov: Overview) -> None:
        if not ov.shared:
            return
        p = self.paragraph()
        self.text(p, "Initiatives in more than one place", bold=True)
        self.text(p, " (similar names)")
        for group in ov.shared:
            p = self.paragraph(f"{group.name}: ", "List Bullet")
            for n, m in enumerate(group.members):
                self.text(p, "; " if n else "")
                self.link(p, f"{m.article.locality.name} · {m.name}", m.anchor)
                self.cite(p, m.cites[0])

    def domain_section(self, sec: DomainSection) -> None:
        self.heading(sec.label, 1, sec.anchor)
        for ini in sec.initiatives:
            self.initiative(ini, with_place=True)
        self.figures(sec.figures, with_place=True)

    def locality_section(self, sec: LocalitySection) -> None:
        province = f" · {sec.province}" if sec.province else ""
        self.heading(f"{sec.name} · {sec.level}{province}", 1, sec.anchor)
        for art in sec.articles:
            s = art.summary
            self.heading(s.title, 2, art.anchor)
            p = self.paragraph(f"{s.published or 'undated'} · {s.source or 'source not stated'} · ")
            self.text(p, s.article_id, code=True)
            self.paragraph(s.summary)
            for label, group in art.by_domain:
                self.heading(label, 3)
                for ini in group:
                    self.initiative(ini, with_place=False)
            self.figures(art.figures, with_place=False)

    def initiative(self, ini: InitiativeEntry, with_place: bool) -> None:
        p = self.paragraph(style="List Bullet", anchor=ini.anchor)
        self.text(p, ini.name, bold=True)
        for c in ini.cites:
            self.cite(p, c)
        place = f" ({ini.article.locality.name})" if with_place else ""
        actors = f" Actors: {'、'.join(ini.actors)}." if ini.actors else ""
        self.text(p, f"{place}: {ini.description}{actors}")
        for o in ini.outcomes:
            self.outcome(o)

    def outcome(self, o: OutcomeEntry) -> None:
        p = self.paragraph(style="List Bullet 2")
        if o.value_text:
            self.text(p, o.value_text, bold=True)
            metric = f" {o.metric}" if o.metric and o.metric not in o.description else ""
            self.text(p, f"{metric}: ")
        self.text(p, o.description)
        self.cite(p, o.cite)

    def figures(self, figures: list[Figure], with_place: bool) -> None:
        if not figures:
            return
        self.bold_line("Figures")
        headers = ["Metric", "Figure", "Initiative", "Source"]
        table = self.table(["Locality", *headers] if with_place else headers)
        for o, ini in figures:
            cells = table.add_row().cells
            values = [o.metric or "", o.value_text or "", ini.name]
            if with_place:
                values.insert(0, ini.article.locality.name)
            for cell, value in zip(cells, values, strict=False):
                cell.text = xml_safe(value)
            self.cite(cells[-1].paragraphs[0], o.cite)
        self.paragraph()

    def sources(self) -> None:
        self.heading("Sources", 1)
        for c in self.memo.citations:
            p = self.paragraph(anchor=note_anchor(c))
            self.text(p, f"[{c.number}] “{c.quote}” — ")
            self.text(p, c.ref, code=True)
            self.text(p, PLACEMENT_NOTES.get(c.placed.placement, ""))
