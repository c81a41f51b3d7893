"""Workbooks built in tests, in layouts real forms use (independent of the tool's own reader)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def put(ws, ref: str, value, *, text: bool = False):
    """Set a cell; strings starting with '=' stay text unless it is a real formula we asked for."""
    ws[ref] = value
    if text and isinstance(value, str) and value.startswith("="):
        ws[ref].data_type = "s"
    return ws[ref]


def national_form(path: Path, *, rows, funds=(10.0, 10.0, 9.5), funds_score=None, funds_rate=None,
                  total=None, year=2024, name="示例项目", grade_cell=False, spaced_headers=False) -> dict:
    """The national 项目支出绩效自评表 (财预〔2020〕10号 附件): columns 一级指标 | 二级指标 | 三级指标 |
    年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 (two sub-columns 原因分析 | 改进措施
    on a second header row). *rows*: (一级, 二级, 三级, 指标值, 实际值, 分值, 得分, 原因). Returns cell map."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.merge_cells("A1:J1")
    put(ws, "A1", "项目支出绩效自评表").font = Font(bold=True, size=14)
    ws.merge_cells("A2:J2")
    put(ws, "A2", f"（ {year}年度）")
    put(ws, "A3", "项 目 名 称" if spaced_headers else "项目名称")
    ws.merge_cells("B3:J3")
    put(ws, "B3", name)
    put(ws, "A4", "主管部门")
    ws.merge_cells("B4:E4")
    put(ws, "B4", "某市商务局")
    put(ws, "F4", "实施单位")
    ws.merge_cells("G4:J4")
    put(ws, "G4", "某市商务局")
    ws.merge_cells("A5:A9")
    put(ws, "A5", "项目资金\n（万元）")
    for col, h in zip("CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        put(ws, f"{col}5", h)
    start, budget, spent = funds
    put(ws, "B6", "年度资金总额")
    put(ws, "C6", start)
    put(ws, "D6", budget)
    put(ws, "E6", spent)
    put(ws, "F6", 10)
    if funds_rate is not None:
        put(ws, "G6", funds_rate)
    if funds_score is not None:
        put(ws, "H6", funds_score)
    put(ws, "B7", "其中：当年财政拨款")
    put(ws, "C7", start)
    put(ws, "D7", budget)
    put(ws, "E7", spent)
    for r, label in ((8, "上年结转资金"), (9, "其他资金")):
        put(ws, f"B{r}", label)
        for col in "CDE":
            put(ws, f"{col}{r}", 0)
    for r in (7, 8, 9):
        for col in "FH":
            put(ws, f"{col}{r}", "—")
    ws.merge_cells("A10:A11")
    put(ws, "A10", "年度\n总体\n目标")
    ws.merge_cells("B10:E10")
    put(ws, "B10", "预期目标")
    ws.merge_cells("F10:J10")
    put(ws, "F10", "实际完成情况")
    ws.merge_cells("B11:E11")
    put(ws, "B11", "按计划完成项目建设。")
    ws.merge_cells("F11:J11")
    put(ws, "F11", "已按计划完成。")
    # two-row indicator header
    first = 14
    last = first + len(rows) - 1
    ws.merge_cells(f"A12:A{last}")
    put(ws, "A12", "绩\n效\n指\n标")
    heads = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
    if spaced_headers:
        heads = ("一级 指标", "二级\n指标", "三级指标", "年度\n指标值", "实际 完成值", "分 值", "得 分")
    for col, h in zip("BCDEFGH", heads):
        ws.merge_cells(f"{col}12:{col}13")
        put(ws, f"{col}12", h)
    ws.merge_cells("I12:J12")
    put(ws, "I12", "偏差原因分析及改进措施")
    put(ws, "I13", "原因分析")
    put(ws, "J13", "改进措施")
    cells = {"rows": []}
    for i, (l1, l2, l3, target, actual, weight, score, reason) in enumerate(rows):
        r = first + i
        put(ws, f"B{r}", l1)
        put(ws, f"C{r}", l2)
        put(ws, f"D{r}", l3)
        put(ws, f"E{r}", target, text=True)
        put(ws, f"F{r}", actual, text=True)
        put(ws, f"G{r}", weight)
        if score is not None:
            put(ws, f"H{r}", score)
        if reason:
            put(ws, f"I{r}", reason)
        cells["rows"].append({"row": r, "score": f"H{r}", "actual": f"F{r}", "target": f"E{r}"})
    tr = last + 1
    ws.merge_cells(f"A{tr}:F{tr}")
    put(ws, f"A{tr}", "总分")
    put(ws, f"G{tr}", 100)
    if total is not None:
        put(ws, f"H{tr}", total)
    cells["total"] = f"H{tr}"
    if grade_cell:
        put(ws, f"A{tr + 1}", "评价等级")
        cells["grade"] = f"B{tr + 1}"
    for row in ws.iter_rows(min_row=3, max_row=tr, max_col=10):
        for c in row:
            c.border = BOX
            c.alignment = Alignment(wrap_text=True, vertical="center")
    wb.save(path)
    return cells


def sample_rows():
    """A realistic, internally consistent national-template form (weights 90 + funds 10)."""
    return [
        ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "12场", 20, 20, ""),
        ("产出指标", "质量指标", "活动验收合格率", "=100%", "100%", 10, 10, ""),
        ("产出指标", "时效指标", "项目完成时间", "2024年12月31日前", "2024年11月30日", 10, 10, ""),
        ("成本指标", "经济成本指标", "活动经费", "≤10万元", "9.5万元", 20, 20, ""),
        ("效益指标", "社会效益指标", "带动消费增长", "有效带动", "达成年度指标", 20, 18, "宣传覆盖面仍可扩大"),
        ("满意度指标", "服务对象满意度指标", "参与商户满意度", "≥90%", "95%", 10, 10, ""),
    ]


def one_row_form(ws) -> None:
    """Write the one-row form the package and file-safety tests build with xlsxwriter into its worksheet *ws*:
    the header and a 场次 row (≥10场 target, 5场 done) scored 90 of 90."""
    ws.write_row(0, 0, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    ws.write_row(1, 0, ["产出指标", "数量指标", "场次", "≥10场", "5场", 90, 90])
