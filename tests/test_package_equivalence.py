"""The package store's faster bookkeeping gives what the simple algorithms it replaced gave, on real packages.

Each oracle below is the earlier, simple code (kept here only as the reference): the store's answers must equal
its answers step by step, text for text.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from xlscore.write import package
from xlscore.write.package import CT_COMMENTS, CT_WS, esc

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))


def oracle_override(ct: str, part: str, ctype: str | None) -> str:
    """[Content_Types].xml after one override added or removed: the store's algorithm before it was cached."""
    pn = "/" + part
    key = f'PartName="{esc(pn, True)}"'
    j = ct.find(key)
    if j < 0:
        m = re.search(r'<Override\b[^>]*\b' + re.escape(key) + r'[^>]*/>', ct, re.I)
    else:
        start = ct.rfind("<Override", 0, j)
        m = re.compile(r"<Override\b[^>]*/>").match(ct, start) if start >= 0 else None
    if ctype is None:
        return ct[:m.start()] + ct[m.end():] if m else ct
    if m:
        return ct
    i = ct.rindex("</Types>")
    while True:
        start = ct.rfind("<Override", 0, i)
        if start < 0:
            break
        end = ct.find(">", start) + 1
        m2 = re.compile(r'PartName="([^"]*)"').search(ct, start, end)
        if ct[end:i].strip() or (m2.group(1) if m2 else "").lower() <= pn.lower():
            break
        i = start
    return ct[:i] + f'<Override PartName="{esc(pn, True)}" ContentType="{ctype}"/>' + ct[i:]


def _many_sheets(ct: str, n: int) -> str:
    """*ct* with the overrides of *n* worksheets after its own (as openpyxl writes a 200-sheet workbook)."""
    extra = "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{CT_WS}"/>' for k in range(1, n + 1))
    i = ct.rindex("</Types>")
    return ct[:i] + extra + ct[i:]


def _variants(ct: str) -> list[str]:
    """The sample's own text, with 200 sheets, with whitespace between entries, and with a Default at the end."""
    big = _many_sheets(ct, 200)
    spaced = re.sub(r"(<Override\b[^>]*/>)", r"\1\n  ", big)
    tail_default = big.replace("</Types>", '<Default Extension="bin" ContentType="application/x-test"/></Types>')
    return [ct, big, spaced, tail_default]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_content_type_overrides_match_the_simple_walk(sample, tmp_path):
    src = tmp_path / sample.name
    shutil.copy(sample, src)
    store = package.PackageStore(src)
    try:
        base = store._ct_text()
        rnd = random.Random(sample.name)
        for ct in _variants(base):
            store._ct, expect = ct, ct
            names = ([f"xl/comments{k}.xml" for k in range(1, 60)] + [f"xl/worksheets/sheet{k}.xml" for k in range(190, 215)]
                     + ["XL/Comments7.xml", "xl/drawings/vmlDrawing3.vml", "docProps/app.xml", "a.xml", "zz/ü.xml"])
            ops = [(n, rnd.choice((CT_COMMENTS, CT_WS))) for n in names]
            rnd.shuffle(ops)
            ops += [(n, None) for n in rnd.sample(names, 20)] + [(n, CT_COMMENTS) for n in rnd.sample(names, 20)]
            for part, ctype in ops:
                store._override(part, ctype)
                expect = oracle_override(expect, part, ctype)
                assert store._ct == expect, (part, ctype)
    finally:
        store.close()


def test_fresh_names_match_the_simple_scan(tmp_path):
    src = tmp_path / "book.xlsx"
    shutil.copy(SAMPLES[0], src)
    store = package.PackageStore(src)

    def oracle(pattern: str) -> str:
        n = 1
        taken = {x.lower() for x in (store.names | set(store.parts)) - store.gone}
        while pattern.format(n).lower() in taken:
            n += 1
        return pattern.format(n)

    try:
        rnd = random.Random(5)
        patterns = ["xl/comments{}.xml", "xl/drawings/vmlDrawing{}.vml", "xl/worksheets/sheet{}.xml"]
        made: list[str] = []
        for step in range(300):
            pattern = rnd.choice(patterns)
            assert store.fresh(pattern) == oracle(pattern)
            r = rnd.random()
            if r < 0.6:
                name = store.fresh(pattern)
                store.put(name if rnd.random() < 0.9 else name.upper(), b"<x/>")
                made.append(name)
            elif r < 0.8 and made:
                store.remove(made.pop(rnd.randrange(len(made))))
            elif r < 0.85:
                store.remove(rnd.choice(sorted(store.names)))
    finally:
        store.close()
