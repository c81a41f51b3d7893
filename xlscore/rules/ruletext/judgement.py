"""Judgement (domain rule 15): 酌情扣分, 据此核定分数, a definition only, no rule."""

from __future__ import annotations

import re

from .core import JUDGEMENT_WORDS, N, ParsedRule, to_float, fmt, rule_kind


def _judge_describe(r: ParsedRule, lang: str) -> str:
    why = r.params.get("why")
    ceiling = r.params.get("ceiling")
    if lang == "zh":
        return {"none": "未列评分标准，得分由评价组判断", "definition": "评分标准只是指标定义，得分由评价组判断"}.get(
            why, "评分标准为评价组酌情判断") + (f"（最高{fmt(ceiling)}分，扣完为止）" if ceiling is not None else "")
    return {"none": "no rule printed: the evaluator's judgement", "definition": "the rule is only a definition: judgement"}.get(
        why, "the rule is the evaluator's judgement") + (f" (at most {fmt(ceiling)}, floor 0)" if ceiling is not None else "")


@rule_kind("judgement", "评价组判断", "Judgement", describe=_judge_describe, judgement=True,
           examples=("有效改善参与商户经营状况得满分，否则酌情扣分。",
                     "依据相关基础信息和证据判断目标设置的完整性，据此核定分数。",
                     "依据相关基础信息和证据判断制度完整性和是否具备条件实施，根据实际情况核定分数。",
                     "如各级业务主管部门按规定开展有效的检查、监控、督促整改的，得满分；否则，视情况扣分。",
                     "符合要求的得7分，不符合要求的视具体情况扣分，扣完7分为止。"))
def _judgement(s: str, w):
    if not s:
        return {"why": "none"}
    if any(x in s for x in JUDGEMENT_WORDS):
        cap = re.search(r"扣(?:完|满)" + N + "分为止", s)       # 不符合要求的视具体情况扣分，扣完7分为止
        return {"why": "discretion", "ceiling": to_float(cap.group(1))} if cap else {"why": "discretion"}
    if "=" in s and not re.search(r"得|扣|分", s.split("=")[-1]):
        return {"why": "definition"}
    return None
