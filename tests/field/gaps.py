"""Write tests/field/known_gaps.json from where the reader stands now (python tests/field/gaps.py).

Each form the reader still gets wrong is listed per aspect (read, recall, unexplained, twin) with what goes wrong, so
its test is a strict expected failure: a fix makes it pass, pytest says so, and the entry is removed by running this
again. Review the diff before committing: a new entry is a regression unless the form is new.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from runner import run  # noqa: E402


def _codes(findings) -> str:
    seen = []
    for f in findings:
        s = f"{f.code}@{f.cell}"
        if s not in seen:
            seen.append(s)
    return ", ".join(seen[:6]) + (" …" if len(seen) > 6 else "")


def gaps() -> dict:
    out = {}
    for o in run():
        g = {}
        if o.error or not o.read:
            g["read"] = f"not read as {o.form['kind']}: " + (o.error.split(": ", 1)[-1] if o.error else
                                                              f"read as {o.kind_read}, total {o.twin_total}")
        if o.missed:
            g["recall"] = "not flagged: " + "; ".join(f"{a['cell']} {a['what'][:80]}" for a in o.missed[:4]) + (
                " …" if len(o.missed) > 4 else "")
        if o.unexplained_errors:
            g["unexplained"] = "errors no anomaly explains: " + _codes(o.unexplained_errors)
        if o.twin_findings or not o.twin_total_ok or o.error:
            parts = []
            if o.twin_findings:
                parts.append("findings on the corrected twin: " + _codes(o.twin_findings))
            if not o.twin_total_ok:
                parts.append(f"twin total/grade {o.twin_total}/{o.twin_grade}, by hand "
                             f"{o.form['corrected'].get('total')}/{o.form['corrected'].get('grade')}")
            if o.error:
                parts.append("unreadable")
            g["twin"] = "; ".join(parts)
        if g:
            out[o.id] = g
    return out


if __name__ == "__main__":
    data = gaps()
    (HERE / "known_gaps.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                          encoding="utf-8")
    print(f"{len(data)} forms with known gaps written to known_gaps.json")
