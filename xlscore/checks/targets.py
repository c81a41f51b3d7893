"""Target review (绩效目标审核): what a finance bureau checks on a declared 绩效目标表 before the budget is approved.

Every check here compares what the sheet declares with what a well-formed target needs; none computes a score.
Severity as a reviewer gives it: what blocks approval (a cost target that is no amount, a rate above 100%, a class
name in place of an indicator, weights that do not add up) is an error; what needs a second look (a figure without a
unit, a rate without a comparator, a class the national framework expects missing, an indicator twice) a warning.
"""

from __future__ import annotations

import re

from ..text import clean, key, lazy_re
from ..read.headers import class_key, is_note_row
from .context import FormContext
from .registry import check

# the national framework's class names (财预〔2020〕10号 / 2021 central guideline): a 三级 name that is only one of
# these declares no indicator
CLASS_NAMES = frozenset(key(x) for x in (
    "产出指标", "效益指标", "满意度指标", "成本指标", "数量指标", "质量指标", "时效指标", "经济成本指标", "社会成本指标",
    "生态环境成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标",
    "满意度", "数量", "质量", "时效", "成本", "可持续性发展影响指标", "可持续发展影响指标", "服务对象或受益者满意度指标",
    "受益对象满意度指标"))
# the 二级 classes a project's targets are expected to have, by 一级 (a warning when one is missing)
EXPECTED_CLASSES = (("产出", ("数量", "质量", "时效")), ("效益", ()), ("满意度", ()))
_RATE_NAME = lazy_re(r"(率|满意度)$")
_UNIT_IN_NAME = lazy_re(r"[(（]([^()（）]{1,6})[)）]$")     # 修建作业道长度(公里): the name states the unit
_QUANTITY_NAME = lazy_re(r"(数量|人数|次数|个数|户数|面积|里程|长度|数|率)$")


def _is_cost(r) -> bool:
    """An economic cost row (成本指标 / 经济成本指标), not 社会成本 / 生态环境成本 (which may be qualitative)."""
    lv = [key(x) for x in r.ind.levels[:-1]]
    if any("社会成本" in x or "生态" in x for x in lv):
        return False
    return any(x in ("成本指标", "经济成本指标", "成本") for x in lv)


def _unit_in_name(name: str) -> bool:
    from ..rules.units import KNOWN_UNITS
    m = _UNIT_IN_NAME.search(name)
    return bool(m) and (m.group(1) in KNOWN_UNITS or m.group(1) in ("%", "％", "亩", "平方米", "立方米", "公顷"))


def _name(r) -> str:
    return clean(r.name)


@check("target-class-name", "target-missing", "target-cost-not-amount", "target-cost-floor", "target-cost-zero", "target-rate-out-of-range", "target-unit-missing",
       "target-comparator-missing", "target-qualitative-quantity", "target-date-impossible", kinds=("targets",))
def declared_targets(ctx: FormContext) -> None:
    for r in ctx.rows:
        name, t, cell = _name(r), r.target, r.ind.target or r.ind.name_field
        if key(name) in CLASS_NAMES:
            ctx.emit("target-class-name", r.ind.name_field, found=name)
            continue
        if r.ind.target is None or r.ind.target.empty or t.kind == "placeholder":
            if r.ind.target is not None and not is_note_row(name) and len(name) <= 40:
                ctx.emit("target-missing", r.ind.target, name=name)
            continue
        shown = clean(r.ind.target.raw)
        if _is_cost(r):
            if t.kind not in ("number", "range") or (t.unit_kind not in ("money", "money_rate")
                                                    and not re.search(r"[0-9][.0-9]*\s*万", shown)):   # 250万
                ctx.emit("target-cost-not-amount", cell, found=shown, name=name)
            elif t.op in (">=", ">"):
                ctx.emit("target-cost-floor", cell, found=shown, name=name)
            elif t.kind == "number" and t.number is not None and t.number <= 0:
                ctx.emit("target-cost-zero", cell, found=shown, name=name)
            continue
        if t.kind in ("date", "date_range"):
            zh = ctx.lang == "zh"
            if t.date is None and t.year_given and "garbled-date" in t.notes and re.search(r"\d+\s*月", shown):
                ctx.emit("target-date-impossible", cell, found=shown, name=name,
                         detail="不是一个存在的日期" if zh else "names no real day")
            elif t.date is not None and t.end_date is not None and t.end_date < t.date:
                ctx.emit("target-date-impossible", cell, found=shown, name=name,
                         detail="结束早于开始" if zh else "ends before it starts")
            continue
        if t.kind == "number" and t.unit == "%" and t.number is not None and _RATE_NAME.search(name):
            if t.number > 1.0 + 1e-9 or t.number < 0:
                ctx.emit("target-rate-out-of-range", cell, found=shown, name=name)
            elif t.op is None and 1e-9 < t.number < 1.0 - 1e-9:
                # at 100% (or 0%) ≥ / ≤ and = say the same; published sheets write a bare 100% everywhere
                ctx.emit("target-comparator-missing", cell, found=shown, name=name)
        elif t.kind == "number" and t.unit is None and not _unit_in_name(name):
            ctx.emit("target-unit-missing", cell, found=shown, name=name)
        elif t.kind == "qualitative" and _QUANTITY_NAME.search(name) and "满意" not in name:
            ctx.emit("target-qualitative-quantity", cell, found=shown, name=name)


@check("target-duplicate", kinds=("targets",))
def duplicates(ctx: FormContext) -> None:
    seen: dict[str, int] = {}
    for r in ctx.rows:
        k = key(r.name)
        if not k or k in CLASS_NAMES or r.ind.name_field is None or r.ind.name_field.empty:
            continue          # a name merged over several rows is one name, shown on each
        if k in seen:
            ctx.emit("target-duplicate", r.ind.name_field, name=_name(r), first=seen[k])
        else:
            seen[k] = r.ind.row


@check("target-weights-sum", kinds=("targets",))
def weights(ctx: FormContext) -> None:
    form, ws = ctx.form, ctx.declared_weights
    if ws is not None and abs(ws.found - ws.expected) > 0.01:
        where = form.total_weight if form.total_weight is not None else ctx.rows[-1].ind.weight
        ctx.emit("target-weights-sum", where, expected=ws.expected, found=round(ws.found, 4))


@check("target-classes-missing", kinds=("targets",))
def classes(ctx: FormContext) -> None:
    rows = ctx.rows
    if ctx.form.variant != "project" or len(rows) < 3 or not any(r.ind.levels[:-1] for r in rows):
        return          # a 部门整体 sheet declares 履职 targets, not a project's class set
    level1 = [class_key(r.ind.level1) for r in rows]
    level2 = [class_key(r.ind.level2) for r in rows]
    if not any(level1):
        return
    every = "".join(class_key("".join(r.ind.levels)) for r in rows)
    missing = []
    for top, subs in EXPECTED_CLASSES:
        if top not in every:      # 满意度 as a 二级 under 效益 (the pre-2021 template) counts
            missing.append(top)
            continue
        for sub in subs:
            if not any(sub in x for x, y in zip(level2, level1) if top in y):
                missing.append(f"{top}·{sub}")
    if "成本" not in every:
        missing.append("成本")
    if missing:
        ctx.emit("target-classes-missing", (ctx.form.header_row, min(ctx.form.columns.values(), default=1)),
                 found="、".join(missing))
