"""The value grammar (xlscore.rules.values) and the unit catalogue (xlscore.rules.units).

Table-driven: every construct of domain.md "Values" with the expected kind / op / number / unit / date /
notes; then every distinct target and actual of the 昌吉 2024 disclosure and the evaluator tables.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from xlscore.rules.units import compare_units, unit_kind
from xlscore.rules.values import Value, describe, parse_value

CORPUS = Path(__file__).resolve().parents[1] / "samples" / "source"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")

D = dt.date
T, A = "target", "actual"


def check(v: Value, **expected) -> None:
    """Compare the fields named in *expected*; numbers approximately, notes as a set (exactly)."""
    for name, want in expected.items():
        got = getattr(v, name)
        if name == "notes":
            assert set(got) == set(want), f"{v.raw!r}: notes {got} != {want}"
        elif isinstance(want, float):
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), f"{v.raw!r}: {name} {got} != {want}"
        else:
            assert got == want, f"{v.raw!r}: {name} {got!r} != {want!r}"


# text, role, expected fields (year=2024 unless the case says otherwise)
CASES = [
    # ---- operators
    (">=90%", T, dict(kind="number", op=">=", number=0.9, unit="%", unit_kind="percent", notes=())),
    ("≥1辆", T, dict(kind="number", op=">=", number=1.0, unit="辆", unit_kind="count", notes=())),
    ("大于等于90%", T, dict(kind="number", op=">=", number=0.9, unit="%")),
    ("不低于95%", T, dict(kind="number", op=">=", number=0.95, unit="%")),
    ("不少于3场", T, dict(kind="number", op=">=", number=3.0, unit="场")),
    ("达到90%", T, dict(kind="number", op=">=", number=0.9, unit="%")),
    ("90%以上", T, dict(kind="number", op=">=", number=0.9, unit="%")),
    ("≥95%以上", T, dict(kind="number", op=">=", number=0.95, unit="%", notes=())),
    ("<=3.50万元", T, dict(kind="number", op="<=", number=3.5, unit="万元", unit_kind="money", notes=())),
    ("不高于5%", T, dict(kind="number", op="<=", number=0.05, unit="%")),
    ("不超过3.5万元", T, dict(kind="number", op="<=", number=3.5, unit="万元")),
    ("控制在100万元以内", T, dict(kind="number", op="<=", number=100.0, unit="万元")),
    ("10天以内", T, dict(kind="number", op="<=", number=10.0, unit="天", unit_kind="duration")),
    ("=0%", T, dict(kind="number", op="=", number=0.0, unit="%", notes=())),
    ("=100%", T, dict(kind="number", op="=", number=1.0, unit="%")),
    ("=1套", T, dict(kind="number", op="=", number=1.0, unit="套", unit_kind="count")),
    ("＝100％", T, dict(kind="number", op="=", number=1.0, unit="%", notes=("fullwidth",))),
    (">100个", T, dict(kind="number", op=">", number=100.0, unit="个", notes=("strict",))),
    ("<5%", T, dict(kind="number", op="<", number=0.05, unit="%", notes=("strict",))),
    ("＞１００个", T, dict(kind="number", op=">", number=100.0, unit="个", notes=("strict", "fullwidth"))),
    ("\\geq 95%", T, dict(kind="number", op=">=", number=0.95, unit="%", notes=("latex",))),
    ("$\\geq 95\\%$", T, dict(kind="number", op=">=", number=0.95, unit="%", notes=("latex",))),
    ("\\leq 10天", T, dict(kind="number", op="<=", number=10.0, unit="天", notes=("latex",))),
    ("95%", T, dict(kind="number", op=None, number=0.95, unit="%", notes=())),
    # ---- numbers: separators, spaces, magnitudes, bare figures
    ("<=100", T, dict(kind="number", op="<=", number=100.0, unit=None, unit_kind=None, notes=("bare-number",))),
    ("206,669", A, dict(kind="number", op=None, number=206669.0, unit=None, notes=("thousands-sep", "bare-number"))),
    ("206 669", A, dict(kind="number", number=206669.0, notes=("thousands-sep", "bare-number"))),
    ("≥ 200,000", T, dict(kind="number", op=">=", number=200000.0, notes=("thousands-sep", "bare-number"))),
    ("≥ 5.8%", T, dict(kind="number", op=">=", number=0.058, unit="%")),
    ("≥3 种", T, dict(kind="number", op=">=", number=3.0, unit="种", notes=())),
    ("≥ 95 %", T, dict(kind="number", op=">=", number=0.95, unit="%")),
    ("１００％", A, dict(kind="number", number=1.0, unit="%", notes=("fullwidth",))),
    ("95百分比", A, dict(kind="number", number=0.95, unit="%", unit_kind="percent")),
    ("≥20万", T, dict(kind="number", op=">=", number=200000.0, unit=None, notes=("magnitude", "bare-number"))),
    ("≥20万人次", T, dict(kind="number", op=">=", number=200000.0, unit="人次", notes=("magnitude",))),
    ("12 万名", T, dict(kind="number", op=None, number=120000.0, unit="名", notes=("magnitude",))),
    ("≥ 70000 (人次)", T, dict(kind="number", op=">=", number=70000.0, unit="人次", unit_kind="count",
                              notes=("unit-in-brackets",))),
    ("≥ 70000（人次）", T, dict(kind="number", op=">=", number=70000.0, unit="人次", notes=("unit-in-brackets",))),
    ("≥95%（5分）", T, dict(kind="number", op=">=", number=0.95, unit="%", notes=("trailing-text",))),
    ("7.27倍", A, dict(kind="number", number=7.27, unit="倍", unit_kind="ratio")),
    ("500cpm", T, dict(kind="number", number=500.0, unit="cpm", unit_kind="other")),
    ("=310平方米", A, dict(kind="number", number=310.0, unit="平方米", unit_kind="area", notes=("leading-eq",))),
    ("310㎡", A, dict(kind="number", number=310.0, unit="平方米")),
    ("5km", A, dict(kind="number", number=5.0, unit="公里", unit_kind="length")),
    ("3个工作日", T, dict(kind="number", number=3.0, unit="工作日", unit_kind="duration", notes=())),
    ("10日内", T, dict(kind="number", op="<=", number=10.0, unit="日", unit_kind="duration")),
    # ---- money: 元 / 万元 / 亿元 → 万元; compound units kept
    ("1426.34亿元", A, dict(kind="number", op=None, number=14263400.0, unit="万元", unit_kind="money", notes=())),
    (">=1400亿元", T, dict(kind="number", op=">=", number=14000000.0, unit="万元")),
    ("2000元", A, dict(kind="number", number=0.2, unit="万元", unit_kind="money")),
    ("3千元", A, dict(kind="number", number=0.3, unit="万元")),
    ("=3.5万元", A, dict(kind="number", op=None, number=3.5, unit="万元", notes=("leading-eq",))),
    ("1.2 亿元以上", T, dict(kind="number", op=">=", number=12000.0, unit="万元")),
    ("≥20万元/年", T, dict(kind="number", op=">=", number=20.0, unit="万元/年", unit_kind="money_rate")),
    ("≤300元/人", T, dict(kind="number", op="<=", number=300.0, unit="元/人", unit_kind="money_rate")),
    ("≤50元/平方米", T, dict(kind="number", op="<=", number=50.0, unit="元/平方米", unit_kind="money_rate")),
    # ---- actuals: a leading "=" is not an operator; a real comparison is
    ("=1%", A, dict(kind="number", op=None, number=0.01, unit="%", unit_kind="percent", notes=("leading-eq",))),
    ("=10000公里", A, dict(kind="number", op=None, number=10000.0, unit="公里", unit_kind="length",
                           notes=("leading-eq",))),
    ("=100", A, dict(kind="number", op=None, number=100.0, unit=None, notes=("leading-eq", "bare-number"))),
    ("=100%", A, dict(kind="number", op=None, number=1.0, unit="%")),
    ("≥95%", A, dict(kind="number", op=">=", number=0.95, unit="%", notes=())),
    ("超过100人", A, dict(kind="number", op=">", number=100.0, unit="人", notes=("strict",))),
    ("达到95%", A, dict(kind="number", op=None, number=0.95, unit="%")),
    ("完成3场", A, dict(kind="number", op=None, number=3.0, unit="场")),
    # ---- tolerances and ranges
    ("±5%", T, dict(kind="number", op="abs<=", number=0.05, unit="%", notes=())),
    ("≤ ±5%", T, dict(kind="number", op="abs<=", number=0.05, unit="%", notes=())),
    ("$\\leq \\pm 5\\%$", T, dict(kind="number", op="abs<=", number=0.05, unit="%", notes=("latex",))),
    ("±5%以内", T, dict(kind="number", op="abs<=", number=0.05, unit="%")),
    ("90%-110%", T, dict(kind="range", op="between", number=0.9, upper=1.1, unit="%", unit_kind="percent",
                         notes=())),
    ("80-90%", T, dict(kind="range", op="between", number=0.8, upper=0.9, unit="%")),
    ("110%-90%", T, dict(kind="range", op="between", number=0.9, upper=1.1, notes=("reversed-range",))),
    ("2w-5w", T, dict(kind="range", op="between", number=20000.0, upper=50000.0, unit=None,
                      notes=("magnitude", "bare-number"))),
    ("5万-10万元", T, dict(kind="range", op="between", number=5.0, upper=10.0, unit="万元")),
    ("1000-2000元", T, dict(kind="range", op="between", number=0.1, upper=0.2, unit="万元")),
    ("3至5场", T, dict(kind="range", op="between", number=3.0, upper=5.0, unit="场", unit_kind="count")),
    ("90%>效果明显≥80%", T, dict(kind="range", op="between", number=0.8, upper=0.9, unit="%",
                                word="效果明显", notes=("double-inequality",))),
    ("80%≤效果明显<90%", T, dict(kind="range", op="between", number=0.8, upper=0.9, unit="%",
                                word="效果明显", notes=("double-inequality",))),
    # ---- dates and deadlines
    ("2024年12月31日前", T, dict(kind="date", op=None, date=D(2024, 12, 31), deadline=True, year_given=True,
                                notes=())),
    ("2024年12月31日以前", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, notes=())),
    ("2024年12月31日之前", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, notes=())),
    ("2024年12月31日前完成", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, notes=())),
    ("截至2024年12月31日", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, notes=("deadline-prefix",))),
    ("2024年12月31日", T, dict(kind="date", op=None, date=D(2024, 12, 31), deadline=True, notes=())),
    ("2024年12月31日", A, dict(kind="date", op=None, date=D(2024, 12, 31), deadline=False, notes=())),
    # 裕安 2022 (tests/field): a label before the date
    ("完成时间为2022年12月30日", A, dict(kind="date", date=D(2022, 12, 30), deadline=False)),
    ("完成时间为2022年12月30日", T, dict(kind="date", date=D(2022, 12, 30), deadline=True)),
    ("=2024年12月31日", A, dict(kind="date", op=None, date=D(2024, 12, 31), deadline=False,
                               notes=("leading-eq",))),
    ("=2024年12月31日", T, dict(kind="date", op="=", date=D(2024, 12, 31), deadline=True, notes=())),
    ("2024.12.31", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, notes=())),
    ("2024-12-31", A, dict(kind="date", date=D(2024, 12, 31), deadline=False, notes=())),
    ("=2024年12月1日前日", T, dict(kind="date", op="=", date=D(2024, 12, 1), deadline=True, year_given=True,
                                  notes=("garbled-date", "eq-deadline"))),
    ("=8月31日前", T, dict(kind="date", op="=", date=D(2024, 8, 31), deadline=True, year_given=False,
                         notes=("eq-deadline", "yearless"))),
    ("8月31日", A, dict(kind="date", date=D(2024, 8, 31), deadline=False, year_given=False, notes=("yearless",))),
    ("11月30日", T, dict(kind="date", op=None, date=D(2024, 11, 30), deadline=True, year_given=False,
                        notes=("yearless",))),
    ("2024年12月10", A, dict(kind="date", date=D(2024, 12, 10), year_given=True, notes=("missing-day-char",))),
    ("2024年6月", T, dict(kind="date", date=D(2024, 6, 30), deadline=True, notes=("month-only",))),
    ("2024年6月", A, dict(kind="date", date=D(2024, 6, 1), deadline=False, notes=("month-only",))),
    ("12月底前", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, year_given=False,
                       notes=("month-only", "yearless"))),
    ("2024年2月30日", T, dict(kind="date", date=None, notes=("garbled-date",))),
    ("2024年底前", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, notes=("period",))),
    ("2024年第四季度", T, dict(kind="date", date=D(2024, 12, 31), notes=("period",))),
    ("年底前", T, dict(kind="date", date=D(2024, 12, 31), deadline=True, year_given=False,
                      notes=("period", "yearless"))),
    ("次年3月底前", T, dict(kind="date", date=D(2025, 3, 31), deadline=True, year_given=False,
                         notes=("month-only", "yearless"))),
    ("2024年9月30日-10月30日", T, dict(kind="date_range", op="between", date=D(2024, 9, 30),
                                     end_date=D(2024, 10, 30), deadline=True, notes=())),
    ("2024年9月30日至10月30日", T, dict(kind="date_range", date=D(2024, 9, 30), end_date=D(2024, 10, 30))),
    ("2024年9月30日—2024年10月30日", T, dict(kind="date_range", date=D(2024, 9, 30), end_date=D(2024, 10, 30))),
    ("2021年2月11日-2021年5月31日止", T, dict(kind="date_range", op="between", date=D(2021, 2, 11),
                                          end_date=D(2021, 5, 31), deadline=True, notes=())),
    ("2024年1月—12月", T, dict(kind="date_range", date=D(2024, 1, 1), end_date=D(2024, 12, 31), notes=())),
    ("9月-12月", T, dict(kind="date_range", date=D(2024, 9, 1), end_date=D(2024, 12, 31), year_given=False,
                        notes=("yearless",))),
    ("≥3年", T, dict(kind="number", op=">=", number=3.0, unit="年", unit_kind="duration")),
    # ---- qualitative targets
    ("达到预期", T, dict(kind="qualitative", op=None, word="达到预期", level=None)),
    ("有效", T, dict(kind="qualitative", word="有效", level=None)),
    ("显著", T, dict(kind="qualitative", word="显著", level=None)),
    ("提升", T, dict(kind="qualitative", word="提升")),
    ("合规", T, dict(kind="qualitative", word="合规")),
    ("节能环保", T, dict(kind="qualitative", word="节能环保", notes=())),
    ("有效释放", T, dict(kind="qualitative", word="有效释放")),
    ("有效加强", T, dict(kind="qualitative", word="有效加强")),
    ("显著推动", T, dict(kind="qualitative", word="显著推动")),
    ("开拓", T, dict(kind="qualitative", word="开拓")),
    ("不低于上年", T, dict(kind="qualitative", op=None, word="不低于上年")),
    # ---- qualitative actuals and levels (matched before 达到 as an operator)
    ("达到预期指标", A, dict(kind="qualitative", op=None, number=None, word="达到预期指标", level="达成", notes=())),
    ("已完成", A, dict(kind="qualitative", level="达成")),
    ("有效", A, dict(kind="qualitative", word="有效", level="达成")),
    ("达成年度指标", A, dict(kind="qualitative", level="达成")),
    ("部分达成年度指标并具有一定效果", A, dict(kind="qualitative", level="部分达成", notes=())),
    ("未达成年度指标且效果较差", A, dict(kind="qualitative", level="未达成", notes=("negated",))),
    ("达成", A, dict(kind="qualitative", level="达成")),
    ("部分达成", A, dict(kind="qualitative", level="部分达成")),
    ("未达成", A, dict(kind="qualitative", level="未达成")),
    ("未完成", A, dict(kind="qualitative", level="未达成", notes=("negated",))),
    ("不合理", A, dict(kind="qualitative", word="不合理", level="未达成", notes=("negated",))),
    ("不合规", A, dict(kind="qualitative", level="未达成", notes=("negated",))),
    ("不明确", A, dict(kind="qualitative", level="未达成", notes=("negated",))),
    ("不断提升", A, dict(kind="qualitative", level="达成", notes=())),
    # ---- placeholders and artefacts
    ("/", A, dict(kind="placeholder")),
    ("-", A, dict(kind="placeholder")),
    ("—", A, dict(kind="placeholder")),
    ("_", A, dict(kind="placeholder")),
    ("无", T, dict(kind="placeholder")),
    ("", T, dict(kind="placeholder", raw="")),
    ("  ", T, dict(kind="placeholder")),
    ("=35家\t", A, dict(kind="number", number=35.0, unit="家", notes=("tab", "leading-eq"))),
    ("[bookmark: _GoBack]>=90%", T, dict(kind="number", op=">=", number=0.9, unit="%", notes=("bookmark",))),
    # ---- what cannot be made sense of
    ("四大主题活动 (4)", T, dict(kind="unparseable")),
    ("≥", T, dict(kind="unparseable")),
    ("≥abc", T, dict(kind="unparseable")),
]


@pytest.mark.parametrize("text,role,expected", [pytest.param(t, r, e, id=f"{r}:{t}") for t, r, e in CASES])
def test_grammar(text, role, expected):
    check(parse_value(text, role=role, year=2024), **expected)


def test_yearless_without_a_year():
    v = parse_value("11月30日", role="target")
    check(v, kind="date", date=None, year_given=False, deadline=True, notes=("yearless",))
    v = parse_value("=8月31日前", role="target", year=None)
    check(v, kind="date", date=None, year_given=False, notes=("yearless", "eq-deadline"))
    assert describe(v) == "8月31日前"


def test_year_written_wins_over_default():
    check(parse_value("2023年7月10日", role="actual", year=2024), date=D(2023, 7, 10), year_given=True)


@pytest.mark.parametrize("cell,expected", [
    (95, dict(kind="number", op=None, number=95.0, unit=None, notes=("bare-number",), raw="95")),
    (0.95, dict(kind="number", number=0.95, notes=("bare-number",))),
    (None, dict(kind="placeholder", raw="")),
    (True, dict(kind="unparseable")),
    (float("nan"), dict(kind="unparseable")),
    (dt.date(2024, 12, 31), dict(kind="date", date=D(2024, 12, 31), deadline=True)),
    (dt.datetime(2024, 12, 31, 0, 0), dict(kind="date", date=D(2024, 12, 31), deadline=True)),
])
def test_cell_values(cell, expected):
    check(parse_value(cell, role="target", year=2024), **expected)


def test_datetime_actual_is_not_a_deadline():
    check(parse_value(dt.datetime(2024, 8, 15), role="actual"), kind="date", date=D(2024, 8, 15), deadline=False)


def test_never_raises():
    odd = ["=E12/F12", "\x00", "≥≥≥", "9" * 400, "1e309", "2024年13月1日", "0月0日", "±", "%", "--5", object()]
    for x in odd:
        v = parse_value(x, role="actual", year=2024)
        assert isinstance(v, Value) and v.kind in {"number", "range", "date", "date_range", "qualitative",
                                                   "placeholder", "unparseable"}


@pytest.mark.parametrize("text,role,shown", [
    (">=95%", T, "≥ 95%"),
    ("<=3.50万元", T, "≤ 3.5万元"),
    (">=1400亿元", T, "≥ 1400亿元"),
    ("=100%", A, "100%"),
    ("2024年12月31日", T, "2024年12月31日前"),
    ("=2024年12月31日", A, "2024年12月31日"),
    ("2024年9月30日-10月30日", T, "2024年9月30日–2024年10月30日"),
    ("≤ ±5%", T, "±5%"),
    ("90%-110%", T, "90%–110%"),
    ("达到预期指标", A, "达成"),
    ("显著推动", T, "显著推动"),
    ("/", A, "—"),
])
def test_describe(text, role, shown):
    assert describe(parse_value(text, role=role, year=2024)) == shown


def test_describe_english():
    assert describe(parse_value("2024年12月31日前", year=2024), "en") == "by 2024-12-31"
    assert describe(parse_value("部分达成", role="actual"), "en") == "partly met"


# --------------------------------------------------------------------------- units

@pytest.mark.parametrize("a,b,result", [
    ("万元", "万元", "same"), ("元", "万元", "same"), ("亿元", "万元", "same"), ("%", "百分比", "same"),
    ("km", "公里", "same"), ("元/人", "元/人", "same"),
    ("场", "场次", "synonym"), ("批", "批次", "synonym"), ("个", "家", "synonym"), ("人", "名", "synonym"),
    ("人", "人次", "synonym"), ("次", "场次", "synonym"), ("天", "日", "synonym"),
    ("辆", "%", "different"), ("万元", "个", "different"), ("个", "辆", "different"), ("元/人", "万元/人", "different"),
    (None, None, "missing_both"), ("", None, "missing_both"), ("%", None, "missing_one"), (None, "个", "missing_one"),
])
def test_compare_units(a, b, result):
    assert compare_units(a, b) == result
    assert compare_units(b, a) == result


@pytest.mark.parametrize("unit,kind", [
    ("%", "percent"), ("百分比", "percent"), ("元", "money"), ("亿元", "money"), ("万元/年", "money_rate"),
    ("元/平方米", "money_rate"), ("人次", "count"), ("批次", "count"), ("公里", "length"), ("平方米", "area"),
    ("工作日", "duration"), ("倍", "ratio"), ("cpm", "other"), ("xyz", "other"), (None, None), ("", None),
])
def test_unit_kind(unit, kind):
    assert unit_kind(unit) == kind


def test_unit_mismatch_of_the_corpus():
    """K6: F1 租赁新能源车 ≥1辆 vs =1%; F7 <=100 vs =100 (no unit on either side)."""
    t, a = parse_value("≥1辆"), parse_value("=1%", role="actual")
    assert compare_units(t.unit, a.unit) == "different"
    t, a = parse_value("<=100"), parse_value("=100", role="actual")
    assert compare_units(t.unit, a.unit) == "missing_both"


# --------------------------------------------------------------------------- the corpus

def _changji_values() -> list[tuple[str, str]]:
    forms = json.loads((CORPUS / "disclosure_changji_2024.forms.json").read_text(encoding="utf-8"))
    roles = {"目标值": T, "预期指标值": T, "业绩值": A, "实际完成指标值": A}
    found: set[tuple[str, str]] = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in roles and isinstance(v, str):
                    found.add((v, roles[k]))
                else:
                    walk(v)
        elif isinstance(o, list):
            for x in o:
                walk(x)
    walk(forms)
    return sorted(found)


@needs_corpus
def test_every_changji_value_parses():
    values = _changji_values()
    assert len(values) > 150        # 目标值/业绩值 of 116 rows + the unit form's 预期/实际
    bad = [(t, r) for t, r in values if parse_value(t, role=r, year=2024).kind == "unparseable"]
    assert bad == []
    kinds = {parse_value(t, role=r, year=2024).kind for t, r in values}
    assert kinds == {"number", "date", "qualitative"}


@needs_corpus
def test_changji_anomaly_values():
    """The values behind K6, K7, K9, K15, K20 of disclosure_changji_2024.anomalies.md."""
    y = 2024
    # K9 F1-3: garbled deadline; F8-2: actual without 日; F9-4: no year; F10-6: = with 前, no year
    check(parse_value("=2024年12月1日前日", year=y), date=D(2024, 12, 1), deadline=True,
          notes=("garbled-date", "eq-deadline"))
    check(parse_value("2024年12月10", role=A, year=y), date=D(2024, 12, 10), notes=("missing-day-char",))
    check(parse_value("11月30日", year=y), date=D(2024, 11, 30), year_given=False, notes=("yearless",))
    check(parse_value("=8月31日前", year=y), date=D(2024, 8, 31), notes=("eq-deadline", "yearless"))
    # K8 F8-1: the late actual is after the deadline
    assert parse_value("2024年12月10", role=A, year=y).date > parse_value("2024年10月30日前", year=y).date
    # K15 F3-1: strict target met by equality
    t, a = parse_value(">100个"), parse_value("=100个", role=A)
    assert t.op == ">" and "strict" in t.notes and a.number == t.number and a.op is None
    # K7 F6-2: qualitative actual for a numeric target of 0
    check(parse_value("=0%"), kind="number", op="=", number=0.0)
    check(parse_value("达到预期指标", role=A), kind="qualitative", level="达成")
    # K20 F1-5: a 控制率 holding money; F7-5: a 时效 indicator holding a percentage
    check(parse_value("<=3.50万元"), unit_kind="money", number=3.5)
    check(parse_value("=3.5万元", role=A), unit_kind="money", number=3.5)
    check(parse_value(">=100%"), kind="number", op=">=", number=1.0)
    # Z1: the unit form's 0.8% vs >=8%
    assert parse_value("0.8%", role=A).number / parse_value(">=8%").number == pytest.approx(0.1)
    # the unit form's 1426.34亿元 vs >=1400亿元 (both in 万元)
    assert parse_value("1426.34亿元", role=A).number / parse_value(">=1400亿元").number == pytest.approx(1.018814, abs=1e-6)


@needs_corpus
def test_nanchang_table_values_parse():
    """指标值 / 实际值 of the 南昌 evaluator table (the 梅州 ones carry transcriber notes, see test_grammar)."""
    doc = json.loads((CORPUS / "report_nanchang_donghu_2022.tables.json").read_text(encoding="utf-8"))
    pairs: list[tuple[str, str]] = []

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == "指标值" and isinstance(v, str):
                    pairs.append((v, T))
                elif k == "实际值" and isinstance(v, str):
                    pairs.append((v, A))
                else:
                    walk(v)
        elif isinstance(o, list):
            for x in o:
                walk(x)
    walk(doc)
    assert pairs
    bad = [p for p in pairs if parse_value(p[0], role=p[1], year=2022).kind == "unparseable"]
    assert bad == []
