"""Checks on a self-assessment form (项目支出 / 单位整体支出绩效自评表), decidable from the form itself.

Each function is registered with the finding codes it may emit (see the catalogue). They read the
evaluated context and compare what the clerk typed with what the rules give.
"""

from __future__ import annotations

from ..model import Field, blank as _blank
from ..records import fields, is_record
from ..read.headers import COLUMN_SYNONYMS
from ..rules.values import describe
from ..text import artefacts, clean, decimals_of, is_placeholder, parse_amount, parse_number
from ..evaluate.grades import checkbox_choice, grade_of_text, split_grade
from ..evaluate.selfassess import RowEval
from .context import FormContext, compare, fmt_num, fmt_rate
from .registry import check

EPS = 1e-9


def _what(ctx: FormContext, role: str) -> str:
    zh = {"target": "目标值", "actual": "实际值"}
    return zh[role] if ctx.lang == "zh" else role


def _desc(ctx: FormContext, v) -> str:
    return describe(v, ctx.lang) if v is not None else "—"


# --------------------------------------------------------------------------- structure

_COLUMN_NAMES = {"weight": ("分值", "weight"), "score": ("得分", "score")}


@check("total-missing", "columns-missing", "weights-not-printed", "rate-column-missing", "quantitative-share")
def structure(ctx: FormContext) -> None:
    form = ctx.form
    if "weight" not in form.columns and form.block_weights and ctx.rows:
        blocks = "、".join(clean(name) if "分" in name else f"{clean(name)}{fmt_num(w)}分"
                          for name, (w, _) in form.block_weights.items())
        ctx.emit("weights-not-printed", (form.header_row, min(form.columns.values(), default=1)), blocks=blocks)
    missing = [r for r in ("weight", "score") if r not in form.columns and not (r == "weight" and form.block_weights)]
    if missing and "actual" in form.columns and ctx.rows:
        zh = ctx.lang == "zh"
        ctx.emit("columns-missing", (form.header_row, min(form.columns.values(), default=1)),
                 missing=("、" if zh else ", ").join(_COLUMN_NAMES[r][0 if zh else 1] for r in missing),
                 found=("、" if zh else ", ").join(
                     (COLUMN_SYNONYMS[r][0] if zh and r in COLUMN_SYNONYMS else r)
                     for r, _ in sorted(form.columns.items(), key=lambda t: t[1])))
    if form.total_row is None and ctx.rows:
        where = (form.header_row, form.columns["score"]) if "score" in form.columns else None
        ctx.emit("total-missing", where, expected=round(ctx.total, 4) if ctx.total is not None else None)
    if "rate" not in form.columns and ctx.rows:
        ctx.emit("rate-column-missing", (form.header_row, min(form.columns.values(), default=1)))
    rows = [r for r in ctx.rows if r.weight is None or r.weight > 0]
    if rows:
        quant = sum(1 for r in rows if r.target.kind in ("number", "range", "date", "date_range"))
        share = quant / len(rows)
        floor = float(ctx.profile.get("scoring", "quantitative_share_min", 0.7))
        if share < floor - EPS:
            ctx.emit("quantitative-share", (form.header_row, min(form.columns.values(), default=1)),
                     expected=fmt_rate(floor), found=fmt_rate(share), count=quant, total=len(rows))


def _funds_subrow_rates(ctx: FormContext) -> None:
    """A sub-row (其中：当年财政拨款) that prints its own 执行率 and 得分 (as the total row does) is checked the same way."""
    for sub in ctx.funds_subrows:
        r = sub.row
        if sub.printed_rate is not None and compare(sub.printed_rate, sub.rate, sub.rate_decimals, 0.0, 100) == "mismatch":
            ctx.emit("funds-rate-mismatch", r.rate, expected=fmt_rate(sub.rate), found=fmt_rate(sub.printed_rate))
        if sub.score is not None:
            verdict = compare(sub.printed_score, sub.score, decimals_of(r.score.raw), ctx.profile.score_tolerance)
            if verdict != "ok":
                ctx.emit("funds-score-mismatch" if verdict == "mismatch" else "funds-score-rounding", r.score,
                         expected=round(sub.score, 4), found=sub.printed_score,
                         rule=_funds_rule(ctx))


def _funds_rule(ctx: FormContext) -> str:
    return ("预算执行率得分＝分值×min(执行率,100%)" if ctx.lang == "zh"
            else "funds score = weight × min(execution rate, 100%)")


@check("indicator-blank")
def blank_indicators(ctx: FormContext) -> None:
    """A named indicator left with nothing against it, in a form whose other rows are filled."""
    if sum(1 for r in ctx.rows if not _blank(r.ind.target)) < 2:
        return
    for row, col, name in ctx.form.blank_rows:
        ctx.emit("indicator-blank", (row, col), name=name)


# --------------------------------------------------------------------------- funds block

@check("funds-rate-mismatch", "funds-rate-rounding", "funds-score-mismatch", "funds-score-rounding",
       "funds-score-missing")
def funds_total(ctx: FormContext) -> None:
    f = ctx.funds
    if f is None:
        return
    _funds_subrow_rates(ctx)
    if f.score is not None and f.printed_score is None and f.row.score is not None and f.row.score.empty \
            and "score" not in ctx.form.auto_columns:
        ctx.emit("funds-score-missing", f.row.score, expected=round(f.score, 4), weight=fmt_num(f.weight))
    if f.rate is not None and f.printed_rate is not None:
        verdict = compare(f.printed_rate, f.rate, f.rate_decimals, 0.0, 100)
        if verdict != "ok":
            ctx.emit("funds-rate-mismatch" if verdict == "mismatch" else "funds-rate-rounding", f.row.rate,
                     expected=fmt_rate(f.rate), found=fmt_rate(f.printed_rate))
    if f.score is not None and f.printed_score is not None:
        verdict = compare(f.printed_score, f.score, f.score_decimals, ctx.profile.score_tolerance)
        if verdict != "ok":
            rule = _funds_rule(ctx)
            ctx.emit("funds-score-mismatch" if verdict == "mismatch" else "funds-score-rounding", f.row.score,
                     expected=round(f.score, 4), found=f.printed_score, rule=rule)


@check("funds-subrows-sum", "funds-overspent")
def funds_rows(ctx: FormContext) -> None:
    form = ctx.form
    if form.funds_total is None:
        return
    labels = {"budget_start": "年初预算数", "budget": "全年预算数", "spent": "全年执行数"}
    for fs in ctx.funds_sums:             # each breakdown (按收入性质分 / 按支出性质分) adds up on its own
        if abs(fs.sum - fs.typed) > 0.005:
            ctx.emit("funds-subrows-sum", fs.total, expected=round(fs.sum, 4), found=fs.typed,
                     column=labels[fs.attr] if ctx.lang == "zh" else fs.attr)
    total_over = False
    for r in sorted(form.funds, key=lambda r: not r.is_total):   # the total first: a sub-row only says it again
        b = parse_amount(r.budget.raw) if r.budget is not None else None
        s = parse_amount(r.spent.raw) if r.spent is not None else None
        if b is not None and s is not None and s > b + 0.005 and not (total_over and not r.is_total):
            total_over = total_over or r.is_total
            ctx.emit("funds-overspent", r.spent, expected=b, found=s, label=clean(r.label),
                     rate=fmt_rate(s / b) if b else "—")


# --------------------------------------------------------------------------- weights

@check("weights-sum", "weight-zero", "weight-missing", "block-score-exceeds")
def weights(ctx: FormContext) -> None:
    form = ctx.form
    for r in ctx.rows:
        if r.weight is None:
            if r.ind.weight is not None:
                ctx.emit("weight-missing", r.ind.weight, found=r.ind.weight.raw, name=r.name)
            continue
        if abs(r.weight) < EPS:
            ctx.emit("weight-zero", r.ind.weight, found=0, name=r.name)
    ws = ctx.weights
    if ws is None:
        return
    tol = ctx.profile.score_tolerance
    for b in ctx.blocks:            # weights only in the 一级 labels: each block's printed scores within its points
        if b.printed is not None and b.printed > b.weight + tol:
            ctx.emit("block-score-exceeds", b.where, expected=b.weight, found=round(b.printed, 4),
                     name=clean(b.name).split("(")[0])
    if abs(ws.found - ws.expected) > 0.005:
        if ctx.blocks:              # what the missing per-row weights leave open is said once (reading-deferred)
            where = form.total_weight or ctx.blocks[0].where
            part = form.part_weight
            if form.total_weight is None and part is not None and abs(part[0] - ws.indicators) > 0.005:
                where = part[1]     # 年度绩效目标（80分) over blocks of 60 + 40: the label that disagrees is the cell
        else:
            where = form.total_weight if form.total_weight is not None else (form.header_row, form.columns["weight"])
        ctx.emit("weights-sum", where, expected=ws.expected, found=round(ws.found, 4),
                 indicators=fmt_num(ws.indicators), funds=fmt_num(ws.funds))


# --------------------------------------------------------------------------- values

_DATE_DETAIL = {
    "garbled-date": ("日期文字残缺或多余（如“前日”）", "garbled text around the date"),
    "eq-deadline": ("“=”与“前”同时出现", "'=' combined with '前' (before)"),
    "missing-day-char": ("缺少“日”字", "the character 日 is missing"),
}


def _date_findings(ctx: FormContext, r: RowEval, role: str) -> None:
    v = getattr(r, role)
    f: Field | None = getattr(r.ind, role)
    if f is None or v.kind not in ("date", "date_range"):
        return
    bad = [n for n in v.notes if n in _DATE_DETAIL]
    shown = _desc(ctx, v)
    if bad:
        detail = "；".join(_DATE_DETAIL[n][0] for n in bad) if ctx.lang == "zh" else "; ".join(_DATE_DETAIL[n][1] for n in bad)
        ctx.emit("date-malformed", f, expected=shown, found=clean(f.raw), name=r.name, what=_what(ctx, role),
                 detail=detail)
    elif "yearless" in v.notes or not v.year_given:
        ctx.emit("date-yearless", f, expected=shown, found=clean(f.raw), name=r.name, what=_what(ctx, role))


@check("value-unparseable", "actual-missing", "unit-mismatch", "unit-synonym", "unit-missing",
       "qualitative-actual", "date-malformed", "date-yearless")
def values(ctx: FormContext) -> None:
    from ..rules.units import compare_units
    for r in ctx.rows:
        if r.ind.target is not None and r.target.kind == "unparseable":
            ctx.emit("value-unparseable", r.ind.target, found=clean(r.ind.target.raw), name=r.name,
                     what=_what(ctx, "target"))
        if r.ind.actual is not None and r.actual.kind == "unparseable":
            ctx.emit("value-unparseable", r.ind.actual, found=clean(r.ind.actual.raw), name=r.name,
                     what=_what(ctx, "actual"))
        _date_findings(ctx, r, "target")
        _date_findings(ctx, r, "actual")
        o = r.outcome
        if o is None:
            continue
        if o.why_not == "actual-missing" and r.ind.actual is not None:
            ctx.emit("actual-missing", r.ind.actual, target=_desc(ctx, r.target), name=r.name)
        if o.why_not == "qualitative-actual":
            ctx.emit("qualitative-actual", r.ind.actual, found=clean(r.ind.actual.raw), target=_desc(ctx, r.target),
                     name=r.name)
        if r.target.kind == "number" and r.actual.kind == "number":
            cmp = compare_units(r.target.unit, r.actual.unit)
            tu, au = r.target.unit or "—", r.actual.unit or "—"
            if cmp == "different":
                ctx.emit("unit-mismatch", r.ind.actual, expected=tu, found=au, name=r.name)
            elif cmp == "synonym":
                ctx.emit("unit-synonym", r.ind.actual, expected=tu, found=au, name=r.name)
            elif cmp == "missing_both" and not _money_by_class(r):
                # a bare figure beside one with a unit is in that unit (real forms: ≥50个 | 50)
                ctx.emit("unit-missing", r.ind.target,
                         expected=tu, found=au, name=r.name, target=clean(r.ind.target.raw),
                         actual=clean(r.ind.actual.raw))


_MAGNITUDE_END = ("万", "亿", "千")


def _money_by_class(r: RowEval) -> bool:
    """45万 | 45万 under 成本指标: an amount of money by its class (万 of 元), not a figure without a unit."""
    if "成本" not in r.ind.level1 + r.ind.level2:
        return False
    raws = [clean(f.raw) for f in (r.ind.target, r.ind.actual) if f is not None]
    return bool(raws) and all(x.endswith(_MAGNITUDE_END) for x in raws)


_RATE_WORDS = ("率", "进度", "比例", "占比")      # names that are a share: a percentage is their natural value


@check("indicator-kind-mismatch")
def indicator_kind(ctx: FormContext) -> None:
    zh = ctx.lang == "zh"
    for r in ctx.rows:
        name = clean(r.name)
        t = r.target
        where = r.ind.target or r.ind.name_field
        if name.endswith("率") and t.kind == "number" and t.unit_kind in ("money", "money_rate"):
            ctx.emit("indicator-kind-mismatch", where, found=clean(r.ind.target.raw), name=name,
                     detail=(f"名称是比率，指标值却是金额（{clean(r.ind.target.raw)}）" if zh
                             else f"named as a rate but holds money ({clean(r.ind.target.raw)})"))
        elif "时效" in r.ind.level2 and t.kind in ("number", "range") and not any(w in name for w in _RATE_WORDS):
            # …及时率 100% / 按期完成率 ≥90% / 执行项目进度 100%: a timeliness indicator stated as a rate or a share of
            # progress is normal (published forms use it everywhere); an event (项目按期执行) holding ≥100% is not
            ctx.emit("indicator-kind-mismatch", where, found=clean(r.ind.target.raw), name=name,
                     detail=(f"属于时效指标，指标值却不是日期或期限（{clean(r.ind.target.raw)}）" if zh
                             else f"is a timeliness indicator but its target is not a date ({clean(r.ind.target.raw)})"))
        elif any(k in r.ind.level2 for k in ("社会成本", "生态环境成本", "生态成本")) and t.unit_kind in ("money", "money_rate"):
            ctx.emit("indicator-kind-mismatch", where, found=r.ind.level2, name=name,
                     detail=(f"金额指标被归入「{r.ind.level2}」，应为经济成本指标" if zh
                             else f"a money amount classed as '{r.ind.level2}' instead of 经济成本指标"))


@check("text-artefact")
def text_artefacts(ctx: FormContext) -> None:
    names = {"tab": ("制表符", "tab characters"), "bookmark": ("Word 书签标记", "a Word bookmark"),
             "zero-width": ("不可见字符", "invisible characters")}
    fields: list[Field] = []
    for r in ctx.rows:
        fields += [f for f in (r.ind.name_field, r.ind.target, r.ind.actual, r.ind.reason) if f is not None]
    fields += [f for f in (ctx.form.goal_expected, ctx.form.goal_actual) if f is not None]
    fields += [f for f in ctx.form.header.values()]
    for f in fields:
        if isinstance(f.raw, str):
            found = artefacts(f.raw)
            if found:
                detail = "、".join(names[n][0] for n in found) if ctx.lang == "zh" else ", ".join(names[n][1] for n in found)
                shown = f.raw.replace("\t", "⇥")
                ctx.emit("text-artefact", f, found=shown[:60] + ("…" if len(shown) > 60 else ""), detail=detail)


# --------------------------------------------------------------------------- completion rates

@check("lower-better-not-inverted", "rate-mismatch", "rate-rounding", "rate-over-100", "overachievement-review")
def rates(ctx: FormContext) -> None:
    threshold = float(ctx.profile.get("scoring", "overachievement_review", 1.2))
    need_expl = bool(ctx.profile.get("scoring", "overachievement_explanation_required", False))
    for r in ctx.rows:
        o = r.outcome
        if o is None or o.rate is None:
            continue
        if r.ind.rate is not None and r.printed_rate is not None:
            if o.kind == "le" and o.met and r.printed_rate < 1 - EPS:
                ctx.emit("lower-better-not-inverted", r.ind.rate, expected=fmt_rate(1.0), found=fmt_rate(r.printed_rate),
                         name=r.name, target=_desc(ctx, r.target), actual=_desc(ctx, r.actual))
            else:
                verdict = compare(r.printed_rate, o.rate, r.rate_decimals, 0.0, 100)
                if verdict != "ok":
                    ctx.emit("rate-mismatch" if verdict == "mismatch" else "rate-rounding", r.ind.rate,
                             expected=fmt_rate(o.rate), found=fmt_rate(r.printed_rate), name=r.name,
                             rule=ctx.rule_text(r))
        where = r.ind.rate or r.ind.score or r.ind.actual
        if o.rate > 1 + EPS and o.kind not in ("deadline", "qualitative"):
            ctx.emit("rate-over-100", where, found=fmt_rate(o.rate), name=r.name, weight=fmt_num(r.weight))
        if o.rate >= threshold - EPS and o.kind not in ("deadline", "qualitative"):
            reason_empty = r.ind.reason is None or r.ind.reason.empty or is_placeholder(r.ind.reason.raw)
            extra = ""
            if need_expl and reason_empty:
                extra = "，并须填写偏差原因说明" if ctx.lang == "zh" else "; an explanation is mandatory and missing"
            ctx.emit("overachievement-review", where, expected=fmt_rate(threshold), found=fmt_rate(o.rate),
                     name=r.name, extra=extra)


# --------------------------------------------------------------------------- scores

_WHY = {
    "qualitative-actual": ("实际值为定性描述", "the actual is qualitative"),
    "unit-different": ("目标值与实际值单位不可比", "target and actual units differ"),
    "actual-missing": ("缺少实际值", "no actual value"),
    "actual-unparseable": ("实际值无法识别", "the actual cannot be read"),
    "actual-not-date": ("时限指标的实际值不是日期", "the actual of a deadline is not a date"),
    "actual-not-qualitative": ("定性指标的实际值不是等级", "the actual of a qualitative target is not a level"),
    "level-unknown": ("无法判断评价等级", "the level cannot be determined"),
    "date-missing": ("缺少日期", "a date is missing"),
    "change-vs-level": ("目标值与实际值一个是增幅（如提升10%）、一个是水平值，无法比较",
                        "one of target and actual is a change (提升10%), the other a level"),
}


def _hint(ctx: FormContext, found: float, expected: float) -> str:
    zh = ctx.lang == "zh"
    if expected and (abs(found * 10 - expected) < 1e-6 or abs(found / 10 - expected) < 1e-6):
        return "（疑似小数点错位）" if zh else " (looks like a misplaced decimal point)"
    return ""


@check("score-exceeds-weight", "score-missing", "score-without-values", "score-mismatch", "score-rounding", "score-overachievement-penalised",
       "deadline-missed-full-score", "qualitative-score-out-of-band", "score-unverifiable", "strict-target-equal",
       "rule-unknown", "explanation-missing")
def scores(ctx: FormContext) -> None:
    tol = ctx.profile.score_tolerance
    for r in ctx.rows:
        o, S, w = r.outcome, r.printed_score, r.weight
        if r.ind.rule is not None and not r.ind.rule.empty and not is_placeholder(r.ind.rule.raw) and r.method is None \
                and o is not None:
            ctx.emit("rule-unknown", r.ind.rule, found=clean(r.ind.rule.raw), rule=ctx.rule_text(r))
        if S is not None and w is not None and S > w + EPS:
            ctx.emit("score-exceeds-weight", r.ind.score, expected=w, found=S, name=r.name)
        if o is None and S is not None and r.name and _blank(r.ind.target) and _blank(r.ind.actual) and not any(
                r.ind.row + 1 in d.rows for d in ctx.form.deferred):     # ★ parent over detail rows: its values are below
            ctx.emit("score-without-values", r.ind.score, found=S, name=r.name)
        if o is None or w is None:
            continue
        if r.target.op in (">", "<") and r.actual.number is not None and r.target.number is not None \
                and o.why_not is None and abs(r.actual.number - r.target.number) <= EPS * max(1, abs(r.target.number)):
            ctx.emit("strict-target-equal", r.ind.actual, name=r.name, target=_desc(ctx, r.target),
                     actual=_desc(ctx, r.actual))
        if o.why_not is not None:
            if o.why_not not in ("qualitative-actual", "unit-different", "actual-missing") and r.ind.score is not None:
                zh, en = _WHY.get(o.why_not, (o.why_not, o.why_not))
                ctx.emit("score-unverifiable", r.ind.score, name=r.name, detail=zh if ctx.lang == "zh" else en)
            continue
        if r.ind.score is None:
            continue
        rule = ctx.rule_text(r)
        if o.band is not None:
            lo, hi = o.band
            if S is None:
                if not r.actual.kind == "placeholder" and "score" not in ctx.form.auto_columns:
                    ctx.emit("score-missing", r.ind.score, expected=round(hi, 4), name=r.name)
            elif not (lo - EPS <= S <= hi + EPS):
                ctx.emit("qualitative-score-out-of-band", r.ind.score, expected=(round(lo, 4), round(hi, 4)), found=S,
                         name=r.name, level=r.actual.level, rule=rule)
        elif o.score is not None:
            E = o.score
            if S is None:
                if "score" not in ctx.form.auto_columns:
                    ctx.emit("score-missing", r.ind.score, expected=round(E, 4), name=r.name)
            else:
                verdict = compare(S, E, r.score_decimals, tol)
                if verdict == "rounding":
                    ctx.emit("score-rounding", r.ind.score, expected=round(E, 4), found=S, name=r.name)
                elif verdict == "mismatch":
                    if o.kind in ("deadline", "all_or_nothing") and o.met is False and S >= w - tol:
                        ctx.emit("deadline-missed-full-score", r.ind.score, expected=round(E, 4), found=S, name=r.name,
                                 target=_desc(ctx, r.target), actual=_desc(ctx, r.actual), rule=rule)
                    elif o.rate is not None and o.rate > 1 + EPS and S < w - tol and E >= w - EPS:
                        ctx.emit("score-overachievement-penalised", r.ind.score, expected=round(E, 4), found=S,
                                 name=r.name, rate=fmt_rate(o.rate), rule=rule)
                    else:
                        ctx.emit("score-mismatch", r.ind.score, expected=round(E, 4), found=S, name=r.name,
                                 hint=_hint(ctx, S, E), rule=rule)
        if r.ind.reason is not None and ctx.profile.get("scoring", "explanation_required_below_weight", True):
            final = r.final_score if r.final_score is not None else S
            if final is not None and final < w - tol and (r.ind.reason.empty or is_placeholder(r.ind.reason.raw)):
                ctx.emit("explanation-missing", r.ind.reason, expected=w, found=round(final, 4), name=r.name)


# --------------------------------------------------------------------------- total, grade, formulas

@check("total-mismatch", "total-rounding", "grade-mismatch", "formula-cache-mismatch")
def totals(ctx: FormContext) -> None:
    form = ctx.form
    tol = ctx.profile.score_tolerance
    if ctx.total_printed is not None and ctx.total is not None:
        from ..text import decimals_of
        verdict = compare(ctx.total_printed, ctx.total, decimals_of(form.total_score.raw), tol)
        if verdict != "ok":
            note = ""
            if ctx.total_printed_sum is not None and abs(ctx.total_printed_sum - ctx.total_printed) <= tol:
                note = ("（表中总分等于表中各项得分之和，差异来自上面有误的得分）" if ctx.lang == "zh"
                        else " (it equals the sum of the printed scores: the difference comes from the wrong scores above)")
            ctx.emit("total-mismatch" if verdict == "mismatch" else "total-rounding", form.total_score,
                     expected=round(ctx.total, 4), found=ctx.total_printed, note=note)
    if form.grade is not None and ctx.grade is not None and not form.grade.empty:
        raw = str(form.grade.raw)
        written = checkbox_choice(raw) if any(b in raw for b in "☐☑□■√☒") else split_grade(clean(raw))[1]
        shown = grade_of_text(written, ctx.profile)
        if shown and shown != ctx.grade:
            bands = "，".join(f"{lab}≥{fmt_num(m)}" for m, lab in ctx.profile.grade_bands)
            ctx.emit("grade-mismatch", form.grade, expected=ctx.grade, found=written, total=fmt_num(round(ctx.total, 2)),
                     rule=bands)
    for w in ctx.writes:
        f = w.field
        if f.formula and f.raw is not None and not isinstance(w.value, str):
            cached = parse_number(f.raw)
            if cached is None and isinstance(f.raw, str):
                from ..text import parse_percent
                cached, _ = parse_percent(f.raw)
            if cached is not None and abs(cached - w.value) > 1e-6:
                shown_found = fmt_rate(cached) if w.what.endswith("rate") else fmt_num(cached)
                shown_exp = fmt_rate(w.value) if w.what.endswith("rate") else fmt_num(w.value)
                zh = ctx.lang == "zh"
                source = (("无缓存结果，xlscore 按公式计算" if zh else "has no stored result; computed by xlscore it is")
                         if f.computed else ("在 Excel/WPS 中显示" if zh else "shows (as last computed by Excel/WPS)"))
                ctx.emit("formula-cache-mismatch", f, expected=shown_exp, found=shown_found, formula=f.formula,
                         source=source)


# --------------------------------------------------------------------------- formulas saved without a result

@check("formula-computed", "formula-not-computed", kinds=("self_assessment", "targets"))
def formulas_without_results(ctx: FormContext) -> None:
    """One info per form on the cells it read whose formula had no stored result: the values xlscore computed
    (read/formulas.py), and the formulas it could not compute (they read blank)."""
    from ..read.formulas import reason_zh
    if not ctx.form.unstored:
        return
    computed, blank = [], []
    for f in _form_fields(ctx.form):
        if f.computed:
            computed.append(f)
        elif f.not_computed and f.formula:
            blank.append(f)
    sep = "；" if ctx.lang == "zh" else "; "
    if computed:
        items = [f"{f.cell} {f.formula} → {fmt_num(f.raw) if isinstance(f.raw, (int, float)) else f.raw}"
                 for f in computed]
        ctx.emit("formula-computed", computed[0], cells=_listed(items, sep, ctx.lang))
    if blank:
        items = [f"{f.cell} {f.formula}（{reason_zh(f.not_computed)}）" if ctx.lang == "zh"
                 else f"{f.cell} {f.formula} ({f.not_computed})" for f in blank]
        ctx.emit("formula-not-computed", blank[0], cells=_listed(items, sep, ctx.lang))


def _listed(items: list[str], sep: str, lang: str, most: int = 6) -> str:
    if len(items) <= most:
        return sep.join(items)
    more = f"…（共 {len(items)} 个）" if lang == "zh" else f"… ({len(items)} in all)"
    return sep.join(items[:most]) + sep + more


def _form_fields(form) -> list[Field]:
    """Every cell the form was read from, top to bottom, each once."""
    seen: dict[tuple[int, int], Field] = {}

    def visit(x) -> None:
        if isinstance(x, Field):
            seen.setdefault((x.row, x.col), x)
        elif isinstance(x, (list, tuple, set, frozenset)):
            for y in x:
                visit(y)
        elif isinstance(x, dict):
            for y in x.values():
                visit(y)
        elif is_record(x):
            for f in fields(x):               # in declaration order, as before: the first Field of a cell is kept
                visit(getattr(x, f.name))
    visit(form)
    return [seen[k] for k in sorted(seen)]
