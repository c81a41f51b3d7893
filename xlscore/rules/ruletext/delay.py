"""Deduction per unit of delay: 每延迟1个月扣1分, 每滞后一年扣2分, 每推迟1天扣0.1分 (floor 0 where 扣完为止).

The delay is not a figure a scoring table prints: the score is checked as a multiple of the step, not recomputed.
"""

from __future__ import annotations

import re

from .core import N, ParsedRule, cn_int, to_float, multiples_of, fmt, rule_kind

DELAY_VERBS = "延迟|滞后|推迟|延期|逾期|超期|拖延"
DELAY_UNITS = {"年": ("年", "year"), "季度": ("季度", "quarter"), "月": ("个月", "month"), "周": ("周", "week"),
               "天": ("天", "day"), "日": ("日", "day"), "工作日": ("个工作日", "working day")}


def _describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    zh, en = DELAY_UNITS[p["unit"]]
    per = fmt(p["per"])
    if lang == "zh":
        return f"按期完成得满分；每{'延迟'}{per}{zh}扣{fmt(p['deduct'])}分，扣完为止"
    return f"on time: full marks; −{fmt(p['deduct'])} per {per} {en}(s) of delay, floor 0"


@rule_kind("per-delay", "每延迟一个时间单位扣分", "Deduction per unit of delay", describe=_describe,
           allowed=lambda r: multiples_of(r),
           examples=("每延迟1个月扣1分", "每滞后一年扣2分，扣完为止", "未按期完成的，每推迟1天扣0.1分，扣完为止。"))
def _delay(s: str, w):
    m = re.search(r"每(?:" + DELAY_VERBS + r")(\d+(?:\.\d+)?|[一二两三四五六七八九十])?个?(" + "|".join(DELAY_UNITS) +
                  r")扣(?:除)?" + N + "分", s)
    if not m:
        return None
    per = m.group(1)
    per = (to_float(per) if per[0].isdigit() else float(cn_int(per))) if per else 1.0
    return {"unit": m.group(2), "per": per, "deduct": to_float(m.group(3)), "deduct_share": False}
