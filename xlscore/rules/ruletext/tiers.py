"""Mutually exclusive tiers: the score is ONE of the tiers' points, never their sum.

    健全的得10分，基本健全的得6分，不健全的扣10分          → 10 / 6 / 0
    相符的得10分，基本相符的得6分，调整较大的扣10分        → 10 / 6 / 0
    充分：3分；一般：1.5分；没有：0分                      → 3 / 1.5 / 0
    无结余，3分；有结余，但不超过上年结转，2分；结余超过上年结转，不得分 → 3 / 2 / 0
    符合的得满分，基本符合的得部分分，不符合的扣分        → full / judgement / judgement

A tier whose points are not stated (得部分分, 扣分) makes the rule judgement within the tiers. A score between two
stated tiers is read as the evaluator's judgement within them (info), not as a contradiction.
"""

from __future__ import annotations

import re

from .core import EPS, JUDGEMENT_WORDS, N, ParsedRule, to_float, fmt, rule_kind

# how a tier's score is written at the end of its clause, as data: (pattern, what it gives)
#   ("points", n) n points; ("full",) the weight; ("deduct", n) the weight minus n; ("open",) not stated
TIER_SCORES = (
    (r"(?:的|,|:)?扣(?:除)?" + N + r"分$", "deduct"),
    (r"(?:的|,|:)?(?:扣完|扣除全部分值|扣全部分)$", "zero"),
    (r"(?:的|,|:)?(?:扣分|酌减)$", "open"),
    (r"(?:的|,|:)?(?:不得分|不计分|得0分|计0分)$", "zero"),
    (r"(?:的|,|:)?(?:得|计)?满分$", "full"),
    (r"(?:的|,|:)?(?:得|计)?部分分(?:值)?$", "open"),
    (r"(?:的?(?:得|计|为)|,|:)" + N + r"分$", "points"),
)
# words that mark labels as grades of one quality (基本健全 beside 健全), as data
GRADE_PREFIXES = ("基本", "部分", "较为", "较", "比较", "一般", "大部分")
GRADE_WORDS = ("一般", "没有", "无", "较好", "较差", "好", "差", "优", "良", "中", "充分", "不充分")
NEGATIONS = ("不", "未", "无", "没有", "非")


def _clauses(s: str) -> list[str]:
    s = s.rstrip("。;,")
    parts = [p for p in re.split(r"[;。]", s) if p]
    if len(parts) >= 2 and all(_score(p) for p in parts):
        return parts
    parts = [p for p in re.split(r"[;,。]", s) if p]
    return parts if len(parts) >= 2 and all(_score(p) for p in parts) else []


def _score(clause: str):
    for pat, what in TIER_SCORES:
        m = re.search(pat, clause)
        if m and m.start() > 0:
            n = to_float(m.group(1)) if m.groups() else None
            return clause[:m.start()].rstrip(",:的"), what, n
    return None


def _graded(labels: list[str]) -> bool:
    """Labels that are grades of one quality: 健全 / 基本健全 / 不健全, 充分 / 一般 / 没有, 无结余 / 有结余…"""
    for a in labels:
        if a.startswith(GRADE_PREFIXES) or a in GRADE_WORDS:
            return True
        for b in labels:
            if a is b:
                continue
            for neg in NEGATIONS:
                if a.startswith(neg) and a[len(neg):] and (b == a[len(neg):] or b.startswith(a[len(neg):])):
                    return True
            if a.startswith("无") and b.startswith("有") and a[1:3] == b[1:3]:
                return True
    return False


def _match(s: str, w):
    if "¶" in s or "每" in s or any(x in s for x in JUDGEMENT_WORDS):
        return None
    clauses = _clauses(s)
    if len(clauses) < 2:
        return None
    tiers = [_score(c) for c in clauses]
    if not _graded([t[0] for t in tiers]):
        return None
    out = []
    for label, what, n in tiers:
        if what == "points":
            out.append((label, n))
        elif what == "zero":
            out.append((label, 0.0))
        elif what == "full":
            out.append((label, w))
        elif what == "deduct":
            out.append((label, None if w is None else max(0.0, w - n)))
        else:
            out.append((label, None))
    stated = [p for _, p in out if p is not None]
    if any(a < b - EPS for a, b in zip(stated, stated[1:])) or len(set(stated)) < min(2, len(stated)):
        return None         # tiers go down: equal or rising points are items to add up, not tiers
    params = {"tiers": out}
    if any(p is None for _, p in out):
        params["judgement_part"] = True      # a tier without its points: judgement within the tiers
    return params


def _describe(r: ParsedRule, lang: str) -> str:
    def pts(p):
        if p is None:
            return "由评价组判断" if lang == "zh" else "judgement"
        return f"{fmt(p)}分" if lang == "zh" else fmt(p)
    parts = [f"{label}{'：' if lang == 'zh' else ': '}{pts(p)}" for label, p in r.params["tiers"]]
    if lang == "zh":
        return "互斥分档（得分为其中一档，不累加）：" + "；".join(parts)
    return "mutually exclusive tiers (the score is one of them, never a sum): " + "; ".join(parts)


def tier_points(r: ParsedRule) -> list[float]:
    return [p for _, p in r.params["tiers"] if p is not None]


@rule_kind("tiers", "互斥分档", "Mutually exclusive tiers", describe=_describe,
           allowed=lambda r: tier_points(r),
           examples=("健全的得10分，基本健全的得6分，不健全的扣10分。",
                     "相符的得10分，基本相符的得6分，调整较大的扣10分。",
                     "充分：3分；一般：1.5分；没有：0分",
                     "无结余，3分；有结余，但不超过上年结转，2分；结余超过上年结转，不得分。",
                     "符合的得满分，基本符合的得部分分，不符合的扣分",
                     "符合的得5分，基本符合的得3分，不符合的不得分。"))
def _tiers(s: str, w):
    return _match(s, w)
