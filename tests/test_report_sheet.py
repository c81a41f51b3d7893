"""The report sheet as a reviewer reads it: on screen (LibreOffice's displayed text, read back as CSV) and
on paper (LibreOffice's PDF and its own re-saved xlsx)."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest

from conftest import SAMPLES, run_cli
from lo import convert, needs_soffice, report_only, sheet_csv


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    src = d / "changji_2024.xlsx"
    shutil.copy(SAMPLES / "changji_2024.xlsx", src)
    assert run_cli("recalc", str(src)).returncode == 1
    return src


def _find(rows, first):
    return next(i for i, r in enumerate(rows) if r and r[0] == first)


@needs_soffice
def test_report_columns_read_back_through_libreoffice(recalculated, tmp_path):
    rows = sheet_csv(recalculated, tmp_path / "csv", "xlscore")
    head = rows[_find(rows, "工作表") :]
    # the summary: names and counts each in their own column, counts alone (no "3昌吉…" run-in)
    assert head[0][:8] == ["工作表", "重算总分", "等级", "表类型", "名称", "错误", "警告", "提示"]
    whole = next(r for r in head if r[0] == "整体")
    assert whole[:8] == ["整体", "82", "良", "自评表", "昌吉回族自治州商务局", "1", "3", "4"]
    # the findings: where, how bad, what, the figures, why; then code and number
    fi = next(i for i, r in enumerate(rows) if r[:3] == ["工作表", "单元格", "级别"] and i > _find(rows, "问题清单"))
    assert rows[fi][:10] == ["工作表", "单元格", "级别", "问题", "说明", "表中值", "应为", "规则", "代码", "序号"]
    body = [r for r in rows[fi + 1:] if r and r[0]]
    score = next(r for r in body if r[8] == "score-mismatch" and r[1] == "I18")
    assert score[:3] == ["F7", "I18", "错误"] and score[5] == "9.5" and score[6] == "10" and "反向指标" in score[7]
    # the rewritten cells: the typed original as typed, no JSON quotes
    wi = next(i for i, r in enumerate(rows) if r[:2] == ["工作表", "单元格"] and "原值（用户填写）" in r)
    writes = {(r[0], r[1]): r for r in rows[wi + 1:] if r and r[0]}
    assert writes[("F8", "I22")][2:5] == ["总分", "100.00分", "94"]
    assert writes[("F10", "I14")][3] == "4.2"
    assert not any(c.startswith('"') for r in rows for c in r)


@needs_soffice
def test_report_prints_landscape_one_page_wide_with_header_repeated(recalculated, tmp_path):
    only = report_only(recalculated, tmp_path / "report.xlsx")
    # LibreOffice's own re-save keeps what it understood of the print setup
    shown = openpyxl.load_workbook(convert(only, tmp_path / "lo"))["xlscore"]
    ps = shown.page_setup
    assert ps.orientation == "landscape" and str(ps.paperSize) == "9"
    assert str(ps.fitToWidth) == "1" and str(ps.fitToHeight) == "0"
    head = next(r[0].row for r in shown.iter_rows() if r[0].value == "工作表" and r[1].value == "单元格")
    assert shown.print_title_rows.replace("$", "") == f"{head}:{head}"
    # wrapped 说明 cells get the height they need (a 95-row report is not one page of tiny type)
    tall = [r for r, d in shown.row_dimensions.items() if d.height and d.height > 30]
    assert len(tall) >= 10
    pdf = convert(only, tmp_path / "pdf", "pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf))
    assert 3 <= pages <= 8, pages
    assert all(float(w) > float(h) and abs(float(w) - 842) < 2 for w, h in boxes), boxes
