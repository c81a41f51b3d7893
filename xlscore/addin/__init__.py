"""The Excel button: entry points the xlscore ribbon add-in (xlscore.xlam) calls through xlwings.

The add-in's VBA runs ``RunPython "import xlscore.addin; xlscore.addin.recalc()"`` (and ``check()``,
``template()``); each works on the workbook that pressed the button, through the same engine and
the same write logic as the CLI (:mod:`xlscore.write.apply`), so both give the same workbook.
Errors reach the user as a message box in Chinese, never as a traceback window.
"""

from __future__ import annotations

from pathlib import Path

XLAM = Path(__file__).with_name("xlscore.xlam")
XLWINGS_VERSION = "0.37.8"          # the version the shipped add-in was built with (VBA is stamped with it)


def _caller(book):
    if book is not None:
        return book
    import xlwings as xw
    return xw.Book.caller()


def run(book, *, write: bool, profile: str | None = None, lang: str = "zh"):
    """Recalc (write=True) or check the open *book*; returns the sheet results."""
    from ..engine import OWN_SHEETS, Engine, has_form
    from ..errors import InputError
    from ..write.apply import REPORT_SHEET, apply_plan, restore
    from ..write.plan import build_plan
    from ..write.xlwings_store import XlwingsStore, grids

    engine = Engine(profile, lang=lang)
    store = XlwingsStore(book)
    try:
        if write:
            restore(store)
            results = engine.analyse(grids(book, skip=OWN_SHEETS))
        else:
            overlay = _Overlay(store)
            restore(overlay)          # what the clerk typed, without touching a cell
            results = engine.analyse(overlay.grids(grids(book, skip=OWN_SHEETS)))
        if not has_form(results):
            raise InputError("file-no-form", path=book.name)
        plan = build_plan(results, lang, engine.profile.title(lang), write_values=write)
        if write:
            apply_plan(store, plan)
        else:
            from ..write.apply import report_layout
            if REPORT_SHEET in store.sheet_names():
                store.drop_sheet(REPORT_SHEET)
            store.write_report(report_layout(plan))
    finally:
        store.finish()                # a sheet xlscore had to unprotect (the templates) is protected again
    return results


class _Overlay:
    """A store that records the values a restore would put back, and changes nothing in Excel."""

    def __init__(self, store):
        self.store = store
        self.values: dict[tuple[str, int, int], object] = {}

    def __getattr__(self, name):            # reads go to Excel
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


def _guard(fn, book, **kw):
    """Run an entry point; any failure becomes a Chinese message box."""
    b = None
    try:
        b = _caller(book)
        return fn(b, **kw)
    except Exception as exc:  # noqa: BLE001 - the user sees a message box, not a traceback
        from ..errors import XlscoreError
        msg = exc.render("zh") if isinstance(exc, XlscoreError) else f"xlscore 运行出错：{type(exc).__name__}: {exc}"
        _alert(b, msg)
        return None


def _alert(book, message: str) -> None:
    try:
        app = book.app if book is not None else __import__("xlwings").apps.active
        app.alert(message, title="xlscore")
    except Exception:
        pass


def _summary(book, results, write: bool) -> None:
    errors = sum(1 for r in results for f in r.findings if f.severity == "error")
    warnings = sum(1 for r in results for f in r.findings if f.severity == "warning")
    done = "已重新计算并写回" if write else "检查完成（未修改单元格）"
    _alert(book, f"{done}：{errors} 个错误，{warnings} 个警告。详见“xlscore”工作表。")


def recalc(book=None, profile: str | None = None):
    """重新计算: recompute and write back into the open workbook (values, fills, comments, report)."""
    def go(b, **kw):
        res = run(b, write=True, **kw)
        _summary(b, res, True)
        return res
    return _guard(go, book, profile=profile)


def check(book=None, profile: str | None = None):
    """检查: the report sheet only; no cell of the form changes."""
    def go(b, **kw):
        res = run(b, write=False, **kw)
        _summary(b, res, False)
        return res
    return _guard(go, book, profile=profile)


def template(book=None, name: str = "self-assessment", folder: str | None = None):
    """生成模板: write a blank template next to the active workbook and open it in Excel."""
    def go(b, **kw):
        import xlwings as xw
        from ..templates import write_template
        base = Path(b.fullname).parent if b is not None and getattr(b, "fullname", None) else Path.home()
        from ..templates import resolve
        stem = Path(resolve(name).filename).stem
        target = Path(folder or base) / f"{stem}.xlsx"
        n = 2
        while target.exists():            # never over a form someone already filled
            target = target.with_name(f"{stem}({n}).xlsx")
            n += 1
        write_template(name, target, force=False)
        return xw.Book(str(target))
    return _guard(go, book)
