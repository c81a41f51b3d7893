"""Formulas with no stored result: computed from the cells they refer to, so ``check`` and ``recalc`` do not read blanks.

A cell's value as xlscore reads it is the result Excel/WPS stored with the formula (``<v>``). A workbook saved by a
program that does not compute (openpyxl, report generators, some LibreOffice modes) stores formulas without results,
and every score, rate and total written as ``=E12``, ``=SUM(I12:I20)+J6`` or ``=ROUND(H5/G5*100,2)`` read blank:
false ``score-missing`` and worse. Both readers (:mod:`xlscore.read.fastxlsx` and :func:`xlscore.write.xlsx.grids`)
call :func:`fill` once on all the grids of a workbook after building them:

* a stored result is always trusted as is, never recomputed (what Excel/WPS stored is what the user saw);
* every formula cell without one is computed from the values of the cells it refers to, in dependency order (a
  formula may refer to another formula without a result, on any sheet of the workbook); the value goes into
  ``Cell.cached`` as a reader would have read it had a spreadsheet program stored it (number formats applied: a
  0.95 in a ``0%`` cell reads "95%"), and ``Grid.computed[(row, col)]`` keeps the bare result (the number, text,
  bool, or an :class:`Error`) for the writer, which may store it back as the cell's ``<v>``;
* what cannot be computed stays blank and is recorded with its reason in ``Grid.not_computed``: an unknown
  function, a defined name, an array constant, a reference into another workbook, a circular reference, or a
  dependency on one of these. Nothing is guessed.

Why a small evaluator of our own and not a library. Measured here (2-core machine under load, whole processes,
median of 5; ``python -c pass`` = 120 ms, ``import openpyxl`` = 620 ms), on 34 formula shapes from the forms
compared with what LibreOffice 7.4 stores:

* ``formulas`` 1.3.4 (pulls numpy, scipy, schedula, regex): ~500 ms a process for import + one formula (its import
  is lazy: the first formula compiled costs ~3.3 s in-process on the loaded machine, then ~6.5 ms each). It reads a
  file through openpyxl (``ExcelModel().loads``: 3.2 s for a 40-cell workbook) or one formula at a time with numpy
  arrays in and out. Wrong: ``ROUND(0.285,2)`` = 0.28 (Excel 0.29); a circular reference silently 0.
* ``pycel`` 1.0b30 (openpyxl, numpy): ~1,100 ms a process for ``import pycel``, ~1,200 ms with ``ExcelCompiler``.
  It reads a file or an openpyxl workbook only, so the light reader's grids would need openpyxl loaded again.
  Wrong: ``COUNTA`` unknown; ``-2^2`` = -4 (Excel 4); a cycle raises RecursionError unless ``cycles=True``, which
  then returned None for most other cells.
* this module: ~2 ms to import from bytecode (re, math, decimal; its token pattern is compiled on the first formula
  without a result, ~10–20 ms), no dependency, reads the grids directly, and agrees with LibreOffice on all 34
  shapes except the circular reference (Err:522 there) and the unknown function (``#NAME?`` there): blank +
  recorded here; and on 600 random formulas (tests/test_formulas.py), save where LibreOffice is not Excel. Its cost
  grows with the formulas it computes: ~90 µs each on the loaded machine (40,000 in 3.6 s); a workbook whose
  results are stored pays one pass over its cells.

The forms use few formula shapes (``tests/`` and the field corpus: ``=G14``, ``=F6/E6``, ``=SUM(H14:H19)+H6``,
``=ROUND(H/G,4)``, ``=G*MIN(1,rate)``); the functions below cover them with room to spare.

Grammar: numbers, "text" (``""`` inside), TRUE/FALSE, error literals, cell and range references with ``$``,
whole columns/rows (``A:A``, ``3:3``), ``'表 2'!A1`` and ``表2!A1:B3``; operators ``+ - * / ^ & = <> < <= > >=``,
unary ``+ -``, postfix ``%``, parentheses. Excel's semantics: a blank is 0 in arithmetic and "" in ``&``; text
that reads as a number ("3", "95%") is that number in arithmetic, other text is ``#VALUE!``; inside a range
only numbers count for SUM/MIN/MAX/AVERAGE/COUNT; the first error met propagates; ``-2^2`` is 4; ROUND rounds
half away from zero on the 15-digit figure Excel shows (``ROUND(0.285,2)`` = 0.29).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import Any, Callable, Iterable

from ..grid import Grid, as_shown, col_letter, whole_number
from ..numbers import tame
from ..text import lazy_re

MAX_ROW, MAX_COL = 1_048_576, 16_384


class Error(str):
    """An Excel error value (``#DIV/0!``); a str, so it reads as the text a reader gives for a stored error."""


DIV0, VALUE, REF, NAME, NA, NUM = (Error(e) for e in ("#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!"))
_ERRORS = {e: Error(e) for e in ("#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!",
                                  "#GETTING_DATA", "#SPILL!", "#CALC!")}


class NotComputable(Exception):
    """The formula uses something xlscore does not evaluate (the message says what): the cell stays blank."""


# --------------------------------------------------------------------------- tokens

_TOKEN_PATTERN = r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<err>\#(?:DIV/0!|VALUE!|REF!|NAME\?|N/A|NUM!|NULL!|GETTING_DATA|SPILL!|CALC!))
  | (?P<sheet>(?:'(?:[^']|'')+'|[^\s!'"(),:;+\-*/^&=<>%{}\[\]#]+)!)
  | (?P<area>\$?[A-Za-z]{1,3}\$?[0-9]+(?::\$?[A-Za-z]{1,3}\$?[0-9]+)?(?![A-Za-z0-9_.(])
            |\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}(?![A-Za-z0-9_.(])|\$?[0-9]+:\$?[0-9]+(?![0-9.]))
  | (?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<func>[A-Za-z_][A-Za-z0-9_.]*(?=\())
  | (?P<name>[A-Za-z_\\\u0080-\uffff][A-Za-z0-9_.\\\u0080-\uffff]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%(),])
  | (?P<other>.)
"""
_TOKEN = lazy_re(_TOKEN_PATTERN, re.X)     # compiled on the first formula without a result (~10 ms)
_CELL = lazy_re(r"\$?([A-Za-z]{1,3})\$?([0-9]+)$")


def _col(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if kind == "other":
            what = {"{": "an array constant", "[": "a reference into another workbook or table"}.get(m.group(), None)
            raise NotComputable(what or f"the character {m.group()!r}")
        out.append((kind, m.group()))
    return out


# --------------------------------------------------------------------------- parser (Pratt)

_INFIX = {"=": 10, "<>": 10, "<": 10, "<=": 10, ">": 10, ">=": 10, "&": 20, "+": 30, "-": 30, "*": 40, "/": 40, "^": 50}
_PREFIX_BP = 60
_PERCENT_BP = 70


class _Parser:
    def __init__(self, text: str):
        self.toks = tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise NotComputable("an incomplete formula")
        self.i += 1
        return tok

    def parse(self):
        node = self.expr(0)
        if self.peek() is not None:
            raise NotComputable(f"unexpected {self.peek()[1]!r}")
        return node

    def expr(self, rbp: int):
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok is None or tok[0] != "op":
                return left
            op = tok[1]
            if op == "%":
                self.i += 1
                left = ("pct", left)
                continue
            bp = _INFIX.get(op)
            if bp is None or bp <= rbp:
                return left
            self.i += 1
            left = ("bin", op, left, self.expr(bp))        # left-associative, as Excel (2^3^2 = 64)

    def prefix(self):
        kind, text = self.next()
        if kind == "num":
            return ("val", float(text))
        if kind == "str":
            return ("val", text[1:-1].replace('""', '"'))
        if kind == "err":
            return ("val", _ERRORS[text])
        if kind == "sheet":
            name = text[:-1]
            if name.startswith("'"):
                name = name[1:-1].replace("''", "'")
            k2, t2 = self.next()
            if k2 != "area":
                raise NotComputable(f"a reference {text}{t2}")
            return _area(name, t2)
        if kind == "area":
            return _area(None, text)
        if kind == "func":
            name = text.upper()
            for p in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
                if name.startswith(p):
                    name = name[len(p):]
            self.next()                                    # (
            args = []
            if self.peek() == ("op", ")"):
                self.i += 1
                return ("call", name, args)
            while True:
                if self.peek() in (("op", ","), ("op", ")")):
                    args.append(("missing",))
                else:
                    args.append(self.expr(0))
                k3, t3 = self.next()
                if t3 == ")":
                    return ("call", name, args)
                if t3 != ",":
                    raise NotComputable(f"unexpected {t3!r} in {name}()")
        if kind == "name":
            if text.upper() in ("TRUE", "FALSE"):
                return ("val", text.upper() == "TRUE")
            raise NotComputable(f"the name {text}")
        if kind == "op" and text in "+-":
            return ("neg" if text == "-" else "pos", self.expr(_PREFIX_BP))
        if kind == "op" and text == "(":
            node = self.expr(0)
            if self.next() != ("op", ")"):
                raise NotComputable("unbalanced parentheses")
            return node
        raise NotComputable(f"unexpected {text!r}")


def _area(sheet: str | None, text: str):
    """('ref', sheet, r1, c1, r2, c2, is_range)."""
    parts = text.replace("$", "").split(":")
    if len(parts) == 1:
        m = _CELL.match(parts[0])
        r, c = int(m.group(2)), _col(m.group(1))
        return ("ref", sheet, r, c, r, c, False)
    a, b = parts
    if a.isdigit():                                      # 3:5, whole rows
        r1, r2, c1, c2 = int(a), int(b), 1, MAX_COL
    elif a.isalpha():                                    # A:C, whole columns
        r1, r2, c1, c2 = 1, MAX_ROW, _col(a), _col(b)
    else:
        ma, mb = _CELL.match(a), _CELL.match(b)
        r1, c1, r2, c2 = int(ma.group(2)), _col(ma.group(1)), int(mb.group(2)), _col(mb.group(1))
    r1, r2 = sorted((r1, r2))
    c1, c2 = sorted((c1, c2))
    return ("ref", sheet, r1, c1, r2, c2, True)


def parse(formula: str):
    """The syntax tree of ``=…`` (raises NotComputable)."""
    text = formula[1:] if formula.startswith("=") else formula
    if not text.strip():
        raise NotComputable("an empty formula")
    return _Parser(text).parse()


def _refs(node) -> Iterable[tuple]:
    """The references of a syntax tree, left to right (a loop, not recursion: 1+1+…+1 may have thousands of terms)."""
    stack = [node]
    while stack:
        n = stack.pop()
        kind = n[0]
        if kind == "ref":
            yield n
        elif kind in ("neg", "pos", "pct"):
            stack.append(n[1])
        elif kind == "bin":
            stack.extend((n[3], n[2]))
        elif kind == "call":
            stack.extend(reversed(n[2]))


# --------------------------------------------------------------------------- values

_NUMBER_TEXT = lazy_re(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?$")


def text_number(s: str) -> float | None:
    """Text Excel takes for a number in arithmetic ("3", " 1,000 ", "95%", "1e3"), else None."""
    t = s.strip()
    if not t or not _NUMBER_TEXT.match(t) or not any(ch.isdigit() for ch in t):
        return None
    pct = t.endswith("%")
    try:
        v = float(t.rstrip("%").replace(",", ""))
    except ValueError:
        return None
    return v / 100 if pct else v


def serial(v: Any, epoch1904: bool = False) -> float:
    """A date, time or duration as Excel's serial number."""
    if isinstance(v, _dt.timedelta):
        return v.total_seconds() / 86400
    if isinstance(v, _dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400
    if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
        v = _dt.datetime(v.year, v.month, v.day)
    base = _dt.datetime(1904, 1, 1) if epoch1904 else _dt.datetime(1899, 12, 30)
    days = (v - base).total_seconds() / 86400
    if not epoch1904 and days < 61:
        days -= 1                                           # Excel's phantom 29 Feb 1900
    return days


class _Range:
    """A range's values, row by row (blanks as None)."""

    def __init__(self, values: list):
        self.values = values


def _to_number(v: Any, epoch1904: bool) -> Any:
    """Arithmetic operand: a number or an Error."""
    if isinstance(v, Error):
        return v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        n = text_number(v)
        return VALUE if n is None else n
    if isinstance(v, (_dt.date, _dt.time, _dt.timedelta)):
        return serial(v, epoch1904)
    return VALUE


def _to_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.15g}".replace("e+", "E+").replace("e-", "E-")
    return str(v)


def _to_bool(v: Any) -> Any:
    if isinstance(v, Error):
        return v
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    if isinstance(v, str) and v.strip().upper() in ("TRUE", "FALSE"):
        return v.strip().upper() == "TRUE"
    return VALUE


def _rank(v: Any) -> int:
    return 2 if isinstance(v, bool) else 1 if isinstance(v, str) else 0


def _compare(op: str, a: Any, b: Any) -> Any:
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0.0
    if _rank(a) != _rank(b):
        c = (_rank(a) > _rank(b)) - (_rank(a) < _rank(b))
    elif isinstance(a, str):
        x, y = a.lower(), b.lower()
        c = (x > y) - (x < y)
    else:
        c = (a > b) - (a < b)
    return {"=": c == 0, "<>": c != 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op]


def excel_round(x: float, digits: float, mode=ROUND_HALF_UP) -> float:
    """ROUND / ROUNDUP / ROUNDDOWN on the 15-digit figure Excel shows (0.285 → 0.29, as Excel; a binary 0.28499…)."""
    d = int(digits) if digits >= 0 else -int(-digits)
    try:
        q = Decimal(f"{x:.15g}").scaleb(d).quantize(Decimal(1), rounding=mode).scaleb(-d)
    except InvalidOperation:
        return x
    return float(q)


# --------------------------------------------------------------------------- evaluation

class _Eval:
    """Evaluates syntax trees against the workbook: *value_of(sheet, row, col)* gives a referenced cell's value."""

    def __init__(self, value_of: Callable[[str, int, int], Any], bounds: Callable[[str], tuple[int, int]],
                 sheet: str, epoch1904: bool):
        self.value_of, self.bounds, self.sheet, self.epoch1904 = value_of, bounds, sheet, epoch1904

    def num(self, v):
        return _to_number(v, self.epoch1904)

    def ev(self, node) -> Any:
        """A scalar, an Error, or a _Range."""
        kind = node[0]
        if kind == "val":
            return node[1]
        if kind == "missing":
            return None
        if kind == "ref":
            _, sheet, r1, c1, r2, c2, is_range = node
            sheet = sheet or self.sheet
            if not is_range:
                return self.value_of(sheet, r1, c1)
            mr, mc = self.bounds(sheet)
            r2, c2 = min(r2, mr), min(c2, mc)
            return _Range([[self.value_of(sheet, r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)])
        if kind in ("neg", "pos", "pct"):
            v = self.num(self.scalar(node[1]))
            if isinstance(v, Error):
                return v
            return -v if kind == "neg" else v / 100 if kind == "pct" else v
        if kind == "bin":
            return self.binary(node[1], self.scalar(node[2]), self.scalar(node[3]))
        if kind == "call":
            fn = _FUNCTIONS.get(node[1])
            if fn is None:
                raise NotComputable(f"the function {node[1]}()")
            return fn(self, node[2])
        raise NotComputable(kind)

    def scalar(self, node) -> Any:
        v = self.ev(node)
        if isinstance(v, _Range):
            flat = [x for row in v.values for x in row]
            if len(flat) == 1:
                return flat[0]
            raise NotComputable("a range where one value is expected (implicit intersection)")
        return v

    def binary(self, op: str, a: Any, b: Any) -> Any:
        if isinstance(a, Error):
            return a
        if isinstance(b, Error):
            return b
        if op == "&":
            return _to_text(a) + _to_text(b)
        if op in ("=", "<>", "<", "<=", ">", ">="):
            if isinstance(a, (_dt.date, _dt.time, _dt.timedelta)):
                a = serial(a, self.epoch1904)
            if isinstance(b, (_dt.date, _dt.time, _dt.timedelta)):
                b = serial(b, self.epoch1904)
            if isinstance(a, int) and not isinstance(a, bool):
                a = float(a)
            if isinstance(b, int) and not isinstance(b, bool):
                b = float(b)
            return _compare(op, a, b)
        x, y = self.num(a), self.num(b)
        if isinstance(x, Error):
            return x
        if isinstance(y, Error):
            return y
        try:
            if op == "+":
                return x + y
            if op == "-":
                return x - y
            if op == "*":
                return x * y
            if op == "/":
                return DIV0 if y == 0 else x / y
            if op == "^":
                if x == 0 and y == 0:
                    return NUM
                if x == 0 and y < 0:
                    return DIV0
                r = x ** y
                return NUM if isinstance(r, complex) else r
        except (OverflowError, ZeroDivisionError):
            return NUM
        raise NotComputable(op)

    # ---- argument lists as functions see them
    def numbers(self, args, *, count_text: bool = False) -> Any:
        """The numbers of SUM-like arguments: in a range only numbers (text, bools, blanks skipped); a direct
        argument is coerced (TRUE is 1, "3" is 3, other text #VALUE!). Returns a list or the first Error."""
        out = []
        for a in args:
            v = self.ev(a)
            if isinstance(v, _Range) or (a[0] == "ref"):
                items = [x for row in v.values for x in row] if isinstance(v, _Range) else [v]
                for x in items:
                    if isinstance(x, Error):
                        return x
                    if isinstance(x, (int, float)) and not isinstance(x, bool):
                        out.append(float(x))
                    elif isinstance(x, (_dt.date, _dt.time, _dt.timedelta)):
                        out.append(serial(x, self.epoch1904))
                continue
            if a[0] == "missing":
                v = 0.0
            n = self.num(v)
            if isinstance(n, Error):
                if count_text:
                    continue
                return n
            out.append(n)
        return out


def _fn_sum(e: _Eval, args):
    ns = e.numbers(args)
    return ns if isinstance(ns, Error) else math.fsum(ns)


def _fn_product(e: _Eval, args):
    ns = e.numbers(args)
    return ns if isinstance(ns, Error) else math.prod(ns)


def _fn_min(e: _Eval, args):
    ns = e.numbers(args)
    return ns if isinstance(ns, Error) else (min(ns) if ns else 0.0)


def _fn_max(e: _Eval, args):
    ns = e.numbers(args)
    return ns if isinstance(ns, Error) else (max(ns) if ns else 0.0)


def _fn_average(e: _Eval, args):
    ns = e.numbers(args)
    if isinstance(ns, Error):
        return ns
    return math.fsum(ns) / len(ns) if ns else DIV0


def _fn_count(e: _Eval, args):
    n = 0
    for a in args:
        v = e.ev(a)
        items = [x for row in v.values for x in row] if isinstance(v, _Range) else [v]
        for x in items:
            if a[0] == "ref" or isinstance(v, _Range):
                n += isinstance(x, (int, float, _dt.date, _dt.time, _dt.timedelta)) and not isinstance(x, bool)
            else:
                n += not isinstance(e.num(x), Error)
    return float(n)


def _fn_counta(e: _Eval, args):
    n = 0
    for a in args:
        v = e.ev(a)
        items = [x for row in v.values for x in row] if isinstance(v, _Range) else [v]
        n += sum(1 for x in items if x is not None) if (a[0] == "ref" or isinstance(v, _Range)) else 1
    return float(n)


def _need(args, lo: int, hi: int, name: str):
    if not lo <= len(args) <= hi:
        raise NotComputable(f"{name}() with {len(args)} arguments")


def _rounding(mode):
    def fn(e: _Eval, args):
        _need(args, 1 if mode is None else 2, 2, "ROUND")
        x = e.num(e.scalar(args[0]))
        d = e.num(e.scalar(args[1])) if len(args) > 1 else 0.0
        if isinstance(x, Error):
            return x
        if isinstance(d, Error):
            return d
        return excel_round(x, d, mode or ROUND_HALF_UP)
    return fn


def _fn_int(e: _Eval, args):
    _need(args, 1, 1, "INT")
    x = e.num(e.scalar(args[0]))
    return x if isinstance(x, Error) else float(math.floor(x))


def _fn_abs(e: _Eval, args):
    _need(args, 1, 1, "ABS")
    x = e.num(e.scalar(args[0]))
    return x if isinstance(x, Error) else abs(x)


def _fn_if(e: _Eval, args):
    _need(args, 1, 3, "IF")
    c = _to_bool(e.scalar(args[0]))
    if isinstance(c, Error):
        return c
    if c:
        return e.scalar(args[1]) if len(args) > 1 and args[1][0] != "missing" else (0.0 if len(args) > 1 else True)
    if len(args) < 3:
        return False
    return 0.0 if args[2][0] == "missing" else e.scalar(args[2])


def _fn_iferror(e: _Eval, args):
    _need(args, 2, 2, "IFERROR")
    v = e.scalar(args[0])
    if isinstance(v, Error):
        return 0.0 if args[1][0] == "missing" else e.scalar(args[1])
    return 0.0 if v is None else v


def _logical(all_: bool):
    def fn(e: _Eval, args):
        seen = []
        for a in args:
            v = e.ev(a)
            items = [x for row in v.values for x in row] if isinstance(v, _Range) else [v]
            for x in items:
                if isinstance(x, Error):
                    return x
                if x is None or (isinstance(x, str) and (a[0] == "ref" or isinstance(v, _Range))):
                    continue
                b = _to_bool(x)
                if isinstance(b, Error):
                    return b
                seen.append(b)
        if not seen:
            return VALUE
        return all(seen) if all_ else any(seen)
    return fn


def _fn_not(e: _Eval, args):
    _need(args, 1, 1, "NOT")
    b = _to_bool(e.scalar(args[0]))
    return b if isinstance(b, Error) else not b


def _fn_sumproduct(e: _Eval, args):
    arrays = []
    for a in args:
        v = e.ev(a)
        rows = v.values if isinstance(v, _Range) else [[v]]
        arrays.append(rows)
    shape = (len(arrays[0]), len(arrays[0][0])) if arrays and arrays[0] else (0, 0)
    if any((len(x), len(x[0]) if x else 0) != shape for x in arrays):
        return VALUE
    total = 0.0
    for i in range(shape[0]):
        for j in range(shape[1]):
            p = 1.0
            for x in arrays:
                v = x[i][j]
                if isinstance(v, Error):
                    return v
                p *= float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0
            total += p
    return total


_FUNCTIONS: dict[str, Callable] = {
    "SUM": _fn_sum, "PRODUCT": _fn_product, "MIN": _fn_min, "MAX": _fn_max, "AVERAGE": _fn_average,
    "COUNT": _fn_count, "COUNTA": _fn_counta, "ROUND": _rounding(ROUND_HALF_UP), "ROUNDUP": _rounding(ROUND_UP),
    "ROUNDDOWN": _rounding(ROUND_DOWN), "INT": _fn_int, "ABS": _fn_abs, "IF": _fn_if, "IFERROR": _fn_iferror,
    "AND": _logical(True), "OR": _logical(False), "NOT": _fn_not, "SUMPRODUCT": _fn_sumproduct,
    "TRUE": lambda e, a: True, "FALSE": lambda e, a: False,
}
FUNCTIONS = tuple(sorted(_FUNCTIONS))


def result(v: Any) -> Any:
    """A formula's final value as a spreadsheet program would store it: a blank reference is 0, a number to the 15
    significant digits Excel shows and LibreOffice stores (SUM(1.9,0.95,1) is 3.85, not 3.8499999999999996), a
    whole number an int, an infinite one #NUM!."""
    if isinstance(v, _Range):
        raise NotComputable("a range as the result (an array formula)")
    if v is None:
        return 0
    if isinstance(v, float):
        if not math.isfinite(v):
            return NUM
        if v == 0:
            return 0
        return whole_number(float(f"{v:.15g}"))
    return v


def evaluate(formula: str, cells: dict | None = None, sheet: str = "", epoch1904: bool = False) -> Any:
    """One formula's value (for tests and the REPL). *cells*: {(row, col): value} on *sheet*, or
    {(sheet, row, col): value}. Raises NotComputable."""
    table = {(k if len(k) == 3 else (sheet, *k)): v for k, v in (cells or {}).items()}

    def value_of(s, r, c):
        return table.get((s, r, c))

    def bounds(s):
        keys = [k for k in table if k[0] == s]
        return max([k[1] for k in keys] or [0]), max([k[2] for k in keys] or [0])
    return result(_Eval(value_of, bounds, sheet, epoch1904).scalar(parse(formula)))


# --------------------------------------------------------------------------- the workbook

def fill(grids: list[Grid], epoch1904: bool = False) -> int:
    """Compute every formula cell of *grids* that has no stored result (see the module docstring); the number of
    cells given a value. Needs, on each grid, ``numbers`` (the number behind a value a format shows as text) and
    ``formats`` (the number format of each formula cell without a result), both set by the readers."""
    from .serials import MAC_EPOCH, WINDOWS_EPOCH, from_excel, is_date_format, is_timedelta_format
    by_name = {g.name.lower(): g for g in grids}
    pending: dict[tuple[str, int, int], Any] = {}           # (sheet key, row, col) → syntax tree
    why: dict[tuple[str, int, int], str] = {}
    for g in grids:
        key = g.name.lower()
        for pos, cell in g.cells.items():
            if cell.is_formula and cell.cached is None:
                try:
                    pending[(key, *pos)] = parse(cell.value)
                except NotComputable as exc:
                    why[(key, *pos)] = str(exc)
                except RecursionError:
                    why[(key, *pos)] = "a formula nested too deeply"
                except Exception as exc:         # a formula text misread here must never stop the check
                    why[(key, *pos)] = f"unreadable ({type(exc).__name__})"
    if not pending and not why:
        return 0

    def bounds(sheet: str) -> tuple[int, int]:
        g = by_name.get(sheet.lower())
        return (g.max_row, g.max_col) if g is not None else (0, 0)

    # dependency edges among the pending cells (a range depends on every pending cell inside it): per sheet and
    # column the pending rows, sorted, so a range finds its cells by bisection, not by a scan of every formula
    import bisect
    columns: dict[str, dict[int, list[int]]] = {}
    for k in sorted(list(pending) + list(why)):
        columns.setdefault(k[0], {}).setdefault(k[2], []).append(k[1])
    deps: dict[tuple, list[tuple]] = {}
    for k, node in pending.items():
        out = []
        for ref in _refs(node):
            sk = (ref[1] or "").lower() or k[0]
            if sk not in by_name:
                why[k] = f"a reference to the sheet {ref[1]!r}, which is not read"
                break
            cols = columns.get(sk)
            if not cols:
                continue
            _, _, r1, c1, r2, c2, _ = ref
            for c in (range(c1, c2 + 1) if c2 - c1 < len(cols) else [c for c in cols if c1 <= c <= c2]):
                rows = cols.get(c)
                if rows:
                    out.extend((sk, r, c) for r in rows[bisect.bisect_left(rows, r1):bisect.bisect_right(rows, r2)])
        deps[k] = out
    for k in why:
        pending.pop(k, None)

    # order: iterative depth-first search; a cell met again while on the stack closes a cycle
    order: list[tuple] = []
    state: dict[tuple, int] = {}                            # 1 on the stack, 2 done
    for start in pending:
        if start in state:
            continue
        stack = [(start, iter(deps[start]))]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
                continue
            if nxt not in pending:
                continue
            s = state.get(nxt)
            if s is None:
                state[nxt] = 1
                stack.append((nxt, iter(deps[nxt])))
            elif s == 1:                                    # a cycle: every cell on it from nxt up
                on = [n for n, _ in stack]
                for n in on[on.index(nxt):]:
                    why.setdefault(n, "a circular reference")

    values: dict[tuple, Any] = {}

    def value_of(sheet: str, r: int, c: int) -> Any:
        sk = sheet.lower()
        k = (sk, r, c)
        if k in values:
            return values[k]
        if k in why:
            raise NotComputable(f"it depends on {_where(by_name, k)}, which is not computed ({why[k]})")
        g = by_name.get(sk)
        if g is None:
            raise NotComputable(f"a reference to the sheet {sheet!r}, which is not read")
        cell = g.cells.get((r, c))
        if cell is None:
            return None
        if (r, c) in g.numbers:
            return g.numbers[(r, c)]
        return cell.cached if cell.is_formula else cell.value

    count = 0
    for k in order:
        if k in why:
            continue
        g = by_name[k[0]]
        try:
            v = result(_Eval(value_of, bounds, g.name, epoch1904).scalar(pending[k]))
        except NotComputable as exc:
            why[k] = str(exc)
            continue
        except RecursionError:
            why[k] = "a formula nested too deeply"
            continue
        except Exception as exc:             # a gap in this evaluator: the cell stays blank, the check goes on
            why[k] = f"xlscore could not evaluate it ({type(exc).__name__})"
            continue
        v = tame(v)
        values[k] = v
        g.computed[k[1:]] = v
        count += 1
        fmt = g.formats.get(k[1:])
        shown = v
        if isinstance(v, (int, float)) and not isinstance(v, bool) and is_date_format(fmt):
            try:
                shown = from_excel(v, MAC_EPOCH if epoch1904 else WINDOWS_EPOCH, timedelta=is_timedelta_format(fmt))
            except (OverflowError, ValueError):
                shown = "#VALUE!"
        elif isinstance(v, Error):
            shown = str(v)
        elif v == "":
            shown = None                                   # a stored empty text reads blank
        else:
            shown = as_shown(v, fmt)
        if shown is not v and isinstance(v, (int, float)) and not isinstance(v, bool):
            g.numbers[k[1:]] = v                           # a later formula reads the number, not "95%"
        g.cells[k[1:]].cached = shown
    for k, reason in why.items():
        by_name[k[0]].not_computed[k[1:]] = reason
    return count


def _where(by_name: dict, k: tuple) -> str:
    g = by_name.get(k[0])
    return f"{g.name if g else k[0]}!{col_letter(k[2])}{k[1]}"


def computed(grids: list[Grid]) -> dict[tuple[str, int, int], Any]:
    """(sheet, row, col) → the value xlscore computed for a formula with no stored result (for the writer)."""
    return {(g.name, r, c): v for g in grids for (r, c), v in g.computed.items()}


_REASONS_ZH = [        # patterns, not compiled at import (re caches them on first use)
    (r"it depends on (.+), which is not computed \((.*)\)$", lambda m: f"引用的 {m[1]} 无法计算：{reason_zh(m[2])}"),
    (r"the function (.+)$", lambda m: f"不支持的函数 {m[1]}"),
    (r"the name (.+)$", lambda m: f"名称 {m[1]}（定义的名称）"),
    (r"a circular reference$", lambda m: "循环引用"),
    (r"an array constant$", lambda m: "数组常量"),
    (r"a reference into another workbook or table$", lambda m: "引用其他工作簿或表格"),
    (r"a reference to the sheet (.+), which is not read$", lambda m: f"引用的工作表 {m[1]} 未读取"),
    (r"a range .*$", lambda m: "区域当作单个值（数组公式）"),
    (r"a formula nested too deeply$", lambda m: "公式嵌套过深"),
    (r"an empty formula$", lambda m: "空公式"),
    (r"an incomplete formula$", lambda m: "公式不完整"),
]


def reason_zh(reason: str) -> str:
    """The reason a formula is not computed, in Chinese (the English text where no rule says it)."""
    for rx, fn in _REASONS_ZH:
        m = re.match(rx, reason)
        if m:
            return fn(m)
    return f"无法解析（{reason}）"
