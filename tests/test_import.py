"""`kenpo-plans import`: plans typed in Word the way offices type them, and the seed texts, back as plan files."""

from __future__ import annotations

import re
import shutil

import pytest

import officedocs
from conftest import DATA, PLANS
from kenpo_plans.importing.plan_import import import_for_branch
from kenpo_plans.plan.store import PlanStore
from kenpo_plans.importing.conventions import split_title
from kenpo_plans.importing.sources import read_lines
from kenpo_plans.plan.validate import check_text
from kenpo_plans.plan.loader import load_plan


def plans_with(tmp_path, *files: str):
    """A plans directory holding only the named files of plans/ (e.g. kagoshima/2018.yaml)."""
    root = tmp_path / "plans"
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PLANS / name, root / name)
    return root


def imported_plan(document, branch, year, plans_dir):
    imported = import_for_branch(document, PlanStore(plans_dir), branch, year)
    report = check_text(imported.text, str(plans_dir / branch / f"{year}.yaml"))
    assert report.ok, [str(p) for p in report.errors]
    return imported, report.plan


def item_texts(plan):
    return [item.text for _owner, item in plan.walk_items()]


@pytest.mark.parametrize("style", officedocs.STYLES)
def test_kagoshima_2019_typed_in_word_imports_with_2018_ids(tmp_path, kagoshima, style):
    plans_dir = plans_with(tmp_path, "kagoshima/2018.yaml")
    document = officedocs.build(kagoshima[2019], style, tmp_path / f"{style}.docx", kagoshima[2018])
    imported, plan = imported_plan(document, "kagoshima", 2019, plans_dir)
    expected = kagoshima[2019]
    got_measures = {m.title: m for m in plan.walk_measures()}
    assert [m.title for m in expected.walk_measures() if m.title not in got_measures] == []
    assert {k.text for _m, k in expected.walk_kpis()} <= {k.text for _m, k in plan.walk_kpis()}
    got_items = set(item_texts(plan))
    verbatim = sum(text in got_items for text in item_texts(expected)) / len(item_texts(expected))
    assert verbatim >= 0.98
    old_ids = {m.id for m in kagoshima[2018].walk_measures()}
    continuing = [m for m in expected.walk_measures() if m.id in old_ids]
    assert len(continuing) >= 20
    assert [(m.title, got_measures[m.title].id) for m in continuing if got_measures[m.title].id != m.id] == []
    old_kpis = {k.id for _m, k in kagoshima[2018].walk_kpis()}
    got_kpis = {k.text: k.id for _m, k in plan.walk_kpis()}
    assert [k.id for _m, k in expected.walk_kpis() if k.id in old_kpis and got_kpis[k.text] != k.id] == []
    assert plan.title == expected.title and plan.is_draft and plan.document.number == "資料 2-3"
    assert [m.groups for m in plan.walk_measures()] == [m.groups for m in expected.walk_measures()]
    if style == "shinkyu":  # the 旧 column is reported line by line, not imported
        assert len(imported.unplaced) > 100 and {u.reason for u in imported.unplaced} == {"旧欄", "新旧の列見出し"}
    else:
        assert imported.unplaced == []


def test_kagoshima_2018_in_every_style(tmp_path, kagoshima):
    plans_dir = plans_with(tmp_path)
    for style in ("typed", "numbered", "table", "fullwidth"):
        document = officedocs.build(kagoshima[2018], style, tmp_path / f"{style}.docx")
        _imported, plan = imported_plan(document, "kagoshima", 2018, plans_dir)
        assert [m.title for m in plan.walk_measures()] == [m.title for m in kagoshima[2018].walk_measures()]
        got = set(item_texts(plan))
        assert sum(t in got for t in item_texts(kagoshima[2018])) / len(item_texts(kagoshima[2018])) >= 0.98


def test_word_list_numbering_gives_the_labels(tmp_path, kagoshima):
    document = officedocs.build(kagoshima[2019], "numbered", tmp_path / "n.docx")
    texts = [line.text for line in read_lines(document)]
    assert "（1）基盤的保険者機能関係" in texts and "⑨オンライン資格確認の導入に向けた対応【レセプトG】" in texts
    assert "（3）組織・運営体制関係" in texts and "①ＯＪＴを中心とした人材育成【企画総務G】" in texts


def test_a_manual_line_break_continues_the_sentence(tmp_path, kagoshima):
    document = officedocs.build(kagoshima[2019], "typed", tmp_path / "t.docx")
    lines = read_lines(document)
    assert any(line.wrapped for line in lines)  # the builder did break some sentences
    _imported, plan = imported_plan(document, "kagoshima", 2019, plans_with(tmp_path))
    assert set(item_texts(kagoshima[2019])) <= set(item_texts(plan))


def test_titles_lose_their_group_tags_and_goals():
    assert split_title("②データ分析に基づいた計画の着実な実施〈Ⅰ、Ⅱ、Ⅲ〉【保健 G・企画総務 Ｇ】") == (
        "②データ分析に基づいた計画の着実な実施", ["保健G", "企画総務G"], ["Ⅰ", "Ⅱ", "Ⅲ"])


def _bare(text: str) -> str:
    text = re.sub(r"^(?:[○・●◆※①-⑳]|[（(][0-9０-９][）)]|[ⅰ-ⅹivx]+）|[IVX0-9]+\.)|【[^】]*[GＧ]】|〈[^〉]*〉", "", text)
    return re.sub(r"\s+", "", text)


def test_no_line_is_lost(tmp_path, kagoshima):
    """Every line of the source is in the plan file: in the plan, or in the report of unplaced lines."""
    document = officedocs.build(kagoshima[2019], "shinkyu", tmp_path / "s.docx", kagoshima[2018])
    imported = import_for_branch(document, PlanStore(plans_with(tmp_path)), "kagoshima", 2019)
    written = re.sub(r"\s+", "", imported.text)
    missing = [line.text for line in read_lines(document) if _bare(line.text)[:12] not in written]
    assert missing == []
    assert "#取り込めなかった行（" in written and "旧欄" in written


def test_seed_003_holds_the_2019_transcription(kagoshima):
    """The 新旧対照表 as extracted from its PDF interleaves the 新 and 旧 columns page by page, so both come in;
    every 2019 measure and KPI of the transcription is among them verbatim, and nearly every item."""
    imported = import_for_branch(DATA / "seed003_kagoshima_shinkyu.txt", PlanStore(PLANS), "kagoshima", 2019)
    report = check_text(imported.text, "2019.yaml")
    assert report.ok, [str(p) for p in report.errors]
    texts = set(re.findall(r"(?:text|title): (.+)", imported.text))
    expected = kagoshima[2019]
    assert sum(m.title in texts for m in expected.walk_measures()) >= len(list(expected.walk_measures())) - 1
    assert {k.text for _m, k in expected.walk_kpis()} <= texts
    assert sum(t in texts for t in item_texts(expected)) / len(item_texts(expected)) >= 0.85


def test_seed_001_plan_rows_against_the_yamaguchi_transcription():
    """The progress report's 施策 and 取組 columns are the plan; its 実績 column is reported, not imported."""
    imported = import_for_branch(DATA / "seed001_yamaguchi_2021_q1.txt", PlanStore(PLANS), "yamaguchi", 2021)
    plan, _problems = load_plan(PLANS / "yamaguchi" / "2021.yaml")
    texts = set(re.findall(r"(?:text|title): '?(.+?)'?$", imported.text, re.M))
    titles = [m.title for m in plan.walk_measures()]
    assert sum(t in texts for t in titles) / len(titles) >= 0.85
    items = item_texts(plan)
    assert sum(t in texts for t in items) / len(items) >= 0.8
    assert {u.reason for u in imported.unplaced} <= {"実績欄", "表の見出し"}


def test_cli_import_dry_run_write_and_refuse_to_replace(tmp_path, run, kagoshima):
    plans_dir = plans_with(tmp_path, "kagoshima/2018.yaml")
    document = officedocs.build(kagoshima[2019], "typed", tmp_path / "k.docx")
    result = run("import", document, "-b", "kagoshima", "-y", "平成31年度", "--plans-dir", plans_dir, "--dry-run")
    assert result.code == 0, result
    assert "id: hennokin-saiken" in result.out and not (plans_dir / "kagoshima" / "2019.yaml").exists()
    result = run("import", document, "-b", "kagoshima", "-y", "2019", "--plans-dir", plans_dir)
    assert result.code == 0, result
    written = plans_dir / "kagoshima" / "2019.yaml"
    assert written.is_file() and "wrote" in result.err
    assert run("validate", written, "--plans-dir", plans_dir).code == 0
    again = run("import", document, "-b", "kagoshima", "-y", "2019", "--plans-dir", plans_dir)
    assert again.code == 1 and "already exists" in again.err


def test_cli_import_reports_unplaced_lines(tmp_path, run):
    source = tmp_path / "plan.txt"
    source.write_text("平成31年度 事業計画（鹿児島支部）\nこれは前文です\n（1）基盤的保険者機能関係\n"
                      "①現金給付の適正化の推進【業務G】\n○ 併給調整を確実に実施する。\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = run("import", source, "-b", "kagoshima", "-o", out, "--plans-dir", tmp_path / "none")
    assert result.code == 0, result
    assert "2行" in result.out and "これは前文です" in result.out
    text = out.read_text(encoding="utf-8")
    assert text.rstrip().endswith("これは前文です")
    assert "fiscal_year: 2019" in text and "併給調整を確実に実施する。" in text


def test_cli_import_rejects_an_unknown_kind(tmp_path, run):
    bad = tmp_path / "plan.odt"
    bad.write_bytes(b"x")
    result = run("import", bad, "-b", "kagoshima", "-y", "2019")
    assert result.code == 1 and ".odt" in result.err and "Traceback" not in result.err


def test_diff_of_two_word_plans_writes_the_shinkyu_table(tmp_path, run, kagoshima):
    old = officedocs.build(kagoshima[2018], "typed", tmp_path / "2018.docx")
    new = officedocs.build(kagoshima[2019], "numbered", tmp_path / "2019.docx")
    text = run("diff", old, new, "-f", "text", "--no-color")
    assert text.code == 0, text
    yaml_text = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "text", "--no-color")
    summary = [line for line in text.out.splitlines() if line.startswith("ＫＰＩ目標:")]
    assert summary == [line for line in yaml_text.out.splitlines() if line.startswith("ＫＰＩ目標:")]
    assert "引上げ 10" in summary[0]
    assert "[引上げ・厳格化] 95.0%以上 → 95.4%以上" in text.out
    out = tmp_path / "table.docx"
    assert run("diff", old, new, "-b", "kagoshima", "-f", "docx", "-o", out).code == 0
    from docx import Document

    body = "".join(cell.text for table in Document(str(out)).tables for row in table.rows for cell in row.cells)
    assert "オンライン資格確認の導入に向けた対応" in body
    text_source = tmp_path / "2018.txt"
    text_source.write_text("\n".join(line.text for line in read_lines(old)), encoding="utf-8")
    assert run("diff", text_source, new, "-f", "json").code == 0


@pytest.mark.slow
@pytest.mark.parametrize("style", ["typed", "shinkyu"])
def test_pdf_printed_by_libreoffice_from_an_office_word_file(tmp_path, kagoshima, style):
    """A plan, and a 2-column 新旧対照表 (its 旧 column reported, not imported), printed to PDF by LibreOffice."""
    from test_office import SOFFICE, converted

    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    document = officedocs.build(kagoshima[2019], style, tmp_path / f"{style}.docx", kagoshima[2018])
    pdf = converted(document, tmp_path)
    imported, plan = imported_plan(pdf, "kagoshima", 2019, plans_with(tmp_path, "kagoshima/2018.yaml"))
    expected = kagoshima[2019]
    titles = {m.title: m.id for m in plan.walk_measures()}
    assert [m.title for m in expected.walk_measures() if m.title not in titles] == []
    assert {k.text for _m, k in expected.walk_kpis()} <= {k.text for _m, k in plan.walk_kpis()}
    got = set(item_texts(plan))
    assert sum(t in got for t in item_texts(expected)) / len(item_texts(expected)) >= 0.98
    assert titles["返納金債権の発生防止のための保険証回収強化、債権回収業務の推進"] == "hennokin-saiken"
    assert {u.reason for u in imported.unplaced} <= {"旧欄", "新旧の列見出し", "頁番号"}
    if style == "shinkyu":
        assert len([u for u in imported.unplaced if u.reason == "旧欄"]) > 100


def test_diff_of_a_plan_file_and_a_word_plan(tmp_path, run, kagoshima):
    new = officedocs.build(kagoshima[2019], "fullwidth", tmp_path / "2019.docx")
    result = run("diff", PLANS / "kagoshima" / "2018.yaml", new, "-f", "json")
    assert result.code == 0, result
    assert '"branch": "kagoshima"' in result.out and "hennokin-saiken" in result.out


def test_a_first_import_names_what_is_new_by_its_words(tmp_path, kagoshima):
    # no earlier plan of the branch: ids come from the titles' words (as the transcribed plans name theirs),
    # shared KPIs from the vocabulary, never from positions such as s2-m3
    document = officedocs.build(kagoshima[2019], "typed", tmp_path / "typed.docx")
    _imported, plan = imported_plan(document, "fukuoka", 2019, plans_with(tmp_path))
    measures = {m.title: m.id for m in plan.walk_measures()}
    assert measures["現金給付の適正化の推進"] == "genkin-kyufu-tekiseika-suishin"
    ids = [m.id for m in plan.walk_measures()] + [k.id for _m, k in plan.walk_kpis()] + [s.id for s in plan.sections]
    assert not [i for i in ids if re.fullmatch(r"s\d+(-m\d+)*(-\d+)*(-kpi\d+)?(-\d+)?", i)]
    assert len(set(ids)) == len(ids)
    from kenpo_plans.plan.vocabulary import implied_properties

    shared = [k for _m, k in plan.walk_kpis() if implied_properties(k.id).get("accumulates")]
    assert shared and all(k.accumulates for k in shared)  # what the vocabulary knows, without an earlier plan


def test_a_folder_or_a_pipe_is_named_for_what_it_is(tmp_path, run):
    import os

    folder = tmp_path / "plan.docx"
    folder.mkdir()
    pipe = tmp_path / "plan.pdf"
    os.mkfifo(pipe)
    in_folder = run("import", folder, "--branch", "fukuoka", "--year", "2027", "--plans-dir", tmp_path / "plans")
    assert in_folder.code == 2 and "is a directory" in in_folder.err  # click's own check of FILE
    piped = run("import", pipe, "--branch", "fukuoka", "--year", "2027", "--plans-dir", tmp_path / "plans")
    assert piped.code == 1 and "a named pipe" in piped.err and "no such file" not in piped.err, piped.err
    missing = run("import", tmp_path / "nope.docx", "--branch", "fukuoka", "--plans-dir", tmp_path / "plans")
    assert missing.code == 1 and "no such file" in missing.err
