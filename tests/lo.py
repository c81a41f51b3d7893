"""LibreOffice headless as a real spreadsheet program in tests (excel-stack.md).

``recalc_copy(src, outdir)`` converts *src* to xlsx with a fresh profile that forces a full
recalculation on load, so openpyxl ``data_only=True`` then reads what Calc computed and shows.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")


def convert(src: Path, outdir: Path, fmt: str = "xlsx", timeout: int = 180) -> Path:
    """Open *src* in LibreOffice headless and save it as *fmt* into *outdir*; return the new file."""
    assert SOFFICE, "soffice missing"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        user = Path(prof) / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(XCU, encoding="utf-8")
        outdir.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{prof}",
             "--convert-to", fmt, "--outdir", str(outdir), str(src)],
            capture_output=True, text=True, timeout=timeout)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    if proc.returncode != 0 or not out.exists():
        raise AssertionError(f"LibreOffice failed on {src}: rc={proc.returncode} {proc.stdout} {proc.stderr}")
    return out


def sheet_csv(src: Path, outdir: Path, sheet: str, timeout: int = 180) -> list[list[str]]:
    """One sheet of *src* as LibreOffice shows it (its displayed text), read back through a CSV export."""
    import csv

    import openpyxl
    names = openpyxl.load_workbook(src, read_only=True).sheetnames
    index = names.index(sheet) + 1
    assert SOFFICE, "soffice missing"
    fmt = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,{index}"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        user = Path(prof) / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(XCU, encoding="utf-8")
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{prof}",
                        "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                       capture_output=True, text=True, timeout=timeout)
    found = sorted(outdir.glob(src.stem + "*.csv"))
    assert found, f"LibreOffice wrote no CSV for {src}"
    with open(found[0], encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh)]


def report_only(workbook: Path, dst: Path, sheet: str = "xlscore") -> Path:
    """A copy of *workbook* with only its *sheet* (the report), for LibreOffice to read on its own."""
    import openpyxl
    wb = openpyxl.load_workbook(workbook)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    wb.save(dst)
    return dst
