"""The memo and the viewer in a real browser: headless Chromium's rendered DOM, after scripts ran.

Skipped when no Chromium is installed (`.ci/run` installs Debian's `chromium`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from summarizer.briefing.memo import MemoOptions
from summarizer.briefing.memo_render import write_memo
from summarizer.briefing.memo_run import viewer_filename

try:
    from tests.test_memo_fixture import chaozhou, hostile, hostile_run, pingyuan, standard_run
    from tests.test_viewer import expected_spans, figure_texts, span_texts
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_memo_fixture import chaozhou, hostile, hostile_run, pingyuan, standard_run
    from test_viewer import expected_spans, figure_texts, span_texts

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "chrome")) if p), None
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary; apt-get install chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def rendered_dom(page: Path, profile: Path) -> BeautifulSoup:
    """The DOM of `page` after its scripts ran, as Chromium serializes it."""
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return BeautifulSoup(done.stdout, "html.parser")


def figures_of(summary) -> list[str]:
    return [o.value_text for i in summary.initiatives for o in i.outcomes if o.value_text]


def test_memo_and_viewer_show_every_figure_and_exact_spans(tmp_path):
    run, src = standard_run(tmp_path / "in")
    memo_path, _ = write_memo(run, tmp_path / "out" / "memo.html", MemoOptions(), src)
    memo = rendered_dom(memo_path, tmp_path / "profile")
    memo_text = memo.get_text()
    for summary in (chaozhou(), pingyuan()):
        for value_text in figures_of(summary):
            assert value_text in memo_text
        page = rendered_dom(
            memo_path.parent / "view" / viewer_filename(summary.article_id), tmp_path / "profile"
        )
        assert page.body.get("data-viewer-ready") == "1"  # the page's own script ran under its CSP
        assert span_texts(page) == expected_spans(summary)
        shown = figure_texts(page)
        assert sorted(shown.values()) == sorted(figures_of(summary))


def test_hostile_article_runs_no_script(tmp_path):
    run, src = hostile_run(tmp_path / "in")
    memo_path, _ = write_memo(run, tmp_path / "out" / "memo.html", MemoOptions(), src)
    viewer_path = memo_path.parent / "view" / viewer_filename("002_hostile")
    for page in (memo_path, viewer_path):
        dom = rendered_dom(page, tmp_path / "profile")
        assert dom.body.get("data-pwned") is None
        assert dom.find("img") is None
        assert "<script>document.body.setAttribute" in dom.get_text()  # shown as text
    viewer = rendered_dom(viewer_path, tmp_path / "profile")
    assert viewer.body.get("data-viewer-ready") == "1"
    assert span_texts(viewer) == expected_spans(hostile())
