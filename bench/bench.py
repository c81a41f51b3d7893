"""Benchmarks: print figures, assert nothing.

    python bench/bench.py                      # everything (5,000 forms takes a few minutes)
    python bench/bench.py --only a             # one form: xlscore vs openpyxl load+save vs LibreOffice
    python bench/bench.py --only b --sizes 100,1000
    python bench/bench.py --only c             # a 200-sheet unit workbook
    python bench/bench.py --only profile       # where the time goes (cProfile, top functions)

Inputs are generated under bench/out/ from the 昌吉 sample forms with varied data (actuals, scores,
funds), so they read like real returned forms and exercise every rule kind.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def _generator():
    spec = importlib.util.spec_from_file_location("samples_generate", ROOT / "samples" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _forms():
    import json
    gen = _generator()
    corpus = gen.DEFAULT_CORPUS / gen.SOURCE
    if corpus.exists():
        return gen, json.loads(corpus.read_text(encoding="utf-8"))
    raise SystemExit("bench needs ../shared/corpus (the forms transcription) to generate inputs")


def vary(form: dict, rnd: random.Random) -> dict:
    """The same form with other figures: actuals ±, scores sometimes typed wrong, funds spent 80–100%."""
    import copy
    f = copy.deepcopy(form)
    for ind in f["indicators"]:
        key = "业绩值" if "业绩值" in ind else "实际完成指标值"
        v = ind.get(key) or ""
        m = __import__("re").match(r"^(=?)(\d+(?:\.\d+)?)(.*)$", v)
        if m and rnd.random() < 0.4:
            n = float(m.group(2)) * rnd.uniform(0.7, 1.3)
            ind[key] = f"{m.group(1)}{n:.2f}{m.group(3)}"
        if rnd.random() < 0.1 and ind.get("得分"):
            ind["得分"] = round(float(ind["得分"]) * rnd.uniform(0.5, 1.0), 1)
    for row in f["funds"]:
        if row.get("全年预算数"):
            spent = round(row["全年预算数"] * rnd.uniform(0.8, 1.0), 2)
            cols = f["fund_columns"]
            if "全年执行数" in cols:
                row["raw"][cols.index("全年执行数")] = f"{spent:,.2f}"
    return f


def make_forms(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """n single-form workbooks (project forms, varied) in nested folders, as a bureau receives them."""
    import openpyxl
    gen, forms = _forms()
    rnd = random.Random(seed)
    existing = sorted(folder.rglob("*.xlsx")) if folder.exists() else []
    if len(existing) == n:
        return existing
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    paths = []
    for i in range(n):
        src = vary(forms[1 + i % 12], rnd)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "自评表"
        gen.write_project(ws, src)
        d = folder / f"单位{i // 100:03d}"
        d.mkdir(exist_ok=True)
        p = d / f"自评表{i:05d}.xlsx"
        wb.save(p)
        paths.append(p)
    return paths


def make_big(sheets: int, path: Path) -> Path:
    import openpyxl
    if path.exists():
        return path
    gen, forms = _forms()
    rnd = random.Random(11)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i in range(sheets):
        src = vary(forms[1 + i % 12], rnd)
        gen.write_project(wb.create_sheet(f"项目{i + 1:03d}"), src)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- measuring

def timed(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of *pid* and its descendants, in KiB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


def run_measured(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (whole process tree, MiB) of a command."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    stop = threading.Event()

    def poll():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.2)
    th = threading.Thread(target=poll, daemon=True)
    th.start()
    proc.wait()
    stop.set()
    th.join()
    return time.perf_counter() - t, peak // 1024


def soffice_recalc(src: Path, outdir: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from lo import convert
    convert(src, outdir)


# --------------------------------------------------------------------------- the benchmarks

def bench_one_form() -> None:
    import openpyxl
    from xlscore.engine import Engine
    src = make_forms(1, OUT / "one")[0]
    work = OUT / "one_work.xlsx"
    engine = Engine()

    def xlscore_recalc():
        shutil.copy(src, work)
        engine.recalc_file(work)

    def floor():
        shutil.copy(src, work)
        openpyxl.load_workbook(work).save(work)

    def copy_only():
        shutil.copy(src, work)

    t_copy = timed(copy_only)
    t_x = timed(xlscore_recalc) - t_copy
    t_f = timed(floor) - t_copy
    t_check = timed(lambda: engine.check_file(src))
    t_cli = timed(lambda: subprocess.run([sys.executable, "-m", "xlscore", "recalc", str(src), "-o", str(work)],
                                         capture_output=True), repeat=3)
    print(f"(a) one typical form ({src.stat().st_size // 1024} KiB, 1 sheet)")
    print(f"    openpyxl load + save (floor)      {t_f * 1000:8.1f} ms")
    print(f"    xlscore recalc, in process        {t_x * 1000:8.1f} ms   = {t_x / t_f:.2f} × floor")
    print(f"    xlscore check, in process         {t_check * 1000:8.1f} ms")
    print(f"    xlscore recalc CLI (incl. startup){t_cli * 1000:8.1f} ms")
    if shutil.which("soffice"):
        with tempfile.TemporaryDirectory() as d:
            t_lo = timed(lambda: soffice_recalc(src, Path(d)), repeat=3)
        print(f"    LibreOffice headless recalc       {t_lo * 1000:8.1f} ms   = {t_lo / t_x:.1f} × xlscore in process, "
              f"{t_lo / t_cli:.1f} × xlscore CLI")
    else:
        print("    LibreOffice: soffice not installed, skipped")


def bench_batch(sizes: list[int]) -> None:
    print("(b) batch throughput (xlscore batch, 2 processes, no cache; then a second, cached run)")
    for n in sizes:
        folder = OUT / f"forms_{n}"
        t = time.perf_counter()
        make_forms(n, folder)
        gen_s = time.perf_counter() - t
        summary = OUT / f"summary_{n}.xlsx"
        cache = OUT / f"cache_{n}"
        shutil.rmtree(cache, ignore_errors=True)
        cmd = [sys.executable, "-m", "xlscore", "batch", str(folder), "-o", str(summary), "--cache-dir", str(cache)]
        wall, peak = run_measured(cmd)
        wall2, peak2 = run_measured(cmd)
        print(f"    {n:>5} forms: {wall:7.1f} s  {n / wall:6.1f} forms/s  peak RSS {peak:4d} MiB   "
              f"| cached: {wall2:5.1f} s {n / wall2:7.1f} forms/s peak {peak2:4d} MiB   (inputs made in {gen_s:.0f} s)")


def bench_big(sheets: int = 200) -> None:
    from xlscore.engine import Engine
    import openpyxl
    src = make_big(sheets, OUT / f"unit_{sheets}_sheets.xlsx")
    work = OUT / "big_work.xlsx"
    engine = Engine()

    def recalc():
        shutil.copy(src, work)
        engine.recalc_file(work)

    def floor():
        shutil.copy(src, work)
        openpyxl.load_workbook(work).save(work)
    t_c = timed(lambda: engine.check_file(src), repeat=3)
    t_r = timed(recalc, repeat=3)
    t_f = timed(floor, repeat=3)
    print(f"(c) one workbook with {sheets} form sheets ({src.stat().st_size // 1024} KiB)")
    print(f"    openpyxl load + save  {t_f:6.2f} s")
    print(f"    xlscore check         {t_c:6.2f} s")
    print(f"    xlscore recalc        {t_r:6.2f} s   = {t_r / t_f:.2f} × floor")


def profile() -> None:
    from xlscore.engine import Engine
    src = make_big(200, OUT / "unit_200_sheets.xlsx")
    work = OUT / "big_work.xlsx"
    shutil.copy(src, work)
    pr = cProfile.Profile()
    pr.enable()
    Engine().recalc_file(work)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(25)
    print("(profile) xlscore recalc of the 200-sheet workbook, top 25 by cumulative time")
    print("\n".join(s.getvalue().splitlines()[:60]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=("a", "b", "c", "profile"))
    ap.add_argument("--sizes", default="100,1000,5000")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if args.only in (None, "a"):
        bench_one_form()
    if args.only in (None, "b"):
        bench_batch([int(x) for x in args.sizes.split(",")])
    if args.only in (None, "c"):
        bench_big()
    if args.only == "profile":
        profile()


if __name__ == "__main__":
    main()
