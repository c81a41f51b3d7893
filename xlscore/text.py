"""Text normalisation shared by the reader and the value grammar.

Hand-typed forms mix full-width and half-width characters, wrap labels over lines, carry tabs and
Word bookmarks pasted from documents. Everything that compares text goes through these helpers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import wraps


class LazyPattern:
    """A module-level pattern compiled the first time it is used, then used as the compiled pattern itself.

    Compiling the package's ~70 module-level patterns costs ~35 ms of every start; a check of one self-assessment form
    uses about half of them (a targets or scoring form another half). xlscore's start-up is most of a one-form run
    (issue 17), so the patterns wait for their first use: after it, ``search``, ``sub``… are the compiled pattern's
    own bound methods, kept on this object."""

    _ATTRS = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer",
              "pattern", "flags", "groups", "groupindex", "scanner")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str):           # only reached while the pattern is not compiled yet
        if name.startswith("__") or name == "_source":
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attr in self._ATTRS:
            self.__dict__[attr] = getattr(compiled, attr)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_re({self._source[0]!r})"


lazy_re = LazyPattern

_BOOKMARK = lazy_re(r"\[bookmark:[^\]]*\]")
_WS = lazy_re(r"\s+")

# Characters NFKC leaves alone but that mean the same thing in a form.
_EXTRA = str.maketrans({
    "－": "-", "—": "-", "–": "-", "―": "-", "−": "-",
    "～": "~", "〜": "~",
    "，": ",", "：": ":", "；": ";",
    "（": "(", "）": ")", "【": "[", "】": "]",
    "＜": "<", "＞": ">", "＝": "=",
    "≧": "≥", "≦": "≤",
})


def _traditional() -> dict[int, str]:
    from .tradchars import PAIRS
    body = "".join(PAIRS)
    return {ord(body[i]): body[i + 1] for i in range(0, len(body), 2)}


_EXTRA.update(_traditional())       # 項目績效 → 项目绩效: a form pasted from a page printed in Traditional characters


def fold(text: str) -> str:
    """Full-width → half-width (digits, letters, ％, operators), a few look-alike dashes and brackets, and Traditional
    characters → Simplified (xlscore/tradchars.py)."""
    return unicodedata.normalize("NFKC", text).translate(_EXTRA)


def artefacts(text: str) -> list[str]:
    """Names of text artefacts present in *text* (tabs, Word bookmarks, zero-width characters)."""
    found = []
    if "\t" in text:
        found.append("tab")
    if _BOOKMARK.search(text):
        found.append("bookmark")
    if any(ch in text for ch in "\u200b\u200c\u200d\ufeff"):
        found.append("zero-width")
    return found


def memo_text(maxsize: int):
    """Memoise a function of a cell's value for text values (forms repeat the same labels on every sheet and row);
    other values (numbers, dates, None) are passed through uncached (1, 1.0 and True would share a key). Extra
    arguments must be hashable. A plain dict, emptied when it reaches *maxsize*: a hit is one lookup, about half the
    cost of an lru_cache behind a wrapper (these are called ~1,000 times per sheet)."""
    def deco(fn):
        cache: dict = {}
        get = cache.get
        miss = object()

        @wraps(fn)
        def call(value, *rest):
            if not isinstance(value, str):
                return fn(value, *rest)
            k = (value, *rest) if rest else value
            got = get(k, miss)
            if got is miss:
                if len(cache) >= maxsize:
                    cache.clear()
                got = cache[k] = fn(value, *rest)
            return got
        return call
    return deco


@memo_text(1 << 16)
def clean(text: object) -> str:
    """A cell's text with artefacts removed and runs of whitespace collapsed (keeps inner single spaces)."""
    if text is None:
        return ""
    s = str(text)
    s = _BOOKMARK.sub("", s)
    for ch in "\u200b\u200c\u200d\ufeff":
        s = s.replace(ch, "")
    return _WS.sub(" ", s).strip()


@memo_text(1 << 16)
def key(text: object) -> str:
    """Matching key for header labels: folded, all whitespace removed (cells wrap, PDFs split words)."""
    if text is None:
        return ""
    return _WS.sub("", fold(clean(text)))


_NUM = lazy_re(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(value: object) -> float | None:
    """A plain number from a cell: 9,372.57 · '100.00分' · '１０' · 10 · ' 3.5 '. Percent signs are not accepted
    here (see :func:`parse_percent`). Returns None for blanks, placeholders and anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    s = key(value).replace(",", "")
    if s.endswith("分"):
        s = s[:-1]
    if s.startswith("="):
        s = s[1:]
    if _NUM.match(s):
        return float(s)
    return None


def parse_amount(value: object) -> float | None:
    """An amount in a funds block: a number, or one typed with the block's unit (4753.66万元, 10万, 330,000.00元) —
    the unit is the block's (项目资金（万元）), so it is dropped, never converted."""
    n = parse_number(value)
    if n is not None or not isinstance(value, str):
        return n
    s = key(value).replace(",", "")
    for unit in ("万元", "万", "元"):
        if s.endswith(unit) and _NUM.match(s[: -len(unit)]):
            return float(s[: -len(unit)])
    return None


def parse_percent(value: object) -> tuple[float | None, int | None]:
    """A rate as a fraction plus the number of decimals printed in percent: '105%' → (1.05, 0),
    '100.00%' → (1.0, 2), 0.9876 (a number cell) → (0.9876, None). Blank/placeholder → (None, None)."""
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)):
        n = float(value)
        if n > 1.5:               # percentage points in a number cell (a 完成率(%) column): 90 means 90%
            text = repr(n).rstrip("0").rstrip(".") if "e" not in repr(n) else str(n)
            return n / 100.0, (len(text.split(".")[1]) if "." in text else 0)
        return n, None            # a fraction (0.98) — a 0% formatted cell arrives as "98%" text instead
    s = key(value).replace(",", "")
    if s.startswith("="):
        s = s[1:]
    if s.endswith("%"):
        body = s[:-1]
        if _NUM.match(body):
            decimals = len(body.split(".")[1]) if "." in body else 0
            return float(body) / 100.0, decimals
        return None, None
    n = parse_number(s)
    if n is None:
        return None, None
    # a bare number in a rate column: 100 means 100%, 0.98 means 98%
    return (n / 100.0 if n > 1.5 else n), None


def decimals_of(value: object) -> int | None:
    """Decimals printed in a number typed as text ('10.00' → 2, '9.5' → 1); None for real numbers."""
    if isinstance(value, str):
        s = key(value).replace(",", "").rstrip("分%")
        if s.startswith("="):
            s = s[1:]
        if _NUM.match(s):
            return len(s.split(".")[1]) if "." in s else 0
    return None


PLACEHOLDERS = {"", "/", "-", "--", "_", "无", "0", "——", "-/-", "／", "N/A", "n/a"}
_NOT_ZERO = frozenset(PLACEHOLDERS - {"0"})
_DASHES = frozenset("-/_")


@memo_text(1 << 14)
def is_placeholder(value: object) -> bool:
    """Blank or a token that means "nothing here" ('/', '-', '—', '_', '无')."""
    if value is None:
        return True
    s = key(value)
    return s in _NOT_ZERO or set(s) <= _DASHES
