"""The package store (write/package.py, issue 14 item 1 + issue 17 item 2): recalc patches the .xlsx zip and copies
every part it does not own byte for byte; owned cells hold what the plan says (read back with openpyxl and through
LibreOffice); stored formula results survive; a second run gives the same bytes; the results match the openpyxl
store's cell by cell on the samples."""

from __future__ import annotations

import shutil
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from builders import national_form, one_row_form, sample_rows
from conftest import SAMPLES, run_cli
from lo import needs_soffice, sheet_csv
from parts import KINDS, add_parts, survived
from xlscore.engine import Engine
from xlscore.jobs import recalc_file
from xlscore.write import features, package
from xlscore.write.apply import REPORT_SHEET, STATE_SHEET


def recalc_openpyxl(engine, path):
    """recalc through the openpyxl writer (the fallback), as XLSCORE_WRITER=openpyxl makes it."""
    import os
    old = os.environ.get("XLSCORE_WRITER")
    os.environ["XLSCORE_WRITER"] = "openpyxl"
    try:
        return recalc_file(engine, path)
    finally:
        if old is None:
            del os.environ["XLSCORE_WRITER"]
        else:
            os.environ["XLSCORE_WRITER"] = old

# parts recalc may change: the sheets it writes cells or comments into, styles, the workbook's sheet list and
# names, their relationships and content types, comments and their drawings; calcChain may go
OWNED_PREFIXES = ("xl/worksheets/", "xl/comments", "xl/drawings/vmlDrawing", "xl/drawings/commentsDrawing")
OWNED = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/calcChain.xml"}


def _mistakes():
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "1场", 20, 0.2, "活动受影响")
    rows[3] = ("成本指标", "经济成本指标", "活动经费", "≤10万元", "9.5万元", 20, 19, "")
    return rows


def _png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _rich_form(path: Path, *, formulas: dict[str, tuple[str, float]] | None = None, vba: bool = False) -> None:
    """The national form (builders.national_form) written again by xlsxwriter with every kind of part a workbook
    carries: chart, image, text box, sparkline, 2010 data bar, a drop-down list on another sheet, a user comment,
    a defined name, formulas with stored results; *formulas*: {ref: (formula, stored result)}."""
    tmp = path.with_name(path.stem + ".base.xlsx")
    national_form(tmp, rows=_mistakes(), total=97.2)
    src = openpyxl.load_workbook(tmp)["自评表"]
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("自评表")
    lists = wb.add_worksheet("下拉")
    for i, v in enumerate(["达成年度指标", "部分达成", "未达成"]):
        lists.write(i, 0, v)
    formulas = formulas or {}
    merged = {str(m): m for m in src.merged_cells.ranges}
    for m in merged.values():
        ws.merge_range(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, src.cell(m.min_row, m.min_col).value)
    tops = {(m.min_row, m.min_col) for m in merged.values()}
    for row in src.iter_rows():
        for c in row:
            if c.value is None or (c.row, c.column) in tops or type(c).__name__ == "MergedCell":
                continue
            if c.coordinate in formulas:
                continue
            if isinstance(c.value, str):
                ws.write_string(c.row - 1, c.column - 1, c.value)
            else:
                ws.write(c.row - 1, c.column - 1, c.value)
    for ref, (f, cached) in formulas.items():
        ws.write_formula(ref, f, None, cached)
    ws.write_formula("L14", "=G14*2", None, 40)               # a formula xlscore does not own
    ws.write_comment("I18", "财务科：请核实", {"author": "张会计"})   # the user's comment on an unowned cell
    ws.write_comment("H14", "经办人：按实际场次打分", {"author": "李四"})  # ... and on a cell xlscore owns
    ws.data_validation("I14:I19", {"validate": "list", "source": "='下拉'!$A$1:$A$3"})
    ws.conditional_format("G14:G19", {"type": "data_bar", "data_bar_2010": True})
    ws.add_sparkline("M14", {"range": "自评表!G14:H14"})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='自评表'!$G$14:$G$19"})
    ws.insert_chart("N2", chart)
    img = path.with_name("dot.png")
    img.write_bytes(_png())
    ws.insert_image("N20", str(img))
    ws.insert_textbox("N30", "审核意见：请核实")
    wb.define_name("得分区", "='自评表'!$H$14:$H$19")
    if vba:
        vbin = path.with_name("vbaProject.bin")
        vbin.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
        wb.add_vba_project(str(vbin))
    wb.close()


def _every_part(tmp_path: Path, vba: bool = False) -> Path:
    base = tmp_path / ("rich.xlsm" if vba else "rich.xlsx")
    _rich_form(base, vba=vba)
    p = tmp_path / ("all.xlsm" if vba else "all.xlsx")
    kinds = [k for k in KINDS if vba or k != "vba-signature"]
    add_parts(base, p, kinds)
    # an Excel 2010 drop-down whose list is on another sheet (x14 validation), in the form sheet's extLst
    with zipfile.ZipFile(p) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    x14 = ('<ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/'
           'spreadsheetml/2009/9/main"><x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/'
           'excel/2006/main"><x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
           '<x14:formula1><xm:f>下拉!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>J14:J19</xm:sqref></x14:dataValidation>'
           '</x14:dataValidations></ext>').encode()
    entries["xl/worksheets/sheet1.xml"] = entries["xl/worksheets/sheet1.xml"].replace(b"</extLst>", x14 + b"</extLst>")
    # a threaded comment (Excel 365) on the list sheet, which xlscore does not write to
    tc_ns = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
    entries["xl/threadedComments/threadedComment1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ThreadedComments xmlns="{tc_ns}"><threadedComment ref="A1" '
        'dT="2024-01-01T00:00:00.00" personId="{00000000-0000-0000-0000-000000000001}" '
        'id="{00000000-0000-0000-0000-000000000002}"><text>列表请勿修改</text></threadedComment></ThreadedComments>'
    ).encode()
    entries["xl/worksheets/_rels/sheet2.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2017/10/relationships/'
        'threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>').encode()
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/'
        b'vnd.ms-excel.threadedcomments+xml"/></Types>')
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in entries.items():
            z.writestr(n, d)
    # parts with no writer here (form controls, ActiveX, slicers): present, so they must be copied as they are
    with zipfile.ZipFile(p, "a") as z:
        z.writestr("xl/activeX/activeX1.xml", b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>')
        z.writestr("xl/ctrlProps/ctrlProp1.xml", b'<formControlPr xmlns="http://schemas.microsoft.com/office/'
                   b'spreadsheetml/2009/9/main" objectType="CheckBox"/>')
        z.writestr("xl/slicers/slicer1.xml", b"<slicers/>")
    return p


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _raw(path: Path, name: str) -> tuple:
    """An entry as stored: method, CRC and its compressed bytes."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
        z.fp.seek(info.header_offset)
        head = z.fp.read(30)
        n, e = struct.unpack("<HH", head[26:30])
        z.fp.seek(info.header_offset + 30 + n + e)
        return info.compress_type, info.CRC, z.fp.read(info.compress_size)


def _owned(name: str) -> bool:
    return name in OWNED or name.startswith(OWNED_PREFIXES)


# --------------------------------------------------------------------------- fidelity

@pytest.mark.parametrize("vba", [False, True], ids=["xlsx", "xlsm"])
def test_every_unowned_part_is_byte_identical_after_recalc_in_place(tmp_path, vba):
    p = _every_part(tmp_path, vba)
    found = set(features.detect(p, keep_vba=vba))
    assert {"charts", "images", "shapes", "sparklines", "x14-conditional-format", "x14-validation", "activex",
            "threaded-comments",
            "ribbon", "custom-xml",
            "connections", "printer-settings", "form-controls", "slicers"} <= found, found
    before = _entries(p)
    _raw_before = {n: _raw(p, n) for n in before}
    proc = run_cli("recalc", str(p))
    assert proc.returncode == 1, proc.stderr
    assert "已写回" in proc.stdout and not list(tmp_path.glob("*.xlscore.*"))    # in place, nothing beside
    after = _entries(p)
    for name, data in before.items():
        if not _owned(name):
            assert after.get(name) == data, f"{name} changed"
    # ... and stored as they were: the same compressed bytes (copied without inflating)
    for name in before:
        if not _owned(name):
            assert _raw(p, name) == _raw_before[name], f"{name}: compressed bytes changed"
    # the entries kept stay in the order they had
    with zipfile.ZipFile(p) as z:
        order = [n for n in z.namelist() if n in before]
    assert order == [n for n in before if n in after]
    assert all(survived(p)[k] for k in KINDS if vba or k != "vba-signature")
    # the form sheet itself kept its extLst (data bar, sparkline) and drawing links
    sheet = after["xl/worksheets/sheet1.xml"].decode()
    old = before["xl/worksheets/sheet1.xml"].decode()
    assert old[old.index("<extLst>"):] in sheet and '<drawing r:id="rId' in sheet
    assert features.detect(p, keep_vba=vba) == sorted(found, key=list(features.FEATURES).index)
    # owned cells hold what the plan says; the names and the state are there
    wb = openpyxl.load_workbook(p, keep_vba=vba)
    ws = wb["自评表"]
    assert ws["H14"].value == pytest.approx(2) and ws["H14"].fill.fgColor.rgb == "FFFFC7CE"
    assert "xlscore:" in ws["H14"].comment.text and "经办人：按实际场次打分" in ws["H14"].comment.text
    assert ws["I18"].comment.text == "财务科：请核实" and ws["I18"].comment.author == "张会计"
    assert wb.sheetnames == ["自评表", "下拉", REPORT_SHEET, STATE_SHEET]
    assert wb[STATE_SHEET].sheet_state == "veryHidden" and "得分区" in wb.defined_names


def test_stored_results_of_formulas_xlscore_does_not_own_are_kept(tmp_path):
    p = tmp_path / "f.xlsx"
    _rich_form(p)
    assert openpyxl.load_workbook(p, data_only=True)["自评表"]["L14"].value == 40
    out = tmp_path / "out.xlsx"
    assert run_cli("recalc", str(p), "-o", str(out)).returncode == 1
    ws = openpyxl.load_workbook(out, data_only=True)["自评表"]
    assert ws["L14"].value == 40                       # openpyxl's save leaves this empty
    assert openpyxl.load_workbook(out)["自评表"]["L14"].value == "=G14*2"


def test_recalc_twice_gives_the_same_bytes(tmp_path):
    p = _every_part(tmp_path)
    assert run_cli("recalc", str(p)).returncode == 1
    once = _entries(p)
    assert run_cli("recalc", str(p)).returncode == 1
    twice = _entries(p)
    assert list(once) == list(twice)
    assert [n for n in once if once[n] != twice[n]] == []
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames.count(REPORT_SHEET) == 1 and wb.sheetnames.count(STATE_SHEET) == 1
    # the user's comment on the owned cell is in xlscore's once, not nested in it twice
    assert wb["自评表"]["H14"].comment.text.count("经办人：按实际场次打分") == 1


FORMULA_SCORES = {"H14": ("=G14", 20), "H18": ("=G18*0.95", 19), "H20": ("=SUM(H14:H19)+H6", 97.2)}


def test_recalc_twice_with_formula_scores(tmp_path):
    p = tmp_path / "formulas.xlsx"
    _rich_form(p, formulas=FORMULA_SCORES)
    first = run_cli("recalc", str(p), "--format", "json")
    once = _entries(p)
    second = run_cli("recalc", str(p), "--format", "json")
    twice = _entries(p)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    assert [n for n in once if once[n] != twice[n]] == [] and list(once) == list(twice)
    ws = openpyxl.load_workbook(p)["自评表"]
    assert ws["H18"].value == "=G18*0.95"              # not written over: its stored result was right
    assert openpyxl.load_workbook(p, data_only=True)["自评表"]["H18"].value == 19


def test_a_second_run_replaces_the_report_and_state_sheets(tmp_path):
    p = tmp_path / "form.xlsx"
    shutil.copy(SAMPLES / "changji_2024.xlsx", p)
    for _ in range(3):
        assert run_cli("recalc", str(p)).returncode == 1
    with zipfile.ZipFile(p) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        wbxml = z.read("xl/workbook.xml").decode()
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames[-2:] == [REPORT_SHEET, STATE_SHEET] and len(wb.sheetnames) == 15
    assert len(sheets) == 15 and wbxml.count("_xlnm.Print_Titles") == 1 and wbxml.count("<definedNames") == 1


def test_a_user_comment_on_an_owned_cell_comes_back_when_the_value_is_accepted(tmp_path):
    """restore puts the user's comment back where it was (as the openpyxl store does)."""
    p = tmp_path / "c.xlsx"
    _rich_form(p)
    assert run_cli("recalc", str(p)).returncode == 1
    store = package.PackageStore(p)
    from xlscore.write.apply import restore
    restore(store)
    assert store.comments("自评表").now[(14, 8)] == ("经办人：按实际场次打分", "李四")
    assert STATE_SHEET not in store.sheet_names() and REPORT_SHEET not in store.sheet_names()
    store.close()


# --------------------------------------------------------------------------- the same results as the openpyxl store

def _cells(path: Path) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if type(c).__name__ == "MergedCell":
                    continue
                fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
                com = (c.comment.text, c.comment.author) if c.comment else None
                if c.value is None and fill is None and com is None:
                    continue
                out[(ws.title, c.coordinate)] = (c.value, c.number_format, fill, com)
        out[(ws.title, "#state")] = ws.sheet_state
    out["#sheets"] = wb.sheetnames
    return out


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_same_findings_and_cells_as_the_openpyxl_store(tmp_path, sample):
    a, b = tmp_path / "package.xlsx", tmp_path / "openpyxl.xlsx"
    shutil.copy(SAMPLES / sample, a)
    shutil.copy(SAMPLES / sample, b)
    ra = recalc_file(Engine(), a)
    rb = recalc_openpyxl(Engine(), b)
    def found(res):
        return [(s.name, s.total, s.grade, [(f.code, f.cell, f.severity, f.message, f.found, f.expected)
                                            for f in s.findings]) for s in res.sheets]
    assert found(ra) == found(rb) and ra.output == str(a)
    ca, cb = _cells(a), _cells(b)
    assert ca == cb
    # and the package store's result is the package store's, not openpyxl's (stored results kept)
    with zipfile.ZipFile(a) as z:
        assert "xl/sharedStrings.xml" not in z.namelist() or \
            z.read("xl/sharedStrings.xml") == zipfile.ZipFile(SAMPLES / sample).read("xl/sharedStrings.xml")


@needs_soffice
def test_libreoffice_reads_the_owned_cells_as_openpyxl_does(tmp_path):
    p = tmp_path / "lo.xlsx"
    _rich_form(p, formulas=FORMULA_SCORES)
    assert run_cli("recalc", str(p)).returncode == 1
    rows = sheet_csv(p, tmp_path / "csv", "自评表")
    wb = openpyxl.load_workbook(p)
    from xlscore.grid import parse_address
    from xlscore.write.apply import dec
    written = [(r[1], dec(r[3])) for r in wb[STATE_SHEET].iter_rows(min_row=2, values_only=True)
               if r[0] == "自评表" and r[3]]
    numbers = [(ref, v) for ref, v in written if isinstance(v, (int, float))]
    assert numbers
    for ref, v in numbers:
        r, c = parse_address(ref)
        shown = rows[r - 1][c - 1].replace(",", "")
        number = float(shown.rstrip("%")) / (100 if shown.endswith("%") else 1)
        assert number == pytest.approx(v, abs=0.006), (ref, shown, v)
        assert wb["自评表"][ref].value == pytest.approx(v)
    assert rows[13][7] and float(rows[13][7]) == pytest.approx(2)       # H14: the recomputed score
    assert float(rows[13][11]) == 40                                       # L14: a formula kept, its result shown
    report = sheet_csv(p, tmp_path / "csv2", REPORT_SHEET)
    assert any(r[:3] == ["工作表", "单元格", "级别"] for r in report)


# --------------------------------------------------------------------------- where the package store refuses

def test_a_workbook_the_package_store_refuses_goes_through_openpyxl(tmp_path, monkeypatch):
    p = tmp_path / "form.xlsx"
    _rich_form(p)

    def refuse(self, *a, **k):
        raise package.Refuse("test")
    monkeypatch.setattr(package.PackageStore, "__init__", refuse)
    res = recalc_file(Engine(), p)
    assert res.output.endswith("form.xlscore.xlsx") and "图表" in res.output_note


def test_threaded_comments_are_left_to_openpyxl(tmp_path):
    p = tmp_path / "form.xlsx"
    national_form(p, rows=_mistakes())
    with zipfile.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2017/10/relationships/'
        b'threadedComment" Target="../threadedComments/threadedComment1.xml"/></Relationships>')
    parts["xl/threadedComments/threadedComment1.xml"] = b"<ThreadedComments/>"
    with zipfile.ZipFile(p, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    with pytest.raises(package.Refuse):
        s = package.PackageStore(p)
        s.comments("自评表")
    res = recalc_file(Engine(), p)
    assert res.output.endswith(".xlscore.xlsx")            # the openpyxl path: written beside, the thread kept


def test_package_store_text_helpers():
    assert package.set_attr('<c r="A1" s="3">', "s", "7") == '<c r="A1" s="7">'
    assert package.set_attr('<c r="A1"/>', "t", "inlineStr") == '<c r="A1" t="inlineStr"/>'
    assert package.set_attr('<c r="A1" t="s">', "t", None) == '<c r="A1">'
    assert package.esc("a<b&\x0bc") == "a&lt;b&amp;_x000B_c"
    assert package._num(0.1 + 0.2) == "0.30000000000000004" and package._num(45.0) == "45"


def test_writing_over_the_master_of_a_shared_formula_moves_it_to_the_next_cell(tmp_path):
    """Excel fills a column with one shared formula; writing over its first cell must not break the others."""
    p = tmp_path / "shared.xlsx"
    national_form(p, rows=_mistakes())
    with zipfile.ZipFile(p) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    # K14:K19 = G14*2 … G19*2 as one shared formula, with stored results
    import re as _re
    for r in range(14, 20):
        f = '<f t="shared" ref="K14:K19" si="0">G14*2</f>' if r == 14 else '<f t="shared" si="0"/>'
        cell = f'<c r="K{r}">{f}<v>{2 * [20, 10, 10, 20, 20, 10][r - 14]}</v></c>'
        xml = _re.sub(rf'(<row r="{r}"[^>]*>.*?)(</row>)', lambda m: m.group(1) + cell + m.group(2), xml, count=1,
                      flags=_re.S)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(p, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    store = package.PackageStore(p)
    store.put_value("自评表", 14, 11, 7, False)
    store.save(p)
    store.close()
    ws = openpyxl.load_workbook(p)["自评表"]
    assert ws["K14"].value == 7
    assert [ws[f"K{r}"].value for r in range(15, 20)] == [f"=G{r}*2" for r in range(15, 20)]
    assert openpyxl.load_workbook(p, data_only=True)["自评表"]["K16"].value == 20


@needs_soffice
def test_libreoffice_opens_the_workbook_with_every_part_after_recalc(tmp_path):
    p = _every_part(tmp_path)
    assert run_cli("recalc", str(p)).returncode == 1
    rows = sheet_csv(p, tmp_path / "csv", "自评表")
    assert float(rows[13][7]) == pytest.approx(2) and float(rows[13][11]) == 40
    report = sheet_csv(p, tmp_path / "csv2", REPORT_SHEET)
    assert any(r[:3] == ["工作表", "单元格", "级别"] for r in report)


def test_a_workbook_the_openpyxl_writer_wrote_is_recalculated_as_a_fresh_one(tmp_path, monkeypatch):
    """State, comments and styles an earlier version (openpyxl) wrote are restored by the package store."""
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    shutil.copy(SAMPLES / "changji_2024.xlsx", old)
    shutil.copy(SAMPLES / "changji_2024.xlsx", new)
    recalc_openpyxl(Engine(), old)
    recalc_file(Engine(), old)
    recalc_file(Engine(), new)
    assert _cells(old) == _cells(new)


def test_a_chartsheet_before_the_form_counts_in_the_sheet_indexes(tmp_path):
    p = tmp_path / "cs.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    cs = wb.add_chartsheet("图")
    ws = wb.add_worksheet("自评表")
    one_row_form(ws)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='自评表'!$G$2:$G$2"})
    cs.set_chart(chart)
    wb.close()
    for _ in range(2):
        assert run_cli("recalc", str(p)).returncode == 1
    with zipfile.ZipFile(p) as z:
        wbxml = z.read("xl/workbook.xml").decode()
    assert 'localSheetId="2"' in wbxml and wbxml.count("<sheet ") == 4       # 图, 自评表, xlscore, xlscore_state
    book = openpyxl.load_workbook(p)
    assert book["自评表"]["G2"].value == pytest.approx(45) and book[REPORT_SHEET].print_title_rows


def test_xml_references_in_a_part_are_read_by_xml_rules():
    """A cell's formula, cached text and attributes are unescaped as an XML parser (and openpyxl) reads them:
    html.unescape, used before, read &#128;–&#159; by HTML's rules (&#128; as €), so a restore could put back a
    character the clerk never typed."""
    import html

    from xlscore.read import fastxlsx
    assert html.unescape("&#128;") == "€"                         # what the package store read before
    assert fastxlsx.unescape("&#128;&#x9F;&amp;lt;&lt;&#39;&quot;") == "\x80\x9f&lt;<'\""
    assert fastxlsx.unescape("no reference") == "no reference"
    assert fastxlsx.unescape("&#x110000;") == "\ufffd"            # not a character: never an exception
    assert package.attrs('<f ref="A1&#128;" t="&amp;nbsp;">') == {"ref": "A1\x80", "t": "&nbsp;"}
