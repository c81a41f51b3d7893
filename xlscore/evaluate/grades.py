"""Grade cells as typed: the grade a cell names, and the same cell rewritten with another grade.

Shared by the evaluation (which writes the computed grade back) and the checks (which compare the typed grade).
"""

from __future__ import annotations

import re

from ..rules.profile import Profile
from ..text import clean, lazy_re

CHECKED, UNCHECKED = "☑", "☐"
BOXES = "☐☑□■√☒"
_GRADE_IN_LABEL = lazy_re(r"^\s*[^:：]{0,10}(?:等级|结果)\s*[:：]\s*")
GRADE_PREFIX = lazy_re(r"^\s*[^:：]{0,10}等级\s*[:：]\s*")     # a scoring table's 评价等级：良


def grade_of_text(shown: str | None, profile: Profile) -> str | None:
    """The band label a written grade names: 优秀 → 优 (headers.GRADE_WORDS) unless 优秀 is itself a label."""
    from ..read.headers import GRADE_WORDS
    if shown is None or shown in {lab for _, lab in profile.grade_bands}:
        return shown
    return GRADE_WORDS.get(shown, shown)


def split_grade(raw) -> tuple[str, str]:
    """A grade cell as (label prefix, grade): ('自评等级：', '良') when label and grade share a cell, else ('', '良')."""
    t = "" if raw is None else str(raw).strip()
    m = _GRADE_IN_LABEL.match(t)
    return (t[:m.end()], t[m.end():].strip()) if m else ("", t)


def grade_text(raw) -> str:
    """The grade a scoring table's cell states: '良', or '评价等级：良' (label and grade in one cell)."""
    t = clean(raw)
    m = GRADE_PREFIX.match(t)
    return t[m.end():].strip() if m else t


def checkbox_choice(raw: str) -> str | None:
    """The label ticked in a checkbox row such as '☐优 ☑良 ☐中 ☐差' (or '优☐ 良☑ 中☐ 差☐', the box after its label)."""
    if _box_after(raw):
        m = re.search(r"([^\s☐☑□■√☒:：]+)\s*[☑■√☒]", raw)
        return m.group(1) if m else None
    m = re.search(r"[☑■√☒]\s*([^\s☐☑□■√☒]+)", raw)
    return m.group(1) if m else None


def _box_after(raw: str) -> bool:
    """'优☐ 良☑ 中☐ 差☐': the row ends with a box, each box follows its label."""
    t = str(raw).rstrip()
    return bool(t) and t[-1] in BOXES


def checkbox_grade(raw: str, grade: str) -> str:
    """The checkbox row *raw* with *grade* ticked and every other box cleared."""
    from ..read.headers import GRADE_WORDS
    if _box_after(raw):
        found = list(re.finditer(r"([^\s☐☑□■√☒:：]+)\s*[☐☑□■√☒]", raw))
        if not found:
            return raw
        return raw[:found[0].start()] + " ".join(
            m.group(1) + (CHECKED if grade in (m.group(1), GRADE_WORDS.get(m.group(1))) else UNCHECKED) for m in found)
    parts = re.findall(r"[☐☑□■√☒]\s*([^\s☐☑□■√☒]+)", raw)
    if not parts:
        return raw
    prefix = raw[:re.search(r"[☐☑□■√☒]", raw).start()]        # 评价结果： stays
    return prefix + " ".join((CHECKED if grade in (p, GRADE_WORDS.get(p)) else UNCHECKED) + p for p in parts)
