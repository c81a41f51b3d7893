"""Command line: ``xlscore recalc``, ``xlscore check``, ``xlscore rules``.

Exit codes: 0 no errors · 1 findings of severity error · 2 a file could not be read, or bad usage.
Everything the user reads is Chinese by default; ``--lang en`` (or XLSCORE_LANG=en) for English.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

HELP = {
    "zh": {
        "prog": "xlscore —— 预算绩效自评表、绩效目标表、评分表的重算与检查工具",
        "epilog": (
            "示例：\n"
            "  xlscore recalc 自评表.xlsx               重算完成率、得分、总分并写回原文件，标出问题单元格\n"
            "  xlscore recalc 自评表.xlsx -o 结果.xlsx   结果另存为新文件，原文件不动\n"
            "  xlscore check *.xlsx                     只检查不写入，列出所有问题\n"
            "  xlscore check 自评表.xlsx --targets 目标表.xlsx   与绩效目标表逐项对照目标值、分值、赋分规则\n"
            "  xlscore check 自评表.xlsx --format json   输出 JSON，供脚本使用\n"
            "  xlscore batch 收到的自评表/ -o 汇总.xlsx   检查文件夹中所有工作簿，生成汇总工作簿\n"
            "  xlscore template self-assessment -o 自评表.xlsx   生成空白自评表模板（另有 targets、scoring）\n"
            "  xlscore template self-assessment --from 绩效目标表.xlsx -o 自评表.xlsx   由绩效目标表生成自评表\n"
            "  xlscore wps install                      安装 WPS 表格加载项（功能区“xlscore”选项卡）\n"
            "  xlscore serve                            启动 WPS 加载项使用的本机服务\n"
            "  xlscore rules                            列出全部检查项和规则配置\n"
            "退出码：0 无错误；1 发现错误；2 文件无法读取或用法错误。"),
        "recalc": "重算并写回：完成率、得分、执行率、总分、等级；问题单元格标色并加批注，另建“xlscore”报告表",
        "check": "只检查不写入：列出每个问题（单元格、代码、说明、期望值）",
        "rules": "列出检查项代码、评分规则类型和可用的规则配置",
        "file": "工作簿文件（.xlsx / .xlsm）",
        "files": "一个或多个工作簿文件",
        "out": "结果另存到此文件（默认写回原文件；含 openpyxl 无法保留的内容时另存为 <名称>.xlscore.xlsx）",
        "rforce": "即使有 Excel/WPS/LibreOffice 的锁文件（~$名称、.~lock.名称#）也写入（确认工作簿并未打开时使用）",
        "profile": "规则配置：内置名称（national、guangxi、eval80）或 .toml 文件路径，默认 national",
        "lang": "界面语言：zh（默认）或 en",
        "format": "输出格式：text（默认）或 json",
        "rformat": "输出格式：text（默认）或 markdown（docs/checks.md 的检查项表）",
        "batch": "批量检查文件夹（含子文件夹）中的全部 .xlsx/.xlsm，生成汇总工作簿；默认不修改任何文件",
        "folder": "存放收回的自评表的文件夹",
        "bout": "汇总工作簿路径（默认 xlscore汇总.xlsx；--format json/csv 时仅在指定时生成）",
        "brecalc": "同时对每个文件执行 recalc（写回结果；默认只检查不修改）",
        "bformat": "标准输出格式：text（默认，只打印合计）、json（与 check 相同的 JSON）、csv（每个问题一行）",
        "workers": "并行进程数（默认等于 CPU 核数）",
        "scheduler": "在 Dask 集群上运行：调度器地址（tcp://主机:8786），或 local 启动本机集群",
        "nocache": "不使用缓存（默认按文件内容哈希缓存检查结果，未改动的文件第二次很快）",
        "cachedir": "缓存目录（默认 ~/.cache/xlscore，或环境变量 XLSCORE_CACHE）",
        "progress": "显示进度条（默认仅在终端中显示）",
        "addin": "Excel 加载项（功能区“xlscore”选项卡）：install 安装、remove 移除、path 显示文件位置",
        "addin_action": "install（安装）、remove（移除）或 path（显示 .xlam 文件位置）",
        "serve": "启动 WPS 加载项使用的本地服务（只监听 127.0.0.1）",
        "port": "端口（默认 {port}）",
        "show_token": "显示本机的访问令牌后退出（没有时生成）",
        "allow_origin": "另外允许的来源（Origin），可多次；默认只允许 WPS 本地加载项的来源",
        "max_mb": "请求大小上限（MB，默认 64）",
        "verbose": "打印每个请求",
        "wps": "WPS 表格加载项（功能区“xlscore”选项卡）：install 安装、remove 移除、path 显示文件夹",
        "wps_action": "install（安装）、remove（移除）或 path（显示加载项文件夹和 WPS 的 jsaddons 目录）",
        "wps_dry_run": "只显示要写入和删除的文件，不做改动",
        "no_autostart": "不添加登录时自动启动 xlscore serve 的启动项",
        "dry_run": "只显示将要执行的命令，不执行",
        "template": "生成 Excel 模板：targets（绩效目标表）、self-assessment（项目支出绩效自评表）、scoring（绩效评价评分表）",
        "tname": "模板名称：targets / self-assessment / scoring（也可写 绩效目标表 / 自评表 / 评分表）",
        "tout": "保存到此文件（默认当前文件夹下的模板中文名，如 项目支出绩效自评表.xlsx）",
        "tfrom": "由已填写的绩效目标表生成自评表：项目信息、资金、预期目标和指标（目标值、分值、赋分规则）原样带入并锁定",
        "trows": "空白指标行数（默认 15；--from 时另留 3 行）",
        "tyear": "年度，如 2024",
        "tforce": "目标文件已存在时覆盖（默认不覆盖，以免冲掉已填写的内容）",
        "verbose_out": "同时列出提示（默认只列错误和警告）",
        "quiet": "只显示问题数（退出码不变）",
        "bverbose": "逐个文件列出错误和警告（与 check 相同的格式）",
        "targets": "绩效目标表工作簿：与自评表逐项对照申报的目标值、分值、赋分规则和指标类别（可多次指定）",
    },
    "en": {
        "prog": "xlscore — recompute and check budget performance self-assessment, target and scoring workbooks",
        "epilog": (
            "examples:\n"
            "  xlscore recalc form.xlsx               recompute rates, scores, totals; write them back and mark problems\n"
            "  xlscore recalc form.xlsx -o out.xlsx   write the result to a new file, leave the original alone\n"
            "  xlscore check *.xlsx                   read only: list every problem\n"
            "  xlscore check form.xlsx --targets targets.xlsx   compare with the declared targets, weights, rules\n"
            "  xlscore check form.xlsx --format json  one JSON document for scripts\n"
            "  xlscore batch forms/ -o summary.xlsx   check every workbook in a folder into one summary workbook\n"
            "  xlscore template self-assessment -o form.xlsx   a blank self-assessment template (also: targets, scoring)\n"
            "  xlscore template self-assessment --from targets.xlsx -o form.xlsx   pre-filled from a targets sheet\n"
            "  xlscore wps install                    install the WPS Spreadsheets add-in (xlscore tab)\n"
            "  xlscore serve                          run the local service the WPS add-in calls\n"
            "  xlscore rules                          list every check code and the rule profiles\n"
            "exit codes: 0 no errors; 1 errors found; 2 a file could not be read, or bad usage."),
        "recalc": "recompute and write back rates, scores, execution rate, total and grade; mark problem cells",
        "check": "read only: list every finding (cell, code, message, expected)",
        "rules": "list finding codes, scoring-rule kinds and the shipped rule profiles",
        "file": "workbook file (.xlsx / .xlsm)",
        "files": "one or more workbook files",
        "out": "write the result to this file (default: in place; beside as <name>.xlscore.xlsx when openpyxl would lose features)",
        "rforce": "write even though an Excel/WPS/LibreOffice lock file (~$NAME, .~lock.NAME#) says the workbook is open",
        "profile": "rule profile: a shipped name (national, guangxi, eval80) or a path to a .toml file; default national",
        "lang": "language of messages: zh (default) or en",
        "format": "output format: text (default) or json",
        "rformat": "output format: text (default) or markdown (the checks table of docs/checks.md)",
        "batch": "check every .xlsx/.xlsm under a folder (recursively) into one summary workbook; modifies nothing by default",
        "folder": "the folder of returned forms",
        "bout": "summary workbook (default xlscore汇总.xlsx; with --format json/csv only when given)",
        "brecalc": "also recalc each file (writes results back; default: check only)",
        "bformat": "stdout format: text (default, totals only), json (the check JSON), csv (one row per finding)",
        "workers": "worker processes (default: one per CPU core)",
        "scheduler": "run on a Dask cluster: scheduler address (tcp://host:8786), or local to start one here",
        "nocache": "do not use the cache (by default results are cached by file content hash)",
        "cachedir": "cache folder (default ~/.cache/xlscore, or XLSCORE_CACHE)",
        "progress": "show the progress bar (default: only on a terminal)",
        "addin": "the Excel ribbon add-in (xlscore tab): install, remove, or path of the .xlam",
        "addin_action": "install, remove, or path (where the .xlam is)",
        "serve": "run the local service the WPS add-in calls (127.0.0.1 only)",
        "port": "port (default {port})",
        "show_token": "print this install's access token and exit (created when missing)",
        "allow_origin": "another Origin to accept (repeatable); by default only the WPS local add-in's",
        "max_mb": "request size limit in MB (default 64)",
        "verbose": "log every request",
        "wps": "the WPS Spreadsheets add-in (xlscore tab): install, remove, or path of its folders",
        "wps_action": "install, remove, or path (the add-in folder and WPS's jsaddons folder)",
        "wps_dry_run": "print the files it would write and remove, change nothing",
        "no_autostart": "do not add the log-in entry that starts xlscore serve",
        "dry_run": "print the commands instead of running them",
        "template": "write an Excel template: targets (绩效目标表), self-assessment (自评表), scoring (评分表)",
        "tname": "template name: targets / self-assessment / scoring (or 绩效目标表 / 自评表 / 评分表)",
        "tout": "write to this file (default: the template's Chinese name in the current folder)",
        "tfrom": "pre-fill a self-assessment form from a filled targets sheet: project, funds, goal and indicators (targets, weights, rules), locked",
        "trows": "blank indicator rows (default 15; 3 more after --from rows)",
        "tyear": "the year, e.g. 2024",
        "tforce": "overwrite an existing file (by default an existing file is never replaced)",
        "verbose_out": "list the notes too (by default only errors and warnings)",
        "quiet": "print only the counts (same exit code)",
        "bverbose": "list each file's errors and warnings (as check does)",
        "targets": "a 绩效目标表 workbook: compare each self-assessment with the declared targets, weights, rules and classes (repeatable)",
    },
}


from .cliargs import Parser as _Parser


def build_parser(lang: str) -> argparse.ArgumentParser:
    h = HELP[lang]
    p = _Parser(prog="xlscore", description=h["prog"], epilog=h["epilog"],
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"xlscore {__version__}")
    p.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])
    sub = p.add_subparsers(dest="command", metavar="{recalc,check,batch,template,addin,serve,wps,rules}", parser_class=_Parser)

    def common(sp):
        sp.add_argument("--profile", default=None, help=h["profile"])
        sp.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])

    r = sub.add_parser("recalc", help=h["recalc"], description=h["recalc"])
    r.add_argument("file", help=h["file"])
    r.add_argument("-o", "--output", default=None, help=h["out"])
    r.add_argument("--format", choices=("text", "json"), default="text", help=h["format"])
    r.add_argument("--force", action="store_true", help=h["rforce"])
    r.add_argument("--targets", action="append", default=[], metavar="目标表.xlsx" if lang == "zh" else "TARGETS.xlsx",
                   help=h["targets"])
    _output_options(r, h)
    common(r)

    c = sub.add_parser("check", help=h["check"], description=h["check"])
    c.add_argument("files", nargs="+", help=h["files"])
    c.add_argument("--format", choices=("text", "json"), default="text", help=h["format"])
    c.add_argument("--targets", action="append", default=[], metavar="目标表.xlsx" if lang == "zh" else "TARGETS.xlsx",
                   help=h["targets"])
    _output_options(c, h)
    common(c)

    b = sub.add_parser("batch", help=h["batch"], description=h["batch"])
    b.add_argument("folder", help=h["folder"])
    b.add_argument("-o", "--output", default=None, help=h["bout"])
    b.add_argument("--recalc", action="store_true", help=h["brecalc"])
    b.add_argument("--format", choices=("text", "json", "csv"), default="text", help=h["bformat"])
    b.add_argument("--workers", type=int, default=0, help=h["workers"])
    b.add_argument("--scheduler", default=None, help=h["scheduler"])
    b.add_argument("--no-cache", action="store_true", help=h["nocache"])
    b.add_argument("--cache-dir", default=None, help=h["cachedir"])
    b.add_argument("--progress", action="store_true", default=None, help=h["progress"])
    b.add_argument("--targets", action="append", default=[], metavar="目标表.xlsx" if lang == "zh" else "TARGETS.xlsx",
                   help=h["targets"])
    _output_options(b, h, batch=True)
    common(b)

    tp = sub.add_parser("template", help=h["template"], description=h["template"])
    tp.add_argument("name", help=h["tname"])
    tp.add_argument("-o", "--output", default=None, help=h["tout"])
    tp.add_argument("--from", dest="source", default=None, metavar="绩效目标表.xlsx" if lang == "zh" else "TARGETS.xlsx",
                    help=h["tfrom"])
    tp.add_argument("--rows", type=int, default=None, help=h["trows"])
    tp.add_argument("--year", type=int, default=None, help=h["tyear"])
    tp.add_argument("--force", action="store_true", help=h["tforce"])
    tp.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])

    ad = sub.add_parser("addin", help=h["addin"], description=h["addin"])
    ad.add_argument("action", choices=("install", "remove", "path"), help=h["addin_action"])
    ad.add_argument("--dry-run", action="store_true", help=h["dry_run"])
    ad.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])

    from .version import DEFAULT_PORT
    sv = sub.add_parser("serve", help=h["serve"], description=h["serve"])
    sv.add_argument("--port", type=int, default=DEFAULT_PORT, help=h["port"].format(port=DEFAULT_PORT))
    sv.add_argument("--show-token", action="store_true", help=h["show_token"])
    sv.add_argument("--allow-origin", action="append", default=[], help=h["allow_origin"])
    sv.add_argument("--max-mb", type=float, default=64, help=h["max_mb"])
    sv.add_argument("--verbose", action="store_true", help=h["verbose"])
    sv.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])

    wp = sub.add_parser("wps", help=h["wps"], description=h["wps"])
    wp.add_argument("action", choices=("install", "remove", "path"), help=h["wps_action"])
    wp.add_argument("--dry-run", action="store_true", help=h["wps_dry_run"])
    wp.add_argument("--port", type=int, default=DEFAULT_PORT, help=h["port"].format(port=DEFAULT_PORT))
    wp.add_argument("--no-autostart", action="store_true", help=h["no_autostart"])
    wp.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])

    ru = sub.add_parser("rules", help=h["rules"], description=h["rules"])
    ru.add_argument("--format", choices=("text", "markdown"), default="text", help=h["rformat"])
    ru.add_argument("--lang", choices=("zh", "en"), default=lang, help=h["lang"])
    return p


def _print_file(res, lang: str, out=sys.stdout, *, verbose: bool = False, quiet: bool = False) -> None:
    from .term import render_file, terminal_width
    if res.error:
        print(f"xlscore: {res.error}", file=sys.stderr)
        return
    for line in render_file(res, lang, verbose=verbose, quiet=quiet, width=terminal_width(out)):
        print(line, file=out)


def _output_options(sp, h, batch: bool = False) -> None:
    """-v / -q of the text format (check, recalc, batch)."""
    g = sp.add_mutually_exclusive_group()
    g.add_argument("-v", "--verbose", action="store_true", help=h["bverbose" if batch else "verbose_out"])
    g.add_argument("-q", "--quiet", action="store_true", help=h["quiet"])


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
    if args.command == "batch":
        return _batch(args)
    if args.command == "addin":
        return _addin(args)
    if args.command == "template":
        return _template(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "wps":
        return _wps(args)
    try:
        engine = Engine(args.profile, lang=args.lang)
        for targets in getattr(args, "targets", None) or []:
            engine.load_targets(targets)
    except XlscoreError as exc:
        print(f"xlscore: {exc.render(args.lang)}", file=sys.stderr)
        return EXIT_INPUT
    report = Report()
    paths = [args.file] if args.command == "recalc" else args.files
    for path in paths:
        try:
            res = engine.run_file(path, write=args.command == "recalc",
                                  out=getattr(args, "output", None), force=getattr(args, "force", False))
        except XlscoreError as exc:   # output errors
            res = FileResult(str(path), error=exc.render(args.lang))
        except Exception as exc:      # never a traceback for a user; XLSCORE_DEBUG=1 to see one
            from .write.safefile import reraise_if_terminated
            reraise_if_terminated()   # SIGTERM inside a library surfacing as another error: the run ends
            if os.environ.get("XLSCORE_DEBUG"):
                raise
            msg = "内部错误" if args.lang == "zh" else "internal error"
            res = FileResult(str(path), error=f"{path}: {msg}: {type(exc).__name__}: {exc}")
        report.files.append(res)
        for note in res.notes:
            print(f"xlscore: {note}", file=sys.stderr)
        if args.format == "text":
            if len(report.files) > 1 and not args.quiet:
                print()
            _print_file(res, args.lang, verbose=args.verbose, quiet=args.quiet)
    if args.format == "text" and len(report.files) > 1:
        from .term import render_total, terminal_width
        print("\n".join(render_total(report.files, args.lang, terminal_width(sys.stdout))))
    if args.format == "json":
        import json
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        for f in report.files:
            if f.error:
                print(f"xlscore: {f.error}", file=sys.stderr)
    return _exit_code(report)


def _batch(args) -> int:
    import time
    from pathlib import Path
    from . import batch
    from .errors import XlscoreError
    from .i18n import t

    lang = args.lang
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"xlscore: {t('folder-missing', lang, path=args.folder)}", file=sys.stderr)
        return EXIT_INPUT
    out = Path(args.output) if args.output else (Path("xlscore汇总.xlsx") if args.format == "text" else None)
    paths = batch.discover(folder, exclude=[out] if out else [])
    if not paths:
        print(f"xlscore: {t('folder-empty', lang, path=args.folder)}", file=sys.stderr)
        return EXIT_INPUT
    cache = None if args.no_cache else (args.cache_dir or str(batch.default_cache_dir()))
    targets = tuple(str(Path(tg).resolve()) for tg in args.targets)
    try:                                  # a bad --targets workbook stops here, in one line, not once per form;
        batch.engine_for(args.profile, lang, targets)     # the engine is kept for an in-process run
    except XlscoreError as exc:
        print(f"xlscore: {exc.render(lang)}", file=sys.stderr)
        return EXIT_INPUT
    # str: ~0.6 KiB less per file than a Path; resolved only to leave out a --targets workbook (a system call each)
    paths = [str(p) for p in paths if not targets or str(p.resolve()) not in targets]
    opts = batch.BatchOptions(profile=args.profile, lang=lang, recalc=args.recalc, workers=args.workers,
                              cache_dir=cache, scheduler=args.scheduler, targets=targets)
    totals = batch.Totals()
    start = time.monotonic()
    try:
        summary = batch.SummaryWorkbook(out, lang, folder) if out else None
    except OSError as exc:
        print(f"xlscore: {t('output-failed', lang, path=str(out), reason=exc)}", file=sys.stderr)
        return EXIT_INPUT
    progress = batch.Progress(len(paths), lang, enabled=args.progress)
    import json                 # here, not at the top of the module: a check need not import it
    if args.format == "json":
        sys.stdout.write('{"xlscore": %s, "files": [' % json.dumps(__version__))
    elif args.format == "csv":
        sys.stdout.write(batch.csv_line(batch.CSV_HEAD))
    try:
        for i, r in enumerate(batch.run(paths, opts)):
            totals.add(r)
            if summary:
                summary.add(r)
            if args.format == "json":
                sys.stdout.write(("," if i else "") + "\n" + json.dumps(r["report"], ensure_ascii=False))
            elif args.format == "csv":
                for row in batch.csv_rows(r):
                    sys.stdout.write(batch.csv_line(row))
            elif r["error"]:
                if not args.quiet:
                    progress.note(f"xlscore: {r['error']}")
            elif args.verbose:
                _print_batch_file(r, lang, progress)
            progress.step()
    except XlscoreError as exc:
        if summary:
            summary.abort()
        print(f"xlscore: {exc.render(lang)}", file=sys.stderr)
        return EXIT_INPUT
    except BaseException:
        if summary:
            summary.abort()
        raise
    if args.format == "json":
        sys.stdout.write("\n]}\n")
    if summary:
        summary.close(totals)
    line = t("batch-summary", lang, files=totals.files, cached=totals.cached, forms=totals.forms, errors=totals.errors,
             warnings=totals.warnings, unreadable=totals.unreadable, seconds=time.monotonic() - start)
    print(line, file=sys.stdout if args.format == "text" else sys.stderr)
    if summary and not args.quiet:
        print(t("batch-wrote", lang, path=str(out)), file=sys.stdout if args.format == "text" else sys.stderr)
    return totals.exit_code


def _print_batch_file(r: dict, lang: str, progress) -> None:
    """batch -v: one file's findings as check prints them (without its notes)."""
    from .term import render_file, result_from_json, terminal_width
    res = result_from_json(r["report"], r.get("forms"))
    progress.clear()
    print("\n".join(render_file(res, lang, width=terminal_width(sys.stdout))))


def _template(args) -> int:
    from .errors import XlscoreError
    from .i18n import t
    from .templates import resolve, write_template
    try:
        tpl = resolve(args.name)
        if args.rows is not None and not 0 <= args.rows <= 500:
            raise XlscoreError("template-rows")
        out = Path(args.output) if args.output else Path(tpl.filename)
        declared = None
        if args.source and tpl.name == "self-assessment":     # read once: pre-fill, and count for the message
            from .templates.prefill import declared_targets
            declared = declared_targets(Path(args.source))
        path = write_template(tpl.name, out, source=args.source if declared is None else None, declared=declared,
                              rows=args.rows, year=args.year, force=args.force)
    except XlscoreError as exc:
        print(f"xlscore: {exc.render(args.lang)}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"xlscore: {t('output-failed', args.lang, path=args.output or '', reason=exc.strerror or exc)}",
              file=sys.stderr)
        return EXIT_INPUT
    title = tpl.title_zh if args.lang == "zh" else tpl.title_en
    print(t("template-wrote", args.lang, title=title, path=str(path)))
    if declared is not None:
        print(t("template-prefilled", args.lang, source=args.source, n=len(declared["indicators"])))
    return EXIT_OK


def _addin(args) -> int:
    from .addin import XLAM
    from .addin import install
    from .errors import XlscoreError
    from .i18n import t
    if args.action == "path":
        print(XLAM)
        return EXIT_OK
    try:
        cmds = install.run(args.action, dry_run=args.dry_run)
    except XlscoreError as exc:
        print(f"xlscore: {exc.render(args.lang)}", file=sys.stderr)
        return EXIT_INPUT
    if args.dry_run:
        import shlex
        for c in cmds:
            print(" ".join(shlex.quote(x) for x in c))
    else:
        print(t(f"addin-done-{args.action}", args.lang))
        found = install.configured_interpreter() if args.action == "install" else None
        if found and os.path.normcase(found) != os.path.normcase(sys.executable):
            print(t("addin-other-interpreter", args.lang, found=found, python=sys.executable), file=sys.stderr)
    return EXIT_OK


def _serve(args) -> int:
    from . import service
    from .errors import XlscoreError
    if args.show_token:
        print(service.get_token())
        return EXIT_OK
    if not 0 <= args.port <= 65535 or args.max_mb <= 0:
        print("xlscore: " + ("--port 应在 0–65535 之间，--max-mb 应大于 0" if args.lang == "zh"
                             else "--port must be 0–65535 and --max-mb positive"), file=sys.stderr)
        return EXIT_INPUT
    try:
        return service.serve(args.port, lang=args.lang, origins=service.WPS_ORIGINS + tuple(args.allow_origin),
                             max_bytes=int(args.max_mb * 1024 * 1024), verbose=args.verbose)
    except XlscoreError as exc:
        print(f"xlscore: {exc.render(args.lang)}", file=sys.stderr)
        return EXIT_INPUT


def _wps(args) -> int:
    from . import wps
    from .errors import XlscoreError
    from .i18n import t
    from .service import get_token
    zh = args.lang == "zh"
    if args.action == "path":
        print(("加载项文件夹（部署时复制它）：" if zh else "add-in folder (copy this to deploy): ") + str(wps.ADDIN))
        print(("本机 WPS 加载项目录（jsaddons）：" if zh else "this user's WPS add-in folder (jsaddons): ")
              + str(wps.jsaddons_dir()))
        print(("publish.xml 条目：" if zh else "publish.xml entry: ") + wps.entry_xml())
        return EXIT_OK
    had_wps = wps.jsaddons_dir().parent.is_dir()
    try:
        if args.action == "install":
            token = get_token(create=not args.dry_run)
            steps = wps.plan_install(args.port, token, args.lang, autostart=not args.no_autostart)
        else:
            steps = wps.plan_remove(args.lang)
        if args.dry_run:
            for action, _ in steps:
                print(action.describe(args.lang))
            return EXIT_OK
        if args.action == "remove" and not steps:
            print(t("wps-nothing-to-remove", args.lang, folder=wps.jsaddons_dir()))
            return EXIT_OK
        wps.execute(steps)
    except XlscoreError as exc:
        print(f"xlscore: {exc.render(args.lang)}", file=sys.stderr)
        return EXIT_INPUT
    if args.action == "install":
        print(t("wps-done-install", args.lang, folder=wps.jsaddons_dir() / wps.FOLDER))
        if not had_wps:
            print(t("wps-no-wps", args.lang, path=wps.jsaddons_dir().parent), file=sys.stderr)
    else:
        print(t("wps-done-remove", args.lang, n=len(steps)))
    return EXIT_OK


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
    from .rules.ruletext import RULE_KINDS as TEXT_KINDS
    print("\n评分表（评价机构）评分标准类型：" if zh else "\nScoring-table (evaluator) rule kinds:")
    for k in TEXT_KINDS:
        print(f"  {k.name:<24} {k.title_zh if zh else k.title_en}    例：{k.examples[0][:40]}…" if zh
              else f"  {k.name:<24} {k.title_en}")
    print("\n赋分规则文字 → 规则：" if zh else "\n赋分规则 labels → method:")
    for method, labels in RULE_LABELS.items():
        print(f"  {method:<16} {'、'.join(labels)}")
    print("\n规则配置（--profile）：" if zh else "\nRule profiles (--profile):")
    for name in shipped():
        p = load_profile(name)
        print(f"  {name:<10} {p.title(lang)}")
    return EXIT_OK


def _parse_args(argv: list[str]):
    """(namespace, language), or (None, language) after the help was printed for a bare ``xlscore``. Usage errors
    are one line in the user's language and exit 2 (xlscore.cliargs); ``--lang`` is taken from anywhere on the line."""
    from .cliargs import UsageError, finish, localized, parse, split_lang
    try:
        lang, argv = split_lang(argv)
    except UsageError as exc:
        print(f"xlscore: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)
    with localized(lang):
        parser = finish(build_parser(lang), lang)
        args = parse(parser, argv)
        if not args.command:
            parser.print_help()
            return None, lang
    return args, args.lang


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    try:
        args, lang = _parse_args(argv)
    except KeyboardInterrupt:         # Ctrl-C while starting: the same one line as later, not a traceback
        try:
            from .i18n import t
            print(f"xlscore: {t('interrupted', 'zh')}", file=sys.stderr)
        except BaseException:  # noqa: BLE001 - a second Ctrl-C, a closed stderr
            pass
        return 130
    if args is None:
        return EXIT_INPUT
    from .write.safefile import Terminated, install_signal_handlers, stand_down
    install_signal_handlers()             # SIGTERM/SIGHUP unwind like Ctrl-C: no temp file is left
    try:
        code = _run(args, lang)
        stand_down()
        return code
    except (KeyboardInterrupt, Terminated) as exc:
        from .i18n import t
        try:
            print(f"xlscore: {t('interrupted', lang)}", file=sys.stderr)
        except Exception:  # noqa: BLE001 - a closed stderr
            pass
        return 130 if isinstance(exc, KeyboardInterrupt) else (exc.code if isinstance(exc.code, int) else 143)
    except BrokenPipeError:           # `xlscore check f.xlsx | head`: the reader left; not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:          # a bug in a shell (template, addin, batch): one line, not a traceback
        if os.environ.get("XLSCORE_DEBUG"):
            raise
        msg = "内部错误" if lang == "zh" else "internal error"
        print(f"xlscore: {msg}: {type(exc).__name__}: {exc}（XLSCORE_DEBUG=1 显示详细信息）" if lang == "zh"
              else f"xlscore: {msg}: {type(exc).__name__}: {exc} (XLSCORE_DEBUG=1 shows details)", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
