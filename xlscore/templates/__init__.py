"""The Excel templates xlscore ships: ``xlscore template NAME -o file.xlsx``.

One module per template, each with a ``build(wb, styles, data, n_blank)`` function, registered here:

=====================  ====================  ==============================================================
name                   file (templates/)     for
=====================  ====================  ==============================================================
``targets``            绩效目标表.xlsx        the spending unit, when the budget is set
``self-assessment``    项目支出绩效自评表.xlsx   the spending unit, after year end (``--from`` a filled 绩效目标表)
``scoring``            绩效评价评分表.xlsx      the evaluator (third party or finance bureau)
=====================  ====================  ==============================================================

Every template is read back by xlscore's reader without configuration; ``templates/`` holds the generated
files and ``tests/test_templates.py`` fails when they drift from this code (``python -m xlscore.templates``
regenerates them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import scoring, selfassess, targets
from .style import Styles, workbook


@dataclass(frozen=True)
class Template:
    name: str
    filename: str
    title_zh: str
    title_en: str
    build: Callable
    aliases: tuple[str, ...] = ()


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("targets", "绩效目标表.xlsx", "项目支出绩效目标表", "performance-target sheet", targets.build,
             ("绩效目标表", "目标表", "target")),
    Template("self-assessment", "项目支出绩效自评表.xlsx", "项目支出绩效自评表", "self-assessment form",
             selfassess.build, ("自评表", "项目支出绩效自评表", "self", "selfassessment")),
    Template("scoring", "绩效评价评分表.xlsx", "绩效评价评分表", "evaluator's scoring table", scoring.build,
             ("评分表", "绩效评价评分表")),
)}

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"


def resolve(name: str) -> Template:
    from ..errors import UsageError
    n = name.strip().lower()
    for t in TEMPLATES.values():
        if n == t.name or n in t.aliases:
            return t
    raise UsageError("template-unknown", name=name, names="、".join(TEMPLATES))


def write_template(name: str, path: str | Path, *, source: str | Path | None = None, declared: dict | None = None,
                   rows: int | None = None, year: int | None = None, force: bool = True) -> Path:
    """Write template *name* to *path* atomically (a temporary file in the same folder, then a rename).

    *source*: a filled 绩效目标表 whose project header, budget, goal and indicators pre-fill a
    self-assessment form (or *declared*, what :func:`prefill.declared_targets` already read from it).
    *rows*: blank indicator rows. *force*: overwrite an existing file.
    """
    from ..errors import OutputError, UsageError
    t = resolve(name)
    path = Path(path)
    data: dict = {}
    if source is not None or declared is not None:
        if t.name != "self-assessment":
            raise UsageError("template-from-needs-self", name=t.name)
        from .prefill import declared_targets
        data = dict(declared) if declared is not None else declared_targets(Path(source))
    if year is not None:
        data["year"] = year
    if path.exists() and not force:
        raise OutputError("template-exists", path=str(path))
    if path.suffix.lower() != ".xlsx":
        raise UsageError("template-suffix", path=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("output-folder-missing", path=str(folder))
    def save(tmp: str) -> None:
        wb = workbook(tmp)
        t.build(wb, Styles(wb), data, rows)
        wb.close()
    from ..write import safefile
    safefile.write(path, save)        # temp file, fsync, rename; a new file gets the usual 0666-umask mode
    return path


def regenerate(folder: Path = TEMPLATE_DIR) -> list[Path]:
    """Write every shipped template into *folder* (``python -m xlscore.templates``)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_template(t.name, folder / t.filename) for t in TEMPLATES.values()]


__all__ = ["TEMPLATES", "Template", "resolve", "write_template", "regenerate", "TEMPLATE_DIR"]
