"""The four paper cuts a new user met (#27 point 6): the tab hint in Japanese for every wording of the parser,
outputs never left where git takes them, the plans folder named when it is not ./plans, and --branch given
as the branch's Japanese name."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import PLANS


@pytest.mark.parametrize("old, new", [
    ("\n    title: 基盤的保険者機能関係", "\n\ttitle: 基盤的保険者機能関係"),  # "found a tab character that violates…"
    ("\n        title: 現金給付の適正化の推進", "\n      \t  title: 現金給付の適正化の推進"),
    ("title: 平成31年度 事業計画（鹿児島支部）", "title: 平成31年度 事業計画（鹿児島支部）\n\t- x"),  # "cannot start any token"
])
def test_a_tab_in_the_indentation_gets_the_japanese_hint(run, plans_copy, monkeypatch, old, new):
    path = plans_copy / "kagoshima" / "2019.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("LANGUAGE", "ja")
    result = run("validate", path)
    assert result.code == 1
    assert "タブ" in result.out + result.err, result


@pytest.mark.slow
def test_outputs_written_anywhere_in_a_new_repository_are_ignored_by_git(run, tmp_path):
    assert run("init", tmp_path).code == 0
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    names = ["fukuoka_2018-2019_shinkyu.pdf", "fukuoka_2019_plan.docx", "fukuoka_2019_plan.html",
             "fukuoka_2024_year_results.xlsx", "fukuoka_kpi.svg", "fukuoka_kpi.png", "fukuoka_kpi.json"]
    places = [f"plans/fukuoka/{name}" for name in names] + [f"notes/{name}" for name in names] + names
    kept = ["plans/fukuoka/2019.yaml", "plans/fukuoka/2019.results.yaml", "schemas/plan.schema.json"]
    ignored = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "--no-index", *places, *kept],
                             capture_output=True, text=True).stdout.split()
    assert sorted(ignored) == sorted(places)


def test_the_plans_folder_is_named_when_found_above(run, tmp_path, monkeypatch):
    import shutil

    shutil.copytree(PLANS / "kagoshima", tmp_path / "plans" / "kagoshima")
    monkeypatch.delenv("KENPO_PLANS_DIR", raising=False)
    monkeypatch.chdir(tmp_path / "plans" / "kagoshima")
    result = run("list")
    assert result.code == 0 and str(tmp_path / "plans") in result.err, result
    monkeypatch.chdir(tmp_path)
    assert str(tmp_path / "plans") not in run("list").err  # ./plans goes without saying


@pytest.mark.parametrize("name", ["鹿児島支部", "鹿児島"])
def test_branch_by_its_japanese_name_is_pointed_at_its_slug(run, plans_copy, name):
    result = run("show", "2019", "--branch", name, "-f", "json", "--plans-dir", plans_copy)
    assert result.code == 0 and '"kagoshima"' in result.out or \
        (result.code == 1 and "--branch kagoshima" in result.err), result
