"""The package store: the cell primitives of :mod:`xlscore.write.apply` as patches to the .xlsx/.xlsm zip itself.

openpyxl rebuilds the whole workbook from its object model on save: every formula loses its stored result, and
the parts it does not model (shapes, charts, x14 validations, sparklines, ribbon, VBA signature, customXml,
connections, printer settings, …) are lost. This store copies every zip entry it does not own unchanged (same
content, same entry order) and patches only what xlscore owns:

* the worksheets with cell actions: the owned ``<c>`` elements are rewritten in the XML text (value, style index)
  and missing ones inserted in column order in their ``<row>``. The XML is patched as text, never re-serialised:
  ElementTree renames namespace prefixes, and ``mc:Ignorable="x14ac …"`` then names a prefix that no longer
  exists (Excel calls such a file corrupt). New text goes in as inline strings (``t="inlineStr"``): the shared
  strings part stays as it was — no renumbering, no counts to keep right, and a second run adds nothing there;
* ``xl/styles.xml``: a new ``cellXfs`` entry per (old xf, fill, number format) combination, cloned from the
  cell's xf, with appended ``<fill>``/``<numFmt>`` entries; an equivalent entry already there (from an earlier
  run) is reused, so a second run adds nothing;
* comments: the legacy comments part and its VML drawing; the user's comments and their boxes are kept as
  they were, xlscore's are added, replaced or removed;
* the report and state sheets (new worksheet parts, workbook entries, relationships, content types, print
  titles and filter names); ``xl/calcChain.xml`` is dropped when a formula cell becomes a value (Excel rebuilds
  it; a chain naming a cell without a formula is "damage" to Excel).

Reading goes through the light reader (:mod:`xlscore.read.fastxlsx`). Where this store cannot promise a faithful
patch it raises :class:`Refuse` (before writing anything) and the caller uses the openpyxl store.
"""

from __future__ import annotations

import datetime as _dt
import functools
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import fromstring

from ..errors import OutputError
from ..grid import Grid, address, col_letter
from ..read import fastxlsx, formulas
from . import neutral, safefile
from .apply import REPORT_SHEET, STATE_SHEET, ReportLayout, Snapshot, fill_rgb, plain
from .plan import COMMENT_AUTHOR

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_WS = NS_R + "/worksheet"
REL_COMMENTS = NS_R + "/comments"
REL_VML = NS_R + "/vmlDrawing"
REL_CALC = NS_R + "/calcChain"
CT_WS = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class Refuse(Exception):
    """This workbook (or this change to it) is left to the openpyxl store; the message says why."""


# --------------------------------------------------------------------------- XML text helpers

_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def attrs(tag: str) -> dict[str, str]:
    """The attributes of an element's start tag (text), unescaped, in document order."""
    head = tag[:tag.index(">") + 1] if ">" in tag else tag
    return {m.group(1): fastxlsx.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR.finditer(head)}


_ESC_TEXT = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")      # what esc changes in text
_ESC_ATTR = re.compile(r"[&<>\"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")      # … and in a value


def esc(s: str, quote: bool = False) -> str:
    if not (_ESC_ATTR if quote else _ESC_TEXT).search(s):
        return s
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        s = s.replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    # characters XML 1.0 cannot hold: OOXML's _xHHHH_ escape (as Excel writes them)
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", s)


def start_tag(name: str, a: dict[str, str], close: bool = False) -> str:
    return "<" + name + "".join(f' {k}="{esc(str(v), True)}"' for k, v in a.items()) + ("/>" if close else ">")


def set_attr(tag: str, name: str, value: str | None) -> str:
    """*tag* (a start tag, text) with attribute *name* set to *value* (None: removed), other bytes unchanged."""
    end = tag.index(">")
    head, rest = tag[:end], tag[end:]
    if head.endswith("/"):
        head, rest = head[:-1], "/" + rest
    m = re.search(r'\s' + re.escape(name) + r'\s*=\s*(?:"[^"]*"|\'[^\']*\')', head)
    if value is None:
        return (head[:m.start()] + head[m.end():] + rest) if m else tag
    new = f' {name}="{esc(value, True)}"'
    if m:
        return head[:m.start()] + new + head[m.end():] + rest
    return head + new + rest


@functools.lru_cache(maxsize=4096)
def _canon(xml: str):
    """An element as a comparable tree (namespace prefixes, attribute order and whitespace do not matter)."""
    try:
        el = fromstring(xml if "xmlns=" in xml else xml.replace(">", f' xmlns="{NS_MAIN}">', 1)
                        if not xml.split(">", 1)[0].endswith("/") else xml.replace("/>", f' xmlns="{NS_MAIN}"/>', 1))
    except Exception:  # noqa: BLE001 - not comparable: only equal to itself
        return xml

    def walk(e):
        return (e.tag.rpartition("}")[2], tuple(sorted(e.attrib.items())), tuple(walk(c) for c in e))
    return walk(el)


def _num(v: float | int) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if v != v or v in (float("inf"), float("-inf")):
        raise Refuse("a number that is not finite")
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def to_serial(v, epoch=fastxlsx.WINDOWS_EPOCH) -> float:
    """A date/time back to Excel's serial number (the inverse of fastxlsx.from_excel)."""
    if isinstance(v, _dt.timedelta):
        return v.total_seconds() / 86400
    if isinstance(v, _dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400
    if not isinstance(v, _dt.datetime):
        v = _dt.datetime(v.year, v.month, v.day)
    d = v - epoch
    serial = d.days + (d.seconds + d.microseconds / 1e6) / 86400
    if epoch == fastxlsx.WINDOWS_EPOCH and 0 < serial <= 60:
        serial -= 1                       # Excel's 1900 leap-year bug, as from_excel undoes it
    return int(serial) if serial == int(serial) else serial


# --------------------------------------------------------------------------- a worksheet's cells, as text

_ROW_START = re.compile(r"<row\b")
# a start tag whose attributes are all plain name="value" pairs, r first: attrs() would read the same r from it
_ROW_PLAIN = re.compile(r'<row r="(\d+)"((?:\s+[\w:.-]+="[^"&\'<>]*")*)\s*/?>')
_R_AGAIN = re.compile(r"\sr\s*=")
_CELL_START = re.compile(r"<c\b")
_REFM = re.compile(r"([A-Z]{1,3})([0-9]+)$")
# a cell's r="…" (the first one that is closed) and, when it is a reference as _REFM reads one, its column and row
_R_REF = re.compile(r'\sr="(?:([A-Z]{1,3})([0-9]+)(?=\n?")|(?=[^"]*"))')
_PARTNAME = re.compile(r'PartName="([^"]*)"')
_OVERRIDE = re.compile(r"<Override\b[^>]*/>")


def _elements(text: str, start: re.Pattern, close: str):
    """(start, end) of each element *start* opens in *text*, as ``finditer`` of ``<tag\\b[^>]*?(?:/>|>.*?</tag>)``
    (re.S) finds them — with str.find instead of a regular expression that steps through every character."""
    pos = 0
    while True:
        m = start.search(text, pos)
        if m is None:
            return
        p = m.start()
        j = text.find(">", m.end())
        if j < 0:
            return                      # no element can close any more
        if text[j - 1] == "/":                 # "/>" (a ">" right after the name has no "/" before it)
            yield p, j + 1
            pos = j + 1
            continue
        e = text.find(close, j + 1)
        if e < 0:
            pos = p + 1                 # this one is not closed; a later empty one may still be
            continue
        yield p, e + len(close)
        pos = e + len(close)


class _Cell:
    __slots__ = ("tag", "inner", "_attrs")

    def __init__(self, text: str):
        self._attrs: tuple[str, dict[str, str]] | None = None       # (tag, its attributes), read when asked
        if text.endswith("/>") and text.find(">") == len(text) - 1:
            self.tag, self.inner = text[:-2] + ">", ""
        else:
            i = text.index(">") + 1
            self.tag, self.inner = text[:i], text[i:-4]

    def text(self) -> str:
        return self.tag[:-1] + "/>" if not self.inner else self.tag + self.inner + "</c>"

    def get(self, name: str, default: str | None = None) -> str | None:
        a = self._attrs
        if a is None or a[0] is not self.tag:
            a = self._attrs = (self.tag, attrs(self.tag))
        return a[1].get(name, default)

    def set(self, name: str, value: str | None) -> None:
        self.tag = set_attr(self.tag, name, value)


class _Row:
    def __init__(self, num: int, text: str | None = None):
        self.num = num
        self.orig = text
        self.cells: list | None = None          # [(col, _Cell | gap text)], parsed when touched
        self.tag = f'<row r="{num}">'

    def parse(self) -> None:
        if self.cells is not None:
            return
        self.cells = []
        t = self.orig
        if t is None:
            return
        if t.endswith("/>") and ">" not in t[:-2]:
            self.tag = t[:-2] + ">"
            return
        i = t.index(">") + 1
        self.tag = t[:i]
        body = t[i:-6]
        pos = 0
        for start, end in _elements(body, _CELL_START, "</c>"):
            if start > pos:
                self.cells.append((None, body[pos:start]))
            c = _Cell(body[start:end])
            mm = _R_REF.search(c.tag)
            if mm is None or mm.group(1) is None or int(mm.group(2)) != self.num:
                raise Refuse("a cell without its reference")
            self.cells.append((fastxlsx.col_index(mm.group(1)), c))
            pos = end
        if body[pos:].strip():
            raise Refuse("unexpected content in a row")
        if body[pos:]:
            self.cells.append((None, body[pos:]))

    def text(self) -> str:
        if self.cells is None or (not self.cells and self.orig and self.orig.endswith("/>")
                                  and self.tag == self.orig[:-2] + ">"):
            return self.orig
        return self.tag + "".join(c if isinstance(c, str) else c.text() for _, c in self.cells) + "</row>"

    def cell(self, col: int, create: bool) -> _Cell | None:
        self.parse()
        at = len(self.cells)
        for i, (c, el) in enumerate(self.cells):
            if c == col:
                return el
            if c is not None and c > col:
                at = i
                break
        if not create:
            return None
        el = _Cell(f'<c r="{col_letter(col)}{self.num}"/>')
        self.cells.insert(at, (col, el))
        spans = attrs(self.tag).get("spans")
        if spans and re.fullmatch(r"\d+:\d+", spans):
            a, b = map(int, spans.split(":"))
            if not a <= col <= b:
                self.tag = set_attr(self.tag, "spans", f"{min(a, col)}:{max(b, col)}")
        return el


class _Sheet:
    """One worksheet part: the text before ``<sheetData>``, its rows (parsed when touched) and the text after."""

    def __init__(self, name: str, part: str, xml: str):
        self.name, self.part = name, part
        if not re.search(r"<worksheet\b", xml[:4096]):
            raise Refuse(f"{part}: not a plain worksheet element")
        m = re.search(r"<sheetData\b[^>]*?(/?)>", xml)
        if m is None:
            raise Refuse(f"{part}: no sheetData")
        if m.group(1):
            self.head, body, self.tail = xml[:m.start()] + "<sheetData>", "", "</sheetData>" + xml[m.end():]
        else:
            end = xml.find("</sheetData>", m.end())
            if end < 0:
                raise Refuse(f"{part}: sheetData not closed")
            self.head, body, self.tail = xml[:m.end()], xml[m.end():end], xml[end:]
        self.items: list = []          # _Row or gap text
        self.index: dict[int, _Row] = {}
        pos = 0
        for start, end in _elements(body, _ROW_START, "</row>"):
            if start > pos:
                self.items.append(body[pos:start])
            text = body[start:end]
            m = _ROW_PLAIN.match(text)        # the usual start tag: its number without the general attribute parse
            r = m.group(1) if m and not _R_AGAIN.search(m.group(2)) else attrs(text).get("r")
            if not r or not r.isdigit():
                raise Refuse("a row without its number")
            row = _Row(int(r), text)
            self.items.append(row)
            self.index[row.num] = row
            pos = end
        if body[pos:].strip():
            raise Refuse("unexpected content in sheetData")
        if body[pos:]:
            self.items.append(body[pos:])
        self.dirty = False
        self._dim: tuple = (None, None)          # (head, its dimension's (r1, c1, r2, c2) or None): see _widen
        self.merged: list[tuple[int, int, int, int]] = []
        for ref in re.findall(r'<mergeCell\b[^>]*\bref="([^"]+)"', self.tail):
            mm = fastxlsx.RANGE.match(ref)
            if mm:
                c1, r1 = fastxlsx.col_index(mm.group(1)), int(mm.group(2))
                c2, r2 = (fastxlsx.col_index(mm.group(3)), int(mm.group(4))) if mm.group(3) else (c1, r1)
                self.merged.append((r1, c1, r2, c2))

    def in_merge(self, row: int, col: int) -> bool:
        """Inside a merged range but not its top-left cell (openpyxl's MergedCell)."""
        return any(r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1) for r1, c1, r2, c2 in self.merged)

    def cell(self, row: int, col: int, create: bool = False) -> _Cell | None:
        r = self.index.get(row)
        if r is None:
            if not create:
                return None
            r = _Row(row)
            r.parse()
            at = len(self.items)
            for i, it in enumerate(self.items):
                if isinstance(it, _Row) and it.num > row:
                    at = i
                    break
            self.items.insert(at, r)
            self.index[row] = r
            self._widen(row, col)
        c = r.cell(col, create)
        if create:
            self.dirty = True
            r.cells = r.cells          # parsed: rendered from its cells
            self._widen(row, col)
        return c

    def _widen(self, row: int, col: int) -> None:
        if self._dim[0] is self.head:           # the head as last read: its range, or None
            box = self._dim[1]
            if box is None or (box[0] <= row <= box[2] and box[1] <= col <= box[3]):
                return
        m = re.search(r'<dimension\b[^>]*\bref="([^"]+)"[^>]*/>', self.head)
        mm = fastxlsx.RANGE.match(m.group(1)) if m else None
        if not mm:
            self._dim = (self.head, None)
            return
        c1, r1 = fastxlsx.col_index(mm.group(1)), int(mm.group(2))
        c2, r2 = (fastxlsx.col_index(mm.group(3)), int(mm.group(4))) if mm.group(3) else (c1, r1)
        self._dim = (self.head, (r1, c1, r2, c2))
        n1, n2 = (min(r1, row), min(c1, col)), (max(r2, row), max(c2, col))
        if (n1, n2) != ((r1, c1), (r2, c2)):
            ref = f"{col_letter(n1[1])}{n1[0]}:{col_letter(n2[1])}{n2[0]}"
            self.head = self.head[:m.start(1)] + ref + self.head[m.end(1):]

    def text(self) -> str:
        return self.head + "".join(i if isinstance(i, str) else i.text() for i in self.items) + self.tail

    def formulas_shared(self, si: str):
        """(master formula text, master ref) of shared formula *si*."""
        for it in self.items:
            if not isinstance(it, _Row):
                continue
            if f'si="{si}"' not in it.text():
                continue
            it.parse()
            for _, c in it.cells:
                if isinstance(c, _Cell):
                    f = re.search(r"<f\b([^>]*)>(.*?)</f>", c.inner, re.S)
                    if f and attrs("<f" + f.group(1) + ">").get("si") == si and f.group(2):
                        return "=" + fastxlsx.unescape(f.group(2)), c.get("r")
        return None


# --------------------------------------------------------------------------- styles.xml

_XF = re.compile(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_FILL = re.compile(r"<fill\b[^>]*?(?:/>|>.*?</fill>)", re.S)
_FONT = re.compile(r"<font\b[^>]*?(?:/>|>.*?</font>)", re.S)
_NUMFMT = re.compile(r"<numFmt\b[^>]*?/>", re.S)
_BUILTIN_ID = {}
for _k, _v in fastxlsx.BUILTIN_FORMATS.items():
    _BUILTIN_ID.setdefault(_v, _k)


def _section(xml: str, name: str):
    """(start, end of the opening tag, start of the closing tag, end) of <name>…</name>, or None."""
    m = re.search(r"<" + name + r"\b[^>]*?(/?)>", xml)
    if m is None:
        return None
    if m.group(1):
        return m.start(), m.end(), m.end(), m.end()
    close = xml.find("</" + name + ">", m.end())
    if close < 0:
        raise Refuse(f"styles: {name} not closed")
    return m.start(), m.end(), close, close + len(name) + 3


class Styles:
    def __init__(self, xml: str):
        if not re.search(r"<styleSheet\b", xml[:4096]):
            raise Refuse("styles: not a plain styleSheet element")
        self.xml = xml
        self.dirty = False
        sec = _section(xml, "cellXfs")
        if sec is None:
            raise Refuse("styles: no cellXfs")
        self.xfs = _XF.findall(xml[sec[1]:sec[2]])
        if not self.xfs:
            raise Refuse("styles: no cell formats")
        fs = _section(xml, "fills")
        if fs is None:
            raise Refuse("styles: no fills")
        self.fills = _FILL.findall(xml[fs[1]:fs[2]])
        fo = _section(xml, "fonts")
        if fo is None:
            raise Refuse("styles: no fonts")
        self.fonts = _FONT.findall(xml[fo[1]:fo[2]])
        nf = _section(xml, "numFmts")
        self.numfmts: dict[int, str] = {}
        for t in _NUMFMT.findall(xml[nf[1]:nf[2]]) if nf else []:
            a = attrs(t)
            self.numfmts[int(a["numFmtId"])] = a["formatCode"]
        self.n_xfs, self.n_fills, self.n_fonts, self.n_numfmts = len(self.xfs), len(self.fills), len(self.fonts), len(self.numfmts)
        self._fill_canon = [_canon(f) for f in self.fills]
        self._keys: dict[Any, int] = {}
        self._attrs: dict[int, dict[str, str]] = {}
        self._derived: dict[tuple[int, int | None, int | None], int] = {}
        for i, x in enumerate(self.xfs):
            self._keys.setdefault(self._key(x), i)

    @staticmethod
    def _key(xf: str):
        a = attrs(xf)
        core = tuple(sorted((k, v) for k, v in a.items() if not k.startswith("apply")))
        body = xf[xf.index(">") + 1:] if not xf.rstrip().endswith("/>") else ""
        return core, re.sub(r">\s+<", "><", body.strip())

    def xf_attr(self, xf: int, name: str, default: str = "0") -> str:
        a = self._attrs.get(xf)
        if a is None:
            a = self._attrs[xf] = attrs(self.xfs[xf])
        return a.get(name, default)

    def fill_id(self, xf: int) -> int:
        return int(self.xf_attr(xf, "fillId"))

    def numfmt_id(self, xf: int) -> int:
        return int(self.xf_attr(xf, "numFmtId"))

    def fmt_code(self, fid: int) -> str:
        code = self.numfmts.get(fid, fastxlsx.BUILTIN_FORMATS.get(fid))
        return "General" if code is None else code

    def fill_xml(self, fid: int) -> str:
        return self.fills[fid] if 0 <= fid < len(self.fills) else "<fill/>"

    # ---- finding or adding entries
    def derive(self, base: int, fill: int | None, numfmt: int | None) -> int:
        """The xf index of *base* with its fill and/or number format replaced (an existing equivalent if any)."""
        key = (base, fill, numfmt)
        got = self._derived.get(key)
        if got is None:                 # the same answer every time: entries are only ever appended
            got = self._derived[key] = self._derive(base, fill, numfmt)
        return got

    def _derive(self, base: int, fill: int | None, numfmt: int | None) -> int:
        xf = self.xfs[base]
        end = xf.index(">") + 1
        tag = xf[:end]
        if fill is not None and int(attrs(tag).get("fillId", "0")) != fill:
            tag = set_attr(set_attr(tag, "fillId", str(fill)), "applyFill", "1")
        if numfmt is not None and int(attrs(tag).get("numFmtId", "0")) != numfmt:
            tag = set_attr(set_attr(tag, "numFmtId", str(numfmt)), "applyNumberFormat", "1")
        new = tag + xf[end:]
        if new == xf:
            return base
        return self.add_xf(new)

    def add_xf(self, xf: str) -> int:
        key = self._key(xf)
        if key in self._keys:
            return self._keys[key]
        self.xfs.append(xf)
        self._keys[key] = len(self.xfs) - 1
        self.dirty = True
        return len(self.xfs) - 1

    def fill_for(self, token: str | None, prefer_base: int | None = None, cell_numfmt: int | None = None) -> int:
        """The fill id a store token stands for: an equal fill already there, else a solid fill of its colour."""
        if token and token.startswith("xml:"):
            c = _canon(token[4:])
            cands = [i for i, fc in enumerate(self._fill_canon) if fc == c]
            if cands:
                if prefer_base is not None and len(cands) > 1:
                    for i in cands:             # the one an existing xf uses: restore gives back the original xf
                        if self._probe(prefer_base, i, cell_numfmt):
                            return i
                return cands[0]
        rgb = fill_rgb(token)
        if rgb is None:
            return 0
        return self.add_fill(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
                             f'<bgColor indexed="64"/></patternFill></fill>')

    def _probe(self, base: int, fill: int, numfmt: int | None) -> bool:
        xf = self.xfs[base]
        end = xf.index(">") + 1
        tag = set_attr(xf[:end], "fillId", str(fill))
        if numfmt is not None:
            tag = set_attr(tag, "numFmtId", str(numfmt))
        return self._key(tag + xf[end:]) in self._keys

    def add_fill(self, xml: str) -> int:
        c = _canon(xml)
        if c in self._fill_canon:
            return self._fill_canon.index(c)
        self.fills.append(xml)
        self._fill_canon.append(c)
        self.dirty = True
        return len(self.fills) - 1

    def add_font(self, xml: str) -> int:
        if xml in self.fonts:
            return self.fonts.index(xml)
        self.fonts.append(xml)
        self.dirty = True
        return len(self.fonts) - 1

    def numfmt_for(self, code: str) -> int:
        for fid, c in self.numfmts.items():
            if c == code:
                return fid
        if code in _BUILTIN_ID:
            return _BUILTIN_ID[code]
        fid = max([163] + list(self.numfmts)) + 1
        self.numfmts[fid] = code
        self.dirty = True
        return fid

    def text(self) -> str:
        xml = self.xml
        # in reverse document order, so earlier offsets stay valid
        edits = []
        if len(self.xfs) > self.n_xfs:
            edits.append(("cellXfs", self.xfs[self.n_xfs:], len(self.xfs)))
        if len(self.fills) > self.n_fills:
            edits.append(("fills", self.fills[self.n_fills:], len(self.fills)))
        if len(self.fonts) > self.n_fonts:
            edits.append(("fonts", self.fonts[self.n_fonts:], len(self.fonts)))
        if len(self.numfmts) > self.n_numfmts:
            new = [f'<numFmt numFmtId="{k}" formatCode="{esc(v, True)}"/>' for k, v in list(self.numfmts.items())[self.n_numfmts:]]
            if _section(xml, "numFmts") is None:
                m = re.search(r"<styleSheet\b[^>]*>", xml)
                xml = xml[:m.end()] + '<numFmts count="0"></numFmts>' + xml[m.end():]
            edits.append(("numFmts", new, len(self.numfmts)))
        spans = []
        for name, new, count in edits:
            s0, s1, c0, c1 = _section(xml, name)
            spans.append((s0, s1, c0, c1, name, new, count))
        for s0, s1, c0, c1, name, new, count in sorted(spans, reverse=True):
            tag = set_attr(xml[s0:s1], "count", str(count))
            if tag.endswith("/>"):
                tag = tag[:-2] + ">"
                xml = xml[:s0] + tag + "".join(new) + f"</{name}>" + xml[c1:]
            else:
                xml = xml[:s0] + tag + xml[s1:c0] + "".join(new) + xml[c0:]
        return xml


# --------------------------------------------------------------------------- comments of one sheet



class _Comments:
    def __init__(self):
        self.part: str | None = None          # comments part name
        self.vml: str | None = None           # VML drawing part name
        self.head = self.foot = ""
        self.authors: list[str] = []
        self.loaded: dict[tuple[int, int], tuple[str, str]] = {}
        self.raw: dict[tuple[int, int], str] = {}
        self.now: dict[tuple[int, int], tuple[str, str]] = {}

    def parse(self, xml: str) -> None:
        if not re.search(r"<comments\b", xml[:4096]):
            raise Refuse("comments: not a plain comments element")
        a = re.search(r"<authors\b[^>]*?(?:/>|>(.*?)</authors>)", xml, re.S)
        cl = re.search(r"<commentList\b[^>]*?(?:/>|>(.*?)</commentList>)", xml, re.S)
        if cl is None:
            raise Refuse("comments: no comment list")
        self.head = xml[:a.start()] if a else xml[:cl.start()]
        self.foot = xml[cl.end():]
        self.authors = [fastxlsx.unescape(x) for x in re.findall(r"<author>(.*?)</author>", a.group(1) or "", re.S)] if a else []
        for m in re.finditer(r"<comment\b[^>]*?(?:/>|>.*?</comment>)", cl.group(1) or "", re.S):
            ca = attrs(m.group())
            mm = _REFM.match(ca.get("ref", ""))
            if mm is None:
                raise Refuse("comments: a comment without its cell")
            pos = (int(mm.group(2)), fastxlsx.col_index(mm.group(1)))
            t = re.search(r"<text\b[^>]*>.*?</text>", m.group(), re.S)
            text = fastxlsx.text_of(fromstring(t.group().replace("<text", f'<text xmlns="{NS_MAIN}"', 1))) if t else ""
            aid = int(ca.get("authorId", "0"))
            author = self.authors[aid] if 0 <= aid < len(self.authors) else ""
            self.loaded[pos] = (text, author)
            self.raw[pos] = m.group()
        self.now = dict(self.loaded)

    def changed(self) -> bool:
        return self.now != self.loaded

    def render(self) -> str:
        authors = list(self.authors)
        out = []
        for pos in sorted(self.now):
            text, author = self.now[pos]
            if self.loaded.get(pos) == (text, author):
                out.append(self.raw[pos])
                continue
            if author not in authors:
                authors.append(author)
            out.append(f'<comment ref="{address(*pos)}" authorId="{authors.index(author)}"><text>'
                       f'<t xml:space="preserve">{esc(text)}</t></text></comment>')
        head = self.head or (XML_HEAD + f'<comments xmlns="{NS_MAIN}">')
        foot = self.foot or "</comments>"
        return (head + "<authors>" + "".join(f"<author>{esc(a)}</author>" for a in authors) + "</authors>"
                + "<commentList>" + "".join(out) + "</commentList>" + foot)


def _shape(sid: int, row: int, col: int, text: str, author: str, p: dict[str, str] | None = None) -> str:
    if author == COMMENT_AUTHOR:       # the openpyxl store's box for xlscore's comments
        lines = text.count("\n") + 1 + len(text) // 40
        w, h = 360, min(600, 20 * lines + 20)
    else:
        w, h = 144, 79
    xml = (f'<v:shape id="_x0000_s{sid}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;'
           f'margin-top:1.5pt;width:{w}px;height:{h}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
           f'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
           f'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left">'
           f'</div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
           f'<x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column></x:ClientData>'
           f'</v:shape>')
    return _prefixed(xml, p)


VML_NS = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
          "x": "urn:schemas-microsoft-com:office:excel"}


def _vml_prefixes(vml: str) -> dict[str, str]:
    """The prefixes a VML drawing binds to the v, o and x namespaces (openpyxl writes ns0, ns1, ns2)."""
    root = re.search(r"<xml\b[^>]*>", vml)
    if root is None:
        raise Refuse("a VML drawing without its xml root")
    out = {}
    for k, uri in VML_NS.items():
        m = re.search(r'xmlns:([\w.-]+)\s*=\s*"' + re.escape(uri) + '"', root.group())
        out[k] = m.group(1) if m else None
    return out


def _prefixed(xml: str, p: dict[str, str] | None) -> str:
    if not p or all(p.get(k) == k for k in VML_NS):
        return xml
    return re.sub(r"(</?|\s)([vox]):", lambda m: m.group(1) + p[m.group(2)] + ":", xml)


_SHAPETYPE = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def _vml_new(idmap: int) -> str:
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
            f'<o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>{_SHAPETYPE}</xml>')


# --------------------------------------------------------------------------- the store

class PackageStore:
    """The cell primitives of :mod:`xlscore.write.apply` as patches to the package at *path*."""

    def __init__(self, path: Path, *, error_path: str | None = None, parts=None):
        """*parts*: the package's parts already inflated and checked (xlscore.write.xlsx.checked), read instead of
        inflating them again; the zip itself is still what the unowned entries are copied from."""
        self.path = Path(path)
        self.error_path = error_path or str(path)
        self.zf = zipfile.ZipFile(self.path)
        self.infos = self.zf.infolist()
        self.names = {i.filename for i in self.infos}
        self.parts: dict[str, bytes] = {}          # changed or new parts
        self.gone: set[str] = set()
        self.added: list[str] = []                  # new parts, in the order they were created
        self._taken: set[str] | None = None         # the part names in use, lower-cased (for fresh)
        self._fresh_from: dict[str, int] = {}
        self._kept = parts.data if parts is not None else {}
        try:
            self.fx = fastxlsx.Workbook(parts if parts is not None else self.path)
        except fastxlsx.Defer as exc:
            raise Refuse(str(exc)) from None
        self.wb_part = self.fx.part
        self.sheets: list[tuple[str, str]] = list(self.fx.sheets)
        self.part_of: dict[str, str] = dict(self.sheets)
        self._ct: str | None = None                 # [Content_Types].xml, as edited (written back by _flush)
        self._run = None                            # (_ct, its trailing Override entries): see _ct_run
        self._ct_low = None                         # (_ct, lower-cased)
        self._idmap: int | None = None              # the highest VML shape-id block in use
        wb = self.text(self.wb_part)
        if not re.search(r"<workbook\b", wb[:4096]) or not re.search(r"<sheets\b", wb):
            raise Refuse("workbook: not plain workbook/sheets elements")
        if re.search(r"<sheets\b[^>]*/>", wb):
            raise Refuse("workbook: no sheets")
        self._styles: Styles | None = None
        self._sheet: dict[str, _Sheet] = {}
        self._comments: dict[str, _Comments] = {}
        self.pending: dict[tuple[str, int, int], list] = {}       # cell → [base xf, fill id | None, numFmt id | None]
        self.computed: dict[tuple[str, int, int], Any] = {}     # results xlscore computed for formulas saved without one
        self.formula_changed = False
        self.values_changed = False

    # ---- parts
    def has(self, name: str) -> bool:
        return (name in self.names or name in self.parts) and name not in self.gone

    def read(self, name: str) -> bytes:
        if name in self.gone:
            raise KeyError(name)
        if name in self.parts:
            return self.parts[name]
        kept = self._kept.get(name)
        return kept if kept is not None else self.zf.read(name)

    def text(self, name: str) -> str:
        data = self.read(name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise Refuse(f"{name}: not UTF-8") from None
        return text[1:] if text.startswith("\ufeff") else text

    def put(self, name: str, data: str | bytes) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if name not in self.names and name not in self.parts:
            self.added.append(name)
        self.gone.discard(name)
        self.parts[name] = data
        if self._taken is not None:
            self._taken.add(name.lower())

    def remove(self, name: str) -> None:
        self._taken = None                          # a name may be free again: fresh looks afresh
        if name in self.parts and name not in self.names:
            del self.parts[name]
            self.added.remove(name)
        else:
            self.parts.pop(name, None)
            if name in self.names:
                self.gone.add(name)
        self._override(name, None)

    @staticmethod
    def rels_name(part: str) -> str:
        folder, obj = posixpath.split(part)
        return posixpath.join(folder, "_rels", obj + ".rels")

    def rels(self, part: str) -> list[dict[str, str]]:
        name = self.rels_name(part)
        if not self.has(name):
            return []
        out = []
        for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", self.text(name)):
            a = attrs(m.group())
            a["#text"] = m.group()
            out.append(a)
        return out

    def target(self, part: str, rel: dict[str, str]) -> str:
        t = rel.get("Target", "")
        if t.startswith("/"):
            return t[1:]
        return posixpath.normpath(posixpath.join(posixpath.dirname(part), t))

    def add_rel(self, part: str, rtype: str, target_part: str) -> str:
        name = self.rels_name(part)
        if self.has(name):
            xml = self.text(name)
        else:
            xml = XML_HEAD + f'<Relationships xmlns="{NS_PKG}"></Relationships>'
        used = {a.get("Id") for a in self.rels(part)} if self.has(name) else set()
        n = 1
        while f"rId{n}" in used:
            n += 1
        rid = f"rId{n}"
        target = posixpath.relpath(target_part, posixpath.dirname(part))
        rel = f'<Relationship Id="{rid}" Type="{rtype}" Target="{esc(target, True)}"/>'
        if re.search(r"<Relationships\b[^>]*/>", xml):
            xml = re.sub(r"(<Relationships\b[^>]*?)\s*/>", lambda m: m.group(1) + ">" + rel + "</Relationships>", xml, 1)
        else:
            i = xml.rindex("</Relationships>")
            xml = xml[:i] + rel + xml[i:]
        self.put(name, xml)
        return rid

    def drop_rel(self, part: str, rid: str) -> None:
        name = self.rels_name(part)
        if not self.has(name):
            return
        xml = self.text(name)
        for a in self.rels(part):
            if a.get("Id") == rid:
                xml = xml.replace(a["#text"], "", 1)
        if not re.search(r"<(?:\w+:)?Relationship\b", xml) and name not in self.names:
            self.remove(name)
        else:
            self.put(name, xml)

    def _ct_text(self) -> str:
        if self._ct is None:
            self._ct = self.text("[Content_Types].xml")
        return self._ct

    def _override(self, part: str, ctype: str | None) -> None:
        ct = self._ct_text()
        pn = "/" + part
        key = f'PartName="{esc(pn, True)}"'
        j = ct.find(key)
        if j < 0:
            low = self._ct_ascii_lower(ct)
            if low is not None and key.isascii() and key.lower() not in low:
                m = None                # in ASCII text re.I finds exactly what lower() does: not there
            else:
                m = re.search(r'<Override\b[^>]*\b' + re.escape(key) + r'[^>]*/>', ct, re.I)
        else:
            start = ct.rfind("<Override", 0, j)
            m = _OVERRIDE.match(ct, start) if start >= 0 else None
        if ctype is None:
            if m:
                self._ct = ct[:m.start()] + ct[m.end():]
            return
        if m:
            return
        # placed before the trailing entries that sort after it: the same place whatever order parts come in
        # (a second run adds the report sheets after comments that the first run added after them)
        keys, dist = self._ct_run(ct)
        pl = pn.lower()
        k = len(keys) - 1
        while k >= 0 and not keys[k] <= pl:
            k -= 1
        i = len(ct) - dist[k + 1]
        new = f'<Override PartName="{esc(pn, True)}" ContentType="{ctype}"/>'
        self._ct = ct[:i] + new + ct[i:]
        # the run as _ct_run would find it in the new text: the entry goes in, those before it move away from the end
        n = len(new)
        keys.insert(k + 1, esc(pn, True).lower())
        dist[:k + 1] = [d + n for d in dist[:k + 1]]
        dist.insert(k + 1, dist[k + 1] + n)
        self._run = (self._ct, keys, dist)

    def _ct_run(self, ct: str) -> tuple[list[str], list[int]]:
        """The trailing run of ``<Override>`` entries of *ct* (only whitespace between them and up to ``</Types>``):
        their part names, lower-cased, in document order, and each entry's distance from the end of the text, with
        that of ``</Types>`` last. Cached for the text it was made of (``_override`` keeps it up to date)."""
        if self._run is not None and self._run[0] is ct:
            return self._run[1], self._run[2]
        i = ct.rindex("</Types>")
        keys, dist = [], [len(ct) - i]
        while True:
            start = ct.rfind("<Override", 0, i)
            if start < 0:
                break
            end = ct.find(">", start) + 1
            if ct[end:i].strip():
                break
            m2 = _PARTNAME.search(ct, start, end)
            keys.append((m2.group(1) if m2 else "").lower())
            dist.append(len(ct) - start)
            i = start
        keys.reverse()
        dist.reverse()
        self._run = (ct, keys, dist)
        return keys, dist

    def _ct_ascii_lower(self, ct: str) -> str | None:
        """*ct* lower-cased where it is ASCII (None otherwise), cached for the text it was made of."""
        if self._ct_low is None or self._ct_low[0] is not ct:
            self._ct_low = (ct, ct.lower() if ct.isascii() else None)
        return self._ct_low[1]

    def _default(self, ext: str, ctype: str) -> None:
        ct = self._ct_text()
        if re.search(r'<Default\b[^>]*\bExtension="' + re.escape(ext) + '"', ct, re.I):
            return
        m = re.search(r"<Types\b[^>]*>", ct)
        self._ct = ct[:m.end()] + f'<Default Extension="{ext}" ContentType="{ctype}"/>' + ct[m.end():]

    def fresh(self, pattern: str) -> str:
        """The first unused part name of *pattern* (with {} for a number)."""
        if self._taken is None:
            self._taken = {x.lower() for x in (self.names | set(self.parts)) - self.gone}
            self._fresh_from = {}
        n = self._fresh_from.get(pattern, 1)        # the names below were taken, and none has been freed since
        while pattern.format(n).lower() in self._taken:
            n += 1
        self._fresh_from[pattern] = n
        return pattern.format(n)

    def refuse_unwritable_numbers(self) -> None:
        """As xlsx._refuse_unwritable_numbers: a number no spreadsheet can hold (a 400-digit integer typed into the
        XML) is refused in one line before anything is written, wherever it is in the workbook."""
        big = re.compile(r"<v>\s*-?\d{300,}\s*</v>")
        for name, part in self.sheets:
            xml = self.text(part)
            for m in big.finditer(xml):
                v = int(re.sub(r"[^\d-]", "", m.group()))
                if -1e308 < v < 1e308:
                    continue
                start = xml.rfind("<c ", 0, m.start())
                tag = xml[start:xml.index(">", start) + 1] if start >= 0 else ""
                a = attrs(tag)
                if a.get("t", "n") != "n":
                    continue
                raise OutputError("output-number-too-big", path=self.error_path, sheet=name, cell=a.get("r", "?"),
                                  digits=len(str(abs(v))))

    # ---- models
    @property
    def styles(self) -> Styles:
        if self._styles is None:
            if not self.has("xl/styles.xml"):
                raise Refuse("no styles part")
            self._styles = Styles(self.text("xl/styles.xml"))
        return self._styles

    def sheet(self, name: str) -> _Sheet:
        sh = self._sheet.get(name)
        if sh is None:
            part = self.part_of[name]
            sh = self._sheet[name] = _Sheet(name, part, self.text(part))
        return sh

    def comments(self, name: str) -> _Comments:
        cm = self._comments.get(name)
        if cm is None:
            cm = self._comments[name] = _Comments()
            part = self.part_of[name]
            for rel in self.rels(part):
                kind = rel.get("Type", "")
                if kind == REL_COMMENTS:
                    cm.part = self.target(part, rel)
                    cm.parse(self.text(cm.part))
                elif kind.endswith("/threadedComment"):
                    raise Refuse("threaded comments")
            sh = self.sheet(name)
            m = re.search(r"<legacyDrawing\b[^>]*>", sh.tail)
            if m:
                rid = next((v for k, v in attrs(m.group()).items() if k.endswith(":id")), None)
                rel = next((r for r in self.rels(part) if r.get("Id") == rid), None)
                if rel is None:
                    raise Refuse("legacy drawing without its relationship")
                cm.vml = self.target(part, rel)
        return cm

    # ---- Store: reading
    def sheet_names(self) -> list[str]:
        return [n for n, _ in self.sheets]

    def read_state(self) -> list[list[Any]]:
        g = self._grid(STATE_SHEET)
        out = []
        for r in range(2, g.max_row + 1):
            row = [g.cells[(r, c)].value if (r, c) in g.cells else None for c in range(1, max(g.max_col, 9) + 1)]
            out.append(row)
        return out

    def _reader(self) -> None:
        """Point the light reader at the package as patched so far."""
        self._flush(comments=False)
        if not isinstance(self.fx.zf, _Overlay):
            self.fx.zf.close()
            self.fx.zf = _Overlay(self)
        self.fx.styles = fastxlsx.Styles(self.fx.zf, set(self.fx.zf.namelist()))

    def _grid(self, name: str, fresh: bool = True) -> Grid:
        """The sheet as the light reader sees it, from the package as patched so far."""
        if fresh:
            self._reader()
        try:
            return self.fx.grid(name, self.part_of[name])
        except fastxlsx.Defer as exc:
            raise Refuse(str(exc)) from None

    def grids(self, skip: tuple[str, ...] = ()) -> list[Grid]:
        if STATE_SHEET in self.sheet_names():
            raise Refuse("state sheet not restored")
        self._reader()
        gs = [self._grid(n, fresh=False) for n in self.sheet_names() if n not in skip]
        formulas.fill(gs, epoch1904=self.fx.epoch == fastxlsx.MAC_EPOCH)      # as the readers do (read/formulas.py)
        self.computed = formulas.computed(gs)
        return gs

    def store_results(self) -> int:
        """Formulas saved without a stored result (a file written by a tool that does not compute), computed by xlscore
        while reading (read/formulas.py), get that result written back as their stored result — so the file reads the
        same in pandas, a batch or a viewer as in Excel; a cell the plan wrote, or one with a result, is left alone.
        The number of cells given a result."""
        n = 0
        for (sheet, row, col), v in sorted(self.computed.items()):
            if isinstance(v, bool):
                t, body = "b", str(int(v))
            elif isinstance(v, formulas.Error):
                t, body = "e", esc(str(v))
            elif isinstance(v, (int, float)):
                t, body = None, _num(v)
            elif isinstance(v, str):
                t, body = "str", esc(v)
            else:
                continue
            if sheet not in self.part_of:
                continue
            sh = self.sheet(sheet)
            c = sh.cell(row, col)
            if c is None or "<f" not in c.inner:
                continue
            inner = re.sub(r"<v\s*/>|<v>\s*</v>", "", c.inner)      # openpyxl writes an empty <v></v>
            if "<v" in inner:
                continue
            c.set("t", t)
            c.inner = inner + f"<v>{body}</v>"
            sh.dirty = True
            n += 1
        return n

    def _xf(self, sheet: str, row: int, col: int, c: _Cell | None) -> int:
        p = self.pending.get((sheet, row, col))
        if p is not None:
            return p[0]
        s = c.get("s") if c is not None else None
        return int(s) if s else 0

    def _effective(self, sheet: str, row: int, col: int, c: _Cell | None) -> tuple[int, int]:
        """(fill id, numFmt id) the cell shows now."""
        st = self.styles
        p = self.pending.get((sheet, row, col))
        base = self._xf(sheet, row, col, c)
        if base >= len(st.xfs):
            raise Refuse("style id out of range")
        fill = st.fill_id(base) if p is None or p[1] is None else p[1]
        fmt = st.numfmt_id(base) if p is None or p[2] is None else p[2]
        return fill, fmt

    def value(self, sheet: str, c: _Cell | None, fmt_id: int, cached: bool = False) -> tuple[Any, bool]:
        """(value as openpyxl reads it, is a formula); *cached*: a formula's stored result instead."""
        if c is None:
            return None, False
        t = c.get("t", "n")
        inner = c.inner
        f = re.search(r"<f\b([^>]*?)(?:/>|>(.*?)</f>)", inner, re.S)
        if f is not None and cached:
            if t == "str":
                v = re.search(r"<v>(.*?)</v>", inner, re.S)
                return (fastxlsx.unescape(v.group(1)) if v else None), True
            f = None
        if f is not None:
            fa = attrs("<f" + f.group(1) + ">")
            text = fastxlsx.unescape(f.group(2) or "")
            if fa.get("t") == "shared" and not text:
                master = self.sheet(sheet).formulas_shared(fa.get("si", ""))
                if master is None:
                    return "=", True
                return fastxlsx.translate_formula(master, c.get("r")), True
            if fa.get("t") == "dataTable":
                return "=TABLE()", True
            return "=" + text, True
        if t == "inlineStr":
            m = re.search(r"<is\b.*?</is>", inner, re.S)
            return (fastxlsx.text_of(fromstring(m.group().replace("<is", f'<is xmlns="{NS_MAIN}"', 1))) if m else None), False
        v = re.search(r"<v>(.*?)</v>", inner, re.S)
        raw = fastxlsx.unescape(v.group(1)) if v else None
        if raw is None or raw == "":
            return None, False
        if t == "s":
            return self.fx.strings[int(raw)], False
        if t == "b":
            return bool(int(raw)), False
        if t == "n":
            num = fastxlsx.cast_number(raw)
            code = self.styles.fmt_code(fmt_id)
            if fastxlsx.is_date_format(code):
                try:
                    return fastxlsx.from_excel(num, self.fx.epoch, timedelta=fastxlsx.is_timedelta_format(code)), False
                except (OverflowError, ValueError):
                    return "#VALUE!", False
            return num, False
        if t == "d":
            raise Refuse("ISO date cell")
        return raw, False

    def snapshot(self, sheet: str, row: int, col: int) -> Snapshot | None:
        sh = self.sheet(sheet)
        if sh.in_merge(row, col):
            return None
        c = sh.cell(row, col)
        fill, fmt = self._effective(sheet, row, col, c)
        value, formula = self.value(sheet, c, fmt)
        com = self.comments(sheet).now.get((row, col))
        cached = self.value(sheet, c, fmt, cached=True)[0] if formula else None
        return Snapshot(value, formula, "xml:" + self.styles.fill_xml(fill), com, self.styles.fmt_code(fmt), cached)

    def put_cached(self, sheet: str, row: int, col: int, value: Any) -> None:
        """A restored formula's stored result, as it was before the first run wrote over the formula."""
        c = self.sheet(sheet).cell(row, col)
        if c is None or "<f" not in c.inner:
            return
        f = re.search(r"<f\b.*?(?:</f>|/>)", c.inner, re.S).group()
        value = plain(value)
        t = None
        if isinstance(value, bool):
            t, v = "b", str(int(value))
        elif isinstance(value, (int, float)):
            v = _num(value)
        elif isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
            v = _num(to_serial(value, self.fx.epoch))
        else:
            v = str(value)
            t = "e" if v in ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A") else "str"
        c.set("t", t)
        c.inner = f + f"<v>{esc(v)}</v>"
        self.sheet(sheet).dirty = True

    # ---- Store: writing cells
    def put_value(self, sheet: str, row: int, col: int, value: Any, formula: bool) -> None:
        value = plain(value)
        sh = self.sheet(sheet)
        c = sh.cell(row, col, create=True)
        old_f = "<f" in c.inner
        if old_f and re.search(r'<f\b[^>]*\bt="(?:array|dataTable)"', c.inner):
            raise Refuse("writing over an array formula")
        shared = re.search(r'<f\b([^>]*\bt="shared"[^>]*?)(?:/>|>(.*?)</f>)', c.inner, re.S) if old_f else None
        if shared is not None and shared.group(2):
            # the master of a shared formula: the next cell sharing it becomes the master, with the formula moved
            fa = attrs("<f" + shared.group(1) + ">")
            self._move_master(sh, fa.get("si", ""), "=" + fastxlsx.unescape(shared.group(2)), c.get("r"), fa.get("ref"))
        cur_t = c.get("t", "n")
        cur_v = re.search(r"<v>(.*?)</v>", c.inner, re.S)
        cur_is = re.search(r"<is\b.*?</is>", c.inner, re.S)
        c.set("t", None)
        if isinstance(value, str) and formula and value.startswith("="):
            # a formula put back: the value the cell shows now stays as the formula's stored result
            cached = ""
            if cur_v is not None and cur_t in ("n", "b", "e", "str"):
                cached = cur_v.group()
                c.set("t", None if cur_t == "n" else cur_t)
            elif cur_v is not None and cur_t == "s":
                cached = f"<v>{esc(self.fx.strings[int(cur_v.group(1))])}</v>"
                c.set("t", "str")
            elif cur_is is not None:
                cached = "<v>" + esc(fastxlsx.text_of(fromstring(cur_is.group().replace("<is", f'<is xmlns="{NS_MAIN}"', 1)))) + "</v>"
                c.set("t", "str")
            c.inner = f"<f>{esc(value[1:])}</f>" + cached
            self.formula_changed = True
        elif value is None:
            c.inner = ""
        elif isinstance(value, bool):
            c.set("t", "b")
            c.inner = f"<v>{int(value)}</v>"
        elif isinstance(value, (int, float)):
            if isinstance(value, int) and not -1e308 < value < 1e308:
                raise OutputError("output-number-too-big", path=self.error_path, sheet=sheet, cell=address(row, col),
                                  digits=len(str(abs(value))))
            c.inner = f"<v>{_num(value)}</v>"
        elif isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
            c.inner = f"<v>{_num(to_serial(value, self.fx.epoch))}</v>"
        else:
            text = str(value)
            c.set("t", "inlineStr")
            c.inner = f'<is><t xml:space="preserve">{esc(text)}</t></is>' if text else "<is><t></t></is>"
        if old_f:
            self.formula_changed = True
        self.values_changed = True
        sh.dirty = True

    @staticmethod
    def _move_master(sh: _Sheet, si: str, formula: str, master_ref: str, ref: str | None) -> None:
        """The shared formula *si* loses its master cell: the next cell sharing it (the cells come after their
        master in the sheet) gets the formula, moved to it, and the range."""
        mm = _REFM.match(master_ref or "")
        if mm is None:
            raise Refuse("a shared formula without its cell")
        mpos = (int(mm.group(2)), fastxlsx.col_index(mm.group(1)))
        key = f'si="{si}"'
        for it in sh.items:
            if not isinstance(it, _Row) or it.num < mpos[0] or key not in it.text():
                continue
            it.parse()
            for col, el in it.cells:
                if not isinstance(el, _Cell) or (it.num, col) <= mpos:
                    continue
                f = re.search(r"<f\b([^>]*?)/>", el.inner)
                if f is None:
                    continue
                fa = attrs("<f" + f.group(1) + ">")
                if fa.get("t") != "shared" or fa.get("si") != si:
                    continue
                moved = fastxlsx.translate_formula((formula, master_ref), el.get("r"))
                ra = f' ref="{esc(ref, True)}"' if ref else ""
                el.inner = el.inner[:f.start()] + f'<f t="shared"{ra} si="{esc(si, True)}">{esc(moved[1:])}</f>' \
                    + el.inner[f.end():]
                sh.dirty = True
                return

    def _pending(self, sheet: str, row: int, col: int) -> list:
        key = (sheet, row, col)
        if key not in self.pending:
            c = self.sheet(sheet).cell(row, col, create=True)
            s = c.get("s")
            base = int(s) if s else 0
            if base >= len(self.styles.xfs):
                raise Refuse("style id out of range")
            self.pending[key] = [base, None, None]
            self.sheet(sheet).dirty = True
        return self.pending[key]

    def put_fill(self, sheet: str, row: int, col: int, token: str | None) -> None:
        p = self._pending(sheet, row, col)
        p[1] = self.styles.fill_for(token, prefer_base=p[0], cell_numfmt=p[2])

    def put_number_format(self, sheet: str, row: int, col: int, fmt: str) -> None:
        p = self._pending(sheet, row, col)
        p[2] = self.styles.numfmt_for(fmt)

    def put_comment(self, sheet: str, row: int, col: int, text: str | None, author: str) -> None:
        cm = self.comments(sheet)
        if not text:
            cm.now.pop((row, col), None)
            return
        cm.now[(row, col)] = (neutral.text(text)[:neutral.MAX_CELL - 1], author)

    # ---- Store: sheets
    def drop_sheet(self, name: str) -> None:
        self._flush(comments=False)
        part = self.part_of[name]
        wb = self.text(self.wb_part)
        m = None
        for idx, mm in enumerate(re.finditer(r"<sheet\b[^>]*?/>", wb)):     # localSheetId counts chartsheets too
            if attrs(mm.group()).get("name") == name:
                m = mm
                break
        if m is None:
            raise Refuse(f"sheet {name!r} not found in the workbook")
        rid = next((v for k, v in attrs(m.group()).items() if k.endswith(":id")), None)
        wb = wb[:m.start()] + wb[m.end():]
        wb = self._drop_names(wb, idx, name)
        av = re.search(r"<workbookView\b[^>]*>", wb)
        if av:
            tag = av.group()
            n = len(re.findall(r"<sheet\b[^>]*?/>", wb))
            for key in ("activeTab", "firstSheet"):
                v = attrs(tag).get(key)
                if v and v.isdigit() and int(v) >= idx and int(v) > 0:
                    tag = set_attr(tag, key, str(int(v) - 1) if int(v) > idx or int(v) >= n else v)
            wb = wb[:av.start()] + tag + wb[av.end():]
        self.put(self.wb_part, wb)
        for rel in self.rels(part):
            if rel.get("TargetMode") != "External" and rel.get("Type") in (REL_COMMENTS, REL_VML) or \
                    rel.get("Type", "").endswith("/printerSettings"):
                t = self.target(part, rel)
                if self.has(t):
                    self.remove(t)
        if self.has(self.rels_name(part)):
            self.remove(self.rels_name(part))
        self.remove(part)
        if rid:
            self.drop_rel(self.wb_part, rid)
        self.sheets = [(n, p) for n, p in self.sheets if n != name]
        self.part_of = dict(self.sheets)
        self._sheet.pop(name, None)
        self._comments.pop(name, None)

    @staticmethod
    def _drop_names(wb: str, idx: int, name: str) -> str:
        dn = re.search(r"<definedNames\b[^>]*>(.*?)</definedNames>", wb, re.S)
        if not dn:
            return wb
        quoted = "'" + name.replace("'", "''") + "'!"
        body = dn.group(1)
        out = []
        for m in re.finditer(r"<definedName\b[^>]*?(?:/>|>.*?</definedName>)|[^<]+", body, re.S):
            t = m.group()
            if not t.startswith("<"):
                out.append(t)
                continue
            a = attrs(t)
            ref = fastxlsx.unescape(t[t.index(">") + 1:]) if not t.endswith("/>") else ""
            lid = a.get("localSheetId")
            if lid is not None and lid.isdigit():
                if int(lid) == idx:
                    continue
                if int(lid) > idx:
                    t = set_attr(t[:t.index(">") + 1], "localSheetId", str(int(lid) - 1)) + t[t.index(">") + 1:]
            if quoted in ref or re.search(r"(?<![\w'.])" + re.escape(name) + "!", ref):
                continue
            out.append(t)
        if not "".join(out).strip():
            return wb[:dn.start()] + wb[dn.end():]
        return wb[:dn.start(1)] + "".join(out) + wb[dn.end(1):]

    def _add_sheet(self, name: str, xml: str, state: str | None, names: list[tuple[str, str, bool]] = ()) -> None:
        part = self.fresh("xl/worksheets/sheet{}.xml")
        self.put(part, xml)
        self._override(part, CT_WS)
        rid = self.add_rel(self.wb_part, REL_WS, part)
        wb = self.text(self.wb_part)
        ids = [int(x) for x in re.findall(r'<sheet\b[^>]*\bsheetId="(\d+)"', wb)]
        prefix = self._r_prefix(wb)
        ra = f'{prefix}:id="{rid}"' if prefix else f'xmlns:r="{NS_R}" r:id="{rid}"'
        st = f' state="{state}"' if state else ""
        entry = f'<sheet name="{esc(name, True)}" sheetId="{max(ids, default=0) + 1}"{st} {ra}/>'
        i = wb.index("</sheets>")
        wb = wb[:i] + entry + wb[i:]
        idx = len(re.findall(r"<sheet\b", wb[:wb.index("</sheets>")])) - 1      # this sheet's localSheetId
        if names:
            defs = "".join(f'<definedName name="{n}" localSheetId="{idx}"' + (' hidden="1"' if hidden else "")
                           + f'>{esc(ref)}</definedName>' for n, ref, hidden in names)
            wb = re.sub(r"<definedNames\s*/>", "", wb, 1)      # an empty element (openpyxl writes one)
            dn = re.search(r"</definedNames>", wb)
            if dn:
                wb = wb[:dn.start()] + defs + wb[dn.start():]
            else:
                at = wb.index("</sheets>") + len("</sheets>")
                for tag in ("</functionGroups>", "<functionGroups/>", "</externalReferences>"):
                    j = wb.find(tag)
                    if j >= 0:
                        at = max(at, j + len(tag))
                wb = wb[:at] + "<definedNames>" + defs + "</definedNames>" + wb[at:]
        self.put(self.wb_part, wb)
        self.sheets.append((name, part))
        self.part_of = dict(self.sheets)

    @staticmethod
    def _r_prefix(wb: str) -> str | None:
        root = re.search(r"<workbook\b[^>]*>", wb).group()
        m = re.search(r'xmlns:(\w+)="' + re.escape(NS_R) + '"', root)
        return m.group(1) if m else None

    def write_state(self, rows: list[list[Any]]) -> None:
        body = []
        for r, row in enumerate(rows, 1):
            body.append(f'<row r="{r}">' + "".join(_plain_cell(r, c, neutral.text(v), 0)
                                                   for c, v in enumerate(row, 1) if v is not None) + "</row>")
        xml = (XML_HEAD + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheetData>' + "".join(body)
               + '</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
               + "</worksheet>")
        self._add_sheet(STATE_SHEET, xml, "veryHidden")

    def write_report(self, lay: ReportLayout) -> None:
        st = self.styles
        font0 = st.fonts[0] if st.fonts else "<font/>"

        def font(bold: bool = False, size: float | None = None, link: bool = False) -> int:
            inner = re.sub(r"<(?:b|sz|u|color)\b[^>]*/>", "", font0[font0.index(">") + 1:-7]) if not font0.endswith("/>") else ""
            extra = ("<b/>" if bold else "") + ("<u/>" if link else "") + (f'<sz val="{size:g}"/>' if size else "") + \
                    ('<color rgb="FF0563C1"/>' if link else "")
            if not bold and not link and not size:
                return 0
            if size is None:
                m = re.search(r"<sz\b[^>]*/>", font0)
                extra += m.group() if m else ""
            return st.add_font("<font>" + extra + inner + "</font>")

        xfs: dict[tuple, int] = {}

        def xf(font_id: int, rgb: str | None, align: str) -> int:
            key = (font_id, rgb, align)
            if key not in xfs:
                fill = st.add_fill(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
                                   f'<bgColor indexed="64"/></patternFill></fill>') if rgb else 0
                a = {"numFmtId": "0", "fontId": str(font_id), "fillId": str(fill), "borderId": "0", "xfId": "0"}
                if font_id:
                    a["applyFont"] = "1"
                if fill:
                    a["applyFill"] = "1"
                if align:
                    a["applyAlignment"] = "1"
                xfs[key] = st.add_xf(start_tag("xf", a) + (f"<alignment {align}/>" if align else "") + "</xf>"
                                     if align else start_tag("xf", a, close=True))
            return xfs[key]

        cellfont: dict[tuple[int, int], int] = {}
        cellfill: dict[tuple[int, int], str] = {}
        cellalign: dict[tuple[int, int], str] = {}
        for r in lay.title_rows:
            cellfont[(r, 1)] = font(True, 14 if r == 1 else 11)
        bold = font(True)
        for r in lay.head_rows:
            for c in range(1, len(lay.rows[r - 1]) + 1):
                cellfont[(r, c)] = bold
                cellfill[(r, c)] = lay.head_fill
                cellalign[(r, c)] = 'horizontal="center" vertical="center" wrapText="1"'
        for (r, c), rgb in lay.fills.items():
            cellfill[(r, c)] = rgb
        link = font(link=True)
        for r, c, _ in lay.links:
            cellfont[(r, c)] = link
            cellfill.pop((r, c), None)
            cellalign[(r, c)] = 'vertical="top"'
        for r, c in lay.wrap:
            cellalign[(r, c)] = 'horizontal="left" vertical="top" wrapText="1"'
        for r, c in lay.center:
            cellalign[(r, c)] = 'horizontal="center" vertical="top"'
        styled = set(cellfont) | set(cellfill) | set(cellalign)
        values = {(r, c): v for r, c, v in lay.cells()}
        rows: dict[int, list[str]] = {}
        font_of, fill_of, align_of, value_of, clean = cellfont.get, cellfill.get, cellalign.get, values.get, neutral.text
        for pos in sorted(set(values) | styled):        # in this order: the styles are added as the cells need them
            r, c = pos
            if pos in styled:
                key = (font_of(pos, 0), fill_of(pos), align_of(pos, ""))
                s = xfs[key] if key in xfs else xf(*key)
            else:
                s = 0
            cells = rows.get(r)
            if cells is None:
                cells = rows[r] = []
            cells.append(_plain_cell(r, c, clean(value_of(pos)), s))
        body = []
        for r in sorted(set(rows) | set(lay.heights)):
            h = lay.heights.get(r)
            ht = f' ht="{h:g}" customHeight="1"' if h else ""
            body.append(f'<row r="{r}"{ht}>' + "".join(rows.get(r, [])) + "</row>")
        ncols = max([len(x) for x in lay.rows] + [len(lay.widths), 1])
        nrows = max(len(lay.rows), 1)
        cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(lay.widths, 1))
        links = "".join(f'<hyperlink ref="{address(r, c)}" location="{esc(t[1:] if t.startswith("#") else t, True)}" '
                        f'display="{esc(str(neutral.text(values.get((r, c), "")) or ""), True)}"/>' for r, c, t in lay.links)
        xml = (XML_HEAD + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
               f'<dimension ref="A1:{col_letter(ncols)}{nrows}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
               f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
               + "<sheetData>" + "".join(body) + "</sheetData>"
               + (f'<autoFilter ref="{lay.autofilter}"/>' if lay.autofilter else "")
               + (f"<hyperlinks>{links}</hyperlinks>" if links else "")
               + '<printOptions horizontalCentered="1"/>'
               + '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
               + f'<pageSetup paperSize="9" orientation="{"landscape" if lay.landscape else "portrait"}" '
               + f'fitToWidth="{lay.fit_width}" fitToHeight="0"/>'
               + "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter></worksheet>")
        q = "'" + REPORT_SHEET.replace("'", "''") + "'"
        names = []
        if lay.autofilter:
            a, b = lay.autofilter.split(":")
            ra, rb = _REFM.match(a), _REFM.match(b)
            names.append(("_xlnm._FilterDatabase", f"{q}!${ra.group(1)}${ra.group(2)}:${rb.group(1)}${rb.group(2)}", True))
        if lay.repeat_row:
            names.append(("_xlnm.Print_Titles", f"{q}!${lay.repeat_row}:${lay.repeat_row}", False))
        self._add_sheet(REPORT_SHEET, xml, None, names)

    # ---- saving
    def _flush(self, comments: bool = True, final: bool = False) -> None:
        """Materialise pending styles, cells (and comments) into part texts. Comments are compared with the
        package's only when it is saved: a comment taken away by restore and put back by apply is untouched.
        *final*: the store is being saved, and nothing reads it after (the comments written are not read back)."""
        st = self._styles
        for (sheet, row, col), (base, fill, fmt) in sorted(self.pending.items()):
            if sheet not in self.part_of:
                continue
            new = st.derive(base, fill, fmt)
            c = self.sheet(sheet).cell(row, col, create=True)
            old = c.get("s")
            if new != (int(old) if old else 0):
                c.set("s", str(new))
        self.pending.clear()
        if st is not None and st.dirty:
            self.put("xl/styles.xml", st.text())
            st.dirty = False
        for name, cm in list(self._comments.items()) if comments else ():
            if name in self.part_of and cm.changed():
                self._write_comments(name, cm, final)
        for name, sh in self._sheet.items():
            if sh.dirty and name in self.part_of:
                self.put(sh.part, sh.text())
                sh.dirty = False
        if self.formula_changed:
            self._drop_calc_chain()
        if self.values_changed:
            self._full_calc()
        if self._ct is not None:
            data = self._ct.encode("utf-8")
            if data != self.read("[Content_Types].xml"):
                self.parts["[Content_Types].xml"] = data

    def _write_comments(self, name: str, cm: _Comments, final: bool = False) -> None:
        sh = self.sheet(name)
        part = sh.part
        if not cm.now:
            if cm.part:
                rel = next((r for r in self.rels(part) if r.get("Type") == REL_COMMENTS), None)
                self.remove(cm.part)
                if rel:
                    self.drop_rel(part, rel["Id"])
                cm.part = None
        else:
            if cm.part is None:
                cm.part = self.fresh("xl/comments{}.xml")
                self.add_rel(part, REL_COMMENTS, cm.part)
            self.put(cm.part, cm.render())
            self._override(cm.part, CT_COMMENTS)
        # the VML: the boxes of comments that changed or went are removed, those of new or changed ones added
        gone = {p for p in cm.loaded if cm.loaded[p] != cm.now.get(p)}
        new = sorted(p for p in cm.now if cm.loaded.get(p) != cm.now[p])
        if cm.vml is None:
            if not new:
                return
            if self._idmap is None:
                self._idmap = max([int(x) for n in self._vmls()
                                   for x in re.findall(r':idmap\b[^>]*\bdata="(\d+)', self.text(n))] + [0])
            self._idmap += 1
            idmap = self._idmap
            cm.vml = self.fresh("xl/drawings/vmlDrawing{}.vml")
            vml = _vml_new(idmap)
            base = idmap * 1024
            rid = self.add_rel(part, REL_VML, cm.vml)
            self._default("vml", CT_VML)
            self._legacy_drawing(sh, rid)
        else:
            vml = self.text(cm.vml)
            base = max([int(x) for x in re.findall(r'id="_x0000_s(\d+)"', vml)] + [1024])
        p = _vml_prefixes(vml)
        if new and (p["v"] is None or p["o"] is None or p["x"] is None):
            vml = vml.replace("<xml", "<xml" + "".join(f' xmlns:{k}="{u}"' for k, u in VML_NS.items() if p[k] is None), 1)
            p = {k: p[k] or k for k in VML_NS}
        xp = re.escape(p["x"] or "x")
        vp = re.escape(p["v"] or "v")

        def keep(m: re.Match) -> str:
            s = m.group()
            if "Note" not in s:
                return s
            r, c = re.search(rf"<{xp}:Row>\s*(\d+)", s), re.search(rf"<{xp}:Column>\s*(\d+)", s)
            if r and c and (int(r.group(1)) + 1, int(c.group(1)) + 1) in gone:
                return ""
            return s
        vml = re.sub(rf"<{vp}:shape\b.*?</{vp}:shape>", keep, vml, flags=re.S)
        if new and "_x0000_t202" not in vml:
            i = vml.rindex("</xml>")
            vml = vml[:i] + _prefixed(_SHAPETYPE, p) + vml[i:]
        shapes = "".join(_shape(base + k, r, c, *cm.now[(r, c)], p) for k, (r, c) in enumerate(new, 1))
        i = vml.rindex("</xml>")
        vml = vml[:i] + shapes + vml[i:]
        if not cm.now and not re.search(rf"<{vp}:shape\b", vml):
            rel = next((r for r in self.rels(part) if r.get("Type") == REL_VML), None)
            self.remove(cm.vml)
            if rel:
                self.drop_rel(part, rel["Id"])
            sh.tail = re.sub(r"<legacyDrawing\b[^>]*/>", "", sh.tail, 1)
            sh.dirty = True
            cm.vml = None
        else:
            self.put(cm.vml, vml)
        if final:
            return
        cm.loaded, cm.raw = dict(cm.now), {p: cm.raw.get(p, "") for p in cm.now}
        if cm.part:
            cm.parse(self.text(cm.part))

    def _vmls(self) -> list[str]:
        return [n for n in (self.names | set(self.parts)) - self.gone if n.lower().endswith(".vml")]

    @staticmethod
    def _legacy_drawing(sh: _Sheet, rid: str) -> None:
        el = f'<legacyDrawing xmlns:r="{NS_R}" r:id="{rid}"/>'
        tail = sh.tail
        at = tail.rindex("</worksheet>")
        for tag in ("<legacyDrawingHF", "<drawingHF", "<picture", "<oleObjects", "<mc:AlternateContent", "<controls",
                    "<webPublishItems", "<tableParts", "<extLst"):
            j = tail.find(tag)
            if 0 <= j < at:
                at = j
        sh.tail = tail[:at] + el + tail[at:]
        sh.dirty = True

    def _drop_calc_chain(self) -> None:
        for rel in self.rels(self.wb_part):
            if rel.get("Type") == REL_CALC:
                t = self.target(self.wb_part, rel)
                if self.has(t):
                    self.remove(t)
                self.drop_rel(self.wb_part, rel["Id"])

    def _full_calc(self) -> None:
        """Formulas that depend on a rewritten cell hold stale results: ask Excel/WPS to recompute on open
        (what openpyxl's save does for every workbook)."""
        wb = self.text(self.wb_part)
        m = re.search(r"<calcPr\b[^>]*>", wb)
        if m:
            if attrs(m.group()).get("fullCalcOnLoad") in ("1", "true"):
                return
            wb = wb[:m.start()] + set_attr(m.group(), "fullCalcOnLoad", "1") + wb[m.end():]
        else:
            at = None
            for tag in ("<oleSize", "<customWorkbookViews", "<pivotCaches", "<smartTagPr", "<smartTagTypes",
                        "<webPublishing", "<fileRecoveryPr", "<webPublishObjects", "<extLst", "</workbook>"):
                j = wb.find(tag)
                if j >= 0 and (at is None or j < at):
                    at = j
            wb = wb[:at] + '<calcPr calcId="191029" fullCalcOnLoad="1"/>' + wb[at:]
        self.put(self.wb_part, wb)

    def save(self, target: Path) -> None:
        self.store_results()
        self._flush(final=True)
        safefile.write(Path(target), self._write_zip)

    def _write_zip(self, tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                name = info.filename
                if name in self.gone:
                    continue
                if name in self.parts:
                    zi = zipfile.ZipInfo(name, date_time=info.date_time)
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    zi.external_attr = info.external_attr
                    out.writestr(zi, self.parts[name])
                else:
                    _copy_raw(self.zf, info, out)
            for name in self.added:
                zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(zi, self.parts[name])

    def close(self) -> None:
        self.fx.close()
        self._kept = {}
        self.zf.close()


def _copy_raw(src: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """An entry copied as it is stored: the same compressed bytes (no inflate, no deflate), name, date, method and
    CRC; a fresh local header (sizes in it, no data descriptor). Falls back to a plain re-compressed copy for
    anything unusual (encrypted, zip64, a local header that does not match the directory)."""
    import copy
    import struct
    fp = src.fp
    plain_copy = info.flag_bits & 0x1 or info.file_size >= 0x7FFFFFFF or info.compress_size >= 0x7FFFFFFF \
        or info.header_offset >= 0x7FFFFFFF or fp is None or not out._seekable
    if not plain_copy:
        fp.seek(info.header_offset)
        head = fp.read(30)
        plain_copy = len(head) != 30 or head[:4] != b"PK\x03\x04"
    if plain_copy:
        zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
        zi.compress_type = info.compress_type
        zi.external_attr = info.external_attr
        out.writestr(zi, src.read(info))
        return
    n, e = struct.unpack("<HH", head[26:30])
    fp.seek(info.header_offset + 30 + n + e)
    data = fp.read(info.compress_size)
    zi = copy.copy(info)
    zi.flag_bits &= ~0x08                       # sizes and CRC go in the local header
    zi.extra = b""
    out.fp.seek(out.start_dir)
    zi.header_offset = out.fp.tell()
    out.fp.write(zi.FileHeader(zip64=False))
    out.fp.write(data)
    out.start_dir = out.fp.tell()
    out.filelist.append(zi)
    out.NameToInfo[zi.filename] = zi


def _plain_cell(r: int, c: int, v: Any, s: int) -> str:
    ref = f"{col_letter(c)}{r}"
    sa = f' s="{s}"' if s else ""
    if v is None or v == "":
        return f'<c r="{ref}"{sa}/>'
    if isinstance(v, bool):
        return f'<c r="{ref}"{sa} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"{sa}><v>{_num(v)}</v></c>'
    return f'<c r="{ref}"{sa} t="inlineStr"><is><t xml:space="preserve">{esc(str(v))}</t></is></c>'


class _Overlay:
    """The package as patched so far, as the light reader reads a zip (``read``, ``namelist``)."""

    def __init__(self, store: PackageStore):
        self.store = store

    def read(self, name: str) -> bytes:
        return self.store.read(name)

    def namelist(self) -> list[str]:
        s = self.store
        return [n for n in [i.filename for i in s.infos] + s.added if s.has(n)]

    def close(self) -> None:
        pass
