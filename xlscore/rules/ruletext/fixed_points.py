"""Fixed points per item (domain rule 8): ①制度健全（3分）；②执行有效（2分）."""

from __future__ import annotations

import re
from itertools import product
from typing import Any

from .core import to_float, fmt, rule_items, JUDGEMENT_WORDS, N, ParsedRule, rule_kind


def _fixed_describe(r: ParsedRule, lang: str) -> str:
    items = r.params["items"]
    j = r.params.get("judgement_part")
    tiered = bool(r.params.get("choices"))
    if lang == "zh":
        t = ("分项计分（各项内分档取其一）：" if tiered else "分项计分：") + "＋".join(fmt(x) for x in items) + "分"
        return t + ("，各项内由评价组判断扣分" if j else "" if tiered else "，每项符合得该项分值")
    t = ("fixed points per item, one tier within each: " if tiered else "fixed points per item: ") + \
        " + ".join(fmt(x) for x in items)
    return t + (", judgement within each item" if j else "" if tiered else ", each item scored when met")


def _clause_choices(s: str) -> list[list[float]]:
    """The points of each clause (…;…。): one clause that awards falling points (计划编制比较完整得3分,单独编制得2分; 高于30%
    得4分,高于20%得3分…) is a set of tiers, one of which applies — its points are alternatives, not items to add up."""
    out: list[list[float]] = []
    for clause in re.split(r"[;。]", s):
        pts = [to_float(x) for x in re.findall(r"得" + N + r"分(?=[;。,]|$|发放)", clause + "。")]
        if len(pts) > 1 and all(a > b for a, b in zip(pts, pts[1:])):
            out.append(pts)
        else:
            out.extend([p] for p in pts)
    return out


def _allowed(r: ParsedRule):
    choices = r.params.get("choices") or [[x] for x in r.params["items"]]
    if len(choices) > 12:
        return None
    return sorted({sum(c) for c in product(*[[0.0, *opts] for opts in choices])})


@rule_kind("fixed-points", "分项定分", "Fixed points per item",
           describe=_fixed_describe,
           allowed=_allowed,
           examples=("具有前期可行性研究报告或摸底调查工作总结等材料的，得2分；经过集体会议协商并咨询相关专家意见、且有文字材料的得2分。如无，则根据实际情况核定分数。",
                     "1.预算执行规范性2分，按规定履行调整报批手续的得满分，否则酌情扣分。2.事项支出的合规性8分，视情节严重程度从严扣分，可直接扣到0分。3.会计核算规范性2分，可扣至0分。",
                     "①制度健全（3分）；②执行有效（2分）",
                     "①制度健全，1分；②执行有效，1分；③档案完整，1分。",
                     "设有目标(1分)目标明确(1分)目标细化(1分)目标量化(1分)"))
def _fixed(s: str, w):
    items = rule_items(s)
    pts: list[float] = []
    tiers: list[list[float]] | None = None
    if len(items) >= 2:
        for it in items:
            m = re.search(r"(?:得)?" + N + r"分", it)
            if not m:
                return None
            pts.append(to_float(m.group(1)))
    elif len(re.findall(r"\(" + N + r"分\)", s)) >= 2 and re.fullmatch(r"(?:[^()]+\(" + N + r"分\)[;,、。]?)+", s):
        pts = [to_float(x) for x in re.findall(r"\(" + N + r"分\)", s)]     # 设有目标(1分)目标明确(1分)…: a checklist of points
    else:
        choices = _clause_choices(s)
        if len(choices) < 2:
            return None
        pts = [max(c) for c in choices]
        if any(len(c) > 1 for c in choices):
            tiers = choices                   # an item's tiers: one of them applies
    out: dict[str, Any] = {"items": pts}
    if tiers is not None:
        out["choices"] = tiers
    if any(x in s for x in JUDGEMENT_WORDS) or "如无" in s:
        out["judgement_part"] = True
    return out
