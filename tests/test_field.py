"""The field corpus (tests/field/): real published forms, each built into a workbook and checked as a user would.

For every form: it is read as the kind of form it is; every listed anomaly is flagged (error or warning) on its row;
no error stands on a row that no listed anomaly explains; its corrected twin gives no error and no warning, with the
total and grade computed by hand. A form the reader still gets wrong is listed, with the reason, in
tests/field/known_gaps.json: its test is then an expected failure that must keep failing (strict), so a fix shows up
as a test to un-list, and the gap is visible in the runner's figures (python tests/field/runner.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

FIELD = Path(__file__).resolve().parent / "field"
sys.path.insert(0, str(FIELD))

from build import load_forms  # noqa: E402
from runner import evaluate  # noqa: E402

FORMS = load_forms()
GAPS = json.loads((FIELD / "known_gaps.json").read_text(encoding="utf-8")) if (FIELD / "known_gaps.json").is_file() else {}
ASPECTS = ("read", "recall", "unexplained", "twin")
_OUTCOMES: dict = {}


def outcome(form, tmp_path_factory):
    if form["id"] not in _OUTCOMES:
        _OUTCOMES[form["id"]] = evaluate(form, tmp_path_factory.mktemp(form["id"][:30]))
    return _OUTCOMES[form["id"]]


def params(aspect: str):
    out = []
    for f in FORMS:
        reason = GAPS.get(f["id"], {}).get(aspect)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(f, id=f["id"], marks=marks))
    return out


def _show(findings) -> str:
    return "\n".join(f"{f.cell} {f.severity} {f.code}: {f.message}" for f in findings)


@pytest.mark.parametrize("form", params("read"))
def test_read_as_its_kind(form, tmp_path_factory):
    o = outcome(form, tmp_path_factory)
    assert o.error is None, o.error
    assert o.read, f"read as {o.kind_read}, total {o.twin_total}"


@pytest.mark.parametrize("form", params("recall"))
def test_listed_anomalies_flagged(form, tmp_path_factory):
    o = outcome(form, tmp_path_factory)
    assert not o.missed, "not flagged: " + "; ".join(f"{a['cell']} {a['what']}" for a in o.missed)


@pytest.mark.parametrize("form", params("unexplained"))
def test_no_error_without_an_anomaly(form, tmp_path_factory):
    o = outcome(form, tmp_path_factory)
    assert not o.unexplained_errors, _show(o.unexplained_errors)


@pytest.mark.parametrize("form", params("twin"))
def test_corrected_twin_clean(form, tmp_path_factory):
    o = outcome(form, tmp_path_factory)
    assert o.error is None, o.error
    assert not o.twin_findings, _show(o.twin_findings)
    assert o.twin_total_ok, (f"twin total {o.twin_total} / {o.twin_grade}, by hand "
                             f"{form['corrected'].get('total')} / {form['corrected'].get('grade')}")


def test_corpus_size_and_spread():
    """The corpus never shrinks below what it holds (2026-12-01, second pass: 65 self-assessments (26 complete) from
    14 provinces, 32 targets sheets, 15 scoring tables from 9 provinces; still no central department's self-assessment;
    tests/field/README.md says how to add more), every form with its source."""
    by_kind = {k: [f for f in FORMS if f["kind"] == k] for k in ("self_assessment", "scoring", "targets")}
    sa = by_kind["self_assessment"]
    assert len(sa) >= 65 and len({f["province"] for f in sa}) >= 14
    assert sum(1 for f in sa if f["complete"]) >= 25         # issue 11: at least 25 complete self-assessments
    assert len(by_kind["scoring"]) >= 15 and len(by_kind["targets"]) >= 32
    assert len({f["province"] for f in by_kind["scoring"] + by_kind["targets"]}) >= 10
    assert all(f["source"].get("url", "").startswith("http") or f["source"]["document"].startswith("samples/source/")
               for f in FORMS)
    assert len({f["id"] for f in FORMS}) == len(FORMS)
    pages = [f["source"].get("url") or f["source"]["document"] for f in FORMS]
    for url in set(pages):      # one page may hold two forms, never the same form twice
        same = [f for f in FORMS if (f["source"].get("url") or f["source"]["document"]) == url]
        assert len({f["title"] for f in same}) == len(same), url


def test_gaps_name_real_forms_and_aspects():
    ids = {f["id"] for f in FORMS}
    for fid, aspects in GAPS.items():
        assert fid in ids, f"known_gaps.json names {fid}, which is not in the corpus"
        assert set(aspects) <= set(ASPECTS), aspects


def test_runner_prints_the_figures():
    import subprocess
    proc = subprocess.run([sys.executable, str(FIELD / "runner.py"), "--json", "--kind", "self_assessment"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout)
    assert figures["forms"] == len([f for f in FORMS if f["kind"] == "self_assessment"])
    assert {"recall", "unexplained_errors", "twin_false_positives"} <= set(figures)
