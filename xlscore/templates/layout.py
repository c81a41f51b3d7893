"""The pieces the templates are laid out from: a column of an indicator table, the header block, the
funds block and the goal block — each written the way xlscore's reader (:mod:`xlscore.read.locate`)
finds it by its labels, so a filled template reads back without configuration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .style import Styles, validate

TEXT = "@"          # targets and actuals are text: typing 95% must stay "95%", not become 0.95


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "input"               # input | result | declared (pre-filled, locked) | seq
    num_format: str | None = None
    choice: str | None = None         # a key of style.CHOICES
    align: str = "center"
    key: str = ""                     # the name a row dict uses for this column (defaults to the header)

    @property
    def name(self) -> str:
        return self.key or self.header


def write_cell(ws, styles: Styles, row: int, col: int, value: Any, kind: str, num_format: str | None = None,
               align: str = "center") -> None:
    fmt = styles.get(kind, num_format, align)
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, str(value), fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def merged_cell(ws, styles: Styles, row: int, c0: int, c1: int, value: Any, kind: str, num_format: str | None = None,
                align: str = "center") -> None:
    """*value* in columns c0…c1 of *row*, merged when they are more than one."""
    if c1 > c0:
        ws.merge_range(row, c0, row, c1, "", styles.get(kind, num_format, align))
    write_cell(ws, styles, row, c0, value, kind, num_format, align)


def title(ws, styles: Styles, text: str, subtitle: str | None, last_col: int) -> int:
    """Title line (and a （2024年度） line); returns the next free row."""
    ws.merge_range(0, 0, 0, last_col, text, styles.get("title"))
    ws.set_row(0, 30)
    if subtitle is None:
        return 1
    ws.merge_range(1, 0, 1, last_col, subtitle, styles.get("subtitle"))
    return 2


def header_block(ws, styles: Styles, row: int, pairs: Sequence[Sequence[tuple[str, Any]]], last_col: int,
                 kind: str = "input") -> int:
    """Label | value rows (项目名称 | …; 主管部门 | … | 实施单位 | …). Each row's values share the width evenly."""
    for line in pairs:
        n = len(line)
        span = (last_col + 1) // n
        for i, (label, value) in enumerate(line):
            c0 = i * span
            c1 = last_col if i == n - 1 else c0 + span - 1
            lw = 2 if c1 - c0 >= 3 else 1            # the label over two columns where there is room
            if lw == 2:
                ws.merge_range(row, c0, row, c0 + 1, label, styles.get("label"))
            else:
                ws.write(row, c0, label, styles.get("label"))
            merged_cell(ws, styles, row, c0 + lw, c1, value, kind, None, "left")
        ws.set_row(row, 22)
        row += 1
    return row


def table_header(ws, styles: Styles, row: int, columns: Sequence[Column]) -> None:
    for c, col in enumerate(columns):
        ws.write(row, c, col.header, styles.get("label"))
        ws.set_column(c, c, col.width)
    ws.set_row(row, 36)


def table_rows(ws, styles: Styles, first: int, columns: Sequence[Column], rows: Sequence[dict], n_blank: int,
               height: float = 30) -> int:
    """The indicator rows: *rows* pre-filled (dicts keyed by column name), then *n_blank* empty ones
    numbered in the 序号 column (so the reader keeps reading through unused rows). Returns the row after."""
    total = len(rows) + n_blank
    for i in range(total):
        r = first + i
        data = rows[i] if i < len(rows) else {}
        for c, col in enumerate(columns):
            if col.kind == "seq":
                write_cell(ws, styles, r, c, i + 1, "label")
                continue
            kind = col.kind
            if kind == "input" and data.get("_declared") and col.name in data.get("_declared"):
                kind = "declared"
            write_cell(ws, styles, r, c, data.get(col.name), kind, col.num_format, col.align)
        ws.set_row(r, height)
    last = first + total - 1
    for c, col in enumerate(columns):
        if col.choice and col.kind == "input":
            validate(ws, col.choice, first, last, c)
    return first + total
