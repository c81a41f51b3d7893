"""The unit catalogue: canonical units, their kind, magnitudes, aliases and near-synonyms — as data.

Kinds (``unit_kind``):

- ``percent``    — ``%`` (also written ``百分比``); the value grammar stores percentages as fractions.
- ``money``      — 元, 千元, 万元, 亿元; amounts are normalised to 万元 (``MONEY_FACTOR``) before comparing,
                   so 元 vs 万元 is the *same* unit.
- ``money_rate`` — compound money units (万元/年, 元/人, 元/次 …) are kept as written, numbers unconverted.
- ``count``      — measure words of counted things (个 家 种 辆 人 名 人次 次 场 场次 篇 …).
- ``length``, ``area``, ``duration``, ``weight``, ``ratio`` (倍), ``other`` (cpm, anything unknown).

``compare_units(target_unit, actual_unit)`` answers, for a target and an actual:

- ``"same"``         — equal after normalisation (元 = 万元 = 亿元; % = 百分比; km = 千米 = 公里; ㎡ = 平方米)
- ``"synonym"``      — near-synonyms a reviewer should make identical, the figures still compare (a warning):
                       场/场次, 批/批次, 期/期次, 个/家, 个/项, 个/套, 人/名, 次/场, 次/场次, 天/日, 台/台套, 套/台套,
                       and 人/人次 (people vs visits: often typed interchangeably, but not the same measure —
                       so a warning, never silently "same")
- ``"different"``    — anything else (辆 vs %, 万元 vs 个, 元/人 vs 万元/人 — a compound money rate is not converted)
- ``"missing_both"`` / ``"missing_one"`` — a bare figure on both sides / on one side
"""

from __future__ import annotations

from functools import lru_cache

# unit → kind. Count units are added from COUNT_UNITS below.
UNIT_KINDS: dict[str, str] = {
    "%": "percent", "百分比": "percent",
    "元": "money", "千元": "money", "万元": "money", "亿元": "money",
    "万元/年": "money_rate", "元/年": "money_rate", "元/人": "money_rate", "元/人次": "money_rate",
    "元/次": "money_rate", "万元/个": "money_rate", "元/户": "money_rate", "元/月": "money_rate",
    "万元/人": "money_rate",
    "公里": "length", "千米": "length", "km": "length", "米": "length",
    "平方米": "area", "平方公里": "area", "亩": "area", "公顷": "area",
    "天": "duration", "日": "duration", "个月": "duration", "月": "duration", "年": "duration", "小时": "duration",
    "工作日": "duration", "分钟": "duration", "周": "duration",
    "倍": "ratio",
    "吨": "weight", "千克": "weight", "公斤": "weight",
    "cpm": "other",
}

COUNT_UNITS: tuple[str, ...] = (
    "个", "家", "种", "辆", "人", "名", "人次", "次", "场", "场次", "篇", "份", "册", "张", "台", "套", "批", "批次",
    "项", "户", "所", "条", "期", "株", "部", "件", "间", "座", "处", "支", "组", "类", "本", "幅", "块", "棵", "只",
    "头", "台套", "期次", "轮", "届", "节", "课时", "学时", "期班", "班", "单", "笔", "宗", "户次", "款", "首", "集",
)
for _u in COUNT_UNITS:
    UNIT_KINDS.setdefault(_u, "count")

# spellings of one unit → the canonical spelling (money amounts are handled by MONEY_FACTOR)
UNIT_ALIASES: dict[str, str] = {
    "百分比": "%", "km": "公里", "千米": "公里", "平米": "平方米", "㎡": "平方米", "m²": "平方米", "m2": "平方米",
    "个工作日": "工作日", "个小时": "小时", "公斤": "千克", "kg": "千克",
}

# money magnitudes relative to 万元 (the unit the forms use for amounts)
MONEY_FACTOR: dict[str, float] = {"元": 0.0001, "千元": 0.1, "万元": 1.0, "亿元": 10000.0}

# near-synonyms (canonical spellings): a warning, not an error
SYNONYMS: list[frozenset[str]] = [
    frozenset({"场", "场次"}), frozenset({"批", "批次"}), frozenset({"期", "期次"}),
    frozenset({"个", "家"}), frozenset({"个", "项"}), frozenset({"个", "套"}),
    frozenset({"人", "名"}), frozenset({"人", "人次"}), frozenset({"名", "人次"}),
    frozenset({"次", "场"}), frozenset({"次", "场次"}),
    frozenset({"天", "日"}), frozenset({"台", "台套"}), frozenset({"套", "台套"}),
]

# every spelling the value grammar recognises after a number, longest first (场次 before 场, 万元/年 before 万元)
KNOWN_UNITS: list[str] = sorted(set(UNIT_KINDS) | set(UNIT_ALIASES), key=len, reverse=True)


def canonical(unit: str | None) -> str | None:
    """The display unit after normalisation: every money amount is 万元; aliases to one spelling."""
    if not unit:
        return None
    if unit in MONEY_FACTOR:
        return "万元"
    unit = UNIT_ALIASES.get(unit, unit)
    return UNIT_ALIASES.get(unit.lower(), unit) if unit.isascii() else unit


def unit_kind(unit: str | None) -> str | None:
    """The kind of a unit (see the module doc); ``None`` for no unit, ``"other"`` for an unknown one."""
    if not unit:
        return None
    u = canonical(unit) if unit not in MONEY_FACTOR else unit
    if u in UNIT_KINDS:
        return UNIT_KINDS[u]
    if u.lower() in UNIT_KINDS:
        return UNIT_KINDS[u.lower()]
    head, sep, _ = u.partition("/")
    if sep and head in MONEY_FACTOR:
        return "money_rate"
    return "other"


@lru_cache(maxsize=4096)
def compare_units(a: str | None, b: str | None) -> str:
    """'same' | 'synonym' | 'different' | 'missing_both' | 'missing_one' for a target unit and an actual unit
    (memoised: a goal text's every figure is compared with every indicator's unit)."""
    if not a and not b:
        return "missing_both"
    if not a or not b:
        return "missing_one"
    ca, cb = canonical(a), canonical(b)
    if ca == cb or ca.lower() == cb.lower():
        return "same"
    if any(ca in s and cb in s for s in SYNONYMS):
        return "synonym"
    return "different"
