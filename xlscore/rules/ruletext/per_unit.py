"""Deduction per missing unit (domain rule 6): 每少一家扣除20%权重分, 每少10人扣0.1分."""

from __future__ import annotations

import math
import re

from .core import cn_int, deduction_text, deduct_of, to_float, fmt, Measure, multiples_of, N, ParsedRule, rule_kind, step_points, UNITS


def _unit_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    t = f"{fmt(p['target'])}{p['unit']}" if p.get("target") is not None else "目标数" if lang == "zh" else "the target"
    per = p.get("per") or 1
    if lang == "zh":
        return f"完成{t}得满分；每少{fmt(per) if per != 1 else '一'}{p['unit']}扣{deduction_text(r, lang)}，扣完为止"
    return f"{t} gives full marks; −{deduction_text(r, lang)} per {fmt(per) + ' ' if per != 1 else ''}missing {p['unit'] or 'unit'}, floor 0"


def _unit_compute(r: ParsedRule, m: Measure) -> float | None:
    T = r.params.get("target")
    if T is None:
        return None
    n = m.count
    if n is None and m.rate is not None:
        n = m.rate * T                    # a completion rate printed instead of the count (85.71% of 7 → 6)
        if abs(n - round(n)) <= 0.005 * max(T, 1):
            n = float(round(n))
    if n is None:
        return None
    missing = max(0.0, T - n)
    per = r.params.get("per") or 1
    steps = math.ceil(missing - 1e-6) if per == 1 else math.floor(missing / per + 1e-9)   # 每少10人: whole tens
    return r.weight - steps * step_points(r)


@rule_kind("per-missing-unit", "每少一个单位扣分", "Deduction per missing unit",
           describe=_unit_describe, compute=_unit_compute, allowed=lambda r: multiples_of(r),
           examples=("完成对7家商超企业的补助得满分，否则每少一家扣除20%权重分，扣完为止。",
                     "完成12场发放消费券的活动得满分，否则每少一次扣除0.1分，扣完为止。",
                     "完成2个活动宣传片的制作得满分，否则每少一个扣除50%权重分。",
                     "活动覆盖人次≥200,000（人次）得满分，否则每少于目标值1人次扣0.1分，扣完为止。",
                     "培训人数达到1200人得满分，每少10人扣0.1分，扣完为止。"))
def _per_unit(s: str, w):
    m = re.search(r"每少(?:于目标值)?(一|1|\d+)?(" + UNITS + r")扣(?:除)?" + N + r"(%权重分|%|分)", s)
    if not m:
        return None
    d, share = deduct_of(m, 3, 4)
    unit = m.group(2)
    head = s[:m.start()]
    t = (re.search(r"完成(?:对)?(\d[\d,]*)(" + UNITS + ")", head)
         or re.search(r"(?:≥|大于等于|不少于|达到)(\d[\d,]*)\(?(" + UNITS + r")?\)?", head))
    target = to_float(t.group(1)) if t else None
    if t and t.group(2):
        unit = t.group(2)
    per = cn_int(m.group(1)) if m.group(1) else 1
    return {"unit": unit if unit not in ("次",) or not t else unit, "target": target, "deduct": d, "deduct_share": share,
            "per": per or 1}
