"""Briefing memos: content, citations, options, escaping, the executive summary, the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from summarizer.backends.fake import FakeBackend
from summarizer.briefing.build import build_memo
from summarizer.briefing.memo import MemoOptions
from summarizer.briefing.memo_executive import PROMPT_REF, ExecutiveSummary
from summarizer.briefing.memo_overview import shared_initiatives, similar_names
from summarizer.briefing.memo_render import md_escape, render_markdown, write_memo
from summarizer.briefing.memo_run import DOMAIN_LABELS, load_run
from summarizer.core.errors import ConfigError, InputError

try:
    from tests.test_memo_fixture import CHAOZHOU, PINGYUAN, chaozhou, hostile_run, pingyuan, standard_run
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_memo_fixture import CHAOZHOU, PINGYUAN, chaozhou, hostile_run, pingyuan, standard_run

TEXTS = {"000_chaozhou": CHAOZHOU, "001_pingyuan": PINGYUAN}
FOOTNOTE = re.compile(r"^\[\^(\d+)\]: “(.*)” — `(\S+):(\d+)-(\d+)`", re.M)


def _md(tmp_path: Path, **options) -> str:
    run, src = standard_run(tmp_path)
    out, _ = write_memo(run, tmp_path / "memo.md", MemoOptions(**options), src)
    return out.read_text(encoding="utf-8")


def _figures(summaries):
    return [o.value_text for s in summaries for i in s.initiatives for o in i.outcomes if o.value_text]


def test_markdown_memo_shows_every_figure_and_initiative(tmp_path):
    text = _md(tmp_path)
    summaries = [chaozhou(), pingyuan()]
    for value_text in _figures(summaries):
        assert f"**{md_escape(value_text)}**" in text
    for ini in (i for s in summaries for i in s.initiatives):
        assert md_escape(ini.name) in text
    assert text.index("## Overview") < text.index("潮州市 · city · 广东省")


def test_footnotes_quote_the_source_at_their_offsets(tmp_path):
    text = _md(tmp_path)
    notes = FOOTNOTE.findall(text)
    summaries = [chaozhou(), pingyuan()]
    spans = sum(len(i.evidence) + len(i.outcomes) for s in summaries for i in s.initiatives)
    assert [int(n) for n, *_ in notes] == list(range(1, spans + 1))
    for _, quote, article_id, start, end in notes:
        assert TEXTS[article_id][int(start) : int(end)] == quote
    body = text.split("\n---\n")[0]
    assert set(re.findall(r"\[\^(\d+)\]", body)) == {n for n, *_ in notes}


def test_null_offsets_are_located_and_said_so(tmp_path):
    text = _md(tmp_path)
    passage = "同比增长12.5%"
    start = CHAOZHOU.index(passage)
    assert f"“{passage}” — `000_chaozhou:{start}-{start + len(passage)}` (located by text search)" in text


def test_memo_without_sources_cites_what_was_recorded(tmp_path, monkeypatch):
    run, _ = standard_run(tmp_path)
    monkeypatch.chdir(tmp_path)  # no seeds/ here either
    out, warnings = write_memo(run, tmp_path / "memo.md", MemoOptions())
    text = out.read_text(encoding="utf-8")
    assert "`000_chaozhou:?`" in text and "(passage not found in the source)" in text
    assert len(warnings) == 2 and all("--sources" in w for w in warnings)


def test_overview_ranks_amounts_and_finds_shared_initiatives():
    summaries = [chaozhou(), pingyuan()]
    memo = build_memo(summaries, MemoOptions(), TEXTS)
    amounts = [o.value for o, _ in memo.overview.largest_amounts]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == 2
    assert {o.unit for o, _ in memo.overview.top_percentages} == {"%"}
    shared = memo.overview.shared
    assert len(shared) == 1 and shared[0].places == ["潮州市", "平远县"]


def test_single_article_memo_has_no_overview():
    memo = build_memo([chaozhou()], MemoOptions(), TEXTS)
    assert memo.overview is None
    assert "## Overview" not in render_markdown(memo)
    assert memo.title == "Reform briefing: 潮州市"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("“一照通”改革", "一照通改革", True),
        ("一照通", "“一照通”+“信易批”审批服务改革", True),
        ("县管校聘", "县管校聘改革", True),
        ("“一照通”改革", "“一照通”+“信易批”审批服务改革", True),  # one is the term + a generic word
        ("“反向飞地”", "潮州—罗湖创享岛“反向飞地”", True),  # a shared quoted term, nothing else
        ("“一照通”改革", "推广“一照通”经验", True),
        ("“百千万工程”巡察", "“百千万工程”专家智库", False),
        ("改革", "审批服务改革", False),  # too short to count as contained
        ("县管校聘", "整村授信", False),
        ("", "整村授信", False),
    ],
)
def test_similar_names(a, b, same):
    assert similar_names(a, b) is same


def test_shared_initiatives_ignore_repeats_within_one_article():
    memo = build_memo([chaozhou()], MemoOptions(), TEXTS)
    twice = memo.initiatives + memo.initiatives
    assert shared_initiatives(twice) == []


def test_group_by_domain_orders_sections_like_the_schema(tmp_path):
    text = _md(tmp_path, group_by="domain")
    headings = re.findall(r"^## (?:<a id=\"dom\d+\"></a>)?(.+)$", text, re.M)
    expected = [
        DOMAIN_LABELS[d]
        for d in DOMAIN_LABELS
        if any(i.domain.value == d for s in (chaozhou(), pingyuan()) for i in s.initiatives)
    ]
    assert [md_escape(h) for h in expected] == [h for h in headings if h != "Overview"]


def test_domain_filter_and_min_figures(tmp_path):
    memo = build_memo([chaozhou(), pingyuan()], MemoOptions(domains=("business_environment",)), TEXTS)
    assert {i.domain for i in memo.initiatives} == {"business_environment"}
    assert len(memo.initiatives) == 2
    memo = build_memo([chaozhou(), pingyuan()], MemoOptions(min_figures=2), TEXTS)
    assert [i.name for i in memo.initiatives] == ["“一照通”+“信易批”审批服务改革"]
    assert [a.summary.article_id for a in memo.articles] == ["000_chaozhou"]
    text = _md(tmp_path, min_figures=2)
    assert "initiatives with at least 2 figure(s)" in text and "县管校聘" not in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>x</script>", r"\<script\>x\</script\>"),
        ("[点我](javascript:alert(1))", r"\[点我\](javascript:alert(1))"),
        ("国资 & 金融_改革", "国资 & 金融_改革"),
        ("a|b", r"a\|b"),
        ("# 标题", r"\# 标题"),
        ("第一行\n第二行", "第一行 第二行"),
        ("潮州市５.９万户", "潮州市５.９万户"),
        (None, ""),
    ],
)
def test_md_escape(raw, escaped):
    assert md_escape(raw) == escaped


def test_hostile_markdown_is_inert(tmp_path):
    run, src = hostile_run(tmp_path)
    out, _ = write_memo(run, tmp_path / "memo.md", MemoOptions(), src)
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(script|img)", text)
    assert not re.search(r"(?<!\\)\]\(javascript:", text)
    assert r"\<script\>" in text


def test_hostile_html_memo_is_inert(tmp_path):
    run, src = hostile_run(tmp_path)
    out, _ = write_memo(run, tmp_path / "memo.html", MemoOptions(), src)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', html))
    assert "&lt;script&gt;" in html
    assert "script-src" not in html  # the memo runs no script at all (CSP default-src 'none')


def test_html_memo_links_each_citation_to_the_viewer(tmp_path):
    run, src = standard_run(tmp_path)
    out, warnings = write_memo(run, tmp_path / "out" / "memo.html", MemoOptions(), src)
    html = out.read_text(encoding="utf-8")
    links = re.findall(r'<sup class="cite"><a href="(view/[^"#]+)#span-(i\d+-[eo]\d+)"', html)
    assert warnings == [] and links
    for page, key in links:
        page_html = (out.parent / page).read_text(encoding="utf-8")
        assert f'id="span-{key}"' in page_html


def test_executive_summary_is_model_written_and_marked(tmp_path):
    run, src = standard_run(tmp_path)
    backend = FakeBackend(model="fake-1")
    backend.enqueue(ExecutiveSummary(paragraph="两地推进审批改革，成效明显。"))
    out, _ = write_memo(run, tmp_path / "memo.md", MemoOptions(), src, backend)
    text = out.read_text(encoding="utf-8")
    assert "## Executive summary (model-written)" in text
    assert "> 两地推进审批改革，成效明显。" in text and "fake-1" in text
    (call,) = backend.history
    assert call.prompt_id == PROMPT_REF and "357.14亿元" in call.messages[-1]["content"]


def test_no_model_call_without_the_option(tmp_path):
    assert "Executive summary" not in _md(tmp_path)


def test_bad_summary_file_names_the_file(tmp_path):
    run, _ = standard_run(tmp_path)
    (run / "zzz.json").write_text('{"article_id": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match=r"zzz\.json: is not an ArticleSummary \(title"):
        load_run(run)


def test_empty_run_dir_and_bad_suffix(tmp_path):
    with pytest.raises(InputError, match="holds no <article_id>.json summaries"):
        load_run(tmp_path)
    run, _ = standard_run(tmp_path)
    with pytest.raises(ConfigError, match="name the memo .md, .html or .docx"):
        write_memo(run, tmp_path / "memo.pdf", MemoOptions())


def test_manifest_and_report_are_not_summaries(tmp_path):
    run, _ = standard_run(tmp_path)
    (run / "manifest.json").write_text('{"articles": {}}', encoding="utf-8")
    (run / "report.json").write_text("{}", encoding="utf-8")
    assert [s.article_id for s in load_run(run)] == ["000_chaozhou", "001_pingyuan"]


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_memo_reads_each_source_file_once(tmp_path, source_reads, suffix):
    """The memo's texts and its viewer pages share one read per source (issue 14)."""
    run, src = standard_run(tmp_path)
    out, warnings = write_memo(run, tmp_path / f"memo{suffix}", MemoOptions(), src)
    assert warnings == [] and out.is_file()
    assert sorted(source_reads) == ["000_chaozhou.txt", "001_pingyuan.txt"]


def _executive_memo(tmp_path):
    from summarizer.briefing.memo_render import load_memo

    run, src = standard_run(tmp_path)
    memo, _ = load_memo(run, MemoOptions(), src)
    return memo


def test_executive_summary_goes_through_model_calls_and_records_its_usage(tmp_path):
    from summarizer.briefing.memo_executive import executive_summary
    from summarizer.llm.calls import ModelCalls, TokenBudget

    backend = FakeBackend(model="fake-1")
    budget = TokenBudget(None)
    calls = ModelCalls(backend, budget)
    note = executive_summary(_executive_memo(tmp_path), calls)
    (attempt,) = calls.attempts
    assert note.attempts == (attempt,) and attempt.ok and attempt.ceiling_tokens > 0
    assert budget.used == attempt.ceiling_tokens
    assert calls.prompt_ids == [PROMPT_REF] and backend.history[0].prompt_id == PROMPT_REF
    assert (note.backend, note.model) == ("fake", "fake-1")


def test_executive_summary_respects_the_token_ceiling(tmp_path):
    from summarizer.briefing.memo_executive import executive_summary
    from summarizer.core.errors import BudgetExceeded
    from summarizer.llm.calls import ModelCalls, TokenBudget

    backend = FakeBackend()
    budget = TokenBudget(100)
    budget.used = 100  # spent by earlier calls of the run
    with pytest.raises(BudgetExceeded, match="token ceiling reached"):
        executive_summary(_executive_memo(tmp_path), ModelCalls(backend, budget))
    assert backend.history == []  # refused before the request, like every other model call
