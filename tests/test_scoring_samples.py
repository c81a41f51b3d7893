"""The committed scoring-table samples are what samples/generate_scoring.py makes from the corpus, and they say what
they claim — checked on the cells (openpyxl), by arithmetic done here, not by the tool's reader.

(a) regenerating gives the same cells (values, data types, number formats), merged ranges and layout manifest;
(b) the corrected copies add up: leaves to every printed subtotal, level-1 to the 合计, weights at every level;
(c) every CORRECTIONS item's "from" is in the original at the manifest's cell and its "to" in the corrected copy.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys

import openpyxl
import pytest

from conftest import cell_snapshot, CORPUS, SAMPLES

LAYOUT = json.loads((SAMPLES / "scoring.layout.json").read_text(encoding="utf-8"))
NAMES = ("donghu_2022", "donghu_2022_corrected", "meizhou_2021", "meizhou_2021_corrected")
needs_corpus = pytest.mark.skipif(not (CORPUS / "report_nanchang_donghu_2022.tables.json").is_file(),
                                  reason="the shared corpus folder is not beside the checkout")


def _generator():
    spec = importlib.util.spec_from_file_location("samples_generate_scoring", SAMPLES / "generate_scoring.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = _generator()




@needs_corpus
def test_regenerated_samples_equal_committed(tmp_path):
    proc = subprocess.run([sys.executable, str(SAMPLES / "generate_scoring.py"), "--corpus", str(CORPUS),
                           "--out", str(tmp_path)], capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    for name in NAMES:
        fresh, committed = cell_snapshot(tmp_path / f"{name}.xlsx"), cell_snapshot(SAMPLES / f"{name}.xlsx")
        assert fresh == committed, f"{name}: regenerated ≠ committed (run samples/generate_scoring.py)"
    assert json.loads((tmp_path / "scoring.layout.json").read_text(encoding="utf-8")) == LAYOUT


def _num(v) -> float:
    assert isinstance(v, (int, float)), v
    return float(v)


def test_donghu_corrected_adds_up():
    ws = openpyxl.load_workbook(SAMPLES / "donghu_2022_corrected.xlsx")["评分表"]
    lay = LAYOUT["donghu_2022_corrected"]
    col = lay["columns"]
    rows = sorted(list(lay["leaves"].values()) + list(lay["subtotals"].values()))
    leaf_rows = set(lay["leaves"].values())
    level2, level1 = [], []       # (weight, score) of the leaves since the last subtotal of each level
    tops = []
    for r in rows:
        w, s = _num(ws[f"{col['分值']}{r}"].value), _num(ws[f"{col['得分']}{r}"].value)
        if r in leaf_rows:
            assert 0 <= s <= w
            level2.append((w, s))
            continue
        label = ws[f"{col['三级指标']}{r}"].value
        if label == "小计":                                      # a level-2 subtotal
            assert w == pytest.approx(sum(x for x, _ in level2)), r
            assert s == pytest.approx(sum(x for _, x in level2)), r
            level1.append((w, s))
            level2 = []
        else:                                                   # a level-1 subtotal (小计 in the 二级 column)
            assert ws[f"{col['二级指标']}{r}"].value == "小计"
            assert w == pytest.approx(sum(x for x, _ in level1)), r
            assert s == pytest.approx(sum(x for _, x in level1)), r
            tops.append((w, s))
            level1 = []
        rate = ws[f"{col['得分率']}{r}"].value
        assert float(rate.rstrip("%")) == pytest.approx(round(s / w * 100, 2), abs=0.005), (r, rate)
    t = lay["total_row"]
    assert sum(w for w, _ in tops) == 100 == ws[f"{col['分值']}{t}"].value
    assert sum(s for _, s in tops) == pytest.approx(ws[f"{col['得分']}{t}"].value) == pytest.approx(86.25)
    assert "☑良" in ws[lay["grade_cell"]].value
    # weights inside the labels, as printed
    assert ws["A3"].value == "决策指标 (20分)" and ws["B3"].value == "项目立项 (6分)"
    assert ws["C3"].value == "立项依据充分性 (3分)"


def test_meizhou_corrected_adds_up():
    ws = openpyxl.load_workbook(SAMPLES / "meizhou_2021_corrected.xlsx")["评分表"]
    lay = LAYOUT["meizhou_2021_corrected"]
    assert [ws.cell(row=4, column=c).value for c in range(1, 9)] == ["名称", "权重(%)"] * 4
    merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    leaves = lay["leaves"]
    score_col = lay["columns"]["指标得分"]
    total = 0.0
    for level in range(4):
        name_col, weight_col = 1 + 2 * level, 2 + 2 * level
        level_sum = 0.0
        for r in sorted(leaves.values()):
            if ws.cell(row=r, column=name_col).value is None:
                continue
            m = merged.get((r, weight_col))
            last = m.max_row if m else r
            children = [x for x in leaves.values() if r <= x <= last]
            w = _num(ws.cell(row=r, column=weight_col).value)
            assert w == pytest.approx(sum(_num(ws.cell(row=x, column=8).value) for x in children)), (level, r)
            level_sum += w
        assert level_sum == 100
    for r in leaves.values():
        s = _num(ws[f"{score_col}{r}"].value)
        assert 0 <= s <= ws.cell(row=r, column=8).value
        total += s
    assert total == pytest.approx(ws[f"{score_col}{lay['total_row']}"].value) == pytest.approx(81.2)
    assert ws[lay["grade_cell"]].value == "良"


def _cell(which: str, c: dict) -> str:
    lay = LAYOUT[which]
    kind, name = c["where"]
    row = lay["subtotals"][name] if kind == "subtotal" else lay["leaves"][name]
    return f"{lay['columns'][c['field']]}{row}"


@pytest.mark.parametrize("stem,which", [("donghu_2022", "donghu"), ("meizhou_2021", "meizhou")])
def test_every_correction_starts_from_the_printed_value(stem, which):
    orig = openpyxl.load_workbook(SAMPLES / f"{stem}.xlsx")["评分表"]
    corr = openpyxl.load_workbook(SAMPLES / f"{stem}_corrected.xlsx")["评分表"]
    assert GEN.CORRECTIONS[which]
    for c in GEN.CORRECTIONS[which]:
        assert re.match(r"(东湖|梅州) \d+ \[[A-D]\]", c["anomaly"]) and c["why"]
        assert orig[_cell(stem, c)].value == c["from"]
        assert corr[_cell(f"{stem}_corrected", c)].value == c["to"]
