"""Broken copies of the real Kagoshima plan: each fault gives a located, plain message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kenpo_plans.errors import ValidationFailed
from kenpo_plans.plan.validate import check_file, check_text
from kenpo_plans.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
REAL = (ROOT / "plans" / "kagoshima" / "2019.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing needle."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def mutate(old: str, new: str, count: int = 1, text: str = REAL) -> str:
    assert old in text, old
    return text.replace(old, new, count)


def write_plan(tmp_path: Path, text: str, branch: str = "kagoshima", year: int = 2019) -> Path:
    path = tmp_path / "plans" / branch / f"{year}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list:
    return check_file(path).errors


def test_real_plans_are_valid():
    for year in (2018, 2019):
        report = check_file(ROOT / "plans" / "kagoshima" / f"{year}.yaml")
        assert report.ok, [str(p) for p in report.problems]
        assert report.warnings == []


def test_key_typo_names_line_and_suggests_the_key(tmp_path):
    text = mutate("    measures:", "    mesures:")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert error.line == line_of(text, "mesures:")
    assert error.column == 5
    assert "unknown key 'mesures'" in error.message
    assert "Did you mean 'measures'?" in error.message
    assert error.path == "sections[0].mesures"


def test_bad_indentation_is_a_located_syntax_error(tmp_path):
    text = mutate("        title: 現金給付の適正化の推進", "          title: 現金給付の適正化の推進")
    (error,) = errors_of(write_plan(tmp_path, text))
    bad_line = line_of(text, "title: 現金給付の適正化の推進")
    assert error.file.endswith("2019.yaml") and error.line == bad_line
    assert str(error).split(": error:")[0].endswith(f"2019.yaml:{bad_line}:{error.column}")
    assert "YAML syntax error" in error.message
    assert "indent" in error.message or "':'" in error.message


def test_duplicate_id_points_at_the_second_use(tmp_path):
    text = mutate("- id: judo-seifuku", "- id: receipt-tenken")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert "duplicate id 'receipt-tenken'" in error.message
    assert error.line == line_of(text, "id: receipt-tenken", 2)
    assert f"first used at line {line_of(text, 'id: receipt-tenken', 1)}" in error.message


def test_wrong_type_says_what_was_expected(tmp_path):
    text = mutate("fiscal_year: 2019", "fiscal_year: 二〇一九")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert error.line == line_of(text, "fiscal_year:")
    assert error.path == "fiscal_year"
    assert "expected a whole number" in error.message


def test_scalar_where_a_list_belongs(tmp_path):
    text = mutate("groups: [業務G]", "groups: 業務G")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert error.line == line_of(text, "groups: 業務G")
    assert "expected a list" in error.message


def test_unknown_group_suggests_the_known_one(tmp_path):
    text = mutate("groups: [業務G]", "groups: [業務Ｇ]")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert "is not allowed" in error.message and "企画総務G" in error.message


def test_missing_required_key(tmp_path):
    text = mutate("        title: 現金給付の適正化の推進\n", "")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert "missing required key 'title'" in error.message
    assert error.line == line_of(text, "- id: genkin-kyufu")


def test_every_problem_is_collected_in_one_run(tmp_path):
    text = mutate("    measures:", "    mesures:")
    text = mutate("status: draft", "status: 案", text=text)
    text = mutate("fiscal_year: 2019", "fiscal_year: '2019'", text=text)
    errors = errors_of(write_plan(tmp_path, text))
    assert len(errors) == 3
    assert [e.line for e in errors] == sorted(e.line for e in errors)


def test_year_and_branch_must_match_the_path(tmp_path):
    path = write_plan(tmp_path, REAL, branch="kumamoto", year=2020)
    messages = [e.message for e in errors_of(path)]
    assert any("fiscal_year is 2019 but the file is named 2020.yaml" in m for m in messages)
    assert any("branch.id is 'kagoshima' but the file is in plans/kumamoto/" in m for m in messages)


def test_title_era_year_must_match_fiscal_year(tmp_path):
    text = mutate("title: 平成31年度 事業計画", "title: 平成30年度 事業計画")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert "names fiscal year 2018 but fiscal_year is 2019" in error.message


def test_reiwa_option_for_2019(tmp_path):
    text = mutate("status: draft", "status: draft\nera: reiwa")
    text = mutate("title: 平成31年度", "title: 令和元年度", text=text)
    plan, warnings = load_plan(write_plan(tmp_path, text))
    assert plan.year_label == "令和元年度"


def test_declared_target_mismatch_is_an_error(tmp_path):
    text = mutate("を95.4％以上とする。\n", "を95.4％以上とする。\n            target: {relation: ge, value: 95.0, unit: '%'}\n")
    (error,) = errors_of(write_plan(tmp_path, text))
    assert "target: says ≥ 95.0% but the KPI text says ≥ 95.4%" in error.message


def test_declared_target_that_agrees_is_accepted(tmp_path):
    text = mutate(
        "を95.4％以上とする。\n",
        "を95.4％以上とする。\n            target: {relation: ge, value: 95.4, unit: '%'}\n",
    )
    assert check_file(write_plan(tmp_path, text)).ok


def test_unreadable_kpi_target_is_a_warning_not_an_error(tmp_path):
    text = mutate("を95.4％以上とする。", "をできるだけ高める。")
    report = check_file(write_plan(tmp_path, text))
    assert report.ok
    (warning,) = report.warnings
    assert warning.line == line_of(text, "をできるだけ高める")
    assert "no numeric target" in warning.message


def test_load_plan_raises_one_error_listing_all(tmp_path):
    text = mutate("    measures:", "    mesures:")
    with pytest.raises(ValidationFailed) as info:
        load_plan(write_plan(tmp_path, text))
    assert "unknown key 'mesures'" in str(info.value)
    assert "1 error(s)" in str(info.value)


def test_check_text_without_a_file():
    report = check_text("branch: {id: x}\n")
    assert not report.ok
    assert any("missing required key" in p.message for p in report.problems)


def test_a_folder_is_searched_for_plan_and_results_files_only(tmp_path, run):
    """A planning repository holds other YAML (.pre-commit-config.yaml, CI files) and hidden folders."""
    import shutil

    from conftest import PLANS

    repo = tmp_path / "repo"
    shutil.copytree(PLANS / "kumamoto", repo / "plans" / "kumamoto")
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (repo / "ci.yml").write_text("jobs: {}\n", encoding="utf-8")
    (repo / ".kenpo-plans-backup" / "kumamoto").mkdir(parents=True)
    (repo / ".kenpo-plans-backup" / "kumamoto" / "2024.yaml").write_text("broken: [\n", encoding="utf-8")
    result = run("validate", repo)
    assert result.code == 0, result
    checked = len(list((repo / "plans" / "kumamoto").glob("*.yaml")))
    assert f"{checked} file(s) checked: {checked} ok" in result.out
