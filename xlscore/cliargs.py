"""argparse in the user's language: Chinese by default, English with ``--lang en`` / XLSCORE_LANG=en.

- argparse's own words (usage, headings, "-h" help, its error messages) through its gettext hook, while the parser
  is built and used (``localized``);
- a usage error is one line on stderr, exit 2, with the closest option or command when one was misspelled
  (difflib), never the usage dump or a traceback (``Parser``);
- ``--lang`` anywhere on the line, before or after the command (``split_lang``);
- each command's ``--help`` ends with a short block of examples (``add_examples``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys

EXIT_USAGE = 2
LANGS = ("zh", "en")

# argparse's msgids (Python 3.10-3.13) → Chinese; anything not listed stays as argparse says it
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "ignored explicit argument %r": "多余的值 %r",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可用：%(choices)s）",
}

WORDS = {
    "zh": {
        "did-you-mean": "您是不是要输入 {0}？",
        "suggest-sep": "。",
        "see-help": "（{prog} --help 查看用法）",
        "unknown-command": "未知的命令 {value!r}（可用：{choices}）",
        "invalid-choice": "无效的选择：{value!r}（可选：{choices}）",
        "not-int": "{value!r} 不是整数",
        "not-float": "{value!r} 不是数字",
        "lang-missing": "参数 --lang：需要一个值（zh 或 en）",
        "sep": "、",
        "examples": "示例：",
    },
    "en": {
        "did-you-mean": "did you mean {0}?",
        "suggest-sep": "; ",
        "see-help": " (see {prog} --help)",
        "unknown-command": "unknown command {value!r} (choose from {choices})",
        "invalid-choice": "invalid choice: {value!r} (choose from {choices})",
        "not-int": "{value!r} is not an integer",
        "not-float": "{value!r} is not a number",
        "lang-missing": "argument --lang: expected one argument (zh or en)",
        "sep": ", ",
        "examples": "examples:",
    },
}

# Chinese names of the positional arguments in usage lines and messages ("缺少必需的参数：文件"), and of option values
POSITIONAL_ZH = {"file": "文件", "files": "文件", "folder": "文件夹", "name": "模板名称"}
METAVAR_ZH = {"output": "输出.xlsx", "profile": "配置", "workers": "N", "scheduler": "地址", "cache_dir": "文件夹",
              "rows": "N", "year": "年度"}

EXAMPLES = {
    "zh": {
        "recalc": [
            ("xlscore recalc 自评表.xlsx", "重算并写回原文件，问题单元格标色、加批注"),
            ("xlscore recalc 自评表.xlsx -o 结果.xlsx", "结果另存，原文件不动"),
            ("xlscore recalc 自评表.xlsx --targets 目标表.xlsx", "同时与绩效目标表逐项对照"),
            ("xlscore recalc 自评表.xlsx -q", "只显示问题数"),
        ],
        "check": [
            ("xlscore check 自评表.xlsx", "只检查不写入：先列错误，再列警告"),
            ("xlscore check *.xlsx -v", "检查多个文件，并列出提示"),
            ("xlscore check 自评表.xlsx --profile guangxi", "按广西规则配置检查"),
            ("xlscore check 自评表.xlsx --format json", "输出 JSON，供脚本使用"),
        ],
        "batch": [
            ("xlscore batch 收到的自评表/", "检查文件夹中全部工作簿，生成 xlscore汇总.xlsx"),
            ("xlscore batch 收到的自评表/ -o 汇总.xlsx --workers 2", "指定汇总文件和并行进程数"),
            ("xlscore batch 收到的自评表/ -v", "同时逐个文件列出错误和警告"),
            ("xlscore batch 收到的自评表/ --format csv > 问题.csv", "每个问题一行的 CSV"),
        ],
        "template": [
            ("xlscore template targets -o 绩效目标表.xlsx", "空白绩效目标表"),
            ("xlscore template self-assessment --from 绩效目标表.xlsx -o 自评表.xlsx", "由目标表生成自评表"),
            ("xlscore template scoring --rows 20 -o 评分表.xlsx", "评价评分表，留 20 个空白指标行"),
        ],
        "addin": [
            ("xlscore addin install", "安装 Excel 加载项（先关闭 Excel）"),
            ("xlscore addin install --dry-run", "只显示要执行的命令"),
            ("xlscore addin path", "显示 xlscore.xlam 的位置"),
        ],
        "rules": [
            ("xlscore rules", "列出检查项、评分规则类型和规则配置"),
            ("xlscore rules --format markdown > checks.md", "检查项表（Markdown）"),
        ],
    },
    "en": {
        "recalc": [
            ("xlscore recalc form.xlsx", "recompute and write back; mark and comment problem cells"),
            ("xlscore recalc form.xlsx -o out.xlsx", "write the result to a new file"),
            ("xlscore recalc form.xlsx --targets targets.xlsx", "also compare with the declared targets"),
            ("xlscore recalc form.xlsx -q", "print only the counts"),
        ],
        "check": [
            ("xlscore check form.xlsx", "read only: errors first, then warnings"),
            ("xlscore check *.xlsx -v", "several files, notes included"),
            ("xlscore check form.xlsx --profile guangxi", "with the Guangxi rule profile"),
            ("xlscore check form.xlsx --format json", "one JSON document for scripts"),
        ],
        "batch": [
            ("xlscore batch forms/", "check a folder into xlscore汇总.xlsx"),
            ("xlscore batch forms/ -o summary.xlsx --workers 2", "name the summary, two processes"),
            ("xlscore batch forms/ -v", "also list each file's errors and warnings"),
            ("xlscore batch forms/ --format csv > findings.csv", "one CSV row per finding"),
        ],
        "template": [
            ("xlscore template targets -o targets.xlsx", "a blank targets sheet"),
            ("xlscore template self-assessment --from targets.xlsx -o form.xlsx", "pre-filled from targets"),
            ("xlscore template scoring --rows 20 -o scoring.xlsx", "a scoring table with 20 blank rows"),
        ],
        "addin": [
            ("xlscore addin install", "install the Excel add-in (close Excel first)"),
            ("xlscore addin install --dry-run", "print the commands only"),
            ("xlscore addin path", "where xlscore.xlam is"),
        ],
        "rules": [
            ("xlscore rules", "finding codes, rule kinds and profiles"),
            ("xlscore rules --format markdown > checks.md", "the checks table as Markdown"),
        ],
    },
}


class UsageError(Exception):
    """Bad usage found before argparse runs (``--lang`` without a valid value)."""


def env_lang() -> str:
    return "en" if os.environ.get("XLSCORE_LANG", "").lower().startswith("en") else "zh"


def split_lang(argv: list[str]) -> tuple[str, list[str]]:
    """(language, the arguments without ``--lang X`` / ``--lang=X``) — so ``--lang`` goes anywhere on the line.
    Raises UsageError (in the language of the environment) for a missing or unknown value."""
    lang, rest, i = None, [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest += argv[i:]
            break
        name = a.split("=", 1)[0]
        if len(name) >= 3 and "--lang".startswith(name):      # --lang, and argparse's abbreviations --lan … --l
            if "=" in a:
                value = a.split("=", 1)[1]
            elif i + 1 < len(argv):
                value, i = argv[i + 1], i + 1
            else:
                raise UsageError(WORDS[env_lang()]["lang-missing"])
            if value not in LANGS:
                w = WORDS[lang or env_lang()]
                raise UsageError("--lang: " + w["invalid-choice"].format(value=value, choices=w["sep"].join(LANGS))
                                 + _suggest(value, LANGS, w))
            lang = value
        else:
            rest.append(a)
        i += 1
    return lang or env_lang(), rest


@contextlib.contextmanager
def localized(lang: str):
    """argparse speaks ``lang`` while the parser is built and used (its gettext hook, restored afterwards)."""
    if lang != "zh":
        yield
        return
    saved = argparse._, argparse.ngettext
    argparse._ = lambda s: ARGPARSE_ZH.get(s, s)
    argparse.ngettext = lambda s, p, n: ARGPARSE_ZH.get(s if n == 1 else p, s if n == 1 else p)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _suggest(value: str, candidates, w) -> str:
    import difflib
    close = difflib.get_close_matches(value, [str(c) for c in candidates], n=1, cutoff=0.6)
    if not close:
        return ""
    return w["suggest-sep"] + w["did-you-mean"].format(close[0])


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line in the user's language, with a suggestion."""

    lang = "zh"

    def error(self, message):
        w = WORDS[self.lang]
        print(f"{self.prog}: {message}{w['see-help'].format(prog=self.prog)}", file=sys.stderr)
        self.exit(EXIT_USAGE)

    def _check_value(self, action, value):
        if action.choices is None or value in action.choices:
            return
        w = WORDS[self.lang]
        choices = w["sep"].join(map(str, action.choices))
        if isinstance(action, argparse._SubParsersAction):
            raise argparse.ArgumentError(None, w["unknown-command"].format(value=value, choices=choices)
                                         + _suggest(str(value), action.choices, w))
        raise argparse.ArgumentError(action if action.option_strings else None,   # a positional: no "argument action:"
                                     w["invalid-choice"].format(value=value, choices=choices)
                                     + _suggest(str(value), action.choices, w))

    def _get_value(self, action, arg_string):
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError:
            if action.type in (int, float):
                key = "not-int" if action.type is int else "not-float"
                raise argparse.ArgumentError(action, WORDS[self.lang][key].format(value=arg_string)) from None
            raise

    def unrecognized(self, extras: list[str]):
        """Report arguments nobody took, with the closest option of this parser for a misspelled one."""
        w = WORDS[self.lang]
        options = [s for a in self._actions for s in a.option_strings if s.startswith("--")]
        hint = ""
        for x in extras:
            if x.startswith("-"):
                hint = _suggest(x.split("=", 1)[0], options + ["--lang"], w)
                if hint:
                    break
        self.error(argparse._("unrecognized arguments: %s") % " ".join(extras) + hint)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help wrapped by display width (a Chinese character is two columns), descriptions and examples kept as
    written unless a line is wider than the terminal, columns aligned after Chinese metavars."""

    def _split_lines(self, text, width):
        from .term import wrap
        text = self._whitespace_matcher.sub(" ", text).strip()
        return [ln.strip() for ln in wrap("", text, max(width, 20), 0)]

    def _fill_text(self, text, width, indent):
        from .term import width_of, wrap
        out = []
        for line in text.splitlines():
            lead = len(line) - len(line.lstrip(" "))
            m = re.search(r"\S( {2,})\S", line)
            if m and width_of(indent + line) > width:      # "command   what it does": the words under the command
                out.append(indent + line[: m.start(1)])
                out += wrap(indent + " " * (lead + 4), line[m.end(1) - 1:], max(width, 20), len(indent) + lead + 4)
                continue
            out += wrap(indent + line[:lead], line[lead:], max(width, 20), len(indent) + lead + 2)
        return "\n".join(out)

    def _format_usage(self, usage, actions, groups, prefix):
        from .term import width_of
        saved = self._width
        try:
            for _ in range(4):                 # argparse counts characters: narrow it until the columns fit
                text = super()._format_usage(usage, actions, groups, prefix)
                over = max(width_of(ln) for ln in text.splitlines()) - saved
                if over <= 0 or self._width - over < 30:
                    break
                self._width -= over
            return text
        finally:
            self._width = saved

    def _format_action(self, action):
        from .term import width_of
        text = super()._format_action(action)
        inv = self._format_action_invocation(action)
        extra = width_of(inv) - len(inv)
        first, nl, rest = text.partition("\n")
        i = first.find(inv)
        if extra > 0 and i >= 0:
            i += len(inv)
            gap = len(first) - i - len(first[i:].lstrip(" "))
            cut = min(extra, gap - 2)
            if cut > 0 and first[i:].strip():
                first = first[:i] + first[i + cut:]
        return first + nl + rest


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            return dict(a.choices)
    return {}


def finish(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """After build_parser: the language on every parser, Chinese names for positionals, examples in each help."""
    w = WORDS[lang]
    for p in [parser, *subparsers(parser).values()]:
        if isinstance(p, Parser):
            p.lang = lang
        p.formatter_class = HelpFormatter
        for a in p._actions:
            if isinstance(a, argparse._VersionAction):
                a.help = argparse._("show program's version number and exit")
            if lang == "zh" and a.option_strings and a.metavar is None and a.dest in METAVAR_ZH and a.nargs != 0:
                a.metavar = METAVAR_ZH[a.dest]
    for name, sp in subparsers(parser).items():
        if lang == "zh":
            for a in sp._actions:
                if not a.option_strings and a.choices is None and a.dest in POSITIONAL_ZH and a.metavar is None:
                    a.metavar = POSITIONAL_ZH[a.dest]
        rows = EXAMPLES[lang].get(name)
        if rows:
            from .term import width_of
            pad = max(width_of(cmd) for cmd, _ in rows) + 3
            body = "\n".join(f"  {cmd}{' ' * (pad - width_of(cmd))}{what}" for cmd, what in rows)
            sp.epilog = f"{w['examples']}\n{body}" + (f"\n\n{sp.epilog}" if sp.epilog else "")
    return parser


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """parse_args, with arguments nobody took reported by the command they were given to."""
    args, extras = parser.parse_known_args(argv)
    if extras:
        target = subparsers(parser).get(getattr(args, "command", None) or "", parser)
        (target if isinstance(target, Parser) else parser).unrecognized(extras)
    return args
