"""Bonus clauses (加分项) in a 评分标准: points a leaf may earn above its 分值.

``纳入县级重点工作部署,得1分;党政领导有正面批示的,一个加1分,最多加2分`` (铜陵 2021): the score may reach 1 + 2 = 3
although the 分值 column says 1. A check of "score within 0…分值" has to allow what the text grants.
"""

from __future__ import annotations

import math
import re

from ...text import clean, lazy_re

_NUM = r"(\d+(?:\.\d+)?)"
_CAP = lazy_re(r"(?:最多|最高|至多|上限)(?:可)?加" + _NUM + r"分")
_ADD = lazy_re(r"(?<![扣减])加" + _NUM + r"分")
_OPEN = lazy_re(r"加分|另加|额外加|可加")


def bonus_points(text: object) -> float | None:
    """How many points above the weight the text allows: the stated cap (最多加2分), else the sum of the 加N分 it names;
    ``math.inf`` when it grants a bonus without saying how much (酌情加分); None when it grants none."""
    if not isinstance(text, str):
        return None
    s = clean(text)
    cap = _CAP.search(s)
    if cap:
        return float(cap.group(1))
    adds = [float(x) for x in _ADD.findall(s)]
    if adds:
        return math.inf if re.search(r"每|一个|一次|一项", s) else sum(adds)
    return math.inf if _OPEN.search(s) else None
