"""Step deduction per 1% (or N%) short of / over a target (domain rule 4), floor 0 (扣完为止 / 扣满N分为止).

    核销率100%得满分，否则每低于目标值1%（含不足1%部分）扣除5%权重分
    在职人员控制率≤100%，计5分；每超过一个百分点扣0.5分，扣完为止
    计划建设内容完成100%的得20分，每减少1个百分点扣1分，扣完20分为止
    不足90%时，每减少5%，扣1分，扣完为止                    (steps counted from 90%)
    实际完成情况与计划每相差3%，扣1分，扣满15分为止          (either way from the plan, 100%)

A partial step is rounded up only where the text says so (含不足1%部分).
"""

from __future__ import annotations

import math
import re

from .core import deduction_text, deduct_of, EPS, to_float, fmt, Measure, multiples_of, N, ParsedRule, rule_kind, step_points, UNITS
from ...text import lazy_re


def _step_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    targets = p.get("targets") or []
    tt = "、".join(t["text"] for t in targets) or "—"
    if lang == "zh":
        per = fmt(p["per"])
        ceil = f"（不足{per}%的部分按{per}%计）" if p["ceil"] else f"（不足{per}%的部分不扣）"
        way = {"below": "每低于目标", "above": "每超出目标", "either": "与目标每相差"}[p["direction"]]
        reach = "满足" if tt.startswith("≤") else "达到"
        return f"{reach}{tt}得满分；否则{way}{fmt(p['per'])}%{ceil}扣{deduction_text(r, lang)}，扣完为止"
    if p["per"] == 1:
        ceil = " (a partial percent counts as 1%)" if p["ceil"] else " (no deduction for a partial percent)"
    else:
        ceil = " (a partial step counts as a step)" if p["ceil"] else " (no deduction for a partial step)"
    way = {"below": "below", "above": "above", "either": "away from the"}[p["direction"]]
    return f"meeting {tt} scores full marks; else −{deduction_text(r, lang)} per {fmt(p['per'])}% {way} target{ceil}, floor 0"


def _step_compute(r: ParsedRule, m: Measure) -> float | None:
    p = r.params
    targets = p.get("targets") or []
    if m.rate is None or len(targets) != 1 or targets[0]["unit"] != "%":
        return None
    t = targets[0]["value"] / 100
    gap = {"below": t - m.rate, "above": m.rate - t, "either": abs(m.rate - t)}[p["direction"]]
    gap = round(gap * 100, 9)
    if gap <= EPS:
        return r.weight
    steps = math.ceil(gap / p["per"] - 1e-9) if p["ceil"] else math.floor(gap / p["per"] + 1e-9)
    return r.weight - _capped(r, steps * step_points(r))


def _capped(r: ParsedRule, deduction: float) -> float:
    """扣满N分为止: the deduction stops at N points (at the weight where N is the weight or not stated)."""
    cap = r.params.get("cap")
    return min(deduction, cap) if cap is not None else deduction


def _step_allowed(r: ParsedRule) -> list[float] | None:
    vals = multiples_of(r)
    cap = r.params.get("cap")
    if vals is None or cap is None or r.weight is None or cap >= r.weight - EPS:
        return vals
    return [v for v in vals if v >= r.weight - cap - EPS] + [r.weight - cap]


STEP_VERBS = {"低于": "below", "少于": "below", "少": "below", "降低": "below", "下降": "below", "低": "below",
              "减少": "below", "超出": "above", "超过": "above", "高于": "above", "相差": "either", "偏离": "either"}
TARGET_OPS = {"≥": "≥", "大于等于": "≥", "不低于": "≥", "达到": "≥", "完成": "≥", "≤": "≤", "不超过": "≤", "=": "="}
_STEP = lazy_re(r"每(" + "|".join(sorted(STEP_VERBS, key=len, reverse=True)) + r")(?:目标值)?(" + r"\d+(?:\.\d+)?|一)个?"
                   r"(%|百分点)(\((?:含)?不足\d+(?:%|个百分点)[^)]*\))?,?扣(?:除)?" + N + r"(%权重分|%|分)")


@rule_kind("step-per-percent", "每差1%扣一步", "Step deduction per 1%",
           describe=_step_describe, compute=_step_compute, allowed=_step_allowed,
           examples=("商超消费券核销率=实际核销金额/累计发放金额*100%，核销率100%得满分，否则每低于目标值1%（含不足1%部分）扣除5%权重分。",
                     "退货退券率0%得满分，否则每超出1%（含不足1%部分）扣除5%权重分。",
                     "满意度≥95%得满分，否则每低于目标值1%（不足1%的部分视为1%）扣5%权重分。",
                     "通过消费券实现直接拉动消费金额≥1624万元，汽车补贴直接拉动消费金额≥11310万元，两项均达标得满分，否则每少1%（含不足1%部分）扣5%权重分。",
                     "活动覆盖人次≥70000（人次）得满分，否则每低于目标值1%扣10%权重分，扣完为止。",
                     "预算执行率达到100%得满分，每降低1个百分点扣0.1分，扣完为止。",
                     "满意度达到90%以上得满分，每下降1个百分点扣0.5分，扣完为止。",
                     "验收合格率≥98%得满分，每降低1%扣0.5分。",
                     "以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。",
                     "“三公经费”变动率≦0，计5分；“三公经费”>0，每超过一个百分点扣0.5分，扣完为止。",
                     "计划建设内容完成100%的得20分，每减少1个百分点扣1分，扣完20分为止。",
                     "实际完成情况与计划每相差3%，扣1分，扣满15分为止",
                     "不足90%时，每减少5%，扣1分，扣完为止"))
def _step(s: str, w):
    m = _STEP.search(s)
    if not m:
        return None
    d, share = deduct_of(m, 5, 6)
    head = s[:m.start()]
    targets = []
    for op, v, unit in re.findall(r"(" + "|".join(TARGET_OPS) + r")?" + r"(\d(?:[\d,]*\d)?(?:\.\d+)?)" + r"(%|万元|元|人次|\((?:" + UNITS + r")\))?"
                                  r"(?:及?以上)?(?=,?得满分|的?,?(?:得|计)\d+(?:\.\d+)?分|,两项|,[^,]*?(?:≥|大于等于)|,?否则)", head):
        unit = unit.strip("()") if unit else ""
        if not unit and op and m.group(3) == "百分点":
            unit = "%"          # 变动率≤0，计5分；每超过一个百分点…: a bare number beside a step in points is a percent
        if unit or op:
            shown = {"≥": "≥", "≤": "≤", "=": "="}[TARGET_OPS[op]] if op else ""
            targets.append({"value": to_float(v), "unit": unit, "text": f"{shown}{v}{unit}"})
    if not targets:
        t = re.search(r"(?:不足|低于|未达到)" + N + r"%(?:时|的)", head)
        if t:
            targets.append({"value": to_float(t.group(1)), "unit": "%", "text": f"{t.group(1)}%"})
    direction = STEP_VERBS[m.group(1)]
    out = {"direction": direction, "per": 1.0 if m.group(2) == "一" else to_float(m.group(2)),
           "ceil": bool(m.group(4)), "deduct": d, "deduct_share": share, "targets": targets}
    if direction == "either" and not targets:
        out["targets"] = [{"value": 100.0, "unit": "%", "text": "计划（100%）", "implied": True}]
    cap = re.search(r"扣(?:完|满)" + N + "分为止", s)
    if cap:
        out["cap"] = to_float(cap.group(1))
    return out
