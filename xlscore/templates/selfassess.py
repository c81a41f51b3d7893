"""项目支出绩效自评表 (self-assessment form), the national layout with the target split into
符号 | 指标值 | 度量单位.

Funds block (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分), 年度总体目标 预期目标 | 实际完成情况,
the indicator table, 总分 and 评价等级. 执行率, the funds 得分, 完成率, 得分, 总分 and 评价等级 are result
cells: locked, headed 自动计算 where they are columns, filled by ``xlscore recalc``.
With ``data`` from a 绩效目标表 (``--from``) the declared columns are pre-filled and locked.
"""

from __future__ import annotations

from .layout import TEXT, Column, header_block, merged_cell, table_header, table_rows, title, write_cell
from .style import Styles, instructions, page_setup, protect

COLUMNS = (
    Column("序号", 8, "seq"),
    Column("一级指标", 11, choice="level1"),
    Column("二级指标", 13, choice="level2"),
    Column("三级指标", 22, align="left"),
    Column("符号", 6, choice="operator"),
    Column("指标值", 13, num_format=TEXT),
    Column("度量单位", 8, choice="unit"),
    Column("实际完成值", 14, num_format=TEXT, choice="actual"),
    Column("分值", 7, num_format="0.00"),
    Column("完成率（自动计算）", 11, "result", "0.00%", key="完成率"),
    Column("得分（自动计算）", 10, "result", "0.00", key="得分"),
    Column("赋分规则", 15, choice="rule"),
    Column("偏差原因分析及改进措施", 30, align="left"),
)
LAST = len(COLUMNS) - 1
DECLARED = ("一级指标", "二级指标", "三级指标", "符号", "指标值", "度量单位", "分值", "赋分规则")
FUNDS_ROWS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
# funds columns → (first col, last col) of the indicator grid they span
FUNDS_COLS = (("年初预算数", 3, 3), ("全年预算数", 4, 5), ("全年执行数", 6, 7), ("分值", 8, 8), ("执行率", 9, 9),
              ("得分", 10, 10))

STEPS = [
    "本表在年度结束后由项目单位填写（谁支出、谁自评）。白色单元格由填表单位填写；浅蓝色单元格（执行率、完成率、得分、"
    "总分、评价等级）由 xlscore 计算填写：命令行运行 xlscore recalc 本文件.xlsx，或在 Excel 中点“xlscore”选项卡的“重新计算”。",
    "项目资金单位为万元。年度资金总额一行填合计，其下各行填分项，分项之和应等于合计；资金“分值”一般为 10 分，"
    "得分＝分值×执行率（执行率超过 100% 按 100% 计）。",
    "年度总体目标：“预期目标”照抄绩效目标表，“实际完成情况”写明实际完成了什么，数字应与指标表一致。",
    "指标表：一级、二级指标从下拉列表选择；目标值分三格填写：符号（≥、≤、=、>、<、定性）、指标值（只填数字、日期或定性描述）、"
    "度量单位；实际完成值与指标值使用同一单位，只填数字，定性指标从下拉列表选择完成等级。",
    "分值：各指标分值之和为 90，加资金 10 分共 100 分。赋分规则从下拉列表选择。",
    "得分低于分值的指标，须在“偏差原因分析及改进措施”中说明原因和改进措施。",
    "定性指标按等级得分：达成年度指标 80%–100%、部分达成 60%–80%、未达成 0–60% 的分值；xlscore 默认给区间上限，"
    "如需给区间内较低的分数，可撤销工作表保护（审阅 → 撤销工作表保护，无密码）后在得分格中填写，xlscore 会检查它是否在区间内。",
    "由绩效目标表生成的自评表（xlscore template self-assessment --from 绩效目标表.xlsx）中，申报的指标、目标值、分值和赋分规则"
    "为浅绿色并已锁定，自评时不得改动。",
]

EXAMPLE = [
    ("一级指标", "产出指标", "下拉选择"),
    ("二级指标", "数量指标", "下拉选择"),
    ("三级指标", "举办促消费活动场次", "与绩效目标表一致"),
    ("符号", "≥", "≥ 越高越好"),
    ("指标值", "10", "只填数字"),
    ("度量单位", "场", "目标读作“≥10场”"),
    ("实际完成值", "8", "与指标值同一单位，读作“8场”"),
    ("分值", "20", ""),
    ("完成率（自动计算）", "80.00%", "xlscore 计算：8÷10"),
    ("得分（自动计算）", "16.00", "xlscore 计算：20×80%"),
    ("赋分规则", "按照完成比例赋分", ""),
    ("偏差原因分析及改进措施", "受天气影响两场活动取消，下年提前安排备用场地。", "得分低于分值时必填"),
]


def build(wb, styles: Styles, data: dict | None = None, n_blank: int | None = None) -> None:
    data = data or {}
    ws = wb.add_worksheet("自评表")
    year = data.get("year")
    declared = bool(data.get("indicators"))
    row = title(ws, styles, "项目支出绩效自评表", f"（{year}年度）" if year else "（　　　　年度）", LAST)
    hk = "declared" if declared else "input"
    row = header_block(ws, styles, row, [
        [("项目名称", data.get("项目名称"))],
        [("主管部门", data.get("主管部门")), ("实施单位", data.get("实施单位"))],
        [("评价年度", year), ("联系人及电话", data.get("联系人及电话"))],
    ], LAST, kind=hk)

    # ---- funds block
    funds = data.get("funds", {})
    ws.merge_range(row, 0, row + len(FUNDS_ROWS), 0, "项目资金\n（万元）", styles.get("label"))
    ws.merge_range(row, 1, row, 2, "", styles.get("label"))
    for label, c0, c1 in FUNDS_COLS:
        merged_cell(ws, styles, row, c0, c1, label, "label")
    ws.merge_range(row, 11, row + len(FUNDS_ROWS), LAST, "", styles.get("label"))
    for i, label in enumerate(FUNDS_ROWS, 1):
        r = row + i
        ws.merge_range(r, 1, r, 2, label, styles.get("label", None, "left"))
        amounts = funds.get(label, {})
        for name, c0, c1 in FUNDS_COLS[:3]:
            merged_cell(ws, styles, r, c0, c1, amounts.get(name), "input", "0.00")
        if i == 1:
            merged_cell(ws, styles, r, 8, 8, amounts.get("分值", 10), "input", "0.00")
            merged_cell(ws, styles, r, 9, 9, None, "result", "0.00%")
            merged_cell(ws, styles, r, 10, 10, None, "result", "0.00")
        else:
            for c in (8, 9, 10):
                merged_cell(ws, styles, r, c, c, "—", "label")
    row += len(FUNDS_ROWS) + 1

    # ---- 年度总体目标
    ws.merge_range(row, 0, row + 1, 0, "年度\n总体\n目标", styles.get("label"))
    ws.merge_range(row, 1, row, 6, "预期目标", styles.get("label"))
    ws.merge_range(row, 7, row, LAST, "实际完成情况", styles.get("label"))
    merged_cell(ws, styles, row + 1, 1, 6, data.get("goal"), hk, None, "left")
    ws.merge_range(row + 1, 7, row + 1, LAST, "", styles.get("input", None, "left"))
    ws.set_row(row + 1, 80)
    row += 3

    # ---- indicator table
    ws.merge_range(row, 0, row, LAST, "年度绩效指标完成情况", styles.get("heading"))
    row += 1
    header = row
    table_header(ws, styles, header, COLUMNS)
    rows = [dict(ind, _declared=DECLARED) for ind in data.get("indicators", [])]
    end = table_rows(ws, styles, header + 1, COLUMNS, rows, n_blank if n_blank is not None else (3 if declared else 15))
    ws.merge_range(end, 0, end, 7, "总分", styles.get("label"))
    write_cell(ws, styles, end, 8, 100, "label", "0.00")
    write_cell(ws, styles, end, 9, None, "label")
    write_cell(ws, styles, end, 10, None, "result", "0.00")
    ws.merge_range(end, 11, end, LAST, "", styles.get("label"))
    ws.merge_range(end + 1, 0, end + 1, 7, "评价等级（优≥90，良≥80，中≥60，差<60）", styles.get("label"))
    ws.merge_range(end + 1, 8, end + 1, 10, "", styles.get("result"))
    ws.merge_range(end + 1, 11, end + 1, LAST, "", styles.get("label"))

    page_setup(ws, repeat=(header, header), last_col=LAST, freeze=(header + 1, 4))
    protect(ws)
    instructions(wb, styles, "项目支出绩效自评表", STEPS, EXAMPLE,
                 kinds=("label", "input", "result", "declared") if declared else ("label", "input", "result"))
