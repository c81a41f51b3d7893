"""Proportional to the target (domain rule 2): w × min(1, B/A)."""

from __future__ import annotations

import re

from .core import to_float, fmt, Measure, N, ParsedRule, rule_kind


def _target_describe(r: ParsedRule, lang: str) -> str:
    t = r.params.get("target")
    tt = f"{fmt(t)}%" if t is not None else ("目标值" if lang == "zh" else "the target")
    if lang == "zh":
        return f"达到{tt}得满分，否则得分＝实际值/{tt}×权重"
    return f"meeting {tt} gives full marks, else score = actual / {tt} × weight"


def _target_compute(r: ParsedRule, m: Measure) -> float | None:
    t = r.params.get("target")
    t = t / 100 if t is not None else m.target
    if m.rate is None or not t:
        return None
    return r.weight * min(1.0, m.rate / t)


@rule_kind("proportional-target", "按完成值/目标值比例计分", "Proportional to the target",
           describe=_target_describe, compute=_target_compute,
           examples=("参与率≥95%得满分，否则按实际参与率/95%×权重得分。",
                     "达到目标值得满分，未达到的按实际完成值/目标值×权重计分。",
                     "完成全年目标得满分，未完成的按完成比例计分。"))
def _target(s: str, w):
    m = re.search(r"按[^,;。]*?(?:实际|完成)[^,;。/]*?/(" + N + r"%|目标值|指标值|计划值|计划数)\*(?:指标)?(?:权重|分值)", s)
    if not m:
        if re.search(r"(?:未达到|未完成|否则)[^。;]*?按(?:实际)?完成比例(?:计分|得分|赋分)", s):
            return {"target": None}
        return None
    return {"target": to_float(m.group(2)) if m.group(2) else None}
