"""All or nothing (domain rule 13): 按时完成得满分，否则不得分."""

from __future__ import annotations

import re

from .core import EPS, to_float, JUDGEMENT_WORDS, N, ParsedRule, rule_kind


def _aon_describe(r: ParsedRule, lang: str) -> str:
    return "全有或全无：符合得满分，否则0分" if lang == "zh" else "all or nothing: full marks when met, else 0"


@rule_kind("all-or-nothing", "全有或全无", "All or nothing",
           describe=_aon_describe, allowed=lambda r: [0.0, r.weight],
           examples=("具备有关制度、组织机构、人员保障项目可持续的，得5分。",
                     "按时完成得满分，否则不得分。",
                     "支出控制在预算以内得满分，否则得0分。",
                     "项目按计划完成得满分；未按计划完成的，不得分。",
                     "按时完成得5分，否则不得分。",
                     "齐全的得5分，不齐全的扣5分",
                     "得5分；未完成的，不得分"))
def _all_or_nothing(s: str, w):
    if re.search(r"得满分,?否则(?:不得分|得0分|不得分值|0分)", s) or re.search(r"得满分[;,]未[^,;。]*?的?,?不得分", s):
        return {}
    full = (re.search(r"得" + N + r"分,?否则(?:不得分|得0分|0分)", s)
            or re.search(r"^得" + N + r"分[;,](?:未|没有|无)[^,;。]*?的?,?(?:不得分|得0分)", s))
    if full and w is not None and abs(to_float(full.group(1)) - w) < EPS:
        return {}
    # 齐全的得2分，不齐全的扣2分: the quality or its negation, the negation losing every point
    pair = re.fullmatch(r"([^,;。]+?)的?,?得" + N + r"分[;,](?:不|未|没有)\1的?,?(?:扣(?:除)?" + N + r"分|不得分|得0分)。?", s)
    if pair and (pair.group(3) is None or abs(to_float(pair.group(3)) - to_float(pair.group(2))) < EPS) and \
            (w is None or abs(to_float(pair.group(2)) - w) < EPS):
        return {}
    if any(x in s for x in JUDGEMENT_WORDS) or "否则" in s or "每" in s:
        return None
    m = re.fullmatch(r"[^。;]*的,?得" + N + r"分。?", s)
    if m and (w is None or abs(to_float(m.group(1)) - w) < EPS):
        return {}
    return None
