"""Bad input: one line naming the file and the reason, exit 2, the file untouched, never a traceback."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _no_form_workbook(p: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "会议签到表"
    wb.active["A2"] = "张三"
    wb.save(p)
    return p


def _truncated(p: Path, good: Path) -> Path:
    data = good.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _encrypted(p: Path) -> Path:
    # an encrypted OOXML file is an OLE2 compound document (EncryptionInfo + EncryptedPackage streams)
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") * 8)
    return p


def _write(p: Path, data) -> Path:
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def _mkdir(p: Path) -> Path:
    p.mkdir()
    return p


CASES = {
    "missing": (lambda d: d / "不存在.xlsx", "不存在", "no such file"),
    "directory": (lambda d: _mkdir(d / "文件夹.xlsx"), "文件夹", "directory"),
    "xls": (lambda d: _write(d / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), ".xls", ".xls"),
    "csv": (lambda d: _write(d / "t.csv", "一级指标,二级指标\n产出,数量\n"), "CSV", "CSV"),
    "encrypted": (lambda d: _encrypted(d / "密码.xlsx"), "密码", "password"),
    "not-zip": (lambda d: _write(d / "fake.xlsx", "这不是工作簿"), "损坏", "damaged"),
    "no-form": (lambda d: _no_form_workbook(d / "签到.xlsx"), "没有找到", "no recognisable"),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("command", ["check", "recalc"])
def test_bad_input_one_line_exit_2(tmp_path, case, command):
    make, zh_word, en_word = CASES[case]
    path = make(tmp_path)
    before = _digest(path) if path.is_file() else None
    proc = run_cli(command, str(path))
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert path.name in lines[0] and zh_word in lines[0]
    if before is not None:
        assert _digest(path) == before
    en = run_cli(command, str(path), "--lang", "en")
    assert en.returncode == 2 and en_word.lower() in en.stderr.lower()
    assert not list(tmp_path.glob("*.xlscore.*")) and not list(tmp_path.glob(".*.xlsx"))


def test_truncated_workbook(tmp_path):
    good = _no_form_workbook(tmp_path / "good.xlsx")
    bad = _truncated(tmp_path / "半截.xlsx", good)
    before = _digest(bad)
    proc = run_cli("recalc", str(bad))
    assert proc.returncode == 2 and "半截.xlsx" in proc.stderr and "Traceback" not in proc.stderr
    assert _digest(bad) == before


def test_zip_without_workbook(tmp_path):
    p = tmp_path / "空包.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "hi")
    proc = run_cli("check", str(p))
    assert proc.returncode == 2 and "workbook.xml" in proc.stderr


def test_unknown_profile_is_usage_error(tmp_path):
    proc = run_cli("check", "whatever.xlsx", "--profile", "火星")
    assert proc.returncode == 2
    assert "火星" in proc.stderr and "national" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_usage_exit_2():
    proc = run_cli("recalc")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = run_cli("frobnicate")
    assert proc.returncode == 2


def test_one_bad_file_does_not_stop_check(tmp_path):
    from builders import national_form, sample_rows
    good = tmp_path / "好.xlsx"
    national_form(good, rows=sample_rows(), total=98, funds_rate=0.95, funds_score=9.5)
    proc = run_cli("check", str(tmp_path / "缺失.xlsx"), str(good), "--format", "json")
    import json
    doc = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert [f["error"] is None for f in doc["files"]] == [False, True]
    assert doc["files"][1]["sheets"][0]["kind"] == "self_assessment"


def test_a_closed_pipe_is_not_an_internal_error():
    """`xlscore check … | head -1`: the reader leaves early; no 'internal error', no traceback."""
    import subprocess
    import sys
    from conftest import ROOT, SAMPLES
    many = [str(SAMPLES / "changji_2024.xlsx")] * 40        # more output than a pipe buffer holds
    proc = subprocess.Popen([sys.executable, "-m", "xlscore", "check", *many],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT))
    first = proc.stdout.readline()
    proc.stdout.close()                       # what head does after its line
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=60)
    assert first and "内部错误" not in err and "Traceback" not in err and "BrokenPipe" not in err


def test_a_targets_sheet_says_what_is_checked_on_it(tmp_path):
    """sheet-not-checked on a 绩效目标表: not scored, but cross-checked — not 'only self-assessments are checked'."""
    from conftest import run_json
    out = tmp_path / "t.xlsx"
    assert run_cli("template", "targets", "-o", str(out)).returncode == 0
    code, doc = run_json("check", str(out))
    f = next(f for s in doc["files"][0]["sheets"] for f in s["findings"] if f["code"] == "sheet-not-checked")
    assert "不计算得分" in f["message"] and "自评表逐项对照" in f["message"]
