"""Budget-overrun / progress bands (domain rule 11): 超出预算10%至20%或者…进度不足90%的扣1分…."""

from __future__ import annotations

import re

from .core import EPS, to_float, fmt, Measure, N, ParsedRule, rule_kind


def _budget_describe(r: ParsedRule, lang: str) -> str:
    bands = r.params["bands"]
    if lang == "zh":
        parts = [f"超出预算{fmt(lo)}%–{fmt(hi)}%" + (f"或进度不足{fmt(p)}%" if p else "") + f"扣{fmt(d)}分"
                 for lo, hi, p, d in bands]
        z = r.params.get("zero_above")
        if z is not None:
            parts.append(f"超出{fmt(z[0])}%" + (f"或进度不足{fmt(z[1])}%" if z[1] else "") + "不得分")
        return "预算超支/进度分档：未超预算得满分；" + "；".join(parts)
    parts = [f"overrun {fmt(lo)}–{fmt(hi)}%" + (f" or progress under {fmt(p)}%" if p else "") + f": −{fmt(d)}"
             for lo, hi, p, d in bands]
    z = r.params.get("zero_above")
    if z is not None:
        parts.append(f"overrun over {fmt(z[0])}%" + (f" or progress under {fmt(z[1])}%" if z[1] else "") + ": 0")
    return "budget-overrun bands: within budget full marks; " + "; ".join(parts)


def _budget_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:        # spent / budget
        return None
    over = (m.rate - 1.0) * 100
    if over <= EPS:
        return r.weight
    z = r.params.get("zero_above")
    if z is not None and over > z[0] + EPS:
        return 0.0
    worst = 0.0
    for lo, hi, _, d in r.params["bands"]:
        if over >= lo - EPS:
            worst = max(worst, d)
    return r.weight - worst


@rule_kind("budget-overrun-bands", "预算超支/进度分档扣分", "Budget-overrun / progress bands",
           describe=_budget_describe, compute=_budget_compute,
           allowed=lambda r: [r.weight] + [r.weight - b[3] for b in r.params["bands"]] + [0.0],
           examples=("实际支出未超过预算计划的，得满分；超出预算10%至20%或者支出保障事项完成进度不足90%的扣1分，超出预算20%至30%"
                     "或者支出保障事项完成进度不足80%的扣3分，超出预算30%或者支出保障事项完成进度不足70%的不得分",))
def _budget(s: str, w):
    bands = [(to_float(a), to_float(b), to_float(p) if p else None, to_float(d)) for a, b, p, d in
             re.findall(r"超出预算" + N + r"%至" + N + r"%(?:或者?[^扣]*?不足" + N + r"%)?的?扣" + N + "分", s)]
    if not bands:
        return None
    z = re.search(r"超出预算" + N + r"%(?:以上)?(?:或者?[^,;。]*?不足" + N + r"%)?的?不得分", s)
    return {"bands": bands, "zero_above": (to_float(z.group(1)), to_float(z.group(2)) if z.group(2) else None) if z else None}
