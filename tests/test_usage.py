"""argparse in Chinese (issue 16, item 2): usage errors and help in Chinese by default, English with --lang en or
XLSCORE_LANG=en; --lang anywhere; the closest option or command for a misspelled one; one line, exit 2."""

from __future__ import annotations

import argparse
import gettext
import re

import pytest
from conftest import SAMPLES, run_cli

from xlscore.term import width_of

SAMPLE = str(SAMPLES / "changji_2024.xlsx")
COMMANDS = ("recalc", "check", "batch", "template", "addin", "rules")


def _usage_error(*args, env=None):
    proc = run_cli(*args, env=env)
    assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize("args, zh, en", [
    (("check", SAMPLE, "--fromat", "json"),
     ["无法识别的参数：--fromat json", "您是不是要输入 --format？", "xlscore check --help"],
     ["unrecognized arguments: --fromat json", "did you mean --format?"]),
    (("chek", SAMPLE), ["未知的命令 'chek'", "您是不是要输入 check？"], ["unknown command 'chek'", "did you mean check?"]),
    (("check", SAMPLE, "--format", "jsno"), ["参数 --format：无效的选择：'jsno'（可选：text、json）", "您是不是要输入 json？"],
     ["argument --format: invalid choice: 'jsno' (choose from text, json)", "did you mean json?"]),
    (("recalc",), ["缺少必需的参数：文件"], ["the following arguments are required: file"]),
    (("check", "--format"), ["参数 --format：需要一个值"], ["argument --format: expected one argument"]),
    (("batch", "samples", "--workers", "two"), ["参数 --workers：'two' 不是整数"], ["'two' is not an integer"]),
    (("check", SAMPLE, "-q", "-v"), ["不能与参数 -q/--quiet 同时使用"], ["not allowed with argument -q/--quiet"]),
    (("addin", "instal"), ["无效的选择：'instal'", "您是不是要输入 install？"], ["did you mean install?"]),
    (("rules", "--format", "json"), ["无效的选择：'json'（可选：text、markdown）"], ["choose from text, markdown"]),
    (("recalc", SAMPLE, "--lang", "fr"), ["--lang", "无效的选择：'fr'"], None),
])
def test_usage_errors_in_both_languages(args, zh, en):
    line = _usage_error(*args)
    for part in zh:
        assert part in line, line
    assert not re.search(r"\b(usage|error|argument|invalid)\b", line), line
    if en is not None:
        for variant in (dict(env={"XLSCORE_LANG": "en"}), dict(extra=("--lang", "en"))):
            line = _usage_error(*args, *variant.get("extra", ()), env=variant.get("env"))
            for part in en:
                assert part in line, line


@pytest.mark.parametrize("args", [("--lang", "en", "check", "nope.xlsx"), ("check", "nope.xlsx", "--lang", "en"),
                                  ("check", "--lang=en", "nope.xlsx"), ("--lang=en", "recalc", "nope.xlsx"),
                                  ("check", "nope.xlsx", "--lan", "en")])
def test_lang_anywhere_on_the_line(args):
    proc = run_cli(*args)
    assert proc.returncode == 2 and proc.stderr.strip() == "xlscore: nope.xlsx: no such file"


def test_lang_before_the_command_is_used_for_output():
    proc = run_cli("--lang", "en", "check", SAMPLE, "-q")
    assert proc.returncode == 1 and "13 forms, 17 errors, 31 warnings" in proc.stdout


def _help(*args, env=None):
    proc = run_cli(*args, "--help", env=env)
    assert proc.returncode == 0 and proc.stderr == ""
    return proc.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_chinese_with_examples(command):
    text = _help(command, env={"COLUMNS": "80"})
    assert text.startswith(f"用法：xlscore {command}") and "显示本帮助并退出" in text
    assert "usage:" not in text and "show this help" not in text and "options:" not in text
    block = text.split("示例：\n", 1)[1].splitlines()
    examples = [ln for ln in block if ln.startswith(f"  xlscore {command}")]
    assert len(examples) >= 2 and re.search("[\u4e00-\u9fff]", "".join(block))
    assert all(width_of(ln) <= 80 for ln in text.splitlines()), [ln for ln in text.splitlines() if width_of(ln) > 80]
    en = _help(command, "--lang", "en")
    assert en.startswith(f"usage: xlscore {command}") and "\nexamples:\n  xlscore " + command in en


def test_top_level_help_and_version():
    text = _help()
    assert text.startswith("用法：xlscore") and "--lang" in text and "显示版本号并退出" in text and "示例：" in text
    assert _help("--lang", "en").startswith("usage: xlscore")


def test_every_format_a_help_offers_is_accepted(tmp_path):
    """`rules --help` once offered json, which rules refuses."""
    for command in COMMANDS:
        text = _help(command, "--lang", "en")
        for choices, words in re.findall(r"--format \{([a-z,]+)\}\s+(.*?)(?=\n  -|\n\n)", text, re.S):
            offered = set(re.findall(r"\b(text|json|csv|markdown|xml|html)\b", words))
            assert offered <= set(choices.split(",")), (command, offered, choices)
    rules = _help("rules")
    assert "json" not in rules and "markdown" in rules
    assert run_cli("rules", "--format", "markdown").returncode == 0


def test_parser_language_does_not_leak_in_process(capsys):
    from xlscore.cli import main
    with pytest.raises(SystemExit) as exc:
        main(["check", "x.xlsx", "--fromat"])
    assert exc.value.code == 2 and "您是不是要输入 --format？" in capsys.readouterr().err
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext


def test_readme_synopsis_lists_every_option():
    """Issue 16, item 7: the README's synopsis omitted options that --help shows."""
    from xlscore.cli import build_parser
    from xlscore.cliargs import subparsers
    from conftest import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    synopsis = readme.split("## 命令行\n\n```\n", 1)[1].split("```", 1)[0]
    blocks: dict[str, str] = {}
    command = None
    for line in synopsis.splitlines():
        if line.startswith("xlscore "):
            command = line.split()[1]
        blocks[command] = blocks.get(command, "") + line + "\n"
    for name, sp in subparsers(build_parser("zh")).items():
        assert name in blocks, name
        for a in sp._actions:
            if not a.option_strings or a.dest == "help":
                continue
            assert any(re.search(rf"(\[|\| ){re.escape(o)}[\] |]", blocks[name]) for o in a.option_strings), (name, a.option_strings)
            if a.choices:
                for c in a.choices:
                    assert c in blocks[name], (name, a.option_strings, c)
    assert "--version" in synopsis and "--help" in synopsis
    assert "fonts-noto-cjk" in readme and "fonts-wqy-microhei" in readme and "LibreOffice" in readme


def test_check_imports_only_what_it_uses():
    """`xlscore check` of one form (the CLI as a user runs it) imports no spreadsheet library, no dataframe library,
    not the local service's HTTP stack, and — the workbook holding self-assessment forms only — not the scoring
    trees' reader, evaluation and rule-text grammar, nor the stdlib's dataclasses: start-up is most of a one-form
    run."""
    import subprocess
    import sys
    code = ("import runpy, sys; sys.argv = ['xlscore', 'check', sys.argv[1]]\n"
            "try:\n    runpy.run_module('xlscore', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('openpyxl', 'xlsxwriter', 'pandas', 'http.server', 'xlscore.service', "
            "'xlscore.read.tree', 'xlscore.evaluate.scoring', 'xlscore.rules.ruletext', 'xlscore.checks.scoring', "
            "'dataclasses', 'inspect') "
            "if m in sys.modules), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "changji_2024.xlsx")],
                          capture_output=True, text=True, cwd=str(SAMPLES.parent))
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr
