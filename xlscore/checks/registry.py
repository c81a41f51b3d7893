"""The two registries of checks: per form (:func:`check`) and per workbook (:func:`cross_check`).

Each check is registered with the finding codes it may emit (every one must be in :mod:`.catalogue`); the lists are
ordered as the modules register them (:func:`xlscore.checks.run_checks` and
:func:`xlscore.checks.crosssheet.run_cross_checks` import the modules that do).
"""

from __future__ import annotations

from ..records import dataclass
from typing import Callable

from .catalogue import CATALOGUE


@dataclass(frozen=True)
class Check:
    name: str
    emits: tuple[str, ...]
    fn: Callable
    kinds: tuple[str, ...]


CHECKS: list[Check] = []


def check(*emits: str, kinds: tuple[str, ...] = ("self_assessment",)):
    for code in emits:
        if code not in CATALOGUE:
            raise KeyError(f"check emits unknown code {code!r}: add it to the catalogue")

    def deco(fn):
        CHECKS.append(Check(fn.__name__, emits, fn, kinds))
        return fn
    return deco


@dataclass(frozen=True)
class CrossCheck:
    name: str
    emits: tuple[str, ...]
    fn: Callable


CROSS_CHECKS: list[CrossCheck] = []


def cross_check(*emits: str):
    for code in emits:
        if code not in CATALOGUE:
            raise KeyError(f"cross-sheet check emits unknown code {code!r}: add it to the catalogue")

    def deco(fn):
        CROSS_CHECKS.append(CrossCheck(fn.__name__, emits, fn))
        return fn
    return deco
