"""`summarizer memo -o memo.docx`: the briefing memo as a Word document (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from summarizer.briefing.export.docx_memo import CJK_FONT, render_docx
from summarizer.briefing.export.docx_parts import bookmark_name
from summarizer.briefing.memo import MemoOptions
from summarizer.briefing.memo_executive import ExecutiveSummary
from summarizer.briefing.memo_render import load_memo, render_markdown
from summarizer.cli import main

try:
    from tests.test_memo_fixture import IMG, JS_LINK, SCRIPT, hostile_run
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_memo_fixture import IMG, JS_LINK, SCRIPT, hostile_run

ROOT = Path(__file__).resolve().parents[1]
GOLD, SEEDS = ROOT / "eval" / "gold", ROOT / "seeds"
NOTE = re.compile(r"\[(\d+)\] ")


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_docx(run: Path, out: Path, *args: object, sources: Path = SEEDS):
    result = invoke("memo", run, "-o", out, "--sources", sources, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    return docx.Document(str(out))


def body_and_notes(document) -> tuple[list[str], dict[int, str]]:
    """Every paragraph and table cell before "Sources", and the notes after it by number."""
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    split = paragraphs.index(("Heading 1", "Sources"))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    notes = {int(m.group(1)): text for _, text in paragraphs[split + 1 :] if (m := NOTE.match(text))}
    return [text for _, text in paragraphs[:split]] + cells, notes


@pytest.fixture(scope="module")
def gold_memo(tmp_path_factory):
    document = write_docx(GOLD, tmp_path_factory.mktemp("docx") / "memo.docx")
    memo, _ = load_memo(GOLD, MemoOptions(), SEEDS)
    return document, memo


def test_every_figure_of_the_gold_memo_is_in_the_document_with_its_citation(gold_memo):
    document, memo = gold_memo
    body, notes = body_and_notes(document)
    figures = [(o, ini) for ini in memo.initiatives for o in ini.figures]
    assert len(figures) == 84
    for o, _ in figures:
        c = o.cite
        assert any(o.value_text in text and f"[{c.number}]" in text for text in body), o.value_text
        assert re.fullmatch(r"\w+:\d+-\d+", c.ref)
        evidence = " ".join(c.placed.text.split())  # verbatim, line breaks folded as in memo.md
        assert notes[c.number] == f"[{c.number}] “{evidence}” — {c.ref}", c.number
    assert sorted(notes) == list(range(1, len(memo.citations) + 1))


def test_citations_link_to_their_notes(gold_memo):
    document, memo = gold_memo
    xml = document.element
    bookmarks = set(xml.xpath("//w:bookmarkStart/@w:name"))
    anchors = xml.xpath("//w:hyperlink/@w:anchor")
    assert {bookmark_name(f"note-{c.number}") for c in memo.citations} <= bookmarks
    assert anchors and set(anchors) <= bookmarks  # no link points nowhere
    ids = xml.xpath("//w:bookmarkStart/@w:id")
    assert len(ids) == len(set(ids))


def test_the_word_memo_has_the_markdown_memos_headings_in_order(gold_memo):
    document, memo = gold_memo
    markdown = render_markdown(memo, str(GOLD))
    md_headings = [
        re.sub(r'<a id="[^"]*"></a>|\\', "", m.group(2))
        for m in re.finditer(r"^(#{2,4}) (.+)$", markdown, re.MULTILINE)
    ]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [*md_headings, "Sources"]
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text == memo.title
    levels = {p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert levels == {"Heading 1", "Heading 2", "Heading 3"}  # navigable: built-in heading styles


def test_styles_name_a_chinese_font_for_east_asian_text(gold_memo):
    document, _ = gold_memo
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == CJK_FONT, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name  # a theme font would win over it
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_executive_summary_in_the_word_memo(tmp_path):
    document = write_docx(GOLD, tmp_path / "m.docx", "--executive-summary", "--backend", "fake")
    texts = [p.text for p in document.paragraphs]
    assert texts.index("Executive summary (model-written)") < texts.index("Overview")
    assert ExecutiveSummary.fake_default().paragraph in texts
    assert any(t.startswith("Written by the model") for t in texts)


def test_filters_apply_to_the_word_memo(tmp_path):
    document = write_docx(GOLD, tmp_path / "m.docx", "--locality", "平远县", "--group-by", "domain")
    texts = [p.text for p in document.paragraphs]
    assert "Filters: localities 平远县." in texts
    assert "潮州市 · city · 广东省" not in texts and any("(平远县)" in t for t in texts)


def test_article_text_is_text_in_the_word_memo(tmp_path):
    run, src = hostile_run(tmp_path)
    document = write_docx(run, tmp_path / "h.docx", sources=src)
    text = "\n".join(p.text for p in document.paragraphs)
    for hostile in (SCRIPT, IMG, JS_LINK):
        assert hostile in text
    assert document.element.xpath("//w:hyperlink/@r:id") == []  # no external links at all


def test_control_characters_do_not_break_the_document(tmp_path):
    memo, _ = load_memo(GOLD, MemoOptions(), SEEDS)
    memo.articles[0].summary.summary += "\x0b\x07"
    out = tmp_path / "c.docx"
    render_docx(memo).save(str(out))
    assert docx.Document(str(out)).paragraphs
