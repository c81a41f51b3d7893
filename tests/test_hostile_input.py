"""Hostile and odd input, bounded (issue 14, item 4): work proportional to the cells present, zip limits checked
on the directory, numbers of any length, state-sheet entries of any size, a forged state sheet."""

from __future__ import annotations

import json
import re
import shutil
import time
import zipfile

import openpyxl
import pytest

from builders import national_form, sample_rows
from conftest import SAMPLES, run_cli
from xlscore.engine import Engine
from xlscore.write.apply import STATE_SHEET

SAMPLE = SAMPLES / "changji_2024.xlsx"


def _strict_json(text: str):
    def bad(c):
        raise ValueError(f"non-JSON constant {c}")
    return json.loads(text, parse_constant=bad)


def _one_line_exit_2(proc):
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0, proc.stderr


def test_two_cells_at_the_far_corners_check_in_seconds(tmp_path):
    p = tmp_path / "extent.xlsx"
    wb = openpyxl.load_workbook(SAMPLE)
    for ws in wb.worksheets:
        ws["A1048576"] = "x"
        ws["XFD1"] = "y"
    wb.save(p)
    t0 = time.monotonic()
    proc = run_cli("check", str(p), "--format", "json")
    elapsed = time.monotonic() - t0
    assert proc.returncode == 1, proc.stderr
    assert elapsed < 20, elapsed                         # was over 15 minutes
    ref = run_cli("check", str(SAMPLE), "--format", "json")
    strip = lambda d: [[(f["cell"], f["code"]) for f in s["findings"]] for s in d["files"][0]["sheets"]]  # noqa: E731
    assert strip(_strict_json(proc.stdout)) == strip(_strict_json(ref.stdout))


def _with_part(tmp_path, name: str, size: int, chunk=b"\0") -> "Path":  # noqa: F821
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        with zout.open(name, "w", force_zip64=True) as fh:
            block = chunk * (1 << 20)
            for _ in range(size >> 20):
                fh.write(block)
    return p


def test_a_zip_bomb_is_refused_fast(tmp_path):
    p = _with_part(tmp_path, "xl/media/pad.bin", 1 << 30)          # 1 GiB of zeros in about 1 MB
    assert p.stat().st_size < 5 << 20
    t0 = time.monotonic()
    proc = run_cli("check", str(p))
    assert time.monotonic() - t0 < 10
    _one_line_exit_2(proc)
    assert "压缩比" in proc.stderr
    # past the ratio guard, the size guard still holds
    proc = run_cli("check", str(p), env={"XLSCORE_MAX_RATIO": "100000"})
    _one_line_exit_2(proc)
    assert "超过上限 512 MB" in proc.stderr
    proc = run_cli("recalc", str(p), "--lang", "en")
    _one_line_exit_2(proc)
    assert "compressed" in proc.stderr


def test_cell_count_limit_is_checked_before_parsing(tmp_path):
    proc = run_cli("check", str(SAMPLE), env={"XLSCORE_MAX_CELLS": "500"})
    _one_line_exit_2(proc)
    assert "单元格超过 500" in proc.stderr
    assert run_cli("check", str(SAMPLE)).returncode == 1


def test_too_many_parts_is_refused(tmp_path):
    proc = run_cli("check", str(SAMPLE), env={"XLSCORE_MAX_PARTS": "5"})
    _one_line_exit_2(proc)


def _patch_numbers(src, dst, values: dict[str, str]) -> None:
    """Replace cells of sheet1 by raw numeric <v> text (what a hostile generator can put in a file)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for ref, v in values.items():
                    data, n = re.subn(rb'<c r="%s"[^>]*?(/>|>.*?</c>)' % ref.encode(),
                                      b'<c r="%s"><v>%s</v></c>' % (ref.encode(), v.encode()), data, count=1)
                    assert n, ref
            zout.writestr(item, data)


def test_numbers_of_any_length(tmp_path):
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "9" * 400 + "场", 20, 20, "")
    rows[1] = ("产出指标", "质量指标", "活动验收合格率", "=100%", "1" + "0" * 60 + "%", 10, 10, "")
    src = tmp_path / "src.xlsx"
    national_form(src, rows=rows, total=95)
    p = tmp_path / "big.xlsx"
    _patch_numbers(src, p, {"G14": "9" * 400, "H14": "1e400", "H15": "-" + "9" * 400 + ".5", "G16": "1E-400",
                            "H16": "1e29"})
    proc = run_cli("check", str(p), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr
    _strict_json(proc.stdout)
    res = Engine().check_file(p)
    codes = {(f.cell, f.code) for f in res.findings}
    assert {("F14", "value-unparseable"), ("G14", "weight-missing")} <= codes      # read as unrecognised
    # a 400-digit integer cannot be saved by any spreadsheet: recalc refuses in one line, the file untouched
    before = p.read_bytes()
    proc = run_cli("recalc", str(p))
    _one_line_exit_2(proc)
    assert "G14" in proc.stderr and "400 位" in proc.stderr and p.read_bytes() == before
    # without it, the huge floats and the long digit texts are read, written and read again
    p2 = tmp_path / "big2.xlsx"
    _patch_numbers(src, p2, {"H14": "1e400", "H15": "-" + "9" * 400 + ".5", "G16": "1E-400", "H16": "1e29"})
    for _ in range(2):
        proc = run_cli("recalc", str(p2), "--format", "json")
        assert proc.returncode in (0, 1), proc.stderr
        _strict_json(proc.stdout)
    nan = tmp_path / "nan.xlsx"
    _patch_numbers(src, nan, {"G17": "NaN"})                  # openpyxl cannot read it: refused in one line
    _one_line_exit_2(run_cli("check", str(nan)))


def _long_text(src, dst, ref: str, text: str) -> None:
    """Put an inline string of any length in a cell of sheet1 (openpyxl itself cuts assigned text at 32,767)."""
    from xml.sax.saxutils import escape
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<c r="%s"[^>]*?(/>|>.*?</c>)' % ref.encode(),
                                  b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref.encode(), escape(text).encode()),
                                  data, count=1)
                assert n
            zout.writestr(item, data)


@pytest.mark.parametrize("length", [32767, 100_000])
def test_state_entries_of_any_size_are_chunked(tmp_path, length):
    src = tmp_path / "src.xlsx"
    national_form(src, rows=sample_rows(), total=95)
    p = tmp_path / "long.xlsx"
    long_value = ("二十分" + "很长的说明" * 20000)[:length]
    _long_text(src, p, "H14", long_value)
    assert len(openpyxl.load_workbook(p)["自评表"]["H14"].value) == length
    from xlscore.write import xlsx
    from xlscore.write.apply import dec, join_state
    for run in range(3):
        proc = run_cli("recalc", str(p))
        assert proc.returncode == 1, proc.stderr
        wb = openpyxl.load_workbook(p)
        st = wb[STATE_SHEET]
        assert all(len(c.value) <= 32767 for row in st.iter_rows() for c in row if isinstance(c.value, str))
        assert wb["自评表"]["H14"].value == 20
        if run == 0:     # the state keeps what the clerk typed, all of it, in chunks
            rows = join_state([list(r) for r in st.iter_rows(min_row=2, values_only=True)])
            assert dec(next(r for r in rows if r[1] == "H14")[2]) == long_value
    # a cell takes back at most Excel's 32,767 characters of it (openpyxl cuts on assignment)
    wb = openpyxl.load_workbook(p)
    assert xlsx.restore(wb) == 0
    assert wb["自评表"]["H14"].value == long_value[:32767]


def _forge(path, rows):
    """Replace the state sheet by *rows*; "{S}" stands for the first sheet's name."""
    wb = openpyxl.load_workbook(path)
    rows = [[wb.sheetnames[0] if v == "{S}" else v for v in r] for r in rows]
    if STATE_SHEET in wb.sheetnames:
        del wb[STATE_SHEET]
    st = wb.create_sheet(STATE_SHEET)
    for r in rows:
        st.append(r)
        for c in st[st.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"
    wb.save(path)


@pytest.mark.parametrize("rows", [
    [["sheet", "cell"], ["{S}", "H14", "{not json", None, "xml:<bogus", None, None, None, 0]],
    [["sheet"], ["{S}", "ZZZZ99999999", '{"t": "s", "v": "x"}', None, None, None, None, None, 0]],
    [["sheet"], ["{S}", "H14", "[1, 2]", '{"t": "n"}', "rgb:GGGGGG", "c", "a", "0%", 1]],
    [["sheet"], ["{S}", "H14", '{"t": "dt", "v": "yesterday"}', None, None, None, None, None, 0]],
    [["sheet"], ["{S}", "H14", '{"t": "s", "v": {"a": 1}}', '{"t": "n", "v": 20}', None, "xlscore: x", "xlscore", None, 0],
     [None, "+99", "piece"], [None, "+x", 5]],
    [["sheet"], ["不存在的表", "A1", '{"t": "s", "v": "x"}']],
])
def test_a_forged_or_damaged_state_sheet_is_ignored_with_a_warning(tmp_path, rows):
    p = tmp_path / "forged.xlsx"
    shutil.copyfile(SAMPLE, p)
    _forge(p, rows)
    for cmd in ("check", "recalc"):
        proc = run_cli(cmd, str(p))
        assert proc.returncode == 1, proc.stderr
        assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr
    assert STATE_SHEET in openpyxl.load_workbook(p).sheetnames       # the recalc wrote a fresh one


def test_a_forged_state_sheet_warns(tmp_path):
    p = tmp_path / "forged.xlsx"
    shutil.copyfile(SAMPLE, p)
    _forge(p, [["sheet"], ["{S}", "H14", "{not json"], ["{S}", "H15", "{not json"]])
    proc = run_cli("check", str(p))
    assert proc.returncode == 1
    assert "xlscore_state" in proc.stderr and "2 处" in proc.stderr and "已忽略" in proc.stderr


def test_an_xml_entity_bomb_is_refused_before_parsing(tmp_path):
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lolololololol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>")
    p = tmp_path / "lol.xlsx"
    with zipfile.ZipFile(SAMPLE) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = lol + data[data.index(b"<worksheet"):].replace(
                    b"<sheetData>", b'<sheetData><row r="999"><c r="A999" t="inlineStr"><is><t>&lol9;</t></is></c></row>', 1)
            zout.writestr(item.filename, data)
    proc = run_cli("check", str(p))
    _one_line_exit_2(proc)
    assert "DTD" in proc.stderr
