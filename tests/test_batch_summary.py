"""The batch summary a reviewer reads (issue 16): xlscore's own outputs are no inputs, cached results carry
today's paths and are counted honestly, every sheet prints, the charts answer a reviewer's questions; and
the same results as pandas DataFrames for analysts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT, SAMPLES, run_cli
from xlscore import batch


@pytest.fixture
def clean(tmp_path):
    """A folder xlscore reads without an unreadable file: two self-assessment workbooks, two scoring tables."""
    d = tmp_path / "收到"
    d.mkdir()
    for name in ("changji_2024.xlsx", "changji_2024_corrected.xlsx", "donghu_2022.xlsx", "meizhou_2021.xlsx"):
        shutil.copy(SAMPLES / name, d / name)
    return d


def _rows(path, sheet):
    return [r for r in openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True)]


def test_second_run_over_the_same_folder_gives_the_same_result(clean, tmp_path):
    out = clean / "汇总.xlsx"                                  # the summary inside the folder it summarises
    env = {"XLSCORE_CACHE": str(tmp_path / "cache")}
    first = run_cli("batch", str(clean), "-o", str(out), env=env)
    assert first.returncode == 1, first.stderr
    assert "4 个文件（0 个来自缓存）" in first.stdout
    rows1 = {s: _rows(out, s)[1:] for s in ("表格", "问题", "无法读取")}
    renamed = clean / "上次的汇总.xlsx"                        # renamed: still known by its marker
    shutil.copy(out, renamed)
    second = run_cli("batch", str(clean), "-o", str(clean / "汇总2.xlsx"), env=env)
    assert second.returncode == 1, second.stderr               # not 2: no summary read as an unreadable form
    assert "4 个文件（4 个来自缓存）" in second.stdout and not second.stderr.strip()
    assert {s: _rows(clean / "汇总2.xlsx", s)[1:] for s in rows1} == rows1
    assert batch.is_own_output(renamed) and batch.is_own_output(out)
    assert not batch.is_own_output(clean / "changji_2024.xlsx")


def test_a_form_recalculated_in_place_is_still_read(clean, tmp_path):
    run_cli("recalc", str(clean / "changji_2024.xlsx"))
    assert "xlscore" in openpyxl.load_workbook(clean / "changji_2024.xlsx").sheetnames
    assert clean / "changji_2024.xlsx" in batch.discover(clean)


def test_cached_results_carry_the_current_path_and_count_right(tmp_path):
    d = tmp_path / "旧"
    d.mkdir()
    shutil.copy(SAMPLES / "changji_2024.xlsx", d / "a.xlsx")
    shutil.copy(SAMPLES / "changji_2024.xlsx", d / "b.xlsx")       # the same bytes twice
    (d / "坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    cache = tmp_path / "cache"
    opts = batch.BatchOptions(cache_dir=str(cache), workers=1)
    first = list(batch.run(batch.discover(d), opts))
    assert sum(r["cached"] for r in first) == 0                # an empty cache: nothing came from it
    moved = tmp_path / "新"
    d.rename(moved)
    second = list(batch.run(batch.discover(moved), opts))
    assert all(r["cached"] for r in second)
    bad = next(r for r in second if r["error"])
    assert str(moved) in bad["error"] and str(d) + os.sep not in bad["error"]
    assert all(r["report"]["path"].startswith(str(moved)) for r in second if not r["error"])


def test_every_summary_sheet_prints_and_the_charts_answer_questions(clean, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert run_cli("batch", str(clean), "-o", str(out), "--no-cache").returncode == 1
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape" and str(ps.paperSize) == "9", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToHeight == 0, ws.title
        if ws.title != "汇总":
            assert ws.print_title_rows and ws.print_title_rows.replace("$", "") == "1:1", ws.title
    flat = [r for r in _rows(out, "汇总")]
    # level-1 tables: the framework's names only, each kind of form on its own
    sa = flat.index(next(r for r in flat if r[0] == "自评表一级指标平均得分率"))
    sc = flat.index(next(r for r in flat if r[0] == "评分表一级指标平均得分率"))
    assert [r[0] for r in flat[sa + 2:sa + 6]] == ["产出", "效益", "满意度", "成本"]
    assert [r[0] for r in flat[sc + 2:sc + 6]] == ["决策", "过程", "产出", "效益"]
    assert not any(r[0] in ("履职效能", "产出指标", "数量指标") for r in flat)
    import zipfile
    with zipfile.ZipFile(out) as zf:
        charts = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/charts/chart")]
    titles = "".join(charts)
    for t in ("各单位评价等级分布", "评分表一级指标平均得分率", "自评表一级指标平均得分率", "错误最多的单位"):
        assert t in titles
    assert "预算执行率与总分" not in titles and len(charts) == 4    # every execution rate is 100%: no scatter


def test_scatter_only_where_it_shows_a_spread():
    stack = [(1.0, t) for t in (80, 85, 90, 95, 100, 60)]
    assert not batch.shows_spread(stack)
    assert not batch.shows_spread([(0.5 + i / 10, 90.0) for i in range(6)])
    assert batch.shows_spread([(0.6, 70), (0.8, 85), (0.95, 96), (0.7, 80), (1.0, 99)])


def test_framework_level1_names():
    f = batch.framework_level1
    assert f("产出指标", "self_assessment") == "产出" and f("满意度指标", "self_assessment") == "满意度"
    assert f("一、决策（20分）", "scoring") == "决策" and f("过程指标", "scoring") == "过程"
    assert f("数量指标", "self_assessment") is None and f("履职效能", "self_assessment") is None
    assert f("决策", "self_assessment") is None and f("成本指标", "scoring") is None


# --------------------------------------------------------------------------- pandas, for analysts

def test_batch_frames_and_the_summary_pivots(clean, tmp_path):
    pd = pytest.importorskip("pandas")
    import xlscore
    fr = xlscore.batch_frames(clean)
    assert isinstance(fr.sheets, pd.DataFrame) and len(fr.sheets) == 28
    assert set(fr.sheets["kind"]) == {"self_assessment", "scoring"}
    assert fr.findings.query("severity == 'error'")["file"].str.endswith("changji_2024.xlsx").sum() == 17
    # the pivots the summary workbook shows come from these frames, and agree with the pandas-free ones
    from xlscore import frames
    rec = {"forms": [], "findings": [], "level1": []}
    for r in batch.run(batch.discover(clean), batch.BatchOptions(workers=1)):
        for k, v in batch.records(r).items():
            if k in rec:
                rec[k].extend(v)
    plain = batch.pivots_plain(rec["forms"], rec["findings"], rec["level1"])
    assert frames.pivots(fr) == plain == batch.compute_pivots(rec["forms"], rec["findings"], rec["level1"])
    errors = dict((u, e) for u, _, e, _, _ in plain.by_unit)
    assert errors["昌吉回族自治州商务局"] == 17
    # CSV export from the frames
    written = fr.to_csv(tmp_path / "csv")
    assert [p.name for p in written] == ["sheets.csv", "findings.csv", "level1.csv", "unreadable.csv"]
    back = pd.read_csv(tmp_path / "csv" / "sheets.csv", encoding="utf-8-sig")
    assert list(back.columns) == list(batch.FORM_COLUMNS) and len(back) == 28


def test_check_on_one_file_does_not_import_pandas():
    code = ("import sys, xlscore.cli\n"
            "try:\n    xlscore.cli.main(['check', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('PANDAS' if 'pandas' in sys.modules else 'NO-PANDAS')")
    proc = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "changji_2024.xlsx")], capture_output=True,
                          text=True, encoding="utf-8", cwd=str(ROOT), env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert proc.stdout.strip().splitlines()[-1] == "NO-PANDAS", proc.stderr


def test_own_output_from_the_zip_directory_agrees_with_zipfile(clean, tmp_path):
    """is_own_output reads the zip's directory itself and inflates at most two small parts: it says what the zipfile
    reading says, for forms, a summary (by marker and by its sheets), a form recalculated in place, a summary
    stored uncompressed with a comment, and what is no zip at all."""
    import zipfile
    out = tmp_path / "汇总.xlsx"
    assert run_cli("batch", str(clean), "-o", str(out), "--no-cache").returncode == 1
    recalc = tmp_path / "recalc.xlsx"
    shutil.copy(clean / "changji_2024.xlsx", recalc)
    run_cli("recalc", str(recalc))
    stored = tmp_path / "stored.xlsx"                           # no marker, the summary's four sheets, not deflated
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info.filename, src.read(info))
        dst.comment = b"x" * 300
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (tmp_path / "empty.xlsx").write_bytes(b"")
    cases = {p: batch._is_own_output_zipfile(p) for p in [*clean.iterdir(), out, recalc, stored,
                                                            tmp_path / "bad.xlsx", tmp_path / "empty.xlsx"]}
    assert cases[out] and cases[stored] and not cases[recalc]
    for p, expected in cases.items():
        assert batch.is_own_output(p) == expected, p
