"""Results files: validation to the plans' standard, the results command, the JSON contract."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, ROOT

RESULTS = FIXTURES / "results"
CONTRACT = json.loads((ROOT / "schemas" / "results.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def with_results(plans_copy):
    """plans/ with the made-up Kagoshima 2019 results beside the real plan."""
    shutil.copy(RESULTS / "kagoshima_2019.results.yaml", plans_copy / "kagoshima" / "2019.results.yaml")
    return plans_copy


def results_json(run, plans, *args):
    result = run("results", "2019", "-b", "kagoshima", "--plans-dir", plans, "-f", "json", *args)
    assert result.code == 0, result
    data = json.loads(result.out)
    jsonschema.Draft202012Validator(CONTRACT).validate(data)
    return data


def by_id(data):
    return {row["id"]: row for row in data["kpis"]}


def test_the_json_follows_the_contract_and_judges_every_kind(run, with_results):
    data = results_json(run, with_results)
    assert data["report"] == {**data["report"], "id": "kekka", "period": "year", "as_of": "令和２年３月末"}
    kpis = by_id(data)
    assert len(kpis) == 21  # every KPI of the plan has its row, reported or not
    assert kpis["hokensho-kaishu-ritsu"]["achieved"] is True
    assert kpis["hokensho-kaishu-ritsu"]["actual"] == {"value": 95.4, "unit": "%", "text": "95.4％", "as_of": None}
    assert kpis["hokensho-kaishu-ritsu"]["national_average"]["value"] is None
    assert kpis["satei-ritsu"]["achieved_basis"] == "previous_year_printed"
    assert kpis["tabui-hinkai-wariai"]["achieved"] is False
    assert kpis["tabui-hinkai-wariai"]["previous"]["rank"] == 3 and kpis["tabui-hinkai-wariai"]["rank"] == 5
    assert kpis["yusoka-ritsu"]["actual"]["value"] == 89.9
    assert (kpis["yusoka-ritsu"]["achieved"], kpis["yusoka-ritsu"]["rating_agrees"]) == (False, False)
    assert kpis["service-standard"]["achieved"] is False
    assert kpis["gendogaku-shiyo-wariai"]["achieved_reason"] == "unit_mismatch"
    assert kpis["kakuninsho-teishutsu-ritsu"]["achieved_reason"] == "pending"
    assert kpis["mieruka-iken-hasshin"]["achieved_reason"] == "qualitative"
    joint = kpis["seikatsu-kenshin-ritsu"]
    assert joint["rating"] == "×" and joint["rating_joint_with"] == ["jigyosha-kenshin-data-ritsu"]
    assert kpis["jigyosha-kenshin-data-ritsu"]["rating_joint_with"] == ["seikatsu-kenshin-ritsu"]
    assert data["measures"] == [{**data["measures"][0], "id": "receipt-tenken", "rating": "○", "kind": "measure",
                                 "activities": [{"marker": "①", "text": "システムを活用した効率的な点検の実施"}]}]
    assert data["summary"]["achieved"] == 2 and data["summary"]["not_achieved"] == 3


def test_a_period_picks_the_report_and_interim_figures_of_accumulating_kpis_are_provisional(run, with_results):
    plan = with_results / "kagoshima" / "2019.yaml"
    # the plan marks the health-check rate accumulates: true (the shared vocabulary implies it, #20)
    assert "- id: seikatsu-kenshin-ritsu\n                accumulates: true" in plan.read_text(encoding="utf-8")
    data = results_json(run, with_results, "--period", "q1")
    row = by_id(data)["seikatsu-kenshin-ritsu"]
    assert data["report"]["period"] == "q1"
    assert (row["achieved"], row["achieved_reason"], row["comparison"]["provisional"]) == (None, "interim", False)
    missing = run("results", "2019", "-b", "kagoshima", "--plans-dir", with_results, "-f", "json", "--period", "h1")
    assert missing.code == 1 and "no report for period 'h1'" in missing.err and "q1 (q1), year (kekka)" in missing.err


def test_last_years_results_file_is_the_first_basis_for_a_previous_year_target(run, with_results):
    shutil.copy(RESULTS / "kagoshima_2018.results.yaml", with_results / "kagoshima" / "2018.results.yaml")
    row = by_id(results_json(run, with_results))["satei-ritsu"]
    assert (row["achieved"], row["achieved_basis"], row["comparison"]["threshold"]) == (
        False, "previous_year_results", 0.31)
    checked = run("validate", with_results / "kagoshima" / "2019.results.yaml")
    assert checked.code == 0, checked
    assert "satei-ritsu] rating ○ (目標達成) disagrees with the computed result 未達成" in checked.out


def test_text_output_has_the_table_and_the_count_line(run, with_results):
    result = run("results", "2019", "-b", "kagoshima", "--plans-dir", with_results, "-f", "text", "--no-color")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0].startswith("事業実施結果（鹿児島支部 平成31年度 年度実績）")
    assert any("95.4％" in line and "○" in line and line.rstrip().endswith("達成") for line in lines)
    assert lines[-1].startswith("達成 2、未達成 3、判定なし 5（ＫＰＩ 21件中 実績あり 10件）")


def test_validate_accepts_good_results_and_warns_on_a_rating_the_figures_contradict(run, with_results):
    result = run("validate", with_results / "kagoshima")
    assert result.code == 0, result
    assert "3 file(s) checked: 3 ok, 0 with errors; 0 error(s), 0 warning(s)" in result.out
    # yusoka-ritsu rests on judgement: no warning; a rating with no basis that the figures contradict warns.
    path = with_results / "kagoshima" / "2019.results.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("        rating_basis: judgement\n", ""), encoding="utf-8")
    result = run("validate", with_results / "kagoshima")
    assert result.code == 0
    warning = [line for line in result.out.splitlines() if "yusoka-ritsu" in line]
    assert len(warning) == 1 and ":37:9: warning:" in warning[0] and "rating_basis: judgement" in warning[0]
    assert run("validate", with_results / "kagoshima", "--strict").code == 1


BAD = [
    ("unknown KPI id with a suggestion", ("- id: service-standard", "- id: service-standrd"),
     ":41:9: error:", "has no KPI 'service-standrd'. Did you mean 'service-standard'?"),
    ("rating off the scale", ("rating: ×\n      - id: yusoka", "rating: C\n      - id: yusoka"),
     ":36:17: error:", "rating 'C' is not on the 達成状況 scale"),
    ("a KPI rated alone and jointly", ("kpis: [seikatsu-kenshin-ritsu, jigyosha", "kpis: [hokensho-kaishu-ritsu, jigyosha"),
     ":51:9: error:", "has its own rating (line 24) and a joint rating"),
    ("two figures and no value", ('{text: "89.9％ ＜前年 80.0％＞", value: 89.9}', '"89.9％ ＜前年 80.0％＞"'),
     ":38:17: error:", "prints several figures (89.9、80.0); say which one is meant with `value:`"),
    ("value not in the text", ("value: 89.9}", "value: 98.9}"), ":38:24: error:",
     "value: 98.9 does not appear in the printed text"),
    ("unknown measure id", ("- id: receipt-tenken", "- id: receipt-tenkn"), ":54:9: error:",
     "no measure or item with id 'receipt-tenkn'. Did you mean 'receipt-tenken'?"),
    ("typo in a key", ("national_average:", "national_avarage:"), ":26:27: error:",
     "unknown key 'national_avarage'. Did you mean 'national_average'?"),
    ("fiscal year against the file name", ("fiscal_year: 2019", "fiscal_year: 2018"), ":3:1: error:",
     "fiscal_year is 2018 but the file is named 2019.results.yaml"),
    ("duplicate report id", ("  - id: q1\n", "  - id: kekka\n"), ":12:5: error:", "duplicate report id 'kekka'"),
    ("rating with no scale", ("title: 進捗（第1四半期）\n", "title: 進捗（第1四半期）\n    measures: [{id: receipt-tenken, rating: ○}]\n"),
     ":9:45: error:", "declares no rating scale"),
    ("a figure that is a list", ("actual: 95.4％", "actual: [95.4]"), ":25:9: error:",
     "expected text as printed (e.g. 65.8％) or a mapping"),
]


@pytest.mark.parametrize("case, edit, where, message", BAD, ids=[case[0] for case in BAD])
def test_each_bad_results_file_gets_one_located_message_and_exit_1(run, with_results, case, edit, where, message):
    path = with_results / "kagoshima" / "2019.results.yaml"
    original = path.read_text(encoding="utf-8")
    assert edit[0] in original
    path.write_text(original.replace(edit[0], edit[1], 1), encoding="utf-8")
    for args in (("validate", path), ("results", "2019", "-b", "kagoshima", "--plans-dir", with_results, "-f", "json")):
        result = run(*args)
        assert result.code == 1, result
        assert "Traceback" not in result.err + result.out
        shown = result.out + result.err
        assert f"2019.results.yaml{where}" in shown and message in shown, shown


def test_results_without_a_plan_and_results_that_do_not_exist(run, with_results):
    orphan = with_results / "kagoshima" / "2017.results.yaml"
    orphan.write_text((RESULTS / "kagoshima_2018.results.yaml").read_text(encoding="utf-8")
                      .replace("2018", "2017"), encoding="utf-8")
    result = run("validate", orphan)
    assert result.code == 1 and "there is no plan" in result.out + result.err
    missing = run("results", "2018", "-b", "kagoshima", "--plans-dir", with_results, "-f", "text")
    assert missing.code == 1 and "no results for kagoshima 2018" in missing.err and "2019.results.yaml" in missing.err


def test_list_shows_the_reports_beside_each_plan(run, with_results):
    result = run("list", "--plans-dir", with_results)
    line = next(line for line in result.out.splitlines() if " 2019 " in line and "kagoshima" in line)
    assert line.endswith("実績: 第1四半期・年度実績")
    rows = json.loads(run("list", "--plans-dir", with_results, "-f", "json").out)
    assert [r["reports"] for r in rows if r["branch"] == "kagoshima"] == [[], ["q1", "year"]]


def test_textconv_outlines_results_by_id(run, with_results):
    result = run("textconv", with_results / "kagoshima" / "2019.results.yaml")
    assert result.code == 0
    # by the plan's words, not ids (#20, point 9: what `git log -p` shows a reader)
    lines = result.out.splitlines()
    assert "  ＫＰＩ 日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とす…: 実績 95.4％ 全国平均 （未集計） " \
           "評価 ○" in lines
    assert "  共通評価 生活習慣病予防健診実施率を53.0％以上とする。・事業者健診データ取得率を11.0％以上とする。: ×" in lines
    assert "hokensho-kaishu-ritsu" not in result.out


def test_every_results_file_declares_its_schema_for_editors():
    for path in [*(ROOT / "plans").glob("*/*.results.yaml"), *RESULTS.glob("*.results.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/results-file.schema.json", path


def test_diff_does_not_call_what_an_excerpt_plan_lacks_a_deletion_or_an_addition(run, plans_copy):
    old = plans_copy / "kagoshima" / "2018.yaml"
    text = old.read_text(encoding="utf-8")
    old.write_text(text.replace("status: final\n", "status: final\nexcerpt:\n  source: 平成30年度事業実施結果\n", 1),
                   encoding="utf-8")
    data = json.loads(run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "json").out)
    kinds = {kind for change in data["changes"] for kind in change["kinds"]}
    assert "added" not in kinds and "not_in_old" in kinds
    assert data["summary"]["by_kind"]["not_in_old"] >= 6  # the six measures 2019 added (test_kagoshima)
    assert data["summary"]["kpi_targets"]["added"] == 0  # the new 一社応札 KPI is not called new either
    text_out = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", plans_copy, "-f", "text").out
    summary = text_out.split("\n\n")[0]
    assert "旧資料に記載なし 56" in summary and not re.search("新設 [1-9]", summary)
