"""Numbers the clerk typed as percentages (Excel stores 95% as 0.95 in a cell formatted 0%): read as shown,
through the file adapter and through the button's adapter alike."""

from __future__ import annotations

import openpyxl
import pytest

from builders import national_form, sample_rows
from conftest import run_json
from fake_xlwings import FakeBook
from xlscore.grid import as_shown


@pytest.mark.parametrize("value, fmt, shown", [
    (0.95, "0%", "95%"), (1, "0.00%", "100%"), (0.9567, "0%", "95.67%"), (1.1111111, "0.00%", "111.11111%"),
    (0.95, "General", 0.95), (95, "0.00", 95), (True, "0%", True), ("95%", "0%", "95%"),
    (0.5, '0.00"%"', 0.5),    # a quoted % is literal text: Excel does not multiply by 100
    (0.5, '0.00" pct"', 0.5), (-0.05, "0%;-0%", "-5%"),
])
def test_as_shown(value, fmt, shown):
    assert as_shown(value, fmt) == shown


def _form(tmp_path):
    path = tmp_path / "pct.xlsx"
    national_form(path, rows=sample_rows())
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    rows = {ws.cell(r, 4).value: r for r in range(14, 20)}
    ws.cell(rows["参与商户满意度"], 6).value = 0.95            # typed 95% into a General cell
    ws.cell(rows["参与商户满意度"], 6).number_format = "0%"
    ws.cell(rows["活动验收合格率"], 6).value = 1
    ws.cell(rows["活动验收合格率"], 6).number_format = "0.00%"
    wb.save(path)
    return path


def test_percent_formatted_numbers_have_their_unit(tmp_path):
    path = _form(tmp_path)
    code, doc = run_json("check", str(path))
    findings = doc["files"][0]["sheets"][0]["findings"]
    assert not [f for f in findings if f["code"].startswith("unit-")], findings
    assert code == 0 and doc["files"][0]["sheets"][0]["total"] == pytest.approx(97.5)


def test_the_button_reads_formats_like_the_cli(tmp_path):
    from xlscore import addin
    path = _form(tmp_path)
    code, doc = run_json("check", str(path))
    cli = sorted((f["cell"], f["code"]) for f in doc["files"][0]["sheets"][0]["findings"])
    book = FakeBook.from_file(path)
    results = addin.run(book, write=False)
    button = sorted((f.cell, f.code) for f in results[0].findings)
    assert button == cli


def _points_form(path, rate_first_row):
    """A provincial variant: 年度指标值(A) | 实际完成值(B) | 完成率(%) holding percentage points (90 = 90%)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评"
    ws["A1"], ws["A2"], ws["B2"] = "2024年度项目支出绩效自评表", "项目名称", "示例"
    for i, h in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值(A)", "实际完成值(B)", "完成率(%)", "分值",
                           "得分", "未完成原因和改进措施"), 1):
        ws.cell(4, i, h)
    rows = [("产出指标", "数量指标", "培训人次", "≥100人次", "90人次", rate_first_row, 30, 27, "天气原因"),
            ("产出指标", "质量指标", "合格率", "≥95%", "96%", 101.05, 30, 30, ""),
            ("效益指标", "社会效益指标", "带动就业", "≥20人", "22人", 110, 30, 30, ""),
            ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "92%", 102.22, 10, 10, "")]
    for r, row in enumerate(rows, 5):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)
    ws.cell(9, 1, "总分")
    ws.cell(9, 7, 100)
    ws.cell(9, 8, 97)
    wb.save(path)


def test_rates_typed_as_percentage_points(tmp_path):
    _points_form(tmp_path / "ok.xlsx", 90)
    code, doc = run_json("check", str(tmp_path / "ok.xlsx"))
    assert code == 0 and not [f for f in doc["files"][0]["sheets"][0]["findings"] if f["severity"] != "info"]
    _points_form(tmp_path / "bad.xlsx", 95)            # 90 of ≥100 typed as 95
    code, doc = run_json("check", str(tmp_path / "bad.xlsx"))
    bad = [f for f in doc["files"][0]["sheets"][0]["findings"] if f["code"] == "rate-mismatch"]
    assert code == 1 and [(f["cell"], f["expected"], f["found"]) for f in bad] == [("F5", "90%", "95%")]


def test_a_table_whose_score_columns_were_not_recognised_says_so(tmp_path):
    """Headers xlscore does not know (权值X, 分数Y) must not give a silent, funds-only total."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, h in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "权值X", "分数Y"), 1):
        ws.cell(3, i, h)
    for i, v in enumerate(("产出指标", "数量指标", "活动场次", "≥10场", "12场", 20, 20), 1):
        ws.cell(4, i, v)
    ws.cell(5, 1, "总分")
    wb.save(tmp_path / "f.xlsx")
    code, doc = run_json("check", str(tmp_path / "f.xlsx"))
    found = [f for f in doc["files"][0]["sheets"][0]["findings"] if f["code"] == "columns-missing"]
    assert len(found) == 1 and found[0]["severity"] == "warning" and found[0]["cell"] == "A3"
    assert "分值、得分" in found[0]["message"] and "实际完成值" in found[0]["message"]
