"""diff -f docx --track-changes: the new plan as Word revisions of the old, read back from the XML.

Accepting every revision must give the new plan and rejecting every one the old plan: every title, item, KPI
and target, in order.  The expected lines come from the plan files themselves, not from the renderer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import PLANS
from test_office import converted
from kenpo_plans.plan.loader import load_plan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CASES = [("kagoshima", "2018", "2019"), ("kumamoto", "2021", "2024")]


# --- what the plan says, line by line -----------------------------------------------


def _marked(marker: str, text: str) -> str:
    """○ and the other bullets are followed by a space, as offices type them."""
    return (marker + (" " if marker in ("○", "◯", "●", "◆") else "") if marker else "") + text


def _items(item, out):
    out.append(_marked(item.marker, item.text))
    for child in item.items:
        _items(child, out)
    _blocks(item.blocks, out)


def _blocks(blocks, out):
    for block in blocks:
        if block.heading:
            out.append(block.heading)
        for item in block.items:
            _items(item, out)


def _targets(targets, out):
    for target in targets:
        out.append(_marked(target.marker, target.text))
        _targets(target.breakdown, out)


def _measure(measure, out):
    goals = f"〈{'、'.join(measure.goals)}〉" if measure.goals else ""
    groups = f"【{'・'.join(measure.groups)}】" if measure.groups else ""
    out.append(measure.label + measure.title + goals + groups)
    _targets(measure.targets, out)
    _blocks(measure.blocks, out)
    for child in measure.measures:
        _measure(child, out)
    if measure.kpis:
        out.append("《ＫＰＩ》")
    for kpi in measure.kpis:
        out.append(kpi.label + ("\u3000" if kpi.label[:1] in "（(" else "") + kpi.text)
        out.extend(kpi.notes)
        if kpi.target_text:
            out.append("目標\u3000" + kpi.target_text)


def plan_lines(plan) -> list[str]:
    out = [plan.document.number] if plan.document.number else []
    out.append(plan.title + ("（案）" if plan.status == "draft" else ""))
    for section in plan.sections:
        out.append(section.label + section.title)
        _blocks(section.blocks, out)
        for measure in section.measures:
            _measure(measure, out)
    return out


# --- a word processor's accept all / reject all ---------------------------------------------


def _mark(paragraph) -> str | None:
    marks = paragraph.find(f"{W}pPr/{W}rPr")
    if marks is None:
        return None
    return next((child.tag[len(W):] for child in marks if child.tag[len(W):] in ("ins", "del", "moveFrom",
                                                                                  "moveTo")), None)


def resolve(docx: Path, accept: bool) -> list[str]:
    """The body's paragraphs with every revision accepted (or rejected); a removed paragraph mark joins
    its paragraph to the next, as Word does."""
    removed_wrappers = ("del", "moveFrom") if accept else ("ins", "moveTo")
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    lines, pending = [], ""
    for paragraph in body.iter(f"{W}p"):
        text = pending
        for node in paragraph.iter(f"{W}t", f"{W}delText"):
            wrapper = next((a.tag[len(W):] for a in node.iterancestors() if a.tag[len(W):] in
                            ("ins", "del", "moveFrom", "moveTo")), None)
            if wrapper not in removed_wrappers:
                text += node.text or ""
        if _mark(paragraph) in removed_wrappers:
            pending = text
            continue
        pending = ""
        lines.append(text)
    return [line for line in lines if line]


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case[0])
def tracked(request, tmp_path_factory):
    from kenpo_plans.cli import main

    branch, old, new = request.param
    out = tmp_path_factory.mktemp("tracked") / f"{branch}.docx"
    assert main(["diff", old, new, "-b", branch, "--plans-dir", str(PLANS), "-f", "docx", "--track-changes",
                 "-o", str(out)]) == 0
    plans = {year: load_plan(PLANS / branch / f"{year}.yaml")[0] for year in (old, new)}
    return out, plans[old], plans[new]


def test_accepting_every_revision_gives_the_new_plan(tracked):
    docx, _old, new = tracked
    assert resolve(docx, accept=True) == plan_lines(new)


def test_rejecting_every_revision_gives_the_old_plan(tracked):
    docx, old, _new = tracked
    assert resolve(docx, accept=False) == plan_lines(old)


def test_every_revision_has_an_author_and_a_date_and_moves_pair_up(tracked):
    docx, _old, new = tracked
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
        settings = package.read("word/settings.xml").decode()
    marks = [e for e in root.iter() if e.tag[len(W):] in ("ins", "del", "moveFrom", "moveTo",
                                                          "moveFromRangeStart", "moveToRangeStart")]
    assert len(marks) > 50
    for mark in marks:
        assert mark.get(f"{W}author") == new.branch_name
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", mark.get(f"{W}date"))
    ids = [e.get(f"{W}id") for e in marks]
    assert len(ids) == len(set(ids))
    origins = sorted(e.get(f"{W}name") for e in root.iter(f"{W}moveFromRangeStart"))
    assert origins == sorted(e.get(f"{W}name") for e in root.iter(f"{W}moveToRangeStart"))
    assert "<w:trackRevisions/>" in settings


def test_kumamoto_moves_are_word_moves(tmp_path):
    """Kumamoto 2024 regrouped its measures: those lines are moves, not a deletion and an unrelated insertion."""
    from kenpo_plans.cli import main

    out = tmp_path / "k.docx"
    assert main(["diff", "2021", "2024", "-b", "kumamoto", "--plans-dir", str(PLANS), "-f", "docx",
                 "--track-changes", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    assert len(list(root.iter(f"{W}moveTo"))) >= 10


def test_track_changes_is_for_word_only(run, tmp_path):
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "pdf", "--track-changes",
                 "-o", tmp_path / "k.pdf")
    assert result.code == 1 and "--track-changes" in result.err
    assert not (tmp_path / "k.pdf").exists()


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_revisions_as_revisions(tracked, tmp_path):
    """LibreOffice keeps them as tracked changes: its own file holds the new text in the body, the old in
    the changes it records (what its 'accept all' would apply)."""
    docx, _old, new = tracked
    odt = converted(docx, tmp_path, "odt")
    with zipfile.ZipFile(odt) as package:
        content = etree.fromstring(package.read("content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    changes = content.find(f".//{{{text_ns}}}tracked-changes")
    assert changes is not None and len(changes) > 50
    body_text = "".join(t for p in content.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}h")
                        if not any(a.tag == f"{{{text_ns}}}tracked-changes" for a in p.iterancestors())
                        for t in p.itertext())
    assert re.sub(r"\s", "", "".join(plan_lines(new))) in re.sub(r"\s", "", body_text)


def test_table_options_are_refused_with_track_changes(run, tmp_path):
    result = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "docx", "--track-changes",
                 "--remarks", "--old-left", "-o", tmp_path / "k.docx")
    assert result.code == 1 and "--remarks" in result.err and "--old-left" in result.err
    assert not (tmp_path / "k.docx").exists()


def _resolve_paragraphs(paragraphs, accept: bool) -> list[str]:
    gone = ("del", "moveFrom") if accept else ("ins", "moveTo")
    return ["".join(text for text, change in p.runs if change not in gone) for p in paragraphs if p.mark not in gone]


def test_lines_that_changed_order_are_moves_and_the_rest_stay_in_place():
    """Old A B C D, new C A (B removed) D E: C moves, B is deleted where it stood, E is inserted."""
    from kenpo_plans.render.revisions import EQUAL, Line, paragraphs

    def line(text, old_key, in_new=True, op=EQUAL):
        return Line("item", 1, [(op, text)], old_key, in_new)

    lines = [line("C", (2, 0)), line("A", (0, 0)), line("B", (1, 0), in_new=False, op="delete"), line("D", (3, 0)),
             line("E", None, op="insert")]
    out = paragraphs(lines)
    assert _resolve_paragraphs(out, accept=True) == ["C", "A", "D", "E"]
    assert _resolve_paragraphs(out, accept=False) == ["A", "B", "C", "D"]
    assert [(p.mark, p.runs[0][0]) for p in out] == [("moveTo", "C"), (None, "A"), ("del", "B"), ("moveFrom", "C"),
                                                      (None, "D"), ("ins", "E")]
    assert out[0].move == out[3].move


RESOLVE_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(inPath As String, outPath As String, command As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  dispatcher.executeDispatch(doc.getCurrentController().getFrame(), command, &quot;&quot;, 0, Array())
  Dim out(1) As New com.sun.star.beans.PropertyValue
  out(0).Name = &quot;FilterName&quot;
  out(0).Value = &quot;Text (encoded)&quot;
  out(1).Name = &quot;FilterOptions&quot;
  out(1).Value = &quot;UTF8,LF&quot;
  doc.storeToURL(ConvertToURL(outPath), out())
  doc.close(True)
End Sub
</script:module>
"""


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    """LibreOffice with a macro that accepts or rejects every tracked change of a file and saves its text."""
    folder = tmp_path_factory.mktemp("lo")
    profile = (folder / "profile").as_uri()
    seed = folder / "seed.txt"
    seed.write_text("x", encoding="utf-8")
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", folder, seed], capture_output=True, timeout=240)
    module = folder / "profile" / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.parent.is_dir()
    module.write_text(RESOLVE_MACRO, encoding="utf-8")

    def resolve_in_office(docx: Path, accept: bool) -> list[str]:
        out = folder / f"{docx.stem}_{'accepted' if accept else 'rejected'}.txt"
        command = ".uno:AcceptAllTrackedChanges" if accept else ".uno:RejectAllTrackedChanges"
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        f'macro:///Standard.Module1.Resolve("{docx}","{out}","{command}")'], capture_output=True,
                       timeout=240)
        assert out.is_file()
        return [line for line in out.read_text(encoding="utf-8-sig").split("\n") if line.strip()]

    return resolve_in_office


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_accept_all_and_reject_all(tracked, libreoffice):
    """A real word processor's own 'accept all' and 'reject all' give the two plans, line for line."""
    docx, old, new = tracked
    assert libreoffice(docx, accept=True) == plan_lines(new)
    assert libreoffice(docx, accept=False) == plan_lines(old)


def test_a_run_of_inserted_lines_marks_the_break_before_it_unless_that_break_is_taken():
    from kenpo_plans.render.office.shinkyu_revisions import paragraph_marks
    from kenpo_plans.render.revisions import Paragraph

    def marks(*kinds):
        return paragraph_marks([Paragraph("item", 1, [("x", kind)], kind) for kind in kinds])

    assert marks(None, "ins", "ins", None) == ["ins", "ins", None, None]
    assert marks(None, "del", None, "ins") == ["del", None, "ins", None]
    assert marks("ins", None) == ["ins", None]  # nothing before the first line: it keeps its own
    # the deleted line takes the break before it; the inserted ones after it cannot take a break already taken
    assert marks(None, "del", "ins", None) == ["del", None, "ins", None]
