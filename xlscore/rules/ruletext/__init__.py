"""Evaluators' rule texts (评分标准) → formal rules, one registered kind each.

A scoring table (评价评分表) prints a 评分标准 text per leaf. :func:`parse_rule` turns it into a
:class:`ParsedRule` — a kind from :data:`RULE_KINDS` with its parameters — or returns None when no kind
recognises it. A parsed rule can

* ``describe(lang)`` itself in plain Chinese (shown in comments and the report sheet, so an evaluator can
  confirm it was read right);
* ``compute(measure)`` the score from figures in the sheet (a rate, a count) where the kind allows;
* list the ``allowed()`` scores (multiples of a step, subsets of a checklist, all or nothing, one of the tiers),
  so a score that no application of the rule can give is caught even when the inputs are not in the sheet.

:func:`parse_reason` reads what a 扣分原因 text states ("扣1.5分", "该指标满分4分，扣1分，得分3分",
"本项分值 4 分，该指标得 80%权重分 3.2 分").

Layout: one module per rule family (``budget``, ``satisfaction``, ``bands``, ``tolerance``, ``checklist``, ``step``,
``per_unit``, ``delay``, ``per_finding``, ``threshold``, ``rate``, ``target``, ``proportional_deduction``,
``all_or_nothing``, ``tiers``, ``fixed_points``, ``judgement``), each declaring its kind with its phrasings
(``examples``, data tables of words where the family has them); :mod:`.registry` is the one place that orders them.
:mod:`.core` holds the parsed rule and the shared helpers, :mod:`.reasons` the reason-text reader, :mod:`.coverage`
the ``python -m xlscore.rules.ruletext --coverage`` command (the corpus tables, the field scoring tables and a file
of phrasings).
"""

from __future__ import annotations

from . import registry  # noqa: F401  (orders the kinds)
from .core import (EPS, JUDGEMENT_WORDS, KINDS_BY_NAME, RULE_KINDS, Measure, ParsedRule, RuleKind, fmt, norm,  # noqa: F401
                   parse_rule, pct, rule_kind)
from .coverage import corpus_rule_texts, coverage, field_rule_texts, main, phrasing_texts  # noqa: F401
from .reasons import Stated, parse_reason, reason_count, reason_findings, reason_rate  # noqa: F401
from .targets import rule_target  # noqa: F401
