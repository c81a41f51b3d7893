"""Coverage of the parser over the corpus: ``python -m xlscore.rules.ruletext --coverage``."""

from __future__ import annotations

from .core import fmt, KINDS_BY_NAME, parse_rule


def corpus_rule_texts(corpus) -> list[tuple[str, str, float | None, str]]:
    """(source, leaf name, weight, rule text) for every 评分标准 text in the corpus's *.tables.json files."""
    import json
    from pathlib import Path
    out = []
    for path in sorted(Path(corpus).glob("*.tables.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for leaf in data.get("scoring_table", []):
            w = leaf.get("weights", [None])[-1]
            name = leaf.get("path", ["?"])[-1]
            out.append((path.name, name, w, leaf.get("评分标准") or ""))
            if leaf.get("评分标准_表2_variant"):
                out.append((path.name + " (表2)", name, w, leaf["评分标准_表2_variant"]))
    return out


def field_rule_texts(folder) -> list[tuple[str, str, float | None, str]]:
    """(source, leaf name, weight, rule text) for every 评分标准 cell of the field corpus's scoring tables
    (``tests/field/scoring/*.json``: the rows as printed). The rule column is found by its header (评分标准, 评分细则,
    计分方法 …); the weight is the row's 分值/权重 cell, else the one in the nearest label on its left."""
    import json
    from pathlib import Path

    from ...read.headers import column_role
    from ...read.tree import split_label
    from ...text import parse_number
    out = []
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data.get("rows") or []
        header = rule_col = weight_col = None
        for i, row in enumerate(rows):
            roles = {column_role(v): c for c, v in enumerate(row) if isinstance(v, str)}
            if "rule" in roles:
                header, rule_col, weight_col = i, roles["rule"], roles.get("weight")
                break
        if header is None:
            continue
        for row in rows[header + 1:]:
            text = row[rule_col] if rule_col < len(row) else None
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            labels = [v for v in row[:rule_col] if isinstance(v, str) and v.strip()]
            name, w = split_label(labels[-1]) if labels else ("?", None)
            if weight_col is not None and weight_col < len(row) and row[weight_col] is not None:
                w = parse_number(row[weight_col])
            if name and any(k in name for k in ("合计", "总分", "总计")):
                continue
            out.append((path.name, name, w, str(text)))
    return out


def phrasing_texts(path) -> list[tuple[str, str, float | None, str]]:
    """(file, line number, weight, rule text) for a file of phrasings, one ``weight|text`` a line (the weight may
    be empty; lines starting with # are skipped)."""
    from pathlib import Path
    out = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        w, sep, text = line.partition("|")
        if not sep:
            w, text = "", line
        try:
            weight = float(w) if w.strip() else None
        except ValueError:
            weight, text = None, line
        out.append((Path(path).name, f"line {i}", weight, text.strip()))
    return out


def measure(texts) -> dict:
    """Parsed (a known kind, checkable), judgement by nature, unparsed, by kind, over (source, name, weight, text)."""
    by_kind: dict[str, int] = {}
    rows = []
    parsed = judgement = unparsed = 0
    for src, name, w, text in texts:
        r = parse_rule(text, w)
        if r is None:
            unparsed += 1
            kind = "unparsed"
        else:
            kind = r.kind
            if r.judgement:
                judgement += 1
            else:
                parsed += 1
        by_kind[kind] = by_kind.get(kind, 0) + 1
        rows.append((src, name, w, kind, r.describe("zh") if r else text))
    return {"texts": len(texts), "parsed": parsed, "judgement": judgement, "unparsed": unparsed,
            "by_kind": dict(sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))), "rows": rows}


def coverage(corpus, field=None, phrasings=None) -> dict:
    """The corpus tables' figures at the top level (the contract of ``--json``), and under ``sources`` one entry
    per source read: ``corpus``, ``field`` (the field scoring tables) and ``phrasings`` (a file of phrasings)."""
    out = measure(corpus_rule_texts(corpus))
    out["sources"] = {"corpus": {k: v for k, v in out.items() if k != "rows"}}
    if field is not None:
        out["sources"]["field"] = measure(field_rule_texts(field))
    if phrasings is not None:
        out["sources"]["phrasings"] = measure(phrasing_texts(phrasings))
    return out


def _share(n: int, total: int) -> str:
    return f"{n} ({n / total:.0%})" if total else str(n)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[3]
    ap = argparse.ArgumentParser(prog="python -m xlscore.rules.ruletext",
                                 description="Parse evaluators' rule texts; --coverage measures the parser on the corpus.")
    ap.add_argument("--coverage", action="store_true",
                    help="parse every rule text of the corpus *.tables.json files, the field scoring tables and --phrasings")
    ap.add_argument("--corpus", default=str(root / "samples" / "source"))
    ap.add_argument("--field", default=str(root / "tests" / "field" / "scoring"),
                    help="the field corpus's scoring tables (every 评分标准 cell); 'none' to skip")
    ap.add_argument("--phrasings", default=None, help="a file of phrasings, one 'weight|text' a line")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per rule text")
    ap.add_argument("text", nargs="*", help="rule texts to parse (with --weight)")
    ap.add_argument("--weight", type=float, default=None)
    a = ap.parse_args(argv)
    if a.coverage:
        field = a.field if a.field and a.field != "none" and Path(a.field).is_dir() else None
        c = coverage(a.corpus, field, a.phrasings)
        if a.json:
            c["sources"] = {k: {kk: vv for kk, vv in v.items() if kk != "rows"} for k, v in c["sources"].items()}
            print(json.dumps({k: v for k, v in c.items() if k != "rows"}, ensure_ascii=False, indent=1))
            return 0
        for name, src in [("corpus", c)] + [(k, v) for k, v in c["sources"].items() if k != "corpus"]:
            if a.verbose:
                for s, n, w, kind, d in src["rows"]:
                    print(f"{s}\t{n}\t{fmt(w)}\t{kind}\t{d}")
            t = src["texts"]
            label = {"corpus": "rule texts", "field": "field scoring tables' rule texts",
                     "phrasings": "phrasings"}[name]
            print(f"{label}: {t}  parsed (computable/checkable): {_share(src['parsed'], t)}  "
                  f"judgement by nature: {_share(src['judgement'], t)}  unparsed: {_share(src['unparsed'], t)}")
            for k, n in src["by_kind"].items():
                title = KINDS_BY_NAME[k].title_zh if k in KINDS_BY_NAME else "未识别"
                print(f"  {k:24s} {n:3d}  {title}")
        return 0
    for t in a.text:
        r = parse_rule(t, a.weight)
        print(f"{r.kind}: {r.describe('zh')}  {r.params}" if r else "unparsed")
    return 0
