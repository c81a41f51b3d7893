"""The package store's faster bookkeeping gives what the simple algorithms it replaced gave, on real packages.

Each oracle below is the earlier, simple code (kept here only as the reference): the store's answers must equal
its answers step by step, text for text.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from xlscore.write import package
from xlscore.write.package import CT_COMMENTS, CT_WS, esc

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))


def oracle_override(ct: str, part: str, ctype: str | None) -> str:
    """[Content_Types].xml after one override added or removed: the store's algorithm before it was cached."""
    pn = "/" + part
    key = f'PartName="{esc(pn, True)}"'
    j = ct.find(key)
    if j < 0:
        m = re.search(r'<Override\b[^>]*\b' + re.escape(key) + r'[^>]*/>', ct, re.I)
    else:
        start = ct.rfind("<Override", 0, j)
        m = re.compile(r"<Override\b[^>]*/>").match(ct, start) if start >= 0 else None
    if ctype is None:
        return ct[:m.start()] + ct[m.end():] if m else ct
    if m:
        return ct
    i = ct.rindex("</Types>")
    while True:
        start = ct.rfind("<Override", 0, i)
        if start < 0:
            break
        end = ct.find(">", start) + 1
        m2 = re.compile(r'PartName="([^"]*)"').search(ct, start, end)
        if ct[end:i].strip() or (m2.group(1) if m2 else "").lower() <= pn.lower():
            break
        i = start
    return ct[:i] + f'<Override PartName="{esc(pn, True)}" ContentType="{ctype}"/>' + ct[i:]


def _many_sheets(ct: str, n: int) -> str:
    """*ct* with the overrides of *n* worksheets after its own (as openpyxl writes a 200-sheet workbook)."""
    extra = "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{CT_WS}"/>' for k in range(1, n + 1))
    i = ct.rindex("</Types>")
    return ct[:i] + extra + ct[i:]


def _variants(ct: str) -> list[str]:
    """The sample's own text, with 200 sheets, with whitespace between entries, and with a Default at the end."""
    big = _many_sheets(ct, 200)
    spaced = re.sub(r"(<Override\b[^>]*/>)", r"\1\n  ", big)
    tail_default = big.replace("</Types>", '<Default Extension="bin" ContentType="application/x-test"/></Types>')
    return [ct, big, spaced, tail_default]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_content_type_overrides_match_the_simple_walk(sample, tmp_path):
    src = tmp_path / sample.name
    shutil.copy(sample, src)
    store = package.PackageStore(src)
    try:
        base = store._ct_text()
        rnd = random.Random(sample.name)
        for ct in _variants(base):
            store._ct, expect = ct, ct
            names = ([f"xl/comments{k}.xml" for k in range(1, 60)] + [f"xl/worksheets/sheet{k}.xml" for k in range(190, 215)]
                     + ["XL/Comments7.xml", "xl/drawings/vmlDrawing3.vml", "docProps/app.xml", "a.xml", "zz/ü.xml"])
            ops = [(n, rnd.choice((CT_COMMENTS, CT_WS))) for n in names]
            rnd.shuffle(ops)
            ops += [(n, None) for n in rnd.sample(names, 20)] + [(n, CT_COMMENTS) for n in rnd.sample(names, 20)]
            for part, ctype in ops:
                store._override(part, ctype)
                expect = oracle_override(expect, part, ctype)
                assert store._ct == expect, (part, ctype)
    finally:
        store.close()


def test_fresh_names_match_the_simple_scan(tmp_path):
    src = tmp_path / "book.xlsx"
    shutil.copy(SAMPLES[0], src)
    store = package.PackageStore(src)

    def oracle(pattern: str) -> str:
        n = 1
        taken = {x.lower() for x in (store.names | set(store.parts)) - store.gone}
        while pattern.format(n).lower() in taken:
            n += 1
        return pattern.format(n)

    try:
        rnd = random.Random(5)
        patterns = ["xl/comments{}.xml", "xl/drawings/vmlDrawing{}.vml", "xl/worksheets/sheet{}.xml"]
        made: list[str] = []
        for step in range(300):
            pattern = rnd.choice(patterns)
            assert store.fresh(pattern) == oracle(pattern)
            r = rnd.random()
            if r < 0.6:
                name = store.fresh(pattern)
                store.put(name if rnd.random() < 0.9 else name.upper(), b"<x/>")
                made.append(name)
            elif r < 0.8 and made:
                store.remove(made.pop(rnd.randrange(len(made))))
            elif r < 0.85:
                store.remove(rnd.choice(sorted(store.names)))
    finally:
        store.close()


def oracle_row_height(row, widths, line=15.0):
    """The report row height as first written: a float width summed per character, then rounded up."""
    def text_width(v):
        return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in str(v))
    lines = 1
    for v, w in zip(row, widths):
        if v is None:
            continue
        need = 0
        for part in str(v).split("\n"):
            need += max(1, -(-int(text_width(part) + 0.999) // max(int(w - 1), 1)))
        lines = max(lines, need)
    return None if lines == 1 else min(line * lines + 2, 409)


def test_report_row_heights_match_the_float_sum():
    from xlscore.engine import Engine
    from xlscore.read import fastxlsx
    from xlscore.write.apply import report_layout, row_height, text_units
    from xlscore.write.plan import build_plan

    engine = Engine()
    rows = 0
    for sample in SAMPLES:
        plan = build_plan(engine.analyse(fastxlsx.read(sample)), engine.lang, engine.profile.title(engine.lang))
        lay = report_layout(plan)
        for row in lay.rows:
            assert row_height(row, lay.widths) == oracle_row_height(row, lay.widths)
            rows += 1
    assert rows > 250
    rnd = random.Random(3)
    alphabet = "a1. -%（）—，。、指标得分\u2e7f\u2e80\uff01😀\t"
    for n in list(range(0, 120)) + [999, 1000, 1001, 32_767, 40_000]:
        s = "".join(rnd.choice(alphabet) for _ in range(n))
        assert text_units(s) == int(sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in s) + 0.999), n
        widths = tuple(rnd.choice((6, 7, 8, 12, 20, 34, 50, 1.5)) for _ in range(10))
        row = [s, None, s[: n // 2] + "\n" + s[n // 2:], 3.25, n, "\n".join([s] * 3)]
        assert row_height(row, widths) == oracle_row_height(row, widths)


def _sample_sheets() -> list[str]:
    import zipfile
    out = []
    for sample in SAMPLES:
        with zipfile.ZipFile(sample) as z:
            out += [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    return out


def _tricky(rnd: random.Random, n: int) -> list[str]:
    """Text made of the pieces that matter to the element scan: unclosed, empty, nested-looking and look-alike tags."""
    pieces = ['<row r="1">', "<row>", "<row/>", '<row r="2"/>', "</row>", "<rows>", "<row-x>", "<c", "<c>", "<c/>",
              '<c r="A1"/>', '<c r="B1" s="3">', "</c>", "<col/>", "/", ">", "<", " ", "\n", "x", '"', "'", "<v>1</v>",
              '<row r="3" spans="1:2">', "<row\t r='4'>", '<row r="5" r="6">', '<row r="&#55;">', "é", "<row\u00e9>"]
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(n)]


def test_element_scan_matches_the_regular_expressions():
    from xlscore.write.package import _CELL_START, _ROW_START, _elements
    rnd = random.Random(9)
    texts = _sample_sheets() + _tricky(rnd, 3000)
    assert len(texts) > 3000
    for tag, start, close in (("row", _ROW_START, "</row>"), ("c", _CELL_START, "</c>")):
        rx = re.compile(rf"<{tag}\b[^>]*?(?:/>|>.*?</{tag}>)", re.S)
        for t in texts:
            assert list(_elements(t, start, close)) == [m.span() for m in rx.finditer(t)], t[:200]


def test_row_numbers_match_the_attribute_parse():
    from xlscore.write.package import Refuse, _Sheet, attrs

    def oracle(xml: str):
        """(row numbers, row texts, gaps) as the sheet read them with finditer and attrs, or "refused"."""
        m = re.search(r"<sheetData\b[^>]*?(/?)>", xml)
        body = "" if m.group(1) else xml[m.end():xml.find("</sheetData>", m.end())]
        items, pos = [], 0
        for rm in re.finditer(r"<row\b[^>]*?(?:/>|>.*?</row>)", body, re.S):
            if rm.start() > pos:
                items.append(body[pos:rm.start()])
            r = attrs(rm.group()).get("r")
            if not r or not r.isdigit():
                return "refused"
            items.append((int(r), rm.group()))
            pos = rm.end()
        if body[pos:].strip():
            return "refused"
        return items + ([body[pos:]] if body[pos:] else [])

    rnd = random.Random(4)
    heads = ['<row r="7">', '<row r="7" spans="1:3" ht="20" customHeight="1">', '<row r="7"/>', "<row r='7'>",
             '<row  r="7" >', '<row spans="1:2" r="7">', '<row r="7" r="8">', '<row r="7" x="a r=">',
             '<row r="7" x:r="9">', '<row r = "7">', '<row r="&#55;">', '<row r="7" t="&amp;">', '<row r="٧">',
             '<row r="">', "<row>", '<row r="7a">', '<row r="7" foo="b\'c">']
    books = _sample_sheets()
    for head in heads:
        cells = "" if head.endswith("/>") else '<c r="A7"><v>1</v></c></row>'
        books.append('<worksheet><sheetData>' + head + cells + "</sheetData></worksheet>")
    books += ["<worksheet><sheetData>" + "".join(rnd.choice(heads) + ("" if h.endswith("/>") else "</row>")
                                                   for h in rnd.sample(heads, 5)) + "</sheetData></worksheet>"
              for _ in range(200)]
    for xml in books:
        want = oracle(xml)
        try:
            sh = _Sheet("s", "p", xml)
        except Refuse:
            assert want == "refused", xml[:300]
            continue
        got = [it if isinstance(it, str) else (it.num, it.orig) for it in sh.items]
        assert got == want, xml[:300]


def test_dimension_widening_matches_reading_it_every_time():
    from xlscore.grid import col_letter
    from xlscore.read import fastxlsx
    from xlscore.write.package import _Sheet

    def oracle(head: str, row: int, col: int) -> str:
        m = re.search(r'<dimension\b[^>]*\bref="([^"]+)"[^>]*/>', head)
        mm = fastxlsx.RANGE.match(m.group(1)) if m else None
        if not mm:
            return head
        c1, r1 = fastxlsx.col_index(mm.group(1)), int(mm.group(2))
        c2, r2 = (fastxlsx.col_index(mm.group(3)), int(mm.group(4))) if mm.group(3) else (c1, r1)
        n1, n2 = (min(r1, row), min(c1, col)), (max(r2, row), max(c2, col))
        if (n1, n2) != ((r1, c1), (r2, c2)):
            return head[:m.start(1)] + f"{col_letter(n1[1])}{n1[0]}:{col_letter(n2[1])}{n2[0]}" + head[m.end(1):]
        return head

    rnd = random.Random(8)
    books = _sample_sheets()
    books += [b.replace('<dimension ref="', '<dimension ref="C3:', 1) for b in books[:3]]       # not a range
    books += [re.sub(r'<dimension\b[^>]*/>', '<dimension ref="D5"/>', b, 1) for b in books[:3]]     # one cell
    books += [re.sub(r'<dimension\b[^>]*/>', "", b, 1) for b in books[:3]]                         # none
    for xml in books:
        sh = _Sheet("s", "p", xml)
        head = sh.head
        for _ in range(60):
            row, col = rnd.randint(1, 60), rnd.randint(1, 30)
            sh.cell(row, col, create=True)
            head = oracle(oracle(head, row, col), row, col)      # a new row widens twice, as the sheet does
            assert sh.head == head


def test_cell_references_match_the_two_step_read():
    from xlscore.write.package import _R_REF, _REFM
    r_attr = re.compile(r'\sr="([^"]*)"')
    rnd = random.Random(6)
    tags = re.findall(r"<c\b[^>]*>", "".join(_sample_sheets()))
    pieces = [' r="', '"', "A", "AB", "ABCD", "1", "12", "\n", " ", "x", 'r="', " s=", "'", "a"]
    tags += ["<c" + "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) + ">" for _ in range(5000)]
    tags += ['<c r="A1\n">', '<c r="A1\n\n">', '<c r="\nA1">', '<c r="AB12" r="C3">', '<c r="ABCD1">', '<c r="A1>',
             '<c x="1" r="" r="B2">', '<c r="a1">', '<c r="A">', '<c r="1">', '<c\tr="C7">', "<c r='C7'>"]
    assert len(tags) > 5000
    for tag in tags:
        rm = r_attr.search(tag)
        old = _REFM.match(rm.group(1)) if rm else None
        new = _R_REF.search(tag)
        assert (old.groups() if old else None) == (new.groups() if new and new.group(1) is not None else None), tag


def test_cells_read_their_attributes_as_attrs_does():
    from xlscore.write.package import _Cell, attrs
    for xml in _sample_sheets()[:20]:
        for text in re.findall(r"<c\b[^>]*?(?:/>|>.*?</c>)", xml, re.S):
            c = _Cell(text)
            assert c.text() == text
            for name in ("r", "s", "t"):
                assert c.get(name) == attrs(c.tag).get(name)
            c.set("s", "99")
            assert c.get("s") == "99" and c.get("r") == attrs(c.tag).get("r")
