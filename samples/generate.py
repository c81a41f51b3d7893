"""Build the sample workbooks from the corpus transcription of the 昌吉 2024 disclosure.

    python samples/generate.py [--corpus DIR] [--out DIR]

writes ``changji_2024.xlsx`` (13 forms, one sheet each, laid out as in the disclosure, values exactly
as printed — anomalies included), ``changji_2024_corrected.xlsx`` (the same with every anomaly that
lives in the workbook fixed, see CORRECTIONS) and ``changji_2024.layout.json`` (where every cell is,
so tests need not trust the tool's own reader). Deterministic: same input, same cells.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[1] / "shared" / "corpus"
SOURCE = "disclosure_changji_2024.forms.json"

# --------------------------------------------------------------------------- the corrections
# Each fixes one anomaly of disclosure_changji_2024.anomalies.md that lives in the workbook (the
# narrative-only K11/K14 ones cannot be). where: ("indicator", 三级) | ("funds", label) | ("goal",) | ("total",)
CORRECTIONS: list[dict] = [
    {"form": 0, "where": ("indicator", "完成2024年度社会消费品零售总额同比增长率"), "field": "得分", "from": 0.2, "to": 2,
     "anomaly": "Z1 (K2)", "why": "20 × 0.8 / 8 = 2.0"},
    {"form": 0, "where": ("goal",), "field": "goal_actual", "from": "同比增长20.9%", "to": "同比增长20.7%",
     "anomaly": "Z2 (K10)", "why": "the table says 20.7%"},
    {"form": 0, "where": ("goal",), "field": "goal_actual", "from": "工作内容：12024年", "to": "工作内容：1.2024年",
     "anomaly": "Z5 (K17)", "why": "numbering fused with the year"},
    {"form": 1, "where": ("indicator", "租赁新能源车"), "field": "业绩值", "from": "=1%", "to": "=1辆",
     "anomaly": "F1-1 (K6)", "why": "unit of the target"},
    {"form": 1, "where": ("goal",), "field": "goal_actual", "from": "15000公里", "to": "10000公里",
     "anomaly": "F1-2 (K10)", "why": "the table says 10000公里"},
    {"form": 1, "where": ("indicator", "完成时限"), "field": "目标值", "from": "=2024年12月1日前日", "to": "2024年12月1日前",
     "anomaly": "F1-3 (K9)", "why": "garbled date"},
    {"form": 1, "where": ("indicator", "预算成本控制率"), "field": "三级", "from": "预算成本控制率", "to": "租赁费用",
     "anomaly": "F1-5 (K20)", "why": "a rate name holding 万元"},
    {"form": 3, "where": ("indicator", "展会证件办理数量"), "field": "目标值", "from": ">100个", "to": ">=100个",
     "anomaly": "F3-1 (K15)", "why": "strict target met only by equality"},
    {"form": 4, "where": ("indicator", "举办州域内与活动的重点销售企业政策培训会"), "field": "三级",
     "from": "举办州域内与活动的重点销售企业政策培训会", "to": "举办州域内参与活动的重点销售企业政策培训会",
     "anomaly": "F4-1 (K17)", "why": "missing 参"},
    {"form": 5, "where": ("goal",), "field": "goal_expected", "from": "至少完成2套", "to": "完成1套",
     "anomaly": "F5-1 (K10)", "why": "the table says =1套"},
    {"form": 6, "where": ("goal",), "field": "goal_actual", "from": "2024年8月30日", "to": "2024年8月15日",
     "anomaly": "F6-1 (K10)", "why": "the table says 2024年8月15日"},
    {"form": 6, "where": ("indicator", "纠纷发生率"), "field": "业绩值", "from": "达到预期指标", "to": "=0%",
     "anomaly": "F6-2 (K7)", "why": "a numeric target needs a numeric actual"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "业绩值", "from": "=31.5万元", "to": "=32.28万元",
     "anomaly": "F7-3 (K13)", "why": "the funds block says 32.28 spent"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "完成率", "from": "98%", "to": "100%",
     "anomaly": "F7-1 (K5)", "why": "a met ≤ target is 100%"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "得分", "from": 9.5, "to": 10,
     "anomaly": "F7-2 (K2)", "why": "full weight"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "偏差原因",
     "from": None, "to": "", "anomaly": "F7-2 (K2)", "why": "no deviation left"},
    {"form": 7, "where": ("indicator", "项目预算控制率"), "field": "目标值", "from": "<=100", "to": "<=100%",
     "anomaly": "F7-4 (K6)", "why": "unit missing"},
    {"form": 7, "where": ("indicator", "项目预算控制率"), "field": "业绩值", "from": "=100", "to": "=100%",
     "anomaly": "F7-4 (K6)", "why": "unit missing"},
    {"form": 7, "where": ("indicator", "电商人才赋能项目按期执行"), "field": "目标值", "from": ">=100%", "to": "2024年12月31日前",
     "anomaly": "F7-5 (K20)", "why": "a 时效指标 takes a deadline"},
    {"form": 7, "where": ("indicator", "电商人才赋能项目按期执行"), "field": "业绩值", "from": "=100%", "to": "2024年12月31日",
     "anomaly": "F7-5 (K20)", "why": "a 时效指标 takes a date"},
    {"form": 7, "where": ("indicator", "电商人才赋能项目按期执行"), "field": "赋分规则", "from": "按照完成比例赋分", "to": "直接赋分",
     "anomaly": "F7-5 (K20)", "why": "dates are all or nothing"},
    {"form": 7, "where": ("total",), "field": "total_stated", "from": "99.50分", "to": "100.00分",
     "anomaly": "F7-2 (K2)", "why": "follows the corrected score"},
    {"form": 8, "where": ("indicator", "培训完成时间"), "field": "业绩值", "from": "2024年12月10", "to": "2024年10月30日",
     "anomaly": "F8-1/F8-2 (K8, K9)", "why": "on time, with 日"},
    {"form": 9, "where": ("indicator", "制作评选活动耗材数量"), "field": "*row", "from": 0, "to": None,
     "anomaly": "F9-1 (K16)", "why": "a zero-weight row cannot count; removed"},
    {"form": 9, "where": ("indicator", "活动参与人员满意度"), "field": "完成率", "from": "105%", "to": "111.11%",
     "anomaly": "F9-2 (K1)", "why": "100 / 90"},
    {"form": 9, "where": ("indicator", "项目完成时限"), "field": "目标值", "from": "11月30日", "to": "2024年11月30日前",
     "anomaly": "F9-4 (K9)", "why": "year and 前"},
    {"form": 9, "where": ("indicator", "项目完成时限"), "field": "业绩值", "from": "=11月30日", "to": "2024年11月30日",
     "anomaly": "F9-4 (K9)", "why": "year"},
    {"form": 9, "where": ("indicator", "项目完成时限"), "field": "赋分规则", "from": "按照完成比例赋分", "to": "直接赋分",
     "anomaly": "F9-4 (K9)", "why": "dates are all or nothing"},
    {"form": 10, "where": ("indicator", "组织参展企业数"), "field": "完成率", "from": "116%", "to": "116.67%",
     "anomaly": "F10-1 (K3)", "why": "35 / 30"},
    {"form": 10, "where": ("indicator", "组织参展企业数"), "field": "得分", "from": 4.2, "to": 5,
     "anomaly": "F10-2 (K2)", "why": "over-achievement earns the weight"},
    {"form": 10, "where": ("indicator", "参会企业满意度"), "field": "完成率", "from": "110%", "to": "111.11%",
     "anomaly": "F10-3 (K1)", "why": "100 / 90"},
    {"form": 10, "where": ("goal",), "field": "goal_actual", "from": "超12个", "to": "12个",
     "anomaly": "F10-5 (K10)", "why": "the table says =12个"},
    {"form": 10, "where": ("indicator", "完成时限"), "field": "目标值", "from": "=8月31日前", "to": "2024年8月31日前",
     "anomaly": "F10-6 (K9)", "why": "year, no '='"},
    {"form": 10, "where": ("indicator", "完成时限"), "field": "业绩值", "from": "8月31日", "to": "2024年8月31日",
     "anomaly": "F10-6 (K9)", "why": "year"},
    {"form": 10, "where": ("indicator", "保障展会经费"), "field": "二级", "from": "社会成本指标", "to": "经济成本指标",
     "anomaly": "F10-7 (K20)", "why": "money is an economic cost"},
    {"form": 10, "where": ("total",), "field": "total_stated", "from": "99.20分", "to": "100.00分",
     "anomaly": "F10-2 (K2)", "why": "follows the corrected score"},
    {"form": 11, "where": ("indicator", "完成工作正常运转及时转率"), "field": "三级", "from": "完成工作正常运转及时转率",
     "to": "工作正常运转及时率", "anomaly": "F11-1 (K17)", "why": "garbled name"},
    {"form": 12, "where": ("funds", "其中：当年财政拨款"), "field": "全年执行数", "from": 34.03, "to": 34.02,
     "anomaly": "F12-1 (K12)", "why": "sub-rows must add up to the total"},
    {"form": 12, "where": ("indicator", "其他运转保障经费"), "field": "目标值", "from": "<=30.425万元", "to": "<=30.42万元",
     "anomaly": "F12-2 (K13)", "why": "3.60 + 30.42 = 34.02"},
    {"form": 12, "where": ("indicator", "其他运转保障经费"), "field": "业绩值", "from": "=30.425万元", "to": "=30.42万元",
     "anomaly": "F12-2 (K13)", "why": "3.60 + 30.42 = 34.02"},
    {"form": 12, "where": ("indicator", "目标完成率"), "field": "完成率", "from": "105%", "to": "111.11%",
     "anomaly": "F12-3 (K1)", "why": "100 / 90"},
    {"form": 12, "where": ("indicator", "目标完成率"), "field": "得分", "from": 4.75, "to": 5,
     "anomaly": "F12-5 (K2)", "why": "over-achievement earns the weight"},
    {"form": 12, "where": ("indicator", "目标完成率"), "field": "偏差原因", "from": None, "to": "",
     "anomaly": "F12-6 (K21)", "why": "the reason was about equipment costs, another row"},
    {"form": 12, "where": ("indicator", "[bookmark: _GoBack]设备"), "field": "三级", "from": "[bookmark: _GoBack]设备",
     "to": "设备", "anomaly": "F12-7 (K17)", "why": "Word bookmark"},
    {"form": 12, "where": ("total",), "field": "total_stated", "from": "99.75分", "to": "100.00分",
     "anomaly": "F12-5 (K2)", "why": "follows the corrected score"},
]
# tabs in the goal texts (F7-6, F10-8, F11-2, F12-8) are removed from every goal text of the corrected copy

PROJECT_COLUMNS = ["", "一级指标", "二级指标", "三级指标", "权重", "目标值", "业绩值", "完成率", "指标得分", "指标值设定依据",
                   "上年完成情况", "赋分规则", "佐证资料", "偏差原因分析及改进措施"]
PROJECT_KEYS = [None, "一级", "二级", "三级", "权重", "目标值", "业绩值", "完成率", "得分", "指标值设定依据", "上年完成情况",
                "赋分规则", "佐证资料", "偏差原因"]
UNIT_COLUMNS = ["一级指标", "二级指标", "三级指标", "预期指标值", "指标值设定依据", "分值权重", "实际完成指标值", "得分"]
UNIT_KEYS = ["一级", "二级", "三级", "预期指标值", "指标值设定依据", "分值权重", "实际完成指标值", "得分"]

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = Font(name="宋体", size=10)
WRAP = Alignment(wrap_text=True, vertical="center")


# --------------------------------------------------------------------------- corrections

def _find_indicator(form: dict, name: str) -> dict:
    for ind in form["indicators"]:
        if ind["三级"] == name:
            return ind
    raise KeyError(f"form {form['name']}: no indicator {name!r}")


def apply_corrections(forms: list[dict]) -> list[dict]:
    out = copy.deepcopy(forms)
    for c in CORRECTIONS:
        form = out[c["form"]]
        kind = c["where"][0]
        if kind == "indicator":
            ind = _find_indicator(form, c["where"][1])
            if c["field"] == "*row":
                form["indicators"].remove(ind)
                continue
            if c["from"] is not None and ind.get(c["field"]) != c["from"]:
                raise ValueError(f"{c['anomaly']}: expected {c['from']!r}, found {ind.get(c['field'])!r}")
            ind[c["field"]] = c["to"]
        elif kind == "goal":
            text = form[c["field"]]
            if c["from"] not in text:
                raise ValueError(f"{c['anomaly']}: {c['from']!r} not in the goal text")
            form[c["field"]] = text.replace(c["from"], c["to"])
        elif kind == "funds":
            row = next(r for r in form["funds"] if r["label"] == c["where"][1])
            col = form["fund_columns"].index(c["field"])
            if float(row["raw"][col].replace(",", "")) != c["from"]:
                raise ValueError(c["anomaly"])
            row["raw"][col] = f"{c['to']:,.2f}"
            row[c["field"]] = c["to"]
        elif kind == "total":
            assert form[c["field"]] == c["from"], c["anomaly"]
            form[c["field"]] = c["to"]
    for form in out:
        for k in ("goal_expected", "goal_actual"):
            form[k] = re.sub(r"\s*\t\s*", "", form[k] or "")
    return out


# --------------------------------------------------------------------------- writing

def _set(ws, row: int, col: int, value, *, text: bool = False):
    c = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        c.data_type = "s"       # "=100%" is text in these forms, not a formula
    c.font = FONT
    c.alignment = WRAP
    return c


def _merge(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _box(ws, r1: int, r2: int, ncols: int) -> None:
    for row in ws.iter_rows(min_row=r1, max_row=r2, max_col=ncols):
        for c in row:
            c.border = BOX


def _number(raw: str):
    s = raw.replace(",", "").strip()
    try:
        return float(s)
    except ValueError:
        return raw          # "—", "-", "100%": as printed


def _num_or_int(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _levels(form: dict) -> list[tuple[int, int, int]]:
    """(level index, first row offset, last row offset) of vertical merges for 一级/二级."""
    spans = []
    for li, key in enumerate(("一级", "二级")):
        start = 0
        for i in range(1, len(form["indicators"]) + 1):
            if i == len(form["indicators"]) or form["indicators"][i][key] != form["indicators"][start][key] or (
                    li == 1 and form["indicators"][i]["一级"] != form["indicators"][start]["一级"]):
                spans.append((li, start, i - 1))
                start = i
    return spans


def write_project(ws, form: dict) -> dict:
    n = len(PROJECT_COLUMNS)
    _merge(ws, 1, 1, 1, n)
    _set(ws, 1, 1, form["title"]).font = Font(name="宋体", size=14, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    _merge(ws, 2, 1, 2, n)
    _set(ws, 2, 1, form["year_label"]).alignment = Alignment(horizontal="center")
    _merge(ws, 3, 1, 3, 2)
    _set(ws, 3, 1, "项目名称")
    _merge(ws, 3, 3, 3, n)
    _set(ws, 3, 3, form["name"])
    _merge(ws, 4, 1, 4, 2)
    _set(ws, 4, 1, "主管部门")
    _merge(ws, 4, 3, 4, 7)
    _set(ws, 4, 3, form["主管部门"])
    _merge(ws, 4, 8, 4, 9)
    _set(ws, 4, 8, "实施单位")
    _merge(ws, 4, 10, 4, n)
    _set(ws, 4, 10, form["实施单位"])
    # funds 5..8
    fr0 = 5
    nfund = len(form["funds"])
    _merge(ws, fr0, 1, fr0 + nfund, 1)
    _set(ws, fr0, 1, form["fund_columns"][0])
    _merge(ws, fr0, 2, fr0, 4)
    fcols = {}
    for j, h in enumerate(form["fund_columns"][2:]):
        _set(ws, fr0, 5 + j, h)
        fcols[h] = get_column_letter(5 + j)
    _merge(ws, fr0, 10, fr0, n)
    funds_rows = {}
    for i, f in enumerate(form["funds"]):
        r = fr0 + 1 + i
        funds_rows[f["label"]] = r
        _merge(ws, r, 2, r, 4)
        _set(ws, r, 2, f["raw"][1])
        for j, cell in enumerate(f["raw"][2:]):
            col = 5 + j
            head = form["fund_columns"][2 + j]
            v = _number(cell)
            if head == "执行率" and isinstance(v, str) and v.endswith("%"):
                c = _set(ws, r, col, float(v[:-1]) / 100)
                c.number_format = "0.00%"
            elif isinstance(v, float):
                c = _set(ws, r, col, _num_or_int(v) if head == "分值" else v)
                c.number_format = "0" if head == "分值" else "#,##0.00"
            else:
                _set(ws, r, col, v)
        _merge(ws, r, 10, r, n)
    # goal
    gr = fr0 + nfund + 1
    _merge(ws, gr, 1, gr + 1, 1)
    _set(ws, gr, 1, "年度总体目标")
    _merge(ws, gr, 2, gr, 7)
    _set(ws, gr, 2, "预期目标")
    _merge(ws, gr, 8, gr, n)
    _set(ws, gr, 8, "实际完成情况")
    _merge(ws, gr + 1, 2, gr + 1, 7)
    _set(ws, gr + 1, 2, form["goal_expected"])
    _merge(ws, gr + 1, 8, gr + 1, n)
    _set(ws, gr + 1, 8, form["goal_actual"])
    ws.row_dimensions[gr + 1].height = 150
    # indicator table
    hr = gr + 2
    for j, h in enumerate(PROJECT_COLUMNS):
        _set(ws, hr, 1 + j, h or None)
    columns = {h: get_column_letter(1 + j) for j, h in enumerate(PROJECT_COLUMNS) if h}
    first = hr + 1
    inds = form["indicators"]
    _merge(ws, first, 1, first + len(inds) - 1, 1)
    _set(ws, first, 1, "年度绩效指标完成情况")
    rows = []
    merged_levels = set()
    for li, a, b in _levels(form):
        _merge(ws, first + a, 2 + li, first + b, 2 + li)
        merged_levels.update((first + k, 2 + li) for k in range(a + 1, b + 1))
    for i, ind in enumerate(inds):
        r = first + i
        for j, key in enumerate(PROJECT_KEYS):
            if key is None or (r, 1 + j) in merged_levels:
                continue
            v = ind.get(key)
            if key in ("权重", "得分"):
                v = _num_or_int(float(v)) if v is not None else None
            _set(ws, r, 1 + j, v if v != "" else None)
        rows.append({"三级": ind["三级"], "row": r})
    tr = first + len(inds)
    _merge(ws, tr, 1, tr, 4)
    _set(ws, tr, 1, "总分")
    _set(ws, tr, 5, int(form["total_weight_stated"]))
    _set(ws, tr, 9, form["total_stated"])
    _box(ws, 3, tr, n)
    for j, w in enumerate((6, 10, 12, 22, 6, 14, 14, 8, 8, 10, 8, 12, 10, 24)):
        ws.column_dimensions[get_column_letter(1 + j)].width = w
    return {"funds": funds_rows, "funds_columns": fcols, "goal_row": gr + 1,
            "goal_columns": {"预期目标": "B", "实际完成情况": "H"}, "header_row": hr, "columns": columns,
            "indicators": rows, "total_row": tr}


def write_unit(ws, form: dict) -> dict:
    n = len(UNIT_COLUMNS)
    _merge(ws, 1, 1, 1, n)
    _set(ws, 1, 1, form["title"]).font = Font(name="宋体", size=14, bold=True)
    _merge(ws, 2, 1, 2, n)
    _set(ws, 2, 1, form["year_label"])
    _merge(ws, 3, 1, 3, 2)
    _set(ws, 3, 1, "单位名称")
    _merge(ws, 3, 3, 3, n)
    _set(ws, 3, 3, form["单位名称"])
    fr0 = 4
    nfund = len(form["funds"])
    _merge(ws, fr0, 1, fr0 + nfund, 1)
    _set(ws, fr0, 1, form["fund_columns"][0])
    fcols = {}
    for j, h in enumerate(form["fund_columns"][1:]):
        _set(ws, fr0, 2 + j, h)
        fcols[h] = get_column_letter(2 + j)
    funds_rows = {}
    for i, f in enumerate(form["funds"]):
        r = fr0 + 1 + i
        funds_rows[f["label"]] = r
        for j, cell in enumerate(f["raw"][1:]):
            v = _number(cell) if j > 0 else cell
            c = _set(ws, r, 2 + j, _num_or_int(v) if isinstance(v, float) and form["fund_columns"][1 + j] in ("分值权重", "得分") else v)
            if isinstance(v, float) and form["fund_columns"][1 + j] not in ("分值权重", "得分"):
                c.number_format = "#,##0.00"
    gr = fr0 + nfund + 1
    _merge(ws, gr, 1, gr + 1, 1)
    _set(ws, gr, 1, "年度总体目标")
    _merge(ws, gr, 2, gr, 4)
    _set(ws, gr, 2, "预期目标")
    _merge(ws, gr, 5, gr, n)
    _set(ws, gr, 5, "实际完成情况")
    _merge(ws, gr + 1, 2, gr + 1, 4)
    _set(ws, gr + 1, 2, form["goal_expected"])
    _merge(ws, gr + 1, 5, gr + 1, n)
    _set(ws, gr + 1, 5, form["goal_actual"])
    ws.row_dimensions[gr + 1].height = 200
    hr = gr + 2
    for j, h in enumerate(UNIT_COLUMNS):
        _set(ws, hr, 1 + j, h)
    columns = {h: get_column_letter(1 + j) for j, h in enumerate(UNIT_COLUMNS)}
    first = hr + 1
    merged_levels = set()
    for li, a, b in _levels(form):
        _merge(ws, first + a, 1 + li, first + b, 1 + li)
        merged_levels.update((first + k, 1 + li) for k in range(a + 1, b + 1))
    rows = []
    for i, ind in enumerate(form["indicators"]):
        r = first + i
        for j, key in enumerate(UNIT_KEYS):
            if (r, 1 + j) in merged_levels:
                continue
            v = ind.get(key)
            if key in ("分值权重", "得分"):
                v = _num_or_int(float(v))
            _set(ws, r, 1 + j, v)
        rows.append({"三级": ind["三级"], "row": r})
    last = first + len(rows) - 1
    _box(ws, 3, last, n)
    for j, w in enumerate((10, 10, 26, 12, 26, 8, 14, 8)):
        ws.column_dimensions[get_column_letter(1 + j)].width = w
    return {"funds": funds_rows, "funds_columns": fcols, "goal_row": gr + 1,
            "goal_columns": {"预期目标": "B", "实际完成情况": "E"}, "header_row": hr, "columns": columns,
            "indicators": rows, "total_row": None}


def build(forms: list[dict], path: Path) -> list[dict]:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    layout = []
    for i, form in enumerate(forms):
        ws = wb.create_sheet("整体" if i == 0 else f"F{i}")
        info = write_unit(ws, form) if form["form_type"] == "整体" else write_project(ws, form)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        layout.append({"sheet": ws.title, "form_index": i, "name": form["name"], **info})
    fixed = dt.datetime(2025, 1, 1)
    wb.properties.creator = "xlscore samples"
    wb.properties.lastModifiedBy = "xlscore samples"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(path)
    return layout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    forms = json.loads((args.corpus / SOURCE).read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    layout = {
        "original": build(forms, args.out / "changji_2024.xlsx"),
        "corrected": build(apply_corrections(forms), args.out / "changji_2024_corrected.xlsx"),
        "corrections": [{k: v for k, v in c.items()} for c in CORRECTIONS],
    }
    (args.out / "changji_2024.layout.json").write_text(json.dumps(layout, ensure_ascii=False, indent=1),
                                                       encoding="utf-8")
    print(f"wrote {args.out / 'changji_2024.xlsx'}, {args.out / 'changji_2024_corrected.xlsx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
