"""The command line as a planning officer uses it: real plans, real exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_validate_all_plans_in_the_plans_directory(run):
    result = run("validate", "--plans-dir", ROOT / "plans")
    assert result.code == 0, result
    files = len(list((ROOT / "plans").glob("*/*.yaml")))
    assert f"{files} file(s) checked: {files} ok, 0 with errors" in result.out


def test_validate_reports_every_problem_and_exits_1(run, plans_copy):
    path = plans_copy / "kagoshima" / "2019.yaml"
    text = path.read_text(encoding="utf-8").replace("    measures:", "    mesures:", 1).replace("status: draft", "status: 案")
    path.write_text(text, encoding="utf-8")
    result = run("validate", plans_copy / "kagoshima")
    assert result.code == 1
    assert "unknown key 'mesures'" in result.err and "Did you mean 'measures'?" in result.err
    assert "'案' is not allowed; use one of draft, final" in result.err
    assert f"{path}:" in result.err
    assert "1 ok, 1 with errors; 2 error(s)" in result.err
    assert "Traceback" not in result.err


def test_validate_named_files(run):
    result = run("validate", ROOT / "plans" / "kagoshima" / "2018.yaml")
    assert result.code == 0 and "1 file(s) checked" in result.out


def test_validate_missing_file_is_a_problem_not_a_crash(run, tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.code == 1 and "no such file" in result.err


def test_list(run):
    result = run("list", "--plans-dir", ROOT / "plans")
    assert result.code == 0
    lines = result.out.splitlines()
    assert any("kagoshima" in l and "2018" in l and "平成30年度" in l and "確定" in l for l in lines)
    assert any("kagoshima" in l and "2019" in l and "平成31年度" in l and "案" in l for l in lines)


def test_list_json(run):
    rows = json.loads(run("list", "--plans-dir", ROOT / "plans", "--format", "json").out)
    kagoshima = {(r["branch"], r["fiscal_year"], r["status"], r["status_label"]) for r in rows
                 if r["branch"] == "kagoshima"}
    assert kagoshima == {("kagoshima", 2018, "final", "確定"), ("kagoshima", 2019, "draft", "案")}
    assert all(r["valid"] for r in rows) and len(rows) == len(list((ROOT / "plans").glob("*/[0-9][0-9][0-9][0-9].yaml")))


def test_show_outline(run, kagoshima):
    result = run("show", "2019", "--branch", "kagoshima", "--plans-dir", ROOT / "plans")
    assert result.code == 0
    out = result.out
    assert out.startswith("平成31年度 事業計画（鹿児島支部）（案）  資料 2-3")
    assert "④あんまマッサージ指圧・鍼灸施術療養費の適正化の推進【業務G】" in out
    assert "を95.4％以上とする。  → 95.4%以上" in out
    for _, kpi in kagoshima[2019].walk_kpis():
        assert kpi.text in out
    for measure in kagoshima[2019].walk_measures():
        for item in measure.own_items():
            assert item.text in out


@pytest.mark.parametrize("year", ["平成31年度", "H31", "令和元年度", "R1", "２０１９"])
def test_show_accepts_era_years(run, year):
    result = run("show", year, "-b", "kagoshima", "--plans-dir", ROOT / "plans")
    assert result.code == 0 and "平成31年度 事業計画" in result.out


def test_show_json_has_parsed_targets(run):
    data = json.loads(run("show", "2019", "-b", "kagoshima", "--plans-dir", ROOT / "plans", "-f", "json").out)
    assert data["fiscal_year_label"] == "平成31年度"
    kiban = data["sections"][0]
    kpi = kiban["measures"][4]["kpis"][0]
    assert kpi["id"] == "hokensho-kaishu-ritsu"
    assert kpi["target"] == {"relation": "ge", "value": 95.4, "unit": "%", "basis": "absolute"}
    kenshin = data["sections"][1]["measures"][1]["measures"][0]
    assert kenshin["targets"][0]["figures"][0] == {"value": 55.5, "unit": "%", "text": "55.5"}


def test_unknown_branch_suggests_the_nearest(run):
    result = run("show", "2019", "-b", "kagosima", "--plans-dir", ROOT / "plans")
    assert result.code == 1
    assert "no branch 'kagosima'" in result.err and "Did you mean 'kagoshima'?" in result.err
    assert "Traceback" not in result.err


def test_unknown_year_lists_the_years(run):
    result = run("show", "2020", "-b", "kagoshima", "--plans-dir", ROOT / "plans")
    assert result.code == 1
    assert "令和2年度" in result.err and "2018 (平成30年度), 2019 (平成31年度)" in result.err
    assert "Did you mean 2019?" in result.err


def test_unreadable_year(run):
    result = run("show", "next", "-b", "kagoshima", "--plans-dir", ROOT / "plans")
    assert result.code == 1 and "is not a fiscal year" in result.err


def test_missing_plans_directory(run, tmp_path):
    result = run("list", "--plans-dir", tmp_path / "none")
    assert result.code == 1
    assert "does not exist" in result.err and "KENPO_PLANS_DIR" in result.err


def test_plans_dir_from_environment(run, monkeypatch, plans_copy):
    monkeypatch.setenv("KENPO_PLANS_DIR", str(plans_copy))
    monkeypatch.chdir(plans_copy.parent)
    result = run("list")
    assert result.code == 0 and "kagoshima" in result.out


def test_invalid_plan_shown_with_located_errors(run, plans_copy):
    path = plans_copy / "kagoshima" / "2019.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fiscal_year: 2019", "fiscal_year: x"), encoding="utf-8")
    result = run("show", "2019", "-b", "kagoshima", "--plans-dir", plans_copy)
    assert result.code == 1
    assert f"{path}:9:14" in result.err and "expected a whole number" in result.err


def _console(*args, env=None):
    return subprocess.run([sys.executable, "-m", "kenpo_plans", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=60)


def test_debug_shows_the_traceback_and_plain_run_does_not():
    plain = _console("show", "2019", "-b", "nowhere", "--plans-dir", ROOT / "plans")
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    debug = _console("--debug", "show", "2019", "-b", "nowhere", "--plans-dir", ROOT / "plans")
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "PlanNotFound" in debug.stderr


def test_help_lists_the_commands():
    result = _console("--help")
    assert result.returncode == 0
    for command in ("validate", "list", "show"):
        assert command in result.stdout
