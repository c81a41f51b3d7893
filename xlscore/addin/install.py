"""``xlscore addin install|remove|path``: put the shipped ribbon add-in into Excel, the xlwings way.

``install`` wraps ``xlwings addin install --file xlscore.xlam`` (which copies the add-in into Excel's
XLSTART folder) and then ``xlwings config create``: xlwings 0.37.8 writes the interpreter setting
(~/.xlwings/xlwings.conf, INTERPRETER_WIN/INTERPRETER_MAC = this Python) only when *its own*
xlwings.xlam is installed, so a custom add-in has to ask for it. ``config create`` never overwrites an
existing file; when that file names another Python, install says so (the button would run a Python
without xlscore). ``remove`` wraps ``xlwings addin remove``. Both need Excel, so Windows or macOS;
``--dry-run`` prints the commands anywhere.

xlwings' CLI prints its own failures (``Error: Failed to install the add-in…``, ``PermissionError(…)``)
and still exits 0, so the output is read as well as the exit code.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ..errors import UsageError
from . import XLAM, XLWINGS_VERSION


def commands(action: str) -> list[list[str]]:
    xlwings_cli = [sys.executable, "-c", "from xlwings.cli import main; main()"]
    if action == "install":
        return [xlwings_cli + ["addin", "install", "--file", str(XLAM)], xlwings_cli + ["config", "create"]]
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
        failure = xlwings_failure(proc.returncode, proc.stdout, proc.stderr)
        if failure:
            raise UsageError("addin-failed", reason=failure)
    return cmds


_FAILURE = re.compile(r"^(Error\b.*|\w*(Error|Exception)\(.*)$", re.M)


def xlwings_failure(returncode: int, stdout: str, stderr: str) -> str | None:
    """The line that says the xlwings CLI failed, or None (it prints errors and exits 0)."""
    m = _FAILURE.search(stdout or "")
    if m:
        return m.group(0).strip()
    if returncode != 0:
        lines = (stderr or stdout or "").strip().splitlines()
        return lines[-1] if lines else f"exit {returncode}"
    return None


def configured_interpreter(config: Path | None = None) -> str | None:
    """The interpreter the xlwings user config names for this platform, or None when unset."""
    config = config or Path.home() / ".xlwings" / "xlwings.conf"
    try:
        text = config.read_text(encoding="utf-8")
    except OSError:
        return None
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    for line in text.splitlines():
        parts = [p.strip().strip('"') for p in line.split('","')]
        if len(parts) == 2 and parts[0].strip('"') == key:
            return parts[1].strip('"') or None
    return None
