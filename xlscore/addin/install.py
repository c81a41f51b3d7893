"""``xlscore addin install|remove|path``: put the shipped ribbon add-in into Excel, the xlwings way.

``install`` wraps ``xlwings addin install --file xlscore.xlam`` (which copies the add-in into Excel's
XLSTART folder and writes ~/.xlwings/xlwings.conf with this Python as the interpreter); ``remove``
wraps ``xlwings addin remove``. Both need Excel, so Windows or macOS; ``--dry-run`` prints the
commands anywhere.
"""

from __future__ import annotations

import subprocess
import sys

from ..errors import UsageError
from . import XLAM, XLWINGS_VERSION


def commands(action: str) -> list[list[str]]:
    xlwings_cli = [sys.executable, "-c", "from xlwings.cli import main; main()"]
    if action == "install":
        return [xlwings_cli + ["addin", "install", "--file", str(XLAM)]]
    if action == "remove":
        return [xlwings_cli + ["addin", "remove", "--file", XLAM.name]]
    raise ValueError(action)


def run(action: str, dry_run: bool = False) -> list[list[str]]:
    cmds = commands(action)
    if dry_run:
        return cmds
    if not (sys.platform.startswith("win") or sys.platform == "darwin"):
        raise UsageError("addin-platform")
    try:
        import xlwings
    except ImportError:
        raise UsageError("addin-xlwings-missing", version=XLWINGS_VERSION) from None
    if xlwings.__version__ != XLWINGS_VERSION:
        raise UsageError("addin-xlwings-version", found=xlwings.__version__, version=XLWINGS_VERSION)
    for cmd in cmds:
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise UsageError("addin-failed", reason=(proc.stderr or proc.stdout).strip().splitlines()[-1:] or "?")
    return cmds
