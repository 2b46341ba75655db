"""`kenpo-plans import` of Word files typed the way a new office types them (issue 31) and with hostile numbering
(issue 27, point 2): tables with header rows, Word's own bullets and headings, hidden text, 新旧対照表 sides."""

from __future__ import annotations

import re
import time
from zipfile import ZipFile

import pytest
from docx import Document
from docx.oxml.ns import qn

import officedocs
import officelayouts
from conftest import DATA, PLANS
from kenpo_plans.commands.importing import import_file
from kenpo_plans.importing.plan_import import ImportFailed
from kenpo_plans.importing.sources import read_lines
from kenpo_plans.plan.validate import check_text, load_plan
from kenpo_plans.render.office import plan_docx
from kenpo_plans.render.plan_document import build_context
from test_import import plans_with

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
    imported = import_file(document, "kagoshima", None, plans_dir)
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
    assert import_file(document, "kagoshima", None, plans_dir).text == \
        import_file(document, "kagoshima", 2019, plans_dir).text


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
    imported = import_file(path, "fukuoka", None, tmp_path / "plans", name="福岡支部")
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
    imported = import_file(path, "fukuoka", None, tmp_path / "plans", name="福岡支部")
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
        import_file(DATA / "seed002_kumamoto_2024_kekka.txt", "kumamoto", None, tmp_path / "plans")


def test_a_shinkyu_table_gives_either_plan_or_both(tmp_path, kagoshima, run):
    plans_dir = plans_with(tmp_path)
    document = officedocs.build(kagoshima[2019], "shinkyu", tmp_path / "s.docx", kagoshima[2018])
    old = import_file(document, "kagoshima", None, plans_dir, side="old", name="鹿児島支部")
    plan = _checked(old, plans_dir).plan
    assert (plan.fiscal_year, plan.title, plan.status) == (2018, "平成30年度 事業計画（鹿児島支部）", "final")
    shown = [m.title for m in kagoshima[2018].walk_measures() if m.id in {n.id for n in kagoshima[2019].walk_measures()}]
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
    imported = import_file(document, plan.branch_id, None, plans_dir)
    report = check_text(imported.text, str(plans_dir / plan.branch_id / path.name))
    assert report.ok, [str(p) for p in report.errors]
    got = report.plan
    assert imported.unplaced == [] and imported.to_fill == []
    assert (got.fiscal_year, got.branch_name, got.title, got.status) == (plan.fiscal_year, plan.branch_name, plan.title,
                                                                         plan.status)
    assert officelayouts.shape(got) == officelayouts.shape(plan)
    assert _kpi_facts(got) == _kpi_facts(plan)
    assert (imported.ids["earlier"] > 20) == bool(earlier)
