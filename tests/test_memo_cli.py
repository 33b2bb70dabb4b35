"""`summarizer memo` and `summarizer view` through click, as a user runs them."""

from __future__ import annotations

from click.testing import CliRunner

from summarizer.briefing.memo_executive import ExecutiveSummary
from summarizer.briefing.memo_run import viewer_filename
from summarizer.cli import main

try:
    from tests.test_memo_fixture import standard_run
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_memo_fixture import standard_run


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_memo_writes_markdown_and_prints_its_path(tmp_path):
    run, src = standard_run(tmp_path)
    out = tmp_path / "memo.md"
    result = invoke("memo", str(run), "-o", str(out), "--sources", str(src), "--title", "广东改革简报")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    assert out.read_text(encoding="utf-8").startswith("# 广东改革简报\n")


def test_html_memo_writes_viewer_pages(tmp_path):
    run, src = standard_run(tmp_path)
    out = tmp_path / "site" / "memo.html"
    result = invoke("memo", str(run), "-o", str(out), "--sources", str(src), "--group-by", "domain")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out.parent / "view").iterdir()) == [
        viewer_filename("000_chaozhou"),
        viewer_filename("001_pingyuan"),
    ]


def test_memo_options_reach_the_memo(tmp_path):
    run, src = standard_run(tmp_path)
    out = tmp_path / "memo.md"
    args = ["memo", str(run), "-o", str(out), "--sources", str(src), "--domain", "public_services"]
    assert invoke(*args).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "县管校聘" in text and "反向飞地" not in text
    assert invoke(*args, "--min-figures", "2").exit_code == 0
    assert "No initiative matches the filters." in out.read_text(encoding="utf-8")


def test_executive_summary_with_the_fake_backend(tmp_path):
    run, src = standard_run(tmp_path)
    out = tmp_path / "memo.md"
    result = invoke(
        "memo", str(run), "-o", str(out), "--sources", str(src), "--executive-summary", "--backend", "fake"
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "(model-written)" in text and ExecutiveSummary.fake_default().paragraph in text


def test_bad_input_is_one_line_not_a_traceback(tmp_path):
    run, _ = standard_run(tmp_path)
    (run / "broken.json").write_text("{not json", encoding="utf-8")
    result = invoke("memo", str(run), "-o", str(tmp_path / "m.md"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "broken.json" in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


def test_missing_sources_warn_but_the_memo_is_written(tmp_path, monkeypatch):
    run, _ = standard_run(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke("memo", str(run), "-o", "memo.html")
    assert result.exit_code == 0
    assert result.stderr.count("warning: ") == 2 and (tmp_path / "memo.html").is_file()


def test_view_prints_the_page_path(tmp_path):
    run, src = standard_run(tmp_path)
    result = invoke("view", str(run / "000_chaozhou.json"), "--sources", str(src))
    assert result.exit_code == 0, result.output
    page = run / "view" / viewer_filename("000_chaozhou")
    assert result.stdout.strip() == str(page) and page.is_file()


def test_view_without_source_says_what_to_pass(tmp_path, monkeypatch):
    run, _ = standard_run(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke("view", str(run / "000_chaozhou.json"))
    assert result.exit_code == 1 and "pass --sources DIR" in result.stderr
