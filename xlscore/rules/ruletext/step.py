"""Step deduction per 1% (or N%) short of / over a target (domain rule 4)."""

from __future__ import annotations

import math
import re

from .core import _d_text, _deduct, EPS, _f, fmt, Measure, _multiples, N, ParsedRule, rule_kind, _step_pts, UNITS


def _step_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    targets = p.get("targets") or []
    tt = "、".join(t["text"] for t in targets) or "—"
    if lang == "zh":
        ceil = "（不足1%的部分按1%计）" if p["ceil"] else "（不足1%的部分不扣）"
        way = {"below": "每低于目标", "above": "每超出目标"}[p["direction"]]
        return f"达到{tt}得满分；否则{way}{fmt(p['per'])}%{ceil}扣{_d_text(r, lang)}，扣完为止"
    ceil = " (a partial percent counts as 1%)" if p["ceil"] else " (no deduction for a partial percent)"
    way = {"below": "below", "above": "above"}[p["direction"]]
    return f"meeting {tt} scores full marks; else −{_d_text(r, lang)} per {fmt(p['per'])}% {way} target{ceil}, floor 0"


def _step_compute(r: ParsedRule, m: Measure) -> float | None:
    p = r.params
    targets = p.get("targets") or []
    if m.rate is None or len(targets) != 1 or targets[0]["unit"] != "%":
        return None
    t = targets[0]["value"] / 100
    gap = (t - m.rate) if p["direction"] == "below" else (m.rate - t)
    gap = round(gap * 100, 9)
    if gap <= EPS:
        return r.weight
    steps = math.ceil(gap / p["per"] - 1e-9) if p["ceil"] else math.floor(gap / p["per"] + 1e-9)
    return r.weight - steps * _step_pts(r)


@rule_kind("step-per-percent", "每差1%扣一步", "Step deduction per 1%",
           describe=_step_describe, compute=_step_compute, allowed=lambda r: _multiples(r),
           examples=("商超消费券核销率=实际核销金额/累计发放金额*100%，核销率100%得满分，否则每低于目标值1%（含不足1%部分）扣除5%权重分。",
                     "退货退券率0%得满分，否则每超出1%（含不足1%部分）扣除5%权重分。",
                     "满意度≥95%得满分，否则每低于目标值1%（不足1%的部分视为1%）扣5%权重分。",
                     "通过消费券实现直接拉动消费金额≥1624万元，汽车补贴直接拉动消费金额≥11310万元，两项均达标得满分，否则每少1%（含不足1%部分）扣5%权重分。",
                     "活动覆盖人次≥70000（人次）得满分，否则每低于目标值1%扣10%权重分，扣完为止。",
                     "预算执行率达到100%得满分，每降低1个百分点扣0.1分，扣完为止。",
                     "满意度达到90%以上得满分，每下降1个百分点扣0.5分，扣完为止。",
                     "验收合格率≥98%得满分，每降低1%扣0.5分。"))
def _step(s: str, w):
    m = re.search(r"每(低于|超出|少于|少|高于|降低|下降|低)(?:目标值)?" + N + r"(?:%|个百分点)(\((?:含)?不足\d+(?:%|个百分点)[^)]*\))?,?"
                  r"扣(?:除)?" + N + r"(%权重分|%|分)", s)
    if not m:
        return None
    d, share = _deduct(m, 4, 5)
    head = s[:m.start()]
    targets = []
    for op, v, unit in re.findall(r"(≥|大于等于|不低于|达到)?" + r"(\d[\d,]*(?:\.\d+)?)" + r"(%|万元|元|人次|\((?:" + UNITS + r")\))?"
                                  r"(?:及?以上)?(?=,?得满分|,两项|,[^,]*?(?:≥|大于等于)|,?否则)", head):
        unit = unit.strip("()") if unit else ""
        if unit or op:
            targets.append({"value": _f(v), "unit": unit, "text": f"{'≥' if op else ''}{v}{unit}"})
    return {"direction": "above" if m.group(1) in ("超出", "高于") else "below", "per": _f(m.group(2)),
            "ceil": bool(m.group(3)), "deduct": d, "deduct_share": share, "targets": targets}
