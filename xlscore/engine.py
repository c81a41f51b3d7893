"""The one API every shell uses: the CLI, the xlwings add-in and batch mode.

``Engine.analyse(grids)`` works on plain :class:`~xlscore.grid.Grid` objects and returns results with
findings and the values to write; ``Engine.check_file`` / ``Engine.recalc_file`` wrap it for a file
on disk through the openpyxl adapter (:mod:`xlscore.write.xlsx`).
"""

from __future__ import annotations

from pathlib import Path

from .checks import run_checks
from .checks.context import FormContext, evaluate_form
from .errors import InputError
from .grid import Grid
from .read import find_forms
from .report import FileResult, SheetResult
from .rules.profile import Profile, load_profile

from .write.apply import REPORT_SHEET, STATE_SHEET  # noqa: E402

OWN_SHEETS = (REPORT_SHEET, STATE_SHEET)


class Engine:
    def __init__(self, profile: str | Profile | None = None, lang: str = "zh"):
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile)
        self.lang = lang
        self.reference: list = []     # (path, SheetResult) of the 绩效目标表 workbooks given with --targets

    # ---- grids → results (no files, no spreadsheet library)
    def analyse_grid(self, grid: Grid) -> SheetResult:
        scan = find_forms(grid)
        if scan.kind != "self_assessment":      # an evaluator's scoring table: read as an indicator tree
            from .checks.scoring import analyse_scoring
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
            ctx = evaluate_form(form, self.profile, self.lang)
            if form.kind == "self_assessment":
                run_checks(ctx)
            else:
                _not_checked(ctx)
                ctx.writes.clear()
                if form.kind == "targets":
                    run_checks(ctx)      # target review (绩效目标审核): findings only, nothing written
            result.forms.append(ctx)
            result.findings.extend(sorted(ctx.findings, key=_position))
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

    def load_targets(self, path: str | Path) -> None:
        """Compare every self-assessment with the 绩效目标表 of the workbook *path* (``--targets``)."""
        from .checks.crosssheet import load_reference
        self.reference.extend(load_reference(self, Path(path)))

    # ---- files (openpyxl adapter)
    def check_file(self, path: str | Path) -> FileResult:
        from .write import xlsx
        return xlsx.check(self, Path(path))

    def recalc_file(self, path: str | Path, out: str | Path | None = None, force: bool = False) -> FileResult:
        """*force*: write even while an editor's lock file says the workbook is open."""
        from .write import xlsx
        return xlsx.recalc(self, Path(path), Path(out) if out else None, force=force)

    def run_file(self, path: str | Path, *, write: bool, out: str | Path | None = None,
                 force: bool = False) -> FileResult:
        """check or recalc one file; an unreadable file becomes a result with an error, never an exception."""
        try:
            return self.recalc_file(path, out, force=force) if write else self.check_file(path)
        except InputError as exc:
            return FileResult(str(path), error=exc.render(self.lang))


def _position(f) -> tuple:
    from .report import SEVERITY_RANK
    return (f.row or 0, f.col or 0, SEVERITY_RANK[f.severity])


def template_instructions(grid) -> bool:
    """The 填表说明 sheet of an xlscore template (its title, A1, ends in 填表说明): the form's own instructions,
    not a form — skipped without a "no form found" note."""
    title = grid.value(1, 1)
    return isinstance(title, str) and grid.name.startswith("填表说明") and title.strip().endswith("填表说明")


def has_form(results: list[SheetResult]) -> bool:
    return any(r.kind != "unknown" for r in results)


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
