"""Time is bounded: every pattern over user text is linear, and the inline diff has a budget."""

from __future__ import annotations

import json
import random
import time

import pytest

from kenpo_plans.diff import textdiff
from kenpo_plans.plan.era import parse_fiscal_year
from kenpo_plans.plan.targets import extract_figures, parse_target
from kenpo_plans.textsafety import visible

N = 60_000
HOSTILE = {
    "spaces after a figure": "査定率を95.4" + " " * N + "x",
    "spaces before a bound": "査定率を" + " " * N + "以上",
    "a run of digits": "1" * N + "x",
    "full-width digits": "１" * N + "％",
    "digits and dots": "1." * (N // 2),
    "commas": "1" + ",000" * (N // 4) + ",00",
    "previous year, repeated": "対前年度(" * (N // 5),
    "previous year and spaces": "前年度" + " " * N + "(" + " " * N,
    "an era and digits": "平成" + "1" * N + "年度",
    "eras, repeated": "令和" * (N // 2),
    "controls": "\x1b" * N,
    "growth words, repeated": "前年度より" * (N // 5),
    "brackets, nested": "(" * (N // 2) + ")" * (N // 2),
    "brackets, many": "(KPI:95%以上)" * (N // 10),
    "ranges, repeated": "1から" * (N // 3),
    "approximate, repeated": "約" * N + "1",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_patterns_over_user_text_take_linear_time(name):
    text = HOSTILE[name]
    for function in (parse_target, extract_figures, textdiff.tokenize, parse_fiscal_year, visible):
        start = time.perf_counter()
        try:
            function(text)
        except ValueError:
            pass  # EraError for an impossible era year is a message, not a hang
        assert time.perf_counter() - start < 1.0, f"{function.__name__} on {name}"


def test_a_long_rewritten_text_is_shown_replaced_whole_within_the_budget():
    random.seed(7)
    chars = "計画保健指導実施率向上推進事業所健康宣言加入者医療費適正化"
    old = "".join(random.choice(chars) for _ in range(6000))
    new = "".join(random.choice(chars) for _ in range(6000))
    start = time.perf_counter()
    segments = textdiff.inline_diff(old, new)
    assert time.perf_counter() - start < 3
    assert textdiff.is_whole(segments)
    assert textdiff.old_text(segments) == old and textdiff.new_text(segments) == new
    assert not textdiff.is_whole(textdiff.inline_diff("障害年金の併給", "障害年金等との併給"))


def test_the_diff_says_when_it_gave_up_comparing_characters(run, plans_copy):
    plan = plans_copy / "kagoshima" / "2019.yaml"
    text = plan.read_text(encoding="utf-8")
    random.seed(3)
    long_title = "".join(random.choice("事業計画推進向上") for _ in range(3000))
    plan.write_text(text.replace("title: サービス水準の向上\n", f"title: {long_title}\n", 1), encoding="utf-8")
    start = time.perf_counter()
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "json")
    assert result.code == 0 and time.perf_counter() - start < 10
    changes = json.loads(result.out)["changes"]
    assert [c["inline"] for c in changes if "inline" in c] == ["whole"]
    text_out = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "text").out
    assert "全体を置き換えとして表示" in text_out
