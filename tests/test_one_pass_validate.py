"""write/xlsx.py's validate inflates every part once (checked): the same verdict — InputError code and parameters, or
none — as the checks one by one it replaced (testzip, refuse_dtds, count_cells, kept here as they were), on good and
on damaged packages; and the parts it keeps give the light reader the same grids as the zip itself."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from readers import signature
from xlscore.engine import OWN_SHEETS
from xlscore.errors import InputError
from xlscore.read import fastxlsx
from xlscore.write import safefile, xlsx

SAMPLE = sorted((ROOT / "samples").glob("*.xlsx"))[0]


def legacy_validate(path: Path) -> None:
    """validate() before the one pass (its zip half; the checks before it are shared)."""
    p = str(path)
    if not zipfile.is_zipfile(path):
        raise InputError("file-corrupt", path=p, reason="不是 zip 包 / not a zip package")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            xlsx.check_limits(zf, infos, p)
            bad = zf.testzip()
            if "xl/workbook.xml" in names:
                xlsx.refuse_dtds(zf, infos, p)
                xlsx.count_cells(zf, infos, p)
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        safefile.reraise_if_terminated()
        raise InputError("file-corrupt", path=p, reason=str(exc)[:200]) from None
    if bad is not None:
        raise InputError("file-corrupt", path=p, reason=f"damaged part {bad}")
    if "xl/workbook.xml" not in names:
        raise InputError("file-corrupt", path=p, reason="no xl/workbook.xml")


def verdict(fn, path):
    try:
        fn(path)
    except InputError as exc:
        return exc.msg_id, exc.params
    except Exception as exc:  # noqa: BLE001 - whatever it was, both must raise it
        return type(exc).__name__, str(exc)
    return None


def rebuild(src: Path, dst: Path, change=None, extra=()) -> Path:
    """*src*'s parts into *dst*, each through change(name, data) (None: dropped), then the *extra* (name, data)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for i in zin.infolist():
            data = zin.read(i)
            if change is not None:
                data = change(i.filename, data)
            if data is not None:
                zout.writestr(i.filename, data)
        for name, data in extra:
            zout.writestr(name, data)
    return dst


def corrupt_crc(path: Path, name: str, which: int = -1) -> None:
    """Flip the stored CRC of part *name* (the *which*-th of that name) in the central directory and local header."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if i.filename == name]
    info = infos[which]
    raw[info.header_offset + 14] ^= 0xFF
    pos = 0
    while True:
        pos = raw.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        if int.from_bytes(raw[pos + 42:pos + 46], "little") == info.header_offset:
            raw[pos + 16] ^= 0xFF
            break
        pos += 4
    path.write_bytes(bytes(raw))


def shrink_size(path: Path, name: str) -> None:
    """The central directory says part *name* is smaller than it inflates to (a bomb's lie)."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    pos = 0
    while True:
        pos = raw.find(b"PK\x01\x02", pos)
        if int.from_bytes(raw[pos + 42:pos + 46], "little") == info.header_offset:
            raw[pos + 24:pos + 28] = (info.file_size // 3).to_bytes(4, "little")
            break
        pos += 4
    path.write_bytes(bytes(raw))


DTD = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'


def cases(tmp: Path):
    yield "plain", shutil.copy(SAMPLE, tmp / "plain.xlsx")
    yield "dtd-in-sheet", rebuild(SAMPLE, tmp / "d1.xlsx",
                                  lambda n, d: b"<!DOCTYPE worksheet>" + d
                                  if n.startswith("xl/worksheets/") else d)
    yield "dtd-in-docprops", rebuild(SAMPLE, tmp / "d2.xlsx", extra=[("docProps/custom.xml", DTD)])
    yield "dtd-in-media-xml", rebuild(SAMPLE, tmp / "d3.xlsx", extra=[("xl/media/x.xml", DTD)])
    yield "dtd-past-4k", rebuild(SAMPLE, tmp / "d4.xlsx", extra=[("xl/extra.xml", b" " * 5000 + DTD)])
    yield "no-workbook", rebuild(SAMPLE, tmp / "nw.xlsx", lambda n, d: None if n == "xl/workbook.xml" else d)
    p = rebuild(SAMPLE, tmp / "crc1.xlsx")
    corrupt_crc(p, "xl/workbook.xml")
    yield "crc-workbook", p
    p = rebuild(SAMPLE, tmp / "crc2.xlsx", extra=[("xl/media/image1.png", bytes(range(256)) * 40)])
    corrupt_crc(p, "xl/media/image1.png")
    yield "crc-media", p
    p = rebuild(SAMPLE, tmp / "crc3.xlsx", extra=[("docProps/big.xml", b"<x>" + b"y" * 6000 + b"</x>")])
    corrupt_crc(p, "docProps/big.xml")
    yield "crc-big-xml", p
    p = rebuild(SAMPLE, tmp / "crc4.xlsx", lambda n, d: d)
    sheet = next(n for n in zipfile.ZipFile(p).namelist() if n.startswith("xl/worksheets/sheet"))
    corrupt_crc(p, sheet)
    yield "crc-sheet", p
    p = rebuild(SAMPLE, tmp / "crc-dtd.xlsx", extra=[("xl/media/image1.png", b"z" * 100), ("docProps/c.xml", DTD)])
    corrupt_crc(p, "xl/media/image1.png")
    yield "crc-and-dtd", p
    with zipfile.ZipFile(SAMPLE) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        sheet_data = z.read(sheet)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = rebuild(SAMPLE, tmp / "dup1.xlsx", extra=[(sheet, sheet_data)])      # a name twice, the first damaged
        corrupt_crc(p, sheet, which=0)
        yield "dup-first-damaged", p
        p = rebuild(SAMPLE, tmp / "dup2.xlsx", extra=[(sheet, sheet_data)])
        corrupt_crc(p, sheet, which=-1)
        yield "dup-last-damaged", p
        yield "dup-plain", rebuild(SAMPLE, tmp / "dup3.xlsx", extra=[(sheet, sheet_data)])
    big = b"<worksheet><sheetData>" + b"".join(b'<c r="A%d"/>' % k for k in range(90_000)) + b"</sheetData></worksheet>"   # > 1 MiB: chunked
    yield "big-sheet", rebuild(SAMPLE, tmp / "big.xlsx", extra=[("xl/worksheets/sheet99.xml", big)])
    p = rebuild(SAMPLE, tmp / "lie.xlsx")
    shrink_size(p, sheet)
    yield "size-lie", p
    p = rebuild(SAMPLE, tmp / "lie2.xlsx", extra=[("xl/media/image1.png", bytes(range(256)) * 40)])
    shrink_size(p, "xl/media/image1.png")
    yield "size-lie-media", p
    yield "truncated", _truncate(shutil.copy(SAMPLE, tmp / "trunc.xlsx"))


def _truncate(path) -> Path:
    path = Path(path)
    raw = path.read_bytes()
    path.write_bytes(raw[:40] + raw[len(raw) // 2:])
    return path


@pytest.mark.parametrize("cells", [None, "100", "90100", "1300000"])
def test_same_verdict_as_the_checks_one_by_one(tmp_path, monkeypatch, cells):
    if cells:
        monkeypatch.setenv("XLSCORE_MAX_CELLS", cells)
    seen = set()
    for name, path in cases(tmp_path):
        old = verdict(legacy_validate, path)
        assert verdict(xlsx.validate, path) == old, name
        assert verdict(xlsx.checked, path) == old, name
        seen.add(old is None)
    assert seen == ({False} if cells == "100" else {True, False})


def test_kept_parts_read_alike(tmp_path):
    books = sorted((ROOT / "samples").glob("*.xlsx")) + sorted((ROOT / "templates").glob("*.xlsx"))
    for book in books:
        parts = xlsx.checked(book)
        assert isinstance(parts, fastxlsx.Parts)
        assert "[Content_Types].xml" in parts.data and not any(n.startswith("xl/theme/") for n in parts.data)
        try:
            want = signature(fastxlsx.read(book, skip=OWN_SHEETS))
        except fastxlsx.Defer:
            with pytest.raises(fastxlsx.Defer):
                fastxlsx.read(parts, skip=OWN_SHEETS)
            continue
        assert signature(fastxlsx.read(parts, skip=OWN_SHEETS)) == want, book.name


def test_budget_leaves_parts_in_the_zip(monkeypatch):
    monkeypatch.setattr(xlsx, "KEEP_MB", 0)
    parts = xlsx.checked(SAMPLE)
    assert parts.data == {}
    assert signature(fastxlsx.read(parts, skip=OWN_SHEETS)) == signature(fastxlsx.read(SAMPLE, skip=OWN_SHEETS))
    parts.close()


def test_parts_inflated_as_zipfile_reads_them(tmp_path):
    books = sorted((ROOT / "samples").glob("*.xlsx")) + sorted((ROOT / "templates").glob("*.xlsx"))
    for _, path in cases(tmp_path):
        books.append(path)
    plain = 0
    for book in books:
        buf = Path(book).read_bytes()
        try:
            zf = zipfile.ZipFile(book)
        except zipfile.BadZipFile:
            continue
        with zf:
            for i in zf.infolist():
                got = xlsx._part(buf, i)
                if got is None:
                    continue
                plain += 1
                assert got == zf.read(i), (book, i.filename)
    assert plain > 100


def test_a_streamed_part_leaves_the_others_inflated_from_the_file(tmp_path, monkeypatch):
    """A sheet past 1 MiB that is not kept (validate keeps nothing) is streamed and its cells counted; the parts after
    it are still inflated from the file's bytes."""
    big = b"<worksheet><sheetData>" + b"".join(b'<c r="A%d"/>' % k for k in range(90_000)) + b"</sheetData></worksheet>"
    with zipfile.ZipFile(SAMPLE) as zf:
        items = [("xl/worksheets/sheet99.xml", big)] + [(i.filename, zf.read(i)) for i in zf.infolist()]
    path = tmp_path / "big-sheet-first.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            zout.writestr(name, data)
    calls = []
    real = xlsx._part
    monkeypatch.setattr(xlsx, "_part", lambda buf, i: calls.append(r := real(buf, i)) or r)
    xlsx.validate(path)
    assert len(calls) == len(items) - 1 and all(c is not None for c in calls)
    monkeypatch.setattr(xlsx, "KEEP_MB", 0)
    parts = xlsx.checked(path)
    assert signature(fastxlsx.read(parts, skip=OWN_SHEETS)) == signature(fastxlsx.read(path, skip=OWN_SHEETS))
    parts.close()


def test_cell_limit_at_the_exact_count(monkeypatch):
    """The one pass bounds a sheet's cells by its '<' (cheap); between that bound and the real count the checks
    one by one count exactly: at the limit the file passes (its parts are then read from the zip), one below it
    is refused — as count_cells decides."""
    with zipfile.ZipFile(SAMPLE) as zf:
        infos = zf.infolist()
        exact = xlsx.count_cells(zf, infos, str(SAMPLE))
        bound = sum(zf.read(i).count(b"<") for i in infos
                    if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
    assert exact < bound
    for cap, refused in ((exact - 1, True), (exact, False), (bound - 1, False), (bound, False)):
        monkeypatch.setenv("XLSCORE_MAX_CELLS", str(cap))
        old = verdict(legacy_validate, SAMPLE)
        assert (old is not None) == refused and verdict(xlsx.checked, SAMPLE) == old, cap
        if not refused:
            parts = xlsx.checked(SAMPLE)
            assert (parts is None) == (cap < bound), cap
            assert signature(fastxlsx.read(parts if parts is not None else SAMPLE, skip=OWN_SHEETS)) == \
                signature(fastxlsx.read(SAMPLE, skip=OWN_SHEETS))
