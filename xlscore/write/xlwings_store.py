"""The xlwings adapter: the workbook open in Excel as grids, and the store primitives to write back.

Only a small part of the xlwings API is used (so a faithful fake can stand in for Excel in tests):
``book.sheets`` (iterate, ``[name]``, ``add(name, after=)``), ``sheet.name``, ``sheet.used_range``
(``row``, ``column``, ``options(ndim=2).value``, ``formula``), ``sheet.range((row, col))`` and, on a
range: ``value``, ``formula``, ``color``, ``number_format``, ``note`` / ``add_note`` / ``note.delete()``,
``merge_cells``, ``merge_area`` (``row``, ``column``, ``last_cell``), ``add_hyperlink``, ``column_width``,
``font.bold``, ``wrap_text``; ``sheet.visible``, ``sheet.delete()``; ``book.app.alert``.
Excel itself saves the book: nothing is lost to a file round trip.
"""

from __future__ import annotations

from typing import Any

from ..numbers import tame
from . import neutral
from ..grid import Grid, as_shown, is_formula_text, whole_number
from .apply import REPORT_SHEET, STATE_SHEET, ReportLayout, Snapshot, fill_rgb


_num = whole_number          # one rule for both adapters (grid.whole_number)
_is_formula = is_formula_text


def _rows(x: Any) -> list[list[Any]]:
    if not isinstance(x, (list, tuple)):
        return [[x]]
    if x and not isinstance(x[0], (list, tuple)):
        return [list(x)]
    return [list(r) for r in x]


def _protected(api) -> bool:
    try:
        return bool(api.ProtectContents)                 # Windows (COM)
    except Exception:  # noqa: BLE001
        pass
    try:
        return bool(api.protect_contents.get())          # macOS (appscript)
    except Exception:  # noqa: BLE001
        return False


def grids(book, skip: tuple[str, ...] = ()) -> list[Grid]:
    out = []
    for sheet in book.sheets:
        if sheet.name in skip:
            continue
        g = Grid(sheet.name)
        used = sheet.used_range
        r0, c0 = used.row, used.column
        values = _rows(used.options(ndim=2).value)
        formulas = _rows(used.formula)
        merges = set()
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                f = formulas[i][j] if i < len(formulas) and j < len(formulas[i]) else None
                r, c = r0 + i, c0 + j
                is_f = _is_formula(f, v)
                if not is_f and (v is None or v == ""):
                    continue
                cell = sheet.range((r, c))
                v = tame(_num(v))
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = as_shown(v, cell.number_format)           # 0.95 in a 0% cell reads "95%"
                if is_f:
                    g.set(r, c, f, v, formula=True)
                else:
                    g.set(r, c, v, None, formula=False)
                if cell.merge_cells:
                    ma = cell.merge_area
                    merges.add((ma.row, ma.column, ma.last_cell.row, ma.last_cell.column))
        g.merges = sorted(merges)
        out.append(g)
    return out


class XlwingsStore:
    """Store primitives (see :mod:`xlscore.write.apply`) on an xlwings Book."""

    def __init__(self, book):
        self.book = book
        self._unprotected: dict[str, dict] = {}    # sheet → the protection options to put back

    # ---- sheet protection: xlscore's templates lock their result cells under a protection without password.
    # Excel refuses any change to a locked cell of a protected sheet, so a sheet is unprotected before the
    # first change and protected again, with the same options, by finish().
    def _writable(self, sheet: str) -> None:
        if sheet in self._unprotected:
            return
        api = self.book.sheets[sheet].api
        if not _protected(api):
            self._unprotected[sheet] = {}
            return
        options = {}
        for name in ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingRows"):
            try:
                options[name] = bool(getattr(api.Protection, name))
            except Exception:  # noqa: BLE001 - macOS has no COM Protection object
                pass
        try:
            api.Unprotect("")
        except Exception:  # noqa: BLE001 - a password, or the macOS API
            try:
                api.unprotect(password="")
            except Exception:  # noqa: BLE001
                from ..errors import OutputError
                raise OutputError("sheet-protected", sheet=sheet) from None
        options["_protected"] = True
        self._unprotected[sheet] = options

    def finish(self) -> None:
        """Protect again every sheet xlscore had to unprotect (no password, as it was)."""
        for sheet, options in self._unprotected.items():
            if not options.pop("_protected", False):
                continue
            api = self.book.sheets[sheet].api
            try:
                api.Protect(Password="", DrawingObjects=True, Contents=True, Scenarios=True, **options)
            except Exception:  # noqa: BLE001
                try:
                    api.protect(password="")
                except Exception:  # noqa: BLE001 - leave it unprotected rather than fail after writing
                    pass
        self._unprotected.clear()

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read_state(self) -> list[list[Any]]:
        rows = _rows(self.book.sheets[STATE_SHEET].used_range.options(ndim=2).value)
        return [[_num(v) for v in r] for r in rows[1:]]

    def drop_sheet(self, name: str) -> None:
        self.book.sheets[name].delete()

    def _rng(self, sheet: str, row: int, col: int):
        return self.book.sheets[sheet].range((row, col))

    def snapshot(self, sheet: str, row: int, col: int) -> Snapshot | None:
        rng = self._rng(sheet, row, col)
        if rng.merge_cells:
            ma = rng.merge_area
            if (ma.row, ma.column) != (row, col):
                return None
        value, formula = rng.value, rng.formula
        is_f = _is_formula(formula, value)
        color = rng.color
        token = "none" if color is None else "rgb:%02X%02X%02X" % tuple(color)
        note = rng.note
        return Snapshot(formula if is_f else _num(value), is_f, token,
                        (note.text, "") if note is not None else None, rng.number_format)

    def put_value(self, sheet: str, row: int, col: int, value: Any, formula: bool) -> None:
        self._writable(sheet)
        rng = self._rng(sheet, row, col)
        if isinstance(value, str) and value.startswith("=") and not formula:
            rng.value = "'" + value          # text that starts with "=", as the clerk typed it
        elif formula:
            rng.formula = value
        else:
            rng.value = value

    def put_fill(self, sheet: str, row: int, col: int, token: str | None) -> None:
        self._writable(sheet)
        rgb = fill_rgb(token)
        self._rng(sheet, row, col).color = None if rgb is None else tuple(int(rgb[i:i + 2], 16) for i in (0, 2, 4))

    def put_number_format(self, sheet: str, row: int, col: int, fmt: str) -> None:
        self._writable(sheet)
        self._rng(sheet, row, col).number_format = fmt

    def put_comment(self, sheet: str, row: int, col: int, text: str | None, author: str) -> None:
        self._writable(sheet)
        rng = self._rng(sheet, row, col)
        if rng.note is not None:
            rng.note.delete()
        if text:
            rng.add_note(text)

    def _new_sheet(self, name: str):
        sheets = list(self.book.sheets)
        return self.book.sheets.add(name, after=sheets[-1])

    def write_state(self, rows: list[list[Any]]) -> None:
        sh = self._new_sheet(STATE_SHEET)
        width = max((len(r) for r in rows), default=1)        # chunked rows are shorter: a rectangle for Excel
        sh.range((1, 1)).value = [[neutral.excel_text(v) for v in r] + [None] * (width - len(r)) for r in rows]
        sh.visible = False
        try:
            sh.api.Visible = 2      # xlSheetVeryHidden (Windows); a plain hidden sheet elsewhere
        except Exception:
            pass

    def write_report(self, lay: ReportLayout) -> None:
        sh = self._new_sheet(REPORT_SHEET)
        width = max((len(r) for r in lay.rows), default=1)
        sh.range((1, 1)).value = [[neutral.excel_text(v) for v in r] + [None] * (width - len(r)) for r in lay.rows]
        for r in lay.title_rows:
            sh.range((r, 1)).font.bold = True
        for r in lay.head_rows:
            for c in range(1, len(lay.rows[r - 1]) + 1):
                cell = sh.range((r, c))
                cell.font.bold = True
                cell.color = tuple(int(lay.head_fill[i:i + 2], 16) for i in (0, 2, 4))
        for (r, c), rgb in lay.fills.items():
            sh.range((r, c)).color = tuple(int(rgb[i:i + 2], 16) for i in (0, 2, 4))
        for r, c, target in lay.links:
            cell = sh.range((r, c))
            cell.add_hyperlink(target, text_to_display=str(cell.value))
        for r, c in lay.wrap:
            sh.range((r, c)).wrap_text = True
        for i, w in enumerate(lay.widths):
            sh.range((1, i + 1)).column_width = w
        try:                                   # the same row heights and print setup as the CLI's report
            for r, h in lay.heights.items():
                sh.range((r, 1)).row_height = h
            ps = sh.api.PageSetup              # Excel's object model (Windows); elsewhere this is skipped
            ps.Orientation = 2 if lay.landscape else 1          # xlLandscape
            ps.PaperSize = 9                                    # xlPaperA4
            ps.Zoom = False
            ps.FitToPagesWide = lay.fit_width
            ps.FitToPagesTall = False
            if lay.repeat_row:
                ps.PrintTitleRows = f"${lay.repeat_row}:${lay.repeat_row}"
        except Exception:
            pass
