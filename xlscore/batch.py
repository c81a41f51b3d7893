"""Batch mode: a folder of returned forms → one summary workbook (and JSON/CSV for scripts).

The unit of work is :func:`summarize` — one file in, one plain dict out — so it maps the same way over
a local process pool (default: one process per core) or a Dask cluster (``--scheduler``). Results
stream in file order into the summary workbook's rows, rendered to temporary files as they arrive
(:class:`SummaryWorkbook`), from which the workbook is written at the end; only counters stay in memory, so
memory stays flat as the folder grows. A cache keyed on the file's content hash (plus profile, language and version) makes
a second run over unchanged files fast.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import struct
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .tables import (FINDING_COLUMNS, FORM_COLUMNS, FRAMEWORK_LEVEL1, GRADES, LEVEL1_COLUMNS,  # noqa: F401
                     UNREADABLE_COLUMNS, Pivots, form_kind, framework_level1, pivots_plain, plain_value, records)
from .version import __version__
from .write import neutral

SUFFIXES = (".xlsx", ".xlsm")


# --------------------------------------------------------------------------- discovery

SUMMARY_MARKER = "xlscore-batch-summary"       # a custom document property of every summary workbook
SUMMARY_SHEETS = (("汇总", "表格", "问题", "无法读取"), ("overview", "forms", "findings", "unreadable"))
SUMMARY_NAMES = ("xlscore汇总.xlsx", "xlscore-summary.xlsx")


def _zip_directory(fh) -> dict | None:
    """The zip's central directory, name → (compression method, compressed size, local header offset), read from
    the file's tail in one or two reads; None for what this small reader does not take (zip64, a comment past
    64 KiB, a spanned archive), which :mod:`zipfile` then reads."""
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, 65_557)                         # the end record (22 bytes) and a comment of at most 64 KiB
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        return None
    disk, cd_disk, _, entries, cd_size, cd_offset = struct.unpack_from("<HHHHII", tail, end + 4)
    if disk or cd_disk or entries == 0xFFFF or cd_offset == 0xFFFFFFFF or cd_offset + cd_size > size:
        return None
    start = size - tail_len
    if cd_offset >= start and cd_offset + cd_size <= start + end:
        cd = tail[cd_offset - start:cd_offset - start + cd_size]
    else:
        fh.seek(cd_offset)
        cd = fh.read(cd_size)
    out = {}
    pos = 0
    unpack = struct.unpack_from
    for _ in range(entries):
        if cd[pos:pos + 4] != b"PK\x01\x02" or pos + 46 > len(cd):
            return None
        flags, method = unpack("<HH", cd, pos + 8)
        csize, = unpack("<I", cd, pos + 20)
        n, m, k = unpack("<HHH", cd, pos + 28)
        offset, = unpack("<I", cd, pos + 42)
        name = cd[pos + 46:pos + 46 + n].decode("utf-8" if flags & 0x800 else "cp437")
        out[name] = (method, csize, offset, flags)
        pos += 46 + n + m + k
    return out


def _zip_member(fh, entry) -> bytes | None:
    """One member's bytes (stored or deflated, not encrypted), or None."""
    method, csize, offset, flags = entry
    if flags & 1 or method not in (0, 8) or csize == 0xFFFFFFFF:
        return None
    fh.seek(offset)
    head = fh.read(30)
    if head[:4] != b"PK\x03\x04":
        return None
    n, m = struct.unpack_from("<HH", head, 26)
    fh.seek(offset + 30 + n + m)
    data = fh.read(csize)
    return data if method == 0 else zlib.decompressobj(-15).decompress(data)


_SHEET_DIRS = ("xl/worksheets/", "xl/chartsheets/", "xl/macrosheets/", "xl/dialogsheets/")


def is_own_output(path: Path) -> bool:
    """A workbook xlscore wrote that is no input: a batch summary, by name (the default -o names,
    *.xlscore.xlsx) or by its marker (the document property, or exactly the summary's sheets, which also
    catches a summary renamed or written by an older xlscore). A form recalculated in place (it has the
    xlscore report sheet next to its own sheets) is still the clerk's form and is read.

    Only the zip's directory is read, and of its parts only docProps/custom.xml and xl/workbook.xml; the workbook
    part only where the sheet parts are four (or not in their usual folders): a form of one sheet, or of 13, is no
    summary of four (~0.05 ms a file instead of ~0.17 ms with zipfile; issue 17)."""
    name = path.name
    if ".xlscore." in name or name in SUMMARY_NAMES:
        return True
    try:
        with open(path, "rb") as fh:
            parts = _zip_directory(fh)
            if parts is None:
                return _is_own_output_zipfile(path)
            custom = parts.get("docProps/custom.xml")
            if custom is not None:
                data = _zip_member(fh, custom)
                if data is None:
                    return _is_own_output_zipfile(path)
                if SUMMARY_MARKER.encode() in data:
                    return True
            book = parts.get("xl/workbook.xml")
            if book is None:
                return False
            sheets = sum(1 for p in parts if p.startswith(_SHEET_DIRS) and p.endswith(".xml") and p.count("/") == 2)
            if sheets not in (0, 4):
                return False
            data = _zip_member(fh, book)
            if data is None:
                return _is_own_output_zipfile(path)
            return _summary_sheets(data)
    except (OSError, struct.error, zlib.error, UnicodeDecodeError, ValueError):
        return False


def _summary_sheets(workbook_xml: bytes) -> bool:
    sheets = tuple(re.findall(r'<sheet [^>]*name="([^"]*)"', workbook_xml.decode("utf-8", "replace")))
    return sheets in SUMMARY_SHEETS


def _is_own_output_zipfile(path: Path) -> bool:
    """:func:`is_own_output` through :mod:`zipfile`, for a zip the small reader does not take."""
    import zipfile
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "docProps/custom.xml" in names and SUMMARY_MARKER.encode() in zf.read("docProps/custom.xml"):
                return True
            if "xl/workbook.xml" in names:
                return _summary_sheets(zf.read("xl/workbook.xml"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, RuntimeError):
        return False
    return False


def discover(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Every .xlsx/.xlsm under *folder*, recursively, in a stable order; Excel lock files (~$…) and
    xlscore's own outputs (:func:`is_own_output`) are skipped."""
    skip = {p.resolve() for p in exclude}
    skip_names = {p.name for p in skip}
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("~$") or name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            p = Path(root) / name
            if ((name in skip_names or os.path.islink(p)) and p.resolve() in skip) or is_own_output(p):   # resolve(): a stat per folder
                continue
            out.append(p)
    return out


# --------------------------------------------------------------------------- the mapped function

_ENGINES: dict[tuple, Any] = {}


def engine_for(profile: str | None, lang: str, targets: tuple[str, ...] = ()):
    """One engine per worker process and settings; --targets workbooks are read once per worker."""
    from .engine import Engine
    key = (profile, lang, targets)
    if key not in _ENGINES:
        engine = Engine(profile, lang=lang)
        for t in targets:
            engine.load_targets(t)
        _ENGINES[key] = engine
    return _ENGINES[key]


def cache_key(digest: str, profile_fingerprint: str, lang: str) -> str:
    return hashlib.sha256(f"{digest}|{profile_fingerprint}|{lang}|{__version__}".encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The reader's and checks' own code: a cached result is reused only by the code that made it (an update of the
    reader, or of a rule, between two batches rechecks every file; the version number alone did not change with them)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        try:
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
        except OSError:
            continue
    return h.hexdigest()[:16]


def profile_fingerprint(profile: str | None) -> str:
    from .rules.profile import load_profile
    p = load_profile(profile)
    return hashlib.sha256(json.dumps(p.data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def targets_fingerprint(targets) -> str:
    """The --targets workbooks' contents: a changed targets file invalidates the cached results."""
    if not targets:
        return ""
    h = hashlib.sha256()
    for t in targets:
        try:
            h.update(Path(t).read_bytes())
        except OSError:
            h.update(str(t).encode())
    return h.hexdigest()[:16]


def _repath(value: Any, old: str, new: str) -> Any:
    """*value* (a cached result) with the path it was cached under replaced by the file's path now."""
    if isinstance(value, str):
        return value.replace(old, new) if old in value else value
    if isinstance(value, list):
        return [_repath(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _repath(v, old, new) for k, v in value.items()}
    return value


def summarize(path: str, profile: str | None = None, lang: str = "zh", recalc: bool = False,
              cache_dir: str | None = None, fingerprint: str = "", targets: tuple[str, ...] = (),
              run_id: str = "") -> dict:
    """Check (or recalc) one workbook and return a plain, JSON-able summary. Never raises.

    A cached result carries this file's path (the folder may have moved since); ``cached`` is true only
    for a result an earlier run stored (a second copy of a file in the same run is no cache hit)."""
    from .errors import XlscoreError
    from .report import FileResult

    digest = None
    key = None
    try:
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        pass
    if cache_dir and digest and not recalc:
        key = cache_key(digest, fingerprint, lang)
        cached = _cache_get(cache_dir, key)
        if cached is not None:
            stored_by = cached.pop("run", None)
            old = cached.get("path")
            if old and old != path:
                cached = _repath(cached, old, path)
            cached["path"] = path
            cached["cached"] = not (run_id and stored_by == run_id)
            return cached
    try:
        engine = engine_for(profile, lang, tuple(targets))
        res = engine.run_file(path, write=recalc)
    except XlscoreError as exc:
        res = FileResult(path, error=exc.render(lang))
    except Exception as exc:  # one bad file never stops the batch
        res = FileResult(path, error=f"{path}: {'内部错误' if lang == 'zh' else 'internal error'}: "
                                     f"{type(exc).__name__}: {exc}")
    out = _digest_result(res, digest)
    if key and not recalc and cache_dir:
        _cache_put(cache_dir, key, dict(out, run=run_id))
    out["cached"] = False
    return out


def _digest_result(res, digest: str | None) -> dict:
    from .model import Field
    from .text import clean
    forms = []
    for s in res.sheets:
        for ctx in s.forms:
            f = ctx.form
            if f.kind == "scoring":
                row = _scoring_row(s.name, ctx)
                if row is not None:
                    forms.append(row)
                continue
            if f.kind != "self_assessment":
                continue
            unit = ""
            for k in ("实施单位", "单位名称", "主管部门"):
                fld: Field | None = f.header.get(k)
                if fld is not None and not fld.empty:
                    unit = clean(fld.raw)
                    break
            level1: dict[str, list[float]] = {}
            for r in ctx.rows:
                if r.weight and r.final_score is not None:
                    acc = level1.setdefault(clean(r.ind.level1) or "—", [0.0, 0.0])
                    acc[0] += r.final_score
                    acc[1] += r.weight
            funds = ctx.funds
            counts = Counter(x.severity for x in ctx.findings)
            forms.append({
                "sheet": s.name, "unit": unit, "project": f.name if f.variant == "project" else "",
                "variant": f.variant,
                "budget": funds.budget if funds else None, "spent": funds.spent if funds else None,
                "rate": funds.rate if funds else None,
                "total": None if ctx.total is None else round(ctx.total, 4), "grade": ctx.grade,
                "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
                "level1": level1,
            })
    return {"path": res.path, "sha256": digest, "error": res.error, "output": res.output,
            "report": res.to_json(), "forms": forms}


def _scoring_row(sheet: str, ctx) -> dict | None:
    """An evaluator's scoring table as a summary row: its title, total, grade and level-1 scores. Only the
    detailed table (one with 评分标准) counts; a report's summary tables repeat it."""
    tree = getattr(ctx, "tree", None)
    if tree is None or "rule" not in tree.columns:
        return None
    counts = Counter(x.severity for x in ctx.findings)
    level1 = {}
    for root in tree.roots:
        e = ctx.ev(root)
        if e.final is not None and e.weight:
            level1[root.name] = [e.final, e.weight]
    return {"sheet": sheet, "unit": "", "project": tree.title, "variant": "scoring",
            "budget": None, "spent": None, "rate": None,
            "total": None if ctx.total is None else round(ctx.total, 4), "grade": ctx.grade,
            "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"], "level1": level1}


# --------------------------------------------------------------------------- cache

def default_cache_dir() -> Path:
    base = os.environ.get("XLSCORE_CACHE") or os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    return Path(base) / "xlscore" if base else Path.home() / ".cache" / "xlscore"


def _cache_get(cache_dir: str, key: str) -> dict | None:
    p = Path(cache_dir) / key[:2] / f"{key}.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _cache_put(cache_dir: str, key: str, value: dict) -> None:
    d = Path(cache_dir) / key[:2]
    try:
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, d / f"{key}.json")
    except OSError:
        pass   # a cache that cannot be written is only slower


# --------------------------------------------------------------------------- running

@dataclass
class BatchOptions:
    profile: str | None = None
    lang: str = "zh"
    recalc: bool = False
    workers: int = 0                 # 0: one per core
    cache_dir: str | None = None     # None: no cache
    scheduler: str | None = None     # Dask scheduler address, or "local"
    targets: tuple[str, ...] = ()    # 绩效目标表 workbooks every form is compared with (--targets)


CHUNK = 4        # files per task sent to a worker
WINDOW = 64      # files sent to the workers and not yet taken by the consumer, at most


def run(paths: list[Path], opts: BatchOptions) -> Iterator[dict]:
    """Summaries in the order of *paths*, computed in parallel, yielded as they are ready."""
    # computed once, here: the rules, the --targets files and xlscore's own code make a cached result stale
    fp = profile_fingerprint(opts.profile) + targets_fingerprint(opts.targets) + code_fingerprint()
    run_id = f"{os.getpid()}-{time.time_ns()}"
    args = dict(profile=opts.profile, lang=opts.lang, recalc=opts.recalc, cache_dir=opts.cache_dir, fingerprint=fp,
                targets=tuple(opts.targets), run_id=run_id)
    names = [str(p) for p in paths]
    if opts.scheduler:
        yield from _run_dask(names, args, opts)
        return
    workers = opts.workers or os.cpu_count() or 1
    if workers == 1 or len(names) <= 1:
        for n in names:
            yield summarize(n, **args)
        return
    import multiprocessing as mp
    from functools import partial
    import threading
    ctx = mp.get_context("spawn" if sys.platform == "win32" else "fork")
    # At most WINDOW files in flight: imap would otherwise queue every result the consumer has not taken yet in
    # the main process — on a cached rerun the workers outrun the summary's rows by far, and those queued
    # results were the main process's memory growth (~8 KiB per form at 5,000 forms).
    slots = threading.Semaphore(WINDOW)
    stopped = []

    def feed():
        for n in names:
            slots.acquire()
            if stopped:
                return
            yield n

    pool = ctx.Pool(workers)
    try:
        for r in pool.imap(partial(_summarize_kw, args=args), feed(), chunksize=CHUNK):
            slots.release()
            yield r
    except BaseException:          # interrupted, or the consumer stopped early: the workers are stopped by signal
        stopped.append(True)
        slots.release(len(names) + 1)          # the pool's feeding thread must not wait for a slot any more
        _stop_pool(pool)
        raise
    else:
        # a run that ended: the workers end by themselves (close sends each an end marker). ``with Pool`` would
        # terminate() them — SIGTERM while one waits on the task queue's lock — and twice in a few dozen runs on a
        # busy machine that worker never ended and the batch hung in join() (seen with this code before and after
        # the store; issue 17, item 4)
        pool.close()
    finally:
        pool.join()


STOP_TIMEOUT = 5.0     # seconds the workers have to end on SIGTERM before they are killed


def _stop_pool(pool, timeout: float | None = None) -> None:
    """Pool.terminate(), which cannot hang: it SIGTERMs the workers and then waits for each without a limit, and a
    worker waiting on the task queue's lock has been seen not to end on SIGTERM (the batch then hung for ever; issue
    17). So terminate() runs in a thread; the workers still alive after *timeout* seconds are killed (SIGKILL), which
    lets it finish."""
    import threading
    stopper = threading.Thread(target=pool.terminate, name="xlscore-pool-stop", daemon=True)
    stopper.start()
    stopper.join(STOP_TIMEOUT if timeout is None else timeout)
    while stopper.is_alive():
        for p in list(getattr(pool, "_pool", ())):       # the workers (terminate() has stopped replacing them)
            if p.exitcode is None:
                try:
                    p.kill()
                except (OSError, ValueError):
                    pass
        stopper.join(1.0)


def _summarize_kw(path: str, args: dict) -> dict:
    return summarize(path, **args)


def _run_dask(names: list[str], args: dict, opts: BatchOptions) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from .errors import UsageError
        raise UsageError("dask-missing") from None
    if opts.scheduler == "local":
        cluster = LocalCluster(n_workers=opts.workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster = None
        client = Client(opts.scheduler)
    try:
        window = 64   # keep a bounded number of files in flight: memory stays flat
        futures = []
        it = iter(names)
        for n in it:
            futures.append(client.submit(summarize, n, **args, pure=False))
            if len(futures) >= window:
                break
        while futures:
            f = futures.pop(0)
            yield f.result()
            f.release()
            nxt = next(it, None)
            if nxt is not None:
                futures.append(client.submit(summarize, nxt, **args, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- progress

class Progress:
    """A one-line progress bar on stderr (only when it is a terminal, or when forced)."""

    def __init__(self, total: int, lang: str, enabled: bool | None = None, stream=None):
        self.total, self.lang = total, lang
        self.stream = stream or sys.stderr
        self.enabled = (self.stream.isatty() if enabled is None else enabled) and total > 0
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0

    def note(self, message: str) -> None:
        """A line of its own (an unreadable file) without breaking the bar."""
        self.clear()
        print(message, file=self.stream)

    def clear(self) -> None:
        """Erase the bar so that a line can be printed (it is redrawn on the next step)."""
        if self.enabled:
            self.stream.write("\r" + " " * 70 + "\r")

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done == self.total):
            self._last = now
            rate = self.done / max(now - self.start, 1e-6)
            width = 30
            fill = int(width * self.done / self.total)
            unit = "个/秒" if self.lang == "zh" else "files/s"
            label = "检查中" if self.lang == "zh" else "checking"
            self.stream.write(f"\r{label} [{'#' * fill}{'.' * (width - fill)}] {self.done}/{self.total} {rate:.1f} {unit}")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- the summary

@dataclass
class Totals:
    """The counts the CLI prints and exits on (the summary workbook's tables come from :func:`records`)."""
    files: int = 0
    unreadable: int = 0
    forms: int = 0
    errors: int = 0
    warnings: int = 0
    cached: int = 0

    def add(self, r: dict) -> None:
        self.files += 1
        self.cached += bool(r.get("cached"))
        if r["error"]:
            self.unreadable += 1
            return
        for f in r["forms"]:
            self.forms += 1
            self.errors += f["errors"]
            self.warnings += f["warnings"]

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else (1 if self.errors else 0)


# --------------------------------------------------------------------------- tables of records, and the pivots

# the four tables and the pivots without pandas: xlscore/tables.py, shared with frames.py (imported above)


class Spread:
    """Whether a scatter is worth drawing (:func:`shows_spread`), from points added one at a time: what is kept is
    the count and the distinct rounded values (at most ~1,000 on each axis)."""
    __slots__ = ("n", "xs", "ys")

    def __init__(self):
        self.n = 0
        self.xs: set = set()
        self.ys: set = set()

    def add(self, x, y) -> None:
        self.n += 1
        self.xs.add(round(x, 3))
        self.ys.add(round(y, 1))

    @property
    def shows(self) -> bool:
        xs, ys = self.xs, self.ys
        if self.n < 5:
            return False
        if len(xs) < 3 or len(ys) < 3:
            return False
        return (max(xs) - min(xs)) >= 0.05 and (max(ys) - min(ys)) >= 5


def shows_spread(points: Iterable[tuple]) -> bool:
    """A scatter is worth drawing when both axes vary: at least 3 distinct values on each, and points that
    do not sit on one vertical or horizontal line (execution rate 100% for every form is one stack of dots).
    *points* may be a stream."""
    sp = Spread()
    for x, y in points:
        sp.add(x, y)
    return sp.shows


def compute_pivots(forms: list[tuple], findings: list[tuple], level1: list[tuple]) -> Pivots:
    """The pivots from DataFrames when pandas is installed (``xlscore[pandas]``), else without it."""
    try:
        from . import frames
    except ImportError:
        return pivots_plain(forms, findings, level1)
    return frames.pivots(frames.Frames.from_records(forms, findings, level1, []))


class PivotTally:
    """The same pivots as :func:`pivots_plain`, tallied one file at a time as the results arrive (:meth:`add`, the
    file's :func:`records`): the sums are added in the same order (so the same floats), and what is kept is one
    accumulator per unit, per code and per 一级 name. A file's rows arrive together, so a count of distinct files
    (per code) or forms (per 一级 name) adds what is distinct within each file; each file is added once (a batch
    lists every file once). ``spread`` is left empty (:attr:`spread` tells whether the scatter shows it)."""

    def __init__(self):
        self.units: dict = {}
        self.acc = {kind: {n: [0.0, 0.0] for n in names} for kind, names in FRAMEWORK_LEVEL1.items()}
        self.level1_forms: dict = {kind: {} for kind in FRAMEWORK_LEVEL1}
        self.codes: dict = {}
        self.spread = Spread()

    def add(self, rec: dict) -> None:
        units = self.units
        spread = self.spread
        for f in rec["forms"]:
            u = units.get(f[4])
            if u is None:
                u = units[f[4]] = {"n": 0, "e": 0, "w": 0, "t": 0, "tn": 0, **{g: 0 for g in GRADES}}
            u["n"] += 1
            u["e"] += f[11]
            u["w"] += f[12]
            if f[9] is not None:
                u["t"] += f[9]
                u["tn"] += 1
            if f[10] in GRADES:
                u[f[10]] += 1
            if f[2] == "self_assessment" and f[8] is not None and f[9] is not None:
                spread.add(f[8], f[9])
        if rec["level1"]:
            acc = self.acc
            scored = set()
            for row in rec["level1"]:
                a = acc.get(row[2], {}).get(row[3])
                if a is not None and row[6]:
                    a[0] += row[5]
                    a[1] += row[6]
                if row[2] in FRAMEWORK_LEVEL1 and row[3] is not None and row[6] is not None and row[6] != 0:
                    scored.add((row[2], row[3], row[1]))
            for kind, name, _sheet in scored:
                forms = self.level1_forms[kind]
                forms[name] = forms.get(name, 0) + 1
        if rec["findings"]:
            codes = self.codes
            seen = set()
            for x in rec["findings"]:
                key = (x[6], x[5])
                c = codes.get(key)
                if c is None:
                    c = codes[key] = [0, 0]
                c[0] += 1
                if key not in seen:
                    seen.add(key)
                    c[1] += 1

    def pivots(self) -> Pivots:
        p = Pivots()
        units = self.units
        p.grades_by_unit = sorted(((k, *(v[g] for g in GRADES), v["n"]) for k, v in units.items()),
                                  key=lambda t: (-t[-1], t[0]))
        p.by_unit = sorted(((k, v["n"], v["e"], v["w"], round(v["t"] / v["tn"], 2) if v["tn"] else None)
                            for k, v in units.items()), key=lambda t: (-t[2], -t[3], t[0]))
        for kind in FRAMEWORK_LEVEL1:
            forms = self.level1_forms[kind]
            rows = [(n, round(a[0] / a[1], 6), forms.get(n, 0)) for n, a in self.acc[kind].items() if a[1]]
            if rows:
                p.level1[kind] = rows
        p.by_code = sorted(((code, sev, n, nf) for (code, sev), (n, nf) in self.codes.items()),
                           key=lambda t: (-t[2], t[0], t[1]))
        return p


def _formula_text(s: str) -> str:
    """*s* as a string literal in a formula: in double quotes, a double quote doubled."""
    return '"' + s.replace('"', '""') + '"'


FORMULA_TEXT_MAX = 255       # Excel: a text value in a formula (and HYPERLINK's link_location) is at most 255 characters
LINKS_PER_SHEET = 65_530     # Excel: hyperlinks (<hyperlink> elements) per worksheet; more are dropped


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

def batch_frames(paths_or_folder: str | os.PathLike | Iterable[str | os.PathLike], *, profile: str | None = None,
                 lang: str = "zh", workers: int = 1, cache_dir: str | None = None,
                 targets: Iterable[str] = ()):
    """Check a folder of workbooks (recursively, xlscore's own outputs skipped) or a list of files, and return
    the results as :class:`xlscore.frames.Frames` (pandas). Nothing is modified. *workers*: processes (0: one per
    core)."""
    from .frames import Frames
    if isinstance(paths_or_folder, (str, os.PathLike)) and Path(paths_or_folder).is_dir():
        paths = discover(Path(paths_or_folder))
    elif isinstance(paths_or_folder, (str, os.PathLike)):
        paths = [Path(paths_or_folder)]
    else:
        paths = [Path(p) for p in paths_or_folder]
    opts = BatchOptions(profile=profile, lang=lang, workers=workers, cache_dir=cache_dir,
                        targets=tuple(str(Path(t).resolve()) for t in targets))
    return Frames.from_results(run(paths, opts))


class SummaryWorkbook:
    """The summary as an xlsx. :meth:`add` renders each file's rows of the forms, findings and unreadable sheets to
    cell XML as its result arrives, into three temporary files (:class:`xlscore.write.rowsheet.TableRows`), and
    tallies the overview's pivots (:class:`PivotTally`); :meth:`close` writes the workbook (xlsxwriter
    constant-memory mode), copying the rendered rows into their sheets. The main process holds counters, not rows.

    Every per-row link to a form is a ``HYPERLINK()`` formula, not a hyperlink record: Excel keeps at most 65,530
    hyperlink records per sheet (xlsxwriter drops the rest, with a warning) and xlsxwriter holds every record in
    memory until the workbook is closed; a formula is one more cell, streamed, with no limit on the count. The path
    is a quoted string literal (a ``"`` doubled), so a file named ``=…`` or ``a",HYPERLINK("…`` stays a path. A
    path that cannot be a formula literal — over 255 characters (Excel's limit for a text in a formula and for
    HYPERLINK's target; Excel does not open a file whose path is that long anyway) or with a control character —
    is shown as text without a link, and counted in ``links["unlinked"]``."""

    def __init__(self, path: Path, lang: str, folder: Path):
        self.path, self.lang, self.folder = Path(path), lang, folder
        self.tmp = self.path.with_name(f".{self.path.stem}.{os.getpid()}.tmp.xlsx")
        # the links are relative to the summary's folder: its absolute path, and the folder a relative input path
        # is relative to, once (os.path.relpath would ask the system for the working directory twice per file)
        self._cwd = os.getcwd()
        self._base = os.path.join(self._cwd, self.path.parent)
        self.tables = None      # the three sheets' rendered rows, opened on the first result (after the pool forked)
        self.tally = PivotTally()
        self.severity = {"error": "错误", "warning": "警告", "info": "提示"} if lang == "zh" else {}
        self.wb = None
        self.rows = {"forms": 1, "findings": 1, "bad": 1}
        self.links = {"formulas": 0, "unlinked": 0}

    def _tables(self) -> dict:
        if self.tables is None:
            import tempfile
            from .write.rowsheet import Column as C, TableRows
            t, sev = self._t, self.severity
            link = C("link", self._link_cell)
            columns = {
                "forms": [link, C(None, t), C(None, t), C(None, t), C("num"), C("num"), C("pct"), C(None),
                          C("center", t), C(({0: "center"}, "red")), C(({0: "center"}, "yellow")), C("center")],
                "findings": [link, C(None, t), C(None, lambda v: t(v or "")), C(None, lambda v: t(v if v != "—" else "")),
                             C(None, t), C(({"error": "red"}, "yellow"), lambda v: t(sev.get(v, v))), C(None, t),
                             C("wrap", t)],
                "bad": [link, C(None, t)]}
            self.tables = {}
            try:
                for name, cols in columns.items():
                    sink = tempfile.TemporaryFile("w+", encoding="utf-8", newline="", prefix="xlscore-")
                    self.tables[name] = TableRows(cols, 1, sink)
            except BaseException:
                self._close_tables()
                raise
        return self.tables

    def _close_tables(self) -> None:
        for table in (self.tables or {}).values():
            try:
                table.sink.close()        # a temporary file: gone when closed
            except OSError:
                pass

    def add(self, r: dict) -> None:
        """One summarised file (the dict :func:`summarize` returns): its rows rendered, its counts tallied."""
        tables = self._tables()
        link = self._link_text(r["path"])
        formula = "\0" in link              # a formula and its shown value (a path has no NUL)
        n = 0
        if r["error"] is not None:
            tables["bad"].add((link, r["error"]))
            n += 1
        if not r["error"]:
            rec = records(r, file=link)
            self.tally.add(rec)
            forms = tables["forms"]
            for t, f in zip(rec["forms"], r["forms"]):
                forms.add((link, t[1], f["unit"], *t[5:]))
            findings = tables["findings"]
            for t in rec["findings"]:
                if t[5] is not None and t[5] != "info":        # the info lines stay in the per-file report
                    findings.add(t[:8])
                    n += 1
            n += len(rec["forms"])
        if formula:
            self.links["formulas"] += n
        else:
            self.links["unlinked"] += n

    # ------------------------------------------------------------------ writing the workbook

    def _open(self) -> None:
        import xlsxwriter
        lang = self.lang
        self.wb = xlsxwriter.Workbook(str(self.tmp), {"constant_memory": True, "strings_to_formulas": False,
                                                     "strings_to_urls": False})
        self.wb.set_custom_property(SUMMARY_MARKER, __version__)      # never read back as an input
        self.wb.set_properties({"title": "xlscore 批量检查汇总" if lang == "zh" else "xlscore batch summary",
                                "author": "xlscore"})
        zh = lang == "zh"
        self.bold = self.wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                        "valign": "vcenter"})
        self.pct = self.wb.add_format({"num_format": "0.00%"})
        self.num = self.wb.add_format({"num_format": "#,##0.00"})
        self.center = self.wb.add_format({"align": "center"})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.link = self.wb.add_format({"font_color": "blue", "underline": 1})
        self.red = self.wb.add_format({"bg_color": "#FFC7CE", "align": "center"})
        self.yellow = self.wb.add_format({"bg_color": "#FFEB9C", "align": "center"})
        names = SUMMARY_SHEETS[0 if zh else 1]
        from .write.rowsheet import RowSheet
        sheet_class = RowSheet
        self.overview = self.wb.add_worksheet(names[0])
        self.forms = self.wb.add_worksheet(names[1], worksheet_class=sheet_class)
        self.findings = self.wb.add_worksheet(names[2], worksheet_class=sheet_class)
        self.bad = self.wb.add_worksheet(names[3], worksheet_class=sheet_class)
        self.forms_head = (["文件", "工作表", "单位", "项目", "全年预算数", "全年执行数", "执行率", "重算总分", "等级",
                            "错误", "警告", "提示"] if zh else
                           ["file", "sheet", "unit", "project", "budget", "spent", "execution rate", "total", "grade",
                            "errors", "warnings", "notes"])
        self.findings_head = (["文件", "工作表", "单元格", "单位", "项目", "级别", "代码", "说明"] if zh else
                              ["file", "sheet", "cell", "unit", "project", "severity", "code", "message"])
        self._head(self.forms, self.forms_head, (28, 8, 22, 32, 11, 11, 8, 8, 5, 5, 5, 5))
        self._head(self.findings, self.findings_head, (26, 8, 7, 20, 26, 6, 24, 70))
        self._head(self.bad, ["文件", "原因"] if zh else ["file", "reason"], (40, 100))

    def _head(self, ws, head, widths):
        for c, (h, w) in enumerate(zip(head, widths)):
            ws.write(0, c, h, self.bold)
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        self._print(ws, repeat=0)

    def _print(self, ws, repeat: int | None = None) -> None:
        """A4 landscape, one page wide, the header row on every page, page numbers."""
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&C&P / &N")
        if repeat is not None:
            ws.repeat_rows(repeat)

    # Every text from a form (unit, project, sheet names, messages quoting cells) is written as a string cell with
    # its control characters made visible: never a formula (write/neutral.py).
    def _text(self, ws, row: int, col: int, value, fmt=None) -> None:
        ws.write_string(row, col, neutral.text(str(value))[:neutral.MAX_CELL], fmt)

    def _cell(self, ws, row: int, col: int, value) -> None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(row, col, value)
        else:
            self._text(ws, row, col, "" if value is None else value)

    def _row(self, ws, row: int, values) -> None:
        for c, v in enumerate(values):
            self._cell(ws, row, c, v)

    def _link_text(self, path: str) -> str:
        """What column A holds for *path*, as stored: ``=HYPERLINK("target","shown")`` of the path relative to the
        summary's folder, or the path as text where it cannot be a formula's literal."""
        try:
            rel = os.path.relpath(os.path.join(self._cwd, path), self._base)    # join: a relative path is the cwd's
        except ValueError:   # another drive on Windows
            rel = os.path.abspath(path)
        target, shown = rel.replace("\\", "/"), neutral.text(rel)[:neutral.MAX_CELL]
        if len(target) <= FORMULA_TEXT_MAX and len(shown) <= FORMULA_TEXT_MAX and not _CONTROL.search(target + shown):
            return f"=HYPERLINK({_formula_text(target)},{_formula_text(shown)})\0{shown}"
        return shown

    def _link_cell(self, text: str):
        """The stored link text → the cell to write: a Formula, or text."""
        from .write.rowsheet import Formula
        if "\0" in text:           # a formula and its shown value (a path has no NUL)
            formula, shown = text.split("\0", 1)
            return Formula(formula, shown)
        return text

    @staticmethod
    def _t(value) -> str:
        return neutral.text(str(value))[:neutral.MAX_CELL]

    def _write_rows(self) -> None:
        """The forms, findings and unreadable sheets: the rows :meth:`add` rendered, copied in."""
        formats = {"link": self.link, "num": self.num, "pct": self.pct, "center": self.center, "red": self.red,
                   "yellow": self.yellow, "wrap": self.wrap}
        tables = self._tables()
        for key, ws in (("forms", self.forms), ("findings", self.findings), ("bad", self.bad)):
            self.rows[key] = ws.write_rendered(tables[key], formats)

    def close(self, totals: Totals) -> None:
        try:
            self._close(totals)
        finally:
            self._close_tables()

    def _close(self, totals: Totals) -> None:
        from .checks.catalogue import CATALOGUE
        self._open()
        self._write_rows()
        zh = self.lang == "zh"
        piv = self.tally.pivots()
        ws = self.overview
        self._print(ws)
        ws.set_column(0, 0, 30)
        ws.set_column(1, 1, 10)
        ws.set_column(2, 2, 24)
        ws.set_column(3, 6, 8)
        title = self.wb.add_format({"bold": True, "font_size": 14})
        ws.write(0, 0, "xlscore 批量检查汇总" if zh else "xlscore batch summary", title)
        lines = [("文件夹" if zh else "folder", str(self.folder)), ("文件" if zh else "files", totals.files),
                 ("无法读取" if zh else "unreadable", totals.unreadable), ("表格" if zh else "forms", totals.forms),
                 ("错误" if zh else "errors", totals.errors), ("警告" if zh else "warnings", totals.warnings),
                 ("xlscore", __version__)]
        for i, (k, v) in enumerate(lines):
            ws.write(2 + i, 0, k, self.bold)
            self._cell(ws, 2 + i, 1, v)
        sheet = ws.get_name()
        r = 2 + len(lines) + 1
        charts: list = []

        def chart(kind: str, title_text: str, **extra):
            ch = self.wb.add_chart({"type": kind, **extra})
            ch.set_title({"name": title_text, "name_font": {"size": 11}})
            charts.append(ch)
            return ch

        # grade distribution by unit (a stacked bar per unit)
        ws.write_row(r, 0, ["单位" if zh else "unit", *GRADES, "表格数" if zh else "forms"], self.bold)
        top = piv.grades_by_unit[:15]
        for i, row in enumerate(piv.grades_by_unit):
            self._row(ws, r + 1 + i, row)
        if top and any(sum(t[1:5]) for t in top):
            ch = chart("bar", "各单位评价等级分布" if zh else "Grades by unit", subtype="stacked")
            colours = ("#70AD47", "#4472C4", "#FFC000", "#C00000")
            for j, g in enumerate(GRADES):
                ch.add_series({"name": [sheet, r, 1 + j], "categories": [sheet, r + 1, 0, r + len(top), 0],
                               "values": [sheet, r + 1, 1 + j, r + len(top), 1 + j], "fill": {"color": colours[j]}})
            ch.set_y_axis({"reverse": True})
            ch.set_x_axis({"name": "表格数" if zh else "forms"})
        r += len(piv.grades_by_unit) + 2
        # level-1 score rates, one table and chart per kind of form, the framework's names only
        for kind, label in (("scoring", ("评分表一级指标平均得分率", "Scoring tables: mean score rate by 一级")),
                            ("self_assessment", ("自评表一级指标平均得分率", "Self-assessments: mean score rate by 一级"))):
            rows = piv.level1.get(kind)
            if not rows:
                continue
            ws.write(r, 0, label[0] if zh else label[1], self.bold)
            ws.write_row(r + 1, 0, ["一级指标" if zh else "level 1", "平均得分率" if zh else "mean rate",
                                    "表格数" if zh else "forms"], self.bold)
            for i, (name, rate, n) in enumerate(rows):
                self._text(ws, r + 2 + i, 0, name)
                ws.write_number(r + 2 + i, 1, rate, self.pct)
                ws.write_number(r + 2 + i, 2, n)
            ch = chart("bar", label[0] if zh else label[1])
            ch.add_series({"name": "平均得分率" if zh else "mean score rate",
                           "categories": [sheet, r + 2, 0, r + 1 + len(rows), 0],
                           "values": [sheet, r + 2, 1, r + 1 + len(rows), 1],
                           "data_labels": {"value": True, "num_format": "0%"}})
            ch.set_legend({"none": True})
            ch.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
            ch.set_y_axis({"reverse": True})
            r += len(rows) + 3
        # findings by unit, and the units with the most errors
        ws.write_row(r, 0, ["单位" if zh else "unit", "表格数" if zh else "forms", "错误" if zh else "errors",
                            "警告" if zh else "warnings", "平均总分" if zh else "mean total"], self.bold)
        for i, row in enumerate(piv.by_unit):
            self._row(ws, r + 1 + i, row[:4])
            if row[4] is not None:
                ws.write_number(r + 1 + i, 4, row[4])
        worst = [row for row in piv.by_unit[:10] if row[2]]
        if worst:
            ch = chart("bar", "错误最多的单位" if zh else "Units with the most errors")
            ch.add_series({"name": "错误" if zh else "errors", "categories": [sheet, r + 1, 0, r + len(worst), 0],
                           "values": [sheet, r + 1, 2, r + len(worst), 2], "fill": {"color": "#C00000"},
                           "data_labels": {"value": True}})
            ch.set_legend({"none": True})
            ch.set_y_axis({"reverse": True})
        r += len(piv.by_unit) + 2
        # findings by code
        ws.write_row(r, 0, ["问题代码" if zh else "code", "级别" if zh else "severity", "名称" if zh else "title",
                            "次数" if zh else "count", "文件数" if zh else "files"], self.bold)
        for i, (code, sev, n, nfiles) in enumerate(piv.by_code):
            d = CATALOGUE.get(code)
            self._row(ws, r + 1 + i, [code, self.severity.get(sev, sev), d.title(self.lang) if d else "", n, nfiles])
        r += len(piv.by_code) + 2
        # execution rate against total: only where the forms spread over both
        n = self.rows["forms"] - 1
        if n and self.tally.spread.shows:
            ch = chart("scatter", "预算执行率与总分" if zh else "Execution rate vs total")
            fs = self.forms.get_name()
            ch.add_series({"name": "表格" if zh else "forms", "categories": [fs, 1, 6, n, 6],
                           "values": [fs, 1, 7, n, 7], "marker": {"type": "circle", "size": 5}})
            ch.set_x_axis({"name": "执行率" if zh else "execution rate", "num_format": "0%"})
            ch.set_y_axis({"name": "总分" if zh else "total", "min": 0, "max": 100})
            ch.set_legend({"none": True})
        # the charts right of the tables, two abreast, so they print on the first page whole
        for i, ch in enumerate(charts):
            ch.set_size({"width": 480, "height": 290})
            ws.insert_chart(2 + 16 * (i // 2), 8 + 8 * (i % 2), ch)
        for w, key in ((self.forms, "forms"), (self.findings, "findings")):
            if self.rows[key] > 1:
                w.autofilter(0, 0, self.rows[key] - 1, len(self.forms_head if key == "forms" else self.findings_head) - 1)
        self.wb.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self._close_tables()
        try:
            if self.wb is not None:
                self.wb.close()
        except Exception:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass


# --------------------------------------------------------------------------- script outputs

CSV_HEAD = ["file", "sheet", "cell", "unit", "project", "severity", "code", "message", "expected", "found", "error"]


def csv_rows(r: dict) -> Iterator[list]:
    if r["error"]:
        yield [r["path"], "", "", "", "", "", "", "", "", "", r["error"]]
        return
    info = {f["sheet"]: f for f in r["forms"]}
    for s in r["report"]["sheets"]:
        meta = info.get(s["name"], {})
        for x in s["findings"]:
            yield [r["path"], s["name"], x["cell"] or "", meta.get("unit", ""), meta.get("project", ""), x["severity"],
                   x["code"], x["message"], plain_value(x["expected"]), plain_value(x["found"]), ""]


def csv_line(row: list) -> str:
    """One CSV line; text that a spreadsheet would run as a formula is prefixed with ' (OWASP)."""
    buf = io.StringIO()
    csv.writer(buf).writerow([neutral.csv_field(v) for v in row])
    return buf.getvalue()
