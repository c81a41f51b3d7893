"""The catalogue of findings: every code xlscore can report, with its severity, titles and message.

Codes are stable kebab-case identifiers: scripts (``--format json``) and other tools depend on them.
Severity (domain.md): an *error* is a contradiction that changes a score, a total or a grade; a
*warning* is something a reviewer must look at (rounding within tolerance, near-synonym units, odd
dates); *info* is context (an unparsed rule text, a structural gap that is normal for a layout).
``xlscore rules`` and ``docs/checks.md`` are generated from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckDef:
    code: str
    severity: str            # "error" | "warning" | "info"
    title_zh: str
    title_en: str
    description: str         # one line, English (docs); the Chinese title says it for users
    template_zh: str
    template_en: str
    anomaly: str = ""        # the corpus anomaly kind it catches (disclosure_changji_2024.anomalies.md)

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


_DEFS = [
    # ---- sheet and structure
    CheckDef("sheet-skipped", "info", "未识别的工作表", "Sheet skipped",
             "The sheet holds no recognisable form; it was skipped.",
             "工作表「{sheet}」中没有找到绩效表格，已跳过。",
             "No performance form found in sheet '{sheet}'; skipped."),
    CheckDef("sheet-not-checked", "info", "该类表格尚未逐项检查", "Table kind not checked yet",
             "A targets sheet or scoring table was recognised; this version reads it but checks only self-assessment forms.",
             "识别为{kind}，本版本仅逐项检查自评表。",
             "Recognised as a {kind}; this version checks self-assessment forms item by item only."),
    CheckDef("total-missing", "info", "缺少总分行", "No total row",
             "The form prints no 总分 row (normal for the unit-level layout); the implied total is computed.",
             "表中没有总分行，按资金得分＋各指标得分推算总分为 {expected}。",
             "The form has no total row; the implied total (funds + indicator scores) is {expected}.", "K19"),
    CheckDef("rate-column-missing", "info", "缺少完成率列", "No completion-rate column",
             "The indicator table has no 完成率 column; rates are computed but cannot be written.",
             "指标表没有“完成率”列，完成率已计算但无处写入。",
             "The indicator table has no completion-rate column; rates are computed but not written.", "K19"),
    # ---- funds block
    CheckDef("funds-rate-mismatch", "error", "执行率计算错误", "Budget execution rate wrong",
             "执行率 ≠ 全年执行数 / 全年预算数.",
             "执行率应为 全年执行数/全年预算数 = {expected}，表中为 {found}。",
             "Execution rate should be spent / budget = {expected}; the form says {found}."),
    CheckDef("funds-rate-rounding", "warning", "执行率舍入差异", "Execution rate rounding",
             "The printed 执行率 differs from 执行数/预算数 by rounding only.",
             "执行率 {found} 与计算值 {expected} 仅有舍入差异，请核对。",
             "Execution rate {found} differs from the computed {expected} by rounding only."),
    CheckDef("funds-score-mismatch", "error", "资金得分错误", "Funds score wrong",
             "Funds 得分 ≠ 分值 × min(执行率, 100%).",
             "预算执行率得分应为 分值×执行率 = {expected}，表中为 {found}。规则：{rule}",
             "Funds score should be weight × execution rate = {expected}; the form says {found}. Rule: {rule}"),
    CheckDef("funds-score-rounding", "warning", "资金得分舍入差异", "Funds score rounding",
             "The funds score differs from the computed one within the rounding tolerance.",
             "资金得分 {found} 与计算值 {expected} 仅有舍入差异。",
             "Funds score {found} differs from the computed {expected} by rounding only."),
    CheckDef("funds-subrows-sum", "error", "资金分项之和不等于合计", "Funds sub-rows do not add up",
             "The funds sub-rows (当年财政拨款 + 上年结转 + 其他资金, or 上级/本级/其他) ≠ the total row.",
             "{column}：分项之和为 {expected}，合计行为 {found}。",
             "{column}: the sub-rows add up to {expected}; the total row says {found}.", "K12"),
    CheckDef("funds-overspent", "warning", "执行数超过预算数", "Spent more than budget",
             "全年执行数 > 全年预算数 on a funds row (执行率 over 100%).",
             "「{label}」全年执行数 {found} 超过全年预算数 {expected}（执行率 {rate}）。",
             "'{label}': spent {found} exceeds the budget {expected} (rate {rate}).", "K12"),
    # ---- weights
    CheckDef("weights-sum", "error", "分值合计不等于100", "Weights do not sum to 100",
             "Σ indicator weights + funds weight ≠ 100 (or ≠ the total row's weight).",
             "各指标分值之和 {indicators} ＋ 资金分值 {funds} = {found}，应为 {expected}。",
             "Indicator weights {indicators} + funds weight {funds} = {found}; expected {expected}."),
    CheckDef("weight-zero", "warning", "指标分值为0", "Zero weight",
             "An indicator carries a weight of 0: it cannot affect the score — remove it or give it a weight.",
             "指标「{name}」分值为0，对总分没有影响，请删除或重新分配分值。",
             "Indicator '{name}' has weight 0 and cannot affect the total; remove it or give it a weight.", "K16"),
    CheckDef("weight-missing", "error", "缺少分值", "Weight missing",
             "An indicator row has no numeric weight.",
             "指标「{name}」没有填写分值（表中为 {found}）。",
             "Indicator '{name}' has no numeric weight (found {found})."),
    # ---- values
    CheckDef("value-unparseable", "warning", "无法识别的指标值", "Value not understood",
             "A target or actual could not be read by the value grammar.",
             "指标「{name}」的{what}「{found}」无法识别，无法计算完成率和得分。",
             "The {what} '{found}' of '{name}' cannot be read; rate and score cannot be computed."),
    CheckDef("actual-missing", "warning", "缺少实际完成值", "Actual missing",
             "A row with a target has no actual value.",
             "指标「{name}」有目标值 {target} 但没有填写实际完成值。",
             "Indicator '{name}' has a target {target} but no actual value."),
    CheckDef("unit-mismatch", "error", "计量单位不一致", "Units disagree",
             "Target and actual are measured in different kinds of unit (辆 vs %): the rate cannot be computed.",
             "指标「{name}」目标值单位为「{expected}」，实际值单位为「{found}」，两者不可比，完成率和得分无法成立。",
             "Indicator '{name}': target unit '{expected}' vs actual unit '{found}' are not comparable.", "K6"),
    CheckDef("unit-synonym", "warning", "计量单位近义不一致", "Near-synonym units",
             "Target and actual units are near-synonyms (场/场次, 批/批次, 个/家).",
             "指标「{name}」目标值单位「{expected}」与实际值单位「{found}」不一致（近义），请统一。",
             "Indicator '{name}': units '{expected}' and '{found}' are near-synonyms; make them the same.", "K6"),
    CheckDef("unit-missing", "warning", "缺少计量单位", "Unit missing",
             "A figure has no unit on one or both sides (<=100 vs =100).",
             "指标「{name}」的目标值「{target}」/实际值「{actual}」缺少计量单位。",
             "Indicator '{name}': target '{target}' / actual '{actual}' lack a unit.", "K6"),
    CheckDef("qualitative-actual", "error", "数值目标填写了定性实际值", "Qualitative actual for a numeric target",
             "A numeric target is answered with a qualitative actual (达到预期指标): the score cannot be verified.",
             "指标「{name}」目标值为数值 {target}，实际值却是定性描述「{found}」，得分无法核实。",
             "Indicator '{name}' has a numeric target {target} but a qualitative actual '{found}'.", "K7"),
    CheckDef("date-malformed", "warning", "日期格式异常", "Malformed date",
             "A date target or actual is garbled (=…前日), combines = with 前, or lacks 日.",
             "指标「{name}」的{what}「{found}」日期格式异常（{detail}），已按 {expected} 理解。",
             "The {what} '{found}' of '{name}' is a malformed date ({detail}); read as {expected}.", "K9"),
    CheckDef("date-yearless", "warning", "日期缺少年份", "Date without a year",
             "A date has no year; the form's year is assumed.",
             "指标「{name}」的{what}「{found}」没有年份，已按表格年度理解为 {expected}。",
             "The {what} '{found}' of '{name}' has no year; read as {expected} (the form's year).", "K9"),
    CheckDef("indicator-kind-mismatch", "warning", "指标名称/类别与指标值不符", "Indicator name or class does not fit its value",
             "A rate named indicator holds money, a 时效指标 holds no date, a 社会/生态成本指标 holds money.",
             "指标「{name}」{detail}。",
             "Indicator '{name}': {detail}.", "K20"),
    CheckDef("text-artefact", "warning", "文本残留字符", "Text artefacts",
             "A cell contains tabs, Word bookmarks or invisible characters pasted from a document.",
             "单元格含有{detail}，请清理：「{found}」。",
             "The cell contains {detail}; clean it: '{found}'.", "K17"),
    # ---- completion rate
    CheckDef("rate-mismatch", "error", "完成率计算错误", "Completion rate wrong",
             "The printed 完成率 ≠ actual / target (or the rule's rate).",
             "指标「{name}」完成率应为 {expected}，表中为 {found}。规则：{rule}",
             "Indicator '{name}': completion rate should be {expected}; the form says {found}. Rule: {rule}", "K1"),
    CheckDef("rate-rounding", "warning", "完成率舍入差异", "Completion rate rounding",
             "The printed 完成率 differs from the computed rate by rounding or truncation only.",
             "指标「{name}」完成率 {found} 与计算值 {expected} 仅有舍入（截尾）差异。",
             "Indicator '{name}': completion rate {found} differs from {expected} by rounding/truncation only."),
    CheckDef("rate-over-100", "info", "完成率超过100%", "Completion over 100%",
             "Completion above 100%: the score is capped at the weight.",
             "指标「{name}」完成率 {found} 超过100%，得分以分值 {weight} 为上限。",
             "Indicator '{name}': completion {found} exceeds 100%; the score is capped at the weight {weight}.", "K3"),
    CheckDef("lower-better-not-inverted", "error", "反向指标按正向计算", "≤ target scored like a ≥ target",
             "A ≤ / < target that was met is given a rate below 100% (actual/target without inversion).",
             "指标「{name}」为反向指标（{target}），实际值 {actual} 已达标，完成率应为 {expected}，表中为 {found}。",
             "Indicator '{name}' is lower-is-better ({target}); actual {actual} meets it, so the rate is {expected}, not {found}.", "K5"),
    CheckDef("overachievement-review", "warning", "大幅超额完成需复核", "Far above target: review",
             "Completion at or above the profile's threshold (120% national, 130% 广西): the target may have been set too low.",
             "指标「{name}」完成率 {found} 达到或超过 {expected}，目标设定可能偏低，请复核{extra}。",
             "Indicator '{name}': completion {found} is at or above {expected}; the target may be too low — review{extra}."),
    # ---- scores
    CheckDef("score-mismatch", "error", "得分与评分规则不符", "Score does not follow the rule",
             "得分 ≠ the rule applied to target and actual.",
             "指标「{name}」得分应为 {expected}，表中为 {found}{hint}。规则：{rule}",
             "Indicator '{name}': the score should be {expected}; the form says {found}{hint}. Rule: {rule}", "K2"),
    CheckDef("score-rounding", "warning", "得分舍入差异", "Score rounding",
             "得分 differs from the rule's score within the rounding tolerance.",
             "指标「{name}」得分 {found} 与计算值 {expected} 仅有舍入差异。",
             "Indicator '{name}': score {found} differs from {expected} by rounding only."),
    CheckDef("score-overachievement-penalised", "error", "超额完成被扣分", "Over-achievement penalised",
             "An over-achieved target is scored below its weight (e.g. w × (1 − (r − 100%))); over-achievement earns the weight.",
             "指标「{name}」完成率 {rate} 已超额完成，应得满分 {expected}，表中为 {found}（超额部分被反向扣分）。规则：{rule}",
             "Indicator '{name}': completion {rate} exceeds the target, so the score is the full {expected}, not {found} (over-achievement was penalised). Rule: {rule}", "K2"),
    CheckDef("deadline-missed-full-score", "error", "逾期完成仍得满分", "Missed deadline scored full",
             "The actual date is after the deadline, yet the row scores its full weight.",
             "指标「{name}」期限为 {target}，实际完成于 {actual}，已逾期，得分应为 {expected}，表中为 {found}。规则：{rule}",
             "Indicator '{name}': deadline {target}, done {actual} — late; the score should be {expected}, not {found}. Rule: {rule}", "K8"),
    CheckDef("strict-target-equal", "warning", "“大于”目标仅达到相等", "Strict target met only by equality",
             "A strict > / < target is 'met' by an equal actual: strictly, the target was not reached.",
             "指标「{name}」目标为 {target}（严格大于/小于），实际值 {actual} 仅与目标相等，严格来说未达到目标。",
             "Indicator '{name}': the target {target} is strict, and the actual {actual} only equals it.", "K15"),
    CheckDef("score-exceeds-weight", "error", "得分超过分值", "Score above weight",
             "A score is larger than its weight.",
             "指标「{name}」得分 {found} 超过分值 {expected}。",
             "Indicator '{name}': score {found} exceeds its weight {expected}."),
    CheckDef("score-missing", "error", "缺少得分", "Score missing",
             "A row with an actual value has no score.",
             "指标「{name}」已填写实际值但没有得分，按规则应为 {expected}。",
             "Indicator '{name}' has an actual but no score; by the rule it is {expected}."),
    CheckDef("qualitative-score-out-of-band", "error", "定性指标得分超出等级区间", "Qualitative score outside its band",
             "A qualitative row's score lies outside the band of its level (达成 80–100%, 部分达成 60–80%, 未达成 0–60%).",
             "指标「{name}」评价为「{level}」，得分应在 {expected} 之间，表中为 {found}。规则：{rule}",
             "Indicator '{name}' is rated '{level}', so the score must lie in {expected}; the form says {found}. Rule: {rule}"),
    CheckDef("score-unverifiable", "info", "得分无法核算", "Score cannot be recomputed",
             "The rule cannot be applied to this row (qualitative actual, unit mismatch, missing data); bounds only.",
             "指标「{name}」得分无法按规则核算（{detail}），仅检查了上下限。",
             "Indicator '{name}': the score cannot be recomputed ({detail}); bounds checked only."),
    CheckDef("rule-unknown", "info", "未识别的赋分规则", "Scoring rule not recognised",
             "The 赋分规则 text is not one of the known labels; the rule was inferred from the target.",
             "赋分规则「{found}」未识别，已按目标值推断为：{rule}",
             "Scoring rule '{found}' not recognised; inferred from the target: {rule}"),
    CheckDef("explanation-missing", "warning", "缺少偏差原因", "Explanation missing",
             "得分 < 分值 but the 偏差原因分析及改进措施 cell is empty.",
             "指标「{name}」得分 {found} 低于分值 {expected}，但未填写偏差原因分析及改进措施。",
             "Indicator '{name}' scores {found} of {expected} but gives no explanation of the deviation."),
    # ---- totals and grade
    CheckDef("total-mismatch", "error", "总分不等于各项得分之和", "Total is not the sum",
             "The stated 总分 ≠ funds score + Σ indicator scores (recomputed).",
             "总分应为 资金得分＋各指标得分 = {expected}，表中为 {found}{note}。",
             "The total should be funds score + indicator scores = {expected}; the form says {found}{note}."),
    CheckDef("total-rounding", "warning", "总分舍入差异", "Total rounding",
             "The stated total differs from the recomputed sum within the rounding tolerance.",
             "总分 {found} 与计算值 {expected} 仅有舍入差异。",
             "Total {found} differs from the computed {expected} by rounding only."),
    CheckDef("grade-mismatch", "error", "评价等级与总分不符", "Grade does not match the total",
             "The grade ≠ the band of the (recomputed) total under the profile's bands.",
             "总分 {total} 对应等级应为「{expected}」，表中为「{found}」。规则：{rule}",
             "A total of {total} gives grade '{expected}', not '{found}'. Rule: {rule}"),
    CheckDef("formula-cache-mismatch", "warning", "公式缓存值与重算值不符", "Formula result disagrees",
             "A formula in a result cell shows (as last computed by Excel/WPS) a value that differs from the recomputed one.",
             "公式 {formula} 在 Excel/WPS 中显示为 {found}，按规则重算为 {expected}。",
             "Formula {formula} shows {found} (as last computed by Excel/WPS); recomputed {expected}."),
    CheckDef("quantitative-share", "info", "量化指标占比不足70%", "Few quantitative indicators",
             "Quantitative indicators are under the profile's share of all indicators (70%, a 规范要求).",
             "量化指标 {count}/{total} 个，占比 {found}，低于 {expected}。",
             "{count} of {total} indicators are quantitative ({found}), below {expected}."),
]

CATALOGUE: dict[str, CheckDef] = {d.code: d for d in _DEFS}
SEVERITIES = ("error", "warning", "info")


def markdown_table(lang: str = "zh") -> str:
    """The table of every finding code (docs/checks.md and `xlscore rules`)."""
    head = ("| 代码 | 级别 | 名称 | English | 说明 | 对应样例异常 |\n|---|---|---|---|---|---|"
            if lang == "zh" else "| code | severity | 名称 | title | description | corpus anomaly |\n|---|---|---|---|---|---|")
    rows = [f"| `{d.code}` | {d.severity} | {d.title_zh} | {d.title_en} | {d.description} | {d.anomaly} |" for d in _DEFS]
    return head + "\n" + "\n".join(rows) + "\n"


def checks_doc() -> str:
    """The whole of docs/checks.md (``xlscore rules --format markdown > docs/checks.md``)."""
    return ("# xlscore 检查项 / finding codes\n\n"
            "由 `xlscore rules --format markdown` 生成，请勿手工编辑。Generated by `xlscore rules --format markdown`; "
            "do not edit by hand.\n\n"
            "级别 / severity: error 错误（改变得分、总分或等级的矛盾）· warning 警告（需复核：舍入、近义单位、日期格式）· "
            "info 提示（背景信息）。\n\n" + markdown_table("zh"))
