"""The grammar of a target (指标值) and an actual (实际完成值), as typed in real forms (domain.md, "Values").

``parse_value(text, role="target"|"actual", year=…)`` returns a typed :class:`Value` — a number with an
operator and a unit, a range, a date or deadline, a qualitative word or level, a placeholder — or a
value of kind ``"unparseable"``; it never raises. Oddities are kept as ``notes`` tags so checks can
report them (garbled dates, yearless dates, LaTeX residue, a strict operator…).

Normalised numbers: a percentage is a fraction (95% → 0.95); money is in 万元 (2000元 → 0.2, 1400亿元 →
14000000); 万/亿/千/w/k on a count are multiplied out (≥20万 → 200000). Compound money units (元/人,
万元/年) are kept as written and not converted.

A leading ``=`` on an actual is not an operator (``=10000公里`` means "10000公里"); on a target it is. On
actuals ``达到``/``完成``/``实现`` are filler, not "≥". The qualitative tokens are matched before the operator
words: ``达到预期指标`` is a level, not "≥ 预期指标".

Notes tags (``Value.notes``):

====================  ==================================================================================
``latex``             ``\\geq`` ``\\leq`` ``\\pm`` ``$…$`` residue from converted documents
``fullwidth``         full-width digits, letters, ％ or operators were folded (＞１００个)
``tab`` ``bookmark``  text artefacts (from :func:`xlscore.text.artefacts`; also ``zero-width``)
``leading-eq``        an actual typed with a leading ``=`` (not an operator)
``strict``            the operator is ``>`` or ``<``
``double-inequality`` ``90%>效果明显≥80%`` (a range with a label)
``thousands-sep``     ``206,669``
``magnitude``         万/亿/千/w/k on a count was multiplied out (``≥20万``, ``2w-5w``)
``unit-in-brackets``  ``≥ 70000 (人次)``
``bare-number``       a number with no unit at all (``<=100``, a number cell)
``trailing-text``     words after the unit were ignored (``≥95%(5分)``, ``3个工作日`` is *not* this)
``reversed-range``    a range written high-low (``110%-90%``), stored low-high
``garbled-date``      characters around a date that mean nothing (``=2024年12月1日前日``), or no such day
``eq-deadline``       ``=`` combined with 前 (``=8月31日前``)
``yearless``          no year written (the ``year`` argument is used; ``date`` is None without it)
``missing-day-char``  ``2024年12月10`` (日 missing)
``month-only``        ``2024年6月`` (a target means the month's end, an actual its first day)
``period``            a year, half-year or quarter instead of a day (``2024年底前``, ``2024年内``, ``第四季度``,
                      ``年底前``): its last day
``deadline-prefix``   ``截至…`` / ``截止…``
``negated``           a negated qualitative actual (不合理, 不合规, 未完成 …)
====================  ==================================================================================
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from ..records import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..text import artefacts, clean, fold, is_placeholder, lazy_re
from .units import KNOWN_UNITS, MONEY_FACTOR, canonical, unit_kind

# =========================================================================== token tables

# prefix operators (matched longest first)
PREFIX_OPS: dict[str, str] = {
    ">=": ">=", "≥": ">=", "=>": ">=", "大于等于": ">=", "大于或等于": ">=", "不低于": ">=", "不少于": ">=",
    "不小于": ">=", "达到": ">=", "至少": ">=",
    "<=": "<=", "≤": "<=", "=<": "<=", "小于等于": "<=", "小于或等于": "<=", "不高于": "<=", "不超过": "<=",
    "不多于": "<=", "不大于": "<=", "控制在": "<=", "低于或等于": "<=", "最多": "<=",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
    "=": "=", "等于": "=",
}
_PREFIX_ORDER = sorted(PREFIX_OPS, key=len, reverse=True)

# a change stated by how much (提升10%, 提高5个百分点 is not one): a target "at least that much more", an actual "that much
# more"; it is comparable only with another change (rules/scoring.evaluate), never with a level (95%)
_RELATIVE = lazy_re(r"^(?:提升|提高|增长|增加|上升)\s*(?=\d)")

# words that are not comparisons on an ACTUAL ("=95%", "达到95%" and "完成3场" all just state the figure)
ACTUAL_FILLERS = ("已达到", "达到", "已实现", "实现", "已完成", "完成", "共计", "累计", "合计", "共", "等于")

# suffix operators: 90%以上, 10天以内 (matched longest first)
SUFFIX_OPS: dict[str, str] = {
    "及以上": ">=", "或以上": ">=", "以上": ">=",
    "及以下": "<=", "或以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
}
_SUFFIX_ORDER = sorted(SUFFIX_OPS, key=len, reverse=True)

# words after a figure that add nothing once the operator is known (≥90%以上, ±5%区间)
FIGURE_TAIL_WORDS = ("及以上", "或以上", "以上", "及以下", "或以下", "以下", "以内", "之内", "左右",
                     "范围内", "区间内", "区间", "之间")

# LaTeX residue (replaced longest first: \left before \le, \geqslant before \geq)
LATEX: dict[str, str] = {
    "\\geqslant": "≥", "\\leqslant": "≤", "\\geq": "≥", "\\leq": "≤", "\\ge": "≥", "\\le": "≤",
    "\\left": "", "\\right": "", "\\pm": "±", "\\%": "%", "\\,": "", "\\;": "", "\\ ": " ", "$": "",
}
_LATEX_ORDER = sorted(LATEX, key=len, reverse=True)

# magnitude characters on a count: ≥20万 (persons), 2w-5w
MAGNITUDES: dict[str, int] = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000, "千": 1_000,
                              "k": 1_000, "K": 1_000}

# qualitative actuals → national level; the first prefix that matches wins (most specific first)
LEVEL_PREFIXES: list[tuple[str, str]] = [
    ("部分达成", "部分达成"), ("基本达成", "部分达成"), ("基本完成", "部分达成"), ("部分完成", "部分达成"),
    ("基本达到", "部分达成"), ("部分达到", "部分达成"),
    ("未达成", "未达成"), ("未完成", "未达成"), ("未达到", "未达成"), ("没有达到", "未达成"), ("未实现", "未达成"),
    ("达成", "达成"), ("达到预期", "达成"), ("已达成", "达成"), ("已完成", "达成"), ("全部完成", "达成"),
    ("完成", "达成"), ("已实现", "达成"), ("实现", "达成"), ("已达到", "达成"), ("达到目标", "达成"),
    ("符合预期", "达成"), ("达标", "达成"), ("合格", "达成"),
]
EXACT_LEVELS: dict[str, str] = {"是": "达成", "否": "未达成", "一般": "部分达成", "较好": "达成", "好": "达成",
                                "差": "未达成"}

# negated actuals (不合理, 无效…): level 未达成
NEGATIONS = ("无效", "较差", "效果较差", "效果差", "不达标", "不合格", "不满意", "不到位")
NEGATION_PREFIXES = ("没有", "尚未", "不", "未", "没", "无")   # + a positive word (不合理), or 未/尚未 + anything

# words of a positive qualitative judgement (target words, and an actual that repeats them means 达成)
POSITIVE = ("有效", "显著", "提升", "提高", "合规", "规范", "合理", "明确", "科学", "健全", "及时", "充分", "良好",
            "增强", "改善", "促进", "推动", "推进", "加强", "满意", "达到", "稳定", "持续", "优化", "节能环保", "环保",
            "开拓", "保障", "释放", "防范", "完善", "到位", "准确", "完整", "一致", "相符", "符合", "优秀", "好")

# date tokens
DATE_END_WORDS = ("月底", "月末", "底", "末")                       # the month's (or year's) last day
DATE_DEADLINE_WORDS = ("以前", "之前", "为止", "前", "止", "以内", "之内", "内")
DATE_DONE_WORDS = ("完成", "结束", "完工", "完毕", "办结", "竣工")   # "…前完成": adds nothing
DEADLINE_PREFIXES = ("截止到", "截止于", "截至到", "截至", "截止")
# a label before the date (完成时间为2022年12月30日, 裕安 2022): longest first
DATE_LEAD_WORDS = ("完成时间为", "完成时限为", "完成时间:", "完成时限:", "计划于", "预计于", "时间为", "于", "在")
# relative years: the form's year plus an offset (次年3月底前)
RELATIVE_YEARS: dict[str, int] = {"次年": 1, "明年": 1, "翌年": 1, "下一年": 1, "下年": 1, "第二年": 1,
                                  "当年度": 0, "本年度": 0, "当年": 0, "本年": 0, "今年": 0}
_RELATIVE_ORDER = sorted(RELATIVE_YEARS, key=len, reverse=True)
# periods → (month, day) of their last day; all may follow "2024年" or 次年, those naming 年 or 季度 also stand
# alone (年底前, 第四季度 — the form's year)
_QUARTERS = {f"{p}{q}季度": (3 * i, 31 if i in (1, 4) else 30)
             for i, q in enumerate("一二三四", 1) for p in ("第", "")} | \
            {f"{p}{i}季度": (3 * i, 31 if i in (1, 4) else 30) for i in range(1, 5) for p in ("第", "")}
PERIODS: dict[str, tuple[int, int]] = {
    "年底": (12, 31), "年末": (12, 31), "年内": (12, 31), "年度内": (12, 31), "底": (12, 31), "末": (12, 31),
    "内": (12, 31), "度内": (12, 31), "度": (12, 31), "上半年": (6, 30), "下半年": (12, 31), **_QUARTERS,
}
_PERIOD_AFTER_YEAR_ORDER = tuple(sorted(PERIODS, key=len, reverse=True))
_PERIOD_ALONE_ORDER = tuple(w for w in _PERIOD_AFTER_YEAR_ORDER if "年" in w or "季度" in w)
RANGE_SEPS = ("-", "~", "至", "到")

_NUM = r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)"
_NUM_RE = lazy_re(_NUM)
_SPACED_THOUSANDS = lazy_re(r"[+-]?\d{1,3}(?: \d{3})+(?![\d.,])")
_DATE_RE = lazy_re(r"(?:(?P<y>\d{4})\s*(?P<ysep>年|[./-]))?\s*(?P<m>\d{1,2})\s*(?P<msep>月|[./-])"
                      r"(?:\s*(?P<d>\d{1,2})(?!\d)\s*(?P<dch>日|号)?)?")
_YEAR_ONLY_RE = lazy_re(r"(?P<y>(?:19|20)\d{2})\s*年")
_GE, _LE = r"(?:>=|≥|>)", r"(?:<=|≤|<)"
_DOUBLE_RE = lazy_re(rf"^(?P<a>{_NUM})\s*(?P<ua>%?)\s*(?P<op1>{_GE}|{_LE})\s*(?P<word>[^\d<>=≥≤]+?)\s*"
                        rf"(?P<op2>{_GE}|{_LE})\s*(?P<b>{_NUM})\s*(?P<ub>%?)$")
_RANGE_RE = lazy_re(rf"^(?P<a>{_NUM})\s*(?P<ua>[^\d\s\-~至到+]*?)\s*(?:-|~|至|到)\s*(?P<b>{_NUM})\s*(?P<ub>.*)$")
_TOLERANCE_RE = lazy_re(rf"^(?:<=|≤|不超过|控制在|在)?\s*±\s*(?P<n>{_NUM})\s*(?P<tail>.*)$")
_BRACKET_UNIT_RE = lazy_re(r"^\(\s*([^()]+?)\s*\)\s*(.*)$")
_FULLWIDTH_ODD = set("０１２３４５６７８９％＋－＜＝＞．／～") | {chr(c) for c in range(0xFF21, 0xFF3B)} \
    | {chr(c) for c in range(0xFF41, 0xFF5B)}
_WORDY = lazy_re(r"[\u4e00-\u9fffA-Za-z]")
_CJK_SPACE = lazy_re(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")   # spaces next to CJK are wrap noise


# =========================================================================== the value

@dataclass(frozen=True)
class Value:
    raw: str                    # original cell text (str(cell value); '' for None)
    kind: str                   # number | range | date | date_range | qualitative | placeholder | unparseable
    op: str | None = None       # >=, >, <=, <, =, between, abs<=, or None when no operator was written
    number: float | None = None # percent as a fraction; money in 万元; counts with 万 multiplied out
    upper: float | None = None  # upper bound of a range
    unit: str | None = None     # canonical unit ("%", "万元", "个", "公里", "元/人" …)
    unit_kind: str | None = None
    date: _dt.date | None = None       # the date (start of a date_range)
    end_date: _dt.date | None = None   # end of a date_range
    deadline: bool = False      # "by this date": …前/以前/之前/止, 截至…, or a bare date as a target
    year_given: bool = True     # False when no year was written
    word: str | None = None     # qualitative text (or the label of a double inequality)
    level: str | None = None    # qualitative actuals: 达成 | 部分达成 | 未达成
    notes: tuple[str, ...] = ()


class _Ctx:
    """One parse: the raw text, the role, the default year and the notes collected so far."""

    def __init__(self, raw: str, role: str, year: int | None):
        self.raw, self.role, self.year = raw, role, year
        self.notes: list[str] = []

    @property
    def target(self) -> bool:
        return self.role != "actual"

    def note(self, *tags: str) -> None:
        for t in tags:
            if t not in self.notes:
                self.notes.append(t)

    def value(self, kind: str, **kw) -> Value:
        if kw.get("op") in (">", "<"):
            self.note("strict")
        return Value(self.raw, kind, notes=tuple(self.notes), **kw)


# =========================================================================== entry points

def parse_value(text: object, *, role: str = "target", year: int | None = None) -> Value:
    """Parse a target (``role="target"``) or an actual (``role="actual"``; any other role reads as a
    target); never raises. ``year`` is the form's year, used for dates written without one (``=8月31日前``)."""
    try:
        return _parse_cached(type(text), text, role, year)     # a Value is frozen: safe to share
    except TypeError:                                           # an unhashable cell value
        return _parse_safe(text, role, year)


@lru_cache(maxsize=8192)
def _parse_cached(_type: type, text: object, role: str, year: int | None) -> Value:
    return _parse_safe(text, role, year)       # the type is in the key: 1, 1.0 and True read differently


def _parse_safe(text: object, role: str, year: int | None) -> Value:
    try:
        return _parse(text, role, year)
    except Exception:  # the grammar must never stop a run
        return Value("" if text is None else str(text), "unparseable")


def _parse(text: object, role: str, year: int | None) -> Value:
    if text is None:
        return Value("", "placeholder")
    if isinstance(text, bool):
        return Value(str(text), "unparseable")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            return Value(str(text), "unparseable")
        return Value(str(text), "number", number=float(text), notes=("bare-number",))
    if isinstance(text, _dt.datetime):
        return Value(str(text), "date", date=text.date(), deadline=role != "actual")
    if isinstance(text, _dt.date):
        return Value(str(text), "date", date=text, deadline=role != "actual")

    ctx = _Ctx(str(text), role, year)
    s = _normalise(ctx)
    if not s or is_placeholder(s):
        return ctx.value("placeholder")
    if not ctx.target:
        s = _strip_actual_filler(ctx, s)
        if not s or is_placeholder(s):         # "=" or "=/" typed on its own
            return ctx.value("placeholder")
    return _grammar(ctx, s)


def _grammar(ctx: _Ctx, s: str) -> Value:
    """Try the constructs in order; the first that fits wins."""
    if not re.search(r"\d", s):
        eq = ctx.target and s.startswith("=")
        return _date_value(ctx, s[1:] if eq else s, "=" if eq else None) or _qualitative(ctx, s)
    for construct in (_double_inequality, _tolerance):
        v = construct(ctx, s)
        if v is not None:
            return v
    rel = _RELATIVE.match(s)
    if rel:                                   # 提升10%: a change by that much, compared only with another change
        ctx.note("relative-change")
        return _number(ctx, s[rel.end():], ">=" if ctx.target else None)
    op, body = _prefix_op(s)
    v = _date_value(ctx, body, op)
    if v is not None:
        return v
    if op is None:
        op, body = _suffix_op(body)
    v = _range(ctx, body, op)
    if v is not None:
        return v
    return _number(ctx, body, op)


# =========================================================================== normalisation

def _normalise(ctx: _Ctx) -> str:
    """Artefacts, LaTeX residue, full-width forms, whitespace → one clean line."""
    ctx.note(*artefacts(ctx.raw))
    s = clean(ctx.raw)
    if "\\" in s or "$" in s:
        before = s
        for a in _LATEX_ORDER:
            s = s.replace(a, LATEX[a])
        if s != before:
            s = s.replace("{", "").replace("}", "")
            ctx.note("latex")
    if any(ch in _FULLWIDTH_ODD for ch in s):
        ctx.note("fullwidth")
    s = fold(s).replace("+/-", "±").replace("+-", "±")
    return re.sub(r"\s+", " ", s).strip()


def _strip_actual_filler(ctx: _Ctx, s: str) -> str:
    """On an actual, a leading ``=`` (and 达到/完成/实现 before a figure) is not an operator."""
    if s.startswith("="):
        ctx.note("leading-eq")
        s = s[1:].strip()
        if s.startswith("="):
            s = s[1:].strip()
    if re.search(r"\d", s):
        for w in ACTUAL_FILLERS:
            if s.startswith(w) and re.match(r"\s*\d", s[len(w):]):
                return s[len(w):].strip()
    return s


def _prefix_op(s: str) -> tuple[str | None, str]:
    for token in _PREFIX_ORDER:
        if s.startswith(token):
            body = s[len(token):].strip()
            if token in ("=", "等于") and body.startswith("="):
                body = body[1:].strip()
            return PREFIX_OPS[token], body
    return None, s


def _suffix_op(s: str) -> tuple[str | None, str]:
    for token in _SUFFIX_ORDER:
        if s.endswith(token) and len(s) > len(token):
            return SUFFIX_OPS[token], s[: -len(token)].strip()
    return None, s


# =========================================================================== numbers

def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _figure(ctx: _Ctx, num: str, tail: str) -> tuple[float, str | None, str | None]:
    """A number and the text after it → (normalised number, canonical unit, unit kind). Adds notes."""
    if "," in num:
        ctx.note("thousands-sep")
    n = _dec(num)
    t = tail.strip()
    m = _BRACKET_UNIT_RE.match(t)
    if m:
        t = m.group(1) + m.group(2)
        ctx.note("unit-in-brackets")
    t = _strip_tail_words(t.replace(" ", ""))

    if t.startswith(("%", "百分比", "个百分点")):
        rest = t.lstrip("%").removeprefix("百分比").removeprefix("个百分点")
        if rest:
            ctx.note("trailing-text")
        return float(n / 100), "%", "percent"

    unit, rest = _known_unit(t)
    if unit is None and t[:1] in MAGNITUDES:
        n *= MAGNITUDES[t[0]]
        ctx.note("magnitude")
        unit, rest = _known_unit(t[1:])
        if unit is None:
            t = t[1:]
    if unit is None:
        if not t:
            ctx.note("bare-number")
            return float(n), None, None
        if len(t) <= 4 and not re.search(r"\d", t):   # an unknown short unit: keep it as written
            return float(n), t, "other"
        ctx.note("trailing-text")
        return float(n), None, None

    if rest.startswith("/"):                     # compound: 元/人, 万元/年, 次/年 — kept as written
        return float(n), unit + rest, unit_kind(unit + rest)
    if rest:
        ctx.note("trailing-text")
    if unit in MONEY_FACTOR:
        return float(n * Decimal(str(MONEY_FACTOR[unit]))), "万元", "money"
    return float(n), canonical(unit), unit_kind(canonical(unit))


def _strip_tail_words(t: str) -> str:
    changed = True
    while changed and t:
        changed = False
        for w in FIGURE_TAIL_WORDS:
            if t.endswith(w):
                t, changed = t[: -len(w)], True
                break
    return t


def _known_unit(t: str) -> tuple[str | None, str]:
    for u in KNOWN_UNITS:
        if t.startswith(u) or (u.isascii() and t.lower().startswith(u)):
            return u, t[len(u):]
    return None, t


def _number(ctx: _Ctx, body: str, op: str | None) -> Value:
    spaced = _SPACED_THOUSANDS.match(body)             # 206 669
    if spaced:
        body = spaced.group(0).replace(" ", "") + body[spaced.end():]
        ctx.note("thousands-sep")
    m = _NUM_RE.match(body)
    if not m:
        return ctx.value("unparseable", op=op)
    try:
        n, unit, kind = _figure(ctx, m.group(0), body[m.end():])
    except InvalidOperation:
        return ctx.value("unparseable", op=op)
    if not math.isfinite(n):
        return ctx.value("unparseable", op=op)
    return ctx.value("number", op=op, number=n, unit=unit, unit_kind=kind)


def _range(ctx: _Ctx, body: str, op: str | None) -> Value | None:
    """90%-110%, 2w-5w, 80-90%, 5至10个 (only without an operator)."""
    m = _RANGE_RE.match(body)
    if not m or op is not None:
        return None
    ua, ub = m.group("ua"), m.group("ub")
    if not ua or (ub.startswith(ua) and len(ub) > len(ua)):   # 90-110%, 5万-10万元: the unit after the upper
        ua = ub
    lo, unit, kind = _figure(ctx, m.group("a"), ua)
    hi, unit_b, _ = _figure(ctx, m.group("b"), ub or ua)
    if unit is None:
        unit, kind = unit_b, unit_kind(unit_b)
    if lo > hi:
        lo, hi = hi, lo
        ctx.note("reversed-range")
    return ctx.value("range", op="between", number=lo, upper=hi, unit=unit, unit_kind=kind)


def _double_inequality(ctx: _Ctx, s: str) -> Value | None:
    """90%>效果明显≥80% (upper first) or 80%≤效果明显<90% (lower first)."""
    m = _DOUBLE_RE.match(s)
    if not m:
        return None
    op1, op2 = m.group("op1"), m.group("op2")
    descending = op1[0] in ">≥" and op2[0] in ">≥"
    ascending = op1[0] in "<≤" and op2[0] in "<≤"
    if not (descending or ascending):
        return None
    ctx.note("double-inequality")
    pct = "%" in (m.group("ua") + m.group("ub"))
    a, b = (_dec(m.group("a")), _dec(m.group("b")))
    if pct:
        a, b = a / 100, b / 100
    lo, hi = (b, a) if descending else (a, b)
    if not pct:
        ctx.note("bare-number")
    return ctx.value("range", op="between", number=float(lo), upper=float(hi), unit="%" if pct else None,
                     unit_kind="percent" if pct else None, word=m.group("word").strip())


def _tolerance(ctx: _Ctx, s: str) -> Value | None:
    """±5%, ≤ ±5%, ±5%以内: |x| ≤ 5%."""
    m = _TOLERANCE_RE.match(s)
    if not m:
        return None
    n, unit, kind = _figure(ctx, m.group("n"), m.group("tail"))
    return ctx.value("number", op="abs<=", number=abs(n), unit=unit, unit_kind=kind)


# =========================================================================== dates

@dataclass
class _DateBits:
    year: int | None
    month: int
    day: int | None
    end: int               # index after the match
    no_day_char: bool      # 2024年12月10


def _match_date(s: str) -> _DateBits | None:
    """A date at the start of *s*: 2024年12月31日, 12月31日, 2024年6月, 2024.12.31, 2024-12-31."""
    m = _DATE_RE.match(s)
    if not m:
        return None
    if m.group("msep") != "月" and (m.group("y") is None or m.group("d") is None
                                    or m.group("ysep") == "年" or m.group("msep") != m.group("ysep")):
        return None          # 5-10个 and 1604.5万元 are not dates; 2024-12-31 and 2024.12.31 are
    y = int(m.group("y")) if m.group("y") else None
    d = int(m.group("d")) if m.group("d") else None
    no_day_char = m.group("msep") == "月" and d is not None and m.group("dch") is None
    return _DateBits(y, int(m.group("m")), d, m.end(), no_day_char)


def _mk_date(notes: list[str], y: int | None, mo: int, d: int | None, *, end: bool) -> _dt.date | None:
    """A date from pieces; the month's first or last day when no day was written; None without a year."""
    if y is None:
        return None
    try:
        if d is None and end:
            import calendar
            d = calendar.monthrange(y, mo)[1]
        return _dt.date(y, mo, d if d is not None else 1)
    except ValueError:                   # 2月30日, 13月
        notes.append("garbled-date")
        return None


def _date_tail(s: str) -> tuple[str, bool, bool]:
    """Strip 底/末, 前/以前/止…, 完成 after a date → (leftover, end of month, deadline)."""
    end_of_month = deadline = False
    changed = True
    while changed and s:
        changed = False
        for group in (DATE_END_WORDS, DATE_DEADLINE_WORDS, DATE_DONE_WORDS):
            for w in group:
                if s.startswith(w):
                    s, changed = s[len(w):], True
                    end_of_month = end_of_month or group is DATE_END_WORDS
                    deadline = deadline or group is DATE_DEADLINE_WORDS
                    break
            if changed:
                break
    return s, end_of_month, deadline


def _date_lead(b: str, notes: list[str]) -> tuple[str, bool, int | None]:
    """Strip 截至/于/在 and a relative year (次年, 当年) → (rest, deadline prefix, year offset or None)."""
    prefix_deadline = False
    for p in DEADLINE_PREFIXES:
        if b.startswith(p):
            b, prefix_deadline = b[len(p):], True
            notes.append("deadline-prefix")
            break
    for p in DATE_LEAD_WORDS:
        if b.startswith(p) and len(b) > len(p):
            b = b[len(p):]
            break
    for p in _RELATIVE_ORDER:
        if b.startswith(p) and (re.match(r"\d", b[len(p):]) or b[len(p):].startswith(_PERIOD_AFTER_YEAR_ORDER)):
            return b[len(p):], prefix_deadline, RELATIVE_YEARS[p]
    return b, prefix_deadline, None


def _date_value(ctx: _Ctx, body: str, op: str | None) -> Value | None:
    """A date, a date range or a period, or None when *body* is none of them (no notes are added then)."""
    notes: list[str] = []
    b, prefix_deadline, rel = _date_lead(body.replace(" ", ""), notes)
    default_year = None if ctx.year is None else ctx.year + (rel or 0)
    first = _match_date(b)
    if first is None:
        return _period(ctx, b, op, prefix_deadline, rel, notes)
    rest = b[first.end:]
    if rest[:1] in RANGE_SEPS:
        second = _match_date(rest[1:])
        if second is not None:
            return _date_range(ctx, first, second, rest[1 + second.end:], op, default_year, notes)
    leftover, end_of_month, written_deadline = _date_tail(rest)
    if leftover:
        notes.append("garbled-date")
    if first.no_day_char:
        notes.append("missing-day-char")
    if first.day is None:
        notes.append("month-only")
    if first.year is None:
        notes.append("yearless")
    if op == "=" and written_deadline:
        notes.append("eq-deadline")
    y = first.year if first.year is not None else default_year
    date = _mk_date(notes, y, first.month, first.day, end=end_of_month or ctx.target)
    ctx.note(*notes)
    deadline = written_deadline or prefix_deadline or (ctx.target and op in (None, "=", "<=", "<"))
    return ctx.value("date", op=op, date=date, deadline=deadline, year_given=first.year is not None)


def _date_range(ctx: _Ctx, first: _DateBits, second: _DateBits, tail: str, op: str | None,
                default_year: int | None, notes: list[str]) -> Value:
    """2024年9月30日-10月30日, 2021年2月11日-2021年5月31日止, 2024年1月—12月, …至…"""
    leftover, _, _ = _date_tail(tail)
    if leftover or op not in (None, "="):
        notes.append("garbled-date")
    if first.no_day_char or second.no_day_char:
        notes.append("missing-day-char")
    if first.year is None:
        notes.append("yearless")
    y1 = first.year if first.year is not None else default_year
    y2 = second.year if second.year is not None else y1
    start = _mk_date(notes, y1, first.month, first.day, end=False)
    end = _mk_date(notes, y2, second.month, second.day, end=True)
    ctx.note(*notes)
    return ctx.value("date_range", op="between", date=start, end_date=end, deadline=True,
                     year_given=first.year is not None)


def _period(ctx: _Ctx, b: str, op: str | None, prefix_deadline: bool, rel: int | None,
            notes: list[str]) -> Value | None:
    """The last day of a year, half-year or quarter: 2024年, 2024年底前, 2024年内, 2024年第四季度, 年底前,
    次年上半年. A bare 2024年 only without an operator (≥2024年 would be a duration)."""
    m = _YEAR_ONLY_RE.match(b)
    if m:
        y: int | None = int(m.group("y"))
        rest = b[m.end():]
        words = _PERIOD_AFTER_YEAR_ORDER
    elif rel is not None:
        y, rest, words = (None if ctx.year is None else ctx.year + rel), b, _PERIOD_AFTER_YEAR_ORDER
    else:
        y, rest, words = ctx.year, b, _PERIOD_ALONE_ORDER
    word = next((w for w in words if rest.startswith(w)), None)
    if word is None and not (m and not rest and op is None):
        return None
    month, day = PERIODS[word] if word else (12, 31)
    leftover, _, written_deadline = _date_tail(rest[len(word or ""):])
    if leftover:
        return None
    notes.append("period")
    if not m:
        notes.append("yearless")
    ctx.note(*notes)
    date = None if y is None else _dt.date(y, month, day)
    deadline = written_deadline or prefix_deadline or (word or "").endswith("内") or ctx.target
    return ctx.value("date", op=op, date=date, deadline=deadline, year_given=m is not None)


# =========================================================================== qualitative

def _qualitative(ctx: _Ctx, s: str) -> Value:
    """A digit-free text: a qualitative target word, or an actual with its level."""
    if ctx.target and s.startswith("="):          # =有效: the "=" adds nothing to a word
        s = s[1:].strip()
    if not _WORDY.search(s) or s[:1] in "<>≥≤±":   # ≥ with no figure: nothing to compare
        return ctx.value("unparseable")
    word = _CJK_SPACE.sub("", s)
    level, negated = _level(word)
    if negated:
        ctx.note("negated")
    return ctx.value("qualitative", word=word, level=None if ctx.target else level)


def _level(w: str) -> tuple[str | None, bool]:
    """(level, negated) of a qualitative text."""
    if w in EXACT_LEVELS:
        return EXACT_LEVELS[w], EXACT_LEVELS[w] == "未达成"
    negated_start = w.startswith(NEGATION_PREFIXES)
    for token, level in LEVEL_PREFIXES:
        if w.startswith(token):
            return level, level == "未达成" and negated_start
    if w.startswith(NEGATIONS):
        return "未达成", True
    for p in NEGATION_PREFIXES:
        if w.startswith(p):
            rest = w[len(p):]
            if p in ("未", "尚未") or rest.startswith(POSITIVE) or rest.startswith(tuple(t for t, _ in LEVEL_PREFIXES)):
                return "未达成", True
    if w.startswith("基本") and any(p in w for p in POSITIVE):
        return "部分达成", False
    if "部分" in w or "一般" in w:
        return "部分达成", False
    if any(p in w for p in POSITIVE):
        return "达成", False
    return None, False


# =========================================================================== rendering

_OPS_SHOWN = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
_LEVEL_EN = {"达成": "met", "部分达成": "partly met", "未达成": "not met"}


def _fmt(n: float) -> str:
    if abs(n - round(n)) < 1e-9:
        return str(int(round(n)))
    return f"{n:.4f}".rstrip("0").rstrip(".")


def _fmt_figure(v: Value, n: float | None) -> str:
    if n is None:
        return "—"
    if v.unit == "%":
        return _fmt(n * 100) + "%"
    if v.unit == "万元" and abs(n) >= 10_000:
        return _fmt(n / 10_000) + "亿元"
    return _fmt(n) + (v.unit or "")


def _fmt_date(d: _dt.date | None, zh: bool) -> str:
    if d is None:
        return "—"
    return f"{d.year}年{d.month}月{d.day}日" if zh else d.isoformat()


def describe(v: Value, lang: str = "zh") -> str:
    """A short human rendering for messages: '≥ 95%', '≤ 3.5万元', '±5%', '2024年12月31日前', '达成'."""
    zh = lang == "zh"
    if v.kind == "number":
        if v.op == "abs<=":
            return "±" + _fmt_figure(v, v.number)
        op = _OPS_SHOWN.get(v.op or "", "")
        return (op + " " if op else "") + _fmt_figure(v, v.number)
    if v.kind == "range":
        return f"{_fmt_figure(v, v.number)}–{_fmt_figure(v, v.upper)}"
    if v.kind == "date_range":
        if v.date is None or v.end_date is None:
            return clean(v.raw).lstrip("=")
        return f"{_fmt_date(v.date, zh)}–{_fmt_date(v.end_date, zh)}"
    if v.kind == "date":
        if v.date is None:
            return clean(v.raw).lstrip("=")
        shown = _fmt_date(v.date, zh)
        if v.deadline:
            return shown + "前" if zh else "by " + shown
        return shown
    if v.kind == "qualitative":
        if v.level:
            return v.level if zh else _LEVEL_EN.get(v.level, v.level)
        return v.word or clean(v.raw)
    if v.kind == "placeholder":
        return "—"
    return clean(v.raw)
