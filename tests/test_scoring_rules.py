"""The rule-text parser (xlscore.rules.ruletext): every phrasing each kind declares, every distinct rule text of the
two evaluation reports in the corpus, the arithmetic the reports' scores follow, and the reason-text reader."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT
from xlscore.rules.ruletext import (KINDS_BY_NAME, RULE_KINDS, Measure, corpus_rule_texts, norm, parse_reason,
                                    parse_rule, reason_count, reason_rate)

needs_corpus = pytest.mark.skipif(not (CORPUS / "report_meizhou_2021.tables.json").is_file(),
                                  reason="the shared corpus folder is not beside the checkout")

EXAMPLES = [(k.name, text) for k in RULE_KINDS for text in k.examples]


def test_every_kind_has_phrasings_and_titles():
    assert len(RULE_KINDS) >= 14
    for k in RULE_KINDS:
        assert k.examples, k.name
        assert k.title_zh and k.title_en, k.name


@pytest.mark.parametrize("kind,text", EXAMPLES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(EXAMPLES)])
def test_declared_phrasing_maps_to_its_kind(kind, text):
    r = parse_rule(text, 5.0)
    assert r is not None, text
    assert r.kind == kind, (text, r.kind, r.params)
    zh, en = r.describe("zh"), r.describe("en")
    assert zh and en and zh != en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)


# Every 评分标准 text of the two reports (and the 表2 variants of the 东湖 criteria), by leaf, with the kind it must
# parse to. Composite judgement rules parse to their formal kind and are marked judgement.
CORPUS_KINDS = {
    # 东湖 2022 (37 leaves)
    "立项依据充分性": "per-finding", "立项程序规范性": "per-finding", "绩效目标合理性": "weighted-checklist",
    "绩效指标明确性": "weighted-checklist", "预算编制科学性": "weighted-checklist", "资金分配合理性": "per-finding",
    "资金到位率": "proportional-rate", "预算执行率": "threshold-proportional", "资金使用合规性": "per-finding",
    "管理制度健全性": "weighted-checklist", "制度执行有效性": "per-finding", "完成车辆补贴工作": "proportional-rate",
    "完成商超消费券发放工作": "proportional-rate", "汽车企业补助对象数": "per-missing-unit",
    "商超补助企业数量": "per-missing-unit", "发券活动场次": "per-missing-unit", "活动宣传片制作数量": "per-missing-unit",
    "信息流广告投放量": "weighted-checklist", "达人采买笔记发布数": "weighted-checklist",
    "商超消费券核销率": "step-per-percent", "商超退货退券率": "step-per-percent", "汽车补贴准确率": "tolerance-band",
    "宣传内容达标率": "step-per-percent", "活动主题符合率": "per-finding", "项目各项工作完成及时性": "weighted-checklist",
    "商超消费券经费成本节约率": "tolerance-band", "汽车补贴经费成本节约率": "tolerance-band",
    "宣传推广等服务经费成本节约率": "tolerance-band", "改善企业经营状况，加快恢复发展": "judgement",
    "实现带动消费金额": "step-per-percent", "活动覆盖人次": "per-missing-unit",
    "达到信息流广告投放曝光量目标": "weighted-checklist", "有效保障和改善民生": "judgement",
    "提振居民消费信心，稳定居民消费预期": "judgement", "促进东湖区消费活力": "judgement",
    "扶持企业满意度": "step-per-percent", "消费者满意度": "step-per-percent",
    # 梅州 2021 (20 leaves)
    "论证充分性": "fixed-points", "完整性": "judgement", "合理性": "judgement", "可衡量性": "judgement",
    "制度合理性": "judgement", "计划安排合理性": "judgement", "资金支出率": "formula-discretion",
    "支出规范性": "fixed-points", "程序规范性": "per-finding", "监管有效性": "fixed-points",
    "预算控制": "budget-overrun-bands", "成本节约": "judgement", "主题活动完成数量": "formula-discretion",
    "项目完成时间": "proportional-deduction", "项目执行有效性": "proportional-deduction",
    "增加社会消费零售额": "judgement", "消费者幸福感以及消费信心的提振情况": "satisfaction-bands",
    "可持续发展": "all-or-nothing", "受益群体满意度": "satisfaction-bands",
}
# the 表2 criterion of 活动覆盖人次 differs from the appendix's (anomaly 东湖 3): a step per 1% below 70000
VARIANT_KINDS = {"活动覆盖人次": "step-per-percent"}
JUDGEMENT_BY_NATURE = {"改善企业经营状况，加快恢复发展", "有效保障和改善民生", "提振居民消费信心，稳定居民消费预期",
                       "促进东湖区消费活力", "完整性", "合理性", "可衡量性", "制度合理性", "计划安排合理性", "成本节约",
                       "增加社会消费零售额", "论证充分性", "支出规范性", "监管有效性", "消费者幸福感以及消费信心的提振情况"}


def _corpus_texts():
    return corpus_rule_texts(CORPUS) if CORPUS.is_dir() else []


@needs_corpus
@pytest.mark.parametrize("src,name,weight,text", _corpus_texts(),
                         ids=[f"{s[:8]}-{n}" for s, n, _, _ in _corpus_texts()])
def test_corpus_rule_text(src, name, weight, text):
    r = parse_rule(text, weight)
    expected = VARIANT_KINDS.get(name, CORPUS_KINDS[name]) if "(表2)" in src else CORPUS_KINDS[name]
    assert r is not None, text
    assert r.kind == expected, (name, r.kind, r.params)
    assert r.judgement == (name in JUDGEMENT_BY_NATURE), (name, r.params)


@needs_corpus
def test_corpus_has_every_leaf():
    names = {n for _, n, _, _ in corpus_rule_texts(CORPUS)}
    assert names == set(CORPUS_KINDS)
    assert len(corpus_rule_texts(CORPUS)) == 60       # 37 + 20 leaves + 3 表2 variants


# ---------------------------------------------------------------------------------------------- arithmetic

def _score(text, w, **m):
    r = parse_rule(text, w)
    return r.compute(Measure(**m))


def test_step_rounds_partial_percent_up_only_when_the_text_says_so():
    ceil = "核销率100%得满分，否则每低于目标值1%（含不足1%部分）扣除5%权重分。"
    assert _score(ceil, 3, rate=0.988) == pytest.approx(2.7)       # 1.2 points short → 2 steps
    assert _score(ceil, 3, rate=1.0) == pytest.approx(3)
    plain = "活动覆盖人次≥70000（人次）得满分，否则每低于目标值1%扣10%权重分，扣完为止。"
    r = parse_rule(plain, 2)
    assert not r.params["ceil"]
    sat = "满意度≥95%得满分，否则每低于目标值1%（不足1%的部分视为1%）扣5%权重分。"
    assert parse_rule(sat, 5).params["ceil"]
    assert _score(sat, 5, rate=0.984) == pytest.approx(5)
    assert _score(sat, 5, rate=0.938) == pytest.approx(5 - 2 * 0.25)   # 1.2 short → 2 steps
    no_ceil = "满意度≥95%得满分，否则每低于目标值1%扣5%权重分。"
    assert _score(no_ceil, 5, rate=0.938) == pytest.approx(5 - 1 * 0.25)


def test_step_above_target():
    text = "退货退券率0%得满分，否则每超出1%（含不足1%部分）扣除5%权重分。"
    assert _score(text, 2, rate=0.0064) == pytest.approx(1.9)
    assert _score(text, 2, rate=0.0) == pytest.approx(2)


def test_tolerance_band():
    acc = "汽车补贴准确率在±5%区间，得满分；否则每超出区间范围1%（含不足1%部分）扣5%权重分，扣完为止。"
    assert _score(acc, 3, rate=0.9363) == pytest.approx(2.7)          # 6.37 − 5 = 1.37 → 2 steps
    assert _score(acc, 3, rate=0.97) == pytest.approx(3)
    saving = "成本节约率在±5%区间，得满分；超出区间范围，按每超出1%扣0.1分，扣完为止。"
    assert _score(saving, 2, rate=0.0433) == pytest.approx(2)
    assert _score(saving, 2, rate=0.07) == pytest.approx(1.8)         # 2% beyond, 0.1 point each, no ceiling


def test_proportional_kinds():
    assert _score("资金到位率达100%，得2分，否则按实际资金到位率*指标权重得分。", 2, rate=426.5 / 449.85) == \
        pytest.approx(1.8962, abs=1e-4)
    thr = "预算执行率≥95%，得3分，否则按实际预算执行率*指标权重得分。"
    assert _score(thr, 3, rate=0.9919) == pytest.approx(3)
    assert _score(thr, 3, rate=0.90) == pytest.approx(2.7)
    tgt = "参与率≥95%得满分，否则按实际参与率/95%×权重得分。"
    assert _score(tgt, 5, rate=0.80) == pytest.approx(5 * 80 / 95)
    # a satisfaction threshold, then the rate times the weight (分值): at or above the threshold is full marks,
    # not the rate times the weight
    sat = "满意度≥90%得满分，否则按实际满意度×指标权重得分。"
    assert parse_rule(sat, 15).kind == "threshold-proportional"
    assert _score(sat, 15, rate=0.936) == pytest.approx(15)
    assert _score(sat, 15, rate=0.85) == pytest.approx(12.75)
    assert _score("服务对象满意度达到85%以上得满分，否则按实际满意度*分值计分。", 10, rate=0.80) == pytest.approx(8)


def test_step_per_percentage_point_phrasings():
    # 每降低1个百分点 / 每下降1% / 每降低1%: a step per whole point below the target, no ceiling unless the text says so
    assert _score("预算执行率达到100%得满分，每降低1个百分点扣0.1分，扣完为止。", 4, rate=0.955) == pytest.approx(3.6)
    assert _score("满意度达到90%以上得满分，每下降1个百分点扣0.5分，扣完为止。", 10, rate=0.875) == pytest.approx(9)
    assert _score("满意度达到90%以上得满分，每下降1个百分点扣0.5分，扣完为止。", 10, rate=0.936) == pytest.approx(10)
    assert _score("验收合格率≥98%得满分，每降低1%扣0.5分。", 5, rate=0.965) == pytest.approx(4.5)
    assert parse_rule("验收合格率≥98%得满分，每降低1%扣0.5分。", 5).allowed()[:3] == [0.0, 0.5, 1.0]


def test_per_missing_unit_in_groups():
    # 每少10人扣0.1分: 50 short is 5 steps, 55 short still 5 (no ceiling written), not 50 steps of one person
    text = "培训人数达到1200人得满分，每少10人扣0.1分，扣完为止。"
    assert _score(text, 5, count=1150) == pytest.approx(4.5)
    assert _score(text, 5, count=1145) == pytest.approx(4.5)
    assert _score(text, 5, count=1260) == pytest.approx(5)
    assert "每少10人" in parse_rule(text, 5).describe("zh")


def test_per_missing_unit_counts_and_rates():
    text = "完成对7家商超企业的补助得满分，否则每少一家扣除20%权重分，扣完为止。"
    assert _score(text, 2, count=6) == pytest.approx(1.6)
    assert _score(text, 2, rate=0.8571) == pytest.approx(1.6)          # 85.71% of 7 is 6
    people = "活动覆盖人次≥200,000（人次）得满分，否则每少于目标值1人次扣0.1分，扣完为止。"
    assert _score(people, 2, count=206669) == pytest.approx(2)
    assert _score(people, 2, count=71299) == pytest.approx(0)          # the narrative's count: anomaly 东湖 3


def test_satisfaction_and_budget_bands():
    sat = "满意度大于等于90%的，得5分；每减少10%，扣1分，直至扣完为止。"
    assert _score(sat, 5, rate=183 / 189) == pytest.approx(5)
    assert _score(sat, 5, rate=0.8466) == pytest.approx(4)
    assert _score(sat, 5, rate=0.70) == pytest.approx(3)
    budget = KINDS_BY_NAME["budget-overrun-bands"].examples[0]
    assert _score(budget, 5, rate=297.69 / 300) == pytest.approx(5)
    assert _score(budget, 5, rate=1.15) == pytest.approx(4)
    assert _score(budget, 5, rate=1.25) == pytest.approx(2)
    assert _score(budget, 5, rate=1.35) == pytest.approx(0)


def test_allowed_scores():
    chk = parse_rule(KINDS_BY_NAME["weighted-checklist"].examples[0], 4)
    assert 3.2 in chk.allowed() and 1.6 in chk.allowed() and 3.3 not in chk.allowed()
    finding = parse_rule("以上均符合得100%权重分，否则每发现1处不符合扣25%权重分，扣完为止。", 5)
    assert finding.step == pytest.approx(1.25)
    assert 3.75 in finding.allowed() and 3.5 not in finding.allowed()
    aon = parse_rule("具备有关制度、组织机构、人员保障项目可持续的，得5分。", 5)
    assert aon.allowed() == [0.0, 5.0]
    prop = parse_rule(KINDS_BY_NAME["proportional-deduction"].examples[0], 4)
    assert prop.params["of"] == 4 and prop.allowed() == [0.0, 1.0, 2.0, 3.0, 4.0]
    partial = parse_rule(KINDS_BY_NAME["weighted-checklist"].examples[2], 1)
    assert partial.params["partial"] == {0: 0.15, 2: 0.2}
    assert 0.85 in partial.allowed()


def test_items_and_shares_are_read():
    assert parse_rule(KINDS_BY_NAME["fixed-points"].examples[1], 12).params["items"] == [2, 8, 2]
    assert parse_rule("①制度健全（3分）；②执行有效（2分）", 5).params["items"] == [3, 2]
    assert parse_rule(KINDS_BY_NAME["weighted-checklist"].examples[1], 4).params["shares"] == [0.25] * 4


def test_unknown_text_is_none():
    assert parse_rule("项目组认为总体良好。", 3) is None
    assert parse_rule(None, 3).kind == "judgement"              # no rule printed: judgement


def test_norm_keeps_item_markers_and_drops_latex():
    assert norm("满意度 $\\geq 95\\%$ 得满分") == "满意度≥95%得满分"
    assert norm("①甲；②乙").count("¶") == 2


# ---------------------------------------------------------------------------------------------- reason texts

@pytest.mark.parametrize("text,weight,deduction,score,share", [
    ("扣1.5分", None, 1.5, None, None),
    ("该指标满分4分，扣1分，得分3分", 4, 1, 3, None),
    ("根据评分标准，本项分值 4 分，该指标得 80%权重分 3.2 分。", 4, None, 3.2, 0.8),
    ("完成质量：…未按活动方案在“智游梅州”平台上实施。此处扣 4 分", None, 4, None, None),
    ("根据评分标准，本项分值 3 分，该项指标得 2 分。", 3, None, 2, None),
    ("事前已经过集体决策。根据评分标准，本项分值 3 分，该项指标得 100% 权重 3 分。", 3, None, 3, 1.0),
    ("资金支出率 99.23%，此处扣 0.02 分", None, 0.02, None, None),
])
def test_parse_reason(text, weight, deduction, score, share):
    st = parse_reason(text)
    assert (st.weight, st.deduction, st.score) == (weight, deduction, score)
    if share is not None:
        assert st.share == pytest.approx(share)


def test_reason_figures():
    assert reason_rate("资金到位率=（实际到位资金/预算资金）*100%=（426.5 万元/449.85 万元）*100%=94.81%。") == \
        pytest.approx(0.9481)
    assert reason_rate("资金支出率 99.23%，此处扣 0.02 分") == pytest.approx(0.9923)
    assert reason_count("实际完成对…的补助任务，共完成 6 家。", "家") == 6


# ---------------------------------------------------------------------------------------------- coverage script

@needs_corpus
def test_coverage_command():
    proc = subprocess.run([sys.executable, "-m", "xlscore.rules.ruletext", "--coverage", "--json", "--corpus", str(CORPUS)],
                          capture_output=True, text=True, encoding="utf-8", cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    c = json.loads(proc.stdout)
    assert c["texts"] == 60 and c["unparsed"] == 0
    assert c["parsed"] + c["judgement"] == 60
    assert c["judgement"] == len(JUDGEMENT_BY_NATURE)
    assert set(c["by_kind"]) <= set(KINDS_BY_NAME)
    text = subprocess.run([sys.executable, "-m", "xlscore.rules.ruletext", "--coverage", "--corpus", str(CORPUS)],
                          capture_output=True, text=True, encoding="utf-8", cwd=str(ROOT)).stdout
    assert "unparsed: 0" in text and "per-finding" in text


def test_reason_finding_counts():
    from xlscore.rules.ruletext import reason_findings
    assert reason_findings("经核查，发现2处不符合规定") == 2
    assert reason_findings("存在三处问题") == 3
    assert reason_findings("发现 7 月的 7 号凭证未按合同付款") is None
    r = parse_rule("以上均符合得100%权重分，否则每发现1处不符合扣20%权重分，扣完为止。", 6)
    assert r.compute(Measure(count=2)) == pytest.approx(3.6)
    assert r.compute(Measure(count=9)) == 0


def test_rule_targets():
    from xlscore.rules.ruletext import rule_target
    assert rule_target(parse_rule("满意度≥95%得满分，否则每低于目标值1%扣5%权重分。", 5)) == (0.95, "percent")
    assert rule_target(parse_rule("完成对7家商超企业的补助得满分，否则每少一家扣除20%权重分。", 2)) == (7, "count")
    assert rule_target(parse_rule("成本节约率在±5%区间，得满分；超出区间范围，按每超出1%扣0.1分。", 2)) == (0.05, "band")
    assert rule_target(parse_rule("有效得满分，否则酌情扣分。", 2)) is None
