"""Scoring tables (评价评分表) end to end: the real CLI on the 东湖 and 梅州 samples, on copies with one thing broken,
and a recalc round trip read back with openpyxl."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLES, run_cli, run_json
from xlscore.read.tree import read_trees, split_label
from xlscore.write import xlsx

LAYOUT = json.loads((SAMPLES / "scoring.layout.json").read_text(encoding="utf-8"))
DONGHU, MEIZHOU = SAMPLES / "donghu_2022.xlsx", SAMPLES / "meizhou_2021.xlsx"
DONGHU_OK, MEIZHOU_OK = SAMPLES / "donghu_2022_corrected.xlsx", SAMPLES / "meizhou_2021_corrected.xlsx"


def _sheet(path, *extra, name="评分表"):
    code, out = run_json("check", str(path), *extra)
    (f,) = out["files"]
    assert f["error"] is None
    sheets = f["sheets"]
    s = next(x for x in sheets if x["name"] == name) if len(sheets) > 1 else sheets[0]
    return code, s


def _all_serious(path):
    code, out = run_json("check", str(path))
    return code, {(s["name"], x["cell"], x["code"]) for s in out["files"][0]["sheets"] for x in s["findings"]
                  if x["severity"] in ("error", "warning")}


def _serious(sheet):
    return [(x["cell"], x["code"]) for x in sheet["findings"] if x["severity"] in ("error", "warning")]


# ---------------------------------------------------------------------------------------------- reading

def _tree(path, sheet=None):
    wb, cached = xlsx.load(path)
    grids = xlsx.grids(wb, cached)
    grid = next(g for g in grids if g.name == (sheet or "评分表")) if len(grids) > 1 else grids[0]
    (tree,) = read_trees(grid)
    return tree


def test_donghu_tree_weights_inside_labels():
    t = _tree(DONGHU)
    assert t.levels == 3 and len(t.leaves) == 37
    assert [(r.name, r.weight) for r in t.roots] == [("决策指标", 20), ("过程指标", 20), ("产出指标", 30), ("效益指标", 30)]
    assert [c.name for c in t.roots[1].children] == ["资金管理", "组织实施"]
    org = t.roots[1].children[1]
    assert org.score.cell == "H19" and org.score.raw == 10 and org.subtotal_row == 19
    assert t.total_score.cell == "H57" and t.grade.cell == "D58"
    # 经济效益 prints no weight in its label: the 小计 row's 分值 gives it
    econ = t.roots[3].children[0]
    assert econ.label_weight is None and econ.weight == 8


def test_meizhou_tree_name_weight_pairs():
    t = _tree(MEIZHOU)
    assert t.levels == 4
    counts = [sum(1 for n in t.nodes() if n.level == lv) for lv in (1, 2, 3, 4)]
    assert counts == [4, 8, 17, 20]          # "四个一级指标、八个二级指标、十七个三级指标以及二十个四级指标" (L161)
    assert t.level_weight_columns == {1: 2, 2: 4, 3: 6, 4: 8}
    assert [r.weight for r in t.roots] == [15, 25, 30, 30]
    assert t.total_score.cell == "K25" and t.grade.cell == "K26"


@pytest.mark.parametrize("text,name,weight", [
    ("决策指标 (20 分)", "决策指标", 20), ("产出质量（10分）", "产出质量", 10), ("项目立项(9)", "项目立项", 9),
    ("一、决策", "决策", None), ("管理制度 健全性 (4 分)", "管理制度健全性", 4),
])
def test_split_label(text, name, weight):
    assert split_label(text) == (name, weight)


# ---------------------------------------------------------------------------------------------- the samples

def test_donghu_reproduces_total_and_flags_the_subtotal():
    code, s = _sheet(DONGHU)
    assert code == 1
    assert s["kind"] == "scoring" and s["total"] == pytest.approx(86.25) and s["grade"] == "良"
    cell = f"H{LAYOUT['donghu_2022']['subtotals']['组织实施']}"
    assert _serious(s) == [(cell, "scoring-subtotal-mismatch")]
    f = next(x for x in s["findings"] if x["cell"] == cell)
    assert f["expected"] == pytest.approx(8.8) and f["found"] == 10 and f["severity"] == "error"
    # every leaf's rule is shown as read; 4 judgement leaves are said to be judgement
    infos = [x["code"] for x in s["findings"] if x["severity"] == "info"]
    assert infos.count("scoring-rule-read") == 33 and infos.count("scoring-rule-judgement") == 4


def test_meizhou_reproduces_total_and_flags_the_missing_leaf():
    code, s = _sheet(MEIZHOU)
    assert code == 1
    assert s["total"] == pytest.approx(81.2) and s["grade"] == "良"
    lay = LAYOUT["meizhou_2021"]
    cell = f"{lay['columns']['指标得分']}{lay['leaves']['增加社会消费零售额']}"
    assert _serious(s) == [(cell, "scoring-score-missing")]
    f = next(x for x in s["findings"] if x["cell"] == cell)
    assert f["expected"] == pytest.approx(8)
    rule_cell = f"{lay['columns']['评分标准']}{lay['leaves']['增加社会消费零售额']}"
    assert any(x["cell"] == rule_cell and x["code"] == "scoring-rule-judgement" for x in s["findings"])


@pytest.mark.parametrize("path,total", [(DONGHU_OK, 86.25), (MEIZHOU_OK, 81.2)])
def test_corrected_copies_are_clean(path, total):
    code, found = _all_serious(path)          # the detail and its summary sheet
    assert found == set() and code == 0
    code, s = _sheet(path)
    assert _serious(s) == []
    assert code == 0
    assert s["total"] == pytest.approx(total) and s["grade"] == "良"


def test_english_messages():
    _, s = _sheet(DONGHU, "--lang", "en")
    f = next(x for x in s["findings"] if x["code"] == "scoring-subtotal-mismatch")
    assert "should be the sum of its children" in f["message"]


# ---------------------------------------------------------------------------------------------- recalc

def test_recalc_writes_the_subtotal_and_keeps_the_printed_value(tmp_path):
    out = tmp_path / "out.xlsx"
    proc = run_cli("recalc", str(DONGHU), "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["评分表"]
    cell = ws[f"H{LAYOUT['donghu_2022']['subtotals']['组织实施']}"]
    assert cell.value == pytest.approx(8.8)
    assert cell.comment is not None and "原值：10" in cell.comment.text and "scoring-subtotal-mismatch" in cell.comment.text
    assert cell.fill.fgColor.rgb == "FFFFC7CE"
    # judgement leaves and every other printed figure untouched
    before = openpyxl.load_workbook(DONGHU)["评分表"]
    changed = [c.coordinate for row in ws.iter_rows() for c in row if c.value != before[c.coordinate].value]
    assert changed == [cell.coordinate]
    report = [r for r in wb["xlscore"].iter_rows(values_only=True)]
    assert any(r[:5] == ("评分表", cell.coordinate, "小计得分", "10", "8.8") for r in report)
    assert any(r and "scoring-rule-read" in r for r in report)      # the rules as read are in the report sheet
    # checking the result again reports the typed value while the tool's comment is there (the clerk decides);
    # deleting the comment accepts the tool's value, and the table is then consistent
    _, s = _sheet(out)
    assert _serious(s) == [(cell.coordinate, "scoring-subtotal-mismatch")]
    cell.comment = None
    wb.save(out)
    code, s = _sheet(out)
    assert _serious(s) == [] and code == 0
    assert s["total"] == pytest.approx(86.25)


def test_recalc_corrected_copy_changes_nothing(tmp_path):
    out = tmp_path / "ok.xlsx"
    assert run_cli("recalc", str(MEIZHOU_OK), "-o", str(out)).returncode == 0
    ws, before = openpyxl.load_workbook(out)["评分表"], openpyxl.load_workbook(MEIZHOU_OK)["评分表"]
    assert all(c.value == before[c.coordinate].value for row in ws.iter_rows() for c in row)


# ---------------------------------------------------------------------------------------------- one thing broken

def _broken(tmp_path, src, edits: dict, name="broken.xlsx"):
    path = tmp_path / name
    shutil.copy(src, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["评分表"]
    for ref, v in edits.items():
        ws[ref] = v
    wb.save(path)
    return path


def _codes(sheet):
    return {(x["cell"], x["code"]) for x in sheet["findings"] if x["severity"] != "info"}


def test_score_against_its_rule(tmp_path):
    row = LAYOUT["donghu_2022_corrected"]["leaves"]["商超补助企业数量"]
    _, s = _sheet(_broken(tmp_path, DONGHU_OK, {f"H{row}": 1.2}))
    assert (f"H{row}", "scoring-rule-mismatch") in _codes(s)
    f = next(x for x in s["findings"] if x["code"] == "scoring-rule-mismatch")
    assert f["expected"] == pytest.approx(1.6) and "85.71%" in f["message"]
    # the reason text (该项指标得 80%权重分 1.6 分) disagrees as well
    assert (f"H{row}", "scoring-reason-mismatch") in _codes(s)
    # the recomputed leaf is carried up: subtotals and total still add up with the rule's score
    assert s["total"] == pytest.approx(86.25)


def test_checklist_score_no_subset_of_items_gives(tmp_path):
    lay = LAYOUT["donghu_2022_corrected"]
    row, sub = lay["leaves"]["绩效目标合理性"], lay["subtotals"]["绩效目标"]
    _, s = _sheet(_broken(tmp_path, DONGHU_OK, {f"H{row}": 3.3, f"I{row}": "82.5%", f"H{sub}": 4.5, f"I{sub}": "56.25%"}))
    codes = _codes(s)
    assert (f"H{row}", "scoring-step-multiple") in codes
    assert (f"H{row}", "scoring-reason-mismatch") in codes                 # 该指标得 80%权重分 3.2 分
    assert (f"H{lay['subtotals']['决策指标']}", "scoring-subtotal-mismatch") in codes


def test_partial_credit_under_all_or_nothing(tmp_path):
    lay = LAYOUT["meizhou_2021_corrected"]
    cell = f"K{lay['leaves']['可持续发展']}"
    _, s = _sheet(_broken(tmp_path, MEIZHOU_OK, {cell: 2.5}))
    assert (cell, "scoring-all-or-nothing") in _codes(s)
    assert (f"K{lay['total_row']}", "scoring-total-mismatch") in _codes(s)


def test_stated_deduction_in_a_merged_reason(tmp_path):
    lay = LAYOUT["meizhou_2021_corrected"]
    # 保障措施: one reason "此处扣 1 分" merged over 制度合理性 (0.5) and 计划安排合理性 (0.5)
    cell = f"K{lay['leaves']['计划安排合理性']}"
    _, s = _sheet(_broken(tmp_path, MEIZHOU_OK, {cell: 1}))
    reason_cell = f"L{lay['leaves']['制度合理性']}"
    assert (reason_cell, "scoring-reason-mismatch") in _codes(s)


def test_weights_must_add_up(tmp_path):
    lay = LAYOUT["meizhou_2021_corrected"]
    first = lay["leaves"]["论证充分性"]
    _, s = _sheet(_broken(tmp_path, MEIZHOU_OK, {f"D{first}": 13}))     # 项目立项 12 → 13
    codes = _codes(s)
    assert (f"D{first}", "scoring-weights-children") in codes            # 13 ≠ 4 + 6 + 2
    assert (f"B{first}", "scoring-weights-children") in codes            # 决策 15 ≠ 13 + 3


def test_label_weight_against_the_column(tmp_path):
    _, s = _sheet(_broken(tmp_path, DONGHU_OK, {"C3": "立项依据充分性 (4分)"}))
    assert ("C3", "scoring-weight-label") in _codes(s)
    assert all(x["severity"] != "error" for x in s["findings"])


def test_grade_against_the_total(tmp_path):
    lay = LAYOUT["donghu_2022_corrected"]
    _, s = _sheet(_broken(tmp_path, DONGHU_OK, {lay["grade_cell"]: "☑优 ☐良 ☐中 ☐差"}))
    f = next(x for x in s["findings"] if x["code"] == "grade-mismatch")
    assert f["cell"] == lay["grade_cell"] and f["expected"] == "良" and f["found"] == "优"


def test_score_rate_and_deduction_columns(tmp_path):
    """A 扣分 column added at the far right (any column order): 扣分 = 权重 − 得分, 得分率 = 得分 / 权重."""
    lay = LAYOUT["donghu_2022_corrected"]
    path = tmp_path / "ded.xlsx"
    shutil.copy(DONGHU_OK, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["评分表"]
    ws["K2"] = "扣分"
    for name, r in lay["leaves"].items():
        ws[f"K{r}"] = round(ws[f"D{r}"].value - ws[f"H{r}"].value, 2)
    bad = lay["leaves"]["资金使用合规性"]
    ws[f"K{bad}"] = 1.5                                   # 5 − 3.75 = 1.25
    rate_row = lay["leaves"]["制度执行有效性"]
    ws[f"I{rate_row}"] = "85%"                           # 4.8 / 6 = 80%
    wb.save(path)
    _, s = _sheet(path)
    assert _codes(s) == {(f"K{bad}", "scoring-deduction-mismatch"), (f"I{rate_row}", "scoring-rate-mismatch")}


def test_score_above_weight(tmp_path):
    row = LAYOUT["donghu_2022_corrected"]["leaves"]["有效保障和改善民生"]
    _, s = _sheet(_broken(tmp_path, DONGHU_OK, {f"H{row}": 2.5}))
    assert (f"H{row}", "scoring-score-range") in _codes(s)


def test_garbage_in_score_cells_gives_findings_not_a_traceback(tmp_path):
    lay = LAYOUT["donghu_2022_corrected"]
    row = lay["leaves"]["发券活动场次"]
    path = _broken(tmp_path, DONGHU_OK, {f"H{row}": "见附件", f"D{row}": "一分", "A3": None})
    proc = run_cli("check", str(path))
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    _, s = _sheet(path)
    assert (f"H{row}", "scoring-score-missing") in _codes(s)


def test_sub_item_rows_under_a_leaf(tmp_path):
    """A leaf whose ①② sub-items have rows (and points) of their own, the leaf name merged over them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"])
    ws.append(["决策 (40分)", "项目立项 (40分)", "立项规范性 (10分)", 10, "①程序规范（6分）；②材料齐全（4分）", None])
    ws.append([None, None, None, 6, "①程序规范", 6])
    ws.append([None, None, None, 4, "②材料齐全", 3])
    ws.append([None, None, "绩效目标 (30分)", 30, "有效得满分，否则酌情扣分。", 30])
    ws.append(["效益 (60分)", "效果 (60分)", "满意度 (60分)", 60, "满意度≥90%得满分，否则按实际满意度*权重计分", 54])
    ws.append(["合计", None, None, 100, None, 93])
    for rng in ("A2:A5", "B2:B5", "C2:C4"):
        ws.merge_cells(rng)
    path = tmp_path / "items.xlsx"
    wb.save(path)
    t = _tree(path)
    leaf = t.roots[0].children[0].children[0]
    assert [c.weight for c in leaf.children] == [6, 4] and all(c.is_item for c in leaf.children)
    code, s = _sheet(path)
    assert s["total"] == pytest.approx(93) and _serious(s) == []
    assert code == 0


# ---------------------------------------------------------------------------------------------- other layouts

def _pairs_table(path, *, total=87.5, total_ded=12.5, grade="较好", note=True):
    """一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 评分标准 | 扣分 | 得分 | 得分率 — each level's weight in the
    column after it (the same header 分值 three times), the rule columns in another order, bands printed below."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "综合评分表"
    ws.append(["某项目绩效评价综合评分表"])
    ws.append(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "评分标准", "扣分", "得分", "得分率"])
    rows = [
        ("决策", 30, "项目立项", 30, "立项依据充分性", 10, "以上均符合得100%权重分，否则每一项不符合扣除25%权重分，扣完为止。", 2.5, 7.5, "75%"),
        (None, None, None, None, "绩效目标合理性", 20, "有效得满分，否则酌情扣分。", 0, 20, "100%"),
        ("效益", 70, "满意度", 70, "群众满意度", 70, "满意度大于等于90%的，得70分；每减少10%，扣10分，直至扣完为止。", 10, 60, "85.71%"),
    ]
    for r in rows:
        ws.append(list(r))
    ws.merge_cells("A3:A4"), ws.merge_cells("B3:B4"), ws.merge_cells("C3:C4"), ws.merge_cells("D3:D4")
    ws.append(["合计", 100, None, None, None, None, None, total_ded, total, None])
    ws.append(["评价等级", None, None, None, None, None, None, None, grade])
    if note:
        ws.append(["95（含）-100分为好、85（含）-95分为较好、60（含）-85分为一般、60分以下为差"])
    wb.save(path)
    return path


def test_level_weight_after_each_level_label(tmp_path):
    path = _pairs_table(tmp_path / "pairs.xlsx")
    t = _tree(path)
    assert t.level_weight_columns == {1: 2, 2: 4, 3: 6}
    assert [(n.name, n.weight) for n in t.nodes()][:3] == [("决策", 30), ("项目立项", 30), ("立项依据充分性", 10)]
    code, s = _sheet(path)
    assert _serious(s) == [] and code == 0
    assert s["total"] == pytest.approx(87.5) and s["grade"] == "较好"      # the bands printed under the table


def test_pairs_table_total_deduction_and_grade_bands(tmp_path):
    _, s = _sheet(_pairs_table(tmp_path / "bad.xlsx", total_ded=10, grade="好"))
    assert _codes(s) == {("H6", "scoring-deduction-mismatch"), ("I7", "grade-mismatch")}
    g = next(x for x in s["findings"] if x["code"] == "grade-mismatch")
    assert g["expected"] == "较好" and "表中备注" in g["message"]


def test_score_column_named_fenzhi(tmp_path):
    """权重 and 分值 both present, no 得分: 分值 holds the scores."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一级指标", "二级指标", "三级指标", "评分标准", "权重", "分值"])
    ws.append(["决策 (20分)", "立项 (20分)", "依据充分", "有效得满分，否则酌情扣分。", 20, 18])
    ws.append(["产出 (80分)", "数量 (80分)", "完成数量", "完成对8家企业的补助得满分，否则每少一家扣除10分，扣完为止。", 80, 75])
    ws.append(["合计", None, None, None, 100, 93])
    path = tmp_path / "fz.xlsx"
    wb.save(path)
    t = _tree(path)
    assert t.columns["score"] == 6 and t.columns["weight"] == 5
    _, s = _sheet(path)
    f = next(x for x in s["findings"] if x["code"] == "scoring-step-multiple")       # 80 − 5 is not a multiple of 10
    assert f["cell"] == "F3"


def test_blank_table_is_one_info_not_an_error_per_leaf(tmp_path):
    lay = LAYOUT["meizhou_2021_corrected"]
    edits = {f"K{r}": None for r in lay["leaves"].values()}
    edits[f"K{lay['total_row']}"] = None
    edits[lay["grade_cell"]] = None
    code, s = _sheet(_broken(tmp_path, MEIZHOU_OK, edits))
    assert code == 0 and _serious(s) == []
    blank = [x for x in s["findings"] if x["code"] == "scoring-blank"]
    assert len(blank) == 1 and "20" in blank[0]["message"]


def test_headers_with_suffixes_percent_weights_and_a_one_cell_grade(tmp_path):
    """一级指标（分值）-style headers, weights typed as 20%, 评价等级：良 in one cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["一级指标(分值)", "二级指标名称", "三级", "权重(%)", "评分标准", "得分(分)"])
    ws.append(["决策", "立项", "依据充分", "20%", "有效得满分，否则酌情扣分。", "18分"])
    ws.append(["产出", "数量", "完成数量", "80%", "完成对8家企业的补助得满分，否则每少一家扣除10分，扣完为止。", "70分"])
    ws.append(["合计", None, None, "100%", None, "88分"])
    ws.append(["评价等级：优"])
    path = tmp_path / "suffix.xlsx"
    wb.save(path)
    t = _tree(path)
    assert t.levels == 3 and [n.weight for n in t.leaves] == [20, 80] and t.grade.cell == "A5"
    _, s = _sheet(path)
    assert _codes(s) == {("A5", "grade-mismatch")}
    out = tmp_path / "out.xlsx"
    run_cli("recalc", str(path), "-o", str(out))
    assert openpyxl.load_workbook(out).active["A5"].value == "评价等级：良"


def test_rule_target_against_the_target_column(tmp_path):
    """The 表2 criterion of 活动覆盖人次 (≥70000) beside the 表7 target ≥20万 (anomaly 东湖 3)."""
    lay = LAYOUT["donghu_2022_corrected"]
    row = lay["leaves"]["活动覆盖人次"]
    table2 = "活动覆盖人次 ≥ 70000 (人次) 得满分, 否则每低于目标值 1% 扣 10% 权重分, 扣完为止。"
    _, s = _sheet(_broken(tmp_path, DONGHU_OK, {f"E{row}": table2}))
    assert _codes(s) == {(f"F{row}", "scoring-rule-target")}
    f = next(x for x in s["findings"] if x["code"] == "scoring-rule-target")
    assert f["expected"] == "70000" and f["found"] == "≥20万" and f["severity"] == "warning"


def test_finding_count_in_the_reason(tmp_path):
    row = LAYOUT["donghu_2022_corrected"]["leaves"]["制度执行有效性"]
    reason = "经现场核查，发现2处不符合规定：审计业务约定书签约主体不当，审计费用支付方式不当。"
    _, s = _sheet(_broken(tmp_path, DONGHU_OK, {f"J{row}": reason}))
    f = next(x for x in s["findings"] if x["code"] == "scoring-rule-mismatch")
    assert f["cell"] == f"H{row}" and f["expected"] == pytest.approx(3.6) and f["found"] == pytest.approx(4.8)



# ---------------------------------------------------------------------------------------------- summary tables

def test_summary_sheets_read_and_agree():
    t = _tree(DONGHU, "得分一览表")
    assert [(n.name, n.weight) for n in t.roots] == [("决策指标", None), ("过程指标", None), ("产出指标", None),
                                                     ("效益指标", None)]
    assert len(t.leaves) == 13 and t.total_score.raw == 86.25
    m = _tree(MEIZHOU, "评价总体得分情况表")                  # 评价总得分 first, then 一、决策 …
    assert [(n.name, n.weight, n.score.raw) for n in m.roots] == [("决策", 15, 13), ("管理", 25, 16.98),
                                                                  ("产出", 30, 24.22), ("效益", 30, 27)]
    assert m.total_score.row == 3
    for path in (DONGHU, MEIZHOU):
        code, found = _all_serious(path)
        assert {x for x in found if x[0] != "评分表"} == set()      # the summaries agree with the details


def test_summary_against_the_detail(tmp_path):
    lay = LAYOUT["donghu_2022_corrected"]["summary"]
    path = tmp_path / "sum.xlsx"
    shutil.copy(DONGHU_OK, path)
    wb = openpyxl.load_workbook(path)
    wb[lay["sheet"]][f"D{lay['rows']['组织实施']}"] = 10       # as 表5 printed it
    wb[lay["sheet"]][f"C{lay['rows']['资金投入']}"] = 7        # a weight off as well
    wb.save(path)
    _, found = _all_serious(path)
    sheet = lay["sheet"]
    assert (sheet, f"D{lay['rows']['组织实施']}", "scoring-summary-mismatch") in found
    assert (sheet, f"C{lay['rows']['资金投入']}", "scoring-summary-mismatch") in found
    assert (sheet, f"D{lay['total_row']}", "scoring-total-mismatch") in found
    assert not [x for x in found if x[0] == "评分表"]


CORPUS_DONGHU = Path(__file__).resolve().parents[1] / "samples" / "source" / "report_nanchang_donghu_2022.tables.json"


@pytest.mark.skipif(not CORPUS_DONGHU.is_file(), reason="the shared corpus folder is not beside the checkout")
def test_one_name_column_nested_by_weights(tmp_path):
    """表4–表7 of the 东湖 report as one sheet (指标 | 权重（分） | 目标值 | 完成值 | 得分 | 得分率): levels come from the
    weights; the 组织实施 row printed 10 (anomaly 东湖 1) is flagged where 表5 prints it."""
    import re
    d = json.loads(CORPUS_DONGHU.read_text(encoding="utf-8"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "得分表"
    ws.append(["指标", "权重（分）", "目标值", "完成值", "得分", "得分率"])
    targets = {t["三级"]: t for t in d["targets"] if "三级" in t}
    rows_of = {}
    for table in [s for s in d["level_summaries"] if re.match(r"表[4-7]", s["source"])]:
        head, *subs = table["rows"]
        ws.append([head["指标"], head["权重"], "-", "-", head["得分"], head["得分率"]])
        for r in subs:
            ws.append([r["指标"], r["权重"], "-", "-", r["得分"], r["得分率"]])
            rows_of[r["指标"]] = ws.max_row
            for leaf in d["scoring_table"]:
                if leaf["path"][1] in (r["指标"], "服务对象" + r["指标"]):
                    t = targets[leaf["path"][2]]
                    ws.append([leaf["path"][2], leaf["weights"][2], t["指标值"] or None, t["实际值"] or None,
                               leaf["得分"], t["得分率"]])
    path = tmp_path / "t4-7.xlsx"
    wb.save(path)
    t = _tree(path)
    assert [n.name for n in t.roots] == ["项目决策", "项目过程", "项目产出", "项目效益"]
    assert len(t.leaves) == 37 and t.levels == 3
    code, s = _sheet(path)
    assert s["total"] == pytest.approx(86.25) and s["grade"] == "良"
    assert _serious(s) == [(f"E{rows_of['组织实施']}", "scoring-subtotal-mismatch")]


def test_recalc_rewrites_a_computable_leaf_but_never_a_judgement_leaf(tmp_path):
    lay = LAYOUT["donghu_2022_corrected"]
    rule_row = lay["leaves"]["商超补助企业数量"]           # per missing firm, 完成值 85.71% of 7: 1.6
    judge_row = lay["leaves"]["有效保障和改善民生"]          # 酌情扣分: the evaluator's call
    path = _broken(tmp_path, DONGHU_OK, {f"H{rule_row}": 1.2, f"H{judge_row}": 2.5})
    out = tmp_path / "out.xlsx"
    assert run_cli("recalc", str(path), "-o", str(out)).returncode == 1
    ws = openpyxl.load_workbook(out)["评分表"]
    assert ws[f"H{rule_row}"].value == pytest.approx(1.6)
    assert "原值：1.2" in ws[f"H{rule_row}"].comment.text
    assert ws[f"H{judge_row}"].value == 2.5                 # flagged (above its weight 2), not overwritten
    assert "scoring-score-range" in ws[f"H{judge_row}"].comment.text
    assert "原值" not in ws[f"H{judge_row}"].comment.text


def test_two_row_header_with_a_sequence_column(tmp_path):
    """序号 first, 评价结果 merged over 分值 | 得分 on a second header row, levels merged down both header rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "一级指标", "二级指标", "三级指标", "指标解释", "评分标准", "评价结果", None, "扣分原因"])
    ws.append([None, None, None, None, None, None, "分值", "得分", None])
    for rng in ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:F2", "G1:H1", "I1:I2"):
        ws.merge_cells(rng)
    ws.append([1, "决策(20分)", "项目立项(20分)", "立项规范性", "程序是否规范", "每发现一处问题扣2分，扣完为止。", 20, 16,
               "发现2处不符合：未经集体决策，未做绩效评估。"])
    ws.append([2, "产出(80分)", "产出数量(80分)", "完成率", "完成情况", "按实际完成率*指标权重得分", 80, 72, "完成率90%。"])
    ws.append(["合计", None, None, None, None, None, 100, 88, None])
    ws.append(["评价等级", None, None, None, None, None, None, "良", None])
    path = tmp_path / "two-row.xlsx"
    wb.save(path)
    t = _tree(path)
    assert t.header_row == 1 and t.header_end == 2 and t.columns["score"] == 8 and t.columns["weight"] == 7
    code, s = _sheet(path)
    assert code == 0 and _serious(s) == [] and s["total"] == pytest.approx(88) and s["grade"] == "良"
    read = [x for x in s["findings"] if x["code"] == "scoring-rule-read"]
    assert len(read) == 2 and "重算为 16" in read[0]["message"] and "重算为 72" in read[1]["message"]


def test_recalc_fills_blank_scores_the_rule_computes_and_leaves_judgement_blank(tmp_path):
    # issue 12: a table with its 得分 column still empty — recalc fills only what the 评分标准 computes from the sheet
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    for row in (["一级指标", "二级指标", "三级指标", "分值", "评分标准", "目标值", "完成值", "得分"],
                ["产出", "数量", "资金执行率", 50, "得分=执行率×分值", "100%", "90%", None],
                [None, "质量", "制度健全", 50, "制度健全的得满分，基本健全的得部分分，不健全的不得分", "健全", "健全", None],
                ["合计", None, None, 100, None, None, None, None]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    p = tmp_path / "评分表.xlsx"
    wb.save(p)
    proc = run_cli("recalc", str(p))
    assert proc.returncode in (0, 1), proc.stderr
    ws = openpyxl.load_workbook(p)["评分表"]
    assert ws["H2"].value == pytest.approx(45)       # 90% × 50
    assert ws["H3"].value is None                    # a judgement of the evaluators: not xlscore's to fill
    assert ws["H4"].value is None                    # so the total is not known either
