"""An evaluator's scoring table (评价评分表) evaluated, read as an indicator tree (:mod:`xlscore.read.tree`).

:func:`evaluate_tree` evaluates every node once: each leaf's rule parsed and applied where the sheet has the figures,
the deduction the reason states, subtotals and the total recomputed from the leaves, the grade (from the bands the
table prints, else the profile's). The checks registered for the kind "scoring" (:mod:`xlscore.checks.scoring`)
compare the printed figures with it.

What is written back on ``recalc``: recomputed subtotals, the total, 得分率, 扣分 and the grade; a leaf's score only
where its rule is computable from the sheet and contradicts the printed score. Leaves whose score is judgement
are never overwritten.
"""

from __future__ import annotations

from ..records import dataclass, field

from ..model import Field, Form
from ..numbers import compare, fmt_num, fmt_rate
from ..read.tree import Node, Tree, grade_bands
from ..rules.profile import Profile
from ..rules.ruletext import (Measure, ParsedRule, Stated, parse_reason, parse_rule, reason_count, reason_findings,
                              reason_rate)
from ..rules.values import Value, parse_value
from ..text import clean, decimals_of, is_placeholder
from .grades import GRADE_PREFIX, grade_text
from .selfassess import FormEval, printed_number, printed_rate
from .writes import Write, checkbox_write, propose

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
    children_weight: float | None = None    # the children's weights added up (None if one is unknown)
    items_sum: float | None = None          # the points of the rule's items (①②③…) added up
    shares_sum: float | None = None         # the shares of the weight its items give, added up
    # the 扣分 and 得分率 columns, where the node has a score (printed, else carried) and a weight
    deduction: float | None = None          # weight − the printed score (else the carried one)
    score_rate: float | None = None         # the carried score / weight (the recomputed one where the printed is wrong)
    printed_score_rate: float | None = None  # the printed score / weight, where it differs from the carried one


@dataclass
class ReasonGroup:
    """Leaves sharing one 扣分原因 cell (merged over several rows), with what the reason states for them together."""
    reason: Field
    nodes: list[Node]
    stated: Stated
    weight: float | None                    # the leaves' weights added up (None if one is unknown)
    printed: float | None                   # their printed scores added up (None if one is missing)
    expected: float | None                  # the score the reason states: 得X分, or the weight less 扣X分


@dataclass
class TreeEval(FormEval):
    """An indicator tree evaluated: a :class:`NodeEval` per node, the total and the grade."""
    tree: Tree | None = None
    evals: dict[int, NodeEval] = field(default_factory=dict)
    bands: list[tuple[float, str]] = field(default_factory=list)   # grade bands printed in the table, if any
    roots_weight: float | None = None       # the 一级 weights added up (None if one is unknown)
    total_weight: float = 100.0             # the 合计 row's 分值 as printed, else 100
    reasons: list[ReasonGroup] = field(default_factory=list)
    total_deduction: float | None = None    # total weight − total, and total / total weight (None without a total)
    total_rate: float | None = None
    printed_total_deduction: float | None = None    # the same from the printed total, where it differs from the sum
    printed_total_rate: float | None = None

    def ev(self, node: Node) -> NodeEval:
        return self.evals[id(node)]


# --------------------------------------------------------------------------- reading the figures of a leaf

def printed_value(f: Field | None, role: str) -> Value | None:
    """The number a target or actual cell holds (with its unit), or None."""
    if f is None or f.empty or is_placeholder(f.raw):
        return None
    v = parse_value(f.raw, role=role)
    return v if v.kind == "number" and v.number is not None else None


def _measure(node: Node, rule: ParsedRule | None, lang: str) -> tuple[Measure, str]:
    """The rate / count the sheet gives for a leaf: its 完成值 cell, else a figure its reason text computes."""
    m = Measure()
    shown = []
    a = node.actual
    v = printed_value(a, "actual")
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
    t = printed_value(node.target, "target")
    if t is not None and t.unit_kind == "percent":
        m.target = t.number
    return m, "，".join(shown) if lang == "zh" else ", ".join(shown)


# --------------------------------------------------------------------------- evaluation

def tree_form(sheet: str, tree: Tree) -> Form:
    """The :class:`~xlscore.model.Form` a tree stands for: its sheet, header and rows (for findings and the report)."""
    return Form(sheet=sheet, kind="scoring", variant="tree", title=tree.title, header_row=tree.header_row,
                columns=dict(tree.columns), first_row=tree.header_row, last_row=tree.last_row)


def evaluate_tree(tree: Tree, sheet: str, profile: Profile, lang: str = "zh") -> TreeEval:
    """Every node of *tree* evaluated once: each leaf's rule parsed and applied where the sheet has the figures,
    the deduction its reason states, subtotals and the total recomputed from the leaves, the grade."""
    ctx = TreeEval(tree_form(sheet, tree), profile, lang, tree=tree)
    tol = ctx.profile.score_tolerance
    for n in tree.nodes():
        e = NodeEval(n, n.weight)
        e.printed, e.decimals = printed_number(n.score)
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
    ctx.total_printed, _ = printed_number(tree.total_score)
    ctx.bands = grade_bands(tree.grade_note)
    ctx.grade = _grade(ctx, ctx.total)
    _weights(ctx)
    _columns(ctx)
    ctx.reasons = _reason_groups(ctx)
    _plan(ctx)
    return ctx


def _columns(ctx: TreeEval) -> None:
    """What the 扣分 and 得分率 columns should say, per node and for the total."""
    for n in ctx.tree.nodes():
        e = ctx.ev(n)
        score = e.printed if e.printed is not None else e.final
        if score is None or not e.weight:
            continue
        e.deduction = e.weight - score
        target = e.final if e.final is not None else score
        e.score_rate = target / e.weight
        if abs(score - target) > EPS:
            e.printed_score_rate = score / e.weight
    if ctx.total is None:
        return
    tw = ctx.total_weight
    ctx.total_deduction, ctx.total_rate = tw - ctx.total, ctx.total / tw
    p = ctx.total_printed
    if p is not None and abs(p - ctx.total) > EPS:
        ctx.printed_total_deduction, ctx.printed_total_rate = tw - p, p / tw


def _weights(ctx: TreeEval) -> None:
    """The sums the weight checks compare: each node's children, each leaf's rule items, the 一级 nodes."""
    tree = ctx.tree
    for n in tree.nodes():
        e = ctx.ev(n)
        ws = [ctx.ev(c).weight for c in n.children]
        if ws and all(w is not None for w in ws):
            e.children_weight = sum(ws)
        if n.is_leaf and e.rule is not None:
            items, shares = e.rule.params.get("items"), e.rule.params.get("shares")
            e.items_sum = sum(items) if items else None
            e.shares_sum = sum(shares) if shares else None
    ws = [ctx.ev(r).weight for r in tree.roots]
    ctx.roots_weight = sum(ws) if ws and all(w is not None for w in ws) else None
    ctx.total_weight = printed_number(tree.total_weight)[0] or 100.0


def _reason_groups(ctx: TreeEval) -> list[ReasonGroup]:
    """Leaves sharing one reason cell (merged over several rows) are evaluated together."""
    groups: dict[tuple[int, int], tuple[Field, list[Node]]] = {}
    for n in ctx.tree.leaves:
        if n.reason is None or n.reason.empty or n.is_item:
            continue
        k = (n.reason.row, n.reason.col)
        groups.setdefault(k, (n.reason, []))[1].append(n)
    out = []
    for reason, nodes in groups.values():
        st = parse_reason(reason.raw)
        if st.empty:
            continue
        evs = [ctx.ev(n) for n in nodes]
        weight = sum(e.weight for e in evs) if all(e.weight is not None for e in evs) else None
        printed = [e.printed for e in evs]
        got = sum(printed) if all(p is not None for p in printed) else None
        if st.score is not None:
            expected = st.score
        elif st.deduction is not None and weight is not None:
            expected = weight - st.deduction
        else:
            expected = None
        out.append(ReasonGroup(reason, nodes, st, weight, got, expected))
    return out


def _grade(ctx: TreeEval, total: float | None) -> str | None:
    if total is None:
        return None
    if ctx.bands:
        for lo, label in ctx.bands:
            if total >= lo - EPS:
                return label
        return ctx.bands[-1][1]
    return ctx.profile.grade(total)


def _imply_missing(ctx: TreeEval) -> None:
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
            printed, _ = printed_number(tree.total_score)
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


def _sum_up(ctx: TreeEval, n: Node, weights: bool = False) -> float | None:
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


def _plan(ctx: TreeEval) -> None:
    tree = ctx.tree

    def plan(where: Field | None, computed: float | None, printed: float | None, decimals: int | None,
             what: str) -> None:
        propose(ctx.writes, where, computed, printed, decimals, what)

    for n in tree.nodes():
        e = ctx.ev(n)
        if n.is_leaf and e.bad_rule and e.rule is not None and not e.rule.judgement:
            plan(n.score, e.final, e.printed, e.decimals, "score")
        elif (n.is_leaf and e.printed is None and n.score is not None and e.computed is not None
              and not e.rule.reference_only):
            plan(n.score, e.computed, None, None, "score")   # a blank 得分 the rule computes from the sheet (issue 12)
        if not n.is_leaf:
            plan(n.score, e.final, e.printed, e.decimals, "subtotal")
        if e.final is not None and e.weight:
            pr, rd = printed_rate(n.rate)
            if n.rate is not None and (pr is not None or n.is_leaf or n.subtotal_row is not None):
                plan(n.rate, e.final / e.weight, pr, rd, "score-rate")
            if n.deduction is not None:
                d, dd = printed_number(n.deduction)
                plan(n.deduction, e.weight - e.final, d, dd, "deduction")
    if tree.total_score is not None:
        plan(tree.total_score, ctx.total, ctx.total_printed, decimals_of(tree.total_score.raw), "total")
    if tree.total_rate is not None and ctx.total is not None:
        pr, rd = printed_rate(tree.total_rate)
        if pr is not None:
            plan(tree.total_rate, ctx.total_rate, pr, rd, "score-rate")
    if tree.total_deduction is not None and ctx.total is not None:
        d, dd = printed_number(tree.total_deduction)
        if d is not None:
            plan(tree.total_deduction, ctx.total_deduction, d, dd, "deduction")
    if tree.grade is not None and ctx.grade is not None and not checkbox_write(ctx.writes, tree.grade, ctx.grade):
        raw = tree.grade.raw
        if raw is None or grade_text(raw) != ctx.grade:
            prefix = GRADE_PREFIX.match(str(raw or ""))
            ctx.writes.append(Write(tree.grade, (prefix.group(0) if prefix else "") + ctx.grade, None, "grade"))


