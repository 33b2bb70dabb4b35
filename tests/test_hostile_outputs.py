"""Issue 12, rows 8/15 and 17: what outputs are named and what text they print.

Viewer pages named per article id (`a b`, `a_b` and `a(b` no longer share one page); bidi
controls isolated in the Markdown memo, the HTML memo and the viewer (its <title> included); a
backtick in an article id escaped once; a model's place kept only when it is a real one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from faultserver import SEEDS, FaultServer, cli_env, read_outputs, run_cli

from summarizer.backends.fake import FakeBackend
from summarizer.briefing.memo_run import viewer_filename
from summarizer.cli import main
from summarizer.core.bidi import FSI, PDI, isolate
from summarizer.core.config import RunConfig
from summarizer.ingest.article import ingest_file
from summarizer.llm.calls import ModelCalls
from summarizer.pipeline import article_fields

SEED = SEEDS / "000_85ee287e49764f57.txt"
RLO = "\u202e"


def _article(folder: Path, stem: str, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.txt"
    path.write_text(f"---\ntitle: {title}\n---\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def tricky_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A rules run over articles whose ids share a stem, hold a backtick, and a title with U+202E."""
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    inputs = tmp_path / "in"
    for stem, title in [("a b", "甲篇"), ("a_b", "乙篇"), ("a(b", "丙篇"), ("x`y", f"丁篇{RLO}cba")]:
        _article(inputs, stem, title)
    _cli("run", str(inputs), "-o", str(tmp_path / "run"), "--backend", "none")
    return tmp_path / "run", inputs


# -- row 8/15: one viewer page per article id ---------------------------------------------------


def test_ids_that_share_a_stem_get_pages_of_their_own(tricky_run: tuple[Path, Path], tmp_path: Path) -> None:
    run, inputs = tricky_run
    memo = tmp_path / "site" / "memo.html"
    _cli("memo", str(run), "-o", str(memo), "--sources", str(inputs))
    pages = sorted((memo.parent / "view").iterdir())
    assert len(pages) == 4 and len({p.name for p in pages}) == 4
    titles = {"a b": "甲篇", "a_b": "乙篇", "a(b": "丙篇"}
    for article_id, title in titles.items():
        page = memo.parent / "view" / viewer_filename(article_id)
        assert BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").h1.get_text() == title
    # Each article's citations open its own page.
    html = BeautifulSoup(memo.read_text(encoding="utf-8"), "html.parser")
    linked = {a["href"].split("#")[0] for a in html.select("sup.cite a")}
    assert len(linked) == 4


def test_viewer_filename_is_a_safe_stem_and_a_hash() -> None:
    names = {viewer_filename(i) for i in ("a b", "a_b", "a(b", "../a_b")}
    assert len(names) == 4
    assert all(re.fullmatch(r"[\w.-]+-[0-9a-f]{8}\.html", n) and not n.startswith(".") for n in names)


# -- row 15: bidi controls and backticks -------------------------------------------------------


def test_bidi_controls_are_isolated_in_memos_and_the_viewer(
    tricky_run: tuple[Path, Path], tmp_path: Path
) -> None:
    run, inputs = tricky_run
    title = f"丁篇{RLO}cba"
    markdown = tmp_path / "memo.md"
    _cli("memo", str(run), "-o", str(markdown), "--sources", str(inputs))
    text = markdown.read_text(encoding="utf-8")
    assert re.search(f'^### <a id="a\\d"></a>{FSI}{title}{PDI}$', text, re.M)
    assert _all_isolated(text)

    html = tmp_path / "site" / "memo.html"
    _cli("memo", str(run), "-o", str(html), "--sources", str(inputs))
    page = (html.parent / "view" / viewer_filename("x`y")).read_text(encoding="utf-8")
    assert f"<title>{FSI}{title}{PDI} · evidence</title>" in page
    assert f"<h1>{FSI}{title}{PDI}</h1>" in page
    for document in (page, html.read_text(encoding="utf-8")):
        assert RLO in document and _all_isolated(document)


def _all_isolated(document: str) -> bool:
    """Every U+202E sits inside an FSI … PDI pair."""
    depth = 0
    for ch in document:
        depth += {FSI: 1, PDI: -1}.get(ch, 0)
        if ch == RLO and depth <= 0:
            return False
    return depth == 0


def test_a_value_cannot_close_its_isolate_early() -> None:
    assert isolate("plain") == "plain"
    assert isolate(f"{PDI}{RLO}evil") == f"{FSI}{RLO}evil{PDI}"  # the stray PDI is dropped
    assert isolate(f"\u2067x{PDI}{RLO}") == f"{FSI}\u2067x{PDI}{RLO}{PDI}"  # a matched one is kept


def test_a_backtick_in_an_article_id_is_escaped_once(tricky_run: tuple[Path, Path], tmp_path: Path) -> None:
    run, inputs = tricky_run
    markdown = tmp_path / "memo.md"
    _cli("memo", str(run), "-o", str(markdown), "--sources", str(inputs))
    text = markdown.read_text(encoding="utf-8")
    assert "x\\`y" in text and "x\\\\\\`y" not in text and "x\\\\`y" not in text


# -- row 17: a model's locality ---------------------------------------------------------------


def test_a_hostile_locality_gives_way_to_the_deterministic_one(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    fault_server.script = lambda req: "hostile_locality" if req.response_model == "ArticleFields" else None
    result = run_cli(fault_server, [SEED], tmp_path / "out", env=cli_env(tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    assert any(r.fault == "hostile_locality" for r in fault_server.requests)
    [summary] = read_outputs(tmp_path / "out").values()
    assert summary["locality"] == {"name": "潮州市", "level": "city", "province": "广东省"}


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ({"name": "潮安区", "level": "district", "province": "广东省"}, True),  # printed, and a division
        ({"name": "潮州市潮安区", "level": "district", "province": "广东省"}, True),  # city + district
        ({"name": "庵埠镇", "level": "town", "province": None}, True),  # printed whole
        ({"name": "广州市</textarea><svg onload=alert(12)>", "level": "city", "province": None}, False),
        ({"name": "潮州市", "level": "city", "province": "javascript:alert(12)"}, False),
        ({"name": "广州市", "level": "city", "province": "广东省"}, False),  # real, but not this article's
        ({"name": "潮州新区", "level": "district", "province": None}, False),  # only its first two characters
    ],
)
def test_a_model_place_is_kept_only_when_real(written: dict, kept: bool) -> None:
    article = ingest_file(SEED)
    backend = FakeBackend()
    summary = "潮州以改革为抓手推进城乡区域协调发展。全市强县促镇带村，县域经济加快发展。乡村振兴和城乡融合取得新进展。"
    backend.enqueue({"locality": written, "summary": summary})
    locality, _ = article_fields(article, [], ModelCalls(backend), RunConfig())
    if kept:
        assert locality.model_dump() == written
    else:
        assert (locality.name, locality.province) == ("潮州市", "广东省")
