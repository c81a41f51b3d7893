"""Checks across the sheets of a workbook (and the 绩效目标表 workbooks given with ``--targets``).

``Engine.analyse(grids)`` reads, evaluates and checks every sheet on its own, then calls :func:`run_cross_checks` with
all the sheet results and the results of the ``--targets`` workbooks (which the engine reads through the file adapter
and hands over: no check opens a file). The checks here are registered with
:func:`~xlscore.checks.registry.cross_check` (the codes they may emit, as for :func:`xlscore.checks.check`) and see
a :class:`Book`:

- ``declared_costs``, ``declared_goal_text`` — a 绩效目标表 (not scored): its cost targets (成本指标, 万元 totals)
  against its own budget, the figures of its 年度总体目标 against its declared targets;
- ``unit_vs_projects`` — a 单位整体 form and its project forms in one workbook: the projects' 年初预算数 and
  全年预算数 (in total and per funds source) must fit in the unit's figures (K14);
- ``declared_targets`` — a 自评表 and the 绩效目标表 of the same project: indicators matched by name (tolerant to
  punctuation, spacing and small wording changes, with the similarity said), then a changed target, weight, rule
  or class, and declared indicators dropped or undeclared ones added;
- ``scoring_summaries`` — summary tables of a scoring table (一级/二级 weights and scores) against the detailed table.

A finding is emitted on the sheet it concerns (through that form's context) and kept in cell order.
"""

from __future__ import annotations

import math
from ..records import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

from ..evaluate.selfassess import value_text
from ..numbers import compare
from ..report import SheetResult, position
from ..rules.scoring import rule_method
from ..rules.units import compare_units
from ..rules.values import Value
from ..text import clean, fold, key, parse_number, lazy_re
from .context import FormContext, fmt_num
from .crosstext import goal_text, items_text
from .registry import CROSS_CHECKS, cross_check

if TYPE_CHECKING:
    from ..read.tree import Node

EPS = 1e-9


@dataclass
class Entry:
    """One form of the book: its sheet result, its evaluated context and where it comes from (for messages)."""
    result: SheetResult
    ctx: FormContext
    source: str
    local: bool = True          # False: a form of a --targets workbook (findings are never put there)

    @property
    def form(self):
        return self.ctx.form


@dataclass
class Book:
    entries: list[Entry]
    lang: str = "zh"
    touched: set = field(default_factory=set)

    def forms(self, kind: str, variant: str | None = None, local: bool | None = None) -> list[Entry]:
        return [e for e in self.entries if e.form.kind == kind and (variant is None or e.form.variant == variant)
                and (local is None or e.local == local)]

    def emit(self, entry: Entry, code: str, where, **kw):
        f = entry.ctx.emit(code, where, **kw)
        entry.result.findings.append(f)
        self.touched.add(id(entry.result))
        return f


def _sheet_label(sheet: str, lang: str, path: str | None = None) -> str:
    if path:
        return f"{Path(path).name}「{sheet}」" if lang == "zh" else f"{Path(path).name} '{sheet}'"
    return f"工作表「{sheet}」" if lang == "zh" else f"sheet '{sheet}'"


def run_cross_checks(results: list[SheetResult], reference: list[tuple[str, SheetResult]] = (),
                     lang: str = "zh") -> None:
    """Run every registered cross-sheet check over *results* (this workbook) and *reference* ((path, result) of
    the --targets workbooks); findings go onto the sheets of *results*, in cell order."""
    entries = [Entry(r, c, _sheet_label(r.name, lang)) for r in results for c in r.forms]
    entries += [Entry(r, c, _sheet_label(r.name, lang, path), local=False) for path, r in reference for c in r.forms]
    if not entries:
        return
    book = Book(entries, lang)
    for c in CROSS_CHECKS:
        c.fn(book)
    if book.touched:
        for r in results:
            if id(r) in book.touched:
                r.findings.sort(key=position)


# --------------------------------------------------------------------------- K14: the unit form and its projects

def _num(f) -> float | None:
    return None if f is None else parse_number(f.raw)


_COLUMNS = {"budget_start": ("年初预算数", "budget at year start"), "budget": ("全年预算数", "annual budget")}


@cross_check("unit-budget-projects-exceed")
def unit_vs_projects(book: Book) -> None:
    units = book.forms("self_assessment", "unit", local=True)
    projects = [e for e in book.forms("self_assessment", "project", local=True) if e.form.funds_total is not None]
    if len(units) != 1 or not projects or units[0].form.funds_total is None:
        return
    unit = units[0]
    zh = book.lang == "zh"
    for attr, (label_zh, label_en) in _COLUMNS.items():
        # the total row, then each funds source the projects also name (其他资金, 上年结转资金 …)
        pairs = [(unit.form.funds_total, [e.form.funds_total for e in projects])]
        for sub in unit.form.funds:
            if sub.is_total:
                continue
            k = key(sub.label)
            rows = [next((r for r in e.form.funds if not r.is_total and key(r.label) == k), None) for e in projects]
            if any(r is not None for r in rows):
                pairs.append((sub, rows))
        for urow, prow in pairs:
            cell = getattr(urow, attr)
            u = _num(cell)
            u = None if u is None else u * unit.form.funds_factor
            vals = [(e, _num(getattr(r, attr)) if r is not None else None) for e, r in zip(projects, prow)]
            vals = [(e, None if v is None else v * e.form.funds_factor) for e, v in vals]
            vals = [(e, v) for e, v in vals if v is not None]
            if u is None or not vals:
                continue
            s = sum(v for _, v in vals)
            if s <= u + 0.005:
                continue
            over = sorted(((e, v) for e, v in vals if v > u + 0.005), key=lambda t: -t[1])
            detail = ""
            if over:
                items = ("、".join(f"{e.form.name or e.result.name}（{e.result.name}）{fmt_num(v)}" for e, v in over[:3])
                         if zh else ", ".join(f"{e.form.name or e.result.name} ({e.result.name}) {fmt_num(v)}"
                                              for e, v in over[:3]))
                more = (f" 等 {len(over)} 项" if zh else f" and {len(over) - 3} more") if len(over) > 3 else ""
                detail = f"；单个项目已超过：{items}{more}" if zh else f"; single projects already exceed it: {items}{more}"
            book.emit(unit, "unit-budget-projects-exceed", cell, expected=u, found=round(s, 6),
                      column=label_zh if zh else label_en.capitalize(), count=len(vals), label=clean(urow.label) or label_zh,
                      detail=detail)


# --------------------------------------------------------------------------- a targets sheet's own money

@cross_check("cost-targets-exceed-budget")
def declared_costs(book: Book) -> None:
    """On a 绩效目标表 (not checked row by row): the declared cost targets must fit in its budget (全年 or 年初)."""
    for e in book.forms("targets", local=True):
        total = e.form.funds_total
        if total is None:
            continue
        annual = _num(total.budget) is not None
        cell = total.budget if annual else total.budget_start
        budget = _num(cell)
        budget = None if budget is None else budget * e.form.funds_factor
        column = _COLUMNS["budget" if annual else "budget_start"][0 if book.lang == "zh" else 1]
        costs = e.ctx.costs
        if budget is None or costs is None:
            continue
        if costs.targets > budget + 1e-6:
            book.emit(e, "cost-targets-exceed-budget", cell, expected=budget, found=round(costs.targets, 6),
                      items=items_text(costs.rows, "target"), column=column)


@cross_check("goal-text-mismatch")
def declared_goal_text(book: Book) -> None:
    """On a 绩效目标表: the figures of its 年度总体目标 against its own declared targets (as on a 自评表)."""
    for e in book.forms("targets", local=True):
        before = len(e.ctx.findings)
        goal_text(e.ctx)
        for f in e.ctx.findings[before:]:
            e.result.findings.append(f)
            book.touched.add(id(e.result))


# --------------------------------------------------------------------------- declared targets vs the self-assessment

_PUNCT = lazy_re(r"[\W_]+")


def norm_name(text) -> str:
    """A name for matching: folded, bookmarks and every space and punctuation mark removed."""
    return _PUNCT.sub("", fold(clean(text))) if text is not None else ""


def name_similarity(a: str, b: str, lang: str = "zh") -> tuple[float, str]:
    """(similarity 0..1, why) of two indicator or project names."""
    na, nb = norm_name(a), norm_name(b)
    zh = lang == "zh"
    if not na or not nb:
        return 0.0, ""
    if na == nb:
        if clean(a) == clean(b):
            return 1.0, "名称一致" if zh else "same name"
        return 1.0, "名称仅标点或空格不同" if zh else "names differ in punctuation or spacing only"
    r = SequenceMatcher(None, na, nb, autojunk=False).ratio()
    short, long_ = sorted((na, nb), key=len)
    if len(short) >= 4 and short in long_:
        r = max(r, 0.85)
        return r, (f"一个名称包含另一个，相似度 {r:.2f}" if zh else f"one name contains the other, similarity {r:.2f}")
    return r, (f"名称相似度 {r:.2f}（忽略标点和空格）" if zh else f"name similarity {r:.2f} (punctuation and spaces ignored)")


MIN_NAME_SIMILARITY = 0.75
MIN_PROJECT_SIMILARITY = 0.8


def _pair_forms(targets: list[Entry], assessed: list[Entry], lang: str) -> list[tuple[Entry, Entry | None, str]]:
    """(targets entry or None, self-assessment entry, why) for every self-assessment: the targets sheet of the same
    project by name; a lone pair when a name is missing or the names are at least alike."""
    zh = lang == "zh"
    out = []
    for a in assessed:
        best = None
        # a nameless "targets" table in the self-assessment's own sheet is a fragment of that form (a split header),
        # not a declared 绩效目标表
        for t in [t for t in targets if not (t.local and a.local and t.result.name == a.result.name
                                             and not t.form.name)]:
            s, why = name_similarity(t.form.name, a.form.name, lang)
            if best is None or s > best[0]:
                best = (s, t, why)
        if best is not None and best[0] >= MIN_PROJECT_SIMILARITY:
            out.append((best[1], a, ("项目名称：" if zh else "project name: ") + best[2]))
        elif len(targets) == 1 and len(assessed) == 1 and best is not None and (
                not targets[0].form.name or not a.form.name or best[0] >= 0.5):
            out.append((targets[0], a, "仅有一张目标表和一张自评表" if zh else "the only targets sheet and the only self-assessment"))
        else:
            out.append((None, a, ""))
    return out


def match_indicators(declared: list, assessed: list, lang: str = "zh") -> list[tuple[int, int, float, str]]:
    """Greedy best-first matching of declared and assessed rows (RowEval) by name: [(i, j, similarity, why)]."""
    cands = []
    for i, d in enumerate(declared):
        for j, a in enumerate(assessed):
            s, why = name_similarity(d.name, a.name, lang)
            if s >= MIN_NAME_SIMILARITY:
                bonus = 0.01 if norm_class(d.ind.level1) == norm_class(a.ind.level1) else 0.0
                cands.append((s + bonus, s, i, j, why))
    cands.sort(key=lambda t: (-t[0], t[2], t[3]))
    used_i, used_j, out = set(), set(), []
    for _, s, i, j, why in cands:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        out.append((i, j, s, why))
    return out


def norm_class(text) -> str:
    n = norm_name(text)
    return n[:-2] if n.endswith("指标") else n


def same_value(a: Value, b: Value) -> bool:
    """Do two targets say the same (operator, figure, unit; date; qualitative word)?"""
    if a.kind != b.kind:
        return key(a.raw).lstrip("=") == key(b.raw).lstrip("=")
    if a.kind == "number":
        if (a.op or "=") != (b.op or "="):
            return False
        if a.number is None or b.number is None or not math.isclose(a.number, b.number, rel_tol=1e-9, abs_tol=1e-9):
            return False
        return compare_units(a.unit, b.unit) in ("same", "synonym", "missing_both")
    if a.kind == "range":
        return all(x is not None and y is not None and math.isclose(x, y, abs_tol=1e-9)
                   for x, y in ((a.number, b.number), (a.upper, b.upper))) and \
            compare_units(a.unit, b.unit) in ("same", "synonym", "missing_both")
    if a.kind in ("date", "date_range"):
        return a.date == b.date and a.end_date == b.end_date
    if a.kind == "qualitative":
        return norm_name(a.word) == norm_name(b.word)
    if a.kind == "placeholder":
        return True
    return key(a.raw) == key(b.raw)


def _rule_text(f) -> str:
    return clean(f.raw) if f is not None and f.raw is not None else ""


@cross_check("targets-compared", "targets-unpaired", "declared-target-changed", "declared-weight-changed", "declared-rule-changed",
             "declared-class-changed", "declared-indicator-added", "declared-indicator-dropped",
             "declared-indicator-renamed")
def declared_targets(book: Book) -> None:
    targets = book.forms("targets")
    assessed = book.forms("self_assessment", local=True)
    if not targets or not assessed:
        return
    lang = book.lang
    zh = lang == "zh"
    for t, a, pair_basis in _pair_forms(targets, assessed, lang):
        if t is None:
            names = "、".join(f"{e.source}「{e.form.name}」" if zh else f"{e.source} '{e.form.name}'"
                             for e in targets[:3] if e.form.name) or "—"
            book.emit(a, "targets-unpaired", (a.form.header_row, min(a.form.columns.values(), default=1)),
                      name=a.form.name or a.result.name, available=names)
            continue
        decl, rows = t.ctx.rows, a.ctx.rows
        matches = match_indicators(decl, rows, lang)
        src = t.source
        for i, j, s, why in matches:
            d, r = decl[i], rows[j]
            name = r.name
            if s < 1.0 or norm_name(d.name) != norm_name(r.name):
                book.emit(a, "declared-indicator-renamed", r.ind.name_field, expected=d.name, found=r.name, basis=why)
            basis = why
            dc = "/".join(x for x in (d.ind.level1, d.ind.level2) if x)
            rc = "/".join(x for x in (r.ind.level1, r.ind.level2) if x)
            if d.ind.level1 and r.ind.level1 and (norm_class(d.ind.level1) != norm_class(r.ind.level1) or (
                    d.ind.level2 and r.ind.level2 and norm_class(d.ind.level2) != norm_class(r.ind.level2))):
                book.emit(a, "declared-class-changed", r.ind.name_field, expected=dc, found=rc, name=name, source=src,
                          basis=basis)
            if d.ind.target is not None and r.ind.target is not None and d.target.kind != "placeholder" \
                    and not same_value(d.target, r.target):
                book.emit(a, "declared-target-changed", r.ind.target, expected=str(value_text(d.ind, "target")),
                          found=str(value_text(r.ind, "target")), name=name, source=src, basis=basis)
            if d.weight is not None and r.weight is not None and abs(d.weight - r.weight) > EPS:
                book.emit(a, "declared-weight-changed", r.ind.weight, expected=d.weight, found=r.weight, name=name,
                          source=src, basis=basis)
            dr, rr = _rule_text(d.ind.rule), _rule_text(r.ind.rule)
            if dr and rr:
                dm, rm = rule_method(dr), rule_method(rr)
                changed = dm != rm if dm is not None and rm is not None else norm_name(dr) != norm_name(rr)
                if changed:
                    book.emit(a, "declared-rule-changed", r.ind.rule, expected=dr, found=rr, name=name, source=src,
                              basis=basis)
        matched_i = {m[0] for m in matches}
        matched_j = {m[1] for m in matches}
        for j, r in enumerate(rows):
            if j in matched_j:
                continue
            closest = max(((name_similarity(d.name, r.name, lang)[0], d.name) for d in decl), default=(0, "—"))[1]
            book.emit(a, "declared-indicator-added", r.ind.name_field, found=r.name, name=r.name, source=src,
                      closest=closest)
        name_col = a.form.columns.get("level3") or a.form.columns.get("name") or min(a.form.columns.values(), default=1)
        for i, d in enumerate(decl):
            if i in matched_i:
                continue
            book.emit(a, "declared-indicator-dropped", (a.form.header_row, name_col),
                      expected=str(value_text(d.ind, "target") or "—"), name=d.name, source=src)
        book.emit(a, "targets-compared", (a.form.header_row, min(a.form.columns.values(), default=1)), source=src,
                  matched=len(matches), added=len(rows) - len(matched_j), dropped=len(decl) - len(matched_i),
                  basis=pair_basis)


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


@cross_check("scoring-summary-mismatch")
def scoring_summaries(book: Book) -> None:
    """Summary tables (一级/二级 weights and scores) against the detailed scoring table of the same workbook."""
    entries = book.forms("scoring", local=True)
    if len(entries) < 2:
        return
    from ..evaluate.scoring import TreeEval     # here: a workbook without scoring sheets need not import it
    entries = [e for e in entries if isinstance(e.ctx.result, TreeEval)]
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
                book.emit(e, "scoring-summary-mismatch", n.weight_field or n.name_field or (n.row, 1), expected=d.weight,
                          found=ev.weight, name=n.name, what="权重" if zh else "weight", source=detail.source)
            said = any(f.cell == (n.score.cell if n.score else None) and f.code == "scoring-subtotal-mismatch"
                       and isinstance(f.expected, float) and d.final is not None and abs(f.expected - d.final) < 1e-6
                       for f in ctx.findings)      # the table's own sum already says it
            if d.final is not None and ev.printed is not None and not said and \
                    compare(ev.printed, d.final, ev.decimals, ctx.profile.score_tolerance) == "mismatch":
                book.emit(e, "scoring-summary-mismatch", n.score, expected=round(d.final, 4), found=ev.printed,
                          name=n.name, what="得分" if zh else "score", source=detail.source)
