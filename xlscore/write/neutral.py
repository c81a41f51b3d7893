"""No formula from data: text the clerk typed (and messages quoting it) goes into every output as inert text.

Spreadsheet programs evaluate a cell, or a CSV field, whose text begins with ``=``, ``+``, ``-``, ``@``
(and, for CSV, tab or CR) — ``=HYPERLINK("http://…","点此")`` from a form's 偏差原因 must not become a live
link in xlscore's report. Control characters are not allowed in xlsx XML at all (openpyxl refuses them) and
move a terminal's cursor, so they are shown as their visible Unicode pictures (U+2400…).

* xlsx (openpyxl, xlsxwriter): :func:`text` cleans, and the writer stores the value as a string cell;
* Excel through xlwings: :func:`excel_text` adds Excel's text prefix ``'`` (not part of the value);
* CSV: :func:`csv_field` prefixes a single quote, as OWASP recommends for CSV injection.
"""

from __future__ import annotations

import re
from typing import Any

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f]")
MAX_CELL = 32_767          # Excel's limit on the characters in one cell


def _picture(m: re.Match) -> str:
    c = ord(m.group())
    return "\u2421" if c == 0x7F else chr(0x2400 + c)


def text(v: Any) -> Any:
    """A string with its control characters (except tab and line feed) made visible; other values unchanged."""
    if isinstance(v, str) and _CTRL.search(v):
        return _CTRL.sub(_picture, v)
    return v


def risky(v: Any) -> bool:
    return isinstance(v, str) and v.startswith(RISKY_START)


def excel_text(v: Any) -> Any:
    """A value for a cell written through Excel's object model: text that Excel would parse as a formula or a
    number gets Excel's apostrophe prefix, which marks the cell as text and is not part of its value."""
    v = text(v)
    return "'" + v if risky(v) else v


def csv_field(v: Any) -> Any:
    """A CSV field: risky text is prefixed with a single quote (OWASP, CSV injection); numbers stay numbers."""
    v = text(v)
    if risky(v) or (isinstance(v, str) and v.startswith("\t")):
        return "'" + v
    return v


def chunks(s: str, size: int = 32_000) -> list[str]:
    """*s* in pieces that each fit in one cell."""
    return [s[i:i + size] for i in range(0, len(s), size)] or [""]
