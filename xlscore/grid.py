"""A sheet as the engine sees it: a grid of cells, independent of the spreadsheet library.

The engine never touches openpyxl or xlwings objects. Adapters build a :class:`Grid` from whatever
holds the workbook (a file on disk through openpyxl, the open book in Excel through xlwings) and
apply the engine's write plan back (see ``xlscore.write``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

from .records import dataclass, field
from .text import lazy_re


@lru_cache(maxsize=1 << 14)     # the writers spell the same few columns on every cell
def col_letter(col: int) -> str:
    s = ""
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def address(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


@dataclass
class Cell:
    value: Any                 # the value as typed: a number, text, date, or a formula string "=…"
    cached: Any = None         # for a formula: the value Excel/WPS last computed (None when never computed)
    is_formula: bool = False   # text that merely starts with "=" ("=100%" typed as text) is not a formula

    @property
    def effective(self) -> Any:
        """What a reader sees: the cached result for a formula, the value otherwise."""
        return self.cached if self.is_formula else self.value


@dataclass
class Grid:
    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    max_row: int = 0
    max_col: int = 0
    _merge_index: dict[tuple[int, int], tuple[int, int, int, int]] | None = None
    _row_index: dict[int, list[int]] | None = None     # row → its occupied columns, sorted (built on first use)
    _anchor_cache: tuple | None = field(default=None, repr=False)   # (the row index it was built on, row → anchors, memos)
    # formulas with no stored result (xlscore.read.formulas): the readers set numbers and formats, fill() the rest
    numbers: dict[tuple[int, int], float] = field(default_factory=dict, repr=False)  # the number behind "95%" text
    formats: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)    # format of a formula without result
    computed: dict[tuple[int, int], Any] = field(default_factory=dict, repr=False)   # value xlscore computed for it
    not_computed: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)  # why it stays blank

    def set(self, row: int, col: int, value: Any, cached: Any = None, formula: bool | None = None) -> None:
        """Put a cell. *formula* defaults to "a string starting with '=' that is longer than '='"."""
        self._row_index = None
        if value is None or value == "":
            return
        if formula is None:
            formula = isinstance(value, str) and value.startswith("=") and len(value) > 1
        self.cells[(row, col)] = Cell(value, cached, formula)
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col)

    def cell(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))

    def value(self, row: int, col: int) -> Any:
        """The effective value of the cell itself (no merge carrying)."""
        c = self.cells.get((row, col))
        return None if c is None else c.effective

    def _index_rows(self) -> dict[int, list[int]]:
        if self._row_index is None:
            idx: dict[int, list[int]] = {}
            for r, c in self.cells:
                idx.setdefault(r, []).append(c)
            for cols in idx.values():
                cols.sort()
            self._row_index = idx
        return self._row_index

    def rows(self) -> list[int]:
        """The rows holding at least one cell, top to bottom: loops over a sheet walk these, never
        range(1, max_row + 1) (one cell at A1048576 must not cost a million iterations)."""
        return list(self._sorted_rows())

    def next_row(self, row: int) -> int:
        """The first occupied row at or below *row*; max_row + 1 when there is none."""
        import bisect
        rows = self._sorted_rows()
        i = bisect.bisect_left(rows, row)
        return rows[i] if i < len(rows) else self.max_row + 1

    def rows_between(self, first: int, stop: int) -> list[int]:
        """Occupied rows r with first <= r < stop."""
        import bisect
        rows = self._sorted_rows()
        return rows[bisect.bisect_left(rows, first):bisect.bisect_left(rows, stop)]

    def _sorted_rows(self) -> list[int]:
        idx = self._index_rows()
        if getattr(self, "_rows_sorted", None) is None or self._rows_sorted[0] is not idx:
            self._rows_sorted = (idx, sorted(idx))
        return self._rows_sorted[1]

    def cols_in(self, row: int, after: int = 0) -> list[int]:
        """The occupied columns of *row* right of column *after*, left to right."""
        cols = self._index_rows().get(row, ())
        if not after:
            return list(cols)
        import bisect
        return list(cols[bisect.bisect_right(cols, after):])

    def merge_of(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        if self._merge_index is None:
            idx = {}
            budget = 2_000_000           # cells indexed in all, so a sheet of many merges stays bounded
            for m in self.merges:
                r1, c1, r2, c2 = m
                n = (r2 - r1 + 1) * (c2 - c1 + 1)
                if n > 5000 or n > budget:  # whole-column merges: index only the anchor
                    idx[(r1, c1)] = m
                    continue
                budget -= n
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        idx[(r, c)] = m
            self._merge_index = idx
        return self._merge_index.get((row, col))

    def anchor(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (row, col), or the cell itself."""
        m = self.merge_of(row, col)
        return (m[0], m[1]) if m else (row, col)

    def merged_value(self, row: int, col: int) -> Any:
        """The value shown at (row, col): inside a merged range, the range's top-left value."""
        r, c = self.anchor(row, col)
        return self.value(r, c)

    def row_values(self, row: int) -> Iterator[tuple[int, Any]]:
        for col in self.cols_in(row):
            v = self.value(row, col)
            if v is not None and v != "":
                yield col, v

    def is_anchor(self, row: int, col: int) -> bool:
        m = self.merge_of(row, col)
        return m is None or (m[0], m[1]) == (row, col)

    def anchors(self, row: int) -> list[tuple[int, Any]]:
        """(col, value) of the cells of *row* that show a value of their own (a merge's anchor or a plain
        cell), left to right; blank text is skipped. Built once per row (the reader asks for the same rows many
        times) and rebuilt after :meth:`set`."""
        cache = self._anchor_cache
        if cache is None or cache[0] is not self._row_index:
            cache = self._caches()          # first use, or a cell was set since: rebuilt
        got = cache[1].get(row)
        if got is None:
            got = cache[1][row] = self._anchors(row, cache[0].get(row, ()))
        return got

    def _caches(self) -> tuple:
        """(the row index, row → anchors, tag → memo), rebuilt when the row index is (after :meth:`set`)."""
        idx = self._index_rows()
        cache = self._anchor_cache
        if cache is None or cache[0] is not idx:
            cache = self._anchor_cache = (idx, {}, {})
        return cache

    def row_memo(self, tag: str) -> dict:
        """A cache for a reader's pure function of one row of this grid (row → result), dropped with the anchors
        when a cell is set."""
        cache = self._anchor_cache
        if cache is None or cache[0] is not self._row_index:
            cache = self._caches()
        memo = cache[2].get(tag)
        if memo is None:
            memo = cache[2][tag] = {}
        return memo

    def _anchors(self, row: int, cols) -> list[tuple[int, Any]]:
        cells = self.cells
        if self._merge_index is None:
            self.merge_of(row, 0)
        merged = self._merge_index
        out = []
        for col in cols:
            c = cells[(row, col)]
            v = c.cached if c.is_formula else c.value
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            m = merged.get((row, col))
            if m is None or (m[0] == row and m[1] == col):
                out.append((col, v))
        return out


def whole_number(v: Any) -> Any:
    """A spreadsheet program hands every number over as a double (Excel through COM, WPS through its JS API); a whole
    number reads as the int a file reader (openpyxl) would give, so both adapters build the same grid."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def is_formula_text(formula: Any, value: Any) -> bool:
    """An open workbook's cell holds a formula when its formula text differs from its value (Range.Formula)."""
    return isinstance(formula, str) and formula.startswith("=") and len(formula) > 1 and formula != value


_QUOTED = lazy_re(r'"[^"]*"|\\.')


def as_shown(value: Any, number_format: str | None) -> Any:
    """A number in a percentage format reads the way the clerk typed and sees it: 0.95 in a ``0%`` cell is
    "95%" (full precision: 0.9567 is "95.67%"), so a unit is not "missing" and a rate keeps its printed
    decimals. Anything else is returned unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not number_format:
        return value
    section = _QUOTED.sub("", number_format.split(";")[0])
    if "%" not in section:
        return value
    return f"{round(value * 100, 9):.12g}%"


def parse_address(ref: str) -> tuple[int, int]:
    """'H14' → (14, 8)."""
    col = row = 0
    for i, ch in enumerate(ref):
        if ch.isdigit():
            row = int(ref[i:])
            break
        col = col * 26 + (ord(ch.upper()) - 64)
    return row, col
