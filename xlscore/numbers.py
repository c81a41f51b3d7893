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
