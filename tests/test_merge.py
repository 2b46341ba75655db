"""The three-way merge of plans and results files (the library the git merge driver calls), on real plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from kenpo_plans.merge.driver import merge_texts
from kenpo_plans.merge.text import merge_text
from kenpo_plans.plan.validate import check_text

ROOT = Path(__file__).resolve().parent.parent
KAGOSHIMA = "plans/kagoshima/2019.yaml"
BASE = (ROOT / KAGOSHIMA).read_text(encoding="utf-8")
KUMAMOTO_RESULTS = "plans/kumamoto/2021.results.yaml"


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def comments(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip().startswith("#")}


def clean_merge(base: str, ours: str, theirs: str, path: str = KAGOSHIMA) -> str:
    outcome = merge_texts(base, ours, theirs, path)
    assert outcome.clean, outcome.text if outcome.conflicts else outcome.problems
    assert "<<<<<<<" not in outcome.text
    assert comments(ours) | comments(theirs) <= comments(outcome.text)
    if path.endswith(".results.yaml"):
        return outcome.text
    report = check_text(outcome.text, path)
    assert report.ok, [str(p) for p in report.problems]
    return outcome.text


def measure_block(text: str, measure_id: str, next_id: str) -> tuple[int, int]:
    start = text.index(f"      - id: {measure_id}\n")
    return start, text.index(next_id, start)


# --- the four cases of the issue ---------------------------------------------------------------------------


NEW_FIRST = """\
      - id: kenpo-shinki
        label: ①
        title: 新たな取組
        groups: [業務G]
        blocks:
          - items:
              - text: 新たな取組を実施する。
"""


def renumbered(text: str) -> str:
    """A measure inserted at the top of section (1), the measures after it renumbered ①→②…"""
    start = text.index("      - id: genkin-kyufu\n")
    end = text.index("  - id: senryaku\n")
    section = text[start:end]
    numbers = "①②③④⑤⑥⑦⑧⑨⑩"
    for i in range(8, -1, -1):
        section = section.replace(f"        label: {numbers[i]}\n", f"        label: {numbers[i + 1]}\n")
    return text[:start] + NEW_FIRST + section + text[end:]


def test_renumbering_and_a_title_edit_merge():
    ours = renumbered(BASE)
    theirs = edit(BASE, "title: 現金給付の適正化の推進", "title: 現金給付の適正化の一層の推進")
    merged = clean_merge(BASE, ours, theirs)
    assert "        label: ②\n        title: 現金給付の適正化の一層の推進\n" in merged
    assert "id: kenpo-shinki" in merged
    assert "        label: ②\n        title: 現金給付の適正化の一層の推進\n" in clean_merge(BASE, theirs, ours)


def test_two_words_of_one_kpi_sentence_merge():
    sentence = "日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とする。"
    ours = edit(BASE, sentence, sentence.replace("95.4", "95.6"))
    theirs = edit(BASE, sentence, sentence.replace("も含めた", "を含めた"))
    merged = clean_merge(BASE, ours, theirs)
    assert "日本年金機構回収分を含めた資格喪失後１か月以内の保険証回収率を95.6％以上とする。" in merged


def new_measure(measure_id: str, label: str, title: str) -> str:
    return (f"      - id: {measure_id}\n        label: {label}\n        title: {title}\n        groups: [業務G]\n"
            f"        blocks:\n          - items:\n              - text: {title}を進める。  # {measure_id} の担当が追加\n")


def at_end_of_section_one(text: str, measure: str) -> str:
    end = text.index("  - id: senryaku\n")
    return text[:end] + measure + text[end:]


def test_two_new_measures_at_one_place_merge_in_a_fixed_order():
    ours = at_end_of_section_one(BASE, new_measure("kyufu-kanri", "⑩", "給付管理の強化"))
    theirs = at_end_of_section_one(BASE, new_measure("hoken-kyoiku", "⑩", "保険教育の推進"))
    merged = clean_merge(BASE, ours, theirs)
    assert merged.index("id: online-shikaku") < merged.index("id: kyufu-kanri") < merged.index("id: hoken-kyoiku")
    assert merged.index("id: hoken-kyoiku") < merged.index("id: senryaku")
    assert merged.count("# kyufu-kanri の担当が追加") == 1 and merged.count("# hoken-kyoiku の担当が追加") == 1


def test_two_measures_both_numbered_the_next_number_merge_and_the_label_given_twice_is_said(run, tmp_path):
    """Two staff each add the next measure, both ⑩: the merge keeps both (nothing conflicts), but the plan now says
    ⑩ twice. validate warns at the second, and the merge driver says so while git merges."""
    ours = at_end_of_section_one(BASE, new_measure("kyufu-kanri", "⑩", "給付管理の強化"))
    theirs = at_end_of_section_one(BASE, new_measure("hoken-kyoiku", "⑩", "保険教育の推進"))
    outcome = merge_texts(BASE, ours, theirs, KAGOSHIMA)
    assert outcome.clean
    twice = [p for p in check_text(outcome.text, KAGOSHIMA).warnings if "⑩" in p.message]
    assert len(twice) == 1 and twice[0].line == outcome.text[:outcome.text.index("id: hoken-kyoiku")].count("\n") + 1
    assert [p for p in check_text(ours, KAGOSHIMA).warnings if "⑩" in p.message] == []
    assert len(outcome.notices) == 1 and "⑩" in outcome.notices[0]
    files = {name: tmp_path / f".merge_file_{name}" for name in ("base", "ours", "theirs")}
    for name, text in (("base", BASE), ("ours", ours), ("theirs", theirs)):
        files[name].write_text(text, encoding="utf-8")
    result = run("merge-driver", files["base"], files["ours"], files["theirs"], KAGOSHIMA)
    assert result.code == 0 and "⑩" in result.err, result


def moved_before(text: str, moved: str, before: str, after_moved: str) -> str:
    """Measure ``moved`` (which ends where ``after_moved`` starts) cut and put before measure ``before``."""
    start, end = measure_block(text, moved, after_moved)
    block = text[start:end]
    rest = text[:start] + text[end:]
    at = rest.index(f"      - id: {before}\n")
    return rest[:at] + block + rest[at:]


def test_a_reorder_and_an_edit_inside_the_moved_measure_merge():
    ours = moved_before(BASE, "online-shikaku", "hifuyosha-kakunin", "  - id: senryaku\n")
    ours = edit(ours, "        label: ⑨\n", "        label: ⑧\n        LABEL8\n")
    ours = edit(ours, "        label: ⑧\n        title: 被扶養者", "        label: ⑨\n        title: 被扶養者")
    ours = ours.replace("        LABEL8\n", "")
    old_item = "未提出事業所への勧奨および未送達事業所の調査による送達の徹底を行う。"
    theirs = edit(BASE, old_item, "未提出事業所への文書および電話による勧奨、未送達事業所の調査による送達の徹底を行う。")
    merged = clean_merge(BASE, ours, theirs)
    assert merged.index("id: online-shikaku") < merged.index("id: hifuyosha-kakunin")
    assert "未提出事業所への文書および電話による勧奨" in merged
    assert "        label: ⑨\n        title: 被扶養者資格の再確認の徹底" in merged


# --- sentences word by word -------------------------------------------------------------------------------


def test_edits_of_different_words_are_both_kept_and_of_the_same_words_conflict():
    base = "保険証回収率を95.4％以上とする。"
    assert merge_text(base, "保険証回収率を95.6％以上とする。", "保険証の回収率を95.4％以上とする。") == \
        "保険証の回収率を95.6％以上とする。"
    assert merge_text(base, "保険証回収率を95.6％以上とする。", "保険証回収率を95.8％以上とする。") is None
    assert merge_text(base, "保険証回収率を95.6％以上とする。", "保険証回収率を95.6％以上とする。") == \
        "保険証回収率を95.6％以上とする。"
    # two insertions at one place: which comes first is not for the merge to guess
    assert merge_text("勧奨を行う。", "文書による勧奨を行う。", "電話による勧奨を行う。") is None


# --- conflicts and what validate says of them ----------------------------------------------------------------


def conflicted(ours: str, theirs: str, path: str = KAGOSHIMA) -> str:
    outcome = merge_texts(BASE, ours, theirs, path)
    assert outcome.conflicts == 1 and not outcome.clean
    return outcome.text


def errors_of(text: str) -> list[str]:
    return [str(p) for p in check_text(text, KAGOSHIMA).problems if p.severity == "error"]


def test_the_same_figure_changed_two_ways_is_marked_around_that_one_field():
    sentence = "日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とする。"
    text = conflicted(edit(BASE, sentence, sentence.replace("95.4", "95.6")),
                      edit(BASE, sentence, sentence.replace("95.4", "95.8")))
    lines = text.splitlines()
    start = lines.index("<<<<<<< ours")
    assert lines[start - 1] == "          - id: hokensho-kaishu-ritsu"
    assert lines[start + 1:start + 5] == ["            text: " + sentence.replace("95.4", "95.6"), "=======",
                                          "            text: " + sentence.replace("95.4", "95.8"), ">>>>>>> theirs"]
    assert comments(BASE) <= comments(text)
    errors = errors_of(text)
    assert len(errors) == 1 and errors[0].startswith(f"{KAGOSHIMA}:{start + 1}:1: error:")
    assert "measure hennokin-saiken / KPI hokensho-kaishu-ritsu / text" in errors[0]
    assert "ours 「…内の保険証回収率を95.6％以上とする。」, theirs 「…内の保険証回収率を95.8％以上とする。」" in errors[0]
    assert "YAML" not in errors[0]


def test_a_measure_deleted_on_one_side_and_edited_on_the_other_is_a_conflict():
    start, end = measure_block(BASE, "anma-shinkyu", "      - id: hennokin-saiken")
    text = conflicted(BASE[:start] + BASE[end:], edit(BASE, "受領委任制度導入に伴い、", "受領委任制度の導入に伴い、"))
    errors = errors_of(text)
    assert len(errors) == 1 and "measure anma-shinkyu)" in errors[0]
    assert "ours (deleted), theirs 「anma-shinkyu" in errors[0]
    resolved = text.replace("<<<<<<< ours\n=======\n", "").replace(">>>>>>> theirs\n", "")
    assert check_text(resolved, KAGOSHIMA).ok and "受領委任制度の導入に伴い、" in resolved


def test_the_same_new_id_written_twice_differently_conflicts_field_by_field():
    ours = at_end_of_section_one(BASE, new_measure("kyufu-kanri", "⑩", "給付管理の強化"))
    theirs = at_end_of_section_one(BASE, new_measure("kyufu-kanri", "⑩", "給付管理の推進"))
    outcome = merge_texts(BASE, ours, theirs, KAGOSHIMA)
    assert outcome.conflicts == 1  # the title; id, label and groups agree, and both new bullets are kept
    assert outcome.text.count("id: kyufu-kanri") == 1
    assert "- text: 給付管理の強化を進める。" in outcome.text and "- text: 給付管理の推進を進める。" in outcome.text


def test_a_merge_that_would_not_validate_is_a_conflict():
    ours = at_end_of_section_one(BASE, new_measure("kyufu-kanri", "⑩", "給付管理の強化"))
    end = BASE.index("  - id: soshiki\n")
    theirs = BASE[:end] + new_measure("kyufu-kanri", "⑥", "給付管理の強化") + BASE[end:]
    outcome = merge_texts(BASE, ours, theirs, KAGOSHIMA)
    assert outcome.conflicts == 0 and not outcome.clean
    assert any("kyufu-kanri" in problem for problem in outcome.problems)


def test_validate_reads_gits_own_markers_and_stray_ones():
    sentence = "サービススタンダードの達成状況を100％とする。"
    at = BASE.index("            text: " + sentence)
    line = BASE[:at].count("\n") + 1
    text = (BASE[:at] + "<<<<<<< HEAD\n            text: " + sentence.replace("100", "99")
            + "\n||||||| base\n            text: " + sentence + "\n=======\n            text: "
            + sentence.replace("100", "98") + "\n>>>>>>> hoken\n" + BASE[at + len(sentence) + 19:])
    errors = errors_of(text)
    assert len(errors) == 1 and errors[0].startswith(f"{KAGOSHIMA}:{line}:1:")
    assert "KPI service-standard / text" in errors[0] and "99％" in errors[0] and "98％" in errors[0]
    stray = errors_of(BASE.replace("  - id: senryaku\n", "=======\n  - id: senryaku\n"))
    assert len(stray) == 1 and "without the rest of its conflict" in stray[0]


def test_validate_names_conflicts_in_japanese(monkeypatch):
    sentence = "日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とする。"
    text = conflicted(edit(BASE, sentence, sentence.replace("95.4", "95.6")),
                      edit(BASE, sentence, sentence.replace("95.4", "95.8")))
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    (error,) = errors_of(text)
    assert "未解決のマージの競合があります（区分 kiban / 施策 hennokin-saiken / ＫＰＩ hokensho-kaishu-ritsu / text）" in error
    assert "自分の版 「…内の保険証回収率を95.6％以上とする。」" in error


# --- results files -----------------------------------------------------------------------------------------


def test_results_two_people_fill_different_kpis():
    base = (ROOT / KUMAMOTO_RESULTS).read_text(encoding="utf-8")
    ours = edit(base, "      - id: yusoka-ritsu\n        actual: 91.4%\n",
                "      - id: yusoka-ritsu\n        actual: 91.4%\n        rating: ○  # 業務G\n")
    theirs = edit(base, "      - id: satei-ritsu\n        actual: 0.363%\n",
                  "      - id: satei-ritsu\n        actual: 0.364%  # 訂正\n")
    merged = clean_merge(base, ours, theirs, KUMAMOTO_RESULTS)
    assert "actual: 91.4%\n        rating: ○  # 業務G\n" in merged and "actual: 0.364%  # 訂正\n" in merged


# --- the command git runs -------------------------------------------------------------------------------


def test_merge_driver_writes_the_merge_over_ours_and_exits_by_whether_it_conflicts(run, tmp_path):
    sentence = "日本年金機構回収分も含めた資格喪失後１か月以内の保険証回収率を95.4％以上とする。"
    files = {name: tmp_path / f".merge_file_{name}" for name in ("base", "ours", "theirs")}
    files["base"].write_text(BASE, encoding="utf-8")
    files["ours"].write_text(edit(BASE, sentence, sentence.replace("95.4", "95.6")), encoding="utf-8")
    files["theirs"].write_text(edit(BASE, sentence, sentence.replace("も含めた", "を含めた")), encoding="utf-8")
    result = run("merge-driver", files["base"], files["ours"], files["theirs"], KAGOSHIMA)
    assert result.code == 0 and result.err == "", result
    assert "回収分を含めた資格喪失後１か月以内の保険証回収率を95.6％以上" in files["ours"].read_text(encoding="utf-8")
    files["theirs"].write_text(edit(BASE, sentence, sentence.replace("95.4", "95.8")), encoding="utf-8")
    files["ours"].write_text(edit(BASE, sentence, sentence.replace("95.4", "95.6")), encoding="utf-8")
    result = run("merge-driver", files["base"], files["ours"], files["theirs"], KAGOSHIMA)
    assert result.code == 1 and "1 conflict(s)" in result.err and "Traceback" not in result.err
    assert "<<<<<<< ours" in files["ours"].read_text(encoding="utf-8")


def test_merge_driver_falls_back_to_lines_when_a_side_is_not_yaml(run, tmp_path):
    files = {name: tmp_path / name for name in ("base", "ours", "theirs")}
    files["base"].write_text(BASE, encoding="utf-8")
    files["ours"].write_text(BASE.replace("status: draft", "status: [draft"), encoding="utf-8")
    files["theirs"].write_text(BASE.replace("status: draft", "status: final"), encoding="utf-8")
    result = run("merge-driver", files["base"], files["ours"], files["theirs"], KAGOSHIMA)
    assert result.code == 1 and "line by line" in result.err
    assert "<<<<<<< ours\nstatus: [draft\n=======\nstatus: final\n>>>>>>> theirs\n" in \
        files["ours"].read_text(encoding="utf-8")


def test_a_field_deleted_on_one_side_and_edited_on_the_other_is_one_conflict():
    note = "            notes:\n              - （※）査定率＝レセプト点検により査定（減額）した額÷協会けんぽの医療費総額\n"
    outcome = merge_texts(BASE, edit(BASE, note, ""), edit(BASE, "医療費総額\n", "医療費総額（年度計）\n"), KAGOSHIMA)
    assert outcome.conflicts == 1
    assert "<<<<<<< ours\n=======\n            notes:\n              - （※）査定率" in outcome.text


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "plans").glob("*/*.yaml")))
def test_every_real_file_comes_back_byte_for_byte_beside_an_edit_elsewhere(path):
    """What one side did not touch is written exactly as it was: comments, quotes, layout."""
    text = (ROOT / path).read_text(encoding="utf-8")
    first_key = next(line for line in text.splitlines() if line and not line.startswith("#"))
    ours = text.replace(first_key, first_key + "  # 自分の追記", 1)
    theirs = text + "# 相手の追記\n"
    outcome = merge_texts(text, ours, theirs, path)
    assert outcome.text == ours + "# 相手の追記\n", outcome.text[-300:]


# --- edits the tests above have not seen: random ones, in two different measures -------------------------------


def _random_edit(plan, rng, measure_id: str) -> None:
    """One edit of a staff member inside one measure: its title, a bullet, a new or deleted bullet, its groups,
    its first KPI's sentence, or its place among the measures of its section."""
    for section in plan["sections"]:
        measures = section.get("measures", [])
        for index, measure in enumerate(measures):
            if measure["id"] != measure_id:
                continue
            bullets = next((b["items"] for b in measure.get("blocks", []) if len(b.get("items", [])) > 1), None)
            kind = rng.choice(["title", "bullet", "new bullet", "no bullet", "groups", "kpi", "move"])
            if kind == "bullet" and bullets:
                bullets[rng.randrange(len(bullets))]["text"] += "（見直し）"
            elif kind == "new bullet" and bullets:
                bullets.insert(rng.randrange(len(bullets) + 1), {"text": f"新たな取組{rng.randrange(100)}を行う。"})
            elif kind == "no bullet" and bullets:
                del bullets[rng.randrange(len(bullets))]
            elif kind == "groups":
                measure["groups"] = [g for g in measure.get("groups", []) if g != "企画総務G"] + ["企画総務G"]
            elif kind == "kpi" and measure.get("kpis"):
                measure["kpis"][0]["text"] = measure["kpis"][0]["text"].replace("とする。", "を目指す。")
            elif kind == "move" and len(measures) > 1:
                measures.insert(rng.randrange(len(measures)), measures.pop(index))
            else:
                measure["title"] += "（改）"
            return


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_random_edits_of_two_measures_merge_as_if_made_one_after_the_other(seed):
    import io
    import random

    from kenpo_plans.merge.lists import plain
    from kenpo_plans.plan.yamlwriter import round_trip

    def edited(text, measure_id, edit_seed):
        plan = round_trip().load(text)
        _random_edit(plan, random.Random(edit_seed), measure_id)
        out = io.StringIO()
        round_trip().dump(plan, out)
        return out.getvalue()

    ids = [m["id"] for s in round_trip().load(BASE)["sections"] for m in s.get("measures", [])]
    mine, yours = random.Random(seed).sample(ids, 2)
    ours, theirs = edited(BASE, mine, seed * 2), edited(BASE, yours, seed * 2 + 1)
    merged = clean_merge(BASE, ours, theirs)
    assert plain(round_trip().load(merged)) == plain(round_trip().load(edited(ours, yours, seed * 2 + 1)))


def test_an_alias_bomb_on_one_side_is_merged_line_by_line_at_once():
    import time

    bomb = "".join(f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 30))
    ours = BASE + "a0: &a0 [lol]\n" + bomb
    start = time.perf_counter()
    outcome = merge_texts(BASE, ours, edit(BASE, "status: draft", "status: final"), KAGOSHIMA)
    assert time.perf_counter() - start < 10
    assert outcome.line_merge and outcome.conflicts == 0 and "status: final" in outcome.text and "*a28" in outcome.text
