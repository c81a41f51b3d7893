"""The flow as the tree shows it (README, "For developers"), read from the imports themselves.

read/ (grids → forms and trees) → evaluate/ (the arithmetic) → checks/ (typed vs computed: findings) → write/plan.py
→ the adapters (write/*, read/fastxlsx.py); engine.py runs the steps on grids and jobs.py wires them to files and open
workbooks. Every ``import`` of every module under xlscore/ is parsed with :mod:`ast` — at the top, inside functions,
under ``if`` — and these hold:

- the module graph has no cycle;
- no module under write/, read/, checks/, evaluate/ or rules/ imports the engine, the jobs layer or a shell (cli,
  batch, service, addin);
- checks/ and evaluate/ import nothing from write/ (they neither open nor write a file);
- no module uses another module's private name (``from x import _name`` or ``x._name``).

The files are read, not imported: the tree under test is the first ``PYTHONPATH`` entry that holds an ``xlscore/``
folder (else the package imported), so the same test runs against another checkout from any working folder:
``PYTHONPATH=/other/tree python3 -m pytest /this/tree/tests/test_architecture.py``.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest


def _package_dir() -> Path:
    for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if entry and (Path(entry) / "xlscore" / "__init__.py").is_file():
            return (Path(entry) / "xlscore").resolve()
    import xlscore
    return Path(xlscore.__file__).resolve().parent


PKG = _package_dir()
ROOT = PKG.parent

LOWER = ("xlscore.write", "xlscore.read", "xlscore.checks", "xlscore.evaluate", "xlscore.rules")
UPPER = ("xlscore.engine", "xlscore.jobs", "xlscore.cli", "xlscore.batch", "xlscore.service", "xlscore.addin")
NO_FILES = ("xlscore.checks", "xlscore.evaluate")     # may not import the adapters of write/


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _within(mod: str, prefixes: tuple[str, ...]) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


def _base(mod: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    parts = mod.split(".")
    if MODULES[mod].name != "__init__.py":
        parts.pop()                                  # a module's package is its parent
    parts = parts[:len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


class Imports:
    """One module's imports: the modules of xlscore it names (edges), and the private names it takes from others."""

    def __init__(self, mod: str):
        self.mod = mod
        self.edges: dict[str, int] = {}           # imported module → first line
        self.private: list[str] = []
        tree = ast.parse(MODULES[mod].read_text(encoding="utf-8"), filename=str(MODULES[mod]))
        aliases: dict[str, str] = {}               # a local name bound to an xlscore module
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "xlscore":
                        self._edge(_owner(a.name), node.lineno)
                        aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else "xlscore"
            elif isinstance(node, ast.ImportFrom):
                base = _base(mod, node)
                if base.split(".")[0] != "xlscore":
                    continue
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    if sub in MODULES:             # from package import module
                        self._edge(sub, node.lineno)
                        aliases[a.asname or a.name] = sub
                        continue
                    owner = _owner(base)
                    self._edge(owner, node.lineno)
                    if _private(a.name) and owner != mod:
                        self.private.append(f"line {node.lineno}: from {base} import {a.name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and _private(node.attr):
                target = aliases.get(node.value.id)
                if target is not None and target != mod:
                    self.private.append(f"line {node.lineno}: {node.value.id}.{node.attr} ({target})")

    def _edge(self, target: str, line: int) -> None:
        if target and target != self.mod:
            self.edges.setdefault(target, line)


def _owner(name: str) -> str:
    """The module that holds *name* (a dotted path that may end in an attribute)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


IMPORTS = {m: Imports(m) for m in MODULES}


def _cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in IMPORTS[v].edges:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for m in MODULES:
        if m not in index:
            visit(m)
    return out


def _show_cycle(comp: list[str]) -> str:
    members = set(comp)
    lines = [f"  {m} → {', '.join(sorted(t for t in IMPORTS[m].edges if t in members))}" for m in comp]
    return "\n".join(lines)


def test_the_parser_sees_the_imports():
    """A guard for the test itself: the edges it finds include ones at the top and inside functions."""
    assert len(MODULES) > 50
    assert "xlscore.grid" in IMPORTS["xlscore.engine"].edges
    inside = [m for m, imp in IMPORTS.items() for t in imp.edges if t == "xlscore.i18n"]
    assert inside, "function-level imports are part of the graph"


def test_no_import_cycle():
    cycles = _cycles()
    assert not cycles, "import cycles:\n" + "\n\n".join(_show_cycle(c) for c in cycles)


@pytest.mark.parametrize("layer", LOWER)
def test_lower_layers_do_not_import_the_engine_or_a_shell(layer):
    bad = [f"{m} imports {t} (line {line})" for m, imp in IMPORTS.items() if _within(m, (layer,))
           for t, line in imp.edges.items() if _within(t, UPPER)]
    assert not bad, "\n".join(bad)


def test_checks_and_evaluation_open_no_file():
    bad = [f"{m} imports {t} (line {line})" for m, imp in IMPORTS.items() if _within(m, NO_FILES)
           for t, line in imp.edges.items() if _within(t, ("xlscore.write",))]
    assert not bad, "\n".join(bad)


def test_no_private_name_across_modules():
    bad = [f"{m}: {p}" for m, imp in IMPORTS.items() for p in imp.private]
    assert not bad, "\n".join(bad)


def test_the_evaluation_step_exists():
    """The arithmetic has a package of its own, and the checks take it from there."""
    assert "xlscore.evaluate.selfassess" in MODULES and "xlscore.evaluate.scoring" in MODULES
    uses = {t for m, imp in IMPORTS.items() if _within(m, ("xlscore.checks",)) for t in imp.edges}
    assert any(_within(t, ("xlscore.evaluate",)) for t in uses)
