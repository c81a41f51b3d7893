"""Printed figures: how xlscore shows numbers and rates, and how it compares a typed figure with a
computed one at the precision it was typed (domain.md, "rounding")."""

from __future__ import annotations

import math
from typing import Any


def fmt_num(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, (int, float)):
        if math.isclose(x, round(x), abs_tol=1e-9):
            return str(int(round(x)))
        return f"{x:.4f}".rstrip("0").rstrip(".") if abs(x - round(x, 2)) > 1e-9 else f"{x:.2f}".rstrip("0").rstrip(".")
    return str(x)


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 100:.2f}".rstrip("0").rstrip(".") + "%"


def compare(found: float, expected: float, decimals: int | None, tol: float, unit: float = 1.0) -> str:
    """'ok' | 'rounding' | 'mismatch' for a printed figure against the computed one.

    *decimals* is the precision the figure was printed with (None for a real number cell: 2 assumed),
    *unit* scales it (100 for percentages printed as 105%). Equal at the printed precision → ok; within
    the tolerance, or a truncation, or one unit of the last printed digit → rounding; else mismatch."""
    diff = abs(found - expected)
    if diff <= 1e-9:
        return "ok"
    d = 2 if decimals is None else decimals
    step = 10.0 ** (-d) / unit
    if abs(round(expected * unit, d) / unit - found) <= 1e-9:
        return "ok"
    if diff <= tol + 1e-9 or diff < step - 1e-9:
        return "rounding"
    return "mismatch"


# --------------------------------------------------------------------------- hostile figures

BIG = 1e30                 # no figure on a form comes near; past it, arithmetic soon overflows a float
_LONG_DIGITS = None


def tame(value: Any) -> Any:
    """A cell value as the checks may safely read it: a number of any length (a 400-digit integer, 1e400) or a
    text holding a run of more than 30 digits becomes a marker text the checks read as unrecognised, so
    nothing downstream overflows (``float(10**400)``, ``round(inf)``). Ordinary values pass unchanged."""
    global _LONG_DIGITS
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if -BIG < value < BIG:
            return value
        return f"〈{len(str(abs(value)))}位数字〉"
    if isinstance(value, float):
        if math.isfinite(value) and abs(value) < BIG:
            return value
        return "〈数值过大〉"
    if isinstance(value, str) and len(value) > 30:
        if _LONG_DIGITS is None:
            import re
            _LONG_DIGITS = re.compile(r"\d{31,}")
        if _LONG_DIGITS.search(value):
            return _LONG_DIGITS.sub(lambda m: f"〈{len(m.group())}位数字〉", value)
    return value
