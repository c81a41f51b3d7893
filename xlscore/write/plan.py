"""The write plan: what the tool does to a workbook, independent of the library that does it.

``build_plan(results)`` turns findings and computed values into per-cell actions (value, number
format, fill, comment) and the rows of the report sheet. Adapters (openpyxl for files, xlwings for
the open book) apply the same plan, so the CLI and the Excel button give the same workbook.
"""

from __future__ import annotations

import datetime as _dt
import json
from ..records import dataclass, field
from typing import Any

from ..version import __version__
from ..numbers import fmt_num, fmt_rate
from ..grid import address
from ..i18n import t
from ..report import SEVERITY_RANK, SheetResult

FILL = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}      # red, yellow (Excel's "bad" / "neutral" fills)
COMMENT_AUTHOR = "xlscore"
NO_VALUE = object()


@dataclass
class CellAction:
    sheet: str
    row: int
    col: int
    value: Any = NO_VALUE              # NO_VALUE: keep the cell's value
    number_format: str | None = None
    severity: str | None = None        # worst finding on the cell → fill (error/warning); info: comment only
    lines: list[str] = field(default_factory=list)
    original: Any = NO_VALUE           # the value the tool replaced (shown in the comment and the report)

    @property
    def cell(self) -> str:
        return address(self.row, self.col)

    def comment(self, lang: str) -> str:
        parts = ["xlscore:"] + self.lines
        if self.original is not NO_VALUE:
            label = "原值" if lang == "zh" else "was"
            parts.append(f"{label}：{show(self.original)}" if lang == "zh" else f"{label}: {show(self.original)}")
            if not self.lines:
                parts.insert(1, "按规则重新计算并填写。" if lang == "zh" else "recomputed and filled in by the rule.")
        return "\n".join(parts)


@dataclass
class Plan:
    actions: dict[tuple[str, int, int], CellAction] = field(default_factory=dict)
    summary: list[list[Any]] = field(default_factory=list)
    findings: list[list[Any]] = field(default_factory=list)      # rows of the findings table (+ link target)
    writes: list[list[Any]] = field(default_factory=list)        # rows of the overwritten-values table
    header: list[str] = field(default_factory=list)
    lang: str = "zh"

    def action(self, sheet: str, row: int, col: int) -> CellAction:
        k = (sheet, row, col)
        if k not in self.actions:
            self.actions[k] = CellAction(sheet, row, col)
        return self.actions[k]


def show(v: Any) -> str:
    """How an original value is written in a comment: text quoted, numbers plain, empty as （空）."""
    if v is None or v == "":
        return "（空）"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return fmt_num(v)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return json.dumps(str(v), ensure_ascii=False)


def _sev(lang: str, s: str) -> str:
    return t(f"severity-{s}", lang)


SUMMARY_HEAD = {
    "zh": ["工作表", "表类型", "重算总分", "等级", "错误", "警告", "名称", "提示"],
    "en": ["sheet", "kind", "recomputed total", "grade", "errors", "warnings", "name", "notes"],
}
FINDINGS_HEAD = {
    "zh": ["序号", "工作表", "单元格", "级别", "代码", "问题", "说明", "表中值", "期望值", "规则"],
    "en": ["#", "sheet", "cell", "severity", "code", "problem", "message", "found", "expected", "rule"],
}
WRITES_HEAD = {
    "zh": ["工作表", "单元格", "内容", "原值（用户填写）", "xlscore 写入"],
    "en": ["sheet", "cell", "what", "was (typed by the user)", "written by xlscore"],
}
WHAT = {
    "rate": ("完成率", "completion rate"), "score": ("得分", "score"), "funds-rate": ("执行率", "execution rate"),
    "funds-score": ("资金得分", "funds score"), "total": ("总分", "total"), "grade": ("评价等级", "grade"),
    "subtotal": ("小计得分", "subtotal"), "score-rate": ("得分率", "score rate"), "deduction": ("扣分", "deduction"),
}


def build_plan(results: list[SheetResult], lang: str = "zh", profile_title: str = "", write_values: bool = True) -> Plan:
    plan = Plan(lang=lang)
    plan.header = [
        "xlscore 检查报告" if lang == "zh" else "xlscore report",
        (f"规则配置：{profile_title}    xlscore {__version__}" if lang == "zh"
         else f"rule profile: {profile_title}    xlscore {__version__}"),
    ]
    n = 0
    for res in results:
        counts = {s: sum(1 for f in res.findings if f.severity == s) for s in SEVERITY_RANK}
        plan.summary.append([res.name, t(f"kind-{res.kind}", lang), None if res.total is None else round(res.total, 2),
                             res.grade or "", counts["error"], counts["warning"], res.form_name, counts["info"]])
        for f in sorted(res.findings, key=lambda f: (f.row or 0, f.col or 0, SEVERITY_RANK[f.severity])):
            n += 1
            plan.findings.append([n, f.sheet, f.cell or "", _sev(lang, f.severity), f.code, f.title, f.message,
                                  _cellish(f.found), _cellish(f.expected), f.rule or ""])
            if f.row is None or f.col is None:
                continue
            a = plan.action(f.sheet, f.row, f.col)
            if a.severity is None or SEVERITY_RANK[f.severity] < SEVERITY_RANK[a.severity]:
                a.severity = f.severity
            a.lines.append(f"● {_sev(lang, f.severity)} [{f.code}] {f.message}")
        if not write_values:
            continue
        for ctx in res.forms:
            for w in ctx.writes:
                a = plan.action(res.name, w.field.row, w.field.col)
                a.value = w.value
                a.number_format = w.number_format
                a.original = w.field.formula if w.field.formula else w.field.raw
                zh, en = WHAT.get(w.what, (w.what, w.what))
                new = fmt_rate(w.value) if w.what.endswith("rate") else (
                    fmt_num(w.value) if isinstance(w.value, (int, float)) else str(w.value))
                plan.writes.append([res.name, w.field.cell, zh if lang == "zh" else en, show(a.original), new])
    return plan


def _cellish(v: Any) -> Any:
    """A finding's expected/found as a report-sheet cell value (numbers stay numbers)."""
    if v is None or isinstance(v, (int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return "–".join(fmt_num(x) for x in v)
    return str(v)
