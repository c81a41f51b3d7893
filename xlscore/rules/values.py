"""The grammar of a target (指标值) and an actual (实际完成值), as typed in real forms (domain.md, "Values").

``parse_value(text, role="target"|"actual", year=…)`` returns a typed :class:`Value` — a number with an
operator and a unit, a range, a date or deadline, a qualitative word or level, a placeholder — or a
value of kind ``"unparseable"``; it never raises. Oddities are kept as ``notes`` tags so checks can
report them (garbled dates, yearless dates, LaTeX residue, a strict operator…).

A leading ``=`` on an actual is not an operator (``=10000公里`` means "10000公里"); on a target it is.
The qualitative tokens are matched before the operator words: ``达到预期指标`` is a level, not "≥".
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

from ..text import artefacts, clean, fold, is_placeholder
from .units import KNOWN_UNITS, MONEY_FACTOR, canonical, unit_kind

# --------------------------------------------------------------------------- token tables

# prefix operators, longest first
PREFIX_OPS: list[tuple[str, str]] = sorted([
    (">=", ">="), ("≥", ">="), ("=>", ">="), ("大于等于", ">="), ("大于或等于", ">="), ("不低于", ">="), ("不少于", ">="),
    ("不小于", ">="), ("达到", ">="), ("至少", ">="), ("≧", ">="),
    ("<=", "<="), ("≤", "<="), ("=<", "<="), ("小于等于", "<="), ("小于或等于", "<="), ("不高于", "<="), ("不超过", "<="),
    ("不多于", "<="), ("不大于", "<="), ("控制在", "<="), ("低于或等于", "<="), ("≦", "<="), ("最多", "<="),
    (">", ">"), ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("<", "<"), ("小于", "<"), ("低于", "<"), ("少于", "<"),
    ("=", "="), ("等于", "="),
], key=lambda t: len(t[0]), reverse=True)

SUFFIX_OPS: list[tuple[str, str]] = [
    ("及以上", ">="), ("以上", ">="), ("或以上", ">="), ("以下", "<="), ("及以下", "<="), ("以内", "<="), ("之内", "<="),
]

LATEX = [("\\geqslant", "≥"), ("\\leqslant", "≤"), ("\\geq", "≥"), ("\\leq", "≤"), ("\\ge", "≥"), ("\\le", "≤"),
         ("\\%", "%"), ("\\pm", "±"), ("$", ""), ("\\left", ""), ("\\right", "")]

# qualitative actuals → national level (longest/most specific first)
LEVELS: list[tuple[str, str]] = [
    ("部分达成", "部分达成"), ("基本达成", "部分达成"), ("基本完成", "部分达成"), ("部分完成", "部分达成"),
    ("未达成", "未达成"), ("未完成", "未达成"), ("未达到", "未达成"), ("没有达到", "未达成"), ("未实现", "未达成"),
    ("达成", "达成"), ("达到预期", "达成"), ("已达成", "达成"), ("已完成", "达成"), ("全部完成", "达成"),
    ("完成", "达成"), ("已实现", "达成"), ("实现", "达成"), ("已达到", "达成"), ("达到目标", "达成"), ("符合预期", "达成"),
    ("达标", "达成"), ("合格", "达成"),
]
NEGATIONS = ("不合理", "不合规", "不明确", "不规范", "不及时", "不充分", "不健全", "不科学", "无效", "不达标", "不合格", "较差", "差")
POSITIVE = ("有效", "显著", "提升", "提高", "合规", "规范", "合理", "明确", "科学", "健全", "及时", "充分", "良好", "增强",
            "改善", "促进", "推动", "加强", "满意", "达到", "稳定", "持续", "优化", "节能环保", "开拓", "保障", "释放", "好")

DATE_SUFFIX = ("以前", "之前", "前", "止", "底", "末", "内完成", "前完成", "完成", "内")

_NUM = r"[+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)"
_NUM_RE = re.compile(rf"^({_NUM})")
_FULL_DATE = re.compile(r"^(?:(\d{4})\s*[年./\-])?\s*(\d{1,2})\s*(?:月|[./\-])\s*(?:(\d{1,2})\s*(日|号)?)?")
_RANGE_SEP = re.compile(r"\s*(?:-|~|至|到|—|－|–)\s*")


@dataclass(frozen=True)
class Value:
    raw: str
    kind: str                   # number | range | date | date_range | qualitative | placeholder | unparseable
    op: str | None = None       # >=, >, <=, <, =, between, abs<=, or None
    number: float | None = None # percent as a fraction; money in 万元; counts with 万 multiplied out
    upper: float | None = None
    unit: str | None = None
    unit_kind: str | None = None
    date: _dt.date | None = None
    end_date: _dt.date | None = None
    deadline: bool = False
    year_given: bool = True
    word: str | None = None
    level: str | None = None
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- entry point

def parse_value(text: object, *, role: str = "target", year: int | None = None) -> Value:
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
        return Value(str(text), "number", number=float(text), notes=("bare-number",))
    if isinstance(text, _dt.datetime):
        text = text.date()
    if isinstance(text, _dt.date):
        return Value(text.isoformat(), "date", op="<=" if role == "target" else None, date=text,
                     deadline=role == "target")
    raw = str(text)
    notes: list[str] = list(artefacts(raw))
    s = clean(raw)
    for a, b in LATEX:
        if a in s:
            s = s.replace(a, b)
            if "latex" not in notes:
                notes.append("latex")
    folded = fold(s)
    if folded != s and any("\uff01" <= ch <= "\uff5e" for ch in s):
        notes.append("fullwidth")
    s = folded.strip()
    if not s or is_placeholder(s):
        return Value(raw, "placeholder", notes=tuple(notes))

    body = s
    op: str | None = None
    if body.startswith("=") and role == "actual":
        body = body[1:].strip()
        notes.append("leading-eq")

    # qualitative before operators: 达到预期指标 is a level, not "≥ 预期指标"
    q = _qualitative(body, role, notes, raw)
    if q is not None:
        return q

    # double inequality: 90%>效果明显≥80%
    m = re.match(rf"^({_NUM})\s*(%?)\s*(>|>=|≥)\s*([^\d<>=≥≤]+?)\s*(>=|≥|>)\s*({_NUM})\s*(%?)$", body)
    if m:
        hi, lo = _to_float(m.group(1)), _to_float(m.group(6))
        pct = (m.group(2) or m.group(7)) == "%"
        f = 0.01 if pct else 1.0
        return Value(raw, "range", op="between", number=lo * f, upper=hi * f, unit="%" if pct else None,
                     unit_kind="percent" if pct else None, word=m.group(4), notes=tuple(notes + ["double-inequality"]))

    # tolerance ±5% / ≤±5%
    m = re.match(rf"^(?:<=|≤)?\s*±\s*({_NUM})\s*(.*)$", body)
    if m:
        n, unit, kind, extra = _number_unit(m.group(1), m.group(2), notes)
        return Value(raw, "number", op="abs<=", number=n, unit=unit, unit_kind=kind, notes=tuple(notes + extra))

    for token, mapped in PREFIX_OPS:
        if body.startswith(token):
            if token == "=" and role == "actual":
                break
            op = mapped
            body = body[len(token):].strip()
            break
    if op == "=" and body.startswith("="):
        body = body[1:].strip()
    if body.startswith("截至") or body.startswith("截止"):
        body = body[2:].strip()
        op = op or "<="
        notes.append("deadline-prefix")

    d = _date(body, role, year, op, notes, raw)
    if d is not None:
        return d

    if op is None:
        for token, mapped in SUFFIX_OPS:
            if body.endswith(token):
                op = mapped
                body = body[: -len(token)].strip()
                break

    # ranges 90%-110%, 2w-5w, 80-90%
    m = re.match(rf"^({_NUM})\s*([^\d\s\-~至到—－–]*)\s*(?:-|~|至|到|—|－|–)\s*({_NUM})\s*(.*)$", body)
    if m and op is None:
        u1, u2 = m.group(2), m.group(4)
        unit_text = u2 or u1
        lo, unit, kind, extra = _number_unit(m.group(1), u1 or u2, notes)
        hi, _, _, extra2 = _number_unit(m.group(3), unit_text, notes)
        if lo is not None and hi is not None:
            return Value(raw, "range", op="between", number=lo, upper=hi, unit=unit, unit_kind=kind,
                         notes=tuple(dict.fromkeys(notes + extra + extra2)))

    m = _NUM_RE.match(body)
    if m:
        n, unit, kind, extra = _number_unit(m.group(1), body[m.end():], notes)
        if n is None:
            return Value(raw, "unparseable", op=op, notes=tuple(notes))
        if op in (">", "<"):
            extra.append("strict")
        return Value(raw, "number", op=op, number=n, unit=unit, unit_kind=kind, notes=tuple(dict.fromkeys(notes + extra)))

    if re.search(r"\d", body):
        return Value(raw, "unparseable", op=op, notes=tuple(notes))
    # a qualitative target word (有效, 显著提升…), or a free-text actual
    level = None
    if role == "actual":
        level = "达成" if any(w in body for w in POSITIVE) else None
    return Value(raw, "qualitative", word=body, level=level, notes=tuple(notes))


# --------------------------------------------------------------------------- pieces

def _to_float(s: str) -> float:
    return float(s.replace(",", ""))


def _qualitative(body: str, role: str, notes: list[str], raw: str) -> Value | None:
    b = body.replace(" ", "")
    if re.search(r"\d", b):
        return None
    for neg in NEGATIONS:
        if b.startswith(neg) or b == neg:
            return Value(raw, "qualitative", word=b, level="未达成" if role == "actual" else None,
                         notes=tuple(notes + ["negated"]))
    for token, level in LEVELS:
        if b.startswith(token):
            return Value(raw, "qualitative", word=b, level=level if role == "actual" else None, notes=tuple(notes))
    return None


def _number_unit(num: str, tail: str, notes: list[str]) -> tuple[float | None, str | None, str | None, list[str]]:
    """A number and the unit text after it → (normalised number, canonical unit, unit kind, new notes)."""
    extra: list[str] = []
    if "," in num:
        extra.append("thousands-sep")
    try:
        n = _to_float(num)
    except ValueError:
        return None, None, None, extra
    t = tail.strip()
    m = re.match(r"^[(（]\s*([^)）]+?)\s*[)）]\s*(.*)$", t)
    if m:
        t = (m.group(1) + m.group(2)).strip()
        extra.append("unit-in-brackets")
    t = t.replace(" ", "")
    for suffix in ("左右", "以上", "以下", "以内"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
    if t.startswith("%") or t.startswith("百分比") or t.startswith("个百分点"):
        return n / 100.0, "%", "percent", extra
    # money first: 1.5万元 is money, not 1.5万 × 元
    for mu in sorted(MONEY_FACTOR, key=len, reverse=True):
        if t.startswith(mu):
            rest = t[len(mu):]
            if rest.startswith("/"):
                return n, mu + rest, "money_rate", extra
            return n * MONEY_FACTOR[mu], "万元", "money", extra
    # magnitude on counts: ≥20万 (persons), 2w, 3千
    mag = {"万": 1e4, "w": 1e4, "W": 1e4, "亿": 1e8, "千": 1e3, "k": 1e3, "K": 1e3}
    if t[:1] in mag:
        n *= mag[t[0]]
        t = t[1:]
        extra.append("magnitude")
    if not t:
        extra.append("bare-number")
        return n, None, None, extra
    for u in KNOWN_UNITS:
        if t.startswith(u):
            rest = t[len(u):]
            if rest and not rest.startswith("/"):
                extra.append("trailing-text")
            unit = u + rest if rest.startswith("/") else u
            return n, canonical(unit), unit_kind(unit) if not rest.startswith("/") else "money_rate" if u in MONEY_FACTOR else "other", extra
    # an unknown short unit (cpm, 平方公里…): keep it as written
    if len(t) <= 4 and not re.search(r"\d", t):
        return n, t, "other", extra
    extra.append("trailing-text")
    return n, t[:4], "other", extra


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _mk(y: int | None, mo: int, d: int | None, *, end: bool) -> _dt.date | None:
    if y is None or not (1 <= mo <= 12):
        return None
    if d is None:
        d = _last_day(y, mo) if end else 1
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


def _date(body: str, role: str, year: int | None, op: str | None, notes: list[str], raw: str) -> Value | None:
    b = body.replace(" ", "")
    if not re.search(r"\d{1,4}\s*[年月./\-]", b) and not re.match(r"^\d{4}[./\-]\d{1,2}", b):
        return None
    m = _FULL_DATE.match(b)
    if not m or (m.group(1) is None and "月" not in b[: m.end()]):
        return None
    if m.group(1) is None and not re.match(r"^\d{1,2}月", b):
        return None
    y1 = int(m.group(1)) if m.group(1) else None
    mo1, d1 = int(m.group(2)), int(m.group(3)) if m.group(3) else None
    local: list[str] = []
    if m.group(3) and not m.group(4) and "年" in b[: m.end()] and "月" in b[: m.end()]:
        local.append("missing-day-char")
    rest = b[m.end():]
    # a range: …-…, …至…
    r = re.match(r"^(?:-|~|至|到|—|－|–)(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})(日|号)?)?", rest)
    if r:
        y2 = int(r.group(1)) if r.group(1) else y1
        mo2, d2 = int(r.group(2)), int(r.group(3)) if r.group(3) else None
        tail = rest[r.end():]
        yr = y1 if y1 is not None else year
        y2 = y2 if y2 is not None else yr
        if y1 is None:
            local.append("yearless")
        start, end = _mk(yr, mo1, d1, end=False), _mk(y2, mo2, d2, end=True)
        leftover = tail
        for suf in DATE_SUFFIX:
            if leftover.startswith(suf):
                leftover = leftover[len(suf):]
                break
        if leftover:
            local.append("garbled-date")
        return Value(raw, "date_range", op="between", date=start, end_date=end, deadline=True,
                     year_given=y1 is not None, notes=tuple(notes + local))
    deadline = False
    suffix = ""
    for suf in DATE_SUFFIX:
        if rest.startswith(suf):
            suffix, rest = suf, rest[len(suf):]
            deadline = True
            break
    if rest:
        local.append("garbled-date")
    if op == "=" and deadline:
        local.append("eq-deadline")
    y = y1 if y1 is not None else year
    if y1 is None:
        local.append("yearless")
    is_target = role == "target"
    date = _mk(y, mo1, d1, end=is_target or suffix in ("底", "末"))
    if is_target:
        deadline = deadline or op in (None, "<=", "<", "=")
        out_op = "<=" if op in (None, "=") else op
    else:
        out_op = op
    return Value(raw, "date", op=out_op, date=date, deadline=deadline and is_target, year_given=y1 is not None,
                 notes=tuple(notes + local))


# --------------------------------------------------------------------------- rendering

_OPS_SHOWN = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "abs<=": "±"}


def _fmt(n: float) -> str:
    if abs(n - round(n)) < 1e-9:
        return str(int(round(n)))
    return f"{n:.4f}".rstrip("0").rstrip(".")


def _fmt_num(v: Value, n: float | None) -> str:
    if n is None:
        return "—"
    if v.unit == "%":
        return _fmt(n * 100) + "%"
    return _fmt(n) + (v.unit or "")


def describe(v: Value, lang: str = "zh") -> str:
    """A short human rendering: '≥ 95%', '≤ 3.5万元', '2024年12月31日前', '达成'."""
    zh = lang == "zh"
    if v.kind == "number":
        op = _OPS_SHOWN.get(v.op or "", "")
        return (op + " " if op else "") + _fmt_num(v, v.number)
    if v.kind == "range":
        return f"{_fmt_num(v, v.number)}–{_fmt_num(v, v.upper)}"
    if v.kind in ("date", "date_range"):
        def d(x):
            return f"{x.year}年{x.month}月{x.day}日" if zh else x.isoformat() if x else "—"
        if v.kind == "date_range":
            return f"{d(v.date)}–{d(v.end_date)}" if v.date and v.end_date else v.raw
        if v.date is None:
            return clean(v.raw)
        return d(v.date) + (("前" if zh else " (deadline)") if v.deadline else "")
    if v.kind == "qualitative":
        return v.level or v.word or clean(v.raw)
    if v.kind == "placeholder":
        return "—"
    return clean(v.raw)
