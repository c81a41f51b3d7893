"""Satisfaction bands (domain rule 10): 满意度≥90%得5分，每减少10%扣1分."""

from __future__ import annotations

import math
import re

from .core import EPS, to_float, fmt, Measure, N, ParsedRule, rule_kind


def _sat_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    extra = p.get("judgement_part")
    if lang == "zh":
        t = (f"满意度/比例≥{fmt(p['top'])}%得{fmt(p['points'])}分；每低{fmt(p['per'])}%扣{fmt(p['deduct'])}分"
             f"（不足{fmt(p['per'])}%按一档计），扣完为止")
        return t + (f"；另{fmt(extra)}分由评价组判断" if extra else "")
    t = (f"share ≥ {fmt(p['top'])}% gives {fmt(p['points'])}; −{fmt(p['deduct'])} per {fmt(p['per'])}% below "
         f"(a partial band counts), floor 0")
    return t + (f"; {fmt(extra)} more points by judgement" if extra else "")


def _sat_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None or r.params.get("judgement_part"):
        return None
    p = r.params
    gap = p["top"] - m.rate * 100
    if gap <= EPS:
        return p["points"]
    return max(0.0, p["points"] - p["deduct"] * math.ceil(gap / p["per"] - 1e-9))


@rule_kind("satisfaction-bands", "满意度分档", "Satisfaction bands",
           describe=_sat_describe, compute=_sat_compute,
           allowed=lambda r: [r.params["points"] - k * r.params["deduct"]
                              for k in range(int(r.params["points"] / r.params["deduct"] + 1e-9) + 1)] + [0.0],
           examples=("满意度大于等于90%的，得5分；每减少10%，扣1分，直至扣完为止。",
                     "满意度≥90%得5分，每减少10%扣1分",
                     "发放调查问卷，效果明显≥90%得5分；90%>效果明显≥80%得4分；以此类推实现效果每下降10%，扣1分，扣至0分为止。"))
def _satisfaction(s: str, w):
    top = re.search(r"(?:大于等于|≥|不低于)" + N + r"%(?:的|以上)?,?得" + N + "分", s)
    step = re.search(r"每(?:减少|下降|降低|低)" + N + r"%,?扣" + N + "分", s)
    if not (top and step):
        return None
    points = to_float(top.group(2))
    out = {"top": to_float(top.group(1)), "points": points, "per": to_float(step.group(1)), "deduct": to_float(step.group(2))}
    if w is not None and points < w - EPS:
        out["judgement_part"] = w - points      # e.g. 5 judgement points + a 5-point survey band
    return out
