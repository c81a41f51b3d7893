"""The jobs: the engine's analysis wired to the adapters — one file, one open workbook, the ``--targets`` workbooks.

The engine (:mod:`xlscore.engine`) works on grids; the adapters turn files or open workbooks into grids and apply
write plans (:mod:`xlscore.write.xlsx` for files, :mod:`xlscore.write.xlwings_store` and
:mod:`xlscore.write.json_store` for the Excel and WPS buttons, :mod:`xlscore.read.fastxlsx` for reading). This layer
is the only one that holds both: read → ``engine.analyse`` → :func:`~xlscore.write.plan.build_plan` → apply/save.
No adapter and no check imports it or the engine (tests/test_architecture.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .errors import InputError
from .grid import Grid
from .report import FileResult, SheetResult, has_form
from .write.plan import Plan, build_plan


# --------------------------------------------------------------------------- a file (xlscore check / recalc)

def analyse_file(engine, path: Path, model: bool = False):
    """(openpyxl's workbook or None, sheet results, notes for the user) of the workbook file *path*; *model*: the
    workbook is loaded to be written back (recalc). Raises InputError (an unreadable file, no form in it)."""
    from .write import xlsx
    wb, grids, skipped = xlsx.read(path, model=model)
    return (wb, *_analyse(engine, path, grids, skipped))


def _analyse(engine, path: Path, grids: list[Grid], skipped: int):
    """(sheet results, notes for the user) of a file's grids; InputError when no form is in them."""
    from .i18n import t
    results = engine.analyse(grids)
    if not has_form(results):
        raise InputError("file-no-form", path=str(path))
    notes = [t("state-damaged", engine.lang, path=str(path), n=skipped)] if skipped else []
    return results, notes


def check_file(engine, path: Path) -> FileResult:
    _, results, notes = analyse_file(engine, path)
    return FileResult(str(path), sheets=results, notes=notes)


def recalc_file(engine, path: Path, out: Path | None = None, force: bool = False) -> FileResult:
    """Recalculate *path* and write it back: through the package store (write/package.py: every part xlscore does
    not own is kept as it is, so always in place), or — where that store refuses the workbook — through openpyxl
    (written beside when a part openpyxl would drop is present). ``XLSCORE_WRITER=openpyxl`` forces the latter."""
    import os
    from .write import xlsx
    opened = None if os.environ.get("XLSCORE_WRITER") == "openpyxl" else xlsx.open_package(path)
    if opened is not None:
        store, grids, skipped = opened
        try:
            results, notes = _analyse(engine, path, grids, skipped)
            plan = build_plan(results, engine.lang, engine.profile.title(engine.lang))
            written = xlsx.save_package(store, plan, path, out, force=force, lang=engine.lang)
        finally:
            store.close()
        if written is not None:
            res = FileResult(str(path), sheets=results, notes=notes)
            res.output, res.output_note = written
            return res
    wb, results, notes = analyse_file(engine, path, model=True)  # an unreadable input (or one past the limits) is refused first
    plan = build_plan(results, engine.lang, engine.profile.title(engine.lang))
    res = FileResult(str(path), sheets=results, notes=notes)
    res.output, res.output_note = xlsx.recalc(wb, plan, path, out, force=force, lang=engine.lang)
    return res


def read_targets(engine, path: Path) -> list[tuple[str, SheetResult]]:
    """The 绩效目标表 sheets of the workbook *path* (``--targets``), read through the openpyxl adapter and analysed by
    *engine*; the cross-sheet checks get them as results (Engine.reference). InputError when it has none."""
    from .write import xlsx
    from .write.apply import OWN_SHEETS
    wb, cached = xlsx.load(path)
    return engine.reference_results(str(path), xlsx.grids(wb, cached, skip=OWN_SHEETS))


# --------------------------------------------------------------------------- an open workbook (the buttons)

def run_store(engine, store, read_grids: Callable[[], list[Grid]], *, write: bool, name: str = ""):
    """Recalc (*write*) or check the workbook behind *store* (an open book: xlwings, or the WPS add-in's JSON);
    returns (sheet results, plan).

    *read_grids* builds the grids from the store's workbook as it is when called (after the restore)."""
    from .write.apply import REPORT_SHEET, apply_plan, report_layout, restore
    from .write.flow import Overlay

    if write:
        restore(store)
        results = engine.analyse(read_grids())
    else:
        overlay = Overlay(store)
        restore(overlay)          # what the clerk typed, without touching a cell
        results = engine.analyse(overlay.grids(read_grids()))
    if not has_form(results):
        raise InputError("file-no-form", path=name)
    plan: Plan = build_plan(results, engine.lang, engine.profile.title(engine.lang), write_values=write)
    if write:
        apply_plan(store, plan)
    else:
        if REPORT_SHEET in store.sheet_names():
            store.drop_sheet(REPORT_SHEET)
        store.write_report(report_layout(plan))
    return results, plan
