"""Header vocabulary: the labels real forms use for each column and block, as data.

Labels are compared after :func:`xlscore.text.key` (full-width folded, all whitespace removed).
Add a synonym here and every layout that uses it reads without configuration.
"""

from __future__ import annotations

from functools import lru_cache

from ..text import key, memo_text, lazy_re

# Indicator-table column roles → the header labels that name them (domain.md, "Columns and their synonyms").
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标", "一级"),     # 一级: a vertical label cut to its first word (ah_huaibei_wenlvti_2025)
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "level4": ("四级指标",),
    "name": ("指标", "评价指标", "评价因素", "指标名称", "绩效指标名称", "指标内容"),
    "weight": ("权重", "分值", "权重(%)", "权重(分)", "分值权重", "指标分值权重", "评级分值", "标准分", "指标分值",
               "分值(分)", "权重分", "满分", "指标权重", "权重分值", "标准分值", "参考分值"),
    "target": ("指标值", "年度指标值", "目标值", "预期指标值", "标杆值", "年度目标值", "指标目标值", "预期值",
               "全年指标值", "全年目标值", "当年预期实现值", "预期实现值", "年度预期实现值", "指标值及单位",
               "指标值(包含数字及文字描述)", "年初指标值"),
    "actual": ("实际完成值", "业绩值", "实际完成指标值", "指标实际完成值", "完成值", "完成情况", "指标完成情况",
               "实际值", "全年实际值", "实际完成情况值", "全年实际完成值", "年度实际完成值", "全年完成值"),
    "rate": ("完成率", "指标完成率", "完成比例"),
    "score": ("得分", "指标得分", "实际得分", "评价得分", "自评得分", "自评分", "评分", "考核得分", "最终得分", "分数"),
    "rule": ("赋分规则", "指标赋分规则", "评分标准", "评分规则", "计分方法", "评分方法", "评分细则", "评价标准", "评分要点",
             "评分办法", "计分标准", "评(扣)分标准", "评扣分标准"),
    "reason": ("偏差原因分析及改进措施", "偏差原因", "扣分原因", "评分过程", "偏差原因分析", "原因分析",
               "偏差原因及改进措施", "未完成原因分析", "扣分理由", "扣分说明", "评分依据", "扣分依据",
               "扣分情况", "扣分原因及依据", "得分说明", "评分说明", "评分理由", "得分理由"),
    "improve": ("改进措施",),
    "basis": ("指标值设定依据", "指标值设置依据", "设定依据"),
    "previous": ("上年完成值", "上年完成情况", "上年实际完成值", "上年指标值"),
    "evidence": ("佐证资料", "数据来源", "佐证材料"),
    "note": ("指标解释", "指标说明", "说明", "完成情况说明", "评价要点", "指标内涵", "绩效标准", "指标值类型",
             "保障绩效目标实现措施", "备注", "指标描述"),
    "deduction": ("扣分",),
    "score_rate": ("得分率",),
    "seq": ("序号",),
    # split target columns (xlscore's own templates; some provincial sheets): 符号 | 指标值 | 度量单位
    "operator": ("指标值符号", "符号", "运算符", "比较符号", "指标方向", "指标性质"),
    "unit": ("度量单位", "计量单位", "单位"),
}

LEVEL_ROLES = ("level1", "level2", "level3", "level4")

# the finance framework's 一级 classes (产出/效益/满意度, 成本 where it stands as one), and older provincial templates'
# names for them (四川 2021 申报表: 项目完成指标 / 项目效益指标; 新疆 2019: 项目完成)
FRAMEWORK_CLASSES = ("产出", "效益", "满意度", "成本")
CLASS_ALIASES = (("项目完成指标", "产出指标"), ("项目效益指标", "效益指标"), ("项目完成", "产出"))


def class_key(text: str) -> str:
    """A class name's key with an older template's name put as the framework's (项目完成指标 → 产出指标)."""
    k = key(text)
    for old, new in CLASS_ALIASES:
        k = k.replace(old, new)
    return k

# what a split-target 符号 column holds (xlscore's templates; a 指标性质 column under the same role holds 定量/定性):
# joined before the 指标值 it belongs to
SIGNS = ("≥", "≤", "=", ">", "<", ">=", "<=")

# A rule column under one of these labels is an evaluator's 评分标准: the table is a scoring table even when it also
# has target and actual columns (东湖: 评分标准 | 目标值 | 完成值).
SCORING_RULE_LABELS = ("评分标准", "评分规则", "评分方法", "评分细则", "评价标准", "评分要点", "评分办法", "计分标准")

FUNDS_COLUMNS: dict[str, tuple[str, ...]] = {
    "budget_start": ("年初预算数", "年初预算", "年初预算数(万元)"),
    "budget": ("全年预算数", "全年预算", "调整后预算数", "全年预算数(A)", "调整后预算", "预算数", "预算数(A)"),
    "spent": ("全年执行数", "全年执行", "实际执行数", "全年执行数(B)", "预算执行数", "执行数"),
    "weight": ("分值", "分值权重", "权重", "执行率权重"),
    "rate": ("执行率", "预算执行率", "执行率(B/A)"),
    "score": ("得分", "执行率得分"),
    "source": ("资金来源",),
}

FUNDS_BLOCK_LABELS = ("项目资金(万元)", "部门资金(万元)", "项目资金", "部门资金", "资金(万元)", "年度资金(万元)", "预算执行情况",
                      "资金情况", "资金情况(万元)", "部门预算执行情况")
FUNDS_TOTAL_LABELS = ("年度资金总额", "合计", "资金总额", "总计", "年度资金总额(万元)", "总额", "年度财政资金总额",
                      "财政资金总额", "年度预算申请", "年度预算申请(万元)")
# a funds block broken down twice (部门整体: 按收入性质分 财政拨款/其他资金, then 按支出性质分 基本支出/项目支出): each
# breakdown adds up to the total on its own
FUNDS_BREAKDOWN_LABELS = ("按收入性质分", "按支出性质分", "按资金来源分", "按资金性质分", "按经济分类分", "按功能分类分")
FUNDS_SUB_LABELS = ("当年财政拨款", "本年财政拨款", "财政拨款", "上年结转资金", "上年结转", "其他资金", "上级资金",
                    "本级资金", "其中:当年财政拨款", "其中:本年财政拨款", "其中:财政拨款", "其中:上级资金", "财政资金",
                    "财政专户管理资金", "单位资金", "社会资金", "自筹资金", "中央资金", "省级资金", "市级资金", "县级资金")

GOAL_LABELS = ("年度总体目标", "总体目标", "年度目标")
GOAL_EXPECTED = ("预期目标", "年度目标", "总体目标", "目标")
GOAL_ACTUAL = ("实际完成情况", "全年实际完成情况", "总体目标完成情况", "年度总体目标完成情况", "实际完成", "完成情况")

HEADER_LABELS: dict[str, tuple[str, ...]] = {
    "项目名称": ("项目名称", "转移支付(项目)名称", "转移支付项目名称"),
    "单位名称": ("单位名称", "部门名称", "预算单位"),
    "主管部门": ("主管部门", "项目主管部门", "主管部门及代码", "主管部门及编码", "主管部门名称"),
    "实施单位": ("实施单位", "项目实施单位"),
    "评价年度": ("评价年度", "年度"),
    # a total stated in the header block instead of a 总分 row (银川: 实施单位 | … | 自评得分 | 98 | 财政审核评分)
    "自评得分": ("自评得分", "自评总分", "自评分"),
}

TOTAL_LABELS = ("总分", "合计", "总计", "综合绩效", "评价总得分", "自评分值", "自评总分", "总得分", "综合得分", "评价总分",
                "综合评分")
# a grade written in full (自评等级：优秀) is the band's short label (优), unless the profile uses the long word itself
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}
GRADE_LABELS = ("评价等级", "自评等级", "评价结果级别", "绩效等级", "等级", "自评结果等级", "评价结果", "绩效评价等级",
                "综合评价等级", "评价级别")

# a row under (or inside) an indicator table that is a note or a sign-off, not an indicator: 注：…, 本项目不适用此指标,
# 填表人 / 联系电话 / 单位负责人, 财政部门审核意见 | (盖章)
NOTE_ROW = lazy_re(r"^注(?![册射入重资意])|^说明|^备注|不适用|填表人|填报人|联系人|联系电话|负责人|审核意见|初审意见|审批意见|"
                      r"复核意见|盖章|签章|签字")


def is_note_row(*texts: object) -> bool:
    return any(isinstance(t, str) and NOTE_ROW.search(key(t)) for t in texts)


_BRACKETS = lazy_re(r"\([^)]*\)")


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for role, labels in table.items():
        for label in labels:
            out.setdefault(key(label), role)
    return out


_COLUMN_INDEX = _index(COLUMN_SYNONYMS)
_FUNDS_INDEX = _index(FUNDS_COLUMNS)


@memo_text(1 << 14)
def column_role(label: object) -> str | None:
    """The indicator-table role a header label names, or None. Exact match first, then without a
    bracketed suffix (`权重(%)` → 权重), then a truncated score header (`第三方绩效评价得`)."""
    k = key(label).lstrip("*＊★")          # *指标值: the asterisk marks a required column
    if not k or len(k) > 30:
        return None
    if k in _COLUMN_INDEX:
        return _COLUMN_INDEX[k]
    bare = _BRACKETS.sub("", k)
    if bare in _COLUMN_INDEX:
        return _COLUMN_INDEX[bare]
    if k.startswith("偏差原因"):
        return "reason"
    if k.endswith("评价得分") or k.endswith("评价得"):
        return "score"
    return None


def funds_role(label: object) -> str | None:
    k = key(label)
    if k in _FUNDS_INDEX:
        return _FUNDS_INDEX[k]
    bare = _BRACKETS.sub("", k)
    return _FUNDS_INDEX.get(bare)


@lru_cache(maxsize=256)
def _keys(choices: tuple[str, ...]) -> frozenset[str]:
    return frozenset(key(c) for c in choices)


@memo_text(1 << 14)
def matches(label: object, choices: tuple[str, ...]) -> bool:
    k = key(label)
    if not k:
        return False
    keys = _keys(choices)
    return k in keys or _BRACKETS.sub("", k) in keys


def funds_label_kind(label: object) -> str | None:
    """'total' for 年度资金总额/合计, 'sub' for 其中：当年财政拨款 / 其他资金 / 上级资金…, None otherwise."""
    k = key(label)
    if not k:
        return None
    k = k.replace("其中:", "").replace("其中", "").rstrip(":")
    if any(k == key(x) for x in FUNDS_TOTAL_LABELS):
        return "total"
    if any(k == key(x).replace("其中:", "") for x in FUNDS_SUB_LABELS):
        return "sub"
    return None
