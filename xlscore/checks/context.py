"""What the checks look at: a form with every row's values parsed and its rule applied once.

:func:`evaluate_form` does the arithmetic (rates, scores, funds, total, grade) and decides which cells
the tool will write; the checks in :mod:`xlscore.checks.selfassess` compare what was typed with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Field, Form, FundsRow, Indicator
from ..report import Finding
from ..rules.profile import Profile
from ..rules.scoring import Outcome, evaluate, execution_rate_outcome, funds_outcome, rule_method, total_cap
from ..rules.values import Value, parse_value
from ..text import decimals_of, is_placeholder, key as clean_name, parse_amount, parse_number, parse_percent
from ..numbers import compare, fmt_num, fmt_rate  # noqa: F401  (re-exported for checks)
from .catalogue import CATALOGUE


# --------------------------------------------------------------------------- evaluated rows

@dataclass
class Write:
    """A value the tool puts into a result cell (完成率, 得分, 执行率, 总分, grade)."""
    field: Field
    value: Any
    number_format: str | None = None
    what: str = ""


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
class FormContext:
    form: Form
    profile: Profile
    lang: str = "zh"
    rows: list[RowEval] = field(default_factory=list)
    funds: FundsEval | None = None
    total: float | None = None
    total_printed: float | None = None
    total_printed_sum: float | None = None
    grade: str | None = None
    findings: list[Finding] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    suppressed: dict = field(default_factory=dict)   # Deferral → findings not reported under it
    unfilled: bool = False                            # indicators without any actual or score: not scored

    def emit(self, code: str, where: Field | tuple[int, int] | None, *, expected: Any = None, found: Any = None,
             rule: str | None = None, **params) -> Finding:
        d = CATALOGUE[code]
        if isinstance(where, Field):
            row, col, cell = where.row, where.col, where.cell
        elif isinstance(where, tuple):
            from ..grid import address
            row, col = where
            cell = address(row, col)
        else:
            row = col = cell = None
        shown = dict(params)
        shown.setdefault("expected", _show(expected))
        shown.setdefault("found", _show(found))
        shown.setdefault("rule", rule or "")
        shown.setdefault("sheet", self.form.sheet)
        template = d.template_zh if self.lang == "zh" else d.template_en
        try:
            message = template.format(**shown)
        except (KeyError, IndexError):
            message = template
        f = Finding(code=code, severity=d.severity, sheet=self.form.sheet, cell=cell, message=message,
                    expected=expected, found=found, rule=rule, title=d.title(self.lang), row=row, col=col)
        deferral = self._deferral_of(f)
        if deferral is not None:        # the structure could be read two ways here: no error, no warning
            self.suppressed[deferral] = self.suppressed.get(deferral, 0) + 1
            return f
        self.findings.append(f)
        return f

    def _deferral_of(self, f: Finding):
        if f.severity == "info" or f.row is None:
            return None
        for d in self.form.deferred:
            if f.row in d.rows and (d.codes is None or f.code in d.codes):
                return d
        return None

    def report_deferred(self) -> None:
        """One info per unclear reading (the one place where precision-first is decided; see Form.deferred)."""
        for d in self.form.deferred:
            n = self.suppressed.get(d, 0)
            where = (min(d.rows), min(self.form.columns.values(), default=1)) if d.rows else (self.form.header_row, 1)
            zh = d.reason_zh + (f"（因此未报告 {n} 项可能的问题）" if n else "")
            en = d.reason_en + (f" ({n} possible finding(s) not reported)" if n else "")
            self.emit("reading-deferred", where, detail=zh if self.lang == "zh" else en)

    def rule_text(self, row: RowEval) -> str:
        if row.outcome is None:
            return ""
        text = row.outcome.rule_text(self.lang)
        prof = self.profile.title(self.lang)
        return f"{text}（{prof}）" if self.lang == "zh" else f"{text} ({prof})"


def _show(v: Any) -> str:
    if isinstance(v, float):
        return fmt_num(v)
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v):
        return f"{fmt_num(v[0])}–{fmt_num(v[1])}"
    return "—" if v is None else str(v)


# --------------------------------------------------------------------------- evaluation

def _num(f: Field | None) -> float | None:
    return None if f is None else parse_number(f.raw)


def _score_of(f: Field | None) -> tuple[float | None, int | None]:
    if f is None or f.empty or is_placeholder(f.raw):
        return None, None
    return parse_number(f.raw), decimals_of(f.raw)


def _rate_of(f: Field | None) -> tuple[float | None, int | None]:
    if f is None or f.empty or is_placeholder(f.raw):
        return None, None
    return parse_percent(f.raw)


_NUMERIC = re.compile(r"^(?:>=|<=|[≥≤><=＞＜])?\s*[+-]?\d[\d,]*(\.\d+)?$")   # a figure, maybe after an operator


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
    if op in ("≥", "≤", "=", ">", "<", ">=", "<=") and not text.startswith(("≥", "≤", "=", ">", "<")):
        text = op + text
    return text


def evaluate_form(form: Form, profile: Profile, lang: str = "zh") -> FormContext:
    ctx = FormContext(form, profile, lang)
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
        pr, rd = _rate_of(total_row.rate)
        ps, sd = _score_of(total_row.score)
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
        ps, sd = _score_of(ind.score)
        pr, rd = _rate_of(ind.rate)
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

    # an unfilled form (published blank, or a template returned empty): no total of 0 graded 差
    # (a blank template has no indicator rows at all: unfilled too, when its funds are blank as well)
    ctx.unfilled = form.kind == "self_assessment" and (all(
        (r.ind.actual is None or r.ind.actual.empty) and r.printed_score is None for r in ctx.rows) if ctx.rows else
        (ctx.funds is None or (ctx.funds.budget is None and ctx.funds.spent is None)))
    if ctx.unfilled:
        _plan_writes(ctx)
        ctx.writes.clear()
        return ctx

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
        ctx.total_printed, _ = _score_of(form.total_score)
    ctx.grade = profile.grade(ctx.total)
    _plan_writes(ctx)
    return ctx


def _plan_writes(ctx: FormContext) -> None:
    form = ctx.form

    def plan(where: Field | None, computed: float | None, printed: float | None, decimals: int | None,
             what: str) -> None:
        """Write *computed* into *where* unless the typed figure already equals it at its precision."""
        if where is None or computed is None:
            return
        is_rate = what.endswith("rate")
        if printed is None or compare(printed, computed, decimals, 0.0, 100 if is_rate else 1) != "ok":
            ctx.writes.append(Write(where, round(computed, 6 if is_rate else 4), "0.00%" if is_rate else "0.00", what))

    for r in ctx.rows:
        plan(r.ind.rate, r.final_rate, r.printed_rate, r.rate_decimals, "rate")
        plan(r.ind.score, r.final_score, r.printed_score, r.score_decimals, "score")
    f = ctx.funds
    if f is not None:
        plan(f.row.rate, f.rate, f.printed_rate, f.rate_decimals, "funds-rate")
        plan(f.row.score, f.score, f.printed_score, f.score_decimals, "funds-score")
    if form.total_score is not None:
        plan(form.total_score, ctx.total, ctx.total_printed, decimals_of(form.total_score.raw), "total")
    if form.grade is not None and ctx.grade is not None:
        raw = form.grade.raw
        if isinstance(raw, str) and any(b in raw for b in "☐☑□■√☒"):
            new = _checkbox_grade(raw, ctx.grade)
            if new != raw:
                ctx.writes.append(Write(form.grade, new, None, "grade"))
        elif raw is None or grade_of_text(split_grade(raw)[1], ctx.profile) != ctx.grade:
            ctx.writes.append(Write(form.grade, split_grade(raw)[0] + ctx.grade, None, "grade"))


_CHECKED, _UNCHECKED = "☑", "☐"
_GRADE_IN_LABEL = re.compile(r"^\s*[^:：]{0,10}(?:等级|结果)\s*[:：]\s*")


def grade_of_text(shown: str | None, profile: Profile) -> str | None:
    """The band label a written grade names: 优秀 → 优 (headers.GRADE_WORDS) unless 优秀 is itself a label."""
    from ..read.headers import GRADE_WORDS
    if shown is None or shown in {lab for _, lab in profile.grade_bands}:
        return shown
    return GRADE_WORDS.get(shown, shown)


def split_grade(raw) -> tuple[str, str]:
    """A grade cell as (label prefix, grade): ('自评等级：', '良') when label and grade share a cell, else ('', '良')."""
    t = "" if raw is None else str(raw).strip()
    m = _GRADE_IN_LABEL.match(t)
    return (t[:m.end()], t[m.end():].strip()) if m else ("", t)


def checkbox_choice(raw: str) -> str | None:
    """The label ticked in a checkbox row such as '☐优 ☑良 ☐中 ☐差' (or '优☐ 良☑ 中☐ 差☐', the box after its label)."""
    import re
    if _box_after(raw):
        m = re.search(r"([^\s☐☑□■√☒:：]+)\s*[☑■√☒]", raw)
        return m.group(1) if m else None
    m = re.search(r"[☑■√☒]\s*([^\s☐☑□■√☒]+)", raw)
    return m.group(1) if m else None


def _box_after(raw: str) -> bool:
    """'优☐ 良☑ 中☐ 差☐': the row ends with a box, each box follows its label."""
    t = str(raw).rstrip()
    return bool(t) and t[-1] in "☐☑□■√☒"


def _checkbox_grade(raw: str, grade: str) -> str:
    import re
    from ..read.headers import GRADE_WORDS
    if _box_after(raw):
        found = list(re.finditer(r"([^\s☐☑□■√☒:：]+)\s*[☐☑□■√☒]", raw))
        if not found:
            return raw
        return raw[:found[0].start()] + " ".join(
            m.group(1) + (_CHECKED if grade in (m.group(1), GRADE_WORDS.get(m.group(1))) else _UNCHECKED) for m in found)
    parts = re.findall(r"[☐☑□■√☒]\s*([^\s☐☑□■√☒]+)", raw)
    if not parts:
        return raw
    prefix = raw[:re.search(r"[☐☑□■√☒]", raw).start()]        # 评价结果： stays
    return prefix + " ".join((_CHECKED if grade in (p, GRADE_WORDS.get(p)) else _UNCHECKED) + p for p in parts)
