"""A new branch office starts (#20): its first plan from the association-wide plan shipped with kenpo-plans,
a results skeleton per report, and a planning repository git and pre-commit really use (#22, point 6)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PLANS

BIN = Path(sys.executable).parent
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(args, cwd, check=True, path=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.jp", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.jp", "PRE_COMMIT_HOME": str(Path(cwd).parent / "pre-commit-cache")}
    if path is not None:
        env["PATH"] = path
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, check=check,
                          timeout=300)


# --- the first plan ------------------------------------------------------------------------------------------


def test_a_first_plan_starts_from_the_shipped_association_wide_plan_as_a_branch_plan(run, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()  # a fresh repository: no plans/national in it
    made = run("new", "2026", "--branch", "fukuoka", "--name", "福岡支部", "--plans-dir", plans)
    assert made.code == 0, made
    plan = plans / "fukuoka" / "2026.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "branch:\n  id: fukuoka\n  name: 福岡支部\n" in text and "title: 令和8年度 事業計画（福岡支部）" in text
    assert "marker: ''" not in text and "marker: ○" in text  # a branch plan prints ○
    assert "出典" not in text  # the national transcription's source notes are not the branch's
    assert text.startswith("# yaml-language-server: $schema=../../schemas/plan.schema.json\n")
    # a four-year-old source and its dated sentences are named, not silently inherited
    assert "older than the year before 2026" in made.out and "令和3年度" in made.out
    assert "kenko-sengen-jigyoshosu" in made.out and "association-wide figure" in made.out  # 57,000事業所
    checked = run("validate", plan)
    assert checked.code == 0, checked
    assert "generic-shiyo-wariai" in checked.out and "per_branch" in checked.out and "TODO" in checked.out


def test_a_first_plan_without_a_name_says_how_to_give_it(run, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    result = run("new", "2026", "--branch", "fukuoka", "--plans-dir", plans)
    assert result.code != 0 and "--name 福岡支部" in result.err and "Traceback" not in result.err


def test_a_first_plan_from_a_national_plan_file_given(run, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    national = tmp_path / "2025.yaml"
    national.write_text((PLANS / "national" / "2021.yaml").read_text(encoding="utf-8")
                        .replace("fiscal_year: 2021", "fiscal_year: 2025")
                        .replace("title: 令和３年度", "title: 令和７年度"), encoding="utf-8")
    made = run("new", "2026", "-b", "fukuoka", "--name", "福岡支部", "--plans-dir", plans, "--national", national)
    assert made.code == 0, made
    assert "older than" not in made.out  # the year before: nothing to warn about
    missing = run("new", "2027", "-b", "saga", "--name", "佐賀支部", "--plans-dir", plans, "--national",
                  tmp_path / "none.yaml")
    assert missing.code != 0 and "none.yaml" in missing.err


# --- new-report ------------------------------------------------------------------------------------------------


def test_new_report_writes_a_skeleton_that_validates_and_says_what_to_fill(run, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "kumamoto", plans / "kumamoto")
    results = plans / "kumamoto" / "2021.results.yaml"
    results.unlink()
    made = run("new-report", "2021", "-b", "kumamoto", "--period", "q1", "--plans-dir", plans)
    assert made.code == 0, made
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/results-file.schema.json\n")
    assert "- id: seikatsu-kenshin-ritsu" in text and "積み上がる数値" in text  # accumulates, from the plan
    checked = run("validate", results)
    assert checked.code == 0, checked
    assert "have no figure yet" in checked.out and "actual:" in checked.out


def test_new_report_adds_a_report_and_never_replaces_one_with_figures(run, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "yamaguchi", plans / "yamaguchi")
    results = plans / "yamaguchi" / "2021.results.yaml"
    before = results.read_text(encoding="utf-8")
    refused = run("new-report", "2021", "-b", "yamaguchi", "-p", "q1", "--plans-dir", plans)
    assert refused.code != 0 and "not changed" in refused.err
    assert results.read_text(encoding="utf-8") == before
    added = run("new-report", "2021", "-b", "yamaguchi", "-p", "year", "--plans-dir", plans)
    assert added.code == 0, added
    after = results.read_text(encoding="utf-8")
    assert after.startswith(before) and "period: year" in after[len(before):]
    again = run("new-report", "2021", "-b", "yamaguchi", "-p", "year", "--plans-dir", plans)
    assert again.code == 0 and results.read_text(encoding="utf-8").count("period: year") == 1  # still empty


def test_new_report_takes_the_scales_of_last_years_results(run, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS / "kumamoto", plans / "kumamoto")
    shutil.copy(plans / "kumamoto" / "2024.yaml", plans / "kumamoto" / "2025.yaml")
    plan = plans / "kumamoto" / "2025.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("fiscal_year: 2024", "fiscal_year: 2025")
                    .replace("令和６年度", "令和７年度").replace("令和6年度", "令和7年度"), encoding="utf-8")
    made = run("new-report", "2025", "-b", "kumamoto", "-p", "year", "--plans-dir", plans)
    assert made.code == 0, made
    assert "計画達成度" in (plans / "kumamoto" / "2025.results.yaml").read_text(encoding="utf-8")


# --- validate: what the shared vocabulary implies -------------------------------------------------------------


def test_validate_warns_when_a_shared_kpi_lacks_what_its_vocabulary_implies(run, plans_copy):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index("id: seikatsu-kenshin-ritsu")
    line = text.index("accumulates: true", start)
    text = text[:line] + "accumulates: false" + text[line + len("accumulates: true"):]
    text = text.replace("            direction: higher\n", "", 1)
    plan.write_text(text, encoding="utf-8")
    result = run("validate", plan)
    assert result.code == 0
    assert "seikatsu-kenshin-ritsu" in result.out and "accumulates: true" in result.out
    assert "kenko-sengen-jigyoshosu" in result.out and "direction: higher" in result.out


# --- git-setup and init write what works, where asked (#22, point 6) ------------------------------------------


@needs_git
@pytest.mark.parametrize("folder", ["my plans", "計画 #1", "a[b]*"])
@pytest.mark.slow
def test_git_setup_patterns_match_a_plans_folder_with_spaces_or_glob_characters(run, tmp_path, folder):
    repo = tmp_path / "repo"
    (repo / folder / "fukuoka").mkdir(parents=True)
    git(["git", "init", "-q"], repo)
    result = run("git-setup", "--plans-dir", repo / folder)
    assert result.code == 0, result
    found = git(["git", "check-attr", "diff", "--", f"{folder}/fukuoka/2026.yaml"], repo).stdout
    assert found.strip().endswith("diff: kenpo-plans"), found
    other = git(["git", "check-attr", "diff", "--", "elsewhere/2026.yaml"], repo).stdout
    assert other.strip().endswith("unspecified")


@needs_git
@pytest.mark.slow
def test_git_setup_with_the_repository_root_as_plans_folder(run, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(["git", "init", "-q"], repo)
    assert run("git-setup", "--plans-dir", repo).code == 0
    found = git(["git", "check-attr", "diff", "--", "fukuoka/2026.yaml"], repo).stdout
    assert found.strip().endswith("diff: kenpo-plans"), found


@needs_git
@pytest.mark.slow
def test_git_setup_refuses_when_git_would_not_apply_it_and_leaves_the_file(run, tmp_path):
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    git(["git", "init", "-q"], repo)
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "attributes").write_text("*.yaml -diff\n", encoding="utf-8")
    result = run("git-setup", "--plans-dir", repo / "plans")
    assert result.code != 0 and "check-attr" in result.err and "Traceback" not in result.err
    assert not (repo / ".gitattributes").exists()


@needs_git
@pytest.mark.slow
def test_init_inside_another_repository_makes_its_own_and_leaves_the_parent_alone(run, tmp_path):
    parent = tmp_path / "parent"
    parent.mkdir()
    git(["git", "init", "-q"], parent)
    config = (parent / ".git" / "config").read_text(encoding="utf-8")
    result = run("init", parent / "office")
    assert result.code == 0, result
    assert not (parent / ".gitattributes").exists()
    assert (parent / ".git" / "config").read_text(encoding="utf-8") == config
    office = parent / "office"
    top = git(["git", "rev-parse", "--show-toplevel"], office).stdout.strip()
    assert Path(top).resolve() == office.resolve()
    found = git(["git", "check-attr", "diff", "--", "plans/fukuoka/2026.yaml"], office).stdout
    assert found.strip().endswith("diff: kenpo-plans")


@needs_git
@pytest.mark.slow
def test_init_writes_a_gitignore_for_outputs_and_the_format_docs(run, tmp_path):
    repo = tmp_path / "office"
    assert run("init", repo).code == 0
    assert (repo / "docs" / "results-format.md").is_file()
    (repo / "kagoshima_2018-2019_shinkyu.pdf").write_bytes(b"%PDF")
    (repo / "public").mkdir()
    (repo / "public" / "index.html").write_text("<html></html>", encoding="utf-8")
    for made in ("kagoshima_2018-2019_shinkyu.pdf", "public/index.html"):  # a document, and the site `site` builds
        ignored = git(["git", "check-ignore", made], repo, check=False)
        assert ignored.returncode == 0, made


# --- the whole start, from an empty folder, with a real git and a real pre-commit ---------------------------


@needs_git
@pytest.mark.slow
@pytest.mark.skipif(not (BIN / "pre-commit").exists(), reason="pre-commit is not installed (pip install pre-commit)")
def test_a_new_branch_starts_from_an_empty_folder_and_commits_from_an_editor_without_the_venv(tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    kenpo = BIN / "kenpo-plans"
    bare_path = "/usr/bin:/bin"  # an editor's environment: the virtual environment is not on PATH

    def sh(args, check=True):
        return git(args, office, check=check, path=bare_path)

    assert sh([kenpo, "init"]).returncode == 0
    first = sh([kenpo, "new", "2026", "--branch", "fukuoka", "--name", "福岡支部"])
    assert "created plans/fukuoka/2026.yaml" in first.stdout
    skeleton = sh([kenpo, "new-report", "2026", "--branch", "fukuoka", "--period", "q1"])
    assert "2026.results.yaml" in skeleton.stdout
    checked = sh([kenpo, "validate"])
    assert "0 error(s)" in checked.stdout
    sh([BIN / "pre-commit", "install"])
    sh(["git", "add", "-A"])
    committed = sh(["git", "commit", "-q", "-m", "福岡支部 令和8年度 計画案"], check=False)
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "kenpo-plans validate" in committed.stdout + committed.stderr
    assert "not found" not in committed.stdout + committed.stderr
    # a broken plan is stopped by the hook, still without the virtual environment on PATH
    plan = office / "plans" / "fukuoka" / "2026.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("    measures:", "    mesures:", 1), encoding="utf-8")
    sh(["git", "add", "-A"])
    refused = sh(["git", "commit", "-q", "-m", "broken"], check=False)
    assert refused.returncode != 0 and "measures" in refused.stdout + refused.stderr


# --- validate names full-width digits and era years in numbers (point 7) --------------------------------------


@pytest.mark.parametrize("written, english, japanese", [
    ("２０２４", "full-width digits; write 2024", "全角数字です。2024 と書いてください"),
    ("令和6年度", "era year; write the Western year 2024", "和暦です。西暦の 2024 と書いてください"),
])
def test_a_number_written_full_width_or_as_an_era_year_is_named_in_words(run, plans_copy, monkeypatch,
                                                                        written, english, japanese):
    plan = plans_copy / "kumamoto" / "2024.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("fiscal_year: 2024", f"fiscal_year: {written}", 1),
                    encoding="utf-8")
    result = run("validate", plan)
    assert result.code == 1 and english in result.err, result
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    result = run("validate", plan)
    assert japanese in result.err, result


# --- the printed summary tells a stricter target from a relaxed one (point 8) ----------------------------------


def test_the_printed_summary_tells_stricter_from_relaxed(run, tmp_path):
    new = PLANS / "kumamoto" / "2024.yaml"
    old = tmp_path / "old" / "2024.yaml"
    old.parent.mkdir()
    old.write_text(new.read_text(encoding="utf-8").replace("target_text: 15％以下", "target_text: 20％以下", 1)
                   .replace("target_text: 92.3%以上", "target_text: 95.0%以上", 1), encoding="utf-8")
    html = tmp_path / "s.html"
    assert run("diff", old, new, "-f", "html", "-o", html).code == 0
    page = html.read_text(encoding="utf-8").split('class="kpi-changes"')[1]  # the summary, after the table
    row = next(line for line in page.splitlines() if "一者応札" in line and "15%以下" in line)
    assert "引下げ・厳格化" in row
    row = next(line for line in page.splitlines() if "郵送化率" in line and "92.3%以上" in line)
    assert "引下げ・緩和" in row
    docx = tmp_path / "s.docx"
    assert run("diff", old, new, "-f", "docx", "-o", docx).code == 0
    from docx import Document

    cells = [cell.text for table in Document(docx).tables for row in table.rows for cell in row.cells]
    assert any("引下げ・厳格化" in c for c in cells) and any("引下げ・緩和" in c for c in cells)


# --- git shows plans in colour, results by name, and log says which file (point 9) -----------------------------


@needs_git
@pytest.mark.slow
def test_git_diff_through_the_driver_has_colour_when_git_has(run, tmp_path, monkeypatch):
    repo = tmp_path / "office"
    assert run("init", repo).code == 0
    shutil.copytree(PLANS / "kagoshima", repo / "plans" / "kagoshima")
    git(["git", "add", "-A"], repo)
    git(["git", "commit", "-q", "-m", "計画"], repo)
    plan = repo / "plans" / "kagoshima" / "2019.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("95.4％以上", "95.6％以上", 1), encoding="utf-8")
    coloured = git(["git", "-c", "color.diff=always", "diff"], repo).stdout
    assert "kenpo-plans diff" in coloured and "\x1b[" in coloured
    plain = git(["git", "-c", "color.diff=never", "diff"], repo).stdout
    assert "kenpo-plans diff" in plain and "\x1b[" not in plain and "{+" in plain
    if shutil.which("script"):  # a terminal with git's pager, color.diff left at auto: colour, as git's own diff
        paged = subprocess.run(["script", "-qc", "git -c core.pager='sed -n p' diff", "/dev/null"], cwd=repo,
                               capture_output=True, text=True, timeout=120)
        assert "kenpo-plans diff" in paged.stdout and "\x1b[" in paged.stdout


@needs_git
@pytest.mark.slow
def test_log_says_which_file_an_earlier_commit_touched(run, tmp_path):
    repo = tmp_path / "office"
    assert run("init", repo).code == 0
    plans = repo / "plans"
    assert run("new", "2025", "-b", "fukuoka", "--name", "福岡支部", "--plans-dir", plans).code == 0
    git(["git", "add", "-A"], repo)
    git(["git", "commit", "-q", "-m", "令和7年度"], repo)
    (plans / "fukuoka" / "2025.yaml").rename(plans / "fukuoka" / "2026.yaml")
    assert run("new", "2025", "-b", "fukuoka", "--from", "2026", "--plans-dir", plans).code == 0
    text = (plans / "fukuoka" / "2026.yaml").read_text(encoding="utf-8")
    (plans / "fukuoka" / "2026.yaml").write_text(text.replace("fiscal_year: 2025", "fiscal_year: 2026")
                                                 .replace("令和7年度", "令和8年度"), encoding="utf-8")
    git(["git", "add", "-A"], repo)
    git(["git", "commit", "-q", "-m", "令和8年度へ"], repo)
    logged = run("log", "2026", "-b", "fukuoka", "--plans-dir", plans)
    assert logged.code == 0, logged
    lines = logged.out.splitlines()
    assert "令和7年度" in lines[2] and lines[3].strip().startswith("plans/fukuoka/2025.yaml: ")
    assert not lines[1].strip().startswith("plans/")


# --- smaller things a new user meets (point 10) ----------------------------------------------------------------


def test_help_shows_its_placeholders_in_japanese(run, monkeypatch):
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    helped = run("diff", "--help")
    assert "[オプション]" in helped.out and "--plans-dir フォルダ" in helped.out and "[1〜256]" in helped.out
    for english in ("[OPTIONS]", " TEXT ", "DIRECTORY", "INTEGER RANGE", "<=x<="):
        assert english not in helped.out
    initialised = run("init", "--help")
    assert "init [オプション] [フォルダ]" in initialised.out and "--name 福岡支部" in initialised.out


def test_the_xlsx_target_column_is_wide_enough_for_its_figures(run, tmp_path):
    import openpyxl

    from kenpo_plans.textsafety import columns

    out = tmp_path / "n.xlsx"
    assert run("results", "2021", "-b", "national", "-f", "xlsx", "-o", out).code == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = next(cell for cell in sheet[1] if cell.value == "目標値")
    assert any(cell.value == 57000 for cell in sheet[header.column_letter])
    assert sheet.column_dimensions[header.column_letter].width >= columns("57,000事業所") + 1


@pytest.mark.slow
def test_kpi_ids_complete_in_the_shell():
    env = {**os.environ, "_KENPO_PLANS_COMPLETE": "bash_complete", "COMP_WORDS": "kenpo-plans kpi -b kumamoto seik",
           "COMP_CWORD": "4", "KENPO_PLANS_DIR": str(PLANS)}
    done = subprocess.run([str(BIN / "kenpo-plans")], capture_output=True, text=True, env=env, timeout=60)
    assert "seikatsu-kenshin-ritsu" in done.stdout


# --- Japanese first: docs, schema descriptions, README (point 6 of #20) ----------------------------------------

ROOT = PLANS.parent


def _japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("name", ["plan-format", "results-format", "kpi-ids"])
def test_the_format_docs_are_japanese_with_english_beside(name):
    import re

    japanese = re.sub(r"```.*?```", "", (ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8"), flags=re.DOTALL)
    prose = [line for line in japanese.splitlines() if line and not line.startswith(("|", " ", "#", "`", "["))]
    assert prose and all(_japanese(line) for line in prose), [line for line in prose if not _japanese(line)]
    assert (ROOT / "docs" / f"{name}.en.md").is_file()


@pytest.mark.parametrize("schema", ["plan.schema.json", "results-file.schema.json"])
def test_schema_descriptions_editors_show_are_japanese(schema):
    import json

    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((ROOT / "schemas" / schema).read_text(encoding="utf-8")))
    assert found and [d for d in found if not _japanese(d)] == []


def test_the_japanese_readme_covers_a_new_branch_office():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    japanese = readme[readme.index("## 日本語"):readme.index("## English")]
    for needed in ("--name 福岡支部", "new-report", "_KENPO_PLANS_COMPLETE", "pre-commit install", "kenpo-plans init",
                   "accumulates: true", "kenpo-plans log"):
        assert needed in japanese, needed
    assert "pre-commit" in (ROOT / "dev.sh").read_text(encoding="utf-8").split("demo)")[0]
