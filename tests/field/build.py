"""Build the field corpus (tests/field/*/<id>.json, see README.md there) into .xlsx workbooks.

    python tests/field/build.py --out DIR          # <id>.xlsx and <id>.corrected.xlsx for every form
    python tests/field/build.py --check            # validate every JSON file, build nothing

Each workbook holds one sheet, laid out as the form was printed: ``rows`` cell by cell from A1, ``merges`` merged,
text kept as text (a value like ``=100%`` stays a string, never becomes a formula). The corrected twin is the same
sheet with ``corrected.cells`` applied. Nothing here uses xlscore: the workbooks are what a clerk's Excel would hold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"selfassess": "self_assessment", "scoring": "scoring", "targets": "targets"}
LEVELS = {"central", "province", "city", "county"}
SHEET_TITLE = {"self_assessment": "自评表", "scoring": "评分表", "targets": "目标表"}
_REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]*)$")


class FormatError(ValueError):
    pass


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if not m:
        raise FormatError(f"not a cell address: {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


def parse_range(rng: str) -> tuple[int, int, int, int]:
    a, _, b = rng.partition(":")
    r1, c1 = parse_ref(a)
    r2, c2 = parse_ref(b or a)
    if r2 < r1 or c2 < c1:
        raise FormatError(f"range runs backwards: {rng!r}")
    return r1, c1, r2, c2


def load_forms(kind: str | None = None, root: Path = HERE) -> list[dict]:
    """Every form of the corpus (validated), sorted by folder and id; *kind* one of KINDS' values."""
    forms = []
    for folder, k in KINDS.items():
        if kind and k != kind:
            continue
        for path in sorted((root / folder).glob("*.json")):
            form = json.loads(path.read_text(encoding="utf-8"))
            try:
                validate(form, folder, path.stem)
            except FormatError as exc:
                raise FormatError(f"{path.relative_to(root)}: {exc}") from None
            form["_path"] = str(path)
            forms.append(form)
    return forms


def _kept_document(path) -> bool:
    """A published document the repository keeps a copy of (samples/source/, with PROVENANCE.md)."""
    root = Path(__file__).resolve().parents[2]
    return isinstance(path, str) and path.startswith("samples/source/") and (root / path).is_file()


def validate(form: dict, folder: str, stem: str) -> None:
    for key in ("id", "kind", "source", "province", "level", "year", "complete", "rows"):
        if key not in form:
            raise FormatError(f"missing key {key!r}")
    if form["id"] != stem:
        raise FormatError(f"id {form['id']!r} differs from the file name {stem!r}")
    if form["kind"] != KINDS[folder]:
        raise FormatError(f"kind {form['kind']!r} in folder {folder}/ (expected {KINDS[folder]!r})")
    if not isinstance(form["source"], dict) or not (str(form["source"].get("url", "")).startswith("http")
                                                   or _kept_document(form["source"].get("document"))):
        raise FormatError("source.url must be the address the form was published at (or source.document a copy of "
                          "the published document kept under samples/source/)")
    if form["level"] not in LEVELS:
        raise FormatError(f"level {form['level']!r} not one of {sorted(LEVELS)}")
    if not isinstance(form["year"], int) or not 2015 <= form["year"] <= 2026:
        raise FormatError(f"year {form['year']!r}")
    rows = form["rows"]
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise FormatError("rows must be a non-empty list of lists")
    for r in rows:
        for v in r:
            if v is not None and not isinstance(v, (str, int, float)):
                raise FormatError(f"cell value {v!r} is neither text, a number nor null")
    spans = [parse_range(m) for m in form.get("merges", [])]
    for i, a in enumerate(spans):
        for b in spans[i + 1:]:
            if a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]:
                raise FormatError(f"merges overlap: {form['merges'][i]} and another")
    for an in form.get("anomalies", []):
        if "cell" not in an or "what" not in an:
            raise FormatError(f"an anomaly needs 'cell' and 'what': {an!r}")
        parse_ref(an["cell"])
        if an.get("severity", "error") not in ("error", "warning"):
            raise FormatError(f"anomaly severity {an['severity']!r}")
    corrected = form.get("corrected")
    if corrected is None:
        raise FormatError("missing 'corrected' (use {\"cells\": {}} and the hand total for a consistent form)")
    for ref in corrected.get("cells", {}):
        parse_ref(ref)
    for ref in corrected.get("kept", []):
        parse_ref(ref)
    if form["kind"] != "targets" and form["complete"] and not corrected.get("unfilled"):
        if not isinstance(corrected.get("total"), (int, float)):
            raise FormatError("a complete, filled form needs corrected.total (computed by hand)")


def grid_cells(form: dict, corrected: bool = False) -> dict[tuple[int, int], object]:
    """(row, col) → value, as printed (or with the twin's fixes)."""
    cells = {}
    for r, row in enumerate(form["rows"], start=1):
        for c, v in enumerate(row, start=1):
            if v is not None and v != "":
                cells[(r, c)] = v
    if corrected:
        for ref, v in form["corrected"].get("cells", {}).items():
            rc = parse_ref(ref)
            if v is None or v == "":
                cells.pop(rc, None)
            else:
                cells[rc] = v
    return cells


def build_workbook(form: dict, path: Path, corrected: bool = False) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE[form["kind"]]
    wrap = Alignment(wrap_text=True, vertical="center")
    for (r, c), v in grid_cells(form, corrected).items():
        cell = ws.cell(row=r, column=c, value=v)
        if isinstance(v, str) and v.startswith("="):
            cell.data_type = "s"          # text as printed, never a formula
        cell.alignment = wrap
    for rng in form.get("merges", []):
        ws.merge_cells(rng)
    wb.properties.creator = "xlscore field corpus"
    wb.save(path)
    return path


def build_all(out: Path, kind: str | None = None) -> list[tuple[dict, Path, Path]]:
    out.mkdir(parents=True, exist_ok=True)
    built = []
    for form in load_forms(kind):
        orig = build_workbook(form, out / f"{form['id']}.xlsx")
        twin = build_workbook(form, out / f"{form['id']}.corrected.xlsx", corrected=True)
        built.append((form, orig, twin))
    return built


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="folder for the workbooks")
    ap.add_argument("--check", action="store_true", help="validate the JSON files only")
    ap.add_argument("--kind", choices=sorted(set(KINDS.values())))
    a = ap.parse_args(argv)
    try:
        forms = load_forms(a.kind)
    except (FormatError, json.JSONDecodeError) as exc:
        print(f"invalid: {exc}", file=sys.stderr)
        return 2
    if a.out:
        build_all(a.out, a.kind)
    by_kind: dict[str, int] = {}
    for f in forms:
        by_kind[f["kind"]] = by_kind.get(f["kind"], 0) + 1
    print(f"{len(forms)} forms valid ({', '.join(f'{k} {n}' for k, n in sorted(by_kind.items()))})"
          + (f"; built into {a.out}" if a.out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
