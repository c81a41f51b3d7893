"""Proportional to the rate (domain rule 1) and a formula plus discretion (domain rule 14)."""

from __future__ import annotations

import re

from .core import JUDGEMENT_WORDS, Measure, ParsedRule, to_float, fmt, rule_kind
from ...text import lazy_re


def _rate_describe(r: ParsedRule, lang: str) -> str:
    f, cap = r.params.get("factor"), r.params.get("cap")
    if f is not None:
        if lang == "zh":
            return f"得分＝实际比率×{fmt(f)}" + ("（比率超过100%按100%计）" if cap else "") + "，最高满分"
        return f"score = actual rate × {fmt(f)}" + (" (a rate over 100% counts as 100%)" if cap else "") + ", capped at the weight"
    return "得分＝实际比率（完成率）×权重，最高满分" if lang == "zh" else "score = actual rate × weight, capped at the weight"


def _rate_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:
        return None
    f, cap = r.params.get("factor"), r.params.get("cap")
    rate = min(m.rate, cap) if cap is not None else m.rate
    return (f if f is not None else r.weight) * rate


_RATE_PATTERNS = (
    r"按(?:实际)?[^,;。/]*?(?:率|满意度)\*?(?:指标)?(?:权重|分值)(?:得分|计分|计算)?",
    r"得分=[^,;。/]*?(?:率|满意度)\*(?:指标)?(?:权重|分值)",
    r"按实际完成率计算相应得分",
    r"得分=[^,;。]*?率\*(?:指标)?权重",
    r"\*100\*(?:指标)?权重",
)
# 得分值=年度建设任务完成率(超过100%以100%计算)×20: the rate (capped) times a number of points
_RATE_TIMES_POINTS = lazy_re(r"得分(?:值)?=[^,;。=]*?(?:率|满意度)(\((?:超过|高于|大于)100%(?:的)?(?:以|按)100%计(?:算)?\))?\*"
                                r"(\d+(?:\.\d+)?)(?:分)?$")


@rule_kind("proportional-rate", "按比率计分（得分＝比率×权重）", "Proportional to the rate",
           describe=_rate_describe, compute=_rate_compute,
           examples=("资金到位率=(实际到位资金/预算资金)*100%，资金到位率达100%，得2分，否则按实际资金到位率*指标权重得分。",
                     "车辆补贴工作完成率100%得满分，否则按实际完成率计算相应得分。",
                     "满意度达到100%得满分，否则按实际满意度*分值计分。",
                     "得分值=年度建设任务完成率（超过100%以100%计算）×20"))
def _rate(s: str, w):
    if any(x in s for x in JUDGEMENT_WORDS):
        return None
    if any(re.search(p, s) for p in _RATE_PATTERNS):
        return {}
    m = _RATE_TIMES_POINTS.search(s.rstrip("。"))
    if m:
        return {"factor": to_float(m.group(2)), "cap": 1.0 if m.group(1) else None}
    return None


def _formula_describe(r: ParsedRule, lang: str) -> str:
    if lang == "zh":
        return "按公式（比率×权重）计算参考分，评价组可酌情调整"
    return "a formula (rate × weight) gives a reference value; the evaluator may adjust it"


@rule_kind("formula-discretion", "公式计算并酌情调整（仅参考）", "Formula plus discretion (reference only)",
           describe=_formula_describe, compute=lambda r, m: None if m.rate is None else r.weight * m.rate,
           examples=("主要依据“支付额/预算额度*100*指标权重”计算核定得分，同时综合考虑工作进度，以及是否垫资或履行支付手续而影响支出率等因素适当调整最后得分。",
                     "以实际完成率进行考核，实际完成率=（实际举办大类主题活动数/4）×100%，得分=实际完成率*指标权重。其他情况，则酌情扣分。"))
def _formula(s: str, w):
    if any(re.search(p, s) for p in _RATE_PATTERNS) and any(x in s for x in JUDGEMENT_WORDS):
        d = re.search(r"/" + r"(\d+)\)", s)
        return {"denominator": to_float(d.group(1))} if d else {}
    return None
