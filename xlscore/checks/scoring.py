"""Checks on an evaluator's scoring table (评价评分表), read as an indicator tree.

:func:`analyse_scoring` reads the trees of a sheet (:mod:`xlscore.read.tree`), evaluates every node once
(:func:`evaluate_tree`: each leaf's rule parsed and applied where the sheet has the figures, the deduction the
reason states, subtotals and the total recomputed from the leaves) and runs the checks registered for the kind
"scoring" — the same registry and :class:`FormContext` as the self-assessment checks, so findings, planned writes,
comments and the report sheet work unchanged.

What is written back on ``recalc``: recomputed subtotals, the total, 得分率, 扣分 and the grade; a leaf's score only
where its rule is computable from the sheet and contradicts the printed score. Leaves whose score is judgement
are never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grid import Grid
from ..model import Field, Form
from ..numbers import compare, fmt_num, fmt_rate
from ..read.tree import Node, Tree, grade_bands, read_trees
from ..report import SheetResult
from ..rules.profile import Profile
from ..rules.ruletext import (KINDS_BY_NAME, Measure, ParsedRule, Stated, parse_reason, parse_rule, reason_count,
                              reason_findings, reason_rate, rule_target)
from ..rules.ruletext.bonus import bonus_points
from ..rules.values import Value, parse_value
from ..text import clean, decimals_of, is_placeholder, key, parse_number, parse_percent
from . import check, run_checks
from .context import FormContext, Write, checkbox_choice, _checkbox_grade

EPS = 1e-9


@dataclass
class NodeEval:
    node: Node
    weight: float | None
    printed: float | None = None
    decimals: int | None = None
    rule: ParsedRule | None = None
    measure: Measure = field(default_factory=Measure)
    data: str = ""                          # the figures the rule was applied to, as shown in messages
    computed: float | None = None           # the rule applied to the sheet's figures
    stated: Stated = field(default_factory=Stated)
    final: float | None = None              # the score carried upwards
    implied: float | None = None            # a missing leaf score implied by a printed subtotal/total
    children_sum: float | None = None
    bad_rule: bool = False                  # the printed score contradicts the rule (one finding per leaf)


@dataclass
class ScoringContext(FormContext):
    tree: Tree | None = None
    evals: dict[int, NodeEval] = field(default_factory=dict)
    bands: list[tuple[float, str]] = field(default_factory=list)   # grade bands printed in the table, if any

    def ev(self, node: Node) -> NodeEval:
        return self.evals[id(node)]

    def rule_desc(self, e: NodeEval) -> str:
        return e.rule.describe(self.lang) if e.rule is not None else ""


# --------------------------------------------------------------------------- reading the figures of a leaf

def _number(f: Field | None) -> tuple[float | None, int | None]:
    if f is None or f.empty or is_placeholder(f.raw):
        return None, None
    return parse_number(f.raw), decimals_of(f.raw)


def _rate(f: Field | None) -> tuple[float | None, int | None]:
    if f is None or f.empty or is_placeholder(f.raw):
        return None, None
    return parse_percent(f.raw)


def _value(f: Field | None, role: str) -> Value | None:
    if f is None or f.empty or is_placeholder(f.raw):
        return None
    v = parse_value(f.raw, role=role)
    return v if v.kind == "number" and v.number is not None else None


def _measure(node: Node, rule: ParsedRule | None, lang: str) -> tuple[Measure, str]:
    """The rate / count the sheet gives for a leaf: its 完成值 cell, else a figure its reason text computes."""
    m = Measure()
    shown = []
    a = node.actual
    v = _value(a, "actual")
    if v is not None:
        if v.unit_kind == "percent":
            m.rate = v.number
        elif isinstance(a.raw, (int, float)) and not isinstance(a.raw, bool) and a.raw <= 1.5 and (
                rule is None or rule.kind != "per-missing-unit"):
            m.rate = float(a.raw)           # a rate typed as a number cell (0.988)
        else:
            m.count = v.number
        shown.append(("完成值 " if lang == "zh" else "actual ") + clean(a.raw))
    if m.rate is None and m.count is None and node.reason is not None and not node.reason.empty:
        m.rate = reason_rate(node.reason.raw)
        if m.rate is not None:
            shown.append(("扣分原因中的 " if lang == "zh" else "rate in the reason ") + fmt_rate(m.rate))
        elif rule is not None and rule.kind == "per-missing-unit":
            m.count = reason_count(node.reason.raw, rule.params.get("unit"))
        elif rule is not None and rule.kind == "per-finding":
            m.count = reason_findings(node.reason.raw)
        if m.count is not None:
            shown.append(("扣分原因中的 " if lang == "zh" else "count in the reason ") + fmt_num(m.count))
    t = _value(node.target, "target")
    if t is not None and t.unit_kind == "percent":
        m.target = t.number
    return m, "，".join(shown) if lang == "zh" else ", ".join(shown)


# --------------------------------------------------------------------------- evaluation

def evaluate_tree(ctx: ScoringContext) -> None:
    tree = ctx.tree
    tol = ctx.profile.score_tolerance
    for n in tree.nodes():
        e = NodeEval(n, n.weight)
        e.printed, e.decimals = _number(n.score)
        ctx.evals[id(n)] = e
        if not n.is_leaf:
            continue
        if not n.is_item:
            e.rule = parse_rule(n.rule.raw if n.rule is not None else "", n.weight)
        e.measure, e.data = _measure(n, e.rule, ctx.lang)
        if e.rule is not None and not e.rule.spec.judgement and not e.rule.params.get("judgement_part"):
            e.computed = e.rule.compute(e.measure)
        if n.reason is not None and not n.reason.empty:
            e.stated = parse_reason(n.reason.raw)
        # the score carried upwards: the printed one unless the rule (computable from the sheet) contradicts it
        if e.printed is not None:
            e.final = e.printed
            if e.computed is not None and not e.rule.reference_only:
                if compare(e.printed, e.computed, e.decimals, tol) == "mismatch":
                    e.final, e.bad_rule = e.computed, True
            if e.weight is not None:
                e.final = max(0.0, min(e.weight, e.final))
        elif e.computed is not None and not e.rule.reference_only:
            e.final = e.computed

    for r in tree.roots:
        _sum_up(ctx, r, weights=True)
    _imply_missing(ctx)
    finals = [ctx.ev(r).final for r in tree.roots]
    ctx.total = sum(finals) if finals and all(v is not None for v in finals) else None
    ctx.total_printed, _ = _number(tree.total_score)
    ctx.bands = grade_bands(tree.grade_note)
    ctx.grade = _grade(ctx, ctx.total)
    _plan(ctx)


_GRADE_PREFIX = re.compile(r"^\s*[^:：]{0,10}等级\s*[:：]\s*")


def grade_text(raw) -> str:
    """The grade a cell states: '良', or '评价等级：良' (label and grade in one cell)."""
    t = clean(raw)
    m = _GRADE_PREFIX.match(t)
    return t[m.end():].strip() if m else t


def _grade(ctx: "ScoringContext", total: float | None) -> str | None:
    if total is None:
        return None
    if ctx.bands:
        for lo, label in ctx.bands:
            if total >= lo - EPS:
                return label
        return ctx.bands[-1][1]
    return ctx.profile.grade(total)


def _imply_missing(ctx: ScoringContext) -> None:
    """A single missing leaf score is implied by the nearest printed subtotal (or the total) above it."""
    tree = ctx.tree
    missing = [n for n in tree.leaves if ctx.ev(n).final is None]
    for n in missing:
        e = ctx.ev(n)
        anc, printed = n.parent, None
        while anc is not None:
            pe = ctx.ev(anc)
            if pe.printed is not None:
                printed = pe.printed
                break
            anc = anc.parent
        scope = [x for x in (anc.walk() if anc is not None else tree.nodes()) if x.is_leaf]
        if printed is None and anc is None:
            printed, _ = _number(tree.total_score)
        others = [ctx.ev(x).final for x in scope if x is not n]
        if printed is None or any(v is None for v in others):
            if e.weight is not None and e.stated.deduction is not None:
                e.implied = e.weight - e.stated.deduction
            elif e.stated.score is not None:
                e.implied = e.stated.score
        else:
            e.implied = printed - sum(others)
        if e.implied is not None:
            e.final = e.implied
    if missing:
        for r in tree.roots:
            _sum_up(ctx, r)


def _sum_up(ctx: "ScoringContext", n: Node, weights: bool = False) -> float | None:
    """Every inner node's score = the sum of its children's (None if one is unknown); with *weights*, an
    inner node without a weight of its own takes the sum of its children's."""
    e = ctx.ev(n)
    if n.is_leaf:
        return e.final
    vals = [_sum_up(ctx, c, weights) for c in n.children]
    e.children_sum = sum(vals) if all(v is not None for v in vals) else None
    if weights and e.weight is None and all(ctx.ev(c).weight is not None for c in n.children):
        e.weight = sum(ctx.ev(c).weight for c in n.children)
    e.final = e.children_sum
    return e.final


def _plan(ctx: ScoringContext) -> None:
    tree = ctx.tree

    def plan(where: Field | None, computed: float | None, printed: float | None, decimals: int | None,
             what: str) -> None:
        if where is None or computed is None:
            return
        rate = what.endswith("rate")
        if printed is None or compare(printed, computed, decimals, 0.0, 100 if rate else 1) != "ok":
            ctx.writes.append(Write(where, round(computed, 6 if rate else 4), "0.00%" if rate else "0.00", what))

    for n in tree.nodes():
        e = ctx.ev(n)
        if n.is_leaf and e.bad_rule and e.rule is not None and not e.rule.judgement:
            plan(n.score, e.final, e.printed, e.decimals, "score")
        if not n.is_leaf:
            plan(n.score, e.final, e.printed, e.decimals, "subtotal")
        if e.final is not None and e.weight:
            pr, rd = _rate(n.rate)
            if n.rate is not None and (pr is not None or n.is_leaf or n.subtotal_row is not None):
                plan(n.rate, e.final / e.weight, pr, rd, "score-rate")
            if n.deduction is not None:
                d, dd = _number(n.deduction)
                plan(n.deduction, e.weight - e.final, d, dd, "deduction")
    if tree.total_score is not None:
        plan(tree.total_score, ctx.total, ctx.total_printed, decimals_of(tree.total_score.raw), "total")
    if tree.total_rate is not None and ctx.total is not None:
        pr, rd = _rate(tree.total_rate)
        tw = _number(tree.total_weight)[0] or 100.0
        if pr is not None:
            plan(tree.total_rate, ctx.total / tw, pr, rd, "score-rate")
    if tree.total_deduction is not None and ctx.total is not None:
        d, dd = _number(tree.total_deduction)
        if d is not None:
            plan(tree.total_deduction, (_number(tree.total_weight)[0] or 100.0) - ctx.total, d, dd, "deduction")
    if tree.grade is not None and ctx.grade is not None:
        raw = tree.grade.raw
        if isinstance(raw, str) and any(b in raw for b in "☐☑□■√☒"):
            new = _checkbox_grade(raw, ctx.grade)
            if new != raw:
                ctx.writes.append(Write(tree.grade, new, None, "grade"))
        elif raw is None or grade_text(raw) != ctx.grade:
            prefix = _GRADE_PREFIX.match(str(raw or ""))
            ctx.writes.append(Write(tree.grade, (prefix.group(0) if prefix else "") + ctx.grade, None, "grade"))


# --------------------------------------------------------------------------- entry point

def analyse_scoring(grid: Grid, profile: Profile, lang: str = "zh") -> SheetResult | None:
    """The sheet's scoring tables checked, or None when the sheet holds no indicator tree with scores."""
    trees = read_trees(grid)
    if not trees:
        return None
    result = SheetResult(grid.name, "scoring")
    totals = []
    for tree in trees:
        form = Form(sheet=grid.name, kind="scoring", variant="tree", title=tree.title, header_row=tree.header_row,
                    columns=dict(tree.columns), first_row=tree.header_row, last_row=tree.last_row)
        ctx = ScoringContext(form, profile, lang, tree=tree)
        evaluate_tree(ctx)
        run_checks(ctx)
        result.forms.append(ctx)
        result.findings.extend(sorted(ctx.findings, key=lambda f: (f.row or 0, f.col or 0)))
        totals.append((ctx.total, ctx.grade))
    result.form_name = "；".join(t.title for t in trees if t.title)
    if len(totals) == 1:
        result.total, result.grade = totals[0]
    return result


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
            ws = [ctx.ev(c).weight for c in n.children]
            if all(w is not None for w in ws) and abs(sum(ws) - n.weight) > 1e-6:
                ctx.emit("scoring-weights-children", _where(n, n.weight_field), expected=n.weight,
                         found=round(sum(ws), 4), name=_name(n))
        if n.is_leaf and e.rule is not None and n.weight is not None:
            items = e.rule.params.get("items")
            shares = e.rule.params.get("shares")
            if items and abs(sum(items) - n.weight) > 1e-6:
                ctx.emit("scoring-items-sum", n.rule, expected=n.weight, found=round(sum(items), 4), name=_name(n))
            elif shares and abs(sum(shares) - 1.0) > 1e-6:
                ctx.emit("scoring-items-sum", n.rule, expected="100%", found=fmt_rate(sum(shares)), name=_name(n))
    ws = [ctx.ev(r).weight for r in tree.roots]
    if ws and all(w is not None for w in ws):
        expected = _number(tree.total_weight)[0] or 100.0
        if abs(sum(ws) - expected) > 1e-6:
            where = tree.total_weight if tree.total_weight is not None and not tree.total_weight.empty else tree.anchor
            ctx.emit("scoring-weights-total", where, expected=expected, found=round(sum(ws), 4))


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
        score = e.printed if e.printed is not None else e.final
        if score is None or not e.weight:
            continue
        d, dd = _number(n.deduction)
        if d is not None:
            v = compare(d, e.weight - score, dd, tol)
            if v != "ok":
                ctx.emit("scoring-deduction-mismatch" if v == "mismatch" else "scoring-deduction-rounding", n.deduction,
                         expected=round(e.weight - score, 4), found=d, name=_name(n))
        r, rd = _rate(n.rate)
        if r is not None:
            # against the recomputed score where the printed one is wrong (the printed 得分率 may be the right one)
            target = e.final if e.final is not None else score
            v = compare(r, target / e.weight, rd, 0.0, 100)
            if v != "ok" and abs(score - target) > EPS and compare(r, score / e.weight, rd, 0.0, 100) == "ok":
                continue    # the rate follows the printed score; the score itself is reported
            if v != "ok":
                ctx.emit("scoring-rate-mismatch" if v == "mismatch" else "scoring-rate-rounding", n.rate,
                         expected=fmt_rate(target / e.weight), found=fmt_rate(r), name=_name(n))
    td, tdd = _number(ctx.tree.total_deduction)
    if td is not None and ctx.total is not None:          # Σ 扣分 = 100 − total
        tw = _number(ctx.tree.total_weight)[0] or 100.0
        v = compare(td, tw - ctx.total, tdd, tol)
        if v != "ok" and _follows_printed_total(ctx, lambda t: compare(td, tw - t, tdd, tol)):
            pass    # the 扣分 follows the printed total; the total itself is reported
        elif v != "ok":
            ctx.emit("scoring-deduction-mismatch" if v == "mismatch" else "scoring-deduction-rounding",
                     ctx.tree.total_deduction, expected=round(tw - ctx.total, 4), found=td,
                     name="合计" if ctx.lang == "zh" else "total")
    tr, trd = _rate(ctx.tree.total_rate)
    if tr is not None and ctx.total is not None:
        tw = _number(ctx.tree.total_weight)[0] or 100.0
        v = compare(tr, ctx.total / tw, trd, 0.0, 100)
        if v != "ok" and _follows_printed_total(ctx, lambda t: compare(tr, t / tw, trd, 0.0, 100)):
            pass    # the 得分率 follows the printed total; the total itself is reported
        elif v != "ok":
            ctx.emit("scoring-rate-mismatch" if v == "mismatch" else "scoring-rate-rounding", ctx.tree.total_rate,
                     expected=fmt_rate(ctx.total / tw), found=fmt_rate(tr), name="合计" if ctx.lang == "zh" else "total")


def _follows_printed_total(ctx: ScoringContext, agrees) -> bool:
    """A printed total that differs from the leaves' sum is reported once, at the total; the 扣分 / 得分率 beside it
    that agree with it are not reported again (as for a subtotal row or a leaf)."""
    p = ctx.total_printed
    return p is not None and abs(p - ctx.total) > EPS and agrees(p) == "ok"


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
        tv = _value(n.target, "target")
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


def _reason_groups(ctx: ScoringContext) -> list[tuple[Field, list[Node]]]:
    """Leaves sharing one reason cell (merged over several rows) are checked together."""
    groups: dict[tuple[int, int], tuple[Field, list[Node]]] = {}
    for n in ctx.tree.leaves:
        if n.reason is None or n.reason.empty or n.is_item:
            continue
        k = (n.reason.row, n.reason.col)
        groups.setdefault(k, (n.reason, []))[1].append(n)
    return list(groups.values())


@check("scoring-reason-mismatch", "scoring-reason-weight", kinds=("scoring",))
def tree_reasons(ctx: ScoringContext) -> None:
    tol = ctx.profile.score_tolerance
    for reason, nodes in _reason_groups(ctx):
        st = parse_reason(reason.raw)
        if st.empty:
            continue
        evs = [ctx.ev(n) for n in nodes]
        weight = sum(e.weight for e in evs) if all(e.weight is not None for e in evs) else None
        printed = [e.printed for e in evs]
        name = "、".join(_name(n) for n in nodes)
        if st.weight is not None and weight is not None and abs(st.weight - weight) > EPS:
            ctx.emit("scoring-reason-weight", reason, expected=weight, found=st.weight, name=name)
        if any(p is None for p in printed):
            continue        # a missing score is reported (with the stated deduction) by tree_bounds
        got = sum(printed)
        if st.score is not None:
            expected, stated = st.score, (f"得 {fmt_num(st.score)} 分" if ctx.lang == "zh" else f"a score of {fmt_num(st.score)}")
        elif st.deduction is not None and weight is not None:
            expected = weight - st.deduction
            stated = f"扣 {fmt_num(st.deduction)} 分" if ctx.lang == "zh" else f"a deduction of {fmt_num(st.deduction)}"
        else:
            continue
        decimals = evs[0].decimals if len(evs) == 1 else None
        if compare(got, expected, decimals, tol) == "mismatch":
            where = nodes[0].score if len(nodes) == 1 else reason
            ctx.emit("scoring-reason-mismatch", where, expected=round(expected, 4), found=round(got, 4),
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


# --------------------------------------------------------------------------- summary tables vs the detailed table

def _norm_name(name: str) -> str:
    k = key(name)
    for prefix in ("项目", "服务对象"):
        if k.startswith(prefix) and len(k) > len(prefix) + 1:
            k = k[len(prefix):]
    for suffix in ("指标",):
        if k.endswith(suffix) and len(k) > len(suffix) + 1:
            k = k[:-len(suffix)]
    return k


def _register_cross_check() -> None:
    from .crosssheet import cross_check

    @cross_check("scoring-summary-mismatch")
    def scoring_summaries(book) -> None:
        """Summary tables (一级/二级 weights and scores) against the detailed scoring table of the same workbook."""
        entries = [e for e in book.forms("scoring", local=True) if isinstance(e.ctx, ScoringContext)]
        if len(entries) < 2:
            return
        detail = max(entries, key=lambda e: len(e.ctx.tree.leaves))
        index: dict[str, list[Node]] = {}
        for n in detail.ctx.tree.nodes():
            index.setdefault(_norm_name(n.name), []).append(n)
        zh = book.lang == "zh"
        for e in entries:
            if e is detail:
                continue
            ctx = e.ctx
            for n in ctx.tree.nodes():
                cands = index.get(_norm_name(n.name), [])
                if len(cands) > 1:
                    cands = [c for c in cands if detail.ctx.ev(c).weight == ctx.ev(n).weight] or cands
                if len(cands) != 1:
                    continue
                d, ev = detail.ctx.ev(cands[0]), ctx.ev(n)
                if d.weight is not None and ev.weight is not None and abs(d.weight - ev.weight) > 1e-6:
                    book.emit(e, "scoring-summary-mismatch", n.weight_field or _where(n), expected=d.weight,
                              found=ev.weight, name=n.name, what="权重" if zh else "weight", source=detail.source)
                said = any(f.cell == (n.score.cell if n.score else None) and f.code == "scoring-subtotal-mismatch"
                           and isinstance(f.expected, float) and d.final is not None and abs(f.expected - d.final) < 1e-6
                           for f in ctx.findings)      # the table's own sum already says it
                if d.final is not None and ev.printed is not None and not said and \
                        compare(ev.printed, d.final, ev.decimals, ctx.profile.score_tolerance) == "mismatch":
                    book.emit(e, "scoring-summary-mismatch", n.score, expected=round(d.final, 4), found=ev.printed,
                              name=n.name, what="得分" if zh else "score", source=detail.source)


_register_cross_check()
