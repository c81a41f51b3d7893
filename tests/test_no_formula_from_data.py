"""No formula from data (issue 14, item 5): hostile text typed into a form goes through every output — the
report sheet, the state sheet, the batch summary workbook, the CSV export, the terminal — as inert text."""

from __future__ import annotations

import csv
import io
import json
import shutil

import openpyxl
import pytest

from builders import national_form, sample_rows
from conftest import SAMPLES, run_cli
from lo import convert, needs_soffice, report_only
from openpyxl.comments import Comment
from xlscore import batch
from xlscore.write import neutral

LINK = '=HYPERLINK("http://evil.example/x","点此")'
HOSTILE = [LINK, "=1+1", "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\r=1+1"]


def _hostile_form(path):
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", LINK, 20, 20, "=1+1")
    rows[1] = ("产出指标", "质量指标", "+1+1", "=100%", "-1+1", 10, "@SUM(1,1)", "")
    rows[4] = ("效益指标", "社会效益指标", "带动消费增长", "有效带动", "达成年度指标", 20, "=2*9", "宣传覆盖面仍可扩大")
    national_form(path, rows=rows, total=95, name="=1+1项目")
    wb = openpyxl.load_workbook(path)
    ws = wb["自评表"]
    for ref in ("B3", "F14", "I14", "D15", "F15", "H15", "H18"):   # typed as text, as in real forms
        ws[ref].data_type = "s"
    ws["H15"].comment = Comment("=HYPERLINK(\"http://evil.example\",\"批注\")", "张会计")   # a comment on an owned cell
    wb.save(path)


def _number(f: str) -> bool:
    try:
        float(f)
        return True
    except ValueError:
        return False


def _formula_cells(wb, sheets):
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets if ws.title in sheets
            for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_report_and_state_sheets_hold_only_text(tmp_path):
    p = tmp_path / "hostile.xlsx"
    _hostile_form(p)
    proc = run_cli("recalc", str(p))
    assert proc.returncode == 1, proc.stderr
    wb = openpyxl.load_workbook(p)
    assert _formula_cells(wb, {"xlscore", "xlscore_state"}) == []
    report = [c.value for row in wb["xlscore"].iter_rows() for c in row if isinstance(c.value, str)]
    assert LINK in report and "=1+1项目" in report                # shown, verbatim, as text
    state = [c.value for row in wb["xlscore_state"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("=HYPERLINK") for v in state)         # the clerk's comment, kept as text
    # and the clerk's own text cells in the form stay text
    assert wb["自评表"]["F14"].data_type == "s" and wb["自评表"]["F14"].value == LINK
    # the recalc is repeatable on it
    assert run_cli("recalc", str(p)).returncode == 1
    assert _formula_cells(openpyxl.load_workbook(p), {"xlscore", "xlscore_state"}) == []


def test_the_shipped_sample_report_has_no_formula(tmp_path):
    p = tmp_path / "changji.xlsx"
    shutil.copyfile(SAMPLES / "changji_2024.xlsx", p)
    run_cli("recalc", str(p))
    assert _formula_cells(openpyxl.load_workbook(p), {"xlscore", "xlscore_state"}) == []


@needs_soffice
def test_libreoffice_reads_the_report_as_text(tmp_path):
    p = tmp_path / "hostile.xlsx"
    _hostile_form(p)
    run_cli("recalc", str(p))
    only = report_only(p, tmp_path / "report_only.xlsx")
    out = convert(only, tmp_path / "lo", fmt="csv:Text - txt - csv (StarCalc):44,34,76,1")
    text = out.read_text(encoding="utf-8")
    assert "#NAME?" not in text and "Err:" not in text
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert LINK in cells and "=1+1项目" in cells
    assert "点此" not in cells and "2项目" not in cells             # neither formula was evaluated


def test_batch_csv_and_summary_workbook_are_inert(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _hostile_form(folder / "hostile.xlsx")
    proc = run_cli("batch", str(folder), "--format", "csv", "--no-cache", "--workers", "1")
    assert proc.returncode == 1, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    fields = [f for r in rows for f in r]
    assert not [f for f in fields if f.startswith(neutral.RISKY_START) and not _number(f)]
    assert any(f.startswith("'=HYPERLINK") or "=HYPERLINK" in f for f in fields)
    summary = tmp_path / "汇总.xlsx"
    proc = run_cli("batch", str(folder), "-o", str(summary), "--no-cache", "--workers", "1")
    assert proc.returncode == 1, proc.stderr
    wb = openpyxl.load_workbook(summary)
    # the summary's only formulas are its own links to the forms (column A: HYPERLINK() of the file's path, issue
    # 17): nothing from the form's cells becomes a formula
    links = [f for f in _formula_cells(wb, set(wb.sheetnames))]
    assert links and {(t, ref[0]) for t, ref, _ in links} <= {("表格", "A"), ("问题", "A")}
    assert {v for _, _, v in links} == {'=HYPERLINK("in/hostile.xlsx","in/hostile.xlsx")'}
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "=1+1项目" in values


@pytest.mark.parametrize("value", HOSTILE + ["ok", "a\x07b\x1b[31m", "负数-1"])
def test_csv_fields_are_neutralised(value):
    r = {"path": "f.xlsx", "error": None, "forms": [{"sheet": "S", "unit": value, "project": value}],
         "report": {"sheets": [{"name": "S", "findings": [{"cell": "A1", "severity": "error", "code": "c",
                                                           "message": value, "expected": -5, "found": value}]}]}}
    line = "".join(batch.csv_line(row) for row in batch.csv_rows(r))
    fields = next(csv.reader(io.StringIO(line)))
    for f in fields:
        assert _number(f) or not f.startswith(neutral.RISKY_START)
        assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in f)
    assert "-5" in fields                                         # numbers stay numbers


def test_control_characters_do_not_reach_the_terminal_or_a_cell():
    assert neutral.text("a\x07b\x1b[2J") == "a\u2407b\u241b[2J"
    assert neutral.text("第一行\n第二行\t尾") == "第一行\n第二行\t尾"
    assert neutral.excel_text("=1+1") == "'=1+1" and neutral.excel_text("-3") == "'-3"
    assert neutral.csv_field("=1+1") == "'=1+1" and neutral.csv_field(-3) == -3


def test_json_output_is_valid_with_hostile_text(tmp_path):
    p = tmp_path / "hostile.xlsx"
    _hostile_form(p)
    proc = run_cli("check", str(p), "--format", "json")
    json.loads(proc.stdout)
