"""Evaluation: the arithmetic of a form, done once, before any check looks at it.

The step between reading and checking (README, "For developers"): :mod:`.selfassess` recomputes a self-assessment
form (:class:`~xlscore.model.Form` → :class:`~.selfassess.FormEval`: each indicator's rule applied, its rate and
score, the funds block's execution rate and score, the total and the grade); :mod:`.scoring` does the same for an
evaluator's indicator tree (:class:`~.scoring.TreeEval`: each leaf's rule, subtotals and the total from the leaves,
the grade). Both decide which result cells the tool would write (:mod:`.writes`: a computed figure that differs from
the typed one at its precision). :mod:`.grades` reads and rewrites grade cells (``良``, ``自评等级：良``, ``☐优 ☑良``).

Nothing here emits a finding or touches a file: :mod:`xlscore.checks` compares what was typed with these results.
"""
