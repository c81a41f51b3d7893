"""What the checks look at: a form's evaluation (:mod:`xlscore.evaluate`) with a findings collector over it.

:class:`FormContext` wraps a :class:`~xlscore.evaluate.selfassess.FormEval` (or a
:class:`~xlscore.evaluate.scoring.TreeEval`): a check reads the evaluation through it (``ctx.rows``, ``ctx.total``,
``ctx.ev(node)`` … are the evaluation's) and reports through :meth:`FormContext.emit`, the one place where a reading
the structure leaves open (``Form.deferred``) turns would-be findings into one info (:meth:`report_deferred`).
"""

from __future__ import annotations

from typing import Any

from ..evaluate.selfassess import FormEval, RowEval
from ..model import Field
from ..numbers import compare, fmt_num, fmt_rate  # noqa: F401  (re-exported for checks)
from ..report import Finding
from .catalogue import CATALOGUE


class FormContext:
    """One evaluated form and the findings on it. Attributes the context does not hold are the evaluation's."""

    def __init__(self, result: FormEval):
        self.result = result
        # read by every check, many times: held here rather than fetched through __getattr__ (the same objects)
        self.form, self.profile, self.lang = result.form, result.profile, result.lang
        self.findings: list[Finding] = []
        self.suppressed: dict = {}          # Deferral → findings not reported under it

    def __getattr__(self, name: str):       # form, profile, lang, rows, funds, total, grade, writes, tree, ev …
        if name.startswith("__") or name == "result":
            raise AttributeError(name)
        return getattr(self.result, name)

    def emit(self, code: str, where: Field | tuple[int, int] | None, *, expected: Any = None, found: Any = None,
             rule: str | None = None, **params) -> Finding:
        d = CATALOGUE[code]
        if isinstance(where, Field):
            row, col, cell = where.row, where.col, where.cell
        elif isinstance(where, tuple):
            from ..grid import address
            row, col = where
            cell = address(row, col)
        else:
            row = col = cell = None
        shown = dict(params)
        shown.setdefault("expected", _show(expected))
        shown.setdefault("found", _show(found))
        shown.setdefault("rule", rule or "")
        shown.setdefault("sheet", self.form.sheet)
        template = d.template_zh if self.lang == "zh" else d.template_en
        try:
            message = template.format(**shown)
        except (KeyError, IndexError):
            message = template
        f = Finding(code=code, severity=d.severity, sheet=self.form.sheet, cell=cell, message=message,
                    expected=expected, found=found, rule=rule, title=d.title(self.lang), row=row, col=col)
        deferral = self._deferral_of(f)
        if deferral is not None:        # the structure could be read two ways here: no error, no warning
            self.suppressed[deferral] = self.suppressed.get(deferral, 0) + 1
            return f
        self.findings.append(f)
        return f

    def _deferral_of(self, f: Finding):
        if f.severity == "info" or f.row is None:
            return None
        for d in self.form.deferred:
            if f.row in d.rows and (d.codes is None or f.code in d.codes):
                return d
        return None

    def report_deferred(self) -> None:
        """One info per unclear reading (the one place where precision-first is decided; see Form.deferred)."""
        for d in self.form.deferred:
            n = self.suppressed.get(d, 0)
            where = (min(d.rows), min(self.form.columns.values(), default=1)) if d.rows else (self.form.header_row, 1)
            zh = d.reason_zh + (f"（因此未报告 {n} 项可能的问题）" if n else "")
            en = d.reason_en + (f" ({n} possible finding(s) not reported)" if n else "")
            self.emit("reading-deferred", where, detail=zh if self.lang == "zh" else en)

    def rule_text(self, row: RowEval) -> str:
        if row.outcome is None:
            return ""
        text = row.outcome.rule_text(self.lang)
        prof = self.profile.title(self.lang)
        return f"{text}（{prof}）" if self.lang == "zh" else f"{text} ({prof})"


def _show(v: Any) -> str:
    if isinstance(v, float):
        return fmt_num(v)
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v):
        return f"{fmt_num(v[0])}–{fmt_num(v[1])}"
    return "—" if v is None else str(v)
