"""Build the shipped Excel add-in, xlscore/addin/xlscore.xlam, the xlwings way.

    pip install "xlwings==0.37.8" pyOpenVBA && python scripts/build_addin.py

1. ``xlwings quickstart xlscore --addin --ribbon`` gives the skeleton: an .xlam whose ribbon calls VBA
   that runs Python through xlwings' ``RunPython`` (and a VBA module stamped with the xlwings version).
2. Its ribbon (customUI/customUI.xml, plain XML in the zip) is replaced by the xlscore tab with three
   buttons; its ribbon VBA module is replaced (pyOpenVBA writes VBA source without Excel) by three
   callbacks, each running one entry point of :mod:`xlscore.addin`.
Developers only: users get the built file inside the package.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "xlscore" / "addin" / "xlscore.xlam"
XLWINGS_VERSION = "0.37.8"

RIBBON = """<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
  <ribbon>
    <tabs>
      <tab id="xlscoreTab" label="xlscore">
        <group id="xlscoreGroup" label="预算绩效">
          <button id="xlscoreRecalc" label="重新计算" size="large" onAction="XlscoreRibbon.XlscoreRecalc" imageMso="CalculateNow"
                  screentip="重新计算完成率、得分、总分并写回，标出问题单元格" />
          <button id="xlscoreCheck" label="检查" size="large" onAction="XlscoreRibbon.XlscoreCheck" imageMso="ReviewShowMarkup"
                  screentip="只检查：生成“xlscore”报告表，不修改表格" />
          <button id="xlscoreTemplate" label="生成模板" size="large" onAction="XlscoreRibbon.XlscoreTemplate" imageMso="FileNew"
                  screentip="生成空白的项目支出绩效自评表模板" />
        </group>
      </tab>
    </tabs>
  </ribbon>
</customUI>
"""

VBA = '''Attribute VB_Name = "XlscoreRibbon"
' xlscore ribbon callbacks: each runs one entry point of the Python package xlscore.addin
' (errors are shown by Python as a message box in Chinese).

Sub XlscoreRecalc(control As IRibbonControl)
    RunPython "import xlscore.addin; xlscore.addin.recalc()"
End Sub

Sub XlscoreCheck(control As IRibbonControl)
    RunPython "import xlscore.addin; xlscore.addin.check()"
End Sub

Sub XlscoreTemplate(control As IRibbonControl)
    RunPython "import xlscore.addin; xlscore.addin.template()"
End Sub
'''


def main() -> int:
    import xlwings
    if xlwings.__version__ != XLWINGS_VERSION:
        raise SystemExit(f"build with xlwings=={XLWINGS_VERSION} (found {xlwings.__version__}): the VBA is stamped with it")
    from pyopenvba import ExcelFile
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, "-c", "from xlwings.cli import main; main()", "quickstart", "xlscore",
                        "--addin", "--ribbon"], cwd=d, check=True)
        skeleton = Path(d) / "xlscore" / "xlscore.xlam"
        ribboned = Path(d) / "ribbon.xlam"
        with zipfile.ZipFile(skeleton) as zin, zipfile.ZipFile(ribboned, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "customUI/customUI.xml":
                    data = RIBBON.encode("utf-8")
                zout.writestr(item, data)
        with ExcelFile(str(ribboned)) as wb:
            names = wb.module_names()
            old = next(n for n in names if n.startswith("Ribbon"))
            wb.vba_project().rename_module(old, "XlscoreRibbon")
            wb.set_module("XlscoreRibbon", VBA)
            wb.save(str(TARGET))
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
