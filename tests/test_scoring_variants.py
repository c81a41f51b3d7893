"""Evaluators' scoring tables (评价评分表 / 综合评分表 / 绩效评价指标评分表) in the layouts third-party evaluation reports
publish, built here with openpyxl (the common indicator framework of 财预〔2020〕10号: 决策 / 过程 / 产出 / 效益, the
rule phrasings of the 东湖 and 梅州 reports) and checked through the real CLI.

Each variant is first filled correctly: the tree must be read with its levels and weights, the total and grade must be
the ones computed here from the leaves (independently of the tool), and there must be no error and no warning. Then one
deliberate mistake is made, the kind a clerk with a calculator makes, and it must be flagged at its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from builders import put
from conftest import run_json
from xlscore.read.tree import read_trees
from xlscore.write import xlsx


# ---------------------------------------------------------------------------------------------- the tree

@dataclass
class N:
    """A node of the indicator tree: a leaf (score given) or a group (children)."""
    name: str
    weight: float
    children: list["N"] = field(default_factory=list)
    score: float | None = None
    rule: str = ""
    reason: str = ""
    target: str = ""
    actual: str = ""

    @property
    def leaf(self) -> bool:
        return not self.children

    def total(self) -> float:
        return self.score if self.leaf else round(sum(c.total() for c in self.children), 4)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def depth(self) -> int:
        return 1 if self.leaf else 1 + max(c.depth() for c in self.children)


def L(name, weight, score, rule, reason="", target="", actual=""):
    return N(name, weight, score=score, rule=rule, reason=reason, target=target, actual=actual)


# Rule texts as the reports print them (东湖 2022, 梅州 2021 and the common framework's 评分标准).
R_BASIS = ("①项目立项符合国家法律法规和相关政策；②项目立项与部门职责相符；③项目未与相关部门同类项目重复；④事前经过必要的"
           "可行性研究。以上均符合得100%权重分，否则每一项不符合扣除25%权重分，扣完为止。")
R_PROC = "①项目按规定程序申请设立；②审批文件、材料符合相关要求。以上均符合得满分，否则每一项不符合扣除50%权重分。"
R_GOAL = ("①项目设定有绩效目标；②绩效目标与实际工作内容具有相关性；③绩效目标与预算确定的资金量相匹配。"
          "每项分别占30%、30%、40%权重分，符合的得相应权重分。")
R_CLEAR = "绩效指标清晰、细化、可衡量的得满分，否则酌情扣分。"
R_BUDGET = ("①预算编制经过科学论证；②预算内容与项目内容匹配；③预算额度测算依据充分；④预算额度与工作任务相匹配。"
            "每项占25%权重分，以上均符合得100%权重分，否则扣除相应权重分。")
R_ALLOC = "资金分配依据充分、额度合理得满分，否则不得分。"
R_ARRIVE = "资金到位率=(实际到位资金/计划投入资金)×100%，得分=资金到位率×指标权重。"
R_EXEC = "预算执行率=(实际支出资金/实际到位资金)×100%，预算执行率≥95%，得4分，否则按实际预算执行率*指标权重得分。"
R_COMPLY = "资金使用符合财经法规和财务管理制度，每发现1处不符合扣1分，扣完为止。"
R_SYSTEM = "①已制定相应的项目管理制度（2分）；②财务和业务管理制度合法、合规、完整（2分）。"
R_EFFECT = "遵守相关法律法规和管理制度，项目调整及支出调整手续完备，每发现一处不符合扣除25%权重分，扣完为止。"
R_SITES = "完成8个服务站建设得满分，否则每少一个扣除0.5分，扣完为止。"
R_TRAIN = "培训人次≥1200人次得满分，否则按实际完成值/目标值×权重计分。"
R_PASS = "验收合格率100%得满分，否则每低于目标值1%（含不足1%部分）扣除5%权重分。"
R_TIME = "按计划时间完成得满分，否则不得分。"
R_COST = ("成本节约率=[(计划成本-实际成本)/计划成本]×100%。成本节约率在±5%区间，得满分；超出区间范围，按每超出1%扣0.5分，"
          "扣完为止。")
R_SOCIAL = "有效提升基层公共服务水平得满分，否则酌情扣分。"
R_SUSTAIN = "具备有关制度、组织机构、人员保障项目可持续的，得5分。"
R_SATISF = "满意度≥90%得满分，否则按实际满意度×指标权重得分。"


def tree3() -> list[N]:
    """决策 15 / 过程 20 / 产出 35 / 效益 30, 21 leaves; total 92.55."""
    return [
        N("决策", 15, [
            N("项目立项", 5, [L("立项依据充分性", 3, 3, R_BASIS, target="充分", actual="充分"),
                              L("立项程序规范性", 2, 2, R_PROC, target="规范", actual="规范")]),
            N("绩效目标", 5, [L("绩效目标合理性", 3, 2.1, R_GOAL, "绩效目标与实际工作内容相关性不足，扣0.9分", "合理", "基本合理"),
                              L("绩效指标明确性", 2, 1.5, R_CLEAR, "部分指标不可衡量，扣0.5分", "明确", "基本明确")]),
            N("资金投入", 5, [L("预算编制科学性", 3, 2.25, R_BUDGET, "预算测算依据不充分，扣0.75分", "科学", "基本科学"),
                              L("资金分配合理性", 2, 2, R_ALLOC, target="合理", actual="合理")]),
        ]),
        N("过程", 20, [
            N("资金管理", 12, [L("资金到位率", 3, 3, R_ARRIVE, target="100%", actual="100%"),
                               L("预算执行率", 4, 3.7, R_EXEC, "预算执行率为92.5%，扣0.3分", "≥95%", "92.5%"),
                               L("资金使用合规性", 5, 4, R_COMPLY, "抽查发现1处支出凭证不完整，扣1分", "合规", "基本合规")]),
            N("组织实施", 8, [L("管理制度健全性", 4, 4, R_SYSTEM, target="健全", actual="健全"),
                              L("制度执行有效性", 4, 3, R_EFFECT, "发现1处项目变更未履行报批手续，扣1分", "有效", "基本有效")]),
        ]),
        N("产出", 35, [
            N("产出数量", 12, [L("服务站建设数量", 6, 5.5, R_SITES, "实际完成7个，扣0.5分", "8个", "7个"),
                               L("培训人次", 6, 6, R_TRAIN, target="≥1200人次", actual="1260人次")]),
            N("产出质量", 10, [L("验收合格率", 10, 9, R_PASS, "验收合格率为98.5%，扣1分", "100%", "98.5%")]),
            N("产出时效", 5, [L("完成及时性", 5, 5, R_TIME, target="2023年12月31日前", actual="2023年11月20日")]),
            N("产出成本", 8, [L("成本节约率", 8, 8, R_COST, target="≤±5%", actual="3.2%")]),
        ]),
        N("效益", 30, [
            N("社会效益", 10, [L("公共服务水平提升", 10, 8.5, R_SOCIAL, "服务站利用率不高，扣1.5分", "有效提升", "基本实现")]),
            N("可持续影响", 5, [L("长效机制建立", 5, 5, R_SUSTAIN, target="可持续", actual="可持续")]),
            N("满意度", 15, [L("服务对象满意度", 15, 15, R_SATISF, target="≥90%", actual="93.6%")]),
        ]),
    ]


def tree4() -> list[N]:
    """The same leaves under four levels (the 梅州 shape: 一级 / 二级 / 三级 / 四级), total 92.55."""
    d, p, o, e = tree3()
    return [
        N("决策", 15, [N("项目决策", 10, d.children[:2]), N("资金落实", 5, d.children[2:])]),
        N("过程", 20, [N("资金使用", 12, [p.children[0]]), N("事项管理", 8, [p.children[1]])]),
        N("产出", 35, [N("效率性", 22, o.children[:2]), N("时效与成本", 13, o.children[2:])]),
        N("效益", 30, [N("效果性", 15, e.children[:2]), N("公平性", 15, e.children[2:])]),
    ]


def tree3_uneven() -> list[N]:
    """tree3 with 满意度 a 二级 leaf (no 三级 under it), as many tables print it."""
    roots = tree3()
    sat = roots[3].children[2]
    leaf = sat.children[0]
    roots[3].children[2] = L("服务对象满意度", sat.weight, leaf.score, leaf.rule, leaf.reason, leaf.target, leaf.actual)
    return roots


def tree3_provincial() -> list[N]:
    """tree3 with the phrasings of other provinces' 评分标准 (每降低1个百分点, 每少10人, 每发现一例, 未按计划完成的不得分,
    每下降1个百分点): total 92.55 − 0.1 − 0.5 = 91.95."""
    roots = tree3()
    leaves = {n.name: n for r in roots for n in r.walk() if n.leaf}
    for name, rule, score, reason, target, actual in (
            ("预算执行率", "预算执行率达到100%得满分，每降低1个百分点扣0.1分，扣完为止。", 3.6,
             "预算执行率为95.5%，扣0.4分", "100%", "95.5%"),
            ("培训人次", "培训人数达到1200人得满分，每少10人扣0.1分，扣完为止。", 5.5, "实际培训1150人，扣0.5分",
             "≥1200人", "1150人"),
            ("资金使用合规性", "资金使用存在违规情况的，每发现一例扣1分，扣完为止。", 4, "发现1例支出凭证不完整，扣1分", "", ""),
            ("完成及时性", "项目按计划完成得满分；未按计划完成的，不得分。", 5, "", "2023年12月31日前", "2023年11月20日"),
            ("服务对象满意度", "满意度达到90%以上得满分，每下降1个百分点扣0.5分，扣完为止。", 15, "", "≥90%", "93.6%")):
        n = leaves[name]
        n.rule, n.score, n.reason, n.target, n.actual = rule, score, reason, target, actual
    return roots


DEFAULT_BANDS = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))


def grade_of(total: float, bands=DEFAULT_BANDS) -> str:
    return next(label for low, label in bands if total >= low - 1e-9)


# ---------------------------------------------------------------------------------------------- the layouts

@dataclass
class Layout:
    levels: tuple[str, ...] = ("一级指标", "二级指标", "三级指标")
    weights: str = "labels"           # labels | columns (一级 | 分值 | 二级 | 分值 …) | pairs (名称 | 权重 below) | single
    label: str = "{name}（{w}分）"     # a weight inside a label
    leaf_label_weight: bool = True    # with weights=labels: the leaves carry theirs too
    level_weight_header: str = "分值"
    pair_headers: tuple[str, str] = ("名称", "权重(%)")
    numbering: bool = False           # 一、决策 / （一）项目立项 / 1.立项依据充分性
    cols: tuple[tuple[str, str], ...] = (("rule", "评分标准"), ("score", "得分"))
    band: str | None = None           # a band label over the level columns (评价指标), other headers merged down
    title: tuple[str, ...] = ("某区2023年基层公共服务站建设项目绩效评价指标评分表",)
    spacer: int = 0                   # blank rows between the title and the header
    merge: bool = True                # upper levels merged over their rows
    subtotals: tuple[int, ...] = ()   # the levels whose nodes get a subtotal row after their children
    subtotal_label: str = "小计"
    total_label: str = "合计"
    grade: str = "pair"               # pair | one_cell | checkbox | none
    grade_label: str = "评价等级"
    grade_value: str = "{g}"
    bands_note: str | None = None
    bands: tuple = DEFAULT_BANDS
    rate_as_text: bool = True
    rate_points: bool = False         # 得分率(%) holding 87.5 for 87.5%
    boxes: str = "{box}{g}"           # a checkbox grade: ☑良, or the box after its label (良☑)
    blank_between: bool = False       # a blank spacer row between 一级 blocks
    seq: str | None = None            # a 序号 column before the level columns, numbering the leaves
    breaks: bool = False              # header labels wrapped in their cells (一级\n指标, 评分\n标准)
    formulas: bool = False            # subtotals, total, 扣分 and 得分率 as Excel formulas (=SUM(H3:H4), =H5/D5)
    as_text: bool = False             # figures typed as text ('3分', '2.25'), as pasted from a Word report
    group: tuple[str, tuple[str, ...]] | None = None   # a band over some columns: ('评价结果', ('score', 'rate'))
    repeat_header_before: str | None = None   # the header printed again before this 一级 (a page break)


@dataclass
class Built:
    path: Path
    cols: dict[str, str]              # role → column letter
    rows: dict[str, int]              # node name → its first row
    subtotal_rows: dict[str, int]     # node name → its subtotal row
    total_row: int
    grade_cell: str | None
    depth: int

    def cell(self, role: str, name: str | None = None, *, subtotal: bool = False, total: bool = False) -> str:
        row = self.total_row if total else (self.subtotal_rows if subtotal else self.rows)[name]
        return f"{self.cols[role]}{row}"


CN = "一二三四五六七八九十"


def _fmt(x: float) -> str:
    return f"{x:g}"


def build(path: Path, roots: list[N], lay: Layout) -> Built:
    depth = max(r.depth() for r in roots)
    assert depth == len(lay.levels)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    # columns: the level columns (with their weight columns), then the others
    cols: list[tuple[str, str, int | None]] = [("seq", lay.seq, None)] if lay.seq else []
    for lv in range(1, depth + 1):
        cols.append(("name", lay.levels[lv - 1], lv))
        if lay.weights in ("columns", "pairs"):
            cols.append(("lweight", lay.level_weight_header, lv))
    for role, head in lay.cols:
        cols.append((role, head, None))
    letter = {i: get_column_letter(i + 1) for i in range(len(cols))}
    name_col = {lv: i for i, (r, _, lv) in enumerate(cols) if r == "name"}
    lw_col = {lv: i for i, (r, _, lv) in enumerate(cols) if r == "lweight"}
    role_col = {r: i for i, (r, _, lv) in enumerate(cols) if lv is None}
    width = len(cols)
    last = letter[width - 1]

    row = 1
    for t in lay.title:
        ws.merge_cells(f"A{row}:{last}{row}")
        put(ws, f"A{row}", t)
        row += 1
    row += lay.spacer
    # header rows
    nh = max(1 + (lay.band is not None) + (lay.weights == "pairs"), 2 if lay.group else 1)
    h0 = row
    lrow = h0 + (lay.band is not None)
    if lay.band is not None:
        first, lastc = letter[0], letter[max(i for i, c in enumerate(cols) if c[2] is not None)]
        ws.merge_cells(f"{first}{h0}:{lastc}{h0}")
        put(ws, f"{first}{h0}", lay.band)
    if lay.breaks:
        cols = [(r, h[:len(h) // 2] + "\n" + h[len(h) // 2:] if len(h) >= 4 else h, lv) for r, h, lv in cols]
    grouped = [i for i, (role, _, lv) in enumerate(cols) if lv is None and lay.group and role in lay.group[1]]
    if grouped:
        ws.merge_cells(f"{letter[grouped[0]]}{h0}:{letter[grouped[-1]]}{h0}")
        put(ws, f"{letter[grouped[0]]}{h0}", lay.group[0])
    for i, (role, head, lv) in enumerate(cols):
        if i in grouped:
            put(ws, f"{letter[i]}{h0 + nh - 1}", head)
        elif lv is None:
            if nh > 1:
                ws.merge_cells(f"{letter[i]}{h0}:{letter[i]}{h0 + nh - 1}")
            put(ws, f"{letter[i]}{h0}", head)
        elif lay.weights == "pairs":
            if role == "name":
                ws.merge_cells(f"{letter[i]}{lrow}:{letter[i + 1]}{lrow}")
                put(ws, f"{letter[i]}{lrow}", head)
                put(ws, f"{letter[i]}{lrow + 1}", lay.pair_headers[0])
                put(ws, f"{letter[i + 1]}{lrow + 1}", lay.pair_headers[1])
        else:
            if lrow < h0 + nh - 1:
                ws.merge_cells(f"{letter[i]}{lrow}:{letter[i]}{h0 + nh - 1}")
            put(ws, f"{letter[i]}{lrow}", head)
    row = h0 + nh

    rows: dict[str, int] = {}
    sub_rows: dict[str, int] = {}
    seq = 0
    score_ref: dict[str, str] = {}      # node → the cell holding its score (a leaf's, or its subtotal's)

    def label(n: N, lv: int, idx: int) -> str:
        text = n.name
        if lay.numbering:
            text = (f"{CN[idx]}、", f"（{CN[idx]}）", f"{idx + 1}.", f"（{idx + 1}）")[lv - 1] + text
        in_label = lay.weights == "labels" and (lv < depth or lay.leaf_label_weight) or (
            lay.weights == "single" and lv < depth and "{w}" in lay.label)
        return lay.label.format(name=text, w=_fmt(n.weight)) if in_label else text

    def figures(r: int, n: N, score: float, weight_col: bool, formula: str | None = None) -> None:
        wc = f"{letter[role_col['weight']]}{r}" if "weight" in role_col else None
        sc = f"{letter[role_col['score']]}{r}"
        if wc and weight_col:
            put(ws, wc, f"{_fmt(n.weight)}分" if lay.as_text else n.weight)
        put(ws, sc, formula if lay.formulas and formula else _fmt(round(score, 2)) if lay.as_text else round(score, 2))
        if "deduction" in role_col:
            d = f"={wc}-{sc}" if lay.formulas and wc else round(n.weight - score, 2)
            put(ws, f"{letter[role_col['deduction']]}{r}", d)
        if "rate" in role_col:
            rate = score / n.weight
            c = f"{letter[role_col['rate']]}{r}"
            if lay.formulas and wc:
                put(ws, c, f"=ROUND({sc}/{wc},4)").number_format = "0.00%"
            elif lay.rate_points:
                put(ws, c, round(rate * 100, 2))
            elif lay.rate_as_text:
                put(ws, c, f"{rate * 100:.2f}%")
            else:
                put(ws, c, round(rate, 4)).number_format = "0.00%"

    def emit(n: N, lv: int, idx: int) -> None:
        nonlocal row, seq
        start = row
        rows[n.name] = row
        put(ws, f"{letter[name_col[lv]]}{row}", label(n, lv, idx))
        if n.leaf and lv < depth:       # a leaf one level up (满意度 with no 三级), its name merged across
            assert not lw_col
            ws.merge_cells(f"{letter[name_col[lv]]}{row}:{letter[name_col[depth]]}{row}")
        if n.leaf and "seq" in role_col:
            seq += 1
            put(ws, f"{letter[role_col['seq']]}{row}", seq)
        if lv in lw_col:
            put(ws, f"{letter[lw_col[lv]]}{row}", n.weight)
        if n.leaf:
            figures(row, n, n.score, True)
            score_ref[n.name] = f"{letter[role_col['score']]}{row}"
            for role, attr in (("rule", "rule"), ("reason", "reason"), ("target", "target"), ("actual", "actual")):
                if role in role_col and getattr(n, attr):
                    put(ws, f"{letter[role_col[role]]}{row}", getattr(n, attr), text=True)
            if "note" in role_col:
                put(ws, f"{letter[role_col['note']]}{row}", f"反映{n.name}情况。")
            row += 1
            return
        for i, c in enumerate(n.children):
            emit(c, lv + 1, i)
        if lv in lay.subtotals:
            sub_rows[n.name] = row
            c1, c2 = name_col[lv + 1], name_col[depth] + (1 if depth in lw_col else 0)
            if c2 > c1:
                ws.merge_cells(f"{letter[c1]}{row}:{letter[c2]}{row}")
            put(ws, f"{letter[c1]}{row}", lay.subtotal_label.format(name=n.name))
            refs = [score_ref[c.name] for c in n.children] if all(c.name in score_ref for c in n.children) \
                else [score_ref[x.name] for x in n.walk() if x.leaf]
            sc = letter[role_col["score"]]
            contiguous = all(c.leaf for c in n.children) and len(refs) > 1 or len(refs) > len(n.children)
            formula = f"=SUM({refs[0]}:{refs[-1]})" if contiguous else "=" + "+".join(refs)
            figures(row, n, n.total(), True, formula)
            score_ref[n.name] = f"{sc}{row}"
            row += 1
        if lay.merge and row - 1 > start:
            ws.merge_cells(f"{letter[name_col[lv]]}{start}:{letter[name_col[lv]]}{row - 1}")
            if lv in lw_col:
                ws.merge_cells(f"{letter[lw_col[lv]]}{start}:{letter[lw_col[lv]]}{row - 1}")

    for i, r in enumerate(roots):
        if r.name == lay.repeat_header_before:
            assert nh == 1
            for j, (_, head, _) in enumerate(cols):
                put(ws, f"{letter[j]}{row}", head)
            row += 1
        emit(r, 1, i)
        if lay.blank_between and i < len(roots) - 1:
            row += 1
    total = round(sum(r.total() for r in roots), 4)
    total_row = row
    first_value = min(i for r, i in role_col.items() if r != "seq") if lay.weights != "columns" else lw_col[1]
    lab_end = max(first_value - 1, 0)
    if lab_end > 0:
        ws.merge_cells(f"A{row}:{letter[lab_end]}{row}")
    put(ws, f"A{row}", lay.total_label)
    if lay.weights == "columns":
        put(ws, f"{letter[lw_col[1]]}{row}", 100)
    figures(row, N("合计", 100), total, True, "=" + "+".join(score_ref[r.name] for r in roots)
            if all(r.name in score_ref for r in roots) else None)
    row += 1
    grade = grade_of(total, lay.bands)
    grade_cell = None
    if lay.grade == "pair":
        if lab_end > 0:
            ws.merge_cells(f"A{row}:{letter[lab_end]}{row}")
        put(ws, f"A{row}", lay.grade_label)
        grade_cell = f"{letter[lab_end + 1]}{row}"
        put(ws, grade_cell, lay.grade_value.format(g=grade))
    elif lay.grade == "checkbox":
        if lab_end > 0:
            ws.merge_cells(f"A{row}:{letter[lab_end]}{row}")
        put(ws, f"A{row}", lay.grade_label)
        grade_cell = f"{letter[lab_end + 1]}{row}"
        put(ws, grade_cell, " ".join(lay.boxes.format(box="☑" if g == grade else "☐", g=g) for _, g in lay.bands))
    elif lay.grade == "total_row":      # 合计 | 100 | 92.55 | … | 评价等级：优 on the total row itself
        grade_cell = f"{last}{total_row}"
        put(ws, grade_cell, f"{lay.grade_label}：{grade}")
    elif lay.grade == "total_row_pair":     # 合计 | 100 | 92.55 | 评价等级 | 优
        put(ws, f"{get_column_letter(width - 1)}{total_row}", lay.grade_label)
        grade_cell = f"{last}{total_row}"
        put(ws, grade_cell, grade)
    elif lay.grade == "one_cell":
        ws.merge_cells(f"A{row}:{last}{row}")
        grade_cell = f"A{row}"
        put(ws, grade_cell, f"{lay.grade_label}：{grade}")
    if lay.grade not in ("none", "total_row", "total_row_pair"):
        row += 1
    if lay.bands_note:
        ws.merge_cells(f"A{row}:{last}{row}")
        put(ws, f"A{row}", lay.bands_note)
    wb.save(path)
    return Built(path, {r: letter[i] for r, i in role_col.items()} | {f"w{lv}": letter[i] for lv, i in lw_col.items()},
                 rows, sub_rows, total_row, grade_cell, depth)


def calc(path: Path) -> Path:
    """The workbook as a spreadsheet program saves it: formulas with their computed values (LibreOffice)."""
    from lo import convert
    return convert(path, path.parent / "calc")


def edit(b: Built, changes: dict[str, object], name="broken.xlsx") -> Path:
    wb = openpyxl.load_workbook(b.path)
    ws = wb.active
    for ref, v in changes.items():
        ws[ref] = v
    out = b.path.with_name(name)
    wb.save(out)
    return out


# ---------------------------------------------------------------------------------------------- checking

def check(path: Path):
    code, out = run_json("check", str(path))
    (f,) = out["files"]
    assert f["error"] is None
    (s,) = f["sheets"]
    return code, s


def serious(s) -> set[tuple[str, str]]:
    return {(x["cell"], x["code"]) for x in s["findings"] if x["severity"] in ("error", "warning")}


def read_tree(path: Path):
    wb, cached = xlsx.load(path)
    (grid,) = xlsx.grids(wb, cached)
    (tree,) = read_trees(grid)
    return tree


def assert_clean(b: Built, roots: list[N], lay: Layout):
    """Read as the tree it is, total and grade as computed here, no error and no warning."""
    tree = read_tree(b.path)
    assert tree.levels == b.depth
    # an upper level that prints no weight anywhere (no label, no subtotal row) weighs what its children add up to
    assert [(r.name, r.weight if r.weight is not None else sum(c.weight for c in r.children)) for r in tree.roots] \
        == [(r.name, r.weight) for r in roots]
    want = [(n.name, n.weight) for r in roots for n in r.walk() if n.leaf]
    assert [(n.name, n.weight) for n in tree.leaves] == want
    got_inner = {n.name: n.weight for n in tree.nodes() if not n.is_leaf and n.parent is not None}
    assert got_inner == {n.name: n.weight for r in roots for n in r.walk() if not n.leaf and n is not r}
    code, s = check(b.path)
    total = round(sum(r.total() for r in roots), 4)
    assert s["kind"] == "scoring"
    assert serious(s) == set(), [x["message"] for x in s["findings"] if x["severity"] != "info"]
    assert code == 0
    assert s["total"] == pytest.approx(total)
    assert s["grade"] == grade_of(total, lay.bands)
    return s


TOTAL = 92.55   # 12.85 + 17.7 + 33.5 + 28.5, added by hand from the leaves of tree3()


def test_the_fixture_adds_up():
    roots = tree3()
    assert [r.total() for r in roots] == pytest.approx([12.85, 17.7, 33.5, 28.5])
    assert sum(r.total() for r in roots) == pytest.approx(TOTAL)
    assert sum(r.weight for r in roots) == 100
    for r in roots:
        for n in r.walk():
            if not n.leaf:
                assert sum(c.weight for c in n.children) == n.weight, n.name
            else:
                assert 0 <= n.score <= n.weight
    assert [n.name for r in tree4() for n in r.walk() if n.leaf] == [n.name for r in roots for n in r.walk() if n.leaf]


# ---------------------------------------------------------------------------------------------- the variants

BANDS_NOTE = "注：90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差。"
BANDS_ABOVE = "评价等级：90分（含）以上为优，80分（含）-90分为良，60分（含）-80分为中，60分以下为差。"


@dataclass
class Variant:
    id: str
    roots: object                     # () -> list[N]
    lay: Layout
    mistake: object                   # (Built) -> (changes, {(cell, code)} that must be flagged)
    only: bool = True                 # the flagged cells are all the serious findings


def _shift_total(b: Built, by: float, roots) -> dict:
    total = round(sum(r.total() for r in roots) + by, 2)
    return {b.cell("score", total=True): total}


VARIANTS = [
    Variant("donghu-labels-subtotals-checkbox", tree3, Layout(
        cols=(("weight", "分值"), ("rule", "评分标准"), ("target", "目标值"), ("actual", "完成值"), ("score", "得分"),
              ("rate", "得分率"), ("reason", "扣分原因")),
        subtotals=(1, 2), grade="checkbox", bands_note=BANDS_NOTE),
        # 组织实施 added up as 8 instead of 7
        lambda b, roots: ({b.cell("score", "组织实施", subtotal=True): 8},
                          {(b.cell("score", "组织实施", subtotal=True), "scoring-subtotal-mismatch")}), only=False),
    Variant("weight-column-per-level", tree3, Layout(
        weights="columns", cols=(("note", "指标解释"), ("rule", "评分标准"), ("score", "得分"), ("deduction", "扣分"),
                                 ("reason", "扣分原因")),
        total_label="总分", grade="one_cell"),
        # 扣分 typed as 0.5 where 权重 − 得分 = 4 − 3 = 1
        lambda b, roots: ({b.cell("deduction", "制度执行有效性"): 0.5},
                          {(b.cell("deduction", "制度执行有效性"), "scoring-deduction-mismatch")})),
    Variant("meizhou-four-levels-name-weight-pairs", tree4, Layout(
        levels=("一级指标", "二级指标", "三级指标", "四级指标"), weights="pairs", band="评价指标",
        cols=(("note", "指标说明"), ("rule", "评分标准"), ("score", "指标得分"), ("reason", "扣分理由")),
        title=("某区2023年基层公共服务站建设项目", "综合评分表"),
        bands_note="备注：总分设置为100分，等级划分为四档：" + BANDS_NOTE[2:]),
        # 服务对象满意度 given 16 of 15
        lambda b, roots: ({b.cell("score", "服务对象满意度"): 16},
                          {(b.cell("score", "服务对象满意度"), "scoring-score-range")}), only=False),
    Variant("single-weight-column-numbered-labels", tree3, Layout(
        weights="single", numbering=True,
        cols=(("note", "评价要点"), ("rule", "评分细则"), ("weight", "分值"), ("score", "实际得分"), ("reason", "扣分说明")),
        title=("绩效评价指标评分表",), spacer=1),
        # 立项依据充分性 (25% steps of 3: 3, 2.25, 1.5 …) given 2.5, the total carried along
        lambda b, roots: ({b.cell("score", "立项依据充分性"): 2.5} | _shift_total(b, -0.5, roots),
                          {(b.cell("score", "立项依据充分性"), "scoring-step-multiple")})),
    Variant("labels-only-band-header-blank-rows", tree3, Layout(
        band="评价指标", cols=(("rule", "评价标准"), ("score", "评分"), ("remark", "备注")),
        title=("附件2", "某区2023年基层公共服务站建设项目绩效评价评分表", "评价机构：某会计师事务所"),
        total_label="总分", blank_between=True, bands_note=BANDS_ABOVE),
        # 良 written for 92.55
        lambda b, roots: ({b.grade_cell: "良"}, {(b.grade_cell, "grade-mismatch")})),
    Variant("standard-points-rate-numbers-named-subtotals", tree3, Layout(
        weights="single", label="{name}", subtotals=(2,), subtotal_label="{name}小计",
        cols=(("rule", "评分标准"), ("weight", "标准分"), ("score", "得分"), ("deduction", "扣分"), ("rate", "得分率"),
              ("reason", "扣分理由")),
        rate_as_text=False, total_label="总分", grade_label="等级"),
        # the total typed 1 point too high
        lambda b, roots: (_shift_total(b, 1, roots), {(b.cell("score", total=True), "scoring-total-mismatch")}),
        only=False),
    Variant("bands-printed-good-fair", tree3, Layout(
        cols=(("weight", "满分"), ("rule", "评分标准"), ("score", "得分"), ("reason", "评分依据")),
        bands=((95, "好"), (85, "较好"), (60, "一般"), (0, "差")),
        bands_note="说明：95分（含）以上为好，85分（含）-95分为较好，60分（含）-85分为一般，60分以下为差。"),
        lambda b, roots: ({b.grade_cell: "好"}, {(b.grade_cell, "grade-mismatch")})),
    Variant("weight-after-a-space-in-labels", tree3, Layout(
        weights="single", label="{name} {w}", levels=("一级指标", "二级指标", "三级指标"),
        cols=(("note", "指标说明"), ("rule", "评分标准"), ("weight", "权重"), ("score", "得分"), ("remark", "备注"))),
        # 培训人次 weighted 7 where 产出数量 (12) leaves it 6
        lambda b, roots: ({b.cell("weight", "培训人次"): 7},
                          {(f"B{b.rows['产出数量']}", "scoring-weights-children")}), only=False),
    Variant("level-one-subtotals-named-heji", tree3, Layout(
        levels=("一级指标", "二级指标", "三级指标"), weights="single", label="{name}（{w}分）",
        subtotals=(1,), subtotal_label="{name}合计",
        cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("reason", "扣分原因")),
        total_label="总计", grade="pair", grade_label="绩效等级"),
        # 过程 added up as 18.7
        lambda b, roots: ({b.cell("score", "过程", subtotal=True): 18.7},
                          {(b.cell("score", "过程", subtotal=True), "scoring-subtotal-mismatch")})),
    Variant("four-levels-weight-columns-rate", tree4, Layout(
        levels=("一级指标", "二级指标", "三级指标", "四级指标"), weights="columns", level_weight_header="权重",
        cols=(("rule", "评分标准"), ("score", "评价得分"), ("rate", "得分率"), ("reason", "评分依据")),
        grade="checkbox", bands_note=BANDS_NOTE),
        # 得分率 of 验收合格率 typed 95% (9 / 10 = 90%)
        lambda b, roots: ({b.cell("rate", "验收合格率"): "95.00%"},
                          {(b.cell("rate", "验收合格率"), "scoring-rate-mismatch")})),
    Variant("short-level-headers-single-column-subtotal-weights", tree3, Layout(
        levels=("一级", "二级", "三级"), weights="single", label="{name}", band="评价指标",
        subtotals=(1, 2), cols=(("rule", "评分标准"), ("weight", "分值"), ("score", "得分"), ("deduction", "扣分"),
                                ("reason", "扣分原因")),
        total_label="合计", grade="pair"),
        # 资金使用合规性 (1 point per finding) given 4.5 for "minor" irregularities, its subtotals carried along
        lambda b, roots: ({b.cell("score", "资金使用合规性"): 4.5, b.cell("deduction", "资金使用合规性"): 0.5,
                           b.cell("reason", "资金使用合规性"): "个别支出凭证附件不全，情节轻微，扣0.5分",
                           b.cell("score", "资金管理", subtotal=True): 11.2,
                           b.cell("deduction", "资金管理", subtotal=True): 0.8,
                           b.cell("score", "过程", subtotal=True): 18.2, b.cell("deduction", "过程", subtotal=True): 1.8}
                          | _shift_total(b, 0.5, roots) | {b.cell("deduction", total=True): round(100 - TOTAL - 0.5, 2)},
                          {(b.cell("score", "资金使用合规性"), "scoring-step-multiple")})),
    Variant("indicator-name-headers-evaluation-points", tree3, Layout(
        levels=("一级指标", "二级指标", "三级指标"), weights="columns", level_weight_header="分值",
        cols=(("note", "评价要点"), ("rule", "评分要点"), ("target", "标杆值"), ("actual", "实际完成值"),
              ("score", "得分"), ("reason", "扣分理由")),
        title=("项目绩效评价指标体系及评分表",), total_label="合计", grade="pair", grade_value="{g}",
        bands_note=BANDS_ABOVE),
        # 服务站建设数量: 7 of 8 built, 0.5 per missing one → 5.5; typed 5 (and the total with it)
        lambda b, roots: ({b.cell("score", "服务站建设数量"): 5} | _shift_total(b, -0.5, roots),
                          {(b.cell("score", "服务站建设数量"), "scoring-rule-mismatch")}), only=False),
]


VARIANTS += [
    Variant("figures-typed-as-text-all-or-nothing", tree3, Layout(
        weights="single", label="{name}", subtotals=(1, 2), as_text=True,
        cols=(("rule", "评分标准"), ("weight", "分值"), ("score", "得分"), ("reason", "扣分原因")),
        title=("某区2023年基层公共服务站建设项目绩效评价", "评价指标体系及评分结果")),
        # 完成及时性 (on time: full marks, else nothing) given 3 of 5 as partial credit, subtotals carried along
        lambda b, roots: ({b.cell("score", "完成及时性"): "3", b.cell("score", "产出时效", subtotal=True): "3",
                           b.cell("score", "产出", subtotal=True): "31.5"} | {b.cell("score", total=True): "90.55"},
                          {(b.cell("score", "完成及时性"), "scoring-all-or-nothing")})),
    Variant("four-levels-labels-subtotals-grade-beside-total", tree4, Layout(
        levels=("一级指标", "二级指标", "三级指标", "四级指标"), label="{name}（{w}分）", leaf_label_weight=False,
        subtotals=(1, 3), cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("deduction", "扣分"),
                                ("grade_label", "备注"), ("remark", "")),
        total_label="总分", grade="total_row_pair"),
        # 效果性 (三级 subtotals 社会效益 8.5 + 可持续影响 5) typed 14.5 in the 效益 subtotal row
        lambda b, roots: ({b.cell("score", "效益", subtotal=True): 29.5, b.cell("deduction", "效益", subtotal=True): 0.5},
                          {(b.cell("score", "效益", subtotal=True), "scoring-subtotal-mismatch")}), only=False),
    Variant("result-band-over-score-columns", tree3, Layout(
        group=("评价结果", ("score", "deduction", "rate")), subtotals=(2,),
        cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("deduction", "扣分"), ("rate", "得分率"),
              ("reason", "扣分原因")), grade="checkbox", bands_note=BANDS_ABOVE),
        # 预算执行率 92.5% under a 95% threshold scores 4 × 92.5% = 3.7; typed 3.5 (扣分 0.5) and carried into the sums,
        # which are checked with the rule's 3.7
        lambda b, roots: ({b.cell("score", "预算执行率"): 3.5, b.cell("deduction", "预算执行率"): 0.5,
                           b.cell("rate", "预算执行率"): "87.50%", b.cell("score", "资金管理", subtotal=True): 10.5,
                           b.cell("deduction", "资金管理", subtotal=True): 1.5,
                           b.cell("rate", "资金管理", subtotal=True): "87.50%"} | _shift_total(b, -0.2, roots),
                          {(b.cell("score", "预算执行率"), "scoring-rule-mismatch"),
                           (b.cell("score", "预算执行率"), "scoring-reason-mismatch"),
                           (b.cell("score", "资金管理", subtotal=True), "scoring-subtotal-mismatch"),
                           (b.cell("score", total=True), "scoring-total-mismatch")})),
    Variant("header-repeated-after-a-page-break", tree3, Layout(
        repeat_header_before="产出", subtotals=(1,),
        cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("rate", "得分率"), ("reason", "扣分原因")),
        bands_note=BANDS_NOTE),
        # 产出 (on the second page) added up as 33 instead of 33.5
        lambda b, roots: ({b.cell("score", "产出", subtotal=True): 33, b.cell("rate", "产出", subtotal=True): "94.29%"},
                          {(b.cell("score", "产出", subtotal=True), "scoring-subtotal-mismatch")})),
    Variant("weight-and-fenzhi-as-the-score", tree3, Layout(
        weights="single", label="{name}（{w}分）",
        cols=(("weight", "权重"), ("rule", "评分标准"), ("score", "分值"), ("reason", "扣分原因")), total_label="总分"),
        # 预算执行率 (92.5% under a 95% threshold: 4 × 92.5% = 3.7, the reason says 扣0.3分) typed 3.6, total carried
        lambda b, roots: ({b.cell("score", "预算执行率"): 3.6} | _shift_total(b, -0.1, roots),
                          {(b.cell("score", "预算执行率"), "scoring-rule-mismatch"),
                           (b.cell("score", "预算执行率"), "scoring-reason-mismatch"),
                           (b.cell("score", total=True), "scoring-total-mismatch")})),
    Variant("provincial-rule-phrasings", tree3_provincial, Layout(
        subtotals=(2,), cols=(("weight", "分值"), ("rule", "评分标准"), ("target", "目标值"), ("actual", "实际完成值"),
                              ("score", "得分"), ("reason", "扣分原因")), bands_note=BANDS_ABOVE),
        # 预算执行率 95.5%: 4 whole points short (0.4); scored 3.55 as if the half point counted, sums carried along
        lambda b, roots: ({b.cell("score", "预算执行率"): 3.55, b.cell("score", "资金管理", subtotal=True): 10.55}
                          | _shift_total(b, -0.05, roots),
                          {(b.cell("score", "预算执行率"), "scoring-rule-mismatch"),
                           (b.cell("score", "预算执行率"), "scoring-reason-mismatch"),
                           (b.cell("score", "资金管理", subtotal=True), "scoring-subtotal-mismatch"),
                           (b.cell("score", total=True), "scoring-total-mismatch")})),
    Variant("rate-in-percentage-points", tree3, Layout(
        weights="columns", rate_points=True, subtotals=(),
        cols=(("rule", "评分标准"), ("score", "得分"), ("rate", "得分率(%)"), ("reason", "扣分原因")), total_label="合计"),
        # 得分率 of 绩效目标合理性 typed 75 (2.1 / 3 = 70%)
        lambda b, roots: ({b.cell("rate", "绩效目标合理性"): 75},
                          {(b.cell("rate", "绩效目标合理性"), "scoring-rate-mismatch")})),
    Variant("subtotal-rows-without-a-label", tree3, Layout(
        subtotals=(1, 2), subtotal_label="",
        cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("reason", "扣分原因")), bands_note=BANDS_NOTE),
        # the 资金投入 subtotal (2.25 + 2) typed 4.5
        lambda b, roots: ({b.cell("score", "资金投入", subtotal=True): 4.5},
                          {(b.cell("score", "资金投入", subtotal=True), "scoring-subtotal-mismatch")})),
    Variant("stricter-bands-as-inequalities", tree3, Layout(
        cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("reason", "扣分原因")),
        bands=((95, "优"), (85, "良"), (60, "中"), (0, "差")), grade="one_cell",
        bands_note="注：总分≥95分为优；85≤总分<95为良；60≤总分<85为中；总分<60为差。"),
        # 优 written for 92.55, as the usual 90-point band would give
        lambda b, roots: ({b.grade_cell: "评价等级：优"}, {(b.grade_cell, "grade-mismatch")})),
    Variant("seq-column-unmerged-uneven-wrapped-headers", tree3_uneven, Layout(
        seq="序号", merge=False, breaks=True,
        cols=(("weight", "分值"), ("rule", "评分标准"), ("actual", "实际完成值"), ("score", "得分"), ("reason", "扣分原因")),
        total_label="评价总分"),
        # 满意度 93.6% (≥ 90%: full marks) given 14 and the total added with it: the total is checked with the rule's 15
        lambda b, roots: ({b.cell("score", "服务对象满意度"): 14} | _shift_total(b, -1, roots),
                          {(b.cell("score", "服务对象满意度"), "scoring-rule-mismatch"),
                           (b.cell("score", total=True), "scoring-total-mismatch")})),
    Variant("grade-on-the-total-row-percent-weights", tree3, Layout(
        weights="single", label="{name}（{w}）",
        cols=(("weight", "权重(%)"), ("rule", "评分标准"), ("score", "得分"), ("reason", "扣分原因")),
        total_label="总得分", grade="total_row"),
        # the reason says 扣1分 on 资金使用合规性 (5) but the score is 3.5, the total carried along
        lambda b, roots: ({b.cell("score", "资金使用合规性"): 3.5} | _shift_total(b, -0.5, roots),
                          {(b.cell("score", "资金使用合规性"), "scoring-rule-mismatch")}), only=False),
    Variant("name-band-short-levels", tree3, Layout(
        levels=("一级", "二级", "三级"), band="指标名称", breaks=True,
        cols=(("weight", "分值"), ("note", "指标解释"), ("rule", "评分标准"), ("score", "得分"), ("deduction", "扣分"),
              ("rate", "得分率"), ("reason", "扣分原因")), subtotals=(2,), grade="one_cell", grade_label="评价结果",
        bands_note=BANDS_NOTE),
        # 产出质量 subtotal's 得分率 typed 9% (9 / 10 = 90%)
        lambda b, roots: ({b.cell("rate", "产出质量", subtotal=True): "9.00%"},
                          {(b.cell("rate", "产出质量", subtotal=True), "scoring-rate-mismatch")})),
]


@pytest.mark.parametrize("v", VARIANTS, ids=[v.id for v in VARIANTS])
def test_variant_correct_is_clean(v, tmp_path):
    roots = v.roots()
    b = build(tmp_path / f"{v.id}.xlsx", roots, v.lay)
    assert_clean(b, roots, v.lay)


@pytest.mark.parametrize("v", VARIANTS, ids=[v.id for v in VARIANTS])
def test_variant_mistake_is_flagged_at_its_cell(v, tmp_path):
    roots = v.roots()
    b = build(tmp_path / f"{v.id}.xlsx", roots, v.lay)
    changes, expected = v.mistake(b, roots)
    code, s = check(edit(b, changes))
    found = serious(s)
    assert expected <= found, (expected, found, [x["message"] for x in s["findings"] if x["severity"] != "info"])
    assert code == 1
    if v.only:
        assert found == expected, [x["message"] for x in s["findings"] if x["severity"] != "info"]


# ---------------------------------------------------------------------------------------------- the pieces, directly

@pytest.mark.parametrize("text,name,weight", [
    ("一、决策（15分）", "决策", 15), ("（一）项目立项（5分）", "项目立项", 5), ("1.立项依据充分性", "立项依据充分性", None),
    ("（2）资金到位率（3分）", "资金到位率", 3), ("产出数量 15", "产出数量", 15), ("决策指标 20分", "决策指标", 20),
    ("产出质量10分", "产出质量", 10), ("2023年度目标", "2023年度目标", None), ("1.5倍增长", "1.5倍增长", None),
])
def test_labels_with_numbering_and_weights(text, name, weight):
    from xlscore.read.tree import split_label
    assert split_label(text) == (name, weight)


@pytest.mark.parametrize("note,bands", [
    (BANDS_NOTE, DEFAULT_BANDS),
    (BANDS_ABOVE, DEFAULT_BANDS),
    ("说明：95分（含）以上为好，85分（含）-95分为较好，60分（含）-85分为一般，60分以下为差。",
     ((95, "好"), (85, "较好"), (60, "一般"), (0, "差"))),
    ("综合评分90分以上为优，80-89分为良，60-79分为中，60分以下为差。", DEFAULT_BANDS),
    ("总分≥90分为优；80≤总分<90为良；60≤总分<80为中；总分<60为差。", DEFAULT_BANDS),
    ("等级标准：优（≥90分）、良（80-89分）、中（60-79分）、差（60分以下）", DEFAULT_BANDS),
    ("等级：优(85分以上)、良(75-84分)、中(60-74分)、差(<60分)", ((85, "优"), (75, "良"), (60, "中"), (0, "差"))),
    ("总分设置为100分。", ()),
])
def test_printed_grade_bands(note, bands):
    from xlscore.read.tree import grade_bands
    assert grade_bands(note) == [(float(lo), g) for lo, g in bands]


# ---------------------------------------------------------------------------------------------- one name column

def build_flat(path: Path, roots: list[N], *, numbering: bool, name_header="评价指标", weight_header="分值",
               cols=(("rule", "评分标准"), ("score", "得分"), ("reason", "扣分原因")), total_label="合计") -> Built:
    """评价指标 | 分值 | 评分标准 | 得分 | 扣分原因 with every level in the one name column: '一、决策', '（一）项目立项',
    '1.立项依据充分性' (or the names alone, the levels then only in the weights), each upper row carrying its
    weight and its subtotal."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    heads = [("name", name_header), ("weight", weight_header)] + list(cols)
    letter = {role: get_column_letter(i + 1) for i, (role, _) in enumerate(heads)}
    ws.merge_cells(f"A1:{get_column_letter(len(heads))}1")
    put(ws, "A1", "项目绩效评价评分表")
    for i, (_, h) in enumerate(heads):
        put(ws, f"{get_column_letter(i + 1)}2", h)
    rows: dict[str, int] = {}
    row = 3

    def emit(n: N, lv: int, idx: int):
        nonlocal row
        rows[n.name] = row
        prefix = (f"{CN[idx]}、", f"（{CN[idx]}）", f"{idx + 1}.", f"（{idx + 1}）")[lv - 1] if numbering else ""
        put(ws, f"A{row}", prefix + n.name)
        put(ws, f"{letter['weight']}{row}", n.weight)
        put(ws, f"{letter['score']}{row}", round(n.total(), 2))
        if n.leaf:
            for role in ("rule", "reason"):
                if role in letter and getattr(n, role):
                    put(ws, f"{letter[role]}{row}", getattr(n, role))
        row += 1
        for i, c in enumerate(n.children):
            emit(c, lv + 1, i)

    for i, r in enumerate(roots):
        emit(r, 1, i)
    total_row = row
    put(ws, f"A{row}", total_label)
    put(ws, f"{letter['weight']}{row}", 100)
    total = round(sum(r.total() for r in roots), 2)
    put(ws, f"{letter['score']}{row}", total)
    put(ws, f"A{row + 1}", "评价等级")
    put(ws, f"B{row + 1}", grade_of(total))
    wb.save(path)
    return Built(path, letter, rows, {}, total_row, f"B{row + 1}", max(r.depth() for r in roots))


@pytest.mark.parametrize("numbering", [True, False], ids=["numbered", "by-weights"])
def test_one_name_column(numbering, tmp_path):
    roots = tree3()
    b = build_flat(tmp_path / "flat.xlsx", roots, numbering=numbering)
    assert_clean(b, roots, Layout())
    # 产出 added up as 34.5 on its own row
    code, s = check(edit(b, {b.cell("score", "产出"): 34.5}))
    assert serious(s) == {(b.cell("score", "产出"), "scoring-subtotal-mismatch")}
    assert code == 1


# ---------------------------------------------------------------------------------------------- more headers; formulas

def test_other_header_words(tmp_path):
    lay = Layout(weights="single", label="{name}（{w}分）", subtotals=(2,),
                 cols=(("note", "指标内涵"), ("rule", "评分办法"), ("weight", "指标权重"), ("score", "考核得分"),
                       ("deduction", "扣分"), ("reason", "扣分情况")),
                 grade="pair", grade_label="绩效评价等级")
    roots = tree3()
    b = build(tmp_path / "words.xlsx", roots, lay)
    assert_clean(b, roots, lay)
    tree = read_tree(b.path)
    assert set(tree.columns) >= {"note", "rule", "weight", "score", "deduction", "reason"}
    assert tree.grade is not None and tree.grade.cell == b.grade_cell
    code, s = check(edit(b, {b.grade_cell: "良"}))
    assert serious(s) == {(b.grade_cell, "grade-mismatch")} and code == 1


@pytest.mark.skipif(__import__("lo").SOFFICE is None, reason="LibreOffice is not installed")
def test_subtotals_as_formulas(tmp_path):
    """Evaluators' workbooks add up with =SUM(): the values a spreadsheet computed are checked, and a SUM that
    misses a row is caught at its cell (and at every sum built on it)."""
    lay = Layout(weights="single", label="{name}（{w}分）", subtotals=(1, 2), formulas=True,
                 cols=(("rule", "评分标准"), ("weight", "分值"), ("score", "得分"), ("deduction", "扣分"),
                       ("rate", "得分率"), ("reason", "扣分原因")), bands_note=BANDS_NOTE)
    roots = tree3()
    b = build(tmp_path / "sums.xlsx", roots, lay)
    b.path = calc(b.path)
    assert_clean(b, roots, lay)
    wb = openpyxl.load_workbook(tmp_path / "sums.xlsx")
    sub = b.cell("score", "组织实施", subtotal=True)
    first = b.cell("score", "管理制度健全性")
    assert wb.active[sub].value == f"=SUM({first}:{b.cell('score', '制度执行有效性')})"
    wb.active[sub] = f"=SUM({first}:{first})"          # the range stops one row short: 4 instead of 7
    wb.save(tmp_path / "short.xlsx")
    code, s = check(calc(tmp_path / "short.xlsx"))
    assert serious(s) == {(sub, "scoring-subtotal-mismatch"), (b.cell("score", "过程", subtotal=True),
                          "scoring-subtotal-mismatch"), (b.cell("score", total=True), "scoring-total-mismatch")}
    f = next(x for x in s["findings"] if x["cell"] == sub)
    assert f["expected"] == pytest.approx(7) and f["found"] == pytest.approx(4)
    assert code == 1


def test_total_row_deduction_and_rate(tmp_path):
    """The total row's 扣分 and 得分率: wrong against a right total, flagged; following a wrong total, only the total
    is flagged (as a subtotal row's 扣分 that agrees with its printed subtotal)."""
    v = next(x for x in VARIANTS if x.id == "standard-points-rate-numbers-named-subtotals")
    roots = tree3()
    b = build(tmp_path / "t.xlsx", roots, v.lay)
    ded, rate, tot = b.cell("deduction", total=True), b.cell("rate", total=True), b.cell("score", total=True)
    _, s = check(edit(b, {ded: 6.45, rate: 0.9355}, "wrong-columns.xlsx"))
    assert serious(s) == {(ded, "scoring-deduction-mismatch"), (rate, "scoring-rate-mismatch")}
    _, s = check(edit(b, {tot: 93.55, ded: 6.45, rate: 0.9355}, "wrong-total.xlsx"))
    assert serious(s) == {(tot, "scoring-total-mismatch")}


# ---------------------------------------------------------------------------------------------- summary sheets

SUMMARY_HEADS = {
    "level-one": ("一级指标", "分值", "得分", "得分率"),
    "dimension": ("评价维度", "权重", "得分", "得分率"),
    "two-levels": ("一级指标", "二级指标", "分值", "得分", "得分率"),
}


def add_summary(path: Path, roots: list[N], kind: str) -> dict[str, str]:
    """A 评价得分汇总表 sheet beside the detail (the 一级 or the 二级 subtotals with 得分率); returns the score cells."""
    heads = SUMMARY_HEADS[kind]
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("得分汇总")
    put(ws, "A1", "评价得分汇总表")
    for i, h in enumerate(heads):
        ws.cell(2, i + 1, h)
    cells, r = {}, 3
    two = kind == "two-levels"
    for n in roots:
        first = r
        for m in (n.children if two else [n]):
            base = 2 if two else 1
            if two:
                ws.cell(r, 2, m.name)
            ws.cell(r, base + 1, m.weight)
            ws.cell(r, base + 2, round(m.total(), 2))
            ws.cell(r, base + 3, f"{m.total() / m.weight * 100:.2f}%")
            cells[m.name] = f"{get_column_letter(base + 2)}{r}"
            r += 1
        ws.cell(first, 1, n.name)
        if two and r - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
    ws.cell(r, 1, "合计")
    total = round(sum(n.total() for n in roots), 2)
    off = 1 if two else 0
    ws.cell(r, 2 + off, 100)
    ws.cell(r, 3 + off, total)
    ws.cell(r, 4 + off, f"{total:.2f}%")
    wb.save(path)
    return cells


@pytest.mark.parametrize("kind", list(SUMMARY_HEADS))
def test_summary_sheet_beside_the_detail(kind, tmp_path):
    roots = tree3()
    lay = Layout(cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("reason", "扣分原因")),
                 subtotals=(1, 2))
    b = build(tmp_path / "with-summary.xlsx", roots, lay)
    cells = add_summary(b.path, roots, kind)
    code, out = run_json("check", str(b.path))
    sheets = {s["name"]: s for s in out["files"][0]["sheets"]}
    assert {n: s["kind"] for n, s in sheets.items()} == {"评分表": "scoring", "得分汇总": "scoring"}
    assert all(serious(s) == set() for s in sheets.values()) and code == 0
    assert sheets["得分汇总"]["total"] == pytest.approx(TOTAL)
    # the summary carries 过程 (or 组织实施) one point higher than the detail adds up to
    name = "组织实施" if kind == "two-levels" else "过程"
    wrong = round(next(n for r in roots for n in r.walk() if n.name == name).total() + 1, 2)
    wb = openpyxl.load_workbook(b.path)
    wb["得分汇总"][cells[name]] = wrong
    wb.save(b.path)
    code, out = run_json("check", str(b.path))
    found = {(s["name"], x["cell"], x["code"]) for s in out["files"][0]["sheets"] for x in s["findings"]
             if x["severity"] in ("error", "warning")}
    # the summary disagrees with the detail at that cell; within itself its 得分率 and its total no longer agree with
    # the typed score either
    row = int(cells[name][1:])
    col = cells[name][0]
    rate = f"{chr(ord(col) + 1)}{row}"
    total = f"{col}{len(roots) + 3 if kind != 'two-levels' else sum(len(r.children) for r in roots) + 3}"
    assert found == {("得分汇总", cells[name], "scoring-summary-mismatch"), ("得分汇总", rate, "scoring-rate-mismatch"),
                     ("得分汇总", total, "scoring-total-mismatch")}, found
    assert code == 1


def test_provincial_phrasings_are_read_not_left_unparsed(tmp_path):
    v = next(x for x in VARIANTS if x.id == "provincial-rule-phrasings")
    roots = v.roots()
    b = build(tmp_path / "p.xlsx", roots, v.lay)
    _, s = check(b.path)
    unparsed = [x["cell"] for x in s["findings"] if x["code"] == "scoring-rule-unparsed"]
    assert unparsed == []
    read = {x["cell"]: x["message"] for x in s["findings"] if x["code"] == "scoring-rule-read"}
    assert "重算为 3.6" in read[b.cell("rule", "预算执行率")]
    assert "重算为 5.5" in read[b.cell("rule", "培训人次")]
    assert "重算为 4" in read[b.cell("rule", "资金使用合规性")]


def test_summary_and_detail_stacked_in_one_sheet(tmp_path):
    """表1 综合评价得分情况 (一级 | 二级 | 分值 | 得分 | 得分率) above 表2 评价指标评分表 in the same sheet, as a report
    pasted into one worksheet: both read, no finding when they agree, the summary's cell when they do not."""
    roots = tree3()
    b = build(tmp_path / "detail.xlsx", roots, Layout(
        cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分"), ("reason", "扣分原因")), subtotals=(1, 2),
        title=("表2 评价指标评分表",)))
    src = openpyxl.load_workbook(b.path).active
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价结果"
    put(ws, "A1", "表1 综合评价得分情况")
    for i, h in enumerate(("一级指标", "二级指标", "分值", "得分", "得分率")):
        ws.cell(2, i + 1, h)
    r, cells = 3, {}
    for n in roots:
        first = r
        for c in n.children:
            ws.cell(r, 2, c.name)
            ws.cell(r, 3, c.weight)
            ws.cell(r, 4, round(c.total(), 2))
            ws.cell(r, 5, f"{c.total() / c.weight * 100:.2f}%")
            cells[c.name] = r
            r += 1
        ws.cell(first, 1, n.name)
        ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
    ws.cell(r, 1, "合计")
    ws.cell(r, 3, 100)
    ws.cell(r, 4, TOTAL)
    ws.cell(r, 5, f"{TOTAL:.2f}%")
    off = r + 1
    for row in src.iter_rows():
        for c in row:
            if c.value is not None and not isinstance(c, openpyxl.cell.cell.MergedCell):
                ws.cell(c.row + off, c.column, c.value)
    for m in src.merged_cells.ranges:
        ws.merge_cells(start_row=m.min_row + off, start_column=m.min_col, end_row=m.max_row + off, end_column=m.max_col)
    path = tmp_path / "stacked.xlsx"
    wb.save(path)
    code, s = check(path)
    assert s["kind"] == "scoring" and serious(s) == set() and code == 0
    ws[f"D{cells['组织实施']}"] = 8      # 7 in the detail
    wb.save(path)
    code, s = check(path)
    assert (f"D{cells['组织实施']}", "scoring-summary-mismatch") in serious(s) and code == 1
    assert all(int(c[1:]) < off for c, _ in serious(s))      # nothing in the detail below



def test_checkbox_after_its_label(tmp_path):
    """'优☑ 良☐ 中☐ 差☐' (the box after the label, as Word tables print it): read, flagged when the wrong one is ticked,
    and rewritten by recalc in the same style."""
    from conftest import run_cli
    lay = Layout(cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分")), grade="checkbox", boxes="{g}{box}",
                 grade_label="评价结果")
    roots = tree3()
    b = build(tmp_path / "boxes.xlsx", roots, lay)
    assert openpyxl.load_workbook(b.path).active[b.grade_cell].value == "优☑ 良☐ 中☐ 差☐"
    assert_clean(b, roots, lay)
    wrong = edit(b, {b.grade_cell: "优☐ 良☑ 中☐ 差☐"})
    code, s = check(wrong)
    assert serious(s) == {(b.grade_cell, "grade-mismatch")} and code == 1
    out = tmp_path / "fixed.xlsx"
    run_cli("recalc", str(wrong), "-o", str(out))
    assert openpyxl.load_workbook(out).active[b.grade_cell].value == "优☑ 良☐ 中☐ 差☐"


@pytest.mark.parametrize("label", ["小计", "{name}小计", "{name}指标合计"])
def test_level_one_subtotal_in_the_first_column(label, tmp_path):
    """Levels not merged, the 一级 subtotal row labelled in the 一级 column itself (小计 / 过程小计 / 过程指标合计 under
    the block it closes): its figures are that block's subtotal and are checked."""
    lay = Layout(merge=False, cols=(("weight", "分值"), ("rule", "评分标准"), ("score", "得分")), subtotals=(1,),
                 subtotal_label=label)
    roots = tree3()
    b = build(tmp_path / "a.xlsx", roots, lay)
    wb = openpyxl.load_workbook(b.path)
    ws = wb.active
    for r in b.subtotal_rows.values():        # move the label from the 二级 column to the 一级 column
        text = ws[f"B{r}"].value
        ws.unmerge_cells(f"B{r}:C{r}")
        ws[f"B{r}"] = None
        ws[f"A{r}"] = text
    wb.save(b.path)
    assert_clean(b, roots, lay)
    assert read_tree(b.path).roots[1].subtotal_row == b.subtotal_rows["过程"]
    cell = b.cell("score", "过程", subtotal=True)
    code, s = check(edit(b, {cell: 18.7}))
    assert serious(s) == {(cell, "scoring-subtotal-mismatch")} and code == 1
