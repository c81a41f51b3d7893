from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPUS = ROOT / "samples" / "source"   # the real documents the samples are made from, kept in the repository
sys.path.insert(0, str(Path(__file__).parent))


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, as a user runs it (python -m xlscore == the console script)."""
    e = dict(os.environ)
    e.pop("XLSCORE_LANG", None)
    e.pop("XLSCORE_DEBUG", None)
    e["PYTHONIOENCODING"] = "utf-8"
    if env:
        e.update(env)
    return subprocess.run([sys.executable, "-m", "xlscore", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=str(cwd or ROOT), env=e, timeout=300)


def cell_snapshot(path):
    """Per sheet: title, every non-empty cell's (value, type, number format), merged ranges — what a drift test
    compares between a regenerated workbook and the committed one."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    return [(ws.title,
             {c.coordinate: (c.value, c.data_type, c.number_format)
              for row in ws.iter_rows() for c in row if c.value is not None},
             sorted(str(m) for m in ws.merged_cells.ranges))
            for ws in wb.worksheets]


def run_json(*args: str) -> tuple[int, dict]:
    proc = run_cli(*args, "--format", "json")
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(autouse=True)
def _readers_agree(request):
    """Every workbook a test leaves in its tmp_path is read through both readers (openpyxl's and the light one) and
    must give the same grids and the same check JSON (tests/readers.py). Deferred and unreadable files are counted."""
    tmp = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    if tmp is None:
        return
    import readers
    for p in sorted(tmp.rglob("*.xls[xm]")):
        if p.is_file() and not p.name.startswith("~$") and p.stat().st_size < (8 << 20):
            readers.compare(p)


def pytest_terminal_summary(terminalreporter):
    readers = sys.modules.get("readers")
    if readers is not None and readers.TALLY:
        t = readers.TALLY
        terminalreporter.write_line(
            f"reader equivalence: {sum(t.values())} workbooks through both readers — {t['same']} identical grids and "
            f"check JSON, {t['deferred']} left to openpyxl by the light reader, {t['unreadable']} unreadable by both")
