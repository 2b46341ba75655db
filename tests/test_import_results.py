"""`kenpo-plans import results.xlsx`: a sheet of KPI results into the results file, rows matched to the plan."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import Workbook

from conftest import PLANS
from kenpo_plans.importing.results_xlsx import column_of
from kenpo_plans.plan.loader import load_plan
from kenpo_plans.results.validate import read_results_file


def _sheet(path, plan, report, numeric: bool):
    """A results sheet as an office keeps it: a title row, header variants, KPI names as the plan words them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "R6実績"
    sheet.append(["令和6年度 ＫＰＩ実績一覧"])
    sheet.append([])
    sheet.append(["ＫＰＩ名", "R6目標", "R6 実績", "全国平均", "全国順位", "評価"])
    kpis = {kpi.id: kpi for _measure, kpi in plan.walk_kpis()}
    for result in report.kpis:
        kpi = kpis[result.id]
        actual = result.actual.text if result.actual else None
        row = [kpi.text, kpi.target_text, actual, None, f"{result.rank}位" if result.rank else "―",
               result.rating_printed]
        sheet.append(row)
        if numeric and result.actual and result.actual.unit == "%" and result.actual.value is not None:
            cell = sheet.cell(row=sheet.max_row, column=3)
            cell.value = float(result.actual.value) / 100
            decimals = len(str(result.actual.value).split(".")[1]) if "." in str(result.actual.value) else 0
            cell.number_format = "0." + "0" * decimals + "%" if decimals else "0%"
    sheet.append(["存在しないＫＰＩの行", "", "12%", "", "", ""])
    book.save(path)
    return path


@pytest.fixture
def kumamoto(tmp_path):
    root = tmp_path / "plans"
    (root / "kumamoto").mkdir(parents=True)
    for name in ("2023.yaml", "2024.yaml", "2023.results.yaml"):
        shutil.copy(PLANS / "kumamoto" / name, root / "kumamoto" / name)
    plan, _warnings = load_plan(PLANS / "kumamoto" / "2024.yaml")
    original, _problems = read_results_file(PLANS / "kumamoto" / "2024.results.yaml")
    return root, plan, original


def test_header_variants():
    assert [column_of(h) for h in ("ＫＰＩ", "KPI名", "指標", "R6目標", "令和6年度実績", "全国 平均", "順位", "全国順位",
                                   "評価", "KPI達成度", "前年度実績")] == [
        "kpi", "kpi", "kpi", "target", "actual", "national_average", "rank", "rank", "rating", "rating", None]


@pytest.mark.parametrize("numeric", [False, True], ids=["text", "numbers"])
def test_excel_results_import_into_a_new_results_file(tmp_path, run, kumamoto, numeric):
    root, plan, original = kumamoto
    report = original.report("year")
    workbook = _sheet(tmp_path / "r.xlsx", plan, report, numeric)
    result = run("import", workbook, "-b", "kumamoto", "-y", "2024", "--period", "year", "--plans-dir", root)
    assert result.code == 0, result
    assert "存在しないＫＰＩの行" in result.out
    imported, problems = read_results_file(root / "kumamoto" / "2024.results.yaml")
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    got = {k.id: k for k in imported.report("year").kpis}
    assert set(got) == {k.id for k in report.kpis}
    for expected in report.kpis:
        mine = got[expected.id]
        assert (mine.actual.value if mine.actual else None) == (expected.actual.value if expected.actual else None)
        assert mine.rank == expected.rank
        assert mine.rating == expected.rating
    assert run("results", "2024", "-b", "kumamoto", "--plans-dir", root, "-f", "json").code == 0


def test_excel_results_merge_into_the_existing_report(tmp_path, run, kumamoto):
    root, plan, original = kumamoto
    shutil.copy(PLANS / "kumamoto" / "2024.results.yaml", root / "kumamoto" / "2024.results.yaml")
    workbook = _sheet(tmp_path / "r.xlsx", plan, original.report("year"), numeric=True)
    refused = run("import", workbook, "-b", "kumamoto", "-y", "2024", "-p", "year", "--plans-dir", root)
    assert refused.code == 1 and "--force" in refused.err
    dry = run("import", workbook, "-b", "kumamoto", "-y", "2024", "-p", "year", "--plans-dir", root, "--dry-run")
    assert dry.code == 0 and "【6年度総括】" in dry.out  # the report's commentary stays
    done = run("import", workbook, "-b", "kumamoto", "-y", "2024", "-p", "year", "--plans-dir", root, "--force")
    assert done.code == 0, done
    merged, problems = read_results_file(root / "kumamoto" / "2024.results.yaml")
    assert not [p for p in problems if p.severity == "error"]
    assert merged.report("year").kpi_scale.marks == original.report("year").kpi_scale.marks
    assert len(list((root.parent / ".kenpo-plans-backup" / "kumamoto").glob("2024.results.yaml.*.bak"))) == 1
    assert not list(root.rglob("*.bak"))  # never where `git add -A` takes it (#31)


def test_excel_without_period_or_header(tmp_path, run, kumamoto):
    root, plan, original = kumamoto
    workbook = _sheet(tmp_path / "r.xlsx", plan, original.report("year"), numeric=False)
    assert "--period" in run("import", workbook, "-b", "kumamoto", "-y", "2024", "--plans-dir", root).err
    empty = tmp_path / "e.xlsx"
    Workbook().save(empty)
    result = run("import", empty, "-b", "kumamoto", "-y", "2024", "-p", "year", "--plans-dir", root)
    assert result.code == 1 and "header" in result.err and "Traceback" not in result.err


def test_the_workbook_results_writes_imports_back_as_the_same_figures(tmp_path, run, kumamoto):
    """An office exports its results to Excel, corrects a figure there and imports the sheet again: the sheet we
    write has 評価 beside 評価の根拠 and 判定の根拠・理由, and 実績 beside 実績（記載）; the importer must read the
    rating from 評価 and say which columns it left aside, not take the last column that starts with a word."""
    root, _plan, original = kumamoto
    shutil.copy(PLANS / "kumamoto" / "2024.results.yaml", root / "kumamoto" / "2024.results.yaml")
    workbook = tmp_path / "exported.xlsx"
    assert run("results", "2024", "-b", "kumamoto", "--plans-dir", root, "-f", "xlsx", "-o", workbook).code == 0
    result = run("import", workbook, "-b", "kumamoto", "-y", "2024", "--period", "q2", "--plans-dir", root)
    assert result.code == 0, result
    assert "評価の根拠" in result.out and "判定の根拠・理由" in result.out  # the columns left aside are named
    imported, problems = read_results_file(root / "kumamoto" / "2024.results.yaml")
    assert not [p for p in problems if p.severity == "error"], [str(p) for p in problems]
    year = {k.id: k for k in original.report("year").kpis}
    q2 = {k.id: k for k in imported.report("q2").kpis}
    assert set(q2) == {kpi_id for kpi_id, k in year.items() if k.actual or k.rating}
    for kpi_id, mine in q2.items():
        assert (mine.actual.value if mine.actual else None) == (year[kpi_id].actual.value if year[kpi_id].actual
                                                                 else None), kpi_id
        assert mine.rating == year[kpi_id].rating and mine.rank == year[kpi_id].rank, kpi_id
