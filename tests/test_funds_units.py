"""A funds block in 元 (项目资金（元）) is compared with 万元 figures (cost targets, goal text) in 万元."""

from __future__ import annotations

import openpyxl

from builders import national_form, sample_rows
from conftest import run_cli, run_json


def _yuan_form(path, text):
    national_form(path, rows=sample_rows(), funds=(100000, 100000, 95000), funds_score=9.5)   # filled in, as published
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["A5"] = "项目资金\n（元）"
    ws["F11"] = text
    wb.save(path)


def _warnings(doc):
    return [(f["cell"], f["code"]) for s in doc["files"][0]["sheets"] for f in s["findings"] if f["severity"] != "info"
            and f["code"] != "overachievement-review"]


def test_a_block_in_yuan_agrees_with_the_text_in_yuan(tmp_path):
    _yuan_form(tmp_path / "ok.xlsx", "全年预算数100000元，执行95000元，执行率95%。")
    code, doc = run_json("check", str(tmp_path / "ok.xlsx"))
    assert _warnings(doc) == []
    _yuan_form(tmp_path / "bad.xlsx", "全年预算数120000元，执行95000元，执行率95%。")
    code, doc = run_json("check", str(tmp_path / "bad.xlsx"))
    assert _warnings(doc) == [("F11", "goal-text-mismatch")]


def test_from_converts_a_targets_budget_in_yuan(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "项目支出绩效目标表（2024年度）"
    ws["A2"], ws["B2"] = "项目名称", "示例项目"
    ws["A3"], ws["B3"], ws["C3"] = "项目资金（元）", "年度资金总额：", 200000
    for c, h in zip("ABCD", ("一级指标", "二级指标", "三级指标", "指标值")):
        ws[f"{c}5"] = h
    ws["A6"], ws["B6"], ws["C6"], ws["D6"] = "产出指标", "数量指标", "活动场次", "≥10场"
    wb.save(tmp_path / "t.xlsx")
    out = tmp_path / "s.xlsx"
    assert run_cli("template", "self-assessment", "--from", str(tmp_path / "t.xlsx"), "-o", str(out)).returncode == 0
    ws = openpyxl.load_workbook(out)["自评表"]
    amounts = [c.value for row in ws.iter_rows(max_row=12) for c in row if isinstance(c.value, (int, float))]
    assert 20 in amounts and 200000 not in amounts          # 200000 元 = 20 万元 in the template's 万元 block


def test_a_unit_named_in_the_header_applies_to_bare_figures(tmp_path):
    """指标值（万元） | 实际完成值（万元）: ≤10 and 9.5 are 万元 — no 'unit missing'; (A)/(B) are not units."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, h in enumerate(("一级指标", "二级指标", "三级指标", "指标值（万元）", "实际完成值（万元）", "分值", "得分"), 1):
        ws.cell(3, i, h)
    for r, row in enumerate([("成本指标", "经济成本指标", "活动经费", "≤10", 9.5, 50, 50),
                             ("产出指标", "数量指标", "活动场次", "≥10场", "10场", 50, 50)], 4):
        for c, v in enumerate(row, 1):
            ws.cell(r, c, v)
    ws.cell(6, 1, "总分")
    ws.cell(6, 6, 100)
    ws.cell(6, 7, 100)
    wb.save(tmp_path / "u.xlsx")
    code, doc = run_json("check", str(tmp_path / "u.xlsx"))
    assert _warnings(doc) == [] and code == 0
    ws.cell(3, 4, "年度指标值（A）")          # a label, not a unit: the bare ≤10 has none again
    ws.cell(3, 5, "实际完成值（B）")
    wb.save(tmp_path / "ab.xlsx")
    code, doc = run_json("check", str(tmp_path / "ab.xlsx"))
    assert ("D4", "unit-missing") in _warnings(doc)
