"""The committed samples are what samples/generate.py makes from the corpus (they cannot drift)."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

from conftest import CORPUS, SAMPLES

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the checkout")


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: ({c.coordinate: (c.value, c.data_type) for row in ws.iter_rows() for c in row
                        if c.value is not None}, sorted(str(m) for m in ws.merged_cells.ranges))
            for ws in wb.worksheets}


def test_regenerated_samples_equal_committed(tmp_path):
    subprocess.run([sys.executable, str(SAMPLES / "generate.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("changji_2024.xlsx", "changji_2024_corrected.xlsx"):
        assert _cells(tmp_path / name) == _cells(SAMPLES / name), name
    assert json.loads((tmp_path / "changji_2024.layout.json").read_text(encoding="utf-8")) == \
        json.loads((SAMPLES / "changji_2024.layout.json").read_text(encoding="utf-8"))


def test_original_keeps_the_printed_values():
    layout = json.loads((SAMPLES / "changji_2024.layout.json").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(SAMPLES / "changji_2024.xlsx")
    forms = json.loads((CORPUS / "disclosure_changji_2024.forms.json").read_text(encoding="utf-8"))
    for f in layout["original"]:
        ws = wb[f["sheet"]]
        src = forms[f["form_index"]]
        target_col = f["columns"].get("目标值") or f["columns"]["预期指标值"]
        key = "目标值" if "目标值" in f["columns"] else "预期指标值"
        for ind, row in zip(src["indicators"], f["indicators"]):
            assert ws[f"{target_col}{row['row']}"].value == ind[key]
            assert ws[f"{target_col}{row['row']}"].data_type == "s"
