"""A faster way to stream many plain rows into an xlsxwriter worksheet in constant-memory mode (the batch summary's
forms, findings and unreadable sheets: ~10 cells per finding, 100,000s of cells for a province).

xlsxwriter spends ~40 µs per cell on a busy 2-core machine: argument conversion, a per-cell tuple stored in a
table, a dispatch on the cell's class name, and a few regular expressions. :meth:`RowSheet.write_rows` writes the
same XML for the three kinds of cell the summary uses — text (an inline string, as constant-memory mode writes it),
number, and a formula with its cached text result — straight to the sheet's row file, several times faster. A test
holds the bytes equal to what ``write_string`` / ``write_number`` / ``write_formula`` produce for the same rows.

Two differences, both on purpose:

* a formula is written as given: xlsxwriter's ``write_formula`` rewrites the names of newer functions anywhere in
  the text, string literals included — ``FILTER(`` in a file name becomes ``_xlfn._xlws.FILTER(`` and the cell a
  dynamic array formula, so the link breaks;
* a text that starts with ``<r>`` and ends with ``</r>`` is escaped like any other: xlsxwriter's constant-memory mode
  would copy it into the XML unescaped (as rich-text markup), which a form's text must never be.
"""

from __future__ import annotations

import re
from typing import Iterable

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import Worksheet

_ESCAPE_1 = re.compile("(_x[0-9a-fA-F]{4}_)")            # the same two steps as xlsxwriter's inline strings
_ESCAPE_2 = re.compile(r"([\x00-\x08\x0b-\x1f])")
_XML = re.compile('[&<>]')
_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")   # a text that needs any escaping
_COLS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}


class Formula:
    """A formula cell for :meth:`RowSheet.write_rows`: the text (with or without its ``=``) and its cached result."""
    __slots__ = ("formula", "result")

    def __init__(self, formula: str, result: str):
        self.formula, self.result = formula.removeprefix("="), result


def _data(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if _XML.search(s) else s


def _inline(s: str) -> str:
    if len(s) > 16_383 and len(s.encode("utf-16-le")) > 65_534:      # Excel's 32,767 UTF-16 units, as xlsxwriter cuts
        s = s.encode("utf-16-le")[:65_534].decode("utf-16-le", "ignore")
    if "_x" in s:
        s = _ESCAPE_1.sub(r"_x005F\1", s)
    if _ESCAPE_2.search(s):
        s = _ESCAPE_2.sub(lambda m: f"_x{ord(m.group(1)):04X}_", s)
    if "\ufffe" in s or "\uffff" in s:
        s = s.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return s


def _tail(value) -> str:
    """A cell's XML after its ``<c r="A1" s="N"``: text (an inline string), a :class:`Formula`, or a number."""
    if isinstance(value, str):
        v = _data(_inline(value)) if _SPECIAL.search(value) or len(value) > 16_383 else value
        # xlsxwriter's test, ^\s|\s$, is the first or the last character being whitespace
        keep = ' xml:space="preserve"' if v[:1].isspace() or v[-1:].isspace() else ""
        return f' t="inlineStr"><is><t{keep}>{v}</t></is></c>'
    if isinstance(value, Formula):
        res = value.result
        t = "" if res == "" else (' t="e"' if res in _ERRORS else ' t="str"')
        return f'{t}><f>{_data(value.formula)}</f><v>{_data(res)}</v></c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'><v>{value:.16G}</v></c>'
    raise TypeError(type(value).__name__)


class Column:
    """One column of :class:`TableRows`. *style*: a format, None, or ``(mapping, default)`` — the format
    of the cell looked up by its value (``({0: center}, red)``). *convert*: applied to the value first (None
    included: a column with *convert* has a cell on every row); a text value's XML is kept, by value, for the
    rows that repeat it (a file's path, sheet, unit, the finding codes)."""
    __slots__ = ("style", "convert")

    def __init__(self, style=None, convert=None):
        self.style, self.convert = style, convert


_MEMO = 1024          # texts kept per column of a TableRows (then forgotten): memory stays flat
_FLUSH = 256          # rows joined per write to the sink
_STYLE = "\x02"       # where a cell's XML has its format's index: U+0002 and the format's token (no text has U+0002)
_CHUNK = 1 << 16      # characters copied at a time from a sink into the sheet


class TableRows:
    """Rows of the same shape rendered to cell XML before the workbook they go into is written (the batch summary
    renders each file's rows as its result arrives). Each row is a tuple of values, one per *columns* (None: no
    cell, unless the column converts it). What is the same on every row is worked out once — the column letters —
    and a cell's XML after its row number is kept by its value (a text, or an int) for the rows that repeat it.

    A format's index is not known yet (xlsxwriter numbers formats in the order they are first written, so the
    numbers depend on every sheet written before): the XML holds a token per format, in :attr:`formats` in the
    order of their first cell, which :meth:`RowSheet.write_rendered` asks xlsxwriter for and puts in (a column's
    format may also be a name, looked up in the formats given to :meth:`RowSheet.write_rendered`). *sink*: a
    text file opened with ``newline=""`` (a temporary file: memory stays flat) or any object with ``write``, from
    which :meth:`RowSheet.write_rendered` reads the XML back."""

    def __init__(self, columns: list[Column], first_row: int, sink):
        self.first_row = self.row = first_row
        self.sink = sink
        self.formats: list = []          # in the order of their first cell
        self._tokens: dict = {}
        self.used: set = set()           # the columns with a cell
        self._buf: list = []
        self._spec = []
        for i, c in enumerate(columns):
            letter = _COLS[i] if i < 26 else xl_rowcol_to_cell_fast(0, i)[:-1]
            self._spec.append((i, f'<c r="{letter}', c.style, c.convert, {}, {}))

    def _style(self, fmt) -> str:
        token = self._tokens.get(fmt)
        if token is None:
            token = self._tokens[fmt] = _STYLE + chr(0xE000 + len(self.formats))
            self.formats.append(fmt)
        return f' s="{token}"'

    def _cell(self, v, i, st, convert) -> str:
        """The cell's XML after its row number (``" s="N" t=…>…</c>``), or "" for no cell."""
        raw = v
        if convert is not None:
            v = convert(v)
        elif v is None:
            return ""
        try:
            tail = _tail(v)
        except TypeError:
            raise TypeError(f"write_table: {type(v).__name__} in column {i}") from None
        fmt = st[0].get(raw, st[1]) if st.__class__ is tuple else st
        self.used.add(i)
        if _STYLE in tail:                       # the placeholder in a value: only a formula's (a text's is escaped)
            tail = tail.replace(_STYLE, "_x0002_")
        return '"' + (self._style(fmt) if fmt is not None else "") + tail

    def add(self, values: tuple) -> None:
        """One row, below the last."""
        self.row += 1
        r1 = str(self.row)
        parts = [""]
        append = parts.append
        cell = self._cell
        for v, (i, head, st, convert, memo, ints) in zip(values, self._spec):
            cls = v.__class__
            if cls is str or v is None:
                c = memo.get(v)
                if c is None:
                    if len(memo) >= _MEMO:
                        memo.clear()
                    c = memo[v] = cell(v, i, st, convert)
            elif cls is int:
                c = ints.get(v)
                if c is None:
                    if len(ints) >= _MEMO:
                        ints.clear()
                    c = ints[v] = cell(v, i, st, convert)
            else:
                c = cell(v, i, st, convert)
            if c:
                append(head)
                append(r1)
                append(c)
        if len(parts) > 1:
            parts[0] = f'<row r="{r1}">'
            append("</row>")
            self._buf.append("".join(parts))
            if len(self._buf) >= _FLUSH:
                self.flush()

    def flush(self) -> None:
        if self._buf:
            self.sink.write("".join(self._buf))
            self._buf.clear()


class RowSheet(Worksheet):
    """An xlsxwriter worksheet with :meth:`write_rows`. Use it through ``add_worksheet(name, worksheet_class=
    RowSheet)`` in a workbook opened with ``constant_memory``."""

    def write_rows(self, first_row: int, rows: Iterable[list]) -> int:
        """Write *rows* from *first_row* down; each row is a list of ``(col, value, format)`` with *value* a str,
        an int or float (not bool), a :class:`Formula`, or None (no cell). Returns the row after the last.
        Rows before *first_row* must already be written; nothing may be written into these rows afterwards."""
        if not self.constant_memory:
            raise ValueError("write_rows needs a workbook in constant_memory mode")
        if first_row > self.previous_row:
            self._write_single_row(first_row)        # the pending row (the header), as xlsxwriter would
        write = self.fh.write
        row = first_row
        cmin, cmax = None, None
        for cells in rows:
            r1 = row + 1
            parts = [f'<row r="{r1}">']
            for col, value, fmt in cells:
                if value is None:
                    continue
                ref = f"{_COLS[col]}{r1}" if col < 26 else xl_rowcol_to_cell_fast(row, col)
                s = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
                try:
                    parts.append(f'<c r="{ref}"{s}{_tail(value)}')
                except TypeError:
                    raise TypeError(f"write_rows: {type(value).__name__} in column {col}") from None
                if cmin is None or col < cmin:
                    cmin = col
                if cmax is None or col > cmax:
                    cmax = col
            parts.append("</row>")
            if len(parts) > 2:
                write("".join(parts))
            row += 1
        if row > first_row and cmin is not None:
            self._check_dimensions(first_row, cmin, ignore_row=False)
            self._check_dimensions(row - 1, cmax)
            self.previous_row = row - 1           # the next write of xlsxwriter's own starts after these rows
        return row

    def write_table(self, first_row: int, rows: Iterable[tuple], columns: list[Column]) -> int:
        """The same XML as :meth:`write_rows`, faster for many rows of the same shape (:class:`TableRows`: a tuple
        of values per row, one per column). Returns the row after the last."""
        import io
        table = TableRows(columns, first_row, io.StringIO(newline=""))
        for values in rows:
            table.add(values)
        return self.write_rendered(table)

    def write_rendered(self, table: TableRows, formats: dict | None = None) -> int:
        """Write the rows *table* rendered, from its first row down, its formats' indices put in (asked of
        xlsxwriter in the order of their first cell, as writing the cells one by one would; *formats*: name → format
        where the columns named theirs). Rows before its first row must already be written; nothing may be written
        into its rows afterwards. Returns the row after the last."""
        if not self.constant_memory:
            raise ValueError("write_table needs a workbook in constant_memory mode")
        first_row, row = table.first_row, table.row
        if first_row > self.previous_row:
            self._write_single_row(first_row)
        table.flush()
        styles = [(_STYLE + chr(0xE000 + k), str((formats[fmt] if formats else fmt)._get_xf_index()))
                  for k, fmt in enumerate(table.formats)]
        sink = table.sink
        sink.seek(0)
        write = self.fh.write
        while True:
            chunk = sink.read(_CHUNK)
            if not chunk:
                break
            if chunk[-1] == _STYLE:              # a token cut in two
                chunk += sink.read(1)
            for token, index in styles:
                chunk = chunk.replace(token, index)
            write(chunk)
        if row > first_row and table.used:
            self._check_dimensions(first_row, min(table.used), ignore_row=False)
            self._check_dimensions(row - 1, max(table.used))
            self.previous_row = row - 1
        return row
