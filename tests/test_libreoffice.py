"""A real spreadsheet program opens what xlscore writes, and shows the values xlscore wrote."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from conftest import SAMPLES, run_cli
from lo import convert, needs_soffice


@needs_soffice
def test_recalculated_sample_opens_in_libreoffice(tmp_path):
    src = tmp_path / "changji_2024.xlsx"
    shutil.copy(SAMPLES / "changji_2024.xlsx", src)
    proc = run_cli("recalc", str(src))
    assert proc.returncode == 1, proc.stderr        # the sample has errors
    written = openpyxl.load_workbook(src)
    state = written["xlscore_state"]
    owned = [(r[0], r[1]) for r in state.iter_rows(min_row=2, values_only=True) if r[3]]
    assert len(owned) >= 10
    out = convert(src, tmp_path / "lo")
    shown = openpyxl.load_workbook(out, data_only=True)
    for sheet, ref in owned:
        mine, theirs = written[sheet][ref].value, shown[sheet][ref].value
        if isinstance(mine, (int, float)):
            assert theirs == pytest.approx(mine, abs=1e-9), (sheet, ref)
        else:
            assert theirs == mine, (sheet, ref)
    # the report sheet survived the trip, with its links
    assert "xlscore" in shown.sheetnames
    assert any(c.hyperlink for row in shown["xlscore"].iter_rows() for c in row)
    # and the workbook LibreOffice saved again is checked as the clerk's (its state sheet comes back as rich text)
    again = run_cli("check", str(out), "--format", "json")
    assert again.returncode == 1 and "internal" not in again.stderr.lower() and "内部错误" not in again.stderr, again.stderr


@needs_soffice
def test_formulas_around_written_cells_recalculate(tmp_path):
    """A user's own formula that sums the score column shows the corrected scores once recalculated."""
    from builders import national_form, sample_rows
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "1场", 20, 0.2, "受影响")
    p = tmp_path / "f.xlsx"
    national_form(p, rows=rows, total=None, funds_rate=0.95, funds_score=9.5)
    wb = openpyxl.load_workbook(p)
    wb["自评表"]["L14"] = "=SUM(H14:H19)"
    wb.save(p)
    run_cli("recalc", str(p))
    out = convert(p, tmp_path / "lo")
    shown = openpyxl.load_workbook(out, data_only=True)["自评表"]
    assert shown["L14"].value == pytest.approx(2 + 10 + 10 + 20 + 18 + 10)
    assert shown["H20"].value == pytest.approx(9.5 + 70)
