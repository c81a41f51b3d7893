"""The yth2022 profile (预算管理一体化 2022 rules): 指标偏离 −2 points, and a total capped by the execution rate."""

from __future__ import annotations

from builders import national_form

from xlscore.engine import Engine

ROWS = [("产出指标", "数量指标", "培训人数", "≥100人", "140人", 45, 45, ""),      # 140% of target: 指标偏离
        ("效益指标", "社会效益指标", "培训合格率", "≥90%", "95%", 45, 45, "")]


def _sheet(path, profile):
    res = Engine(profile).check_file(path)
    return res.sheets[0]


def test_deviation_loses_two_points_only_under_yth2022(tmp_path):
    p = tmp_path / "f.xlsx"
    national_form(p, rows=ROWS, funds=(10.0, 10.0, 10.0), funds_score=10, total=100)
    nat = _sheet(p, None)
    assert nat.total == 100 and not [f for f in nat.findings if f.severity == "error"]
    yth = _sheet(p, "yth2022")
    bad = {(f.cell, f.code): f for f in yth.findings if f.severity == "error"}
    score = next(f for (cell, code), f in bad.items() if code == "score-mismatch")
    assert score.expected == 43 and score.found == 45
    assert yth.total == 98


def test_low_execution_rate_caps_the_total(tmp_path):
    p = tmp_path / "f.xlsx"
    rows = [r[:3] + ("≥100人", "100人") + r[5:] for r in ROWS]
    national_form(p, rows=rows, funds=(10.0, 10.0, 7.5), funds_score=7.5, total=97.5)   # 75% spent
    assert _sheet(p, None).total == 97.5
    yth = _sheet(p, "yth2022")
    assert yth.total == 89 and yth.grade == "良"
    assert any(f.code == "total-mismatch" and f.expected == 89 for f in yth.findings)
