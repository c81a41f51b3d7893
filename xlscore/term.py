"""Terminal output for a person: ``xlscore check`` / ``recalc`` / ``batch -v`` in text format.

Per file a summary line (forms and counts), then per sheet a summary line (total, grade, counts) followed by its
errors, then its warnings (hints only with ``-v``). A finding whose message ends with its scoring rule
("…。规则：<rule>") refers to a numbered rule instead, and the rules are printed once, after the file's list.
Lines are wrapped to the terminal width (display width: a Chinese character is two columns); the head of a
finding (cell, severity, code) is never broken. When stdout is not a terminal and COLUMNS is unset, lines are not
wrapped (one finding per line, for grep). ``--format json`` does not come here.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata

from .i18n import t
from .write import neutral

SEVERITY_ORDER = ("error", "warning", "info")
_RULE_TAIL = {"zh": "。规则：", "en": ". Rule: "}
_CLOSE = set("，。、；：！？）」』”’》】〕…%,.;:!?)]}")
_OPEN = set("（「『“‘《【〔([{")
_TOKEN = re.compile(r"[!-~]+| +|.", re.S)


def terminal_width(stream=None) -> int | None:
    """Columns to wrap at: COLUMNS, or the terminal's width when ``stream`` is a terminal; None: do not wrap."""
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    try:
        if stream is None or not stream.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size().columns


def width_of(text: str) -> int:
    """Display columns: wide and fullwidth characters take two, and so do ambiguous ones (“ ” × ≥ ①), which a
    Chinese terminal shows wide — so a line never overflows there."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
    return n


def _tokens(text: str) -> list[str]:
    """Units a line may break between: ASCII words whole, one Chinese character each; closing punctuation stays
    with what it closes, opening punctuation with what it opens."""
    out: list[str] = []
    pending_open = ""
    for tok in _TOKEN.findall(text):
        if tok in _OPEN:
            pending_open += tok
            continue
        if pending_open:
            tok, pending_open = pending_open + tok, ""
        if out and tok[0] in _CLOSE and not out[-1].isspace():
            out[-1] += tok
        else:
            out.append(tok)
    if pending_open:
        out.append(pending_open)
    return out


def wrap(head: str, text: str, width: int | None, indent: int) -> list[str]:
    """``head`` + ``text`` in lines of at most ``width`` columns; ``head`` is never broken (a narrow terminal gets
    it whole on the first line), continuation lines are indented by ``indent`` spaces."""
    line = head + text
    if width is None or width_of(line) <= width:
        return [line]
    lines: list[str] = []
    cur, cur_w = head, width_of(head)
    pad = " " * indent
    for tok in _tokens(text):
        w = width_of(tok)
        if cur_w + w <= width:
            cur, cur_w = cur + tok, cur_w + w
            continue
        if tok.isspace():
            continue
        if indent + w > width:             # one token wider than a line (a long path): cut it by characters
            for ch in tok:
                cw = width_of(ch)
                if cur_w + cw > width and cur.strip():
                    lines.append(cur.rstrip())
                    cur, cur_w = pad, indent
                cur, cur_w = cur + ch, cur_w + cw
            continue
        lines.append(cur.rstrip())
        cur, cur_w = pad + tok, indent + w
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _split_rule(f, lang: str) -> tuple[str, str | None]:
    """The message without its trailing rule text, and that rule (None when the message does not end with it)."""
    tail = _RULE_TAIL["zh" if lang == "zh" else "en"]
    rule = f.rule
    if rule and f.message.endswith(tail + rule):
        return f.message[: -len(rule) - len(tail)] + tail[0].strip(), rule
    return f.message, None


def _common_profile(rules: list[str]) -> tuple[list[str], str]:
    """The rules without the profile title they all end with ("…（全国通用（…））"), and that title in brackets."""
    def tail(r: str) -> str:
        if not r.endswith(("）", ")")):
            return ""
        depth = 0
        for i in range(len(r) - 1, -1, -1):
            depth += r[i] in "）)"
            depth -= r[i] in "（("
            if depth == 0:
                return r[i:] if i else ""
        return ""
    common = tail(rules[0])
    if not common or any(tail(r) != common for r in rules):
        return rules, ""
    return [r[: -len(common)].rstrip() for r in rules], common


def _counts(errors: int, warnings: int, infos: int | None, lang: str) -> str:
    if lang == "zh":
        parts = [f"{errors} 个错误" if errors else "无错误", f"{warnings} 个警告" if warnings else "无警告"]
        if infos:
            parts.append(f"{infos} 条提示")
        return "，".join(parts)
    parts = [f"{errors} error{'s' * (errors != 1)}" if errors else "no errors",
             f"{warnings} warning{'s' * (warnings != 1)}" if warnings else "no warnings"]
    if infos:
        parts.append(f"{infos} note{'s' * (infos != 1)}")
    return ", ".join(parts)


def file_summary(res, lang: str, *, verbose: bool = False) -> str:
    forms = sum(1 for s in res.sheets if s.kind != "unknown")
    infos = res.count("info")
    line = t("summary", lang, path=res.path, forms=forms, errors=res.count("error"), warnings=res.count("warning"),
             infos=infos)
    if infos and not verbose:
        line += t("infos-hidden", lang)
    return line


def render_file(res, lang: str, *, verbose: bool = False, quiet: bool = False, width: int | None = None) -> list[str]:
    """The lines for one readable file (an unreadable one is a one-line error on stderr, not here)."""
    from .numbers import fmt_num
    lines = wrap("", file_summary(res, lang, verbose=verbose), width, 2)
    if quiet:
        return lines
    shown = SEVERITY_ORDER if verbose else SEVERITY_ORDER[:2]
    rules: dict[str, int] = {}
    for s in res.sheets:
        if s.kind == "unknown":
            lines += wrap("  ", t("sheet-skipped", lang, sheet=s.name).strip(), width, 4)
            continue
        by = {sev: [f for f in s.findings if f.severity == sev] for sev in SEVERITY_ORDER}
        head = t("sheet-line", lang, sheet=s.name, kind=t(f"kind-{s.kind}", lang), name=s.form_name,
                 total=fmt_num(round(s.total, 2)) if s.total is not None else "—", grade=s.grade or "—").strip()
        counts = _counts(len(by["error"]), len(by["warning"]), len(by["info"]) if verbose else None, lang)
        lines += wrap("  ", head + ("：" if lang == "zh" else ": ") + counts, width, 4)
        for sev in shown:
            for f in by[sev]:
                message, rule = _split_rule(f, lang)
                message = neutral.text(message)      # no control characters from a cell to the terminal
                if rule is not None:
                    n = rules.setdefault(rule, len(rules) + 1)
                    message += t("rule-ref", lang, n=n)
                lead = t("finding-line", lang, cell=f.cell or "-", severity=t(f"severity-{sev}", lang), code=f.code,
                         message="")
                lines += wrap(lead, message, width, 6)
    if rules:
        texts, profile = _common_profile(list(rules))
        if profile and lang != "zh":
            profile = " " + profile
        lines += wrap("  ", t("rules-legend", lang, profile=profile), width, 4)
        for text, n in zip(texts, rules.values()):
            lines += wrap("    " + t("rule-tag", lang, n=n), neutral.text(text), width, 6)
    if res.output_note:
        lines += wrap("", res.output_note, width, 2)
    return lines


def render_total(results, lang: str, width: int | None = None) -> list[str]:
    """One line of totals after several files."""
    ok = [r for r in results if not r.error]
    line = t("check-total", lang, files=len(results), unreadable=len(results) - len(ok),
             forms=sum(1 for r in ok for s in r.sheets if s.kind != "unknown"),
             errors=sum(r.count("error") for r in ok), warnings=sum(r.count("warning") for r in ok))
    return wrap("", line, width, 2)


def result_from_json(doc: dict, forms: list[dict] | None = None):
    """A FileResult rebuilt from its JSON (batch results travel as JSON); form names from batch's form rows."""
    from .report import FileResult, Finding, SheetResult
    names = {}
    for f in forms or []:
        names.setdefault(f.get("sheet"), f.get("project") or f.get("unit") or f.get("title") or "")
    res = FileResult(doc["path"], error=doc.get("error"))
    for s in doc.get("sheets", []):
        res.sheets.append(SheetResult(
            s["name"], s["kind"], total=s.get("total"), grade=s.get("grade"), form_name=names.get(s["name"], ""),
            findings=[Finding(code=x["code"], severity=x["severity"], sheet=s["name"], cell=x.get("cell"),
                              message=x["message"], rule=x.get("rule")) for x in s.get("findings", [])]))
    return res
