"""The national template layout (年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施) reads without
configuration; clean forms give no error or warning; injected mistakes are found at the right cells."""

from __future__ import annotations

import openpyxl
import pytest

from builders import national_form, sample_rows
from xlscore.engine import Engine


def clean_rows():
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "11场", 20, 20, "")
    return rows


def _check(path, **kw):
    res = Engine(**kw).check_file(path)
    assert res.error is None
    return res


def _codes(res):
    return {(f.cell, f.code) for f in res.findings}


def test_clean_national_form(tmp_path):
    p = tmp_path / "national.xlsx"
    national_form(p, rows=clean_rows(), total=97.5, funds_rate=0.95, funds_score=9.5, spaced_headers=True)
    res = _check(p)
    sheet = res.sheets[0]
    assert sheet.kind == "self_assessment"
    assert sheet.total == pytest.approx(97.5)
    assert sheet.grade == "优"
    bad = [f for f in res.findings if f.severity in ("error", "warning")]
    assert bad == [], [(f.cell, f.code, f.message) for f in bad]
    # the 110% row is over target: info only, score capped at the weight
    assert ("H14", "rate-over-100") in _codes(res)


def test_injected_mistakes_found_at_their_cells(tmp_path):
    rows = clean_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "1场", 20, 0.2, "活动受疫情影响")     # 2.0 expected
    rows[2] = ("产出指标", "时效指标", "项目完成时间", "2024年10月30日前", "2024年12月10日", 10, 10, "")   # late, full
    rows[3] = ("成本指标", "经济成本指标", "活动经费", "≤10万元", "9.5万元", 20, 19, "节约")              # ≤ met, 20
    rows[1] = ("产出指标", "质量指标", "活动验收合格率", "≥1辆", "=1%", 10, 10, "")                       # units
    p = tmp_path / "bad.xlsx"
    national_form(p, rows=rows, total=90, funds_rate=0.95, funds_score=9.5, grade_cell=True)
    res = _check(p)
    codes = _codes(res)
    assert ("H14", "score-mismatch") in codes
    msg = next(f for f in res.findings if f.cell == "H14" and f.code == "score-mismatch")
    assert msg.expected == pytest.approx(2.0) and msg.found == pytest.approx(0.2)
    assert "小数点" in msg.message and "正向指标" in msg.rule
    assert ("H16", "deadline-missed-full-score") in codes
    assert ("H17", "score-mismatch") in codes
    assert ("F15", "unit-mismatch") in codes
    # recomputed total: 9.5 + 2 + ? (unit mismatch: bounds only, keeps 10) + 0 + 20 + 18 + 10
    assert res.sheets[0].total == pytest.approx(9.5 + 2 + 10 + 0 + 20 + 18 + 10)
    assert ("H20", "total-mismatch") in codes


def test_english_messages(tmp_path):
    rows = clean_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "1场", 20, 0.2, "x")
    p = tmp_path / "en.xlsx"
    national_form(p, rows=rows, total=97.5, funds_rate=0.95, funds_score=9.5)
    res = _check(p, lang="en")
    f = next(f for f in res.findings if f.code == "score-mismatch")
    assert "should be 2" in f.message and "higher is better" in f.rule


def test_recalc_writes_results_and_keeps_typed_values(tmp_path):
    rows = clean_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "1场", 20, 0.2, "活动受影响")
    rows[4] = rows[4][:6] + (None, rows[4][7])      # qualitative score left empty
    p = tmp_path / "recalc.xlsx"
    cells = national_form(p, rows=rows, total=None, funds_rate=None, funds_score=None, grade_cell=True)
    res = Engine().recalc_file(p)
    assert res.output == str(p)
    wb = openpyxl.load_workbook(p)
    ws = wb["自评表"]
    assert ws["H14"].value == pytest.approx(2.0)
    assert "原值：0.2" in ws["H14"].comment.text and "score-mismatch" in ws["H14"].comment.text
    assert ws["H14"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["H18"].value == pytest.approx(20)            # 达成: top of its band when the unit gave none
    assert ws["G6"].value == pytest.approx(0.95) and ws["G6"].number_format == "0.00%"
    assert ws["H6"].value == pytest.approx(9.5)
    total = 9.5 + 2 + 10 + 10 + 20 + 20 + 10
    assert ws[cells["total"]].value == pytest.approx(total)
    assert ws[cells["grade"]].value == "良"          # 81.5
    rep = wb["xlscore"]
    texts = [c.value for row in rep.iter_rows() for c in row if c.value is not None]
    assert "score-mismatch" in texts and 0.2 in texts
    links = [c.hyperlink.location or c.hyperlink.target for row in rep.iter_rows() for c in row if c.hyperlink]
    assert any("H14" in (x or "") for x in links)
    assert wb["xlscore_state"].sheet_state == "veryHidden"
