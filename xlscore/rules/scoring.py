"""Scoring rule kinds for self-assessment indicators, as a registry.

A rule kind turns (target A, actual B, weight w) into a completion rate and an expected score, and
says in plain words what it did, so every finding can cite the rule it applied. The kind of a row
comes from its 赋分规则 label (when the form has one), the target's shape (date, qualitative, number
with an operator) and, for a bare figure, the direction its name implies (纠纷发生率 0% is lower-is-better).

Add a kind with ``@rule_kind(...)``; ``xlscore rules`` lists them from this registry.
"""

from __future__ import annotations

from ..records import dataclass, replace
from typing import Callable

from ..text import key, lazy_re
from .profile import Profile
from .units import compare_units
from .values import Value


@dataclass
class Outcome:
    kind: str                          # rule-kind code
    rate: float | None = None          # completion rate (not capped)
    score: float | None = None         # expected score; None when only a band or nothing can be computed
    band: tuple[float, float] | None = None   # allowed score range (qualitative bands)
    met: bool | None = None
    why_not: str | None = None         # why the score cannot be computed: unit-different, qualitative-actual, …

    def rule_text(self, lang: str) -> str:
        k = RULE_KINDS.get(self.kind)
        if k is None:
            return self.kind
        return k.rule_zh if lang == "zh" else k.rule_en


@dataclass(frozen=True)
class RuleKind:
    code: str
    title_zh: str
    title_en: str
    rule_zh: str
    rule_en: str
    fn: Callable[["Inputs"], Outcome]


RULE_KINDS: dict[str, RuleKind] = {}


def rule_kind(code: str, title_zh: str, title_en: str, rule_zh: str, rule_en: str):
    def deco(fn):
        RULE_KINDS[code] = RuleKind(code, title_zh, title_en, rule_zh, rule_en, fn)
        return fn
    return deco


@dataclass
class Inputs:
    target: Value
    actual: Value
    a: float | None          # target number, reconciled to the actual's unit
    b: float | None          # actual number
    w: float
    profile: Profile


# --------------------------------------------------------------------------- the kinds

@rule_kind("ge", "正向指标", "higher is better",
           "正向指标：实际值≥目标值得满分，否则得分＝分值×实际值/目标值（不超过分值）",
           "higher is better: full marks when actual ≥ target, else weight × actual / target (capped at the weight)")
def _ge(x: Inputs) -> Outcome:
    a, b = x.a, x.b
    if a == 0:
        r = 1.0 if b >= 0 else 0.0
    else:
        r = b / a
    met = b > a if x.target.op == ">" else b >= a - 1e-12
    return Outcome("ge", rate=r, score=x.w * max(0.0, min(1.0, r)), met=met or (x.target.op == ">" and abs(b - a) < 1e-12))


@rule_kind("execution_rate", "预算执行率指标", "budget execution rate row",
           "预算执行率指标（一级为项目决策/项目管理的表格）：得分＝分值×min(执行率,100%)，执行率以资金表为准",
           "budget execution rate row (tables whose 一级 are 项目决策/项目管理): weight × min(rate, 100%), the rate "
           "taken from the funds block")
def _execution_rate(x: Inputs) -> Outcome:
    r = x.b if x.b is not None else 0.0
    return Outcome("execution_rate", rate=r, score=x.w * max(0.0, min(1.0, r)), met=r >= 1 - 1e-12)


EXECUTION_RATE_NAME = lazy_re(r"^(?:项目)?(?:预算|资金)(?:支出)?执行率$")


def execution_rate_outcome(name: str, actual: Value, weight: float | None, funds_rate: float | None) -> Outcome | None:
    """A 预算执行率 row inside the indicator table is the funds score: its rate is the funds block's (or the % typed as
    its actual when there is no funds rate)."""
    if weight is None or not EXECUTION_RATE_NAME.match(name):
        return None
    rate = funds_rate
    if rate is None and actual.kind == "number" and actual.unit == "%":
        rate = actual.number
    if rate is None:
        return None
    return _execution_rate(Inputs(actual, actual, None, rate, weight, None))


@rule_kind("le", "反向指标", "lower is better",
           "反向指标：实际值≤目标值得满分（完成率100%），超出时按所选做法扣分",
           "lower is better: full marks (100%) when actual ≤ target, else reduced by the selected practice")
def _le(x: Inputs) -> Outcome:
    a, b = x.a, x.b
    met = b < a if x.target.op == "<" else b <= a + 1e-12
    if b <= a + 1e-12:
        r = 1.0
    elif a <= 0:
        r = 0.0
    elif x.profile.get("scoring", "lower_is_better_practice", "ratio") == "linear":
        r = max(0.0, 1.0 - (b - a) / a)
    else:
        r = a / b
    return Outcome("le", rate=r, score=x.w * max(0.0, min(1.0, r)), met=met or abs(b - a) < 1e-12)


@rule_kind("eq", "等于目标", "equal to target",
           "等值指标：实际值＝目标值得满分，否则按正向指标计分（目标为0时超过即不得分）",
           "equal to target: full marks when actual = target, else scored as higher-is-better (target 0: any excess scores 0)")
def _eq(x: Inputs) -> Outcome:
    a, b = x.a, x.b
    if abs(b - a) <= 1e-9 * max(1.0, abs(a)):
        return Outcome("eq", rate=1.0, score=x.w, met=True)
    if a == 0:
        ok = b <= 0
        return Outcome("eq", rate=1.0 if ok else 0.0, score=x.w if ok else 0.0, met=ok)
    r = b / a
    return Outcome("eq", rate=r, score=x.w * max(0.0, min(1.0, r)), met=False)


@rule_kind("range", "区间指标", "range",
           "区间指标：实际值在区间内得满分，否则不得分",
           "range: full marks inside the range, none outside")
def _range(x: Inputs) -> Outcome:
    lo, hi = x.target.number, x.target.upper
    ok = (lo is None or x.b >= lo - 1e-12) and (hi is None or x.b <= hi + 1e-12)
    return Outcome("range", rate=1.0 if ok else 0.0, score=x.w if ok else 0.0, met=ok)


@rule_kind("tolerance", "偏差容忍区间", "tolerance band",
           "容忍区间：|实际值|≤容差得满分，否则不得分",
           "tolerance band: full marks when |actual| ≤ tolerance, none otherwise")
def _tolerance(x: Inputs) -> Outcome:
    ok = abs(x.b) <= (x.target.number or 0) + 1e-12
    return Outcome("tolerance", rate=1.0 if ok else 0.0, score=x.w if ok else 0.0, met=ok)


@rule_kind("all_or_nothing", "直接赋分", "all or nothing",
           "直接赋分：达到目标得满分，未达到不得分",
           "all or nothing: full marks when the target is met, none otherwise")
def _all_or_nothing(x: Inputs) -> Outcome:
    inner = _direction_kind(x.target, "")
    base = RULE_KINDS[inner].fn(x)
    ok = bool(base.met)
    return Outcome("all_or_nothing", rate=base.rate, score=x.w if ok else 0.0, met=ok)


@rule_kind("satisfaction", "满意度赋分", "satisfaction",
           "满意度赋分：满意度≥目标值得满分，否则得分＝分值×满意度/目标值（不超过分值）",
           "satisfaction: full marks at or above the target rate, else weight × rate / target (capped)")
def _satisfaction(x: Inputs) -> Outcome:
    if x.profile.get("scoring", "satisfaction_practice", "target") == "rate":
        r = x.b / x.a if x.a else 1.0
        return Outcome("satisfaction", rate=r, score=x.w * max(0.0, min(1.0, x.b)), met=x.b >= x.a)
    out = _ge(x)
    out.kind = "satisfaction"
    return out


@rule_kind("deadline", "时限指标", "deadline",
           "时限指标：在期限内完成得满分，逾期按配置扣分（默认不得分）",
           "deadline: full marks when done by the deadline, otherwise the configured share (none by default)")
def _deadline(x: Inputs) -> Outcome:
    t, a = x.target, x.actual
    due = t.end_date or t.date
    done = a.end_date or a.date
    if due is None or done is None:
        return Outcome("deadline", why_not="date-missing")
    if t.kind == "date_range" or t.deadline or t.op in ("<=", "<", None):
        same_day = x.profile.get("scoring", "deadline_same_day_met", True)
        ok = done < due or (done == due and same_day)
    else:  # "=" a date: done on that day
        ok = done == due
    frac = float(x.profile.get("scoring", "deadline_missed_fraction", 0.0))
    return Outcome("deadline", rate=1.0 if ok else 0.0, score=x.w if ok else x.w * frac, met=ok)


@rule_kind("qualitative", "定性指标（评判等级）", "qualitative bands",
           "定性指标：达成得分在分值的80%–100%，部分达成60%–80%，未达成0–60%",
           "qualitative: 达成 scores 80–100% of the weight, 部分达成 60–80%, 未达成 0–60%")
def _qualitative(x: Inputs) -> Outcome:
    level = x.actual.level
    bands = x.profile.get("scoring", "qualitative_bands", {})
    if level not in bands:
        return Outcome("qualitative", why_not="level-unknown")
    lo, hi = bands[level]
    return Outcome("qualitative", rate=1.0 if level == "达成" else None,
                   band=(x.w * lo, x.w * hi), met=level == "达成")


# --------------------------------------------------------------------------- choosing the kind

RULE_LABELS: dict[str, tuple[str, ...]] = {
    "proportional": ("按照完成比例赋分", "按完成比例赋分", "按比例赋分", "完成比例赋分", "按完成率赋分", "按照完成率赋分"),
    "all_or_nothing": ("直接赋分", "达到即得分", "完成得满分"),
    "grade_bands": ("按评判等级赋分", "按照等级赋分", "按等级赋分", "评判等级赋分", "等级赋分", "按照评判等级赋分"),
    "satisfaction": ("满意度赋分", "按满意度赋分"),
}
_LABEL_INDEX = {key(lbl): method for method, labels in RULE_LABELS.items() for lbl in labels}

# bare figures whose name says lower is better (退货退券率 0%, 纠纷发生率 0%, 差错率)
_LOWER_IS_BETTER = lazy_re(r"(差错|错误|投诉|纠纷|退货|退券|事故|故障|发生率|逾期|超支|损失|违规|流失|空置|返工|失误|偏差率|成本)")


def rule_method(label: object) -> str | None:
    """'proportional' | 'all_or_nothing' | 'grade_bands' | 'satisfaction' for a known 赋分规则 label."""
    return _LABEL_INDEX.get(key(label)) if label else None


def _direction_kind(target: Value, name: str) -> str:
    op = target.op
    if op in (">=", ">"):
        return "ge"
    if op in ("<=", "<"):
        return "le"
    if op == "=":
        return "eq"
    if op == "between":
        return "range"
    if op == "abs<=":
        return "tolerance"
    return "le" if _LOWER_IS_BETTER.search(name or "") else "ge"


def choose_kind(target: Value, actual: Value, method: str | None, name: str) -> str | None:
    if target.kind in ("date", "date_range"):
        return "deadline"
    if target.kind == "qualitative" or (method == "grade_bands" and target.kind not in ("number", "range")):
        return "qualitative"
    if target.kind not in ("number", "range"):
        return None
    if method == "satisfaction":
        return "satisfaction"
    if method == "all_or_nothing":
        return "all_or_nothing"
    return _direction_kind(target, name)


def reconcile(target: Value, actual: Value) -> tuple[float | None, float | None, str]:
    """Target and actual numbers in one unit, and how the units compare
    ('same' | 'synonym' | 'different' | 'missing_both' | 'missing_one')."""
    a, b = target.number, actual.number
    cmp = compare_units(target.unit, actual.unit)
    if cmp == "missing_one" and a is not None and b is not None:
        # 95% against a bare 95: read the bare figure as a percentage
        if target.unit == "%" and actual.unit is None and b > 1.5:
            b = b / 100.0
        elif actual.unit == "%" and target.unit is None and a > 1.5:
            a = a / 100.0
    return a, b, cmp


def evaluate(target: Value, actual: Value, weight: float | None, method: str | None, name: str,
             profile: Profile) -> Outcome | None:
    """The outcome of one indicator row, or None when there is no usable target."""
    kind = choose_kind(target, actual, method, name)
    if kind is None:
        return None
    w = weight if weight is not None else 0.0
    if kind == "deadline":
        if actual.kind not in ("date", "date_range"):
            return Outcome(kind, why_not="actual-not-date" if actual.kind != "placeholder" else "actual-missing")
        return RULE_KINDS[kind].fn(Inputs(target, actual, None, None, w, profile))
    if kind == "qualitative":
        if actual.kind != "qualitative":
            return Outcome(kind, why_not="actual-missing" if actual.kind == "placeholder" else "actual-not-qualitative")
        return RULE_KINDS[kind].fn(Inputs(target, actual, None, None, w, profile))
    # numeric kinds
    if actual.kind == "placeholder":
        return Outcome(kind, why_not="actual-missing")
    if actual.kind == "qualitative":
        return Outcome(kind, why_not="qualitative-actual")
    if actual.kind != "number" or actual.number is None or target.number is None:
        return Outcome(kind, why_not="actual-unparseable")
    if ("relative-change" in target.notes) != ("relative-change" in actual.notes):
        return Outcome(kind, why_not="change-vs-level")      # 提升10% against 95%: a change is not a level
    a, b, cmp = reconcile(target, actual)
    if cmp == "different":
        return Outcome(kind, why_not="unit-different")
    return _deviation_penalty(RULE_KINDS[kind].fn(Inputs(target, actual, a, b, w, profile)), profile)


def _deviation_penalty(o: Outcome, profile: Profile) -> Outcome:
    """指标偏离 (profile yth2022): an actual that exceeds its target by the profile's threshold loses fixed points."""
    threshold = profile.get("scoring", "deviation_penalty_threshold", None)
    if threshold is None or o.score is None or o.rate is None or o.kind not in ("ge", "eq", "satisfaction"):
        return o
    if o.rate >= float(threshold) - 1e-9:
        points = float(profile.get("scoring", "deviation_penalty_points", 2))
        return replace(o, score=max(0.0, o.score - points))
    return o


def total_cap(profile: Profile, funds_rate: float | None) -> float | None:
    """The ceiling a low budget execution rate puts on the total (profile [total_cap] bands), or None."""
    if funds_rate is None:
        return None
    for low, high, cap in profile.get("total_cap", "bands", []) or []:
        if low - 1e-9 <= funds_rate < high - 1e-9:
            return float(cap)
    return None


def funds_outcome(budget: float | None, spent: float | None, weight: float | None) -> tuple[float | None, float | None]:
    """执行率 = 全年执行数 / 全年预算数 ; 得分 = 分值 × min(执行率, 100%)."""
    if budget is None or spent is None or budget <= 0:
        return None, None
    rate = spent / budget
    score = None if weight is None else weight * min(rate, 1.0)
    return rate, score
