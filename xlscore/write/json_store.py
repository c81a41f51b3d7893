"""The workbook the WPS add-in posts, as grids and as a store that records what to do (api 1).

The WPS add-in (``xlscore/wps/addin``) reads the active workbook through the WPS object model and posts
it as JSON (README, "WPS 服务的 JSON"). :func:`parse_workbook` checks that document and holds it in
memory; :class:`JsonStore` offers the store primitives of :mod:`xlscore.write.apply` over it, changing
the in-memory copy (so the grids read after ``restore`` see the restored values, as in Excel) and
recording each primitive as an *op*. The add-in replays the ops through the object model in order:
the restore, the plan and the report are computed here, once, by the same code the xlwings button
and the CLI use.

A cell of the posted workbook: ``{"r": 3, "c": 2, "v": Value2, "f": Formula, "t": Text, "nf":
NumberFormat, "fill": "RRGGBB", "note": comment text}``; everything but ``r``/``c`` is optional.
``v`` is what ``Range.Value2`` gives: numbers as doubles, dates as serial numbers (turned back into
dates here when the number format is a date format, as openpyxl does for a file), text, booleans.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..grid import Grid, as_shown, is_formula_text, whole_number
from .apply import REPORT_SHEET, STATE_SHEET, ReportLayout, Snapshot, fill_rgb

API = 1
ERROR_LITERALS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
MAX_ROW, MAX_COL = 1_048_576, 16_384


class BadWorkbook(ValueError):
    """The posted document is not a workbook of this API; *reason* says where (for the 400 message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class JsonSheet:
    name: str
    protected: bool = False
    cells: dict[tuple[int, int], dict] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    visible: int = -1

    def merge_of(self, row: int, col: int):
        for m in self.merges:
            if m[0] <= row <= m[2] and m[1] <= col <= m[3]:
                return m
        return None


@dataclass
class JsonBook:
    name: str
    path: str = ""
    sheets: list[JsonSheet] = field(default_factory=list)

    def sheet(self, name: str) -> JsonSheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def _int(v: Any, what: str, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or int(v) != v or not lo <= v <= hi:
        raise BadWorkbook(what)
    return int(v)


def parse_workbook(doc: Any) -> JsonBook:
    """The ``workbook`` member of a request, checked; raises :class:`BadWorkbook`."""
    if not isinstance(doc, dict) or not isinstance(doc.get("sheets"), list):
        raise BadWorkbook("workbook.sheets")
    book = JsonBook(str(doc.get("name") or "workbook"), str(doc.get("path") or ""))
    seen = set()
    for i, s in enumerate(doc["sheets"]):
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"]:
            raise BadWorkbook(f"workbook.sheets[{i}].name")
        if s["name"] in seen:
            raise BadWorkbook(f"workbook.sheets[{i}].name")
        seen.add(s["name"])
        sh = JsonSheet(s["name"], bool(s.get("protected")), visible=s.get("visible", -1) if isinstance(
            s.get("visible", -1), int) else -1)
        cells = s.get("cells", [])
        if not isinstance(cells, list):
            raise BadWorkbook(f"workbook.sheets[{i}].cells")
        for j, c in enumerate(cells):
            where = f"workbook.sheets[{i}].cells[{j}]"
            if not isinstance(c, dict):
                raise BadWorkbook(where)
            r, col = _int(c.get("r"), where + ".r", 1, MAX_ROW), _int(c.get("c"), where + ".c", 1, MAX_COL)
            v = c.get("v")
            if v is not None and not isinstance(v, (str, int, float, bool)):
                raise BadWorkbook(where + ".v")
            for key in ("f", "t", "nf", "fill", "note"):
                if c.get(key) is not None and not isinstance(c[key], str):
                    raise BadWorkbook(f"{where}.{key}")
            sh.cells[(r, col)] = {k: c.get(k) for k in ("v", "f", "t", "nf", "fill", "note") if c.get(k) is not None}
        merges = s.get("merges", [])
        if not isinstance(merges, list):
            raise BadWorkbook(f"workbook.sheets[{i}].merges")
        for j, m in enumerate(merges):
            where = f"workbook.sheets[{i}].merges[{j}]"
            if not isinstance(m, list) or len(m) != 4:
                raise BadWorkbook(where)
            r1, c1 = _int(m[0], where, 1, MAX_ROW), _int(m[1], where, 1, MAX_COL)
            r2, c2 = _int(m[2], where, r1, MAX_ROW), _int(m[3], where, c1, MAX_COL)
            sh.merges.append((r1, c1, r2, c2))
        book.sheets.append(sh)
    return book


# --------------------------------------------------------------------------- values as the engine reads them

_num = whole_number          # one rule for both adapters (grid.whole_number)
_is_formula = is_formula_text


def cell_value(c: dict) -> Any:
    """The typed value of a posted cell: Value2 with dates and error values as a file gives them."""
    v, nf, text = c.get("v"), c.get("nf"), c.get("t")
    if isinstance(text, str) and text in ERROR_LITERALS and not isinstance(v, str):
        return text                      # openpyxl reads an error cell as its literal
    if isinstance(v, (int, float)) and not isinstance(v, bool) and nf:
        from openpyxl.styles.numbers import is_date_format
        if is_date_format(nf):
            from openpyxl.utils.datetime import from_excel
            try:
                return from_excel(v)
            except (ValueError, OverflowError):
                return _num(v)
    return _num(v)


def grids(book: JsonBook, skip: tuple[str, ...] = ()) -> list[Grid]:
    out = []
    for sh in book.sheets:
        if sh.name in skip:
            continue
        g = Grid(sh.name)
        for (r, c), cell in sorted(sh.cells.items()):
            v = cell_value(cell)
            f = cell.get("f")
            is_f = _is_formula(f, cell.get("v"))
            if not is_f and (v is None or v == ""):
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = as_shown(v, cell.get("nf"))        # 0.95 in a 0% cell reads "95%"
            if is_f:
                g.set(r, c, f, v, formula=True)
            else:
                g.set(r, c, v, None, formula=False)
        g.merges = sorted(set(sh.merges))
        out.append(g)
    return out


def wire(v: Any) -> Any:
    """A value as the add-in writes it through Value2: a date as its serial number."""
    if isinstance(v, (_dt.date, _dt.datetime)):
        from openpyxl.utils.datetime import to_excel
        return to_excel(v if isinstance(v, _dt.datetime) else _dt.datetime(v.year, v.month, v.day))
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


# --------------------------------------------------------------------------- the store

class JsonStore:
    """Store primitives (:mod:`xlscore.write.apply`) on a posted workbook; every change is an op."""

    def __init__(self, book: JsonBook):
        self.book = book
        self.ops: list[dict] = []

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read_state(self) -> list[list[Any]]:
        sh = self.book.sheet(STATE_SHEET)
        if not sh.cells:
            return []
        rows = max(r for r, _ in sh.cells)
        cols = max(c for _, c in sh.cells)
        out = []
        for r in range(2, rows + 1):
            out.append([cell_value(sh.cells[(r, c)]) if (r, c) in sh.cells else None for c in range(1, cols + 1)])
        return out

    def drop_sheet(self, name: str) -> None:
        self.book.sheets.remove(self.book.sheet(name))
        self.ops.append({"op": "drop_sheet", "name": name})

    def _cell(self, sheet: str, row: int, col: int) -> dict:
        return self.book.sheet(sheet).cells.setdefault((row, col), {})

    def snapshot(self, sheet: str, row: int, col: int) -> Snapshot | None:
        sh = self.book.sheet(sheet)
        m = sh.merge_of(row, col)
        if m is not None and (m[0], m[1]) != (row, col):
            return None
        cell = sh.cells.get((row, col), {})
        is_f = _is_formula(cell.get("f"), cell.get("v"))
        fill = cell.get("fill")
        return Snapshot(cell["f"] if is_f else cell_value(cell), is_f, "rgb:" + fill.upper() if fill else "none",
                        (cell["note"], "") if cell.get("note") is not None else None, cell.get("nf") or "General")

    def put_value(self, sheet: str, row: int, col: int, value: Any, formula: bool) -> None:
        cell = self._cell(sheet, row, col)
        cell.pop("t", None)
        if formula:
            cell["f"], cell["v"] = value, None
        else:
            cell.pop("f", None)
            cell["v"] = wire(value)
        self.ops.append({"op": "value", "sheet": sheet, "row": row, "col": col, "value": wire(value),
                         "formula": bool(formula)})

    def put_fill(self, sheet: str, row: int, col: int, token: str | None) -> None:
        rgb = fill_rgb(token)
        cell = self._cell(sheet, row, col)
        if rgb is None:
            cell.pop("fill", None)
        else:
            cell["fill"] = rgb
        self.ops.append({"op": "fill", "sheet": sheet, "row": row, "col": col, "rgb": rgb})

    def put_number_format(self, sheet: str, row: int, col: int, fmt: str) -> None:
        self._cell(sheet, row, col)["nf"] = fmt
        self.ops.append({"op": "number_format", "sheet": sheet, "row": row, "col": col, "format": fmt})

    def put_comment(self, sheet: str, row: int, col: int, text: str | None, author: str) -> None:
        cell = self._cell(sheet, row, col)
        if text:
            cell["note"] = text
        else:
            cell.pop("note", None)
        self.ops.append({"op": "comment", "sheet": sheet, "row": row, "col": col, "text": text or None})

    def _new_sheet(self, name: str) -> JsonSheet:
        sh = JsonSheet(name)
        self.book.sheets.append(sh)
        return sh

    def write_state(self, rows: list[list[Any]]) -> None:
        sh = self._new_sheet(STATE_SHEET)
        sh.visible = 2
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row, start=1):
                if v is not None:
                    sh.cells[(i, j)] = {"v": wire(v)}
        self.ops.append({"op": "state", "name": STATE_SHEET, "rows": [[wire(v) for v in r] for r in rows]})

    def write_report(self, lay: ReportLayout) -> None:
        sh = self._new_sheet(REPORT_SHEET)
        for i, row in enumerate(lay.rows, start=1):
            for j, v in enumerate(row, start=1):
                if v is not None and v != "":
                    sh.cells[(i, j)] = {"v": wire(v)}
        self.ops.append({"op": "report", "name": REPORT_SHEET, "layout": {
            "rows": [[wire(v) for v in r] for r in lay.rows],
            "title_rows": list(lay.title_rows), "head_rows": list(lay.head_rows), "head_fill": lay.head_fill,
            "fills": [[r, c, rgb] for (r, c), rgb in sorted(lay.fills.items())],
            "links": [[r, c, target] for r, c, target in lay.links],
            "wrap": [[r, c] for r, c in lay.wrap], "widths": list(lay.widths), "autofilter": lay.autofilter}})

    def protected_sheets_touched(self, original: set[str]) -> list[str]:
        """The protected sheets of the posted workbook that an op changes: the add-in lifts their
        password-less protection before the first op and puts it back after the last."""
        touched = []
        for op in self.ops:
            s = op.get("sheet")
            if s in original and s not in touched:
                touched.append(s)
        return touched
