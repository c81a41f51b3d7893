"""Command line: ``xlscore recalc``, ``xlscore check``, ``xlscore rules``.

Exit codes: 0 no errors · 1 findings of severity error · 2 a file could not be read, or bad usage.
Everything the user reads is Chinese by default; ``--lang en`` (or XLSCORE_LANG=en) for English.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

HELP = {
    "zh": {
        "prog": "xlscore —— 预算绩效自评表、绩效目标表、评分表的重算与检查工具",
        "epilog": (
            "示例：\n"
            "  xlscore recalc 自评表.xlsx               重算完成率、得分、总分并写回原文件，标出问题单元格\n"
            "  xlscore recalc 自评表.xlsx -o 结果.xlsx   结果另存为新文件，原文件不动\n"
            "  xlscore check *.xlsx                     只检查不写入，列出所有问题\n"
            "  xlscore check 自评表.xlsx --format json   输出 JSON，供脚本使用\n"
            "  xlscore rules                            列出全部检查项和规则配置\n"
            "退出码：0 无错误；1 发现错误；2 文件无法读取或用法错误。"),
        "recalc": "重算并写回：完成率、得分、执行率、总分、等级；问题单元格标色并加批注，另建“xlscore”报告表",
        "check": "只检查不写入：列出每个问题（单元格、代码、说明、期望值）",
        "rules": "列出检查项代码、评分规则类型和可用的规则配置",
        "file": "工作簿文件（.xlsx / .xlsm）",
        "files": "一个或多个工作簿文件",
        "out": "结果另存到此文件（默认写回原文件；含 openpyxl 无法保留的内容时另存为 <名称>.xlscore.xlsx）",
        "profile": "规则配置：内置名称（national、guangxi、eval80）或 .toml 文件路径，默认 national",
        "lang": "界面语言：zh（默认）或 en",
        "format": "输出格式：text（默认）或 json",
    },
    "en": {
        "prog": "xlscore — recompute and check budget performance self-assessment, target and scoring workbooks",
        "epilog": (
            "examples:\n"
            "  xlscore recalc form.xlsx               recompute rates, scores, totals; write them back and mark problems\n"
            "  xlscore recalc form.xlsx -o out.xlsx   write the result to a new file, leave the original alone\n"
            "  xlscore check *.xlsx                   read only: list every problem\n"
            "  xlscore check form.xlsx --format json  one JSON document for scripts\n"
            "  xlscore rules                          list every check code and the rule profiles\n"
            "exit codes: 0 no errors; 1 errors found; 2 a file could not be read, or bad usage."),
        "recalc": "recompute and write back rates, scores, execution rate, total and grade; mark problem cells",
        "check": "read only: list every finding (cell, code, message, expected)",
        "rules": "list finding codes, scoring-rule kinds and the shipped rule profiles",
        "file": "workbook file (.xlsx / .xlsm)",
        "files": "one or more workbook files",
        "out": "write the result to this file (default: in place; beside as <name>.xlscore.xlsx when openpyxl would lose features)",
        "profile": "rule profile: a shipped name (national, guangxi, eval80) or a path to a .toml file; default national",
        "lang": "language of messages: zh (default) or en",
        "format": "output format: text (default) or json",
    },
}


def _lang_from_argv(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "zh"
    return "en" if os.environ.get("XLSCORE_LANG", "").lower().startswith("en") else "zh"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump wall
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"xlscore: {message}\n")


def build_parser(lang: str) -> argparse.ArgumentParser:
    h = HELP[lang]
    p = _Parser(prog="xlscore", description=h["prog"], epilog=h["epilog"],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"xlscore {__version__}")
    sub = p.add_subparsers(dest="command", metavar="{recalc,check,rules}", parser_class=_Parser)

    def common(sp):
        sp.add_argument("--profile", default=None, help=h["profile"])
        sp.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])

    r = sub.add_parser("recalc", help=h["recalc"], description=h["recalc"])
    r.add_argument("file", help=h["file"])
    r.add_argument("-o", "--output", default=None, help=h["out"])
    r.add_argument("--format", choices=("text", "json"), default="text", help=h["format"])
    common(r)

    c = sub.add_parser("check", help=h["check"], description=h["check"])
    c.add_argument("files", nargs="+", help=h["files"])
    c.add_argument("--format", choices=("text", "json"), default="text", help=h["format"])
    common(c)

    ru = sub.add_parser("rules", help=h["rules"], description=h["rules"])
    ru.add_argument("--format", choices=("text", "markdown"), default="text", help=h["format"])
    ru.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])
    return p


def _print_file(res, lang: str, out=sys.stdout) -> None:
    from .i18n import t
    from .checks.context import fmt_num
    if res.error:
        print(f"xlscore: {res.error}", file=sys.stderr)
        return
    forms = sum(1 for s in res.sheets if s.kind != "unknown")
    print(t("summary", lang, path=res.path, forms=forms, errors=res.count("error"), warnings=res.count("warning"),
            infos=res.count("info")), file=out)
    for s in res.sheets:
        if s.kind == "unknown":
            print(t("sheet-skipped", lang, sheet=s.name), file=out)
            continue
        print(t("sheet-line", lang, sheet=s.name, kind=t(f"kind-{s.kind}", lang), name=s.form_name,
                total=fmt_num(round(s.total, 2)) if s.total is not None else "—", grade=s.grade or "—"), file=out)
        for f in s.findings:
            print(t("finding-line", lang, cell=f.cell or "-", severity=t(f"severity-{f.severity}", lang), code=f.code,
                    message=f.message), file=out)
    if res.output_note:
        print(res.output_note, file=out)


def _exit_code(report) -> int:
    if report.has_unreadable:
        return EXIT_INPUT
    return EXIT_FINDINGS if report.has_errors else EXIT_OK


def _run(args, lang: str) -> int:
    from .engine import Engine
    from .errors import XlscoreError
    from .report import FileResult, Report

    if args.command == "rules":
        return _rules(args)
    try:
        engine = Engine(args.profile, lang=args.lang)
    except XlscoreError as exc:
        print(f"xlscore: {exc.render(args.lang)}", file=sys.stderr)
        return EXIT_INPUT
    report = Report()
    paths = [args.file] if args.command == "recalc" else args.files
    for path in paths:
        try:
            res = engine.run_file(path, write=args.command == "recalc",
                                  out=getattr(args, "output", None))
        except XlscoreError as exc:   # output errors
            res = FileResult(str(path), error=exc.render(args.lang))
        except Exception as exc:      # never a traceback for a user; XLSCORE_DEBUG=1 to see one
            if os.environ.get("XLSCORE_DEBUG"):
                raise
            msg = "内部错误" if args.lang == "zh" else "internal error"
            res = FileResult(str(path), error=f"{path}: {msg}: {type(exc).__name__}: {exc}")
        report.files.append(res)
        if args.format == "text":
            _print_file(res, args.lang)
    if args.format == "json":
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        for f in report.files:
            if f.error:
                print(f"xlscore: {f.error}", file=sys.stderr)
    return _exit_code(report)


def _rules(args) -> int:
    from .checks.catalogue import CATALOGUE, checks_doc
    from .rules.profile import load_profile, shipped
    from .rules.scoring import RULE_KINDS, RULE_LABELS
    lang = args.lang
    if args.format == "markdown":
        sys.stdout.write(checks_doc())
        return EXIT_OK
    zh = lang == "zh"
    print("检查项（代码 · 级别 · 名称）：" if zh else "Finding codes (code · severity · title):")
    for d in CATALOGUE.values():
        print(f"  {d.code:<34} {d.severity:<8} {d.title(lang)}" + (f"  [{d.anomaly}]" if d.anomaly else ""))
    print("\n评分规则类型：" if zh else "\nScoring-rule kinds:")
    for k in RULE_KINDS.values():
        print(f"  {k.code:<16} {k.rule_zh if zh else k.rule_en}")
    print("\n赋分规则文字 → 规则：" if zh else "\n赋分规则 labels → method:")
    for method, labels in RULE_LABELS.items():
        print(f"  {method:<16} {'、'.join(labels)}")
    print("\n规则配置（--profile）：" if zh else "\nRule profiles (--profile):")
    for name in shipped():
        p = load_profile(name)
        print(f"  {name:<10} {p.title(lang)}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    lang = _lang_from_argv(argv)
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_INPUT
    try:
        return _run(args, lang)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
