"""Evaluators' rule texts (评分标准) → formal rules, one registered kind each.

A scoring table (评价评分表) prints a 评分标准 text per leaf. :func:`parse_rule` turns it into a
:class:`ParsedRule` — a kind from :data:`RULE_KINDS` with its parameters — or returns None when no kind
recognises it. A parsed rule can

* ``describe(lang)`` itself in plain Chinese (shown in comments and the report sheet, so an evaluator can
  confirm it was read right);
* ``compute(measure)`` the score from figures in the sheet (a rate, a count) where the kind allows;
* list the ``allowed()`` scores (multiples of a step, subsets of a checklist, all or nothing), so a score
  that no application of the rule can give is caught even when the inputs are not in the sheet.

:func:`parse_reason` reads what a 扣分原因 text states ("扣1.5分", "该指标满分4分，扣1分，得分3分",
"本项分值 4 分，该指标得 80%权重分 3.2 分").

Each kind carries the Chinese phrasings that map to it (``examples``); the tests run every one of them.
``python -m xlscore.rules.ruletext --coverage`` measures the parser on every rule text of the corpus.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Callable

from ..text import clean, fold

EPS = 1e-9
N = r"(\d+(?:\.\d+)?)"                       # a number
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
UNITS = "家|场次|场|人次|个|篇|次|台|项|名|部|份|批|辆|人|条"
JUDGEMENT_WORDS = ("酌情", "核定分数", "视情况", "视情节", "根据实际情况", "据此", "综合考虑", "适当调整", "可扣至0分",
                   "从严扣分", "可直接扣到0分")


_MARKS = str.maketrans({c: "¶" for c in "①②③④⑤⑥⑦⑧⑨⑩"})


def norm(text: object) -> str:
    """The rule text with PDF/LaTeX residue removed, full-width folded and all whitespace dropped."""
    s = clean(text)
    s = re.sub(r"</?p>", "", s)
    s = (s.replace("\\geq", "≥").replace("\\leq", "≤").replace("\\pm", "±").replace("\\%", "%")
         .replace("$", "").replace("\\", ""))
    s = fold(s.translate(_MARKS))         # NFKC would turn ① into 1: keep item markers as ¶
    s = s.replace(">=", "≥").replace("<=", "≤").replace("×", "*").replace("x100%", "*100%")
    return re.sub(r"\s+", "", s)


def _f(x: str) -> float:
    return float(x.replace(",", ""))


def _cn_int(s: str) -> int | None:
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


RULE_KINDS: list[RuleKind] = []
KINDS_BY_NAME: dict[str, RuleKind] = {}


def rule_kind(name: str, title_zh: str, title_en: str, *, describe, compute=None, allowed=None,
              judgement: bool = False, examples: tuple[str, ...] = ()):
    """Register a rule kind: the decorated function matches a normalised text and returns its params or None."""
    def deco(match):
        k = RuleKind(name, title_zh, title_en, match, describe, compute, allowed, judgement, examples)
        RULE_KINDS.append(k)
        KINDS_BY_NAME[name] = k
        return match
    return deco


def _deduct(m: re.Match, num: int, unit: int) -> tuple[float, bool]:
    """(amount, is_share_of_weight) from a '扣X%权重分' / '扣X分' match."""
    v = _f(m.group(num))
    return (v / 100.0, True) if "%" in (m.group(unit) or "") else (v, False)


def _d_text(r: ParsedRule, lang: str) -> str:
    d, share = r.params.get("deduct"), r.params.get("deduct_share")
    if d is None:
        return "—"
    if lang == "zh":
        return f"{pct(d)}权重分（{fmt(d * r.weight)}分）" if share and r.weight else (f"{pct(d)}权重分" if share else f"{fmt(d)}分")
    return f"{pct(d)} of the weight ({fmt(d * r.weight)} points)" if share and r.weight else (
        f"{pct(d)} of the weight" if share else f"{fmt(d)} points")


def _step_pts(r: ParsedRule) -> float:
    return r.step or 0.0


def _multiples(r: ParsedRule, max_count: int | None = None) -> list[float] | None:
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


# --------------------------------------------------------------------------- the kinds (most specific first)

def _budget_describe(r: ParsedRule, lang: str) -> str:
    bands = r.params["bands"]
    if lang == "zh":
        parts = [f"超出预算{fmt(lo)}%–{fmt(hi)}%" + (f"或进度不足{fmt(p)}%" if p else "") + f"扣{fmt(d)}分"
                 for lo, hi, p, d in bands]
        z = r.params.get("zero_above")
        if z is not None:
            parts.append(f"超出{fmt(z[0])}%" + (f"或进度不足{fmt(z[1])}%" if z[1] else "") + "不得分")
        return "预算超支/进度分档：未超预算得满分；" + "；".join(parts)
    parts = [f"overrun {fmt(lo)}–{fmt(hi)}%" + (f" or progress under {fmt(p)}%" if p else "") + f": −{fmt(d)}"
             for lo, hi, p, d in bands]
    z = r.params.get("zero_above")
    if z is not None:
        parts.append(f"overrun over {fmt(z[0])}%" + (f" or progress under {fmt(z[1])}%" if z[1] else "") + ": 0")
    return "budget-overrun bands: within budget full marks; " + "; ".join(parts)


def _budget_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:        # spent / budget
        return None
    over = (m.rate - 1.0) * 100
    if over <= EPS:
        return r.weight
    z = r.params.get("zero_above")
    if z is not None and over > z[0] + EPS:
        return 0.0
    worst = 0.0
    for lo, hi, _, d in r.params["bands"]:
        if over >= lo - EPS:
            worst = max(worst, d)
    return r.weight - worst


@rule_kind("budget-overrun-bands", "预算超支/进度分档扣分", "Budget-overrun / progress bands",
           describe=_budget_describe, compute=_budget_compute,
           allowed=lambda r: [r.weight] + [r.weight - b[3] for b in r.params["bands"]] + [0.0],
           examples=("实际支出未超过预算计划的，得满分；超出预算10%至20%或者支出保障事项完成进度不足90%的扣1分，超出预算20%至30%"
                     "或者支出保障事项完成进度不足80%的扣3分，超出预算30%或者支出保障事项完成进度不足70%的不得分",))
def _budget(s: str, w):
    bands = [(_f(a), _f(b), _f(p) if p else None, _f(d)) for a, b, p, d in
             re.findall(r"超出预算" + N + r"%至" + N + r"%(?:或者?[^扣]*?不足" + N + r"%)?的?扣" + N + "分", s)]
    if not bands:
        return None
    z = re.search(r"超出预算" + N + r"%(?:以上)?(?:或者?[^,;。]*?不足" + N + r"%)?的?不得分", s)
    return {"bands": bands, "zero_above": (_f(z.group(1)), _f(z.group(2)) if z.group(2) else None) if z else None}


def _sat_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    extra = p.get("judgement_part")
    if lang == "zh":
        t = (f"满意度/比例≥{fmt(p['top'])}%得{fmt(p['points'])}分；每低{fmt(p['per'])}%扣{fmt(p['deduct'])}分"
             f"（不足{fmt(p['per'])}%按一档计），扣完为止")
        return t + (f"；另{fmt(extra)}分由评价组判断" if extra else "")
    t = (f"share ≥ {fmt(p['top'])}% gives {fmt(p['points'])}; −{fmt(p['deduct'])} per {fmt(p['per'])}% below "
         f"(a partial band counts), floor 0")
    return t + (f"; {fmt(extra)} more points by judgement" if extra else "")


def _sat_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None or r.params.get("judgement_part"):
        return None
    p = r.params
    gap = p["top"] - m.rate * 100
    if gap <= EPS:
        return p["points"]
    return max(0.0, p["points"] - p["deduct"] * math.ceil(gap / p["per"] - 1e-9))


@rule_kind("satisfaction-bands", "满意度分档", "Satisfaction bands",
           describe=_sat_describe, compute=_sat_compute,
           allowed=lambda r: [r.params["points"] - k * r.params["deduct"]
                              for k in range(int(r.params["points"] / r.params["deduct"] + 1e-9) + 1)] + [0.0],
           examples=("满意度大于等于90%的，得5分；每减少10%，扣1分，直至扣完为止。",
                     "满意度≥90%得5分，每减少10%扣1分",
                     "发放调查问卷，效果明显≥90%得5分；90%>效果明显≥80%得4分；以此类推实现效果每下降10%，扣1分，扣至0分为止。"))
def _satisfaction(s: str, w):
    top = re.search(r"(?:大于等于|≥|不低于)" + N + r"%(?:的|以上)?,?得" + N + "分", s)
    step = re.search(r"每(?:减少|下降|降低|低)" + N + r"%,?扣" + N + "分", s)
    if not (top and step):
        return None
    points = _f(top.group(2))
    out = {"top": _f(top.group(1)), "points": points, "per": _f(step.group(1)), "deduct": _f(step.group(2))}
    if w is not None and points < w - EPS:
        out["judgement_part"] = w - points      # e.g. 5 judgement points + a 5-point survey band
    return out


def _tol_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    ceil = ("（不足1%按1%计）" if lang == "zh" else " (a partial percent counts as 1%)") if p["ceil"] else ""
    if lang == "zh":
        return f"在±{fmt(p['band'])}%区间内得满分；超出区间每{fmt(p['per'])}%{ceil}扣{_d_text(r, lang)}，扣完为止"
    return f"within ±{fmt(p['band'])}% full marks; beyond it −{_d_text(r, lang)} per {fmt(p['per'])}%{ceil}, floor 0"


def _tol_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:
        return None
    p = r.params
    centre = p.get("centre")
    if centre is None:
        centre = 1.0 if abs(m.rate) > 0.5 else 0.0     # 准确率 around 100%, 节约率 around 0
    out = abs(m.rate - centre) * 100 - p["band"]
    if out <= EPS:
        return r.weight
    steps = math.ceil(out / p["per"] - 1e-9) if p["ceil"] else out / p["per"]
    return r.weight - steps * _step_pts(r)


@rule_kind("tolerance-band", "区间内满分、超出按步扣分", "Tolerance band, then a step penalty",
           describe=_tol_describe, compute=_tol_compute,
           allowed=lambda r: _multiples(r) if r.params["ceil"] else None,
           examples=("汽车补贴准确率在±5%区间，得满分；否则每超出区间范围1%（含不足1%部分）扣5%权重分，扣完为止。",
                     "成本节约率=[(计划成本-实际成本)/计划成本]×100%。成本节约率在±5%区间，得满分；超出区间范围，按每超出1%扣0.1分，扣完为止。"))
def _tolerance(s: str, w):
    band = re.search(r"±" + N + r"%(?:区间|范围|以内)", s)
    step = re.search(r"每超出(?:区间范围)?" + N + r"%(\((?:含)?不足\d+%[^)]*\))?,?扣(?:除)?" + N + r"(%权重分|%|分)", s)
    if not (band and step):
        return None
    d, share = _deduct(step, 3, 4)
    return {"band": _f(band.group(1)), "per": _f(step.group(1)), "ceil": bool(step.group(2)),
            "deduct": d, "deduct_share": share}


def _items(s: str) -> list[str]:
    """The ①②③… (or 1. 2. 3.) sections of a rule text."""
    parts = s.split("¶")
    if len(parts) > 2:
        return [p for p in parts[1:]]
    parts = re.split(r"(?:^|(?<=[。;]))\d[.、](?!\d)", s)
    if len(parts) > 2:
        return [p for p in parts[1:]]
    return []


def _check_describe(r: ParsedRule, lang: str) -> str:
    shares = r.params["shares"]
    partial = r.params.get("partial") or {}
    if lang == "zh":
        t = "加权清单：各项占" + "、".join(pct(x) for x in shares) + "权重分，符合的项得分"
        if partial:
            t += "；" + "；".join(f"第{i + 1}项每少一个扣{pct(d)}权重分" for i, d in sorted(partial.items()))
        return t
    t = "weighted checklist: items worth " + ", ".join(pct(x) for x in shares) + " of the weight, scored when met"
    if partial:
        t += "; " + "; ".join(f"item {i + 1} −{pct(d)} per missing unit" for i, d in sorted(partial.items()))
    return t


def _check_allowed(r: ParsedRule) -> list[float]:
    choices = []
    partial = r.params.get("partial") or {}
    for i, s in enumerate(r.params["shares"]):
        opts = {0.0, s}
        d = partial.get(i)
        if d:
            k = 1
            while s - k * d > EPS:
                opts.add(s - k * d)
                k += 1
        choices.append(sorted(opts))
    if len(choices) > 12:
        return None
    return [r.weight * sum(c) for c in product(*choices)]


@rule_kind("weighted-checklist", "加权清单（每项占一定权重分）", "Weighted checklist",
           describe=_check_describe, allowed=_check_allowed,
           examples=("①项目设定有绩效目标；②项目绩效目标与实际工作内容具有相关性；③项目预期产出效益和效果符合正常的业绩水平；"
                     "④项目绩效目标与预算确定的项目投资额或资金量相匹配。每项占20%、20%、20%、40%权重分；以上均符合得100%权重分，否则扣除相应权重分。",
                     "①项目预算编制经过科学论证；②预算内容与项目内容匹配；③预算额度测算依据充分，按照标准编制；④预算确定的项目投资额或"
                     "资金量与工作任务相匹配。每项占25%权重分，以上均符合得100%权重分，否则扣除相应权重分。",
                     "①完成腾讯广告（微信）东湖发布活动公众号推文2篇得30%权重分，否则每少一篇扣除15%权重分；②完成小红书活动推文及视频得"
                     "30%权重分，否则不得分；③完成东湖发布抖音活动视频2个得40%权重分，否则每少一个扣除20%权重分。",
                     "①腾讯广告（微信）信息流投放目标曝光量达到500cpm；②小红书信息流投放目标曝光量达到300cpm；③抖音信息流投放目标曝光量"
                     "达到500cpm。每项分别占30%、30%、40%权重分，以上每项均达标得满分，否则扣除相应权重分。",
                     "实施方案包含目标、内容、分工、进度、保障五个要素，每条要素占1/5权重分，缺少的要素不得分。"))
def _checklist(s: str, w):
    items = _items(s)
    f = re.search(r"每(?:条|项|个)(?:要素|内容|指标)?(?:各)?占(\d+)/(\d+)(?:的)?权重分", s)
    if f and int(f.group(2)) >= 2:
        n = int(f.group(2))
        return {"shares": [int(f.group(1)) / n] * n}
    m = re.search(r"每项(?:分别)?占([\d.%、,和]+?)权重分", s)
    if m:
        shares = [float(x) / 100 for x in re.findall(N + "%", m.group(1))]
        if len(shares) == 1 and len(items) > 1:
            shares = shares * len(items)
        if len(shares) >= 2:
            return {"shares": shares}
    if len(items) >= 2:
        shares, partial = [], {}
        for i, it in enumerate(items):
            g = re.search(r"(?<!均符合)(?<!均达标)得" + N + "%权重分", it)
            if not g:
                return None
            shares.append(_f(g.group(1)) / 100)
            p = re.search(r"每少一?(?:" + UNITS + r")扣(?:除)?" + N + "%权重分", it)
            if p:
                partial[i] = _f(p.group(1)) / 100
        return {"shares": shares, "partial": partial}
    return None


def _step_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    targets = p.get("targets") or []
    tt = "、".join(t["text"] for t in targets) or "—"
    if lang == "zh":
        ceil = "（不足1%的部分按1%计）" if p["ceil"] else "（不足1%的部分不扣）"
        way = {"below": "每低于目标", "above": "每超出目标"}[p["direction"]]
        return f"达到{tt}得满分；否则{way}{fmt(p['per'])}%{ceil}扣{_d_text(r, lang)}，扣完为止"
    ceil = " (a partial percent counts as 1%)" if p["ceil"] else " (no deduction for a partial percent)"
    way = {"below": "below", "above": "above"}[p["direction"]]
    return f"meeting {tt} scores full marks; else −{_d_text(r, lang)} per {fmt(p['per'])}% {way} target{ceil}, floor 0"


def _step_compute(r: ParsedRule, m: Measure) -> float | None:
    p = r.params
    targets = p.get("targets") or []
    if m.rate is None or len(targets) != 1 or targets[0]["unit"] != "%":
        return None
    t = targets[0]["value"] / 100
    gap = (t - m.rate) if p["direction"] == "below" else (m.rate - t)
    gap = round(gap * 100, 9)
    if gap <= EPS:
        return r.weight
    steps = math.ceil(gap / p["per"] - 1e-9) if p["ceil"] else math.floor(gap / p["per"] + 1e-9)
    return r.weight - steps * _step_pts(r)


@rule_kind("step-per-percent", "每差1%扣一步", "Step deduction per 1%",
           describe=_step_describe, compute=_step_compute, allowed=lambda r: _multiples(r),
           examples=("商超消费券核销率=实际核销金额/累计发放金额*100%，核销率100%得满分，否则每低于目标值1%（含不足1%部分）扣除5%权重分。",
                     "退货退券率0%得满分，否则每超出1%（含不足1%部分）扣除5%权重分。",
                     "满意度≥95%得满分，否则每低于目标值1%（不足1%的部分视为1%）扣5%权重分。",
                     "通过消费券实现直接拉动消费金额≥1624万元，汽车补贴直接拉动消费金额≥11310万元，两项均达标得满分，否则每少1%（含不足1%部分）扣5%权重分。",
                     "活动覆盖人次≥70000（人次）得满分，否则每低于目标值1%扣10%权重分，扣完为止。",
                     "预算执行率达到100%得满分，每降低1个百分点扣0.1分，扣完为止。",
                     "满意度达到90%以上得满分，每下降1个百分点扣0.5分，扣完为止。",
                     "验收合格率≥98%得满分，每降低1%扣0.5分。"))
def _step(s: str, w):
    m = re.search(r"每(低于|超出|少于|少|高于|降低|下降|低)(?:目标值)?" + N + r"(?:%|个百分点)(\((?:含)?不足\d+(?:%|个百分点)[^)]*\))?,?"
                  r"扣(?:除)?" + N + r"(%权重分|%|分)", s)
    if not m:
        return None
    d, share = _deduct(m, 4, 5)
    head = s[:m.start()]
    targets = []
    for op, v, unit in re.findall(r"(≥|大于等于|不低于|达到)?" + r"(\d[\d,]*(?:\.\d+)?)" + r"(%|万元|元|人次|\((?:" + UNITS + r")\))?"
                                  r"(?:及?以上)?(?=,?得满分|,两项|,[^,]*?(?:≥|大于等于)|,?否则)", head):
        unit = unit.strip("()") if unit else ""
        if unit or op:
            targets.append({"value": _f(v), "unit": unit, "text": f"{'≥' if op else ''}{v}{unit}"})
    return {"direction": "above" if m.group(1) in ("超出", "高于") else "below", "per": _f(m.group(2)),
            "ceil": bool(m.group(3)), "deduct": d, "deduct_share": share, "targets": targets}


def _unit_describe(r: ParsedRule, lang: str) -> str:
    p = r.params
    t = f"{fmt(p['target'])}{p['unit']}" if p.get("target") is not None else "目标数" if lang == "zh" else "the target"
    per = p.get("per") or 1
    if lang == "zh":
        return f"完成{t}得满分；每少{fmt(per) if per != 1 else '一'}{p['unit']}扣{_d_text(r, lang)}，扣完为止"
    return f"{t} gives full marks; −{_d_text(r, lang)} per {fmt(per) + ' ' if per != 1 else ''}missing {p['unit'] or 'unit'}, floor 0"


def _unit_compute(r: ParsedRule, m: Measure) -> float | None:
    T = r.params.get("target")
    if T is None:
        return None
    n = m.count
    if n is None and m.rate is not None:
        n = m.rate * T                    # a completion rate printed instead of the count (85.71% of 7 → 6)
        if abs(n - round(n)) <= 0.005 * max(T, 1):
            n = float(round(n))
    if n is None:
        return None
    missing = max(0.0, T - n)
    per = r.params.get("per") or 1
    steps = math.ceil(missing - 1e-6) if per == 1 else math.floor(missing / per + 1e-9)   # 每少10人: whole tens
    return r.weight - steps * _step_pts(r)


@rule_kind("per-missing-unit", "每少一个单位扣分", "Deduction per missing unit",
           describe=_unit_describe, compute=_unit_compute, allowed=lambda r: _multiples(r),
           examples=("完成对7家商超企业的补助得满分，否则每少一家扣除20%权重分，扣完为止。",
                     "完成12场发放消费券的活动得满分，否则每少一次扣除0.1分，扣完为止。",
                     "完成2个活动宣传片的制作得满分，否则每少一个扣除50%权重分。",
                     "活动覆盖人次≥200,000（人次）得满分，否则每少于目标值1人次扣0.1分，扣完为止。",
                     "培训人数达到1200人得满分，每少10人扣0.1分，扣完为止。"))
def _per_unit(s: str, w):
    m = re.search(r"每少(?:于目标值)?(一|1|\d+)?(" + UNITS + r")扣(?:除)?" + N + r"(%权重分|%|分)", s)
    if not m:
        return None
    d, share = _deduct(m, 3, 4)
    unit = m.group(2)
    head = s[:m.start()]
    t = (re.search(r"完成(?:对)?(\d[\d,]*)(" + UNITS + ")", head)
         or re.search(r"(?:≥|大于等于|不少于|达到)(\d[\d,]*)\(?(" + UNITS + r")?\)?", head))
    target = _f(t.group(1)) if t else None
    if t and t.group(2):
        unit = t.group(2)
    per = _cn_int(m.group(1)) if m.group(1) else 1
    return {"unit": unit if unit not in ("次",) or not t else unit, "target": target, "deduct": d, "deduct_share": share,
            "per": per or 1}


def _finding_describe(r: ParsedRule, lang: str) -> str:
    what = {"item": ("每一项不符合", "per failed item"), "finding": ("每发现一处问题", "per finding"),
            "any": ("任一项不符合", "when any item fails")}[r.params["per"]]
    if lang == "zh":
        return f"全部符合得满分；{what[0]}扣{_d_text(r, lang)}，扣完为止"
    return f"all met: full marks; −{_d_text(r, lang)} {what[1]}, floor 0"


@rule_kind("per-finding", "每发现一处问题扣分", "Deduction per finding",
           describe=_finding_describe,
           compute=lambda r, m: None if m.count is None else r.weight - min(m.count, r.params.get("max_count") or m.count) * _step_pts(r),
           allowed=lambda r: _multiples(r, r.params.get("max_count")),
           examples=("以上均符合得100%权重分，否则每发现1处不符合扣25%权重分，扣完为止。",
                     "线上宣发宣传片和信息流广告均符合活动主题得满分，否则每发现一处不合格扣0.1分，扣完为止。",
                     "方案实施严格执行相关制度规定的，得满分，否则酌情扣分（每存在1处不符合规定的，扣0.5分，该项分值5分扣完为止）。",
                     "全部资金均合理分配得3分，每存在1处资金分配不合理扣0.5分，该项目分值3分扣完为止",
                     "资金使用存在违规情况的，每发现一例扣1分，扣完为止。",
                     "以上均符合得100%权重分，否则每一项不符合扣除25%权重分，扣完为止。",
                     "①项目资金分配依据充分；②资金分配额度合理，与项目实际相适应。以上均符合得100%权重分，否则扣除50%权重分，扣完为止。"))
def _per_finding(s: str, w):
    m = re.search(r"每(?:发现|存在|有)(?:1|一)(?:处|个|项|次|例|起|笔)[^扣]{0,20}?扣(?:除)?" + N + r"(%权重分|%|分)", s)
    per = "finding"
    if not m:
        m = re.search(r"每一?(?:项|条)不(?:符合|合格|达标)[^扣]{0,6}扣(?:除)?" + N + r"(%权重分|%|分)", s)
        per = "item"
    if not m:
        m = re.search(r"(?:均符合|均满足)得(?:100%权重分|满分)[^。]*?否则扣(?:除)?" + N + r"(%权重分|%|分)", s)
        per = "any"
    if not m:
        return None
    d, share = _deduct(m, 1, 2)
    out = {"per": per, "deduct": d, "deduct_share": share}
    items = _items(s)
    if per == "any":
        out["max_count"] = max(1, len(items))
    elif per == "item" and items:
        out["max_count"] = len(items)
    return out


def _thr_describe(r: ParsedRule, lang: str) -> str:
    t = r.params["threshold"]
    if lang == "zh":
        return f"比率≥{fmt(t)}%得满分，否则得分＝比率×权重"
    return f"rate ≥ {fmt(t)}% gives full marks, else score = rate × weight"


def _thr_compute(r: ParsedRule, m: Measure) -> float | None:
    if m.rate is None:
        return None
    return r.weight if m.rate * 100 >= r.params["threshold"] - EPS else r.weight * m.rate


@rule_kind("threshold-proportional", "达到阈值得满分，否则按比率计分", "Threshold, then proportional",
           describe=_thr_describe, compute=_thr_compute,
           examples=("预算执行率=(实际支出资金/实际到位资金)*100%，预算执行率≥95%，得3分，否则按实际预算执行率*指标权重得分。",
                     "满意度≥90%得满分，否则按实际满意度×指标权重得分。",
                     "服务对象满意度达到85%以上得满分，否则按实际满意度*分值计分。"))
def _threshold(s: str, w):
    m = re.search(r"(?:≥|大于等于|达到?|不低于)" + N + r"%(?:以上)?,?得(?:" + N + r"分|满分),?否则按(?:实际)?[^,;。]*?(?:率|满意度)"
                  r"\*?(?:指标)?(?:权重|分值)", s)
    if not m or _f(m.group(1)) >= 100 - EPS:
        return None
    return {"threshold": _f(m.group(1))}


def _rate_describe(r: ParsedRule, lang: str) -> str:
    return "得分＝实际比率（完成率）×权重，最高满分" if lang == "zh" else "score = actual rate × weight, capped at the weight"


_RATE_PATTERNS = (
    r"按(?:实际)?[^,;。/]*?(?:率|满意度)\*?(?:指标)?(?:权重|分值)(?:得分|计分|计算)?",
    r"得分=[^,;。/]*?(?:率|满意度)\*(?:指标)?(?:权重|分值)",
    r"按实际完成率计算相应得分",
    r"得分=[^,;。]*?率\*(?:指标)?权重",
    r"\*100\*(?:指标)?权重",
)


@rule_kind("proportional-rate", "按比率计分（得分＝比率×权重）", "Proportional to the rate",
           describe=_rate_describe, compute=lambda r, m: None if m.rate is None else r.weight * m.rate,
           examples=("资金到位率=(实际到位资金/预算资金)*100%，资金到位率达100%，得2分，否则按实际资金到位率*指标权重得分。",
                     "车辆补贴工作完成率100%得满分，否则按实际完成率计算相应得分。",
                     "满意度达到100%得满分，否则按实际满意度*分值计分。"))
def _rate(s: str, w):
    if any(x in s for x in JUDGEMENT_WORDS):
        return None
    if any(re.search(p, s) for p in _RATE_PATTERNS):
        return {}
    return None


def _formula_describe(r: ParsedRule, lang: str) -> str:
    if lang == "zh":
        return "按公式（比率×权重）计算参考分，评价组可酌情调整"
    return "a formula (rate × weight) gives a reference value; the evaluator may adjust it"


@rule_kind("formula-discretion", "公式计算并酌情调整（仅参考）", "Formula plus discretion (reference only)",
           describe=_formula_describe, compute=lambda r, m: None if m.rate is None else r.weight * m.rate,
           examples=("主要依据“支付额/预算额度*100*指标权重”计算核定得分，同时综合考虑工作进度，以及是否垫资或履行支付手续而影响支出率等因素适当调整最后得分。",
                     "以实际完成率进行考核，实际完成率=（实际举办大类主题活动数/4）×100%，得分=实际完成率*指标权重。其他情况，则酌情扣分。"))
def _formula(s: str, w):
    if any(re.search(p, s) for p in _RATE_PATTERNS) and any(x in s for x in JUDGEMENT_WORDS):
        d = re.search(r"/" + r"(\d+)\)", s)
        return {"denominator": _f(d.group(1))} if d else {}
    return None


def _target_describe(r: ParsedRule, lang: str) -> str:
    t = r.params.get("target")
    tt = f"{fmt(t)}%" if t is not None else ("目标值" if lang == "zh" else "the target")
    if lang == "zh":
        return f"达到{tt}得满分，否则得分＝实际值/{tt}×权重"
    return f"meeting {tt} gives full marks, else score = actual / {tt} × weight"


def _target_compute(r: ParsedRule, m: Measure) -> float | None:
    t = r.params.get("target")
    t = t / 100 if t is not None else m.target
    if m.rate is None or not t:
        return None
    return r.weight * min(1.0, m.rate / t)


@rule_kind("proportional-target", "按完成值/目标值比例计分", "Proportional to the target",
           describe=_target_describe, compute=_target_compute,
           examples=("参与率≥95%得满分，否则按实际参与率/95%×权重得分。",
                     "达到目标值得满分，未达到的按实际完成值/目标值×权重计分。",
                     "完成全年目标得满分，未完成的按完成比例计分。"))
def _target(s: str, w):
    m = re.search(r"按[^,;。]*?(?:实际|完成)[^,;。/]*?/(" + N + r"%|目标值|指标值|计划值|计划数)\*(?:指标)?(?:权重|分值)", s)
    if not m:
        if re.search(r"(?:未达到|未完成|否则)[^。;]*?按(?:实际)?完成比例(?:计分|得分|赋分)", s):
            return {"target": None}
        return None
    return {"target": _f(m.group(2)) if m.group(2) else None}


def _prop_describe(r: ParsedRule, lang: str) -> str:
    n = r.params.get("of")
    if lang == "zh":
        return f"按出现问题的活动所占比例扣分（共{n}项，每项{fmt(r.weight / n) if r.weight else '—'}分）" if n else \
            "按出现问题的活动所占比例扣分"
    return f"deduction by the share of activities affected ({n} in all)" if n else "deduction by the share of activities affected"


@rule_kind("proportional-deduction", "按比例扣分", "Proportional deduction",
           describe=_prop_describe,
           allowed=lambda r: [r.weight * (1 - k / r.params["of"]) for k in range(r.params["of"] + 1)] if r.params.get("of") else None,
           examples=("四大主题活动按方案规定时间（2021年2月11日-2021年5月31日止）进行得4分；若有主题活动存在延期情况，按比例计算扣分。",
                     "向消费者推出4款主题套餐。若活动与项目方案有出入，按比例计算扣分。"))
def _proportional_deduction(s: str, w):
    if not re.search(r"按比例(?:计算)?扣分", s):
        return None
    n = re.search(r"([一二两三四五六七八九十\d]+)(?:大|款|项|个|场)(?:主题)?(?:活动|套餐)", s)
    return {"of": _cn_int(n.group(1)) if n else None}


def _fixed_describe(r: ParsedRule, lang: str) -> str:
    items = r.params["items"]
    j = r.params.get("judgement_part")
    if lang == "zh":
        t = "分项计分：" + "＋".join(fmt(x) for x in items) + "分"
        return t + ("，各项内由评价组判断扣分" if j else "，每项符合得该项分值")
    t = "fixed points per item: " + " + ".join(fmt(x) for x in items)
    return t + (", judgement within each item" if j else ", each item scored when met")


@rule_kind("fixed-points", "分项定分", "Fixed points per item",
           describe=_fixed_describe,
           allowed=lambda r: [sum(c) for c in product(*[(0.0, x) for x in r.params["items"]])] if len(r.params["items"]) <= 12 else None,
           examples=("具有前期可行性研究报告或摸底调查工作总结等材料的，得2分；经过集体会议协商并咨询相关专家意见、且有文字材料的得2分。如无，则根据实际情况核定分数。",
                     "1.预算执行规范性2分，按规定履行调整报批手续的得满分，否则酌情扣分。2.事项支出的合规性8分，视情节严重程度从严扣分，可直接扣到0分。3.会计核算规范性2分，可扣至0分。",
                     "①制度健全（3分）；②执行有效（2分）"))
def _fixed(s: str, w):
    items = _items(s)
    pts: list[float] = []
    if len(items) >= 2:
        for it in items:
            m = re.search(r"(?:得)?" + N + r"分", it)
            if not m:
                return None
            pts.append(_f(m.group(1)))
    else:
        pts = [_f(x) for x in re.findall(r"得" + N + r"分(?=[;。,]|$|发放)", s)]
        if len(pts) < 2:
            return None
    out: dict[str, Any] = {"items": pts}
    if any(x in s for x in JUDGEMENT_WORDS) or "如无" in s:
        out["judgement_part"] = True
    return out


def _aon_describe(r: ParsedRule, lang: str) -> str:
    return "全有或全无：符合得满分，否则0分" if lang == "zh" else "all or nothing: full marks when met, else 0"


@rule_kind("all-or-nothing", "全有或全无", "All or nothing",
           describe=_aon_describe, allowed=lambda r: [0.0, r.weight],
           examples=("具备有关制度、组织机构、人员保障项目可持续的，得5分。",
                     "按时完成得满分，否则不得分。",
                     "支出控制在预算以内得满分，否则得0分。",
                     "项目按计划完成得满分；未按计划完成的，不得分。",
                     "按时完成得5分，否则不得分。"))
def _all_or_nothing(s: str, w):
    if re.search(r"得满分,?否则(?:不得分|得0分|不得分值|0分)", s) or re.search(r"得满分[;,]未[^,;。]*?的?,?不得分", s):
        return {}
    full = re.search(r"得" + N + r"分,?否则(?:不得分|得0分|0分)", s)
    if full and w is not None and abs(_f(full.group(1)) - w) < EPS:
        return {}
    if any(x in s for x in JUDGEMENT_WORDS) or "否则" in s or "每" in s:
        return None
    m = re.fullmatch(r"[^。;]*的,?得" + N + r"分。?", s)
    if m and (w is None or abs(_f(m.group(1)) - w) < EPS):
        return {}
    return None


def _judge_describe(r: ParsedRule, lang: str) -> str:
    why = r.params.get("why")
    if lang == "zh":
        return {"none": "未列评分标准，得分由评价组判断", "definition": "评分标准只是指标定义，得分由评价组判断"}.get(
            why, "评分标准为评价组酌情判断")
    return {"none": "no rule printed: the evaluator's judgement", "definition": "the rule is only a definition: judgement"}.get(
        why, "the rule is the evaluator's judgement")


@rule_kind("judgement", "评价组判断", "Judgement", describe=_judge_describe, judgement=True,
           examples=("有效改善参与商户经营状况得满分，否则酌情扣分。",
                     "依据相关基础信息和证据判断目标设置的完整性，据此核定分数。",
                     "依据相关基础信息和证据判断制度完整性和是否具备条件实施，根据实际情况核定分数。",
                     "如各级业务主管部门按规定开展有效的检查、监控、督促整改的，得满分；否则，视情况扣分。"))
def _judgement(s: str, w):
    if not s:
        return {"why": "none"}
    if any(x in s for x in JUDGEMENT_WORDS):
        return {"why": "discretion"}
    if "=" in s and not re.search(r"得|扣|分", s.split("=")[-1]):
        return {"why": "definition"}
    return None


# --------------------------------------------------------------------------- entry points

def parse_rule(text: object, weight: float | None = None) -> ParsedRule | None:
    """The rule a 评分标准 text states, or None when no registered kind recognises it."""
    s = norm(text)
    for k in RULE_KINDS:
        params = k.match(s, weight)
        if params is not None:
            return ParsedRule(k.name, weight, params, clean(text))
    return None


@dataclass
class Stated:
    """What a 扣分原因 / analysis text says about the leaf's score."""
    weight: float | None = None
    deduction: float | None = None
    score: float | None = None
    share: float | None = None

    @property
    def empty(self) -> bool:
        return self.weight is None and self.deduction is None and self.score is None


def parse_reason(text: object) -> Stated:
    s = norm(text)
    out = Stated()
    if not s:
        return out
    m = re.search(r"(?:分值|满分|总分)(?:为)?" + N + "分", s)
    if m:
        out.weight = _f(m.group(1))
    deds = [_f(x) for x in re.findall(r"扣(?:除|减)?" + N + r"分", s)]
    if deds:
        out.deduction = sum(deds)
    sc = re.findall(r"得(?:分)?(?:为)?(?:" + N + r"%权重分?)?" + N + r"分(?![值数率])", s)
    if sc:
        share, score = sc[-1]
        out.score = _f(score)
        out.share = _f(share) / 100 if share else None
    return out


def reason_rate(text: object) -> float | None:
    """A rate the reason text computes ('…=94.81%', '资金支出率 99.23%'), as a fraction."""
    s = norm(text)
    m = re.findall(r"=" + N + "%", s)
    if m:
        return _f(m[-1]) / 100
    m = re.findall(r"率(?:为|达|是)?" + N + "%", s)
    return _f(m[-1]) / 100 if m else None


def reason_count(text: object, unit: str | None) -> float | None:
    """A count the reason states ('共完成 6 家', '实际完成 15 场')."""
    if not unit:
        return None
    s = norm(text)
    m = re.findall(r"(?:共|实际)?完成(?:了)?(\d[\d,]*)" + re.escape(unit), s)
    return _f(m[-1]) if m else None


def reason_findings(text: object) -> float | None:
    """The number of findings a reason counts ('发现2处不符合', '存在3处问题'); None when it gives no count."""
    s = norm(text)
    m = re.findall(r"(?:发现|存在|共有?)(\d+|[一二两三四五六七八九十])(?:处|例|起|笔|项不符合|个问题)", s)
    return float(_cn_int(m[-1])) if m else None


def rule_target(r: ParsedRule) -> tuple[float, str] | None:
    """The target a rule text names, as (value, 'percent' | 'count' | 'band'), to compare with a 目标值/标杆值 column."""
    p = r.params
    if r.kind == "step-per-percent" and len(p.get("targets") or []) == 1:
        t = p["targets"][0]
        if t["unit"] == "%":
            return t["value"] / 100, "percent"
        if t["unit"] in ("万元", "元"):
            return None
        return t["value"], "count"
    if r.kind == "threshold-proportional":
        return p["threshold"] / 100, "percent"
    if r.kind == "proportional-target" and p.get("target") is not None:
        return p["target"] / 100, "percent"
    if r.kind == "per-missing-unit" and p.get("target") is not None:
        return p["target"], "count"
    if r.kind == "tolerance-band":
        return p["band"] / 100, "band"
    if r.kind == "satisfaction-bands":
        return p["top"] / 100, "percent"
    return None


# --------------------------------------------------------------------------- coverage over the corpus

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
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "samples" / "source"))
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
