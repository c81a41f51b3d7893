"""Proportional deduction by the share of activities affected (domain rule 12)."""

from __future__ import annotations

import re

from .core import cn_int, fmt, ParsedRule, rule_kind


def _prop_describe(r: ParsedRule, lang: str) -> str:
    n = r.params.get("of")
    if lang == "zh":
        return f"按出现问题的活动所占比例扣分（共{n}项，每项{fmt(r.weight / n) if r.weight else '—'}分）" if n else \
            "按出现问题的活动所占比例扣分"
    return f"deduction by the share of activities affected ({n} in all)" if n else "deduction by the share of activities affected"


@rule_kind("proportional-deduction", "按比例扣分", "Proportional deduction",
           describe=_prop_describe,
           allowed=lambda r: [r.weight * (1 - k / r.params["of"]) for k in range(r.params["of"] + 1)] if r.params.get("of") else None,
           examples=("四大主题活动按方案规定时间（2021年2月11日-2021年5月31日止）进行得4分；若有主题活动存在延期情况，按比例计算扣分。",
                     "向消费者推出4款主题套餐。若活动与项目方案有出入，按比例计算扣分。"))
def _proportional_deduction(s: str, w):
    if not re.search(r"按比例(?:计算)?扣分", s):
        return None
    n = re.search(r"([一二两三四五六七八九十\d]+)(?:大|款|项|个|场)(?:主题)?(?:活动|套餐)", s)
    return {"of": cn_int(n.group(1)) if n else None}
