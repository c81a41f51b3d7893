"""Threshold, then proportional (domain rule 3): 预算执行率≥95%得3分，否则按实际预算执行率*指标权重得分."""

from __future__ import annotations

import re

from .core import EPS, to_float, fmt, Measure, N, ParsedRule, rule_kind


def _thr_describe(r: ParsedRule, lang: str) -> str:
    t = r.params["threshold"]
    if lang == "zh":
        return f"比率≥{fmt(t)}%得满分，否则得分＝比率×权重"
    return f"rate ≥ {fmt(t)}% gives full marks, else score = rate × weight"


def _thr_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:
        return None
    return r.weight if m.rate * 100 >= r.params["threshold"] - EPS else r.weight * m.rate


@rule_kind("threshold-proportional", "达到阈值得满分，否则按比率计分", "Threshold, then proportional",
           describe=_thr_describe, compute=_thr_compute,
           examples=("预算执行率=(实际支出资金/实际到位资金)*100%，预算执行率≥95%，得3分，否则按实际预算执行率*指标权重得分。",
                     "满意度≥90%得满分，否则按实际满意度×指标权重得分。",
                     "服务对象满意度达到85%以上得满分，否则按实际满意度*分值计分。"))
def _threshold(s: str, w):
    m = re.search(r"(?:≥|大于等于|达到?|不低于)" + N + r"%(?:以上)?,?得(?:" + N + r"分|满分),?否则按(?:实际)?[^,;。]*?(?:率|满意度)"
                  r"\*?(?:指标)?(?:权重|分值)", s)
    if not m or to_float(m.group(1)) >= 100 - EPS:
        return None
    return {"threshold": to_float(m.group(1))}
