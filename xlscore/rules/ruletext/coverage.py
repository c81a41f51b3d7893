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


def coverage(corpus) -> dict:
    texts = corpus_rule_texts(corpus)
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
        rows.append((src, name, w, kind, r.describe("zh") if r else ""))
    return {"texts": len(texts), "parsed": parsed, "judgement": judgement, "unparsed": unparsed,
            "by_kind": dict(sorted(by_kind.items(), key=lambda kv: -kv[1])), "rows": rows}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    from pathlib import Path
    ap = argparse.ArgumentParser(prog="python -m xlscore.rules.ruletext",
                                 description="Parse evaluators' rule texts; --coverage measures the parser on the corpus.")
    ap.add_argument("--coverage", action="store_true", help="parse every rule text of the corpus *.tables.json files")
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "samples" / "source"))
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="one line per rule text")
    ap.add_argument("text", nargs="*", help="rule texts to parse (with --weight)")
    ap.add_argument("--weight", type=float, default=None)
    a = ap.parse_args(argv)
    if a.coverage:
        c = coverage(a.corpus)
        if a.json:
            print(json.dumps({k: v for k, v in c.items() if k != "rows"}, ensure_ascii=False, indent=1))
            return 0
        if a.verbose:
            for src, name, w, kind, d in c["rows"]:
                print(f"{src}\t{name}\t{fmt(w)}\t{kind}\t{d}")
        print(f"rule texts: {c['texts']}  parsed (computable/checkable): {c['parsed']}  "
              f"judgement by nature: {c['judgement']}  unparsed: {c['unparsed']}")
        for k, n in c["by_kind"].items():
            title = KINDS_BY_NAME[k].title_zh if k in KINDS_BY_NAME else "未识别"
            print(f"  {k:24s} {n:3d}  {title}")
        return 0
    for t in a.text:
        r = parse_rule(t, a.weight)
        print(f"{r.kind}: {r.describe('zh')}  {r.params}" if r else "unparsed")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
