"""The evidence viewer page, checked from its HTML (the browser test checks the rendered DOM)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from summarizer.briefing.memo_run import safe_stem, viewer_filename
from summarizer.briefing.viewer import cut_pieces, render_viewer, view_summary_file
from summarizer.core.errors import InputError
from summarizer.core.models import Span
from summarizer.core.spans import place_span
from summarizer.runs.reading import find_source

try:
    from tests.test_memo_fixture import CHAOZHOU, HOSTILE, chaozhou, hostile, hostile_run, standard_run
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_memo_fixture import CHAOZHOU, HOSTILE, chaozhou, hostile, hostile_run, standard_run


def span_texts(soup: BeautifulSoup) -> dict[str, str]:
    """The text of each highlighted span, joined from the pieces that carry its key."""
    joined: dict[str, str] = {}
    for mark in soup.select("article mark[data-keys]"):
        for key in mark["data-keys"].split():
            joined[key] = joined.get(key, "") + mark.get_text()
    return joined


def figure_texts(soup: BeautifulSoup) -> dict[str, str]:
    joined: dict[str, str] = {}
    for mark in soup.select("article mark[data-figure]"):
        joined[mark["data-figure"]] = joined.get(mark["data-figure"], "") + mark.get_text()
    return joined


def expected_spans(summary) -> dict[str, str]:
    spans = {}
    for i, ini in enumerate(summary.initiatives, 1):
        spans.update({f"i{i}-e{k}": s.text for k, s in enumerate(ini.evidence, 1)})
        spans.update({f"i{i}-o{m}": o.evidence.text for m, o in enumerate(ini.outcomes, 1)})
    return spans


def test_each_highlight_equals_its_evidence_and_the_text_is_whole():
    summary = chaozhou()
    soup = BeautifulSoup(render_viewer(summary, CHAOZHOU), "html.parser")
    assert span_texts(soup) == expected_spans(summary)
    assert soup.select_one("article#text").get_text() == CHAOZHOU
    figures = {
        f"i{i}-o{m}": o.value_text
        for i, ini in enumerate(summary.initiatives, 1)
        for m, o in enumerate(ini.outcomes, 1)
    }
    assert figure_texts(soup) == figures


def test_every_span_has_an_anchor_and_a_side_link():
    summary = chaozhou()
    soup = BeautifulSoup(render_viewer(summary, CHAOZHOU), "html.parser")
    for key in expected_spans(summary):
        assert soup.select_one(f"#span-{key}") is not None
        assert soup.select_one(f'aside a[data-key="{key}"]') is not None


def test_overlapping_spans_are_cut_into_pieces():
    from summarizer.briefing.viewer import Mark, MarkKind

    text = "甲乙丙丁戊己"
    marks = [Mark(0, 4, "i1-e1", MarkKind.initiative, "a"), Mark(2, 6, "i1-o1", MarkKind.outcome, "b")]
    pieces = cut_pieces(text, marks)
    assert [p.text for p in pieces] == ["甲乙", "丙丁", "戊己"]
    assert [p.keys for p in pieces] == ["i1-e1", "i1-e1 i1-o1", "i1-o1"]
    assert [p.anchors for p in pieces] == [["i1-e1"], ["i1-o1"], []]
    assert "".join(p.text for p in pieces) == text


@pytest.mark.parametrize(
    ("span", "placement", "start"),
    [
        (Span(text="乙丙", start=1, end=3), "exact", 1),
        (Span(text="乙丙"), "searched", 1),
        (Span(text="乙丙", start=3, end=5), "corrected", 1),
        (Span(text="乙丙", start=90, end=92), "corrected", 1),  # past the end
        (Span(text="庚辛"), "missing", None),
    ],
)
def test_place_span(span, placement, start):
    placed = place_span(span, "甲乙丙丁乙丙")
    assert (placed.placement, placed.start) == (placement, start)
    if start is not None:
        assert "甲乙丙丁乙丙"[placed.start : placed.end] == span.text


def test_page_says_how_spans_were_placed():
    summary = chaozhou()
    summary.initiatives[1].outcomes[0].evidence = Span(text="不在原文里的句子")
    page = BeautifulSoup(render_viewer(summary, CHAOZHOU), "html.parser")
    notice = page.select_one("#placement").get_text(" ", strip=True)
    assert "1 span(s) had no offsets and were located by text search" in notice
    assert "1 span(s) were not found in the source" in notice
    assert "i2-o1" not in span_texts(page)
    assert page.select_one("#item-i2-o1 .missing") is not None


def test_offsets_index_the_text_without_its_bom(tmp_path):
    run, src = standard_run(tmp_path)
    (src / "000_chaozhou.txt").write_bytes(b"\xef\xbb\xbf" + CHAOZHOU.encode("utf-8"))
    page = view_summary_file(run / "000_chaozhou.json", None, src)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert span_texts(soup) == expected_spans(chaozhou())
    assert "corrected" not in soup.select_one("#placement").get_text()


def test_hostile_page_is_inert():
    html = render_viewer(hostile(), HOSTILE)
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and "data-pwned" not in scripts[0].string
    assert soup.find("img") is None
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert all(not a["href"].startswith("javascript:") for a in soup.find_all("a", href=True))
    assert "&lt;script&gt;" in html and span_texts(soup) == expected_spans(hostile())


def test_only_the_viewer_script_may_run():
    soup = BeautifulSoup(render_viewer(chaozhou(), CHAOZHOU), "html.parser")
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    script = soup.find("script").string
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp


def test_view_writes_next_to_the_run_by_default(tmp_path):
    run, src = standard_run(tmp_path)
    page = view_summary_file(run / "001_pingyuan.json", None, src)
    assert page == run / "view" / viewer_filename("001_pingyuan")
    other = view_summary_file(run / "001_pingyuan.json", tmp_path / "x" / "p.html", src)
    assert other.is_file()


def test_missing_source_names_the_fix(tmp_path, monkeypatch):
    run, _ = standard_run(tmp_path)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        InputError, match=r"001_pingyuan\.json: source article '001_pingyuan' not found.*--sources"
    ):
        view_summary_file(run / "001_pingyuan.json")


def test_source_from_manifest_never_from_the_working_directory(tmp_path, monkeypatch):
    run, src = standard_run(tmp_path)
    monkeypatch.chdir(tmp_path)
    manifest = {"articles": {"000_chaozhou": {"path": str(src / "000_chaozhou.txt")}}}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert find_source("000_chaozhou", run) == src / "000_chaozhou.txt"
    assert find_source("001_pingyuan", run) is None
    Path("seeds").mkdir()
    (Path("seeds") / "001_pingyuan.txt").write_text("x", encoding="utf-8")
    assert find_source("001_pingyuan", run) is None  # a seeds/ in the working directory is not looked at


@pytest.mark.parametrize(
    ("article_id", "stem"),
    [
        ("000_85ee287e49764f57", "000_85ee287e49764f57"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..", "article"),
        ("潮州 1", "潮州_1"),
    ],
)
def test_safe_stem(article_id, stem):
    assert safe_stem(article_id) == stem
    assert "/" not in safe_stem(article_id)


def test_hostile_run_viewer_pages_stay_in_their_folder(tmp_path):
    run, src = hostile_run(tmp_path)
    page = view_summary_file(run / "002_hostile.json", None, src)
    assert page.parent == run / "view"
    assert re.search(r"<title>标题&lt;script&gt;", page.read_text(encoding="utf-8"))
