"""Package parts openpyxl drops (issue 14 item 1): measured by a real openpyxl round trip and detected before any
write. recalc now writes through the package store (write/package.py), which keeps every such part byte for byte,
so it writes in place; only the openpyxl fallback still writes beside (<name>.xlscore.xlsx) with the reason."""

from __future__ import annotations

import hashlib
import warnings

import openpyxl
import pytest
import xlsxwriter

from builders import one_row_form
from conftest import run_cli
from parts import KINDS, add_parts, survived
from xlscore.write import features

# what openpyxl 3.1 does to each kind of part on load + save (measured by test_openpyxl_round_trip_fidelity)
LOST_BY_OPENPYXL = {"customui", "vba-signature", "customxml", "connections", "printer-settings"}
FEATURE_ID = {"customui": "ribbon", "vba-signature": "vba-signature", "customxml": "custom-xml",
              "connections": "connections", "printer-settings": "printer-settings",
              "custom-properties": "custom-properties"}


def _form(path, vba=False):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("自评表")
    one_row_form(ws)
    if vba:
        vbin = path.with_name("vbaProject.bin")
        vbin.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
        wb.add_vba_project(str(vbin))
    wb.close()


def _with(tmp_path, kind):
    vba = kind == "vba-signature"
    base = tmp_path / ("base.xlsm" if vba else "base.xlsx")
    _form(base, vba=vba)
    p = tmp_path / (f"{kind}.xlsm" if vba else f"{kind}.xlsx")
    add_parts(base, p, [kind])
    return p


@pytest.mark.parametrize("kind", KINDS)
def test_openpyxl_round_trip_fidelity(tmp_path, kind):
    """The table in the README: a plain openpyxl load/save keeps or loses each kind of part."""
    p = _with(tmp_path, kind)
    assert survived(p)[kind], "the fixture itself carries the part, linked"
    out = tmp_path / ("rt" + p.suffix)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        openpyxl.load_workbook(p, keep_vba=p.suffix == ".xlsm").save(out)
    assert survived(out)[kind] == (kind not in LOST_BY_OPENPYXL)


@pytest.mark.parametrize("kind", sorted(LOST_BY_OPENPYXL))
def test_a_part_openpyxl_drops_is_kept_in_place(tmp_path, kind):
    """Was: written beside. The package store keeps the part (same bytes, still linked) and writes in place."""
    p = _with(tmp_path, kind)
    assert FEATURE_ID[kind] in features.detect(p, keep_vba=p.suffix == ".xlsm")
    before = hashlib.sha256(p.read_bytes()).hexdigest()
    proc = run_cli("recalc", str(p))
    assert proc.returncode == 1, proc.stderr
    assert hashlib.sha256(p.read_bytes()).hexdigest() != before       # written in place ...
    assert survived(p)[kind]                                          # ... with the part kept
    assert not p.with_name(f"{p.stem}.xlscore{p.suffix}").exists() and "未覆盖原文件" not in proc.stdout
    assert openpyxl.load_workbook(p)["自评表"]["G2"].value == pytest.approx(45)


@pytest.mark.parametrize("kind", sorted(LOST_BY_OPENPYXL))
def test_the_openpyxl_fallback_still_writes_beside(tmp_path, kind, monkeypatch):
    from xlscore.engine import Engine
    from xlscore.jobs import recalc_file
    p = _with(tmp_path, kind)
    before = hashlib.sha256(p.read_bytes()).hexdigest()
    monkeypatch.setenv("XLSCORE_WRITER", "openpyxl")          # the writer xlscore falls back to
    res = recalc_file(Engine(), p)
    assert hashlib.sha256(p.read_bytes()).hexdigest() == before       # the original keeps its part
    beside = p.with_name(f"{p.stem}.xlscore{p.suffix}")
    assert beside.exists() and res.output == str(beside)
    assert features.FEATURES[FEATURE_ID[kind]][0] in res.output_note and "未覆盖原文件" in res.output_note
    assert openpyxl.load_workbook(beside)["自评表"]["G2"].value == pytest.approx(45)


def test_custom_properties_openpyxl_keeps_are_written_in_place(tmp_path):
    p = _with(tmp_path, "custom-properties")                 # a text property: openpyxl keeps it
    assert features.detect(p) == []
    assert run_cli("recalc", str(p)).returncode == 1
    assert survived(p)["custom-properties"]


def test_custom_properties_of_other_types_mean_write_beside(tmp_path, monkeypatch):
    import parts
    monkeypatch.setattr(parts, "CUSTOM_PROPS", parts.CUSTOM_PROPS.replace(b"<vt:lpwstr>", b"<vt:lpstr>")
                        .replace(b"</vt:lpwstr>", b"</vt:lpstr>"))
    base = tmp_path / "base.xlsx"
    _form(base)
    p = tmp_path / "props.xlsx"
    parts.add_parts(base, p, ["custom-properties"])
    out = tmp_path / "rt.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")              # openpyxl: "Unknown type for 审核人"
        openpyxl.load_workbook(p).save(out)
    with __import__("zipfile").ZipFile(out) as zf:
        assert "docProps/custom.xml" not in zf.namelist()        # measured: the property is dropped
    assert features.detect(p) == ["custom-properties"]
    assert run_cli("recalc", str(p)).returncode == 1               # the package store keeps it, in place
    assert survived(p)["custom-properties"] and not p.with_name("props.xlscore.xlsx").exists()
