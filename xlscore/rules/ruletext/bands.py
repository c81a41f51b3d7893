"""Band tables on a rate (domain rules 10, 11): a fixed score per band, the bands mutually exclusive.

    重点支出安排率≥90%，计5分；80%(含)-90%，计4分；70%(含)-80%，计3分；60%(含)-70%，计2分；低于60%不得分
    预算调整率=0，计3分；0-10%(含)，计2分；10-20%(含)，计1分；20-30%(含)，计0.5分；大于30%不得分
    100%：5分；90-100%：3分；70-90%：1分；70%以下：0分
    80%≤满意度<90%得3分；满意度≥90%得5分；满意度<80%不得分
    超过80%、70%和60%的分别得6分、4分和2分

The score is one of the band points (never a sum); it is computed from a rate where the sheet gives one. A
boundary that the text leaves open (``90-100%`` beside ``70-90%``) is ambiguous: a rate exactly on it is not scored.
"""

from __future__ import annotations

import re

from .core import EPS, N, Measure, ParsedRule, to_float, fmt, rule_kind
from ...text import lazy_re

P = N + r"%?"
# the score part at the end of a band clause, as data: (pattern, points or None for the number captured)
SCORE_ENDINGS = (
    (r"(?:的|,|:)?(?:计|得|为)?" + N + r"分$", None),
    (r"(?:的|,|:)?(?:不得分|不计分|得0分|计0分)$", 0.0),
)
# a band's condition, as data: (pattern, builder from the captured numbers → (lo, lo_incl, hi, hi_incl, explicit))
CONDITIONS = (
    (r"^" + P + r"(?:\(含\))?≤[^≤<]*?<" + P + "$", lambda a, b: (a, True, b, False, True)),
    (r"^" + P + r"<[^≤<]*?≤" + P + "$", lambda a, b: (a, False, b, True, True)),
    (r"^" + P + r"\(含\)[-~至到]" + P + "$", lambda a, b: (a, True, b, False, True)),
    (r"^" + P + r"[-~至到]" + P + r"\(含\)$", lambda a, b: (a, False, b, True, True)),
    (r"^" + P + r"[-~至到]" + P + "$", lambda a, b: (a, True, b, False, False)),
    (r"(?:≥|大于等于|不低于|不少于)" + P + r"(?:以上)?$", lambda a: (a, True, None, False, True)),
    (r"(?:>|大于|超过|高于)" + P + r"(?:以上)?$", lambda a: (a, False, None, False, True)),
    (r"(?:≤|小于等于|不超过|不高于)" + P + "$", lambda a: (None, False, a, True, True)),
    (r"(?:<|小于|低于|不足|未达到)" + P + "$", lambda a: (None, False, a, False, True)),
    (P + r"(?:\(含\))?(?:及以上|以上)$", lambda a: (a, True, None, False, True)),
    (P + r"(?:\(不含\))?以下$", lambda a: (None, False, a, False, True)),
    (r"(?:=|为|等于)" + P + "$", lambda a: (a, True, a, True, True)),
    (r"^" + N + "%$", lambda a: (a, True, a, True, True)),
)
LIST_FORM = lazy_re(r"(超过|高于|大于|达到|≥|不低于)((?:" + N + r"%?[、,和及与]?)+)的?,?分别(?:得|计)((?:" + N + r"分?[、,和及与]?)+)")


def _condition(cond: str):
    cond = cond.rstrip(",:的时")
    for pat, build in CONDITIONS:
        m = re.search(pat, cond)
        if m:
            return build(*[to_float(g) for g in m.groups()])
    return None


def _bands_list(s: str):
    m = LIST_FORM.search(s)
    if not m:
        return None
    rates = [to_float(x) for x in re.findall(N, m.group(2))]
    points = [to_float(x) for x in re.findall(N, m.group(4))]
    if len(rates) < 2 or len(rates) != len(points):
        return None
    incl = m.group(1) in ("达到", "≥", "不低于")
    bands = [(r, incl, None, False, True, p) for r, p in zip(rates, points)]
    bands.append((None, False, rates[-1], not incl, True, 0.0))       # below the last band: nothing
    return bands


def _match(s: str, w):
    if "每" in s or "¶" in s or "按" in s:
        return None
    bands = _bands_list(s)
    if bands is None:
        clauses = [c for c in re.split(r"[;。]", s) if c]
        if len(clauses) < 2:
            return None
        bands = []
        for c in clauses:
            for pat, fixed in SCORE_ENDINGS:
                m = re.search(pat, c)
                if m:
                    pts = fixed if fixed is not None else to_float(m.group(1))
                    cond = _condition(c[:m.start()])
                    break
            else:
                return None
            if cond is None:
                return None
            bands.append(cond + (pts,))
    if len(bands) < 2 or len({b[-1] for b in bands}) < 2:
        return None
    return {"bands": _disjoint(bands)}


def _disjoint(bands):
    """Open-ended bands listed one after another (超过80%…6分、超过70%…4分) close at the band before them."""
    out = []
    for i, (lo, lo_in, hi, hi_in, explicit, pts) in enumerate(bands):
        if lo is not None and hi is None:
            above = [(b[0], b[1]) for b in bands[:i] if b[0] is not None and b[0] > lo + EPS]
            if above:
                a, a_in = min(above)
                hi, hi_in = a, not a_in
        elif hi is not None and lo is None:
            below = [(b[2], b[3]) for b in bands[:i] if b[2] is not None and b[2] < hi - EPS]
            if below:
                b_, b_in = max(below)
                lo, lo_in = b_, not b_in
        out.append((lo, lo_in, hi, hi_in, explicit, pts))
    return out


def _inside(x: float, b, loose: bool = False) -> bool:
    """x in band b; with *loose*, a boundary the text leaves open counts as inside."""
    lo, lo_in, hi, hi_in, explicit = b[:5]
    lo_in = lo_in or (loose and not explicit)
    hi_in = hi_in or (loose and not explicit)
    if lo is not None and (x < lo - EPS or (not lo_in and abs(x - lo) <= EPS)):
        return False
    if hi is not None and (x > hi + EPS or (not hi_in and abs(x - hi) <= EPS)):
        return False
    return True


def _compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:
        return None
    x = m.rate * 100
    bands = r.params["bands"]
    claims = [b for b in bands if _inside(x, b, loose=True)]
    sure = {b[-1] for b in claims if b[4]}
    if len(sure) == 1:
        return sure.pop()            # a band the text bounds explicitly (100%：5分 beside 90-100%)
    if len({b[-1] for b in claims}) == 1:
        return claims[0][-1]
    return None                      # on an open boundary between two scores (90% in 90-100% / 70-90%)


def _cond_text(b, lang: str) -> str:
    lo, lo_in, hi, hi_in = b[:4]
    if lo is not None and hi is not None and abs(lo - hi) <= EPS:
        return f"={fmt(lo)}%"
    parts = []
    if lo is not None:
        parts.append(("≥" if lo_in else ">") + fmt(lo) + "%")
    if hi is not None:
        parts.append(("≤" if hi_in else "<") + fmt(hi) + "%")
    return ("且" if lang == "zh" else " and ").join(parts)


def _describe(r: ParsedRule, lang: str) -> str:
    parts = [f"{_cond_text(b, lang)}{'得' if lang == 'zh' else ': '}{fmt(b[-1])}{'分' if lang == 'zh' else ''}"
             for b in r.params["bands"]]
    if lang == "zh":
        return "按比率分档定分（各档互斥，得分为其中一档）：" + "；".join(parts)
    return "bands on the rate (mutually exclusive, the score is one band's): " + "; ".join(parts)


@rule_kind("rate-bands", "按比率分档定分", "Bands on a rate", describe=_describe, compute=_compute,
           allowed=lambda r: [b[-1] for b in r.params["bands"]],
           examples=("重点支出安排率≥90%，计5分；80%(含)-90%，计4分；70%(含)-80%，计3分；60%(含)-70%，计2分；低于60%不得分。",
                     "预算调整率=0，计3分；0-10%(含)，计2分；10-20%(含)，计1分；20-30%(含)，计0.5分；大于30%不得分。",
                     "100%：5分；90-100%：3分；70-90%：1分；70%以下：0分",
                     "80%≤满意度<90%得3分；满意度≥90%得5分；满意度<80%不得分",
                     "超过80%、70%和60%的分别得6分、4分和2分。"))
def _bands(s: str, w):
    return _match(s, w)
