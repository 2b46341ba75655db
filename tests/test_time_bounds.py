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
    "brackets, unclosed": "(" * N + "95%以上",
    "full-width brackets, unclosed": "（" * N + "95％以上",
    "brackets, unclosed after text": "前年度(" * (N // 4),
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


@pytest.mark.parametrize("text", ["(" * 300_000 + "95%以上", "前年度(" * 75_000, "（KPI：" * 60_000])
def test_unclosed_brackets_of_a_long_sentence_cost_linear_time(text):
    start = time.perf_counter()
    parse_target(text)
    assert time.perf_counter() - start < 2.0


def _timed_run(run, *args):
    start = time.perf_counter()
    result = run(*args)
    return result, time.perf_counter() - start


def test_a_kpi_sentence_of_unclosed_brackets_is_read_in_linear_time_by_every_command(run, plans_copy):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("target_text: 92.3%以上", "target_text: " + "（" * 300_000 + "92.3%以上", 1),
                    encoding="utf-8")
    for args in (("validate", plan), ("show", "2024", "-b", "kumamoto", "-f", "json"),
                 ("diff", "2023", "2024", "-b", "kumamoto", "-f", "json")):
        result, seconds = _timed_run(run, *args, *(("--plans-dir", plans_copy) if args[0] != "validate" else ()))
        assert result.code in (0, 1) and "internal error" not in result.err, result
        assert seconds < 5, (args[0], seconds)


def test_validate_prints_many_problems_in_linear_time(run, plans_copy):
    results = plans_copy / "kumamoto" / "2024.results.yaml"
    text = results.read_text(encoding="utf-8")
    many = "".join(f"      - id: no-such-kpi-{i}\n" for i in range(15_000))
    results.write_text(text.replace("    kpis:\n", "    kpis:\n" + many, 1), encoding="utf-8")
    assert results.stat().st_size < 1_000_000
    result, seconds = _timed_run(run, "validate", results)
    assert result.code == 1 and result.err.count("no-such-kpi-") >= 15_000, result
    assert seconds < 5, seconds


def test_a_results_file_of_many_reports_is_refused_fast_and_a_full_year_renders_fast(run, plans_copy, tmp_path):
    results = plans_copy / "kumamoto" / "2024.results.yaml"
    text = results.read_text(encoding="utf-8")
    lines = ["branch: kumamoto", "fiscal_year: 2024", "reports:"]
    lines += [f"  - {{id: r{i}, period: q1, title: 第{i}報}}" for i in range(3000)]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert results.stat().st_size < 1_000_000
    for args in (("validate", results), ("results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "xlsx",
                                         "-o", tmp_path / "many.xlsx")):
        result, seconds = _timed_run(run, *args)
        assert result.code == 1 and "at most" in result.err, result
        assert seconds < 5, seconds
    lines = ["branch: kumamoto", "fiscal_year: 2024", "reports:"]
    lines += [f"  - {{id: r{i}, period: {p}, title: 第{i}報}}" for i, p in enumerate(["q1", "h1", "q3", "year", "q2"] * 2)]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, seconds = _timed_run(run, "results", "2024", "-b", "kumamoto", "--plans-dir", plans_copy, "-f", "xlsx",
                                 "-o", tmp_path / "year.xlsx")
    assert result.code == 0 and seconds < 5, (result, seconds)


def test_sheet_names_stay_unique_in_linear_time():
    from kenpo_plans.render.office.workbook import SheetNames

    names = SheetNames()
    start = time.perf_counter()
    made = [names("上期_ＫＰＩ") for _ in range(20_000)]
    assert time.perf_counter() - start < 1.0
    assert len(set(made)) == len(made) and all(len(name) <= 31 for name in made)


def test_a_pdf_table_cell_of_many_lines_is_joined_in_linear_time():
    """A hostile PDF can set one table cell of tens of thousands of lines: its paragraph is gathered, not rebuilt
    line by line (which took quadratic time in the text's length)."""
    from kenpo_plans.importing.pdf_tables import CellLine, _paragraphs

    lines = [CellLine(800.0 - n * 0.001, 10.5, "長い段落の続き" * 10, short=False) for n in range(60_000)]
    start = time.perf_counter()
    paragraphs = _paragraphs(lines, title=False)
    assert time.perf_counter() - start < 1.0
    assert len(paragraphs) == 1 and len(paragraphs[0][1]) == 60_000 * 70
