"""Kill test (issue 14, item 6): `xlscore recalc` on a copy of the sample is sent SIGTERM, SIGINT or SIGKILL at
random moments. The workbook is always byte-equal to the old one or a complete new one; SIGTERM and SIGINT
leave no temp file; what SIGKILL leaves is swept by the next run."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "changji_2024.xlsx"
TRIALS = {signal.SIGTERM: 12, signal.SIGINT: 10, signal.SIGKILL: 10}     # 32 in all, ~20–40 s on 2 cores
SEED = 20241201


def _env():
    e = dict(os.environ)
    e.pop("XLSCORE_LANG", None)
    e.pop("XLSCORE_DEBUG", None)
    e["PYTHONIOENCODING"] = "utf-8"
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def _start(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "xlscore", "recalc", str(path)], cwd=str(ROOT), env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _values(path: Path):
    wb = openpyxl.load_workbook(path)
    return [(ws.title, [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None])
            for ws in wb.worksheets]


def _temps(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".") and ".xlsx" in n)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("ref")
    p = d / "form.xlsx"
    shutil.copyfile(SAMPLE, p)
    t0 = time.monotonic()
    proc = _start(p)
    write_from = None
    while proc.poll() is None:           # when the temp file appears: the write window runs from then to the end
        if write_from is None and _temps(d):
            write_from = time.monotonic()
        time.sleep(0.002)
    duration = time.monotonic() - t0
    assert proc.returncode == 1, proc.stderr.read()
    window = time.monotonic() - write_from if write_from is not None else 0.1
    return {"values": _values(p), "duration": duration, "window": max(window, 0.02)}


def _trial(folder: Path, sig: int, delay: float, reference, at_write: bool) -> dict:
    """*at_write*: count *delay* from the moment the temp file appears (the write window), else from the start."""
    p = folder / "form.xlsx"
    shutil.copyfile(SAMPLE, p)
    old = p.read_bytes()
    proc = _start(p)
    if at_write:
        while proc.poll() is None and not _temps(folder):
            time.sleep(0.002)
    time.sleep(delay)
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(120)
    err = proc.stderr.read().decode("utf-8", "replace")
    now = p.read_bytes()
    out = {"signal": sig, "delay": delay, "rc": proc.returncode, "changed": now != old,
           "temps": _temps(folder), "err": err}
    if now != old:                       # then it must be the whole new workbook
        with zipfile.ZipFile(p) as zf:
            assert zf.testzip() is None
        assert _values(p) == reference["values"], "a partly written workbook"
    assert "Traceback" not in err, err
    return out


def test_killed_recalc_leaves_the_old_or_the_new_workbook(tmp_path, reference):
    rng = random.Random(SEED)
    t = reference["duration"]
    # half at any moment of the run, half in the write window (from the temp file's appearance to the rename)
    w = reference["window"]     # the write window of this machine's run (the package writer makes it short)
    jobs = [(sig, rng.uniform(0, 0.9 * w), True) if i % 2 else (sig, rng.uniform(0.15 * t, 1.1 * t), False)
            for sig, n in TRIALS.items() for i in range(n)]
    rng.shuffle(jobs)
    results: list[dict] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(k: int, mine):
        folder = tmp_path / f"w{k}-{{}}"
        for i, (sig, delay, at_write) in enumerate(mine):
            d = Path(str(folder).format(f"{sig.name}-{i}"))
            d.mkdir()
            try:
                r = _trial(d, sig, delay, reference, at_write)
            except BaseException as exc:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(exc)
                return
            with lock:
                results.append({**r, "dir": d})

    threads = [threading.Thread(target=worker, args=(k, jobs[k::2])) for k in range(2)]
    t0 = time.monotonic()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.monotonic() - t0
    assert not errors, errors[0]
    assert len(results) == sum(TRIALS.values()) >= 30
    for r in results:
        if r["signal"] in (signal.SIGTERM, signal.SIGINT):
            assert r["temps"] == [], r
            assert r["rc"] in (0, 1, 130, 143, -signal.SIGTERM, -signal.SIGINT), r
    # SIGKILL can leave a temp file: the next run in that folder sweeps it
    killed = [r for r in results if r["signal"] == signal.SIGKILL and r["temps"]]
    for r in killed:
        proc = _start(r["dir"] / "form.xlsx")
        proc.wait(120)
        assert proc.returncode == 1
        assert _temps(r["dir"]) == [], r
    interrupted = sum(1 for r in results if r["rc"] not in (0, 1))
    print(f"\nkill test: {len(results)} trials in {elapsed:.1f} s, {interrupted} interrupted, "
          f"{sum(r['changed'] for r in results)} wrote the new workbook, {len(killed)} SIGKILL leftovers swept")
    assert interrupted >= len(results) // 2, "the signals should mostly land before the run ends"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_batch_recalc_ends_promptly_without_temp_files(tmp_path, sig):
    """The pool's workers inherit the handlers: stopping the batch must neither hang nor leave temp files."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        shutil.copyfile(SAMPLE, folder / f"f{i}.xlsx")
    old = SAMPLE.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "xlscore", "batch", str(folder), "--recalc", "--workers", "2",
                             "--no-cache", "-o", str(tmp_path / "s.xlsx")], cwd=str(ROOT), env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while proc.poll() is None and not _temps(folder) and time.monotonic() < deadline:
        time.sleep(0.005)
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(60)                      # raises TimeoutExpired on a hang
    assert "Traceback" not in proc.stderr.read().decode("utf-8", "replace")
    assert _temps(folder) == [] and _temps(tmp_path) == []
    for p in folder.iterdir():
        if p.read_bytes() != old:
            assert _values(p)[0][0] == "整体" and "xlscore_state" in openpyxl.load_workbook(p).sheetnames
