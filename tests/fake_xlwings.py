"""A small, faithful fake of the part of the xlwings Book/Sheet/Range API xlscore's adapter uses.

Built from a workbook file (through openpyxl), it behaves like Excel where it matters: numbers come
back as floats, a formula cell's value is its computed result while ``formula`` is its text, a text
cell's ``formula`` is the text itself, ``"'=100%"`` stores the text ``=100%``, ``used_range`` starts at
the first used cell. Every change is recorded in ``book.log``.
"""

from __future__ import annotations

import datetime as dt

import openpyxl


class FakeApp:
    def __init__(self):
        self.alerts: list[tuple[str, str | None]] = []

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append((prompt, title))
        return "ok"


class _Font:
    def __init__(self, sheet, key):
        self._sheet, self._key = sheet, key

    @property
    def bold(self):
        return self._key in self._sheet.bold

    @bold.setter
    def bold(self, v):
        (self._sheet.bold.add if v else self._sheet.bold.discard)(self._key)


class FakeNote:
    def __init__(self, sheet, key):
        self._sheet, self._key = sheet, key

    @property
    def text(self):
        return self._sheet.notes[self._key]

    @text.setter
    def text(self, v):
        self._sheet.notes[self._key] = v

    def delete(self):
        self._sheet.guard()
        self._sheet.book.log.append(("delete_note", self._sheet.name, self._key))
        del self._sheet.notes[self._key]


class FakeRange:
    def __init__(self, sheet, row, col, last_row=None, last_col=None):
        self.sheet, self.row, self.column = sheet, row, col
        self.last_row, self.last_col = last_row or row, last_col or col

    # ---- shape helpers
    def options(self, ndim=None, **kw):
        return self

    @property
    def last_cell(self):
        return FakeRange(self.sheet, self.last_row, self.last_col)

    @property
    def _single(self):
        return self.row == self.last_row and self.column == self.last_col

    @property
    def _key(self):
        return (self.row, self.column)

    # ---- values
    @property
    def value(self):
        s = self.sheet
        if self._single:
            return s._value(self._key)
        return [[s._value((r, c)) for c in range(self.column, self.last_col + 1)]
                for r in range(self.row, self.last_row + 1)]

    @value.setter
    def value(self, v):
        s = self.sheet
        if isinstance(v, list):
            for i, row in enumerate(v):
                for j, x in enumerate(row if isinstance(row, list) else [row]):
                    s._store((self.row + i, self.column + j), x)
            return
        s._store(self._key, v)

    @property
    def formula(self):
        s = self.sheet
        if self._single:
            return s._formula(self._key)
        return tuple(tuple(s._formula((r, c)) for c in range(self.column, self.last_col + 1))
                     for r in range(self.row, self.last_row + 1))

    @formula.setter
    def formula(self, f):
        self.sheet.formulas[self._key] = f
        self.sheet.values[self._key] = None
        self.sheet.book.log.append(("formula", self.sheet.name, self._key, f))

    # ---- style
    @property
    def color(self):
        return self.sheet.colors.get(self._key)

    @color.setter
    def color(self, c):
        self.sheet.guard()
        self.sheet.book.log.append(("color", self.sheet.name, self._key, c))
        if c is None:
            self.sheet.colors.pop(self._key, None)
        else:
            self.sheet.colors[self._key] = tuple(c)

    @property
    def number_format(self):
        return self.sheet.formats.get(self._key, "General")

    @number_format.setter
    def number_format(self, f):
        self.sheet.guard()
        self.sheet.book.log.append(("number_format", self.sheet.name, self._key, f))
        if f == "General":                 # Excel's default: nothing to remember
            self.sheet.formats.pop(self._key, None)
        else:
            self.sheet.formats[self._key] = f

    @property
    def font(self):
        return _Font(self.sheet, self._key)

    @property
    def wrap_text(self):
        return self._key in self.sheet.wrap

    @wrap_text.setter
    def wrap_text(self, v):
        self.sheet.wrap.add(self._key)

    @property
    def column_width(self):
        return self.sheet.widths.get(self.column)

    @column_width.setter
    def column_width(self, w):
        self.sheet.widths[self.column] = w

    # ---- notes, links, merges
    @property
    def note(self):
        return FakeNote(self.sheet, self._key) if self._key in self.sheet.notes else None

    def add_note(self, text):
        self.sheet.guard()
        if self._key in self.sheet.notes:
            raise ValueError("the cell already has a note")
        self.sheet.book.log.append(("add_note", self.sheet.name, self._key, text))
        self.sheet.notes[self._key] = text
        return FakeNote(self.sheet, self._key)

    def add_hyperlink(self, address, text_to_display=None, screen_tip=None):
        self.sheet.links[self._key] = address

    def _merge(self):
        for m in self.sheet.merges:
            if m[0] <= self.row <= m[2] and m[1] <= self.column <= m[3]:
                return m
        return None

    @property
    def merge_cells(self):
        return self._merge() is not None

    @property
    def merge_area(self):
        m = self._merge()
        return FakeRange(self.sheet, m[0], m[1], m[2], m[3]) if m else self


class _Api:
    """The slice of Excel's COM Worksheet object xlscore touches: visibility and protection."""
    Visible = -1

    def __init__(self):
        self.ProtectContents = False
        self.password = ""
        self.protect_calls: list[dict] = []

    def Unprotect(self, Password=""):
        if self.password and Password != self.password:
            raise RuntimeError("The password you supplied is not correct.")
        self.ProtectContents = False

    def Protect(self, Password="", **kw):
        self.ProtectContents = True
        self.password = Password
        self.protect_calls.append(dict(kw, Password=Password))


class FakeSheet:
    def __init__(self, book, name):
        self.book, self.name = book, name
        self.values: dict = {}
        self.formulas: dict = {}
        self.colors: dict = {}
        self.formats: dict = {}
        self.notes: dict = {}
        self.merges: list = []
        self.links: dict = {}
        self.bold: set = set()
        self.wrap: set = set()
        self.widths: dict = {}
        self.visible = True
        self.api = _Api()

    def _value(self, key):
        v = self.values.get(key)
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            return float(v)                # Excel has doubles only
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return dt.datetime(v.year, v.month, v.day)
        return v

    def _formula(self, key):
        if key in self.formulas:
            return self.formulas[key]
        v = self.values.get(key)
        return "" if v is None else str(v)

    def guard(self):
        """Excel refuses any change to a (locked) cell of a protected sheet."""
        if self.api.ProtectContents:
            raise RuntimeError("The cell or chart you're trying to change is on a protected sheet.")

    def _store(self, key, v):
        self.guard()
        self.book.log.append(("value", self.name, key, v))
        self.formulas.pop(key, None)
        if isinstance(v, str) and v.startswith("'"):
            v = v[1:]
        elif isinstance(v, str) and v.startswith("="):
            self.formulas[key] = v
            v = None
        if v is None or v == "":
            self.values.pop(key, None)
        else:
            self.values[key] = v

    @property
    def used_range(self):
        keys = [k for k, v in self.values.items() if v is not None] + list(self.formulas)
        if not keys:
            return FakeRange(self, 1, 1)
        return FakeRange(self, min(k[0] for k in keys), min(k[1] for k in keys),
                         max(k[0] for k in keys), max(k[1] for k in keys))

    def range(self, ref):
        r, c = ref
        return FakeRange(self, r, c)

    def delete(self):
        self.book.log.append(("delete_sheet", self.name))
        self.book.sheets._list.remove(self)


class FakeSheets:
    def __init__(self, book):
        self.book, self._list = book, []

    def __iter__(self):
        return iter(list(self._list))

    def __len__(self):
        return len(self._list)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._list[key]
        for s in self._list:
            if s.name == key:
                return s
        raise KeyError(key)

    def add(self, name=None, before=None, after=None):
        s = FakeSheet(self.book, name)
        i = self._list.index(after) + 1 if after is not None else 0
        self._list.insert(i, s)
        self.book.log.append(("add_sheet", name))
        return s


class FakeBook:
    def __init__(self, name="book.xlsx"):
        self.name = name
        self.fullname = name
        self.app = FakeApp()
        self.log: list = []
        self.sheets = FakeSheets(self)

    @classmethod
    def from_file(cls, path) -> "FakeBook":
        wb = openpyxl.load_workbook(path)
        cached = openpyxl.load_workbook(path, data_only=True)
        book = cls(str(getattr(path, "name", path)))
        book.fullname = str(path)
        for ws in wb.worksheets:
            s = FakeSheet(book, ws.title)
            for (r, c), cell in ws._cells.items():
                if cell.value is None:
                    continue
                if cell.data_type == "f":
                    s.formulas[(r, c)] = cell.value
                    s.values[(r, c)] = cached[ws.title].cell(r, c).value
                else:
                    s.values[(r, c)] = cell.value
                if cell.fill is not None and cell.fill.fill_type == "solid" and isinstance(cell.fill.fgColor.rgb, str):
                    rgb = cell.fill.fgColor.rgb[-6:]
                    s.colors[(r, c)] = tuple(int(rgb[i:i + 2], 16) for i in (0, 2, 4))
                if cell.number_format != "General":
                    s.formats[(r, c)] = cell.number_format
                if cell.comment is not None:
                    s.notes[(r, c)] = cell.comment.text
            s.merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
            s.api.ProtectContents = bool(ws.protection.sheet)
            book.sheets._list.append(s)
        book.log.clear()
        return book
