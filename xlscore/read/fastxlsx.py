"""The light reader: an .xlsx/.xlsm package → :class:`~xlscore.grid.Grid` objects, without openpyxl.

``check``, ``batch`` and the read half of ``recalc`` need, per worksheet, the cells (for a formula both the
formula and the value Excel/WPS last computed), the merged ranges and each number's format (a 0.95 in a ``0%``
cell reads "95%", a serial in a date format is a date). openpyxl builds its whole object model for that — styles,
fonts, borders of every merged cell — and loads the file twice when it holds a formula. This module reads the
same things in one pass over each part's XML (zipfile + the C ElementTree parser):

* ``[Content_Types].xml``, ``xl/workbook.xml`` and its rels: the worksheets, in order, and the 1900/1904 epoch;
* ``sharedStrings.xml``: the strings (rich text flattened to its text, as openpyxl's ``rich_text=True`` + ``str``);
* ``styles.xml``: cell style id → number format code (and which are date / duration formats);
* each worksheet: the cells of ``<sheetData>`` and the ``<mergeCells>`` — from the part's text where it is in the
  plain spelling Excel, WPS and openpyxl write (:func:`plain_sheet`: regular expressions, after expat has found it
  well-formed), else from its element tree.

It reproduces what :func:`xlscore.write.xlsx.grids` builds from openpyxl's two loads — value by value, type by
type, the order of the cells and of the merged ranges included (tests/test_fast_reader.py compares both readers on
every workbook the project has). Where it cannot promise that, it raises :class:`Defer` and the caller uses
openpyxl as before:

* a workbook that xlscore has already written back (an ``xlscore_state`` sheet: its originals must be restored
  through the comments and values openpyxl holds);
* shared formulas that need translating to each cell (openpyxl's formula translator is imported for those only,
  not the whole reader — see :func:`translate_formula`); ISO-date cells (``t="d"``);
* anything unusual in the package: a DOCTYPE (entity declarations: openpyxl parses those through defusedxml),
  a strict-OOXML namespace, sheet names openpyxl would rename, missing parts, odd cell references, style ids
  out of range — and any error at all while reading (openpyxl then reports the damage in its own words).

Why not python-calamine for the values: it reads every number as a float (openpyxl, and so the findings' JSON,
say 56 where calamine says 56.0) and exposes neither formulas nor number formats, so the sheet XML would have to be
parsed here anyway; the C parser's pass is most of this reader's time, calamine would only add to it.

Formulas saved without a result (by openpyxl, a generator) are computed afterwards, from the grids of all the sheets,
by :func:`xlscore.read.formulas.fill` — the same call the openpyxl path makes — so both readers still build the same
grids.

The light reader parses less than openpyxl: a workbook whose *other* parts are damaged (a broken comment, drawing
or document-properties part) can be checked with it where openpyxl refused the whole file.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import fromstring
from xml.parsers.expat import ExpatError, ParserCreate

from ..grid import Cell, Grid, as_shown
from ..numbers import tame
from . import formulas
from .serials import MAC_EPOCH, WINDOWS_EPOCH, from_excel, is_date_format, is_timedelta_format  # noqa: F401

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
STATE_SHEET = "xlscore_state"            # = xlscore.write.apply.STATE_SHEET (not imported: no write code here)

_WORKBOOK_TYPES = tuple(f"application/vnd.{k}.main+xml" for k in (
    "ms-excel.template.macroEnabled", "openxmlformats-officedocument.spreadsheetml.template",
    "ms-excel.sheet.macroEnabled", "openxmlformats-officedocument.spreadsheetml.sheet"))   # openpyxl's order
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

ROW, CELL, V, F, IS, T = NS + "row", NS + "c", NS + "v", NS + "f", NS + "is", NS + "t"
MERGES = NS + "mergeCells"


_PLAIN = object()        # "no formula here" (a formula's cached value may be None)
_NOTHING = (None, _PLAIN, 0)      # a cell without a value or formula (its style shows nothing)
_PROBE = 0.5             # a number: as_shown returns it as it is unless the format shows it otherwise ("50%")


class Defer(Exception):
    """This workbook is left to openpyxl (the reason is the message)."""


# --------------------------------------------------------------------------- number formats (as openpyxl 3.1)

BUILTIN_FORMATS = {
    0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm',
    17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy h:mm',
    37: '#,##0_);(#,##0)', 38: '#,##0_);[Red](#,##0)', 39: '#,##0.00_);(#,##0.00)', 40: '#,##0.00_);[Red](#,##0.00)',
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0',
    48: '##0.0E+0', 49: '@',
}
def cast_number(value: str):
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


# --------------------------------------------------------------------------- the package

class Parts:
    """A package whose parts were inflated already (and their CRCs checked: xlscore.write.xlsx.checked), read as a
    zip is read (``read``, ``namelist``): a part not kept is read from the zip at *path*."""

    def __init__(self, path, data: dict[str, bytes], names: list[str]):
        self.path = path
        self.data = data
        self.names = names
        self._zf: zipfile.ZipFile | None = None

    def read(self, name: str) -> bytes:
        data = self.data.get(name)
        if data is not None:
            return data
        if self._zf is None:
            self._zf = zipfile.ZipFile(self.path)
        return self._zf.read(name)

    def namelist(self) -> list[str]:
        return list(self.names)

    def close(self) -> None:
        self.data = {}
        if self._zf is not None:
            self._zf.close()
            self._zf = None


def _xml(zf: zipfile.ZipFile, name: str):
    data = zf.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Defer(f"{name}: DOCTYPE")
    return fromstring(data)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, target path in the zip) of *part*'s relationships (as openpyxl's get_dependents)."""
    folder, obj = posixpath.split(part)
    path = posixpath.join(folder, "_rels", f"{obj}.rels")
    root = _xml(zf, path)
    parent = posixpath.split(posixpath.dirname(path))[0]
    out = {}
    for r in root:
        if r.tag != PKG_RELS + "Relationship":
            continue
        target, rid = r.get("Target"), r.get("Id")
        if target is None or r.get("Type") is None or not rid:
            raise Defer(f"{path}: incomplete relationship")
        if r.get("TargetMode") == "External":
            pass
        elif target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(parent, target))
        out[rid] = (r.get("Type"), target)
    return out


_STYLES: dict[bytes, tuple] = {}        # styles.xml → what Styles makes of it: forms of one template share it
_STYLES_MAX, _STYLES_BYTES = 64, 1 << 18


class Styles:
    """Cell style id → number format code, and the ids whose format is a date or a duration. Read-only once made:
    a workbook whose styles.xml is byte for byte one read before shares its tables (tuples, frozensets)."""

    def __init__(self, zf: zipfile.ZipFile, names: set[str]):
        data = zf.read("xl/styles.xml") if "xl/styles.xml" in names else None
        known = _STYLES.get(data) if data is not None and len(data) <= _STYLES_BYTES else None
        if known is None:
            known = self._make(data)
            if data is not None and len(data) <= _STYLES_BYTES:
                if len(_STYLES) >= _STYLES_MAX:
                    _STYLES.clear()
                _STYLES[data] = known
        self.formats, self.dates, self.durations, self.ids, self.shows = known

    @staticmethod
    def _make(data: bytes | None) -> tuple:
        xfs: list[int] = []
        custom: dict[int, str] = {}
        if data is not None:
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise Defer("xl/styles.xml: DOCTYPE")
            root = fromstring(data)
            for child in root:
                tag = _local(child.tag)
                if tag == "numFmts":
                    for n in child:
                        if _local(n.tag) == "numFmt":
                            fid, code = n.get("numFmtId"), n.get("formatCode")
                            if fid is None or code is None:
                                raise Defer("numFmt without id or code")
                            custom[int(fid)] = code
                elif tag == "cellXfs":
                    xfs = [int(x.get("numFmtId", 0)) for x in child if _local(x.tag) == "xf"]
        if not xfs:
            xfs = [0]                       # openpyxl's default: one General style
        formats: list[str] = []
        dates: set[int] = set()
        durations: set[int] = set()
        for i, fid in enumerate(xfs):
            fmt = custom[fid] if fid in custom else BUILTIN_FORMATS.get(fid)
            formats.append("General" if fmt is None else fmt)
            if is_date_format(fmt):
                dates.add(i)
            if is_timedelta_format(fmt):
                durations.add(i)
        ids = {str(i): i for i in range(len(formats))}          # s="3" → 3 (any other spelling: int())
        shows = tuple(as_shown(_PROBE, f) is not _PROBE for f in formats)      # formats as_shown rewrites ("0%")
        return tuple(formats), frozenset(dates), frozenset(durations), ids, shows


def text_of(node) -> str:
    """The text of an <si>/<is> element as openpyxl's CellRichText, flattened with str(): the <t> if it has
    text, else its runs' texts (phonetic runs are not text)."""
    if len(node) == 1:
        only = node[0]
        if only.tag == T:                   # the common case: one <t>
            t = only.text
            return t.replace("x005F_", "") if t else ""
    t = None
    runs = []
    for child in node:
        tag = _local(child.tag)
        if tag == "t":
            t = child.text
        elif tag == "r":
            rt = None
            for sub in child:
                if _local(sub.tag) == "t":
                    rt = sub.text
            runs.append(rt)
    if t:
        return t.replace("x005F_", "")
    return "".join(r.replace("x005F_", "") for r in runs if r)


def _shared_strings(zf: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None:
        return []
    root = _xml(zf, part)
    return [text_of(si) for si in root.iter(NS + "si")]


_REF = re.compile(r"([A-Z]{1,3})([0-9]+)$")
RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?$")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _parse_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if m is None or m.group(2).startswith("0"):
        raise Defer(f"cell reference {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


_REFS: dict[str, tuple[int, int]] = {}      # "B7" → (7, 2), shared by every sheet of every workbook read
_REFS_MAX = 1 << 18                         # then it starts again (a few MB at most)


def _ref(ref: str) -> tuple[int, int]:
    pos = _parse_ref(ref)
    if len(_REFS) >= _REFS_MAX:
        _REFS.clear()
    _REFS[ref] = pos
    return pos


# --------------------------------------------------------------------------- the plain spelling of a worksheet
#
# Most of the light reader's time went into the element tree of each sheet part. plain_sheet reads the sheet's text
# with regular expressions instead, where it can promise the element tree's reading — the spelling Excel, WPS and
# openpyxl write: well-formed (expat, with namespaces, as the element tree parses it), UTF-8, no comment / CDATA /
# processing instruction / DOCTYPE, <worksheet> in the main namespace and no other default namespace declared, no
# <row> or <mergeCells> outside <sheetData> or of another spelling than the expressions read. Workbook._plain_cells
# stops at the first token of any other spelling (or structure) and the element tree reads the sheet (every token
# before it was read as the tree reads it). tests/test_fast_reader.py compares both on every workbook the tests have
# and on odd spellings.

class _NotPlain(Exception):
    """Not the plain spelling: the element tree reads this sheet."""


_W = "[ \t\r\n]"
_SHEET_TOKENS = re.compile(           # a cell, <row>, </row>, white space, or any other character (possessive: no
    r'<c r="([A-Z]{1,3}+[0-9]++)"(?: s="([0-9]++)")?+(?: t="([A-Za-z]++)")?+ ?+'          # backtracking)
    r'(?>/>|>'                                                                           # 1 r, 2 s, 3 t
    r'(?:(<f)((?: (?!xmlns)[\w:.-]++="[^"<&\t\r\n]*+")*+) ?+(?>/>|>([^<]*+)</f>))?+'     # 4 <f, 5 attributes, 6 text
    r'(?:<v>([^<&\r]*+)</v>|<v ?/>)?+'                                                   # 7 value
    r'(?:(<is>)<t(?: xml:space="preserve")?+(?>/>|>([^<]*+)</t>)</is>)?+'                # 8 <is, 9 text
    r'</c>)'
    r'|(<row)(?: r="[0-9]++")?+(?: (?!r=|xmlns)[\w:.-]++="[^"<]*+")*+ ?+(/?+)>'          # 10 <row, 11 "/"
    r'|(</row>)'                                                                         # 12
    f'|{_W}++'
    r'|([\s\S])')                                                                        # 13
_F_ATTR = r' ([\w:.-]+)="([^"]*)"'                     # (compiled on first use, by re: formulas with attributes)
_DECL = re.compile(rb'<\?xml version="1\.[0-9]"(?: encoding="(?i:utf-8)")?(?: standalone="(?:yes|no)")? ?\?>')
_ROOT = re.compile(f'{_W}*<worksheet((?:{_W}+[\\w:.-]+="[^"<]*")*){_W}*>')
_ROOT_XMLNS = f' xmlns="{NS[1:-1]}"'
_ROW_TAG = re.compile(r"[<:]row[ \t\r\n/>]")               # an element named row, of any prefix
_MERGES_TAG = re.compile(r"[<:]mergeCells[ \t\r\n/>]")
_MERGES = re.compile(f'<mergeCells(?: count="[0-9]+")? ?(?:/>|>((?:{_W}*<mergeCell ref="[^"<&\t\r\n]*" ?/>)*){_W}*</mergeCells>)')
_MERGE_REF = re.compile(r'ref="([^"]*)"')
_ENTITY = r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);"       # (compiled on first use, by re)
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _entity(m) -> str:
    name = m.group(1)
    if name[0] == "#":
        try:
            return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))
        except (ValueError, OverflowError):     # past U+10FFFF: not XML (expat refuses it; the package store reads
            return "\ufffd"                     # parts expat has not seen)
    return _ENTITIES[name]


def unescape(raw: str) -> str:
    """XML's character references and its five named ones replaced — by XML's rules: html.unescape reads &#128; by
    HTML's (as €) and knows names XML does not."""
    return re.sub(_ENTITY, _entity, raw) if "&" in raw else raw


def _text(raw: str) -> str:
    """Character data as the XML parser delivers it: line ends normalised, then references replaced (expat has
    refused any other entity already)."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return unescape(raw)


def _inline(itext: str) -> str:
    """The text of a plain <is><t>…</t></is>, as text_of reads it."""
    if "&" in itext or "\r" in itext:
        itext = _text(itext)
    return itext.replace("x005F_", "") if "x005F_" in itext else itext


def _default_namespaces(text: str) -> int:
    """How many default namespaces *text* may declare: its "xmlns" not followed by ":" (more than it declares where
    the word is in a text or value: then plain_sheet declines)."""
    return text.count("xmlns") - text.count("xmlns:")


def plain_sheet(data: bytes):
    """(the tokens of <sheetData>, the refs of each <mergeCells>) of a worksheet part in the plain spelling (see
    above); None where the element tree must read it."""
    if data[:1] != b"<" or b"<!" in data or data.find(b"<?", 1) != -1:
        return None
    start = 0
    if data[:2] == b"<?":
        m = _DECL.match(data)
        if m is None:
            return None
        start = m.end()
    try:
        parser = ParserCreate(None, "}")            # as the element tree's parser: namespaces checked
        parser.Parse(data, True)
        text = data.decode("utf-8")
    except (ExpatError, UnicodeDecodeError, ValueError):
        return None
    m = _ROOT.match(text, start)
    if m is None or _ROOT_XMLNS not in m.group(1) or _default_namespaces(m.group(1)) != 1:
        return None
    i = text.find("<sheetData", m.end())
    if i == -1:                                  # (head: before <sheetData>, tail: after it; the body is not cut out)
        head, begin, end, tail = text[m.end():], 0, 0, ""
    else:
        head = text[m.end():i]
        if text.startswith("<sheetData/>", i):
            begin = end = 0
            tail = text[i + 12:]
        elif text.startswith("<sheetData>", i):
            end = text.find("</sheetData>", i)
            if end == -1:
                return None
            begin, tail = i + 11, text[end + 12:]
        else:
            return None
    for part in (head, tail):
        if _default_namespaces(part) or ("row" in part and _ROW_TAG.search(part)):
            return None
    if "mergeCells" in head and _MERGES_TAG.search(head):
        return None
    merges = []
    if "mergeCells" in tail:
        for mt in _MERGES_TAG.finditer(tail):
            mm = _MERGES.match(tail, mt.start())
            if mm is None:
                return None
            merges.append(_MERGE_REF.findall(mm.group(1) or ""))
    return (_SHEET_TOKENS.findall(text, begin, end) if end else []), merges


def _row_number(r: str | None, before: int) -> int:
    """A row's number: its r attribute (as openpyxl reads it), else the one after the row before."""
    if r is None:
        return before + 1
    try:
        return int(r)
    except ValueError:
        val = float(r)
        if not val.is_integer():
            raise
        return int(val)


class Workbook:
    """The package, opened: the worksheets in order; :meth:`grids` reads them."""

    def __init__(self, path):
        self.zf = path if isinstance(path, Parts) else zipfile.ZipFile(path)       # a path, an open file, or Parts
        names = set(self.zf.namelist())
        ct = _xml(self.zf, "[Content_Types].xml")
        overrides = [(o.get("PartName"), o.get("ContentType")) for o in ct if o.tag == CT_NS + "Override"]
        defaults = {d.get("ContentType") for d in ct if d.tag == CT_NS + "Default"}
        wb_part = None
        for kind in _WORKBOOK_TYPES:
            wb_part = next((p for p, c in overrides if c == kind), None)
            if wb_part:
                break
        if wb_part is None:
            if not defaults & set(_WORKBOOK_TYPES):
                raise Defer("no workbook part")
            wb_part = "/xl/workbook.xml"
        wb_part = wb_part[1:]
        self.part = wb_part                               # the workbook part's name in the zip
        ss = next((p for p, c in overrides if c == _SHARED_STRINGS), None)
        self.strings = _shared_strings(self.zf, ss[1:] if ss else None)
        root = _xml(self.zf, wb_part)
        if root.tag != NS + "workbook":
            raise Defer("not a transitional-OOXML workbook")
        self.epoch = WINDOWS_EPOCH
        rels = None
        self.sheets: list[tuple[str, str]] = []
        seen: set[str] = set()
        for child in root:
            tag = _local(child.tag)
            if tag == "workbookPr":
                d = child.get("date1904")
                if d is not None and d not in ("false", "f", "0") and d:
                    self.epoch = MAC_EPOCH
            elif tag == "sheets":
                for s in child:
                    if _local(s.tag) != "sheet":
                        continue
                    rid, name = s.get(REL_ID), s.get("name")
                    if not rid:
                        raise Defer("sheet without a relationship id")
                    if rels is None:
                        rels = _rels(self.zf, wb_part)
                    kind, target = rels[rid]
                    if target not in names:
                        continue                          # openpyxl skips it too
                    if "chartsheet" in kind:
                        continue
                    if not name or re.search(r"[\\*?:/\[\]]", name) or name.lower() in seen:
                        raise Defer("a sheet name openpyxl would refuse or rename")
                    seen.add(name.lower())
                    self.sheets.append((name, target))
        self.styles = Styles(self.zf, names)

    def close(self) -> None:
        self.zf.close()

    # ---- one worksheet
    def grid(self, name: str, part: str) -> Grid:
        """The sheet as openpyxl's two loads (formulas, cached values) + xlsx.grids build it."""
        data = self.zf.read(part)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise Defer(f"{part}: DOCTYPE")
        plain = plain_sheet(data)
        read = None
        if plain is not None:
            try:
                read = self._plain_cells(*plain)
            except _NotPlain:
                read = None
        if read is None:                                 # anything unusual: the element tree reads it
            root = fromstring(data)
            if root.tag != NS + "worksheet":
                raise Defer(f"{part}: not a transitional-OOXML worksheet")
            read = self._tree_cells(root)
        cells, merge_groups = read
        formats, shows = self.styles.formats, self.styles.shows

        merges = []
        for group in merge_groups:        # the last <mergeCells> counts, as in openpyxl
            merges = []
            for ref in group:
                mm = RANGE.match(ref or "")
                if mm is None:
                    raise Defer(f"merged range {ref!r}")
                c1, r1 = col_index(mm.group(1)), int(mm.group(2))
                c2, r2 = (col_index(mm.group(3)), int(mm.group(4))) if mm.group(3) else (c1, r1)
                if r1 < 1 or r1 > r2 or c1 > c2:
                    raise Defer(f"merged range {ref!r}")
                merges.append((r1, c1, r2, c2))
        for r1, c1, r2, c2 in merges:     # openpyxl keeps only the top-left cell of a merged range
            if (r2 - r1 + 1) * (c2 - c1 + 1) <= 4 * len(cells):
                for r in range(r1, r2 + 1):
                    for c in range(c1 + (r == r1), c2 + 1):          # (its top-left cell stays)
                        cells.pop((r, c), None)
            else:
                for k in [k for k in cells if r1 <= k[0] <= r2 and c1 <= k[1] <= c2 and k != (r1, c1)]:
                    del cells[k]

        g = Grid(name)
        out, numbers = g.cells, g.numbers
        max_row = max_col = 0
        for pos, (value, cached, style) in cells.items():
            if value is None or value == "":
                continue
            if value.__class__ is not str or len(value) > 30:
                value = tame(value)          # a number of any length reads as the openpyxl path reads it
            if cached is _PLAIN:
                if style and shows[style] and not isinstance(value, str):
                    shown = as_shown(value, formats[style])
                    if shown is not value:
                        numbers[pos] = value     # for formulas that refer to it (read/formulas.py)
                    value = shown
                out[pos] = Cell(value, None, False)
            else:
                cached = tame(cached)
                shown = as_shown(cached, formats[style]) if shows[style] else cached
                if shown is not cached:
                    numbers[pos] = cached
                elif cached is None:
                    g.formats[pos] = formats[style]
                out[pos] = Cell(value, shown, True)
            if pos[0] > max_row:
                max_row = pos[0]
            if pos[1] > max_col:
                max_col = pos[1]
        g.max_row, g.max_col = max_row, max_col
        # ranges in openpyxl's order: MultiCellRange keeps them in a set (built twice, hashed as these tuples)
        g.merges = list(set(x for x in set(merges)))
        return g

    # ---- a sheet's cells: {(row, col): (value or formula, cached value or _PLAIN, style)} and its merged ranges
    # (the refs of each <mergeCells>), read from the element tree (any sheet) or from plain_sheet's tokens; both
    # through the helpers below, in document order, so both defer or fail on the same cell
    def _style(self, s: str) -> int:
        sid = self.styles.ids.get(s)
        if sid is not None:
            return sid
        sid = int(s)                            # "" fails: openpyxl fails on it too
        if not 0 <= sid < len(self.styles.formats):
            raise Defer("style id out of range")
        return sid

    def _typed(self, t: str, raw: str | None, inline, style: int):
        """The cell's value as openpyxl reads it without its formula (data_only); *inline*: the text of its <is>
        (for t="inlineStr"; None without one)."""
        if t == "inlineStr":
            return inline
        if raw is None:
            return None
        if t == "n":
            value = cast_number(raw)
            if style in self.styles.dates:
                try:
                    return from_excel(value, self.epoch, timedelta=style in self.styles.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if t == "s":
            return self.strings[int(raw)]
        if t == "b":
            return bool(int(raw))
        if t == "d":
            raise Defer("ISO date cell")
        return raw                                   # str, e (the error text), anything else: as written

    @staticmethod
    def _formula(text: str | None, ftype: str | None, idx: str | None, ref: str | None, shared: dict) -> str:
        value = "=" + text if text is not None else "="
        if ftype == "shared":
            if idx in shared:
                value = translate_formula(shared[idx], ref)
            elif value != "=":
                shared[idx] = (value, ref)
        elif ftype == "dataTable":
            value = "=TABLE()"
        return value

    def _tree_cells(self, root):
        strings, dates, ids, style, typed = self.strings, self.styles.dates, self.styles.ids, self._style, self._typed
        refs = _REFS
        cells: dict[tuple[int, int], tuple] = {}
        shared: dict[str, tuple[str, str]] = {}
        row_counter = 0
        for row in root.iter(ROW):
            row_counter = _row_number(row.get("r"), row_counter)
            col_counter = 0
            for el in row:
                get = el.get
                ref = get("r")
                if ref:
                    pos = refs.get(ref)
                    if pos is None:
                        pos = _ref(ref)
                    col_counter = pos[1]
                else:
                    col_counter += 1
                    pos = (row_counter, col_counter)
                s = get("s")
                s = 0 if s is None else (ids.get(s) if s in ids else style(s))
                t = get("t", "n")
                f = el.find(F)
                if t == "inlineStr":
                    child = el.find(IS)
                    raw, inline = None, (None if child is None else text_of(child))
                else:
                    raw, inline = el.findtext(V) or None, None
                if f is None:
                    if t == "s":                        # the common cases first
                        cells[pos] = (strings[int(raw)] if raw else None, _PLAIN, s)
                    elif t == "n" and s not in dates:
                        cells[pos] = (cast_number(raw) if raw else None, _PLAIN, s)
                    else:
                        cells[pos] = (typed(t, raw, inline, s), _PLAIN, s)
                    continue
                value = self._formula(f.text, f.get("t"), f.get("si"), ref, shared)
                cells[pos] = (value, typed(t, raw, inline, s), s)      # the formula and its cached value
            row.clear()
        return cells, [[m.get("ref") for m in mc if _local(m.tag) == "mergeCell"] for mc in root.iter(MERGES)]

    def _plain_cells(self, tokens, merge_groups):
        """As _tree_cells, from plain_sheet's tokens; raises _NotPlain at a token that is not (the element tree
        then reads the sheet: every token before it was read as the tree reads it)."""
        strings, dates, ids, style, typed = self.strings, self.styles.dates, self.styles.ids, self._style, self._typed
        refs = _REFS
        cells: dict[tuple[int, int], tuple] = {}
        shared: dict[str, tuple[str, str]] = {}
        in_row = False              # (every cell has its reference: the rows' numbers are not needed)
        for (ref, s, t, f, fattrs, ftext, v, inline, itext, row, empty, end, other) in tokens:
            if ref:
                if not in_row:
                    raise _NotPlain
                pos = refs.get(ref)
                if pos is None:
                    pos = _ref(ref)
                if not v and not f and not inline:      # nothing in it (of any type): only its style is checked
                    if s and s not in ids:
                        style(s)
                    cells[pos] = _NOTHING
                    continue
                s = ids.get(s) if s in ids else (style(s) if s else 0)
                if not f:
                    if t == "s":                        # the common cases first
                        cells[pos] = (strings[int(v)] if v else None, _PLAIN, s)
                    elif (not t or t == "n") and s not in dates:
                        cells[pos] = (cast_number(v) if v else None, _PLAIN, s)
                    elif t == "inlineStr":
                        cells[pos] = (_inline(itext) if inline else None, _PLAIN, s)
                    else:
                        cells[pos] = (typed(t or "n", v or None, None, s), _PLAIN, s)
                    continue
                ftype = idx = None
                if fattrs:
                    for k, x in re.findall(_F_ATTR, fattrs):
                        if k == "t":
                            ftype = x
                        elif k == "si":
                            idx = x
                value = self._formula(_text(ftext) if ftext else None, ftype, idx, ref, shared)
                cached = (_inline(itext) if inline else None) if t == "inlineStr" else typed(t or "n", v or None, None, s)
                cells[pos] = (value, cached, s)         # the formula and its cached value
            elif row:
                if in_row:
                    raise _NotPlain
                in_row = not empty
            elif end:
                if not in_row:
                    raise _NotPlain
                in_row = False
            elif other:
                raise _NotPlain
        if in_row:
            raise _NotPlain
        return cells, merge_groups

    def grids(self, skip: tuple[str, ...] = ()) -> list[Grid]:
        names = [n for n, _ in self.sheets]
        if STATE_SHEET in names:
            raise Defer("written back by xlscore before (xlscore_state)")
        gs = [self.grid(name, part) for name, part in self.sheets if name not in skip]
        formulas.fill(gs, epoch1904=self.epoch == MAC_EPOCH)       # formulas saved without a result
        return gs


def translate_formula(master: tuple[str, str], ref: str | None) -> str:
    """A shared formula at *ref*, moved from its master cell (openpyxl's Translator: imported only here)."""
    from openpyxl.formula.translate import Translator
    return Translator(master[0], master[1]).translate_formula(ref)


def read(path, skip: tuple[str, ...] = ()) -> list[Grid]:
    """The grids of every worksheet not in *skip* (of the package at *path*, or of :class:`Parts`); raises :class:`Defer` (or any error) where openpyxl must read."""
    wb = Workbook(path if isinstance(path, Parts) else Path(path))
    try:
        return wb.grids(skip)
    finally:
        wb.close()
