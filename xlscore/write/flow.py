"""The pieces of a button run over an open workbook that belong to no spreadsheet library.

:func:`xlscore.jobs.run_store` — what the Excel button (xlwings) and the WPS add-in's service
(:mod:`xlscore.service`) both do: undo the previous run, read the grids, have the engine analyse them, build the
write plan, and apply it (重新计算) or only write the report sheet (检查) — uses the :class:`Overlay` here to check
without touching a cell; :func:`summary_message` is the message box after a button, :func:`new_template` the
生成模板 button. No spreadsheet library is imported here, and the engine is not: the jobs layer calls in.
"""

from __future__ import annotations


class Overlay:
    """A store that records the values a restore would put back, and changes nothing in the workbook."""

    def __init__(self, store):
        self.store = store
        self.values: dict[tuple[str, int, int], object] = {}

    def __getattr__(self, name):            # reads go to the workbook
        return getattr(self.store, name)

    def put_value(self, sheet, row, col, value, formula):
        self.values[(sheet, row, col)] = value

    def put_fill(self, *a):
        pass

    def put_number_format(self, *a):
        pass

    def put_comment(self, *a):
        pass

    def drop_sheet(self, name):
        pass

    def grids(self, grids):
        by_name = {g.name: g for g in grids}
        for (sheet, row, col), value in self.values.items():
            g = by_name.get(sheet)
            if g is not None:
                g.cells.pop((row, col), None)
                g.set(row, col, value, None, formula=False)
        return grids


def summary_message(results, write: bool, lang: str = "zh") -> str:
    """The message box text after a button: what was done and how many errors and warnings."""
    errors = sum(1 for r in results for f in r.findings if f.severity == "error")
    warnings = sum(1 for r in results for f in r.findings if f.severity == "warning")
    if lang != "zh":
        done = "Recalculated and written back" if write else "Checked (no cell changed)"
        return f"{done}: {errors} errors, {warnings} warnings. See the \"xlscore\" sheet."
    done = "已重新计算并写回" if write else "检查完成（未修改单元格）"
    return f"{done}：{errors} 个错误，{warnings} 个警告。详见“xlscore”工作表。"


def new_template(folder, name: str = "self-assessment"):
    """生成模板: write a blank template into *folder* under its Chinese name, never over an existing file
    (项目支出绩效自评表(2).xlsx …); returns the path written."""
    from pathlib import Path

    from ..templates import resolve, write_template
    stem = Path(resolve(name).filename).stem
    target = Path(folder) / f"{stem}.xlsx"
    n = 2
    while target.exists():            # never over a form someone already filled
        target = target.with_name(f"{stem}({n}).xlsx")
        n += 1
    write_template(name, target, force=False)
    return target
