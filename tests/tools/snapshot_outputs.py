"""Record what xlscore prints for a fixed set of workbooks, to compare two versions of the package byte for byte.

    python3 tests/tools/snapshot_outputs.py --root DIR --out SNAPDIR [--field FIELDDIR]
    python3 tests/tools/snapshot_outputs.py --compare BASE_ROOT [--field FIELDDIR]

Every command runs with ``PYTHONPATH=DIR`` (the package under test; ``PYTHONSAFEPATH=1`` keeps the working folder off
``sys.path``) from this repository's folder, so the input paths, and the paths the JSON prints, are the same for both
versions:

- ``check --format json`` of every ``samples/*.xlsx``, ``templates/*.xlsx`` and field-corpus workbook
  (``tests/field/build.py --out FIELDDIR``; built here when FIELDDIR is empty);
- ``check --format json --targets …`` of the self-assessment samples against the targets template and the field
  corpus's 绩效目标表 workbooks (the cross-sheet comparison), including a --targets workbook with no targets form;
- ``recalc --format json -o …`` of every sample, with the written workbook dumped cell by cell (value, number
  format, fill, comment) and the report sheet;
- ``tests/field/runner.py --json`` (the copy under DIR: it puts its own repository first on sys.path).

One file per command in SNAPDIR: the command line, the exit code, stdout and stderr. ``--compare`` records the
current tree and BASE_ROOT into temporary folders and lists the commands whose output differs (exit 1 if any).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

DUMP = r"""
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    cells = []
    for (r, c), cell in sorted(ws._cells.items()):
        com = cell.comment
        fill = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None
        if cell.value is None and com is None and fill is None:
            continue
        cells.append([r, c, repr(cell.value), cell.number_format, repr(fill), com.text if com else None])
    out[ws.title] = {"state": ws.sheet_state, "cells": cells}
print(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=True))
"""


def commands(field: Path, scratch: Path) -> list[tuple[str, list[str]]]:
    py = sys.executable
    cli = [py, "-m", "xlscore"]
    out: list[tuple[str, list[str]]] = []
    books = sorted(REPO.glob("samples/*.xlsx")) + sorted(REPO.glob("templates/*.xlsx")) + sorted(field.glob("*.xlsx"))
    for b in books:
        rel = os.path.relpath(b, REPO)
        out.append((f"check:{rel}", cli + ["check", "--format", "json", rel]))
    targets = [os.path.relpath(p, REPO) for p in sorted(REPO.glob("templates/绩效目标表.xlsx"))]
    field_targets = sorted(p for p in field.glob("*.xlsx") if _kind(p) == "targets" and ".corrected" not in p.name)
    selfs = [os.path.relpath(p, REPO) for p in sorted(REPO.glob("samples/*.xlsx"))]
    for s in selfs:
        out.append((f"targets-template:{s}", cli + ["check", "--format", "json", s, "--targets", targets[0]]))
    field_selfs = sorted(p for p in field.glob("*.xlsx") if _kind(p) == "self_assessment")
    for t in field_targets:
        for s in field_selfs[:3]:
            out.append((f"targets-field:{s.name}:{t.name}", cli + ["check", "--format", "json", str(s), "--targets", str(t)]))
    out.append(("targets-none", cli + ["check", "--format", "json", selfs[0], "--targets", selfs[1]]))
    out.append(("targets-missing", cli + ["check", "--format", "json", selfs[0], "--targets", "no-such.xlsx"]))
    for i, s in enumerate(selfs):
        target = str(scratch / f"recalc{i}.xlsx")
        out.append((f"recalc:{s}", cli + ["recalc", "--format", "json", s, "-o", target]))
        out.append((f"dump:{s}", [py, "-c", DUMP, target]))
    return out


_KINDS: dict[str, str] = {}


def _kind(p: Path) -> str:
    if not _KINDS:
        for kind in ("selfassess", "scoring", "targets"):
            for j in (REPO / "tests" / "field" / kind).glob("*.json"):
                _KINDS[j.stem] = {"selfassess": "self_assessment"}.get(kind, kind)
    return _KINDS.get(p.name.split(".")[0], "")


def record(root: Path, out: Path, field: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # PYTHONSAFEPATH: `python -m` and `-c` would put the working folder (this repository) ahead of PYTHONPATH
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONSAFEPATH="1", XLSCORE_LANG="zh", COLUMNS="100")
    env.pop("XLSCORE_DEBUG", None)
    scratch = Path(tempfile.mkdtemp(prefix="xlscore-snap-"))
    cmds = commands(field, scratch)

    def run(cmd: list[str]) -> str:
        p = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        shown = " ".join(cmd[1:]).replace(str(scratch), "SCRATCH").replace(str(root), "ROOT")
        return f"$ {shown}\nrc={p.returncode}\n--- stdout\n{p.stdout}\n--- stderr\n{p.stderr}"

    # recalc then dump must run in order: the pairs run in one thread, everything else in parallel
    jobs = []
    i = 0
    while i < len(cmds):
        if cmds[i][0].startswith("recalc:"):
            jobs.append([cmds[i], cmds[i + 1]])
            i += 2
        else:
            jobs.append([cmds[i]])
            i += 1

    def run_job(job):
        return [(name, run(cmd)) for name, cmd in job]

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = [r for rs in pool.map(run_job, jobs) for r in rs]
    runner = root / "tests" / "field" / "runner.py"
    results.append(("field-runner", run([sys.executable, str(runner), "--json"])))
    for n, (name, text) in enumerate(results):
        safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)
        (out / f"{n:03d}-{safe}.txt").write_text(text, encoding="utf-8")
    (out / "index.json").write_text(json.dumps([name for name, _ in results], ensure_ascii=False, indent=0),
                                    encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=REPO, help="the package root put on PYTHONPATH")
    ap.add_argument("--out", type=Path, help="folder for the snapshot")
    ap.add_argument("--field", type=Path, help="folder of the built field corpus (built when missing or empty)")
    ap.add_argument("--compare", type=Path, metavar="BASE_ROOT", help="record this tree and BASE_ROOT, list differences")
    a = ap.parse_args()
    field = a.field or Path(tempfile.mkdtemp(prefix="xlscore-field-"))
    if not any(field.glob("*.xlsx")):
        subprocess.run([sys.executable, str(REPO / "tests" / "field" / "build.py"), "--out", str(field)], check=True,
                       env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True)
    if a.compare is None:
        if a.out is None:
            ap.error("--out or --compare")
        record(a.root.resolve(), a.out, field)
        return 0
    base, new = Path(tempfile.mkdtemp(prefix="xlscore-base-")), Path(tempfile.mkdtemp(prefix="xlscore-new-"))
    record(a.compare.resolve(), base, field)
    record(a.root.resolve(), new, field)
    return report(base, new)


def report(base: Path, new: Path) -> int:
    names = sorted({p.name for p in base.iterdir()} | {p.name for p in new.iterdir()})
    _, mismatch, errors = filecmp.cmpfiles(base, new, names, shallow=False)
    for n in mismatch + errors:
        print("differs:", n)
    print(f"{len(names) - 1} commands, {len(mismatch) + len(errors)} differ ({base} vs {new})")
    return 1 if mismatch or errors else 0


if __name__ == "__main__":
    sys.exit(main())
