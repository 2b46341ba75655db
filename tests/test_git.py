"""Plans in real temporary git repositories: revisions, roll forward, history, git integration."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow,  # git end to end: real repositories, commits and git calling our driver
              pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]

KPI_OLD = "保険証回収率を95.4％以上とする。"
KPI_NEW = "保険証回収率を95.6％以上とする。"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "企画総務G 担当", "GIT_AUTHOR_EMAIL": "kikaku@example.jp",
           "GIT_COMMITTER_NAME": "企画総務G 担当", "GIT_COMMITTER_EMAIL": "kikaku@example.jp",
           "GIT_AUTHOR_DATE": "2019-02-01T10:00:00", "GIT_COMMITTER_DATE": "2019-02-01T10:00:00"}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """plans/kagoshima with three commits, two tags, a branch, and an uncommitted edit."""
    repo = tmp_path / "planning"
    (repo / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "plans" / "kagoshima", repo / "plans" / "kagoshima")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "平成31年度計画 初版")
    git(repo, "tag", "v2019-draft1")
    plan = repo / "plans" / "kagoshima" / "2019.yaml"
    edit(plan, KPI_OLD, KPI_NEW)
    git(repo, "commit", "-q", "-am", "保険証回収率の目標を見直し")
    git(repo, "branch", "review")
    edit(plan, "status: draft", "status: final")
    git(repo, "commit", "-q", "-am", "評議会承認")
    git(repo, "tag", "v2019-final")
    edit(plan, "title: サービス水準の向上", "title: サービス水準の更なる向上")
    return repo


def test_revision_against_working_tree(repo, run):
    result = run("diff", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans", "--rev", "HEAD~1", "-f", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    assert data["old"]["revision"]["rev"] == "HEAD~1" and data["old"]["revision"]["subject"] == "保険証回収率の目標を見直し"
    assert data["new"]["revision"] == {"rev": "working tree"}
    kinds = {(c["node"], c["kind"]) for c in data["changes"]}
    assert ("measure", "renamed") in kinds
    assert data["metadata"]["status"] == {"old": "draft", "new": "final"}


def test_range_between_two_tags(repo, run):
    result = run("diff", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans", "--rev", "v2019-draft1..v2019-final",
                 "-f", "text", "--no-color")
    assert result.code == 0, result
    assert "[引上げ・厳格化] 95.4%以上 → 95.6%以上 (+0.2 pt)" in result.out
    assert "サービス水準の更なる向上" not in result.out  # the working tree is not part of a range


def test_both_years_at_one_tag(repo, run):
    at_tag = json.loads(run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans",
                            "--rev", "v2019-draft1", "-f", "json").out)
    plain = json.loads(run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", ROOT / "plans", "-f", "json").out)
    assert at_tag["summary"] == plain["summary"]
    assert at_tag["old"]["revision"]["rev"] == at_tag["new"]["revision"]["rev"] == "v2019-draft1"


def test_revision_document_title_names_both_revisions(repo, run, tmp_path):
    out = tmp_path / "r.html"
    result = run("diff", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans", "--rev", "v2019-draft1..review",
                 "-f", "html", "-o", out)
    assert result.code == 0, result
    html = out.read_text(encoding="utf-8")
    assert "<title>平成31年度 事業計画（鹿児島支部）変更対照表</title>" in html
    # the columns name what the user typed (a tag, a branch), not only a hash
    assert "新（review (2019-02-01)）" in html and "旧（v2019-draft1 (2019-02-01)）" in html
    hashed = tmp_path / "h.html"
    short = git(repo, "rev-parse", "--short", "HEAD~1").strip()
    assert run("diff", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans", "--rev", "HEAD~1", "-f", "html",
               "-o", hashed).code == 0
    assert f"旧（{short} (2019-02-01)）" in hashed.read_text(encoding="utf-8")


def test_unknown_revision_lists_branches_and_tags(repo, run):
    result = run("diff", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans", "--rev", "v2020", "-f", "text")
    assert result.code == 1
    assert "revision 'v2020' does not exist" in result.err and "v2019-final" in result.err and "review" in result.err


def test_plan_missing_at_revision(repo, run):
    shutil.copy(repo / "plans" / "kagoshima" / "2019.yaml", repo / "plans" / "kagoshima" / "2020.yaml")
    edit(repo / "plans" / "kagoshima" / "2020.yaml", "fiscal_year: 2019", "fiscal_year: 2020")
    edit(repo / "plans" / "kagoshima" / "2020.yaml", "平成31年度 事業計画", "令和2年度 事業計画")
    result = run("diff", "2020", "-b", "kagoshima", "--plans-dir", repo / "plans", "--rev", "v2019-final", "-f", "text")
    assert result.code == 1
    assert "plans/kagoshima/2020.yaml does not exist at" in result.err and "評議会承認" in result.err


def test_not_a_git_repository(tmp_path, run):
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    result = run("diff", "2019", "-b", "kagoshima", "--plans-dir", tmp_path / "plans", "--rev", "HEAD", "-f", "text")
    assert result.code == 1 and "is not inside a git repository" in result.err


def test_works_from_a_subdirectory(repo, run, monkeypatch):
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    monkeypatch.delenv("KENPO_PLANS_DIR", raising=False)
    result = run("diff", "2019", "-b", "kagoshima", "--rev", "HEAD", "-f", "text", "--no-color")
    assert result.code == 0, result
    assert "サービス水準の{+更なる+}向上" in result.out


def test_plans_dir_elsewhere(repo, run, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("log", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans")
    assert result.code == 0, result


def test_log_newest_first_with_semantic_summaries(repo, run):
    result = run("log", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans")
    assert result.code == 0, result
    lines = result.out.splitlines()
    subjects = [line.split("  ", 1)[1] for line in lines[0::2]]
    assert subjects == ["評議会承認", "保険証回収率の目標を見直し", "平成31年度計画 初版"]
    assert "企画総務G 担当" in lines[0] and "2019-02-01" in lines[0]
    summaries = [line.strip() for line in lines[1::2]]
    assert summaries[0] == "状態 案→確定"
    assert summaries[1] == "KPI目標 1件引上げ、ＫＰＩ 1件修正"
    assert summaries[2].startswith("新規作成（施策 26件、ＫＰＩ 21件）")


def test_log_of_an_uncommitted_plan(repo, run):
    shutil.copy(repo / "plans" / "kagoshima" / "2018.yaml", repo / "plans" / "kagoshima" / "2017.yaml")
    result = run("log", "2017", "-b", "kagoshima", "--plans-dir", repo / "plans")
    assert result.code == 1 and "has no commits yet" in result.err


# --- roll forward --------------------------------------------------------------------------


def test_new_rolls_forward_byte_for_byte(repo, run):
    plans = repo / "plans"
    result = run("new", "2020", "-b", "kagoshima", "--plans-dir", plans)
    assert result.code == 0, result
    old = (plans / "kagoshima" / "2019.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    new = (plans / "kagoshima" / "2020.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    header = {"fiscal_year", "title", "status", "document", "  number"}
    strip = [line for line in old if line.split(":")[0] not in header]
    assert [line for line in new if line.split(":")[0] not in header] == strip
    data = YAML(typ="safe").load("".join(new))
    assert (data["fiscal_year"], data["title"], data["status"]) == (2020, "令和2年度 事業計画（鹿児島支部）", "draft")
    assert "document" not in data
    assert run("validate", plans / "kagoshima" / "2020.yaml").code == 0


def test_new_never_overwrites_without_force(repo, run):
    plans = repo / "plans"
    target = plans / "kagoshima" / "2019.yaml"
    before = target.read_bytes()
    result = run("new", "2019", "-b", "kagoshima", "--from", "2018", "--plans-dir", plans)
    assert result.code == 1 and "already exists" in result.err and "--force" in result.err
    assert target.read_bytes() == before
    forced = run("new", "2019", "-b", "kagoshima", "--from", "2018", "--plans-dir", plans, "--force")
    assert forced.code == 0, forced
    assert not list(plans.rglob("*.bak"))  # outside plans/, where `git add -A plans` would take it
    (backup,) = (repo / ".kenpo-plans-backup" / "kagoshima").glob("2019.yaml.*.bak")
    assert backup.read_bytes() == before
    assert f"kept as {backup}" in forced.out
    again = run("new", "2019", "-b", "kagoshima", "--from", "2018", "--plans-dir", plans, "--force")
    assert again.code == 0
    assert len(list((repo / ".kenpo-plans-backup" / "kagoshima").glob("2019.yaml.*.bak"))) == 2  # none overwritten
    git(repo, "add", "-A")
    assert ".kenpo-plans-backup" not in git(repo, "status", "--porcelain")


def test_new_from_a_missing_year(repo, run):
    result = run("new", "2020", "-b", "kagoshima", "--from", "2016", "--plans-dir", repo / "plans")
    assert result.code == 1 and "no plan for kagoshima in fiscal year 2016" in result.err


def test_carried_over_figures_are_flagged_until_confirmed(repo, run):
    plans = repo / "plans"
    edit(plans / "kagoshima" / "2019.yaml", "レセプト点検の査定率について対前年度以上とする。",
         "レセプト点検の査定率について対前年度（0.359%）以上とする。")
    assert run("new", "2020", "-b", "kagoshima", "--plans-dir", plans).code == 0
    result = run("validate", "--plans-dir", plans)
    assert result.code == 0
    flagged = [line for line in result.out.splitlines() if "carried over" in line]
    assert len(flagged) == 1 and "2020.yaml" in flagged[0] and "≥ 対前年度 (0.359%)" in flagged[0]
    assert run("validate", "--plans-dir", plans, "--strict").code == 1
    edit(plans / "kagoshima" / "2020.yaml", "以上とする。\n", "以上とする。\n            confirmed: true\n")
    assert "carried over" not in run("validate", "--plans-dir", plans).out


# --- git integration ------------------------------------------------------------------------


def test_git_diff_shows_the_semantic_summary(repo, run, monkeypatch):
    monkeypatch.chdir(repo)
    result = run("git-setup")
    assert result.code == 0, result
    assert "plans/**/*.yaml diff=kenpo-plans" in (repo / ".gitattributes").read_text(encoding="utf-8")
    assert "kept" in run("git-setup").out  # idempotent
    out = git(repo, "diff")
    assert "kenpo-plans diff plans/kagoshima/2019.yaml" in out
    assert "サービス水準の{+更なる+}向上 （名称変更）" in out
    shown = git(repo, "show", "--ext-diff", "HEAD~1")
    assert "[引上げ・厳格化] 95.4%以上 → 95.6%以上 (+0.2 pt)" in shown


def test_git_log_p_shows_outline_lines(repo, run, monkeypatch):
    monkeypatch.chdir(repo)
    run("git-setup")
    out = git(repo, "log", "-p", "-1", "HEAD~1", "--", "plans/kagoshima/2019.yaml")
    assert re.search(r"^-.*95\.4％以上とする。  → 95\.4%以上", out, re.MULTILINE)
    assert re.search(r"^\+.*95\.6％以上とする。  → 95\.6%以上", out, re.MULTILINE)


def test_git_diff_driver_survives_a_broken_plan(repo, run, monkeypatch):
    monkeypatch.chdir(repo)
    run("git-setup")
    (repo / "plans" / "kagoshima" / "2019.yaml").write_text("branch: [\n", encoding="utf-8")
    out = git(repo, "diff")
    assert "not a valid plan on one side" in out and "+branch: [" in out


def test_git_diff_and_log_p_outline_results_files(repo, run, monkeypatch):
    monkeypatch.chdir(repo)
    run("git-setup")
    results = repo / "plans" / "kagoshima" / "2019.results.yaml"
    shutil.copy(ROOT / "tests" / "fixtures" / "results" / "kagoshima_2019.results.yaml", results)
    git(repo, "add", results.relative_to(repo))
    git(repo, "commit", "-q", "-m", "実績を入力")
    edit(results, "actual: 0.95%", "actual: 0.91%")
    out = git(repo, "diff")
    assert "kenpo-plans diff plans/kagoshima/2019.results.yaml" in out
    # results read by the plan's words, not ids (#20, point 9)
    assert re.search(r"^-  ＫＰＩ 柔道整復施術療養費の申請に占める.*: 実績 0\.95% 順位 5位 評価 ×$", out, re.MULTILINE), out
    assert re.search(r"^\+  ＫＰＩ 柔道整復施術療養費の申請に占める.*: 実績 0\.91% 順位 5位 評価 ×$", out, re.MULTILINE)
    assert "tabui-hinkai-wariai" not in out
    git(repo, "commit", "-q", "-am", "実績を訂正")
    logged = git(repo, "log", "-p", "-1", "--", "plans/kagoshima/2019.results.yaml")
    assert re.search(r"^\+  ＫＰＩ 柔道整復施術療養費の申請に占める.*: 実績 0\.91%", logged, re.MULTILINE), logged


def test_pre_commit_hook_definition():
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "kenpo-plans-validate" and hook["entry"] == "kenpo-plans validate"
    pattern = re.compile(hook["files"])
    assert pattern.search("plans/kagoshima/2019.yaml") and pattern.search("planning/plans/kumamoto/2021.yml")
    assert pattern.search("plans/kumamoto/2024.results.yaml")
    assert not pattern.search("plans/kumamoto/2024.notes.yaml")
    assert not pattern.search("plans/kagoshima/notes.md") and not pattern.search("schemas/plan.schema.json")


def test_git_diff_driver_usage(run):
    result = run("git-diff", "only-one")
    assert result.code == 1 and "git-setup" in result.err


def test_the_driver_git_runs_survives_a_moved_virtual_environment(repo, run, monkeypatch):
    monkeypatch.chdir(repo)
    run("git-setup")
    command = git(repo, "config", "diff.kenpo-plans.command").strip()
    launcher = repo / ".git" / "kenpo-plans-driver"
    assert command == f"{launcher} git-diff" and os.access(launcher, os.X_OK)
    assert sys.executable in launcher.read_text(encoding="utf-8")
    assert "kenpo-plans-driver" not in git(repo, "status", "--porcelain")  # inside .git: never committed
    # the environment that ran git-setup is gone; kenpo-plans is found on PATH instead
    launcher.write_text(launcher.read_text(encoding="utf-8").replace(sys.executable, "/nonexistent/venv/bin/python"),
                        encoding="utf-8")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    out = git(repo, "diff")
    assert "kenpo-plans diff plans/kagoshima/2019.yaml" in out and "名称変更" in out


@pytest.mark.parametrize("template", ["--output={out}", "-o{out}", "HEAD..--output={out}", "--output={out}..HEAD",
                                      "v2019-draft1..-o{out}", "--end-of-options"])
def test_a_revision_is_never_read_as_an_option(repo, run, tmp_path, template):
    out = tmp_path / "pwned"
    rev = template.format(out=out)
    result = run("diff", "2019", "-b", "kagoshima", "--plans-dir", repo / "plans", "--rev", rev, "-f", "text")
    assert result.code == 1 and "Traceback" not in result.err
    assert "does not exist" in result.err or "give both ends" in result.err
    assert not list(tmp_path.glob("pwned*"))


def test_new_starts_a_branch_s_first_plan_from_the_national_plan(run, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(ROOT / "plans" / "national", plans / "national")
    asked = run("new", "2022", "-b", "fukuoka", "--plans-dir", plans)
    assert asked.code == 1 and "--name 福岡支部" in asked.err
    made = run("new", "2022", "-b", "fukuoka", "--name", "福岡支部", "--plans-dir", plans)
    assert made.code == 0, made
    text = (plans / "fukuoka" / "2022.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/plan.schema.json"
    assert "出典" not in text.split("branch:", 1)[0] and "excerpt" not in text
    assert run("validate", plans / "fukuoka").code == 0
    shown = run("show", "2022", "-b", "fukuoka", "--plans-dir", plans, "-f", "json")
    data = json.loads(shown.out)
    assert data["branch"] == {"id": "fukuoka", "name": "福岡支部"} and data["status"] == "draft"
    assert data["title"] == "令和4年度 事業計画（福岡支部）"
    assert any(k["id"] == "seikatsu-kenshin-ritsu" for s in data["sections"] for m in s["measures"]
               for k in m["kpis"]) or "seikatsu-kenshin-ritsu" in shown.out
