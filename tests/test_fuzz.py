"""Fuzz test (issue 14, item 6): the sample's cells, merged ranges and rows mutated with a fixed seed, run
in-process through xlscore's Engine. Every run ends as exit 0 or 1 — no exception, no internal error — gives
valid JSON and a write plan, within a bounded time; a few mutated workbooks also go through recalc on disk."""

from __future__ import annotations

import copy
import json
import random
import time

import openpyxl
import pytest

from conftest import SAMPLES
from xlscore.engine import OWN_SHEETS, Engine
from xlscore.grid import Grid
from xlscore.report import FileResult, Report
from xlscore.write import xlsx
from xlscore.write.plan import build_plan

SAMPLE = SAMPLES / "changji_2024.xlsx"
SEED = 14
RUNS = 50
PER_RUN_SECONDS = 10

POOL = [None, "", " ", 0, -1, 1e9, -1e-9, 0.5, 100, 1e29, "〈400位数字〉", "9" * 40, "—", "/", "≥", "≤95%", "%", "105%",
        "=SUM(A1:A3)", "=1/0", "#DIV/0!", "优", "良", "☐优 ☑良 ☐中 ☐差", "总分", "合计", "小计", "得分", "分值", "权重",
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "偏差原因分析及改进措施", "年初预算数", "全年执行数",
        "执行率", "2024年12月31日前", "2024年2月30日", "按照完成比例赋分", "每少一家扣20%权重分", "≥" + "9" * 20 + "万元",
        "\t文本\u200b", "中" * 2000, True, "10分", "（1）", "①②③"]


def _base_grids():
    wb, cached = xlsx.load(SAMPLE)
    xlsx.restore(wb)
    return xlsx.grids(wb, cached, skip=OWN_SHEETS)


def _rebuild(g: Grid, cells: dict) -> None:
    g.cells = {}
    g.max_row = g.max_col = 0
    g._merge_index = None
    for (r, c), cell in cells.items():
        g.set(r, c, cell.value, cell.cached, formula=cell.is_formula)


def mutate(grids: list[Grid], rng: random.Random, n: int) -> list[str]:
    done = []
    for _ in range(n):
        g = rng.choice(grids)
        if not g.cells:
            continue
        kind = rng.choice(["value", "value", "value", "delete", "merge", "unmerge", "row-del", "row-dup", "row-swap",
                           "col-del", "move"])
        keys = list(g.cells)
        r, c = rng.choice(keys)
        if kind == "value":
            v = rng.choice(POOL)
            g.cells.pop((r, c), None)
            g._row_index = None
            g.set(r, c, v)
        elif kind == "delete":
            g.cells.pop((r, c))
            g._row_index = None
        elif kind == "merge":
            m = (r, c, r + rng.randint(0, 4), c + rng.randint(0, 3))
            g.merges.append(m)
            g._merge_index = None
        elif kind == "unmerge" and g.merges:
            g.merges.pop(rng.randrange(len(g.merges)))
            g._merge_index = None
        elif kind == "row-del":
            _rebuild(g, {(rr - (rr > r), cc): v for (rr, cc), v in g.cells.items() if rr != r})
        elif kind == "row-dup":
            cells = {(rr + (rr > r), cc): v for (rr, cc), v in g.cells.items()}
            cells.update({(r + 1, cc): copy.copy(v) for (rr, cc), v in g.cells.items() if rr == r})
            _rebuild(g, cells)
        elif kind == "row-swap":
            r2 = rng.choice(keys)[0]
            _rebuild(g, {((r2 if rr == r else r if rr == r2 else rr), cc): v for (rr, cc), v in g.cells.items()})
        elif kind == "col-del":
            _rebuild(g, {(rr, cc - (cc > c)): v for (rr, cc), v in g.cells.items() if cc != c})
        elif kind == "move":
            v = g.cells.pop((r, c))
            g.cells[(rng.randint(1, 60), rng.randint(1, 14))] = v
            _rebuild(g, dict(g.cells))
        done.append(f"{g.name}:{kind}@{r},{c}")
    return done


def test_fuzzed_sample_in_process():
    rng = random.Random(SEED)
    base = _base_grids()
    engine = Engine()
    exits = {0: 0, 1: 0}
    slowest = 0.0
    t_all = time.monotonic()
    for run in range(RUNS):
        grids = copy.deepcopy(base)
        what = mutate(grids, rng, rng.randint(1, 25))
        t0 = time.monotonic()
        try:
            results = engine.analyse(grids)
            build_plan(results, engine.lang, engine.profile.title(engine.lang))
            report = Report([FileResult("fuzz.xlsx", sheets=results)])
            text = json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False)
        except Exception as exc:  # noqa: BLE001 - the failure message names the run and its mutations
            pytest.fail(f"run {run}: {type(exc).__name__}: {exc}; mutations {what}")
        elapsed = time.monotonic() - t0
        slowest = max(slowest, elapsed)
        assert elapsed < PER_RUN_SECONDS, (run, what)
        json.loads(text)
        exits[1 if report.has_errors else 0] += 1
    print(f"\nfuzz: {RUNS} runs in {time.monotonic() - t_all:.1f} s (slowest {slowest:.2f} s), exits {exits}")
    assert sum(exits.values()) == RUNS


def test_fuzzed_workbooks_on_disk(tmp_path):
    """Mutations through openpyxl (cells, merges, rows) saved as files, then check and recalc on them."""
    rng = random.Random(SEED + 1)
    engine = Engine()
    for run in range(6):
        wb = openpyxl.load_workbook(SAMPLE)
        for _ in range(rng.randint(3, 15)):
            ws = rng.choice(wb.worksheets)
            op = rng.choice(["value", "value", "merge", "unmerge", "insert", "delete"])
            r, c = rng.randint(1, max(ws.max_row, 1)), rng.randint(1, max(ws.max_column, 1))
            if op == "value":
                cell = ws.cell(r, c)
                if type(cell).__name__ != "MergedCell":
                    v = rng.choice(POOL)
                    cell.value = v
                    if isinstance(v, str) and v.startswith("=") and rng.random() < 0.5:
                        cell.data_type = "s"
            elif op == "merge":
                try:
                    ws.merge_cells(start_row=r, start_column=c, end_row=r + rng.randint(0, 3), end_column=c + rng.randint(1, 2))
                except Exception:  # noqa: BLE001 - an overlapping merge openpyxl refuses
                    pass
            elif op == "unmerge" and ws.merged_cells.ranges:
                ws.unmerge_cells(str(rng.choice(list(ws.merged_cells.ranges))))
            elif op == "insert":
                ws.insert_rows(r, rng.randint(1, 3))
            elif op == "delete":
                ws.delete_rows(r, rng.randint(1, 3))
        p = tmp_path / f"fuzz{run}.xlsx"
        wb.save(p)
        for write in (False, True):
            res = engine.run_file(p, write=write)
            json.dumps(Report([res]).to_json(), ensure_ascii=False, allow_nan=False)
            assert res.error is None or "内部错误" not in res.error, res.error
