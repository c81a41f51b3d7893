"""Run xlscore over the whole field corpus and print where the reader stands.

    python tests/field/runner.py [--kind self_assessment|scoring|targets] [-v] [--json]

For every form (tests/field/*/<id>.json) the printed workbook and its corrected twin are built (build.py) and checked
through the file adapter, as a user's `xlscore check` would. Per form and overall:

- read: the sheet was recognised as the kind of form it is (and, for a complete filled form, a total was computed);
- recall: listed anomalies with an error or warning on their row;
- unexplained: errors and warnings on the printed form on rows no listed anomaly names;
- twin: errors and warnings on the corrected twin (false positives: the twin is correct), and whether its total and
  grade are the ones computed by hand.

A form the source cuts off (``complete: false``) has no total: findings about the whole form's sums are not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from build import build_workbook, load_forms, parse_ref  # noqa: E402

# codes about the whole form's sums and totals: not counted on a form the source cuts off (rows are missing)
WHOLE_FORM = {
    "total-missing", "total-mismatch", "total-rounding", "weights-sum", "grade-mismatch", "quantitative-share",
    "goal-text-mismatch", "cost-targets-exceed-budget", "cost-actuals-differ-from-spent", "columns-missing",
    "scoring-weights-total", "scoring-weights-children", "scoring-total-mismatch", "scoring-total-rounding",
    "scoring-subtotal-mismatch", "scoring-subtotal-rounding", "scoring-summary-mismatch", "form-unfilled",
    "target-classes-missing", "target-weights-sum",
}
COUNTED = ("error", "warning")
EXPECTED_KIND = {"self_assessment": "self_assessment", "scoring": "scoring", "targets": "targets"}


@dataclass
class Outcome:
    form: dict
    kind_read: str = "unknown"
    read: bool = False
    total: float | None = None
    grade: str | None = None
    found: list = field(default_factory=list)        # anomalies flagged on their row
    missed: list = field(default_factory=list)       # anomalies not flagged
    unexplained: list = field(default_factory=list)  # findings (error/warning) on the printed form, no anomaly there
    twin_findings: list = field(default_factory=list)  # findings (error/warning) on the corrected twin
    twin_total: float | None = None
    twin_grade: str | None = None
    twin_total_ok: bool = True
    error: str | None = None

    @property
    def id(self) -> str:
        return self.form["id"]

    @property
    def unexplained_errors(self) -> list:
        return [f for f in self.unexplained if f.severity == "error"]


def _counted(findings, form: dict) -> list:
    out = [f for f in findings if f.severity in COUNTED]
    if not form["complete"]:
        out = [f for f in out if f.code not in WHOLE_FORM]
    return out


def _sheet(result, kind: str):
    sheets = [s for s in result.sheets if s.kind != "unknown"] or result.sheets
    return sheets[0] if sheets else None


def evaluate(form: dict, workdir: Path, engine=None) -> Outcome:
    from xlscore.engine import Engine
    engine = engine or Engine()
    out = Outcome(form)
    orig = engine.run_file(build_workbook(form, workdir / f"{form['id']}.xlsx"), write=False)
    twin = engine.run_file(build_workbook(form, workdir / f"{form['id']}.corrected.xlsx", corrected=True), write=False)
    if orig.error or twin.error:
        out.error = orig.error or twin.error
        out.missed = list(form.get("anomalies", []))
        return out
    sheet = _sheet(orig, form["kind"])
    out.kind_read = sheet.kind if sheet else "unknown"
    out.total, out.grade = (sheet.total, sheet.grade) if sheet else (None, None)
    corrected = form["corrected"]
    want_total = corrected.get("total") if form["complete"] and not corrected.get("unfilled") else None
    out.read = out.kind_read == EXPECTED_KIND[form["kind"]]

    findings = _counted(orig.findings, form)
    # a cell the twin corrects was wrong as printed: its row is explained too (a total that follows wrong scores)
    anomaly_rows = ({parse_ref(a["cell"])[0] for a in form.get("anomalies", [])}
                    | {parse_ref(ref)[0] for ref in form["corrected"].get("cells", {})})
    for an in form.get("anomalies", []):
        row = parse_ref(an["cell"])[0]
        (out.found if any(f.row == row for f in findings) else out.missed).append(an)
    out.unexplained = [f for f in findings if f.row not in anomaly_rows]

    kept_rows = {parse_ref(ref)[0] for ref in corrected.get("kept", [])}
    tsheet = _sheet(twin, form["kind"])
    out.twin_findings = [f for f in _counted(twin.findings, form) if f.row not in kept_rows]
    out.twin_total, out.twin_grade = (tsheet.total, tsheet.grade) if tsheet else (None, None)
    if want_total is not None:
        out.twin_total_ok = (out.twin_total is not None and abs(out.twin_total - want_total) <= 0.011
                             and (corrected.get("grade") is None or corrected.get("grade") == out.twin_grade))
        out.read = out.read and out.twin_total is not None
    elif corrected.get("unfilled"):
        out.twin_total_ok = out.twin_total is None
    return out


def run(kind: str | None = None) -> list[Outcome]:
    from xlscore.engine import Engine
    engine = Engine()
    with tempfile.TemporaryDirectory(prefix="xlscore-field-") as tmp:
        return [evaluate(f, Path(tmp), engine) for f in load_forms(kind)]


def summary(outcomes: list[Outcome]) -> dict:
    listed = sum(len(o.found) + len(o.missed) for o in outcomes)
    found = sum(len(o.found) for o in outcomes)
    return {
        "forms": len(outcomes),
        "complete": sum(1 for o in outcomes if o.form["complete"]),
        "provinces": len({o.form["province"] for o in outcomes}),
        "read": sum(1 for o in outcomes if o.read),
        "anomalies": listed,
        "recalled": found,
        "recall": round(found / listed, 3) if listed else None,
        "unexplained_errors": sum(len(o.unexplained_errors) for o in outcomes),
        "unexplained_warnings": sum(len(o.unexplained) - len(o.unexplained_errors) for o in outcomes),
        "twins_clean": sum(1 for o in outcomes if not o.twin_findings and o.twin_total_ok and not o.error),
        "twin_false_positives": sum(len(o.twin_findings) for o in outcomes),
        "twin_totals_wrong": sum(1 for o in outcomes if not o.twin_total_ok),
        "unreadable": sum(1 for o in outcomes if o.error),
    }


def _line(f) -> str:
    return f"      {f.severity:7} {f.cell or '-':6} {f.code}: {f.message[:110]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="xlscore over the field corpus")
    ap.add_argument("--kind", choices=sorted(EXPECTED_KIND))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every missed anomaly and unexplained finding")
    ap.add_argument("--json", action="store_true", help="the overall figures as JSON")
    a = ap.parse_args(argv)
    outcomes = run(a.kind)
    if a.json:
        print(json.dumps(summary(outcomes), ensure_ascii=False, indent=1))
        return 0
    print(f"{'form':44} {'kind':15} read  recall  unexpl(E/W)  twin(FP) total")
    for o in outcomes:
        n = len(o.found) + len(o.missed)
        ue = len(o.unexplained_errors)
        tot = "ok" if o.twin_total_ok else f"{o.twin_total}/{o.twin_grade} ≠ {o.form['corrected'].get('total')}"
        cut = "" if o.form["complete"] else " (cut)"
        print(f"{o.id[:44]:44} {o.kind_read:15} {'yes' if o.read else 'NO ':4} {len(o.found)}/{n:<5} "
              f"{ue}/{len(o.unexplained) - ue:<10} {len(o.twin_findings):<8} {tot}{cut}"
              + (f"  ERROR {o.error}" if o.error else ""))
        if a.verbose:
            for an in o.missed:
                print(f"    missed {an['cell']}: {an['what'][:110]}")
            for f in o.unexplained:
                print("    unexplained" + _line(f)[5:])
            for f in o.twin_findings:
                print("    twin" + _line(f)[5:])
    s = summary(outcomes)
    print(f"\n{s['forms']} forms ({s['complete']} complete, {s['provinces']} provinces): read {s['read']}/{s['forms']}; "
          f"recall {s['recalled']}/{s['anomalies']}"
          + (f" = {s['recall']:.0%}" if s['recall'] is not None else "")
          + f"; unexplained {s['unexplained_errors']} errors, {s['unexplained_warnings']} warnings; "
          f"twins clean {s['twins_clean']}/{s['forms']} ({s['twin_false_positives']} false positives, "
          f"{s['twin_totals_wrong']} wrong totals/grades); unreadable {s['unreadable']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
