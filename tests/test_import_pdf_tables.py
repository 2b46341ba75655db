"""A plan typed as Word tables and saved as PDF: the tables are read cell by cell, as the Word file's are.

The two table layouts of tests/officelayouts.py (施策・担当 | 取組内容 | ＫＰＩ, one table a measure; 施策 | 担当グループ,
one row a measure with its items under the title), without borders and with Word's 表 (格子) style, are printed to
PDF by LibreOffice, as an office does before it circulates a plan.  Read line by line across the page, the kpi_table PDF gave no KPI at all and 128 changes
against the real plan; read by its columns it gives the plan.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from docx import Document

import officelayouts
from kenpo_plans.importing.plan_import import import_for_branch
from kenpo_plans.plan.store import PlanStore
from conftest import PLANS
from test_import import plans_with
from test_import_word import _checked, _libreoffice
from test_office import needs_office


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


LAYOUTS = ["kpi_table", "group_table", "kpi_table-bordered", "group_table-bordered"]


def _bordered(path):
    """The same tables with Word's 表 (格子) style: cell borders, and no space between paragraphs or rows."""
    document = Document(str(path))
    for table in document.tables:
        table.style = document.styles["Table Grid"]
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def printed(tmp_path_factory, kagoshima):
    folder = tmp_path_factory.mktemp("tables")
    built = []
    for name in LAYOUTS:
        layout, _dash, bordered = name.partition("-")
        path = officelayouts.build(kagoshima[2019], layout, folder / f"{name}.docx")
        built.append(_bordered(path) if bordered else path)
    built.append(officelayouts.build(kagoshima[2018], "kpi_table", folder / "kpi_table-2018.docx"))
    return _libreoffice(built, "pdf", folder / "pdf", folder / "profile")


@pytest.mark.slow
@needs_office
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_plan_in_word_tables_printed_to_pdf_imports_as_the_plan(tmp_path, kagoshima, printed, layout):
    plans_dir = plans_with(tmp_path, "kagoshima/2018.yaml")
    imported = import_for_branch(printed / f"{layout}.pdf", PlanStore(plans_dir), "kagoshima", None)
    plan = _checked(imported, plans_dir).plan
    real = kagoshima[2019]
    assert imported.counts == {"sections": 3, "measures": 26, "items": 71, "kpis": 21}
    assert [m.title for m in plan.walk_measures()] == [m.title for m in real.walk_measures()]
    assert sorted(_flat(k.text) for _m, k in plan.walk_kpis()) == sorted(_flat(k.text) for _m, k in real.walk_kpis())
    assert [_flat(i.text) for _o, i in plan.walk_items()] == [_flat(i.text) for _o, i in real.walk_items()]
    assert any(table.startswith("表1: 1列「施策") for table in imported.tables)
    # a group the reading could not place is named, never lost: every measure has its groups or a line says why
    lost = [m.title for m, r in zip(plan.walk_measures(), real.walk_measures()) if m.groups != r.groups]
    assert len(lost) == len([u for u in imported.unplaced if "担当" in u.reason])
    assert len(lost) <= 1


@pytest.mark.slow
@needs_office
def test_two_years_printed_as_tables_diff_as_their_plans_do(printed, run):
    """A reviewer given last year's and this year's plan as PDFs gets the 新旧対照表 the plan files give."""
    from_pdfs = run("diff", printed / "kpi_table-2018.pdf", printed / "kpi_table.pdf", "-f", "json")
    from_plans = run("diff", "2018", "2019", "-b", "kagoshima", "--plans-dir", PLANS, "-f", "json")
    assert from_pdfs.code == 0 and from_plans.code == 0, from_pdfs
    pdfs, plans = json.loads(from_pdfs.out), json.loads(from_plans.out)
    assert pdfs["summary"] == plans["summary"]
    assert pdfs["warnings"] == []

