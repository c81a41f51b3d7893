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
    from .. import jobs
    from ..engine import OWN_SHEETS, Engine
    from ..write.xlwings_store import XlwingsStore, grids

    engine = Engine(profile, lang=lang)
    store = XlwingsStore(book)
    try:
        results, _plan = jobs.run_store(engine, store, lambda: grids(book, skip=OWN_SHEETS), write=write, name=book.name)
    finally:
        store.finish()                # a sheet xlscore had to unprotect (the templates) is protected again
    return results


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
    from ..write.flow import summary_message
    _alert(book, summary_message(results, write))


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
        from ..write.flow import new_template
        base = Path(b.fullname).parent if b is not None and getattr(b, "fullname", None) else Path.home()
        target = new_template(folder or base, name)
        return xw.Book(str(target))
    return _guard(go, book)
