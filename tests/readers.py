"""The two readers side by side: openpyxl's object model (xlscore.write.xlsx.load + restore + grids) and the light
reader (xlscore.read.fastxlsx). Used by tests/test_fast_reader.py and, for every workbook any test leaves in its
tmp_path, by the autouse fixture in conftest.py."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from xlscore.engine import OWN_SHEETS, Engine, has_form
from xlscore.errors import InputError
from xlscore.read import fastxlsx
from xlscore.report import FileResult
from xlscore.write import xlsx

TALLY: Counter = Counter()        # outcome → workbooks, for the closing summary of the test run
_ENGINE: list[Engine] = []


def engine() -> Engine:
    if not _ENGINE:
        _ENGINE.append(Engine())
    return _ENGINE[0]


def signature(grids) -> list:
    """Everything of a Grid the engine can see, types and order included."""
    return [(g.name, g.max_row, g.max_col, list(g.merges),
             [(pos, type(c.value).__name__, repr(c.value), type(c.cached).__name__, repr(c.cached), c.is_formula)
              for pos, c in g.cells.items()])
            for g in grids]


def _json(path: Path, grids) -> str:
    results = engine().analyse(grids)
    if not has_form(results):
        return "file-no-form"
    return json.dumps(FileResult(str(path), sheets=results).to_json(), ensure_ascii=False, sort_keys=False)


def openpyxl_grids(path: Path):
    wb, cached = xlsx.load(path)
    xlsx.restore(wb)
    return xlsx.grids(wb, cached, skip=OWN_SHEETS)


def compare(path: Path) -> str:
    """'same' (grids and check JSON identical through both readers), 'deferred' (the light reader leaves the file to
    openpyxl: fastxlsx.Defer), 'unreadable' (not a workbook either reader reads: both paths end in the same error);
    raises AssertionError on any difference."""
    path = Path(path)
    try:
        parts = xlsx.checked(path)          # as check reads: the parts validate inflated
        new = fastxlsx.read(parts if parts is not None else path, skip=OWN_SHEETS)
    except fastxlsx.Defer:            # check takes openpyxl's path, exactly as before: nothing to compare
        TALLY["deferred"] += 1
        return "deferred"
    except Exception:
        new = None
    try:
        old = openpyxl_grids(path)
    except InputError as exc:
        if new is None:
            TALLY["unreadable"] += 1
            return "unreadable"
        raise AssertionError(f"{path}: openpyxl cannot read it ({exc.code}) but the light reader can")
    assert new is not None, f"{path}: openpyxl reads it, the light reader fails (check would fall back, slower)"
    a, b = signature(old), signature(new)
    if a != b:
        raise AssertionError(f"{path}: the readers build different grids:\n{_first_difference(a, b)}")
    ja, jb = _json(path, old), _json(path, new)
    assert ja == jb, f"{path}: check JSON differs between the readers"
    TALLY["same"] += 1
    return "same"


def _first_difference(a, b) -> str:
    if len(a) != len(b):
        return f"sheets {[s[0] for s in a]} vs {[s[0] for s in b]}"
    for sa, sb in zip(a, b):
        if sa[:4] != sb[:4]:
            return f"sheet {sa[0]!r}: {sa[:4]} vs {sb[:4]}"
        for ca, cb in zip(sa[4], sb[4]):
            if ca != cb:
                return f"sheet {sa[0]!r}: {ca} vs {cb}"
        if len(sa[4]) != len(sb[4]):
            return f"sheet {sa[0]!r}: {len(sa[4])} cells vs {len(sb[4])}"
    return "?"
