"""Terminal output for a person (issue 16, item 2): summary first, then errors, then warnings; notes only with -v;
each rule's text once; --quiet; lines that fit the terminal without cutting a cell address or a code."""

from __future__ import annotations

import json
import re

from conftest import SAMPLES, run_cli

from xlscore.term import width_of, wrap

SAMPLE = str(SAMPLES / "changji_2024.xlsx")
FINDING = re.compile(r"^    (\S+) (错误|警告|提示) ([a-z0-9-]+): ")


def _json():
    proc = run_cli("check", SAMPLE, "--format", "json")
    return json.loads(proc.stdout)["files"][0]


def _blocks(lines):
    """[(sheet line, [severity of each finding line])] in order."""
    blocks = []
    for ln in lines[1:]:
        if ln.startswith("  [") and not ln.startswith("    "):
            blocks.append((ln, []))
        elif m := FINDING.match(ln):
            blocks[-1][1].append(m.group(2))
    return blocks


def test_sample_order_and_length():
    proc = run_cli("check", SAMPLE)
    assert proc.returncode == 1
    out = proc.stdout
    lines = out.splitlines()
    # before issue 16: 70 lines, 6,062 characters, notes interleaved, the rule text on every finding that used it
    assert len(lines) <= 68 and len(out) <= 5500, (len(lines), len(out))
    assert lines[0].startswith(SAMPLE + ": 13 张表，17 个错误，31 个警告")
    doc = _json()
    blocks = _blocks(lines)
    assert [b[0].split("]")[0] for b in blocks] == ["  [" + s["name"] for s in doc["sheets"]]
    for (head, sevs), sheet in zip(blocks, doc["sheets"]):
        errors = sum(f["severity"] == "error" for f in sheet["findings"])
        warnings = sum(f["severity"] == "warning" for f in sheet["findings"])
        assert sevs == ["错误"] * errors + ["警告"] * warnings, head      # errors first, then warnings, no notes
        assert ("总分" in head and "等级" in head
                and (f"{errors} 个错误" if errors else "无错误") in head
                and (f"{warnings} 个警告" if warnings else "无警告") in head), head
    # each rule text once, in a legend after the list; the findings refer to it
    rules = {f["rule"] for s in doc["sheets"] for f in s["findings"]
             if f["rule"] and f["severity"] != "info" and f["message"].endswith("规则：" + f["rule"])}
    assert len(rules) == 4
    legend = lines.index("  规则（全国通用（项目支出绩效自评，默认））：")
    assert all(not FINDING.match(ln) for ln in lines[legend:])
    for rule in rules:
        assert out.count(rule.rsplit("（全国通用", 1)[0]) == 1, rule
    assert out.count("〔规则1〕") >= 3 and "规则：正向指标" not in out


def test_verbose_lists_notes_after_warnings():
    proc = run_cli("check", SAMPLE, "-v")
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1 and "提示未列出" not in lines[0]
    assert sum(1 for ln in lines if FINDING.match(ln) and FINDING.match(ln).group(2) == "提示") == 8
    for head, sevs in _blocks(lines):
        assert sevs == sorted(sevs, key=["错误", "警告", "提示"].index), head
    assert "rate-over-100" in proc.stdout and "rate-over-100" not in run_cli("check", SAMPLE).stdout


def test_quiet_is_counts_and_exit_code():
    proc = run_cli("check", SAMPLE, "--quiet")
    assert proc.returncode == 1 and proc.stderr == ""
    assert proc.stdout.splitlines() == [f"{SAMPLE}: 13 张表，17 个错误，31 个警告，8 条提示（提示未列出，加 -v 显示）"]
    two = run_cli("check", SAMPLE, SAMPLE, "-q", "--lang", "en")
    assert two.returncode == 1 and len(two.stdout.splitlines()) == 3
    assert two.stdout.splitlines()[-1].startswith("total: 2 files (0 unreadable), 26 forms, 34 errors")


def test_lines_fit_the_terminal_and_keep_cells_and_codes_whole():
    doc = _json()
    for columns in (100, 60):
        proc = run_cli("check", SAMPLE, env={"COLUMNS": str(columns)})
        lines = proc.stdout.splitlines()
        too_wide = [ln for ln in lines if width_of(ln) > columns]
        assert not too_wide, too_wide
        heads = [FINDING.match(ln).group(1, 3) for ln in lines if FINDING.match(ln)]
        want = [(f["cell"] or "-", f["code"]) for s in doc["sheets"] for f in s["findings"] if f["severity"] != "info"]
        assert sorted(heads) == sorted(want)
        assert len(lines) > 67               # wrapped, not truncated: every message is there in full
    joined = "".join(ln.strip() for ln in lines)
    assert "差异来自上面有误的得分" in joined and "6750.55" in joined


def test_wrap_never_breaks_the_head_or_a_number():
    head = "    AB123 错误 score-overachievement-penalised: "
    lines = wrap(head, "完成率 116.67% 已超额完成，应得满分 5，表中为 4.2。", 30, 6)
    assert lines[0].startswith(head.rstrip())            # wider than the line: whole on the first line
    assert any("116.67%" in ln for ln in lines)
    assert all(not ln.lstrip().startswith(("，", "。")) for ln in lines)
    assert wrap("  ", "短", None, 4) == ["  短"]


def test_english_and_recalc_use_the_same_layout(tmp_path):
    out = tmp_path / "r.xlsx"
    proc = run_cli("recalc", SAMPLE, "-o", str(out), "--lang", "en")
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1 and lines[0].startswith(SAMPLE + ": 13 forms, 17 errors, 31 warnings")
    assert "[rule 1]" in proc.stdout and lines[-1] == f"wrote {out}"
    assert "Rule: " not in proc.stdout


def test_batch_quiet_and_verbose(tmp_path):
    import shutil
    folder = tmp_path / "收回"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.xlsx")
    (folder / "坏.xlsx").write_bytes(b"not a workbook")
    summary = tmp_path / "汇总.xlsx"
    base = ("batch", str(folder), "-o", str(summary), "--no-cache", "--workers", "1")
    quiet = run_cli(*base, "-q")
    assert quiet.returncode == 2 and quiet.stderr == ""
    assert len(quiet.stdout.splitlines()) == 1 and "1 个文件无法读取" in quiet.stdout
    verbose = run_cli(*base, "-v")
    lines = verbose.stdout.splitlines()
    assert verbose.returncode == 2 and "坏.xlsx" in verbose.stderr
    assert lines[0].startswith(str(folder / "a.xlsx") + ": 13 张表，17 个错误，31 个警告")
    assert "  [F7] 自评表 昌吉州人才赋能数字商务试点示范项目 总分 100 等级 优：3 个错误，4 个警告" in lines
    assert "〔规则1〕" in verbose.stdout and lines[-1] == f"汇总已写入 {summary}"
    default = run_cli(*base)
    assert len(default.stdout.splitlines()) == 2 and "〔规则" not in default.stdout
