"""Applying a write plan, once, for every spreadsheet library.

A *store* (the openpyxl workbook of a file, the xlwings book open in Excel) offers a handful of
cell primitives; :func:`restore` and :func:`apply_plan` hold the logic: the state sheet that makes
runs idempotent, what is kept of the user's cell, the comment text, the report sheet's layout. So
the CLI and the Excel button produce the same values, fills, comments and report.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from ..records import dataclass, field
from typing import Any, Protocol

from ..grid import address, parse_address
from .plan import COMMENT_AUTHOR, FILL, NO_VALUE, Plan

REPORT_SHEET = "xlscore"
STATE_SHEET = "xlscore_state"
OWN_SHEETS = (REPORT_SHEET, STATE_SHEET)        # the sheets xlscore writes itself: never read as forms
STATE_HEAD = ["sheet", "cell", "original", "written", "fill", "comment", "comment_author", "number_format", "was_formula"]


@dataclass
class Snapshot:
    value: Any
    formula: bool
    fill: str | None            # an opaque token the store can put back ("xml:…" or "rgb:RRGGBB" / "none")
    comment: tuple[str, str] | None
    number_format: str | None
    cached: Any = None          # a formula's stored result, where the store knows it (the package store does)


class Store(Protocol):
    def sheet_names(self) -> list[str]: ...
    def read_state(self) -> list[list[Any]]: ...
    def drop_sheet(self, name: str) -> None: ...
    def snapshot(self, sheet: str, row: int, col: int) -> Snapshot | None: ...
    def put_value(self, sheet: str, row: int, col: int, value: Any, formula: bool) -> None: ...
    def put_fill(self, sheet: str, row: int, col: int, token: str | None) -> None: ...
    def put_number_format(self, sheet: str, row: int, col: int, fmt: str) -> None: ...
    def put_comment(self, sheet: str, row: int, col: int, text: str | None, author: str) -> None: ...
    def write_report(self, layout: "ReportLayout") -> None: ...
    def write_state(self, rows: list[list[Any]]) -> None: ...


# --------------------------------------------------------------------------- value encoding in the state sheet

def plain(v: Any) -> Any:
    if v is None:
        return None
    cls = type(v).__name__
    if cls == "CellRichText":
        return str(v)
    if cls == "ArrayFormula":
        return v.text
    if cls == "DataTableFormula":
        return "=TABLE()"
    return v


def enc(v: Any) -> str:
    v = plain(v)
    if v is None:
        return json.dumps({"t": "null"})
    if isinstance(v, bool):
        return json.dumps({"t": "b", "v": v})
    if isinstance(v, (int, float)):
        return json.dumps({"t": "n", "v": v})
    if isinstance(v, _dt.datetime):
        return json.dumps({"t": "dt", "v": v.isoformat()})
    if isinstance(v, _dt.date):
        return json.dumps({"t": "d", "v": v.isoformat()})
    return json.dumps({"t": "s", "v": str(v)}, ensure_ascii=False)


def enc_original(snap: "Snapshot") -> str:
    """The state's "original" field: the value, and for a formula its stored result under "c" (readers that do
    not know "c" — older versions, the other stores — read the formula alone, as before)."""
    if snap.formula and snap.cached is not None:
        d = json.loads(enc(snap.value))
        d["c"] = json.loads(enc(snap.cached))
        return json.dumps(d, ensure_ascii=False)
    return enc(snap.value)


def dec_cached(s: str | None) -> Any:
    """The stored formula result an "original" field carries (None if none)."""
    if not s:
        return None
    d = json.loads(s)
    c = d.get("c") if isinstance(d, dict) else None
    return dec(json.dumps(c)) if isinstance(c, dict) else None


def dec(s: str | None) -> Any:
    if not s:
        return None
    d = json.loads(s)
    if not isinstance(d, dict):
        raise ValueError("not a state value")
    t = d.get("t")
    if t == "null":
        return None
    if t == "dt":
        return _dt.datetime.fromisoformat(d["v"])
    if t == "d":
        return _dt.date.fromisoformat(d["v"])
    return d.get("v")


def same(a: Any, b: Any) -> bool:
    a, b = plain(a), plain(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9
    if isinstance(a, _dt.datetime) and isinstance(b, _dt.date) and not isinstance(b, _dt.datetime):
        return a.date() == b
    return a == b


def fill_rgb(token: str | None) -> str | None:
    """The RRGGBB a fill token stands for (any store's token), or None for no fill."""
    if not token or token == "none":
        return None
    if token.startswith("rgb:"):
        return token[4:]
    m = re.search(r'patternType="solid".*?fgColor rgb="(?:[0-9A-Fa-f]{2})?([0-9A-Fa-f]{6})"', token, re.S)
    return m.group(1).upper() if m else None


# --------------------------------------------------------------------------- restore and apply

def restore(store: Store) -> int:
    """Undo the previous run: originals back into the cells the tool touched; drop its sheets.

    The clerk's value comes back only where the tool's value and its comment are both still there:
    a value typed since, or a deleted xlscore comment (accepting the tool's value), keeps the cell.

    The state sheet is data from the file, so it may be damaged or forged: a row that cannot be read or put
    back is skipped, never an error. Returns the number of rows skipped (the caller warns about them)."""
    names = store.sheet_names()
    skipped = 0
    if STATE_SHEET in names:
        try:
            rows = join_state(store.read_state())
        except Exception:  # noqa: BLE001 - an unreadable state sheet: nothing to restore
            rows, skipped = [], 1
        for row in rows:
            if not row or not row[0]:
                continue
            try:
                _restore_row(store, names, row)
            except Exception:  # noqa: BLE001 - a forged or damaged row: leave that cell as it is
                skipped += 1
        store.drop_sheet(STATE_SHEET)
    if REPORT_SHEET in store.sheet_names():
        store.drop_sheet(REPORT_SHEET)
    return skipped


def _restore_row(store: Store, names: list[str], row: list[Any]) -> None:
    sheet, ref, orig, written, fill, ctext, cauthor, fmt, was_formula = (list(row) + [None] * 9)[:9]
    if sheet not in names:
        return
    r, c = parse_address(str(ref))
    if not (1 <= r <= 1_048_576 and 1 <= c <= 16_384):
        raise ValueError(f"bad cell reference {ref!r}")
    for v in (orig, written, fill, ctext, cauthor, fmt):
        if v is not None and not isinstance(v, (str, int, float)):
            raise ValueError("bad state value")
    orig_v = dec(orig)              # decode first: a damaged entry changes nothing in the cell
    written_v = dec(written) if written else None
    snap = store.snapshot(sheet, r, c)
    if snap is None:
        return
    ours = snap.comment is not None and (snap.comment[0] or "").startswith("xlscore:")
    if written and ours and same(snap.value, written_v):
        store.put_value(sheet, r, c, orig_v, bool(was_formula))
        put_cached = getattr(store, "put_cached", None)       # the formula's stored result, where the store keeps it
        cached = dec_cached(orig) if was_formula else None
        if put_cached is not None and cached is not None:
            put_cached(sheet, r, c, cached)
    store.put_fill(sheet, r, c, None if fill is None else str(fill))
    if fmt is not None:
        store.put_number_format(sheet, r, c, str(fmt))
    store.put_comment(sheet, r, c, str(ctext) if ctext else None, str(cauthor or ""))


# --------------------------------------------------------------------------- the state sheet's rows in cells

CHUNK = 32_000      # characters per state cell (Excel's limit is 32,767)


def chunk_state(rows: list[list[Any]]) -> list[list[Any]]:
    """State rows whose long fields (an original value or comment of any length) are split over continuation
    rows ``[None, "+<field index>", piece]`` under their row; readers older than this skip such rows
    (their first cell is empty)."""
    out: list[list[Any]] = []
    for row in rows:
        row = list(row)
        extra = []
        for i, v in enumerate(row):
            if isinstance(v, str) and len(v) > CHUNK:
                pieces = [v[j:j + CHUNK] for j in range(0, len(v), CHUNK)]
                row[i] = pieces[0]
                extra.extend([None, f"+{i}", p] for p in pieces[1:])
        out.append(row)
        out.extend(extra)
    return out


def join_state(rows: list[list[Any]]) -> list[list[Any]]:
    """The inverse of :func:`chunk_state` (over the rows below the head row)."""
    out: list[list[Any]] = []
    for row in rows:
        row = list(row) if row is not None else []
        if row and not row[0] and len(row) >= 3 and isinstance(row[1], str) and row[1].startswith("+"):
            i = int(row[1][1:])
            if out and 0 <= i < 9 and isinstance(row[2], str):
                prev = out[-1]
                prev.extend([None] * (i + 1 - len(prev)))
                prev[i] = (prev[i] if isinstance(prev[i], str) else "") + row[2]
            continue
        out.append(row)
    return out


def apply_plan(store: Store, plan: Plan) -> None:
    state = []
    for (sheet, row, col), a in sorted(plan.actions.items()):
        snap = store.snapshot(sheet, row, col)
        if snap is None:          # inside a merged range: nothing to write there
            continue
        state.append([sheet, address(row, col), enc_original(snap), enc(a.value) if a.value is not NO_VALUE else None,
                      snap.fill, snap.comment[0] if snap.comment else None,
                      snap.comment[1] if snap.comment else None, snap.number_format, 1 if snap.formula else 0])
        if a.value is not NO_VALUE:
            store.put_value(sheet, row, col, a.value, False)
            if a.number_format:
                store.put_number_format(sheet, row, col, a.number_format)
        if a.severity in FILL:
            store.put_fill(sheet, row, col, "rgb:" + FILL[a.severity][2:])
        text = a.comment(plan.lang)
        if snap.comment and snap.comment[0]:
            text += ("\n—— 原批注 ——\n" if plan.lang == "zh" else "\n—— original comment ——\n") + snap.comment[0]
        store.put_comment(sheet, row, col, text, COMMENT_AUTHOR)
    store.write_report(report_layout(plan))
    if state:
        store.write_state(chunk_state([STATE_HEAD] + state))


# --------------------------------------------------------------------------- the report sheet, as data

# The report's columns, left to right, as a reviewer reads a finding: where (工作表, 单元格), how bad (级别), what
# (问题, 说明), the figures (表中值, 应为), why (规则), then the code and the running number for sorting back.
# Each entry: (index into a Plan.findings row, width). Plan.findings rows are
# [n, sheet, cell, severity, code, title, message, found, expected, rule].
FINDINGS_ORDER = ((1, 12), (2, 8), (3, 7), (5, 20), (6, 50), (7, 12), (8, 12), (9, 34), (4, 22), (0, 6))
REPORT_HEAD = {
    "zh": ["工作表", "单元格", "级别", "问题", "说明", "表中值", "应为", "规则", "代码", "序号"],
    "en": ["sheet", "cell", "severity", "problem", "message", "found", "expected", "rule", "code", "#"],
}
# The summary table in the same grid: numbers never stand right-aligned against a name in the next column
# (the name has the wide 说明 column; the counts have columns of their own, centred).
# Plan.summary rows are [sheet, kind, total, grade, errors, warnings, name, infos].
SUMMARY_ORDER = (0, 2, 3, 1, 6, 4, 5, 7)
REPORT_SUMMARY_HEAD = {
    "zh": ["工作表", "重算总分", "等级", "表类型", "名称", "错误", "警告", "提示"],
    "en": ["sheet", "total", "grade", "kind", "name", "errors", "warnings", "notes"],
}
REPORT_WRITES_HEAD = {
    "zh": ["工作表", "单元格", "内容", "原值（用户填写）", "xlscore 写入"],
    "en": ["sheet", "cell", "what", "was (typed by the user)", "written by xlscore"],
}


@dataclass
class ReportLayout:
    rows: list[list[Any]] = field(default_factory=list)      # row 1 first
    title_rows: list[int] = field(default_factory=list)      # 1-based
    head_rows: list[int] = field(default_factory=list)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)       # (row, col) → RRGGBB
    links: list[tuple[int, int, str]] = field(default_factory=list)       # (row, col, "#'sheet'!A1")
    wrap: list[tuple[int, int]] = field(default_factory=list)             # text cells: wrapped, top-aligned
    center: list[tuple[int, int]] = field(default_factory=list)           # counts and grades: centred
    heights: dict[int, float] = field(default_factory=dict)               # row → points, for wrapped text
    widths: tuple[float, ...] = tuple(w for _, w in FINDINGS_ORDER)
    autofilter: str | None = None
    head_fill: str = "D9E1F2"
    # print setup: A4 landscape, one page wide, this row (the findings header) repeated on every page
    repeat_row: int | None = None
    landscape: bool = True
    fit_width: int = 1

    def cells(self):
        """Every (row, col, value) of the sheet, 1-based: a store writes the report through this alone."""
        for r, row in enumerate(self.rows, 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    yield r, c, v


_NARROW = re.compile(r"[\x00-\u2e7f]+")      # runs of the characters that are not CJK or full-width


def text_units(s: str) -> int:
    """Roughly how many whole column-width units *s* takes on screen: each CJK or full-width character counts
    two, any other 1.1, rounded up (as ``int(sum(2.0 or 1.1 per character) + 0.999)``, counted exactly)."""
    wide = 0 if s.isascii() else len(s) - sum(map(len, _NARROW.findall(s)))
    return 2 * wide + (11 * (len(s) - wide) + 9) // 10


def row_height(row: list[Any], widths: tuple[float, ...], line: float = 15.0) -> float | None:
    """The height a report row needs for its wrapped cells (spreadsheet programs do not grow a row on open)."""
    lines = 1
    for v, w in zip(row, widths):
        if v is None:
            continue
        per = max(int(w - 1), 1)
        need = 0
        for part in str(v).split("\n"):
            need += max(1, -(-text_units(part) // per))
        lines = max(lines, need)
    return None if lines == 1 else min(line * lines + 2, 409)


def _link(sheet: str, ref: str) -> str:
    return "#'" + sheet.replace("'", "''") + "'!" + ref


def unquote(shown: Any) -> Any:
    """An original as the report shows it: text as typed (``show`` quotes it for comments), empty as blank."""
    if shown == "（空）":
        return None
    if isinstance(shown, str) and len(shown) >= 2 and shown[0] == shown[-1] == '"':
        try:
            return json.loads(shown)
        except ValueError:
            return shown
    return shown


def report_layout(plan: Plan) -> ReportLayout:
    zh = plan.lang == "zh"
    lang = "zh" if zh else "en"
    lay = ReportLayout()
    rows = lay.rows
    rows.append([plan.header[0]])
    lay.title_rows.append(1)
    rows.append([plan.header[1]])
    rows.append([])

    def table(title: str, head: list[str], body: list[list[Any]]) -> int:
        rows.append([title])
        lay.title_rows.append(len(rows))
        rows.append(list(head))
        hr = len(rows)
        lay.head_rows.append(hr)
        rows.extend(list(r) for r in body)
        rows.append([])
        return hr

    summary = [[row[i] for i in SUMMARY_ORDER] for row in plan.summary]
    hr = table("汇总" if zh else "Summary", REPORT_SUMMARY_HEAD[lang], summary)
    for i in range(len(summary)):
        r = hr + 1 + i
        lay.center.extend((r, c) for c in (2, 3, 6, 7, 8))
        lay.wrap.extend((r, c) for c in (1, 4, 5))
    findings = [[row[i] for i, _ in FINDINGS_ORDER] for row in plan.findings]
    hr = table("问题清单" if zh else "Findings", REPORT_HEAD[lang], findings)
    lay.repeat_row = hr
    for i, row in enumerate(findings):
        r = hr + 1 + i
        sheet, ref, sev = row[0], row[1], row[2]
        if ref:
            lay.links.append((r, 2, _link(sheet, ref)))
        color = {"错误": FILL["error"], "error": FILL["error"], "警告": FILL["warning"], "warning": FILL["warning"]}.get(sev)
        if color:
            lay.fills[(r, 3)] = color[2:]
        lay.center.extend([(r, 3), (r, 10)])
        lay.wrap.extend((r, c) for c in (1, 4, 5, 6, 7, 8, 9))
    if plan.findings:
        lay.autofilter = f"A{hr}:J{hr + len(plan.findings)}"
    if plan.writes:
        writes = [[w[0], w[1], w[2], unquote(w[3]), w[4]] for w in plan.writes]
        wr = table("xlscore 改写的单元格（原值已保留在批注中）" if zh else
                   "Cells rewritten by xlscore (the typed value is kept in the comment)", REPORT_WRITES_HEAD[lang], writes)
        for i in range(len(writes)):
            lay.links.append((wr + 1 + i, 2, _link(writes[i][0], writes[i][1])))
            lay.wrap.extend((wr + 1 + i, c) for c in (1, 3, 4, 5))
    wrapped = {r for r, _ in lay.wrap}
    for r in wrapped:
        h = row_height(rows[r - 1], lay.widths)
        if h:
            lay.heights[r] = h
    for r in lay.head_rows:
        h = row_height(rows[r - 1], lay.widths)
        if h:
            lay.heights[r] = h
    return lay
