"""The light reader (xlscore.read.fastxlsx) against openpyxl's: the same grids — values, types, cached formula
results, number formats as shown, cell and merge order — and so the same `check` JSON, byte for byte, on every
sample, template and field-corpus workbook (and its corrected twin), on workbooks made of the package features
openpyxl itself never writes (shared strings with runs, shared formulas, dates, the 1904 epoch, rows without
numbers …), and — through the autouse fixture in conftest.py — on every workbook any other test leaves in its
tmp_path. Timings do not belong here: see bench/."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from readers import compare, openpyxl_grids, signature
from xlscore.engine import OWN_SHEETS
from xlscore.read import fastxlsx

SAMPLES = sorted((ROOT / "samples").glob("*.xlsx")) + sorted((ROOT / "templates").glob("*.xlsx"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_and_templates_read_alike(path):
    assert compare(path) == "same"          # never deferred: the light reader reads them all itself


@pytest.fixture(scope="module")
def field_workbooks(tmp_path_factory):
    import sys
    sys.path.insert(0, str(ROOT / "tests" / "field"))
    from build import build_all
    return build_all(tmp_path_factory.mktemp("field"))


def test_field_corpus_reads_alike(field_workbooks):
    outcomes = [compare(p) for _, orig, twin in field_workbooks for p in (orig, twin)]
    assert len(outcomes) >= 100 and set(outcomes) == {"same"}, outcomes


# --------------------------------------------------------------------------- hand-made packages

CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '{sheets}'
      '<Override PartName="/xl/styles.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
SHEET_CT = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
             'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
STYLES = (f'<styleSheet {MAIN}><numFmts count="4"><numFmt numFmtId="164" formatCode="0.0%"/>'
          '<numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
          '<numFmt numFmtId="166" formatCode="[h]:mm:ss"/><numFmt numFmtId="167" formatCode="&quot;%&quot;0"/>'
          '</numFmts><cellXfs count="9"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="10"/><xf numFmtId="164"/>'
          '<xf numFmtId="14"/><xf numFmtId="165"/><xf numFmtId="20"/><xf numFmtId="166"/><xf numFmtId="167"/>'
          '</cellXfs></styleSheet>')
STRINGS = (f'<sst {MAIN}>'
           '<si><t>项目名称</t></si>'
           '<si><r><rPr><b/></rPr><t>年度</t></r><r><t xml:space="preserve"> 指标值 </t></r></si>'
           '<si><t>完成率</t><rPh sb="0" eb="1"><t>ワンセイリツ</t></rPh></si>'
           '<si><t>a_x005F_x000D_b</t></si>'
           '<si><t/></si>'
           '<si><r><t>≥</t></r><r><t>95%</t></r></si>'
           '</sst>')


def _package(path: Path, sheets: list[str], *, date1904: bool = False, names=None) -> Path:
    names = names or [f"表{i + 1}" for i in range(len(sheets))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CT.format(sheets="".join(SHEET_CT.format(n=i + 1) for i in range(len(sheets)))))
        zf.writestr("_rels/.rels", ROOT_RELS)
        pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
        zf.writestr("xl/workbook.xml", f'<workbook {MAIN} {RNS}>{pr}<sheets>' + "".join(
            f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names)) + "</sheets></workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'relationships">' + "".join(
                        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/worksheet" Target="{"/xl/" if i % 2 else ""}worksheets/sheet{i + 1}.xml"/>'
                        for i in range(len(sheets))) + "</Relationships>")
        zf.writestr("xl/styles.xml", STYLES)
        zf.writestr("xl/sharedStrings.xml", STRINGS)
        for i, body in enumerate(sheets):
            zf.writestr(f"xl/worksheets/sheet{i + 1}.xml", f'<worksheet {MAIN}>{body}</worksheet>')
    return path


ODD_CELLS = (
    '<sheetData>'
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>'
    '<row r="2"><c r="A2"><v>10</v></c><c r="B2"><v>9.5</v></c><c r="C2"><v>1E2</v></c><c r="D2" s="1"><v>0.95</v></c>'
    '<c r="E2" s="2"><v>0.9567</v></c><c r="F2" s="3"><v>1</v></c><c r="G2" s="8"><v>0.5</v></c><c r="H2" s="1"/></row>'
    '<row r="3"><c r="A3" s="4"><v>45292</v></c><c r="B3" s="5"><v>45292.5</v></c><c r="C3" s="6"><v>0.75</v></c>'
    '<c r="D3" s="7"><v>1.5</v></c><c r="E3" s="4"><v>30</v></c><c r="F3" s="4"><v>99999999</v></c></row>'
    '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="e"><v>#DIV/0!</v></c><c r="C4" t="str"><v>文字</v></c>'
    '<c r="D4" t="inlineStr"><is><t>内联</t></is></c><c r="E4" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r></is></c>'
    '<c r="F4" t="inlineStr"/><c r="G4"><v></v></c></row>'
    '<row r="5"><c r="A5"><f>B5/C5</f><v>0.5</v></c><c r="B5" s="1"><f>1/2</f><v>0.5</v></c>'
    '<c r="C5" t="str"><f>"=100%"</f><v>=100%</v></c><c r="D5"><f>1/0</f></c><c r="E5"><f/></c>'
    '<c r="F5" t="e"><f>NA()</f><v>#N/A</v></c><c r="G5" t="b"><f>TRUE()</f><v>1</v></c></row>'
    '<row r="6"><c r="A6"><f t="shared" ref="A6:A9" si="0">B6*C6</f><v>2</v></c><c r="B6"><v>1</v></c></row>'
    '<row r="7"><c r="A7"><f t="shared" si="0"/><v>3</v></c></row>'
    '<row r="8"><c r="A8" s="1"><f t="shared" si="0"/><v>0.25</v></c><c r="B8"><f t="array" ref="B8">SUM(C1:C3)</f>'
    '<v>5</v></c><c r="C8"><f t="dataTable" ref="C8" dt2D="0" dtr="0" r1="D1"/><v>7</v></c></row>'
    '<row r="9"><c r="A9"><f t="shared" si="7"/><v>1</v></c></row>'
    '<row><c><v>11</v></c><c><v>12</v></c><c r="E10"><v>13</v></c><c><v>14</v></c></row>'
    '<row r="12"><c r="B12"><v>1</v></c><c r="A12"><v>2</v></c><c r="B12"><v>3</v></c></row>'
    '<row r="13"><c r="A13" t="s"><v>0</v></c><c r="B13"><v>4</v></c><c r="C13"><v>5</v></c><c r="D13"><v>6</v></c></row>'
    '<row r="14"><c r="A14"><v>7</v></c><c r="B14" t="s"><v>1</v></c></row>'
    '</sheetData>'
    '<mergeCells count="1"><mergeCell ref="Z99:Z99"/></mergeCells>'
    '<mergeCells count="5"><mergeCell ref="A13:C13"/><mergeCell ref="$B$13:$D$14"/><mergeCell ref="F1"/>'
    '<mergeCell ref="A20:XFD20"/><mergeCell ref="G1:G3"/></mergeCells>'
)


def test_package_features_openpyxl_never_writes(tmp_path):
    """Shared strings with runs / phonetics / escapes, inline rich text, percent / date / time / duration formats,
    booleans, error values, every formula kind (shared formulas translated per cell), rows and cells without numbers,
    repeated cells, overlapping and odd merged ranges, the last <mergeCells> winning, sheets reached by absolute
    and relative targets."""
    book = _package(tmp_path / "odd.xlsx", [ODD_CELLS, ODD_CELLS.replace("<v>45292</v>", "<v>1</v>")])
    assert compare(book) == "same"
    grid = fastxlsx.read(book)[0]
    assert grid.value(2, 4) == "95%" and grid.value(2, 5) == "95.67%" and grid.cell(7, 1).value == "=B7*C7"
    assert grid.cell(8, 1).cached == "25%" and grid.value(13, 2) is None         # inside A13:C13
    book1904 = _package(tmp_path / "mac.xlsx", [ODD_CELLS], date1904=True)
    assert compare(book1904) == "same"
    assert signature(fastxlsx.read(book1904)) != signature(fastxlsx.read(book))[:1]


@pytest.mark.parametrize("body,why", [
    ('<sheetData><row r="1"><c r="A1" t="d"><v>2024-01-01</v></c></row></sheetData>', "ISO date"),
    ('<sheetData><row r="1"><c r="a1"><v>1</v></c></row></sheetData>', "cell reference"),
    ('<sheetData><row r="1"><c r="A1" s="99"><v>1</v></c></row></sheetData>', "style id"),
])
def test_what_the_light_reader_leaves_to_openpyxl(tmp_path, body, why):
    book = _package(tmp_path / "w.xlsx", [body])
    with pytest.raises(fastxlsx.Defer, match=why):
        fastxlsx.read(book)


def test_a_doctype_is_left_to_openpyxl(tmp_path):
    book = _package(tmp_path / "dtd.xlsx", ['<sheetData/>'])
    data = {}
    with zipfile.ZipFile(book) as zf:
        for n in zf.namelist():
            data[n] = zf.read(n)
    data["xl/sharedStrings.xml"] = b'<!DOCTYPE sst [<!ENTITY a "x">]>' + data["xl/sharedStrings.xml"]
    with zipfile.ZipFile(book, "w") as zf:
        for n, d in data.items():
            zf.writestr(n, d)
    with pytest.raises(fastxlsx.Defer, match="DOCTYPE"):
        fastxlsx.read(book)


def test_a_written_back_workbook_is_left_to_openpyxl(tmp_path):
    """After recalc the clerk's originals live in the xlscore_state sheet and the comments: openpyxl restores them."""
    out = tmp_path / "recalc.xlsx"
    assert run_cli("recalc", str(ROOT / "samples" / "changji_2024.xlsx"), "-o", str(out)).returncode in (0, 1)
    with pytest.raises(fastxlsx.Defer, match="xlscore_state"):
        fastxlsx.read(out, skip=OWN_SHEETS)
    assert compare(out) == "deferred"
    again = run_cli("check", str(out), "--format", "json")
    first = run_cli("check", str(ROOT / "samples" / "changji_2024.xlsx"), "--format", "json")
    assert again.stdout.replace(str(out), "X") == first.stdout.replace(str(ROOT / "samples" / "changji_2024.xlsx"), "X")


def test_damaged_sheet_xml_is_reported_as_before(tmp_path):
    """A sheet that is not XML: the light reader gives up and openpyxl's one-line reason is reported, as before."""
    src = ROOT / "samples" / "meizhou_2021.xlsx"
    bad = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet1"):
                data = data[: len(data) // 2]
            zout.writestr(info, data)
    proc = run_cli("check", str(bad))
    assert proc.returncode == 2 and "坏.xlsx" in proc.stderr and "Traceback" not in proc.stderr


def test_check_uses_the_light_reader(tmp_path, monkeypatch):
    """check (and so batch) reads through fastxlsx: openpyxl is not even imported for a plain form."""
    import subprocess
    import sys
    code = ("import sys; from xlscore.engine import Engine; Engine().check_file(sys.argv[1]); "
            "print('openpyxl' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "samples" / "changji_2024.xlsx")],
                          capture_output=True, text=True, cwd=str(ROOT))
    assert proc.stdout.strip() == "False", proc.stderr


def test_recalc_reads_grids_light_and_writes_through_openpyxl(tmp_path):
    src = tmp_path / "in.xlsx"
    shutil.copy(ROOT / "samples" / "donghu_2022.xlsx", src)
    out = tmp_path / "out.xlsx"
    proc = run_cli("recalc", str(src), "-o", str(out))
    assert proc.returncode in (0, 1) and out.exists()
    assert signature(openpyxl_grids(src)) == signature(fastxlsx.read(src, skip=OWN_SHEETS))


# --------------------------------------------------------------------------- the plain spelling (plain_sheet)
#
# A sheet part in the plain spelling is read from its text (fastxlsx.plain_sheet and Workbook._plain_cells), any
# other through its element tree. The element tree is the oracle: both must give the same grids — or fail the same
# way — on every workbook, and on spellings either way of the line.

def _outcome(book):
    """What the light reader makes of *book* (a path or the bytes of a package): the grids, or the error."""
    import io
    try:
        wb = fastxlsx.Workbook(io.BytesIO(book) if isinstance(book, bytes) else book)
        try:
            gs = wb.grids(OWN_SHEETS)
        finally:
            wb.close()
    except Exception as exc:  # noqa: BLE001 - the error is the outcome
        return ("error", type(exc).__name__, str(exc))
    return ("grids", signature(gs),
            [repr((list(g.numbers.items()), list(g.formats.items()), list(g.computed.items()),
                   list(g.not_computed.items()))) for g in gs])


def _both(book, monkeypatch):
    """(the outcome with plain_sheet, the outcome through the element tree alone, sheets read from their text)."""
    taken = []
    real = fastxlsx.Workbook._plain_cells

    def spy(self, *args):
        out = real(self, *args)          # raises _NotPlain where the tree must read the sheet
        taken.append(True)
        return out

    with monkeypatch.context() as m:
        m.setattr(fastxlsx.Workbook, "_plain_cells", spy)
        plain = _outcome(book)
    with monkeypatch.context() as m:
        m.setattr(fastxlsx, "plain_sheet", lambda data: None)
        tree = _outcome(book)
    return plain, tree, len(taken)


def test_plain_spelling_reads_as_the_element_tree(field_workbooks, monkeypatch):
    """Every sample, template and field-corpus workbook: each sheet read from its text, the grids the tree gives."""
    books = SAMPLES + [p for _, orig, twin in field_workbooks for p in (orig, twin)]
    for path in books:
        plain, tree, taken = _both(path, monkeypatch)
        assert plain == tree, path
        assert plain[0] == "grids" and taken == len(plain[1]), (path, taken)


def _book(sheet: str | bytes) -> bytes:
    """A package (tests' _package: shared strings, styles) whose one sheet part is *sheet*, as it is."""
    import io
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        src = _package(Path(d) / "b.xlsx", ["<sheetData/>"])
        out = io.BytesIO()
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for i in zin.infolist():
                data = zin.read(i)
                if i.filename == "xl/worksheets/sheet1.xml":
                    data = sheet.encode("utf-8") if isinstance(sheet, str) else sheet
                zout.writestr(i.filename, data)
    return out.getvalue()


X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ROW1 = '<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>'


def _ws(body: str, decl: str = DECL, root: str = f'<worksheet {MAIN} {RNS}>') -> str:
    return f"{decl}{root}{body}</worksheet>"


PLAIN = {      # read from the text
    "excel": _ws(f'<dimension ref="A1:C3"/><sheetData>{ROW1}<row r="2" spans="1:3" x14ac:dyDescent="0.25">'
                 '<c r="A2" s="1"><v>0.5</v></c><c r="B2" s="4"/><c r="C2" s="4" t="n" /></row><row r="3"/>'
                 '</sheetData><mergeCells count="1"><mergeCell ref="B2:C3"/></mergeCells>',
                 root=f'<worksheet {MAIN} {RNS} xmlns:x14ac="urn:x14ac">'),
    "no declaration": _ws(f"<sheetData>{ROW1}</sheetData>", decl=""),
    "references in text": _ws('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b&lt;c&gt;&quot;&apos;'
                              '&#13;&#x41;&#20013;</t></is></c><c r="B1"><f>IF(C1&gt;0,&quot;是&quot;,"否")</f>'
                              '<v>1</v></c><c r="C1" t="str"><f>"x&#13;y"</f><v>xy</v></c></row></sheetData>'),
    "line ends in text": _ws('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">'
                             ' a\r\nb\rc\n </t></is></c><c r="B1"><f>1+\r\n1</f><v>2</v></c></row></sheetData>'),
    "white space between elements": _ws('\n  <sheetData>\n    <row r="1">\n      <c r="A1"><v>1</v></c>\t\r\n'
                                        '    </row>\n  </sheetData>\n  <mergeCells count="1">\n    '
                                        '<mergeCell ref="A1:B1" />\n  </mergeCells>\n'),
    "escapes and empty inline": _ws('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a_x005F_x000D_b</t></is>'
                                    '</c><c r="B1" t="inlineStr"><is><t/></is></c><c r="C1" t="inlineStr"/>'
                                    '<c r="D1" t="inlineStr"><f>"x"</f><is><t>x</t></is></c>'
                                    '<c r="E1" t="inlineStr"><f>""</f></c><c r="F1" t="str"><f>""</f><v></v></c>'
                                    '</row></sheetData>'),
    "repeated cells": _ws('<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="A1"/><c r="B1"><v>2</v></c>'
                          '<c r="A1"><v>3</v></c><c r="C1"><v>4</v></c><c r="C1" s="1"><v>5</v></c></row>'
                          '<row r="1"><c r="B1" t="s"><v>1</v></c></row></sheetData>'),
    "formulas": _ws('<sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c>'
                    '<c r="B1"><v>1</v></c><c r="C1"><f t="array" ref="C1:C2" aca="false">SUM(B1:B3)</f><v>1</v></c>'
                    '<c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="E1" t="b"><f>TRUE()</f><v>1</v></c>'
                    '<c r="F1" s="4"><f>B1</f><v>45292</v></c><c r="G1" s="1"><f>B1/4</f></c></row>'
                    '<row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c>'
                    '<c r="B2"><f t="dataTable" ref="B2" dt2D="0" dtr="0" r1="D1"/><v>7</v></c></row>'
                    '</sheetData>'),
    "dates and formats": _ws('<sheetData><row r="1"><c r="A1" s="4"><v>45292</v></c><c r="B1" s="5"><v>45292.5</v>'
                             '</c><c r="C1" s="6"><v>0.75</v></c><c r="D1" s="7"><v>1.5</v></c><c r="E1" s="2">'
                             '<v>0.9567</v></c><c r="F1" s="8"><v>0.5</v></c><c r="G1" s="4" t="n"><v>1E2</v></c>'
                             '</row></sheetData>'),
    "last mergeCells wins": _ws(f'<sheetData>{ROW1}</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/>'
                                '</mergeCells><mergeCells><mergeCell ref="$A$1:$A$3"/><mergeCell ref="C5"/>'
                                '</mergeCells><mergeCells/>'),
    "empty sheetData": _ws('<sheetData/><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'),
    "no sheetData": _ws('<dimension ref="A1"/>'),
}
NOT_PLAIN = {  # read through the element tree (or failing there)
    "a reference in a value": _ws('<sheetData><row r="1"><c r="A1" t="str"><v>A&amp;B</v></c></row></sheetData>'),
    "a comment": _ws(f'<sheetData><!-- x -->{ROW1}</sheetData>'),
    "a comment before the sheet data": _ws(f'<!-- <sheetData><row r="9"/></sheetData> --><sheetData>{ROW1}'
                                           '</sheetData>'),
    "CDATA": _ws('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<x>&]]></t></is></c></row>'
                 '</sheetData>'),
    "a processing instruction": _ws(f'<sheetData><?pi x?>{ROW1}</sheetData>'),
    "single quotes": _ws("<sheetData><row r='1'><c r='A1' s='1'><v>1</v></c></row></sheetData>"),
    "attributes in another order": _ws('<sheetData><row r="1"><c s="1" r="A1"><v>1</v></c></row></sheetData>'),
    "another cell attribute": _ws('<sheetData><row r="1"><c r="A1" cm="1"><v>1</v></c></row></sheetData>'),
    "cells without references": _ws('<sheetData><row><c><v>1</v></c><c r="C1"><v>2</v></c><c><v>3</v></c></row>'
                                    '<row><c t="s"><v>1</v></c></row></sheetData>'),
    "a row number written as a float": _ws('<sheetData><row r="2.0"><c><v>1</v></c></row></sheetData>'),
    "a row number that is not one": _ws('<sheetData><row r="x"><c r="A1"><v>1</v></c></row></sheetData>'),
    "rich inline text": _ws('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r>'
                            '</is></c><c r="B1" t="inlineStr"><is/></c></row></sheetData>'),
    "a cell outside a row": _ws('<sheetData><c r="A1"><v>1</v></c></sheetData>'),
    "a row in another namespace": _ws(f'<sheetData>{ROW1}<row xmlns="urn:other" r="2"><c r="A2"><v>2</v></c>'
                                      '</row></sheetData>'),
    "a prefixed row in the main namespace": _ws(f'<sheetData>{ROW1}<x:row xmlns:x="{X}" r="2"><x:c r="A2"><x:v>2'
                                                '</x:v></x:c></x:row></sheetData>'),
    "a row after the sheet data": _ws(f'<sheetData>{ROW1}</sheetData><row r="5"><c r="A5"><v>5</v></c></row>'),
    "the sheet data in another namespace": _ws(f'<sheetData xmlns="urn:other">{ROW1}</sheetData>'),
    "another default namespace before it": _ws(f'<sheetPr xmlns="urn:other"/><sheetData>{ROW1}</sheetData>'),
    "prefixed merged ranges": _ws(f'<sheetData>{ROW1}</sheetData><x:mergeCells xmlns:x="{X}">'
                                  '<x:mergeCell ref="A1:B1"/></x:mergeCells>'),
    "merged ranges in another namespace": _ws(f'<sheetData>{ROW1}</sheetData><ext xmlns="urn:o"><mergeCells>'
                                              '<mergeCell ref="A1:B1"/></mergeCells></ext>'),
    "merged ranges of another spelling": _ws(f'<sheetData>{ROW1}</sheetData><mergeCells><mergeCell ref="A1:B1" '
                                             'x="1"/></mergeCells>'),
    "a prefixed root": f'{DECL}<x:worksheet xmlns:x="{X}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v>'
                       '</x:c></x:row></x:sheetData></x:worksheet>',
    "another namespace for the root": _ws(f'<sheetData>{ROW1}</sheetData>', root='<worksheet xmlns="urn:other">'),
    "a byte order mark": "\ufeff" + _ws(f'<sheetData>{ROW1}</sheetData>'),
    "another encoding declared": _ws(f'<sheetData>{ROW1}</sheetData>',
                                     decl='<?xml version="1.0" encoding="ISO-8859-1"?>'),
    "an unbound prefix": _ws('<sheetData><row r="1"><c r="A1" y:x="1"><v>1</v></c></row></sheetData>'),
    "not well-formed": _ws(f'<sheetData>{ROW1}<row r="2"></sheetData>'),
    "cut short": _ws(f'<sheetData>{ROW1}</sheetData>')[:-20],
    "an undefined entity": _ws('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>'
                               '</sheetData>'),
}
FAILING_ALIKE = {  # read from the text up to the cell that fails, as the tree fails there
    "an ISO date": ('<sheetData><row r="1"><c r="A1" t="d"><v>2024-01-01</v></c></row></sheetData>', "Defer"),
    "a style out of range": ('<sheetData><row r="1"><c r="A1" s="99"><v>1</v></c></row></sheetData>', "Defer"),
    "a reference with a leading zero": ('<sheetData><row r="1"><c r="A01"><v>1</v></c></row></sheetData>', "Defer"),
    "a merged range out of bounds": (f'<sheetData>{ROW1}</sheetData><mergeCells><mergeCell ref="B2:A1"/>'
                                     '</mergeCells>', "Defer"),
    "a shared string out of range": ('<sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData>',
                                     "IndexError"),
    "a number that is not one": ('<sheetData><row r="1"><c r="A1"><v>1,5</v></c></row></sheetData>', "ValueError"),
}


@pytest.mark.parametrize("name", list(PLAIN))
def test_plain_spellings(name, monkeypatch):
    plain, tree, taken = _both(_book(PLAIN[name]), monkeypatch)
    assert plain == tree
    assert plain[0] == "grids" and taken == 1


@pytest.mark.parametrize("name", list(NOT_PLAIN))
def test_other_spellings_are_read_by_the_element_tree(name, monkeypatch):
    plain, tree, taken = _both(_book(NOT_PLAIN[name]), monkeypatch)
    assert plain == tree
    assert taken == 0


@pytest.mark.parametrize("name", list(FAILING_ALIKE))
def test_a_plain_sheet_fails_where_the_tree_fails(name, monkeypatch):
    body, error = FAILING_ALIKE[name]
    plain, tree, _ = _both(_book(_ws(body)), monkeypatch)
    assert plain == tree and plain[:2] == ("error", error)


def test_plain_spelling_results(monkeypatch):
    """What the text reading gives, spelled out for a few cells (the comparisons above could agree on a mistake)."""
    import io
    grid = fastxlsx.Workbook(io.BytesIO(_book(PLAIN["references in text"]))).grids()[0]
    assert grid.value(1, 1) == 'a&b<c>"\'\rA中' and grid.cell(1, 2).value == '=IF(C1>0,"是","否")'
    assert grid.cell(1, 3).value == '="x\ry"'
    grid = fastxlsx.Workbook(io.BytesIO(_book(PLAIN["line ends in text"]))).grids()[0]
    assert grid.value(1, 1) == " a\nb\nc\n " and grid.cell(1, 2).value == "=1+\n1"
    grid = fastxlsx.Workbook(io.BytesIO(_book(PLAIN["repeated cells"]))).grids()[0]
    assert [(p, c.value) for p, c in grid.cells.items()] == [((1, 1), 3), ((1, 2), "年度 指标值 "), ((1, 3), "500%")]


def test_plain_spelling_against_the_tree_on_mutations(monkeypatch):
    """Sheets of the samples and of the tests, changed at random places in ways that move them across the line
    (white space, quotes, references, comments, prefixes, attributes, cut tags): always the tree's outcome."""
    import random
    rnd = random.Random(17)
    with zipfile.ZipFile(ROOT / "samples" / "meizhou_2021.xlsx") as zf:
        sample = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    sources = [sample, _ws(ODD_CELLS), PLAIN["excel"], PLAIN["formulas"], PLAIN["escapes and empty inline"]]
    inserts = ["\n", " ", "\r\n", "\t", "<!-- c -->", "<?p?>", "<![CDATA[x]]>", ' x="1"', ' r="5"', ' s="1"',
               ' t="str"', ' xmlns="urn:o"', f' xmlns:q="{X}"', "&amp;", "&#13;", "&lt;", "\r", "x005F_", "<", ">",
               '"', "'", "/", "<v>1</v>", "<f>1</f>", "</row><row>", "<row/>", "q:", "&"]
    quiet = ["\n", " ", "\r\n", "\t", "&amp;", "&#13;", "&#x41;", "&lt;", "&quot;", "\r", "x005F_", "1", "中"]
    seen = {True: 0, False: 0}
    for k in range(400):
        text = rnd.choice(sources)
        for _ in range(rnd.choice((1, 1, 2, 3))):
            at = rnd.randrange(len(text))
            how = rnd.random()
            if how < 0.3:                            # between two elements, or at the start of a text
                at = text.find(">", at) + 1 or at
                text = text[:at] + rnd.choice(quiet) + text[at:]
            elif how < 0.6:
                text = text[:at] + rnd.choice(inserts) + text[at:]
            elif how < 0.8:
                text = text[:at] + text[at + rnd.randint(1, 6):]
            else:
                text = text[:at] + text[at:].replace('"', "'", 2)
        plain, tree, taken = _both(_book(text), monkeypatch)
        assert plain == tree, (k, text)
        seen[bool(taken)] += 1
    assert seen[True] > 20 and seen[False] > 20, seen          # both sides of the line were crossed
