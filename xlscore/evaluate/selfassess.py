"""A self-assessment form evaluated: every row's values parsed and its rule applied once.

:func:`evaluate_form` does the arithmetic (rates, scores, funds, total, grade) and decides which cells the tool
will write (:mod:`.writes`); the checks in :mod:`xlscore.checks.selfassess` compare what was typed with it.
"""

from __future__ import annotations

from ..records import dataclass, field
from typing import Any

from ..model import Field, Form, FundsRow, Indicator, blank
from ..read.headers import SIGNS
from ..rules.profile import Profile
from ..rules.textfigures import name_key
from ..rules.scoring import Outcome, evaluate, execution_rate_outcome, funds_outcome, rule_method, total_cap
from ..rules.values import Value, parse_value
from ..text import decimals_of, is_placeholder, key as clean_name, parse_amount, parse_number, parse_percent, lazy_re
from .grades import grade_of_text, split_grade
from .writes import Write, checkbox_write, propose


# --------------------------------------------------------------------------- evaluated rows

@dataclass
class RowEval:
    ind: Indicator
    target: Value
    actual: Value
    weight: float | None
    method: str | None
    outcome: Outcome | None
    printed_score: float | None
    score_decimals: int | None
    printed_rate: float | None
    rate_decimals: int | None
    final_score: float | None = None
    final_rate: float | None = None

    @property
    def name(self) -> str:
        return self.ind.name


@dataclass
class FundsEval:
    row: FundsRow
    budget: float | None
    spent: float | None
    weight: float | None
    rate: float | None
    score: float | None
    printed_rate: float | None
    rate_decimals: int | None
    printed_score: float | None
    score_decimals: int | None


@dataclass
class SubFundsEval:
    """A funds sub-row (其中：当年财政拨款) that prints its own 执行率 or 得分, evaluated as the total row is."""
    row: FundsRow
    rate: float                      # 全年执行数 / 全年预算数 of the row
    printed_rate: float | None
    rate_decimals: int | None
    weight: float | None             # the row's own 分值, else the block's
    score: float | None              # weight × min(rate, 100%), where the row prints a score and a weight is known
    printed_score: float | None


@dataclass
class FundsSum:
    """One column of one funds breakdown (按收入性质分 / 按支出性质分): its sub-rows added up, and the total row's."""
    attr: str                        # budget_start | budget | spent
    total: Field                     # the total row's cell
    typed: float                     # the figure typed there
    sum: float                       # the sub-rows' figures added up


@dataclass
class WeightSum:
    """The weights of a form added up: the indicators' (or the 一级 blocks' when only their labels carry weights)
    and the funds block's, against the stated total (合计 分值, else the profile's)."""
    found: float                     # all of them
    indicators: float                # the indicators' (or blocks') share of it
    funds: float
    expected: float


@dataclass
class BlockScore:
    """A 一级 block whose label carries the weight (产出指标（50分）): its rows' printed scores added up."""
    name: str
    weight: float
    where: Field
    printed: float | None            # None unless every row of the block prints a score


# a cost indicator that is a per-unit figure, not a total (单个商户平均补助, 人均…, 每场…)
PER_UNIT_WORDS = ("单个", "平均", "人均", "户均", "场均", "每", "单价", "单位成本", "标准", "均价")


@dataclass
class CostTotals:
    """The cost indicators whose targets are amounts of money (成本指标 totals, not per-unit costs), added up."""
    rows: list[RowEval]
    targets: float
    actuals: float | None            # None unless every one states its actual as an amount of money


@dataclass
class FormEval:
    """What the arithmetic gives for one form (no findings: :class:`xlscore.checks.context.FormContext` collects
    those over it)."""
    form: Form
    profile: Profile
    lang: str = "zh"
    rows: list[RowEval] = field(default_factory=list)
    funds: FundsEval | None = None
    total: float | None = None
    total_printed: float | None = None
    total_printed_sum: float | None = None
    grade: str | None = None
    writes: list[Write] = field(default_factory=list)
    unfilled: bool = False                            # indicators without any actual or score: not scored
    funds_subrows: list[SubFundsEval] = field(default_factory=list)
    funds_sums: list[FundsSum] = field(default_factory=list)
    weights: WeightSum | None = None                  # None when the form has no 分值 column (nor block weights)
    blocks: list[BlockScore] = field(default_factory=list)
    costs: CostTotals | None = None                   # None when no cost indicator is a money total
    declared_weights: WeightSum | None = None         # a 绩效目标表's weights (None unless every row has one)


# --------------------------------------------------------------------------- evaluation

def _num(f: Field | None) -> float | None:
    return None if f is None else parse_number(f.raw)


def printed_number(f: Field | None) -> tuple[float | None, int | None]:
    """(the figure typed in *f*, its decimals), or (None, None) for a blank or placeholder cell."""
    if f is None or f.empty or is_placeholder(f.raw):
        return None, None
    return parse_number(f.raw), decimals_of(f.raw)


def printed_rate(f: Field | None) -> tuple[float | None, int | None]:
    """(the rate typed in *f* as a fraction, its decimals), or (None, None)."""
    if f is None or f.empty or is_placeholder(f.raw):
        return None, None
    return parse_percent(f.raw)


_NUMERIC = lazy_re(r"^(?:>=|<=|[≥≤><=＞＜])?\s*[+-]?\d[\d,]*(\.\d+)?$")   # a figure, maybe after an operator


def value_text(ind: Indicator, role: str, header_unit: str | None = None) -> Any:
    """The target or actual as one text: a split layout (符号 | 指标值 | 度量单位, xlscore's templates) is
    joined back (≥ + 95 + % → ≥95%); a bare number under a header that names its unit (指标值（万元）) gets that
    unit; a single-column value is otherwise returned as typed."""
    f: Field | None = getattr(ind, role)
    raw = f.raw if f is not None else None
    op_f, unit_f = ind.extra.get("operator"), ind.extra.get("unit")
    if raw is None or (op_f is None and unit_f is None and not header_unit):
        return raw
    text = f"{raw:.10g}" if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw).strip()
    unit = str(unit_f.raw).strip() if unit_f is not None and unit_f.raw is not None else ""
    if not unit or is_placeholder(unit):
        unit = header_unit or ""
    if unit and not is_placeholder(unit) and _NUMERIC.match(text):
        text += unit
    op = str(op_f.raw).strip() if role == "target" and op_f is not None and op_f.raw is not None else ""
    if op in SIGNS and not text.startswith(("≥", "≤", "=", ">", "<")):
        text = op + text
    return text


def evaluate_form(form: Form, profile: Profile, lang: str = "zh") -> FormEval:
    ctx = FormEval(form, profile, lang)
    year = form.year
    # funds block
    total_row = form.funds_total
    if total_row is not None:
        scale = form.funds_factor          # a block in 元: amounts compared in 万元 like every other figure
        budget, spent = (None if f is None else parse_amount(f.raw) for f in (total_row.budget, total_row.spent))
        budget = None if budget is None else budget * scale
        spent = None if spent is None else spent * scale
        weight = _num(total_row.weight)
        if weight is None and total_row.weight is None:
            weight = form.funds_label_weight      # the block label's (20分), or None
        rate, score = funds_outcome(budget, spent, weight)
        pr, rd = printed_rate(total_row.rate)
        ps, sd = printed_number(total_row.score)
        ctx.funds = FundsEval(total_row, budget, spent, weight, rate, score, pr, rd, ps, sd)

    for ind in form.indicators:
        target = parse_value(value_text(ind, "target", form.column_units.get("target")), role="target", year=year)
        actual = parse_value(value_text(ind, "actual", form.column_units.get("actual")), role="actual", year=year)
        weight = _num(ind.weight)
        method = rule_method(ind.rule.raw) if ind.rule is not None else None
        outcome = None
        if target.kind == "placeholder":   # 预算执行率 with no target of its own (项目管理 block): the funds score
            outcome = execution_rate_outcome(clean_name(ind.name), actual, weight, ctx.funds.rate if ctx.funds else None)
        outcome = outcome or evaluate(target, actual, weight, method, ind.name, profile)
        ps, sd = printed_number(ind.score)
        pr, rd = printed_rate(ind.rate)
        ctx.rows.append(RowEval(ind, target, actual, weight, method, outcome, ps, sd, pr, rd))

    for r in ctx.rows:
        o = r.outcome
        if o is not None and o.score is not None:
            r.final_score = o.score
        elif o is not None and o.band is not None:
            lo, hi = o.band
            if r.printed_score is not None and lo - 1e-9 <= r.printed_score <= hi + 1e-9:
                r.final_score = r.printed_score
            else:
                r.final_score = hi if r.printed_score is None else max(lo, min(hi, r.printed_score))
        elif r.printed_score is not None and r.weight is not None:
            r.final_score = max(0.0, min(r.weight, r.printed_score))   # bounds only
        else:
            r.final_score = r.printed_score
        r.final_rate = o.rate if o is not None else None

    ctx.funds_subrows = _funds_subrows(form, ctx.funds.weight if ctx.funds else None)
    ctx.funds_sums = _funds_sums(form)
    ctx.weights, ctx.blocks = _weights(ctx)
    ctx.costs = _cost_totals(ctx.rows)
    ctx.declared_weights = _declared_weights(ctx)

    # an unfilled form (published blank, or a template returned empty): no total of 0 graded 差
    # (a blank template has no indicator rows at all: unfilled too, when its funds are blank as well)
    ctx.unfilled = form.kind == "self_assessment" and (all(
        (r.ind.actual is None or r.ind.actual.empty) and r.printed_score is None for r in ctx.rows) if ctx.rows else
        (ctx.funds is None or (ctx.funds.budget is None and ctx.funds.spent is None)))
    if ctx.unfilled:
        return ctx                    # nothing is written into an unfilled form

    # total and grade
    scores = [r.final_score for r in ctx.rows]
    funds_score = ctx.funds.score if ctx.funds and ctx.funds.score is not None else (
        ctx.funds.printed_score if ctx.funds else None)
    if ctx.rows:
        ctx.total = (funds_score or 0.0) + sum(s for s in scores if s is not None)
        printed = [r.printed_score for r in ctx.rows]
        if all(p is not None for p in printed):
            pf = ctx.funds.printed_score if ctx.funds else None
            ctx.total_printed_sum = (pf or 0.0) + sum(printed)
    if ctx.rows and "score" not in form.columns and "weight" not in form.columns:
        ctx.total = None           # targets and actuals only (no 分值, no 得分): nothing to add up
    cap = total_cap(profile, ctx.funds.rate if ctx.funds else None)
    if cap is not None and ctx.total is not None and ctx.total > cap:
        ctx.total = cap               # yth2022: a low execution rate caps the total, the excess deducted
    if form.total_score is not None:
        ctx.total_printed, _ = printed_number(form.total_score)
    ctx.grade = profile.grade(ctx.total)
    _plan_writes(ctx)
    return ctx


def _funds_subrows(form: Form, block_weight: float | None) -> list[SubFundsEval]:
    """The sub-rows that print their own 执行率 or 得分 (as the total row does)."""
    out = []
    for r in form.funds:
        if r.is_total or blank(r.rate) and blank(r.score):
            continue
        budget, spent = (None if x is None else parse_amount(x.raw) for x in (r.budget, r.spent))
        if not budget or spent is None:
            continue
        rate = spent / budget
        pr, rd = parse_percent(r.rate.raw) if not blank(r.rate) else (None, None)
        w = parse_number(r.weight.raw) if not blank(r.weight) else block_weight
        ps = parse_number(r.score.raw) if not blank(r.score) else None
        score = w * min(rate, 1.0) if ps is not None and w is not None else None
        out.append(SubFundsEval(r, rate, pr, rd, w, score, ps))
    return out


FUNDS_COLUMNS = ("budget_start", "budget", "spent")


def _funds_sums(form: Form) -> list[FundsSum]:
    """Each breakdown of the funds block (按收入性质分 / 按支出性质分) added up on its own, column by column."""
    total = form.funds_total
    if total is None:
        return []
    groups: dict[int, list] = {}
    for r in form.funds:
        if not r.is_total:
            groups.setdefault(r.group, []).append(r)
    out = []
    for subs in groups.values():
        for attr in FUNDS_COLUMNS:
            tf: Field | None = getattr(total, attr)
            tv = parse_amount(tf.raw) if tf is not None else None
            vals = [parse_amount(getattr(s, attr).raw) if getattr(s, attr) is not None else None for s in subs]
            if tv is None or all(v is None for v in vals):
                continue
            out.append(FundsSum(attr, tf, tv, sum(v for v in vals if v is not None)))
    return out


def _weights(ctx: FormEval) -> tuple[WeightSum | None, list[BlockScore]]:
    form = ctx.form
    total_w = 0.0
    for r in ctx.rows:
        if r.weight is not None:
            total_w += r.weight
    funds_w = ctx.funds.weight if ctx.funds and ctx.funds.weight is not None else 0.0
    stated = parse_number(form.total_weight.raw) if form.total_weight is not None else None
    expected = stated if stated is not None else float(ctx.profile.get("weights", "total", 100))
    if form.block_weights and "weight" not in form.columns:
        blocks = []
        for name, (w, f) in form.block_weights.items():
            scores = [r.printed_score for r in ctx.rows if r.ind.level1 == name]
            printed = sum(scores) if scores and all(s is not None for s in scores) else None
            blocks.append(BlockScore(name, w, f, printed))
        found = sum(w for w, _ in form.block_weights.values()) + funds_w
        return WeightSum(found, found - funds_w, funds_w, expected), blocks
    if not ctx.rows or "weight" not in form.columns:
        return None, []
    return WeightSum(total_w + funds_w, total_w, funds_w, expected), []


def _declared_weights(ctx: FormEval) -> WeightSum | None:
    """A 绩效目标表's weights added up, against its stated total (else 90 or 100, whichever the sum is nearer)."""
    form = ctx.form
    ws = [r.weight for r in ctx.rows]
    if not ws or any(w is None for w in ws):
        return None
    stated = None
    if form.total_weight is not None and not form.total_weight.empty:
        stated = parse_number(form.total_weight.raw)
    total = sum(ws)
    expected = stated if stated is not None else (90.0 if abs(total - 90) < abs(total - 100) else 100.0)
    return WeightSum(total, total, 0.0, expected)


def is_cost_total(r: RowEval) -> bool:
    """A cost indicator (成本 in its level-1 or level-2 class) whose target is an amount of money, not a per-unit cost."""
    ind = r.ind
    in_cost = "成本" in ind.level1 or "成本" in ind.level2
    if not in_cost or r.target.kind != "number" or r.target.unit_kind != "money" or r.target.number is None:
        return False
    return not any(w in name_key(r.name) for w in PER_UNIT_WORDS)


def _cost_totals(rows: list[RowEval]) -> CostTotals | None:
    cost = [r for r in rows if is_cost_total(r)]
    if not cost:
        return None
    money = all(r.actual.kind == "number" and r.actual.unit_kind == "money" and r.actual.number is not None
                for r in cost)
    return CostTotals(cost, sum(r.target.number for r in cost),
                      sum(r.actual.number for r in cost) if money else None)


def _plan_writes(ctx: FormEval) -> None:
    form = ctx.form
    for r in ctx.rows:
        propose(ctx.writes, r.ind.rate, r.final_rate, r.printed_rate, r.rate_decimals, "rate")
        propose(ctx.writes, r.ind.score, r.final_score, r.printed_score, r.score_decimals, "score")
    f = ctx.funds
    if f is not None:
        propose(ctx.writes, f.row.rate, f.rate, f.printed_rate, f.rate_decimals, "funds-rate")
        propose(ctx.writes, f.row.score, f.score, f.printed_score, f.score_decimals, "funds-score")
    if form.total_score is not None:
        propose(ctx.writes, form.total_score, ctx.total, ctx.total_printed, decimals_of(form.total_score.raw), "total")
    if form.grade is not None and ctx.grade is not None and not checkbox_write(ctx.writes, form.grade, ctx.grade):
        raw = form.grade.raw
        if raw is None or grade_of_text(split_grade(raw)[1], ctx.profile) != ctx.grade:
            ctx.writes.append(Write(form.grade, split_grade(raw)[0] + ctx.grade, None, "grade"))
