"""事業実施結果 and progress reports: evaluated report → template context → HTML → PDF.

``build_context`` is pure: it picks the layout a council member knows for
the report's kind and lays the rows out; the jinja2 template (autoescape on)
owns the markup; PDF goes through the same sealed WeasyPrint path as the
新旧対照表.

Layouts, by what the document rates:
- ``grade``: a KPI scale and a separate plan scale (KPI達成度 A/B/C, 計画達成度 a/b/c): grouped by
  担当グループ, a KPI table then the 事業計画 table, as seed 002 prints it.
- ``status``: one scale for KPIs and measures (◎○×): by section, each measure's KPIs and activities in one
  table with 実績（全国平均） and 達成状況, as seed 000.
- ``progress``: no ratings (quarterly, half-year): by section and measure, the KPIs' interim figures, then
  施策 / 取り組み内容 / 実績（第N四半期）, as seed 001.
"""

from __future__ import annotations

from pathlib import Path

from .results_cells import (detail_blocks, keep_figures_whole, kpi_cells, kpi_table, printed_date, table_columns,
                            table_notes)
from .results_layouts import progress_sections, status_sections
from .results_text import count_line, tally_lines

TEMPLATE = "results.html.j2"


def layout_of(evaluated: dict, chosen: str | None = None) -> str:
    """The layout asked for, else the one the document's ratings call for."""
    if chosen:
        return chosen
    scales = evaluated["scales"]
    if scales["kpi"] is None:
        return "progress"
    return "grade" if scales["measure"] is not None else "status"


def group_title(group: str) -> str:
    """業務G → 業務グループ."""
    return group[:-1] + "グループ" if group.endswith("G") else group


def _group_order(rows: list[dict]) -> list[str]:
    seen: list[str] = []
    for row in rows:
        for group in row["groups"][:1]:
            if group not in seen:
                seen.append(group)
    return seen  # the plan's order, which is the document's


def _plan_entries(evaluated: dict) -> list[dict]:
    """Every rated entry and every planned item with an id, in the plan's order; an item without a result
    is listed too (with no rating), as a progress report lists every planned action."""
    results = {m["id"]: m for m in evaluated["measures"]}
    nodes = {n["id"]: n for n in evaluated["outline"] if n["kind"] in ("section", "measure")}
    entries = []
    for node in evaluated["outline"]:
        if node["id"] in results and node["kind"] in ("section", "measure", "item"):
            entries.append(results[node["id"]])
        elif node["kind"] == "item" and node["id"]:
            owner = nodes.get(node["owner"]) or {}
            section = owner
            while section and section["kind"] != "section":
                section = nodes.get(section["owner"]) or {}
            entries.append({"id": node["id"], "kind": "item", "label": node["marker"], "title": node["text"],
                            "groups": node["groups"] or owner.get("groups", []),
                            "section": {"id": section.get("id"), "label": section.get("label", ""),
                                        "title": section.get("title", "")},
                            "measure": {"id": owner["id"], "label": owner["label"], "title": owner["title"]}
                            if owner.get("kind") == "measure" else None,
                            "rating_printed": None, "rating_meaning": None, "activities": [], "notes": []})
    return entries


def _grade_groups(evaluated: dict) -> list[dict]:
    kpis = evaluated["kpis"]
    measures = _plan_entries(evaluated)
    groups = []
    for group in _group_order(kpis + measures):
        in_group_kpis = [r for r in kpis if r["groups"][:1] == [group]]
        in_group_items = [m for m in measures if m["groups"][:1] == [group]]
        cells = kpi_table(in_group_kpis)
        footnotes = table_notes(cells)
        groups.append({
            "title": group_title(group),
            "kpis": cells,
            "kpi_columns": table_columns(cells),
            "footnotes": footnotes,
            "plan_rows": _plan_rows(in_group_items),
            "details": detail_blocks(cells, set(footnotes)),
        })
    ungrouped_kpis = [r for r in kpis if not r["groups"]]
    ungrouped = [m for m in measures if not m["groups"]]
    if ungrouped_kpis or ungrouped:
        cells = kpi_table(ungrouped_kpis)
        footnotes = table_notes(cells)
        groups.append({"title": "担当グループなし", "kpis": cells, "kpi_columns": table_columns(cells),
                       "footnotes": footnotes, "plan_rows": _plan_rows(ungrouped),
                       "details": detail_blocks(cells, set(footnotes))})
    return groups


def _plan_rows(measures: list[dict]) -> list[dict]:
    rows = []
    previous = (None, None)
    for m in measures:
        owner = m["measure"]["title"] if m["measure"] else m["title"]
        key = (m["section"]["title"], owner)
        rows.append({"section": m["section"]["title"], "measure": owner,
                     "first_of_measure": key != previous, "first_of_section": key[0] != previous[0],
                     "label": m["label"] if m["kind"] == "item" else "", "title": m["title"] if m["kind"] == "item"
                     else "", "rating": m["rating_printed"], "rating_meaning": (m["rating_meaning"] or {}).get("meaning"),
                     "activities": m["activities"], "notes": m["notes"]})
        previous = key
    return rows


def _kpi_list(evaluated: dict) -> dict:
    """The document's own table of every KPI, by section, in plan order."""
    sections: list[dict] = []
    for row in evaluated["kpis"]:
        if not sections or sections[-1]["title"] != row["section"]["title"]:
            sections.append({"title": row["section"]["title"], "rows": []})
        sections[-1]["rows"].append(row)
    for section in sections:
        cells = kpi_table(section["rows"])
        section["rows"], section["columns"] = cells, table_columns(cells)
    return {"title": evaluated["report"]["kpi_list"], "sections": sections}


def build_context(evaluated: dict, font_family: str = "IPAexMincho", landscape: bool = False,
                  monochrome: bool = False, layout: str | None = None) -> dict:
    """Everything the template shows, as plain data. No markup, no I/O."""
    report = evaluated["report"]
    layout = layout_of(evaluated, layout)
    scales = [s for s in (evaluated["scales"]["kpi"], evaluated["scales"]["measure"]) if s]
    context = {
        "title": report["title"],
        "subtitle": f"{evaluated['branch']['name']}　{evaluated['fiscal_year_label']}　{report['period_label']}",
        "author": evaluated["branch"]["name"],
        "document_number": report["number"],
        "as_of": report["as_of"],
        "date": printed_date(report["date"]),
        "period_label": report["period_label"],
        "interim": report["interim"],
        "layout": layout,
        "legends": scales,
        "count_line": count_line(evaluated["summary"]),
        "tally": tally_lines(evaluated["summary"]),
        "summary": evaluated["summary"],
        "commentary": report["commentary"],
        "excerpt": evaluated["plan"]["excerpt"],
        "options": {"font_family": font_family, "landscape": landscape, "monochrome": monochrome},
    }
    if layout == "grade":
        context["groups"] = _grade_groups(evaluated)
    elif layout == "status":
        context["sections"] = status_sections(evaluated)
    else:
        context["sections"] = progress_sections(evaluated)
    context["kpi_list"] = _kpi_list(evaluated) if report.get("kpi_list") else None
    context["details"] = [] if layout == "grade" else detail_blocks(
        [kpi_cells(r) for r in evaluated["kpis"] if r["commentary"]])
    return context


def render_results_html(context: dict, folder: Path) -> str:
    from .templates import render_html

    return render_html(context, folder, TEMPLATE)


def render_results_document(evaluated: dict, fmt: str, font_family: str, landscape: bool = False,
                            monochrome: bool = False, template_dir: Path | None = None,
                            layout: str | None = None) -> str | bytes:
    from .pdf import render_pdf
    from .templates import template_dir as resolve_template_dir

    folder = resolve_template_dir(template_dir, TEMPLATE)
    context = build_context(evaluated, font_family, landscape, monochrome, layout)
    context = {key: value if key == "title" else keep_figures_whole(value, key) for key, value in context.items()}
    html = render_results_html(context, folder)
    return html if fmt == "html" else render_pdf(html, folder)


__all__ = ["build_context", "render_results_document", "render_results_html", "layout_of"]
