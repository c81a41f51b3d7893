"""Figures written in a form's own text (年度总体目标 预期目标 / 实际完成情况, 偏差原因), and how to tie one to
the indicator it talks about.

``extract_figures(text, year)`` finds every figure a sentence states — a number with its unit (``15000公里``,
``同比增长20.9%``, ``超12个``, ``至少完成2套``, ``6亿元``), a date or deadline (``2024年8月30日前``) or a period
(``2023年7月11日—2024年7月10日``) — with the words around it: the words before it in its clause, the words after
it up to the next figure, and the clause before. Years (``2024年``), ordinals (``第十三届``), item numbers
(``1.``) and report dates (``截至2024年12月31日``) are not figures.

``tie(figure, candidates)`` picks the one indicator a figure is about, or none:

1. by name words: the longest common pieces (≥ 2 characters) of the indicator's name and the figure's words,
   generic words (项目, 完成, 数量, 全年 …) not counting. The words are tried nearest first — the words before
   the figure, then with the words after it (``完成2套项目前期报告编制``), then with the clause before
   (``外贸进出口总额实现94亿元，同比增长20.9%``). A tie needs ≥ 4 matched characters (or 60% of a short name) and
   a clear lead: the runner-up at most 75% of the best;
2. by unit alone: the only indicator of the form measured in that unit, when the text states only one figure in
   that unit and its words share at least two characters with the name (安全行程公里数 / 车辆行驶里程数) — and
   never for % or 万元, which many indicators share.

Only figures whose unit agrees with the indicator's value (same unit, a near-synonym such as 次/场次, or both
money) are tied. :func:`contradicts` then compares at the text's printed precision. Everything returns plain
data and never raises on odd text.
"""

from __future__ import annotations

import datetime as _dt
import re
from ..records import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from ..text import clean, fold, lazy_re
from .units import KNOWN_UNITS, canonical, compare_units
from .values import Value, parse_value

# words that say nothing about which indicator a figure belongs to
GENERIC: tuple[str, ...] = (
    "该项目", "项目", "完成", "数量", "开展", "举办", "组织", "指标", "实际", "计划", "全年", "年度", "年内", "本年",
    "达到", "实现", "通过", "工作", "情况", "提高", "提升", "次数", "人数", "个数", "时间", "实施", "累计", "共计",
    "合计", "其中", "以上", "以下", "预计", "预期", "目标", "本单位", "单位",
)

# operators written before a figure in running text (longest first)
TEXT_OPS: dict[str, str] = {
    "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=", "至少": ">=", "达到": "=", "达": "=",
    "小于等于": "<=", "不高于": "<=", "不超过": "<=", "不多于": "<=", "不大于": "<=", "控制在": "<=",
    "超过": ">", "超出": ">", "高于": ">", "大于": ">", "多于": ">", "超": ">", "逾": ">",
    "低于": "<", "小于": "<", "少于": "<",
    ">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", ">": ">", "<": "<", "=": "=",
}
APPROX_BEFORE = ("约", "近", "大约", "将近", "接近")
SUFFIX_OPS = {"及以上": ">=", "以上": ">=", "以内": "<=", "以下": "<=", "之内": "<="}
APPROX_AFTER = ("左右", "余", "多")
AFTER_WORDS = 12            # words after a figure that may name it ("2套项目前期报告编制"), at most
REPORT_DATE = ("截至", "截止", "截止到", "截至到", "至今")
# units that are not figures in running text: years and months of the calendar
NOT_FIGURE_UNITS = {"年", "月", "日"}

_CLAUSE_END = set(",;。:!?\n")
_OPS_RE = "|".join(re.escape(o) for o in sorted(TEXT_OPS, key=len, reverse=True))
_APPROX_RE = "|".join(re.escape(o) for o in APPROX_BEFORE)
_UNITS_RE = "|".join(re.escape(u) for u in KNOWN_UNITS if u not in NOT_FIGURE_UNITS)
_DATE = r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日?"
_DATE_RE = lazy_re(rf"(?P<date>{_DATE})(?:\s*(?:-|~|至|到)\s*(?P<end>{_DATE}))?(?P<dl>之前|以前|前|止)?")
_NUM_RE = lazy_re(
    rf"(?P<approx>{_APPROX_RE})?(?:(?P<op>{_OPS_RE})(?:完成|达到|实现)?)?\s*(?<![\d.])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    rf"(?P<mag>万|亿|千)?(?P<unit>{_UNITS_RE})(?P<suffix>及以上|以上|以内|以下|之内|左右|余)?")
_YEAR_ONLY = lazy_re(r"^\d{4}$")
# a bound word, then a short noun phrase (no figure, no punctuation), then the figure: 不低于中央投资30%
_BOUND_LEAD = lazy_re(r"(不低于|不少于|不小于|至少|不高于|不超过|不多于|不大于|控制在)[\u4e00-\u9fff]{1,6}$")


@dataclass(frozen=True)
class Figure:
    """One figure of a text: what it says and the words around it."""

    text: str                   # as written (folded), operator words included: "超12个", "2024年8月30日前"
    start: int
    end: int
    kind: str                   # number | date | date_range
    value: Value                # the figure through the value grammar (numbers normalised: % as fraction, 万元)
    op: str | None = None       # >=, >, <=, <, = or None (a plain statement)
    decimals: int = 0
    step: float = 1.0           # one unit of the last printed digit, normalised (20.9% → 0.001)
    approx: bool = False        # 约/近/左右/余: not a precise figure
    part: bool = False          # "其中…": a part of a whole stated before
    before: str = ""            # words before it in its clause (back to the previous figure)
    after: str = ""             # words after it in its clause (up to the next figure)
    previous: str = ""          # the clause before

    @property
    def unit(self) -> str | None:
        return self.value.unit


def _clause_bounds(s: str, i: int) -> tuple[int, int]:
    a = i
    while a > 0 and s[a - 1] not in _CLAUSE_END:
        a -= 1
    b = i
    while b < len(s) and s[b] not in _CLAUSE_END:
        b += 1
    return a, b


def _previous_clause(s: str, start: int) -> str:
    if start == 0:
        return ""
    end = start - 1
    a = end
    while a > 0 and s[a - 1] not in _CLAUSE_END:
        a -= 1
    return s[a:end]


def extract_figures(text: Any, year: int | None = None) -> list[Figure]:
    """Every figure of *text* with its words (see the module doc); [] for empty or odd input."""
    if text is None or not isinstance(text, str) or not text.strip():
        return []
    try:
        return _extract(text, year)
    except Exception:    # a text must never stop a run
        return []


def _extract(text: str, year: int | None) -> list[Figure]:
    s = fold(clean(text)).replace("—", "-")
    spans: list[tuple[int, int, dict]] = []
    taken = [False] * len(s)
    for m in _DATE_RE.finditer(s):
        lead = s[max(0, m.start() - 4):m.start()]
        info = {"kind": "date_range" if m.group("end") else "date", "report": lead.endswith(REPORT_DATE)}
        spans.append((m.start(), m.end(), info))
        for k in range(m.start(), m.end()):
            taken[k] = True
    for m in _NUM_RE.finditer(s):
        ns, ne = m.span("num")
        if any(taken[k] for k in range(ns, ne)):
            continue
        if ns > 0 and (s[ns - 1] == "第" or s[ns - 1].isascii() and s[ns - 1].isalpha()):
            continue                                 # 第13届, 8D
        if _YEAR_ONLY.match(m.group("num")) and m.group("unit") in ("年度",):
            continue
        spans.append((m.start(), m.end(), {"kind": "number", "m": m}))
        for k in range(m.start(), m.end()):
            taken[k] = True
    spans.sort(key=lambda t: t[0])

    figures: list[Figure] = []
    for idx, (a, b, info) in enumerate(spans):
        if info.get("report"):
            continue
        ca, cb = _clause_bounds(s, a)
        prev_end = max([e for (x, e, _) in spans[:idx] if e <= a and e > ca] or [ca])
        next_start = min([x for (x, _, _) in spans[idx + 1:] if x >= b and x < cb] or [cb])
        before, after, previous = s[prev_end:a], s[b:next_start], _previous_clause(s, ca)
        part = before.lstrip().startswith("其中")
        if info["kind"] == "number":
            m = info["m"]
            num = m.group("num").replace(",", "")
            op = TEXT_OPS.get(m.group("op") or "") if m.group("op") else None
            suffix = m.group("suffix") or ""
            if op in (None, "=") and suffix in SUFFIX_OPS:       # 达到90%以上
                op = SUFFIX_OPS[suffix]
            if op is None and (lead := _BOUND_LEAD.search(before)):  # 不低于中央投资30%: a bound over a short noun
                op = TEXT_OPS[lead.group(1)]
            approx = bool(m.group("approx")) or suffix in APPROX_AFTER
            unit = (m.group("mag") or "") + m.group("unit")
            v = parse_value(num + unit, role="actual", year=year)
            if v.kind != "number" or v.number is None:
                continue
            one = _unit_size(unit)
            dec = len(num.split(".")[1]) if "." in num else 0
            figures.append(Figure(s[a:b], a, b, "number", v, op, dec, one * 10.0 ** (-dec), approx, part,
                                  before, after, previous))
        else:
            v = parse_value(s[a:b], role="actual", year=year)
            if v.kind not in ("date", "date_range") or v.date is None:
                continue
            figures.append(Figure(s[a:b], a, b, v.kind, v, None, 0, 1.0, False, part, before, after, previous,))
    return figures


@lru_cache(maxsize=256)
def _unit_size(unit: str) -> float:
    """One of *unit*, normalised (1亿元 → 10000 万元, 1% → 0.01)."""
    return parse_value("1" + unit, role="actual").number or 1.0


# ----------------------------------------------------------------------------------------------- name words

_STRIP = lazy_re(r"\[bookmark:[^\]]*\]|\d{4}\s*年度?|[\d.,%]+|[\s\"'“”‘’《》<>()\[\]{}（）【】、,;:。!?·…\-—/]+")


def name_key(text: Any) -> str:
    """A name or a text reduced to its words: no digits, years, punctuation, brackets or spaces."""
    if text is None:
        return ""
    return _name_key(str(text))


@lru_cache(maxsize=1 << 14)     # the same names are compared with every figure of a form
def _name_key(text: str) -> str:
    return _STRIP.sub("", fold(clean(text)))


@lru_cache(maxsize=1 << 14)
def _generic_len(piece: str) -> int:
    n = 0
    for g in sorted(GENERIC, key=len, reverse=True):
        while g in piece:
            n += len(g)
            piece = piece.replace(g, "\x02", 1)
    return n


@lru_cache(maxsize=1 << 14)
def distinct_len(name: str) -> int:
    k = name_key(name)
    return max(0, len(k) - _generic_len(k))


def common_words(name: str, words: str, min_len: int = 2) -> tuple[int, list[str]]:
    """(score, pieces): the longest common pieces of *name* and *words*, taken greedily, longest first; the score
    counts their characters less any generic words inside them."""
    score, pieces = _common_words(name_key(name), name_key(words), min_len)
    return score, list(pieces)


@lru_cache(maxsize=1 << 14)
def _common_words(name: str, words: str, min_len: int) -> tuple[int, tuple[str, ...]]:
    if not set(name) & set(words):
        return 0, ()
    a, b = list(name), list(words)
    pieces: list[str] = []
    score = 0
    while a and b:
        m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        if m.size < min_len:
            break
        piece = "".join(a[m.a:m.a + m.size])
        a[m.a:m.a + m.size] = ["\x00"] * m.size
        b[m.b:m.b + m.size] = ["\x01"] * m.size
        gain = len(piece) - _generic_len(piece)
        if gain > 0:
            pieces.append(piece)
            score += gain
    return score, tuple(pieces)


# ----------------------------------------------------------------------------------------------- tying

@dataclass
class Candidate:
    """Something a figure may be about: an indicator's target or actual, or a funds-block figure."""

    name: str
    value: Value
    where: Any = None            # the cell (a Field) of the value, for messages
    ref: Any = None              # the indicator (or None for a funds figure)


@dataclass
class Tie:
    candidate: Candidate
    basis: str                   # "name" | "unit"
    words: list[str] = field(default_factory=list)
    score: int = 0
    confidence: str = "high"     # high: name words and unit agree; medium: unit only or few words


def compatible(fig: Figure, value: Value) -> bool:
    """Can *fig* be compared with *value* at all (a number with an agreeing unit, or a date with a date)?"""
    if fig.kind == "number":
        if value.kind != "number" or value.number is None or not fig.unit or not value.unit:
            return False
        if value.unit_kind == "money" and fig.value.unit_kind == "money":
            return True
        return compare_units(fig.unit, value.unit) in ("same", "synonym")
    return value.kind in ("date", "date_range") and value.date is not None


def tie(fig: Figure, candidates: list[Candidate], figures: list[Figure] | None = None,
        margin: float = 0.75) -> Tie | None:
    """The one candidate *fig* is about, or None when that cannot be said with confidence (module doc)."""
    if fig.approx or fig.part:
        return None
    pool = [c for c in candidates if compatible(fig, c.value)]
    if fig.kind == "number":     # a near-synonym unit (家 for 个) only when no indicator has the very unit
        exact = [c for c in pool if canonical(c.value.unit) == canonical(fig.unit)
                 or (c.value.unit_kind == "money" and fig.value.unit_kind == "money")]
        pool = exact or pool
    if not pool:
        return None
    after = fig.after[:AFTER_WORDS]
    for words in (fig.before, fig.before + after, fig.previous + fig.before + after):
        scored = sorted(((common_words(c.name, words), i, c) for i, c in enumerate(pool)),
                        key=lambda t: (-t[0][0], t[1]))
        (best, pieces), _, c = scored[0]
        second = scored[1][0][0] if len(scored) > 1 else 0
        enough = best >= 4 or (best >= 2 and best >= 0.6 * max(1, distinct_len(c.name)))
        if enough and second <= margin * best:
            same_unit = fig.kind != "number" or canonical(fig.unit) == canonical(c.value.unit)
            return Tie(c, "name", pieces, best, "high" if same_unit and best >= 4 else "medium")
    if fig.kind == "number" and fig.value.unit_kind not in ("percent", "money", None):
        unit = canonical(fig.unit)
        same = [c for c in pool if canonical(c.value.unit) == unit]
        stated = [f for f in (figures or [fig]) if f.kind == "number" and canonical(f.unit) == unit]
        shared = set(name_key(same[0].name)) & set(name_key(fig.previous + fig.before + after)) if same else set()
        if len(same) == 1 and len(stated) == 1 and len(shared) >= 2:
            return Tie(same[0], "unit", [], 0, "medium")
    return None


def contradicts(fig: Figure, value: Value, role: str) -> bool:
    """Does the text's figure contradict the table's *value*? *role* "target": the goal states the target, so a
    different figure contradicts it; "actual": the text states what was achieved, and its operator (超12个, 20家以上)
    says how the table's figure must relate to it."""
    if fig.kind == "number":
        f, n = fig.value.number, value.number
        if f is None or n is None or value.kind != "number":
            return False
        tol = 0.5 * fig.step + 1e-9 * max(1.0, abs(f))
        if role == "target":
            # the goal sets a floor (不低于30%) that the indicator's target meets (≥32.68%): no contradiction
            if fig.op in (">=", ">") and value.op in (None, "=", ">=", ">"):
                return n < f - tol
            if fig.op in ("<=", "<") and value.op in (None, "=", "<=", "<"):
                return n > f + tol
            return abs(f - n) > tol
        op = fig.op
        if op == ">=":
            return n < f - tol
        if op == ">":
            return n <= f + tol
        if op == "<=":
            return n > f + tol
        if op == "<":
            return n >= f - tol
        return abs(f - n) > tol
    d = value.date
    if d is None or fig.value.date is None:
        return False
    if fig.kind == "date_range":
        lo, hi = fig.value.date, fig.value.end_date or fig.value.date
        return not (lo <= d <= hi)
    fd: _dt.date = fig.value.date
    if role == "target":
        return d != fd
    if fig.value.deadline:
        return d > fd
    return d != fd
