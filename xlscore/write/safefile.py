"""Writing a workbook file without harming the file, its links, its permissions or its neighbours.

The decision (README, developer notes): a result is written to a temp file beside the target
(``.<stem>.xlscore-<host>-<pid>-<random><suffix>``), fsynced, given the target's mode, owner/group (where the
OS permits), extended attributes (POSIX ACLs live there) and then renamed over the target, and the folder is
fsynced. A rename is atomic: the file is at every instant the old or the new workbook, whatever kills the
process. It gives the file a new inode, so for a file with **hard links** (st_nlink > 1), where a rename would
split the links, the finished temp file is instead copied into the existing inode with SIGINT/SIGTERM
deferred during the copy; that keeps every link but is not atomic against SIGKILL or a power cut.

Guards before anything is written (one Chinese line, exit 2, the file untouched): a read-only target; an
editor's lock file beside it (``~$NAME`` of Excel/WPS, ``.~lock.NAME#`` of LibreOffice) unless ``--force``.
A symlink is followed: its target is written and the link stays a link.

No temp file is left behind: the temp file is removed in a ``finally`` (exceptions, Ctrl-C), SIGTERM/SIGHUP
are turned into an exit that runs it (:func:`install_signal_handlers`), and each run sweeps stale temp files
of xlscore's naming in the target's folder (:func:`sweep`): at once when the process that made one on this
host is gone, otherwise after ``STALE_SECONDS``.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import stat
import sys
import time
from pathlib import Path
from functools import lru_cache
from typing import Callable

from ..errors import OutputError

STALE_SECONDS = 300


@lru_cache(maxsize=1)
def host_tag() -> str:
    """Four hex digits of this machine's name, in our temporary files' names (made when first needed: hashlib and
    socket cost ~10 ms of a start that a check, which writes nothing, need not pay)."""
    import hashlib
    import socket
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:4]


# --------------------------------------------------------------------------- names

def real_target(path: Path) -> Path:
    """The file a write to *path* must change: the end of any chain of symlinks."""
    return Path(os.path.realpath(path))


def temp_name(target: Path) -> Path:
    import secrets
    return target.with_name(f".{target.stem}.xlscore-{host_tag()}-{os.getpid()}-{secrets.token_hex(3)}{target.suffix}")


def _temp_pattern(target: Path) -> re.Pattern:
    stem, suffix = re.escape(target.stem), re.escape(target.suffix)
    # ours: .NAME.xlscore-<host>-<pid>-<hex>.xlsx; earlier versions: tempfile.mkstemp's .NAME.<8 chars>.xlsx
    return re.compile(rf"^\.{stem}\.(?:xlscore-(?P<host>[0-9a-f]{{4}})-(?P<pid>\d+)-[0-9a-f]{{6}}|[a-z0-9_]{{8}}){suffix}$")


def sweep(target: Path, now: float | None = None) -> list[Path]:
    """Remove temp files an interrupted (killed) run left beside *target*; returns what was removed."""
    now = time.time() if now is None else now
    pat = _temp_pattern(target)
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        m = pat.match(name)
        if not m:
            continue
        p = target.parent / name
        try:
            st = os.lstat(p)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        mine = m.group("host") == host_tag() and m.group("pid") is not None
        gone = mine and int(m.group("pid")) != os.getpid() and not _alive(int(m.group("pid")))
        if gone or now - st.st_mtime > STALE_SECONDS:
            with contextlib.suppress(OSError):
                os.unlink(p)
                removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


# --------------------------------------------------------------------------- guards

def lock_files(target: Path) -> list[Path]:
    """Editors' lock files beside *target* that say it is open: Excel/WPS ``~$NAME`` (Word-style ``~$``
    replacing the first two characters of a long name too), LibreOffice ``.~lock.NAME#``."""
    name = target.name
    candidates = [f"~${name}", f".~lock.{name}#"]
    if len(target.stem) > 6:
        candidates.append(f"~${name[2:]}")
    return [target.parent / c for c in candidates if (target.parent / c).exists()]


def guard(target: Path, *, force: bool = False) -> None:
    """Refuse to write *target* when its folder is not writable, or to replace it (an existing file) when it is
    read-only or open in an editor."""
    folder = target.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError("output-dir-readonly", path=str(target), folder=str(folder))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError("output-failed", path=str(target), reason=exc.strerror or str(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise OutputError("output-not-file", path=str(target))
    # the write bits, not os.access: root may write anything, but a file marked read-only is the user's "no"
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise OutputError("output-readonly", path=str(target))
    if not force:
        locks = lock_files(target)
        if locks:
            raise OutputError("output-open-in-editor", path=str(target), lock=locks[0].name)


# --------------------------------------------------------------------------- signals

class Terminated(SystemExit):
    """SIGTERM/SIGHUP as an exit that unwinds (finally blocks run, temp files go)."""


_ACTIVE: set[str] = set()          # temp files being written by this process
_RECEIVED: list[int] = []          # the termination signal this process received, if any
_OWNER: list[int] = []             # the pid that installed the handlers
_DONE: list[bool] = []             # the run is over (stand_down): a late signal no longer unwinds


def install_signal_handlers() -> None:
    """Make SIGTERM and SIGHUP unwind the stack like Ctrl-C does (Python's default for them is to die on the
    spot, leaving temp files). Only in the main thread; harmless where a signal does not exist.

    A forked child (a batch worker) inherits the handler; there an exception would unwind through
    multiprocessing's queue locks and can hang the pool's shutdown, which terminates workers with SIGTERM. So a
    child removes the temp files it is writing and then dies by the signal, as it would by default."""
    def handler(signum, _frame):
        if not _OWNER or os.getpid() != _OWNER[0]:
            for t in list(_ACTIVE):
                with contextlib.suppress(OSError):
                    os.unlink(t)
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if _DONE:           # the work is finished and written: unwinding now would only break the interpreter's exit
            return
        signal.signal(signum, signal.SIG_IGN)       # a second signal does not interrupt the clean-up
        _RECEIVED[:] = [signum]
        raise Terminated(128 + signum)
    _OWNER[:] = [os.getpid()]
    _DONE.clear()
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, handler)


def stand_down() -> None:
    """The run is over: a SIGTERM/SIGHUP from here on lets the process end with its result. Raised during the
    interpreter's exit (threading's shutdown), Terminated was only printed as "Exception ignored" (test_kill saw it)."""
    _DONE[:] = [True]


def reraise_if_terminated(exc: BaseException | None = None) -> None:
    """Call where a library's errors are caught as "damaged file": a Terminated raised inside the library (a C
    callback, a generator's clean-up) can surface as another exception; the run is ending, not the file damaged.
    With *exc*, the error caught: a Ctrl-C or termination it was raised while handling (its ``__context__`` chain,
    e.g. ZipFile's close refusing an open write handle) is raised again."""
    if _RECEIVED:
        raise Terminated(128 + _RECEIVED[0])
    e, seen = (exc.__context__ if exc is not None else None), 0
    while e is not None and seen < 20:
        if isinstance(e, (KeyboardInterrupt, Terminated)):
            raise e from None
        e, seen = e.__context__, seen + 1


@contextlib.contextmanager
def _signals_deferred():
    sigs = {s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None),
                        getattr(signal, "SIGHUP", None)) if s is not None}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# --------------------------------------------------------------------------- the write

def write(target: Path, save: Callable[[str], None]) -> None:
    """Write a file at *target* through ``save(temp_path)``; see the module docstring. Raises OutputError."""
    target = Path(target)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise OutputError("output-failed", path=str(target), reason=exc.strerror or str(exc)) from None
    tmp = temp_name(target)
    _ACTIVE.add(str(tmp))
    try:
        try:
            save(str(tmp))
            _fsync(tmp)
            _carry_over(old, tmp, target)
            if old is not None and old.st_nlink > 1:
                _copy_into(tmp, target)       # keep the inode: every hard link sees the new workbook
            else:
                os.replace(tmp, target)
                _fsync_dir(target.parent)
        except PermissionError:
            raise OutputError("output-locked", path=str(target)) from None
        except OutputError:
            raise
        except Exception as exc:   # noqa: BLE001 - disk full, a bug in the saver: the original is untouched
            # a signal inside the saver can surface as the library's own error (ZipFile's close refusing an open
            # write handle replaced the Terminated or the KeyboardInterrupt): the run is ending, not the disk failing
            reraise_if_terminated(exc)
            raise OutputError("output-failed", path=str(target), reason=f"{type(exc).__name__}: {exc}"[:300]) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _ACTIVE.discard(str(tmp))


def _fsync(p: Path) -> None:
    fd = os.open(p, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(d: Path) -> None:
    if sys.platform == "win32":
        return
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _carry_over(old: os.stat_result | None, tmp: Path, target: Path) -> None:
    """The temp file gets what the file it replaces had: mode, owner/group where permitted, xattrs (ACLs).
    A new file gets the mode any program's new file gets (0666 less the umask), not mkstemp's 0600."""
    if old is None:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        return
    if hasattr(os, "chown") and (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)          # root, or our own file
        except PermissionError:
            with contextlib.suppress(OSError):
                os.chown(tmp, -1, old.st_gid)               # a group we belong to
        except OSError:
            pass
    os.chmod(tmp, stat.S_IMODE(old.st_mode))               # after chown, which may clear setgid bits
    _copy_xattrs(target, tmp)


def _copy_xattrs(src: Path, tmp: Path) -> None:
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(src)
    except OSError:
        return
    for n in names:
        with contextlib.suppress(OSError):
            os.setxattr(tmp, n, os.getxattr(src, n))


def _copy_into(tmp: Path, target: Path) -> None:
    with _signals_deferred(), open(tmp, "rb") as src, open(target, "r+b") as dst:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            dst.write(chunk)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())
