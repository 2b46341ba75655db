"""A reviewer's and a newcomer's read (issue 11): options that do nothing, exit codes, eras, warnings."""

from __future__ import annotations

import pytest

from conftest import PLANS
from kenpo_plans.plan.era import parse_fiscal_year

DIFF = ("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS)


@pytest.mark.parametrize("args, fragment", [
    (("-f", "text", "--landscape"), "--landscape only shape documents"),
    (("-f", "json", "--monochrome", "--old-left"), "--old-left, --monochrome only shape documents"),
    (("-f", "text", "--old-word", "現"), "--old-word only shape documents"),
    (("-f", "html", "-o", "x.pdf"), "-o x.pdf ends in .pdf but --format is html; use -o x.html or --format pdf"),
    (("-j", "2",), "--jobs applies to --all-branches only"),
    (("--force",), "--force applies to --all-branches only"),
])
def test_options_that_would_do_nothing_are_refused(run, args, fragment):
    result = run(*DIFF, *args)
    assert result.code == 1 and fragment in result.err, result


def test_all_branches_with_a_branch_is_refused(run, tmp_path):
    result = run("diff", "2018", "2019", "--all-branches", "-b", "kagoshima", "--plans-dir", PLANS, "-o", tmp_path)
    assert result.code == 1 and "leave out --branch" in result.err


def test_exit_code_tells_differences_from_errors(run):
    assert run(*DIFF, "-f", "json", "--exit-code").code == 1  # differences
    assert run("diff", "2019", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "--rev", "HEAD", "-f", "json",
               "--exit-code").code in (0, 2)
    missing = run("diff", "2017", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "json", "--exit-code")
    assert missing.code == 2 and "no plan for kagoshima in fiscal year 2017" in missing.err
    assert run("diff", "2017", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "json").code == 1


def test_debug_may_follow_the_command(run):
    with pytest.raises(Exception, match="no branch 'nowhere'"):
        run("show", "2019", "-b", "nowhere", "--plans-dir", PLANS, "--debug")


@pytest.mark.parametrize("text, year", [("h31", 2019), ("H31", 2019), ("r1", 2019), ("r6", 2024), ("ｈ３１", 2019),
                                        ("令和元年度", 2019)])
def test_lower_case_eras_are_accepted(text, year):
    assert parse_fiscal_year(text) == year


def test_comparing_a_newer_year_as_old_warns(run):
    out = run("diff", "2019", "2018", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "text", "--no-color").out
    assert "警告: 旧に新しい年度（平成31年度）、新に古い年度（平成30年度）を指定しています" in out
    forward = run(*DIFF, "-f", "text", "--no-color").out
    assert "旧に新しい年度" not in forward


def test_column_headers_never_wrap(tmp_path, run):
    out = tmp_path / "k.html"
    assert run(*DIFF, "-f", "html", "-o", out).code == 0
    css = out.read_text(encoding="utf-8")
    assert "table.shinkyu thead th" in css and "white-space: nowrap" in css.split("table.shinkyu thead th", 1)[1][:200]


def test_punctuation_only_changes_are_shown_but_counted_apart(run):
    import json

    data = json.loads(run(*DIFF, "-f", "json").out)
    punctuation = [c for c in data["changes"] if "punctuation" in c["kinds"]]
    # 2019 added a 「。」 to the end of nine KPI sentences of 2018
    assert len(punctuation) == 9 and all(c["node"] == "kpi" for c in punctuation)
    assert all(c["target"] is None or c["target"]["direction"] == "unchanged" for c in punctuation)
    assert data["summary"]["by_node"]["kpi"]["punctuation"] == 9
    assert data["summary"]["by_node"]["kpi"]["modified"] == 11
    text = run(*DIFF, "-f", "text", "--no-color").out
    assert "ＫＰＩ: 新設 1、修正 11、句読点のみ 9" in text


def test_the_first_page_lists_every_moved_figure_of_the_numeric_targets():
    from kenpo_plans.commands.compare import diff
    from kenpo_plans.render.shinkyu import build_context

    rows = build_context(diff(["2018", "2019"], "kagoshima", PLANS))["summary"]["kpi_targets"]
    figures = [r for r in rows if r["kpi"].startswith("数値目標")]
    assert ("17.0%、4,931人", "16.0%、4,890人", "引下げ", "-1.0 pt、-41人") in [
        (r["old"], r["new"], r["direction_label"], r["delta"]) for r in figures if "協会保健師実施分" in r["kpi"]]
    assert len(figures) >= 10 and rows.index(figures[0]) == len(rows) - len(figures)  # after the KPIs


def test_number_changes_keep_their_unit_in_text(run):
    out = run(*DIFF, "-f", "text", "--no-color").out
    assert "数値: 55.0% → 55.5%（+0.5 pt）" in out and "数値: 161,390人 → 168,420人（+7,030人）" in out


def test_no_color_is_honoured(monkeypatch):
    import sys

    from kenpo_plans.options import color_default

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert color_default() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert color_default() is False


def test_shell_completion_offers_branches_and_years():
    import os
    import subprocess
    import sys

    def complete(words: str, index: int) -> list[str]:
        env = {**os.environ, "_KENPO_PLANS_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(index), "KENPO_PLANS_DIR": str(PLANS)}
        out = subprocess.run([sys.executable, "-m", "kenpo_plans"], env=env, capture_output=True, text=True,
                             timeout=60).stdout
        return [line.split(",", 1)[1] for line in out.splitlines() if "," in line]

    assert complete("kenpo-plans show 2019 -b ka", 4) == ["kagoshima"]
    assert complete("kenpo-plans diff -b kumamoto 2021 20", 5) == ["2021", "2023", "2024"]


def test_messages_that_used_to_mislead(run, tmp_path, plans_copy):
    import shutil

    outside = tmp_path / "outside"
    shutil.copytree(PLANS / "kagoshima", outside / "plans" / "kagoshima")
    log = run("log", "2019", "-b", "kagoshima", "--plans-dir", outside / "plans")
    setup = run("git-setup", "--plans-dir", outside / "plans")
    for result in (log, setup):
        assert result.code == 1 and "not inside a git repository" in result.err and "--rev" not in result.err
    first = run("new", "2017", "-b", "kagoshima", "--plans-dir", PLANS)
    assert first.code == 1 and "no plan before 2017" in first.err and "2016" not in first.err
    (plans_copy / "kagoshima" / "2020.yaml").mkdir()
    folder = run("show", "2020", "-b", "kagoshima", "--plans-dir", plans_copy)
    assert folder.code == 1 and "is a directory, not a plan file" in folder.err
    deep = run("list", "--plans-dir", PLANS / "kagoshima")
    assert deep.code == 1 and f"--plans-dir {PLANS}" in deep.err
    missing = run("diff", "2018", "2019", "--all-branches", "--plans-dir", PLANS, "-o", tmp_path / "nowhere")
    assert missing.code == 1 and "does not exist" in missing.err and "mkdir" in missing.err


@pytest.mark.parametrize("text, limit, expected", [
    ("日本年金機構回収分も含めた保険証回収率を95.4％以上とする。", 22, "日本年金機構回収分も含めた保険証回収率を…"),
    ("短い文", 40, "短い文"),
    ("受診者数を168,420人とする", 9, "受診者数を…"),
])
def test_shortened_lines_end_in_an_ellipsis_and_never_cut_a_number(text, limit, expected):
    from kenpo_plans.render.shinkyu_text import shorten

    assert shorten(text, limit) == expected and len(shorten(text, limit)) <= limit


def test_text_output_prints_no_heading_twice(run):
    out = run(*DIFF, "-f", "text", "--no-color").out
    body = out.split("\n\n", 2)[-1]
    stack: list[tuple[int, str]] = []
    seen = set()
    for line in body.splitlines():
        text = line.strip()
        if not text or "（" in text and "）" in text.split(" ")[0] or text.startswith(("数値", "目標")):
            continue  # change lines and their details
        indent = len(line) - len(line.lstrip(" "))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, text))
        path = tuple(t for _, t in stack)
        assert path not in seen, f"heading printed twice: {path}"
        seen.add(path)
    assert len(seen) > 20


def test_a_new_heading_tier_is_not_a_rename_of_another(run):
    import json

    data = json.loads(run(*DIFF, "-f", "json").out)
    headings = {(c["kind"], (c["new"] or c["old"])["text"]) for c in data["changes"] if c["node"] == "block"}
    assert ("added", "【中位目標】") in headings and ("removed", "【下位目標】") in headings
    assert not any(kind == "renamed" and "位目標" in text for kind, text in headings)


@pytest.mark.slow
def test_yml_files_follow_the_same_rules_everywhere(run, tmp_path):
    import json
    import re
    import shutil
    import subprocess

    from ruamel.yaml import YAML

    plans = tmp_path / "repo" / "plans"
    shutil.copytree(PLANS / "kumamoto", plans / "kumamoto")
    for path in list((plans / "kumamoto").iterdir()):
        path.rename(path.with_name(path.name.replace(".yaml", ".yml")))
    assert sorted(p.name for p in (plans / "kumamoto").iterdir())[:2] == ["2021.results.yml", "2021.yml"]
    assert run("validate", "--plans-dir", plans).out.startswith("6 file(s) checked: 6 ok")
    rows = json.loads(run("list", "--plans-dir", plans, "-f", "json").out)
    assert [(r["fiscal_year"], r["reports"]) for r in rows] == [(2021, ["year"]), (2023, ["year"]), (2024, ["year"])]
    assert run("diff", "2021", "2024", "-b", "kumamoto", "--plans-dir", plans, "-f", "json").code == 0
    results = json.loads(run("results", "2024", "-b", "kumamoto", "--plans-dir", plans, "-f", "json").out)
    assert results["report"]["id"] == "kekka"
    assert run("kpi", "-b", "kumamoto", "--plans-dir", plans, "-f", "json").code == 0
    assert "実績・進捗 kumamoto 2024" in run("textconv", plans / "kumamoto" / "2024.results.yml").out
    subprocess.run(["git", "init", "-q"], cwd=plans.parent, check=True)
    assert run("git-setup", "--plans-dir", plans).code == 0
    attributes = (plans.parent / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "plans/**/*.yaml diff=kenpo-plans" in attributes and "plans/**/*.yml diff=kenpo-plans" in attributes
    hooks = YAML(typ="safe").load((PLANS.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert re.search(hooks[0]["files"], "plans/kumamoto/2024.results.yml") and re.search(hooks[0]["files"],
                                                                                         "plans/kumamoto/2024.yml")
