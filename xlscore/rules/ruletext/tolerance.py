"""Tolerance band, then a step penalty (domain rule 5): 在±5%区间得满分，每超出1%扣0.1分."""

from __future__ import annotations

import math
import re

from .core import deduction_text, deduct_of, EPS, to_float, fmt, Measure, multiples_of, N, ParsedRule, rule_kind, step_points


def _tol_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    ceil = ("（不足1%按1%计）" if lang == "zh" else " (a partial percent counts as 1%)") if p["ceil"] else ""
    if lang == "zh":
        return f"在±{fmt(p['band'])}%区间内得满分；超出区间每{fmt(p['per'])}%{ceil}扣{deduction_text(r, lang)}，扣完为止"
    return f"within ±{fmt(p['band'])}% full marks; beyond it −{deduction_text(r, lang)} per {fmt(p['per'])}%{ceil}, floor 0"


def _tol_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:
        return None
    p = r.params
    centre = p.get("centre")
    if centre is None:
        centre = 1.0 if abs(m.rate) > 0.5 else 0.0     # 准确率 around 100%, 节约率 around 0
    out = abs(m.rate - centre) * 100 - p["band"]
    if out <= EPS:
        return r.weight
    steps = math.ceil(out / p["per"] - 1e-9) if p["ceil"] else out / p["per"]
    return r.weight - steps * step_points(r)


@rule_kind("tolerance-band", "区间内满分、超出按步扣分", "Tolerance band, then a step penalty",
           describe=_tol_describe, compute=_tol_compute,
           allowed=lambda r: multiples_of(r) if r.params["ceil"] else None,
           examples=("汽车补贴准确率在±5%区间，得满分；否则每超出区间范围1%（含不足1%部分）扣5%权重分，扣完为止。",
                     "成本节约率=[(计划成本-实际成本)/计划成本]×100%。成本节约率在±5%区间，得满分；超出区间范围，按每超出1%扣0.1分，扣完为止。"))
def _tolerance(s: str, w):
    band = re.search(r"±" + N + r"%(?:区间|范围|以内)", s)
    step = re.search(r"每超出(?:区间范围)?" + N + r"%(\((?:含)?不足\d+%[^)]*\))?,?扣(?:除)?" + N + r"(%权重分|%|分)", s)
    if not (band and step):
        return None
    d, share = deduct_of(step, 3, 4)
    return {"band": to_float(band.group(1)), "per": to_float(step.group(1)), "ceil": bool(step.group(2)),
            "deduct": d, "deduct_share": share}
