"""Plain data: what a form holds once it has been read. No behaviour beyond small conveniences."""

from __future__ import annotations

from .records import dataclass, field
from typing import Any

from .grid import address


@dataclass
class Field:
    """One cell of a form: where it is, what was typed, and the formula if the cell holds one."""

    row: int
    col: int
    raw: Any = None
    formula: str | None = None
    computed: bool = False              # raw is xlscore's result for a formula saved without one (read/formulas.py)
    not_computed: str | None = None     # why such a formula stays blank (an unknown function, a cycle …)

    @property
    def cell(self) -> str:
        return address(self.row, self.col)

    @property
    def empty(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())


def blank(f: Field | None) -> bool:
    """No cell, an empty one, or a placeholder meaning "nothing here" ('/', '—', '无')."""
    from .text import is_placeholder
    return f is None or is_placeholder(f.raw)


@dataclass
class FundsRow:
    label: str
    row: int
    is_total: bool
    budget_start: Field | None = None   # 年初预算数
    budget: Field | None = None         # 全年预算数
    spent: Field | None = None          # 全年执行数
    weight: Field | None = None         # 分值 / 分值权重
    rate: Field | None = None           # 执行率
    score: Field | None = None          # 得分
    group: int = 0                      # which breakdown (按收入性质分 / 按支出性质分) the sub-row belongs to


@dataclass
class Indicator:
    row: int
    levels: list[str]                   # level-1 … level-n names, carried down where merged/blank
    name_field: Field | None = None     # the cell of the lowest level name
    weight: Field | None = None
    target: Field | None = None
    actual: Field | None = None
    rate: Field | None = None
    score: Field | None = None
    rule: Field | None = None           # 赋分规则 text
    reason: Field | None = None         # 偏差原因分析及改进措施
    extra: dict[str, Field] = field(default_factory=dict)   # basis, previous, evidence, notes

    @property
    def name(self) -> str:
        return self.levels[-1] if self.levels else ""

    @property
    def level1(self) -> str:
        return self.levels[0] if self.levels else ""

    @property
    def level2(self) -> str:
        return self.levels[1] if len(self.levels) > 1 else ""


@dataclass(frozen=True)
class Deferral:
    """A part of the form the reader could read two ways: findings on *rows* (of *codes*, or any error/warning when
    None) are not reported; one info names what was unclear instead (domain rule: precision first)."""
    reason_zh: str
    reason_en: str
    rows: frozenset = frozenset()
    codes: frozenset | None = None


@dataclass
class Form:
    """A self-assessment form (项目支出 or 单位整体) or a targets sheet found in a sheet."""

    sheet: str
    kind: str                           # "self_assessment" | "targets" | "scoring"
    variant: str                        # "project" | "unit"
    title: str = ""
    year: int | None = None
    header: dict[str, Field] = field(default_factory=dict)   # 项目名称/单位名称, 主管部门, 实施单位 → value cell
    funds: list[FundsRow] = field(default_factory=list)
    funds_columns: dict[str, int] = field(default_factory=dict)
    funds_factor: float = 1.0          # funds amounts × this = 万元 (0.0001 when the block says （元）)
    goal_expected: Field | None = None
    goal_actual: Field | None = None
    header_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)     # role → column of the indicator table
    column_units: dict[str, str] = field(default_factory=dict)  # 指标值（万元）: role → the unit its header names
    auto_columns: set[str] = field(default_factory=set)      # roles whose header says xlscore fills them (自动计算)
    indicators: list[Indicator] = field(default_factory=list)
    total_row: int | None = None
    total_score: Field | None = None
    total_weight: Field | None = None
    grade: Field | None = None
    first_row: int = 1
    last_row: int = 1
    deferred: list[Deferral] = field(default_factory=list)   # what the reader could read two ways
    blank_rows: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, name): named, nothing else
    # weights printed only in labels (产出指标（50分）, 预算执行情况（20分）), when no 分值 column holds them
    block_weights: dict[str, tuple[float, Field]] = field(default_factory=dict)   # 一级 name → (points, its cell)
    funds_label_weight: float | None = None
    part_weight: tuple[float, Field] | None = None   # 年度绩效目标（80分): the points the whole indicator part states
    # the sheet holds formulas saved without a result (read/formulas.py); False lets the check skip the form's cells
    unstored: bool = True

    @property
    def name(self) -> str:
        for k in ("项目名称", "单位名称"):
            f = self.header.get(k)
            if f is not None and not f.empty:
                return str(f.raw).strip()
        return ""

    @property
    def funds_total(self) -> FundsRow | None:
        for r in self.funds:
            if r.is_total:
                return r
        return None
