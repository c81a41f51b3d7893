"""What every xlscore template shares: cell styles, closed-choice lists, page setup, protection and the
填表说明 sheet.

Conventions a clerk sees in all three templates (and the 填表说明 sheet says so):

* **header** cells (labels, column heads) are bold on a mid grey: nothing to type;
* **input** cells are white with a thin border and unlocked: type here;
* **result** cells are pale blue and locked: xlscore (``xlscore recalc`` or the 重新计算 button) fills them;
* **declared** cells (a self-assessment pre-filled ``--from`` a 绩效目标表) are pale green and locked: the
  targets the unit declared are the ones it assesses.

The four fills are far apart (``tests/test_templates.py`` measures it), and the 填表说明 sheet's colour key
lists only the kinds its form has.

Sheets are protected without a password (审阅 → 撤销工作表保护 lifts it), so a result cell cannot be typed
over by mistake but nothing is hidden from the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FONT = "宋体"            # the CJK font of government forms; WPS and Excel on Windows have it, LibreOffice falls back
SIZE = 10
INPUT_BG = "#FFFFFF"
RESULT_BG = "#DDEBF7"
DECLARED_BG = "#E2EFDA"
LABEL_BG = "#D0D0D0"
INSTRUCTIONS_SHEET = "填表说明"
# what the colour key says of each kind of cell (only the kinds a template's form has are listed)
KEY = {
    "label": "灰色（粗体）：表头和栏目名称，不用填写",
    "input": "白色：由填表单位填写",
    "result": "浅蓝色：由 xlscore 计算填写（已锁定；运行 xlscore recalc 或点 Excel 中的“重新计算”按钮）",
    "declared": "浅绿色：来自绩效目标表的申报内容（已锁定，自评时不得改动；仅在用 --from 生成的表中出现）",
}

# ---- closed choices (data validation lists); each list stays under Excel's 255-character limit
LEVEL1 = ("产出指标", "成本指标", "效益指标", "满意度指标")
LEVEL2 = ("数量指标", "质量指标", "时效指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
          "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标")
OPERATORS = ("≥", "≤", "=", ">", "<", "定性")
RULES = ("按照完成比例赋分", "直接赋分", "按评判等级赋分", "满意度赋分")
LEVELS = ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差")
UNITS = ("%", "个", "家", "种", "辆", "人", "人次", "次", "场", "篇", "份", "台", "套", "批", "公里", "平方米",
         "天", "万元", "元", "倍")
EVAL_LEVEL1 = ("决策", "过程", "产出", "效益")


@dataclass(frozen=True)
class Choice:
    """A drop-down: *strict* refuses anything else (error box); otherwise the list only suggests."""
    source: tuple[str, ...]
    title: str
    message: str
    strict: bool = True

    def options(self) -> dict[str, Any]:
        opts: dict[str, Any] = {"validate": "list", "source": list(self.source),
                                "input_title": self.title[:32], "input_message": self.message[:255]}
        if self.strict:
            opts.update(error_title="请从下拉列表中选择"[:32], error_message=("可选：" + "、".join(self.source))[:255],
                        error_type="stop")
        else:
            opts["show_error"] = False
        return opts


CHOICES: dict[str, Choice] = {
    "level1": Choice(LEVEL1, "一级指标", "从下拉列表选择一级指标类别。"),
    "level2": Choice(LEVEL2, "二级指标", "从下拉列表选择二级指标类别，或按本地模板填写（如“满意度指标”）。", strict=False),
    "operator": Choice(OPERATORS, "符号", "≥ 越高越好；≤ 越低越好；= 须相等；定性指标选“定性”；日期、时限可留空。"),
    "unit": Choice(UNITS, "度量单位", "选择或直接输入单位（如 %、个、万元）；指标值和实际完成值只填数字时按此单位理解。",
                   strict=False),
    "rule": Choice(RULES, "赋分规则", "按照完成比例赋分：得分=分值×完成率（不超过分值）；直接赋分：达到得满分，否则 0 分；"
                   "按评判等级赋分：定性指标；满意度赋分：按满意度。"),
    "actual": Choice(LEVELS, "实际完成值", "定量指标填数字（单位见度量单位列）或日期；定性指标从下拉列表选择完成等级。",
                     strict=False),
    "eval_level1": Choice(EVAL_LEVEL1, "一级指标", "评价一级指标：决策、过程、产出、效益。", strict=False),
}


@dataclass
class Styles:
    """The formats of one workbook (xlsxwriter formats belong to the workbook that made them)."""
    wb: Any
    cache: dict[tuple, Any] = field(default_factory=dict)

    def get(self, kind: str, num_format: str | None = None, align: str = "center") -> Any:
        k = (kind, num_format, align)
        if k not in self.cache:
            props: dict[str, Any] = {"font_name": FONT, "font_size": SIZE, "text_wrap": True, "valign": "vcenter",
                                     "align": align}
            if kind == "title":
                props.update(bold=True, font_size=16, align="center", text_wrap=False)
            elif kind == "subtitle":
                props.update(font_size=11, align="center")
            elif kind == "label":
                props.update(bold=True, border=1, bg_color=LABEL_BG)
            elif kind == "input":
                props.update(border=1, bg_color=INPUT_BG, locked=False)
            elif kind == "result":
                props.update(border=1, bg_color=RESULT_BG, locked=True)
            elif kind == "declared":
                props.update(border=1, bg_color=DECLARED_BG, locked=True)
            elif kind == "note":
                props.update(align="left", text_wrap=True, valign="top")
            elif kind == "heading":
                props.update(bold=True, font_size=12, align="left")
            if num_format:
                props["num_format"] = num_format
            self.cache[k] = self.wb.add_format(props)
        return self.cache[k]


def workbook(path: str):
    """An xlsxwriter workbook that keeps text as text (a target typed ``=100%`` must not become a formula)
    and has fixed document properties, so regenerating a template gives the same file."""
    import datetime as _dt

    import xlsxwriter
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False,
                                    "strings_to_urls": False})
    wb.set_properties({"title": "xlscore 模板", "author": "xlscore", "company": "",
                       "created": _dt.datetime(2026, 1, 1)})
    wb.formats[0].set_font_name(FONT)
    return wb


def page_setup(ws, *, repeat: tuple[int, int], last_col: int, freeze: tuple[int, int]) -> None:
    """A4 landscape, fit to one page wide, header rows repeated on every printed page, panes frozen."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(*repeat)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.print_area(0, 0, ws.dim_rowmax if ws.dim_rowmax is not None else 0, last_col)
    ws.freeze_panes(*freeze)


PROTECT_OPTIONS = {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                   "select_unlocked_cells": True}


def protect(ws) -> None:
    """Lock result cells: protection without a password."""
    ws.protect("", PROTECT_OPTIONS)


def validate(ws, choice: str, first_row: int, last_row: int, col: int) -> None:
    ws.data_validation(first_row, col, last_row, col, CHOICES[choice].options())


def instructions(wb, styles: Styles, title: str, steps: list[str], example: list[tuple[str, str, str]],
                 kinds: tuple[str, ...] = ("label", "input", "result")) -> None:
    """The 填表说明 sheet: numbered instructions, the colour key (of the *kinds* of cell the form has), and
    one worked example row shown as 栏目 | 示例 | 说明 (transposed, so no reader mistakes it for a form).
    Its title ends in 填表说明: the reader knows the sheet as the template's own instructions."""
    ws = wb.add_worksheet(INSTRUCTIONS_SHEET)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 2, 70)
    ws.merge_range(0, 0, 0, 2, f"{title}　填表说明", styles.get("title"))
    r = 2
    for i, step in enumerate(steps, 1):
        ws.merge_range(r, 0, r, 2, f"{i}. {step}", styles.get("note"))
        ws.set_row(r, 30)
        r += 1
    r += 1
    ws.merge_range(r, 0, r, 2, "单元格颜色", styles.get("heading"))
    r += 1
    for kind in kinds:
        ws.write(r, 0, "", styles.get(kind))
        text = KEY[kind]
        ws.merge_range(r, 1, r, 2, text, styles.get("note"))
        r += 1
    r += 1
    ws.merge_range(r, 0, r, 2, "示例（一行指标的填法）", styles.get("heading"))
    r += 1
    for c, h in enumerate(("栏目", "示例", "说明")):
        ws.write(r, c, h, styles.get("label"))
    r += 1
    for column, value, why in example:
        ws.write(r, 0, column, styles.get("label"))
        ws.write_string(r, 1, value, styles.get("input"))
        ws.write(r, 2, why, styles.get("note"))
        r += 1
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.protect("", PROTECT_OPTIONS)
