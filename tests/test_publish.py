"""`kenpo-plans show --format pdf|html|docx`: the plan itself as a document, and the Word file read back."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import PLANS
from test_office import converted, needs_office, pdf_text
from kenpo_plans.importing.plan_import import import_for_branch
from kenpo_plans.plan.store import PlanStore
from kenpo_plans.plan.validate import check_text
from kenpo_plans.plan.loader import load_plan
from kenpo_plans.render.office import plan_docx
from kenpo_plans.render.plan_document import build_context

PLAN_FILES = sorted(p for p in PLANS.glob("*/*.yaml") if p.stem.isdigit())


def _item(i):
    return (i.marker, i.text, [_item(c) for c in i.items], _blocks(i.blocks))


def _blocks(blocks):
    """Blocks as printed: a block without a heading after another block reads as more of the same."""
    printed = []
    for block in blocks:
        items = [_item(i) for i in block.items]
        if block.heading is None and printed:
            printed[-1] = (printed[-1][0], printed[-1][1] + items)
        else:
            printed.append((block.heading, items))
    return printed


def _target(t):
    return (t.marker, t.text, [_target(c) for c in t.breakdown])


def _measure(m):
    return {"id": m.id, "label": m.label, "title": m.title, "groups": m.groups, "goals": m.goals,
            "targets": [_target(t) for t in m.targets], "blocks": _blocks(m.blocks),
            "measures": [_measure(c) for c in m.measures],
            "kpis": [(k.id, k.label, k.text, k.notes) for k in m.kpis]}


def printed(plan):
    """What the plan document shows (flags such as qualitative: or target_text: are not printed)."""
    return {"title": plan.title, "status": plan.status, "number": plan.document.number, "date": plan.document.date,
            "branch": plan.branch_name,
            "sections": [{"id": s.id, "label": s.label, "title": s.title, "blocks": _blocks(s.blocks),
                          "measures": [_measure(m) for m in s.measures]} for s in plan.sections]}


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_show_docx_imports_back_to_the_same_plan(tmp_path, path):
    plan, _warnings = load_plan(path)
    document = tmp_path / "plan.docx"
    document.write_bytes(plan_docx.build(build_context(plan), None, False))
    imported = import_for_branch(document, PlanStore(PLANS), plan.branch_id, plan.fiscal_year)
    report = check_text(imported.text, str(path))
    assert report.ok, [str(p) for p in report.errors]
    assert imported.unplaced == []
    assert printed(report.plan) == printed(plan)
    # what the document does not print comes back from the plan whose ids continue
    flags = ("accumulates", "direction", "qualitative", "compound", "per_branch", "confirmed", "target_unknown",
             "declared_target", "target_text")
    assert {k.id: [getattr(k, f) for f in flags] for _m, k in report.plan.walk_kpis()} == \
        {k.id: [getattr(k, f) for f in flags] for _m, k in plan.walk_kpis()}


def test_show_docx_and_html_and_pdf_from_the_command_line(tmp_path, run):
    for fmt in ("docx", "html"):
        result = run("show", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", fmt, "-o", tmp_path / f"k.{fmt}")
        assert result.code == 0, result
    html = (tmp_path / "k.html").read_text(encoding="utf-8")
    assert "平成31年度 事業計画（鹿児島支部）（案）" in html and "資料 2-3" in html
    assert "オンライン資格確認の導入に向けた対応" in html and "《ＫＰＩ》" in html
    assert "default-src 'none'" in html and "http" not in re.sub(r'content="[^"]*"', "", html).replace("http-equiv", "")
    from docx import Document

    document = Document(str(tmp_path / "k.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "（1）基盤的保険者機能関係" in headings and "①現金給付の適正化の推進【業務G】" in headings
    bad = run("show", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "docx", "-o", tmp_path / "k.pdf")
    assert bad.code == 1 and "--format" in bad.err


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
@pytest.mark.slow
def test_show_pdf_embeds_a_japanese_font_and_holds_the_plan(tmp_path, run):
    out = tmp_path / "k.pdf"
    result = run("show", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "pdf", "-o", out)
    assert result.code == 0, result
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True, check=True).stdout
    assert re.search(r"(IPAex|Noto).*yes", fonts)
    text = re.sub(r"\s+", "", pdf_text(out))
    plan, _warnings = load_plan(PLANS / "kagoshima" / "2019.yaml")
    assert all(re.sub(r"\s+", "", m.title) in text for m in plan.walk_measures())
    assert "資料2-3" in text


def test_show_default_name(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("show", "2018", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "docx")
    assert result.code == 0 and (tmp_path / "kagoshima_2018_plan.docx").is_file()


@needs_office
@pytest.mark.slow
def test_show_docx_opens_in_libreoffice(tmp_path, run):
    out = tmp_path / "k.docx"
    assert run("show", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "docx", "-o", out).code == 0
    text = re.sub(r"\s+", "", pdf_text(converted(out, tmp_path)))
    assert "平成31年度事業計画（鹿児島支部）（案）" in text and "《ＫＰＩ》" in text
    assert "ＯＪＴを中心とした人材育成" in text


def test_show_pdf_imports_back_with_every_measure_and_kpi(tmp_path, run, kagoshima):
    out = tmp_path / "k.pdf"
    assert run("show", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "pdf", "-o", out).code == 0
    imported = import_for_branch(out, PlanStore(PLANS), "kagoshima", 2019)
    report = check_text(imported.text, "2019.yaml")
    assert report.ok, [str(p) for p in report.errors]
    plan, expected = report.plan, kagoshima[2019]
    assert [m.title for m in plan.walk_measures()] == [m.title for m in expected.walk_measures()]
    assert [(k.id, k.text) for _m, k in plan.walk_kpis()] == [(k.id, k.text) for _m, k in expected.walk_kpis()]
    items = {i.text for _o, i in plan.walk_items()}
    assert sum(i.text in items for _o, i in expected.walk_items()) / len(list(expected.walk_items())) >= 0.98
    assert {u.reason for u in imported.unplaced} == {"頁番号"}  # the page footers, reported


def _published_text(plan, fmt: str, tmp_path) -> str:
    from kenpo_plans.render.plan_document import render_document
    from kenpo_plans.render.templates import template_dir

    if fmt == "docx":
        from docx import Document

        document = tmp_path / "plan.docx"
        document.write_bytes(plan_docx.build(build_context(plan), None, False))
        return "\n".join(p.text for p in Document(str(document)).paragraphs)
    rendered = render_document(plan, fmt, "IPAexMincho", False, template_dir(None, "plan.html.j2"))
    if fmt == "html":
        return re.sub(r"<[^>]+>", "", rendered)
    (tmp_path / "plan.pdf").write_bytes(rendered)
    return pdf_text(tmp_path / "plan.pdf")


@pytest.mark.parametrize("fmt", ["html", "docx", pytest.param("pdf", marks=pytest.mark.slow)])
@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_the_published_plan_prints_every_kpis_target_as_the_plan_holds_it(tmp_path, path, fmt):
    plan, _warnings = load_plan(path)
    text = re.sub(r"\s+", "", _published_text(plan, fmt, tmp_path))
    missing = [(k.id, k.target_text) for _m, k in plan.walk_kpis()
               if re.sub(r"\s+", "", f"{k.text}目標：{k.target_text}" if k.target_text else k.text) not in text]
    assert missing == []
