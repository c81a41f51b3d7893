"""What a 扣分原因 / analysis text states about a leaf's score, and the figures it computes."""

from __future__ import annotations

import re
from ...records import dataclass

from .core import N, cn_int, to_float, norm


@dataclass
class Stated:
    """What a 扣分原因 / analysis text says about the leaf's score."""
    weight: float | None = None
    deduction: float | None = None
    score: float | None = None
    share: float | None = None

    @property
    def empty(self) -> bool:
        return self.weight is None and self.deduction is None and self.score is None


def parse_reason(text: object) -> Stated:
    s = norm(text)
    out = Stated()
    if not s:
        return out
    m = re.search(r"(?:分值|满分|总分)(?:为)?" + N + "分", s)
    if m:
        out.weight = to_float(m.group(1))
    deds = [to_float(x) for x in re.findall(r"扣(?:除|减)?" + N + r"分", s)]
    if deds:
        out.deduction = sum(deds)
    sc = re.findall(r"得(?:分)?(?:为)?(?:" + N + r"%权重分?)?" + N + r"分(?![值数率])", s)
    if sc:
        share, score = sc[-1]
        out.score = to_float(score)
        out.share = to_float(share) / 100 if share else None
    return out


def reason_rate(text: object) -> float | None:
    """A rate the reason text computes ('…=94.81%', '资金支出率 99.23%'), as a fraction."""
    s = norm(text)
    m = re.findall(r"=" + N + "%", s)
    if m:
        return to_float(m[-1]) / 100
    m = re.findall(r"率(?:为|达|是)?" + N + "%", s)
    return to_float(m[-1]) / 100 if m else None


def reason_count(text: object, unit: str | None) -> float | None:
    """A count the reason states ('共完成 6 家', '实际完成 15 场')."""
    if not unit:
        return None
    s = norm(text)
    m = re.findall(r"(?:共|实际)?完成(?:了)?(\d[\d,]*)" + re.escape(unit), s)
    return to_float(m[-1]) if m else None


def reason_findings(text: object) -> float | None:
    """The number of findings a reason counts ('发现2处不符合', '存在3处问题'); None when it gives no count."""
    s = norm(text)
    m = re.findall(r"(?:发现|存在|共有?)(\d+|[一二两三四五六七八九十])(?:处|例|起|笔|项不符合|个问题)", s)
    return float(cn_int(m[-1])) if m else None
