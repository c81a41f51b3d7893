"""xlscore batch: a folder of returned forms → summary workbook, JSON/CSV, cache, Dask."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil

import openpyxl
import pytest

from builders import national_form, sample_rows
from conftest import SAMPLES, run_cli
from xlscore import batch


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "收到的自评表"
    (d / "县区").mkdir(parents=True)
    shutil.copy(SAMPLES / "changji_2024_corrected.xlsx", d / "好.xlsx")             # 13 clean forms
    shutil.copy(SAMPLES / "changji_2024.xlsx", d / "县区" / "有错.xlsx")              # 13 forms with errors
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "11场", 20, 20, "")
    national_form(d / "县区" / "全国模板.xlsx", rows=rows, total=97.5, funds_rate=0.95, funds_score=9.5)
    (d / "损坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "通讯录"
    wb.save(d / "通讯录.xlsx")
    (d / "~$好.xlsx").write_bytes(b"lock")                                           # Excel lock file: skipped
    (d / "说明.txt").write_text("不是工作簿", encoding="utf-8")
    return d


def _digests(d):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in d.rglob("*") if p.is_file()}


def test_discover_skips_lock_files_and_outputs(folder):
    names = [p.name for p in batch.discover(folder)]
    assert names == ["好.xlsx", "损坏.xlsx", "通讯录.xlsx", "全国模板.xlsx", "有错.xlsx"]


def test_batch_summary_workbook(folder, tmp_path):
    before = _digests(folder)
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("batch", str(folder), "-o", str(out), "--no-cache", "--workers", "2")
    assert proc.returncode == 2, proc.stderr              # unreadable files → 2, as for check
    assert "损坏.xlsx" in proc.stderr and "通讯录.xlsx" in proc.stderr and "Traceback" not in proc.stderr
    assert "5 个文件" in proc.stdout and "27 张表" in proc.stdout
    assert _digests(folder) == before                     # nothing modified without --recalc
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == ["汇总", "表格", "问题", "无法读取"]
    forms = list(wb["表格"].iter_rows(min_row=2, values_only=True))
    assert len(forms) == 27
    by_file = {}
    for r in forms:
        by_file.setdefault(r[0].replace("\\", "/").split("/")[-1], []).append(r)
    assert len(by_file["好.xlsx"]) == 13 and all(r[9] == 0 and r[10] == 0 for r in by_file["好.xlsx"])
    bad = by_file["有错.xlsx"]
    assert sum(r[9] for r in bad) == 17
    f8 = next(r for r in bad if r[1] == "F8")
    assert f8[7] == pytest.approx(94) and f8[8] == "优" and f8[2] == "昌吉回族自治州商务局"
    assert f8[6] == pytest.approx(1.0) and f8[4] == pytest.approx(4300)
    nat = by_file["全国模板.xlsx"][0]
    assert nat[7] == pytest.approx(97.5) and nat[3] == "示例项目"
    unreadable = [r[0] for r in wb["无法读取"].iter_rows(min_row=2, values_only=True)]
    assert sorted(x.split("/")[-1] for x in unreadable) == ["损坏.xlsx", "通讯录.xlsx"]
    findings = list(wb["问题"].iter_rows(min_row=2, values_only=True))
    assert sum(1 for r in findings if r[6] == "score-mismatch") == 2
    assert all(r[5] in ("错误", "警告") for r in findings)
    link = openpyxl.load_workbook(out)["表格"]["A2"].value          # a HYPERLINK() formula to the form, not a record
    assert link == f'=HYPERLINK("{forms[0][0].replace(chr(92), "/")}","{forms[0][0]}")' and link.endswith('.xlsx")')
    overview = [r for r in wb["汇总"].iter_rows(values_only=True)]
    flat = [c for r in overview for c in r if c is not None]
    assert "deadline-missed-full-score" in flat and "优" in flat
    with __import__("zipfile").ZipFile(out) as zf:
        assert sum(n.startswith("xl/charts/chart") for n in zf.namelist()) == 3


def test_json_and_csv_for_scripts(folder):
    proc = run_cli("batch", str(folder), "--format", "json", "--no-cache")
    doc = json.loads(proc.stdout)
    assert doc["xlscore"] and len(doc["files"]) == 5
    assert [f["error"] is None for f in doc["files"]] == [True, False, False, True, True]
    assert all(s["kind"] == "self_assessment" for s in doc["files"][4]["sheets"])
    proc = run_cli("batch", str(folder), "--format", "csv", "--no-cache")
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0] == batch.CSV_HEAD
    assert any(r[6] == "qualitative-actual" and r[1] == "F6" for r in rows[1:])
    assert sum(1 for r in rows[1:] if r[10]) == 2


def test_cache_makes_second_run_identical(folder, tmp_path):
    cache = tmp_path / "cache"
    opts = batch.BatchOptions(cache_dir=str(cache), workers=1)
    paths = batch.discover(folder)
    first = list(batch.run(paths, opts))
    second = list(batch.run(paths, opts))
    assert not any(r["cached"] for r in first[:1])
    assert all(r["cached"] for r in second)
    strip = lambda rs: [{k: v for k, v in r.items() if k != "cached"} for r in rs]   # noqa: E731
    assert strip(first) == strip(second)
    # a changed file is analysed again
    shutil.copy(SAMPLES / "changji_2024.xlsx", folder / "好.xlsx")
    third = list(batch.run(paths, opts))
    assert third[0]["cached"] is True        # same bytes as 有错.xlsx, which is cached already
    assert third[0]["forms"] == first[4]["forms"]


def test_cache_made_by_other_code_is_not_reused(folder, tmp_path, monkeypatch):
    # results cached before a reader or rule update would otherwise keep their old findings
    opts = batch.BatchOptions(cache_dir=str(tmp_path / "cache"), workers=1)
    paths = batch.discover(folder)
    list(batch.run(paths, opts))
    assert all(r["cached"] for r in batch.run(paths, opts))
    monkeypatch.setattr(batch, "code_fingerprint", lambda: "other code")
    assert not any(r["cached"] for r in batch.run(paths, opts))


def test_recalc_option_writes_files(folder, tmp_path):
    target = folder / "县区" / "有错.xlsx"
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    run_cli("batch", str(folder), "--recalc", "-o", str(tmp_path / "s.xlsx"), "--no-cache")
    assert hashlib.sha256(target.read_bytes()).hexdigest() != before
    assert "xlscore" in openpyxl.load_workbook(target).sheetnames


def test_dask_local_cluster_gives_the_same_summaries(folder):
    pytest.importorskip("distributed")
    paths = batch.discover(folder)
    local = list(batch.run(paths, batch.BatchOptions(workers=2)))
    dask = list(batch.run(paths, batch.BatchOptions(workers=2, scheduler="local")))
    strip = lambda rs: [{k: v for k, v in r.items() if k != "cached"} for r in rs]   # noqa: E731
    assert strip(local) == strip(dask)


def test_missing_or_empty_folder(tmp_path):
    proc = run_cli("batch", str(tmp_path / "没有"))
    assert proc.returncode == 2 and "没有" in proc.stderr
    proc = run_cli("batch", str(tmp_path))
    assert proc.returncode == 2 and "xlsx" in proc.stderr


def test_an_evaluators_scoring_table_is_a_summary_row(tmp_path):
    """A 评分表 in the folder gets its row (title, recomputed total, grade, errors), its report's summary
    tables (which repeat it) do not."""
    d = tmp_path / "评价报告"
    d.mkdir()
    shutil.copy(SAMPLES / "donghu_2022.xlsx", d / "东湖.xlsx")
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("batch", str(d), "-o", str(out), "--no-cache")
    assert proc.returncode == 1 and "1 张表" in proc.stdout      # the 组织实施 subtotal error
    rows = list(openpyxl.load_workbook(out, data_only=True)["表格"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert rows[0][1] == "评分表" and "百花洲金秋购物节" in rows[0][3]
    assert rows[0][7] == pytest.approx(86.25) and rows[0][8] == "良" and rows[0][9] == 1


def test_batch_compares_every_form_with_the_declared_targets(tmp_path):
    """--targets in a batch: each returned form is compared with the declared 绩效目标表; a bad targets file
    stops the batch before it starts, in one line."""
    from builders import national_form, sample_rows
    from test_crosschecks import changed_rows, targets_workbook

    d = tmp_path / "收回"
    d.mkdir()
    targets_workbook(tmp_path / "目标表.xlsx")
    national_form(d / "如实.xlsx", rows=sample_rows())
    national_form(d / "改了目标.xlsx", rows=changed_rows())
    out = tmp_path / "汇总.xlsx"
    cache = {"XLSCORE_CACHE": str(tmp_path / "cache")}
    proc = run_cli("batch", str(d), "-o", str(out), "--targets", str(tmp_path / "目标表.xlsx"), env=cache)
    assert proc.returncode == 1, proc.stderr
    findings = list(openpyxl.load_workbook(out, data_only=True)["问题"].iter_rows(min_row=2, values_only=True))
    changed = {(r[0].replace("\\", "/").split("/")[-1], r[6]) for r in findings}
    assert ("改了目标.xlsx", "declared-target-changed") in changed
    assert ("改了目标.xlsx", "declared-weight-changed") in changed
    assert not any(name == "如实.xlsx" and code.startswith("declared-") for name, code in changed)
    # cached rerun with a changed targets file must not reuse the old comparison
    targets_workbook(tmp_path / "目标表.xlsx", rows=[r for r in __import__("test_crosschecks").DECLARED][:5])
    proc2 = run_cli("batch", str(d), "--format", "csv", "--targets", str(tmp_path / "目标表.xlsx"), env=cache)
    assert "declared-indicator-added" in proc2.stdout

    proc = run_cli("batch", str(d), "--targets", str(tmp_path / "没有.xlsx"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_progress_bar_counts_every_file(folder, tmp_path):
    """--progress (default on a terminal): one bar on stderr that ends at n/n; off when stderr is a pipe."""
    proc = run_cli("batch", str(folder), "-o", str(tmp_path / "s.xlsx"), "--no-cache", "--progress")
    bar = proc.stderr.replace("\r", "\n").splitlines()
    steps = [line for line in bar if line.startswith("检查中 [")]
    assert steps and steps[-1].startswith("检查中 [" + "#" * 30 + "]") and " 5/5 " in steps[-1]
    quiet = run_cli("batch", str(folder), "-o", str(tmp_path / "q.xlsx"), "--no-cache")
    assert "检查中 [" not in quiet.stderr


def _stubborn(path, **kw):
    """A worker that ignores SIGTERM (as one waiting on the pool's task-queue lock once did) and takes long."""
    import signal
    import time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if int(path.rsplit("/", 1)[1].split(".")[0]) >= batch.CHUNK:      # the first chunk comes back at once
        open(path + ".started", "w").close()
        time.sleep(60)
    return {"path": path, "error": None, "forms": [], "report": {"sheets": []}, "cached": False}


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the workers inherit the stub by fork")
def test_an_interrupted_batch_ends_even_when_a_worker_ignores_sigterm(monkeypatch, tmp_path):
    """The consumer stops after the first result (Ctrl-C, an error in the summary): the pool is stopped, and a worker
    that does not end on SIGTERM is killed after batch.STOP_TIMEOUT instead of the batch waiting for ever."""
    import multiprocessing
    import time
    monkeypatch.setattr(batch, "summarize", _stubborn)
    monkeypatch.setattr(batch, "STOP_TIMEOUT", 1.0)
    paths = [f"{tmp_path}/{i}.xlsx" for i in range(10)]
    it = batch.run(paths, batch.BatchOptions(workers=2))
    assert next(it)["path"] == paths[0]
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("*.started")) and time.monotonic() < deadline:     # a worker ignores SIGTERM now
        time.sleep(0.05)
    t = time.monotonic()
    it.close()
    took = time.monotonic() - t
    assert 1.0 <= took < 20                  # STOP_TIMEOUT, then the kill; not the workers' 60 s
    assert multiprocessing.active_children() == []
