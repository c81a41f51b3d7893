"""What published forms need (issues 11 and 12), one behaviour per test, on grids laid out as the field corpus's forms
are (tests/field/: the rows below are cut down from real forms there, named in each test)."""

from __future__ import annotations

from xlscore.engine import Engine
from xlscore.grid import Grid


def grid(rows, merges=(), name="自评表") -> Grid:
    g = Grid(name)
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                g.set(r, c, v, formula=False)
    g.merges = [m for m in merges]
    return g


def codes(result, severities=("error", "warning")):
    return sorted((f.cell, f.code) for f in result.findings if f.severity in severities)


def analyse(rows, merges=(), profile=None):
    return Engine(profile).analyse([grid(rows, merges)])[0]


HEAD = [["项目支出绩效自评表"], ["（2022年度）"], ["项目名称", "示例项目"],
        [None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["项目资金（万元）", "年度资金总额", 10, 10, 10, 10, "100%", 10]]
IND = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def test_template_residue_rows_are_not_indicators():
    # he_langfang_shipin_2019_nuantong: 指标2 / …… rows left from the blank template
    rows = HEAD + [IND,
                   ["产出指标", "数量指标", "培训人数", "≥50人", "50人", 45, 45],
                   [None, None, "指标2"], [None, None, "……"],
                   ["效益指标", "社会效益指标", "培训合格率", "≥90%", "95%", 45, 45],
                   ["总分", None, None, None, None, 100, 100]]
    res = analyse(rows)
    assert codes(res) == [] and res.total == 100


def test_breakdown_rows_without_points_are_deferred_with_one_info():
    # ah_suzhou_xiaoxian_2023_yanglou: ★ rows carry the points, indented rows the figures
    rows = HEAD + [IND,
                   ["产出指标", "数量指标", "★补助种植面积", None, None, 45, 45],
                   [None, None, "  红薯种植面积", "5.5亩", "5.5亩"],
                   [None, None, "  梨树种植面积", "6亩", "6亩"],
                   ["效益指标", "社会效益指标", "农户增收", "≥10万元", "12万元", 45, 45],
                   ["总分", None, None, None, None, 100, 100]]
    res = analyse(rows)
    assert codes(res) == []
    infos = [f for f in res.findings if f.code == "reading-deferred"]
    assert len(infos) == 1 and "8, 9" in infos[0].message


def test_unfilled_form_is_one_info_not_zero_graded():
    # sc_meishan_qingshen_2023_gongzixing: published with no actuals and no scores
    rows = HEAD[:4] + [["项目资金（万元）", "年度资金总额", 10, 10, 10, 10, "100%"], IND,
                       ["产出指标", "数量指标", "发放覆盖率", "=100%", None, 60],
                       ["效益指标", "社会效益指标", "足额保障率", "=100%", None, 30]]
    res = analyse(rows)
    assert [f.code for f in res.findings if f.severity != "info"] == []
    assert [f.code for f in res.findings].count("form-unfilled") == 1
    assert res.total is None and res.grade is None


def test_timeliness_rates_are_normal_but_an_event_holding_a_rate_is_not():
    rows = HEAD + [IND,
                   ["产出指标", "时效指标", "资金到位及时率", "≥100%", "100%", 45, 45],
                   [None, None, "项目按期执行", ">=100%", "100%", 45, 45],
                   ["总分", None, None, None, None, 100, 100]]
    assert codes(analyse(rows)) == [("D8", "indicator-kind-mismatch")]
    # ah_luan_huoshan_jiaoyu_2024_teshujiaoyu: a share of progress (…执行项目进度 100%) is a rate too
    rows[7][2] = "根据资金到位时间执行项目进度"
    assert codes(analyse(rows)) == []


def test_weights_only_in_labels():
    # yn_baoshan_tuiyijunren_2022_chunjieweiwen: 预算执行情况(20分), 产出指标(60分) … and no 分值 column
    rows = [["2022年度项目支出绩效自评表"], ["项目名称", "春节走访慰问经费"],
            ["预算执行情况(万元)\n(20分)", None, "预算数(A)", "执行数(B)", "执行率(B/A)", "得分\n(20分*执行率)"],
            [None, "年度财政资金总额", 34.64, 34.64, "100%", 20],
            ["年度绩效目标\n(80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
            [None, "产出指标(60分)", "数量指标", "慰问人数", "≥150人", "156人", 30],
            [None, None, "质量指标", "补助经费足额拨付率", "100%", "100%", 30],
            [None, "效益指标(20分)", "社会效益指标", "群体性事件", "≤5次", "0次", 20],
            ["总分(100分)", None, 100]]
    merges = [(6, 2, 7, 2)]
    res = analyse(rows, merges)
    # a reviewer's warning that no single score can be checked (every corpus form of this layout lists it), no error
    assert [c for _, c in codes(res)] == ["weights-not-printed"] and res.total == 100
    assert any(f.code == "weights-not-printed" and "产出指标(60分)" in f.message for f in res.findings)
    rows[6][6] = 35                       # 产出 now scores 65 of its 60 points
    assert ("B6", "block-score-exceeds") in codes(analyse(rows, merges))


def test_weights_sum_on_the_part_label_that_disagrees_with_its_blocks():
    # hub_qu_shangwu_2020_fuwumaoyi: 年度绩效目标（80分） over 产出指标（60分） + 效益指标（40分）: 20 + 100 = 120
    rows = [["2020年项目自评表"], ["项目名称", "服务贸易发展资金"],
            ["预算执行情况(万元)(20分)", None, "预算数(A)", "执行数(B)", "执行率(B/A)", "得分(20分*执行率)"],
            [None, "年度财政资金总额", 285.84, 285.84, "100%", 20],
            ["年度绩效目标(80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
            [None, "产出指标(60分)", "数量指标", "企业数量", 3, 3, 60],
            [None, "效益指标(40分)", "可持续影响指标", "推动企业走出去", "有利于", "有利于", 40],
            ["总分", None, None, None, None, None, 120]]
    found = [(cell, c) for cell, c in codes(analyse(rows)) if c == "weights-sum"]
    assert found == [("A5", "weights-sum")]
    rows[4][0] = "年度绩效目标(100分)"    # the part label agrees with its blocks: the sum is reported where it was
    assert [(cell, c) for cell, c in codes(analyse(rows)) if c == "weights-sum"] == [("B6", "weights-sum")]


def test_execution_rate_row_in_a_project_management_block_is_the_funds_score():
    # nx_yinchuan_liuzhong_2021_gongyong: 一级 项目决策 / 项目管理 …, 预算执行率 as an indicator with no target
    rows = [["部门项目支出绩效自评表（2021年）"], ["项目名称", "初中公用经费"],
            ["项目资金（万元）", None, "年初预算数", "调整预算数（A）", "全年执行数（B）", "执行率（B/A）"],
            [None, "年度资金总额", 64.8, 64.8, 58.32, "90%"],
            ["一级指标", "二级指标", "三级指标", "参考分值", "指标值（A）", "全年实际值（B）", "得分"],
            ["项目管理（10分）", "投入管理", "预算执行率", 10, "—", "90%", 10],
            ["项目产出（90分）", "数量指标", "保障人数", 90, "2370人", "2370人", 90]]
    res = analyse(rows)
    bad = {(f.cell, f.code): f for f in res.findings if f.severity == "error"}
    assert bad[("G6", "score-mismatch")].expected == 9.0


def test_funds_only_sheet_is_read_and_checked():
    # hun_province_2020_xiangxi: the page is cut after the funds block
    rows = [["2020年度湘西地区开发产业发展专项资金项目支出绩效自评表"], ["项目支出名称", "专项资金"],
            ["主管部门", "湖南省发展和改革委员会"],
            ["项目资金(万元)", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            [None, "年度资金总额", 35550, 35550, 35550, 10, "82.12%", 8.5]]
    res = analyse(rows)
    assert res.kind == "self_assessment"
    assert {("G5", "funds-rate-mismatch"), ("H5", "funds-score-mismatch")} <= set(codes(res))


def test_target_review_on_a_declared_targets_sheet():
    # hb_wuhan_qingshan_2020_jiaoyujijian and others: what a finance bureau sends back
    rows = [["项目支出绩效目标表"], ["（2020年度）"], ["项目名称", "教育系统基础设施建设"],
            ["一级指标", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "重点建设工程安排数量", 2],
            [None, "质量指标", "验收合格率", "95%"],
            [None, None, "设备合格率", "292%"],
            [None, "时效指标", "质量指标", "按时"],
            [None, "成本指标", "建设项目成本", "参照政府采购成本控制"],
            ["效益指标", "社会效益指标", "办学条件", "持续改善"],
            ["满意度指标", "服务对象满意度指标", "家长满意度", "≥90%"],
            [None, None, "家长满意度", "≥90%"]]
    res = Engine().analyse([grid(rows, [(5, 1, 9, 1)], name="目标表")])[0]
    assert res.kind == "targets"
    assert set(codes(res)) == {("D5", "target-unit-missing"), ("D6", "target-comparator-missing"),
                               ("D7", "target-rate-out-of-range"), ("C8", "target-class-name"),
                               ("D9", "target-cost-not-amount"), ("C12", "target-duplicate")}


def test_a_funds_sub_row_with_its_own_rate_and_score_is_checked():
    # yn_lincang_linxiang_2023_shourongsuo: the sub-row repeats the total row's wrong score
    rows = HEAD[:4] + [["项目资金（万元）", "年度资金总额", 32.4, 32.4, 31.69, 10, "97.80%", 9],
                       [None, "其中：当年财政拨款", 32.4, 32.4, 31.69, 10, "97.80%", 9], IND,
                       ["产出指标", "数量指标", "收容人数", "≥50人", "50人", 90, 90],
                       ["总分", None, None, None, None, 100, 99]]
    found = codes(analyse(rows))
    assert ("H5", "funds-score-mismatch") in found and ("H6", "funds-score-mismatch") in found


def test_a_total_stated_in_the_header_block_is_checked():
    # nx_yinchuan_liuzhong_2021_gongyong: 自评得分 98 beside 实施单位, no 总分 row
    rows = [["项目支出绩效自评表（2021年）"], ["项目名称", "示例"], ["实施单位", "某中学", "自评得分", 98]] + HEAD[3:] + [
        IND, ["产出指标", "数量指标", "保障人数", "≥10人", "10人", 90, 90]]
    found = {(f.cell, f.code): f for f in analyse(rows).findings}
    assert found[("D3", "total-mismatch")].expected == 100


def test_chongqing_unit_layout_reads_as_self_assessment():
    # cq_kexuecheng_rongmeiti_2021_bumenzhengti: 指标名称 | 年初指标值 | 调整指标值 | 全年完成值 | 指标权重(分) | 指标得分(分)
    rows = [["部门整体绩效自评表"], ["主管部门", "示例部门"],
            ["绩效指标", "指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数(%)",
             "指标权重(分)", "指标得分(分)"],
            [None, "基础信息完善", "%", "定量指标", "100%", None, "100%", "100%", 50, 50],
            [None, "政府采购执行率", "%", None, "100%", None, "72.74%", "100%", 50, 50]]
    res = analyse(rows, [(3, 1, 5, 1)])
    assert res.kind == "self_assessment"
    assert ("J5", "score-mismatch") in codes(res)        # 72.74% of the target, full marks


def test_rate_that_may_run_either_way_is_not_scored_without_a_comparator():
    # cq_kexuecheng_rongmeiti_2021_bumenzhengti: 预算调整率 3% → 0 and 公用经费控制率 100% → 97%, full marks: read as
    # "less is better", both are right; read as the default "more is better", both would be red
    rows = HEAD + [IND,
                   ["产出指标", "数量指标", "预算调整率", "3%", 0, 30, 30],
                   [None, None, "公用经费控制率", "100%", "97%", 30, 30],
                   ["效益指标", "社会效益指标", "项目验收合格率", "100%", "90%", 30, 30],
                   ["总分", None, None, None, None, 100, 100]]
    res = analyse(rows)
    found = codes(res)
    assert ("G9", "score-mismatch") in found           # 合格率: a rate that only runs one way is still judged
    assert not [c for c in found if c[0][1:] in ("7", "8")]
    info = [f for f in res.findings if f.code == "reading-deferred" and "7, 8" in f.message]
    assert len(info) == 1 and "≤" in info[0].message


def test_a_stated_comparator_settles_the_direction():
    rows = HEAD + [IND,
                   ["产出指标", "数量指标", "预算调整率", "≥3%", 0, 45, 45],
                   ["效益指标", "社会效益指标", "项目验收合格率", "100%", "100%", 45, 45],
                   ["总分", None, None, None, None, 100, 100]]
    assert ("G7", "score-mismatch") in codes(analyse(rows))


def test_targets_sheet_cut_before_its_indicator_table_is_recognised_not_unknown():
    # sx_yangquan_gonglu_2021_sihaonongcunlu: the page ends inside the 总体目标 text
    rows = [["山西省阳泉市市级预算部门(单位)项目支出绩效目标申报表"], ["2021年"],
            ["项目名称", "“四好农村路”工作经费"], ["主管部门及代码", "经济建设科", None, "实施单位", "阳泉市公路服务中心"],
            ["项目预算资金(万元)", "中期预算资金总额", None, "年度预算资金总额", 25]]
    res = analyse(rows)
    assert res.kind == "targets" and codes(res) == []
    assert [f.code for f in res.findings if f.code == "reading-deferred"] == ["reading-deferred"]


def test_untitled_transfer_payment_form_with_reported_goal_is_a_self_assessment():
    # sc_ganzi_luhuo_2021_chuanranbing: the page starts below the title; 总体目标 | 全年实际完成情况 says it reports
    rows = [["(2021年度)"], ["转移支付(项目)名称", "重大传染病防治项目"],
            ["项目资金 (万元)", None, "全年预算数(A)", None, "全年执行数(B)", None, "预算执行率(B/A)"],
            [None, "年度资金总额:", 811.54, None, 811.54, None, "100%"],
            [None, "其中:中央财政资金", 730.4, None, 730.4, None, "100.00%"],
            [None, "地方资金", 81.14, None, 81.14, None, "100%"],
            ["总体目标完成情况", "总体目标", None, None, "全年实际完成情况"],
            [None, "目标1:继续为0-6岁适龄儿童常规接种。", None, None, "完成0-6岁适龄儿童常规接种。"]]
    res = analyse(rows, [(7, 1, 8, 1)])
    assert res.kind == "self_assessment" and codes(res) == []
    forms = [c.form for c in res.forms]
    assert forms[0].goal_expected.raw.startswith("目标1") and forms[0].goal_actual.raw.startswith("完成")


def test_optional_leaves_sharing_one_merged_weight_are_one_leaf():
    # sc_province_2017_xiangmu_pingfenbiao: 经济效益(可选项) … 使用效率(可选项) share 分值 40 and 得分 40 (D13:D18, E13:E18)
    rows = [["一级指标", "二级指标", "三级指标", "分值", "得分"],
            ["项目完成", "(50)项目完成", "完成数量", 25, 25],
            [None, None, "完成质量", 25, 20],
            ["项目效益", "(50分)项目效益", "经济效益(可选项)", 40, 40],
            [None, None, "社会效益(可选项)", None, None],
            [None, None, "生态效益(可选项)", None, None],
            [None, None, "服务对象满意度", 10, 10],
            ["总分", None, None, 100, 95]]
    merges = [(2, 1, 3, 1), (2, 2, 3, 2), (4, 1, 7, 1), (4, 2, 7, 2), (4, 4, 6, 4), (4, 5, 6, 5)]
    res = Engine().analyse([grid(rows, merges, name="评分表")])[0]
    assert res.kind == "scoring" and codes(res) == [] and res.total == 95


def test_flat_assessment_table_with_kaohe_headers_is_a_scoring_table():
    # sh_jiading_wenlv_2018_pingjiajigou_kaohe: 考核内容 | 分值 | 计分标准 | 分数, sections 一、 over items 1、
    rows = [["考核内容", "分值", "计分标准", "分数", "备注"],
            ["一、评价前期工作组情况", 30, None, 29],
            ["1、评价工作组人员专业能力", 15, "专业能力较强,得10-15分;专业能力一般,得5-10分", 14],
            ["2、评价工作组人员稳定", 15, "保持组员稳定,得15分;随意更换组员,不得分。", 15],
            ["二、评价后期工作组情况", 70, None, 60],
            ["1、报告数据详实", 70, "数据详实得40-70分", 60],
            ["合计", None, None, 89]]
    res = Engine().analyse([grid(rows, name="评分表")])[0]
    assert res.kind == "scoring" and res.total == 89
    rows[-1][3] = 90
    res = Engine().analyse([grid(rows, name="评分表")])[0]
    assert [c for _, c in codes(res)] == ["scoring-total-mismatch"] or "total" in " ".join(c for _, c in codes(res))


def test_last_row_of_100_points_that_the_others_add_up_to_is_the_total():
    # ah_luan_huoshan_jiaoyu_2024_teshujiaoyu: the total row's label is printed 分总, merged over the name columns
    rows = HEAD + [IND,
                   ["产出指标", "数量指标", "培训人数", "≥50人", "50人", 45, 45],
                   ["效益指标", "社会效益指标", "培训合格率", "≥90%", "95%", 45, 45],
                   ["分总", None, None, None, None, 100, 100]]
    res = analyse(rows, [(9, 1, 9, 5)])
    assert codes(res) == [] and res.total == 100
    rows[-1][6] = 95
    assert ("G9", "total-mismatch") in codes(analyse(rows, [(9, 1, 9, 5)]))


def test_score_above_the_weight_that_the_rule_grants_as_a_bonus_is_not_out_of_range():
    # ah_tongling_jiaoqu_2021_gongyishiye_jiangbu: 工作安排 分值 1, 得分 2 — 得1分;…有正面批示的,一个加1分,最多加2分
    rows = [["一级指标", "二级指标", "三级指标", "评分标准", "分值", "得分"],
            ["过程", "组织实施", "工作安排", "纳入县级重点工作部署,得1分;党政领导有正面批示的,一个加1分,最多加2分", 50, 52],
            [None, None, "工作保障", "有专门工作人员的,得50分", 50, 50],
            ["合计", None, None, None, 100, 102]]
    res = Engine().analyse([grid(rows, [(2, 1, 3, 1), (2, 2, 3, 2)], name="评分表")])[0]
    assert "scoring-score-range" not in [c for _, c in codes(res)]
    rows[1][5] = 53                                   # beyond the 2 points the text allows
    res = Engine().analyse([grid(rows, [(2, 1, 3, 1), (2, 2, 3, 2)], name="评分表")])[0]
    assert ("F2", "scoring-score-range") in codes(res)


def test_target_review_flags_an_impossible_date_or_a_period_that_runs_backwards():
    # issue 12 item 5: 2022年13月 / 2月30日 / a period ending before it starts; a real deadline is left alone
    def review(deadline):
        rows = [["项目支出绩效目标申报表"], ["项目名称", "示例"], ["一级指标", "二级指标", "三级指标", "指标值"],
                ["产出指标", "数量指标", "培训人次", "≥100人次"], [None, "质量指标", "合格率", "≥95%"],
                [None, "时效指标", "完成时间", deadline], [None, "成本指标", "培训费", "≤10万元"],
                ["效益指标", "社会效益指标", "就业率", "≥80%"], ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"]]
        return codes(Engine().analyse([grid(rows, name="目标表")])[0])
    assert review("2022年13月底前") == [("D6", "target-date-impossible")]
    assert review("2022年2月30日前") == [("D6", "target-date-impossible")]
    assert review("2022年12月1日-2022年3月1日") == [("D6", "target-date-impossible")]
    assert review("2022年12月底前") == [] and review("2022年9月-12月") == []


NDRC_TARGETS = [["中央预算内投资计划绩效目标表"], ["(2023年度)"], ["专项名称", "以工代赈示范工程"],
                ["下达地方或单位", "舒城县发展改革委"], ["本次下达中央预算内投资(万元)", 853],
                ["总体目标", "严格按照不低于中央投资30%的比例发放劳务报酬，广泛吸纳当地群众就近就业增收。"],
                ["级指标", "二级指标", "三级指标", "指标值"],
                ["实施效果指标", "产出指标", "劳务报酬占中央投资比例", "≥32.68%"],
                [None, "效益指标", "项目区农村基础设施条件", "持续改善"],
                [None, "满意度指标", "参与工程建设的贫困群众满意度", "≥90%"],
                ["过程管理指标", "资金管理指标", "中央预算内投资支付率", "≥95%"],
                [None, "项目管理指标", "项目开工率", "≥95%"]]
NDRC_MERGES = [(8, 1, 10, 1), (11, 1, 12, 1)]


def test_a_targets_sheet_of_another_framework_defers_the_class_check_with_one_info():
    # ah_luan_shucheng_2023_yigongdaizhen: the NDRC template's 一级 are 实施效果指标 / 过程管理指标 (and its header
    # prints 级指标, the 一 lost): which classes it must hold is not the finance framework's to say
    res = analyse(NDRC_TARGETS, NDRC_MERGES)
    assert "target-classes-missing" not in [c for _, c in codes(res)]
    infos = [f for f in res.findings if f.code == "reading-deferred"]
    assert len(infos) == 1 and "实施效果指标" in infos[0].message and "过程管理指标" in infos[0].message
    rows = [list(r) for r in NDRC_TARGETS]
    rows[7][0], rows[10][0] = "产出指标", "效益指标"      # the finance framework's 一级: the class check runs
    assert ("A7", "target-classes-missing") in codes(analyse(rows, NDRC_MERGES))


def test_a_goal_floor_met_by_the_indicator_target_is_no_mismatch():
    # the same form: 不低于中央投资30% in the goal, ≥32.68% in the table — the target meets the goal's floor
    assert "goal-text-mismatch" not in [c for _, c in codes(analyse(NDRC_TARGETS, NDRC_MERGES))]
    rows = [list(r) for r in NDRC_TARGETS]
    rows[7][3] = "≥25%"                    # now below the floor the goal sets
    assert ("B6", "goal-text-mismatch") in codes(analyse(rows, NDRC_MERGES))


def test_an_amount_in_wan_under_a_cost_class_is_money_not_a_figure_without_unit():
    # sd_jinan_licheng_wenhuaguan_2019_mianfeikaif: 成本指标 | 实际成本与工作内容的匹配程度 | 45万 | 45万
    rows = HEAD + [IND,
                   ["产出指标", "成本指标", "实际成本与工作内容的匹配程度", "45万", "45万", 45, 45],
                   ["效益指标", "社会效益指标", "免费开放场次", "45", "45", 45, 45],
                   ["总分", None, None, None, None, 100, 100]]
    assert codes(analyse(rows)) == [("D8", "unit-missing")]       # the count without 场次 still is


def test_a_form_printed_in_traditional_characters_reads_as_its_simplified_twin():
    # hub_ezhou_kexie_2022_kepu: a mirror page prints the form in Traditional characters (項目名稱, 年度績效目標)
    simplified = HEAD + [IND,
                         ["产出指标", "数量指标", "开展科普活动", "≥10场", "10场", 45, 45],
                         ["效益指标", "社会效益指标", "公民科学素质", "提升10%", "提升10%", 45, 45],
                         ["总分", None, None, None, None, 100, 100]]
    from xlscore.tradchars import PAIRS
    s2t = {s: t for t, s in zip("".join(PAIRS)[::2], "".join(PAIRS)[1::2])}
    traditional = [[("".join(s2t.get(ch, ch) for ch in v) if isinstance(v, str) else v) for v in row]
                   for row in simplified]
    assert traditional[2][0] == "項目名稱" and traditional[6][2] == "開展科普活動"
    a, b = analyse(simplified), analyse(traditional)
    assert codes(a) == codes(b) == []
    assert a.total == b.total == 100 and b.form_name == "示例項目"      # names are shown as printed


def test_a_change_target_is_compared_with_a_change_never_with_a_level():
    # hub_ezhou_kexie_2022_kepu: 提升10% | 提升10% (an increase, met); 提升10% | 95% cannot be compared
    rows = HEAD + [IND,
                   ["效益指标", "社会效益指标", "公民科学素质", "提升10%", "提升10%", 45, 45],
                   [None, None, "群众满意度", "提升10%", "95%", 45, 45],
                   ["总分", None, None, None, None, 100, 100]]
    res = analyse(rows)
    assert codes(res) == []
    assert [f.cell for f in res.findings if f.code == "score-unverifiable"] == ["G8"]
