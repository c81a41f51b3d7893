"""Build the sample workbooks from the corpus transcription of the 昌吉 2024 disclosure.

    python samples/generate.py [--corpus DIR] [--out DIR]

The corpus folder defaults to ``samples/source`` (copies of the corpus documents, see PROVENANCE.md there); the output folder to this ``samples/`` folder.
Writes

- ``changji_2024.xlsx``: the 13 forms of the disclosure (form 0 the unit-level 单位整体支出绩效自评表, forms 1–12
  项目支出绩效自评表), one sheet each ("整体", "F1".."F12"), laid out as printed, every value exactly as printed —
  anomalies included;
- ``changji_2024_corrected.xlsx``: the same with every anomaly that lives in the workbook fixed (``CORRECTIONS``
  below, each tied to its id in ``disclosure_changji_2024.anomalies.md``), so that each form is internally consistent;
- ``changji_2024.layout.json``: where every cell is (keys "original" and "corrected"), so that tests can find cells
  without the tool's own reader.

The output is deterministic: fixed workbook properties and fixed zip timestamps, so regenerating from the same
corpus gives the same cells (and, with the same openpyxl, the same bytes).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import math
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = Path(__file__).resolve().parent / "source"   # the corpus documents, copied into the repository
SOURCE = "disclosure_changji_2024.forms.json"
ORIGINAL_NAME = "changji_2024.xlsx"
CORRECTED_NAME = "changji_2024_corrected.xlsx"
LAYOUT_NAME = "changji_2024.layout.json"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
CREATOR = "xlscore samples"

# ----------------------------------------------------------------------------------------------- the corrections
# One item per changed cell, applied in order to a deep copy of the forms. Each fixes an anomaly of
# disclosure_changji_2024.anomalies.md that lives in the workbook (C1, K14, the project forms against the unit form,
# below the list); the narrative-only ones (K11: Z3a, Z3b, F9-5, C2) cannot be fixed in a workbook. Kept on purpose:
# Z4 (K19, the unit form has no 总分 row by design) and the K3 "完成率 > 100%" of F9-3, F10-4, F12-4 (100/90 really is 111.11%; the score is capped at the weight).
#
# where:  ("indicator", 三级 as printed in the original)  – the cell of that row in column `field`
#         ("funds", label, column)                        – a funds-block cell (`field` is the column again)
#         ("goal_expected",) | ("goal_actual",)           – a goal text; `from` is a substring replaced by `to`
#         ("total",)                                      – the stated 总分 (in column `field` of the 总分 row)
# field:  the header text of the column in the sheet ("目标值", "指标得分", "全年执行数", "实际完成情况", …)
# action: "remove_row" deletes the indicator row (then `from` is the value found in `field`, `to` is None)
CORRECTIONS: list[dict] = [
    # Z. 单位整体支出绩效自评表
    {"form": 0, "where": ("indicator", "完成2024年度社会消费品零售总额同比增长率"), "field": "得分", "from": 0.2, "to": 2,
     "anomaly": "Z1 (K2)", "why": "proportional: 20 × 0.8% / 8% = 2.0"},
    {"form": 0, "where": ("goal_actual",), "field": "实际完成情况", "from": "同比增长20.9%", "to": "同比增长20.7%",
     "anomaly": "Z2 (K10)", "why": "the table (and the narrative) say 20.7%"},
    {"form": 0, "where": ("goal_actual",), "field": "实际完成情况", "from": "工作内容：12024年", "to": "工作内容：1.2024年",
     "anomaly": "Z5 (K17)", "why": "the item number 1. had fused with the year"},
    # F1. 2023年租赁公务用车费用
    {"form": 1, "where": ("indicator", "租赁新能源车"), "field": "业绩值", "from": "=1%", "to": "=1辆",
     "anomaly": "F1-1 (K6)", "why": "the target counts 辆; % is not a number of cars"},
    {"form": 1, "where": ("goal_actual",), "field": "实际完成情况", "from": "安全行程公里数15000公里",
     "to": "安全行程公里数10000公里", "anomaly": "F1-2 (K10)", "why": "the table says =10000公里"},
    {"form": 1, "where": ("indicator", "完成时限"), "field": "目标值", "from": "=2024年12月1日前日", "to": "2024年12月1日前",
     "anomaly": "F1-3 (K9)", "why": "garbled deadline: '=' together with 前 and a stray 日"},
    {"form": 1, "where": ("indicator", "完成时限"), "field": "业绩值", "from": "2024年12月1日", "to": "2024年7月10日",
     "anomaly": "F1-4 (K10)", "why": "the goal text gives the lease as 2023年7月11日—2024年7月10日"},
    {"form": 1, "where": ("indicator", "预算成本控制率"), "field": "三级指标", "from": "预算成本控制率", "to": "租赁费用",
     "anomaly": "F1-5 (K20)", "why": "named as a rate but holds 万元"},
    # F3. 2024年展会活动经费
    {"form": 3, "where": ("indicator", "展会证件办理数量"), "field": "目标值", "from": ">100个", "to": ">=100个",
     "anomaly": "F3-1 (K15)", "why": "a strict > target is not met by =100个"},
    # F4. 2024年消费品以旧换新补贴项目
    {"form": 4, "where": ("indicator", "举办州域内与活动的重点销售企业政策培训会"), "field": "三级指标",
     "from": "举办州域内与活动的重点销售企业政策培训会", "to": "举办州域内参与活动的重点销售企业政策培训会",
     "anomaly": "F4-1 (K17)", "why": "参 dropped; the goal text says 参与活动"},
    # F5. 2024年第二批州级预算内项目前期费
    {"form": 5, "where": ("goal_expected",), "field": "预期目标", "from": "至少完成2套", "to": "完成1套",
     "anomaly": "F5-1 (K10)", "why": "the indicator's target is =1套"},
    # F6. 昌吉州临空经济发展战略研究报告服务项目
    {"form": 6, "where": ("goal_actual",), "field": "实际完成情况", "from": "尾款支付完成时间为2024年8月30日",
     "to": "尾款支付完成时间为2024年8月15日", "anomaly": "F6-1 (K10)", "why": "the table says 2024年8月15日"},
    {"form": 6, "where": ("indicator", "纠纷发生率"), "field": "业绩值", "from": "达到预期指标", "to": "=0%",
     "anomaly": "F6-2 (K7)", "why": "a numeric target =0% needs a numeric actual"},
    # F7. 昌吉州人才赋能数字商务试点示范项目
    {"form": 7, "where": ("goal_actual",), "field": "实际完成情况", "from": "20家\t，", "to": "20家，",
     "anomaly": "F7-6 (K17)", "why": "embedded tab"},
    {"form": 7, "where": ("goal_actual",), "field": "实际完成情况", "from": "氛围。\t", "to": "氛围。",
     "anomaly": "F7-6 (K17)", "why": "trailing tab"},
    {"form": 7, "where": ("indicator", "电商人才赋能项目按期执行"), "field": "目标值", "from": ">=100%",
     "to": "2024年12月31日前", "anomaly": "F7-5 (K20)", "why": "a 时效指标 takes a deadline, not a percentage"},
    {"form": 7, "where": ("indicator", "电商人才赋能项目按期执行"), "field": "业绩值", "from": "=100%", "to": "2024年12月31日",
     "anomaly": "F7-5 (K20)", "why": "a 时效指标 takes a date"},
    {"form": 7, "where": ("indicator", "电商人才赋能项目按期执行"), "field": "赋分规则", "from": "按照完成比例赋分",
     "to": "直接赋分", "anomaly": "F7-5 (K20)", "why": "deadlines are all or nothing, as on every other date row"},
    {"form": 7, "where": ("indicator", "项目预算控制率"), "field": "目标值", "from": "<=100", "to": "<=100%",
     "anomaly": "F7-4 (K6)", "why": "unit missing on a rate"},
    {"form": 7, "where": ("indicator", "项目预算控制率"), "field": "业绩值", "from": "=100", "to": "=100%",
     "anomaly": "F7-4 (K6)", "why": "unit missing on a rate"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "业绩值", "from": "=31.5万元", "to": "=32.28万元",
     "anomaly": "F7-3 (K13)", "why": "the funds block says 32.28 spent (全年执行数, 100.00%)"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "完成率", "from": "98%", "to": "100%",
     "anomaly": "F7-1 (K5)", "why": "a met ≤ target is 100%"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "指标得分", "from": 9.5, "to": 10,
     "anomaly": "F7-2 (K2)", "why": "100% of the weight 10"},
    {"form": 7, "where": ("indicator", "电商人才交流培训经费"), "field": "偏差原因分析及改进措施",
     "from": "因培训交通费住宿费实际支出与测算金额有出入，所以出现偏差。", "to": "",
     "anomaly": "F7-2 (K2)", "why": "no deviation left to explain"},
    {"form": 7, "where": ("total",), "field": "指标得分", "from": "99.50分", "to": "100.00分",
     "anomaly": "F7-2 (K2)", "why": "10 + 90: follows the corrected score"},
    # F8. 昌吉州秋冬季促消费活动
    {"form": 8, "where": ("indicator", "培训完成时间"), "field": "业绩值", "from": "2024年12月10", "to": "2024年10月30日",
     "anomaly": "F8-1 (K8), F8-2 (K9)", "why": "scored full under 直接赋分, so the deadline was met; and 日 was missing"},
    # F9. 昌吉州美食文化旅游节昌吉州美食大赛评选经费
    {"form": 9, "where": ("indicator", "制作评选活动耗材数量"), "field": "权重", "from": 0, "to": None,
     "action": "remove_row", "anomaly": "F9-1 (K16)",
     "why": "a zero-weight row counts for nothing; removed (weights and scores still sum to 90)"},
    {"form": 9, "where": ("indicator", "项目完成时限"), "field": "目标值", "from": "11月30日", "to": "2024年11月30日前",
     "anomaly": "F9-4 (K9)", "why": "a deadline with its year and 前"},
    {"form": 9, "where": ("indicator", "项目完成时限"), "field": "业绩值", "from": "=11月30日", "to": "2024年11月30日",
     "anomaly": "F9-4 (K9)", "why": "a date with its year"},
    {"form": 9, "where": ("indicator", "项目完成时限"), "field": "赋分规则", "from": "按照完成比例赋分", "to": "直接赋分",
     "anomaly": "F9-4 (K9)", "why": "a date cannot be scored by proportion"},
    {"form": 9, "where": ("indicator", "活动参与人员满意度"), "field": "完成率", "from": "105%", "to": "111.11%",
     "anomaly": "F9-2 (K1)", "why": "100 / 90 = 111.11%"},
    # F10. 昌吉州赴乌兹别克斯坦、哈萨克斯坦“抢订单、拓市场”经贸合作对接活动
    {"form": 10, "where": ("goal_actual",), "field": "实际完成情况", "from": "意向协议超12个", "to": "意向协议12个",
     "anomaly": "F10-5 (K10)", "why": "the table says =12个"},
    {"form": 10, "where": ("goal_actual",), "field": "实际完成情况", "from": "达到100%。\t", "to": "达到100%。",
     "anomaly": "F10-8 (K17)", "why": "trailing tab"},
    {"form": 10, "where": ("indicator", "组织参展企业数"), "field": "完成率", "from": "116%", "to": "116.67%",
     "anomaly": "F10-1 (K3)", "why": "35 / 30 = 116.67% (was truncated)"},
    {"form": 10, "where": ("indicator", "组织参展企业数"), "field": "指标得分", "from": 4.2, "to": 5,
     "anomaly": "F10-2 (K2)", "why": "over-achievement earns the weight, it is not penalised"},
    {"form": 10, "where": ("indicator", "完成时限"), "field": "目标值", "from": "=8月31日前", "to": "2024年8月31日前",
     "anomaly": "F10-6 (K9)", "why": "a deadline with its year, without '='"},
    {"form": 10, "where": ("indicator", "完成时限"), "field": "业绩值", "from": "8月31日", "to": "2024年8月31日",
     "anomaly": "F10-6 (K9)", "why": "a date with its year"},
    {"form": 10, "where": ("indicator", "保障展会经费"), "field": "二级指标", "from": "社会成本指标", "to": "经济成本指标",
     "anomaly": "F10-7 (K20)", "why": "money (万元) is an economic cost, as on the row above"},
    {"form": 10, "where": ("indicator", "参会企业满意度"), "field": "完成率", "from": "110%", "to": "111.11%",
     "anomaly": "F10-3 (K1)", "why": "100 / 90 = 111.11%"},
    {"form": 10, "where": ("total",), "field": "指标得分", "from": "99.20分", "to": "100.00分",
     "anomaly": "F10-2 (K2)", "why": "10 + 90: follows the corrected score"},
    # F11. 机关运行保障经费
    {"form": 11, "where": ("goal_actual",), "field": "实际完成情况", "from": "保安保洁2人，\t通过", "to": "保安保洁2人，通过",
     "anomaly": "F11-2 (K17)", "why": "embedded tab"},
    {"form": 11, "where": ("goal_actual",), "field": "实际完成情况", "from": "高效运转。\t\t", "to": "高效运转。",
     "anomaly": "F11-2 (K17)", "why": "trailing tabs"},
    {"form": 11, "where": ("indicator", "完成工作正常运转及时转率"), "field": "三级指标", "from": "完成工作正常运转及时转率",
     "to": "工作正常运转及时率", "anomaly": "F11-1 (K17)", "why": "garbled name"},
    # F12. 机关运行补助经费
    {"form": 12, "where": ("goal_actual",), "field": "实际完成情况", "from": "项目的实施\t，", "to": "项目的实施，",
     "anomaly": "F12-8 (K17)", "why": "embedded tab"},
    {"form": 12, "where": ("funds", "其中：当年财政拨款", "全年执行数"), "field": "全年执行数", "from": 34.03, "to": 34.02,
     "anomaly": "F12-1 (K12)", "why": "34.02 + 0.00 = the 年度资金总额 34.02"},
    {"form": 12, "where": ("indicator", "目标完成率"), "field": "完成率", "from": "105%", "to": "111.11%",
     "anomaly": "F12-3 (K1)", "why": "100 / 90 = 111.11%"},
    {"form": 12, "where": ("indicator", "目标完成率"), "field": "指标得分", "from": 4.75, "to": 5,
     "anomaly": "F12-5 (K2)", "why": "over-achievement earns the weight, it is not penalised"},
    {"form": 12, "where": ("indicator", "目标完成率"), "field": "偏差原因分析及改进措施",
     "from": "因年代设备经费测算与实际支付有出入，所以出现偏差。", "to": "",
     "anomaly": "F12-6 (K21)", "why": "the text is about equipment costs, not this row"},
    {"form": 12, "where": ("indicator", "[bookmark: _GoBack]设备"), "field": "三级指标", "from": "[bookmark: _GoBack]设备",
     "to": "设备", "anomaly": "F12-7 (K17)", "why": "leftover Word bookmark"},
    {"form": 12, "where": ("indicator", "其他运转保障经费"), "field": "目标值", "from": "<=30.425万元", "to": "<=30.42万元",
     "anomaly": "F12-2 (K13)", "why": "3.60 + 30.42 = 34.02, the funds block's figure"},
    {"form": 12, "where": ("indicator", "其他运转保障经费"), "field": "业绩值", "from": "=30.425万元", "to": "=30.42万元",
     "anomaly": "F12-2 (K13)", "why": "3.60 + 30.42 = 34.02, the funds block's figure"},
    {"form": 12, "where": ("total",), "field": "指标得分", "from": "99.75分", "to": "100.00分",
     "anomaly": "F12-5 (K2)", "why": "10 + 90: follows the corrected score"},
]

# C1 (K14): the 12 project forms' 年初预算数 add up to 6,750.55 (其他资金 99.53), but the 整体 form's 年初 budget is
# 604.54 (本级 548.54 — its basic expenditure, 553.48 spent — and 其他资金 56.00); the narrative says the projects were
# added during the year (年中追加). Corrected: a project's 年初预算数 is 0.00, except F11 (机关运行保障经费), whose
# 56.00 of 其他资金 is the unit's 其他资金 56.00. form → (年度资金总额, 其中：当年财政拨款, 其他资金) at 年初, as printed.
C1_START_BUDGETS: dict[int, tuple[float, float, float]] = {
    1: (3.50, 3.50, 0.00), 2: (64.59, 50.00, 14.59), 3: (237.92, 208.98, 28.94), 4: (1782.65, 1782.65, 0.00),
    5: (115.00, 115.00, 0.00), 6: (46.00, 46.00, 0.00), 7: (32.28, 32.28, 0.00), 8: (4300.00, 4300.00, 0.00),
    9: (8.49, 8.49, 0.00), 10: (69.12, 69.12, 0.00), 12: (35.00, 35.00, 0.00),
}
CORRECTIONS += [
    {"form": form, "where": ("funds", label, "年初预算数"), "field": "年初预算数", "from": amount, "to": 0,
     "anomaly": "C1 (K14)", "why": "added during the year: no room in the unit's 年初 budget (整体 form 604.54)"}
    for form, amounts in C1_START_BUDGETS.items()
    for label, amount in zip(("年度资金总额", "其中：当年财政拨款", "其他资金"), amounts) if amount
]

# ----------------------------------------------------------------------------------------------- the two layouts
# sheet column header -> key in the transcription's indicator dicts (None: the merged block label column)
PROJECT_COLUMNS: list[tuple[str, str | None]] = [
    ("", None), ("一级指标", "一级"), ("二级指标", "二级"), ("三级指标", "三级"), ("权重", "权重"), ("目标值", "目标值"),
    ("业绩值", "业绩值"), ("完成率", "完成率"), ("指标得分", "得分"), ("指标值设定依据", "指标值设定依据"),
    ("上年完成情况", "上年完成情况"), ("赋分规则", "赋分规则"), ("佐证资料", "佐证资料"),
    ("偏差原因分析及改进措施", "偏差原因"),
]
UNIT_COLUMNS: list[tuple[str, str]] = [
    ("一级指标", "一级"), ("二级指标", "二级"), ("三级指标", "三级"), ("预期指标值", "预期指标值"),
    ("指标值设定依据", "指标值设定依据"), ("分值权重", "分值权重"), ("实际完成指标值", "实际完成指标值"), ("得分", "得分"),
]
NUMERIC_KEYS = {"权重", "得分", "分值权重"}
PROJECT_WIDTHS = (6, 10, 12, 26, 10, 16, 16, 9, 10, 12, 10, 16, 10, 30)
UNIT_WIDTHS = (10, 12, 30, 14, 30, 10, 16, 10)

FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE = Font(name="宋体", size=14, bold=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TEXT = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
NUMBER = Alignment(horizontal="right", vertical="center")
LINE_HEIGHT = 13.5      # points per wrapped line at 宋体 10


# ----------------------------------------------------------------------------------------------- corrections

def _field_key(form: dict, field: str) -> str:
    columns = UNIT_COLUMNS if form["form_type"] == "整体" else PROJECT_COLUMNS
    for head, key in columns:
        if head == field and key:
            return key
    raise KeyError(f"form {form['name']}: no indicator column {field!r}")


def _same(found, expected) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return math.isclose(float(found), float(expected), abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return found == expected


def apply_corrections(forms: list[dict], corrections: list[dict] = CORRECTIONS) -> list[dict]:
    """A deep copy of *forms* with *corrections* applied; each ``from`` must be what is there (fails loudly)."""
    out = copy.deepcopy(forms)
    # rows are named by their printed 三级, even after an earlier correction renamed them
    rows = [{ind["三级"]: ind for ind in form["indicators"]} for form in out]
    for c in corrections:
        form = out[c["form"]]
        kind = c["where"][0]
        label = f"{c['anomaly']} (form {c['form']}, {c['where']}, {c['field']})"
        if kind == "indicator":
            ind = rows[c["form"]].get(c["where"][1])
            if ind is None:
                raise KeyError(f"{label}: no such indicator row")
            key = _field_key(form, c["field"])
            if not _same(ind.get(key), c["from"]):
                raise ValueError(f"{label}: expected {c['from']!r}, found {ind.get(key)!r}")
            if c.get("action") == "remove_row":
                form["indicators"].remove(ind)
            else:
                ind[key] = c["to"]
        elif kind == "funds":
            _, row_label, column = c["where"]
            row = next((r for r in form["funds"] if r["label"] == row_label), None)
            if row is None or column != c["field"]:
                raise KeyError(f"{label}: no such funds cell")
            j = form["fund_columns"].index(column)
            if not _same(_parse_amount(row["raw"][j]), c["from"]):
                raise ValueError(f"{label}: expected {c['from']!r}, found {row['raw'][j]!r}")
            row["raw"][j] = f"{c['to']:,.2f}" if isinstance(c["to"], (int, float)) else c["to"]
            row[column] = c["to"]
        elif kind in ("goal_expected", "goal_actual"):
            text = form[kind] or ""
            if text.count(c["from"]) != 1:
                raise ValueError(f"{label}: {c['from']!r} occurs {text.count(c['from'])} times in the goal text")
            form[kind] = text.replace(c["from"], c["to"])
        elif kind == "total":
            if form.get("total_stated") != c["from"]:
                raise ValueError(f"{label}: expected {c['from']!r}, found {form.get('total_stated')!r}")
            form["total_stated"] = c["to"]
            if form.get("total_row_raw"):
                form["total_row_raw"][form["total_row_raw"].index(c["from"])] = c["to"]
        else:
            raise ValueError(f"{label}: unknown place {kind!r}")
    return out


# ----------------------------------------------------------------------------------------------- cell helpers

def _parse_amount(raw: str):
    """'1,782.65' -> 1782.65; placeholders ('—', '-') and percentages stay text."""
    s = (raw or "").replace(",", "").strip()
    try:
        return float(s)
    except ValueError:
        return raw


def _num(v):
    """A weight or score as a number: int when integral, else float."""
    f = float(v)
    return int(f) if f.is_integer() else f


def _put(ws, row: int, col: int, value, *, font: Font = FONT, align: Alignment = TEXT, fmt: str | None = None):
    """Write one value: strings always as text (the forms are full of '=100%'), '' as an empty cell."""
    if value == "":
        value = None
    c = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        c.data_type = "s"
    elif isinstance(value, (int, float)):
        align = NUMBER if align is TEXT else align
    c.font = font
    c.alignment = align
    if fmt:
        c.number_format = fmt
    return c


def _merge(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _box(ws, r1: int, r2: int, ncols: int) -> None:
    for row in ws.iter_rows(min_row=r1, max_row=r2, max_col=ncols):
        for c in row:
            c.border = BOX


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text, width: float) -> int:
    if text is None or text == "":
        return 1
    usable = max(1.0, width - 1)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in str(text).replace("\t", "    ").split("\n"))


def _fit_heights(ws, widths: tuple[int, ...], first: int, last: int) -> None:
    """Row heights so that wrapped text is readable (cells merged across columns use their whole width)."""
    span = {}
    for m in ws.merged_cells.ranges:
        if m.min_row == m.max_row:
            span[(m.min_row, m.min_col)] = sum(widths[m.min_col - 1:m.max_col])
        else:                                          # vertical merges (levels, block labels) do not size a row
            span[(m.min_row, m.min_col)] = None
    for r in range(first, last + 1):
        n = 1
        for c in range(1, len(widths) + 1):
            v = ws.cell(row=r, column=c).value
            if not isinstance(v, str):
                continue
            w = span.get((r, c), widths[c - 1])
            if w is not None:
                n = max(n, _lines(v, w))
        ws.row_dimensions[r].height = max(18.0, n * LINE_HEIGHT + 6)


def _level_spans(indicators: list[dict], keys: tuple[str, str]) -> list[tuple[int, int, int]]:
    """(level 0/1, first, last) runs of equal 一级 and, inside one 一级, equal 二级 (the cells printed once)."""
    spans = []
    for li in (0, 1):
        start = 0
        for i in range(1, len(indicators) + 1):
            same = i < len(indicators) and all(indicators[i][k] == indicators[start][k] for k in keys[:li + 1])
            if not same:
                spans.append((li, start, i - 1))
                start = i
    return spans


def _page_setup(ws) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _indicator_rows(ws, form: dict, columns: list[tuple[str, str | None]], first: int, level_col: int) -> list[dict]:
    """The indicator rows from *first*, 一级/二级 merged down their runs; returns [{三级, row}]."""
    inds = form["indicators"]
    covered = set()
    for li, a, b in _level_spans(inds, ("一级", "二级")):
        _merge(ws, first + a, level_col + li, first + b, level_col + li)
        covered.update((first + k, level_col + li) for k in range(a + 1, b + 1))
    rows = []
    for i, ind in enumerate(inds):
        r = first + i
        for j, (head, key) in enumerate(columns, start=1):
            if key is None or (r, j) in covered:
                continue
            v = ind.get(key)
            if key in NUMERIC_KEYS and v not in (None, ""):
                _put(ws, r, j, _num(v), align=CENTER)
            else:
                _put(ws, r, j, v, align=TEXT if key in ("三级", "偏差原因") else CENTER)
        rows.append({"三级": ind["三级"], "row": r})
    return rows


# ----------------------------------------------------------------------------------------------- 项目支出绩效自评表

def write_project(ws, form: dict) -> dict:
    """One 项目支出绩效自评表 on *ws* (columns A..N); returns the sheet's manifest entry (without sheet/index/name)."""
    n = len(PROJECT_COLUMNS)
    _merge(ws, 1, 1, 1, n)
    _put(ws, 1, 1, form["title"], font=TITLE, align=CENTER)
    _merge(ws, 2, 1, 2, n)
    _put(ws, 2, 1, form["year_label"], align=CENTER)
    _merge(ws, 3, 1, 3, 2)
    _put(ws, 3, 1, "项目名称", font=BOLD, align=CENTER)
    _merge(ws, 3, 3, 3, n)
    _put(ws, 3, 3, form["name"])
    _merge(ws, 4, 1, 4, 2)
    _put(ws, 4, 1, "主管部门", font=BOLD, align=CENTER)
    _merge(ws, 4, 3, 4, 7)
    _put(ws, 4, 3, form["主管部门"])
    _merge(ws, 4, 8, 4, 9)
    _put(ws, 4, 8, "实施单位", font=BOLD, align=CENTER)
    _merge(ws, 4, 10, 4, n)
    _put(ws, 4, 10, form["实施单位"])

    # funds block: header row 5, one row per funds line; the label in B:D, the figures in E..J (J merged to N)
    fr = 5
    heads = form["fund_columns"]                      # [block label, '' (label column), 年初预算数, …, 得分]
    last_fund = fr + len(form["funds"])
    _merge(ws, fr, 1, last_fund, 1)
    _put(ws, fr, 1, heads[0], font=BOLD, align=CENTER)
    funds_columns = {}
    for r in range(fr, last_fund + 1):
        _merge(ws, r, 2, r, 4)
        _merge(ws, r, 10, r, n)
    _put(ws, fr, 2, heads[1] or None, font=BOLD, align=CENTER)
    for j, head in enumerate(heads[2:]):
        _put(ws, fr, 5 + j, head, font=BOLD, align=CENTER)
        funds_columns[head] = get_column_letter(5 + j)
    funds_rows = {}
    for i, line in enumerate(form["funds"]):
        r = fr + 1 + i
        funds_rows[line["label"]] = r
        _put(ws, r, 2, line["raw"][1])                # as printed: "  其他资金" keeps its two spaces
        for j, head in enumerate(heads[2:]):
            raw = line["raw"][2 + j]
            v = _parse_amount(raw)
            if head == "执行率" and isinstance(raw, str) and raw.endswith("%"):
                _put(ws, r, 5 + j, float(raw[:-1].replace(",", "")) / 100, fmt="0.00%")
            elif isinstance(v, float) and head == "分值":
                _put(ws, r, 5 + j, _num(v))
            elif isinstance(v, float) and head == "得分":
                _put(ws, r, 5 + j, v, fmt="0.00")
            elif isinstance(v, float):
                _put(ws, r, 5 + j, v, fmt="#,##0.00")
            else:
                _put(ws, r, 5 + j, raw, align=CENTER)  # the printed placeholder "—"

    # goal block
    gr = last_fund + 1
    _merge(ws, gr, 1, gr + 1, 1)
    _put(ws, gr, 1, "年度总体目标", font=BOLD, align=CENTER)
    _merge(ws, gr, 2, gr, 7)
    _put(ws, gr, 2, "预期目标", font=BOLD, align=CENTER)
    _merge(ws, gr, 8, gr, n)
    _put(ws, gr, 8, "实际完成情况", font=BOLD, align=CENTER)
    _merge(ws, gr + 1, 2, gr + 1, 7)
    _put(ws, gr + 1, 2, form["goal_expected"])
    _merge(ws, gr + 1, 8, gr + 1, n)
    _put(ws, gr + 1, 8, form["goal_actual"])

    # indicator table
    hr = gr + 2
    for j, (head, _) in enumerate(PROJECT_COLUMNS, start=1):
        _put(ws, hr, j, head or None, font=BOLD, align=CENTER)
    columns = {head: get_column_letter(j) for j, (head, _) in enumerate(PROJECT_COLUMNS, start=1) if head}
    first = hr + 1
    inds = form["indicators"]
    _merge(ws, first, 1, first + len(inds) - 1, 1)
    _put(ws, first, 1, "年度绩效指标完成情况", font=BOLD, align=CENTER)
    rows = _indicator_rows(ws, form, PROJECT_COLUMNS, first, level_col=2)

    # 总分 row: Σ weights (as printed, a number) under 权重, the stated total (text, "100.00分") under 指标得分
    tr = first + len(inds)
    _merge(ws, tr, 1, tr, 4)
    _put(ws, tr, 1, "总分", font=BOLD, align=CENTER)
    _put(ws, tr, 5, _num(form["total_weight_stated"]), align=CENTER)
    _put(ws, tr, 9, form["total_stated"], align=CENTER)

    _box(ws, 3, tr, n)
    for j, w in enumerate(PROJECT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.row_dimensions[1].height = 28
    _fit_heights(ws, PROJECT_WIDTHS, 2, tr)
    return {"funds": funds_rows, "funds_columns": funds_columns, "funds_label_column": "B",
            "goal_row": gr + 1, "goal_columns": {"预期目标": "B", "实际完成情况": "H"},
            "header_row": hr, "columns": columns, "indicators": rows, "total_row": tr}


# ----------------------------------------------------------------------------------------------- 单位整体支出绩效自评表

def write_unit(ws, form: dict) -> dict:
    """The 单位整体支出绩效自评表 on *ws* (columns A..H, no 总分 row, as printed)."""
    n = len(UNIT_COLUMNS)
    _merge(ws, 1, 1, 1, n)
    _put(ws, 1, 1, form["title"], font=TITLE, align=CENTER)
    _merge(ws, 2, 1, 2, n)
    _put(ws, 2, 1, form["year_label"], align=CENTER)
    _merge(ws, 3, 1, 3, 2)
    _put(ws, 3, 1, "单位名称", font=BOLD, align=CENTER)
    _merge(ws, 3, 3, 3, n)
    _put(ws, 3, 3, form["单位名称"])

    fr = 4
    heads = form["fund_columns"]                      # [部门资金（万元）, 资金来源, 年初预算数, …, 得分]
    last_fund = fr + len(form["funds"])
    _merge(ws, fr, 1, last_fund, 1)
    _put(ws, fr, 1, heads[0], font=BOLD, align=CENTER)
    funds_columns = {}
    for j, head in enumerate(heads[1:]):
        _put(ws, fr, 2 + j, head, font=BOLD, align=CENTER)
        funds_columns[head] = get_column_letter(2 + j)
    funds_rows = {}
    for i, line in enumerate(form["funds"]):
        r = fr + 1 + i
        funds_rows[line["label"]] = r
        _put(ws, r, 2, line["raw"][1])
        for j, head in enumerate(heads[2:]):
            raw = line["raw"][2 + j]
            v = _parse_amount(raw)
            if isinstance(v, float) and head in ("分值权重", "得分"):
                _put(ws, r, 3 + j, _num(v))
            elif isinstance(v, float):
                _put(ws, r, 3 + j, v, fmt="#,##0.00")
            else:
                _put(ws, r, 3 + j, raw, align=CENTER)  # "-" placeholders and the printed "100%"

    gr = last_fund + 1
    _merge(ws, gr, 1, gr + 1, 1)
    _put(ws, gr, 1, "年度总体目标", font=BOLD, align=CENTER)
    _merge(ws, gr, 2, gr, 4)
    _put(ws, gr, 2, "预期目标", font=BOLD, align=CENTER)
    _merge(ws, gr, 5, gr, n)
    _put(ws, gr, 5, "实际完成情况", font=BOLD, align=CENTER)
    _merge(ws, gr + 1, 2, gr + 1, 4)
    _put(ws, gr + 1, 2, form["goal_expected"])
    _merge(ws, gr + 1, 5, gr + 1, n)
    _put(ws, gr + 1, 5, form["goal_actual"])

    hr = gr + 2
    for j, (head, _) in enumerate(UNIT_COLUMNS, start=1):
        _put(ws, hr, j, head, font=BOLD, align=CENTER)
    columns = {head: get_column_letter(j) for j, (head, _) in enumerate(UNIT_COLUMNS, start=1)}
    rows = _indicator_rows(ws, form, UNIT_COLUMNS, hr + 1, level_col=1)
    last = hr + len(rows)

    _box(ws, 3, last, n)
    for j, w in enumerate(UNIT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.row_dimensions[1].height = 28
    _fit_heights(ws, UNIT_WIDTHS, 2, last)
    return {"funds": funds_rows, "funds_columns": funds_columns, "funds_label_column": "B",
            "goal_row": gr + 1, "goal_columns": {"预期目标": "B", "实际完成情况": "E"},
            "header_row": hr, "columns": columns, "indicators": rows, "total_row": None}


# ----------------------------------------------------------------------------------------------- workbook

def sheet_name(index: int) -> str:
    return "整体" if index == 0 else f"F{index}"


def _save_deterministic(wb, path: Path) -> None:
    """Save with fixed core properties and fixed zip timestamps (openpyxl's save() stamps 'modified' with now)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.write_bytes(out.getvalue())


def build(forms: list[dict], path: Path) -> list[dict]:
    """Write *forms* (one sheet each) to *path*; returns the manifest list for that workbook."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    layout = []
    for i, form in enumerate(forms):
        ws = wb.create_sheet(sheet_name(i))
        info = write_unit(ws, form) if form["form_type"] == "整体" else write_project(ws, form)
        _page_setup(ws)
        layout.append({"sheet": ws.title, "form_index": i, "name": form["name"], **info})
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.title = "昌吉州商务局 2024 绩效自评表 (samples)"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    _save_deterministic(wb, path)
    return layout


def load_forms(corpus: Path) -> list[dict]:
    return json.loads((corpus / SOURCE).read_text(encoding="utf-8"))


def generate(corpus: Path = DEFAULT_CORPUS, out: Path = HERE) -> dict:
    forms = load_forms(corpus)
    out.mkdir(parents=True, exist_ok=True)
    layout = {
        "original": build(forms, out / ORIGINAL_NAME),
        "corrected": build(apply_corrections(forms), out / CORRECTED_NAME),
    }
    (out / LAYOUT_NAME).write_text(json.dumps(layout, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return layout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help=f"folder holding {SOURCE} (default: {DEFAULT_CORPUS})")
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: this samples/ folder)")
    args = ap.parse_args(argv)
    if not (args.corpus / SOURCE).is_file():
        ap.error(f"{args.corpus / SOURCE} not found (use --corpus DIR)")
    generate(args.corpus, args.out)
    for name in (ORIGINAL_NAME, CORRECTED_NAME, LAYOUT_NAME):
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
