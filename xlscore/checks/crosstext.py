"""Checks of a form against itself across its parts: the goal text against the indicator table (K10), the cost
indicators against the funds block (K13), and the 偏差原因 column against the row it stands on (K21).

Texts are read by :mod:`xlscore.rules.textfigures`; a figure is compared only when it can be tied to one
indicator with confidence, and the finding says which words (or which unit) tied it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..rules.textfigures import (Candidate, Figure, common_words, contradicts, distinct_len, extract_figures,
                                 name_key, tie)
from ..rules.units import canonical
from ..rules.values import Value, describe, parse_value
from ..text import clean, decimals_of, is_placeholder
from ..evaluate.selfassess import RowEval
from .context import FormContext, fmt_num, fmt_rate
from .registry import check

EPS = 1e-9

# funds-block figures a goal text may state ("全年预算数为17091.19万元，…总预算执行率为100%")
FUNDS_NAMES = {"budget": "全年预算数", "spent": "全年执行数", "rate": "预算执行率"}


def _zh(ctx: FormContext, zh: str, en: str) -> str:
    return zh if ctx.lang == "zh" else en


# --------------------------------------------------------------------------- goal text vs table (K10)

def _candidates(ctx: FormContext, role: str) -> list[Candidate]:
    out = []
    for r in ctx.rows:
        value: Value = r.target if role == "target" else r.actual
        where = r.ind.target if role == "target" else r.ind.actual
        if value.kind in ("number", "date", "date_range") and where is not None:
            out.append(Candidate(r.name, value, where, r))
    f = ctx.funds
    if f is not None:
        for attr, name in FUNDS_NAMES.items():
            cell = getattr(f.row, attr)
            x = f.rate if attr == "rate" else getattr(f, attr)
            if cell is None or x is None:
                continue
            text = f"{round(x * 100, 6)!r}%" if attr == "rate" else f"{x!r}万元"
            out.append(Candidate(name, parse_value(text, role="actual"), cell, None))
    return out


def _quote(fig: Figure) -> str:
    words = fig.before.strip()
    if len(words) > 14:
        words = "…" + words[-14:]
    return words + fig.text + fig.after.strip()[:10]


def _basis(ctx: FormContext, fig: Figure, t) -> str:
    conf = {"high": _zh(ctx, "高", "high"), "medium": _zh(ctx, "中", "medium")}[t.confidence]
    if t.basis == "name":
        words = "、".join(f"「{w}」" for w in t.words) if ctx.lang == "zh" else ", ".join(f"'{w}'" for w in t.words)
        unit = fig.unit if fig.kind == "number" else _zh(ctx, "日期", "a date")
        return _zh(ctx, f"名称词{words}，单位{unit}（置信度{conf}）", f"name words {words}, unit {unit} (confidence {conf})")
    return _zh(ctx, f"本表唯一以「{fig.unit}」计量的指标，文字中也只有这一个以「{fig.unit}」计的数（置信度{conf}）",
               f"the only indicator of the form measured in '{fig.unit}', and the only such figure in the text "
               f"(confidence {conf})")


@check("goal-text-mismatch")
def goal_text(ctx: FormContext) -> None:
    form = ctx.form
    for field, role, part in ((form.goal_expected, "target", ("预期目标", "expected goal")),
                              (form.goal_actual, "actual", ("实际完成情况", "actual achievement"))):
        if field is None or field.empty or not isinstance(field.raw, str):
            continue
        figures = extract_figures(field.raw, form.year)
        if not figures:
            continue
        cands = _candidates(ctx, role)
        seen: set[int] = set()
        for fig in figures:
            t = tie(fig, cands, figures)
            if t is None or id(t.candidate) in seen:
                continue
            c = t.candidate
            if not contradicts(fig, c.value, role if c.ref is not None else "actual"):
                seen.add(id(c))
                continue
            seen.add(id(c))
            if c.ref is not None:
                what = _zh(ctx, "目标值", "target") if role == "target" else _zh(ctx, "实际值", "actual")
                name = c.name
            else:
                what, name = _zh(ctx, "数额", "figure"), _zh(ctx, f"资金表·{c.name}", f"funds table · {c.name}")
            ctx.emit("goal-text-mismatch", field, expected=describe(c.value, ctx.lang), found=fig.text,
                     part=part[0] if ctx.lang == "zh" else part[1], quote=_quote(fig), name=name, ref=c.where.cell,
                     what=what, value=describe(c.value, ctx.lang), basis=_basis(ctx, fig, t))


# --------------------------------------------------------------------------- money: cost indicators vs funds (K13)

def _half_up(x: float, d: int) -> float:
    return float(Decimal(repr(round(x, 9))).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def items_text(rows: list[RowEval], attr: str) -> str:
    return "、".join(f"{r.name} {fmt_num(getattr(r, attr).number)}" for r in rows)


def _decimals(x: float) -> int:
    s = f"{x:.6f}".rstrip("0")
    return len(s.split(".")[1]) if "." in s else 0


@check("cost-targets-exceed-budget", "cost-actuals-differ-from-spent")
def cost_money(ctx: FormContext) -> None:
    f, c = ctx.funds, ctx.costs
    if f is None or f.budget is None or c is None:
        return
    rows, total_t = c.rows, c.targets
    if total_t > f.budget + 1e-6:
        ctx.emit("cost-targets-exceed-budget", f.row.budget, expected=f.budget, found=round(total_t, 6),
                 items=items_text(rows, "target"), column=_zh(ctx, "全年预算数", "annual budget"))
    if abs(total_t - f.budget) > 0.01 + EPS or f.spent is None:
        return                   # the cost indicators do not cover the budget: their actuals need not add up
    if c.actuals is None:
        return
    total_a = c.actuals
    d = decimals_of(f.row.spent.raw) if f.row.spent is not None else None
    d = 2 if d is None else d
    if abs(_half_up(total_a, d) - f.spent) <= EPS:
        return
    notes = []
    if _decimals(total_a) > d:
        notes.append(_zh(ctx, f"（合计有 {_decimals(total_a)} 位小数，资金表只记 {d} 位）",
                         f" (the sum has {_decimals(total_a)} decimals, the funds table {d})"))
    if total_a < f.spent and f.budget:
        notes.append(_zh(ctx, f"；若按实际值合计，执行率应为 {fmt_rate(total_a / f.budget)}",
                         f"; at that figure the execution rate would be {fmt_rate(total_a / f.budget)}"))
    ctx.emit("cost-actuals-differ-from-spent", f.row.spent, expected=f.spent, found=round(total_a, 6),
             items=items_text(rows, "actual"), note="".join(notes))


# --------------------------------------------------------------------------- 偏差原因 about another row (K21)

def _unit_of(r: RowEval) -> str | None:
    for v in (r.target, r.actual):
        if v.kind == "number" and v.unit:
            return canonical(v.unit)
    return None


@check("reason-other-indicator")
def reason_about_other_row(ctx: FormContext) -> None:
    for r in ctx.rows:
        f = r.ind.reason
        if f is None or f.empty or is_placeholder(f.raw) or not isinstance(f.raw, str):
            continue
        text = clean(f.raw)
        own, _ = common_words(r.name, text)
        if own >= 2:
            continue              # it talks about this row (too)
        key = name_key(text)
        others = [o for o in ctx.rows if o is not r and distinct_len(o.name) >= 2 and len(name_key(o.name)) >= 2
                  and name_key(o.name) in key]
        if others:
            where = [o.ind.name_field.cell if o.ind.name_field else "" for o in others[:3]]
            names = ("、".join(f"「{o.name}」（{w}）" for o, w in zip(others, where)) if ctx.lang == "zh"
                     else ", ".join(f"'{o.name}' ({w})" for o, w in zip(others, where)))
            detail = _zh(ctx, f"提到了指标{names}，却没有提到本行指标", f"it names {names}, not this indicator")
            ctx.emit("reason-other-indicator", f, found=text, name=r.name, detail=detail)
            continue
        mine = _unit_of(r)
        if mine is None:
            continue
        units_elsewhere = {_unit_of(o) for o in ctx.rows if o is not r} - {None, mine}
        for fig in extract_figures(text, ctx.form.year):
            if fig.kind == "number" and fig.unit and canonical(fig.unit) in units_elsewhere:
                detail = _zh(ctx, f"提到「{fig.text}」，单位与本行（{mine}）不同，而与其他指标相同",
                             f"it states '{fig.text}', in another indicator's unit, not this row's ({mine})")
                ctx.emit("reason-other-indicator", f, found=text, name=r.name, detail=detail)
                break
