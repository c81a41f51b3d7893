"""Layout variants of real self-assessment and target sheets, read by header text as a new user's file would be.

Each variant is built here with openpyxl in a layout that provinces and ministries publish (财预〔2020〕10号
national forms, 中央部门, provincial sheets, WPS exports), filled correctly with phrasings from the 昌吉
disclosure (corpus/disclosure_changji_2024.forms.json). Through the real CLI each correct form must be recognised,
every indicator row read (recalc fills every blanked score with the value computed here), give the total and grade
computed here from the rules in domain.md, and carry no error and no warning. Then one deliberate mistake per
variant must be flagged at its exact cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import run_cli, run_json
from lo import convert, needs_soffice

# --------------------------------------------------------------------------- the indicators (corpus phrasings)


@dataclass(frozen=True)
class Ind:
    l1: str
    l2: str
    l3: str
    target: str
    actual: str
    weight: float
    score: float | None
    reason: str = ""
    rule: str = "按照完成比例赋分"
    rate: str = "100%"          # the 完成率 a careful clerk types (B/A, capped as printed by the form)
    basis: str = "计划标准"


def project_rows() -> list[Ind]:
    """A correct project form, weights 90 (funds 10). Scores by domain.md: ≥ → w·min(1, B/A); ≤ met → w;
    deadline met → w; qualitative 达成 → in [80%, 100%] of w (full here). Σ = 89."""
    return [
        Ind("产出指标", "数量指标", "邀请客商赴昌考察次数", "≥10次", "11次", 10, 10, rate="110%"),
        Ind("产出指标", "数量指标", "参加培训人数", "≥69人", "69人", 10, 10),
        Ind("产出指标", "质量指标", "培训出勤率", "≥95%", "96%", 10, 10, rate="101.05%"),
        Ind("产出指标", "时效指标", "项目完成时间", "2024年12月10日前", "2024年12月10日", 10, 10, rule="直接赋分"),
        Ind("成本指标", "经济成本指标", "培训经费", "≤20万元", "18.21万元", 10, 10),
        Ind("成本指标", "经济成本指标", "差旅及交通费", "≤40万元", "38.79万元", 10, 10),
        Ind("效益指标", "社会效益指标", "促成对接洽谈项目", "≥30个", "27个", 10, 9,
            "部分客商行程推迟，下年度加强跟进对接。", rate="90%"),
        Ind("效益指标", "社会效益指标", "推动自治州商务高质量发展", "显著推动", "达到预期指标", 10, 10,
            rule="按评判等级赋分"),
        Ind("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "95%", 10, 10, rule="满意度赋分",
            rate="105.56%"),
    ]


# funds: 年初预算数, 全年预算数, 全年执行数 (万元); Σ cost actuals = 57.00 = 全年执行数
BUDGET_START, BUDGET, SPENT = 60.0, 60.0, 57.0
GOAL = "邀请客商赴昌考察不少于10次，组织商务干部培训69人，提升全州商务系统人才队伍能力。"
GOAL_DONE = "全年邀请客商赴昌考察11次，培训商务干部69人，培训出勤率96%，达到预期目标。"


def funds_score(budget=BUDGET, spent=SPENT, weight=10.0) -> float:
    return round(weight * min(1.0, spent / budget), 2)


def grade_of(total: float) -> str:
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


# --------------------------------------------------------------------------- sheet writing helpers

def put(ws, row: int, col: int, value, *, text: bool = True):
    c = ws.cell(row=row, column=col, value=value)
    if text and isinstance(value, str) and value.startswith("="):
        c.data_type = "s"
    return c


def merge(ws, r1: int, c1: int, r2: int, c2: int, value=None):
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    if value is not None:
        put(ws, r1, c1, value)


def ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def write_header(ws, top: int, left: int, paths: list[tuple[str, ...]]) -> int:
    """A header of len(longest path) rows: equal labels side by side under the same parent merge across,
    a path shorter than the depth merges down. Returns the last header row."""
    depth = max(len(p) for p in paths)
    for d in range(depth):
        i = 0
        while i < len(paths):
            p = paths[i]
            if len(p) <= d:
                i += 1
                continue
            j = i
            while j + 1 < len(paths) and len(paths[j + 1]) > d and paths[j + 1][:d + 1] == p[:d + 1]:
                j += 1
            bottom = top + depth - 1 if len(p) == d + 1 and i == j else top + d
            merge(ws, top + d, left + i, bottom, left + j, p[d])
            i = j + 1
    return top + depth - 1


@dataclass
class Table:
    """An indicator table: *columns* are (header path, what) with what an Ind field, 'seq', 'blank' or a
    callable(Ind) -> value."""
    columns: list[tuple[tuple[str, ...], object]]
    merge_levels: bool = False
    side_label: str | None = None        # a merged block label in the first column (绩效指标, 年度绩效指标完成情况)
    cells: dict = field(default_factory=dict)


def write_table(ws, top: int, left: int, table: Table, rows: list[Ind], *, blank_scores=False) -> dict:
    """Writes header and rows; returns {'rows': [row…], 'col': {what: col}, 'header': top, 'last': row}."""
    c0 = left + (1 if table.side_label else 0)
    hend = write_header(ws, top, c0, [p for p, _ in table.columns])
    col = {}
    for i, (_, what) in enumerate(table.columns):
        if isinstance(what, str):
            col.setdefault(what, c0 + i)
    out_rows = []
    for k, ind in enumerate(rows):
        r = hend + 1 + k
        out_rows.append(r)
        for i, (_, what) in enumerate(table.columns):
            if what == "seq":
                v = k + 1
            elif what == "blank":
                v = None
            elif callable(what):
                v = what(ind)
            else:
                v = getattr(ind, what)
                if what == "score" and blank_scores:
                    v = None
            if v not in (None, ""):
                put(ws, r, c0 + i, v)
    last = hend + len(rows)
    if table.merge_levels:          # equal upper-level cells merged down, as printed forms do
        for what in ("l1", "l2"):
            if what not in col:
                continue
            start = 0
            for k in range(1, len(rows) + 1):
                if k == len(rows) or getattr(rows[k], what) != getattr(rows[start], what) or (
                        what == "l2" and rows[k].l1 != rows[start].l1):
                    if k - 1 > start:
                        for kk in range(start + 1, k):
                            ws.cell(row=hend + 1 + kk, column=col[what]).value = None
                        merge(ws, hend + 1 + start, col[what], hend + k, col[what])
                    start = k
    if table.side_label:
        merge(ws, top, left, last, left, table.side_label)
    return {"rows": out_rows, "col": col, "header": top, "last": last}


def write_funds(ws, top: int, left: int, *, heads: tuple[str, ...], rows: list[tuple], label: str,
                label_span: int = 1, source_head: str | None = None) -> dict:
    """Funds block: a merged block label in *left*, the row labels (spanning *label_span* columns), then the
    columns *heads*. *rows*: (row label, {head: value}). Returns {'rows': {label: row}, 'col': {head: col}}."""
    lab_col = left + 1
    first = lab_col + label_span
    if source_head:
        merge(ws, top, lab_col, top, first - 1, source_head)
    col = {h: first + i for i, h in enumerate(heads)}
    for h, c in col.items():
        put(ws, top, c, h)
    out = {}
    for k, (lab, vals) in enumerate(rows):
        r = top + 1 + k
        merge(ws, r, lab_col, r, first - 1, lab)
        for h, v in vals.items():
            put(ws, r, col[h], v)
        out[lab] = r
    merge(ws, top, left, top + len(rows), left, label)
    return {"rows": out, "col": col, "last": top + len(rows)}


def national_funds_rows(rate, score, *, weight_head="分值", rate_head="执行率", score_head="得分",
                        heads=("年初预算数", "全年预算数", "全年执行数")):
    a, b, c = heads
    dash = "—"
    return [
        ("年度资金总额", {a: BUDGET_START, b: BUDGET, c: SPENT, weight_head: 10, rate_head: rate, score_head: score}),
        ("其中：当年财政拨款", {a: BUDGET_START, b: BUDGET, c: SPENT, weight_head: dash, rate_head: dash,
                        score_head: dash}),
        ("      上年结转资金", {a: 0, b: 0, c: 0, weight_head: dash, rate_head: dash, score_head: dash}),
        ("      其他资金", {a: 0, b: 0, c: 0, weight_head: dash, rate_head: dash, score_head: dash}),
    ]


def write_goal(ws, top: int, left: int, width: int, *, label="年度总体目标", exp="预期目标", act="实际完成情况",
               expected=GOAL, actual=GOAL_DONE) -> dict:
    half = (width - 1) // 2
    merge(ws, top, left, top + 1, left, label)
    merge(ws, top, left + 1, top, left + half, exp)
    merge(ws, top, left + half + 1, top, left + width - 1, act)
    merge(ws, top + 1, left + 1, top + 1, left + half, expected)
    merge(ws, top + 1, left + half + 1, top + 1, left + width - 1, actual)
    return {"expected": ref(top + 1, left + 1), "actual": ref(top + 1, left + half + 1), "last": top + 1}


def save(wb, path: Path) -> Path:
    wb.save(path)
    return path


# --------------------------------------------------------------------------- CLI helpers

def check(path: Path, *extra: str):
    rc, out = run_json("check", str(path), *extra)
    f = out["files"][0]
    assert f["error"] is None, f["error"]
    return rc, f["sheets"]


def bad_findings(sheet) -> list:
    return [(x["cell"], x["code"], x["message"]) for x in sheet["findings"] if x["severity"] in ("error", "warning")]


def assert_clean(path: Path, *, kind="self_assessment", total=None, grade=None, sheets=1):
    rc, res = check(path)
    assert len(res) == sheets, [s["name"] for s in res]
    for s in res:
        assert s["kind"] == kind, (s["name"], s["kind"])
        assert bad_findings(s) == [], s["name"]
    assert rc == 0
    if total is not None:
        assert res[0]["total"] == pytest.approx(total)
        assert res[0]["grade"] == grade_of(total)
    if grade is not None:
        assert res[0]["grade"] == grade
    return res


def assert_flagged(path: Path, cell: str, code: str, *, rc=1):
    got_rc, res = check(path)
    found = [(x["cell"], x["code"]) for s in res for x in s["findings"]]
    assert (cell, code) in found, found
    assert got_rc == rc
    return res


def assert_rows_read(path: Path, sheet: str, score_cells: list[str], expected: list[float], tmp: Path):
    """recalc fills every blanked score: each indicator row was found and scored as computed here."""
    out = tmp / (path.stem + ".out.xlsx")
    proc = run_cli("recalc", str(path), "-o", str(out))
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    ws = openpyxl.load_workbook(out)[sheet]
    got = [ws[c].value for c in score_cells]
    assert got == pytest.approx(expected), list(zip(score_cells, got))


def expected_scores(rows: list[Ind]) -> list[float]:
    """What recalc writes for a blank score: the scores worked out by hand in the row lists (domain.md rules; a
    qualitative 达成 row left blank gets the top of its band, the full weight)."""
    return [r.score for r in rows]


def with_row(rows: list[Ind], i: int, **kw) -> list[Ind]:
    rows = list(rows)
    rows[i] = replace(rows[i], **kw)
    return rows


# --------------------------------------------------------------------------- V1 national 财预〔2020〕10号, 附件2

def v1_national(path: Path, rows=None, *, blank_scores=False, total=None, rate="95.00%", score=None) -> dict:
    """附件2 line, title in row 3, year line; funds 年度资金总额/其中：当年财政拨款/上年结转资金/其他资金 with 执行率
    typed as text 95.00%; a 2-row header under a merged 绩效指标 label, 年度指标值（A）/ 实际完成值（B）, levels merged
    down, 偏差原因分析及改进措施 split into 原因分析 | 改进措施; 总分 row; grade as one cell 自评等级：优."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件2"
    put(ws, 1, 1, "附件2")
    merge(ws, 3, 1, 3, 10, "项目支出绩效自评表")
    merge(ws, 4, 1, 4, 10, "（2024年度）")
    put(ws, 5, 1, "项目名称")
    merge(ws, 5, 2, 5, 10, "2024年“招商引资、商务干部、电商系统培训”工作经费")
    put(ws, 6, 1, "主管部门")
    merge(ws, 6, 2, 6, 5, "昌吉回族自治州商务局")
    put(ws, 6, 6, "实施单位")
    merge(ws, 6, 7, 6, 10, "昌吉回族自治州商务局")
    fs = funds_score() if score is None else score
    f = write_funds(ws, 7, 1, label="项目资金\n（万元）", label_span=2,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                    rows=national_funds_rows(rate, fs))
    g = write_goal(ws, f["last"] + 1, 1, 10)
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"),
        (("年度指标值（A）",), "target"), (("实际完成值（B）",), "actual"), (("分值",), "weight"), (("得分",), "score"),
        (("偏差原因分析及改进措施", "原因分析"), "reason"), (("偏差原因分析及改进措施", "改进措施"), "blank"),
    ], merge_levels=True, side_label="绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 6, "总分")
    put(ws, tr, 7, 100)
    tot = round(fs + sum(r.score for r in rows), 2) if total is None else total
    if not blank_scores:
        put(ws, tr, 8, tot)
    merge(ws, tr + 1, 1, tr + 1, 10, f"自评等级：{grade_of(tot)}")
    save(wb, path)
    return {"sheet": ws.title, "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "rows": t["rows"], "col": t["col"], "total_cell": ref(tr, 8), "grade": ref(tr + 1, 1),
            "funds_rate": ref(f["rows"]["年度资金总额"], f["col"]["执行率"]),
            "funds_score": ref(f["rows"]["年度资金总额"], f["col"]["得分"])}


def test_v1_national_clean(tmp_path):
    info = v1_national(tmp_path / "v1.xlsx")
    assert_clean(tmp_path / "v1.xlsx", total=info["total"])
    rows = project_rows()
    info = v1_national(tmp_path / "v1_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v1_blank.xlsx", info["sheet"], info["score"], expected_scores(rows), tmp_path)


def test_v1_national_mistakes(tmp_path):
    # 27 of ≥30 个 is 90%: 9 of 10, typed 0.9 (a decimal slip), the total follows the printed scores
    rows = with_row(project_rows(), 6, score=0.9)
    info = v1_national(tmp_path / "v1_bad.xlsx", rows)
    assert_flagged(tmp_path / "v1_bad.xlsx", info["score"][6], "score-mismatch")
    # the grade typed in one cell 自评等级：良 for 98.5
    p = tmp_path / "v1_grade.xlsx"
    info = v1_national(p)
    wb = openpyxl.load_workbook(p)
    wb.active[info["grade"]] = "自评等级：良"
    wb.save(p)
    assert_flagged(p, info["grade"], "grade-mismatch")
    # recalc corrects the grade and keeps the label in the cell
    out = tmp_path / "v1_grade.out.xlsx"
    run_cli("recalc", str(p), "-o", str(out))
    assert openpyxl.load_workbook(out).active[info["grade"]].value == "自评等级：优"


# --------------------------------------------------------------------------- V2 中央部门 (WPS export, Sheet1)

def v2_central(path: Path, rows=None, *, blank_scores=False, total=None) -> dict:
    """中央部门项目支出绩效自评表 as WPS exports it to Sheet1: one header row, 完成率 absent, 执行率 as the number
    0.95 in a 0.00% cell, 偏差原因分析及改进措施 in one column, a 备注 column, 合计 total with 分值 100."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    merge(ws, 1, 1, 1, 10, "2024年度中央部门项目支出绩效自评表")
    put(ws, 2, 1, "项目名称")
    merge(ws, 2, 2, 2, 10, "对外经贸合作对接活动经费")
    put(ws, 3, 1, "主管部门")
    merge(ws, 3, 2, 3, 5, "商务部")
    put(ws, 3, 6, "实施单位")
    merge(ws, 3, 7, 3, 10, "商务部国际贸易经济合作研究院")
    fs = funds_score()
    f = write_funds(ws, 4, 1, label="项目资金（万元）", label_span=2,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                    rows=national_funds_rows(SPENT / BUDGET, fs))
    ws.cell(row=f["rows"]["年度资金总额"], column=f["col"]["执行率"]).number_format = "0.00%"
    g = write_goal(ws, f["last"] + 1, 1, 10)
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("年度指标值",), "target"),
        (("实际完成值",), "actual"), (("分值",), "weight"), (("得分",), "score"),
        (("偏差原因分析及改进措施",), "reason"), (("备注",), "blank"),
    ], side_label="绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 6, "合计")
    put(ws, tr, 7, 100)
    tot = round(fs + sum(r.score for r in rows), 2) if total is None else total
    if not blank_scores:
        put(ws, tr, 8, tot)
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "target": [ref(r, t["col"]["target"]) for r in t["rows"]],
            "weight": [ref(r, t["col"]["weight"]) for r in t["rows"]], "total_cell": ref(tr, 8)}


def test_v2_central_clean(tmp_path):
    info = v2_central(tmp_path / "v2.xlsx")
    assert_clean(tmp_path / "v2.xlsx", total=info["total"])
    info = v2_central(tmp_path / "v2_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v2_blank.xlsx", "Sheet1", info["score"], expected_scores(project_rows()), tmp_path)


def test_v2_central_wrong_total(tmp_path):
    info = v2_central(tmp_path / "v2_bad.xlsx", total=97.5)         # 98.5 computed
    assert_flagged(tmp_path / "v2_bad.xlsx", info["total_cell"], "total-mismatch")


# --------------------------------------------------------------------------- V3 provincial (广东-style headers)

def v3_provincial(path: Path, rows=None, *, blank_scores=False) -> dict:
    """A provincial sheet: the funds block with 财政拨款 / 其他资金 only and units in the headers
    (年初预算数（万元）), 执行率 typed 95.00%; indicator headers 指标值(目标) | 全年实际值 | 完成率 | 分值(分) | 得分(分) |
    未完成原因分析 | 改进措施; a 合计 row; the grade as a checkbox row 评价结果：☑优 ☐良 ☐中 ☐差."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目自评表"
    merge(ws, 1, 1, 1, 11, "2024年度项目支出绩效自评表")
    put(ws, 2, 1, "项目名称")
    merge(ws, 2, 2, 2, 11, "商务干部培训经费")
    put(ws, 3, 1, "项目主管部门")
    merge(ws, 3, 2, 3, 5, "某省商务厅")
    put(ws, 3, 6, "项目实施单位")
    merge(ws, 3, 7, 3, 11, "某省商务厅")
    heads = ("年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）")
    fs = funds_score()
    f = write_funds(ws, 4, 1, label="项目资金", label_span=2, heads=heads + ("分值", "执行率", "得分"), rows=[
        ("年度资金总额", {heads[0]: 60, heads[1]: 60, heads[2]: 57, "分值": 10, "执行率": "95.00%", "得分": fs}),
        ("财政拨款", {heads[0]: 60, heads[1]: 60, heads[2]: 57}),
        ("其他资金", {heads[0]: 0, heads[1]: 0, heads[2]: 0}),
    ])
    g = write_goal(ws, f["last"] + 1, 1, 11, label="年度总体目标")
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("指标值(目标)",), "target"),
        (("全年实际值",), "actual"), (("完成率",), "rate"), (("分值(分)",), "weight"), (("得分(分)",), "score"),
        (("未完成原因分析",), "reason"), (("改进措施",), "blank"),
    ], merge_levels=True, side_label="年度绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 7, "合计")
    put(ws, tr, 8, 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, 9, tot)
    merge(ws, tr + 1, 1, tr + 1, 11, "评价结果：" + " ".join(("☑" if g == grade_of(tot) else "☐") + g
                                                          for g in ("优", "良", "中", "差")))
    wb.save(path)
    return {"sheet": ws.title, "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "rate": [ref(r, t["col"]["rate"]) for r in t["rows"]], "total_cell": ref(tr, 9),
            "grade": ref(tr + 1, 1)}


def test_v3_provincial_clean(tmp_path):
    info = v3_provincial(tmp_path / "v3.xlsx")
    assert_clean(tmp_path / "v3.xlsx", total=info["total"])
    info = v3_provincial(tmp_path / "v3_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v3_blank.xlsx", info["sheet"], info["score"], expected_scores(project_rows()), tmp_path)


def test_v3_provincial_lower_better_scored_as_higher(tmp_path):
    # 培训经费 ≤20万元, 18.21万元 spent: met, 10 of 10; scored as B/A = 9.11 (and the total follows)
    rows = with_row(project_rows(), 4, score=9.11, rate="91.05%", reason="节约经费")
    info = v3_provincial(tmp_path / "v3_bad.xlsx", rows)
    # the inversion is named where it happened (the 完成率 B/A), the wrong score at its cell
    assert_flagged(tmp_path / "v3_bad.xlsx", info["rate"][4], "lower-better-not-inverted")
    assert_flagged(tmp_path / "v3_bad.xlsx", info["score"][4], "score-mismatch")
    # the checkbox grade ticked on 良 for 98.5
    p = tmp_path / "v3_grade.xlsx"
    info = v3_provincial(p)
    wb = openpyxl.load_workbook(p)
    wb.active[info["grade"]] = "评价结果：☐优 ☑良 ☐中 ☐差"
    wb.save(p)
    assert_flagged(p, info["grade"], "grade-mismatch")


# --------------------------------------------------------------------------- V4 three header rows, footer note

def v4_three_row_header(path: Path, rows=None, *, blank_scores=False, total=None, typed_points=True) -> dict:
    """A 3-row header: 年度绩效指标完成情况 over everything, 绩效指标 over the levels and 完成情况 over
    实际完成值 | 完成率 | 完成情况说明, the other labels merged down; scores typed as text 9.5分; a 总分 row then a
    footer 填表人 / 联系电话 / 填报日期."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    merge(ws, 1, 1, 1, 11, "项目支出绩效自评表")
    merge(ws, 2, 1, 2, 11, "(2024年度)")
    put(ws, 3, 1, "项目名称")
    merge(ws, 3, 2, 3, 11, "昌吉州秋冬季促消费活动")
    put(ws, 4, 1, "主管部门")
    merge(ws, 4, 2, 4, 5, "昌吉回族自治州商务局")
    put(ws, 4, 6, "实施单位")
    merge(ws, 4, 7, 4, 11, "昌吉回族自治州商务局")
    fs = funds_score()
    pts = (lambda x: f"{x:g}分") if typed_points else (lambda x: x)
    f = write_funds(ws, 5, 1, label="项目资金（万元）", label_span=2,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                    rows=national_funds_rows("95%", pts(fs)))
    g = write_goal(ws, f["last"] + 1, 1, 11)
    G = "年度绩效指标完成情况"
    show = lambda i: "已完成" if i.score == i.weight else "部分完成"   # noqa: E731
    t = write_table(ws, g["last"] + 1, 1, Table([
        ((G, "绩效指标", "一级指标"), "l1"), ((G, "绩效指标", "二级指标"), "l2"), ((G, "绩效指标", "三级指标"), "l3"),
        ((G, "年度指标值"), "target"), ((G, "完成情况", "实际完成值"), "actual"), ((G, "完成情况", "完成率"), "rate"),
        ((G, "完成情况", "完成情况说明"), show), ((G, "分值"), "weight"),
        ((G, "得分"), lambda i: None if blank_scores else pts(i.score)), ((G, "偏差原因分析及改进措施"), "reason"),
    ], merge_levels=True), rows)
    col = t["col"]
    score_col = col["weight"] + 1
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, col["weight"] - 1, "总分")
    put(ws, tr, col["weight"], "100分" if typed_points else 100)
    tot = round(fs + sum(r.score for r in rows), 2) if total is None else total
    if not blank_scores:
        put(ws, tr, score_col, pts(tot))
    merge(ws, tr + 2, 1, tr + 2, 3, "填表人：张三")
    merge(ws, tr + 2, 4, tr + 2, 6, "联系电话：0994-2345678")
    merge(ws, tr + 2, 7, tr + 2, 10, "填报日期：2025年3月15日")
    wb.save(path)
    return {"sheet": ws.title, "total": tot, "score": [ref(r, score_col) for r in t["rows"]],
            "rate": [ref(r, col["rate"]) for r in t["rows"]], "total_cell": ref(tr, score_col),
            "funds_score": ref(f["rows"]["年度资金总额"], f["col"]["得分"])}


def test_v4_three_row_header_clean(tmp_path):
    info = v4_three_row_header(tmp_path / "v4.xlsx")
    assert_clean(tmp_path / "v4.xlsx", total=info["total"])
    info = v4_three_row_header(tmp_path / "v4_blank.xlsx", blank_scores=True, typed_points=False)
    assert_rows_read(tmp_path / "v4_blank.xlsx", info["sheet"], info["score"], expected_scores(project_rows()), tmp_path)


def test_v4_three_row_header_wrong_rate(tmp_path):
    # 27 of ≥30 个 is 90%, typed 80%
    rows = with_row(project_rows(), 6, rate="80%")
    info = v4_three_row_header(tmp_path / "v4_bad.xlsx", rows)
    assert_flagged(tmp_path / "v4_bad.xlsx", info["rate"][6], "rate-mismatch")


# --------------------------------------------------------------------------- V5 序号 first, 权重 before the values

def v5_changji_order(path: Path, rows=None, *, blank_scores=False) -> dict:
    """The 昌吉 column order with a 序号 column: 序号 | 一级 | 二级 | 三级 | 权重 | 目标值 | 业绩值 | 完成率 | 指标得分 |
    指标值设定依据 | 上年完成情况 | 赋分规则 | 佐证资料 | 偏差原因分析及改进措施, levels not merged (repeated)."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    merge(ws, 1, 1, 1, 14, "项目支出绩效自评表")
    merge(ws, 2, 1, 2, 14, "(2024年度)")
    merge(ws, 3, 1, 3, 2, "项目名称")
    merge(ws, 3, 3, 3, 14, "2024年“招商引资、商务干部、电商系统培训”工作经费")
    merge(ws, 4, 1, 4, 2, "主管部门")
    merge(ws, 4, 3, 4, 7, "昌吉回族自治州商务局")
    merge(ws, 4, 8, 4, 9, "实施单位")
    merge(ws, 4, 10, 4, 14, "昌吉回族自治州商务局")
    fs = funds_score()
    f = write_funds(ws, 5, 1, label="项目资金（万元）", label_span=2,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                    rows=national_funds_rows("95.00%", f"{fs:.2f}"))
    g = write_goal(ws, f["last"] + 1, 1, 14)
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("序号",), "seq"), (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("权重",), "weight"),
        (("目标值",), "target"), (("业绩值",), "actual"), (("完成率",), "rate"), (("指标得分",), "score"),
        (("指标值设定依据",), "basis"), (("上年完成情况",), lambda i: "0"), (("赋分规则",), "rule"),
        (("佐证资料",), lambda i: "工作资料"), (("偏差原因分析及改进措施",), "reason"),
    ]), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 4, "总分")
    put(ws, tr, 5, "100")
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, t["col"]["score"], f"{tot:.2f}分")
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]]}


def test_v5_changji_order_clean(tmp_path):
    info = v5_changji_order(tmp_path / "v5.xlsx")
    assert_clean(tmp_path / "v5.xlsx", total=info["total"])
    info = v5_changji_order(tmp_path / "v5_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v5_blank.xlsx", info["sheet"], info["score"], expected_scores(project_rows()), tmp_path)


def test_v5_changji_order_missed_deadline_full(tmp_path):
    # finished 2024年12月20日 against 2024年12月10日前 under 直接赋分: 0, typed 10
    rows = with_row(project_rows(), 3, actual="2024年12月20日")
    info = v5_changji_order(tmp_path / "v5_bad.xlsx", rows)
    assert_flagged(tmp_path / "v5_bad.xlsx", info["score"][3], "deadline-missed-full-score")


# --------------------------------------------------------------------------- V6 a 四级指标 column

def v6_four_levels(path: Path, rows=None, *, blank_scores=False) -> dict:
    """Four level columns (一级 | 二级 | 三级 | 四级指标): the third level groups the indicators (培训工作, 考察活动…),
    the fourth names them; 指标值 | 实际完成值 | 分值 | 得分 | 偏差原因; 一级/二级 merged down."""
    rows = rows or project_rows()
    groups = {"数量指标": "工作数量", "质量指标": "工作质量", "时效指标": "工作时效", "经济成本指标": "培训成本",
              "社会效益指标": "社会效益", "服务对象满意度指标": "服务对象"}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    merge(ws, 1, 1, 1, 10, "2024年度项目支出绩效自评表")
    put(ws, 2, 1, "项目名称")
    merge(ws, 2, 2, 2, 10, "商务干部培训经费")
    put(ws, 3, 1, "主管部门")
    merge(ws, 3, 2, 3, 5, "某市商务局")
    put(ws, 3, 6, "实施单位")
    merge(ws, 3, 7, 3, 10, "某市商务局")
    fs = funds_score()
    f = write_funds(ws, 4, 1, label="项目资金（万元）", label_span=1,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                    rows=national_funds_rows("95%", fs))
    g = write_goal(ws, f["last"] + 1, 1, 10)
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), lambda i: groups[i.l2]), (("四级指标",), "l3"),
        (("指标值",), "target"), (("实际完成值",), "actual"), (("分值",), "weight"), (("得分",), "score"),
        (("偏差原因分析及改进措施",), "reason"),
    ], merge_levels=True, side_label="绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 7, "总分")
    put(ws, tr, 8, 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, 9, tot)
    wb.save(path)
    return {"sheet": ws.title, "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]]}


def test_v6_four_levels_clean(tmp_path):
    info = v6_four_levels(tmp_path / "v6.xlsx")
    assert_clean(tmp_path / "v6.xlsx", total=info["total"])
    info = v6_four_levels(tmp_path / "v6_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v6_blank.xlsx", info["sheet"], info["score"], expected_scores(project_rows()), tmp_path)


def test_v6_four_levels_score_above_weight(tmp_path):
    rows = with_row(project_rows(), 0, score=12)          # 110% typed as 12 of 10
    info = v6_four_levels(tmp_path / "v6_bad.xlsx", rows)
    assert_flagged(tmp_path / "v6_bad.xlsx", info["score"][0], "score-exceeds-weight")


# --------------------------------------------------------------------------- V7 spacers, split 指标方向 | 指标值 | 计量单位

_SPLIT = __import__("re").compile(r"^(≥|≤|=|>|<)?\s*([\d.]+)\s*(\S*)$")


def _split(text: str) -> tuple[str, object, str]:
    m = _SPLIT.match(text)
    if not m:
        return "", text, ""
    return m.group(1) or "", float(m.group(2)), m.group(3)


def v7_spacers_split(path: Path, rows=None, *, blank_scores=False, rate="95.00%") -> dict:
    """A sheet with a blank margin column A and blank spacer rows between the blocks (as WPS/金财 exports print
    them), the target split over 指标方向 | 指标值 | 计量单位 and the actual a bare number in the same unit; the
    funds headers carry units: 年初预算数（万元）."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    L = 2                                           # column A stays empty
    merge(ws, 2, L, 2, L + 10, "项目支出绩效自评表")
    merge(ws, 3, L, 3, L + 10, "（2024年度）")
    put(ws, 4, L, "项目名称")
    merge(ws, 4, L + 1, 4, L + 10, "商务干部培训经费")
    put(ws, 5, L, "主管部门")
    merge(ws, 5, L + 1, 5, L + 4, "某县商务局")
    put(ws, 5, L + 5, "实施单位")
    merge(ws, 5, L + 6, 5, L + 10, "某县商务局")
    heads = ("年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "分值", "执行率", "得分")
    fs = funds_score()
    f = write_funds(ws, 7, L, label="项目资金", label_span=2, heads=heads,
                    rows=national_funds_rows(rate, fs, heads=heads[:3]))
    g = write_goal(ws, f["last"] + 2, L, 11)
    parts = {id(i): _split(i.target) for i in rows}
    t = write_table(ws, g["last"] + 2, L, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"),
        (("指标方向",), lambda i: parts[id(i)][0]), (("指标值",), lambda i: parts[id(i)][1]),
        (("计量单位",), lambda i: parts[id(i)][2]),
        (("实际完成值",), lambda i: _split(i.actual)[1] if parts[id(i)][2] else i.actual),
        (("分值",), "weight"), (("得分",), "score"), (("偏差原因分析及改进措施",), "reason"),
    ], merge_levels=True, side_label="绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, L, tr, t["col"]["weight"] - 1, "总分")
    put(ws, tr, t["col"]["weight"], 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, t["col"]["score"], tot)
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "funds_rate": ref(f["rows"]["年度资金总额"], f["col"]["执行率"])}


def test_v7_spacers_split_clean(tmp_path):
    info = v7_spacers_split(tmp_path / "v7.xlsx")
    assert_clean(tmp_path / "v7.xlsx", total=info["total"])
    info = v7_spacers_split(tmp_path / "v7_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v7_blank.xlsx", info["sheet"], info["score"], expected_scores(project_rows()), tmp_path)


def test_v7_spacers_split_wrong_execution_rate(tmp_path):
    info = v7_spacers_split(tmp_path / "v7_bad.xlsx", rate="90.00%")       # 57 / 60 = 95%
    assert_flagged(tmp_path / "v7_bad.xlsx", info["funds_rate"], "funds-rate-mismatch")


# --------------------------------------------------------------------------- V8 单位整体 (昌吉 layout, no total row)

def unit_rows() -> list[Ind]:
    """The 昌吉 unit form's indicators (one 一级 履职效能), corrected; weights 90. 7.2% of ≥8% → 90% → 18 of 20."""
    return [
        Ind("履职效能", "数量指标", "2024年招商引资到位资金", ">=1400亿元", "1426.34亿元", 30, 30,
            basis="关于印发《政府工作报告重点工作责任分工方案》的通知"),
        Ind("履职效能", "数量指标", "新引进中国500强企业", ">=9家", "10家", 20, 20, basis="年度工作计划"),
        Ind("履职效能", "质量指标", "年内外贸进出口总额同比增长率", ">=20%", "20.9%", 20, 20, basis="年度工作计划"),
        Ind("履职效能", "质量指标", "社会消费品零售总额同比增长率", ">=8%", "7.2%", 20, 18, basis="年度工作计划"),
    ]


UNIT_FUNDS = [("上级资金", 0.0, 9372.57, 9372.57), ("本级资金", 548.54, 7365.20, 7365.20),
              ("其他资金", 56.0, 353.42, 353.42)]


def v8_unit(path: Path, rows=None, *, blank_scores=False, total_budget=None) -> dict:
    """单位整体支出绩效自评表 as the 昌吉 disclosure prints it: 单位名称; 部门资金（万元） with a 资金来源 column and rows
    上级资金 / 本级资金 / 其他资金 / 合计, 分值权重; 预期指标值 | 指标值设定依据 | 分值权重 | 实际完成指标值 | 得分; no 总分 row."""
    rows = rows or unit_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位整体"
    merge(ws, 1, 1, 1, 9, "单位整体支出绩效自评表")
    merge(ws, 2, 1, 2, 9, "（2024年度）")
    merge(ws, 3, 1, 3, 2, "单位名称")
    merge(ws, 3, 3, 3, 9, "昌吉回族自治州商务局")
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值权重", "执行率", "得分")
    tb = round(sum(x[2] for x in UNIT_FUNDS), 2) if total_budget is None else total_budget
    ts = round(sum(x[3] for x in UNIT_FUNDS), 2)
    frows = [(lab, {"年初预算数": a, "全年预算数": b, "全年执行数": c, "分值权重": "-", "执行率": "-", "得分": "-"})
             for lab, a, b, c in UNIT_FUNDS]
    frows.append(("合计", {"年初预算数": round(sum(x[1] for x in UNIT_FUNDS), 2), "全年预算数": tb, "全年执行数": ts,
                         "分值权重": 10, "执行率": "100%", "得分": 10}))
    f = write_funds(ws, 4, 1, label="部门资金（万元）", label_span=2, heads=heads, rows=frows, source_head="资金来源")
    g = write_goal(ws, f["last"] + 1, 1, 9, exp="预期目标", act="实际完成情况",
                   expected="力争圆满完成全年到位资金1400亿元。完成年度社会消费品零售总额同比增长目标8%，"
                            "完成年内外贸进出口总额同比增长20%。",
                   actual="全州落实到位资金1426.34亿元，新引进中国500强企业10家，外贸进出口总额同比增长20.9%。")
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("预期指标值",), "target"),
        (("指标值设定依据",), "basis"), (("分值权重",), "weight"), (("实际完成指标值",), "actual"), (("得分",), "score"),
    ], merge_levels=True, side_label="年度绩效指标"), rows, blank_scores=blank_scores)
    wb.save(path)
    return {"sheet": ws.title, "total": 10 + sum(r.score for r in rows),
            "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "total_budget": ref(f["rows"]["合计"], f["col"]["全年预算数"])}


def test_v8_unit_clean(tmp_path):
    info = v8_unit(tmp_path / "v8.xlsx")
    _, res = check(tmp_path / "v8.xlsx")
    assert {x["code"] for x in res[0]["findings"]} >= {"total-missing"}         # K19: computed, reported as info
    assert_clean(tmp_path / "v8.xlsx", total=info["total"])
    info = v8_unit(tmp_path / "v8_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v8_blank.xlsx", info["sheet"], info["score"], expected_scores(unit_rows()), tmp_path)


def test_v8_unit_funds_rows_do_not_add_up(tmp_path):
    info = v8_unit(tmp_path / "v8_bad.xlsx", total_budget=17901.19)     # 17091.19 transposed
    assert_flagged(tmp_path / "v8_bad.xlsx", info["total_budget"], "funds-subrows-sum")


# --------------------------------------------------------------------------- V9 部门整体 with 基本支出 / 项目支出

def dept_rows() -> list[Ind]:
    return [
        Ind("产出指标", "数量指标", "组织招商推介活动", "≥12场", "12场", 20, 20),
        Ind("产出指标", "质量指标", "重点项目签约履约率", "≥90%", "92%", 15, 15),
        Ind("产出指标", "时效指标", "资金拨付及时性", "2024年12月31日前", "2024年12月20日", 10, 10),
        Ind("效益指标", "经济效益指标", "社会消费品零售总额增长", "≥6%", "5.4%", 15, 13.5, "消费市场恢复慢于预期，下年度加大促消费力度。"),
        Ind("效益指标", "社会效益指标", "营商环境持续优化", "持续优化", "达成年度指标", 15, 15),
        Ind("效益指标", "可持续影响指标", "商务领域安全生产事故", "≤0起", "0起", 5, 5),
        Ind("满意度指标", "服务对象满意度指标", "企业对商务服务满意度", "≥90%", "93%", 10, 10),
    ]


def v9_department(path: Path, rows=None, *, blank_scores=False) -> dict:
    """部门整体支出绩效自评表 (provincial): 部门名称 / 评价年度 header cells, funds 年度资金总额 / 其中：基本支出 / 项目支出,
    一级 产出 / 效益 / 满意度 merged down, 完成率 column, 总分 row and 评价等级 | 优 below it."""
    rows = rows or dept_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门整体支出绩效自评表"
    merge(ws, 1, 1, 1, 10, "部门整体支出绩效自评表")
    put(ws, 2, 1, "部门名称")
    merge(ws, 2, 2, 2, 6, "某市商务局")
    put(ws, 2, 7, "评价年度")
    merge(ws, 2, 8, 2, 10, "2024年")
    budget, spent = 1250.0, 1187.5
    fs = funds_score(budget, spent)            # 95% → 9.5
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    f = write_funds(ws, 3, 1, label="部门资金（万元）", label_span=2, heads=heads, rows=[
        ("年度资金总额", dict(zip(heads, (1200, budget, spent, 10, "95.00%", fs)))),
        ("其中：基本支出", dict(zip(heads, (800, 820, 818.5)))),
        ("      项目支出", dict(zip(heads, (400, 430, 369)))),
    ])
    g = write_goal(ws, f["last"] + 1, 1, 10, label="年度总体目标", exp="年初设定目标", act="全年实际完成情况",
                   expected="全年组织招商推介活动12场，社会消费品零售总额增长6%。",
                   actual="全年组织招商推介活动12场，社会消费品零售总额增长5.4%。")
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("年度指标值",), "target"),
        (("实际完成值",), "actual"), (("完成率",), lambda i: None), (("分值",), "weight"), (("得分",), "score"),
        (("偏差原因分析及改进措施",), "reason"),
    ], merge_levels=True, side_label="绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 7, "总分")
    put(ws, tr, 8, 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, 9, tot)
    merge(ws, tr + 1, 1, tr + 1, 7, "评价等级")
    merge(ws, tr + 1, 8, tr + 1, 10, grade_of(tot))
    wb.save(path)
    return {"sheet": ws.title, "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]]}


def test_v9_department_clean(tmp_path):
    info = v9_department(tmp_path / "v9.xlsx")
    assert_clean(tmp_path / "v9.xlsx", total=info["total"])
    info = v9_department(tmp_path / "v9_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v9_blank.xlsx", info["sheet"], info["score"], expected_scores(dept_rows()), tmp_path)


def test_v9_department_qualitative_out_of_band(tmp_path):
    # 部分达成 is [60%, 80%) of 15: 15 is outside the band
    rows = with_row(dept_rows(), 4, actual="部分达成年度指标并具有一定效果")
    info = v9_department(tmp_path / "v9_bad.xlsx", rows)
    assert_flagged(tmp_path / "v9_bad.xlsx", info["score"][4], "qualitative-score-out-of-band")


# --------------------------------------------------------------------------- V10 two forms stacked in one sheet

def _national_block(ws, top: int, name: str, rows: list[Ind], *, blank=False, text_numbers=False,
                    heads=("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施")) -> dict:
    """One national form from row *top* (title, year, header block, funds, goal, indicators, 总分)."""
    num = (lambda x: f"{x:,.2f}" if isinstance(x, float) else str(x)) if text_numbers else (lambda x: x)
    merge(ws, top, 1, top, 9, "项目支出绩效自评表")
    merge(ws, top + 1, 1, top + 1, 9, "（2024年度）")
    put(ws, top + 2, 1, "项目名称")
    merge(ws, top + 2, 2, top + 2, 9, name)
    put(ws, top + 3, 1, "主管部门")
    merge(ws, top + 3, 2, top + 3, 4, "某市商务局")
    put(ws, top + 3, 5, "实施单位")
    merge(ws, top + 3, 6, top + 3, 9, "某市商务局")
    fs = funds_score()
    frows = [(lab, {h: (num(v) if isinstance(v, (int, float)) else v) for h, v in vals.items()})
             for lab, vals in national_funds_rows("95%", fs)]
    f = write_funds(ws, top + 4, 1, label="项目资金（万元）", label_span=1,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), rows=frows)
    g = write_goal(ws, f["last"] + 1, 1, 9)
    what = ("l1", "l2", "l3", "target", "actual", "weight", "score", "reason")
    cols = [((h,), (lambda i, w=w: num(getattr(i, w)) if getattr(i, w) is not None else None)
             if w in ("weight", "score") else w) for h, w in zip(heads, what)]
    if blank:
        cols[6] = ((heads[6],), "blank")
    t = write_table(ws, g["last"] + 1, 1, Table(cols, merge_levels=True, side_label="绩效指标"), rows)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 6, "总分")
    put(ws, tr, 7, num(100))
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank:
        put(ws, tr, 8, num(tot))
    return {"total": tot, "score": [ref(r, 8) for r in t["rows"]], "actual": [ref(r, 6) for r in t["rows"]],
            "total_cell": ref(tr, 8), "last": tr, "header": t["header"]}


def second_rows() -> list[Ind]:
    return [
        Ind("产出指标", "数量指标", "申购展位数量", "≥2个", "2个", 15, 15),
        Ind("产出指标", "数量指标", "宣传品设计制作数量", "≥4000份", "4000份", 15, 15),
        Ind("产出指标", "质量指标", "活动举办成功率", "=100%", "100%", 10, 10),
        Ind("产出指标", "时效指标", "项目完成时限", "2024年12月20日前", "2024年12月20日", 10, 10, rule="直接赋分"),
        Ind("成本指标", "经济成本指标", "展位费", "≤57万元", "57万元", 20, 20),
        Ind("效益指标", "社会效益指标", "促成签约项目", "≥30个", "24个", 10, 8, "部分意向项目未能在年内签约，下年度持续跟进。"),
        Ind("满意度指标", "服务对象满意度指标", "受益企业满意度", "≥90%", "90%", 10, 10, rule="满意度赋分"),
    ]


def v10_stacked(path: Path, second=None, *, blank=False) -> dict:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    a = _national_block(ws, 1, "商务干部培训经费", project_rows(), blank=blank)
    b = _national_block(ws, a["last"] + 3, "2024年展会活动经费", second or second_rows(), blank=blank)
    wb.save(path)
    return {"sheet": "Sheet1", "a": a, "b": b}


def test_v10_stacked_clean(tmp_path):
    info = v10_stacked(tmp_path / "v10.xlsx")
    assert_clean(tmp_path / "v10.xlsx")
    # both forms read in full: recalc fills every blanked score and both totals as computed here
    info = v10_stacked(tmp_path / "v10_blank.xlsx", blank=True)
    a, b = info["a"], info["b"]
    assert_rows_read(tmp_path / "v10_blank.xlsx", "Sheet1", a["score"] + b["score"] + [a["total_cell"], b["total_cell"]],
                     expected_scores(project_rows()) + expected_scores(second_rows()) + [98.5, 97.5], tmp_path)


def test_v10_stacked_mistake_in_second_form(tmp_path):
    rows = with_row(second_rows(), 5, score=10, reason="")          # 24 of ≥30 个 is 80%: 8, typed 10
    info = v10_stacked(tmp_path / "v10_bad.xlsx", rows)
    res = assert_flagged(tmp_path / "v10_bad.xlsx", info["b"]["score"][5], "score-mismatch")
    first = {c for c in info["a"]["score"] + [info["a"]["total_cell"]]}
    assert not [x for x in res[0]["findings"] if x["cell"] in first and x["severity"] != "info"]


# --------------------------------------------------------------------------- V11 WPS export: every cell text

WPS_HEADS = ("一级\n指标", "二级\n指标", "三级\n指标", "年度\n指标值", "实际\n完成值", "分　值", "得　分",
             "偏差原因分析\n及改进措施")


def v11_wps_text(path: Path, rows=None, *, blank=False) -> dict:
    """A WPS/PDF-to-Excel export: every number stored as text (\"60.00\", \"9.50\", \"100\"), header labels wrapped
    with line breaks and full-width spaces (分　值), sheet named Sheet1."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    info = _national_block(ws, 1, "商务干部培训经费", rows or project_rows(), blank=blank, text_numbers=True,
                           heads=WPS_HEADS)
    wb.save(path)
    return {"sheet": "Sheet1", **info}


def test_v11_wps_text_clean(tmp_path):
    info = v11_wps_text(tmp_path / "v11.xlsx")
    assert_clean(tmp_path / "v11.xlsx", total=info["total"])
    info = v11_wps_text(tmp_path / "v11_blank.xlsx", blank=True)
    assert_rows_read(tmp_path / "v11_blank.xlsx", "Sheet1", info["score"], expected_scores(project_rows()), tmp_path)


def test_v11_wps_text_unit_mismatch(tmp_path):
    # the corpus K6 pattern: a count target answered in %
    rows = with_row(project_rows(), 1, actual="=100%")
    info = v11_wps_text(tmp_path / "v11_bad.xlsx", rows)
    assert_flagged(tmp_path / "v11_bad.xlsx", info["actual"][1], "unit-mismatch")


# --------------------------------------------------------------------------- targets sheets (绩效目标表)

SA_NAME = "对外经贸合作对接活动经费"        # the project of v2_central, the self-assessment compared below


def t1_national_targets(path: Path, rows=None, *, goal=GOAL) -> dict:
    """项目支出绩效目标表 (财预〔2020〕10号 附件): 附件1 line, title in row 3, (2024年度); 项目名称 / 主管部门及代码 /
    实施单位; 项目资金（万元） as label | amount pairs without column headers; 年度总体目标 | text; a 2-row header with
    绩效指标 over 一级 | 二级 | 三级 and 指标值 merged down."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    put(ws, 1, 1, "附件1")
    merge(ws, 3, 1, 3, 6, "项目支出绩效目标表")
    merge(ws, 4, 1, 4, 6, "（2024年度）")
    put(ws, 5, 1, "项目名称")
    merge(ws, 5, 2, 5, 6, SA_NAME)
    put(ws, 6, 1, "主管部门及代码")
    merge(ws, 6, 2, 6, 3, "商务部 [101]")
    put(ws, 6, 4, "实施单位")
    merge(ws, 6, 5, 6, 6, "商务部国际贸易经济合作研究院")
    merge(ws, 7, 1, 9, 2, "项目资金\n（万元）")
    for r, (lab, v) in enumerate((("年度资金总额：", BUDGET_START), ("其中：财政拨款", BUDGET_START), ("其他资金", 0)), 7):
        merge(ws, r, 3, r, 4, lab)
        merge(ws, r, 5, r, 6, v)
    merge(ws, 10, 1, 10, 2, "年度总体目标")
    merge(ws, 10, 3, 10, 6, goal)
    t = write_table(ws, 11, 1, Table([
        (("绩效指标", "一级指标"), "l1"), (("绩效指标", "二级指标"), "l2"), (("绩效指标", "三级指标"), "l3"),
        (("指标值",), "target"), (("备注",), "blank"),
    ], merge_levels=True), rows)
    wb.save(path)
    return {"goal": "C10", "rows": t["rows"]}


def sa_against(targets: Path, sa: Path):
    rc, res = check(sa, "--targets", str(targets))
    return rc, res[0]["findings"]


def test_t1_national_targets_clean_and_every_row_declared(tmp_path):
    t1_national_targets(tmp_path / "t1.xlsx")
    res = assert_clean(tmp_path / "t1.xlsx", kind="targets")
    assert [x["code"] for x in res[0]["findings"]] == ["sheet-not-checked"]
    # the self-assessment of the same project matches every declared row: no indicator added, dropped or changed
    v2_central(tmp_path / "sa.xlsx")
    rc, found = sa_against(tmp_path / "t1.xlsx", tmp_path / "sa.xlsx")
    assert "targets-compared" in {x["code"] for x in found}
    assert [x for x in found if x["severity"] != "info"] == [] and rc == 0


def test_t1_national_targets_changed_in_the_self_assessment(tmp_path):
    t1_national_targets(tmp_path / "t1.xlsx")
    wb_info = v2_central(tmp_path / "sa.xlsx", with_row(project_rows(), 1, target="≥60人"))   # declared ≥69人
    rc, found = sa_against(tmp_path / "t1.xlsx", tmp_path / "sa.xlsx")
    target_cell = wb_info["target"][1]
    assert (target_cell, "declared-target-changed") in {(x["cell"], x["code"]) for x in found}, found
    assert rc == 1


def t2_provincial_targets(path: Path, rows=None) -> dict:
    """A provincial 项目支出绩效目标申报表 (Sheet1): 序号 | 一级指标 | 二级指标 | 三级指标 | 指标方向 | 指标值 | 计量单位 |
    分值 | 指标值设定依据 | 赋分规则, the budget as 年初预算数 | 财政拨款 | 其他资金 columns."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    put(ws, 1, 1, "附件3")
    merge(ws, 2, 1, 2, 10, "2024年度项目支出绩效目标申报表")
    merge(ws, 3, 1, 3, 2, "项目名称")
    merge(ws, 3, 3, 3, 10, SA_NAME)
    merge(ws, 4, 1, 4, 2, "主管部门")
    merge(ws, 4, 3, 4, 5, "商务部")
    merge(ws, 4, 6, 4, 7, "实施单位")
    merge(ws, 4, 8, 4, 10, "商务部国际贸易经济合作研究院")
    merge(ws, 5, 1, 6, 2, "项目资金（万元）")
    for c, (h, v) in enumerate((("年初预算数", BUDGET_START), ("财政拨款", BUDGET_START), ("其他资金", 0)), 3):
        put(ws, 5, c, h)
        put(ws, 6, c, v)
    merge(ws, 7, 1, 7, 2, "年度总体目标")
    merge(ws, 7, 3, 7, 10, GOAL)
    parts = {id(i): _split(i.target) for i in rows}
    t = write_table(ws, 8, 1, Table([
        (("序号",), "seq"), (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"),
        (("指标方向",), lambda i: parts[id(i)][0]), (("指标值",), lambda i: parts[id(i)][1]),
        (("计量单位",), lambda i: parts[id(i)][2]), (("分值",), "weight"), (("指标值设定依据",), "basis"),
        (("赋分规则",), "rule"),
    ]), rows)
    wb.save(path)
    return {"rows": t["rows"]}


def test_t2_provincial_targets_clean_and_every_row_declared(tmp_path):
    t2_provincial_targets(tmp_path / "t2.xlsx")
    res = assert_clean(tmp_path / "t2.xlsx", kind="targets")
    assert [x["code"] for x in res[0]["findings"]] == ["sheet-not-checked"]
    v2_central(tmp_path / "sa.xlsx")
    rc, found = sa_against(tmp_path / "t2.xlsx", tmp_path / "sa.xlsx")
    assert "targets-compared" in {x["code"] for x in found}
    assert [x for x in found if x["severity"] != "info"] == [] and rc == 0


def test_t2_provincial_weight_changed_in_the_self_assessment(tmp_path):
    t2_provincial_targets(tmp_path / "t2.xlsx")
    rows = project_rows()
    rows = with_row(with_row(rows, 0, weight=15, score=15), 1, weight=5, score=5)      # 10 + 10 declared
    info = v2_central(tmp_path / "sa.xlsx", rows)
    rc, found = sa_against(tmp_path / "t2.xlsx", tmp_path / "sa.xlsx")
    cells = {(x["cell"], x["code"]) for x in found}
    assert (info["weight"][0], "declared-weight-changed") in cells, found
    assert (info["weight"][1], "declared-weight-changed") in cells
    assert rc == 1


def t3_goal_split_targets(path: Path, *, goal: str) -> dict:
    """A 绩效目标表 whose goal block has 中期目标 | 年度目标 columns over the goal texts (中央部门 申报表), a year only in
    the title (2024年度), and 年度指标值 under a 年度绩效指标 label merged over two header rows."""
    rows = project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目绩效目标"
    merge(ws, 1, 1, 1, 6, "2024年度项目支出绩效目标表")
    put(ws, 2, 1, "项目名称")
    merge(ws, 2, 2, 2, 6, SA_NAME)
    put(ws, 3, 1, "主管部门")
    merge(ws, 3, 2, 3, 6, "商务部")
    merge(ws, 4, 1, 5, 1, "总体目标")
    merge(ws, 4, 2, 4, 3, "中期目标（2024-2026年）")
    merge(ws, 4, 4, 4, 6, "年度目标")
    merge(ws, 5, 2, 5, 3, "三年内累计组织商务干部培训200人以上。")
    merge(ws, 5, 4, 5, 6, goal)
    t = write_table(ws, 6, 1, Table([
        (("年度绩效指标", "一级指标"), "l1"), (("年度绩效指标", "二级指标"), "l2"),
        (("年度绩效指标", "三级指标"), "l3"), (("年度绩效指标", "年度指标值"), "target"),
        (("指标值设定依据",), "basis"), (("备注",), "blank"),
    ], merge_levels=True), rows)
    wb.save(path)
    return {"goal": "D5", "rows": t["rows"]}


def test_t3_goal_split_targets(tmp_path):
    t3_goal_split_targets(tmp_path / "t3.xlsx", goal=GOAL)
    assert_clean(tmp_path / "t3.xlsx", kind="targets")
    v2_central(tmp_path / "sa.xlsx")
    rc, found = sa_against(tmp_path / "t3.xlsx", tmp_path / "sa.xlsx")
    assert [x for x in found if x["severity"] != "info"] == [] and rc == 0
    # the goal text says 70 persons, the table ≥69人
    info = t3_goal_split_targets(tmp_path / "t3_bad.xlsx", goal=GOAL.replace("69人", "70人"))
    assert_flagged(tmp_path / "t3_bad.xlsx", info["goal"], "goal-text-mismatch", rc=0)


# --------------------------------------------------------------------------- V12 一级 | 二级 | 指标名称

def v12_named(path: Path, rows=None, *, blank_scores=False) -> dict:
    """Two level columns and the indicator in 指标名称 (北京/上海-style sheets): 一级指标 | 二级指标 | 指标名称 |
    年度目标值 | 实际完成值 | 权重 | 自评得分 | 偏差原因分析 | 改进措施."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    merge(ws, 1, 1, 1, 9, "2024年度项目支出绩效自评表")
    put(ws, 2, 1, "项目名称")
    merge(ws, 2, 2, 2, 9, SA_NAME)
    put(ws, 3, 1, "主管部门")
    merge(ws, 3, 2, 3, 4, "商务部")
    put(ws, 3, 5, "实施单位")
    merge(ws, 3, 6, 3, 9, "商务部国际贸易经济合作研究院")
    fs = funds_score()
    f = write_funds(ws, 4, 1, label="项目资金（万元）", label_span=1,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                    rows=national_funds_rows("95%", fs))
    g = write_goal(ws, f["last"] + 1, 1, 9)
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("指标名称",), "l3"), (("年度目标值",), "target"),
        (("实际完成值",), "actual"), (("权重",), "weight"), (("自评得分",), "score"), (("偏差原因分析",), "reason"),
        (("改进措施",), "blank"),
    ], merge_levels=True), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 5, "合计")
    put(ws, tr, 6, 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, 7, tot)
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "name": [ref(r, t["col"]["l3"]) for r in t["rows"]]}


def test_v12_named_clean(tmp_path):
    info = v12_named(tmp_path / "v12.xlsx")
    assert_clean(tmp_path / "v12.xlsx", total=info["total"])
    info = v12_named(tmp_path / "v12_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v12_blank.xlsx", "Sheet1", info["score"], expected_scores(project_rows()), tmp_path)
    # the indicators are the 指标名称 cells, not their 二级 class: each pairs with the declared 三级指标
    t2_provincial_targets(tmp_path / "t2.xlsx")
    rc, found = sa_against(tmp_path / "t2.xlsx", tmp_path / "v12.xlsx")
    assert [x for x in found if x["severity"] != "info"] == [] and rc == 0


def test_v12_named_indicator_dropped(tmp_path):
    t2_provincial_targets(tmp_path / "t2.xlsx")
    rows = project_rows()
    # an undeclared indicator in place of the declared 参加培训人数
    info = v12_named(tmp_path / "v12_bad.xlsx", with_row(rows, 1, l3="举办专题讲座场次", target="≥3场", actual="3场"))
    rc, found = sa_against(tmp_path / "t2.xlsx", tmp_path / "v12_bad.xlsx")
    cells = {(x["cell"], x["code"]) for x in found}
    assert (info["name"][1], "declared-indicator-added") in cells, found
    assert "declared-indicator-dropped" in {code for _, code in cells}


# --------------------------------------------------------------------------- V13 header repeated after a page break

def v13_repeated_header(path: Path, rows=None, *, blank=False) -> dict:
    """A PDF-to-Excel conversion repeats the table header where the printed page broke (打印标题行): the rows
    under it belong to the same form, which has one funds block and one 总分 row."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    merge(ws, 1, 1, 1, 9, "项目支出绩效自评表")
    merge(ws, 2, 1, 2, 9, "（2024年度）")
    put(ws, 3, 1, "项目名称")
    merge(ws, 3, 2, 3, 9, "商务干部培训经费")
    fs = funds_score()
    f = write_funds(ws, 4, 1, label="项目资金（万元）", label_span=1,
                    heads=("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
                    rows=national_funds_rows("95%", fs))
    g = write_goal(ws, f["last"] + 1, 1, 9)
    table = Table([(("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("年度指标值",), "target"),
                   (("实际完成值",), "actual"), (("分值",), "weight"), (("得分",), "score"),
                   (("偏差原因分析及改进措施",), "reason")])
    t1 = write_table(ws, g["last"] + 1, 1, table, rows[:5], blank_scores=blank)
    t2 = write_table(ws, t1["last"] + 1, 1, table, rows[5:], blank_scores=blank)     # the header again
    tr = t2["last"] + 1
    merge(ws, tr, 1, tr, 5, "总分")
    put(ws, tr, 6, 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank:
        put(ws, tr, 7, tot)
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, 7) for r in t1["rows"] + t2["rows"]],
            "total_cell": ref(tr, 7)}


def test_v13_repeated_header_clean(tmp_path):
    info = v13_repeated_header(tmp_path / "v13.xlsx")
    assert_clean(tmp_path / "v13.xlsx", total=info["total"])
    info = v13_repeated_header(tmp_path / "v13_blank.xlsx", blank=True)
    assert_rows_read(tmp_path / "v13_blank.xlsx", "Sheet1", info["score"] + [info["total_cell"]],
                     expected_scores(project_rows()) + [info["total"]], tmp_path)


def test_v13_repeated_header_wrong_total(tmp_path):
    rows = with_row(project_rows(), 7, score=8)              # 达成 scored 8 of 10 (in band), total not updated
    info = v13_repeated_header(tmp_path / "v13_bad.xlsx", rows)
    wb = openpyxl.load_workbook(tmp_path / "v13_bad.xlsx")
    wb.active[info["total_cell"]] = 98.5                      # 96.5 by the rows
    wb.save(tmp_path / "v13_bad.xlsx")
    assert_flagged(tmp_path / "v13_bad.xlsx", info["total_cell"], "total-mismatch")


def test_two_targets_tables_stacked_stay_two(tmp_path):
    """Two 绩效目标表 one under the other with the same header and no total rows: the second begins with its title
    and 项目名称, so its header is not a page-break repeat of the first."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    table = Table([(("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("指标值",), "target")])
    top = 1
    for name, rows in (("商务干部培训经费", project_rows()), ("2024年展会活动经费", second_rows())):
        merge(ws, top, 1, top, 4, "项目支出绩效目标表")
        put(ws, top + 1, 1, "项目名称")
        merge(ws, top + 1, 2, top + 1, 4, name)
        t = write_table(ws, top + 2, 1, table, rows)
        top = t["last"] + 2
    wb.save(tmp_path / "two_targets.xlsx")
    rc, res = check(tmp_path / "two_targets.xlsx")
    assert res[0]["kind"] == "targets" and rc == 0
    assert [x["code"] for x in res[0]["findings"]].count("sheet-not-checked") == 2, res


# --------------------------------------------------------------------------- V14 部门整体 with two funds breakdowns

def v14_department_two_breakdowns(path: Path, rows=None, *, blank_scores=False, basic_spent=818.5,
                                  marker_column=False) -> dict:
    """部门（单位）整体支出绩效自评表 with the funds broken down twice: 按收入性质分 (财政拨款 / 其他资金) and
    按支出性质分 (基本支出 / 项目支出) — each breakdown adds up to the total; the grade on the 总分 row (自评等级 | 优).
    *marker_column*: the breakdown label in its own cell merged down beside the sub-row labels."""
    rows = rows or dept_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    merge(ws, 1, 1, 1, 10, "部门（单位）整体支出绩效自评表")
    merge(ws, 2, 1, 2, 10, "（2024年度）")
    put(ws, 3, 1, "部门（单位）名称")
    merge(ws, 3, 2, 3, 10, "某市商务局")
    budget, spent = 1250.0, 1187.5
    fs = funds_score(budget, spent)
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    f = write_funds(ws, 4, 1, label="年度预算执行情况（万元）", label_span=2, heads=heads, rows=[
        ("年度资金总额", dict(zip(heads, (1200, budget, spent, 10, "95%", fs)))),
        ("按收入性质分：财政拨款", dict(zip(heads, (1150, 1200, 1140)))),
        ("其他资金", dict(zip(heads, (50, 50, 47.5)))),
        ("按支出性质分：基本支出", dict(zip(heads, (800, 820, basic_spent)))),
        ("项目支出", dict(zip(heads, (400, 430, 369)))),
    ])
    if marker_column:
        for r1, marker in ((6, "按收入性质分"), (8, "按支出性质分")):
            for r in (r1, r1 + 1):
                ws.unmerge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
                put(ws, r, 3, ws.cell(row=r, column=2).value.split("：")[-1])
                ws.cell(row=r, column=2).value = None
            merge(ws, r1, 2, r1 + 1, 2, marker)
    g = write_goal(ws, f["last"] + 1, 1, 10, expected="全年组织招商推介活动12场，社会消费品零售总额增长6%。",
                   actual="全年组织招商推介活动12场，社会消费品零售总额增长5.4%。")
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("年度指标值",), "target"),
        (("实际完成值",), "actual"), (("分值",), "weight"), (("得分",), "score"),
        (("偏差原因分析及改进措施", "原因分析"), "reason"), (("偏差原因分析及改进措施", "改进措施"), "blank"),
    ], merge_levels=True, side_label="年度绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 6, "总分")
    put(ws, tr, 7, 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, 8, tot)
    put(ws, tr, 9, "自评等级")
    put(ws, tr, 10, grade_of(tot))
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "grade": ref(tr, 10), "spent_total": ref(f["rows"]["年度资金总额"], f["col"]["全年执行数"])}


def test_v14_department_two_breakdowns_clean(tmp_path):
    info = v14_department_two_breakdowns(tmp_path / "v14.xlsx")
    assert_clean(tmp_path / "v14.xlsx", total=info["total"])
    info = v14_department_two_breakdowns(tmp_path / "v14_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v14_blank.xlsx", "Sheet1", info["score"], expected_scores(dept_rows()), tmp_path)


def test_v14_department_breakdown_does_not_add_up(tmp_path):
    info = v14_department_two_breakdowns(tmp_path / "v14_bad.xlsx", basic_spent=808.5)   # 808.5 + 369 ≠ 1187.5
    assert_flagged(tmp_path / "v14_bad.xlsx", info["spent_total"], "funds-subrows-sum")


@pytest.mark.parametrize("basic_spent, clean", [(818.5, True), (808.5, False)])
def test_v14_breakdown_label_in_its_own_column(tmp_path, basic_spent, clean):
    p = tmp_path / "v14m.xlsx"
    info = v14_department_two_breakdowns(p, basic_spent=basic_spent, marker_column=True)
    if clean:
        assert_clean(p, total=info["total"])
    else:
        assert_flagged(p, info["spent_total"], "funds-subrows-sum")


# --------------------------------------------------------------------------- V15 other header words

def v15_other_words(path: Path, rows=None, *, blank_scores=False, rate=95) -> dict:
    """Header words other templates print: funds 预算数 as 年初预算数（万元）| 调整后预算数 | 实际执行数 | 权重 |
    预算执行率（%） holding 95 (percentage points) | 得分; indicators 全年指标值 | 全年实际完成值 | 指标分值 | 自评得分（分） |
    偏差原因及改进措施."""
    rows = rows or project_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    merge(ws, 1, 1, 1, 9, "2024年度项目支出绩效自评表")
    put(ws, 2, 1, "项目名称")
    merge(ws, 2, 2, 2, 9, "商务干部培训经费")
    put(ws, 3, 1, "主管部门")
    merge(ws, 3, 2, 3, 4, "某市商务局")
    put(ws, 3, 5, "实施单位")
    merge(ws, 3, 6, 3, 9, "某市商务局")
    heads = ("年初预算数（万元）", "调整后预算数", "实际执行数", "权重", "预算执行率（%）", "得分")
    fs = funds_score()
    f = write_funds(ws, 4, 1, label="项目资金（万元）", label_span=1, heads=heads,
                    rows=national_funds_rows(rate, fs, weight_head="权重", rate_head="预算执行率（%）",
                                             heads=heads[:3]))
    g = write_goal(ws, f["last"] + 1, 1, 9)
    t = write_table(ws, g["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("全年指标值",), "target"),
        (("全年实际完成值",), "actual"), (("指标分值",), "weight"), (("自评得分（分）",), "score"),
        (("偏差原因及改进措施",), "reason"),
    ], merge_levels=True, side_label="绩效指标"), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 6, "总分")
    put(ws, tr, 7, 100)
    tot = round(fs + sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, 8, tot)
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, t["col"]["score"]) for r in t["rows"]],
            "funds_rate": ref(f["rows"]["年度资金总额"], f["col"]["预算执行率（%）"])}


def test_v15_other_words_clean(tmp_path):
    info = v15_other_words(tmp_path / "v15.xlsx")
    assert_clean(tmp_path / "v15.xlsx", total=info["total"])
    info = v15_other_words(tmp_path / "v15_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v15_blank.xlsx", "Sheet1", info["score"], expected_scores(project_rows()), tmp_path)


def test_v15_other_words_wrong_rate(tmp_path):
    info = v15_other_words(tmp_path / "v15_bad.xlsx", rate=97)
    assert_flagged(tmp_path / "v15_bad.xlsx", info["funds_rate"], "funds-rate-mismatch")


# --------------------------------------------------------------------------- V16 label and value in one cell

def v16_inline_header(path: Path, rows=None) -> dict:
    """The header block typed as 'label：value' in single cells (项目名称：…, 主管部门：… 实施单位：…), the year in the
    title line only; otherwise the 中央部门 layout of v2."""
    v2_central(path, rows)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for rng in [m for m in ws.merged_cells.ranges if m.min_row in (2, 3)]:
        ws.unmerge_cells(str(rng))
    for r in (2, 3):
        for c in range(1, 11):
            ws.cell(row=r, column=c).value = None
    merge(ws, 2, 1, 2, 10, f"项目名称：{SA_NAME}")
    merge(ws, 3, 1, 3, 5, "主管部门：商务部")
    merge(ws, 3, 6, 3, 10, "实施单位：商务部国际贸易经济合作研究院")
    wb.save(path)
    return {}


def test_v16_inline_header_pairs_with_its_targets(tmp_path):
    v16_inline_header(tmp_path / "v16.xlsx")
    assert_clean(tmp_path / "v16.xlsx", total=round(funds_score() + sum(r.score for r in project_rows()), 2))
    t2_provincial_targets(tmp_path / "t2.xlsx")
    rc, found = sa_against(tmp_path / "t2.xlsx", tmp_path / "v16.xlsx")
    assert "targets-compared" in {x["code"] for x in found}
    assert [x for x in found if x["severity"] != "info"] == [] and rc == 0
    # the project name is read from its cell (the summary line and the batch table show it)
    assert f"自评表 {SA_NAME} 总分" in run_cli("check", str(tmp_path / "v16.xlsx")).stdout


# --------------------------------------------------------------------------- V17 指标值 over 目标值 | 实际值, funds unscored

def v17_value_group(path: Path, rows=None, *, blank_scores=False) -> dict:
    """A 2-row header whose 指标值 label spans 年度目标值 | 实际完成值 below it; the funds block reports 执行率 without
    points, so the indicators carry all 100 (weights 12 + 8 × 11)."""
    base = rows or project_rows()
    weights = [12, 11, 11, 11, 11, 11, 11, 11, 11]
    rows = [replace(r, weight=w, score=(round(w * 0.9, 2) if r.score != r.weight else w)) for r, w in zip(base, weights)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    merge(ws, 1, 1, 1, 8, "2024年度项目支出绩效自评表")
    put(ws, 2, 1, "项目名称")
    merge(ws, 2, 2, 2, 8, "商务干部培训经费")
    heads = ("年初预算数", "全年预算数", "全年执行数", "执行率")
    f = write_funds(ws, 3, 1, label="项目资金（万元）", label_span=1, heads=heads, rows=[
        ("年度资金总额", {"年初预算数": 60, "全年预算数": 60, "全年执行数": 57, "执行率": "95%"}),
        ("其中：财政拨款", {"年初预算数": 60, "全年预算数": 60, "全年执行数": 57}),
    ])
    t = write_table(ws, f["last"] + 1, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("指标值", "年度目标值"), "target"),
        (("指标值", "实际完成值"), "actual"), (("分值",), "weight"), (("得分",), "score"), (("偏差原因",), "reason"),
    ], merge_levels=True), rows, blank_scores=blank_scores)
    tr = t["last"] + 1
    merge(ws, tr, 1, tr, 5, "总分")
    put(ws, tr, 6, 100)
    tot = round(sum(r.score for r in rows), 2)
    if not blank_scores:
        put(ws, tr, 7, tot)
    wb.save(path)
    return {"sheet": "Sheet1", "total": tot, "score": [ref(r, 7) for r in t["rows"]], "rows": rows,
            "actual": [ref(r, 5) for r in t["rows"]]}


def test_v17_value_group_clean(tmp_path):
    info = v17_value_group(tmp_path / "v17.xlsx")
    assert info["total"] == pytest.approx(98.9)            # 100 − 10% of the 11-point 促成对接洽谈项目 row
    assert_clean(tmp_path / "v17.xlsx", total=info["total"])
    info = v17_value_group(tmp_path / "v17_blank.xlsx", blank_scores=True)
    assert_rows_read(tmp_path / "v17_blank.xlsx", "Sheet1", info["score"], [r.score for r in info["rows"]], tmp_path)


def test_v17_qualitative_actual_for_numeric_target(tmp_path):
    info = v17_value_group(tmp_path / "v17_bad.xlsx", with_row(project_rows(), 1, actual="达到预期指标"))
    assert_flagged(tmp_path / "v17_bad.xlsx", info["actual"][1], "qualitative-actual")



# --------------------------------------------------------------------------- V18 formulas, saved by a spreadsheet

def v18_formulas(path: Path, tmp: Path, *, sum_rows_short=False) -> dict:
    """The v1 national form as a clerk keeps it in Excel/WPS: 执行率 =E/D in a 0.00% cell, the funds 得分
    =分值×MIN(1,执行率), the total =SUM(scores)+funds score; saved by a real spreadsheet (LibreOffice) so the cached
    results are in the file. *sum_rows_short*: the SUM misses the last indicator row (a classic)."""
    src = tmp / ("src_" + path.name)
    info = v1_national(src)
    wb = openpyxl.load_workbook(src)
    ws = wb.active
    rate, score = info["funds_rate"], info["funds_score"]
    r = int(rate[1:])
    ws[rate] = f"=F{r}/E{r}"
    ws[rate].number_format = "0.00%"
    ws[score] = f"=G{r}*MIN(1,{rate})"
    first, last = info["score"][0], info["score"][-1]
    if sum_rows_short:
        last = f"{last[0]}{int(last[1:]) - 1}"
    ws[info["total_cell"]] = f"=SUM({first}:{last})+{score}"
    wb.save(src)
    out = convert(src, tmp / "lo")
    out.rename(path)
    return info


@needs_soffice
def test_v18_formulas_clean_and_sum_short(tmp_path):
    info = v18_formulas(tmp_path / "v18.xlsx", tmp_path)
    assert_clean(tmp_path / "v18.xlsx", total=info["total"])
    info = v18_formulas(tmp_path / "v18_bad.xlsx", tmp_path, sum_rows_short=True)
    assert_flagged(tmp_path / "v18_bad.xlsx", info["total_cell"], "total-mismatch")


# --------------------------------------------------------------------------- T4 部门整体支出绩效目标表

def t4_department_targets(path: Path, *, goal: str) -> dict:
    """部门（单位）整体支出绩效目标表: 部门名称, a 年度主要任务 table (任务名称 | 主要内容 | 预算金额（万元）) with its
    合计, 年度总体目标 text, then the indicators 一级 | 二级 | 三级 | 指标值."""
    rows = dept_rows()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门整体绩效目标"
    merge(ws, 1, 1, 1, 6, "部门（单位）整体支出绩效目标表")
    merge(ws, 2, 1, 2, 6, "（2024年度）")
    put(ws, 3, 1, "部门名称")
    merge(ws, 3, 2, 3, 6, "某市商务局")
    merge(ws, 4, 1, 7, 1, "年度主要任务")
    put(ws, 4, 2, "任务名称")
    merge(ws, 4, 3, 4, 5, "主要内容")
    put(ws, 4, 6, "预算金额（万元）")
    for r, (task, what, amount) in enumerate((("招商引资", "组织招商推介活动12场", 300),
                                               ("促进消费", "开展促消费活动，推动社会消费品零售总额增长", 130)), 5):
        put(ws, r, 2, task)
        merge(ws, r, 3, r, 5, what)
        put(ws, r, 6, amount)
    put(ws, 7, 2, "合计")
    put(ws, 7, 6, 430)
    put(ws, 8, 1, "年度总体目标")
    merge(ws, 8, 2, 8, 6, goal)
    t = write_table(ws, 9, 1, Table([
        (("一级指标",), "l1"), (("二级指标",), "l2"), (("三级指标",), "l3"), (("指标值",), "target"),
        (("指标值设定依据",), lambda i: "年度工作计划"), (("备注",), "blank"),
    ], merge_levels=True, side_label="年度绩效指标"), rows)
    wb.save(path)
    return {"goal": "B8", "rows": t["rows"]}


def test_t4_department_targets(tmp_path):
    goal = "全年组织招商推介活动12场，社会消费品零售总额增长6%，企业满意度90%以上。"
    t4_department_targets(tmp_path / "t4.xlsx", goal=goal)
    assert_clean(tmp_path / "t4.xlsx", kind="targets")
    # every declared row is found by the matching 部门整体 self-assessment
    v9_department(tmp_path / "sa.xlsx")
    rc, found = sa_against(tmp_path / "t4.xlsx", tmp_path / "sa.xlsx")
    assert "targets-compared" in {x["code"] for x in found}
    assert [x for x in found if x["severity"] != "info"] == [] and rc == 0
    # the goal text says 10场, the table ≥12场
    info = t4_department_targets(tmp_path / "t4_bad.xlsx", goal=goal.replace("12场", "10场"))
    assert_flagged(tmp_path / "t4_bad.xlsx", info["goal"], "goal-text-mismatch", rc=0)


def test_v3_rates_left_as_slash_on_deadline_and_qualitative_rows(tmp_path):
    """Clerks put “/” in 完成率 where a rate means nothing (a deadline, a qualitative band): not a finding."""
    rows = with_row(with_row(project_rows(), 3, rate="/"), 7, rate="/")
    info = v3_provincial(tmp_path / "v3_slash.xlsx", rows)
    assert_clean(tmp_path / "v3_slash.xlsx", total=info["total"])


def _unmerge_all(path: Path):
    """What a PDF-to-Excel conversion often leaves: the merges gone, each label in its top-left cell only."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for m in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(m))
    wb.save(path)


def test_merges_lost_in_conversion(tmp_path):
    # a targets sheet whose 指标值 stood merged down beside 绩效指标 over 一级 | 二级 | 三级
    t1_national_targets(tmp_path / "t1.xlsx")
    _unmerge_all(tmp_path / "t1.xlsx")
    assert_clean(tmp_path / "t1.xlsx", kind="targets")
    v2_central(tmp_path / "sa.xlsx")
    rc, found = sa_against(tmp_path / "t1.xlsx", tmp_path / "sa.xlsx")
    assert [x for x in found if x["severity"] != "info"] == [] and rc == 0
    # the 3-row header self-assessment
    info = v4_three_row_header(tmp_path / "v4.xlsx")
    _unmerge_all(tmp_path / "v4.xlsx")
    assert_clean(tmp_path / "v4.xlsx", total=info["total"])


@pytest.mark.parametrize("written, ok", [("自评等级：优秀", True), ("自评等级：良好", False),
                                         ("评价结果：☑优秀 ☐良好 ☐中等 ☐较差", True),
                                         ("评价结果：☐优秀 ☑良好 ☐中等 ☐较差", False)])
def test_grade_written_in_full(tmp_path, written, ok):
    """优秀 / 良好 / 中等 / 较差 name the bands 优 / 良 / 中 / 差: 优秀 for 98.5 is right, 良好 is not."""
    p = tmp_path / "g.xlsx"
    info = v1_national(p)
    wb = openpyxl.load_workbook(p)
    wb.active[info["grade"]] = written
    wb.save(p)
    if ok:
        assert_clean(p, total=info["total"])
        out = tmp_path / "g.out.xlsx"
        run_cli("recalc", str(p), "-o", str(out))
        assert openpyxl.load_workbook(out).active[info["grade"]].value == written      # nothing to correct
    else:
        res = assert_flagged(p, info["grade"], "grade-mismatch")
        f = next(x for x in res[0]["findings"] if x["code"] == "grade-mismatch")
        assert f["found"] == "良好" and f["expected"] == "优"
