"""The openpyxl adapter: open a workbook file safely, build grids, apply a write plan, save atomically.

Idempotence: every cell the tool touches is recorded (original value, fill, number format, comment)
in a very-hidden sheet ``xlscore_state``. A later run first restores those originals — unless the user
has since typed a new value, or deleted the tool's comment to accept its value — so running ``recalc``
twice gives the same workbook, and ``check`` on a recalculated workbook reports what the clerk typed,
not what the tool wrote.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

from ..errors import InputError, OutputError
from ..grid import Grid
from ..report import FileResult
from . import features as _features
from .plan import COMMENT_AUTHOR, FILL, NO_VALUE, FINDINGS_HEAD, SUMMARY_HEAD, WRITES_HEAD, Plan, build_plan

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


def load(path: Path):
    """(workbook with formulas, workbook with cached values or None). Raises InputError."""
    import openpyxl

    validate(path)
    keep_vba = path.suffix.lower() in (".xlsm", ".xltm")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, keep_vba=keep_vba, rich_text=True)
            has_formula = any(c.data_type == "f" for ws in wb.worksheets for c in ws._cells.values())
            cached = openpyxl.load_workbook(path, data_only=True) if has_formula else None
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged packages
        raise InputError("file-corrupt", path=str(path), reason=f"{type(exc).__name__}: {exc}"[:200]) from None
    return wb, cached


def _plain(v: Any) -> Any:
    if v is None:
        return None
    cls = type(v).__name__
    if cls == "CellRichText":
        return str(v)
    if cls == "ArrayFormula":
        return v.text
    if cls == "DataTableFormula":
        return "=TABLE()"
    return v


def grids(wb, cached=None, skip: tuple[str, ...] = ()) -> list[Grid]:
    out = []
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        g = Grid(ws.title)
        cws = cached[ws.title] if cached is not None and ws.title in cached.sheetnames else None
        for (r, c), cell in ws._cells.items():
            v = _plain(cell.value)
            if v is None or v == "":
                continue
            is_formula = cell.data_type == "f"
            cv = None
            if is_formula and cws is not None and (r, c) in cws._cells:
                cv = cws._cells[(r, c)].value
            g.set(r, c, v, cv, formula=is_formula)
        g.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        out.append(g)
    return out


# --------------------------------------------------------------------------- state (idempotence)

def _enc(v: Any) -> str:
    v = _plain(v)
    if v is None:
        return json.dumps({"t": "null"})
    if isinstance(v, bool):
        return json.dumps({"t": "b", "v": v})
    if isinstance(v, (int, float)):
        return json.dumps({"t": "n", "v": v})
    if isinstance(v, _dt.datetime):
        return json.dumps({"t": "dt", "v": v.isoformat()})
    if isinstance(v, _dt.date):
        return json.dumps({"t": "d", "v": v.isoformat()})
    return json.dumps({"t": "s", "v": str(v)}, ensure_ascii=False)


def _dec(s: str | None) -> Any:
    if not s:
        return None
    d = json.loads(s)
    t = d.get("t")
    if t == "null":
        return None
    if t == "dt":
        return _dt.datetime.fromisoformat(d["v"])
    if t == "d":
        return _dt.date.fromisoformat(d["v"])
    return d.get("v")


def _same(a: Any, b: Any) -> bool:
    a, b = _plain(a), _plain(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9
    return a == b


def _set_value(cell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _set_original(cell, value: Any, was_formula: bool) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("=") and not was_formula:
        cell.data_type = "s"


def _fill_xml(cell) -> str:
    from openpyxl.xml.functions import tostring
    return tostring(cell.fill.to_tree()).decode("utf-8")


def _fill_from(xml: str):
    from openpyxl.styles.fills import Fill
    from openpyxl.xml.functions import fromstring
    return Fill.from_tree(fromstring(xml))


def restore(wb) -> None:
    """Undo the previous run: originals back into the cells the tool touched; drop its sheets."""
    from openpyxl.comments import Comment
    from ..engine import REPORT_SHEET, STATE_SHEET

    if STATE_SHEET in wb.sheetnames:
        st = wb[STATE_SHEET]
        for row in st.iter_rows(min_row=2, values_only=True):
            if not row or not row[0]:
                continue
            sheet, ref, orig, written, fill, ctext, cauthor, fmt, was_formula = (list(row) + [None] * 9)[:9]
            if sheet not in wb.sheetnames:
                continue
            cell = wb[sheet][ref]
            ours = cell.comment is not None and (cell.comment.text or "").startswith("xlscore:")
            # the tool's value is still there and its comment too: put back what the clerk typed.
            # A different value, or a deleted comment, means the user took over: keep the cell's value.
            if written and ours and _same(cell.value, _dec(written)):
                _set_original(cell, _dec(orig), bool(was_formula))
            if fill:
                cell.fill = _fill_from(fill)
            if fmt is not None:
                cell.number_format = fmt
            cell.comment = Comment(ctext, cauthor or "") if ctext else None
        del wb[STATE_SHEET]
    if REPORT_SHEET in wb.sheetnames:
        del wb[REPORT_SHEET]


# --------------------------------------------------------------------------- applying a plan

def apply(wb, plan: Plan) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from ..engine import STATE_SHEET

    state = []
    for (sheet, row, col), a in sorted(plan.actions.items()):
        ws = wb[sheet]
        cell = ws.cell(row=row, column=col)
        if type(cell).__name__ == "MergedCell":
            continue
        old_comment = cell.comment
        state.append([sheet, cell.coordinate, _enc(cell.value),
                      _enc(a.value) if a.value is not NO_VALUE else None,
                      _fill_xml(cell), old_comment.text if old_comment else None,
                      old_comment.author if old_comment else None, cell.number_format,
                      1 if cell.data_type == "f" else 0])
        if a.value is not NO_VALUE:
            _set_value(cell, a.value)
            if a.number_format:
                cell.number_format = a.number_format
        if a.severity in FILL:
            cell.fill = PatternFill("solid", fgColor=FILL[a.severity])
        text = a.comment(plan.lang)
        if old_comment is not None and old_comment.text:
            text += ("\n—— 原批注 ——\n" if plan.lang == "zh" else "\n—— original comment ——\n") + old_comment.text
        lines = text.count("\n") + 1 + len(text) // 40
        cell.comment = Comment(text, COMMENT_AUTHOR, height=min(600, 20 * lines + 20), width=360)
    _report_sheet(wb, plan)
    if state:
        st = wb.create_sheet(STATE_SHEET)
        st.append(["sheet", "cell", "original", "written", "fill", "comment", "comment_author", "number_format",
                   "was_formula"])
        for r in state:
            st.append(r)
        st.sheet_state = "veryHidden"


def _report_sheet(wb, plan: Plan) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from ..engine import REPORT_SHEET

    ws = wb.create_sheet(REPORT_SHEET)
    lang = plan.lang
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="FFD9E1F2")
    ws.append([plan.header[0]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([plan.header[1]])
    ws.append([])

    def table(title: str, head: list[str], rows: list[list[Any]]) -> int:
        ws.append([title])
        ws.cell(ws.max_row, 1).font = bold
        ws.append(head)
        hr = ws.max_row
        for c in range(1, len(head) + 1):
            ws.cell(hr, c).font = bold
            ws.cell(hr, c).fill = head_fill
        for r in rows:
            ws.append(r)
        ws.append([])
        return hr

    table("汇总" if lang == "zh" else "Summary", SUMMARY_HEAD[lang], plan.summary)
    hr = table("问题清单" if lang == "zh" else "Findings", FINDINGS_HEAD[lang], plan.findings)
    for i, row in enumerate(plan.findings):
        r = hr + 1 + i
        sheet, ref, sev = row[1], row[2], row[3]
        if ref:
            c = ws.cell(r, 3)
            quoted = sheet.replace("'", "''")
            c.hyperlink = f"#'{quoted}'!{ref}"
            c.style = "Hyperlink"
        fill = {"错误": FILL["error"], "error": FILL["error"], "警告": FILL["warning"], "warning": FILL["warning"]}.get(sev)
        if fill:
            ws.cell(r, 4).fill = PatternFill("solid", fgColor=fill)
        ws.cell(r, 7).alignment = Alignment(wrap_text=True, vertical="top")
    if plan.findings:
        ws.auto_filter.ref = f"A{hr}:J{hr + len(plan.findings)}"
    if plan.writes:
        wr = table("xlscore 改写的单元格（原值已保留在批注中）" if lang == "zh" else "Cells rewritten by xlscore (the typed value is kept in the comment)",
                   WRITES_HEAD[lang], plan.writes)
        for i, row in enumerate(plan.writes):
            c = ws.cell(wr + 1 + i, 2)
            quoted = row[0].replace("'", "''")
            c.hyperlink = f"#'{quoted}'!{row[1]}"
            c.style = "Hyperlink"
    for col, width in zip("ABCDEFGHIJ", (8, 14, 10, 8, 30, 24, 70, 14, 14, 50)):
        ws.column_dimensions[col].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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

def _analyse(engine, path: Path):
    from ..engine import OWN_SHEETS, has_form
    wb, cached = load(path)
    restore(wb)
    results = engine.analyse(grids(wb, cached, skip=OWN_SHEETS))
    if not has_form(results):
        raise InputError("file-no-form", path=str(path))
    return wb, results


def check(engine, path: Path) -> FileResult:
    _, results = _analyse(engine, path)
    return FileResult(str(path), sheets=results)


def recalc(engine, path: Path, out: Path | None = None) -> FileResult:
    from ..i18n import t
    lost = _features.detect(path, keep_vba=path.suffix.lower() in (".xlsm", ".xltm"))
    wb, results = _analyse(engine, path)
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
