"""The openpyxl adapter: open a workbook file safely, build grids, apply a write plan, save atomically.

Idempotence: every cell the tool touches is recorded (original value, fill, number format, comment)
in a very-hidden sheet ``xlscore_state``. A later run first restores those originals — unless the user
has since typed a new value, or deleted the tool's comment to accept its value — so running ``recalc``
twice gives the same workbook, and ``check`` on a recalculated workbook reports what the clerk typed,
not what the tool wrote.
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ..errors import InputError, OutputError
from ..grid import Grid, as_shown, col_letter
from ..report import FileResult
from . import features as _features
from .apply import REPORT_SHEET, STATE_SHEET, ReportLayout, Snapshot, apply_plan, fill_rgb, plain
from .apply import restore as _restore
from .plan import COMMENT_AUTHOR, Plan, build_plan

READABLE = (".xlsx", ".xlsm", ".xltx", ".xltm")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------- opening

def validate(path: Path) -> None:
    """Raise InputError with a one-line reason when *path* is not a readable workbook."""
    p = str(path)
    if not path.exists():
        raise InputError("file-missing", path=p)
    if path.is_dir():
        raise InputError("file-is-dir", path=p)
    ext = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError("file-unreadable", path=p, reason=exc.strerror or str(exc)) from None
    if head == _OLE:
        if ext == ".xls":
            raise InputError("file-xls", path=p)
        raise InputError("file-encrypted", path=p)
    if ext == ".xls":
        raise InputError("file-xls", path=p)
    if ext == ".csv":
        raise InputError("file-csv", path=p)
    if ext not in READABLE:
        raise InputError("file-ext", path=p, ext=ext or "（无扩展名）")
    if not zipfile.is_zipfile(path):
        raise InputError("file-corrupt", path=p, reason="不是 zip 包 / not a zip package")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError("file-corrupt", path=p, reason=str(exc)) from None
    if bad is not None:
        raise InputError("file-corrupt", path=p, reason=f"damaged part {bad}")
    if "xl/workbook.xml" not in names:
        raise InputError("file-corrupt", path=p, reason="no xl/workbook.xml")


def load(path: Path, cached_values: bool = True):
    """(workbook with formulas, workbook with cached values or None). Raises InputError."""
    import openpyxl

    validate(path)
    keep_vba = path.suffix.lower() in (".xlsm", ".xltm")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, keep_vba=keep_vba, rich_text=True)
            has_formula = cached_values and any(c.data_type == "f" for ws in wb.worksheets for c in ws._cells.values())
            cached = openpyxl.load_workbook(path, data_only=True) if has_formula else None
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged packages
        raise InputError("file-corrupt", path=str(path), reason=f"{type(exc).__name__}: {exc}"[:200]) from None
    return wb, cached


def grids(wb, cached=None, skip: tuple[str, ...] = ()) -> list[Grid]:
    out = []
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        g = Grid(ws.title)
        cws = cached[ws.title] if cached is not None and ws.title in cached.sheetnames else None
        for (r, c), cell in ws._cells.items():
            v = plain(cell.value)
            if v is None or v == "":
                continue
            is_formula = cell.data_type == "f"
            cv = None
            if is_formula and cws is not None and (r, c) in cws._cells:
                cv = as_shown(cws._cells[(r, c)].value, cell.number_format)
            elif not is_formula:
                v = as_shown(v, cell.number_format)
            g.set(r, c, v, cv, formula=is_formula)
        g.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        out.append(g)
    return out


# --------------------------------------------------------------------------- the openpyxl store

class OpenpyxlStore:
    """The cell primitives of :mod:`xlscore.write.apply` on an openpyxl workbook."""

    def __init__(self, wb):
        self.wb = wb

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read_state(self) -> list[list[Any]]:
        return [list(r) for r in self.wb[STATE_SHEET].iter_rows(min_row=2, values_only=True)]

    def drop_sheet(self, name: str) -> None:
        del self.wb[name]

    def _cell(self, sheet: str, row: int, col: int):
        cell = self.wb[sheet].cell(row=row, column=col)
        return None if type(cell).__name__ == "MergedCell" else cell

    def snapshot(self, sheet: str, row: int, col: int) -> Snapshot | None:
        from openpyxl.xml.functions import tostring
        cell = self._cell(sheet, row, col)
        if cell is None:
            return None
        c = cell.comment
        return Snapshot(plain(cell.value), cell.data_type == "f", "xml:" + tostring(cell.fill.to_tree()).decode("utf-8"),
                        (c.text, c.author or "") if c is not None else None, cell.number_format)

    def put_value(self, sheet: str, row: int, col: int, value: Any, formula: bool) -> None:
        cell = self._cell(sheet, row, col)
        cell.value = value
        if isinstance(value, str) and value.startswith("=") and not formula:
            cell.data_type = "s"        # "=100%" typed as text stays text

    def put_fill(self, sheet: str, row: int, col: int, token: str | None) -> None:
        from openpyxl.styles import PatternFill
        from openpyxl.styles.fills import Fill
        from openpyxl.xml.functions import fromstring
        cell = self._cell(sheet, row, col)
        if token and token.startswith("xml:"):
            cell.fill = Fill.from_tree(fromstring(token[4:]))
        else:
            rgb = fill_rgb(token)
            cell.fill = PatternFill("solid", fgColor="FF" + rgb) if rgb else PatternFill()

    def put_number_format(self, sheet: str, row: int, col: int, fmt: str) -> None:
        self._cell(sheet, row, col).number_format = fmt

    def put_comment(self, sheet: str, row: int, col: int, text: str | None, author: str) -> None:
        from openpyxl.comments import Comment
        cell = self._cell(sheet, row, col)
        if not text:
            cell.comment = None
            return
        if author == COMMENT_AUTHOR:
            lines = text.count("\n") + 1 + len(text) // 40
            cell.comment = Comment(text, author, height=min(600, 20 * lines + 20), width=360)
        else:
            cell.comment = Comment(text, author)

    def write_state(self, rows: list[list[Any]]) -> None:
        st = self.wb.create_sheet(STATE_SHEET)
        for r in rows:
            st.append(r)
        st.sheet_state = "veryHidden"

    def write_report(self, lay: ReportLayout) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill
        ws = self.wb.create_sheet(REPORT_SHEET)
        for r in lay.rows:
            ws.append(r)
        for r in lay.title_rows:
            ws.cell(r, 1).font = Font(bold=True, size=14 if r == 1 else 11)
        head_fill = PatternFill("solid", fgColor="FF" + lay.head_fill)
        for r in lay.head_rows:
            for c in range(1, len(lay.rows[r - 1]) + 1):
                ws.cell(r, c).font = Font(bold=True)
                ws.cell(r, c).fill = head_fill
        for (r, c), rgb in lay.fills.items():
            ws.cell(r, c).fill = PatternFill("solid", fgColor="FF" + rgb)
        for r, c, target in lay.links:
            ws.cell(r, c).hyperlink = target
            ws.cell(r, c).style = "Hyperlink"
        for r, c in lay.wrap:
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
        if lay.autofilter:
            ws.auto_filter.ref = lay.autofilter
        for i, width in enumerate(lay.widths):
            ws.column_dimensions[col_letter(i + 1)].width = width
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def restore(wb) -> None:
    _restore(OpenpyxlStore(wb))


def apply(wb, plan: Plan) -> None:
    apply_plan(OpenpyxlStore(wb), plan)


# --------------------------------------------------------------------------- saving

def save_atomic(wb, target: Path, lang: str) -> None:
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=str(target.parent))
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except PermissionError:
        _unlink(tmp)
        raise OutputError("output-locked", path=str(target)) from None
    except Exception as exc:
        _unlink(tmp)
        raise OutputError("output-failed", path=str(target), reason=f"{type(exc).__name__}: {exc}") from None


def _unlink(p: str) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


# --------------------------------------------------------------------------- the two jobs

def _analyse(engine, path: Path, model: bool = False):
    """(openpyxl's workbook — for recalc (*model*), or where the light reader left the file to openpyxl —, results).

    check reads through the light reader (xlscore.read.fastxlsx: the same grids, without openpyxl's model). recalc
    loads openpyxl's model to write back; of openpyxl's two loads the light reader spares the second, the cached
    values of formulas."""
    from ..engine import OWN_SHEETS, has_form
    wb = gs = None
    if model:
        wb, cached = load(path, cached_values=False)
        if any(c.data_type == "f" for ws in wb.worksheets for c in ws._cells.values()):
            gs = _light(path, OWN_SHEETS)
            if gs is None:
                cached = _load_cached(path)
        restore(wb)
    else:
        validate(path)
        gs = _light(path, OWN_SHEETS)
        if gs is None:
            wb, cached = load(path)
            restore(wb)
    if gs is None:
        gs = grids(wb, cached, skip=OWN_SHEETS)
    results = engine.analyse(gs)
    if not has_form(results):
        raise InputError("file-no-form", path=str(path))
    return wb, results


def _light(path: Path, skip: tuple[str, ...]) -> list[Grid] | None:
    from ..read import fastxlsx
    try:
        return fastxlsx.read(path, skip=skip)
    except Exception:     # fastxlsx.Defer, or damage that openpyxl then reports in its own words
        return None


def _load_cached(path: Path):
    import openpyxl
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        raise InputError("file-corrupt", path=str(path), reason=f"{type(exc).__name__}: {exc}"[:200]) from None


def check(engine, path: Path) -> FileResult:
    _, results = _analyse(engine, path)
    return FileResult(str(path), sheets=results)


def recalc(engine, path: Path, out: Path | None = None) -> FileResult:
    from ..i18n import t
    lost = _features.detect(path, keep_vba=path.suffix.lower() in (".xlsm", ".xltm"))
    wb, results = _analyse(engine, path, model=True)
    plan = build_plan(results, engine.lang, engine.profile.title(engine.lang))
    apply(wb, plan)
    res = FileResult(str(path), sheets=results)
    if out is not None:
        target, note = out, t("wrote-out", engine.lang, path=str(out))
    elif lost:
        suffix = ".xlsm" if path.suffix.lower() in (".xlsm", ".xltm") else ".xlsx"
        target = path.with_name(f"{path.stem}.xlscore{suffix}")
        note = t("wrote-beside", engine.lang, path=str(target), features=_features.describe(lost, engine.lang))
    else:
        target, note = path, t("wrote-inplace", engine.lang, path=str(path))
    save_atomic(wb, target, engine.lang)
    res.output, res.output_note = str(target), note
    return res
