"""Batch results as four tables of plain rows (forms, findings, level1, unreadable) and the overview's pivots.

:func:`records` turns one summarised file (:func:`xlscore.batch.summarize`) into rows of the tables; the summary
workbook (:mod:`xlscore.batch`) and the DataFrames (:mod:`xlscore.frames`) are both built from them. The pivots are
computed here without pandas (:func:`pivots_plain`) and in :func:`xlscore.frames.pivots` from DataFrames; a test
holds the two equal.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

# The national framework's 一级 names, per kind of form: an evaluator's scoring table (财预〔2020〕10号) and a
# self-assessment (财预〔2021〕101号). A level-1 name is counted under the one of these it names; anything
# else (a local 一级 such as 履职效能, a 二级 name in the 一级 column) stays out of the level-1 charts.
FRAMEWORK_LEVEL1 = {"scoring": ("决策", "过程", "产出", "效益"), "self_assessment": ("产出", "效益", "满意度", "成本")}
GRADES = ("优", "良", "中", "差")
FORM_COLUMNS = ("file", "sheet", "kind", "variant", "unit", "project", "budget", "spent", "rate", "total", "grade",
                "errors", "warnings", "infos")
FINDING_COLUMNS = ("file", "sheet", "cell", "unit", "project", "severity", "code", "message", "expected", "found")
LEVEL1_COLUMNS = ("file", "sheet", "kind", "level1", "name", "score", "weight")
UNREADABLE_COLUMNS = ("file", "reason")


def form_kind(f: dict) -> str:
    return "scoring" if f.get("variant") == "scoring" else "self_assessment"


@functools.lru_cache(maxsize=1024)      # a batch asks for the same few names once per form
def framework_level1(name: str, kind: str) -> str | None:
    """The framework 一级 name *name* stands for (产出指标 → 产出), or None."""
    import re
    bare = re.sub(r"[（(][^）)]*[）)]", "", name or "")                      # 决策（20分）
    bare = re.sub(r"^[\s\dA-Za-z一二三四五六七八九十、.．:：]+", "", bare)      # 一、决策 / A1 决策
    bare = re.sub(r"[\d.]+\s*分?$", "", bare).strip()                        # 决策20分
    bare = bare.removesuffix("指标").removesuffix("类")
    return bare if bare in FRAMEWORK_LEVEL1[kind] else None


def records(r: dict, file: Any = None) -> dict[str, list[tuple]]:
    """One summarised file as rows of the four tables (forms, findings, level1, unreadable); plain tuples
    in the order of the *_COLUMNS above, so the summary workbook (:mod:`xlscore.batch`) and :mod:`xlscore.frames` share them.
    *file*: what the first column holds (default: the file's path; the store gives its row id)."""
    out: dict[str, list[tuple]] = {"forms": [], "findings": [], "level1": [], "unreadable": []}
    path = r["path"] if file is None else file
    if r["error"]:
        out["unreadable"].append((path, r["error"]))
        return out
    info = {}
    for f in r["forms"]:
        kind = form_kind(f)
        info[f["sheet"]] = f
        out["forms"].append((path, f["sheet"], kind, f["variant"], f["unit"] or "—", f["project"], f["budget"],
                             f["spent"], f["rate"], f["total"], f["grade"] or "", f["errors"], f["warnings"],
                             f["infos"]))
        for name, (score, weight) in f["level1"].items():
            out["level1"].append((path, f["sheet"], kind, framework_level1(name, kind), name, score, weight))
    for s in r["report"]["sheets"]:
        meta = info.get(s["name"], {})
        for x in s["findings"]:
            out["findings"].append((path, s["name"], x["cell"] or "", meta.get("unit") or "—",
                                    meta.get("project", ""), x["severity"], x["code"], x["message"],
                                    plain_value(x["expected"]), plain_value(x["found"])))
    return out


@dataclass
class Pivots:
    """What the summary's overview shows, as plain rows (the same whether pandas computed them or not)."""
    grades_by_unit: list[tuple] = field(default_factory=list)    # unit, 优, 良, 中, 差, forms — most forms first
    level1: dict = field(default_factory=dict)                   # kind → [(一级, mean score rate, forms)]
    by_unit: list[tuple] = field(default_factory=list)           # unit, forms, errors, warnings, mean total
    by_code: list[tuple] = field(default_factory=list)           # code, severity, count, files
    spread: list[tuple] = field(default_factory=list)            # (rate, total) of the self-assessments


def pivots_plain(forms: list[tuple], findings: list[tuple], level1: list[tuple]) -> Pivots:
    """The pivots without pandas (xlscore's core has no pandas); :func:`xlscore.frames.pivots` computes the
    same from DataFrames, and a test holds the two equal."""
    p = Pivots()
    units: dict = {}
    for f in forms:
        u = units.setdefault(f[4], {"n": 0, "e": 0, "w": 0, "t": [], **{g: 0 for g in GRADES}})
        u["n"] += 1
        u["e"] += f[11]
        u["w"] += f[12]
        if f[9] is not None:
            u["t"].append(f[9])
        if f[10] in GRADES:
            u[f[10]] += 1
    p.grades_by_unit = sorted(((k, *(v[g] for g in GRADES), v["n"]) for k, v in units.items()),
                              key=lambda t: (-t[-1], t[0]))
    p.by_unit = sorted(((k, v["n"], v["e"], v["w"], round(sum(v["t"]) / len(v["t"]), 2) if v["t"] else None)
                        for k, v in units.items()), key=lambda t: (-t[2], -t[3], t[0]))
    for kind, names in FRAMEWORK_LEVEL1.items():
        acc = {n: [0.0, 0.0, set()] for n in names}
        for row in level1:
            if row[2] == kind and row[3] in acc and row[6]:
                a = acc[row[3]]
                a[0] += row[5]
                a[1] += row[6]
                a[2].add((row[0], row[1]))
        rows = [(n, round(a[0] / a[1], 6), len(a[2])) for n, a in acc.items() if a[1]]
        if rows:
            p.level1[kind] = rows
    codes: dict = {}
    for x in findings:
        c = codes.setdefault((x[6], x[5]), [0, set()])
        c[0] += 1
        c[1].add(x[0])
    p.by_code = sorted(((code, sev, n, len(fs)) for (code, sev), (n, fs) in codes.items()),
                       key=lambda t: (-t[2], t[0], t[1]))
    p.spread = [(f[8], f[9]) for f in forms if f[2] == "self_assessment" and f[8] is not None and f[9] is not None]
    return p


def plain_value(v: Any) -> Any:
    """A finding's expected/found as one table cell: lists and mappings as JSON, None as empty."""
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else ("" if v is None else v)
