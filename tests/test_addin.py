"""The Excel button: the xlwings adapter on a faithful fake book gives what the CLI gives; the shipped
.xlam names the right callbacks and its VBA calls the right Python entry points."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from builders import national_form, sample_rows
from conftest import SAMPLES, run_cli
from fake_xlwings import FakeBook
from xlscore import addin


def _form(tmp_path):
    rows = sample_rows()
    rows[0] = ("产出指标", "数量指标", "举办促消费活动场次", "≥10场", "1场", 20, 0.2, "活动受影响")
    rows[3] = ("成本指标", "经济成本指标", "活动经费", "≤10万元", "9.5万元", 20, 19, "")
    p = tmp_path / "form.xlsx"
    national_form(p, rows=rows, total=95, funds_rate=0.9, funds_score=9)
    wb = openpyxl.load_workbook(p)
    wb["自评表"]["K14"] = "=SUM(G14:G19)"
    wb.save(p)
    return p


def _key(f):
    return (f["sheet"] if "sheet" in f else "", f["cell"], f["code"], f["severity"], f["message"],
            json.dumps(f["expected"]), json.dumps(f["found"]))


def _addin_findings(results):
    out = []
    for s in results:
        for f in s.to_json()["findings"]:
            out.append((s.name,) + _key(f)[1:])
    return sorted(out)


@pytest.mark.parametrize("sample", ["national", "changji", "donghu_2022", "meizhou_2021"])
def test_cli_and_button_give_identical_findings(tmp_path, sample):
    p = _form(tmp_path) if sample == "national" else shutil.copy(
        SAMPLES / ("changji_2024.xlsx" if sample == "changji" else f"{sample}.xlsx"), tmp_path / "c.xlsx")
    proc = run_cli("check", str(p), "--format", "json")
    doc = json.loads(proc.stdout)
    cli = sorted((s["name"],) + _key(f)[1:] for s in doc["files"][0]["sheets"] for f in s["findings"])
    book = FakeBook.from_file(p)
    results = addin.check(book)
    assert _addin_findings(results) == cli
    # check changes no cell of the form; it only (re)writes the report sheet
    assert not [e for e in book.log if e[0] in ("value", "formula", "color", "add_note", "number_format")
                and e[1] != "xlscore"]
    assert "xlscore" in [s.name for s in book.sheets]
    assert book.app.alerts and "检查完成" in book.app.alerts[-1][0]


def test_button_recalc_writes_what_the_cli_writes(tmp_path):
    p = _form(tmp_path)
    book = FakeBook.from_file(p)
    addin.recalc(book)
    out = tmp_path / "cli.xlsx"
    run_cli("recalc", str(p), "-o", str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb["自评表"]
    sheet = book.sheets["自评表"]
    state = [r for r in wb["xlscore_state"].iter_rows(min_row=2, values_only=True)]
    assert state
    for row in state:
        ref = row[1]
        cell = ws[ref]
        key = (cell.row, cell.column)
        v = sheet._value(key)
        if isinstance(cell.value, (int, float)):
            assert v == pytest.approx(cell.value), ref
        else:
            assert v == cell.value, ref
        assert sheet.notes.get(key) == (cell.comment.text if cell.comment else None), ref
        rgb = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
        mine = sheet.colors.get(key)
        assert (None if mine is None else "FF%02X%02X%02X" % mine) == rgb, ref
    rep_cli = [[c for c in r] for r in wb["xlscore"].iter_rows(values_only=True)]
    rep_fake = book.sheets["xlscore"]
    for i, row in enumerate(rep_cli, start=1):
        for j, v in enumerate(row, start=1):
            got = rep_fake._value((i, j))
            assert (got == pytest.approx(v)) if isinstance(v, (int, float)) else got == v, (i, j)
    assert book.sheets["xlscore_state"].visible is False
    assert sheet.formulas[(14, 11)] == "=SUM(G14:G19)"       # a user's formula is left alone


def test_button_recalc_twice_is_stable(tmp_path):
    book = FakeBook.from_file(_form(tmp_path))
    addin.recalc(book)
    snap = {s.name: (dict(s.values), dict(s.notes), dict(s.colors), dict(s.formats)) for s in book.sheets}
    addin.recalc(book)
    again = {s.name: (dict(s.values), dict(s.notes), dict(s.colors), dict(s.formats)) for s in book.sheets}
    assert snap == again
    assert [s.name for s in book.sheets].count("xlscore") == 1


def test_errors_become_a_chinese_message_box(tmp_path):
    p = tmp_path / "empty.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "通讯录"
    wb.save(p)
    book = FakeBook.from_file(p)
    assert addin.recalc(book) is None
    prompt, title = book.app.alerts[-1]
    assert title == "xlscore" and "没有找到可识别的绩效表" in prompt


# --------------------------------------------------------------------------- the shipped add-in

def test_shipped_xlam_ribbon_names_the_callbacks():
    assert addin.XLAM.exists()
    with zipfile.ZipFile(addin.XLAM) as zf:
        xml = zf.read("customUI/customUI.xml")
        rels = zf.read("_rels/.rels").decode()
    assert "customUI/customUI.xml" in rels
    root = ET.fromstring(xml)
    ns = {"c": root.tag.split("}")[0].strip("{")}
    tab = root.find(".//c:tab", ns)
    assert tab.get("label") == "xlscore"
    buttons = {b.get("label"): b.get("onAction") for b in root.iterfind(".//c:button", ns)}
    assert buttons == {"重新计算": "XlscoreRibbon.XlscoreRecalc", "检查": "XlscoreRibbon.XlscoreCheck",
                       "生成模板": "XlscoreRibbon.XlscoreTemplate"}


def test_shipped_xlam_vba_calls_the_entry_points():
    from oletools.olevba import VBA_Parser
    vba = VBA_Parser(str(addin.XLAM))
    modules = {name: code for _, _, name, code in vba.extract_macros()}
    vba.close()
    ribbon = modules["XlscoreRibbon.bas"]
    for sub, call in (("XlscoreRecalc", "recalc"), ("XlscoreCheck", "check"), ("XlscoreTemplate", "template")):
        body = re.search(rf"Sub {sub}\(control As IRibbonControl\)(.*?)End Sub", ribbon, re.S).group(1)
        assert f'RunPython "import xlscore.addin; xlscore.addin.{call}()"' in body
        assert callable(getattr(addin, call))
    stamp = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings.bas"]).group(1)
    assert stamp == addin.XLWINGS_VERSION


def test_addin_install_dry_run_and_linux_message():
    proc = run_cli("addin", "install", "--dry-run")
    assert proc.returncode == 0
    assert "addin install" in proc.stdout and "xlscore.xlam" in proc.stdout
    proc = run_cli("addin", "path")
    assert proc.stdout.strip().endswith("xlscore.xlam")
    import sys
    if sys.platform.startswith("linux"):
        proc = run_cli("addin", "install")
        assert proc.returncode == 2 and "Windows" in proc.stderr and "Traceback" not in proc.stderr


def test_addin_install_also_configures_the_interpreter():
    """xlwings writes the interpreter setting only for its own xlwings.xlam, so install asks for it."""
    proc = run_cli("addin", "install", "--dry-run")
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2 and "addin install --file" in lines[0] and lines[1].endswith("config create")


def test_addin_install_reads_xlwings_failures_that_exit_zero(monkeypatch):
    """xlwings' CLI prints 'Error: …' or an exception repr and exits 0: that must not count as installed."""
    import subprocess
    import sys
    import types

    from xlscore.addin import XLWINGS_VERSION, install
    from xlscore.errors import UsageError

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "xlwings", types.SimpleNamespace(__version__=XLWINGS_VERSION))
    calls = []

    def fake_run(cmd, **kw):
        calls.append(cmd)
        out = ("Error: Failed to install the add-in: If Excel is running, quit Excel and try again."
               if "addin" in cmd else "")
        return subprocess.CompletedProcess(cmd, 0, stdout=out, stderr="")

    monkeypatch.setattr(subprocess, "run", fake_run)
    with pytest.raises(UsageError) as exc:
        install.run("install")
    assert "quit Excel" in exc.value.render("en") and len(calls) == 1

    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(
        cmd, 0, stdout="Successfully installed the xlwings add-in! Please restart Excel.", stderr=""))
    assert [c[-2:] for c in install.run("install")] == [["--file", str(install.XLAM)], ["config", "create"]]
    assert install.xlwings_failure(0, "PermissionError(13, 'Permission denied')", "") .startswith("PermissionError")
    assert install.xlwings_failure(1, "", "boom\nlast line") == "last line"


def test_configured_interpreter_reads_the_xlwings_conf_format(tmp_path, monkeypatch):
    import sys

    from xlscore.addin import install
    conf = tmp_path / "xlwings.conf"
    conf.write_text('"INTERPRETER_WIN","C:\\Py\\python.exe"\n"INTERPRETER_MAC","/usr/local/bin/python3"\n',
                    encoding="utf-8")
    monkeypatch.setattr(sys, "platform", "win32")
    assert install.configured_interpreter(conf) == "C:\\Py\\python.exe"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert install.configured_interpreter(conf) == "/usr/local/bin/python3"
    assert install.configured_interpreter(tmp_path / "missing.conf") is None


def test_template_button_writes_beside_the_workbook_and_never_over_a_file(tmp_path, monkeypatch):
    """生成模板: a blank self-assessment template next to the active workbook, opened in Excel."""
    import sys
    import types

    from xlscore import addin

    opened = []
    monkeypatch.setitem(sys.modules, "xlwings", types.SimpleNamespace(Book=lambda p: opened.append(p) or p))
    book = FakeBook("form.xlsx")
    book.fullname = str(tmp_path / "form.xlsx")
    existing = tmp_path / "项目支出绩效自评表.xlsx"
    existing.write_bytes(b"a filled form")
    addin.template(book)
    assert existing.read_bytes() == b"a filled form"            # untouched
    made = tmp_path / "项目支出绩效自评表(2).xlsx"
    assert opened == [str(made)] and book.app.alerts == []
    wb = openpyxl.load_workbook(made)
    assert wb.sheetnames == ["自评表", "填表说明"]


def test_button_recalc_on_a_protected_template_unprotects_and_protects_again(tmp_path):
    """Excel refuses changes to locked cells of a protected sheet: the button lifts xlscore's password-less
    protection for its writes and puts it back with the same options; a password is a Chinese message."""
    from test_templates import corpus_form, fill_self_assessment, make

    path = make("self-assessment", tmp_path)
    exp = fill_self_assessment(path, corpus_form())
    book = FakeBook.from_file(path)
    sheet = book.sheets["自评表"]
    assert sheet.api.ProtectContents
    addin.recalc(book)
    assert book.app.alerts and "已重新计算" in book.app.alerts[-1][0], book.app.alerts
    for r, score in exp["rows"].items():
        assert sheet._value((r, exp["cols"]["得分（自动计算）"])) == pytest.approx(score, abs=1e-4)
    assert sheet.api.ProtectContents and sheet.api.protect_calls[-1]["Password"] == ""

    locked = FakeBook.from_file(path)
    locked.sheets["自评表"].api.password = "1234"
    addin.recalc(locked)
    msg = locked.app.alerts[-1][0]
    assert "保护密码" in msg and "Traceback" not in msg
    assert locked.sheets["自评表"].api.ProtectContents          # left as it was


def test_button_recalc_on_a_scoring_table_writes_the_subtotal_like_the_cli(tmp_path):
    """The 东湖 table: 组织实施 printed 10, its leaves sum to 8.8 — the button writes 8.8 where the CLI does."""
    p = shutil.copy(SAMPLES / "donghu_2022.xlsx", tmp_path / "d.xlsx")
    out = tmp_path / "cli.xlsx"
    assert run_cli("recalc", str(p), "-o", str(out)).returncode == 1
    ws = openpyxl.load_workbook(out)["评分表"]
    book = FakeBook.from_file(p)
    addin.recalc(book)
    sheet = book.sheets["评分表"]
    state = [r for r in openpyxl.load_workbook(out)["xlscore_state"].iter_rows(min_row=2, values_only=True)]
    assert any(r[1] == "H19" for r in state)
    for row in state:
        cell = ws[row[1]]
        got = sheet._value((cell.row, cell.column))
        assert (got == pytest.approx(cell.value)) if isinstance(cell.value, (int, float)) else got == cell.value, row[1]
    assert sheet._value((19, 8)) == pytest.approx(8.8)
