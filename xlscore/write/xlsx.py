"""Workbook files: open one safely (limits), check it, recalc it. recalc writes through the package store
(write/package.py) and falls back to the openpyxl adapter here (grids, the openpyxl store, atomic save) where
that store refuses the workbook.

It never calls the engine: :mod:`xlscore.jobs` reads a file through :func:`read`, has the engine analyse the grids,
builds the plan and hands it to :func:`recalc` (apply, then save in place, as ``-o`` or beside).

Idempotence: every cell the tool touches is recorded (original value, fill, number format, comment)
in a very-hidden sheet ``xlscore_state``. A later run first restores those originals — unless the user
has since typed a new value, or deleted the tool's comment to accept its value — so running ``recalc``
twice gives the same workbook, and ``check`` on a recalculated workbook reports what the clerk typed,
not what the tool wrote.
"""

from __future__ import annotations

import itertools
import os
import re
import struct
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError, OutputError
from ..grid import Grid, as_shown, col_letter
from ..numbers import tame
from . import features as _features
from . import neutral, safefile
from .apply import OWN_SHEETS, REPORT_SHEET, STATE_SHEET, ReportLayout, Snapshot, apply_plan, fill_rgb, plain
from .apply import restore as _restore
from .plan import COMMENT_AUTHOR, Plan

READABLE = (".xlsx", ".xlsm", ".xltx", ".xltm")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------- opening

def validate(path: Path) -> None:
    """Raise InputError with a one-line reason when *path* is not a readable workbook."""
    checked(path, keep=False)


def checked(path: Path, keep: bool = True):
    """:func:`validate` *path*, in one pass that inflates every part once (its CRC checked, as ``testzip`` does; the
    DTD check and a bound on the cell count on those bytes). With *keep*: the parts the light reader reads, as a
    :class:`xlscore.read.fastxlsx.Parts` (within a memory budget; the others it reads from the zip), or None where
    the pass met anything unusual — the checks then ran one by one as before (testzip, refuse_dtds, count_cells), so
    a bad file gets the same verdict, in the same words, whichever way it went."""
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
    bad = parts = None
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            check_limits(zf, infos, p)      # on the zip directory, before a byte is inflated
            if "xl/workbook.xml" in names:
                parts = _inflate(zf, infos, keep, path)
            if parts is None:               # the checks one by one: their verdict, in their words
                bad = zf.testzip()
                if "xl/workbook.xml" in names:
                    refuse_dtds(zf, infos, p)
                    count_cells(zf, infos, p)
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        safefile.reraise_if_terminated()
        raise InputError("file-corrupt", path=p, reason=str(exc)[:200]) from None
    if bad is not None:
        raise InputError("file-corrupt", path=p, reason=f"damaged part {bad}")
    if "xl/workbook.xml" not in names:
        raise InputError("file-corrupt", path=p, reason="no xl/workbook.xml")
    if parts is None or parts is False:       # (None: the checks ran one by one; the light reader reads the zip)
        return None
    from ..read import fastxlsx
    return fastxlsx.Parts(path, parts, [i.filename for i in infos])


_CHUNK = 1 << 20
KEEP_MB = 64                  # the inflated parts kept for the light reader, at most (the others it reads again)
_NOT_READ = ("xl/media/", "xl/theme/", "docProps/", "xl/drawings/", "xl/charts/", "customXml/", "xl/printerSettings/")


def _inflate(zf: zipfile.ZipFile, infos, keep: bool, path: Path):
    """The one pass of :func:`checked`: every part inflated once, in the zip's order; {name: bytes} of the parts
    kept (False without *keep*), or None at anything :func:`checked` leaves to the checks one by one (a damaged
    part, a DTD, possibly too many cells, an error of any kind)."""
    cap = limit("cells")
    budget = KEEP_MB << 20
    kept: dict[str, bytes] = {}
    n = 0
    try:
        buf = path.read_bytes() if os.path.getsize(path) <= _WHOLE else None
        for i in infos:
            name = i.filename
            low = name.lower()
            markup = low.endswith((".xml", ".rels", ".vml"))
            sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
            kept_here = keep and markup and i.file_size <= budget and not name.startswith(_NOT_READ)
            if kept_here or i.file_size <= _CHUNK:
                data = _part(buf, i) if buf is not None else None
                if data is None:
                    data = zf.read(i)                   # the CRC is checked at the end of the part
                if kept_here:
                    budget -= len(data)
                    kept[name] = data
                else:
                    kept.pop(name, None)                # a name twice: the reader reads the last one
                if markup and _declares_dtd(data):
                    return None
                if sheet:
                    n += data.count(b"<")               # at least its cells (each tag begins with one); where
                    if n > cap:                         # this bound passes the limit, count_cells counts exactly
                        return None
                continue
            kept.pop(name, None)                        # a name twice: the reader reads the last one
            with zf.open(i) as fh:                      # streamed, as testzip and count_cells read it
                chunks = _chunks(fh)
                first = next(chunks, b"")
                if markup and _declares_dtd(first):
                    return None
                if not sheet:
                    for _ in chunks:                    # read to its end all the same: the CRC is checked there
                        pass
                    continue
                base = n
                for k in _running_cells(itertools.chain([first], chunks)):
                    n = base + k
                    if n > cap:
                        return None
    except Exception:  # noqa: BLE001 - the checks one by one say what it is
        safefile.reraise_if_terminated()
        return None
    return kept if keep else False


_WHOLE = 32 << 20             # a file up to this size is read at once, and its parts inflated from those bytes
_LOCAL = struct.Struct("<4s2B4HL2L2H")       # a local file header (zipfile.structFileHeader)


def _part(buf: bytes, i: zipfile.ZipInfo) -> bytes | None:
    """Part *i* inflated from *buf*, the whole zip file, where it is plain (stored or deflated, not encrypted, its
    local header naming it, the deflate stream complete, the size and CRC the directory gives) — then it is what
    ZipFile.read returns, without ZipFile's file objects —, else None (ZipFile.read then reads it, or fails)."""
    if i.flag_bits & 0x61 or i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None                                # encrypted, patched, strong encryption; other methods
    off = i.header_offset
    if off < 0 or off + 30 > len(buf):
        return None
    h = _LOCAL.unpack_from(buf, off)
    if h[0] != b"PK\x03\x04" or h[3] & 0x61:
        return None
    start = off + 30 + h[10]
    try:
        if buf[off + 30:start].decode("utf-8" if h[3] & 0x800 else "cp437") != i.orig_filename:
            return None
    except UnicodeDecodeError:
        return None
    start += h[11]
    raw = buf[start:start + i.compress_size]
    if len(raw) != i.compress_size:
        return None
    if i.compress_type == zipfile.ZIP_DEFLATED:
        d = zlib.decompressobj(-15)
        try:
            data = d.decompress(raw, i.file_size + 1)       # never more than the directory says (a bomb)
        except zlib.error:
            return None
        if not d.eof:
            return None
    else:
        data = raw
    if len(data) != i.file_size or zlib.crc32(data) != i.CRC:
        return None
    return data


def _chunks(fh) -> Iterator[bytes]:
    return iter(lambda: fh.read(_CHUNK), b"")


def _running_cells(chunks) -> Iterator[int]:
    """The cells of a sheet's XML counted so far, after each chunk (a tag split across two chunks counted once)."""
    n = 0
    tail = b""
    for chunk in chunks:
        buf = tail + chunk
        if tail:
            n += sum(1 for m in _CELL_TAG.finditer(buf) if m.end() > len(tail))
        else:                       # the first chunk: every tag counts
            n += len(_CELL_TAG.findall(buf))
        tail = buf[-20:]
        yield n


def _declares_dtd(head: bytes) -> bool:
    """Office XML never declares a DTD; one that does can expand entities ("billion laughs") as it is parsed."""
    return b"<!DOCTYPE" in head[:4096] or b"<!ENTITY" in head[:4096]


# --------------------------------------------------------------------------- limits (hostile input)

def limit(name: str) -> int:
    """A limit on what a workbook may hold; ``XLSCORE_MAX_<NAME>`` in the environment raises or lowers it."""
    raw = os.environ.get("XLSCORE_MAX_" + name.upper())
    try:
        return int(raw) if raw else LIMITS[name]
    except ValueError:
        return LIMITS[name]


LIMITS = {
    "unpacked_mb": 512,        # all parts together, uncompressed (real forms: well under 10 MB)
    "ratio": 200,              # uncompressed / compressed of one part above 1 MiB (sheet XML: 5–30×; a bomb: 1000×+)
    "parts": 10_000,           # zip entries
    "cells": 1_000_000,        # cells in all worksheets (a 13-form workbook: ~3,000; openpyxl needs ~10 s per million)
}


def check_limits(zf: zipfile.ZipFile, infos, p: str) -> None:
    if len(infos) > limit("parts"):
        raise InputError("file-too-many-parts", path=p, n=len(infos), limit=limit("parts"))
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > (1 << 20) and i.file_size > limit("ratio") * max(i.compress_size, 1):
            raise InputError("file-zip-ratio", path=p, part=i.filename, ratio=i.file_size // max(i.compress_size, 1),
                             limit=limit("ratio"))
    if total > limit("unpacked_mb") << 20:
        raise InputError("file-too-big", path=p, mb=total >> 20, limit=limit("unpacked_mb"))


def refuse_dtds(zf: zipfile.ZipFile, infos, p: str) -> None:
    """A DTD in any XML part (:func:`_declares_dtd`) refuses the file."""
    for i in infos:
        if i.filename.lower().endswith((".xml", ".rels", ".vml")):
            with zf.open(i) as fh:
                head = fh.read(4096)
            if _declares_dtd(head):
                raise InputError("file-corrupt", path=p, reason=f"{i.filename}: DTD/实体声明 / a DTD or entity declaration")


_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?c[\s>/]")


def count_cells(zf: zipfile.ZipFile, infos, p: str) -> int:
    """Cells in the worksheets, counted on the raw XML in a streaming pass (no parse), so a sheet of millions
    of cells is refused before openpyxl builds them."""
    cap = limit("cells")
    n = 0
    for i in infos:
        if not (i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")):
            continue
        base = n
        with zf.open(i) as fh:
            for k in _running_cells(_chunks(fh)):
                n = base + k
                if n > cap:
                    raise InputError("file-too-many-cells", path=p, limit=cap)
    return n


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
        safefile.reraise_if_terminated()
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())       # one line, whatever the library says
        raise InputError("file-corrupt", path=str(path), reason=reason[:200]) from None
    return wb, cached


def grids(wb, cached=None, skip: tuple[str, ...] = ()) -> list[Grid]:
    """The grids of *wb*'s worksheets (the cached values of formulas from *cached*, openpyxl's data_only load);
    formulas saved without a result are computed (xlscore.read.formulas), as in the light reader."""
    from ..read import formulas
    out = []
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        g = Grid(ws.title)
        cws = cached[ws.title] if cached is not None and ws.title in cached.sheetnames else None
        for (r, c), cell in ws._cells.items():
            v = tame(plain(cell.value))
            if v is None or v == "":
                continue
            is_formula = cell.data_type == "f"
            cv = None
            if is_formula:
                raw = tame(plain(cws._cells[(r, c)].value)) if cws is not None and (r, c) in cws._cells else None
                cv = as_shown(raw, cell.number_format)
                if cv is not raw:
                    g.numbers[(r, c)] = raw            # the number behind "95%", for formulas that refer to it
                elif raw is None:
                    g.formats[(r, c)] = cell.number_format
            else:
                shown = as_shown(v, cell.number_format)
                if shown is not v:
                    g.numbers[(r, c)] = v
                v = shown
            g.set(r, c, v, cv, formula=is_formula)
        g.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        out.append(g)
    formulas.fill(out, epoch1904=wb.epoch.year == 1904)
    return out


# --------------------------------------------------------------------------- the openpyxl store

class OpenpyxlStore:
    """The cell primitives of :mod:`xlscore.write.apply` on an openpyxl workbook."""

    def __init__(self, wb):
        self.wb = wb

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def read_state(self) -> list[list[Any]]:
        # plain(): a state sheet LibreOffice saved again comes back as rich text (CellRichText), not str
        return [[plain(v) for v in r] for r in self.wb[STATE_SHEET].iter_rows(min_row=2, values_only=True)]

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
        text = neutral.text(text)[:neutral.MAX_CELL - 1]       # Excel's limit on a comment's text
        if author == COMMENT_AUTHOR:
            lines = text.count("\n") + 1 + len(text) // 40
            cell.comment = Comment(text, author, height=min(600, 20 * lines + 20), width=360)
        else:
            cell.comment = Comment(text, author)

    def write_state(self, rows: list[list[Any]]) -> None:
        st = self.wb.create_sheet(STATE_SHEET)
        for r in rows:
            st.append([neutral.text(v) for v in r])
        _as_text(st)
        st.sheet_state = "veryHidden"

    def write_report(self, lay: ReportLayout) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.worksheet.properties import PageSetupProperties
        ws = self.wb.create_sheet(REPORT_SHEET)
        for r, c, v in lay.cells():
            self._report_put(ws, r, c, v)
        for r in lay.title_rows:
            ws.cell(r, 1).font = Font(bold=True, size=14 if r == 1 else 11)
        head_fill = PatternFill("solid", fgColor="FF" + lay.head_fill)
        for r in lay.head_rows:
            for c in range(1, len(lay.rows[r - 1]) + 1):
                ws.cell(r, c).font = Font(bold=True)
                ws.cell(r, c).fill = head_fill
                ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for (r, c), rgb in lay.fills.items():
            ws.cell(r, c).fill = PatternFill("solid", fgColor="FF" + rgb)
        for r, c, target in lay.links:
            ws.cell(r, c).hyperlink = target
            ws.cell(r, c).style = "Hyperlink"
            ws.cell(r, c).alignment = Alignment(vertical="top")
        for r, c in lay.wrap:
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        for r, c in lay.center:
            ws.cell(r, c).alignment = Alignment(horizontal="center", vertical="top")
        if lay.autofilter:
            ws.auto_filter.ref = lay.autofilter
        for i, width in enumerate(lay.widths):
            ws.column_dimensions[col_letter(i + 1)].width = width
        for r, h in lay.heights.items():
            ws.row_dimensions[r].height = h
        ws.page_setup.orientation = "landscape" if lay.landscape else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = lay.fit_width
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "&P / &N"
        if lay.repeat_row:
            ws.print_title_rows = f"{lay.repeat_row}:{lay.repeat_row}"

    @staticmethod
    def _report_put(ws, row: int, col: int, value: Any) -> None:
        """The one place a value goes into the report sheet: text from the form is a string cell with its control
        characters made visible (write/neutral.py), never a formula."""
        cell = ws.cell(row, col)
        cell.value = neutral.text(value)
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _as_text(ws) -> None:
    """Every string cell of a sheet xlscore writes is a string cell: text from the form that begins with "="
    stays text (openpyxl would store it as a formula)."""
    for cell in ws._cells.values():
        if isinstance(cell.value, str):
            cell.data_type = "s"


def restore(wb) -> int:
    """Put back what the previous run changed; the number of damaged state rows skipped."""
    return _restore(OpenpyxlStore(wb))


def apply(wb, plan: Plan) -> None:
    apply_plan(OpenpyxlStore(wb), plan)


# --------------------------------------------------------------------------- saving

def save_atomic(wb, target: Path, lang: str = "zh") -> None:
    """Save *wb* over (or as) *target* the safe way: write/safefile.py (temp file, fsync, rename; mode, owner
    and hard links kept; no temp file left)."""
    safefile.write(Path(target), wb.save)


# --------------------------------------------------------------------------- the two jobs' file halves

def read(path: Path, model: bool = False) -> tuple[Any, list[Grid], int]:
    """(openpyxl's workbook — for recalc (*model*), or where the light reader left the file to openpyxl —, the grids
    of its sheets as the previous run left them to the user (restored), the number of damaged state rows skipped).

    check reads through the light reader (xlscore.read.fastxlsx: the same grids, without openpyxl's model). recalc
    loads openpyxl's model to write back; of openpyxl's two loads the light reader spares the second, the cached
    values of formulas."""
    wb = gs = None
    skipped = 0
    if model:
        wb, cached = load(path, cached_values=False)
        if any(c.data_type == "f" for ws in wb.worksheets for c in ws._cells.values()):
            gs = _light(path, OWN_SHEETS)
            if gs is None:
                cached = _load_cached(path)
        skipped = restore(wb)
    else:
        parts = checked(path)
        gs = _light(parts if parts is not None else path, OWN_SHEETS)
        if gs is None:
            wb, cached = load(path)
            skipped = restore(wb)
    if gs is None:
        gs = grids(wb, cached, skip=OWN_SHEETS)
    return wb, gs, skipped


def _light(path, skip: tuple[str, ...]) -> list[Grid] | None:
    """The light reader's grids of *path* (or of the parts :func:`checked` kept), or None: openpyxl reads."""
    from ..read import fastxlsx
    try:
        return fastxlsx.read(path, skip=skip)
    except Exception:     # fastxlsx.Defer, or damage that openpyxl then reports in its own words
        safefile.reraise_if_terminated()
        return None


def _load_cached(path: Path):
    import openpyxl
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        safefile.reraise_if_terminated()
        raise InputError("file-corrupt", path=str(path), reason=f"{type(exc).__name__}: {exc}"[:200]) from None


def open_package(path: Path):
    """(the package store of *path*, its grids as the previous run left them to the user, damaged state rows skipped),
    or None where the package store (write/package.py) refuses the workbook — the caller then uses openpyxl. It
    refuses files the light reader defers on (strict OOXML, ISO-date cells, a DOCTYPE, odd names or references),
    non-UTF-8 parts, threaded comments, prefixed (``x:``) SpreadsheetML, and any error while reading (openpyxl then
    reports the damage in its own words). An unreadable input (or one past the limits) is refused first."""
    from . import package
    parts = checked(path)            # the parts inflated once: the store reads them, not the zip again
    try:
        store = package.PackageStore(path, error_path=str(path), parts=parts)
    except Exception:  # noqa: BLE001 - package.Refuse, or damage: openpyxl decides
        safefile.reraise_if_terminated()
        return None
    try:
        skipped = _restore(store)
        gs = store.grids(OWN_SHEETS)
    except Exception:  # noqa: BLE001 - as above
        safefile.reraise_if_terminated()
        store.close()
        return None
    return store, gs, skipped


def save_package(store, plan: Plan, path: Path, out: Path | None = None, force: bool = False,
                 lang: str = "zh") -> tuple[str, str] | None:
    """Apply *plan* to the package store of *path* and save it — in place (every part xlscore does not own is kept as
    it is), as *out*, or through a symlink to its target; (the path written, the note that says where), or None where
    the store refuses the plan (writing over a shared or array formula): nothing is written then. Refused before a
    byte is written: numbers no spreadsheet can hold, a read-only target, one open in an editor (unless *force*)."""
    from . import package
    store.refuse_unwritable_numbers()
    inplace = out is None or _same_file(path, out)      # -o naming the input itself is an in-place write
    target = safefile.real_target(path if inplace else Path(out))     # a symlink: write the file it points to
    try:
        apply_plan(store, plan)
    except package.Refuse:
        return None
    safefile.sweep(target)                       # temp files a killed run left
    safefile.guard(target, force=force)          # read-only, or open in Excel/WPS/LibreOffice: nothing written
    note = _where_note(path, out, target, inplace, lang)
    try:
        store.save(target)
    except package.Refuse:
        return None
    return (str(path) if inplace and not os.path.islink(path) else str(target)), note


def recalc(wb, plan: Plan, path: Path, out: Path | None = None, force: bool = False,
           lang: str = "zh") -> tuple[str, str]:
    """The openpyxl writer (the fallback where the package store refuses; and what bench.py compares it with): apply
    *plan* to *wb* — the workbook of *path*, read with ``read(path, model=True)`` — and save it in place, as *out*,
    or beside (what openpyxl would lose); (the path written, the note that says where). Refused before a byte is
    written: numbers no spreadsheet can hold, a read-only target, one open in an editor (unless *force*)."""
    from ..i18n import t
    _refuse_unwritable_numbers(wb, path)
    inplace = out is None or _same_file(path, out)      # -o naming the input itself is an in-place write
    target = safefile.real_target(path if inplace else Path(out))     # a symlink: write the file it points to
    lost = _features.detect(path, keep_vba=path.suffix.lower() in (".xlsm", ".xltm")) if inplace else []
    if lost:
        suffix = ".xlsm" if path.suffix.lower() in (".xlsm", ".xltm") else ".xlsx"
        target = safefile.real_target(path.with_name(f"{path.stem}.xlscore{suffix}"))
    safefile.sweep(target)                       # temp files a killed run left
    safefile.guard(target, force=force)          # read-only, or open in Excel/WPS/LibreOffice: nothing written
    apply(wb, plan)
    if lost:
        note = t("wrote-beside", lang, path=str(target), features=_features.describe(lost, lang))
    else:
        note = _where_note(path, out, target, inplace, lang)
    save_atomic(wb, target, lang)
    plain_inplace = inplace and not lost and not os.path.islink(path)
    return str(path) if plain_inplace else str(target), note


def _where_note(path: Path, out: Path | None, target: Path, inplace: bool, lang: str) -> str:
    """What the user is told about where the result went: -o, through a symlink, or in place."""
    from ..i18n import t
    if not inplace:
        return t("wrote-out", lang, path=str(out))
    if os.path.islink(path):
        return t("wrote-link", lang, path=str(path), target=str(target))
    return t("wrote-inplace", lang, path=str(path))


def _refuse_unwritable_numbers(wb, path: Path) -> None:
    """A number no spreadsheet can hold (a 400-digit integer typed into the XML) can be read, and checked, but
    not saved again (openpyxl converts through float): refuse the write, in one line, before touching anything."""
    for ws in wb.worksheets:
        for (r, c), cell in ws._cells.items():
            v = cell.value
            if isinstance(v, int) and not isinstance(v, bool) and not -1e308 < v < 1e308:
                raise OutputError("output-number-too-big", path=str(path), sheet=ws.title, cell=f"{col_letter(c)}{r}",
                                  digits=len(str(abs(v))))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)
