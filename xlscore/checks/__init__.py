"""Checks: functions registered with the codes they may emit, run over every evaluated form.

A check receives a :class:`~xlscore.checks.context.FormContext` (the form's evaluation, :mod:`xlscore.evaluate`,
with a findings collector over it) and calls ``ctx.emit(code, cell, …)`` for each finding; it compares what was
typed with what was computed, does no arithmetic of its own beyond that comparison, and never raises on bad data.
The registry (:mod:`.registry`) is ordered; ``xlscore rules`` lists the codes from :mod:`xlscore.checks.catalogue`.
"""

from __future__ import annotations

from .registry import CHECKS, Check, check

__all__ = ["CHECKS", "Check", "check", "run_checks"]


def run_checks(ctx) -> None:
    from . import selfassess  # noqa: F401  (registers the checks)
    from . import crosstext  # noqa: F401  (goal text, money and 偏差原因 checks)
    from . import targets  # noqa: F401  (target review on 绩效目标表)
    # the scoring trees' checks (.scoring) are registered by importing ScoringContext, which every scoring form's
    # context is: a workbook of self-assessment forms does not import them (nor the rule-text grammar behind them).
    # Only they check the kind "scoring", so when they register does not change the order of any form's checks.
    if ctx.unfilled:                # nothing typed to check: one info, no findings on empty cells
        zh = ctx.lang == "zh"
        if ctx.rows:
            detail = (f"{len(ctx.rows)} 个指标都没有实际完成值和得分" if zh
                      else f"none of its {len(ctx.rows)} indicators has an actual or a score")
        else:
            detail = "没有填写任何指标和资金" if zh else "no indicator and no funds are filled in"
        ctx.emit("form-unfilled", (ctx.form.header_row, min(ctx.form.columns.values(), default=1)), detail=detail)
        return
    for c in CHECKS:
        if ctx.form.kind in c.kinds:
            c.fn(ctx)
    ctx.report_deferred()
