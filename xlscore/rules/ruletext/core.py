"""The parsed rule, the kind record and the helpers every family shares (numbers, steps, item markers)."""

from __future__ import annotations

import math
import re
from ...records import dataclass, field
from typing import Any, Callable

from ...text import clean, fold

EPS = 1e-9
N = r"(\d+(?:\.\d+)?)"                       # a number
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
UNITS = "家|场次|场|人次|个|篇|次|台|项|名|部|份|批|辆|人|条"
JUDGEMENT_WORDS = ("酌情", "核定分数", "视情况", "视情节", "根据实际情况", "据此", "综合考虑", "适当调整", "可扣至0分",
                   "从严扣分", "可直接扣到0分", "视具体情况")


_MARKS = str.maketrans({c: "¶" for c in "①②③④⑤⑥⑦⑧⑨⑩"})


def norm(text: object) -> str:
    """The rule text with PDF/LaTeX residue removed, full-width folded and all whitespace dropped."""
    s = clean(text)
    s = re.sub(r"</?p>", "", s)
    s = (s.replace("\\geq", "≥").replace("\\leq", "≤").replace("\\pm", "±").replace("\\%", "%")
         .replace("$", "").replace("\\", ""))
    s = fold(s.translate(_MARKS))         # NFKC would turn ① into 1: keep item markers as ¶
    s = s.replace(">=", "≥").replace("<=", "≤").replace("≦", "≤").replace("≧", "≥").replace("×", "*").replace("x100%", "*100%")
    return re.sub(r"\s+", "", s)


def to_float(x: str) -> float:
    return float(x.replace(",", ""))


def cn_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return CN_DIGITS.get(s)


def fmt(x: float | None) -> str:
    if x is None:
        return "—"
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def pct(x: float) -> str:
    return fmt(x * 100) + "%"


# --------------------------------------------------------------------------- the parsed rule

@dataclass
class Measure:
    """Figures the sheet gives for one leaf: a rate (fraction), a count, the target; None where absent."""
    rate: float | None = None
    count: float | None = None
    target: float | None = None


@dataclass
class ParsedRule:
    kind: str
    weight: float | None
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""

    @property
    def spec(self) -> "RuleKind":
        return KINDS_BY_NAME[self.kind]

    @property
    def judgement(self) -> bool:
        """True when the score is the evaluator's judgement by nature (bounds and consistency checks only)."""
        return self.spec.judgement or bool(self.params.get("judgement_part"))

    @property
    def reference_only(self) -> bool:
        """A formula plus a discretionary adjustment: the formula gives a reference value, not the score."""
        return self.kind == "formula-discretion"

    def describe(self, lang: str = "zh") -> str:
        return self.spec.describe(self, lang)

    def compute(self, m: Measure) -> float | None:
        if self.weight is None or self.spec.compute is None:
            return None
        try:
            v = self.spec.compute(self, m)
        except (ZeroDivisionError, TypeError, ValueError):
            return None
        return None if v is None else max(0.0, min(self.weight, v))

    def allowed(self) -> list[float] | None:
        """Every score the rule can give (for kinds with a discrete outcome), or None."""
        if self.weight is None or self.spec.allowed is None or self.params.get("judgement_part"):
            return None
        vals = self.spec.allowed(self)
        if vals is None:
            return None
        return sorted({round(max(0.0, min(self.weight, v)), 6) for v in vals})

    @property
    def step(self) -> float | None:
        """The deduction step in points, where the rule deducts in equal steps."""
        d = self.params.get("deduct")
        if d is None or self.weight is None:
            return None
        return d * self.weight if self.params.get("deduct_share") else d


@dataclass(frozen=True)
class RuleKind:
    name: str
    title_zh: str
    title_en: str
    match: Callable[[str, float | None], dict | None]
    describe: Callable[[ParsedRule, str], str]
    compute: Callable[[ParsedRule, Measure], float | None] | None = None
    allowed: Callable[[ParsedRule], list[float] | None] | None = None
    judgement: bool = False
    examples: tuple[str, ...] = ()


RULE_KINDS: list[RuleKind] = []              # in matching order, filled by :mod:`.registry`
KINDS_BY_NAME: dict[str, RuleKind] = {}
DECLARED: dict[str, RuleKind] = {}           # every kind a family module declares, before ordering


def rule_kind(name: str, title_zh: str, title_en: str, *, describe, compute=None, allowed=None,
              judgement: bool = False, examples: tuple[str, ...] = ()):
    """Declare a rule kind: the decorated function matches a normalised text and returns its params or None.
    The order in which kinds are tried is set in one place, :data:`.registry.ORDER`."""
    def deco(match):
        if name in DECLARED:
            raise ValueError(f"rule kind {name!r} declared twice")
        DECLARED[name] = RuleKind(name, title_zh, title_en, match, describe, compute, allowed, judgement, examples)
        return match
    return deco


def parse_rule(text: object, weight: float | None = None) -> ParsedRule | None:
    """The rule a 评分标准 text states, or None when no registered kind recognises it."""
    s = norm(text)
    for k in RULE_KINDS:
        params = k.match(s, weight)
        if params is not None:
            return ParsedRule(k.name, weight, params, clean(text))
    return None


def deduct_of(m: re.Match, num: int, unit: int) -> tuple[float, bool]:
    """(amount, is_share_of_weight) from a '扣X%权重分' / '扣X分' match."""
    v = to_float(m.group(num))
    return (v / 100.0, True) if "%" in (m.group(unit) or "") else (v, False)


def deduction_text(r: ParsedRule, lang: str) -> str:
    d, share = r.params.get("deduct"), r.params.get("deduct_share")
    if d is None:
        return "—"
    if lang == "zh":
        return f"{pct(d)}权重分（{fmt(d * r.weight)}分）" if share and r.weight else (f"{pct(d)}权重分" if share else f"{fmt(d)}分")
    return f"{pct(d)} of the weight ({fmt(d * r.weight)} points)" if share and r.weight else (
        f"{pct(d)} of the weight" if share else f"{fmt(d)} points")


def step_points(r: ParsedRule) -> float:
    return r.step or 0.0


def multiples_of(r: ParsedRule, max_count: int | None = None) -> list[float] | None:
    s = r.step
    if not s or s <= EPS or r.weight is None:
        return None
    n = int(math.floor(r.weight / s + 1e-9))
    if max_count is not None:
        n = min(n, max_count)
    vals = [r.weight - k * s for k in range(n + 1)]
    if vals[-1] > EPS and max_count is None:
        vals.append(0.0)      # 扣完为止: the last step goes to 0
    return vals


def rule_items(s: str) -> list[str]:
    """The ①②③… (or 1. 2. 3.) sections of a rule text."""
    parts = s.split("¶")
    if len(parts) > 2:
        return [p for p in parts[1:]]
    parts = re.split(r"(?:^|(?<=[。;]))\d[.、](?!\d)", s)
    if len(parts) > 2:
        return [p for p in parts[1:]]
    return []
