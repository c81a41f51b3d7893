"""The report: plain data that the CLI, the add-in and batch mode all render.

``Report.to_json()`` is the JSON contract of ``xlscore check --format json`` (README, "JSON output");
keep it stable: scripts depend on it.
"""

from __future__ import annotations

import datetime as _dt
import math
from .records import dataclass, field
from typing import Any

from .version import __version__

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Finding:
    code: str
    severity: str
    sheet: str
    cell: str | None
    message: str
    expected: Any = None
    found: Any = None
    rule: str | None = None
    title: str = ""
    row: int | None = None
    col: int | None = None

    def to_json(self) -> dict:
        return {
            "cell": self.cell,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "expected": jsonable(self.expected),
            "found": jsonable(self.found),
            "rule": self.rule,
        }


@dataclass
class SheetResult:
    name: str
    kind: str                                  # self_assessment | targets | scoring | unknown
    forms: list = field(default_factory=list)  # xlscore.model.Form (not serialised)
    total: float | None = None
    grade: str | None = None
    findings: list[Finding] = field(default_factory=list)
    form_name: str = ""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "total": None if self.total is None else round(self.total, 4),
            "grade": self.grade,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass
class FileResult:
    path: str
    error: str | None = None
    sheets: list[SheetResult] = field(default_factory=list)
    output: str | None = None      # where recalc wrote (None for check)
    output_note: str | None = None
    notes: list[str] = field(default_factory=list)     # warnings about the file itself (stderr, not in the JSON)

    def count(self, severity: str) -> int:
        return sum(1 for s in self.sheets for f in s.findings if f.severity == severity)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.sheets for f in s.findings]

    def to_json(self) -> dict:
        return {"path": self.path, "error": self.error, "sheets": [s.to_json() for s in self.sheets]}


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"xlscore": __version__, "files": [f.to_json() for f in self.files]}

    @property
    def has_errors(self) -> bool:
        return any(f.count("error") for f in self.files)

    @property
    def has_unreadable(self) -> bool:
        return any(f.error for f in self.files)


def position(f: Finding) -> tuple:
    """The order findings are listed in on a sheet: by cell (row, column), errors before warnings before infos."""
    return (f.row or 0, f.col or 0, SEVERITY_RANK[f.severity])


def has_form(results: list[SheetResult]) -> bool:
    """Did any sheet hold a form xlscore reads (a file with none is refused: file-no-form)?"""
    return any(r.kind != "unknown" for r in results)


def jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return round(v, 6) if math.isfinite(v) else str(v)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return str(v)
