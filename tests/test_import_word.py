"""`kenpo-plans import` of Word files typed the way a new office types them (issue 31) and with hostile numbering
(issue 27, point 2): tables with header rows, Word's own bullets and headings, hidden text, 新旧対照表 sides."""

from __future__ import annotations

import re
import subprocess
import time
from zipfile import ZipFile

import pytest
from docx import Document
from docx.oxml.ns import qn

import officedocs
import officelayouts
from conftest import DATA, PLANS
from kenpo_plans.importing.plan_import import import_for_branch
from kenpo_plans.plan.store import PlanStore
from kenpo_plans.importing.plan_import import ImportFailed
from kenpo_plans.importing.sources import read_lines
from kenpo_plans.plan.validate import check_text
from kenpo_plans.plan.loader import load_plan
from kenpo_plans.render.office import plan_docx
from kenpo_plans.render.plan_document import build_context
from test_import import plans_with
from test_office import SOFFICE, needs_office

PRIVATE_OR_INVISIBLE = re.compile("[\ue000-\uf8ff\u200b-\u200d\u2060\ufeff\u00ad]")


def _checked(imported, plans_dir, branch="kagoshima"):
    report = check_text(imported.text, str(plans_dir / branch / f"{imported.fiscal_year}.yaml"))
    assert report.ok, [str(p) for p in report.errors]
    return report


@pytest.mark.parametrize("layout", officelayouts.LAYOUTS)
def test_kagoshima_2019_in_unseen_office_layouts_equals_the_plan(tmp_path, kagoshima, layout):
    """No --year: the title's year finds the 2018 plan; every title, item, KPI and group as in the real plan."""
    plans_dir = plans_with(tmp_path, "kagoshima/2018.yaml")
    document = officelayouts.build(kagoshima[2019], layout, tmp_path / f"{layout}.docx")
    imported = import_for_branch(document, PlanStore(plans_dir), "kagoshima", None)
    report = _checked(imported, plans_dir)
    plan = report.plan
    assert officelayouts.shape(plan) == officelayouts.shape(kagoshima[2019])
    assert (plan.fiscal_year, plan.branch_name, plan.title, plan.status) == (2019, "鹿児島支部", kagoshima[2019].title,
                                                                             "draft")
    assert not PRIVATE_OR_INVISIBLE.search(imported.text)
    assert [w for w in report.warnings if "invisible" in w.message or "private" in w.message] == []
    old_ids = {m.id for m in kagoshima[2018].walk_measures()}
    got = {m.title: m.id for m in plan.walk_measures()}
    assert [m.title for m in kagoshima[2019].walk_measures() if m.id in old_ids and got[m.title] != m.id] == []
    old_kpis = {k.id for _m, k in kagoshima[2018].walk_kpis()}
    got_kpis = {k.text: k.id for _m, k in plan.walk_kpis()}
    assert [k.id for _m, k in kagoshima[2019].walk_kpis() if k.id in old_kpis and got_kpis[k.text] != k.id] == []
    assert imported.ids["earlier"] >= 40 and imported.unplaced == [] and imported.doubts == []
    assert imported.counts == {"sections": 3, "measures": 26, "items": 71, "kpis": 21}
    if layout == "group_table":
        assert imported.tables[0] == "表1: 1列「施策」→施策名、2列「担当グループ」→担当グループ"
    if layout == "kpi_table":
        assert imported.tables[0] == "表1: 1列「施策・担当」→施策名、2列「取組内容」→取組、3列「ＫＰＩ」→ＫＰＩ"


def test_the_year_from_the_title_gives_the_same_plan_as_the_year_option(tmp_path, kagoshima):
    plans_dir = plans_with(tmp_path, "kagoshima/2018.yaml")
    document = officedocs.build(kagoshima[2019], "typed", tmp_path / "typed.docx")
    assert import_for_branch(document, PlanStore(plans_dir), "kagoshima", None).text == \
        import_for_branch(document, PlanStore(plans_dir), "kagoshima", 2019).text


def test_word_list_bullet_reads_as_the_marker_it_shows(tmp_path):
    """List Bullet's bullet is U+F0B7 in the Symbol font (numbering.xml): a ○ item, List Bullet 2 its ・ point."""
    document = Document()
    document.add_paragraph("令和2年度 事業計画（福岡支部）")
    document.add_paragraph("（1）基盤的保険者機能関係", style="Heading 1")
    document.add_paragraph("①サービス水準の向上【業務G】", style="Heading 2")
    document.add_paragraph("お客様満足度調査の結果を活用する。", style="List Bullet")
    document.add_paragraph("窓口の案内を見直す。", style="List Bullet 2")
    document.add_paragraph("郵送化を進める。", style="List Bullet")
    path = tmp_path / "bullets.docx"
    document.save(str(path))
    texts = [line.text for line in read_lines(path)]
    assert texts[-3:] == ["○お客様満足度調査の結果を活用する。", "・窓口の案内を見直す。", "○郵送化を進める。"]
    imported = import_for_branch(path, PlanStore(tmp_path / "plans"), "fukuoka", None, name="福岡支部")
    plan = _checked(imported, tmp_path / "plans", "fukuoka").plan
    measure = plan.sections[0].measures[0]
    assert [(i.marker, i.text, [(c.marker, c.text) for c in i.items]) for i in measure.blocks[0].items] == [
        ("○", "お客様満足度調査の結果を活用する。", [("・", "窓口の案内を見直す。")]),
        ("○", "郵送化を進める。", [])]
    assert measure.groups == ["業務G"] and plan.branch_name == "福岡支部" and plan.fiscal_year == 2020


def _hidden_run(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.hidden = True


def test_hidden_text_is_reported_never_taken(tmp_path):
    document = Document()
    document.add_paragraph("令和2年度 事業計画（福岡支部）")
    document.add_paragraph("（1）基盤的保険者機能関係")
    document.add_paragraph("①サービス水準の向上【業務G】")
    visible = document.add_paragraph("○お客様の声を活かす。")
    _hidden_run(visible, "（旧年度の目標95％）")
    _hidden_run(document.add_paragraph(), "○消したはずの取組。")
    path = tmp_path / "hidden.docx"
    document.save(str(path))
    imported = import_for_branch(path, PlanStore(tmp_path / "plans"), "fukuoka", None, name="福岡支部")
    assert "消したはずの取組" not in imported.text.split("# 取り込めなかった行")[0]
    assert "旧年度の目標" not in imported.text.split("# 取り込めなかった行")[0]
    hidden = [(u.place, u.text) for u in imported.unplaced if u.reason.startswith("隠し文字")]
    assert hidden == [("段落 4", "（旧年度の目標95％）"), ("段落 5", "○消したはずの取組。")]
    item = _checked(imported, tmp_path / "plans", "fukuoka").plan.sections[0].measures[0].blocks[0].items
    assert [i.text for i in item] == ["お客様の声を活かす。"]


def _numbered_document(path, levels: list[tuple[str, str, str]], paragraphs: int = 3):
    """A list whose numbering.xml levels are (numFmt, lvlText, start) as given, raw."""
    document = Document()
    num_id = officedocs._add_numbering(document, [(fmt, text) for fmt, text, _start in levels])
    numbering = document.part.numbering_part.element
    abstract = numbering.findall(qn("w:abstractNum"))[-1]
    for lvl, (_fmt, _text, start) in zip(abstract.findall(qn("w:lvl")), levels):
        lvl.find(qn("w:start")).set(qn("w:val"), start)
    for n in range(paragraphs):
        officedocs._numbered_paragraph(document, f"項目{n}", num_id, n % len(levels))
    document.save(str(path))
    return path


@pytest.mark.parametrize("fmt, start, first", [
    ("lowerLetter", "2000000", "g" * 1261 + "."),  # capped at 32767 as Word caps it: the 7th letter, 1,261 times
    ("decimal", "abc", "1."),  # ignored: the default start
    ("decimal", "9" * 5000, "32767."),
    ("upperRoman", "10000000", "M" * 32 + "DCCLXVII."),
    ("decimalEnclosedCircle", "-3", "①."),
])
def test_hostile_numbering_values_are_capped_or_ignored_and_said(tmp_path, fmt, start, first):
    path = _numbered_document(tmp_path / "n.docx", [(fmt, "%1.", start)])
    began = time.perf_counter()
    lines = read_lines(path)
    assert time.perf_counter() - began < 2
    body = [line.text for line in lines if not line.column]
    assert body[0] == first + "項目0"
    problems = [line for line in lines if line.column == "numbering"]
    assert len(problems) == 1
    assert problems[0].place.startswith("numbering.xml") and "w:start" in problems[0].text


def test_a_bad_level_number_is_ignored(tmp_path):
    path = _numbered_document(tmp_path / "n.docx", [("decimal", "%1.", "1"), ("lowerRoman", "%2）", "1")], 4)
    with ZipFile(path) as zipped:
        parts = {name: zipped.read(name) for name in zipped.namelist()}
    parts["word/numbering.xml"] = parts["word/numbering.xml"].replace(b'w:ilvl="1"', b'w:ilvl="abc"', 1)
    with ZipFile(path, "w") as zipped:
        for name, data in parts.items():
            zipped.writestr(name, data)
    lines = read_lines(path)
    assert [line.text for line in lines if line.column == "numbering"] == ['w:ilvl="abc"']
    assert [line.text for line in lines if not line.column] == ["1.項目0", "項目1", "2.項目2", "項目3"]


def test_a_results_report_is_named_not_read_as_a_plan(tmp_path):
    with pytest.raises(ImportFailed, match="is a results report.*令和６年度熊本支部事業実施結果"):
        import_for_branch(DATA / "seed002_kumamoto_2024_kekka.txt", PlanStore(tmp_path / "plans"), "kumamoto", None)


def test_a_shinkyu_table_gives_either_plan_or_both(tmp_path, kagoshima, run):
    plans_dir = plans_with(tmp_path)
    document = officedocs.build(kagoshima[2019], "shinkyu", tmp_path / "s.docx", kagoshima[2018])
    old = import_for_branch(document, PlanStore(plans_dir), "kagoshima", None, side="old", name="鹿児島支部")
    plan = _checked(old, plans_dir).plan
    assert (plan.fiscal_year, plan.title, plan.status) == (2018, "平成30年度 事業計画（鹿児島支部）", "final")
    continuing = {n.id for n in kagoshima[2019].walk_measures()}
    shown = [m.title for m in kagoshima[2018].walk_measures() if m.id in continuing]
    assert [m.title for m in plan.walk_measures()] == shown
    assert {u.reason for u in old.unplaced} == {"新欄", "新旧の列見出し"}
    result = run("import", str(document), "-b", "kagoshima", "--side", "both", "--plans-dir", str(plans_dir))
    assert result.code == 0, result.out + result.err
    assert sorted(p.name for p in (plans_dir / "kagoshima").iterdir()) == ["2018.yaml", "2019.yaml"]


PLAN_FILES = sorted(p for p in PLANS.glob("*/*.yaml") if p.stem.isdigit())


def _kpi_facts(plan):
    return [(k.label, k.text, k.notes, k.target_text, k.target_unknown, k.target.describe() if k.target else None)
            for _m, k in plan.walk_kpis()]


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_show_docx_imports_back_with_only_the_earlier_plans_present(tmp_path, path):
    """Every text, target and figure as published; ids from the earlier plan where there is one."""
    plan, _warnings = load_plan(path)
    earlier = [f"{plan.branch_id}/{p.name}" for p in path.parent.glob("*.yaml")
               if p.stem.isdigit() and int(p.stem) < plan.fiscal_year]
    plans_dir = plans_with(tmp_path, *earlier)
    document = tmp_path / "plan.docx"
    document.write_bytes(plan_docx.build(build_context(plan), None, False))
    imported = import_for_branch(document, PlanStore(plans_dir), plan.branch_id, None)
    report = check_text(imported.text, str(plans_dir / plan.branch_id / path.name))
    assert report.ok, [str(p) for p in report.errors]
    got = report.plan
    assert imported.unplaced == [] and imported.to_fill == []
    assert (got.fiscal_year, got.branch_name, got.title, got.status) == (plan.fiscal_year, plan.branch_name, plan.title,
                                                                         plan.status)
    assert officelayouts.shape(got) == officelayouts.shape(plan)
    assert _kpi_facts(got) == _kpi_facts(plan)
    assert (imported.ids["earlier"] > 20) == bool(earlier)


def _newcomer(path):
    """A new office's own plan: 施策 | 担当グループ with bare group cells, a KPI table with header cells, a ＜…＞
    heading opening a cell, a （※） note typed after two KPIs, a KPI that is a group name, a merged title cell."""
    document = Document()
    document.add_paragraph("令和7年度 福岡支部事業計画")
    document.add_paragraph("【案】")
    document.add_paragraph("1. 基盤的保険者機能関係")
    table = document.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "施策", "担当グループ"
    first, groups = table.rows[1].cells
    first.paragraphs[0].text = "①サービス水準の向上"
    for text in ("○お客様満足度\u200b調査を活用する。", "・窓口の案内を見直す。", "《ＫＰＩ》",  # U+200B pasted from the web
                 "①サービススタンダードの達成率を100％とする。（※）", "②郵送化率を95.0％以上とする。",
                 "（※）申請受付から支給までの標準期間10日間"):
        first.add_paragraph(text)
    groups.paragraphs[0].text = "業務G"
    groups.add_paragraph("企画総務グループ")
    second = table.rows[2].cells[0]
    second.paragraphs[0].text = "②レセプト点検の推進"
    second.add_paragraph("○点検員のスキルアップを図る。")
    table.rows[2].cells[1].text = "レセプトG"
    table.rows[2].cells[1].add_paragraph("総務課")  # no group of the plan file's four
    document.add_paragraph("2. 戦略的保険者機能関係")
    table = document.add_table(rows=3, cols=3)
    for cell, word in zip(table.rows[0].cells, ("施策・担当", "取組内容", "ＫＰＩ")):
        cell.text = word
    merged = table.cell(1, 0).merge(table.cell(2, 0))
    merged.paragraphs[0].text = "①特定健診の受診率の向上【保健G】"
    table.cell(1, 1).text = "＜被保険者＞"
    table.cell(1, 1).add_paragraph("・事業者健診データの取得を進める。")
    table.cell(1, 2).text = "特定健診実施率を65.0％以上とする。"
    table.cell(2, 1).text = "＜被扶養者＞"
    table.cell(2, 1).add_paragraph("・集団健診の会場を増やす。")
    table.cell(2, 2).text = "保健G"
    document.save(str(path))
    return path


def test_a_newcomers_own_word_plan_imports_right_and_names_its_doubts(tmp_path, run):
    path = _newcomer(tmp_path / "fukuoka.docx")
    imported = import_for_branch(path, PlanStore(tmp_path / "plans"), "fukuoka", None, name="福岡支部")
    report = _checked(imported, tmp_path / "plans", "fukuoka")
    plan = report.plan
    assert (plan.fiscal_year, plan.title, plan.status, plan.branch_name) == (
        2025, "令和7年度 福岡支部事業計画", "draft", "福岡支部")
    service, receipt = plan.sections[0].measures
    assert (service.label, service.title, service.groups) == ("①", "サービス水準の向上", ["業務G", "企画総務G"])
    assert [(i.marker, i.text, [(c.marker, c.text) for c in i.items]) for i in service.blocks[0].items] == [
        ("○", "お客様満足度調査を活用する。", [("・", "窓口の案内を見直す。")])]
    assert [(k.label, k.text, k.notes) for k in service.kpis] == [
        ("①", "サービススタンダードの達成率を100％とする。（※）", ["（※）申請受付から支給までの標準期間10日間"]),
        ("②", "郵送化率を95.0％以上とする。", [])]
    assert (receipt.title, receipt.groups, [i.text for b in receipt.blocks for i in b.items]) == (
        "レセプト点検の推進", ["レセプトG"], ["点検員のスキルアップを図る。"])
    kenshin = plan.sections[1].measures[0]
    assert (kenshin.title, kenshin.groups) == ("特定健診の受診率の向上", ["保健G"])
    assert [(b.heading, [(i.marker, i.text) for i in b.items]) for b in kenshin.blocks] == [
        ("＜被保険者＞", [("・", "事業者健診データの取得を進める。")]), ("＜被扶養者＞", [("・", "集団健診の会場を増やす。")])]
    assert [k.text for k in kenshin.kpis] == ["特定健診実施率を65.0％以上とする。", "保健G"]
    assert imported.counts == {"sections": 2, "measures": 3, "items": 5, "kpis": 4}
    assert not PRIVATE_OR_INVISIBLE.search(imported.text)
    assert imported.tables == ["表1: 1列「施策」→施策名、2列「担当グループ」→担当グループ",
                               "表2: 1列「施策・担当」→施策名、2列「取組内容」→取組、3列「ＫＰＩ」→ＫＰＩ"]
    assert [(u.place, u.reason, u.text) for u in imported.doubts] == [
        ("表2 3行3列", "ＫＰＩがグループ名のように見える", "保健G")]
    assert [(u.place, u.reason, u.text) for u in imported.unplaced] == [
        ("表1 3行2列", "知らない担当グループ（企画総務G・業務G・レセプトG・保健G）", "総務課")]
    result = run("import", str(path), "-b", "fukuoka", "--name", "福岡支部", "--dry-run",
                 "--plans-dir", str(tmp_path / "plans"))
    assert result.code == 0, result.err
    assert "# fukuoka.docx: read as 事業計画, fiscal year 2025, 福岡支部" in result.out
    assert "#   1. 基盤的保険者機能関係: 2 measures, 3 items, 2 KPIs" in result.out
    assert "#   表2 3行3列（ＫＰＩがグループ名のように見える）: 保健G" in result.out


def test_last_years_target_never_comes_back(tmp_path):
    """Kumamoto 2024 typed without its target column: no target is taken from 2023; each is named to fill."""
    plan, _warnings = load_plan(PLANS / "kumamoto" / "2024.yaml")
    context = build_context(plan)
    context["rows"] = [row for row in context["rows"] if row["kind"] != "kpi-target"]
    document = tmp_path / "2024.docx"
    document.write_bytes(plan_docx.build(context, None, False))
    imported = import_for_branch(document, PlanStore(plans_with(tmp_path, "kumamoto/2023.yaml")), "kumamoto", None)
    assert "target_text" not in imported.text and "96.0" not in imported.text
    assert {"id": "yusoka-ritsu", "earlier": "96.0％以上"} in imported.to_fill
    assert len(imported.to_fill) >= 10


def test_validate_warns_on_a_private_use_bullet_and_a_todo_title():
    text = (PLANS / "kagoshima" / "2019.yaml").read_text(encoding="utf-8")
    text = text.replace("title: 平成31年度 事業計画（鹿児島支部）", "title: TODO（文書に表題なし） 平成31年度 事業計画（鹿児島支部）")
    text = text.replace("text: 勉強会の実施", "text: \uf0b7勉強会の実施", 1)
    report = check_text(text, "plans/kagoshima/2019.yaml")
    assert report.ok
    messages = [(p.path, p.message) for p in report.warnings]
    assert any("U+F0B7" in message and "private-use" in message for _path, message in messages)
    assert any(path == "title" and message.startswith("TODO: the plan's title") for path, message in messages)
    item = [i for _o, i in report.plan.walk_items() if i.text.endswith("勉強会の実施および支払基金との協議による点検員のスキルアップを図る。")]
    assert item[0].text.startswith("⟨U+F0B7⟩")


def _libreoffice(paths, target: str, out, profile):
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                             "--convert-to", target, "--outdir", out, *paths], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
@needs_office
def test_libreoffice_saved_copies_import_alike(tmp_path, kagoshima):
    """The unseen layouts saved again by LibreOffice (its own numbering.xml and styles) give the same plan; its PDF of
    the Word-styles layout gives every title and KPI, and no private-use bullet."""
    plans_dir = plans_with(tmp_path, "kagoshima/2018.yaml")
    built = [officelayouts.build(kagoshima[2019], layout, tmp_path / f"{layout}.docx")
             for layout in officelayouts.LAYOUTS]
    saved = _libreoffice(built, "docx:MS Word 2007 XML", tmp_path / "saved", tmp_path / "profile")
    for layout in officelayouts.LAYOUTS:
        imported = import_for_branch(saved / f"{layout}.docx", PlanStore(plans_dir), "kagoshima", None)
        plan = _checked(imported, plans_dir).plan
        assert officelayouts.shape(plan) == officelayouts.shape(kagoshima[2019]), layout
        assert imported.unplaced == [] and imported.doubts == []
    pdf = _libreoffice([tmp_path / "word_styles.docx"], "pdf", tmp_path / "pdf", tmp_path / "profile")
    imported = import_for_branch(pdf / "word_styles.pdf", PlanStore(plans_dir), "kagoshima", None)
    plan = _checked(imported, plans_dir).plan
    assert not PRIVATE_OR_INVISIBLE.search(imported.text)
    assert imported.counts == {"sections": 3, "measures": 26, "items": 71, "kpis": 21}
    assert [m.title for m in plan.walk_measures()] == [m.title for m in kagoshima[2019].walk_measures()]
    assert sorted(k.text for _m, k in plan.walk_kpis()) == sorted(k.text for _m, k in kagoshima[2019].walk_kpis())


@pytest.mark.parametrize("branch_year", ["yamaguchi/2021", "kumamoto/2024"])
def test_reimporting_a_plan_keeps_its_item_ids(tmp_path, branch_year):
    plan, _warnings = load_plan(PLANS / f"{branch_year}.yaml")
    document = tmp_path / "plan.docx"
    document.write_bytes(plan_docx.build(build_context(plan), None, False))
    plans_dir = plans_with(tmp_path, f"{branch_year}.yaml")
    imported = import_for_branch(document, PlanStore(plans_dir), plan.branch_id, None)
    got = _checked(imported, plans_dir, plan.branch_id).plan
    expected = [(i.id, i.text) for _o, i in plan.walk_items() if i.id]
    assert len(expected) >= 8
    assert [(i.id, i.text) for _o, i in got.walk_items() if i.id] == expected


def test_the_old_side_of_a_document_without_a_word_shinkyu_table_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="--side old needs a 新旧対照表 in Word"):
        import_for_branch(DATA / "seed003_kagoshima_shinkyu.txt", PlanStore(tmp_path / "plans"), "kagoshima", None,
                          side="old")


LAYOUT_PLANS = [(layout, f"kagoshima/{year}") for layout in officelayouts.LAYOUTS for year in (2018, 2019)] + [
    ("word_styles", name) for name in ("kumamoto/2021", "kumamoto/2023", "kumamoto/2024", "national/2021")]


@pytest.mark.parametrize("layout, name", LAYOUT_PLANS, ids=lambda v: v.replace("/", "-"))
def test_plans_typed_in_the_unseen_layouts_import_back(tmp_path, layout, name):
    """Re-imported next to the plan itself: every id, group, item and KPI as in the plan."""
    plan, _warnings = load_plan(PLANS / f"{name}.yaml")
    document = officelayouts.build(plan, layout, tmp_path / "plan.docx")
    plans_dir = plans_with(tmp_path, f"{name}.yaml")
    imported = import_for_branch(document, PlanStore(plans_dir), plan.branch_id, None)
    got = _checked(imported, plans_dir, plan.branch_id).plan
    assert officelayouts.shape(got) == officelayouts.shape(plan)
    assert [m.id for m in got.walk_measures()] == [m.id for m in plan.walk_measures()]
    assert [k.id for _m, k in got.walk_kpis()] == [k.id for _m, k in plan.walk_kpis()]
    assert imported.unplaced == []


def test_tables_read_alike_are_reported_in_one_line(tmp_path, kagoshima, run):
    """One table a measure (the 施策・担当 | 取組内容 | ＫＰＩ layout): the report says how they were read once, 表1〜N."""
    plans_dir = plans_with(tmp_path, "kagoshima/2018.yaml")
    document = officelayouts.build(kagoshima[2019], "kpi_table", tmp_path / "kpi_table.docx")
    result = run("import", document, "-b", "kagoshima", "--plans-dir", plans_dir, "--dry-run")
    said = [line for line in result.out.splitlines() if "how the tables were read" in line]
    tables = len(import_for_branch(document, PlanStore(plans_dir), "kagoshima", None).tables)
    assert tables > 10 and said == [f"# how the tables were read: 表1〜{tables}: 1列「施策・担当」→施策名、"
                                    "2列「取組内容」→取組、3列「ＫＰＩ」→ＫＰＩ"]
