"""绩效目标表 (performance-target sheet): what a unit declares when the budget is set.

Header block (项目名称, 主管部门, 实施单位, 年度), the budget (项目资金, 年初预算数), 年度总体目标, and the
indicator table 一级/二级/三级指标 | 符号 | 指标值 | 度量单位 | 指标值设定依据 | 分值 | 赋分规则 | 佐证资料.
The target is split into 符号 | 指标值 | 度量单位 so the operator and the unit are chosen, not typed;
xlscore joins them back (≥ + 95 + % → ≥95%).
"""

from __future__ import annotations

from .layout import TEXT, Column, header_block, merged_cell, table_header, table_rows, title, write_cell
from .style import Styles, instructions, page_setup, protect, validate

COLUMNS = (
    Column("序号", 8, "seq"),
    Column("一级指标", 11, choice="level1"),
    Column("二级指标", 13, choice="level2"),
    Column("三级指标", 24, align="left"),
    Column("符号", 6, choice="operator"),
    Column("指标值", 14, num_format=TEXT),
    Column("度量单位", 8, choice="unit"),
    Column("指标值设定依据", 22, align="left"),
    Column("分值", 7, num_format="0.00"),
    Column("赋分规则", 16, choice="rule"),
    Column("佐证资料", 18, align="left"),
)
LAST = len(COLUMNS) - 1
FUNDS_ROWS = ("年度资金总额", "其中：财政拨款", "其他资金")

STEPS = [
    "本表在预算编制时填写，申报本年度的绩效目标。白色单元格由填表单位填写，灰色为表头；本表没有自动计算的单元格，"
    "xlscore check 本文件.xlsx 只核对填写内容（目标文字、成本指标与预算、分值合计等）。",
    "项目资金填“年初预算数”，单位万元；年度资金总额＝财政拨款＋其他资金。",
    "年度总体目标用一两句话写明本年度要完成什么，数字应与下面指标表一致。",
    "每行一个三级指标：一级、二级指标从下拉列表选择；“符号”选 ≥（越高越好）、≤（越低越好）、=（须相等）或“定性”；"
    "“指标值”只填数字、日期或定性描述；“度量单位”选择或输入（%、个、万元……）。",
    "分值：各指标分值之和为 90（另 10 分为预算执行率，在自评时计算）；在“合计”行填写分值之和，应为 90。",
    "赋分规则从下拉列表选择：按照完成比例赋分、直接赋分（日期、时限）、按评判等级赋分（定性指标）、满意度赋分。",
    "填好后可用 xlscore template self-assessment --from 本文件 生成对应的自评表，申报的目标会原样带入并锁定。",
]

EXAMPLE = [
    ("一级指标", "产出指标", "下拉选择：产出指标、成本指标、效益指标、满意度指标"),
    ("二级指标", "数量指标", "下拉选择"),
    ("三级指标", "举办促消费活动场次", "具体、可衡量的指标名称"),
    ("符号", "≥", "≥ 表示不少于；≤ 表示不超过"),
    ("指标值", "10", "只填数字"),
    ("度量单位", "场", "与指标值一起读作“≥10场”"),
    ("指标值设定依据", "2024年工作计划", "计划标准、行业标准或历史标准"),
    ("分值", "20", "本指标的权重分"),
    ("赋分规则", "按照完成比例赋分", "实际完成 8 场时得分＝20×8/10＝16"),
]


def build(wb, styles: Styles, data: dict | None = None, n_blank: int | None = None) -> None:
    data = data or {}
    ws = wb.add_worksheet("绩效目标表")
    year = data.get("year")
    row = title(ws, styles, "项目支出绩效目标表", f"（{year}年度）" if year else "（　　　　年度）", LAST)
    row = header_block(ws, styles, row, [
        [("项目名称", data.get("项目名称"))],
        [("主管部门", data.get("主管部门")), ("实施单位", data.get("实施单位"))],
        [("年度", year), ("联系人及电话", data.get("联系人及电话"))],
    ], LAST)

    # ---- funds: 项目资金（万元） | label | 年初预算数
    funds = data.get("funds", {})
    ws.merge_range(row, 0, row + len(FUNDS_ROWS), 1, "项目资金（万元）", styles.get("label"))
    ws.merge_range(row, 2, row, 4, "资金来源", styles.get("label"))
    ws.merge_range(row, 5, row, 7, "年初预算数", styles.get("label"))
    for i, label in enumerate(FUNDS_ROWS, 1):
        ws.merge_range(row + i, 2, row + i, 4, label, styles.get("label", None, "left"))
        merged_cell(ws, styles, row + i, 5, 7, funds.get(label), "input", "0.00")
    row += len(FUNDS_ROWS) + 1

    # ---- 年度总体目标
    ws.write(row, 0, "年度总体目标", styles.get("label"))
    merged_cell(ws, styles, row, 1, LAST, data.get("goal"), "input", None, "left")
    ws.set_row(row, 60)
    row += 2

    # ---- indicator table
    ws.merge_range(row, 0, row, LAST, "绩效指标", styles.get("heading"))
    row += 1
    header = row
    table_header(ws, styles, header, COLUMNS)
    end = table_rows(ws, styles, header + 1, COLUMNS, data.get("indicators", []), 15 if n_blank is None else n_blank,
                     height=22)
    ws.merge_range(end, 0, end, 7, "合计", styles.get("label"))
    write_cell(ws, styles, end, 8, None, "input", "0.00")      # typed by the unit: nothing here is computed
    for c in (9, 10):
        write_cell(ws, styles, end, c, None, "label")

    page_setup(ws, repeat=(header, header), last_col=LAST, freeze=(header + 1, 4))
    protect(ws)
    instructions(wb, styles, "项目支出绩效目标表", STEPS, EXAMPLE, kinds=("label", "input"))


__all__ = ["build", "COLUMNS", "validate"]
