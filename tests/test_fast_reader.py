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
