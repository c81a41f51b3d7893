"""Build the scoring-table samples (评价评分表) from the corpus transcriptions of the 东湖 2022 and 梅州 2021 reports.

    python samples/generate_scoring.py [--corpus DIR] [--out DIR]

Writes, into ``samples/`` by default:

- ``donghu_2022.xlsx`` — sheet 评分表: the 东湖 appendix table (附件一) laid out as printed — one column per level,
  the weights inside the labels (``决策指标 (20分)``), the leaves' 分值 column, 评分标准, 得分, 扣分原因 — joined with the
  目标值 / 完成值 / 得分率 columns and the level-2 and level-1 subtotals of 表4–表7 (as ``小计`` rows), the 合计 row
  and the 评价等级 checkbox row. Every value as printed, anomalies included (the 组织实施 subtotal printed 10).
  Sheet 得分一览表: 表3 (一级指标 | 二级指标 | 权重 | 得分, 合计), a summary that must agree with the detail.
- ``meizhou_2021.xlsx`` — sheet 评分表: the 梅州 评分表 with a ``名称 | 权重(%)`` pair under each of the four level
  headers, 指标说明, 评分标准, 指标得分, the 合计 row and the 备注 with the grade bands; two additions from the report
  itself: a 扣分原因 column holding the narrative's "此处扣 X 分" sentences (§四), and a 评价等级 row (L185). The
  经济效益 leaf has no 评分标准 and no 得分, as printed. Sheet 评价总体得分情况表: 表3 (评价因素 | 分值 | 评价得分 | 得分率,
  评价总得分 first, the level-1 rows numbered 一、二、…).
- ``*_corrected.xlsx`` — the same with the anomalies decidable from the table fixed (``CORRECTIONS``);
- ``scoring.layout.json`` — where the key cells are, so tests can find them without the tool's reader.

Deterministic: fixed workbook properties and zip timestamps.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = Path(__file__).resolve().parent / "source"   # the corpus documents, copied into the repository
DONGHU_SRC = "report_nanchang_donghu_2022.tables.json"
MEIZHOU_SRC = "report_meizhou_2021.tables.json"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)
CREATOR = "xlscore samples"
LAYOUT_NAME = "scoring.layout.json"

FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE = Font(name="宋体", size=14, bold=True)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# The anomalies decidable from the tables (reports_nanchang_meizhou.anomalies.md) and their fixes.
# where: ("subtotal", level-2 name) | ("leaf", leaf name); field: the header of the column.
CORRECTIONS = {
    "donghu": [
        {"anomaly": "东湖 1 [A]", "where": ("subtotal", "组织实施"), "field": "得分", "from": 10, "to": 8.8,
         "why": "the leaves give 4 + 4.8 = 8.8 (表3 prints 8.8, the 得分率 88% and the 过程 total 17.45 only work with it)"},
    ],
    "meizhou": [
        {"anomaly": "梅州 1 [A]", "where": ("leaf", "增加社会消费零售额"), "field": "指标得分", "from": None, "to": 8,
         "why": "the score is lost in the printed table; 81.20 − the other leaves = 8, and the narrative says 此处扣 2 分"},
    ],
}


def _strip(text) -> str | None:
    if text is None:
        return None
    t = re.sub(r"</?p>", "", str(text))
    t = re.sub(r"\s*\(shared with[^)]*\)\s*$", "", t)
    t = re.sub(r"[ \t]+", " ", t).strip()
    return t or None


def _put(ws, row: int, col: int, value, *, font=FONT, align=WRAP, fmt: str | None = None):
    c = ws.cell(row=row, column=col)
    c.value = value
    if isinstance(value, str):
        c.data_type = "s"          # "=…" stays text
    c.font, c.alignment, c.border = font, align, BOX
    if fmt:
        c.number_format = fmt
    return c


def _merge(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            ws.cell(row=r, column=c).border = BOX
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _num_fmt(v) -> str | None:
    if isinstance(v, float) and abs(v * 100 - round(v * 100)) < 1e-9 and abs(v * 10 - round(v * 10)) > 1e-9:
        return "0.00"
    return None


def _label(name: str, weight) -> str:
    return name if weight is None else f"{name} ({weight:g}分)"


# ----------------------------------------------------------------------------------------------- 东湖

DONGHU_COLUMNS = ("一级指标", "二级指标", "三级指标", "分值", "评分标准", "目标值", "完成值", "得分", "得分率", "扣分原因")
DONGHU_WIDTHS = (12, 12, 16, 6, 48, 10, 10, 7, 8, 48)


def _donghu_groups(data: dict) -> list[dict]:
    """level 1 → level 2 → leaves, with the printed subtotals of 表4–表7 (matched in order)."""
    groups: list[dict] = []
    for leaf in data["scoring_table"]:
        p, w = leaf["path"], leaf["weights"]
        printed = leaf.get("weights_printed_in_appendix") or w
        if not groups or groups[-1]["name"] != p[0]:
            groups.append({"name": p[0], "weight": w[0], "children": []})
        g1 = groups[-1]
        if not g1["children"] or g1["children"][-1]["name"] != p[1]:
            g1["children"].append({"name": p[1], "weight": w[1], "label_weight": printed[1], "leaves": []})
        g1["children"][-1]["leaves"].append(leaf)
    targets = {t["三级"]: t for t in data["targets"] if "三级" in t}
    tables = [s for s in data["level_summaries"] if re.match(r"表[4-7]", s["source"])]
    for g1, table in zip(groups, tables):
        rows = table["rows"]
        g1["subtotal"] = rows[0]
        for g2, r in zip(g1["children"], rows[1:]):
            assert r["权重"] == g2["weight"], (g2["name"], r)
            g2["subtotal"] = r
        for g2 in g1["children"]:
            for leaf in g2["leaves"]:
                leaf["_table"] = targets.get(leaf["path"][-1], {})
    return groups


def _rate_value(text):
    return text if text not in (None, "") else None


def write_donghu(ws, data: dict) -> dict:
    n = len(DONGHU_COLUMNS)
    _put(ws, 1, 1, "东湖区商务局 2022 百花洲金秋购物节工作经费项目支出绩效评分表", font=TITLE, align=CENTER)
    _merge(ws, 1, 1, 1, n)
    for j, head in enumerate(DONGHU_COLUMNS, start=1):
        _put(ws, 2, j, head, font=BOLD, align=CENTER)
    col = {h: j for j, h in enumerate(DONGHU_COLUMNS, start=1)}
    layout = {"header_row": 2, "columns": {h: get_column_letter(j) for h, j in col.items()},
              "leaves": {}, "subtotals": {}}
    row = 3
    for g1 in _donghu_groups(data):
        top1 = row
        for g2 in g1["children"]:
            top2 = row
            for leaf in g2["leaves"]:
                t = leaf["_table"]
                _put(ws, row, col["三级指标"], _label(leaf["path"][2], leaf["weights"][2]))
                _put(ws, row, col["分值"], leaf["weights"][2], align=CENTER)
                _put(ws, row, col["评分标准"], _strip(leaf["评分标准"]))
                _put(ws, row, col["目标值"], _rate_value(t.get("指标值")), align=CENTER)
                _put(ws, row, col["完成值"], _rate_value(t.get("实际值")), align=CENTER)
                _put(ws, row, col["得分"], leaf["得分"], align=CENTER, fmt=_num_fmt(leaf["得分"]))
                _put(ws, row, col["得分率"], _rate_value(t.get("得分率")), align=CENTER)
                _put(ws, row, col["扣分原因"], _strip(leaf.get("扣分原因_appendix_column")))
                layout["leaves"][leaf["path"][2]] = row
                row += 1
            s = g2["subtotal"]
            _put(ws, row, col["三级指标"], "小计", font=BOLD, align=CENTER)
            _put(ws, row, col["分值"], s["权重"], align=CENTER)
            for h in ("评分标准", "目标值", "完成值", "扣分原因"):
                _put(ws, row, col[h], None)
            _put(ws, row, col["得分"], s["得分"], align=CENTER, fmt=_num_fmt(s["得分"]))
            _put(ws, row, col["得分率"], s.get("得分率"), align=CENTER)
            layout["subtotals"][g2["name"]] = row
            _put(ws, top2, col["二级指标"], _label(g2["name"], g2["label_weight"]), align=CENTER)
            _merge(ws, top2, col["二级指标"], row, col["二级指标"])
            row += 1
        s = g1["subtotal"]
        _put(ws, row, col["二级指标"], "小计", font=BOLD, align=CENTER)
        _merge(ws, row, col["二级指标"], row, col["三级指标"])
        _put(ws, row, col["分值"], s["权重"], align=CENTER)
        for h in ("评分标准", "目标值", "完成值", "扣分原因"):
            _put(ws, row, col[h], None)
        _put(ws, row, col["得分"], s["得分"], align=CENTER, fmt=_num_fmt(s["得分"]))
        _put(ws, row, col["得分率"], s.get("得分率"), align=CENTER)
        layout["subtotals"][g1["name"]] = row
        _put(ws, top1, col["一级指标"], _label(g1["name"], g1["weight"]), align=CENTER)
        _merge(ws, top1, col["一级指标"], row, col["一级指标"])
        row += 1
    _put(ws, row, 1, "合计", font=BOLD, align=CENTER)
    _merge(ws, row, 1, row, 3)
    _put(ws, row, col["分值"], 100, align=CENTER)
    _put(ws, row, col["得分"], data["total_stated"], align=CENTER, fmt="0.00")
    for h in ("评分标准", "目标值", "完成值", "得分率", "扣分原因"):
        _put(ws, row, col[h], None)
    layout["total_row"] = row
    row += 1
    _put(ws, row, 1, "评价等级", font=BOLD, align=CENTER)
    _merge(ws, row, 1, row, 3)
    grade = data["grade_stated"]
    _put(ws, row, 4, " ".join(("☑" if g == grade else "☐") + g for g in "优良中差"))
    _merge(ws, row, 4, row, n)
    layout["grade_cell"] = f"D{row}"
    _bands_and_widths(ws, row + 1, data, n, DONGHU_WIDTHS)
    return layout


def _bands_and_widths(ws, row: int, data: dict, n: int, widths) -> None:
    """The printed grade bands on the last row, across the table; the column widths of the original."""
    _put(ws, row, 1, data["grade_thresholds"])
    _merge(ws, row, 1, row, n)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def write_donghu_summary(ws, data: dict) -> dict:
    """表3: the level-2 weights and scores, the level-1 name merged over its rows, and the 合计."""
    table = next(t for t in data["level_summaries"] if t["source"].startswith("表3"))
    _put(ws, 1, 1, "表 3 2022 百花洲金秋购物节工作经费项目绩效评价得分一览表", font=BOLD, align=CENTER)
    _merge(ws, 1, 1, 1, 4)
    for j, h in enumerate(("一级指标", "二级指标", "权重", "得分"), start=1):
        _put(ws, 2, j, h, font=BOLD, align=CENTER)
    row, rows = 3, {}
    body = [r for r in table["rows"] if r["一级"] != "合计"]
    i = 0
    while i < len(body):
        j = i
        while j + 1 < len(body) and body[j + 1]["一级"] == body[i]["一级"]:
            j += 1
        _put(ws, row, 1, body[i]["一级"], align=CENTER)
        _merge(ws, row, 1, row + j - i, 1)
        for r in body[i:j + 1]:
            _put(ws, row, 2, r["二级"], align=CENTER)
            _put(ws, row, 3, r["权重"], align=CENTER)
            _put(ws, row, 4, r["得分"], align=CENTER, fmt=_num_fmt(r["得分"]))
            rows[r["二级"]] = row
            row += 1
        i = j + 1
    total = next(r for r in table["rows"] if r["一级"] == "合计")
    _put(ws, row, 1, "合计", font=BOLD, align=CENTER)
    _merge(ws, row, 1, row, 2)
    _put(ws, row, 3, total["权重"], align=CENTER)
    _put(ws, row, 4, total["得分"], align=CENTER, fmt="0.00")
    for j, w in enumerate((12, 14, 8, 8), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    return {"rows": rows, "total_row": row}


# ----------------------------------------------------------------------------------------------- 梅州

MEIZHOU_TAIL = ("指标说明", "评分标准", "指标得分", "扣分原因")
MEIZHOU_WIDTHS = (6, 5, 9, 5, 10, 5, 14, 5, 30, 48, 8, 40)


def write_meizhou(ws, data: dict) -> dict:
    n = 8 + len(MEIZHOU_TAIL)
    _put(ws, 1, 1, "梅州市商务局2021年度春季促文旅消费活动项目绩效评价指标评分表（交换意见稿）", font=TITLE, align=CENTER)
    _merge(ws, 1, 1, 1, n)
    _put(ws, 2, 1, "评价指标", font=BOLD, align=CENTER)
    _merge(ws, 2, 1, 2, 8)
    tail = {h: 9 + i for i, h in enumerate(MEIZHOU_TAIL)}
    for h, c in tail.items():
        _put(ws, 2, c, h, font=BOLD, align=CENTER)
        _merge(ws, 2, c, 4, c)
    for i, lv in enumerate(("一级指标", "二级指标", "三级指标", "四级指标")):
        _put(ws, 3, 1 + 2 * i, lv, font=BOLD, align=CENTER)
        _merge(ws, 3, 1 + 2 * i, 3, 2 + 2 * i)
        _put(ws, 4, 1 + 2 * i, "名称", font=BOLD, align=CENTER)
        _put(ws, 4, 2 + 2 * i, "权重(%)", font=BOLD, align=CENTER)
    layout = {"header_row": 2, "columns": {**{h: get_column_letter(c) for h, c in tail.items()},
                                           "四级指标": "G", "四级权重": "H"}, "leaves": {}}
    leaves = data["scoring_table"]
    first = 5
    reasons = [_strip(leaf.get("扣分原因")) for leaf in leaves]
    for i, leaf in enumerate(leaves):
        row = first + i
        _put(ws, row, 7, leaf["path"][3])
        _put(ws, row, 8, leaf["weights"][3], align=CENTER)
        _put(ws, row, tail["指标说明"], _strip(leaf.get("指标解释")))
        _put(ws, row, tail["评分标准"], _strip(leaf.get("评分标准")))
        _put(ws, row, tail["指标得分"], leaf.get("得分") if leaf.get("得分_printed") is not None else None,
             align=CENTER, fmt=_num_fmt(leaf.get("得分")))
        layout["leaves"][leaf["path"][3]] = row
    # upper levels: merged over their leaves, weight beside the name
    for lv in range(3):
        i = 0
        while i < len(leaves):
            j = i
            while j + 1 < len(leaves) and leaves[j + 1]["path"][:lv + 1] == leaves[i]["path"][:lv + 1]:
                j += 1
            _put(ws, first + i, 1 + 2 * lv, leaves[i]["path"][lv], align=CENTER)
            _merge(ws, first + i, 1 + 2 * lv, first + j, 1 + 2 * lv)
            _put(ws, first + i, 2 + 2 * lv, leaves[i]["weights"][lv], align=CENTER)
            _merge(ws, first + i, 2 + 2 * lv, first + j, 2 + 2 * lv)
            i = j + 1
    # a reason shared by consecutive leaves (保障措施: "此处扣 1 分" for 0.5 + 0.5) is one merged cell
    i = 0
    while i < len(leaves):
        j = i
        while reasons[i] and j + 1 < len(leaves) and reasons[j + 1] == reasons[i]:
            j += 1
        _put(ws, first + i, tail["扣分原因"], reasons[i])
        _merge(ws, first + i, tail["扣分原因"], first + j, tail["扣分原因"])
        i = j + 1
    row = first + len(leaves)
    _put(ws, row, 1, "合计", font=BOLD, align=CENTER)
    _merge(ws, row, 1, row, 10)
    _put(ws, row, tail["指标得分"], data["total_stated"], align=CENTER, fmt="0.00")
    _put(ws, row, tail["扣分原因"], None)
    layout["total_row"] = row
    row += 1
    _put(ws, row, 1, "评价等级", font=BOLD, align=CENTER)
    _merge(ws, row, 1, row, 10)
    _put(ws, row, tail["指标得分"], data["grade_stated"], align=CENTER)
    layout["grade_cell"] = f"{get_column_letter(tail['指标得分'])}{row}"
    _put(ws, row, tail["扣分原因"], None)
    _bands_and_widths(ws, row + 1, data, n, MEIZHOU_WIDTHS)
    return layout


def write_meizhou_summary(ws, data: dict) -> dict:
    """表3 评价总体得分情况表: 评价总得分 first, then the numbered level-1 rows."""
    table = next(t for t in data["level_summaries"] if t["source"].startswith("表3"))
    _put(ws, 1, 1, "表 3 评价总体得分情况表", font=BOLD, align=CENTER)
    _merge(ws, 1, 1, 1, 4)
    for j, h in enumerate(("评价因素", "分值", "评价得分", "得分率"), start=1):
        _put(ws, 2, j, h, font=BOLD, align=CENTER)
    rows = {}
    for i, r in enumerate(table["rows"]):
        row = 3 + i
        _put(ws, row, 1, r["评价因素"])
        _put(ws, row, 2, r["分值"], align=CENTER)
        _put(ws, row, 3, r["评价得分"], align=CENTER, fmt="0.00" if r["评价因素"] == "评价总得分" else _num_fmt(r["评价得分"]))
        _put(ws, row, 4, r["得分率"], align=CENTER)
        rows[r["评价因素"]] = row
    for j, w in enumerate((14, 8, 10, 10), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    return {"rows": rows}


# ----------------------------------------------------------------------------------------------- corrections

def apply_corrections(which: str, data: dict) -> dict:
    out = copy.deepcopy(data)
    for c in CORRECTIONS[which]:
        kind, name = c["where"]
        if kind == "leaf":
            leaf = next(x for x in out["scoring_table"] if x["path"][-1] == name)
            assert leaf.get("得分_printed", leaf.get("得分")) == c["from"] or (c["from"] is None and leaf.get("得分_printed") is None)
            leaf["得分"] = c["to"]
            leaf["得分_printed"] = str(c["to"])
        else:
            for s in out["level_summaries"]:
                for r in s["rows"]:
                    if r.get("指标") == name and re.match(r"表[4-7]", s["source"]):
                        assert r["得分"] == c["from"], (name, r)
                        r["得分"] = c["to"]
    return out


# ----------------------------------------------------------------------------------------------- workbook

def _save_deterministic(wb, path: Path) -> None:
    """The 昌吉 generator's byte-stable save (fixed core properties and zip timestamps)."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import _save_deterministic as save
    save(wb, path)


def build(writer, data: dict, path: Path, title: str, summary=None, summary_title: str = "") -> dict:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评分表"
    layout = writer(ws, data)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    if summary is not None:
        layout["summary"] = {"sheet": summary_title, **summary(wb.create_sheet(summary_title), data)}
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    _save_deterministic(wb, path)
    return layout


def generate(corpus: Path = DEFAULT_CORPUS, out: Path = HERE) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    layout = {}
    for which, src, writer, stem, title, summary, sheet in (
            ("donghu", DONGHU_SRC, write_donghu, "donghu_2022", "东湖 2022 评分表 (samples)", write_donghu_summary,
             "得分一览表"),
            ("meizhou", MEIZHOU_SRC, write_meizhou, "meizhou_2021", "梅州 2021 评分表 (samples)", write_meizhou_summary,
             "评价总体得分情况表")):
        data = json.loads((corpus / src).read_text(encoding="utf-8"))
        layout[stem] = build(writer, data, out / f"{stem}.xlsx", title, summary, sheet)
        layout[f"{stem}_corrected"] = build(writer, apply_corrections(which, data), out / f"{stem}_corrected.xlsx",
                                            title, summary, sheet)
    (out / LAYOUT_NAME).write_text(json.dumps(layout, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return layout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=HERE)
    a = ap.parse_args(argv)
    generate(a.corpus, a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
