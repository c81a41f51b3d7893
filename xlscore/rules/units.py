"""The unit catalogue: canonical units, their kind, magnitudes and near-synonyms, as data.

Money is normalised to 万元 (元 ×0.0001, 亿元 ×10000) before comparing; counts with 万/w are multiplied out
by the value grammar. Target and actual must agree: the same unit or the same money kind is "same",
near-synonyms (场/场次) are "synonym" (a warning), different kinds (辆 vs %) are "different" (an error).
"""

from __future__ import annotations

UNIT_KINDS: dict[str, str] = {
    "%": "percent",
    "万元": "money", "元": "money", "亿元": "money", "千元": "money",
    "万元/年": "money_rate", "元/人": "money_rate", "元/年": "money_rate", "万元/个": "money_rate", "元/次": "money_rate",
    "公里": "length", "千米": "length", "km": "length", "米": "length",
    "平方米": "area", "平方公里": "area", "亩": "area", "㎡": "area",
    "天": "duration", "日": "duration", "个月": "duration", "月": "duration", "年": "duration", "小时": "duration",
    "工作日": "duration", "分钟": "duration",
    "倍": "ratio",
    "cpm": "other", "吨": "weight", "千克": "weight",
}
COUNT_UNITS = ("个", "家", "种", "辆", "人", "名", "人次", "次", "场", "场次", "篇", "份", "册", "张", "台", "套", "批",
               "批次", "项", "户", "所", "条", "期", "株", "部", "件", "间", "座", "处", "支", "组", "类", "本", "幅",
               "块", "棵", "只", "头", "台套", "期次", "轮", "届", "节", "课时", "学时", "期班", "班", "单", "笔", "宗")
for _u in COUNT_UNITS:
    UNIT_KINDS.setdefault(_u, "count")

# money magnitudes relative to 万元 (the unit forms use for amounts)
MONEY_FACTOR = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10000.0}

# near-synonyms: a reviewer should make them the same, the figures still compare
SYNONYMS: list[frozenset[str]] = [
    frozenset({"场", "场次"}), frozenset({"批", "批次"}), frozenset({"个", "家"}), frozenset({"人", "名"}),
    frozenset({"人", "人次"}), frozenset({"次", "场次"}), frozenset({"次", "场"}), frozenset({"期", "期次"}),
    frozenset({"套", "台套"}), frozenset({"台", "台套"}), frozenset({"公里", "千米", "km"}), frozenset({"平方米", "㎡"}),
    frozenset({"天", "日"}), frozenset({"个", "项"}), frozenset({"套", "个"}),
]

# longest first, so 场次 wins over 场 and 万元/年 over 万元
KNOWN_UNITS = sorted(UNIT_KINDS, key=len, reverse=True)


def unit_kind(unit: str | None) -> str | None:
    if not unit:
        return None
    return UNIT_KINDS.get(unit, "other")


def canonical(unit: str | None) -> str | None:
    """The display unit after normalisation: all money amounts are 万元."""
    if unit in MONEY_FACTOR:
        return "万元"
    if unit == "百分比":
        return "%"
    return unit


def compare_units(a: str | None, b: str | None) -> str:
    """'same' | 'synonym' | 'different' | 'missing_both' | 'missing_one' for a target unit and an actual unit."""
    if not a and not b:
        return "missing_both"
    if not a or not b:
        return "missing_one"
    a, b = canonical(a), canonical(b)
    if a == b:
        return "same"
    if any(a in s and b in s for s in SYNONYMS):
        return "synonym"
    return "different"
