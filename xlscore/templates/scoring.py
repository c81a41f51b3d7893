"""评价评分表 (an evaluator's scoring table): up to four indicator levels, each a 名称 | 权重(分) pair, then
指标解释 | 评分标准 | 得分 | 扣分 | 得分率 | 扣分原因; a 小计 row under each level-1 block, 合计 and 评价等级.

Pre-filled with the common indicator framework of 财预〔2020〕10号 (决策 / 过程 / 产出 / 效益, three
levels, 四级 left free) and a weight split that sums to 100; the evaluator edits names, weights and
评分标准 to fit the project and types the leaf 得分 and 扣分原因. 扣分, 得分率, the 小计 rows, 合计 and
评价等级 are result cells, filled by ``xlscore recalc``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import write_cell
from .style import Styles, instructions, page_setup, protect, validate


@dataclass(frozen=True)
class Leaf:
    path: tuple[str, ...]                 # level-1 … level-n names
    weights: tuple[float, ...]            # one weight per level, the leaf's last
    rule: str = ""
    explanation: str = ""


_PROPORTIONAL = "{r}={num}/{den}×100%，得分={r}×指标权重。"
FRAMEWORK: tuple[Leaf, ...] = (
    Leaf(("决策", "项目立项", "立项依据充分性"), (15, 5, 3),
         "每发现1处不符合扣25%权重分，扣完为止。", "项目立项是否符合法律法规、相关政策、发展规划以及部门职责。"),
    Leaf(("决策", "项目立项", "立项程序规范性"), (15, 5, 2),
         "每发现1处不符合扣50%权重分，扣完为止。", "项目申请、设立过程是否符合相关要求。"),
    Leaf(("决策", "绩效目标", "绩效目标合理性"), (15, 5, 3),
         "每发现1处不符合扣1分，扣完为止。", "绩效目标是否与实际工作内容相关、与预算相匹配。"),
    Leaf(("决策", "绩效目标", "绩效指标明确性"), (15, 5, 2),
         "每发现1处不符合扣1分，扣完为止。", "绩效目标是否细化分解为清晰、可衡量的指标。"),
    Leaf(("决策", "资金投入", "预算编制科学性"), (15, 5, 3),
         "每发现1处不符合扣1分，扣完为止。", "预算编制是否经过科学论证、测算依据是否充分。"),
    Leaf(("决策", "资金投入", "资金分配合理性"), (15, 5, 2),
         "每发现1处不符合扣1分，扣完为止。", "资金分配依据是否充分、额度是否合理。"),
    Leaf(("过程", "资金管理", "资金到位率"), (25, 15, 5),
         _PROPORTIONAL.format(r="资金到位率", num="实际到位资金", den="预算资金"), "实际到位资金与预算资金的比率。"),
    Leaf(("过程", "资金管理", "预算执行率"), (25, 15, 5),
         "预算执行率≥95%，得满分，否则按实际预算执行率×指标权重得分。", "预算资金是否按照计划执行。"),
    Leaf(("过程", "资金管理", "资金使用合规性"), (25, 15, 5),
         "每发现1处不符合扣25%权重分，扣完为止。", "资金使用是否符合财务管理制度和资金管理办法。"),
    Leaf(("过程", "组织实施", "管理制度健全性"), (25, 10, 5),
         "每发现1处不符合扣1分，扣完为止。", "是否已制定相应的财务和业务管理制度。"),
    Leaf(("过程", "组织实施", "制度执行有效性"), (25, 10, 5),
         "每发现1处不符合扣1分，扣完为止。", "项目实施是否符合相关管理规定。"),
    Leaf(("产出", "产出数量", "实际完成率"), (30, 10, 10),
         _PROPORTIONAL.format(r="实际完成率", num="实际产出数", den="计划产出数"), "实际产出数与计划产出数的比率。"),
    Leaf(("产出", "产出质量", "质量达标率"), (30, 8, 8),
         _PROPORTIONAL.format(r="质量达标率", num="质量达标产出数", den="实际产出数"), "达到质量标准的产出数的比率。"),
    Leaf(("产出", "产出时效", "完成及时性"), (30, 6, 6),
         "按计划时间完成得满分，否则不得分。", "项目是否按计划时间完成。"),
    Leaf(("产出", "产出成本", "成本节约率"), (30, 6, 6),
         "成本节约率在±5%区间，得满分；超出区间范围，按每超出1%扣0.1分，扣完为止。", "完成计划工作目标的成本节约程度。"),
    Leaf(("效益", "项目效益", "社会效益"), (30, 20, 10),
         "根据项目实施产生的社会效益酌情评分。", "项目实施对社会发展带来的直接或间接影响。"),
    Leaf(("效益", "项目效益", "经济效益"), (30, 20, 5),
         "根据项目实施产生的经济效益酌情评分。", "项目实施对经济发展带来的直接或间接影响。"),
    Leaf(("效益", "项目效益", "可持续影响"), (30, 20, 5),
         "根据项目长效管理机制酌情评分。", "项目实施对可持续发展带来的影响。"),
    Leaf(("效益", "满意度", "服务对象满意度"), (30, 10, 10),
         "满意度≥90%得满分，每低于目标值1%（含不足1%部分）扣除5%权重分，扣完为止。", "服务对象对项目实施效果的满意程度。"),
)

LEVELS = 4
NAME_W, WEIGHT_W = 12, 7
TAIL = (("指标解释", 28, "input", None, "left"), ("评分标准", 36, "input", None, "left"),
        ("得分", 8, "input", "0.00", "center"), ("扣分（自动计算）", 9, "result", "0.00", "center"),
        ("得分率（自动计算）", 10, "result", "0.00%", "center"), ("扣分原因", 30, "input", None, "left"))
C_EXPL = 2 * LEVELS
C_RULE, C_SCORE, C_DED, C_RATE, C_REASON = C_EXPL + 1, C_EXPL + 2, C_EXPL + 3, C_EXPL + 4, C_EXPL + 5
LAST = C_REASON
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标")

STEPS = [
    "本表由评价机构（或财政部门）填写。表中已按财预〔2020〕10号的共性指标框架（决策、过程、产出、效益）预填指标、权重和"
    "评分标准，请按项目实际修改；四级指标可不用。",
    "每级指标的“权重(分)”：下级权重之和等于上级权重，一级权重之和为 100。指标名称可带分值，也可只填在权重列。",
    "在末级指标行填写“得分”和“扣分原因”。扣分原因中写明“扣1分”之类的扣分数，xlscore 会核对它与得分是否一致。",
    "浅蓝色单元格（扣分、得分率、小计、合计、评价等级）由 xlscore 计算：命令行运行 xlscore recalc 本文件.xlsx，"
    "或在 Excel 中点“xlscore”选项卡的“重新计算”。扣分＝权重−得分，得分率＝得分÷权重。",
    "评分标准尽量写成可核算的形式，例如“每发现1处不符合扣25%权重分，扣完为止”“得分=资金到位率×指标权重”"
    "“按计划时间完成得满分，否则不得分”；xlscore 会把它译成规则并核对得分（无法核算的标准只核对上下限）。",
    "评价等级：优≥90，良≥80，中≥60，差<60（可用 --profile 改用其他等级线）。",
]

EXAMPLE = [
    ("一级指标 名称 | 权重(分)", "过程 | 25", ""),
    ("二级指标 名称 | 权重(分)", "资金管理 | 15", "下级权重之和＝15"),
    ("三级指标 名称 | 权重(分)", "资金使用合规性 | 5", ""),
    ("评分标准", "每发现1处不符合扣25%权重分，扣完为止。", "每处扣 5×25%＝1.25 分"),
    ("得分", "3.75", "发现 1 处不符合"),
    ("扣分（自动计算）", "1.25", "xlscore 计算：5−3.75"),
    ("得分率（自动计算）", "75.00%", "xlscore 计算：3.75÷5"),
    ("扣分原因", "一笔支出缺少验收单据，扣1.25分。", "写明扣分数"),
]


def build(wb, styles: Styles, data: dict | None = None, n_blank: int | None = None) -> None:
    data = data or {}
    leaves: tuple[Leaf, ...] = tuple(data.get("leaves") or FRAMEWORK)
    ws = wb.add_worksheet("评分表")
    ws.merge_range(0, 0, 0, LAST, data.get("title") or "项目绩效评价指标评分表", styles.get("title"))
    ws.set_row(0, 30)
    ws.write(1, 0, "项目名称", styles.get("label"))
    ws.merge_range(1, 1, 1, 7, data.get("项目名称") or "", styles.get("input", None, "left"))
    ws.write(1, 8, "评价机构", styles.get("label"))
    ws.merge_range(1, 9, 1, LAST, data.get("评价机构") or "", styles.get("input", None, "left"))

    # ---- two header rows: 一级指标 … over 名称 | 权重(分)
    h = 3
    for lv in range(LEVELS):
        ws.merge_range(h, 2 * lv, h, 2 * lv + 1, LEVEL_NAMES[lv], styles.get("label"))
        ws.write(h + 1, 2 * lv, "名称", styles.get("label"))
        ws.write(h + 1, 2 * lv + 1, "权重(分)", styles.get("label"))
        ws.set_column(2 * lv, 2 * lv, NAME_W)
        ws.set_column(2 * lv + 1, 2 * lv + 1, WEIGHT_W)
    for i, (label, width, _kind, _fmt, _al) in enumerate(TAIL):
        ws.merge_range(h, C_EXPL + i, h + 1, C_EXPL + i, label, styles.get("label"))
        ws.set_column(C_EXPL + i, C_EXPL + i, width)
    ws.set_row(h, 24)
    ws.set_row(h + 1, 20)

    # ---- body: leaves grouped by level 1, a 小计 row after each group
    row = h + 2
    groups: list[list[Leaf]] = []
    for leaf in leaves:
        if groups and groups[-1][0].path[0] == leaf.path[0]:
            groups[-1].append(leaf)
        else:
            groups.append([leaf])
    for group in groups:
        first = row
        for leaf in group:
            _leaf_row(ws, styles, row, leaf)
            row += 1
        # 小计 of the level-1 block: in the 二级 column, under the level-1 name merged over the block
        ws.merge_range(row, 2, row, 2 * LEVELS - 1, "小计", styles.get("label"))
        _merge_levels(ws, styles, group, first)
        ws.merge_range(row, C_EXPL, row, C_RULE, "", styles.get("label"))
        write_cell(ws, styles, row, C_SCORE, None, "result", "0.00")
        write_cell(ws, styles, row, C_DED, None, "result", "0.00")
        write_cell(ws, styles, row, C_RATE, None, "result", "0.00%")
        write_cell(ws, styles, row, C_REASON, None, "label")
        row += 1
    last_leaf_row = row - 1
    validate(ws, "eval_level1", h + 2, last_leaf_row, 0)

    ws.write(row, 0, "合计", styles.get("label"))
    write_cell(ws, styles, row, 1, 100, "label", "0.00")
    ws.merge_range(row, 2, row, C_RULE, "", styles.get("label"))
    write_cell(ws, styles, row, C_SCORE, None, "result", "0.00")
    write_cell(ws, styles, row, C_DED, None, "result", "0.00")
    write_cell(ws, styles, row, C_RATE, None, "result", "0.00%")
    write_cell(ws, styles, row, C_REASON, None, "label")
    ws.merge_range(row + 1, 0, row + 1, C_RULE, "评价等级（优≥90，良≥80，中≥60，差<60）", styles.get("label"))
    ws.merge_range(row + 1, C_SCORE, row + 1, C_RATE, "", styles.get("result"))
    write_cell(ws, styles, row + 1, C_REASON, None, "label")

    page_setup(ws, repeat=(h, h + 1), last_col=LAST, freeze=(h + 2, 2 * LEVELS))
    protect(ws)
    instructions(wb, styles, "绩效评价评分表", STEPS, EXAMPLE)


def _leaf_row(ws, styles: Styles, row: int, leaf: Leaf) -> None:
    depth = len(leaf.path)
    for lv in range(LEVELS):
        if lv < depth:
            write_cell(ws, styles, row, 2 * lv, leaf.path[lv], "input")
            write_cell(ws, styles, row, 2 * lv + 1, leaf.weights[lv], "input", "0.00")
        else:
            write_cell(ws, styles, row, 2 * lv, None, "input")
            write_cell(ws, styles, row, 2 * lv + 1, None, "input", "0.00")
    write_cell(ws, styles, row, C_EXPL, leaf.explanation, "input", None, "left")
    write_cell(ws, styles, row, C_RULE, leaf.rule, "input", None, "left")
    write_cell(ws, styles, row, C_SCORE, None, "input", "0.00")
    write_cell(ws, styles, row, C_DED, None, "result", "0.00")
    write_cell(ws, styles, row, C_RATE, None, "result", "0.00%")
    write_cell(ws, styles, row, C_REASON, None, "input", None, "left")
    ws.set_row(row, 42)


def _merge_levels(ws, styles: Styles, group: list[Leaf], first: int) -> None:
    """Merge each upper level's name and weight over the rows of its leaves (how real tables print)."""
    leaf = group[0]      # level 1: over all its leaves and the 小计 row below them
    ws.merge_range(first, 0, first + len(group), 0, leaf.path[0], styles.get("input"))
    ws.merge_range(first, 1, first + len(group), 1, leaf.weights[0], styles.get("input", "0.00"))
    for lv in range(1, LEVELS - 1):
        start = 0
        for i in range(1, len(group) + 1):
            same = i < len(group) and len(group[i].path) > lv + 1 and len(group[start].path) > lv + 1 \
                and group[i].path[:lv + 1] == group[start].path[:lv + 1]
            if same:
                continue
            if i - 1 > start and len(group[start].path) > lv + 1:
                leaf = group[start]
                ws.merge_range(first + start, 2 * lv, first + i - 1, 2 * lv, leaf.path[lv], styles.get("input"))
                ws.merge_range(first + start, 2 * lv + 1, first + i - 1, 2 * lv + 1, leaf.weights[lv],
                               styles.get("input", "0.00"))
            start = i
