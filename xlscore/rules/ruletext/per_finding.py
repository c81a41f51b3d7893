"""Deduction per finding / occurrence, floor 0 (domain rule 7): 每发现1处不符合扣25%权重分."""

from __future__ import annotations

import re

from .core import deduction_text, deduct_of, rule_items, multiples_of, N, ParsedRule, rule_kind, step_points


def _finding_describe(r: ParsedRule, lang: str) -> str:
    what = {"item": ("每一项不符合", "per failed item"), "finding": ("每发现一处问题", "per finding"),
            "any": ("任一项不符合", "when any item fails")}[r.params["per"]]
    if lang == "zh":
        return f"全部符合得满分；{what[0]}扣{deduction_text(r, lang)}，扣完为止"
    return f"all met: full marks; −{deduction_text(r, lang)} {what[1]}, floor 0"


@rule_kind("per-finding", "每发现一处问题扣分", "Deduction per finding",
           describe=_finding_describe,
           compute=lambda r, m: None if m.count is None else r.weight - min(m.count, r.params.get("max_count") or m.count) * step_points(r),
           allowed=lambda r: multiples_of(r, r.params.get("max_count")),
           examples=("以上均符合得100%权重分，否则每发现1处不符合扣25%权重分，扣完为止。",
                     "线上宣发宣传片和信息流广告均符合活动主题得满分，否则每发现一处不合格扣0.1分，扣完为止。",
                     "方案实施严格执行相关制度规定的，得满分，否则酌情扣分（每存在1处不符合规定的，扣0.5分，该项分值5分扣完为止）。",
                     "全部资金均合理分配得3分，每存在1处资金分配不合理扣0.5分，该项目分值3分扣完为止",
                     "资金使用存在违规情况的，每发现一例扣1分，扣完为止。",
                     "春节前下达50%；6月底前全部下达完。每出现一个专项未按进度完成资金下达扣0.5分，扣完为止。",
                     "①…②…③…④…⑤… 以上情况每出现一例不符合要求的扣1分，扣完为止。",
                     "以上均符合得100%权重分，否则每一项不符合扣除25%权重分，扣完为止。",
                     "①项目资金分配依据充分；②资金分配额度合理，与项目实际相适应。以上均符合得100%权重分，否则扣除50%权重分，扣完为止。"))
def _per_finding(s: str, w):
    m = re.search(r"每(?:发现|存在|有|出现)(?:1|一)(?:处|个|项|次|例|起|笔)[^扣]{0,20}?扣(?:除)?" + N + r"(%权重分|%|分)", s)
    per = "finding"
    if not m:
        m = re.search(r"每一?(?:项|条)不(?:符合|合格|达标)[^扣]{0,6}扣(?:除)?" + N + r"(%权重分|%|分)", s)
        per = "item"
    if not m:
        m = re.search(r"(?:均符合|均满足)得(?:100%权重分|满分)[^。]*?否则扣(?:除)?" + N + r"(%权重分|%|分)", s)
        per = "any"
    if not m:
        return None
    d, share = deduct_of(m, 1, 2)
    out = {"per": per, "deduct": d, "deduct_share": share}
    items = rule_items(s)
    if per == "any":
        out["max_count"] = max(1, len(items))
    elif per == "item" and items:
        out["max_count"] = len(items)
    return out
