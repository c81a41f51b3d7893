"""Writing back: what the tool does not own is unchanged (value and style); running twice gives the same
workbook; typed values are kept; features openpyxl would lose send the result beside the original."""

from __future__ import annotations

import hashlib
import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from builders import national_form, one_row_form, sample_rows
from conftest import run_cli
from xlscore.engine import Engine
from xlscore.write import features


def _rows_with_mistakes():
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "1场", 20, 0.2, "活动受影响")
    rows[3] = ("成本指标", "经济成本指标", "活动经费", "≤10万元", "9.5万元", 20, 19, "")
    return rows


def _decorated(path):
    """A national form plus the things a real workbook carries that the tool must not disturb."""
    national_form(path, rows=_rows_with_mistakes(), total=95, funds_rate=0.9, funds_score=9)
    wb = openpyxl.load_workbook(path)
    ws = wb["自评表"]
    ws["K14"] = "=SUM(G14:G19)"                       # a formula the tool does not own
    ws["K15"] = "备注"
    ws["K15"].font = Font(bold=True, color="FF0000FF")
    ws["K15"].fill = PatternFill("solid", fgColor="FFDDEEFF")
    ws.column_dimensions["D"].width = 33
    ws.row_dimensions[14].height = 40
    dv = DataValidation(type="list", formula1='"达成年度指标,部分达成年度指标并具有一定效果,未达成年度指标且效果较差"')
    ws.add_data_validation(dv)
    dv.add("F18")
    ws.conditional_formatting.add("G14:G19", CellIsRule(operator="lessThan", formula=["0"], fill=PatternFill("solid", fgColor="FFFF0000")))
    ws["H17"].comment = Comment("财务科：请核实", "张会计")  # a user's comment on a cell the tool will mark
    other = wb.create_sheet("说明")
    other["A1"] = "填表说明"
    other["A1"].font = Font(size=16, bold=True)
    other["B2"] = 12345.678
    other["B2"].number_format = "#,##0.00"
    other.merge_cells("A5:C6")
    wb.defined_names["项目总分"] = DefinedName("项目总分", attr_text="'自评表'!$H$20")
    wb.save(path)


def _snapshot(wb, skip=("xlscore", "xlscore_state")):
    snap = {}
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        for row in ws.iter_rows():
            for c in row:
                if type(c).__name__ == "MergedCell":
                    continue
                snap[(ws.title, c.coordinate)] = (
                    c.value, c.number_format, repr(c.font), repr(c.fill), repr(c.border), repr(c.alignment),
                    c.comment.text if c.comment else None)
        snap[(ws.title, "#merges")] = sorted(str(m) for m in ws.merged_cells.ranges)
        snap[(ws.title, "#widths")] = sorted((k, v.width) for k, v in ws.column_dimensions.items())
        snap[(ws.title, "#heights")] = sorted((k, v.height) for k, v in ws.row_dimensions.items() if v.height)
        snap[(ws.title, "#dv")] = sorted((str(d.sqref), d.formula1) for d in ws.data_validations.dataValidation)
        snap[(ws.title, "#cf")] = sorted(str(r.sqref) for r in ws.conditional_formatting)
    snap["#names"] = sorted((n, d.attr_text) for n, d in wb.defined_names.items())
    snap["#sheets"] = [(ws.title, ws.sheet_state) for ws in wb.worksheets]
    return snap


def _owned(wb):
    st = wb["xlscore_state"]
    return {(r[0], r[1]) for r in st.iter_rows(min_row=2, values_only=True)}


def test_unowned_cells_and_features_unchanged(tmp_path):
    p = tmp_path / "form.xlsx"
    _decorated(p)
    before = _snapshot(openpyxl.load_workbook(p))
    Engine().recalc_file(p)
    wb = openpyxl.load_workbook(p)
    after = _snapshot(wb)
    owned = _owned(wb)
    assert owned, "the sample has mistakes: some cells must have been touched"
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed - {k for k in changed if k in owned} == {("#sheets",)} or changed <= owned | {"#sheets"}
    assert after["#sheets"][:2] == before["#sheets"]
    assert after["#sheets"][2:] == [("xlscore", "visible"), ("xlscore_state", "veryHidden")]
    ws = wb["自评表"]
    assert ws["K14"].value == "=SUM(G14:G19)"
    assert "张会计" not in (ws["H17"].comment.author or "") and "财务科：请核实" in ws["H17"].comment.text


def test_recalc_twice_gives_the_same_workbook(tmp_path):
    p = tmp_path / "form.xlsx"
    _decorated(p)
    Engine().recalc_file(p)
    once = _snapshot(openpyxl.load_workbook(p), skip=())
    Engine().recalc_file(p)
    twice = _snapshot(openpyxl.load_workbook(p), skip=())
    assert once == twice
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames.count("xlscore") == 1
    assert wb["自评表"]["H14"].comment.text.count("score-mismatch") == 1


def test_check_after_recalc_reports_what_the_clerk_typed(tmp_path):
    p = tmp_path / "form.xlsx"
    _decorated(p)
    first = sorted((f.cell or "", f.code, str(f.found)) for f in Engine().check_file(p).findings)
    Engine().recalc_file(p)
    again = sorted((f.cell or "", f.code, str(f.found)) for f in Engine().check_file(p).findings)
    assert first == again


def test_a_value_typed_after_recalc_is_the_new_input(tmp_path):
    p = tmp_path / "form.xlsx"
    _decorated(p)
    Engine().recalc_file(p)
    wb = openpyxl.load_workbook(p)
    wb["自评表"]["H14"] = 3          # the clerk types another value over the tool's 2
    wb.save(p)
    res = Engine().recalc_file(p)
    f = [f for f in res.findings if f.cell == "H14" and f.code == "score-mismatch"]
    assert f and f[0].found == 3 and f[0].expected == pytest.approx(2)
    assert "原值：3" in openpyxl.load_workbook(p)["自评表"]["H14"].comment.text


def test_deleting_the_comment_accepts_the_correction(tmp_path):
    p = tmp_path / "form.xlsx"
    _decorated(p)
    Engine().recalc_file(p)
    wb = openpyxl.load_workbook(p)
    wb["自评表"]["H14"].comment = None   # the clerk accepts xlscore's 2 by deleting its comment
    wb.save(p)
    res = Engine().recalc_file(p)
    assert not [f for f in res.findings if f.cell == "H14"]
    ws = openpyxl.load_workbook(p)["自评表"]
    assert ws["H14"].value == pytest.approx(2) and ws["H14"].comment is None
    assert ws["H14"].fill.fgColor.rgb != "FFFFC7CE"


def test_restores_user_comment_when_finding_disappears(tmp_path):
    p = tmp_path / "form.xlsx"
    _decorated(p)
    Engine().recalc_file(p)
    wb = openpyxl.load_workbook(p)
    wb["自评表"]["H17"].comment = None   # accept the corrected 20 for the ≤ row the clerk scored 19
    wb.save(p)
    Engine().recalc_file(p)
    c = openpyxl.load_workbook(p)["自评表"]["H17"]
    assert c.value == 20
    assert c.comment.text == "财务科：请核实" and c.comment.author == "张会计"


def test_output_option_leaves_original_untouched(tmp_path):
    p = tmp_path / "form.xlsx"
    _decorated(p)
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    out = tmp_path / "结果.xlsx"
    proc = run_cli("recalc", str(p), "-o", str(out))
    assert proc.returncode == 1, proc.stderr          # errors were found
    assert hashlib.sha256(p.read_bytes()).hexdigest() == digest
    assert openpyxl.load_workbook(out)["自评表"]["H14"].value == pytest.approx(2.0)


def test_chart_is_kept_and_written_in_place(tmp_path):
    """A chart openpyxl would keep only in part: the package store copies it unchanged and writes in place."""
    import xlsxwriter
    p = tmp_path / "图表.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("自评表")
    one_row_form(ws)
    ws.write(2, 0, "总分")
    ws.write(2, 6, 90)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='自评表'!$G$2:$G$2"})
    ws.insert_chart("I2", chart)
    wb.close()
    assert features.detect(p) == ["charts"]
    import zipfile
    with zipfile.ZipFile(p) as z:
        before = {n: z.read(n) for n in z.namelist() if n.startswith(("xl/charts/", "xl/drawings/drawing"))}
    proc = run_cli("recalc", str(p))
    assert proc.returncode == 1 and "xlscore.xlsx" not in proc.stdout
    assert not (tmp_path / "图表.xlscore.xlsx").exists()
    with zipfile.ZipFile(p) as z:
        assert before and all(z.read(n) == data for n, data in before.items())
    assert openpyxl.load_workbook(p)["自评表"]["G2"].value == pytest.approx(45)


def test_detects_x14_validations_and_shapes(tmp_path):
    src = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(src)
    dst = tmp_path / "x14.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
                                    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                                    b"<x14:dataValidations count=\"1\"/></ext></extLst></worksheet>")
            zout.writestr(item, data)
        zout.writestr("xl/drawings/drawing1.xml", b'<xdr:wsDr xmlns:xdr="x"><xdr:twoCellAnchor><xdr:sp/></xdr:twoCellAnchor></xdr:wsDr>')
    assert features.detect(dst) == ["x14-validation", "shapes"]


def test_xlsm_keeps_its_vba(tmp_path):
    import xlsxwriter
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    p = tmp_path / "宏.xlsm"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("自评表")
    one_row_form(ws)
    wb.add_vba_project(str(vba))
    wb.close()
    res = Engine().recalc_file(p)
    assert res.output == str(p)
    with zipfile.ZipFile(p) as zf:
        assert zf.read("xl/vbaProject.bin") == vba.read_bytes()
    assert openpyxl.load_workbook(p, keep_vba=True)["自评表"]["G2"].value == pytest.approx(45)


def test_formula_result_cell_cached_value_is_compared(tmp_path):
    """A total typed as a formula whose cached result (what Excel showed) disagrees is a finding."""
    p = tmp_path / "formula.xlsx"
    national_form(p, rows=sample_rows(), total=None, funds_rate=0.95, funds_score=9.5)
    # write the total as a formula with a stale cached value, as Excel would have saved it
    src = p.read_bytes()
    wb = openpyxl.load_workbook(p)
    wb["自评表"]["H20"] = "=SUM(H14:H19)+H6"
    wb.save(p)
    with zipfile.ZipFile(p) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(b"<f>SUM(H14:H19)+H6</f><v /></c>", b"<f>SUM(H14:H19)+H6</f><v>99</v></c>")
    assert b"<v>99</v>" in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(p, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    del src
    res = Engine().check_file(p)
    f = [f for f in res.findings if f.cell == "H20"]
    assert {x.code for x in f} >= {"formula-cache-mismatch", "total-mismatch"}
