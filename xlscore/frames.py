"""Batch results as pandas DataFrames, for analysts (``pip install "xlscore[pandas]"``).

>>> import xlscore
>>> fr = xlscore.batch_frames("收到的自评表/")          # a folder (recursively) or a list of files
>>> fr.sheets.groupby("unit")["total"].mean()          # one row per form (sheet)
>>> fr.findings.query("severity == 'error'")           # one row per finding
>>> fr.to_csv("out/")                                  # sheets.csv, findings.csv, level1.csv, unreadable.csv

The tables are the rows the summary workbook is written from (:func:`xlscore.tables.records`), and the
overview's pivots are computed here (:func:`pivots`) whenever pandas is installed. Only this module
imports pandas: ``xlscore check`` on one file never pays for it. ``xlscore.batch_frames`` (which runs the batch,
:func:`xlscore.batch.batch_frames`) returns a :class:`Frames`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import tables as _tables


@dataclass
class Frames:
    """``sheets``: one row per form (file, sheet, kind, variant, unit, project, budget, spent, rate, total, grade,
    errors, warnings, infos); ``findings``: one row per finding (file, sheet, cell, unit, project, severity, code,
    message, expected, found); ``level1``: one row per form and 一级 indicator (file, sheet, kind, level1 — the
    national framework's name or None —, name as printed, score, weight); ``unreadable``: file, reason."""
    sheets: pd.DataFrame
    findings: pd.DataFrame
    level1: pd.DataFrame
    unreadable: pd.DataFrame

    @classmethod
    def from_records(cls, forms: list[tuple], findings: list[tuple], level1: list[tuple],
                     unreadable: list[tuple]) -> "Frames":
        return cls(pd.DataFrame(forms, columns=list(_tables.FORM_COLUMNS)),
                   pd.DataFrame(findings, columns=list(_tables.FINDING_COLUMNS)),
                   pd.DataFrame(level1, columns=list(_tables.LEVEL1_COLUMNS)),
                   pd.DataFrame(unreadable, columns=list(_tables.UNREADABLE_COLUMNS)))

    @classmethod
    def from_results(cls, results: Iterable[dict]) -> "Frames":
        """From the summaries :func:`xlscore.batch.run` yields."""
        acc: dict[str, list[tuple]] = {"forms": [], "findings": [], "level1": [], "unreadable": []}
        for r in results:
            for k, v in _tables.records(r).items():
                acc[k].extend(v)
        return cls.from_records(acc["forms"], acc["findings"], acc["level1"], acc["unreadable"])

    def pivots(self) -> "_tables.Pivots":
        return pivots(self)

    def to_csv(self, folder: str | os.PathLike, encoding: str = "utf-8-sig") -> list[Path]:
        """Each table as a CSV file in *folder* (UTF-8 with BOM by default, so Excel shows the Chinese)."""
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in ("sheets", "findings", "level1", "unreadable"):
            p = out / f"{name}.csv"
            getattr(self, name).to_csv(p, index=False, encoding=encoding)
            written.append(p)
        return written


def pivots(fr: Frames) -> "_tables.Pivots":
    """The summary workbook's overview tables, computed from the DataFrames."""
    p = _tables.Pivots()
    s = fr.sheets
    if len(s):
        grades = (pd.crosstab(s["unit"], s["grade"]).reindex(columns=list(_tables.GRADES), fill_value=0)
                  .astype(int))
        grades["forms"] = s.groupby("unit").size()
        grades = grades.reset_index().sort_values(["forms", "unit"], ascending=[False, True])
        p.grades_by_unit = [(u, *map(int, rest)) for u, *rest in grades.itertuples(index=False)]
        by = s.groupby("unit").agg(forms=("sheet", "size"), errors=("errors", "sum"), warnings=("warnings", "sum"),
                                   mean=("total", "mean")).reset_index()
        by = by.sort_values(["errors", "warnings", "unit"], ascending=[False, False, True])
        p.by_unit = [(u, int(n), int(e), int(w), None if pd.isna(m) else round(float(m), 2))
                     for u, n, e, w, m in by.itertuples(index=False)]
        sa = s[(s["kind"] == "self_assessment") & s["rate"].notna() & s["total"].notna()]
        p.spread = [(float(a), float(b)) for a, b in zip(sa["rate"], sa["total"])]
    l1 = fr.level1
    l1 = l1[l1["level1"].notna() & (l1["weight"] > 0)] if len(l1) else l1
    for kind, names in _tables.FRAMEWORK_LEVEL1.items():
        k = l1[l1["kind"] == kind] if len(l1) else l1
        if not len(k):
            continue
        g = k.assign(form=k["file"] + "\0" + k["sheet"]).groupby("level1").agg(
            score=("score", "sum"), weight=("weight", "sum"), forms=("form", "nunique"))
        p.level1[kind] = [(n, round(float(g.at[n, "score"] / g.at[n, "weight"]), 6), int(g.at[n, "forms"]))
                          for n in names if n in g.index]
    f = fr.findings
    if len(f):
        c = f.groupby(["code", "severity"]).agg(count=("file", "size"), files=("file", "nunique")).reset_index()
        c = c.sort_values(["count", "code", "severity"], ascending=[False, True, True])
        p.by_code = [(code, sev, int(n), int(nf)) for code, sev, n, nf in c.itertuples(index=False)]
    return p


__all__ = ["Frames", "pivots"]
