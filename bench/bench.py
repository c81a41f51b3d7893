"""Benchmarks: print figures, assert nothing. Every figure is a whole process (interpreter start-up included),
run side by side with the processes it is compared with, round after round, so a busy machine slows all of them
alike: each line prints the median of its rounds, each ratio is the median of the per-round ratios.

    python bench/bench.py                          # sizes a, b, c and the batch (1,000 and 5,000 forms)
    python bench/bench.py --only sizes --rounds 7  # one form, the 13-sheet sample, a 200-sheet workbook
    python bench/bench.py --only recalc            # recalc: package store vs openpyxl writer vs openpyxl load+save
    python bench/bench.py --only batch --sizes 100,1000,5000
    python bench/bench.py --only startup           # python -X importtime of `xlscore check`, top modules
    python bench/bench.py --only profile           # where the time goes (cProfile, top functions)
    python bench/bench.py --only worker            # where one batch worker's time goes (cProfile), IPC cost
    python bench/bench.py --before /work/main      # also run the xlscore of another checkout (before/after)

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
import zipfile
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
    raise SystemExit("bench needs samples/source/ (the forms transcription) to generate inputs")


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

def _tree_rss_kb(pid: int, own: dict | None = None) -> int:
    """Resident memory of *pid* and its descendants, in KiB: the sum of VmRSS in /proc/<pid>/status (Linux). With
    *own*, each process's own peak (VmHWM) is also kept there, by pid."""
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
                    elif line.startswith("VmHWM:") and own is not None:      # the process's own peak so far
                        own[p] = max(own.get(p, 0), int(line.split()[1]))
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


LAST: dict = {}      # what run_measured saw besides its return value: the main process's own peak (MiB)


def run_measured(cmd: list[str], env: dict | None = None, poll: float = 0.05) -> tuple[float, int, int]:
    """Wall time (s), peak RSS of the whole process tree (MiB: the largest sum of VmRSS over the tree, sampled every
    *poll* s; at least the largest single process's own peak) and the exit code of a command. LAST["main"]: the peak
    RSS (VmHWM, as last sampled before it ended) of the command's own process — a batch's main process, not its
    workers —, MiB."""
    gnu_time = shutil.which("time") if os.path.exists("/usr/bin/time") else None
    fd, hwm = tempfile.mkstemp(prefix="bench-rss-")
    os.close(fd)
    if gnu_time:     # its %M is the command's own peak (ours, via wait4, would include this process's, forked)
        cmd = [gnu_time, "-q", "-f", "%M", "-o", hwm] + cmd
    WORK.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=str(WORK))
    peak = 0
    own: dict[int, int] = {}
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid, own))
            time.sleep(poll)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    proc.wait()
    wall = time.perf_counter() - t
    stop.set()
    th.join()
    try:
        top = int(Path(hwm).read_text().split()[-1])
    except (OSError, ValueError, IndexError):
        top = 0
    os.unlink(hwm)
    # the command's own process: the first process after GNU time's, i.e. the lowest pid above it that was sampled
    main = min((p for p in own if p != proc.pid), default=proc.pid) if gnu_time else proc.pid
    LAST["main"] = own.get(main, 0) // 1024
    return wall, max(peak, top) // 1024, proc.returncode


PYCACHE = OUT / "pycache"       # xlscore's bytecode, as an installed package has it (openpyxl's is installed)


def _env(tree: Path) -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(tree)
    e.pop("XLSCORE_LANG", None)
    # every tree measured from its compiled bytecode, as a user runs it (pip writes .pyc at install; a development
    # shell with PYTHONDONTWRITEBYTECODE=1 would otherwise compile xlscore's source on every start, ~0.1-0.2 s)
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    e["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return e


def compile_trees(*trees: Path | None) -> None:
    """Byte-compile each tree's package once, into PYCACHE (no file is written into the trees themselves)."""
    for tree in trees:
        if tree is not None:
            subprocess.run([PY, "-m", "compileall", "-q", str(tree / "xlscore")], env=_env(tree), check=False,
                           capture_output=True)


PY = sys.executable
LO_PROFILE = OUT / "lo-profile"
WORK = OUT / "work"            # every command runs here: `python -m` puts the working directory first on sys.path


def soffice_cmd(src: Path, outdir: Path) -> list[str] | None:
    """LibreOffice headless: open, recalculate everything (OOXMLRecalcMode=always), save as xlsx. One profile for the
    whole run, made (and warmed) once, so start-up is LibreOffice's own and not a first-run profile build."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    from lo import XCU
    user = LO_PROFILE / "user"
    if not (user / "registrymodifications.xcu").exists():
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(XCU, encoding="utf-8")
    return [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{LO_PROFILE}",
            "--convert-to", "xlsx", "--outdir", str(outdir), str(src)]


def _zip_copy_script(src: Path, dst: Path) -> str:
    # the I/O a patching writer cannot avoid: every part inflated and deflated once
    return (f"import zipfile\nzin=zipfile.ZipFile({str(src)!r})\n"
            f"with zipfile.ZipFile({str(dst)!r},'w',zipfile.ZIP_DEFLATED) as z:\n"
            "    for i in zin.infolist(): z.writestr(i, zin.read(i))\n")


def commands(src: Path, work: Path, tree: Path, before: Path | None) -> dict[str, tuple[list[str], dict]]:
    here, env = _env(tree), _env(tree)
    out = work / "out.xlsx"
    cmds = {
        "python -c pass": ([PY, "-c", "pass"], env),
        "python + light read (fastxlsx.read)": ([PY, "-c", "import sys; from xlscore.read.fastxlsx import read; "
                                                 "read(sys.argv[1])", str(src)], here),
        "python + openpyxl load": ([PY, "-c", "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])", str(src)], env),
        "python + openpyxl load + save": ([PY, "-c", "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"
                                           ".save(sys.argv[2])", str(src), str(out)], env),
        "python + zip copy (floor of a patching writer)": ([PY, "-c", _zip_copy_script(src, out)], env),
        "xlscore check": ([PY, "-m", "xlscore", "check", str(src)], here),
        "xlscore recalc -o": ([PY, "-m", "xlscore", "recalc", str(src), "-o", str(out)], here),
    }
    cmds["xlscore recalc -o (openpyxl writer)"] = ([PY, "-m", "xlscore", "recalc", str(src), "-o", str(out)],
                                                  dict(here, XLSCORE_WRITER="openpyxl"))
    if before is not None:
        b = _env(before)
        cmds["xlscore check (before)"] = ([PY, "-m", "xlscore", "check", str(src)], b)
        cmds["xlscore recalc -o (before)"] = ([PY, "-m", "xlscore", "recalc", str(src), "-o", str(out)], b)
    lo = soffice_cmd(src, work / "lo")
    if lo is not None:
        cmds["LibreOffice headless recalc + save"] = (lo, env)
    return cmds


RATIOS = [  # (numerator, denominator)
    ("xlscore check", "python + openpyxl load"),
    ("xlscore recalc -o", "python + openpyxl load + save"),
    ("xlscore check", "LibreOffice headless recalc + save"),
    ("xlscore recalc -o", "LibreOffice headless recalc + save"),
    ("xlscore check", "python + light read (fastxlsx.read)"),
    ("python + light read (fastxlsx.read)", "python + openpyxl load"),
    ("xlscore check", "xlscore check (before)"),
    ("xlscore recalc -o", "xlscore recalc -o (before)"),
    ("xlscore check (before)", "python + openpyxl load"),
    ("xlscore recalc -o (before)", "python + openpyxl load + save"),
    ("xlscore check (before)", "LibreOffice headless recalc + save"),
    ("python + zip copy (floor of a patching writer)", "python + openpyxl load + save"),
    ("xlscore recalc -o", "xlscore recalc -o (openpyxl writer)"),
    ("xlscore recalc -o (openpyxl writer)", "python + openpyxl load + save"),
    ("xlscore recalc -o", "python + zip copy (floor of a patching writer)"),
]

# the writers compared (--only recalc): the package store, the openpyxl writer, a bare openpyxl load + save
RECALC_CMDS = ("python -c pass", "python + openpyxl load + save", "python + zip copy (floor of a patching writer)",
               "xlscore recalc -o", "xlscore recalc -o (openpyxl writer)")


def side_by_side(label: str, src: Path, rounds: int, tree: Path, before: Path | None,
                 only: tuple[str, ...] | None = None) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    cmds = commands(src, WORK, tree, before)
    if only is not None:
        cmds = {k: v for k, v in cmds.items() if k in only}
    if "LibreOffice headless recalc + save" in cmds:
        run_measured(*cmds["LibreOffice headless recalc + save"])      # warm the profile and the page cache
    times: dict[str, list[float]] = {k: [] for k in cmds}
    peaks: dict[str, int] = {k: 0 for k in cmds}
    codes: dict[str, set] = {k: set() for k in cmds}
    for i in range(rounds):
        order = list(cmds) if i % 2 == 0 else list(reversed(cmds))      # alternate, so no one always runs first
        for k in order:
            wall, peak, rc = run_measured(*cmds[k])
            times[k].append(wall)
            peaks[k] = max(peaks[k], peak)
            codes[k].add(rc)
    sheets = _sheet_count(src)
    print(f"({label}) {src.name}: {src.stat().st_size // 1024} KiB, {sheets} sheets; {rounds} rounds, medians")
    for k in cmds:
        print(f"    {k:<48} {statistics.median(times[k]) * 1000:9.0f} ms   peak {peaks[k]:5d} MiB"
              f"   exit {','.join(map(str, sorted(codes[k])))}")
    for a, b in RATIOS:
        if a in times and b in times:
            r = statistics.median(x / y for x, y in zip(times[a], times[b]))
            print(f"    {a} / {b}: {r:.3f}")


def _sheet_count(p: Path) -> int:
    with zipfile.ZipFile(p) as zf:
        return sum(1 for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))


# --------------------------------------------------------------------------- the benchmarks

def bench_sizes(rounds: int, tree: Path, before: Path | None, which: str = "abc") -> None:
    if "a" in which:
        side_by_side("a", make_forms(1, OUT / "one")[0], rounds, tree, before)
    if "b" in which:
        side_by_side("b", ROOT / "samples" / "changji_2024.xlsx", rounds, tree, before)
    if "c" in which:
        side_by_side("c", make_big(200, OUT / "unit_200_sheets.xlsx"), min(3, rounds), tree, before)


def bench_recalc(rounds: int, tree: Path, which: str = "abc") -> None:
    """recalc through the package store (the default) against the openpyxl writer (XLSCORE_WRITER=openpyxl) and a
    bare openpyxl load + save of the same file, whole processes, side by side."""
    if "a" in which:
        side_by_side("a", make_forms(1, OUT / "one")[0], rounds, tree, None, RECALC_CMDS)
    if "b" in which:
        side_by_side("b", ROOT / "samples" / "changji_2024.xlsx", rounds, tree, None, RECALC_CMDS)
    if "c" in which:
        side_by_side("c", make_big(200, OUT / "unit_200_sheets.xlsx"), min(3, rounds), tree, None, RECALC_CMDS)


# what the cached path cannot beat: one process that finds the files and loads each one's cached result (hash + JSON)
READ_CACHE = ("import sys; from pathlib import Path; from xlscore import batch\n"
              "paths = [str(p) for p in batch.discover(Path(sys.argv[1]))]\n"
              "hits = sum(r['cached'] for r in batch.run(paths, batch.BatchOptions(cache_dir=sys.argv[2], workers=1)))\n"
              "sys.exit(0 if hits == len(paths) else 3)\n")


def bench_batch(sizes: list[int], tree: Path, before: Path | None) -> None:
    print("batch: xlscore batch FOLDER -o summary.xlsx, default workers (one per core), no cache, then the same again "
          "with the cache warm; wall time, forms/s, peak RSS of the whole process tree (largest sum of VmRSS over "
          "the tree, /proc sampled every 0.1 s) and of the main process alone (its VmHWM, last sampled); then reading "
          "the warm cache alone (one process: discover, hash each file, load its cached result; no pool, no summary)")
    peaks: dict[str, list[tuple]] = {}
    for n in sizes:
        folder = OUT / f"forms_{n}"
        t = time.perf_counter()
        make_forms(n, folder)
        gen_s = time.perf_counter() - t
        trees = [("", tree)] + ([(" (before)", before)] if before is not None else [])
        for tag, tr in trees:
            summary = OUT / f"summary_{n}.xlsx"
            cache = OUT / f"cache_{n}"
            shutil.rmtree(cache, ignore_errors=True)
            cmd = [PY, "-m", "xlscore", "batch", str(folder), "-o", str(summary), "--cache-dir", str(cache)]
            wall, peak, _ = run_measured(cmd, _env(tr), poll=0.1)
            main = LAST["main"]
            wall2, peak2, _ = run_measured(cmd, _env(tr), poll=0.1)
            main2 = LAST["main"]
            wall3, _, rc3 = run_measured([PY, "-c", READ_CACHE, str(folder), str(cache)], _env(tr), poll=0.1)
            shutil.rmtree(cache, ignore_errors=True)
            peaks.setdefault(tag, []).append((n, peak, main, peak2, main2))
            print(f"    {n:>5} forms{tag:<9}: {wall:7.1f} s {n / wall:6.1f} forms/s  peak {peak:4d} MiB (main {main:4d})"
                  f"   | cached: {wall2:6.1f} s {n / wall2:6.1f} forms/s  peak {peak2:4d} MiB (main {main2:4d})"
                  f"   | reading the cache alone: {wall3:5.1f} s {n / wall3:6.1f} forms/s{' (not all hits!)' if rc3 else ''}   (inputs made in {gen_s:.0f} s)")
    for tag, pts in peaks.items():
        if len(pts) >= 2:
            (n0, *a), (n1, *b) = pts[0], pts[-1]
            grow = [(y - x) * 1024 / (n1 - n0) for x, y in zip(a, b)]
            print(f"    memory growth per form{tag}, {n0} → {n1} forms: tree {grow[0]:.1f} KiB, main {grow[1]:.1f} KiB "
                  f"| cached: tree {grow[2]:.1f} KiB, main {grow[3]:.1f} KiB")


def bench_profile_worker(n: int = 100) -> None:
    """Where one worker's time goes: summarize() (what a pool worker runs per file) over n generated forms, in
    process, after one warm-up file; plus what sending a result back costs (pickle + unpickle)."""
    import pickle
    from xlscore import batch
    paths = [str(p) for p in make_forms(1000, OUT / "forms_1000")][:n + 1]
    fp = batch.profile_fingerprint(None)
    batch.summarize(paths[0], fingerprint=fp)          # the engine built, the modules imported: as in a worker
    pr = cProfile.Profile()
    t = time.perf_counter()
    pr.enable()
    results = [batch.summarize(p, fingerprint=fp) for p in paths[1:]]
    pr.disable()
    wall = time.perf_counter() - t
    t = time.perf_counter()
    blobs = [pickle.dumps(r) for r in results]         # what multiprocessing sends back, and what the main undoes
    for b in blobs:
        pickle.loads(b)
    ipc = time.perf_counter() - t
    size = sum(map(len, blobs))
    print(f"(profile) one worker: summarize() of {n} forms in process, {wall / n * 1000:.1f} ms per form under "
          f"cProfile; a result is {size / n / 1024:.1f} KiB pickled, pickle + unpickle {ipc / n * 1000:.2f} ms")
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(22)
    print("\n".join(s.getvalue().splitlines()[:45]))


def bench_startup(tree: Path) -> None:
    src = make_forms(1, OUT / "one")[0]
    proc = subprocess.run([PY, "-X", "importtime", "-m", "xlscore", "check", str(src)], env=_env(tree),
                          capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = line[len("import time:"):].split("|")
            try:
                rows.append((int(parts[1]), int(parts[0]), parts[2].rstrip()))
            except ValueError:
                pass
    top = [r for r in rows if not r[2].startswith("  ")]          # top-level imports (one space before the name)
    total = sum(r[0] for r in top)
    print(f"startup: python -X importtime -m xlscore check <one form>: {total / 1000:.0f} ms of imports in all")
    for cum, own, name in sorted(top, reverse=True)[:12]:
        print(f"    {cum / 1000:7.1f} ms  {name.strip()}")
    mods = subprocess.run([PY, "-c", "import sys, runpy; sys.argv=['xlscore','check',sys.argv[1]];\n"
                           "try:\n    runpy.run_module('xlscore', run_name='__main__')\nexcept SystemExit: pass\n"
                           "print(' '.join(m for m in ('openpyxl','xlsxwriter','pandas','tomllib','python_calamine') "
                           "if m in sys.modules), file=sys.stderr)", str(src)], env=_env(tree), capture_output=True, text=True)
    print(f"    heavy modules imported by check: {mods.stderr.strip().splitlines()[-1] if mods.stderr.strip() else 'none'}")


def profile() -> None:
    from xlscore.engine import Engine
    src = make_big(200, OUT / "unit_200_sheets.xlsx")
    pr = cProfile.Profile()
    pr.enable()
    Engine().check_file(src)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(25)
    print("(profile) xlscore check of the 200-sheet workbook, top 25 by cumulative time")
    print("\n".join(s.getvalue().splitlines()[:60]))


def _mem_total() -> str:
    try:
        with open("/proc/meminfo") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal:")).split()[1])
        return f"MemTotal {kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        return "MemTotal unknown"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=("sizes", "recalc", "batch", "startup", "profile", "worker"))
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--which", default="abc", help="of the sizes: a (one form), b (13 sheets), c (200 sheets)")
    ap.add_argument("--before", default=None, help="another checkout of xlscore to run side by side (PYTHONPATH)")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    before = Path(args.before).resolve() if args.before else None
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {platform.platform()}, {os.cpu_count()} cores, "
          f"{_mem_total()}, Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at start")
    compile_trees(ROOT, before)
    print(f"xlscore runs from compiled bytecode (PYTHONPYCACHEPREFIX={PYCACHE.relative_to(ROOT)}), as installed")
    if args.only in (None, "startup"):
        bench_startup(ROOT)
    if args.only in (None, "sizes"):
        bench_sizes(args.rounds, ROOT, before, args.which)
    if args.only in (None, "recalc"):
        bench_recalc(args.rounds, ROOT, args.which)
    if args.only in (None, "batch"):
        bench_batch([int(x) for x in args.sizes.split(",")], ROOT, before)
    if args.only == "profile":
        profile()
    if args.only == "worker":
        bench_profile_worker()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
