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

from ..labels import ACHIEVED, BASIS_LABELS, PROVISIONAL, REASON_LABELS
from .results_text import count_line, target_text

TEMPLATE = "results.html.j2"


def layout_of(evaluated: dict) -> str:
    scales = evaluated["scales"]
    if scales["kpi"] is None:
        return "progress"
    return "grade" if scales["measure"] is not None else "status"


def group_title(group: str) -> str:
    """業務G → 業務グループ."""
    return group[:-1] + "グループ" if group.endswith("G") else group


def _achievement(row: dict) -> dict:
    reason = row["achieved_reason"]
    if reason == "interim":
        reached = row["comparison"]["provisional"]
        return {"label": PROVISIONAL, "detail": "到達" if reached else "未到達", "cls": "provisional"}
    if row["achieved"] is True:
        return {"label": ACHIEVED[True], "detail": BASIS_LABELS.get(row["achieved_basis"], ""), "cls": "ok"}
    if row["achieved"] is False:
        return {"label": ACHIEVED[False], "detail": BASIS_LABELS.get(row["achieved_basis"], ""), "cls": "ng"}
    if not row["reported"]:
        return {"label": "", "detail": "", "cls": "none"}
    return {"label": ACHIEVED[None], "detail": REASON_LABELS.get(reason, ""), "cls": "none"}


def _threshold_text(row: dict) -> str | None:
    """The figure a 対前年度 target resolved to: 「前年度実績 37.5％」."""
    comparison = row["comparison"]
    if row["target"] and row["target"]["basis"] == "previous_year" and comparison["threshold"] is not None:
        return f"前年度実績 {comparison['threshold']:,}{comparison['unit'] or ''}"
    return None


def parenthesized(text: str | None) -> str | None:
    """（53.6%） as the documents print a figure beside another; left alone when already in brackets."""
    if not text:
        return text
    return text if text[:1] in "（(" else f"（{text}）"


def kpi_cells(row: dict) -> dict:
    previous = row["previous"] or {}
    actual = row["actual"]
    return {
        "id": row["id"],
        "measure": row["measure"]["title"],
        "label": row["label"],
        "text": row["text"],
        "target": target_text(row),
        "target_resolved": _threshold_text(row),
        "previous_target": previous.get("target"),
        "actual": actual["text"] if actual else None,
        "actual_as_of": actual["as_of"] if actual else None,
        "previous_actual": (previous.get("actual") or {}).get("text"),
        "same_point": previous.get("same_point"),
        "rank": f"{row['rank']}位" if row["rank"] else None,
        "previous_rank": f"{previous['rank']}位" if previous.get("rank") else None,
        "national_average": parenthesized((row["national_average"] or {}).get("text")),
        "rating": row["rating_printed"],
        "rating_meaning": (row["rating_meaning"] or {}).get("meaning"),
        "rating_basis": {"rank": "全国順位による評価", "judgement": "支部の判断による評価"}.get(row["rating_basis"] or ""),
        "joint": bool(row["rating_joint_with"]),
        "achievement": _achievement(row),
        "disagrees": row["rating_agrees"] is False,
        "notes": row["notes"],
        "pending": row["pending"],
        "branches_achieved": row["branches_achieved_text"] or (
            f"{row['branches_achieved']}支部" if row["branches_achieved"] is not None else None),
        "definition_changed": row["definition_changed"],
        "commentary": row["commentary"],
        "reported": row["reported"],
    }


def _span_joint_ratings(cells: list[dict], rows: list[dict]) -> None:
    """A rating printed once for adjacent KPIs spans their rows, as the document prints it."""
    i = 0
    while i < len(rows):
        together = set(rows[i]["rating_joint_with"])
        j = i + 1
        while j < len(rows) and rows[j]["id"] in together:
            j += 1
        cells[i]["rating_rowspan"] = j - i
        for k in range(i + 1, j):
            cells[k]["rating_rowspan"] = 0
        i = j


def _kpi_table(rows: list[dict]) -> list[dict]:
    cells = [kpi_cells(row) for row in rows]
    _span_joint_ratings(cells, rows)
    previous = None
    for cell in cells:
        cell["measure_first"] = cell["measure"] != previous
        previous = cell["measure"]
    return cells


def _columns(rows: list[dict]) -> dict:
    return {
        "previous": any(r["previous"] for r in rows),
        "rank": any(r["rank"] for r in rows),
        "national_average": any(r["national_average"] for r in rows),
        "rating": any(r["rating"] for r in rows),
        "branches_achieved": any(r["branches_achieved"] is not None for r in rows),
    }


def _group_order(rows: list[dict]) -> list[str]:
    seen: list[str] = []
    for row in rows:
        for group in row["groups"][:1]:
            if group not in seen:
                seen.append(group)
    return seen  # the plan's order, which is the document's


def _grade_groups(evaluated: dict) -> list[dict]:
    kpis = [row for row in evaluated["kpis"] if row["reported"]]
    measures = evaluated["measures"]
    groups = []
    for group in _group_order(kpis + measures):
        in_group_kpis = [r for r in kpis if r["groups"][:1] == [group]]
        in_group_items = [m for m in measures if m["groups"][:1] == [group]]
        groups.append({
            "title": group_title(group),
            "kpis": _kpi_table(in_group_kpis),
            "plan_rows": _plan_rows(in_group_items),
            "details": [kpi_cells(r) for r in in_group_kpis if r["commentary"] or r["notes"]],
        })
    ungrouped_kpis = [r for r in kpis if not r["groups"]]
    ungrouped = [m for m in measures if not m["groups"]]
    if ungrouped_kpis or ungrouped:
        groups.append({"title": "担当グループなし", "kpis": _kpi_table(ungrouped_kpis),
                       "plan_rows": _plan_rows(ungrouped),
                       "details": [kpi_cells(r) for r in ungrouped_kpis if r["commentary"] or r["notes"]]})
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


def _status_sections(evaluated: dict) -> list[dict]:
    """Seed 000: per section, one block of rows per measure: its KPIs, then its activities."""
    sections: dict[str, dict] = {}
    measure_blocks: dict[str, dict] = {}
    ratings = {m["id"]: m for m in evaluated["measures"]}
    for row in evaluated["kpis"]:
        if not row["reported"]:
            continue
        block = _measure_block(sections, measure_blocks, row["section"], row["measure"], row["groups"], ratings,
                               row["position"])
        block["kpis"].append(row)
    for m in evaluated["measures"]:
        owner = m["measure"] or {"id": m["id"], "label": m["label"], "title": m["title"]}
        _measure_block(sections, measure_blocks, m["section"], owner, m["groups"], ratings, m["position"])
    for block in measure_blocks.values():
        block["kpi_cells"] = _kpi_table(block.pop("kpis"))
    for section in sections.values():
        section["measures"].sort(key=lambda block: block["position"])
    return list(sections.values())


def _measure_block(sections: dict, blocks: dict, section: dict, measure: dict, groups: list[str],
                   ratings: dict, position: int) -> dict:
    if section["id"] not in sections:
        sections[section["id"]] = {"label": section["label"], "title": section["title"], "measures": []}
    if measure["id"] not in blocks:
        entry = ratings.get(measure["id"])
        block = {"label": measure["label"], "title": measure["title"], "groups": "・".join(groups), "position": position,
                 "kpis": [], "rating": entry["rating_printed"] if entry else None,
                 "activities": entry["activities"] if entry else [],
                 "notes": entry["notes"] if entry else []}
        blocks[measure["id"]] = block
        sections[section["id"]]["measures"].append(block)
    return blocks[measure["id"]]


def _progress_sections(evaluated: dict) -> list[dict]:
    """Seed 001: per section and measure, its KPIs' interim figures, then 施策 / 取り組み / 実績 rows."""
    sections: dict[str, dict] = {}
    measures: dict[str, dict] = {}

    def measure_entry(section: dict, measure: dict) -> dict:
        if section["id"] not in sections:
            sections[section["id"]] = {"label": section["label"], "title": section["title"], "measures": []}
        if measure["id"] not in measures:
            measures[measure["id"]] = {"label": measure["label"], "title": measure["title"], "kpis": [],
                                       "rows": [], "activities": []}
            sections[section["id"]]["measures"].append(measures[measure["id"]])
        return measures[measure["id"]]

    for row in evaluated["kpis"]:
        measure_entry(row["section"], row["measure"])["kpis"].append(row)
    for m in evaluated["measures"]:
        if m["kind"] == "measure":
            measure_entry(m["section"], {"id": m["id"], "label": m["label"], "title": m["title"]})[
                "activities"] += m["activities"]
        else:
            owner = m["measure"] or {"id": m["section"]["id"], "label": "", "title": ""}
            parent = m.get("parent")
            measure_entry(m["section"], owner)["rows"].append({
                "policy": _marked(parent["marker"], parent["text"]) if parent else _marked(m["label"], m["title"]),
                "policy_id": parent["id"] if parent else m["id"],
                "action": _marked(m["label"], m["title"]) if parent else "",
                "activities": m["activities"], "notes": m["notes"]})
    for entry in measures.values():
        entry["kpi_cells"] = _kpi_table(entry.pop("kpis"))
        _span_policies(entry["rows"])
    return list(sections.values())


def _marked(marker: str | None, text: str) -> str:
    return f"{marker}{text}" if marker and marker not in ("○",) else text


def _span_policies(rows: list[dict]) -> None:
    """A 施策 printed once beside all of its 取り組み rows, as the progress tables print it."""
    i = 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and rows[j]["policy_id"] == rows[i]["policy_id"] and rows[j]["action"]:
            j += 1
        rows[i]["policy_rowspan"] = j - i
        for k in range(i + 1, j):
            rows[k]["policy_rowspan"] = 0
        i = j


def build_context(evaluated: dict, font_family: str = "IPAexMincho", landscape: bool = False,
                  monochrome: bool = False) -> dict:
    """Everything the template shows, as plain data. No markup, no I/O."""
    report = evaluated["report"]
    layout = layout_of(evaluated)
    scales = [s for s in (evaluated["scales"]["kpi"], evaluated["scales"]["measure"]) if s]
    context = {
        "title": report["title"],
        "subtitle": f"{evaluated['branch']['name']}　{evaluated['fiscal_year_label']}　{report['period_label']}",
        "author": evaluated["branch"]["name"],
        "document_number": report["number"],
        "as_of": report["as_of"],
        "date": report["date"],
        "period_label": report["period_label"],
        "interim": report["interim"],
        "layout": layout,
        "legends": scales,
        "count_line": count_line(evaluated["summary"]),
        "summary": evaluated["summary"],
        "commentary": report["commentary"],
        "columns": _columns(evaluated["kpis"]),
        "excerpt": evaluated["plan"]["excerpt"],
        "options": {"font_family": font_family, "landscape": landscape, "monochrome": monochrome},
    }
    if layout == "grade":
        context["groups"] = _grade_groups(evaluated)
    elif layout == "status":
        context["sections"] = _status_sections(evaluated)
    else:
        context["sections"] = _progress_sections(evaluated)
    context["details"] = [kpi_cells(r) for r in evaluated["kpis"] if r["commentary"] and layout != "grade"]
    return context


def render_results_html(context: dict, folder: Path) -> str:
    from .templates import render_html

    return render_html(context, folder, TEMPLATE)


def render_results_document(evaluated: dict, fmt: str, font_family: str, landscape: bool = False,
                            monochrome: bool = False, template_dir: Path | None = None,
                            renderer=None) -> str | bytes:
    from .pdf import render_pdf
    from .templates import template_dir as resolve_template_dir

    folder = resolve_template_dir(template_dir, TEMPLATE)
    html = render_results_html(build_context(evaluated, font_family, landscape, monochrome), folder)
    return html if fmt == "html" else render_pdf(html, folder, renderer)


__all__ = ["build_context", "render_results_document", "render_results_html", "layout_of"]
