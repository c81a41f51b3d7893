"""Which result cells the tool writes: a computed figure goes into its cell unless the typed one already equals it.

A :class:`Write` is part of an evaluation (:class:`~xlscore.evaluate.selfassess.FormEval` ``.writes``);
:func:`xlscore.write.plan.build_plan` turns them, with the findings, into the write plan an adapter applies.
"""

from __future__ import annotations

from ..records import dataclass
from typing import Any

from ..model import Field
from ..numbers import compare
from .grades import BOXES, checkbox_grade


@dataclass
class Write:
    """A value the tool puts into a result cell (完成率, 得分, 执行率, 总分, grade)."""
    field: Field
    value: Any
    number_format: str | None = None
    what: str = ""


def propose(writes: list[Write], where: Field | None, computed: float | None, printed: float | None,
            decimals: int | None, what: str) -> None:
    """Write *computed* into *where* unless the typed figure already equals it at its precision."""
    if where is None or computed is None:
        return
    is_rate = what.endswith("rate")
    if printed is None or compare(printed, computed, decimals, 0.0, 100 if is_rate else 1) != "ok":
        writes.append(Write(where, round(computed, 6 if is_rate else 4), "0.00%" if is_rate else "0.00", what))


def checkbox_write(writes: list[Write], where: Field, grade: str) -> bool:
    """A grade cell that is a checkbox row: tick *grade* (written only if that changes the row). False when the
    cell is not a checkbox row."""
    raw = where.raw
    if not (isinstance(raw, str) and any(b in raw for b in BOXES)):
        return False
    new = checkbox_grade(raw, grade)
    if new != raw:
        writes.append(Write(where, new, None, "grade"))
    return True
