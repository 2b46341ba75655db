"""Achievement: the actual against the plan's own target, in exact decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kenpo_plans.plan.model import Kpi
from kenpo_plans.results.achievement import joint_achieved, judge
from kenpo_plans.results.model import Printed, normalize_mark


def kpi(text, **flags):
    return Kpi(id="k", text=text, **flags)


def printed(text, value, unit="%"):
    return Printed(text, Decimal(value), unit)


@pytest.mark.parametrize("text, actual, expected", [
    ("ジェネリック医薬品使用割合：年度末時点の対前年度（82.8%）以上", "82.8", True),  # equal meets 以上
    ("…を95.4％以上とする。", "95.39", False),
    ("…を95.4％以上とする。", "95.40", True),
    ("…割合について、20％以下とする。", "20.0", True),
    ("…割合について、20％以下とする。", "20.1", False),
    ("…を0.3％未満とする。", "0.3", False),
    ("…を0.3％超とする。", "0.3", False),
    ("…を0.3％超とする。", "0.31", True),
])
def test_relations_are_applied_as_written_on_exact_decimals(text, actual, expected):
    assert judge(kpi(text), printed(actual, actual)).achieved is expected


def test_float_noise_never_decides():
    # 0.1 + 0.2 != 0.3 in binary floating point; printed decimals compare exactly.
    assert judge(kpi("…を0.3％以上とする。"), printed("0.30", "0.30")).achieved is True


@pytest.mark.parametrize("direction, actual, expected", [
    ("higher", "3325", True), ("higher", "2929", False), ("lower", "2929", True), (None, "2930", True),
    (None, "2931", False),
])
def test_a_bare_figure_is_read_in_the_kpis_direction(direction, actual, expected):
    k = kpi("健康宣言事業所数", target_text="2,930事業所", direction=direction)
    assert judge(k, printed(actual, actual, "事業所")).achieved is expected


def test_a_bare_percentage_without_direction_must_be_met_exactly():
    k = kpi("サービススタンダードの達成状況：100%")
    assert judge(k, printed("99.99%", "99.99")).achieved is False
    assert judge(k, printed("100％", "100")).achieved is True


def test_previous_year_basis_prefers_last_years_results_then_the_quoted_figure_then_the_printed_one():
    quoted = kpi("査定率：対前年度（0.359%）以上")
    unquoted = kpi("査定率について対前年度以上とする")
    actual = printed("0.363%", "0.363")
    from_file = printed("0.370%", "0.370")
    from_report = printed("0.332%", "0.332")
    assert judge(quoted, actual, previous_results=from_file).basis == "previous_year_results"
    assert judge(quoted, actual, previous_results=from_file).achieved is False
    assert judge(quoted, actual, previous_printed=from_report).basis == "previous_year_quoted"
    assert judge(quoted, actual, previous_printed=from_report).threshold == Decimal("0.359")
    result = judge(unquoted, actual, previous_printed=from_report)
    assert (result.basis, result.achieved, result.threshold) == ("previous_year_printed", True, Decimal("0.332"))
    assert judge(unquoted, actual).reason == "no_previous"


@pytest.mark.parametrize("flags, reason", [
    ({"qualitative": True}, "qualitative"), ({"per_branch": True}, "per_branch"), ({"compound": True}, "compound"),
])
def test_targets_that_one_figure_cannot_judge_are_not_judged(flags, reason):
    result = judge(kpi("…を80％以上とする。", **flags), printed("81%", "81"))
    assert (result.achieved, result.reason) == (None, reason)


def test_missing_actual_pending_units_and_no_target():
    k = kpi("…を92.7％以上とする。")
    assert judge(k, None).reason == "no_actual"
    assert judge(k, None, pending=True).reason == "pending"
    assert judge(k, Printed("実施", None, None)).reason == "no_actual"
    assert judge(k, printed("93件", "93", "件")).reason == "unit_mismatch"
    assert judge(kpi("効果的な意見発信を実施する。"), printed("1", "1")).reason == "no_target"
    assert judge(k, printed("93.0％", "93.0", "％")).achieved is True  # ％ and % are one unit


def test_an_interim_figure_of_an_accumulating_kpi_is_provisional():
    k = kpi("生活習慣病予防健診実施率を58.5％以上とする", accumulates=True)
    result = judge(k, printed("21.5%", "21.5"), interim=True)
    assert (result.achieved, result.reason, result.provisional) == (None, "interim", False)
    assert judge(k, printed("59.0%", "59.0"), interim=False).achieved is True
    ratio = kpi("郵送化率を95％以上とする")
    assert judge(ratio, printed("95.3%", "95.3"), interim=True).achieved is True


def test_a_joint_rating_stands_for_all_its_kpis():

    met = judge(kpi("…を1%以上とする"), printed("2", "2"))
    missed = judge(kpi("…を1%以上とする"), printed("0", "0"))
    unknown = judge(kpi("…を1%以上とする"), None)
    assert joint_achieved([met, met]) is True
    assert joint_achieved([met, missed]) is False
    assert joint_achieved([met, unknown]) is None


@pytest.mark.parametrize("printed_mark, key", [("Ａ", "A"), ("ｂ", "b"), ("◎", "◎"), ("○", "○"), ("×", "×"),
                                               ("―", "-"), ("－", "-"), (" B ", "B")])
def test_rating_marks_are_normalised(printed_mark, key):
    assert normalize_mark(printed_mark) == key
