"""The shared layer (issue 14): one span placement, one summary reader and source lookup for run
dirs, one Jinja environment factory, used by memos, the viewer, scoring and the gold checker."""

from __future__ import annotations

import json
import random

import pytest
from markupsafe import Markup

from summarizer.core.errors import InputError
from summarizer.core.models import Span
from summarizer.core.spans import PlacedSpan, place_span
from summarizer.core.templates import template_environment
from summarizer.ingest.article import load_text
from summarizer.runs.reading import find_source, load_source, load_summary, read_source, source_candidates

try:
    from tests.test_memo_fixture import CHAOZHOU, chaozhou, dump_json, standard_run
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_memo_fixture import CHAOZHOU, chaozhou, dump_json, standard_run

TEXT = "甲乙丙丁乙丙"


# -- summarizer.core.spans ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "text", "expected"),
    [
        (Span(text="乙丙", start=1, end=3), TEXT, PlacedSpan("乙丙", 1, 3, "exact")),
        (Span(text="乙丙"), TEXT, PlacedSpan("乙丙", 1, 3, "searched")),
        (Span(text="乙丙", start=4, end=6), TEXT, PlacedSpan("乙丙", 4, 6, "exact")),  # the second one
        (Span(text="乙丙", start=0, end=2), TEXT, PlacedSpan("乙丙", 1, 3, "corrected")),
        (Span(text="乙丙", start=-2, end=6), TEXT, PlacedSpan("乙丙", 1, 3, "corrected")),
        (Span(text="丙", start=-1, end=6), TEXT, PlacedSpan("丙", 2, 3, "corrected")),  # no negative index
        (Span(text="乙丙", start=3, end=1), TEXT, PlacedSpan("乙丙", 1, 3, "corrected")),
        (Span(text="庚辛", start=1, end=3), TEXT, PlacedSpan("庚辛", None, None, "missing")),
        (Span(text="乙丙", start=1, end=3), None, PlacedSpan("乙丙", 1, 3, "recorded")),
        (Span(text="乙丙"), None, PlacedSpan("乙丙", None, None, "missing")),
    ],
)
def test_place_span(span, text, expected):
    assert place_span(span, text) == expected


@pytest.mark.parametrize(
    ("placement", "located", "grounded", "ref"),
    [
        ("exact", True, True, "1-3"),
        ("searched", True, True, "1-3"),
        ("corrected", True, False, "1-3"),
        ("recorded", False, False, "1-3"),
        ("missing", False, False, "?"),
    ],
)
def test_placed_span_properties(placement, located, grounded, ref):
    placed = (
        PlacedSpan("乙丙", None, None, placement)
        if placement == "missing"
        else PlacedSpan("乙丙", 1, 3, placement)
    )
    assert (placed.located, placed.grounded, placed.ref) == (located, grounded, ref)


def test_a_located_span_always_slices_to_its_text():
    rng = random.Random(14)
    text = "".join(rng.choice("甲乙丙丁") for _ in range(40))
    for _ in range(2000):
        a = rng.randrange(len(text))
        quote = text[a : a + rng.randint(1, 4)]
        start = rng.choice([None, rng.randint(-5, 45)])
        end = None if start is None else start + rng.randint(-2, 6)
        placed = place_span(Span(text=quote, start=start, end=end), text)
        assert placed.located and text[placed.start : placed.end] == quote
        assert placed.placement == (
            "exact" if (start, end) == (placed.start, placed.end) else placed.placement
        )
        if placed.placement != "exact":
            assert placed.start == text.find(quote)


# -- summarizer.runs.reading -------------------------------------------------------------------


def test_load_summary_reads_a_summary_with_or_without_a_bom(tmp_path):
    path = tmp_path / "000_chaozhou.json"
    path.write_text(dump_json(chaozhou()), encoding="utf-8")
    assert load_summary(path) == chaozhou()
    path.write_bytes(b"\xef\xbb\xbf" + dump_json(chaozhou()).encode("utf-8"))
    assert load_summary(path) == chaozhou()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"article_id": "x"}',
            r"x\.json: is not an ArticleSummary \(title: Field required\); fix it or move it out",
        ),
        (b"{not json", r"x\.json: is not an ArticleSummary \(\(file\): Invalid JSON"),
        (b"\xff\xfe{}", r"x\.json: is not an ArticleSummary \('utf-8' codec can't decode"),
    ],
)
def test_load_summary_names_the_file_and_its_first_problem(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_summary(path)


def test_load_summary_of_a_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"gone\.json: cannot be read \(No such file or directory\)"):
        load_summary(tmp_path / "gone.json")


def test_sources_folder_first_and_only(tmp_path):
    run, src = standard_run(tmp_path)
    (src / "000_chaozhou.html").write_text("<p>x</p>", encoding="utf-8")
    manifest = {"articles": {"001_pingyuan": {"path": str(src / "001_pingyuan.txt")}}}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert source_candidates("000_chaozhou", run, src) == [
        src / "000_chaozhou.html",
        src / "000_chaozhou.txt",
    ]
    assert find_source("000_chaozhou", run, src) == src / "000_chaozhou.html"
    other = tmp_path / "other"
    other.mkdir()
    # --sources given: the manifest is not consulted, even when the folder lacks the article
    assert find_source("001_pingyuan", run, other) is None
    assert find_source("001_pingyuan", run) == src / "001_pingyuan.txt"
    assert find_source("001_pingyuan") is None and source_candidates("001_pingyuan") == []
    assert find_source("001_pingyuan", None, tmp_path / "no such folder") is None


def test_a_relative_manifest_path_is_taken_from_the_run_dir(tmp_path, monkeypatch):
    run, src = standard_run(tmp_path)
    manifest = {
        "articles": {"000_chaozhou": {"path": "../src/000_chaozhou.txt"}, "001_pingyuan": {"path": ""}}
    }
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.chdir(src)  # would resolve `../src/...` differently from the working directory
    assert find_source("000_chaozhou", run) == run / "../src/000_chaozhou.txt"
    assert find_source("001_pingyuan", run) is None


def test_load_source_is_the_pipelines_decoding(tmp_path):
    _, src = standard_run(tmp_path)
    (src / "000_chaozhou.txt").write_bytes(b"\xef\xbb\xbf" + CHAOZHOU.encode("utf-8"))
    path = src / "000_chaozhou.txt"
    assert load_source("000_chaozhou", sources=src) == read_source(path) == load_text(path) == CHAOZHOU
    assert load_source("999_none", sources=src) is None
    assert load_source("000_chaozhou") is None


# -- summarizer.core.templates -----------------------------------------------------------------


def test_template_environment_escapes_html_and_isolates_bidi_controls():
    env = template_environment("summarizer.briefing")
    template = env.from_string("<p>{{ a }}</p>{{ b }}")
    assert template.render(a="<script>\u202e", b=Markup("<b>ok</b>")) == (
        "<p>\u2068&lt;script&gt;\u202e\u2069</p><b>ok</b>"
    )


def test_template_environment_options():
    env = template_environment(
        "summarizer.briefing", autoescape=False, finalize=str.upper, filters={"x2": lambda v: v * 2}
    )
    assert env.from_string("{{ a | x2 }}").render(a="<i>") == "<I><I>"
    assert env.get_template("memo.md.j2") is not None  # loads the package's templates/
    strict = template_environment("summarizer.evaluation", strict=True)
    with pytest.raises(Exception, match="undefined"):
        strict.from_string("{{ nothing }}").render()
    assert template_environment("summarizer.evaluation").from_string("[{{ nothing }}]").render() == "[]"
    trimmed = template_environment("summarizer.briefing", keep_trailing_newline=False)
    assert trimmed.from_string("  {% if 1 %}\nx\n  {% endif %}\n").render() == "x\n"
    kept = template_environment("summarizer.briefing", trim_blocks=False)
    assert kept.from_string("{% if 1 %}\nx{% endif %}\n").render() == "\nx\n"
