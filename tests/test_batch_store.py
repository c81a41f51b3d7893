"""Batch with flat memory (issue 17, item 4): each file's rows are rendered as its result arrives, to temporary
files, and the overview's pivots tallied; the summary written from them is the summary the in-memory code wrote
(cell by cell, against a snapshot taken with that code) and, byte for byte, the one the SQLite store wrote; its links are HYPERLINK() formulas, one per row, that no count of forms can push past Excel's limit on
hyperlink records, and that no file name can turn into another formula."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLES, run_cli
from xlscore import batch

GOLDEN = Path(__file__).parent / "data" / "batch_summary_before.json"
DIGESTS = Path(__file__).parent / "data" / "batch_summary_digests.json"
HOSTILE_NAME = '=1+1 "引号" FILTER(1).xlsx'


def make_folder(root: Path) -> Path:
    """收到/: two self-assessment workbooks (13 forms each), two scoring tables, a damaged file, and a copy of a form
    under a name that is a formula, has double quotes and a newer function's name."""
    d = root / "收到"
    (d / "县区").mkdir(parents=True)
    for name in ("changji_2024.xlsx", "changji_2024_corrected.xlsx", "donghu_2022.xlsx", "meizhou_2021.xlsx"):
        shutil.copy(SAMPLES / name, d / name)
    shutil.copy(SAMPLES / "changji_2024.xlsx", d / "县区" / HOSTILE_NAME)
    (d / "坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    return d


def summary_cells(path: Path) -> dict:
    """Every sheet's cells as shown (a formula's cached value), with each cell's number format."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: [[[c.value, c.number_format] for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def _summary(root: Path, out: str = "汇总.xlsx") -> Path:
    make_folder(root)
    proc = run_cli("batch", "收到", "-o", out, "--no-cache", "--workers", "2", cwd=root)
    assert proc.returncode == 2, proc.stderr                   # the damaged file
    return root / out


def test_summary_is_the_summary_the_in_memory_code_wrote(tmp_path):
    """tests/data/batch_summary_before.json is summary_cells() of the summary xlscore wrote at 335e7a9 (rows and
    hyperlinks held in memory) over make_folder(): `python tests/test_batch_store.py golden OUT.json` run with
    PYTHONPATH at that commit's tree."""
    got = json.loads(json.dumps(summary_cells(_summary(tmp_path))))
    before = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert list(got) == list(before)
    for sheet in before:
        assert got[sheet] == before[sheet], sheet


def test_summary_links_are_formulas_that_quote_the_path(tmp_path):
    out = _summary(tmp_path)
    wb = openpyxl.load_workbook(out)
    from openpyxl.formula.tokenizer import Token, Tokenizer
    seen = set()
    for name in ("表格", "问题", "无法读取"):
        ws = wb[name]
        assert not ws._hyperlinks                          # no hyperlink record at all
        for (cell,) in ws.iter_rows(min_row=2, max_col=1):
            tokens = [t for t in Tokenizer(cell.value).items if t.type != Token.WSPACE]
            assert [(t.type, t.subtype) for t in tokens] == [
                (Token.FUNC, Token.OPEN), (Token.OPERAND, Token.TEXT), (Token.SEP, Token.ARG),
                (Token.OPERAND, Token.TEXT), (Token.FUNC, Token.CLOSE)], cell.value
            assert tokens[0].value == "HYPERLINK("
            target, shown = (t.value[1:-1].replace('""', '"') for t in (tokens[1], tokens[3]))
            assert target == shown and target.startswith("收到/") and (tmp_path / target).is_file()
            seen.add(target)
    assert f"收到/县区/{HOSTILE_NAME}" in seen and "收到/坏.xlsx" in seen and len(seen) == 6


# --------------------------------------------------------------------------- the store


def _results(folder: Path) -> list[dict]:
    return list(batch.run(batch.discover(folder), batch.BatchOptions(workers=1)))


def _synthetic() -> dict:
    """A result whose findings carry every kind of value a report can hold (bool, list, dict, None, int, float)."""
    finding = lambda code, sev, exp, found: {"cell": None if code == "c" else "B2", "severity": sev,  # noqa: E731
                                             "code": code, "message": f"说明 {code}", "expected": exp, "found": found}
    return {"path": "/x/合成.xlsx", "sha256": None, "error": None, "output": None, "cached": False,
            "forms": [{"sheet": "表1", "unit": "", "project": "", "variant": "project", "budget": 10, "spent": 9.5,
                       "rate": None, "total": 88.25, "grade": None, "errors": 1, "warnings": 1, "infos": 1,
                       "level1": {"产出指标": [40, 50.0], "履职效能": [0.5, 0]}}],
            "report": {"sheets": [{"name": "表1", "findings": [
                finding("a", "error", True, [1, "二"]), finding("b", "warning", {"k": 1.5}, None),
                finding("c", "info", 3, 2.75)]},
                {"name": "未识别", "findings": [finding("d", "warning", "文字", False)]}]}}


def test_the_tally_is_the_in_memory_pivots(tmp_path):
    """The overview's pivots tallied one file at a time as the results arrive are pivots_plain() of all the rows."""
    d = make_folder(tmp_path)
    results = _results(d) + [_synthetic()]
    want: dict[str, list] = {"forms": [], "findings": [], "level1": [], "unreadable": []}
    tally = batch.PivotTally()
    for r in results:
        rec = batch.records(r)
        for k, v in rec.items():
            want[k].extend(v)
        if not r["error"]:
            tally.add(rec)
    assert len(want["findings"]) > 100 and len(want["unreadable"]) == 1
    plain = batch.pivots_plain(want["forms"], want["findings"], want["level1"])
    assert plain.by_code and plain.level1 and plain.grades_by_unit
    assert tally.pivots() == dataclasses.replace(plain, spread=[])
    assert tally.spread.shows == batch.shows_spread(plain.spread)


def test_the_summary_is_byte_for_byte_the_one_the_store_wrote(tmp_path):
    """Every part of the summary over make_folder() but its creation time is the bytes xlscore wrote at e91b49a
    (rows stored in SQLite and streamed back at the end, through RowSheet.write_table): sha256 of each part, taken
    with `PYTHONPATH=<that tree> python tests/test_batch_store.py digests`."""
    got = _digests(_summary(tmp_path))
    assert got == json.loads(DIGESTS.read_text(encoding="utf-8"))


def _digests(path: Path) -> dict:
    import hashlib
    with zipfile.ZipFile(path) as zf:
        return {n: hashlib.sha256(zf.read(n)).hexdigest() for n in zf.namelist() if n != "docProps/core.xml"}


def test_an_aborted_summary_leaves_no_scratch_file(tmp_path):
    sw = batch.SummaryWorkbook(tmp_path / "汇总.xlsx", "zh", tmp_path)
    sw.add(_synthetic())
    sinks = [t.sink for t in sw.tables.values()]
    assert sinks and not any(s.closed for s in sinks)
    sw.abort()
    assert all(s.closed for s in sinks)          # temporary files: gone once closed
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- links at 20,000 forms

N_FILES = 20_000


def _fake(i: int) -> dict:
    """A cheap result: one form, four findings to act on and a note; every 500th file unreadable."""
    path = f"/收到/单位{i // 100:03d}/自评表{i:05d}.xlsx"
    if i % 500 == 499:
        return {"path": path, "error": f"{path}: 文件已损坏", "forms": [], "report": {"sheets": []}}
    f = lambda code, sev: {"cell": "G9", "severity": sev, "code": code, "message": "m",  # noqa: E731
                           "expected": 1, "found": 2}
    return {"path": path, "error": None,
            "forms": [{"sheet": "自评表", "unit": f"单位{i // 100:03d}", "project": "项目", "variant": "project",
                       "budget": 100.0, "spent": 90.0, "rate": 0.9, "total": 90.0, "grade": "优", "errors": 2,
                       "warnings": 2, "infos": 1, "level1": {"产出指标": [45.0, 50.0]}}],
            "report": {"sheets": [{"name": "自评表", "findings": [f("score-mismatch", "error"), f("sum-mismatch", "error"),
                                                                   f("blank-reason", "warning"), f("unit", "warning"),
                                                                   f("note", "info")]}]}}


def test_no_link_is_lost_at_20000_forms(tmp_path):
    """Four actionable findings per form: 78,000+ rows on the findings sheet, past the 65,530 hyperlink records
    Excel keeps per sheet; each row still links to its file, by formula."""
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()
    sw = batch.SummaryWorkbook(out, "zh", Path("/收到"))
    totals = batch.Totals()
    for i in range(N_FILES):
        r = _fake(i)
        totals.add(r)
        sw.add(r)
    sw.close(totals)
    bad = N_FILES // 500
    expect = {"表格": N_FILES - bad, "问题": 4 * (N_FILES - bad), "无法读取": bad}
    with zipfile.ZipFile(out) as zf:
        names = re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', zf.read("xl/workbook.xml").decode())
        for name, sid in names:
            xml = zf.read(f"xl/worksheets/sheet{sid}.xml").decode("utf-8")
            records = xml.count("<hyperlink ")
            assert records <= batch.LINKS_PER_SHEET
            if name not in expect:
                continue
            links = re.findall(r'<c r="A(\d+)"[^>]*><f>HYPERLINK\("([^"]*)","[^"]*"\)</f>', xml)
            assert len(links) == expect[name] and records == 0, name
            assert [int(r) for r, _ in links] == list(range(2, expect[name] + 2))      # every row, none skipped
            files = {t for _, t in links}
            assert len(files) == (N_FILES - bad if name != "无法读取" else bad)
            assert all(t.endswith(".xlsx") and "自评表" in t for t in files)
    assert sw.links == {"formulas": sum(expect.values()), "unlinked": 0}
    out.unlink()                         # not read again by the reader-equivalence fixture (it is 100,000 rows)


def test_a_path_that_cannot_be_a_formula_is_text(tmp_path):
    """A path over 255 characters (Excel's limit for a text in a formula) or with a control character is shown,
    without a link; a path with & < > is escaped in the XML and stays whole."""
    long = "/收到/" + "长" * 260 + ".xlsx"
    odd = "/收到/a\nb.xlsx"
    amp = "/收到/A&B <r>x</r>.xlsx"
    out = tmp_path / "汇总.xlsx"
    sw = batch.SummaryWorkbook(out, "zh", Path("/收到"))
    totals = batch.Totals()
    for p in (long, odd, amp):
        r = dict(_fake(1), path=p)
        totals.add(r)
        sw.add(r)
    sw.close(totals)
    cells = [c.value for (c,) in openpyxl.load_workbook(out)["表格"].iter_rows(min_row=2, max_col=1)]
    rel = lambda p: __import__("os").path.relpath(p, tmp_path)  # noqa: E731
    assert cells[0] == rel(long) and cells[1] == rel(odd).replace("\n", "\n")
    assert cells[2] == f'=HYPERLINK("{rel(amp)}","{rel(amp)}")'
    assert sw.links == {"formulas": 5, "unlinked": 10}
    out.unlink()


# --------------------------------------------------------------------------- the fast row writer


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_write_rows_writes_what_xlsxwriter_writes(tmp_path):
    import xlsxwriter
    from xlscore.write.rowsheet import Formula, RowSheet
    texts = ["plain", "A&B <c>", " leading", "trailing ", "tab\tinside", "ctl\x07x", "_x0041_ literal", "", "引号\"",
             "line\nbreak", "\ufffe", "x" * 40]
    rows = [[(0, Formula('=HYPERLINK("a/b.xlsx","a/b.xlsx")', "a/b.xlsx"), "link"), (1, t, None), (2, i, "num"),
             (3, i / 7, None), (4, None, "num"), (30, -1e-300 * i, "num")] for i, t in enumerate(texts)]
    outs = []
    for fast in (False, True):
        p = tmp_path / f"{fast}.xlsx"
        wb = xlsxwriter.Workbook(str(p), {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False})
        fmts = {"link": wb.add_format({"font_color": "blue", "underline": 1}),
                "num": wb.add_format({"num_format": "#,##0.00"}), None: None}
        ws = wb.add_worksheet("s", worksheet_class=RowSheet)
        ws.write_string(0, 0, "头")
        ws.set_column(0, 0, 20)
        if fast:
            end = ws.write_rows(1, ([(c, v, fmts[f]) for c, v, f in row] for row in rows))
            assert end == 1 + len(rows)
        else:
            for r, row in enumerate(rows, 1):
                for c, v, f in row:
                    if isinstance(v, Formula):
                        ws.write_formula(r, c, "=" + v.formula, fmts[f], v.result)
                    elif isinstance(v, str):
                        ws.write_string(r, c, v, fmts[f])
                    elif v is not None:
                        ws.write_number(r, c, v, fmts[f])
        ws.autofilter(0, 0, len(rows), 30)
        wb.close()
        outs.append(_sheet_xml(p))
    assert outs[0] == outs[1]


def test_write_table_writes_what_write_rows_writes(tmp_path, monkeypatch):
    """write_table (the summary's sheets: a tuple of values per row, the formats per column, a repeated value's XML
    kept) writes the bytes write_rows writes for the same cells: formats chosen by value, converted values (None
    included), texts and ints that repeat past the kept count, a column past Z, empty cells."""
    import xlsxwriter
    from xlscore.write import rowsheet
    from xlscore.write.rowsheet import Column, Formula, RowSheet
    monkeypatch.setattr(rowsheet, "_MEMO", 3)
    texts = ["plain", "A&B <c>", " leading", "plain", "ctl\x07x", "_x0041_ literal", "", "plain", "\ufffe", "引号\"",
             "x" * 40, "A&B <c>"]
    link = "=HYPERLINK(\"a/b.xlsx\",\"a/b.xlsx\")\0a/b.xlsx"
    data = [(link, t, i % 3, i / 7, None if i % 2 else "—", "error" if i % 4 else "warning", *([None] * 24),
             -1e-300 * i) for i, t in enumerate(texts)]

    def to_cell(text):
        formula, shown = text.split("\0")
        return Formula(formula, shown)
    outs = []
    for fast in (False, True):
        p = tmp_path / f"{fast}.xlsx"
        wb = xlsxwriter.Workbook(str(p), {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False})
        link_f, num, red, yellow = (wb.add_format({"font_color": "blue"}), wb.add_format({"num_format": "0.00"}),
                                    wb.add_format({"bg_color": "#FFC7CE"}), wb.add_format({"bg_color": "#FFEB9C"}))
        ws = wb.add_worksheet("s", worksheet_class=RowSheet)
        ws.write_string(0, 0, "头")
        if fast:
            cols = [Column(link_f, to_cell), Column(None), Column(({0: None}, red)), Column(num),
                    Column(None, lambda v: "" if v is None else v), Column(({"error": red}, yellow), str.upper),
                    *[Column()] * 24, Column(num)]
            assert ws.write_table(1, iter(data), cols) == 1 + len(data)
        else:
            ws.write_rows(1, ([(0, to_cell(r[0]), link_f), (1, r[1], None), (2, r[2], red if r[2] else None),
                               (3, r[3], num), (4, "" if r[4] is None else r[4], None),
                               (5, r[5].upper(), red if r[5] == "error" else yellow), (30, r[30], num)]
                              for r in data))
        ws.autofilter(0, 0, len(data), 30)
        wb.close()
        outs.append(_sheet_xml(p))
    assert outs[0] == outs[1]


def test_write_rows_never_copies_markup_into_the_xml(tmp_path):
    """xlsxwriter's constant-memory mode copies a text that looks like rich-text markup (<r>…</r>) into the XML as
    is; a form's text written by write_rows stays that text."""
    import xlsxwriter
    from xlscore.write.rowsheet import RowSheet
    p = tmp_path / "m.xlsx"
    wb = xlsxwriter.Workbook(str(p), {"constant_memory": True})
    ws = wb.add_worksheet("s", worksheet_class=RowSheet)
    text = '<r><t>伪造</t></r>'
    ws.write_rows(0, [[(0, text, None)]])
    wb.close()
    assert openpyxl.load_workbook(p)["s"]["A1"].value == text


if __name__ == "__main__" and sys.argv[1:2] == ["digests"]:
    # PYTHONPATH=<the tree to pin> python tests/test_batch_store.py digests
    import tempfile
    sys.path.insert(0, str(Path(__file__).parent))
    with tempfile.TemporaryDirectory() as tmp:
        DIGESTS.write_text(json.dumps(_digests(_summary(Path(tmp))), indent=1) + "\n", encoding="utf-8")

if __name__ == "__main__" and sys.argv[1:2] == ["golden"]:
    # PYTHONPATH=<the tree to snapshot> python tests/test_batch_store.py golden OUT.json
    import tempfile
    sys.path.insert(0, str(Path(__file__).parent))
    with tempfile.TemporaryDirectory() as tmp:
        cells = summary_cells(_summary(Path(tmp)))
    text = ",\n".join(json.dumps(k, ensure_ascii=False) + ": [\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in v)
                      + "\n]" for k, v in cells.items())
    Path(sys.argv[2]).write_text("{\n" + text + "\n}\n", encoding="utf-8")
