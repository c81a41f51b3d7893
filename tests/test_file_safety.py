"""The file on disk (issue 14, item 3): an in-place recalc keeps the file's mode, owner, inode and hard links,
follows a symlink, refuses a read-only file or one an editor has open, and never leaves a temp file."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from pathlib import Path

import openpyxl
import pytest

from builders import one_row_form
from conftest import SAMPLES, run_cli
from xlscore.engine import Engine
from xlscore.errors import OutputError
from xlscore.write import safefile

SAMPLE = SAMPLES / "changji_2024.xlsx"


def _copy(tmp_path, name="form.xlsx") -> Path:
    p = tmp_path / name
    shutil.copyfile(SAMPLE, p)
    return p


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _temps(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".") and n.endswith((".xlsx", ".xlsm")))


def _recalculated(p: Path) -> bool:
    return "xlscore_state" in openpyxl.load_workbook(p).sheetnames


def test_in_place_keeps_mode_owner_and_inode_of_a_hard_linked_file(tmp_path):
    p = _copy(tmp_path)
    os.chmod(p, 0o640)
    if os.geteuid() == 0:
        os.chown(p, 1234, 2345)
    twin = tmp_path / "twin.xlsx"
    os.link(p, twin)
    ino = os.stat(p).st_ino
    proc = run_cli("recalc", str(p))
    assert proc.returncode == 1, proc.stderr
    st = os.stat(p)
    assert stat.S_IMODE(st.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (1234, 2345)
    assert st.st_ino == ino and st.st_nlink == 2          # the hard link still shares the new workbook
    assert _recalculated(twin) and _digest(twin) == _digest(p)
    assert _temps(tmp_path) == []


def test_in_place_keeps_mode_and_owner_of_a_plain_file(tmp_path):
    p = _copy(tmp_path)
    os.chmod(p, 0o664)
    if os.geteuid() == 0:
        os.chown(p, 4321, 5432)
    assert run_cli("recalc", str(p)).returncode == 1
    st = os.stat(p)
    assert stat.S_IMODE(st.st_mode) == 0o664
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (4321, 5432)
    assert _recalculated(p)


def test_a_new_output_file_gets_the_umask_mode_not_0600(tmp_path):
    p = _copy(tmp_path)
    out = tmp_path / "out.xlsx"
    old = os.umask(0o022)
    try:
        Engine().recalc_file(p, out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o644


def test_a_symlink_is_followed_and_stays_a_link(tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = _copy(real_dir)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    proc = run_cli("recalc", str(link))
    assert proc.returncode == 1, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert _recalculated(real)
    assert "符号链接" in proc.stdout and str(real) in proc.stdout
    assert _temps(tmp_path) == [] and _temps(real_dir) == []


def test_a_read_only_file_is_refused_untouched(tmp_path):
    p = _copy(tmp_path)
    os.chmod(p, 0o444)
    before = _digest(p)
    proc = run_cli("recalc", str(p))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "只读" in proc.stderr and "Traceback" not in proc.stderr
    assert _digest(p) == before and stat.S_IMODE(os.stat(p).st_mode) == 0o444
    assert _temps(tmp_path) == []
    en = run_cli("recalc", str(p), "--lang", "en")
    assert en.returncode == 2 and "read-only" in en.stderr


@pytest.mark.parametrize("lock", ["~$form.xlsx", ".~lock.form.xlsx#"])
def test_an_editor_lock_file_refuses_unless_force(tmp_path, lock):
    p = _copy(tmp_path)
    (tmp_path / lock).write_bytes(b"owner")
    before = _digest(p)
    proc = run_cli("recalc", str(p))
    assert proc.returncode == 2 and "打开" in proc.stderr and lock in proc.stderr and "--force" in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert _digest(p) == before
    proc = run_cli("recalc", str(p), "--force")
    assert proc.returncode == 1, proc.stderr
    assert _recalculated(p)


def test_output_naming_the_input_goes_through_the_in_place_guards(tmp_path):
    """-o onto the input itself is an in-place write: the same guards (read-only), and the text box kept."""
    import xlsxwriter
    p = tmp_path / "文本框.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("自评表")
    one_row_form(ws)
    ws.insert_textbox("I2", "审核意见：请核实")
    wb.close()
    import zipfile
    with zipfile.ZipFile(p) as z:
        drawing = z.read("xl/drawings/drawing1.xml")
    proc = run_cli("recalc", str(p), "-o", str(p))
    assert proc.returncode == 1, proc.stderr
    # the package store keeps the text box as it was, so the in-place write needs no file beside
    with zipfile.ZipFile(p) as z:
        assert z.read("xl/drawings/drawing1.xml") == drawing and "xl/worksheets/sheet2.xml" in z.namelist()
    assert not (tmp_path / "文本框.xlscore.xlsx").exists() and "已写回" in proc.stdout
    os.chmod(p, 0o444)
    ro = tmp_path / "ro.xlsx"
    shutil.copyfile(SAMPLE, ro)
    os.chmod(ro, 0o444)
    proc = run_cli("recalc", str(ro), "-o", str(tmp_path / "." / "ro.xlsx"))
    assert proc.returncode == 2 and "只读" in proc.stderr


def test_no_temp_file_after_a_failing_save(tmp_path, monkeypatch):
    p = _copy(tmp_path)
    before = _digest(p)

    def boom(self, filename):
        Path(filename).write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")
    from xlscore.write import package
    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    monkeypatch.setattr(package.PackageStore, "_write_zip", boom)      # the writer recalc uses now
    with pytest.raises(OutputError):
        Engine().recalc_file(p)
    assert _digest(p) == before and _temps(tmp_path) == []

    def interrupted(self, filename):
        Path(filename).write_bytes(b"half a workbook")
        raise KeyboardInterrupt
    monkeypatch.setattr(openpyxl.Workbook, "save", interrupted)
    monkeypatch.setattr(package.PackageStore, "_write_zip", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Engine().recalc_file(p)
    assert _digest(p) == before and _temps(tmp_path) == []


def test_temp_file_is_fsynced_before_the_rename(tmp_path, monkeypatch):
    p = _copy(tmp_path)
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(("fsync", fd)), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append(("replace", str(a))), real_replace(a, b))[1])
    Engine().recalc_file(p)
    kinds = [c[0] for c in calls]
    assert kinds.index("fsync") < kinds.index("replace") and kinds[-1] == "fsync"   # file, rename, folder


def test_stale_temp_files_are_swept(tmp_path):
    p = _copy(tmp_path)
    dead = tmp_path / f".form.xlscore-{safefile.host_tag()}-999999-abcdef.xlsx"       # a killed run's, on this host
    old = tmp_path / ".form.xlscore-ffff-1-123456.xlsx"                           # another host's, long ago
    young = tmp_path / ".form.xlscore-ffff-1-654321.xlsx"                         # another host's, just now
    legacy = tmp_path / ".form.k2j4h5g6.xlsx"                                     # an older xlscore's mkstemp name
    mine = tmp_path / f".form.xlscore-{safefile.host_tag()}-{os.getpid()}-aaaaaa.xlsx"  # a live process's
    other = tmp_path / ".form.backup.xlsx"                                        # not ours
    for f in (dead, old, young, legacy, mine, other):
        f.write_bytes(b"x")
    past = time.time() - 3600
    for f in (old, legacy):
        os.utime(f, (past, past))
    removed = safefile.sweep(p)
    assert sorted(removed) == sorted([dead, old, legacy])
    assert young.exists() and mine.exists() and other.exists()
    dead.write_bytes(b"x")
    assert run_cli("recalc", str(p)).returncode == 1            # the next run sweeps
    assert not dead.exists()


def test_output_to_a_symlink_writes_its_target(tmp_path):
    p = _copy(tmp_path)
    real = tmp_path / "results" / "out.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"")
    link = tmp_path / "out.xlsx"
    link.symlink_to(real)
    assert run_cli("recalc", str(p), "-o", str(link)).returncode == 1
    assert link.is_symlink() and _recalculated(real)
    assert _temps(tmp_path) == [] and _temps(real.parent) == []


def test_an_interrupt_inside_the_zip_writer_stays_an_interrupt(tmp_path):
    """Ctrl-C (or SIGTERM) while a zip part is being written: ZipFile's close then refuses the open write handle with
    a ValueError that hid the interrupt, and recalc ended as "cannot write the result" (exit 2) instead of 130/143
    (test_kill saw it). The interrupt is re-raised; the old file and no temp file are left."""
    import zipfile
    from xlscore.write import safefile
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"old")

    def save(p):
        with zipfile.ZipFile(p, "w") as zf:
            fh = zf.open("xl/worksheets/sheet1.xml", "w")
            fh.write(b"<worksheet/>")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        safefile.write(target, save)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表.xlsx"]


def test_a_signal_after_the_run_ended_does_not_unwind_the_exit():
    """SIGTERM between the end of the run and the interpreter's exit raised Terminated inside threading's shutdown,
    printed as "Exception ignored … Terminated: 143" (test_kill saw it). After stand_down the handler lets it pass;
    before, it still unwinds the run."""
    import signal
    from xlscore.write import safefile
    old = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        safefile.install_signal_handlers()
        with pytest.raises(safefile.Terminated):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.5)
        safefile._RECEIVED.clear()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)   # the handler ignores a second signal; install it afresh
        safefile.install_signal_handlers()
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, signal.SIG_IGN)
        safefile.stand_down()
        os.kill(os.getpid(), signal.SIGTERM)      # handled and let pass: nothing raised, the process goes on
        time.sleep(0.2)
    finally:
        safefile._RECEIVED.clear()
        signal.signal(signal.SIGTERM, old)
