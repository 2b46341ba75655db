"""The merge driver in real git repositories holding the Kagoshima plans: merge, rebase, cherry-pick, conflicts."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_merge import (BASE, at_end_of_section_one, comments, edit, measure_block, moved_before, new_measure,
                        renumbered)

ROOT = Path(__file__).resolve().parent.parent
PLAN = "plans/kagoshima/2019.yaml"
RESULTS = "plans/kumamoto/2021.results.yaml"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]

SENTENCE = "日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とする。"
ITEM_8 = "未提出事業所への勧奨および未送達事業所の調査による送達の徹底を行う。"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_AUTHOR_NAME": "業務G 担当", "GIT_AUTHOR_EMAIL": "gyomu@example.jp",
           "GIT_COMMITTER_NAME": "業務G 担当", "GIT_COMMITTER_EMAIL": "gyomu@example.jp", "GIT_EDITOR": "true"}
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def planning(tmp_path, run):
    """A planning repository with the Kagoshima plans and Kumamoto's plan and results, git-setup run."""
    repo = tmp_path / "planning"
    (repo / "plans").mkdir(parents=True)
    shutil.copytree(ROOT / "plans" / "kagoshima", repo / "plans" / "kagoshima")
    (repo / "plans" / "kumamoto").mkdir()
    for name in ("2021.yaml", "2021.results.yaml"):
        shutil.copy(ROOT / "plans" / "kumamoto" / name, repo / "plans" / "kumamoto" / name)
    git(repo, "init", "-q", "-b", "main")
    result = run("git-setup", "--plans-dir", repo / "plans")
    assert result.code == 0, result
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "平成31年度計画 初版")
    return repo


def change(repo: Path, path: str, how, message: str) -> None:
    file = repo / path
    file.write_text(how(file.read_text(encoding="utf-8")), encoding="utf-8")
    git(repo, "commit", "-q", "-am", message)


def two_staff(repo: Path, ours, theirs, path: str = PLAN) -> subprocess.CompletedProcess:
    """保健G edits on its own branch, 業務G on main; main merges the branch."""
    git(repo, "checkout", "-q", "-b", "hoken")
    change(repo, path, theirs, "保健G の修正")
    git(repo, "checkout", "-q", "main")
    change(repo, path, ours, "業務G の修正")
    return git(repo, "merge", "--no-edit", "hoken", check=False)


def assert_clean(repo: Path, run, result, ours, theirs, path: str = PLAN) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    merged = (repo / path).read_text(encoding="utf-8")
    original = (ROOT / path).read_text(encoding="utf-8")
    assert comments(ours(original)) | comments(theirs(original)) <= comments(merged)
    checked = run("validate", repo / path)
    assert checked.code == 0, checked
    return merged


def title_edit(text):
    return edit(text, "title: 現金給付の適正化の推進", "title: 現金給付の適正化の一層の推進")


def figure(value):
    return lambda text: edit(text, SENTENCE, SENTENCE.replace("95.4", value))


def reworded(text):
    return edit(text, SENTENCE, SENTENCE.replace("も含めた", "を含めた"))


def measure_10(measure_id, title):
    return lambda text: at_end_of_section_one(text, new_measure(measure_id, "⑩", title))


def ninth_before_eighth(text):
    text = moved_before(text, "online-shikaku", "hifuyosha-kakunin", "  - id: senryaku\n")
    text = edit(text, "        label: ⑨\n        title: オンライン", "        label: ⑧\n        title: オンライン")
    return edit(text, "        label: ⑧\n        title: 被扶養者", "        label: ⑨\n        title: 被扶養者")


def item_8_edit(text):
    return edit(text, ITEM_8, "未提出事業所への文書および電話による勧奨、未送達事業所の調査による送達の徹底を行う。")


CASES = {
    "renumbering vs title": (renumbered, title_edit, ["        label: ②\n        title: 現金給付の適正化の一層の推進\n",
                                                      "id: kenpo-shinki"]),
    "two words of one KPI sentence": (figure("95.6"), reworded, [SENTENCE.replace("95.4", "95.6")
                                                                 .replace("も含めた", "を含めた")]),
    "two new measures at one place": (measure_10("kyufu-kanri", "給付管理の強化"),
                                      measure_10("hoken-kyoiku", "保険教育の推進"),
                                      ["id: kyufu-kanri", "id: hoken-kyoiku"]),
    "reorder vs edit inside the moved measure": (ninth_before_eighth, item_8_edit,
                                                 ["        label: ⑧\n        title: オンライン",
                                                  "未提出事業所への文書および電話による勧奨"]),
}


@pytest.mark.parametrize("case", CASES)
def test_what_git_alone_stops_merges_with_both_edits(planning, run, case):
    ours, theirs, expected = CASES[case]
    merged = assert_clean(planning, run, two_staff(planning, ours, theirs), ours, theirs)
    assert all(text in merged for text in expected)


@pytest.mark.parametrize("case", CASES)
def test_without_the_driver_git_stops_on_each_case(planning, case):
    ours, theirs, _expected = CASES[case]
    git(planning, "config", "merge.kenpo-plans.driver", "false")  # a driver that always reports a conflict
    (planning / ".git" / "info").mkdir(exist_ok=True)
    (planning / ".git" / "info" / "attributes").write_text("*.yaml merge=text\n", encoding="utf-8")
    result = two_staff(planning, ours, theirs)
    assert result.returncode != 0 and "CONFLICT" in result.stdout


# --- cases of the same kinds: other fields, other lists, other places ---------------------------------------


def groups_added(text):
    start, end = measure_block(text, "receipt-tenken", "      - id: judo-seifuku")
    return text[:start] + text[start:end].replace("groups: [レセプトG]", "groups: [レセプトG, 業務G]") + text[end:]


def heading_and_item(text):
    text = edit(text, "heading: 【外傷点検】", "heading: 【外傷点検・第三者行為】")
    return edit(text, "負傷原因届の提出勧奨強化を行い、", "負傷原因届の提出勧奨を強化し、")


def bullet(text_of_bullet, comment):
    anchor = "              - text: 勉強会の実施および支払基金との協議による点検員のスキルアップを図る。\n"
    return lambda text: edit(text, anchor, anchor + f"              - text: {text_of_bullet}  # {comment}\n")


def measure_deleted(text):
    start, end = measure_block(text, "anma-shinkyu", "      - id: hennokin-saiken")
    return text[:start] + text[end:]


def neighbour_edited(text):
    return edit(text, "加入者に対する文書照会を強化し、", "加入者に対する文書照会を一層強化し、")


def note_added(text):
    note = "              - （※）査定率＝レセプト点検により査定（減額）した額÷協会けんぽの医療費総額\n"
    return edit(text, note, note + "              - （※）支払基金の査定分を含む  # 企画総務G 追記\n")


def kpi_reworded(text):
    return edit(text, "レセプト点検の査定率について対前年度以上とする。", "レセプト点検の査定率について対前年度以上を目指す。")


MORE = {
    "groups vs heading and words in the same measure": (groups_added, heading_and_item,
                                                        ["groups: [レセプトG, 業務G]", "【外傷点検・第三者行為】",
                                                         "負傷原因届の提出勧奨を強化し、"]),
    "two new bullets at one place": (bullet("点検結果を毎月共有する。", "業務G"),
                                     bullet("査定事例を研修で共有する。", "レセプトG"),
                                     ["点検結果を毎月共有する。", "査定事例を研修で共有する。"]),
    "a measure deleted vs its neighbour edited": (measure_deleted, neighbour_edited,
                                                  ["文書照会を一層強化し、"]),
    "a note added vs the KPI sentence reworded": (note_added, kpi_reworded,
                                                  ["（※）支払基金の査定分を含む", "対前年度以上を目指す。"]),
}


@pytest.mark.parametrize("case", MORE)
def test_other_cases_of_the_same_kinds_merge(planning, run, case):
    ours, theirs, expected = MORE[case]
    merged = assert_clean(planning, run, two_staff(planning, ours, theirs), ours, theirs)
    assert all(text in merged for text in expected)
    if case == "a measure deleted vs its neighbour edited":
        assert "id: anma-shinkyu" not in merged


def test_two_new_bullets_come_in_the_same_order_whoever_merges(planning, run):
    ours, theirs, _expected = MORE["two new bullets at one place"]
    merged = assert_clean(planning, run, two_staff(planning, ours, theirs), ours, theirs)
    assert merged.index("点検結果を毎月共有する。") < merged.index("査定事例を研修で共有する。")


# --- rebase and cherry-pick -----------------------------------------------------------------------------------


def test_a_rebase_uses_the_driver(planning, run):
    git(planning, "checkout", "-q", "-b", "hoken")
    change(planning, PLAN, reworded, "保健G: 文言の修正")
    change(planning, PLAN, title_edit, "保健G: 施策名の修正")
    git(planning, "checkout", "-q", "main")
    change(planning, PLAN, figure("95.6"), "業務G: 目標値の修正")
    git(planning, "checkout", "-q", "hoken")
    result = git(planning, "rebase", "main", check=False)
    merged = assert_clean(planning, run, result, figure("95.6"), lambda t: title_edit(reworded(t)))
    assert SENTENCE.replace("95.4", "95.6").replace("も含めた", "を含めた") in merged
    assert "title: 現金給付の適正化の一層の推進" in merged
    assert len(git(planning, "log", "--format=%s", "main..hoken").stdout.splitlines()) == 2


def test_a_cherry_pick_uses_the_driver(planning, run):
    git(planning, "checkout", "-q", "-b", "hoken")
    change(planning, PLAN, reworded, "保健G: 文言の修正")
    git(planning, "checkout", "-q", "main")
    change(planning, PLAN, figure("95.6"), "業務G: 目標値の修正")
    result = git(planning, "cherry-pick", "hoken", check=False)
    merged = assert_clean(planning, run, result, figure("95.6"), reworded)
    assert SENTENCE.replace("95.4", "95.6").replace("も含めた", "を含めた") in merged


# --- results files ----------------------------------------------------------------------------------------------


def filled(kpi_id: str, value: str):
    """One person fills one KPI of the half-year report new-report wrote."""
    def fill(text):
        start = text.index(f"      - id: {kpi_id}\n", text.index("  - id: h1\n"))
        line = text.index("        # actual: ", start)
        end = text.index("\n", line) + 1
        return text[:line] + f"        actual: {value}  # 記入済み\n" + text[end:]
    return fill


def test_results_filled_by_two_people_merge(planning, run):
    assert run("new-report", "2021", "-b", "kumamoto", "--period", "h1", "--plans-dir", planning / "plans").code == 0
    git(planning, "commit", "-q", "-am", "上期の進捗の枠")
    ours, theirs = filled("service-standard", "99.8%"), filled("yusoka-ritsu", "92.0%")
    result = two_staff(planning, ours, theirs, RESULTS)
    assert result.returncode == 0, result.stdout + result.stderr
    merged = (planning / RESULTS).read_text(encoding="utf-8")
    assert "      - id: service-standard\n        actual: 99.8%  # 記入済み\n" in merged
    assert "      - id: yusoka-ritsu\n        actual: 92.0%  # 記入済み\n" in merged
    skeleton = git(planning, "show", "HEAD~2:" + RESULTS).stdout
    assert comments(ours(skeleton)) | comments(theirs(skeleton)) <= comments(merged)
    assert run("validate", planning / RESULTS).code == 0


def test_the_same_results_figure_filled_two_ways_is_a_conflict(planning, run):
    assert run("new-report", "2021", "-b", "kumamoto", "--period", "h1", "--plans-dir", planning / "plans").code == 0
    git(planning, "commit", "-q", "-am", "上期の進捗の枠")
    result = two_staff(planning, filled("satei-ritsu", "0.36%"), filled("satei-ritsu", "0.37%"), RESULTS)
    assert result.returncode != 0
    checked = run("validate", planning / RESULTS)
    assert checked.code == 1
    lines = [line for line in checked.err.splitlines() if "merge conflict" in line]
    assert len(lines) == 1 and "KPI satei-ritsu" in lines[0] and "0.36%" in lines[0] and "0.37%" in lines[0]


# --- a real conflict ----------------------------------------------------------------------------------------


def test_the_same_figure_changed_two_ways_stops_the_merge_and_validate_names_it(planning, run, monkeypatch):
    result = two_staff(planning, figure("95.6"), figure("95.8"))
    assert result.returncode != 0 and "CONFLICT" in result.stdout
    assert git(planning, "status", "--porcelain").stdout.startswith("UU " + PLAN)
    text = (planning / PLAN).read_text(encoding="utf-8")
    marker = text.splitlines().index("<<<<<<< ours") + 1
    checked = run("validate", planning / PLAN)
    assert checked.code == 1 and "Traceback" not in checked.err
    lines = [line for line in checked.err.splitlines() if "merge conflict" in line]
    assert len(lines) == 1 and "YAML" not in checked.err
    assert lines[0].startswith(f"{planning / PLAN}:{marker}:")
    assert "KPI hokensho-kaishu-ritsu" in lines[0] and "95.6％" in lines[0] and "95.8％" in lines[0]
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    japanese = run("validate", planning / PLAN).err
    assert "未解決のマージの競合" in japanese and f":{marker}:" in japanese
    # resolved by keeping theirs: the file validates and the merge commits
    lines = text.splitlines(keepends=True)
    start = marker - 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(">>>>>>>"))
    middle = next(i for i in range(start, end) if lines[i].startswith("======="))
    (planning / PLAN).write_text("".join(lines[:start] + lines[middle + 1:end] + lines[end + 1:]), encoding="utf-8")
    assert run("validate", planning / PLAN).code == 0
    git(planning, "commit", "-q", "-am", "競合を解消")


# --- history across merge commits -------------------------------------------------------------------------------


def test_log_and_diff_rev_work_across_a_merge_commit(planning, run):
    assert two_staff(planning, figure("95.6"), reworded).returncode == 0
    log = run("log", "2019", "-b", "kagoshima", "--plans-dir", planning / "plans")
    assert log.code == 0, log
    entries = log.out.splitlines()
    subjects = [line.split("  ", 1)[1] for line in entries[0::2]]
    assert subjects == ["Merge branch 'hoken'", "業務G の修正", "保健G の修正", "平成31年度計画 初版"]
    summaries = [line.strip() for line in entries[1::2]]
    # each commit against its own parent: 業務G raised the figure only, 保健G reworded only; the merge brought
    # 保健G's rewording into main
    assert summaries[0].startswith("マージ: ") and "引上げ" not in summaries[0]
    assert "引上げ" in summaries[1]
    assert "引上げ" not in summaries[2] and "修正" in summaries[2]
    diff = run("diff", "2019", "-b", "kagoshima", "--plans-dir", planning / "plans", "--rev", "HEAD~1..HEAD",
               "-f", "json")
    assert diff.code == 0, diff
    assert "を含めた" in diff.out and "95.6" in diff.out
    shown = git(planning, "show", "--ext-diff", "-m", "--first-parent", "HEAD").stdout
    assert "kenpo-plans diff plans/kagoshima/2019.yaml" in shown and "回収分[-も-]{+を+}含めた" in shown


def test_git_setup_adds_the_merge_driver_to_an_earlier_setup(tmp_path, run):
    repo = tmp_path / "older"
    (repo / "plans").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / ".gitattributes").write_text("plans/**/*.yaml diff=kenpo-plans\nplans/**/*.yml diff=kenpo-plans\n",
                                         encoding="utf-8")
    result = run("git-setup", "--plans-dir", repo / "plans")
    assert result.code == 0 and "merge.kenpo-plans" in result.out
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == (
        "plans/**/*.yaml diff=kenpo-plans merge=kenpo-plans\nplans/**/*.yml diff=kenpo-plans merge=kenpo-plans\n")
    assert git(repo, "check-attr", "merge", "--", "plans/a/2026.yml").stdout.strip().endswith("merge: kenpo-plans")
    assert git(repo, "config", "merge.kenpo-plans.driver").stdout.strip().endswith("merge-driver %O %A %B %P")
