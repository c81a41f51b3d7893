"""Read an evaluator's scoring table (评价评分表) as an indicator tree, by header, in any column order.

Layouts met in real tables (domain.md, "Scoring an evaluator's table"):

* one column per level, the weight inside the label: ``决策指标 (20 分) | 项目立项 (6分) | 立项依据充分性 (3分)``;
* a ``名称 | 权重(%)`` pair under each level header (一级指标 … 四级指标), the header over two or three rows;
* a single 分值 column for the leaves, the upper levels merged over their leaves;
* subtotal rows (``小计`` in a level column, or a row naming only an upper level with its score), sub-item rows
  (①②③ with their own points) under a leaf, a 合计 / 总分 row, 扣分 and 得分率 columns, a grade cell
  (``评价等级 | ☐优 ☑良 ☐中 ☐差``);
* a leaf merged over its criterion rows (``①…（2分） | 2``, ``②…（2分） | 1`` …): every row, the first included, is an
  item with its bracket points and its own score, the leaf's weight the merged cell's;
* criteria only (an indicator system with 评分标准 and no 得分 column, weights in a column or in the labels): read as
  a tree with no scores (reported as not scored yet).

The result is plain data (:class:`Tree` of :class:`Node`); :mod:`xlscore.checks.scoring` does the arithmetic.
"""

from __future__ import annotations

import re
from ..records import dataclass, field

from ..grid import Grid
from ..model import Field
from ..text import clean, key, parse_number, lazy_re
from . import headers as H
from .locate import field_at

LEVEL_LABELS = {key("一级指标"): 1, key("二级指标"): 2, key("三级指标"): 3, key("四级指标"): 4}
NAME_LABELS = {key("名称"), key("指标名称"), key("指标")}
WEIGHT_LABELS = {key(x) for x in ("权重", "权重(%)", "权重(分)", "分值", "标准分", "分值(分)", "指标分值", "权重分")}
SUBTOTAL_LABELS = {key(x) for x in ("小计", "合计小计", "小 计")}
ROW_ROLES = ("weight", "score", "rule", "reason", "deduction", "score_rate", "target", "actual", "note")
# "(20 分)", "（6分）", "(9)" at the end of a label; also "20分" or a bare "15" after a space (产出数量 15)
_LABEL_WEIGHT = lazy_re(r"(?:[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]|\s(\d+(?:\.\d+)?)\s*分?|(?<=[\u4e00-\u9fff])(\d+(?:\.\d+)?)分)\s*$")


@dataclass
class Node:
    level: int                              # 1 … 4; sub-items under a leaf: leaf level + 1
    name: str
    row: int
    name_field: Field | None = None
    weight: float | None = None
    weight_field: Field | None = None       # the cell the weight was read from (a weight column, or the label)
    label_weight: float | None = None       # the weight printed inside the label, when there is one
    score: Field | None = None              # the leaf's 得分, or the subtotal's
    deduction: Field | None = None
    rate: Field | None = None               # 得分率
    rule: Field | None = None
    reason: Field | None = None
    target: Field | None = None
    actual: Field | None = None
    note: Field | None = None
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)
    subtotal_row: int | None = None         # the row the subtotal figures were read from
    is_item: bool = False                   # a ①②③ sub-item row under a leaf

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def path(self) -> list[str]:
        out, n = [], self
        while n is not None:
            out.append(n.name)
            n = n.parent
        return out[::-1]

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Tree:
    sheet: str
    header_row: int
    header_end: int
    columns: dict[str, int]                 # row roles → column
    level_columns: dict[int, int]           # level → name column
    level_weight_columns: dict[int, int]    # level → its own weight column (名称 | 权重 pairs)
    roots: list[Node] = field(default_factory=list)
    title: str = ""
    total_row: int | None = None
    total_score: Field | None = None
    total_weight: Field | None = None
    total_rate: Field | None = None
    total_deduction: Field | None = None
    grade: Field | None = None
    grade_note: str = ""                    # a 备注 line with the grade bands, if printed
    last_row: int = 0

    @property
    def levels(self) -> int:
        return max((n.level for n in self.nodes() if not n.is_item), default=0)

    def nodes(self):
        for r in self.roots:
            yield from r.walk()

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self.nodes() if n.is_leaf]

    @property
    def anchor(self) -> tuple[int, int]:
        return self.header_row, min(list(self.level_columns.values()) + list(self.columns.values()))


# --------------------------------------------------------------------------- header


def _span(grid: Grid, row: int, col: int) -> tuple[int, int]:
    m = grid.merge_of(row, col)
    return (m[1], m[3]) if m else (col, col)


_LEVEL_SHORT = {key("一级"): 1, key("二级"): 2, key("三级"): 3, key("四级"): 4}


def _level_of(label: str) -> int | None:
    """一级指标 … 四级指标, also 一级指标(分值) / 一级指标名称 / 一级."""
    k = key(label)
    if k in LEVEL_LABELS:
        return LEVEL_LABELS[k]
    bare = re.sub(r"\(.*?\)$", "", k)
    bare = bare[:-2] if bare.endswith("名称") else bare
    return LEVEL_LABELS.get(bare) or _LEVEL_SHORT.get(bare)


def weight_number(raw) -> float | None:
    """A weight: 20, '20', '20分', or '20%' (a 权重(%) column whose values are points)."""
    n = parse_number(raw)
    if n is None and isinstance(raw, str) and key(raw).endswith("%"):
        n = parse_number(key(raw)[:-1])
    return n


def _find_headers(grid: Grid) -> list[int]:
    """Rows holding at least two level labels (一级指标, 二级指标, …)."""
    rows = []
    for row in grid.rows():
        levels = {_level_of(v) for _, v in grid.anchors(row) if isinstance(v, str)} - {None}
        if len(levels) >= 2 and 1 in levels:
            rows.append(row)
    return rows


def _read_header(grid: Grid, lrow: int):
    """Columns of the table whose level labels sit in *lrow*: (first header row, last header row, columns,
    level name columns, level weight columns)."""
    level_cols: dict[int, int] = {}
    level_weight: dict[int, int] = {}
    columns: dict[str, int] = {}
    start, end = lrow, lrow
    # a band label row above (评价指标 … 评分标准 … 得分) belongs to the header
    if lrow > 1 and any(isinstance(v, str) and H.column_role(v) in ("rule", "score", "note", "name")
                        for _, v in grid.anchors(lrow - 1)):
        start = lrow - 1
    # a 名称 | 权重 row below
    below = lrow + 1
    if below <= grid.max_row:
        cells = [(c, v) for c, v in grid.anchors(below)]
        if cells and all(isinstance(v, str) and (key(v) in NAME_LABELS or key(v) in WEIGHT_LABELS
                                                 or H.column_role(v) is not None) for _, v in cells):
            end = below
    weightish: list[tuple[int, str]] = []       # (col, label) of weight-like headers outside the level columns
    for row in range(start, end + 1):
        last_level: tuple[int, int] | None = None   # (level, last column of its label) just seen on this row
        for col, v in grid.anchors(row):
            if not isinstance(v, str):
                last_level = None
                continue
            lv = _level_of(v)
            if lv is not None and row == lrow:
                c1, c2 = _span(grid, row, col)
                level_cols[lv] = c1
                last_level = (lv, c2)
                if end > lrow:
                    for c in range(c1, c2 + 1):
                        sub = grid.value(end, c)
                        if isinstance(sub, str) and key(sub) in WEIGHT_LABELS:
                            level_weight[lv] = c
                        elif isinstance(sub, str) and key(sub) in NAME_LABELS:
                            level_cols[lv] = c
                elif c2 > c1:   # a level label over two columns with no sub-header: name | weight
                    level_weight[lv] = c2
                continue
            if row == lrow and last_level is not None and key(v) in WEIGHT_LABELS and col == last_level[1] + 1 \
                    and last_level[0] not in level_weight:
                level_weight[last_level[0]] = col     # 一级指标 | 分值 | 二级指标 | 分值 | …: the level on its left
                last_level = None
                continue
            last_level = None
            if any(c1 <= col <= c2 for c1, c2 in [_span(grid, lrow, c) for c in level_cols.values()]) and row > lrow:
                continue    # a 名称/权重 sub-header
            role = H.column_role(v)
            if key(v) in WEIGHT_LABELS:
                role = "weight"
                weightish.append((col, key(v)))
            if role in ROW_ROLES and role not in columns:
                columns[role] = col
    deepest = max(level_cols, default=0)
    if deepest in level_weight:     # 三级指标 | 权重 | 评分标准 | 分值: the leaves' 权重 sits beside their names
        weightish.append((level_weight[deepest], key(grid.value(lrow, level_weight[deepest]))))
    if "score" not in columns and len(weightish) >= 2:
        # 权重 and 分值 both present and no 得分: 分值 holds the scores (domain.md, "分值 is ambiguous")
        score = next((c for c, k in weightish if k == key("分值")), None)
        if score is not None:
            columns["score"] = score
            columns["weight"] = next(c for c, k in weightish if c != score)
            if level_weight.get(deepest) == score:
                del level_weight[deepest]
    if "weight" not in columns and level_weight and max(level_weight) == max(level_cols, default=0):
        columns["weight"] = level_weight[max(level_weight)]    # the leaves' weight column
    return start, end, columns, level_cols, level_weight


# --------------------------------------------------------------------------- rows


def _own(grid: Grid, row: int, col: int | None) -> Field | None:
    """The cell at (row, col) when the row owns it (not the inner part of a merge from above)."""
    if col is None:
        return None
    r, c = grid.anchor(row, col)
    if r != row:
        return None
    return field_at(grid, r, c)


def split_label(text: str) -> tuple[str, float | None]:
    """'决策指标 (20 分)' → ('决策指标', 20.0); '项目立项(9)' → ('项目立项', 9.0); '一、决策' → ('决策', None)."""
    t = clean(text)
    m = _LABEL_WEIGHT.search(t)
    w = None
    if m:
        w = float(next(g for g in m.groups() if g is not None))
        t = t[:m.start()].strip()
    return _strip_numbering(t), w


def _is_total(text: str) -> bool:
    return H.matches(text, H.TOTAL_LABELS)


def _is_grade_label(text: str) -> bool:
    return H.matches(text, H.GRADE_LABELS) or bool(re.match(r"^[^:]{0,10}等级:.", key(text)))


def _is_subtotal(text: str) -> bool:
    """小计, or a subtotal naming its node: 决策小计, 产出指标合计."""
    k = key(_strip_numbering(text))
    return k in SUBTOTAL_LABELS or (len(k) > 2 and k.endswith(("小计", "合计")))


def _inside_upper_block(grid: Grid, row: int, col: int, first_level_col: int) -> bool:
    """A 合计 label right of the first level column, whose 一级 cell is merged down from a row above: the subtotal
    of that 一级 block, not the table's total."""
    return col > first_level_col and grid.anchor(row, first_level_col)[0] < row


def read_trees(grid: Grid) -> list[Tree]:
    trees = []
    hrows = _find_headers(grid)
    for i, lrow in enumerate(hrows):
        stop = hrows[i + 1] - 1 if i + 1 < len(hrows) else grid.max_row
        t = _read_tree(grid, lrow, stop)
        if t is not None and t.roots:
            if trees and _continues(trees[-1], t):
                _merge_into(trees[-1], t)      # the same table continued under a repeated header (page break)
            else:
                trees.append(t)
    if not hrows:
        trees.extend(read_flat_trees(grid))
    return trees


# --------------------------------------------------------------------------- one name column (summary tables)

FLAT_NAME_LABELS = {key(x) for x in ("指标", "评价指标", "评价因素", "指标名称", "评价内容", "考核指标", "评价维度",
                                     "一级指标", "考核内容", "考核项目")}      # a summary of the 一级 only: 一级指标 | 分值 | 得分 | 得分率
_NUMBERING = (
    (lazy_re(r"^[一二三四五六七八九十]+\s*[、.．]"), 1),
    (lazy_re(r"^[(（]\s*[一二三四五六七八九十]+\s*[)）]"), 2),
    (lazy_re(r"^\d+\s*[、.．](?!\d)"), 3),
    (lazy_re(r"^[(（]\s*\d+\s*[)）]"), 4),
)


def _numbering_level(text: str) -> int | None:
    t = clean(text)
    for pat, lv in _NUMBERING:
        if pat.match(t):
            return lv
    return None


def _strip_numbering(text: str) -> str:
    t = clean(text)
    for pat, _ in _NUMBERING:
        t = pat.sub("", t)
    return re.sub(r"\s+", "", t)


def _flat_headers(grid: Grid) -> list[tuple[int, dict[str, int]]]:
    out = []
    for row in grid.rows():
        cols: dict[str, int] = {}
        for col, v in grid.anchors(row):
            if not isinstance(v, str):
                continue
            k = key(v)
            if k in FLAT_NAME_LABELS and "name" not in cols:
                cols["name"] = col
                continue
            role = "weight" if k in WEIGHT_LABELS else H.column_role(v)
            if role in ROW_ROLES and role not in cols:
                cols[role] = col
        if {"name", "weight", "score"} <= set(cols):
            out.append((row, cols))
    return out


@dataclass
class _FlatRow:
    row: int
    name: str
    weight: float | None
    level: int | None
    hint: str | None        # "sub" (target/actual placeholders) | "leaf" (a target, an actual or a rule) | None
    fields: dict


def read_flat_trees(grid: Grid) -> list[Tree]:
    """Summary tables with one name column (指标 | 权重 | 目标值 | 完成值 | 得分 | 得分率, or 评价因素 | 分值 | 评价得分 |
    得分率): the levels come from the numbering (一、 （一） 1. （1）) or, without it, from the weights — a row whose
    weight the following rows add up to is their parent."""
    heads = _flat_headers(grid)
    trees = []
    for i, (hrow, cols) in enumerate(heads):
        stop = heads[i + 1][0] - 1 if i + 1 < len(heads) else grid.max_row
        tree = Tree(grid.name, hrow, hrow, {r: c for r, c in cols.items() if r != "name"}, {1: cols["name"]}, {})
        tree.title = _title(grid, hrow)
        rows: list[_FlatRow] = []
        blanks = 0
        for row in range(hrow + 1, stop + 1):
            nf = _own(grid, row, cols["name"])
            if nf is None or nf.empty or not isinstance(nf.raw, str):
                blanks += 1
                if blanks > 2:
                    break
                continue
            blanks = 0
            text = str(nf.raw)
            fields = {r: _own(grid, row, c) for r, c in cols.items()}
            # a bare 小计 after the list closes a one-name-column table: there is no upper level for it to subtotal
            closes = key(text) in SUBTOTAL_LABELS and rows and not any(r.level for r in rows)
            if closes or _is_total(text) or key(_strip_numbering(text)) in {key("评价总得分"), key("总得分"), key("总分")}:
                tree.total_row = row
                tree.total_score, tree.total_weight = fields.get("score"), fields.get("weight")
                tree.total_rate, tree.total_deduction = fields.get("score_rate"), fields.get("deduction")
                if rows:
                    break   # the table ends at its total (a grade line follows); 梅州 prints its total first
                continue
            if _is_grade_label(text):
                break
            vals = [fields.get(r) for r in ("target", "actual")]
            present = [f for f in vals if f is not None]
            hint = None
            if present and all(f.empty or is_placeholder_text(f.raw) for f in present) and any(
                    not f.empty for f in present):
                hint = "sub"
            elif any(not f.empty and not is_placeholder_text(f.raw) for f in present) or (
                    fields.get("rule") is not None and not fields["rule"].empty):
                hint = "leaf"
            wf = fields.get("weight")
            rows.append(_FlatRow(row, _strip_numbering(text), weight_number(wf.raw) if wf is not None else None,
                                 _numbering_level(text), hint, fields))
            tree.last_row = row
        if not rows:
            continue
        tree.roots = _nest_by_numbering(rows) if all(r.level for r in rows) else _nest_by_weight(rows)
        if not tree.roots:
            continue
        for n in tree.nodes():
            n.level = len(n.path)
        _find_grade(grid, tree, stop)
        trees.append(tree)
    return trees


def is_placeholder_text(v) -> bool:
    from ..text import is_placeholder
    return is_placeholder(v)


def _flat_node(r: _FlatRow, level: int, parent: Node | None) -> Node:
    f = r.fields
    n = Node(level, r.name, r.row, name_field=f.get("name"), weight=r.weight, weight_field=f.get("weight"), parent=parent,
             score=f.get("score"), deduction=f.get("deduction"), rate=f.get("score_rate"), rule=f.get("rule"),
             reason=f.get("reason"), target=f.get("target"), actual=f.get("actual"), note=f.get("note"))
    return n


def _nest_by_numbering(rows: list[_FlatRow]) -> list[Node]:
    roots: list[Node] = []
    stack: list[Node] = []
    for r in rows:
        while stack and stack[-1].level >= r.level:
            stack.pop()
        parent = stack[-1] if stack else None
        n = _flat_node(r, r.level, parent)
        (parent.children if parent else roots).append(n)
        stack.append(n)
    for n in roots:
        for x in n.walk():
            if x.children:
                x.subtotal_row = x.row
    return roots


def _nest_by_weight(rows: list[_FlatRow]) -> list[Node]:
    """Nest rows by their weights: children follow their parent and add up to its weight (depth ≤ 4).

    The nesting where every level adds up and the roots make 100 is searched first (a group with a single child of
    its own weight, 产出质量 10 / 验收合格率 10, is only told from two siblings that way); a table whose weights do
    not add up is nested greedily."""
    exact = _nest_exact(rows)
    if exact is not None:
        return [_build(r, c, None) for r, c in exact]
    def parse(i: int, budget: float, depth: int):
        out, acc = [], 0.0
        while acc < budget - 1e-6:
            if i >= len(rows):
                return None
            r = rows[i]
            if r.weight is None or acc + r.weight > budget + 1e-6:
                return None
            got = None
            if r.hint != "leaf" and depth < 4:
                sub = parse(i + 1, r.weight, depth + 1)
                if sub is not None and (len(sub[0]) > 1 or r.hint == "sub" or sub[0][0][0].name == r.name):
                    got = sub
            out.append((r, got[0] if got else []))
            i = got[1] if got else i + 1
            acc += r.weight
        return out, i

    roots: list[Node] = []
    i = 0
    while i < len(rows):
        r = rows[i]
        sub = parse(i + 1, r.weight, 2) if r.weight and r.hint != "leaf" else None
        if sub is not None and not (len(sub[0]) > 1 or r.hint == "sub"):
            sub = None
        roots.append(_build(r, sub[0] if sub else [], None))
        i = sub[1] if sub else i + 1
    return roots


def _nest_exact(rows: list[_FlatRow], total: float = 100.0, budget_steps: int = 20000):
    """[(row, children)] nesting all *rows* so that children add up to their parent and the roots to *total*;
    a group of several children is preferred to a leaf, a leaf to a group of one; None when there is none."""
    steps = [0]

    def seq(i: int, budget: float, depth: int):
        if budget <= 1e-6:
            yield [], i
            return
        steps[0] += 1
        if i >= len(rows) or steps[0] > budget_steps:
            return
        r = rows[i]
        if r.weight is None or r.weight <= 0 or r.weight > budget + 1e-6:
            return
        for children, j in options(i, depth):
            for rest, k in seq(j, budget - r.weight, depth):
                yield [(r, children)] + rest, k

    def options(i: int, depth: int):
        r = rows[i]
        single = []
        if r.hint != "leaf" and depth < 4:
            for ch, j in seq(i + 1, r.weight, depth + 1):
                if len(ch) > 1 or r.hint == "sub" or ch[0][0].name == r.name:
                    yield ch, j
                else:
                    single.append((ch, j))
                    break
        yield [], i + 1
        yield from single

    for items, k in seq(0, total, 1):
        if k == len(rows):
            return items
    return None


def _build(r: _FlatRow, children, parent: Node | None) -> Node:
    n = _flat_node(r, 1, parent)
    for cr, cc in children:
        n.children.append(_build(cr, cc, n))
    if n.children:
        n.subtotal_row = n.row
    return n


def _continues(prev: Tree, nxt: Tree) -> bool:
    return prev.total_row is None and prev.level_columns == nxt.level_columns and prev.columns == nxt.columns


def _merge_into(prev: Tree, nxt: Tree) -> None:
    for r in nxt.roots:
        same = next((p for p in prev.roots if p.name == r.name), None)
        if same is not None and r.weight is None:
            for c in r.children:
                c.parent = same
                same.children.append(c)
        else:
            prev.roots.append(r)
    for attr in ("total_row", "total_score", "total_weight", "total_rate", "total_deduction", "grade", "last_row"):
        if getattr(nxt, attr) is not None:
            setattr(prev, attr, getattr(nxt, attr))
    prev.grade_note = prev.grade_note or nxt.grade_note


def _read_tree(grid: Grid, lrow: int, stop: int) -> Tree | None:
    start, end, columns, level_cols, level_weight = _read_header(grid, lrow)
    if len(level_cols) < 2:
        return None
    if "score" not in columns and ("rule" not in columns or "target" in columns or "actual" in columns):
        return None     # no 得分 column: an indicator system with its 评分标准 (criteria only) is still a tree
    if "score" not in columns and "weight" not in columns and not level_weight and not _label_weights(grid, end, level_cols):
        return None
    tree = Tree(grid.name, start, end, columns, level_cols, level_weight)
    tree.title = _title(grid, start)
    levels = sorted(level_cols)
    first_value_col = min([c for c in columns.values()] + list(level_weight.values()) + [grid.max_col + 1])
    open_: dict[int, Node] = {}
    row = end + 1
    blanks = 0
    tree.last_row = end
    while row <= stop:
        anchors = list(grid.anchors(row))
        if not anchors:
            blanks += 1
            if blanks > 3:
                break
            row += 1
            continue
        blanks = 0
        # 合计 / 总分 row
        lead = [v for c, v in anchors if c < first_value_col and isinstance(v, str)
                and not _inside_upper_block(grid, row, c, level_cols[levels[0]])]
        if any(_is_total(v) for v in lead):
            tree.total_row = row
            tree.total_score = field_at(grid, row, columns.get("score"))
            wcol = columns.get("weight") or (level_weight.get(levels[0]) if levels else None)
            tree.total_weight = field_at(grid, row, wcol)
            tree.total_rate = field_at(grid, row, columns.get("score_rate"))
            tree.total_deduction = field_at(grid, row, columns.get("deduction"))
            tree.last_row = row
            break
        if _find_headers_row(grid, row) or any(_is_grade_label(v) for v in lead):
            break       # the next table, or the grade line under a table with no total row
        # names that start on this row, per level
        starts: dict[int, tuple[str, float | None, Field]] = {}
        subtotal_level = None
        for lv in levels:
            if grid.anchor(row, level_cols[lv])[1] != level_cols[lv]:
                continue    # a name merged across from the level on its left (满意度 with no 三级 under it)
            f = _own(grid, row, level_cols[lv])
            if f is None or f.empty or not isinstance(f.raw, str) and parse_number(f.raw) is not None:
                continue
            text = str(f.raw)
            if _is_subtotal(text) or (_is_total(text) and lv != levels[0] and open_):
                subtotal_level = lv
                break
            name, w = split_label(text)
            if name:
                starts[lv] = (name, w, f)
        if subtotal_level is not None:
            label = key(_strip_numbering(str(grid.value(row, level_cols[subtotal_level]))))[:-2]
            named = [n for n in open_.values() if label and key(n.name) in (label, label.removesuffix("指标"))]
            owner = named[0] if named else open_.get(max((l for l in levels if l < subtotal_level), default=0))
            if owner is None and not named and subtotal_level == levels[0]:
                owner = open_.get(subtotal_level)    # 小计 in the 一级 column, under the block it closes
            if owner is not None:
                _row_fields(grid, row, owner, columns, subtotal=True)
            tree.last_row = row
            row += 1
            continue
        if not starts:
            # no name starts here: a sub-item row (①…, own points) under the deepest open node, or a wrapped line
            deepest = open_.get(max(open_)) if open_ else None
            wf = _own(grid, row, columns.get("weight"))
            sf = _own(grid, row, columns.get("score"))
            rf = _own(grid, row, columns.get("rule"))
            owner = _unlabelled_subtotal(open_, wf, rf)
            if owner is not None:       # a subtotal row with no 小计 label (the upper name merged over it)
                _row_fields(grid, row, owner, columns, subtotal=True)
            elif deepest is not None and ((wf is not None and not wf.empty) or (sf is not None and not sf.empty)):
                item = Node(deepest.level + 1, _item_name(rf), row, rf, is_item=True, parent=deepest)
                _row_fields(grid, row, item, columns)
                deepest.children.append(item)
            tree.last_row = row
            row += 1
            continue
        for lv in sorted(starts):
            name, lw, f = starts[lv]
            parent = None
            for up in sorted((l for l in open_ if l < lv), reverse=True):
                parent = open_[up]
                break
            node = Node(lv, name, row, f, label_weight=lw, parent=parent)
            wcol = level_weight.get(lv)
            wf = _own(grid, row, wcol) if wcol else None
            if wf is not None and weight_number(wf.raw) is not None:
                node.weight, node.weight_field = weight_number(wf.raw), wf
            elif lw is not None:
                node.weight, node.weight_field = lw, f
            # a repeated level (梅州: 三级 预算控制 / 四级 预算控制) is still its own node
            (parent.children if parent is not None else tree.roots).append(node)
            open_[lv] = node
            for deeper in [l for l in open_ if l > lv]:
                del open_[deeper]
        deepest_lv = max(starts)
        node = open_[deepest_lv]
        _row_fields(grid, row, node, columns)
        tree.last_row = row
        row += 1
    _criterion_rows(grid, tree)
    _shared_points(grid, tree)
    _fill_upper_fields(tree)
    _find_grade(grid, tree, stop)
    return tree


_ITEM_POINTS = lazy_re(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_ITEM_MARK = lazy_re(r"[①②③④⑤⑥⑦⑧⑨⑩]|^\s*\d+\s*[、.．](?!\d)")


def _criterion_rows(grid: Grid, tree: Tree) -> None:
    """A leaf merged over several criterion rows (①…（2分） | 得分, ②…（3分） | 得分, …): its first row is a criterion
    too, not the leaf's own rule and score. The leaf becomes the parent of its rows, its weight the merged cell's,
    its score the sum of theirs; a row's weight is the points in brackets where the weight cell is merged."""
    for n in list(tree.nodes()):
        if n.is_item or not n.children or not all(c.is_item for c in n.children) or n.name_field is None:
            continue
        m = grid.merge_of(n.name_field.row, n.name_field.col)
        if m is None or m[2] <= n.row or n.score is None or n.score.empty:
            continue
        sm = grid.merge_of(n.score.row, n.score.col)
        if sm is not None and sm[2] > n.row:
            continue            # the leaf's score is merged over its rows: one score for the leaf
        text = clean(n.rule.raw) if n.rule is not None and not n.rule.empty else ""
        marks = _ITEM_MARK.findall(text)
        points = _ITEM_POINTS.findall(text)
        if len(marks) > 1 or len(points) > 1 or not (marks or points):
            continue            # the leaf's rule lists every item (①…②…): its rows below are the items
        first = Node(n.level + 1, _item_name(n.rule), n.row, n.rule, is_item=True, parent=n,
                     score=n.score, deduction=n.deduction, rate=n.rate, rule=n.rule, reason=n.reason,
                     target=n.target, actual=n.actual, note=n.note)
        n.children.insert(0, first)
        n.score = n.deduction = n.rate = n.rule = None
        wcol = tree.columns.get("weight")
        for c in n.children:
            wf = _own(grid, c.row, wcol) if wcol else None
            own = wf is not None and c.row != n.row and weight_number(wf.raw) is not None
            pts = _ITEM_POINTS.findall(clean(c.rule.raw)) if c.rule is not None and not c.rule.empty else []
            if not own and len(pts) == 1:
                c.weight, c.weight_field = float(pts[0]), c.rule
            elif not own:
                c.weight, c.weight_field = None, None


def _shared_points(grid: Grid, tree: Tree) -> None:
    """Leaves whose 分值 (and 得分) cell is one merge over several named rows (经济效益(可选项) … 使用效率(可选项) | 40 | 40:
    四川 2017 项目评分表): the rows are alternatives scored once, so they are one leaf — the merge's first row —, not
    leaves without points."""
    wcol, scol = tree.columns.get("weight"), tree.columns.get("score")
    if wcol is None:
        return
    groups = [tree.roots] + [n.children for n in tree.nodes() if n.children]
    for kids in groups:
        keep: list[Node] = []
        owner: Node | None = None
        for n in kids:
            m = grid.merge_of(n.row, wcol)
            sm = grid.merge_of(n.row, scol) if scol else None
            inside = (owner is not None and m is not None and m[0] == owner.row < n.row <= m[2]
                      and (scol is None or sm is not None and sm[0] == owner.row))
            if inside and n.is_leaf and not n.is_item and n.weight is None:
                continue            # scored with the merge's first row
            keep.append(n)
            owner = n if n.is_leaf and m is not None and m[0] == n.row < m[2] else None
        kids[:] = keep


def _label_weights(grid: Grid, end: int, level_cols: dict[int, int]) -> bool:
    """Weights printed in the level labels below the header (决策（20分）): a criteria-only table's only weights."""
    for row in range(end + 1, min(grid.max_row, end + 8) + 1):
        for col in level_cols.values():
            v = grid.value(row, col)
            if isinstance(v, str) and split_label(v)[1] is not None:
                return True
    return False


def _unlabelled_subtotal(open_: dict[int, Node], wf: Field | None, rf: Field | None) -> Node | None:
    """The open upper node a row without a name is the subtotal of: no rule text (a ①② sub-item prints its own), and
    its weight is that node's — printed, or what its children add up to; the deepest such node without a subtotal yet."""
    w = weight_number(wf.raw) if wf is not None else None
    if w is None or (rf is not None and not rf.empty) or len(open_) < 2:
        return None
    for lv in sorted((l for l in open_ if l < max(open_)), reverse=True):
        u = open_[lv]
        if u.subtotal_row is not None:
            continue
        kids = [c.weight for c in u.children]
        own = u.weight if u.weight is not None else (sum(kids) if kids and None not in kids else None)
        if own is not None and abs(own - w) < 1e-6:
            return u
    return None


def _find_headers_row(grid: Grid, row: int) -> bool:
    levels = {_level_of(v) for _, v in grid.anchors(row) if isinstance(v, str)} - {None}
    return len(levels) >= 2


def _item_name(f: Field | None) -> str:
    if f is None or f.empty:
        return "分项"
    t = clean(f.raw)
    return t[:12]


def _row_fields(grid: Grid, row: int, node: Node, columns: dict[str, int], subtotal: bool = False) -> None:
    for role in ROW_ROLES:
        col = columns.get(role)
        if col is None:
            continue
        f = _own(grid, row, col)
        if f is None:
            # a cell merged from above: shared with the row above (a reason spanning two leaves)
            r, c = grid.anchor(row, col)
            f = field_at(grid, r, c) if role in ("reason", "rule", "note") else None
        if f is None:
            continue
        if role == "weight":
            n = weight_number(f.raw)
            if n is not None:
                node.weight, node.weight_field = n, f     # a weight column wins over the label
            continue
        if subtotal and role in ("rule", "reason", "note", "target", "actual") and f.empty:
            continue
        setattr(node, "rate" if role == "score_rate" else role, f)
    if subtotal:
        node.subtotal_row = row


def _fill_upper_fields(tree: Tree) -> None:
    """An upper node with no weight of its own takes the sum of its children's (reported by the checks)."""
    for n in tree.nodes():
        if n.label_weight is not None and n.weight is None:
            n.weight = n.label_weight


def _title(grid: Grid, start: int) -> str:
    for row in range(max(1, start - 4), start):
        for _, v in grid.anchors(row):
            if isinstance(v, str) and len(key(v)) >= 6 and ("表" in v or "评价" in v):
                return clean(v)
    return ""


def _find_grade(grid: Grid, tree: Tree, stop: int) -> None:
    start = tree.total_row or tree.last_row
    for row in range(start, min(stop, start + 5) + 1):
        for col, v in grid.anchors(row):
            if not isinstance(v, str):
                continue
            k = key(v)
            if grade_bands(v):
                tree.grade_note = clean(v)
                continue
            if re.match(r"^[^:]{0,10}等级:.", k) and tree.grade is None:    # 评价等级：良 in one cell
                tree.grade = field_at(grid, row, col)
                continue
            if H.matches(v, H.GRADE_LABELS) and tree.grade is None:
                m = grid.merge_of(row, col)
                for c in grid.cols_in(row, after=m[3] if m else col):
                    if grid.is_anchor(row, c) and grid.value(row, c) not in (None, ""):
                        tree.grade = field_at(grid, row, c)
                        break
                if tree.grade is None:
                    tree.grade = Field(row, (m[3] if m else col) + 1, None)
            elif len(re.findall("[☐☑□■√☒]", v)) >= 2 and tree.grade is None:     # ☐优 ☑良 ☐中 ☐差
                tree.grade = field_at(grid, row, col)


# '90（含）-100分为优', '80分（含）-90分（不含）为良', '90分（含）以上为优', '85-95分为较好' (a lower bound is inclusive)
_LABEL = r"([^,、;。.:()≥≤<>=\d]{1,4}?)"
# (pattern, group of the lower bound or None for the lowest band, group of the label), tried in turn:
# '90（含）-100分为优', '80分（含）-90分（不含）为良', '90分（含）以上为优', '85-95分为较好' (a lower bound is inclusive);
# '≥90分为优', '80≤总分<90为良', '<60分为差'; '优（≥90分）', '良（80-89分）', '差（60分以下）'
_BANDS = (
    (lazy_re(r"(\d+(?:\.\d+)?)分?(?:\(含\))?(?:[-~—至到]\d+(?:\.\d+)?分?(?:\(不含\))?|及?以上)的?为" + _LABEL
                + r"(?=[,、;。.]|$)"), 1, 2),
    (lazy_re(r"(?<![\d.<≤])(?:≥|大于等于)(\d+(?:\.\d+)?)分?的?为" + _LABEL + r"(?=[,、;。.]|$)"), 1, 2),
    (lazy_re(r"(\d+(?:\.\d+)?)分?≤[^,、;。<≤]{0,6}<\d+(?:\.\d+)?分?的?为" + _LABEL + r"(?=[,、;。.]|$)"), 1, 2),
    (lazy_re(r"(?:^|[,、;。:])" + _LABEL + r"\((?:≥|大于等于)?(\d+(?:\.\d+)?)分?(?:[-~—至到]\d+(?:\.\d+)?分?|及?以上)?\)"), 2, 1),
)
_LOWEST = (
    lazy_re(r"\d+(?:\.\d+)?分?以下(?:的)?为" + r"([^,、;。.]+)"),
    lazy_re(r"(?:^|[,、;。:])[^,、;。:]{0,4}?<\d+(?:\.\d+)?分?的?为" + _LABEL + r"(?=[,、;。.]|$)"),
    lazy_re(r"(?:^|[,、;。:])" + _LABEL + r"\((?:<\d+(?:\.\d+)?分?|\d+(?:\.\d+)?分?以下)\)"),
)


def grade_bands(note: str) -> list[tuple[float, str]]:
    """The bands a table prints under its total ('90（含）-100分为优、80（含）-90分为良…60分以下为差'), best first."""
    k = key(note)
    bands: list[tuple[float, str]] = []
    for pat, lo, label in _BANDS:       # one note may mix the styles (≥90分为优；80≤总分<90为良)
        for m in pat.finditer(k):
            if m.group(label) not in {b for _, b in bands}:
                bands.append((float(m.group(lo)), m.group(label)))
    if len(bands) < 2:
        return []
    for pat in _LOWEST:
        low = pat.search(k)
        if low and low.group(1) not in {b for _, b in bands}:
            bands.append((0.0, low.group(1)))
            break
    return sorted(bands, reverse=True)
