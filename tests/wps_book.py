"""A workbook file as the WPS object model would hold it, and as the WPS add-in posts it to the service.

``object_model(path)`` is the state the fake WPS object model of the JS tests (tests/js/fake_wps.js)
is built from — like tests/fake_xlwings.py, read from the file through openpyxl so it behaves like the
spreadsheet program where it matters: ``Value2`` gives numbers as doubles and dates as serial numbers,
a formula cell's ``Value2`` is its cached result and ``Formula`` its text, a constant's ``Formula`` is
its text. ``request_workbook(model)`` is what the add-in's reader (xlscore/wps/addin/js/xlscore.js)
posts from that state, written again in Python for the service tests.

    python tests/wps_book.py samples/changji_2024.xlsx > model.json     # for the node tests
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import openpyxl
from openpyxl.utils.datetime import to_excel


def _value2(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, dt.datetime):
        return float(to_excel(v))
    if isinstance(v, dt.date):
        return float(to_excel(dt.datetime(v.year, v.month, v.day)))
    if isinstance(v, dt.time):
        return float(to_excel(v))
    return str(v)


def _text(v):
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def object_model(path) -> dict:
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        cells = []
        for (r, c), cell in sorted(ws._cells.items()):
            entry = {"r": r, "c": c}
            if cell.value is not None:
                if cell.data_type == "f":
                    entry["formula"] = str(cell.value)
                    entry["value2"] = _value2(cached[ws.title].cell(r, c).value)
                else:
                    entry["value2"] = _value2(cell.value)
                    if cell.data_type == "e":
                        entry["text"] = str(cell.value)
            if cell.number_format != "General":
                entry["nf"] = cell.number_format
            if cell.fill is not None and cell.fill.fill_type == "solid" and isinstance(cell.fill.fgColor.rgb, str):
                entry["fill"] = cell.fill.fgColor.rgb[-6:].upper()
            if cell.comment is not None:
                entry["note"] = cell.comment.text
            if len(entry) > 2:
                cells.append(entry)
        sheets.append({"name": ws.title, "protected": bool(ws.protection.sheet), "password": "",
                       "visible": {"visible": -1, "hidden": 0, "veryHidden": 2}.get(ws.sheet_state, -1),
                       "cells": cells,
                       "merges": [[m.min_row, m.min_col, m.max_row, m.max_col] for m in ws.merged_cells.ranges]})
    return {"name": str(getattr(path, "name", path)).split("/")[-1], "path": str(path), "sheets": sheets}


def request_workbook(model: dict) -> dict:
    """What the add-in posts for a workbook in this state (api 1, README "WPS 服务的 JSON")."""
    sheets = []
    for s in model["sheets"]:
        cells = []
        for c in s["cells"]:
            out = {"r": c["r"], "c": c["c"]}
            if c.get("value2") not in (None, ""):
                out["v"] = c["value2"]
            if "formula" in c:
                out["f"] = c["formula"]
            out["t"] = c.get("text", _text(c.get("value2")))
            for k in ("nf", "fill", "note"):
                if k in c:
                    out[k] = c[k]
            if out["t"] == "":
                del out["t"]
            if len(out) > 2:
                cells.append(out)
        sheets.append({"name": s["name"], "protected": s["protected"], "visible": s["visible"], "cells": cells,
                       "merges": s["merges"]})
    return {"name": model["name"], "path": model["path"], "sheets": sheets}


if __name__ == "__main__":
    json.dump(object_model(sys.argv[1]), sys.stdout, ensure_ascii=False)
