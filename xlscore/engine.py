"""The one API every shell uses: the CLI, the xlwings add-in, the WPS service and batch mode.

The flow, on plain :class:`~xlscore.grid.Grid` objects (no files, no spreadsheet library):

    read (xlscore.read: grids → forms, trees) → evaluate (xlscore.evaluate: rates, scores, totals, grades,
    the cells to write) → check (xlscore.checks: typed vs computed → findings; then across sheets and against
    the --targets workbooks) → plan (xlscore.write.plan, built by the jobs layer)

``Engine.analyse(grids)`` runs it and returns one :class:`~xlscore.report.SheetResult` a sheet. Files and open
workbooks are the jobs layer's (:mod:`xlscore.jobs`, which calls the adapters); ``Engine.check_file`` /
``recalc_file`` / ``run_file`` / ``load_targets`` are kept here as the shells' entry points and hand over to it.
"""

from __future__ import annotations

from pathlib import Path

from .checks import run_checks
from .checks.context import FormContext
from .errors import InputError
from .evaluate.selfassess import evaluate_form
from .grid import Grid
from .read import find_forms
from .report import FileResult, SheetResult, has_form, position
from .rules.profile import Profile, load_profile
from .write.apply import OWN_SHEETS

__all__ = ["Engine", "OWN_SHEETS", "analyse_scoring", "has_form", "template_instructions"]


class Engine:
    def __init__(self, profile: str | Profile | None = None, lang: str = "zh"):
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile)
        self.lang = lang
        self.reference: list = []     # (path, SheetResult) of the 绩效目标表 workbooks given with --targets

    # ---- grids → results (no files, no spreadsheet library)
    def analyse_grid(self, grid: Grid) -> SheetResult:
        scan = find_forms(grid)
        if scan.kind != "self_assessment":      # an evaluator's scoring table: read as an indicator tree
            scored = analyse_scoring(grid, self.profile, self.lang)
            if scored is not None:
                return scored
        result = SheetResult(grid.name, scan.kind)
        if not scan.forms:
            ctx_finding = _sheet_finding(grid.name, self.lang)
            result.findings.append(ctx_finding)
            return result
        totals = []
        for form in scan.forms:
            ctx = FormContext(evaluate_form(form, self.profile, self.lang))
            if form.kind == "self_assessment":
                run_checks(ctx)
            else:
                _not_checked(ctx)
                ctx.writes.clear()
                if form.kind == "targets":
                    run_checks(ctx)      # target review (绩效目标审核): findings only, nothing written
            result.forms.append(ctx)
            result.findings.extend(sorted(ctx.findings, key=position))
            if ctx.total is not None and form.kind == "self_assessment":
                totals.append((ctx.total, ctx.grade))
        result.form_name = "；".join(c.form.name for c in result.forms if c.form.name)
        if len(totals) == 1:
            result.total, result.grade = totals[0]
        elif totals:   # several forms in one sheet: the sheet has no single total
            result.total, result.grade = None, None
        return result

    def analyse(self, grids: list[Grid]) -> list[SheetResult]:
        from .checks.crosssheet import run_cross_checks
        results = [self.analyse_grid(g) for g in grids if g.name not in OWN_SHEETS and not template_instructions(g)]
        run_cross_checks(results, self.reference, self.lang)   # across sheets and against --targets
        return results

    def reference_results(self, path: str, grids: list[Grid]) -> list[tuple[str, SheetResult]]:
        """The 绩效目标表 sheets among *grids* (the workbook *path* given with ``--targets``), analysed; InputError
        when there are none."""
        out = []
        for g in grids:
            res = self.analyse_grid(g)
            res.forms = [c for c in res.forms if c.form.kind == "targets"]
            if res.forms:
                out.append((path, res))
        if not out:
            raise InputError("targets-no-form", path=path)
        return out

    # ---- files and open workbooks: the jobs layer (xlscore.jobs) calls the adapters
    def load_targets(self, path: str | Path) -> None:
        """Compare every self-assessment with the 绩效目标表 of the workbook *path* (``--targets``)."""
        from . import jobs
        # the cross-sheet checks, and with them crosstext's, are registered before the first form is checked, as
        # they always were here and before a scoring sheet: the order of two findings on one cell stays as it was
        from .checks import crosssheet  # noqa: F401
        self.reference.extend(jobs.read_targets(self, Path(path)))

    def check_file(self, path: str | Path) -> FileResult:
        from . import jobs
        return jobs.check_file(self, Path(path))

    def recalc_file(self, path: str | Path, out: str | Path | None = None, force: bool = False) -> FileResult:
        """*force*: write even while an editor's lock file says the workbook is open."""
        from . import jobs
        return jobs.recalc_file(self, Path(path), Path(out) if out else None, force=force)

    def run_file(self, path: str | Path, *, write: bool, out: str | Path | None = None,
                 force: bool = False) -> FileResult:
        """check or recalc one file; an unreadable file becomes a result with an error, never an exception."""
        try:
            return self.recalc_file(path, out, force=force) if write else self.check_file(path)
        except InputError as exc:
            return FileResult(str(path), error=exc.render(self.lang))


def analyse_scoring(grid: Grid, profile: Profile, lang: str = "zh") -> SheetResult | None:
    """The sheet's scoring tables evaluated and checked, or None when the sheet holds no indicator tree with scores."""
    from .checks import crosssheet  # noqa: F401  (see Engine.load_targets)
    from .checks.scoring import ScoringContext
    from .evaluate.scoring import evaluate_tree
    from .read.tree import read_trees
    trees = read_trees(grid)
    if not trees:
        return None
    result = SheetResult(grid.name, "scoring")
    totals = []
    for tree in trees:
        ctx = ScoringContext(evaluate_tree(tree, grid.name, profile, lang))
        run_checks(ctx)
        result.forms.append(ctx)
        result.findings.extend(sorted(ctx.findings, key=lambda f: (f.row or 0, f.col or 0)))
        totals.append((ctx.total, ctx.grade))
    result.form_name = "；".join(t.title for t in trees if t.title)
    if len(totals) == 1:
        result.total, result.grade = totals[0]
    return result


def template_instructions(grid) -> bool:
    """The 填表说明 sheet of an xlscore template (its title, A1, ends in 填表说明): the form's own instructions,
    not a form — skipped without a "no form found" note."""
    title = grid.value(1, 1)
    return isinstance(title, str) and grid.name.startswith("填表说明") and title.strip().endswith("填表说明")


def _sheet_finding(sheet: str, lang: str):
    from .checks.catalogue import CATALOGUE
    from .report import Finding
    d = CATALOGUE["sheet-skipped"]
    msg = (d.template_zh if lang == "zh" else d.template_en).format(sheet=sheet)
    return Finding("sheet-skipped", d.severity, sheet, None, msg, title=d.title(lang))


def _not_checked(ctx: FormContext) -> None:
    from .i18n import t
    detail = _NOT_SCORED.get(ctx.form.kind, _NOT_SCORED["scoring"])
    ctx.emit("sheet-not-checked", (ctx.form.header_row, min(ctx.form.columns.values(), default=1)),
             kind=t(f"kind-{ctx.form.kind}", ctx.lang), detail=detail[0] if ctx.lang == "zh" else detail[1])


_NOT_SCORED = {
    "targets": ("此类表格不计算得分，只核对总体目标文字、成本指标与预算，并与同一项目的自评表逐项对照（如有）。",
                "nothing to score; its goal text and cost targets are checked and it is compared with the same "
                "project's self-assessment form (if any)."),
    "scoring": ("未能读成指标树（缺少逐级的指标名称和权重列），未逐项检查。",
                "it could not be read as an indicator tree (no level names with weights), so it was not checked item by item."),
}
