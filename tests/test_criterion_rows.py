"""Scoring-table layouts from issue 12 item 2, read in process (no files): a 三级 leaf merged over its ①②③ criterion
rows, each with its points in brackets and its own score; and a criteria-only indicator system (no 得分 column)."""

from __future__ import annotations

from xlscore.engine import analyse_scoring
from xlscore.grid import Grid
from xlscore.read.tree import read_trees
from xlscore.rules.profile import load_profile

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"]


def _grid(rows, merges):
    g = Grid("评分表")
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            g.set(r, c, v)
    g.merges = list(merges)
    return g


def _criteria_table(scores=(2, 1, 2, 8, 6), subtotal=19, total=19):
    a, b, c, d, e = scores
    rows = [
        HEADER,
        ["决策 (20分)", "项目立项 (20分)", "立项依据充分性", 6, "①符合国家法律法规（2分）", a],
        [None, None, None, None, "②与部门职责相符（2分）", b],
        [None, None, None, None, "③属于公共财政支持范围（2分）", c],
        [None, None, "立项程序规范性", 14, "①按规定程序申请设立（8分）", d],
        [None, None, None, None, "②审批文件材料符合要求（6分）", e],
        [None, "小计", None, 20, None, subtotal],
        ["合计", None, None, 20, None, total],
    ]
    # the 三级 name and its 分值 merged over the criterion rows; each row keeps its own 评分标准 and 得分
    merges = [(2, 1, 7, 1), (2, 2, 6, 2), (2, 3, 4, 3), (2, 4, 4, 4), (5, 3, 6, 3), (5, 4, 6, 4)]
    return _grid(rows, merges)


def _findings(grid):
    res = analyse_scoring(grid, load_profile())
    return res, {(f.cell, f.code): f.severity for f in res.findings}


def test_leaf_merged_over_its_criterion_rows_is_their_sum():
    (tree,) = read_trees(_criteria_table())
    leaf = tree.roots[0].children[0].children[0]
    assert leaf.name == "立项依据充分性" and leaf.weight == 6
    assert [(c.weight, c.score.raw) for c in leaf.children] == [(2, 2), (2, 1), (2, 2)]
    assert all(c.is_item for c in leaf.children)
    res, found = _findings(_criteria_table())
    assert res.total == 19
    assert [k for k, v in found.items() if v != "info"] == []


def test_criterion_rows_mistakes_are_flagged_at_their_cells():
    # a row scored above its bracket points, and a total that is not the rows' sum
    res, found = _findings(_criteria_table(scores=(3, 1, 2, 8, 6), subtotal=20, total=19))
    assert found.get(("F2", "scoring-score-range")) == "error"
    res, found = _findings(_criteria_table(total=20))
    assert found.get(("F8", "scoring-total-mismatch")) == "error"
    res, found = _findings(_criteria_table(subtotal=18))
    assert found.get(("F7", "scoring-subtotal-mismatch")) == "error"


def test_bracket_points_must_add_up_to_the_merged_weight():
    g = _criteria_table()
    g.set(5, 4, 15)             # 立项程序规范性 15, its rows 8 + 6
    g.set(7, 4, 21)
    g.set(8, 4, 21)
    _, found = _findings(g)
    assert found.get(("D5", "scoring-weights-children")) == "error"


def test_criteria_only_table_reads_as_a_tree_not_scored_yet():
    rows = [
        ["评价指标体系"],
        ["一级指标", "二级指标", "三级指标", "评分标准"],
        ["决策（20分）", "项目立项（10分）", "立项依据充分性（5分）", "符合的得满分，基本符合的得部分分，不符合的扣分"],
        [None, None, "立项程序规范性（5分）", "健全的得5分，基本健全的得3分，不健全的扣5分。"],
        [None, "绩效目标（10分）", "绩效目标合理性（10分）", "设有目标(2分)目标明确(3分)目标细化(3分)目标量化(2分)"],
        ["产出（80分）", "产出数量（80分）", "完成率（80分）", "得分值=年度建设任务完成率(超过100%以100%计算)×80"],
    ]
    g = _grid(rows, [(3, 1, 5, 1), (3, 2, 4, 2)])
    (tree,) = read_trees(g)
    assert [(r.name, r.weight) for r in tree.roots] == [("决策", 20), ("产出", 80)]
    assert len(tree.leaves) == 4
    res, found = _findings(g)
    assert found.get(("A2", "scoring-blank")) == "info"
    assert all(v == "info" for v in found.values()), found
    assert res.total is None


def test_a_targets_sheet_with_a_rule_column_is_not_a_criteria_table():
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值", "评分标准"],
        ["产出指标", "数量指标", "培训人数", "≥1200人", "每少10人扣0.1分"],
    ]
    assert read_trees(_grid(rows, [])) == []


def _two_blocks(block_subtotal=19, total=29):
    """Two 一级 blocks of merged-criterion leaves, each closed by a 一级 小计 row (小计 in the 一级 column)."""
    rows = [
        HEADER,
        ["决策 (20分)", "项目立项 (20分)", "立项依据充分性", 6, "①符合国家法律法规（2分）", 2],
        [None, None, None, None, "②与部门职责相符（2分）", 1],
        [None, None, None, None, "③属于公共财政支持范围（2分）", 2],
        [None, None, "立项程序规范性", 14, "①按规定程序申请设立（8分）", 8],
        [None, None, None, None, "②审批文件材料符合要求（6分）", 6],
        ["小计", None, None, 20, None, block_subtotal],
        ["过程 (10分)", "资金管理 (10分)", "资金使用合规性", 10, "①按规定用途使用（5分）", 5],
        [None, None, None, None, "②无截留挪用（5分）", 5],
        ["小计", None, None, 10, None, 10],
        ["合计", None, None, 30, None, total],
    ]
    merges = [(2, 1, 6, 1), (2, 2, 6, 2), (2, 3, 4, 3), (2, 4, 4, 4), (5, 3, 6, 3), (5, 4, 6, 4),
              (8, 1, 9, 1), (8, 2, 9, 2), (8, 3, 9, 3), (8, 4, 9, 4)]
    return _grid(rows, merges)


def test_level1_subtotals_under_merged_criterion_leaves():
    res, found = _findings(_two_blocks())
    assert res.total == 29
    assert [k for k, v in found.items() if v != "info"] == []
    res, found = _findings(_two_blocks(block_subtotal=20, total=30))
    errors = [k for k, v in found.items() if v == "error"]
    assert ("F7", "scoring-subtotal-mismatch") in errors           # 2+1+2+8+6 = 19, not 20
