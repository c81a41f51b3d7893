"""``--from 绩效目标表.xlsx``: what a unit declared, read back by xlscore's own reader (any layout it reads,
not only xlscore's template), to pre-fill a self-assessment form with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Form
from ..text import clean, is_placeholder, key

# a targets sheet's funds labels → the self-assessment form's rows
_FUNDS_ROW = (("年度资金总额", ("年度资金总额", "合计", "资金总额", "总计")),
              ("其中：当年财政拨款", ("财政拨款", "当年财政拨款", "本年财政拨款")),
              ("上年结转资金", ("上年结转资金", "上年结转")),
              ("其他资金", ("其他资金",)))


def declared_targets(path: Path) -> dict[str, Any]:
    """The first 绩效目标表 in *path* as template data (header, budget, goal, indicators). InputError when
    the workbook cannot be read or holds no targets sheet."""
    from ..errors import InputError
    from ..read import find_forms
    from ..write import xlsx
    from ..write.apply import REPORT_SHEET, STATE_SHEET

    wb, cached = xlsx.load(path)
    xlsx.restore(wb)
    for grid in xlsx.grids(wb, cached, skip=(REPORT_SHEET, STATE_SHEET)):
        for form in find_forms(grid).forms:
            if form.kind == "targets" and form.indicators:
                return form_data(form)
    raise InputError("targets-no-form", path=str(path))


def _raw(f) -> Any:
    if f is None or f.raw is None:
        return None
    v = f.raw
    if isinstance(v, str):          # carried over as typed (only trimmed): the declaration, not our reading of it
        return None if not clean(v) or is_placeholder(clean(v)) else v.strip()
    return v


def form_data(form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {"year": form.year}
    for name in ("项目名称", "主管部门", "实施单位"):
        data[name] = _raw(form.header.get(name))
    data["goal"] = _raw(form.goal_expected)
    funds: dict[str, dict[str, Any]] = {}
    for fr in form.funds:
        label = key(fr.label).replace("其中:", "").replace("其中", "")
        for target, names in _FUNDS_ROW:
            if (fr.is_total and target == "年度资金总额") or label in {key(n) for n in names}:
                amount = _raw(fr.budget_start) if fr.budget_start is not None else _raw(fr.budget)
                if isinstance(amount, (int, float)) and form.funds_factor != 1.0:
                    amount = round(amount * form.funds_factor, 6)      # the template's block is in 万元
                funds.setdefault(target, {"年初预算数": amount})
                break
    data["funds"] = funds
    rows = []
    for ind in form.indicators:
        levels = list(ind.levels)
        l1 = levels[0] if len(levels) >= 2 else ""
        l2 = levels[1] if len(levels) >= 3 else ""
        rows.append({
            "一级指标": l1, "二级指标": l2, "三级指标": ind.name,
            "符号": _raw(ind.extra.get("operator")),
            "指标值": _raw(ind.target),
            "度量单位": _raw(ind.extra.get("unit")),
            "分值": _raw(ind.weight),
            "赋分规则": _raw(ind.rule),
        })
    data["indicators"] = rows
    return data
