"""The batch's findings on disk while the batch runs: one SQLite file, written as each file's result arrives and
read back, streaming, when the summary workbook is written. The main process keeps counters only, so its memory
does not grow with the number of forms (issue 17, item 4).

Rows are the plain tuples of :func:`xlscore.batch.records` (same columns, same order, same Python types: the
tables have no declared column types, so SQLite keeps an int an int and a float a float; an ``expected`` or
``found`` that is not a str, int or float — a bool — is stored as JSON, so it comes back as it went in). A file's rows are contiguous and in
arrival order (the rowid), which is the order of the summary's sheets.

SQLite rather than an append-only CSV/JSONL: the overview needs counts of distinct files per finding code and of
distinct forms per 一级 name, which a database answers without the main process holding a set of every file.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Iterator

_SCHEMA = """
CREATE TABLE files (id INTEGER PRIMARY KEY, path, error, link);
CREATE TABLE forms (id INTEGER PRIMARY KEY, file INTEGER, sheet, kind, variant, unit, project, budget, spent, rate,
                    total, grade, errors, warnings, infos, unit_shown);
CREATE TABLE findings (id INTEGER PRIMARY KEY, file INTEGER, sheet, cell, unit, project, severity, code, message,
                       expected, found, json);
CREATE TABLE level1 (id INTEGER PRIMARY KEY, file INTEGER, sheet, kind, level1, name, score, weight);
"""

COMMIT_EVERY = 200          # files per transaction: one fsync-free commit now and then keeps the page cache small
INSERT_EVERY = 50           # files whose rows go to SQLite in one executemany per table
_PLAIN = (str, int, float)  # an expected/found SQLite keeps as it is (bool is an int to SQLite: it goes as JSON)


class FindingStore:
    """Append results (:meth:`add`), then read the four tables back in arrival order (:meth:`forms`,
    :meth:`findings`, :meth:`level1`, :meth:`unreadable`) and the overview's aggregates."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.db = sqlite3.connect(str(self.path), isolation_level=None)
        # a scratch file: nothing to recover after a crash, so no journal and no fsync
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA cache_size=-2048")           # at most 2 MiB of page cache: rows are appended and read once
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")
        self._pending = 0
        self._fid = 0
        self._files: list[tuple] = []
        self._forms: list[tuple] = []
        self._findings: list[tuple] = []
        self._level1: list[tuple] = []

    # ------------------------------------------------------------------ writing

    def add(self, r: dict, link: str | None = None) -> None:
        """One summarised file (the dict :func:`xlscore.batch.summarize` returns); *link*: what the summary shows
        for the file (computed once per file, read back with each of its rows). The rows are buffered and inserted
        INSERT_EVERY files at a time; a finding's expected and found are stored as they are, and as JSON (flagged in
        the ``json`` column: 1 expected, 2 found) only when SQLite would not give them back as they went in."""
        from .tables import records
        self._fid += 1
        fid = self._fid
        self._files.append((fid, r["path"], r["error"], link))
        if not r["error"]:
            rec = records(r, file=fid)
            self._forms.extend([(*t, f["unit"]) for t, f in zip(rec["forms"], r["forms"])])
            findings = self._findings
            for t in rec["findings"]:
                e, f = t[8], t[9]
                if e.__class__ in _PLAIN and f.__class__ in _PLAIN:
                    findings.append((*t, 0))
                else:
                    flag = 0
                    if e.__class__ not in _PLAIN:
                        e, flag = json.dumps(e, ensure_ascii=False), 1
                    if f.__class__ not in _PLAIN:
                        f, flag = json.dumps(f, ensure_ascii=False), flag | 2
                    findings.append((*t[:8], e, f, flag))
            self._level1.extend(rec["level1"])
        self._pending += 1
        if self._pending % INSERT_EVERY == 0:
            self._insert()
        if self._pending >= COMMIT_EVERY:
            self._insert()
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self._pending = 0

    def _insert(self) -> None:
        for sql, rows in (("INSERT INTO files VALUES (?,?,?,?)", self._files),
                          ("INSERT INTO forms VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self._forms),
                          ("INSERT INTO findings VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?)", self._findings),
                          ("INSERT INTO level1 VALUES (NULL,?,?,?,?,?,?,?)", self._level1)):
            if rows:
                self.db.executemany(sql, rows)
                rows.clear()

    def finish(self) -> None:
        """Commit what was added: from here on the store is read."""
        self._insert()
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    # ------------------------------------------------------------------ reading, streaming

    def forms(self, shown: bool = False) -> Iterator[tuple]:
        """The forms table (batch.FORM_COLUMNS), with the unit as the form printed it and the file's link appended
        if *shown*."""
        extra = ", f.unit_shown, p.link" if shown else ""
        yield from self.db.execute(
            "SELECT p.path, f.sheet, f.kind, f.variant, f.unit, f.project, f.budget, f.spent, f.rate, f.total, "
            f"f.grade, f.errors, f.warnings, f.infos{extra} FROM forms f JOIN files p ON p.id = f.file ORDER BY f.id")

    def findings(self, actionable: bool = False, values: bool = True) -> Iterator[tuple]:
        """The findings table (batch.FINDING_COLUMNS); only errors and warnings if *actionable*; with the file's
        link in place of the last two columns (expected, found) unless *values*."""
        where = "WHERE x.severity != 'info' " if actionable else ""
        if not values:
            yield from self.db.execute(
                "SELECT p.path, x.sheet, x.cell, x.unit, x.project, x.severity, x.code, x.message, p.link "
                f"FROM findings x JOIN files p ON p.id = x.file {where}ORDER BY x.id")
            return
        for row in self.db.execute(
                "SELECT p.path, x.sheet, x.cell, x.unit, x.project, x.severity, x.code, x.message, x.expected, "
                f"x.found, x.json FROM findings x JOIN files p ON p.id = x.file {where}ORDER BY x.id"):
            flag = row[10]
            yield (*row[:8], json.loads(row[8]) if flag & 1 else row[8], json.loads(row[9]) if flag & 2 else row[9])

    # the summary workbook's three row sheets, their columns in the sheet's order (batch.SummaryWorkbook._write_rows)

    def forms_sheet(self) -> Iterator[tuple]:
        return self.db.execute(
            "SELECT p.link, f.sheet, f.unit_shown, f.project, f.budget, f.spent, f.rate, f.total, f.grade, f.errors, "
            "f.warnings, f.infos FROM forms f JOIN files p ON p.id = f.file ORDER BY f.id")

    def findings_sheet(self) -> Iterator[tuple]:
        """The errors and warnings (the info lines stay in each file's own report)."""
        return self.db.execute(
            "SELECT p.link, x.sheet, x.cell, x.unit, x.project, x.severity, x.code, x.message "
            "FROM findings x JOIN files p ON p.id = x.file WHERE x.severity != 'info' ORDER BY x.id")

    def unreadable_sheet(self) -> Iterator[tuple]:
        return self.db.execute("SELECT link, error FROM files WHERE error IS NOT NULL ORDER BY id")

    def link_counts(self) -> tuple[int, int]:
        """(rows whose link is a formula, rows) over the three row sheets: a formula's link text holds a NUL."""
        n = f = 0
        for query in ("SELECT COUNT(*), TOTAL(instr(p.link, char(0)) > 0) FROM forms x JOIN files p ON p.id = x.file",
                      "SELECT COUNT(*), TOTAL(instr(p.link, char(0)) > 0) FROM findings x JOIN files p ON p.id = x.file "
                      "WHERE x.severity != 'info'",
                      "SELECT COUNT(*), TOTAL(instr(p.link, char(0)) > 0) FROM files p WHERE p.error IS NOT NULL"):
            rows, formulas = self.db.execute(query).fetchone()
            n += rows
            f += int(formulas)
        return f, n

    def level1(self) -> Iterator[tuple]:
        yield from self.db.execute("SELECT p.path, l.sheet, l.kind, l.level1, l.name, l.score, l.weight "
                                   "FROM level1 l JOIN files p ON p.id = l.file ORDER BY l.id")

    def unreadable(self, shown: bool = False) -> Iterator[tuple]:
        yield from self.db.execute(f"SELECT path, error{', link' if shown else ''} FROM files "
                                   "WHERE error IS NOT NULL ORDER BY id")

    def count(self, table: str, where: str = "") -> int:
        assert table in ("files", "forms", "findings", "level1")
        return self.db.execute(f"SELECT COUNT(*) FROM {table} {where}").fetchone()[0]

    def codes(self) -> Iterator[tuple]:
        """(code, severity, findings, distinct files) for every code and severity that occurred."""
        yield from self.db.execute("SELECT x.code, x.severity, COUNT(*), COUNT(DISTINCT p.path) FROM findings x "
                                   "JOIN files p ON p.id = x.file GROUP BY x.code, x.severity")

    def level1_forms(self, kind: str) -> dict[str, int]:
        """Framework 一级 name → distinct forms (file, sheet) of *kind* that scored it with a weight."""
        return dict(self.db.execute(
            "SELECT l.level1, COUNT(DISTINCT p.path || char(0) || l.sheet) FROM level1 l JOIN files p ON p.id = l.file "
            "WHERE l.kind = ? AND l.level1 IS NOT NULL AND l.weight IS NOT NULL AND l.weight != 0 GROUP BY l.level1",
            (kind,)))

    # ------------------------------------------------------------------ the end

    def close(self, remove: bool = True) -> None:
        try:
            self.db.close()
        finally:
            if remove:
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
