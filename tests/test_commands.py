"""Each command module as a library: what the CLI calls is callable from Python, on the real plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PLANS
from kenpo_plans.commands import check, compare, diff, kpi, outputs, repository, results, versioning
from kenpo_plans.commands.requests import DiffRequest, OutputRequest
from kenpo_plans.errors import UsageError


def test_check_validates_lists_and_shows():
    report = check.validate([], PLANS)
    assert report.ok and report.error_count == 0
    assert {Path(r.path).name for r in report.reports} >= {"2018.yaml", "2019.yaml", "2024.results.yaml"}
    listed = json.loads(check.list_plans(PLANS, "json"))
    assert ("kagoshima", 2019) in {(row["branch"], row["fiscal_year"]) for row in listed}
    assert check.show(2019, "kagoshima", PLANS).startswith("平成31年度 事業計画")
    assert json.loads(check.show("令和3年度", "kumamoto", PLANS, "json"))["fiscal_year"] == 2021


def test_diff_is_the_one_diff_path():
    result = diff.diff(["2018", "2019"], "kagoshima", PLANS)
    assert result.has_changes and result.new.fiscal_year == 2019
    assert outputs.file_name(outputs.DOCUMENTS["diff"].stem(result), "pdf") == "kagoshima_2018-2019_shinkyu.pdf"
    assert outputs.file_name(outputs.DOCUMENTS["diff"].stem(result), "text") == "kagoshima_2018-2019_shinkyu.txt"
    files = diff.diff([PLANS / "kagoshima" / "2018.yaml", PLANS / "kagoshima" / "2019.yaml"])
    assert files.summary == result.summary


def test_the_diff_command_refuses_what_would_do_nothing(tmp_path):
    as_json = OutputRequest(fmt="json")
    with pytest.raises(UsageError, match="--landscape"):
        compare.compare(DiffRequest(("2018", "2019"), "kagoshima", PLANS,
                                    rendering=OutputRequest(fmt="json", landscape=True)))
    with pytest.raises(UsageError, match="--jobs"):
        compare.compare(DiffRequest(("2018", "2019"), "kagoshima", PLANS, jobs=2, rendering=as_json))
    outcome = compare.compare(DiffRequest(("2018", "2019"), "kagoshima", PLANS, exit_code=True, rendering=as_json))
    assert json.loads(outcome.stdout)["branch"]["id"] == "kagoshima" and outcome.exit_code == 1


def test_outputs_one_format_table():
    assert outputs.file_name("x", "text") == "x.txt" and outputs.file_name("x", "xlsx") == "x.xlsx"
    assert outputs.DOCUMENT_FORMATS == ("pdf", "html", "docx")
    with pytest.raises(UsageError, match="not a format"):
        outputs.check_request(outputs.OutputRequest(fmt="json", output=Path("x.yaml")))
    with pytest.raises(UsageError, match="--format pdf"):
        outputs.check_request(outputs.OutputRequest(fmt="html", output=Path("x.pdf")))


def test_outputs_deliver_prints_text_and_writes_files(tmp_path):
    printed = outputs.deliver("text\n", outputs.OutputRequest(fmt="text"), "x.txt")
    assert printed.stdout == "text\n" and printed.written == []
    written = outputs.deliver(b"%PDF", outputs.OutputRequest(fmt="pdf", output=tmp_path), "x.pdf")
    assert written.written == [tmp_path / "x.pdf"] and (tmp_path / "x.pdf").read_bytes() == b"%PDF"


def test_results_load_and_name():
    evaluated = results.load_report(2021, "yamaguchi", PLANS, "q1")
    assert evaluated.data["report"]["period"] == "q1" and evaluated.data["report"]["period_label"] == "第1四半期"
    assert results.load_results(2021, "yamaguchi", PLANS, "q1") == evaluated.data
    assert outputs.file_name(outputs.DOCUMENTS["results"].stem(evaluated), "pdf") == "yamaguchi_2021_q1_results.pdf"
    assert evaluated.sources[1].endswith("yamaguchi/2021.results.yaml")
    assert [r["report"]["period"] for r in evaluated.every_report()] == ["q1"]  # only a workbook asks for them


def test_kpi_view_of_one_branch_and_its_file_name():
    view = kpi.kpi_view(None, "kumamoto", plans_dir=PLANS)
    assert view["view"] == "branch" and {e["fiscal_year"] for k in view["kpis"] for e in k["years"]} >= {2021, 2024}
    assert outputs.file_name(outputs.DOCUMENTS["kpi"].stem(view), "text") == "kumamoto_kpi.txt"


def test_versioning_new_drafts_next_year(tmp_path):
    plans = tmp_path / "plans"
    (plans / "kagoshima").mkdir(parents=True)
    (plans / "kagoshima" / "2019.yaml").write_bytes((PLANS / "kagoshima" / "2019.yaml").read_bytes())
    said = versioning.new(2020, "kagoshima", plans_dir=plans)
    assert (plans / "kagoshima" / "2020.yaml").is_file() and "2020.yaml" in said


def test_repository_textconv_outlines_plans_and_results():
    assert repository.textconv(str(PLANS / "kagoshima" / "2019.yaml")).startswith("平成31年度 事業計画")
    assert "2024" in repository.textconv(str(PLANS / "kumamoto" / "2024.results.yaml"))


def test_identical_plans_say_so_in_japanese_only(tmp_path):
    plan = PLANS / "kagoshima" / "2019.yaml"
    text = outputs.FORMATS["text"].writers["diff"](diff.diff([plan, plan]), OutputRequest(fmt="text"))
    assert text.splitlines()[1] == "変更なし"
