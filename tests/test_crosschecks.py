"""Checks across a form's parts, across sheets and against the declared targets (issue 5).

- figures in text: the extraction and the tie to one indicator, with the phrasings of the 昌吉 disclosure;
- the 昌吉 sample workbook through the real CLI: every K10/K13/K14/K21 anomaly decidable from the workbook at its
  cell (addresses from the generator's manifest), none on the corrected copy;
- money: per-unit cost indicators are not totals;
- 绩效目标表 vs 自评表: in one workbook and with ``--targets``, by check and recalc (comments in the written file).
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from builders import national_form, put, sample_rows
from conftest import run_cli, run_json
from test_changji import CORRECTED, ORIGINAL, _form, original  # noqa: F401  (original: the module-scoped fixture)
from test_changji import cell as ind_cell
from xlscore.rules.textfigures import Candidate, contradicts, extract_figures, tie
from xlscore.rules.values import parse_value



# ============================================================================ figures in text

def _fig(text, which=0, year=2024):
    figs = extract_figures(text, year)
    return figs[which]


def test_extract_number_unit_and_words():
    figs = extract_figures("全州外贸进出口总额实现94亿元，同比增长20.9%，排名全疆第六位", 2024)
    assert [f.text for f in figs] == ["94亿元", "20.9%"]
    money, rate = figs
    assert money.value.number == pytest.approx(940000) and money.value.unit == "万元"
    assert money.before == "全州外贸进出口总额实现"
    assert rate.value.number == pytest.approx(0.209) and rate.decimals == 1 and rate.step == pytest.approx(0.001)
    assert rate.before == "同比增长" and rate.previous == "全州外贸进出口总额实现94亿元"


@pytest.mark.parametrize("text, op, number, unit", [
    ("推动签订外贸合同和意向协议超12个", ">", 12, "个"),
    ("培育20家以上数字商务试点示范企业", ">=", 20, "家"),
    ("受益企业满意度达到90%以上", ">=", 0.9, "%"),
    ("报告使用人员满意度不低于90%", ">=", 0.9, "%"),
    ("计划至少完成2套项目前期报告编制", ">=", 2, "套"),
    ("重点商贸流通企业服务满意度达到90%", "=", 0.9, "%"),
    ("租赁期间安全行程公里数15000公里", None, 15000, "公里"),
    ("开展电商培训100人次", None, 100, "人次"),
    ("拉动参与活动的商家销售额6亿元", None, 60000, "万元"),
    ("车辆租赁价格为：3.5万元/年", None, 3.5, "万元/年"),
    ("全年预算数为17,091.19万元", None, 17091.19, "万元"),
    ("参加培训２０人", None, 20, "人"),
])
def test_extract_operators_and_units(text, op, number, unit):
    f = _fig(text)
    assert (f.op, f.unit) == (op, unit)
    assert f.value.number == pytest.approx(number)


def test_after_words_name_a_figure_written_first():
    f = _fig("2024年该项目计划至少完成2套项目前期报告编制。专家验收合格率达到100%")
    assert f.text == "至少完成2套" and f.before == "2024年该项目计划" and f.after == "项目前期报告编制"


@pytest.mark.parametrize("text", [
    "2024年本单位完成以下工作内容：12024年招商引资到位资金；2.完成2024年度社会消费品零售总额同比增长率",
    "参加在乌兹别克斯坦塔什干市举办的2024第十三届乌兹别克斯坦中国新疆商品展览会",
    "聚焦自治区8D大产业集群和自治州“15+4”现代化产业体系",
    "新引进中国500强企业",
    "截至2024年12月31日，",
    "近5年来首次规模通关过货",
])
def test_not_figures(text):
    assert extract_figures(text, 2024) == []


def test_dates_deadlines_and_periods():
    d = _fig("尾款支付完成时间为2024年8月30日前，通过该项目的实施")
    assert d.kind == "date" and d.value.date == dt.date(2024, 8, 30) and d.value.deadline
    r = _fig("租赁时间2023年7月11日—2024年7月10日，租赁期间")
    assert r.kind == "date_range" and (r.value.date, r.value.end_date) == (dt.date(2023, 7, 11), dt.date(2024, 7, 10))
    y = _fig("3月30日至4月5日，昌吉州组织35家企业", year=2024)
    assert y.kind == "date_range" and y.value.date == dt.date(2024, 3, 30)
    assert [f.text for f in extract_figures("截至2024年12月31日该项目完成了支付项目尾款数量1个", 2024)] == ["1个"]


def test_parts_and_approximations_are_never_tied():
    part = _fig("提前完成全年任务。其中区外到位资金1222.73亿元")
    assert part.part
    approx = _fig("带动销售额约5亿元")
    assert approx.approx
    cands = [Candidate("2024年招商引资到位资金", parse_value(">=1400亿元"))]
    assert tie(part, cands) is None and tie(approx, [Candidate("带动销售额", parse_value(">=5亿元"))]) is None


UNIT_FORM = [Candidate("2024年招商引资到位资金", parse_value("1426.34亿元", role="actual")),
             Candidate("完成2024年度社会消费品零售总额同比增长率", parse_value("0.8%", role="actual")),
             Candidate("年内外贸进出口总额同比增长率", parse_value("20.7%", role="actual"))]
UNIT_ACTUAL = ("全州共执行招商引资项目552个，落实到位资金1426.34亿元，同比增长17.3%，提前完成全年任务。"
               "全州外贸进出口总额实现94亿元，同比增长20.9%，排名全疆第六位。获批中央外经贸资金8444万元，同比增长63%。")


def test_tie_by_name_words_uses_the_clause_before_when_needed():
    figs = extract_figures(UNIT_ACTUAL, 2024)
    by_text = {f.text: f for f in figs}
    t = tie(by_text["20.9%"], UNIT_FORM, figs)
    assert t.candidate is UNIT_FORM[2] and t.basis == "name" and "外贸进出口总额" in t.words
    assert contradicts(by_text["20.9%"], t.candidate.value, "actual")
    # "同比增长17.3%" / "63%" fit both growth rates equally: not tied
    assert tie(by_text["17.3%"], UNIT_FORM, figs) is None and tie(by_text["63%"], UNIT_FORM, figs) is None
    t = tie(by_text["1426.34亿元"], UNIT_FORM, figs)
    assert t.candidate is UNIT_FORM[0] and not contradicts(by_text["1426.34亿元"], t.candidate.value, "actual")


def test_tie_by_unit_alone_and_exact_unit_first():
    cands = [Candidate("车辆行驶里程数", parse_value("=10000公里", role="actual")),
             Candidate("车辆正常运转率", parse_value("=100%", role="actual"))]
    figs = extract_figures("租赁期间安全行程公里数15000公里，车辆正常运转使用率为100%", 2024)
    t = tie(figs[0], cands, figs)
    assert t.basis == "unit" and t.candidate is cands[0] and t.confidence == "medium"
    assert contradicts(figs[0], cands[0].value, "actual") and not contradicts(figs[1], cands[1].value, "actual")
    # 家 and 个 are near-synonyms: an indicator in 家 is preferred to name words of one in 个
    cands = [Candidate("组织参展企业数", parse_value("=35家", role="actual")),
             Candidate("帮助企业拓展中亚市场，促成贸易签约项目（意向合同）", parse_value("=12个", role="actual"))]
    figs = extract_figures("昌吉州组织35家企业赴哈萨克斯坦、乌兹别克斯坦开展“抢订单、拓市场”经贸合作对接活动", 2024)
    assert tie(figs[0], cands, figs).candidate is cands[0]


@pytest.mark.parametrize("text, table, role, expected", [
    ("超12个", "=12个", "actual", True),
    ("超12个", "=13个", "actual", False),
    ("20家以上", "=20家", "actual", False),
    ("20家以上", "=19家", "actual", True),
    ("20.9%", "20.7%", "actual", True),
    ("20.7%", "20.70%", "actual", False),
    ("3.50万元", "=3.5万元", "actual", False),
    ("至少2套", "=1套", "target", True),
    ("10%以上", ">=10%", "target", False),
])
def test_contradicts(text, table, role, expected):
    assert contradicts(_fig(text), parse_value(table, role=role, year=2024), role) is expected


def test_contradicts_dates():
    assert contradicts(_fig("2024年8月30日"), parse_value("2024年8月15日", role="actual"), "actual")
    assert not contradicts(_fig("2024年8月30日前"), parse_value("2024年8月15日", role="actual"), "actual")
    assert not contradicts(_fig("2024年8月30日前"), parse_value("2024年8月30日前", role="target"), "target")
    assert contradicts(_fig("2023年7月11日-2024年7月10日"), parse_value("2024年12月1日", role="actual"), "actual")


def test_odd_text_never_raises():
    for text in (None, 12, "", "％％", "第1" * 500, "9" * 400 + "个", "2024年13月45日前"):
        extract_figures(text, 2024)


# ============================================================================ the 昌吉 workbook through the CLI

def goal_cell(index, part="实际完成情况"):
    f = _form("original", index)
    return f["sheet"], f"{f['goal_columns'][part]}{f['goal_row']}"


def funds_cell(index, label, column):
    f = _form("original", index)
    return f["sheet"], f"{f['funds_columns'][column]}{f['funds'][label]}"


def _at(doc, where, code):
    sheet, cell = where
    s = next(s for s in doc["files"][0]["sheets"] if s["name"] == sheet)
    found = [f for f in s["findings"] if f["cell"] == cell and f["code"] == code]
    assert found, f"{code} not at {where}: {[(f['cell'], f['code']) for f in s['findings']]}"
    return found[0]


# every K10–K14 / K21 item of disclosure_changji_2024.anomalies.md that the workbook decides
FOUND = {
    "Z2 (K10)": (goal_cell(0), "goal-text-mismatch", "20.9%"),
    "F1-2 (K10)": (goal_cell(1), "goal-text-mismatch", "15000公里"),
    "F5-1 (K10)": (goal_cell(5, "预期目标"), "goal-text-mismatch", "至少完成2套"),
    "F6-1 (K10)": (goal_cell(6), "goal-text-mismatch", "2024年8月30日"),
    "F10-5 (K10)": (goal_cell(10), "goal-text-mismatch", "超12个"),
    "F12-1 (K12)": (funds_cell(12, "年度资金总额", "全年执行数"), "funds-subrows-sum", None),
    "F7-3 (K13)": (funds_cell(7, "年度资金总额", "全年执行数"), "cost-actuals-differ-from-spent", None),
    "F12-2 (K13)": (funds_cell(12, "年度资金总额", "全年执行数"), "cost-actuals-differ-from-spent", None),
    "C1 (K14)": (funds_cell(0, "合计", "年初预算数"), "unit-budget-projects-exceed", None),
    "F12-6 (K21)": (ind_cell(12, "目标完成率", "偏差原因分析及改进措施"), "reason-other-indicator", None),
}
# and why the others are not decidable from the workbook
NOT_DECIDABLE = {
    "F1-4 (K10)": "the text's only date is the lease period (租赁时间…), no word ties it to 完成时限",
    "Z3a Z3b F9-5 C2 (K11)": "the narrative (parts 1–2 of the disclosure) is not in the workbook",
}


@pytest.mark.parametrize("anomaly", sorted(FOUND))
def test_changji_cross_anomalies_found_at_their_cells(original, anomaly):
    where, code, figure = FOUND[anomaly]
    f = _at(original, where, code)
    assert f["severity"] == ("error" if code == "funds-subrows-sum" else "warning")
    if figure:
        assert f["found"] == figure and figure in f["message"]


def test_changji_messages_say_what_matched(original):
    z = _at(original, goal_cell(0), "goal-text-mismatch")
    assert "年内外贸进出口总额同比增长率" in z["message"] and "「外贸进出口总额」" in z["message"]
    assert z["expected"] == "20.7%"
    f1 = _at(original, goal_cell(1), "goal-text-mismatch")
    assert "唯一以「公里」计量" in f1["message"] and f1["expected"] == "10000公里"
    f6 = _at(original, goal_cell(6), "goal-text-mismatch")
    assert "尾款支付完成时间" in f6["message"] and f6["expected"] == "2024年8月15日"
    c1 = _at(original, funds_cell(0, "合计", "年初预算数"), "unit-budget-projects-exceed")
    assert c1["found"] == pytest.approx(6750.55) and c1["expected"] == pytest.approx(604.54)
    assert "昌吉州秋冬季促消费活动（F8）4300" in c1["message"]
    other = _at(original, funds_cell(0, "其他资金", "年初预算数"), "unit-budget-projects-exceed")
    assert other["found"] == pytest.approx(99.53) and other["expected"] == pytest.approx(56)
    f7 = _at(original, funds_cell(7, "年度资金总额", "全年执行数"), "cost-actuals-differ-from-spent")
    assert f7["found"] == pytest.approx(31.5) and "97.58%" in f7["message"]
    f12 = _at(original, funds_cell(12, "年度资金总额", "全年预算数"), "cost-targets-exceed-budget")
    assert f12["found"] == pytest.approx(34.025) and f12["expected"] == pytest.approx(34.02)
    k21 = _at(original, ind_cell(12, "目标完成率", "偏差原因分析及改进措施"), "reason-other-indicator")
    assert "「设备」" in k21["message"]


def test_changji_cross_findings_nowhere_else(original):
    """Each new code fires only where the anomaly list says (no false ties elsewhere in 119 rows, 26 goal texts)."""
    places = {(where, code) for where, code, _ in FOUND.values()}
    places |= {(funds_cell(0, "其他资金", "年初预算数"), "unit-budget-projects-exceed"),
               (funds_cell(12, "年度资金总额", "全年预算数"), "cost-targets-exceed-budget")}
    new = {"goal-text-mismatch", "cost-targets-exceed-budget", "cost-actuals-differ-from-spent",
           "reason-other-indicator", "unit-budget-projects-exceed"}
    seen = {((s["name"], f["cell"]), f["code"]) for s in original["files"][0]["sheets"] for f in s["findings"]
            if f["code"] in new}
    assert seen == {p for p in places if p[1] in new}


def test_changji_corrected_has_no_cross_findings():
    code, doc = run_json("check", str(CORRECTED))
    assert code == 0
    bad = [(s["name"], f["cell"], f["code"]) for s in doc["files"][0]["sheets"] for f in s["findings"]
           if f["severity"] != "info"]
    assert bad == []


def test_changji_english_messages():
    proc = run_cli("check", str(ORIGINAL), "--lang", "en")
    assert proc.returncode == 1
    assert "The goal text (actual achievement) says '" in proc.stdout and "Tied by: name words" in proc.stdout
    assert "the 12 project forms of this workbook add up to 6750.55" in proc.stdout


# ============================================================================ money: totals, not per-unit costs

def _cost_rows(per_unit_name):
    rows = [r for r in sample_rows() if r[0] != "成本指标"]
    return rows[:3] + [("成本指标", "经济成本指标", "活动经费", "≤10万元", "10万元", 10, 10, ""),
                       ("成本指标", "经济成本指标", per_unit_name, "≤2万元", "2万元", 10, 10, "")] + rows[3:]


def test_per_unit_cost_is_not_a_total(tmp_path):
    national_form(tmp_path / "a.xlsx", rows=_cost_rows("单个商户平均补助"), funds=(10.0, 10.0, 10.0))
    code, doc = run_json("check", str(tmp_path / "a.xlsx"))
    codes = {f["code"] for s in doc["files"][0]["sheets"] for f in s["findings"]}
    assert not codes & {"cost-targets-exceed-budget", "cost-actuals-differ-from-spent"}
    national_form(tmp_path / "b.xlsx", rows=_cost_rows("商户补助"), funds=(10.0, 10.0, 10.0))
    code, doc = run_json("check", str(tmp_path / "b.xlsx"))
    f = [f for s in doc["files"][0]["sheets"] for f in s["findings"] if f["code"] == "cost-targets-exceed-budget"]
    assert len(f) == 1 and f[0]["cell"] == "D6" and f[0]["found"] == pytest.approx(12)


# ============================================================================ declared targets vs the self-assessment

TARGET_HEADS = ("一级指标", "二级指标", "三级指标", "符号", "指标值", "度量单位", "指标值设定依据", "分值", "赋分规则")
DECLARED = [
    ("产出指标", "数量指标", "举办促消费活动场次", "≥", 10, "场", "计划标准", 20, "按照完成比例赋分"),
    ("产出指标", "质量指标", "活动验收合格率", "=", 100, "%", "计划标准", 10, "按照完成比例赋分"),
    ("产出指标", "时效指标", "项目完成时间", None, "2024年12月31日前", None, "计划标准", 10, "直接赋分"),
    ("成本指标", "经济成本指标", "活动经费", "≤", 10, "万元", "预算标准", 20, "按照完成比例赋分"),
    ("效益指标", "社会效益指标", "带动消费增长", None, "有效带动", None, "计划标准", 20, "按评判等级赋分"),
    ("满意度指标", "服务对象满意度指标", "参与商户满意度", "≥", 90, "%", "计划标准", 10, "满意度赋分"),
]


def targets_sheet(ws, rows, name="示例项目"):
    """A 项目支出绩效目标表 (split target columns 符号 | 指标值 | 度量单位, as xlscore's templates)."""
    ws.merge_cells("A1:I1")
    put(ws, "A1", "项目支出绩效目标表")
    ws.merge_cells("A2:I2")
    put(ws, "A2", "（2024年度）")
    put(ws, "A3", "项目名称")
    ws.merge_cells("B3:I3")
    put(ws, "B3", name)
    put(ws, "A4", "主管部门")
    ws.merge_cells("B4:I4")
    put(ws, "B4", "某市商务局")
    put(ws, "A5", "年度总体目标")
    ws.merge_cells("B5:I5")
    put(ws, "B5", "举办促消费活动10场以上，参与商户满意度不低于90%。")
    for col, h in zip("ABCDEFGHI", TARGET_HEADS):
        put(ws, f"{col}6", h)
    for i, row in enumerate(rows):
        for col, v in zip("ABCDEFGHI", row):
            if v is not None:
                put(ws, f"{col}{7 + i}", v)


def targets_workbook(path, rows=DECLARED, name="示例项目"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    targets_sheet(ws, rows, name)
    wb.save(path)


def changed_rows():
    rows = list(sample_rows())
    rows[0] = ("产出指标", "数量指标", "举办促消费活动 场次", "≥12场", "12场", 20, 20, "")    # target changed
    rows[1] = ("产出指标", "数量指标", "活动验收合格率", "=100%", "100%", 10, 10, "")         # level 2 changed
    rows[3] = ("成本指标", "经济成本指标", "活动经费（含宣传）", "≤10万元", "9.5万元", 20, 20, "")  # renamed
    rows[4] = ("效益指标", "社会效益指标", "新增商户数", "≥5家", "6家", 15, 15, "")               # added
    rows[5] = ("满意度指标", "服务对象满意度指标", "参与商户满意度", "≥90%", "95%", 15, 15, "")    # weight 10 → 15
    return rows


def _findings(doc, sheet=None):
    return [(f["cell"], f["code"], f) for s in doc["files"][0]["sheets"] if sheet in (None, s["name"])
            for f in s["findings"]]


def test_targets_file_clean_pair_compares_quietly(tmp_path):
    targets_workbook(tmp_path / "目标表.xlsx")
    national_form(tmp_path / "自评表.xlsx", rows=sample_rows())
    code, doc = run_json("check", str(tmp_path / "自评表.xlsx"), "--targets", str(tmp_path / "目标表.xlsx"))
    fs = _findings(doc)
    assert code == 0
    assert not [c for _, c, f in fs if c.startswith("declared-")]
    compared = [f for _, c, f in fs if c == "targets-compared"]
    assert len(compared) == 1 and compared[0]["severity"] == "info"
    assert "目标表.xlsx「绩效目标表」" in compared[0]["message"] and "6 个指标对应" in compared[0]["message"]


def test_targets_file_changes_reported_at_their_cells(tmp_path):
    targets_workbook(tmp_path / "目标表.xlsx")
    national_form(tmp_path / "自评表.xlsx", rows=changed_rows())
    code, doc = run_json("check", str(tmp_path / "自评表.xlsx"), "--targets", str(tmp_path / "目标表.xlsx"))
    assert code == 1
    got = {(cell, c): f for cell, c, f in _findings(doc)}
    # national_form: indicator rows from 14; columns D 三级, E 指标值, G 分值
    t = got[("E14", "declared-target-changed")]
    assert (t["severity"], t["expected"], t["found"]) == ("error", "≥10场", "≥12场")
    assert "名称仅标点或空格不同" in t["message"]
    assert got[("D15", "declared-class-changed")]["expected"] == "产出指标/质量指标"
    r = got[("D17", "declared-indicator-renamed")]
    assert r["expected"] == "活动经费" and r["severity"] == "info"
    assert got[("D18", "declared-indicator-added")]["severity"] == "warning"
    dropped = got[("D12", "declared-indicator-dropped")]
    assert "带动消费增长" in dropped["message"] and dropped["expected"] == "有效带动"
    w = got[("G19", "declared-weight-changed")]
    assert (w["expected"], w["found"]) == (10, 15)
    assert "1 个未申报，1 个未出现" in got[("B12", "targets-compared")]["message"]


def test_targets_sheet_in_the_same_workbook(tmp_path):
    path = tmp_path / "项目.xlsx"
    national_form(path, rows=changed_rows())
    wb = openpyxl.load_workbook(path)
    targets_sheet(wb.create_sheet("目标表", 0), DECLARED)
    wb.save(path)
    code, doc = run_json("check", str(path))
    assert code == 1
    kinds = {s["name"]: s["kind"] for s in doc["files"][0]["sheets"]}
    assert kinds == {"目标表": "targets", "自评表": "self_assessment"}
    self_codes = {(cell, c) for cell, c, _ in _findings(doc, "自评表")}
    assert {("E14", "declared-target-changed"), ("G19", "declared-weight-changed"),
            ("D18", "declared-indicator-added")} <= self_codes
    assert "工作表「目标表」" in next(f["message"] for _, c, f in _findings(doc) if c == "targets-compared")
    assert not [c for _, c, _ in _findings(doc, "目标表") if c.startswith("declared-")]


def test_targets_rule_change_and_english(tmp_path):
    declared = [r for r in DECLARED]
    declared[5] = declared[5][:8] + ("按照完成比例赋分",)
    targets_workbook(tmp_path / "t.xlsx", declared)
    # a self-assessment with a 赋分规则 column: the 昌吉 layout, F9's satisfaction row says 满意度赋分
    national_form(tmp_path / "s.xlsx", rows=sample_rows())
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    ws = wb.active
    ws.insert_cols(11)
    put(ws, "K12", "赋分规则")
    for r in range(14, 20):
        put(ws, f"K{r}", "满意度赋分" if r == 19 else "按照完成比例赋分")
    put(ws, "K16", "直接赋分")
    put(ws, "K18", "按评判等级赋分")
    wb.save(tmp_path / "s.xlsx")
    proc = run_cli("check", str(tmp_path / "s.xlsx"), "--targets", str(tmp_path / "t.xlsx"), "--lang", "en",
                   "--format", "json")
    doc = json.loads(proc.stdout)
    got = {(cell, c): f for cell, c, f in _findings(doc)}
    f = got[("K19", "declared-rule-changed")]
    assert (f["expected"], f["found"]) == ("按照完成比例赋分", "满意度赋分")
    assert f["message"].startswith("Indicator '参与商户满意度': the scoring rule is '满意度赋分'")


def test_recalc_with_targets_writes_comments(tmp_path):
    targets_workbook(tmp_path / "目标表.xlsx")
    national_form(tmp_path / "自评表.xlsx", rows=changed_rows())
    out = tmp_path / "结果.xlsx"
    proc = run_cli("recalc", str(tmp_path / "自评表.xlsx"), "--targets", str(tmp_path / "目标表.xlsx"), "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    ws = openpyxl.load_workbook(out)["自评表"]
    assert ws["E14"].value == "≥12场"                       # the typed target is kept, only annotated
    assert "绩效目标表" in ws["E14"].comment.text and "≥10场" in ws["E14"].comment.text
    assert ws["E14"].fill.fgColor.rgb.endswith("FFC7CE")   # an error: red


def test_targets_file_without_targets_sheet_is_a_clear_error(tmp_path):
    national_form(tmp_path / "自评表.xlsx", rows=sample_rows())
    proc = run_cli("check", str(tmp_path / "自评表.xlsx"), "--targets", str(tmp_path / "自评表.xlsx"))
    assert proc.returncode == 2 and "没有找到绩效目标表" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("check", str(tmp_path / "自评表.xlsx"), "--targets", str(tmp_path / "没有.xlsx"))
    assert proc.returncode == 2 and "文件不存在" in proc.stderr and "Traceback" not in proc.stderr


def test_projects_paired_by_name_not_by_order(tmp_path):
    path = tmp_path / "两个项目.xlsx"
    national_form(path, rows=sample_rows(), name="乙项目")
    wb = openpyxl.load_workbook(path)
    targets_sheet(wb.create_sheet("甲目标"), [r[:7] + (99,) + r[8:] for r in DECLARED], name="甲项目")
    targets_sheet(wb.create_sheet("乙目标"), DECLARED, name="乙项目")
    wb.save(path)
    code, doc = run_json("check", str(path))
    fs = _findings(doc, "自评表")
    assert not [c for _, c, _ in fs if c.startswith("declared-")]
    assert "工作表「乙目标」" in next(f["message"] for _, c, f in fs if c == "targets-compared")


def test_goal_text_against_funds_and_indicators_in_a_national_form(tmp_path):
    path = tmp_path / "f.xlsx"
    national_form(path, rows=sample_rows(), funds=(10.0, 10.0, 9.5))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    put(ws, "B11", "计划举办促消费活动10场以上，参与商户满意度不低于95%。")     # the table says ≥90%
    put(ws, "F11", "截至2024年12月31日，全年预算数为10万元，全年执行数为9.8万元，举办促消费活动12场。")
    wb.save(path)
    code, doc = run_json("check", str(path))
    got = {(f["cell"], f["found"]): f for _, c, f in _findings(doc) if c == "goal-text-mismatch"}
    assert set(got) == {("B11", "不低于95%"), ("F11", "9.8万元")}
    assert got[("B11", "不低于95%")]["expected"] == "≥ 90%" and "参与商户满意度" in got[("B11", "不低于95%")]["message"]
    assert "资金表·全年执行数" in got[("F11", "9.8万元")]["message"] and "E6" in got[("F11", "9.8万元")]["message"]


def test_reason_about_another_row(tmp_path):
    rows = list(sample_rows())
    rows[4] = rows[4][:7] + ("活动验收合格率未达预期，部分场地整改",)          # names another indicator
    rows[5] = ("满意度指标", "服务对象满意度指标", "参与商户满意度", "≥90%", "85%", 10, 9.44, "经费0.5万元未及时支付")
    rows[0] = rows[0][:7] + ("实际举办12场，超出计划2场",)                       # about its own row: fine
    national_form(tmp_path / "r.xlsx", rows=rows)
    code, doc = run_json("check", str(tmp_path / "r.xlsx"))
    got = {f["cell"]: f for _, c, f in _findings(doc) if c == "reason-other-indicator"}
    assert set(got) == {"I18", "I19"}
    assert "「活动验收合格率」（D15）" in got["I18"]["message"]
    assert "「0.5万元」" in got["I19"]["message"] and got["I19"]["severity"] == "warning"


def test_targets_sheet_cost_targets_against_its_budget(tmp_path):
    """A 绩效目标表 is not scored, but its declared cost targets must fit in its own budget."""
    def build(path, cost):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "绩效目标表"
        put(ws, "A1", "项目支出绩效目标表")
        put(ws, "A2", "项目名称")
        put(ws, "B2", "示例项目")
        put(ws, "A3", "项目资金（万元）")
        put(ws, "B3", "资金来源")
        put(ws, "C3", "年初预算数")
        put(ws, "D3", "全年预算数")
        put(ws, "B4", "年度资金总额")
        put(ws, "C4", 12)
        put(ws, "D4", 10)
        put(ws, "A5", "年度总体目标")
        put(ws, "B5", "举办促消费活动10场以上。")
        for col, h in zip("ABCDEFGHI", TARGET_HEADS):
            put(ws, f"{col}6", h)
        rows = [r for r in DECLARED]
        rows[3] = rows[3][:4] + (cost,) + rows[3][5:]
        rows.insert(4, ("成本指标", "经济成本指标", "单个商户平均补助", "≤", 2, "万元", "预算标准", 0, "按照完成比例赋分"))
        for i, row in enumerate(rows):
            for col, v in zip("ABCDEFGHI", row):
                if v is not None:
                    put(ws, f"{col}{7 + i}", v)
        wb.save(path)

    build(tmp_path / "ok.xlsx", 10)
    code, doc = run_json("check", str(tmp_path / "ok.xlsx"))
    assert code == 0 and not [c for _, c, _ in _findings(doc) if c == "cost-targets-exceed-budget"]
    build(tmp_path / "over.xlsx", 11)
    code, doc = run_json("check", str(tmp_path / "over.xlsx"))
    f = [f for cell, c, f in _findings(doc) if c == "cost-targets-exceed-budget"]
    assert len(f) == 1 and f[0]["cell"] == "D4" and f[0]["found"] == pytest.approx(11)
    assert "超过全年预算数 10 万元" in f[0]["message"] and "单个商户平均补助" not in f[0]["message"]


def test_unit_alone_needs_some_shared_words():
    cands = [Candidate("培训人数", parse_value("=100人", role="actual"))]
    figs = extract_figures("通过该项目的实施，服务企业职工3000人。", 2024)
    assert tie(figs[0], cands, figs) is None
    figs = extract_figures("组织参加培训的人数共计120人。", 2024)
    assert tie(figs[0], cands, figs).candidate is cands[0]


def test_targets_sheet_goal_text_against_its_declared_targets(tmp_path):
    wb = openpyxl.Workbook()
    targets_sheet(wb.active, DECLARED)
    put(wb.active, "B5", "举办促消费活动12场以上，参与商户满意度不低于90%。")    # declared: ≥10场
    wb.save(tmp_path / "t.xlsx")
    code, doc = run_json("check", str(tmp_path / "t.xlsx"))
    f = [f for cell, c, f in _findings(doc) if c == "goal-text-mismatch"]
    assert len(f) == 1 and f[0]["cell"] == "B5" and f[0]["found"] == "12场以上" and f[0]["expected"] == "≥ 10场"
    assert "「预期目标」" in f[0]["message"] and "举办促消费活动场次" in f[0]["message"]


def test_targets_of_another_project_are_not_compared(tmp_path):
    targets_workbook(tmp_path / "目标表.xlsx", name="昌吉州秋冬季促消费活动")
    national_form(tmp_path / "自评表.xlsx", rows=changed_rows(), name="机关运行保障经费")
    code, doc = run_json("check", str(tmp_path / "自评表.xlsx"), "--targets", str(tmp_path / "目标表.xlsx"))
    codes = [c for _, c, _ in _findings(doc)]
    assert "targets-unpaired" in codes and not [c for c in codes if c.startswith("declared-")]
    f = next(f for _, c, f in _findings(doc) if c == "targets-unpaired")
    assert "机关运行保障经费" in f["message"] and "昌吉州秋冬季促消费活动" in f["message"] and f["severity"] == "info"
