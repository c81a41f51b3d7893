"""Find forms in a sheet by their header texts, in any column order, whatever the layout.

The reader looks for an indicator-table header row (level columns plus target/actual/weight/score
columns, possibly over two rows), then searches the rows above it for the header block (项目名称…),
the funds block (年初预算数/全年预算数/全年执行数) and the goal block (年度总体目标), and the rows below it
for the indicators, the 总分 row and a grade cell. Merged cells are read through their top-left cell;
blank or merged level cells are carried down.
"""

from __future__ import annotations

import re
from ..records import dataclass, field

from ..grid import Grid
from ..model import Deferral, Field, Form, FundsRow, Indicator, blank as _blank
from ..rules.values import parse_value
from ..text import clean, is_placeholder, key, parse_amount, parse_number, lazy_re
from . import headers as H

TABLE_KINDS = ("self_assessment", "targets", "scoring")
_BREAKDOWN_KEYS = tuple(key(x) for x in H.FUNDS_BREAKDOWN_LABELS)
_YEAR = lazy_re(r"(20\d{2})\s*年")


@dataclass
class SheetScan:
    name: str
    kind: str                      # "self_assessment" | "targets" | "scoring" | "unknown"
    forms: list[Form] = field(default_factory=list)
    reason: str | None = None      # why nothing was found


_LONG_TERM = ("长期", "中期", "实施期")


def _row_roles(grid: Grid, row: int) -> dict[int, str]:
    """col → the column role its header label names, for one row (each row is asked several times: memoised)."""
    memo = grid.row_memo("roles")
    got = memo.get(row)
    if got is None:
        got = memo[row] = _roles_of_row(grid, row)
    return dict(got)


def _roles_of_row(grid: Grid, row: int) -> dict[int, str]:
    roles: dict[int, str] = {}
    seen: dict[str, tuple[int, bool]] = {}      # role → (col, from a 长期/中期/实施期 label)
    for col, v in grid.anchors(row):
        if not isinstance(v, str):
            continue
        role = H.column_role(v)
        if not role:
            continue
        long_term = any(w in v for w in _LONG_TERM)
        if role == "name" and "name" in seen:
            # 评价指标 | 评价内容 | 指标名称: the left name columns are upper levels, the rightmost names the indicator
            free = next((lv for lv in ("level1", "level2", "level3") if lv not in seen), None)
            if free is not None:
                prev = seen.pop("name")[0]
                roles[prev] = free
                seen[free] = (prev, False)
        if role not in seen:
            roles[col] = role
            seen[role] = (col, long_term)
        elif seen[role][1] and "年度" in v:
            # 三级指标(长期) | 指标值(长期) beside 三级指标(年度) | 指标值(年度): the year's columns are the form's
            del roles[seen[role][0]]
            roles[col] = role
            seen[role] = (col, False)
    if "level2" in seen and "level1" not in seen:
        # 级指标 just left of 二级指标 (a PDF's text layer lost the 一; ah_luan_shucheng_2023): the 一级 column
        c2 = seen["level2"][0]
        left = next((v for col, v in grid.anchors(row) if col == c2 - 1), None)
        if isinstance(left, str) and key(left).endswith("级指标") and c2 - 1 not in roles:
            roles[c2 - 1] = "level1"
    return roles


def _is_table_header(roles: dict[int, str]) -> bool:
    rs = set(roles.values())
    has_name = bool(rs & {"level1", "level2", "level3", "level4", "name"})
    has_value = bool(rs & {"target", "actual", "rule"})
    has_points = bool(rs & {"weight", "score"})
    return has_name and (has_value or has_points) and len(rs) >= 3


def _header_continuation(grid: Grid, row: int, parent: dict[int, str]) -> dict[int, str] | None:
    """Roles of a second header row (sub-headers under merged parents), or None if *row* holds data."""
    if row > grid.max_row:
        return None
    cells = list(grid.anchors(row))
    if not cells or any(not isinstance(v, str) for _, v in cells):
        return None
    roles = _row_roles(grid, row)
    if not roles:
        return None
    # a data row may contain a word that is also a header ("完成情况"); a real sub-header row has
    # nothing but header words
    if len(roles) < len(cells):
        return None
    return roles


def _header_above(grid: Grid, row: int, roles: dict[int, str]) -> tuple[int, dict[int, str]]:
    """A header row found under upper header rows (3-row headers: 年度绩效指标完成情况 / 绩效指标 | 年度指标值 | 完成情况
    | 分值 / 一级指标 … 实际完成值 | 完成率): the labels of the rows above that are merged down into it belong to it.
    Returns the top header row and the roles."""
    out = dict(roles)
    taken = set(roles.values())
    top = row
    for r in (row - 1, row - 2):
        cells = list(grid.anchors(r)) if r >= 1 else []
        if not cells or any(not isinstance(v, str) for _, v in cells):
            break
        down = [(c, v) for c, v in cells if (m := grid.merge_of(r, c)) is not None and m[2] >= row]
        # merges lost (PDF conversions): a header word with nothing under it down to the header row stands over it
        down += [(c, v) for c, v in cells if grid.merge_of(r, c) is None and H.column_role(v) is not None
                 and all(grid.value(rr, c) is None and grid.merge_of(rr, c) is None for rr in range(r + 1, row + 1))]
        if not down:
            break
        top = r
        for col, v in down:
            role = H.column_role(v)
            if role and role not in taken and col not in out:
                out[col] = role
                taken.add(role)
    return top, out


def _classify(roles: set[str], rule_label: str | None) -> str:
    if {"level4", "target", "actual"} <= roles:
        # a fourth level column beside 指标值 | 实际完成值 (provincial self-assessments) is not by itself an
        # evaluator's tree: the 评分标准 label, 扣分 or 得分率 still are
        roles = roles - {"level4"}
    if rule_label in {key(x) for x in H.SCORING_RULE_LABELS} or roles & {"deduction", "score_rate", "level4"}:
        return "scoring"
    if "actual" in roles or ("score" in roles and "target" in roles):
        return "self_assessment"
    if "target" in roles:
        return "targets"
    if "score" in roles:
        return "scoring"
    return "targets"


def find_forms(grid: Grid) -> SheetScan:
    scan = _scan(grid)
    unstored = bool(grid.computed or grid.not_computed)   # formulas saved without a result, on this sheet
    for form in scan.forms:
        form.unstored = unstored
    return scan


def _scan(grid: Grid) -> SheetScan:
    headers: list[tuple[int, int, dict[int, str]]] = []   # (first header row, last header row, roles)
    row = 1
    while row <= grid.max_row:
        roles = _row_roles(grid, row)
        # labels merged down from the rows above count (指标值 beside 绩效指标 over 一级 | 二级 | 三级)
        top, roles = _header_above(grid, row, roles) if roles else (row, roles)
        if _is_table_header(roles):
            end = row
            cont = _header_continuation(grid, row + 1, roles)
            if cont:
                merged = dict(roles)
                taken = set(roles.values())
                for col, role in sorted(cont.items()):
                    if merged.get(col) == role:
                        continue
                    if role in taken:
                        # 年度指标值 merged over 指标性质 | 指标值 | 度量单位: the sub-header is the column, not the parent
                        pc = next(c for c, r in merged.items() if r == role)
                        m = grid.merge_of(row, pc)
                        if not (m and m[1] <= col <= m[3]):
                            continue
                        del merged[pc]
                    if col in merged:
                        taken.discard(merged[col])
                    merged[col] = role
                    taken.add(role)
                roles = merged
                end = row + 1
            headers.append((top, end, roles))
            row = grid.next_row(end + 1)
            continue
        row = grid.next_row(row + 1)      # empty rows hold no header: skip them (work ∝ cells, not extent)

    if not headers:
        funds_only = _funds_only_form(grid)
        if funds_only is not None:
            return SheetScan(grid.name, "self_assessment", [funds_only])
        header_only = _targets_header_only(grid)
        if header_only is not None:
            return SheetScan(grid.name, "targets", [header_only])
        return SheetScan(grid.name, "unknown", reason="no-indicator-table")

    # a header printed again where the page broke (PDF conversions, 打印标题行): same columns, and no total row or
    # block label since the previous one — the rows under it continue the same form
    repeats: set[int] = set()
    for prev, cur in zip(headers, headers[1:]):
        if cur[2] == prev[2] and cur[0] == cur[1] and not any(
                _is_total_row(grid, r, _first_value_col(grid, cur[2])) or _is_block_label(grid, r)
                or _starts_form(grid, r) for r in grid.rows_between(prev[1] + 1, cur[0])):
            repeats.add(cur[0])
    headers = [h for h in headers if h[0] not in repeats]

    forms: list[Form] = []
    prev_end = 0
    for i, (hrow, hend, roles) in enumerate(headers):
        next_start = headers[i + 1][0] if i + 1 < len(headers) else grid.max_row + 1
        form = _read_form(grid, roles, hrow, hend, prev_end + 1, next_start, repeats)
        forms.append(form)
        prev_end = form.last_row
    kind = forms[0].kind
    for f in forms:
        if f.kind == "self_assessment":
            kind = "self_assessment"
    return SheetScan(grid.name, kind, forms)


def field_at(grid: Grid, row: int, col: int | None) -> Field | None:
    """The cell at (row, col) as a Field (value, and the formula if it is one); None without a column."""
    if col is None:
        return None
    cell = grid.cell(row, col)
    if cell is None:
        return Field(row, col, None)
    if not cell.is_formula:
        return Field(row, col, cell.value)
    return Field(row, col, cell.effective, cell.value, (row, col) in grid.computed, grid.not_computed.get((row, col)))


def _text(grid: Grid, row: int, col: int) -> str:
    return clean(grid.merged_value(row, col))


def _read_form(grid: Grid, roles: dict[int, str], hrow: int, hend: int, region_start: int, region_stop: int,
               repeats: set[int] = frozenset()) -> Form:
    cols = {role: col for col, role in roles.items()}
    rule_label = next((key(grid.value(r, cols["rule"])) for r in range(hrow, hend + 1)
                       if "rule" in cols and H.column_role(grid.value(r, cols["rule"])) == "rule"), None)
    kind = _classify(set(cols), rule_label)
    form = Form(sheet=grid.name, kind=kind, variant="project", header_row=hrow, columns=cols, first_row=region_start)
    # a result column headed 得分（自动计算） (xlscore's templates): left blank for xlscore to fill, not missing
    form.column_units = _header_units(grid, cols, hrow, hend)
    form.auto_columns = {role for role, c in cols.items()
                         if any("自动" in key(grid.merged_value(r, c)) for r in range(hrow, hend + 1))}

    level_cols = [cols[r] for r in H.LEVEL_ROLES if r in cols]
    if "name" in cols and (not level_cols or cols["name"] > max(level_cols)):
        level_cols.append(cols["name"])      # 一级指标 | 二级指标 | 指标名称: the name column is the lowest level
    first_value_col = _first_value_col(grid, roles)

    # ---- indicator rows
    row = hend + 1
    blanks = 0
    last_levels: list[str] = []
    last_row = hend
    while row < region_stop and row <= grid.max_row:
        if _is_total_row(grid, row, first_value_col):
            form.total_row = row
            form.total_weight = field_at(grid, row, cols.get("weight"))
            form.total_score = field_at(grid, row, cols.get("score"))
            last_row = row
            break
        anchors = list(grid.anchors(row))
        if not anchors:
            blanks += 1
            if blanks > 2:
                break
            row += 1
            continue
        if row in repeats:           # the header again after a page break
            row += 1
            continue
        if _is_table_header(_row_roles(grid, row)) or _is_block_label(grid, row):
            break
        blanks = 0
        levels = []
        for i, c in enumerate(level_cols):
            t = _text(grid, row, c)
            if not t and i < len(level_cols) - 1 and i < len(last_levels):
                t = last_levels[i]       # blank upper level: carried down from the row above
            levels.append(t)
        ind = Indicator(row=row, levels=levels)
        ind.name_field = field_at(grid, row, level_cols[-1]) if level_cols else None
        for role in ("weight", "target", "actual", "rate", "score", "rule", "reason"):
            setattr(ind, role, field_at(grid, row, cols.get(role)))
        for role in ("basis", "previous", "evidence", "note", "improve", "deduction", "score_rate", "operator", "unit"):
            if role in cols:
                ind.extra[role] = field_at(grid, row, cols[role])
        if _is_indicator(ind, kind):
            form.indicators.append(ind)
            last_levels = levels
        elif _is_blank_named(ind):
            form.blank_rows.append((row, ind.name_field.col, ind.name))
        last_row = row
        row += 1
    form.last_row = last_row
    _defer_detail_rows(form)
    _defer_open_direction(form)
    _defer_other_framework(form)
    if "weight" not in cols:
        _label_weights(grid, form, level_cols)

    # ---- grade cell: a 等级 label in the rows after the table (or on the total row)
    grade_end = min(region_stop, (form.total_row or last_row) + 4, grid.max_row + 1)
    form.grade = _find_grade(grid, (form.total_row or last_row), grade_end)
    if form.grade is not None:
        form.last_row = max(form.last_row, form.grade.row)

    # ---- blocks above the table
    _read_header_block(grid, form, region_start, hrow)
    _read_funds(grid, form, region_start, hrow)
    if not form.funds and form.kind == "targets":
        _read_funds_pairs(grid, form, region_start, hrow)
    _read_goal(grid, form, region_start, hrow)
    _unlabelled_total(form)
    stated = form.header.pop("自评得分", None)
    if form.total_score is None and stated is not None and not stated.empty and parse_number(stated.raw) is not None:
        form.total_score = stated        # the total stated in the header block: checked like a 总分 row
    if any(k == "单位名称" for k in form.header) and "项目名称" not in form.header:
        form.variant = "unit"
    if "整体" in form.title:
        form.variant = "unit"
    if kind == "self_assessment" and "绩效目标" in form.title and "actual" not in cols:
        form.kind = "targets"
    return form


def _funds_only_form(grid: Grid) -> Form | None:
    """A self-assessment whose indicator table is not in the sheet (a page cut after the funds block, a workbook that
    keeps the table on another sheet): the header block and the funds block are still read and checked, when the
    sheet says it is a 绩效 form (title or 项目名称 / 单位名称) — a budget table alone is not one."""
    form = Form(sheet=grid.name, kind="self_assessment", variant="project", header_row=1, columns={}, first_row=1)
    stop = grid.max_row + 1
    _read_funds(grid, form, 1, stop)
    if not form.funds or form.funds_total is None:
        return None
    _read_header_block(grid, form, 1, form.funds[0].row)
    titled = any(isinstance(v, str) and "绩效" in v and ("自评" in v or "评价" in v)
                 for r in range(1, form.funds[0].row) for _, v in grid.anchors(r))
    _read_goal(grid, form, 1, stop)
    # no title (the page starts below it), but a goal block that reports what was achieved: a self-assessment
    reported = form.goal_actual is not None and "spent" in form.funds_columns
    if not (titled or reported) or not form.header:
        return None
    if any(k == "单位名称" for k in form.header) and "项目名称" not in form.header or "整体" in form.title:
        form.variant = "unit"
    form.header_row = form.funds[0].row - 1
    form.last_row = form.funds[-1].row
    form.deferred.append(Deferral(
        "表中没有识别到绩效指标表（可能在其他工作表或页面被截断），只核对了表头和资金部分，未计算总分",
        "no indicator table was found (on another sheet, or the page was cut): only the header and funds block "
        "were checked; no total is computed", frozenset()))
    return form


def _targets_header_only(grid: Grid) -> Form | None:
    """A 绩效目标申报表 whose indicator table is not in the sheet (the page was cut after the header block and the
    budget, or the table is on another sheet): recognised by its title, reported with one info, nothing judged."""
    title_row = next((r for r in range(1, min(grid.max_row, 6) + 1) for _, v in grid.anchors(r)
                      if isinstance(v, str) and "绩效目标" in v and clean(v).endswith("表")), None)
    if title_row is None:
        return None
    form = Form(sheet=grid.name, kind="targets", variant="project", header_row=title_row, columns={}, first_row=1)
    _read_header_block(grid, form, 1, grid.max_row + 1)
    if "整体" in form.title:
        form.variant = "unit"
    form.last_row = grid.max_row
    form.deferred.append(Deferral(
        "表中没有识别到绩效指标表（可能在其他工作表或页面被截断），只识别了表头，未核对指标",
        "no indicator table was found (on another sheet, or the page was cut): only the header was read, no "
        "indicator was checked", frozenset()))
    return form


def _starts_form(grid: Grid, row: int) -> bool:
    """A title (…表) or a header-block label (项目名称, 单位名称…): another form begins here."""
    for _, v in grid.anchors(row):
        if isinstance(v, str) and (clean(v).endswith("表") or any(H.matches(v, ls) for ls in H.HEADER_LABELS.values())):
            return True
    return False


def _first_value_col(grid: Grid, roles: dict[int, str]) -> int:
    return min([c for c, r in roles.items() if r not in H.LEVEL_ROLES and r not in ("name", "seq")] or [grid.max_col + 1])


_HEADER_UNIT = lazy_re(r"[(（]\s*([^()（）]{1,6}?)\s*[)）]\s*$")


def _header_units(grid: Grid, cols: dict[str, int], hrow: int, hend: int) -> dict[str, str]:
    """指标值（万元） / 实际完成值（%）: the unit a target or actual header names (not （A）, （B）, （目标）)."""
    from ..rules.units import KNOWN_UNITS
    out = {}
    for role in ("target", "actual"):
        if role not in cols:
            continue
        for r in range(hrow, hend + 1):
            m = _HEADER_UNIT.search(clean(grid.merged_value(r, cols[role])))
            if m and m.group(1) in KNOWN_UNITS:
                out[role] = m.group(1)
                break
    return out


# the national template's numbered residue: 指标1： / 指标2 / 指标1：/ / …… (rows left as printed in the blank template)
_TEMPLATE_NAME = lazy_re(r"^(?:指标\s*[0-9０-９一二三四五六七八九十]+\s*[:：]?\s*[/／\-—_]*|[.…。·．]+)$")


def _is_indicator(ind: Indicator, kind: str = "self_assessment") -> bool:
    name = ind.name
    vals = [ind.target, ind.actual, ind.weight, ind.score]
    if not name and all(f is None or f.empty for f in vals):
        return False
    if all(f is None or is_placeholder(f.raw) for f in vals + [ind.rate]) and (
            kind != "targets" or not name or is_placeholder(name) or _TEMPLATE_NAME.match(key(name))):
        return False          # a template row left unfilled (指标2 / ……), a name with nothing against it (a
        #                       declared indicator without a target stays: the target review reports it)
    if _TEMPLATE_NAME.match(key(name)) and all(f is None or is_placeholder(f.raw) for f in (ind.target, ind.actual)):
        return False          # 指标1：/ with a stray weight: the template's residue, not an indicator
    if key(name).startswith("其中") and all(f is None or is_placeholder(f.raw) for f in (ind.weight, ind.score)):
        return False          # 其中桃树种植面积 under an indicator: a breakdown of the row above, without points
    if (not name or is_placeholder(name)) and all(f is None or is_placeholder(f.raw) for f in vals):
        return False          # a row of "/" (an unused level-2 type)
    if H.is_note_row(*ind.levels) and all(f is None or f.empty for f in vals):
        return False          # 财政部门审核意见 | (盖章): a sign-off row under the table
    if name and is_placeholder(name) and all(f is None or is_placeholder(f.raw) for f in (ind.target, ind.actual)):
        return False
    return True


LABEL_POINTS = lazy_re(r"[(（]\s*(?:权重|分值)?\s*([0-9]+(?:\.[0-9]+)?)\s*分")


def label_points(text: object) -> float | None:
    """产出指标（50分） / 预算执行情况(万元)(20分) / 得分(20分*执行率): the points a label states, or None."""
    m = LABEL_POINTS.search(clean(text)) if isinstance(text, str) else None
    return float(m.group(1)) if m else None


def _label_weights(grid: Grid, form: Form, level_cols: list[int]) -> None:
    """No 分值 column: the 一级 labels may carry the weights (产出指标（50分）); kept when every indicator's block has one."""
    if not level_cols or not form.indicators:
        return
    c = level_cols[0]
    out: dict[str, tuple[float, Field]] = {}
    for ind in form.indicators:
        r, cc = grid.anchor(ind.row, c)
        w = label_points(grid.value(r, cc))
        if w is None:
            return
        out.setdefault(ind.level1, (w, field_at(grid, r, cc)))
    form.block_weights = out          # the checks say so once (weights-not-printed)
    # 年度绩效目标（80分） in the header row, left of the 一级 column: the points of the indicator part as a whole
    for col, v in grid.anchors(form.header_row):
        if col < c and not any(cc == col for cc in form.columns.values()) and (w := label_points(v)) is not None:
            form.part_weight = (w, field_at(grid, form.header_row, col))
            break


# Measures where less can be better (在职人员控制率 ≤100%, 预算调整率, 结转结余率, 三公经费变动率, 投诉率 …) — and, for
# some (血压控制率), more. With a bare target (3%, no ≥ / ≤ in the cell or a 符号 column) the form does not say which
# way the row is scored, so its rate and score are not judged.
OPEN_DIRECTION_NAMES = ("控制率", "调整率", "结余率", "结转率", "变动率", "差错率", "投诉率", "事故率", "发生率", "违规率",
                        "超支率", "闲置率", "流失率", "死亡率", "失业率", "返贫率", "空置率", "损耗率", "误差率", "辍学率",
                        "故障率", "超标率", "不合格率", "偏差率", "增长率控制")
_DIRECTION_CODES = frozenset({"rate-mismatch", "rate-rounding", "score-mismatch", "score-rounding",
                              "score-overachievement-penalised", "explanation-missing"})


def _defer_open_direction(form: Form) -> None:
    rows = []
    for ind in form.indicators:
        name = key(ind.name)
        if not name.endswith(OPEN_DIRECTION_NAMES):
            continue
        t, op = ind.target, ind.extra.get("operator")
        if t is None or _blank(t):
            continue
        sign = str(op.raw).strip() if op is not None and not _blank(op) else ""
        v = parse_value((sign if sign in H.SIGNS else "") + str(t.raw))        # 符号 | 指标值 read as one value
        if v.kind == "number" and v.op is None:      # a bare figure: no ≥ / ≤ / 以内 / 不低于 … anywhere
            rows.append(ind.row)
    if not rows:
        return
    shown = ", ".join(str(r) for r in rows)
    form.deferred.append(Deferral(
        f"第 {shown} 行是“越低越好”也可能“越高越好”的比率（如控制率、调整率、结余率），指标值没有写 ≥ 或 ≤：无法确定按哪个方向计分，"
        f"完成率和得分未核对（请在指标值前写明 ≤ 或 ≥）",
        f"rows {shown} are rates that may be scored either way (控制率, 调整率, 结余率 …) and their targets carry no ≥ or ≤: "
        f"the direction is open, so their rates and scores were not judged (write ≤ or ≥ before the target)",
        frozenset(rows), _DIRECTION_CODES))


def _defer_other_framework(form: Form) -> None:
    """A 绩效目标表 whose 一级 classes are not the finance framework's (产出/效益/满意度: the NDRC 中央预算内投资 template
    has 实施效果指标 / 过程管理指标): which classes it should hold is not the finance rule's to say, so the class check
    is left to the reviewer with one info."""
    if form.kind != "targets":
        return
    tops = list(dict.fromkeys(key(i.level1) for i in form.indicators if i.level1 and not is_placeholder(i.level1)))
    if not tops or any(w in H.class_key(t) for t in tops for w in H.FRAMEWORK_CLASSES):
        return
    shown = "、".join(tops[:4])
    form.deferred.append(Deferral(
        f"一级指标为「{shown}」，不是财政绩效指标体系的产出、效益、满意度：未检查指标类别是否齐全",
        f"the level-1 classes are {shown}, not the finance framework's 产出 / 效益 / 满意度: whether the classes are "
        f"complete was not checked",
        frozenset({form.header_row}), frozenset({"target-classes-missing"})))


def _defer_detail_rows(form: Form) -> None:
    """Rows with a target and an actual but neither 分值 nor 得分, in a table whose other rows carry points
    (★补助各类种植面积 10 | 红薯种植面积 5.5亩 …): a breakdown of the indicator above, or an indicator whose points were
    forgotten — either reading is possible, so they are not scored and one info says so."""
    if "weight" not in form.columns:
        return
    pointed = [i for i in form.indicators if not _blank(i.weight) or not _blank(i.score)]
    details = [i for i in form.indicators if _blank(i.weight) and _blank(i.score)]
    if not pointed or not details:
        return
    form.indicators = pointed
    rows = ", ".join(str(i.row) for i in details)
    form.deferred.append(Deferral(
        f"第 {rows} 行有指标值但没有分值和得分：按上方指标的明细读取，未计分（若是漏填分值的指标，请补填）",
        f"rows {rows} have values but no weight and no score: read as details of the indicator above, not scored "
        f"(if they are indicators whose points were left out, fill them in)",
        frozenset(i.row for i in details)))


def _is_blank_named(ind: Indicator) -> bool:
    """A row with a real indicator name (not 指标2 / ……, not a note) and nothing else typed against it."""
    name = key(ind.name)
    if not name or ind.name_field is None or ind.name_field.empty or is_placeholder(name) or _TEMPLATE_NAME.match(name):
        return False
    if H.is_note_row(name) or len(name) > 40:
        return False
    if H.column_role(name) is not None or name in ("名称", "内容"):
        return False          # a sub-header row (名称 | 名称 | 名称)
    return all(f is None or f.empty for f in (ind.target, ind.actual, ind.weight, ind.score, ind.rate,
                                               *ind.extra.values()))


def _unlabelled_total(form: Form) -> None:
    """The table's last row, with no indicator name of its own and no values, whose 分值 is 100 and is what the other
    rows and the funds add up to (霍山 2024: the label printed as 分总): the total row, not an indicator of 100 points."""
    if form.total_row is not None or len(form.indicators) < 2 or form.kind != "self_assessment":
        return
    last = form.indicators[-1]
    w = parse_number(last.weight.raw) if last.weight is not None else None
    if w is None or abs(w - 100) > 1e-9 or not all(_blank(f) for f in (last.target, last.actual)):
        return
    if last.name_field is not None and not _blank(last.name_field) and not H.matches(last.name, H.TOTAL_LABELS):
        return
    others = [parse_number(i.weight.raw) if i.weight is not None else None for i in form.indicators[:-1]]
    funds = form.funds_total
    fw = parse_number(funds.weight.raw) if funds is not None and funds.weight is not None else None
    if any(o is None for o in others) or abs(sum(others) + (fw or form.funds_label_weight or 0) - 100) > 1e-6:
        return
    form.indicators.pop()
    form.total_row, form.total_weight, form.total_score = last.row, last.weight, last.score


def _is_total_row(grid: Grid, row: int, first_value_col: int) -> bool:
    for col, v in grid.anchors(row):
        if col >= first_value_col:
            break
        if isinstance(v, str) and H.matches(v, H.TOTAL_LABELS):
            return True
    return False


def _is_block_label(grid: Grid, row: int) -> bool:
    memo = grid.row_memo("block-label")
    got = memo.get(row)
    if got is None:
        got = memo[row] = any(isinstance(v, str) and (H.matches(v, H.GOAL_LABELS) or H.matches(v, H.FUNDS_BLOCK_LABELS))
                              for _, v in grid.anchors(row))
    return got


def _right_value(grid: Grid, row: int, col: int) -> Field:
    """The first cell to the right of the (possibly merged) label at (row, col); empty Field if none."""
    m = grid.merge_of(row, col)
    for c in grid.cols_in(row, after=m[3] if m else col):     # occupied cells only: empty ones are skipped anyway
        if grid.is_anchor(row, c):
            v = grid.value(row, c)
            if isinstance(v, str) and any(H.matches(v, labels) for labels in H.HEADER_LABELS.values()):
                break          # the next label (主管部门 | 〈empty〉 | 实施单位): this one's value is empty
            if v is not None and str(v).strip():
                return field_at(grid, row, c)
    m = grid.merge_of(row, col)
    return Field(row, (m[3] if m else col) + 1, None)


def _find_grade(grid: Grid, start: int, stop: int) -> Field | None:
    for row in range(start, stop):
        for col, v in grid.anchors(row):
            if not isinstance(v, str):
                continue
            if H.matches(v, H.GRADE_LABELS):
                return _right_value(grid, row, col)
            label, sep, rest = clean(v).replace("：", ":").partition(":")
            if sep and H.matches(label, H.GRADE_LABELS):
                # label and grade in one cell (自评等级：优); the grade to the right when nothing follows the colon
                return field_at(grid, row, col) if rest.strip() else _right_value(grid, row, col)
            if any(b in v for b in "☐☑□■√☒") and "优" in v and "良" in v:
                return field_at(grid, row, col)
    return None


def _read_header_block(grid: Grid, form: Form, start: int, stop: int) -> None:
    for row in range(start, stop):
        for col, v in grid.anchors(row):
            if not isinstance(v, str):
                continue
            t = clean(v)
            if not form.title and t.endswith("表") and len(key(t)) >= 4:
                form.title = t
                continue
            label, sep, rest = t.replace("：", ":").partition(":")
            for name, labels in H.HEADER_LABELS.items():
                if name not in form.header and H.matches(v, labels):
                    form.header[name] = _right_value(grid, row, col)
                    break
                if name not in form.header and sep and rest.strip() and H.matches(label, labels):
                    form.header[name] = Field(row, col, rest.strip())     # 项目名称：… in one cell
                    break
            if form.year is None:
                m = re.search(r"(20\d{2})\s*年度", key(v))
                if m:
                    form.year = int(m.group(1))
    y = form.header.get("评价年度")
    if form.year is None and y is not None and not y.empty:
        m = _YEAR.search(str(y.raw)) or re.search(r"20\d{2}", str(y.raw))
        if m:
            form.year = int(m.group(1) if m.groups() else m.group(0))


def _read_funds(grid: Grid, form: Form, start: int, stop: int) -> None:
    for row in range(start, stop):
        fcols: dict[str, int] = {}
        for col, v in grid.anchors(row):
            if isinstance(v, str):
                role = H.funds_role(v)
                if role and role not in fcols:
                    fcols[role] = col
        # a 绩效目标表 has only the budget (年初预算数) when it is written; a self-assessment needs two amounts
        if len(set(fcols) & {"budget_start", "budget", "spent"}) < (1 if form.kind == "targets" else 2):
            continue
        form.funds_columns = fcols
        form.funds_factor = _funds_factor(grid, start, row)
        if "weight" not in fcols:      # 预算执行情况(万元)(20分) | 得分(20分*执行率): the weight is in a label
            form.funds_label_weight = next((w for _, v in grid.anchors(row) if (w := label_points(v)) is not None), None)
        first_amount = min(c for r, c in fcols.items() if r != "source") if any(r != "source" for r in fcols) else 1
        label_col = fcols.get("source")
        r = row + 1
        group = 0
        while r < stop:
            label = ""
            if any(isinstance(v, str) and key(v).startswith(_BREAKDOWN_KEYS)
                   for col, v in grid.anchors(r) if col < first_amount):
                group += 1
            for col, v in grid.anchors(r):
                if col >= first_amount:
                    break
                if label_col is not None and col != label_col:
                    continue
                if isinstance(v, str) and not H.matches(v, H.FUNDS_BLOCK_LABELS) and parse_number(v) is None:
                    label = v
            amounts = [parse_amount(grid.value(r, fcols[k])) for k in ("budget_start", "budget", "spent") if k in fcols]
            kind = H.funds_label_kind(label)
            if kind is None and not any(a is not None for a in amounts):
                break
            if _is_block_label(grid, r) and kind is None:
                break
            fr = FundsRow(label=label, row=r, is_total=(kind == "total"), group=group)
            for k in ("budget_start", "budget", "spent", "weight", "rate", "score"):
                setattr(fr, k, field_at(grid, r, fcols.get(k)))
            form.funds.append(fr)
            r += 1
        if form.funds and not any(f.is_total for f in form.funds):
            # no 合计/年度资金总额 label: the row carrying the funds weight is the total
            for f in form.funds:
                if f.weight is not None and parse_number(f.weight.raw) is not None:
                    f.is_total = True
                    break
            else:
                form.funds[0].is_total = True
        return


def _funds_factor(grid: Grid, start: int, header_row: int) -> float:
    """0.0001 when the funds block is in 元 (项目资金（元）, 年初预算数（元）, 单位：元), else 1 (万元)."""
    for row in range(start, header_row + 1):
        for _, v in grid.anchors(row):
            if not isinstance(v, str):
                continue
            k = key(v)
            if ("资金" in k or "预算" in k or "执行" in k or "单位" in k) and ("(元)" in k or "单位:元" in k):
                return 0.0001
    return 1.0


def _read_funds_pairs(grid: Grid, form: Form, start: int, stop: int) -> None:
    """The national 绩效目标表 writes its budget as label | amount pairs under 项目资金（万元）, with no
    column headers: 年度资金总额： | 200.45 / 其中：财政拨款 | 200.45 / 其他资金 | 0. Read as 年初预算数."""
    for row in range(start, stop):
        for col, v in grid.anchors(row):
            if not isinstance(v, str):
                continue
            kind = H.funds_label_kind(v)
            if kind is None:
                continue
            amount = _right_value(grid, row, col)
            if parse_number(amount.raw) is None:
                continue
            fr = FundsRow(label=clean(v).rstrip(":："), row=row, is_total=(kind == "total"))
            fr.budget_start = amount
            form.funds.append(fr)
            break
    if form.funds and not any(f.is_total for f in form.funds):
        form.funds[0].is_total = True
    if form.funds:
        form.funds_factor = _funds_factor(grid, start, stop - 1)


def _read_goal(grid: Grid, form: Form, start: int, stop: int) -> None:
    for row in range(start, stop):
        anchors = list(grid.anchors(row))
        for i, (col, v) in enumerate(anchors):
            if not (isinstance(v, str) and H.matches(v, H.GOAL_LABELS)):
                continue
            exp_col = act_col = None
            for c2, v2 in anchors[i + 1:]:
                if not isinstance(v2, str):
                    continue
                if act_col is None and H.matches(v2, H.GOAL_ACTUAL):
                    act_col = c2
                elif exp_col is None and H.matches(v2, H.GOAL_EXPECTED):
                    exp_col = c2
            below = grid.value(row + 1, col)
            if exp_col is None and act_col is not None and isinstance(below, str) and len(clean(below)) >= 10:
                exp_col = col       # 总体目标完成情况 | 总体目标 | 全年实际完成情况: the label heads its own text column
            if exp_col is None and act_col is None:
                # 年度总体目标 | text  (targets sheets)
                form.goal_expected = _right_value(grid, row, col)
                return
            text_row = row + 1
            while text_row < stop and not any(grid.value(text_row, c) for c in (exp_col, act_col) if c):
                text_row += 1
                if text_row > row + 3:
                    break
            if exp_col:
                form.goal_expected = field_at(grid, text_row, exp_col)
            if act_col:
                form.goal_actual = field_at(grid, text_row, act_col)
            return
