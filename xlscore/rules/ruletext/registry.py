"""The one place where rule kinds are registered, in the order they are tried (most specific first).

Each family module declares its kind(s) with :func:`.core.rule_kind`; this list decides which one wins when two
could read a text. Adding a family: write its module, import it here, put its name in :data:`ORDER`.
"""

from __future__ import annotations

from . import (all_or_nothing, bands, budget, checklist, delay, fixed_points, judgement, per_finding,  # noqa: F401
               per_unit, proportional_deduction, rate, satisfaction, step, target, threshold, tiers, tolerance)
from .core import DECLARED, KINDS_BY_NAME, RULE_KINDS

ORDER = (
    "budget-overrun-bands",      # budget: 超出预算10%至20%…扣1分
    "satisfaction-bands",        # satisfaction: ≥90%得5分，每减少10%扣1分
    "rate-bands",                # bands: ≥90%计5分；80%(含)-90%计4分…
    "tolerance-band",            # tolerance: ±5%区间得满分，每超出1%扣…
    "weighted-checklist",        # checklist: 每项占20%、20%…权重分
    "step-per-percent",          # step: 每低于目标值1%扣5%权重分
    "per-missing-unit",          # per_unit: 每少一家扣20%权重分
    "per-delay",                 # delay: 每延迟1个月扣1分
    "per-finding",               # per_finding: 每发现1处不符合扣…
    "threshold-proportional",    # threshold: ≥95%得3分，否则按实际执行率*权重
    "proportional-rate",         # rate: 按实际完成率*权重
    "formula-discretion",        # rate: 公式计算，同时酌情调整
    "proportional-target",       # target: 按实际值/目标值*权重
    "proportional-deduction",    # proportional_deduction: 按比例扣分
    "all-or-nothing",            # all_or_nothing: 按时完成得满分，否则不得分
    "tiers",                     # tiers: 健全的得10分，基本健全的得6分，不健全的扣10分
    "fixed-points",              # fixed_points: ①制度健全（3分）；②执行有效（2分）
    "judgement",                 # judgement: 酌情扣分 / 据此核定分数 / no rule
)


def register() -> None:
    missing = set(DECLARED) - set(ORDER)
    unknown = set(ORDER) - set(DECLARED)
    if missing or unknown:
        raise RuntimeError(f"rule kinds not ordered: {sorted(missing)}; ordered but not declared: {sorted(unknown)}")
    RULE_KINDS[:] = [DECLARED[n] for n in ORDER]
    KINDS_BY_NAME.clear()
    KINDS_BY_NAME.update((k.name, k) for k in RULE_KINDS)


register()
