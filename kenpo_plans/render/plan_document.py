"""The plan itself as a document (show --format pdf|html|docx): title, 資料番号, sections, measures, KPIs.

The plan is laid out as rows, one per printed line, each with its kind and its depth; the HTML
template and the Word builder both print those rows, so the PDF, the HTML and the Word file say the
same thing in the same order.  Depth is the indent: a measure's own lines sit at its depth and a
sub-measure's one step in, so a measure's 《ＫＰＩ》 after its sub-measures stands at the measure's
margin (``kenpo-plans import`` reads it back to the measure, not to its last sub-measure).
"""

from __future__ import annotations

from pathlib import Path

from ..labels import KPI_HEADING, STATUS_LABELS
from ..plan.model import Block, Item, Kpi, Measure, Plan, PlanTarget
from .pdf import render_pdf
from .templates import render_html

TEMPLATE = "plan.html.j2"


def _row(kind: str, text: str, depth: int, marker: str = "", label: str = "", tags: str = "") -> dict:
    return {"kind": kind, "text": text, "depth": depth, "marker": marker, "label": label, "tags": tags}


def _tags(measure: Measure) -> str:
    goals = f"〈{'、'.join(measure.goals)}〉" if measure.goals else ""
    groups = f"【{'・'.join(measure.groups)}】" if measure.groups else ""
    return goals + groups


def _item_rows(item: Item, depth: int) -> list[dict]:
    rows = [_row("item", item.text, depth, marker=item.marker)]
    for child in item.items:
        rows += _item_rows(child, depth + 1)
    rows += _block_rows(item.blocks, depth + 1)
    return rows


def _block_rows(blocks: list[Block], depth: int) -> list[dict]:
    rows = []
    for block in blocks:
        if block.heading:
            rows.append(_row("block", block.heading, depth))
        for item in block.items:
            rows += _item_rows(item, depth)
    return rows


def _target_rows(target: PlanTarget, depth: int) -> list[dict]:
    rows = [_row("target", target.text, depth, marker=target.marker)]
    for child in target.breakdown:
        rows += _target_rows(child, depth + 1)
    return rows


def _kpi_rows(kpis: list[Kpi], depth: int) -> list[dict]:
    if not kpis:
        return []
    rows = [_row("kpi-heading", KPI_HEADING, depth)]
    for kpi in kpis:
        rows.append(_row("kpi", kpi.text, depth, label=kpi.label))
        rows += [_row("note", note, depth) for note in kpi.notes]
    return rows


def _measure_rows(measure: Measure, depth: int, sub: bool = False) -> list[dict]:
    rows = [_row("sub-measure" if sub else "measure", measure.title, depth, label=measure.label,
                 tags=_tags(measure))]
    for target in measure.targets:
        rows += _target_rows(target, depth)
    rows += _block_rows(measure.blocks, depth)
    for child in measure.measures:
        rows += _measure_rows(child, depth + 1, sub=True)
    return rows + _kpi_rows(measure.kpis, depth)


def plan_rows(plan: Plan) -> list[dict]:
    """Every printed line of the plan, in order."""
    rows = []
    for section in plan.sections:
        rows.append(_row("section", section.title, 0, label=section.label))
        rows += _block_rows(section.blocks, 1)
        for measure in section.measures:
            rows += _measure_rows(measure, 1)
    return rows


def plan_title(plan: Plan) -> str:
    return plan.title + (f"（{STATUS_LABELS['draft']}）" if plan.is_draft else "")


def build_context(plan: Plan, font_family: str = "serif", landscape: bool = False) -> dict:
    return {
        "title": plan_title(plan),
        "document_number": plan.document.number,
        "document_date": plan.document.date,
        "author": plan.branch_name,
        "rows": plan_rows(plan),
        "options": {"font_family": font_family, "landscape": landscape},
    }


def render_document(plan: Plan, fmt: str, font_family: str, landscape: bool, folder: Path) -> str | bytes:
    """The plan as standalone HTML text or PDF bytes."""
    html = render_html(build_context(plan, font_family, landscape), folder, TEMPLATE)
    return html if fmt == "html" else render_pdf(html, folder)
