"""Weighted checklist (domain rule 8): 每项占20%、20%、20%、40%权重分; ①…得30%权重分，每少一篇扣15%权重分."""

from __future__ import annotations

import re
from itertools import product

from .core import EPS, to_float, rule_items, N, ParsedRule, pct, rule_kind, UNITS


def _check_describe(r: ParsedRule, lang: str) -> str:
    shares = r.params["shares"]
    partial = r.params.get("partial") or {}
    if lang == "zh":
        t = "加权清单：各项占" + "、".join(pct(x) for x in shares) + "权重分，符合的项得分"
        if partial:
            t += "；" + "；".join(f"第{i + 1}项每少一个扣{pct(d)}权重分" for i, d in sorted(partial.items()))
        return t
    t = "weighted checklist: items worth " + ", ".join(pct(x) for x in shares) + " of the weight, scored when met"
    if partial:
        t += "; " + "; ".join(f"item {i + 1} −{pct(d)} per missing unit" for i, d in sorted(partial.items()))
    return t


def _check_allowed(r: ParsedRule) -> list[float]:
    choices = []
    partial = r.params.get("partial") or {}
    for i, s in enumerate(r.params["shares"]):
        opts = {0.0, s}
        d = partial.get(i)
        if d:
            k = 1
            while s - k * d > EPS:
                opts.add(s - k * d)
                k += 1
        choices.append(sorted(opts))
    if len(choices) > 12:
        return None
    return [r.weight * sum(c) for c in product(*choices)]


@rule_kind("weighted-checklist", "加权清单（每项占一定权重分）", "Weighted checklist",
           describe=_check_describe, allowed=_check_allowed,
           examples=("①项目设定有绩效目标；②项目绩效目标与实际工作内容具有相关性；③项目预期产出效益和效果符合正常的业绩水平；"
                     "④项目绩效目标与预算确定的项目投资额或资金量相匹配。每项占20%、20%、20%、40%权重分；以上均符合得100%权重分，否则扣除相应权重分。",
                     "①项目预算编制经过科学论证；②预算内容与项目内容匹配；③预算额度测算依据充分，按照标准编制；④预算确定的项目投资额或"
                     "资金量与工作任务相匹配。每项占25%权重分，以上均符合得100%权重分，否则扣除相应权重分。",
                     "①完成腾讯广告（微信）东湖发布活动公众号推文2篇得30%权重分，否则每少一篇扣除15%权重分；②完成小红书活动推文及视频得"
                     "30%权重分，否则不得分；③完成东湖发布抖音活动视频2个得40%权重分，否则每少一个扣除20%权重分。",
                     "①腾讯广告（微信）信息流投放目标曝光量达到500cpm；②小红书信息流投放目标曝光量达到300cpm；③抖音信息流投放目标曝光量"
                     "达到500cpm。每项分别占30%、30%、40%权重分，以上每项均达标得满分，否则扣除相应权重分。",
                     "实施方案包含目标、内容、分工、进度、保障五个要素，每条要素占1/5权重分，缺少的要素不得分。"))
def _checklist(s: str, w):
    items = rule_items(s)
    f = re.search(r"每(?:条|项|个)(?:要素|内容|指标)?(?:各)?占(\d+)/(\d+)(?:的)?权重分", s)
    if f and int(f.group(2)) >= 2:
        n = int(f.group(2))
        return {"shares": [int(f.group(1)) / n] * n}
    m = re.search(r"每项(?:分别)?占([\d.%、,和]+?)权重分", s)
    if m:
        shares = [float(x) / 100 for x in re.findall(N + "%", m.group(1))]
        if len(shares) == 1 and len(items) > 1:
            shares = shares * len(items)
        if len(shares) >= 2:
            return {"shares": shares}
    if len(items) >= 2:
        shares, partial = [], {}
        for i, it in enumerate(items):
            g = re.search(r"(?<!均符合)(?<!均达标)得" + N + "%权重分", it)
            if not g:
                return None
            shares.append(to_float(g.group(1)) / 100)
            p = re.search(r"每少一?(?:" + UNITS + r")扣(?:除)?" + N + "%权重分", it)
            if p:
                partial[i] = to_float(p.group(1)) / 100
        return {"shares": shares, "partial": partial}
    return None
