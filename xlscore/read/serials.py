"""Excel serial numbers and number formats: which formats show a date or a duration, and a serial as a date, as
openpyxl converts them. Shared by the light reader (:mod:`xlscore.read.fastxlsx`) and the formula evaluator
(:mod:`xlscore.read.formulas`)."""

from __future__ import annotations

import datetime as _dt
import re
from ..text import lazy_re

_STRIP = lazy_re(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CHAR = lazy_re(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = lazy_re(r'\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?', re.I)


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _DATE_CHAR.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    return fmt is not None and _TIMEDELTA.search(fmt.split(";")[0]) is not None


WINDOWS_EPOCH = _dt.datetime(1899, 12, 30)
MAC_EPOCH = _dt.datetime(1904, 1, 1)


def from_excel(value, epoch=WINDOWS_EPOCH, timedelta=False):
    """An Excel serial → datetime / time / timedelta, exactly as openpyxl.utils.datetime.from_excel."""
    if timedelta:
        td = _dt.timedelta(days=value)
        if td.microseconds:
            td = _dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = _dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return _dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + _dt.timedelta(days=day) + diff
