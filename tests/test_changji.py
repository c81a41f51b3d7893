"""The 13 forms of the 昌吉 2024 disclosure (samples/changji_2024.xlsx, generated from the corpus).

Cell addresses come from the generator's manifest (samples/changji_2024.layout.json), not from the
tool's reader, so these tests check the reader too. Anomaly ids are those of
samples/source/disclosure_changji_2024.anomalies.md.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import SAMPLES, run_json

ORIGINAL = SAMPLES / "changji_2024.xlsx"
CORRECTED = SAMPLES / "changji_2024_corrected.xlsx"
LAYOUT = json.loads((SAMPLES / "changji_2024.layout.json").read_text(encoding="utf-8"))


def _form(which: str, index: int) -> dict:
    return next(f for f in LAYOUT[which] if f["form_index"] == index)


def cell(index: int, name: str, column: str, which: str = "original") -> tuple[str, str]:
    """(sheet, address) of indicator *name*'s cell in the column headed *column*."""
    f = _form(which, index)
    row = next(i["row"] for i in f["indicators"] if i["三级"] == name)
    return f["sheet"], f"{f['columns'][column]}{row}"


@pytest.fixture(scope="module")
def original():
    code, doc = run_json("check", str(ORIGINAL))
    assert code == 1
    return doc


@pytest.fixture(scope="module")
def corrected():
    code, doc = run_json("check", str(CORRECTED))
    return code, doc


def _findings(doc):
    out = {}
    for s in doc["files"][0]["sheets"]:
        for f in s["findings"]:
            out.setdefault((s["name"], f["cell"]), []).append(f)
    return out


def has(doc, where: tuple[str, str], code: str) -> dict:
    fs = _findings(doc).get(where, [])
    match = [f for f in fs if f["code"] == code]
    assert match, f"{code} not at {where}; found there: {[f['code'] for f in fs]}"
    return match[0]


def test_json_contract(original):
    assert set(original) == {"xlscore", "files"}
    f = original["files"][0]
    assert f["error"] is None and f["path"].endswith("changji_2024.xlsx")
    assert len(f["sheets"]) == 13
    for s in f["sheets"]:
        assert set(s) == {"name", "kind", "total", "grade", "findings"}
        assert s["kind"] == "self_assessment"
        for x in s["findings"]:
            assert {"cell", "code", "severity", "message", "expected", "found"} <= set(x)
            assert x["severity"] in ("error", "warning", "info")


def test_k2_zero_point_two_of_twenty(original):
    f = has(original, cell(0, "完成2024年度社会消费品零售总额同比增长率", "得分"), "score-mismatch")
    assert f["severity"] == "error" and f["expected"] == pytest.approx(2.0) and f["found"] == pytest.approx(0.2)


def test_k2_scores_that_do_not_follow_the_rule(original):
    f = has(original, cell(7, "电商人才交流培训经费", "指标得分"), "score-mismatch")
    assert (f["expected"], f["found"]) == (pytest.approx(10), pytest.approx(9.5))
    f = has(original, cell(10, "组织参展企业数", "指标得分"), "score-overachievement-penalised")
    assert (f["expected"], f["found"]) == (pytest.approx(5), pytest.approx(4.2))
    f = has(original, cell(12, "目标完成率", "指标得分"), "score-overachievement-penalised")
    assert (f["expected"], f["found"]) == (pytest.approx(5), pytest.approx(4.75))


def test_k1_completion_rates(original):
    for index, name in ((9, "活动参与人员满意度"), (10, "参会企业满意度"), (12, "目标完成率")):
        f = has(original, cell(index, name, "完成率"), "rate-mismatch")
        assert f["expected"] == "111.11%" and f["severity"] == "error"


def test_k3_truncated_rate_is_rounding_and_over_100_is_noted(original):
    where = cell(10, "组织参展企业数", "完成率")
    assert has(original, where, "rate-rounding")["expected"] == "116.67%"
    assert has(original, where, "rate-over-100")["severity"] == "info"


def test_k5_met_lower_is_better_target(original):
    f = has(original, cell(7, "电商人才交流培训经费", "完成率"), "lower-better-not-inverted")
    assert f["expected"] == "100%" and f["found"] == "98%"


def test_k6_units(original):
    assert has(original, cell(1, "租赁新能源车", "业绩值"), "unit-mismatch")["severity"] == "error"
    assert has(original, cell(7, "项目预算控制率", "目标值"), "unit-missing")["severity"] == "warning"


def test_k7_qualitative_actual_for_numeric_target(original):
    assert has(original, cell(6, "纠纷发生率", "业绩值"), "qualitative-actual")["severity"] == "error"


def test_k8_missed_deadline_scored_full(original):
    f = has(original, cell(8, "培训完成时间", "指标得分"), "deadline-missed-full-score")
    assert f["expected"] == 0 and f["found"] == 6


def test_k9_malformed_dates(original):
    has(original, cell(1, "完成时限", "目标值"), "date-malformed")
    has(original, cell(8, "培训完成时间", "业绩值"), "date-malformed")
    has(original, cell(9, "项目完成时限", "目标值"), "date-yearless")
    has(original, cell(10, "完成时限", "目标值"), "date-malformed")


def test_k15_strict_target_met_by_equality(original):
    has(original, cell(3, "展会证件办理数量", "业绩值"), "strict-target-equal")


def test_k16_zero_weight(original):
    has(original, cell(9, "制作评选活动耗材数量", "权重"), "weight-zero")


def test_k12_funds_subrow(original):
    f = _form("original", 12)
    row = f["funds"]["年度资金总额"]
    where = (f["sheet"], f"{f['funds_columns']['全年执行数']}{row}")
    g = has(original, where, "funds-subrows-sum")
    assert g["expected"] == pytest.approx(34.03) and g["found"] == pytest.approx(34.02)


def test_k17_text_artefacts(original):
    has(original, cell(12, "[bookmark: _GoBack]设备", "三级指标"), "text-artefact")
    for index in (7, 10, 11, 12):
        f = _form("original", index)
        has(original, (f["sheet"], f"{f['goal_columns']['实际完成情况']}{f['goal_row']}"), "text-artefact")


def test_k19_unit_form_has_no_total_row(original):
    z = next(s for s in original["files"][0]["sheets"] if s["name"] == _form("original", 0)["sheet"])
    missing = [f for f in z["findings"] if f["code"] == "total-missing"]
    assert missing and missing[0]["severity"] == "info" and missing[0]["expected"] == pytest.approx(82)


def test_k20_names_that_do_not_fit_values(original):
    has(original, cell(1, "预算成本控制率", "目标值"), "indicator-kind-mismatch")
    has(original, cell(7, "电商人才赋能项目按期执行", "目标值"), "indicator-kind-mismatch")


# hand-computed: Z 10 + 50 + 20×0.8/8 + 20 = 82; F8's 6-point deadline row missed → 94;
# F7, F10, F12 restore the full weight to their mis-scored rows → 100
EXPECTED_TOTALS = {0: 82, 8: 94}


def test_recomputed_totals_and_grades(original):
    sheets = {s["name"]: s for s in original["files"][0]["sheets"]}
    for f in LAYOUT["original"]:
        s = sheets[f["sheet"]]
        assert s["total"] == pytest.approx(EXPECTED_TOTALS.get(f["form_index"], 100)), f["sheet"]
        assert s["grade"] == ("良" if f["form_index"] == 0 else "优")


def test_stated_totals_that_change_are_errors(original):
    for index in (7, 10, 12):
        f = _form("original", index)
        where = (f["sheet"], f"{f['columns']['指标得分']}{f['total_row']}")
        assert has(original, where, "total-mismatch")["expected"] == pytest.approx(100)


def test_corrected_copy_has_no_error_or_warning(corrected):
    code, doc = corrected
    bad = [(s["name"], f["cell"], f["code"], f["message"]) for s in doc["files"][0]["sheets"] for f in s["findings"]
           if f["severity"] in ("error", "warning")]
    assert bad == []
    assert code == 0
    totals = {s["name"]: s["total"] for s in doc["files"][0]["sheets"]}
    assert totals[_form("corrected", 0)["sheet"]] == pytest.approx(82)
    assert all(t == pytest.approx(100) for n, t in totals.items() if n != _form("corrected", 0)["sheet"])


def test_finding_counts_by_code(original):
    """Printed for the closing note; asserts only that every required anomaly kind is present."""
    counts = Counter(f["code"] for s in original["files"][0]["sheets"] for f in s["findings"])
    print(dict(sorted(counts.items())))
    for code in ("score-mismatch", "rate-mismatch", "lower-better-not-inverted", "unit-mismatch", "qualitative-actual",
                 "deadline-missed-full-score", "date-malformed", "strict-target-equal", "weight-zero"):
        assert counts[code] >= 1
