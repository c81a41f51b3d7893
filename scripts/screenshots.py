"""Render the shipped templates, the sample's report sheet and a batch summary to PNG for the README:
LibreOffice headless → PDF → PNG (first page).

    pip install pypdfium2 pillow && python scripts/screenshots.py

Needs ``soffice`` and a CJK font (Debian: ``apt-get install fonts-wqy-microhei``); the templates ask for
宋体, which LibreOffice replaces with the CJK font it has. Writes docs/images/template-<name>.png.
Developers only; the PNGs are committed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from xlscore.templates import TEMPLATES  # noqa: E402

OUT = ROOT / "docs" / "images"


def render(xlsx: Path, png: Path, scale: float = 1.6) -> None:
    import pypdfium2 as pdfium
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("soffice not found: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "t.xlsx"
        shutil.copy(xlsx, src)
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=180)
        pdf = pdfium.PdfDocument(str(Path(tmp) / "t.pdf"))
        image = pdf[0].render(scale=scale).to_pil()
        # crop the blank page margin below the table
        bbox = image.convert("L").point(lambda v: 0 if v > 250 else 255).getbbox()
        if bbox:
            pad = 12
            image = image.crop((max(0, bbox[0] - pad), max(0, bbox[1] - pad),
                                min(image.width, bbox[2] + pad), min(image.height, bbox[3] + pad)))
        png.parent.mkdir(parents=True, exist_ok=True)
        image.save(png, optimize=True)


def report_and_summary() -> None:
    """docs/images/report-sheet.png (the recalculated sample's xlscore sheet alone) and batch-summary.png
    (the summary of the samples folder's forms: its 汇总 sheet is the first page)."""
    import openpyxl
    env = dict(__import__("os").environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "收到的自评表"
        folder.mkdir()
        for name in ("changji_2024.xlsx", "changji_2024_corrected.xlsx", "donghu_2022.xlsx", "meizhou_2021.xlsx"):
            shutil.copy(ROOT / "samples" / name, folder / name)
        summary = Path(tmp) / "汇总.xlsx"
        subprocess.run([sys.executable, "-m", "xlscore", "batch", folder.name, "-o", str(summary), "--no-cache"],
                       env=env, capture_output=True, timeout=600, cwd=tmp)
        render(summary, OUT / "batch-summary.png", scale=1.3)
        form = folder / "changji_2024.xlsx"
        subprocess.run([sys.executable, "-m", "xlscore", "recalc", str(form)], env=env, capture_output=True, timeout=600)
        wb = openpyxl.load_workbook(form)
        for name in wb.sheetnames:
            if name != "xlscore":
                del wb[name]
        only = Path(tmp) / "report.xlsx"
        wb.save(only)
        render(only, OUT / "report-sheet.png", scale=1.3)
    print(OUT / "batch-summary.png")
    print(OUT / "report-sheet.png")


def main() -> None:
    for t in TEMPLATES.values():
        png = OUT / f"template-{t.name}.png"
        render(ROOT / "templates" / t.filename, png)
        print(png)
    report_and_summary()


if __name__ == "__main__":
    main()
