"""评分标准 phrasings seen in published scoring tables (tests/data/phrasings_seen.txt, one ``weight|text`` a line):
each parses as the right kind with the right parameters, and where the kind is computable, to the right score.
Mutually exclusive tiers are alternatives (the score is one of them), never items to add up."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from xlscore.engine import analyse_scoring
from xlscore.grid import Grid
from xlscore.rules.profile import load_profile
from xlscore.rules.ruletext import Measure, field_rule_texts, parse_rule, phrasing_texts

PHRASINGS = ROOT / "tests" / "data" / "phrasings_seen.txt"

# (weight, text, kind, params that must hold, [(measure, score)], allowed scores or None)
CASES = [
    (5, "以100%为标准。在职人员控制率≦100%,计5分;每超过一个百分点扣0.5分,扣完为止。", "step-per-percent",
     {"direction": "above", "per": 1.0, "deduct": 0.5}, [(dict(rate=1.03), 3.5), (dict(rate=0.98), 5), (dict(rate=1.025), 4)], None),
    (5, "“三公经费”变动率≦0,计5分;“三公经费”>0,每超过一个百分点扣0.5分,扣完为止。", "step-per-percent",
     {"direction": "above", "deduct": 0.5}, [(dict(rate=0.02), 4), (dict(rate=-0.05), 5)], None),
    (5, "重点支出安排率≥90%,计5分;80%(含)-90%,计4分;70%(含)-80%,计3分;60%(含)-70%,计2分;低于60%不得分。", "rate-bands",
     {}, [(dict(rate=0.92), 5), (dict(rate=0.85), 4), (dict(rate=0.80), 4), (dict(rate=0.79), 3), (dict(rate=0.55), 0)],
     [0, 2, 3, 4, 5]),
    (3, "预算调整率=0,计3分;0-10%(含),计2分;10-20%(含),计1分;20-30%(含),计0.5分;大于30%不得分。", "rate-bands",
     {}, [(dict(rate=0.0), 3), (dict(rate=0.05), 2), (dict(rate=0.10), 2), (dict(rate=0.15), 1), (dict(rate=0.35), 0)],
     [0, 0.5, 1, 2, 3]),
    (3, "春节前下达50%;6月底前全部下达完。每出现一个专项未按进度完成资金下达扣0.5分,扣完为止。", "per-finding",
     {"deduct": 0.5}, [(dict(count=2), 2)], [0, 0.5, 1, 1.5, 2, 2.5, 3]),
    (3, "无结余,3分;有结余,但不超过上年结转,2分;结余超过上年结转,不得分。", "tiers", {}, [], [0, 2, 3]),
    (3, "①制度健全,1分;②执行有效,1分;③档案完整,1分。", "fixed-points", {"items": [1, 1, 1]}, [], [0, 1, 2, 3]),
    (5, "①…②…③…④…⑤… 以上情况每出现一例不符合要求的扣1分,扣完为止。", "per-finding", {"deduct": 1.0},
     [(dict(count=2), 3)], [0, 1, 2, 3, 4, 5]),
    (20, "计划建设内容完成100%的得20分,每减少1个百分点扣1分,扣完20分为止。", "step-per-percent",
     {"direction": "below", "per": 1.0, "deduct": 1.0}, [(dict(rate=0.955), 16), (dict(rate=1.0), 20), (dict(rate=0.5), 0)], None),
    (7, "符合要求的得7分,不符合要求的视具体情况扣分,扣完7分为止。", "judgement", {"why": "discretion", "ceiling": 7}, [], None),
    (10, "健全的得10分,基本健全的得6分,不健全的扣10分。", "tiers",
     {"tiers": [("健全", 10), ("基本健全", 6), ("不健全", 0)]}, [], [0, 6, 10]),
    (10, "相符的得10分,基本相符的得6分,调整较大的扣10分。", "tiers",
     {"tiers": [("相符", 10), ("基本相符", 6), ("调整较大", 0)]}, [], [0, 6, 10]),
    (3, "充分:3分;一般:1.5分;没有:0分", "tiers", {"tiers": [("充分", 3), ("一般", 1.5), ("没有", 0)]}, [], [0, 1.5, 3]),
    # 90% sits on a boundary the text leaves open (90-100% beside 70-90%): not scored
    (5, "100%:5分;90-100%:3分;70-90%:1分;70%以下:0分", "rate-bands", {},
     [(dict(rate=1.0), 5), (dict(rate=0.95), 3), (dict(rate=0.90), None), (dict(rate=0.80), 1), (dict(rate=0.6), 0)],
     [0, 1, 3, 5]),
    (20, "得分值=年度建设任务完成率(超过100%以100%计算)×20", "proportional-rate", {"factor": 20, "cap": 1.0},
     [(dict(rate=1.12), 20), (dict(rate=0.9), 18)], None),
    (6, "超过80%、70%和60%的分别得6分、4分和2分。", "rate-bands", {},
     [(dict(rate=0.85), 6), (dict(rate=0.80), 4), (dict(rate=0.65), 2), (dict(rate=0.60), 0)], [0, 2, 4, 6]),
    (2, "得2分;未完成的,不得分", "all-or-nothing", {}, [], [0, 2]),
    # the delay is not a figure the sheet gives: the score is checked as a multiple of the step, not recomputed
    (10, "每滞后一年扣2分,扣完为止", "per-delay", {"unit": "年", "per": 1.0, "deduct": 2.0}, [],
     [0, 2, 4, 6, 8, 10]),
    (15, "实际完成情况与计划每相差3%,扣1分,扣满15分为止", "step-per-percent", {"direction": "either", "per": 3.0, "cap": 15},
     [(dict(rate=0.91), 12), (dict(rate=1.06), 13), (dict(rate=0.4), 0)], None),
    (5, "不足90%时,每减少5%,扣1分,扣完为止", "step-per-percent", {"direction": "below", "per": 5.0},
     [(dict(rate=0.80), 3), (dict(rate=0.92), 5)], [0, 1, 2, 3, 4, 5]),
    (4, "设有目标(1分)目标明确(1分)目标细化(1分)目标量化(1分)", "fixed-points", {"items": [1, 1, 1, 1]}, [], [0, 1, 2, 3, 4]),
    # ah_province_2017_jiuye_buzhu_zhibiao (tests/field): items split by ；, tiers inside an item split by ，
    (8, "把上年结转的专项资金纳入本年度预算安排得1分;年初会同财政部门编制资金使用计划,计划编制比较完整得3分,年初单独编制资金使用计划得2分;"
        "本级财政预算安排就业补助资金高于上年专项资金决算数的30%(包括30%)得4分,高于上年专项资金决算数的20%(包括20%)得3分,"
        "高于上年专项资金决算数的10%(包括10%)得2分,高于上年专项资金决算数10%以内的得1分。", "fixed-points",
     {"items": [1, 3, 4]}, [], [0, 1, 2, 3, 4, 5, 6, 7, 8]),
    (2, "齐全的得2分,不齐全的扣2分", "all-or-nothing", {}, [], [0, 2]),
    (5, "每延迟1个月扣1分", "per-delay", {"unit": "月", "deduct": 1.0}, [], [0, 1, 2, 3, 4, 5]),
    (5, "80%≤满意度<90%得3分;满意度≥90%得5分;满意度<80%不得分", "rate-bands", {},
     [(dict(rate=0.85), 3), (dict(rate=0.90), 5), (dict(rate=0.79), 0)], [0, 3, 5]),
    (10, "符合的得满分,基本符合的得部分分,不符合的扣分", "tiers",
     {"tiers": [("符合", 10), ("基本符合", None), ("不符合", None)], "judgement_part": True}, [], None),
]


def test_every_seen_phrasing_has_a_case():
    seen = {t for _, _, _, t in phrasing_texts(PHRASINGS)}
    assert seen == {c[1] for c in CASES}


@pytest.mark.parametrize("weight,text,kind,params,scores,allowed", CASES, ids=[c[1][:14] for c in CASES])
def test_phrasing(weight, text, kind, params, scores, allowed):
    r = parse_rule(text, weight)
    assert r is not None, text
    assert r.kind == kind, (r.kind, r.params)
    for k, v in params.items():
        got = r.params[k]
        if isinstance(v, list) and v and isinstance(v[0], tuple):
            got = [tuple(x) for x in got]
        assert got == (pytest.approx(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v), (k, got)
    for m, expected in scores:
        got = r.compute(Measure(**m))
        assert (got is None) if expected is None else got == pytest.approx(expected), (m, got)
    if allowed is not None:
        assert r.allowed() == pytest.approx(allowed)
    zh, en = r.describe("zh"), r.describe("en")
    assert zh and en and zh != en


def test_tiers_are_alternatives_not_items_to_add():
    r = parse_rule("健全的得10分，基本健全的得6分，不健全的扣10分。", 10)
    assert "items" not in r.params and not r.judgement
    judged = parse_rule("符合的得满分，基本符合的得部分分，不符合的扣分", 8)
    assert judged.judgement and judged.allowed() is None
    # cumulative items stay items: equal points are not tiers
    assert parse_rule("①制度健全（3分）；②执行有效（2分）", 5).kind == "fixed-points"


def _table(rows, merges=()):
    g = Grid("评分表")
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            g.set(r, c, v)
    g.merges = list(merges)
    res = analyse_scoring(g, load_profile())
    return {(f.cell, f.code): f.severity for f in res.findings}


def test_tier_scores_in_a_table():
    found = _table([
        ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"],
        ["决策", "制度建设", "制度健全性", 10, "健全的得10分，基本健全的得6分，不健全的扣10分。", 6],
        [None, None, "预算相符性", 10, "相符的得10分，基本相符的得6分，调整较大的扣10分。", 8],
        [None, None, "重点支出安排率", 5,
         "重点支出安排率≥90%，计5分；80%(含)-90%，计4分；70%(含)-80%，计3分；60%(含)-70%，计2分；低于60%不得分。", 3.5],
        [None, None, "资料完整性", 2, "齐全的得2分，不齐全的扣2分", 1],
        ["合计", None, None, 27, None, 18.5],
    ], merges=[(2, 1, 5, 1), (2, 2, 5, 2)])
    serious = {k: v for k, v in found.items() if v != "info"}
    # a tier point is fine; between two tiers is judgement (info); no "items sum" error for tiers
    assert ("F3", "scoring-rule-tier") in found and found[("F3", "scoring-rule-tier")] == "info"
    assert not any(code == "scoring-items-sum" for _, code in found)
    # bands and all-or-nothing are not judgement: a score that no band / neither outcome gives is an error
    assert serious == {("F4", "scoring-step-multiple"): "error", ("F5", "scoring-all-or-nothing"): "error"}


def test_field_reader_takes_rule_cells_and_weights(tmp_path):
    (tmp_path / "t.json").write_text(json.dumps({"rows": [
        ["评分表"],
        ["一级指标", "二级指标", "指标名称", "分值", "评分标准", "得分"],
        ["决策(10分)", "目标(10分)", "目标明确性", 4, "设有目标(1分)目标明确(1分)目标细化(1分)目标量化(1分)", 4],
        [None, None, "制度健全性(6分)", None, "健全的得6分，基本健全的得3分，不健全的扣6分", 3],
        ["合计", None, None, 10, None, 7],
    ]}, ensure_ascii=False), encoding="utf-8")
    texts = field_rule_texts(tmp_path)
    assert [(n, w) for _, n, w, _ in texts] == [("目标明确性", 4), ("制度健全性", 6)]
    assert [parse_rule(t, w).kind for _, _, w, t in texts] == ["fixed-points", "tiers"]


def test_coverage_reads_the_phrasings_file():
    proc = subprocess.run([sys.executable, "-m", "xlscore.rules.ruletext", "--coverage", "--json",
                           "--phrasings", str(PHRASINGS)], capture_output=True, text=True, encoding="utf-8", cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    c = json.loads(proc.stdout)
    p = c["sources"]["phrasings"]
    assert p["texts"] == len(CASES) and p["unparsed"] == 0
    assert p["judgement"] == sum(1 for c in CASES if c[2] == "judgement" or c[3].get("judgement_part"))
    assert "field" in c["sources"] and c["texts"] == c["sources"]["corpus"]["texts"]
