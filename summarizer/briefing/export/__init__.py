"""Analyst deliverables built from a memo's content: the table of initiatives and figures (CSV,
Excel) and the briefing memo as a Word document.

table.py      Memo -> rows: one per outcome, plus one per initiative without outcomes
sheets.py     rows -> CSV (UTF-8 with BOM) or XLSX (typed cells), formula injection neutralized
docx_memo.py  Memo -> Word document, the Markdown memo's content and order
docx_parts.py the few things python-docx has no API for: East Asian font, bookmarks, internal links
"""
