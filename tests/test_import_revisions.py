"""A Word plan that still holds tracked changes: read as Word shows it with every revision accepted, and said so.

Offices circulate drafts with 変更履歴 on; the importer cannot know whether the reviewer's changes were meant to
stand, so it reads the document accepted (what "accept all" gives), never the deleted or moved-away text, and the
report names the revisions it accepted so the planner can reject some in Word first.
"""

from __future__ import annotations

import json
import zipfile

import jsonschema
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from conftest import PLANS, ROOT
from kenpo_plans.cli import main
from kenpo_plans.importing.plan_import import import_for_branch
from kenpo_plans.importing.sources import read_lines
from kenpo_plans.plan.loader import load_plan, load_plan_text
from kenpo_plans.plan.store import PlanStore
from test_import import plans_with

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _revision(tag: str, run, number: int):
    """Wrap ``run`` in w:ins / w:del / w:moveFrom / w:moveTo, as Word records a change."""
    wrapper = OxmlElement(f"w:{tag}")
    wrapper.set(qn("w:id"), str(number))
    wrapper.set(qn("w:author"), "本部")
    wrapper.set(qn("w:date"), "2019-02-01T00:00:00Z")
    run._r.addprevious(wrapper)
    wrapper.append(run._r)
    if tag in ("del", "moveFrom"):
        for text in wrapper.iter(qn("w:t")):
            text.tag = qn("w:delText") if tag == "del" else text.tag  # Word keeps moved-away text as w:t
    return wrapper


def _deleted_mark(paragraph, number: int) -> None:
    """The paragraph's own mark deleted: accepting joins it to the next paragraph."""
    marks = paragraph._p.get_or_add_pPr()
    run_marks = OxmlElement("w:rPr")
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), str(number))
    deleted.set(qn("w:author"), "本部")
    run_marks.append(deleted)
    marks.append(run_marks)


def _tracked_plan(path):
    document = Document()
    document.add_paragraph("令和2年度 事業計画（福岡支部）")
    document.add_paragraph("（1）基盤的保険者機能関係")
    document.add_paragraph("①サービス水準の向上【業務G】")
    item = document.add_paragraph("○お客様の声を")
    _revision("del", item.add_run("毎月"), 1)
    _revision("ins", item.add_run("四半期ごとに"), 2)
    item.add_run("業務に活かす。")
    moved = document.add_paragraph()
    _revision("moveFrom", moved.add_run("○窓口の案内を見直す。"), 3)
    split = document.add_paragraph("○郵送化を")
    _deleted_mark(split, 4)
    document.add_paragraph("進める。")
    target = document.add_paragraph()
    _revision("moveTo", target.add_run("○窓口の案内を見直す。"), 5)
    document.save(str(path))
    return path


def test_revisions_read_accepted_and_said(tmp_path):
    path = _tracked_plan(tmp_path / "tracked.docx")
    texts = [line.text for line in read_lines(path) if not line.column]
    assert texts[-3:] == ["○お客様の声を四半期ごとに業務に活かす。", "○郵送化を進める。", "○窓口の案内を見直す。"]
    imported = import_for_branch(path, PlanStore(tmp_path / "plans"), "fukuoka", None, name="福岡支部")
    assert imported.text.count("窓口の案内を見直す") == 1 and "毎月" not in imported.text
    said = [(d.place, d.text, d.reason) for d in imported.doubts]
    assert len(said) == 1
    place, text, reason = said[0]
    # one insertion; two deletions (a word, and the paragraph mark that joined 郵送化を | 進める。); one move
    assert place == "段落 4" and text == "変更履歴 挿入 1・削除 2・移動 1"
    assert "承諾" in reason and "却下" in reason


def test_our_own_word_with_revisions_imports_as_the_new_plan(tmp_path):
    """Kagoshima 2018→2019 as Word revisions (diff --track-changes), imported without touching it: the 2019 plan,
    and the report counts the revisions the XML holds."""
    document = tmp_path / "tracked.docx"
    assert main(["diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", str(PLANS), "-f", "docx",
                 "--track-changes", "-o", str(document)]) == 0
    with zipfile.ZipFile(document) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    inserted = len(list(body.iter(f"{W}ins")))  # paragraph marks included, as the reviewing pane lists them
    imported = import_for_branch(document, PlanStore(plans_with(tmp_path, "kagoshima/2018.yaml")), "kagoshima", None)
    new, _warnings = load_plan(PLANS / "kagoshima" / "2019.yaml")
    got, _warnings = load_plan_text(imported.text, "imported.yaml")
    assert [i.text for _o, i in got.walk_items()] == [i.text for _o, i in new.walk_items()]
    assert sorted(k.text for _m, k in got.walk_kpis()) == sorted(k.text for _m, k in new.walk_kpis())
    assert [m.title for m in got.walk_measures()] == [m.title for m in new.walk_measures()]
    assert len(imported.doubts) == 1 and f"挿入 {inserted}" in imported.doubts[0].text


def test_a_document_without_revisions_says_nothing_of_them(tmp_path):
    document = Document()
    document.add_paragraph("令和2年度 事業計画（福岡支部）")
    document.add_paragraph("（1）基盤的保険者機能関係")
    document.add_paragraph("①サービス水準の向上【業務G】")
    document.add_paragraph("○お客様の声を活かす。")
    path = tmp_path / "plain.docx"
    document.save(str(path))
    imported = import_for_branch(path, PlanStore(tmp_path / "plans"), "fukuoka", None, name="福岡支部")
    assert imported.doubts == []
    assert imported.unplaced == []


def test_diffing_documents_says_in_the_table_what_was_read_on_a_guess_or_left_out(tmp_path, run):
    """`diff old.docx new.docx` reads both on the fly: the table must not be silently short of what the import would
    have reported, so each side's accepted revisions and lines left out are warnings printed in the table."""
    old = tmp_path / "old.docx"
    new = tmp_path / "new.docx"
    assert run("show", "2018", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "docx", "-o", old).code == 0
    assert run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "docx", "--track-changes",
               "-o", new).code == 0
    result = run("diff", old, new, "-f", "json")
    assert result.code == 0, result
    data = json.loads(result.out)
    jsonschema.validate(data, json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8")))
    warnings = data["warnings"]
    assert [w["kind"] for w in warnings] == ["read_on_a_guess"]
    assert "新の文書（new.docx）" in warnings[0]["message"] and "変更履歴" in warnings[0]["message"]
    hidden = Document()
    for text in ("平成30年度 事業計画（鹿児島支部）", "（1）基盤的保険者機能関係", "①サービス水準の向上【業務G】",
                 "○お客様の声を活かす。"):
        hidden.add_paragraph(text)
    hidden.add_paragraph().add_run("○消したはずの取組。").font.hidden = True
    hidden.save(str(tmp_path / "hidden.docx"))
    text = run("diff", tmp_path / "hidden.docx", new, "-f", "text")
    assert "警告: 旧の文書（hidden.docx）" in text.out and "1 行" in text.out and "消したはずの取組" in text.out
