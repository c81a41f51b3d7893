"""Checks on an evaluator's scoring table (评价评分表), read as an indicator tree.

The tree is evaluated first (:func:`xlscore.evaluate.scoring.evaluate_tree`: each leaf's rule applied where the sheet
has the figures, subtotals and the total recomputed from the leaves, the grade); the checks here, registered for the
kind "scoring" in the same registry as the self-assessment checks, compare the printed figures with it through a
:class:`ScoringContext` — so findings, planned writes, comments and the report sheet work unchanged. Summary tables
against the detailed table of the same workbook: :func:`xlscore.checks.crosssheet.scoring_summaries`.
"""

from __future__ import annotations

from ..evaluate.grades import checkbox_choice, grade_text
from ..evaluate.scoring import EPS, NodeEval, printed_number, printed_rate, printed_value
from ..model import Field
from ..numbers import compare, fmt_num, fmt_rate
from ..read.tree import Node
from ..rules.ruletext import KINDS_BY_NAME, rule_target
from ..rules.ruletext.bonus import bonus_points
from ..text import clean, decimals_of, key
from .context import FormContext
from .registry import check


class ScoringContext(FormContext):
    """A :class:`FormContext` over a :class:`~xlscore.evaluate.scoring.TreeEval` (``ctx.tree``, ``ctx.ev(node)``)."""

    def rule_desc(self, e: NodeEval) -> str:
        return e.rule.describe(self.lang) if e.rule is not None else ""


# --------------------------------------------------------------------------- checks

def _name(n: Node) -> str:
    return n.name


def _where(n: Node, *fields: Field | None) -> Field | tuple[int, int]:
    for f in fields:
        if f is not None:
            return f
    return n.name_field or (n.row, 1)


@check("scoring-weights-children", "scoring-weights-total", "scoring-weight-label", "scoring-items-sum",
       kinds=("scoring",))
def tree_weights(ctx: ScoringContext) -> None:
    tree = ctx.tree
    for n in tree.nodes():
        e = ctx.ev(n)
        if n.label_weight is not None and n.weight_field is not None and n.weight_field is not n.name_field \
                and n.weight is not None and abs(n.label_weight - n.weight) > EPS:
            ctx.emit("scoring-weight-label", n.name_field, expected=n.weight, found=n.label_weight, name=_name(n))
        if n.children and n.weight is not None:
            if e.children_weight is not None and abs(e.children_weight - n.weight) > 1e-6:
                ctx.emit("scoring-weights-children", _where(n, n.weight_field), expected=n.weight,
                         found=round(e.children_weight, 4), name=_name(n))
        if n.is_leaf and e.rule is not None and n.weight is not None:
            if e.items_sum is not None and abs(e.items_sum - n.weight) > 1e-6:
                ctx.emit("scoring-items-sum", n.rule, expected=n.weight, found=round(e.items_sum, 4), name=_name(n))
            elif e.shares_sum is not None and abs(e.shares_sum - 1.0) > 1e-6:
                ctx.emit("scoring-items-sum", n.rule, expected="100%", found=fmt_rate(e.shares_sum), name=_name(n))
    if ctx.roots_weight is not None and abs(ctx.roots_weight - ctx.total_weight) > 1e-6:
        where = tree.total_weight if tree.total_weight is not None and not tree.total_weight.empty else tree.anchor
        ctx.emit("scoring-weights-total", where, expected=ctx.total_weight, found=round(ctx.roots_weight, 4))


@check("scoring-blank", "scoring-score-missing", "scoring-score-range", kinds=("scoring",))
def tree_bounds(ctx: ScoringContext) -> None:
    leaves = [n for n in ctx.tree.leaves if not n.is_item]
    if leaves and all(ctx.ev(n).printed is None for n in leaves) and ctx.total_printed is None:
        where = (ctx.tree.header_row, ctx.tree.columns["score"]) if "score" in ctx.tree.columns else ctx.tree.anchor
        ctx.emit("scoring-blank", where, count=len(leaves))     # a blank table, or criteria only (no 得分 column)
        return
    for n in ctx.tree.leaves:
        e = ctx.ev(n)
        if e.printed is None:
            if n.is_item:
                continue
            where = n.score if n.score is not None else (n.row, n.name_field.col if n.name_field else 1)
            implied = ""
            if e.implied is not None:
                implied = (f"（按上级得分/合计与其余得分推算为 {fmt_num(e.implied)}）" if ctx.lang == "zh"
                           else f" (implied by the subtotal/total and the other scores: {fmt_num(e.implied)})")
            ctx.emit("scoring-score-missing", where, expected=None if e.implied is None else round(e.implied, 4),
                     name=_name(n), implied=implied)
            continue
        if e.weight is not None and (e.printed < -EPS or e.printed > e.weight + EPS):
            said = n.rule if n.rule is not None else n.note      # 指标说明 may carry the criteria (铜陵 2021)
            bonus = bonus_points(said.raw) if said is not None else None
            if e.printed >= -EPS and bonus is not None and e.printed <= e.weight + bonus + EPS:
                continue        # 最多加2分: the rule text grants points above the 分值
            ctx.emit("scoring-score-range", n.score, expected=e.weight, found=e.printed, name=_name(n))


@check("scoring-subtotal-mismatch", "scoring-subtotal-rounding", "scoring-total-mismatch", "scoring-total-rounding",
       kinds=("scoring",))
def tree_sums(ctx: ScoringContext) -> None:
    tol = ctx.profile.score_tolerance
    for n in ctx.tree.nodes():
        e = ctx.ev(n)
        if n.is_leaf or e.printed is None or e.children_sum is None:
            continue
        v = compare(e.printed, e.children_sum, e.decimals, tol)
        if v != "ok":
            ctx.emit("scoring-subtotal-mismatch" if v == "mismatch" else "scoring-subtotal-rounding", n.score,
                     expected=round(e.children_sum, 4), found=e.printed, name=_name(n))
    if ctx.total_printed is not None and ctx.total is not None:
        v = compare(ctx.total_printed, ctx.total, decimals_of(ctx.tree.total_score.raw), tol)
        if v != "ok":
            ctx.emit("scoring-total-mismatch" if v == "mismatch" else "scoring-total-rounding", ctx.tree.total_score,
                     expected=round(ctx.total, 4), found=ctx.total_printed)


@check("scoring-deduction-mismatch", "scoring-deduction-rounding", "scoring-rate-mismatch", "scoring-rate-rounding",
       kinds=("scoring",))
def tree_columns(ctx: ScoringContext) -> None:
    tol = ctx.profile.score_tolerance
    for n in ctx.tree.nodes():
        e = ctx.ev(n)
        if e.deduction is None:
            continue            # no score or no weight
        d, dd = printed_number(n.deduction)
        if d is not None:
            v = compare(d, e.deduction, dd, tol)
            if v != "ok":
                ctx.emit("scoring-deduction-mismatch" if v == "mismatch" else "scoring-deduction-rounding", n.deduction,
                         expected=round(e.deduction, 4), found=d, name=_name(n))
        r, rd = printed_rate(n.rate)
        if r is not None:
            # against the recomputed score where the printed one is wrong (the printed 得分率 may be the right one)
            v = compare(r, e.score_rate, rd, 0.0, 100)
            if v != "ok" and e.printed_score_rate is not None and compare(r, e.printed_score_rate, rd, 0.0, 100) == "ok":
                continue    # the rate follows the printed score; the score itself is reported
            if v != "ok":
                ctx.emit("scoring-rate-mismatch" if v == "mismatch" else "scoring-rate-rounding", n.rate,
                         expected=fmt_rate(e.score_rate), found=fmt_rate(r), name=_name(n))
    total = "合计" if ctx.lang == "zh" else "total"
    # a printed total that differs from the leaves' sum is reported once, at the total; the 扣分 / 得分率 beside it
    # that agree with it are not reported again (as for a subtotal row or a leaf)
    td, tdd = printed_number(ctx.tree.total_deduction)
    if td is not None and ctx.total_deduction is not None:          # Σ 扣分 = 100 − total
        v = compare(td, ctx.total_deduction, tdd, tol)
        if v != "ok" and ctx.printed_total_deduction is not None and \
                compare(td, ctx.printed_total_deduction, tdd, tol) == "ok":
            pass    # the 扣分 follows the printed total; the total itself is reported
        elif v != "ok":
            ctx.emit("scoring-deduction-mismatch" if v == "mismatch" else "scoring-deduction-rounding",
                     ctx.tree.total_deduction, expected=round(ctx.total_deduction, 4), found=td, name=total)
    tr, trd = printed_rate(ctx.tree.total_rate)
    if tr is not None and ctx.total_rate is not None:
        v = compare(tr, ctx.total_rate, trd, 0.0, 100)
        if v != "ok" and ctx.printed_total_rate is not None and \
                compare(tr, ctx.printed_total_rate, trd, 0.0, 100) == "ok":
            pass    # the 得分率 follows the printed total; the total itself is reported
        elif v != "ok":
            ctx.emit("scoring-rate-mismatch" if v == "mismatch" else "scoring-rate-rounding", ctx.tree.total_rate,
                     expected=fmt_rate(ctx.total_rate), found=fmt_rate(tr), name=total)


@check("grade-mismatch", kinds=("scoring",))
def tree_grade(ctx: ScoringContext) -> None:
    g = ctx.tree.grade
    if g is None or g.empty or ctx.grade is None:
        return
    raw = str(g.raw)
    found = checkbox_choice(raw) if any(b in raw for b in "☐☑□■√☒") else grade_text(raw)
    if found is not None and key(found) != key(ctx.grade):
        bands = "、".join(f"{label}≥{fmt_num(low)}" for low, label in (ctx.bands or ctx.profile.grade_bands))
        if ctx.bands:
            bands += "（表中备注）" if ctx.lang == "zh" else " (printed in the table)"
        ctx.emit("grade-mismatch", g, expected=ctx.grade, found=found, total=fmt_num(round(ctx.total, 4)),
                 rule=bands)


def _possible(vals: list[float]) -> str:
    shown = [fmt_num(round(v, 4)) for v in vals]
    return "、".join(shown) if len(shown) <= 12 else "、".join(shown[:6] + ["…"] + shown[-3:])


@check("scoring-rule-mismatch", "scoring-rule-rounding", "scoring-rule-reference", "scoring-step-multiple",
       "scoring-all-or-nothing", "scoring-rule-tier", kinds=("scoring",))
def tree_rules(ctx: ScoringContext) -> None:
    tol = ctx.profile.score_tolerance
    for n in ctx.tree.leaves:
        e = ctx.ev(n)
        if e.rule is None or e.printed is None:
            continue
        desc = ctx.rule_desc(e)
        if e.computed is not None:
            v = compare(e.printed, e.computed, e.decimals, tol)
            if v != "ok":
                if e.rule.reference_only:
                    if v == "mismatch":
                        ctx.emit("scoring-rule-reference", n.score, expected=round(e.computed, 4), found=e.printed,
                                 name=_name(n), rule=desc)
                else:
                    ctx.emit("scoring-rule-mismatch" if v == "mismatch" else "scoring-rule-rounding", n.score,
                             expected=round(e.computed, 4), found=e.printed, name=_name(n), rule=desc, data=e.data)
                    if v == "mismatch":
                        continue
        allowed = e.rule.allowed()
        if not allowed:
            continue
        if any(compare(e.printed, a, e.decimals, 0.0) == "ok" or abs(e.printed - a) < 1e-6 for a in allowed):
            continue
        if e.rule.kind == "tiers":
            # between two tiers: the evaluator's judgement within them (info), never a sum of the tiers
            ctx.emit("scoring-rule-tier", n.score, expected=_possible(allowed), found=e.printed, name=_name(n), rule=desc)
            continue
        code = "scoring-all-or-nothing" if e.rule.kind == "all-or-nothing" else "scoring-step-multiple"
        ctx.emit(code, n.score, expected=_possible(allowed), found=e.printed, name=_name(n), rule=desc)


@check("scoring-rule-target", kinds=("scoring",))
def tree_rule_target(ctx: ScoringContext) -> None:
    """The target in the rule text against the 目标值 / 标杆值 column (e.g. a criterion of ≥70000 人次 beside ≥20万)."""
    for n in ctx.tree.leaves:
        e = ctx.ev(n)
        rt = rule_target(e.rule) if e.rule is not None else None
        tv = printed_value(n.target, "target")
        if rt is None or tv is None:
            continue
        value, kind = rt
        if kind == "band" and tv.op != "abs<=":
            continue
        if kind in ("percent", "band") and tv.unit_kind != "percent":
            continue
        if kind == "count" and tv.unit_kind not in (None, "count"):
            continue
        if abs(tv.number - value) > 1e-9 * max(1.0, abs(value)):
            shown = (("±" if kind == "band" else "") + fmt_rate(value)) if kind in ("percent", "band") else fmt_num(value)
            ctx.emit("scoring-rule-target", n.target, expected=shown, found=clean(n.target.raw), name=_name(n),
                     rule=ctx.rule_desc(e))


@check("scoring-reason-mismatch", "scoring-reason-weight", kinds=("scoring",))
def tree_reasons(ctx: ScoringContext) -> None:
    tol = ctx.profile.score_tolerance
    for g in ctx.reasons:
        st, nodes = g.stated, g.nodes
        name = "、".join(_name(n) for n in nodes)
        if st.weight is not None and g.weight is not None and abs(st.weight - g.weight) > EPS:
            ctx.emit("scoring-reason-weight", g.reason, expected=g.weight, found=st.weight, name=name)
        if g.printed is None:
            continue        # a missing score is reported (with the stated deduction) by tree_bounds
        if g.expected is None:
            continue
        if st.score is not None:
            stated = f"得 {fmt_num(st.score)} 分" if ctx.lang == "zh" else f"a score of {fmt_num(st.score)}"
        else:
            stated = f"扣 {fmt_num(st.deduction)} 分" if ctx.lang == "zh" else f"a deduction of {fmt_num(st.deduction)}"
        decimals = ctx.ev(nodes[0]).decimals if len(nodes) == 1 else None
        if compare(g.printed, g.expected, decimals, tol) == "mismatch":
            where = nodes[0].score if len(nodes) == 1 else g.reason
            ctx.emit("scoring-reason-mismatch", where, expected=round(g.expected, 4), found=round(g.printed, 4),
                     name=name, stated=stated)


@check("scoring-rule-read", "scoring-rule-judgement", "scoring-rule-unparsed", kinds=("scoring",))
def tree_rule_info(ctx: ScoringContext) -> None:
    """Every leaf's rule as read, in plain words (comment + report sheet), so the evaluator can confirm it."""
    if "rule" not in ctx.tree.columns:
        return          # a summary table (得分一览表) prints no rules
    for n in ctx.tree.leaves:
        if n.is_item:
            continue
        e = ctx.ev(n)
        where = n.rule if n.rule is not None else (n.name_field or (n.row, 1))
        if e.rule is None:
            ctx.emit("scoring-rule-unparsed", where, name=_name(n), found=clean(n.rule.raw)[:60] if n.rule else None)
            continue
        if e.rule.kind == "judgement":
            ctx.emit("scoring-rule-judgement", where, name=_name(n), rule=ctx.rule_desc(e))
            continue
        spec = KINDS_BY_NAME[e.rule.kind]
        computed = ""
        if e.computed is not None:
            computed = (f"；按表中数据（{e.data}）重算为 {fmt_num(round(e.computed, 4))} 分" if ctx.lang == "zh"
                        else f"; recomputed from the sheet ({e.data}): {fmt_num(round(e.computed, 4))}")
            if e.rule.reference_only:
                computed += "（仅供参考）" if ctx.lang == "zh" else " (reference only)"
        ctx.emit("scoring-rule-read", where, name=_name(n), rule=ctx.rule_desc(e),
                 kind=spec.title_zh if ctx.lang == "zh" else spec.title_en, computed=computed)
