"""Rule profiles, the scoring-rule registry, the finding catalogue and its generated docs."""

from __future__ import annotations


import pytest

from builders import national_form, sample_rows
from conftest import ROOT, run_cli
from xlscore.checks import CHECKS
from xlscore.checks.catalogue import CATALOGUE, checks_doc
from xlscore.engine import Engine
from xlscore.errors import UsageError
from xlscore.numbers import compare
from xlscore.rules.profile import load_profile, shipped
from xlscore.rules.scoring import RULE_KINDS, evaluate, rule_method
from xlscore.rules.values import parse_value


def test_shipped_profiles_load():
    assert {"national", "guangxi", "eval80"} <= set(shipped())
    nat, gx = load_profile("national"), load_profile("guangxi")
    assert nat.get("scoring", "overachievement_review") == pytest.approx(1.2)
    assert gx.get("scoring", "overachievement_review") == pytest.approx(1.3)
    assert gx.grade_bands == nat.grade_bands          # inherited
    assert nat.grade(90) == "优" and nat.grade(89.99) == "良" and nat.grade(59.9) == "差"
    assert load_profile("eval80").grade(85) == "优"


def test_profile_from_path_and_errors(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text('extends = "national"\nname = "mine"\n[scoring]\ndeadline_missed_fraction = 0.5\n', encoding="utf-8")
    assert load_profile(str(p)).get("scoring", "deadline_missed_fraction") == 0.5
    with pytest.raises(UsageError):
        load_profile("nowhere")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[[", encoding="utf-8")
    with pytest.raises(UsageError):
        load_profile(str(bad))


def _row(target, actual, w, method=None, name="指标", profile="national"):
    return evaluate(parse_value(target, role="target", year=2024), parse_value(actual, role="actual", year=2024),
                    w, method, name, load_profile(profile))


@pytest.mark.parametrize("target,actual,w,method,kind,rate,score", [
    (">=8%", "0.8%", 20, None, "ge", 0.1, 2.0),                              # Z1
    ("≥30家", "=35家", 5, "proportional", "ge", 35 / 30, 5.0),                # capped
    ("<=32.28万元", "=31.5万元", 10, "proportional", "le", 1.0, 10.0),        # F7: met ≤
    ("≤10万元", "12.5万元", 10, None, "le", 0.8, 8.0),                         # ratio practice A/B
    ("=100%", "=100%", 10, None, "eq", 1.0, 10.0),
    ("=0%", "=0%", 10, None, "eq", 1.0, 10.0),
    ("=0%", "=2%", 10, None, "eq", 0.0, 0.0),
    ("2024年10月30日前", "2024年12月10", 6, "all_or_nothing", "deadline", 0.0, 0.0),   # F8
    ("2024年12月10日前", "2024年12月10日", 5, "all_or_nothing", "deadline", 1.0, 5.0),  # same day is met
    (">=90%", "=100%", 10, "satisfaction", "satisfaction", 100 / 90, 10.0),
    (">=90%", "=81%", 10, "satisfaction", "satisfaction", 0.9, 9.0),
    ("≥1辆", "=1辆", 0, None, "ge", 1.0, 0.0),                                 # zero weight: no division
])
def test_rule_kinds(target, actual, w, method, kind, rate, score):
    o = _row(target, actual, w, method)
    assert o.kind == kind and o.why_not is None
    assert o.rate == pytest.approx(rate) and o.score == pytest.approx(score)


def test_lower_is_better_practice_is_a_setting(tmp_path):
    p = tmp_path / "linear.toml"
    p.write_text('extends = "national"\n[scoring]\nlower_is_better_practice = "linear"\n', encoding="utf-8")
    assert _row("≤10万元", "12.5万元", 10, profile=str(p)).score == pytest.approx(7.5)
    assert _row("≤10万元", "25万元", 10, profile=str(p)).score == pytest.approx(0.0)


def test_qualitative_band_and_direction_of_bare_figures():
    o = _row("有效", "部分达成年度指标并具有一定效果", 10, "grade_bands")
    assert o.kind == "qualitative" and o.band == (pytest.approx(6), pytest.approx(8))
    assert _row("0%", "2%", 10, name="纠纷发生率").kind == "le"
    assert _row("7.27倍", "8倍", 10, name="带动比").kind == "ge"


def test_not_computable_cases():
    assert _row("≥1辆", "=1%", 15).why_not == "unit-different"
    assert _row("=0%", "达到预期指标", 10, "proportional").why_not == "qualitative-actual"
    assert _row("≥10场", "/", 10).why_not == "actual-missing"


def test_rule_labels():
    assert rule_method("按照完成比例赋分") == "proportional"
    assert rule_method(" 直接 赋分 ") == "all_or_nothing"
    assert rule_method("按评判等级赋分") == "grade_bands"
    assert rule_method("满意度赋分") == "satisfaction"
    assert rule_method("酌情打分") is None
    assert set(RULE_KINDS) >= {"ge", "le", "eq", "deadline", "qualitative", "satisfaction", "all_or_nothing"}


@pytest.mark.parametrize("found,expected,decimals,tol,unit,verdict", [
    (0.98, 0.9758, 0, 0.0, 100, "ok"),           # 98% printed for 97.58%
    (1.16, 35 / 30, 0, 0.0, 100, "rounding"),    # 116% truncated from 116.67%
    (1.05, 100 / 90, 0, 0.0, 100, "mismatch"),
    (9.76, 9.7584, 2, 0.01, 1, "ok"),
    (2.99, 2.98, None, 0.01, 1, "rounding"),
    (9.5, 10.0, None, 0.01, 1, "mismatch"),
])
def test_printed_precision(found, expected, decimals, tol, unit, verdict):
    assert compare(found, expected, decimals, tol, unit) == verdict


def test_every_emitted_code_is_catalogued_and_documented():
    emitted = {c for chk in CHECKS for c in chk.emits} | {"sheet-skipped", "sheet-not-checked"}
    from xlscore.checks import selfassess  # noqa: F401
    emitted |= {c for chk in CHECKS for c in chk.emits}
    assert emitted <= set(CATALOGUE)
    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert doc == checks_doc(), "docs/checks.md is stale: python -m xlscore rules --format markdown > docs/checks.md"
    for d in CATALOGUE.values():
        assert d.severity in ("error", "warning", "info")
        assert d.title_zh and d.title_en and d.description


def test_rules_command_lists_codes():
    proc = run_cli("rules")
    assert proc.returncode == 0
    assert "score-mismatch" in proc.stdout and "guangxi" in proc.stdout and "按照完成比例赋分" in proc.stdout


def test_guangxi_requires_explanation_at_130(tmp_path):
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "14场", 20, 20, "")
    p = tmp_path / "gx.xlsx"
    national_form(p, rows=rows, total=97.5, funds_rate=0.95, funds_score=9.5)
    nat = [f for f in Engine().check_file(p).findings if f.code == "overachievement-review"]
    gx = [f for f in Engine("guangxi").check_file(p).findings if f.code == "overachievement-review"]
    assert nat and gx
    assert "偏差原因" in gx[0].message and "偏差原因" not in nat[0].message
    rows[0] = rows[0][:4] + ("12.5场",) + rows[0][5:]
    national_form(p, rows=rows, total=97.5, funds_rate=0.95, funds_score=9.5)
    assert [f for f in Engine().check_file(p).findings if f.code == "overachievement-review"]
    assert not [f for f in Engine("guangxi").check_file(p).findings if f.code == "overachievement-review"]
