"""Plan + one report (+ last year's results) → the evaluated report, as JSON-ready plain data.

This is the one place where a report meets its plan: every KPI of the plan
gets its row (with or without results), its computed achievement and,
where the document rated it, whether the rating agrees.  Everything
downstream (JSON, text, HTML, PDF) reads only this data.
"""

from __future__ import annotations

from ..labels import PERIOD_LABELS
from ..plan.era import format_fiscal_year
from ..plan.model import Item, Kpi, Measure, Plan, Section
from .achievement import Judgement, joint_achieved, json_number, judge
from .model import Commentary, KpiResult, Line, Printed, Report, ResultsFile, Scale
from .outline import build_outline


def printed_dict(printed: Printed | None) -> dict | None:
    if printed is None:
        return None
    return {"value": json_number(printed.value), "unit": printed.unit, "text": printed.text, "as_of": printed.as_of}


def _lines(lines: list[Line] | tuple[Line, ...]) -> list[dict]:
    return [{"marker": line.marker, "text": line.text} for line in lines]


def _commentary(blocks: list[Commentary]) -> list[dict]:
    return [{"heading": block.heading, "items": _lines(block.lines)} for block in blocks]


def _scale_dict(scale: Scale | None) -> dict | None:
    if scale is None:
        return None
    return {"name": scale.name, "note": scale.note,
            "marks": [{"mark": m.key, "printed": m.mark, "meaning": m.meaning, "achieved": m.achieved}
                      for m in scale.marks]}


def previous_actuals(previous_year: ResultsFile | None) -> dict[str, Printed]:
    """KPI id → last year's final actual, from last year's year-end report."""
    final = previous_year.final() if previous_year else None
    if final is None:
        return {}
    return {k.id: k.actual for k in final.kpis if k.actual is not None and k.actual.value is not None}


def judge_kpi(kpi: Kpi, result: KpiResult | None, report: Report, last_year: dict[str, Printed]) -> Judgement:
    return judge(kpi, result.actual if result else None, interim=report.interim,
                 pending=bool(result and result.pending),
                 # after a definition change last year's file measured something else; the report's own
                 # restated previous figure is the comparable one
                 previous_results=None if kpi.definition_changed else last_year.get(kpi.id),
                 previous_printed=result.previous.actual if result and result.previous else None)


def _rating_meaning(scale: Scale | None, rating: str | None) -> dict | None:
    if scale is None or rating is None:
        return None
    mark = scale.find(rating)
    return None if mark is None else {"meaning": mark.meaning, "achieved": mark.achieved}


def rating_agreement(achieved: bool | None, scale: Scale | None, rating: str | None) -> bool | None:
    """Whether a rating's meaning (met / not met) matches the computed achievement; None when either is unknown."""
    meaning = _rating_meaning(scale, rating)
    if meaning is None or achieved is None:
        return None
    return meaning["achieved"] == achieved


def report_index(results: ResultsFile) -> list[dict]:
    """The year's reports as every evaluated report lists them; build it once and share it between them
    (one list per report would cost the square of the number of reports)."""
    return [{"id": r.id, "period": r.period, "title": r.title} for r in results.reports]


def evaluate(plan: Plan, results: ResultsFile, report: Report, previous_year: ResultsFile | None = None,
             index: list[dict] | None = None) -> dict:
    last_year = previous_actuals(previous_year)
    kpi_rows = []
    judgements: dict[str, Judgement] = {}
    order = {measure.id: index for index, measure in enumerate(plan.walk_measures())}
    for section, measure, kpi in _kpis_with_place(plan):
        result = report.kpi(kpi.id)
        judgement = judge_kpi(kpi, result, report, last_year)
        judgements[kpi.id] = judgement
        kpi_rows.append(_kpi_row(section, measure, kpi, result, judgement, report) | {"position": order[measure.id]})
    _apply_joint_ratings(kpi_rows, report, judgements)
    measures = _measure_rows(plan, report, order)
    _apply_row_ratings(kpi_rows, measures, report)
    return {
        "branch": {"id": plan.branch_id, "name": plan.branch_name},
        "fiscal_year": plan.fiscal_year,
        "fiscal_year_label": format_fiscal_year(plan.fiscal_year, plan.era),
        "plan": {"title": plan.title, "excerpt": plan.excerpt.source if plan.excerpt else None},
        "report": {"id": report.id, "period": report.period, "period_label": PERIOD_LABELS[report.period],
                   "title": report.title, "as_of": report.as_of, "date": report.date, "number": report.number,
                   "interim": report.interim, "commentary": _commentary(report.commentary),
                   "kpi_list": report.kpi_list},
        "reports": report_index(results) if index is None else index,
        "scales": {"kpi": _scale_dict(report.kpi_scale), "measure": _scale_dict(report.measure_scale)},
        "kpis": kpi_rows,
        "measures": measures,
        "outline": build_outline(plan, report),
        "summary": _summary(kpi_rows),
    }


def _kpis_with_place(plan: Plan):
    for section in plan.sections:
        for measure in section.walk_measures():
            for kpi in measure.kpis:
                yield section, measure, kpi


def _kpi_row(section: Section, measure: Measure, kpi: Kpi, result: KpiResult | None, judgement: Judgement,
             report: Report) -> dict:
    previous = result.previous if result else None
    rating = result.rating if result else None
    agrees = rating_agreement(judgement.achieved, report.kpi_scale, rating)
    return {
        "id": kpi.id,
        "label": kpi.label,
        "text": kpi.text,
        "target_text": kpi.target_text,
        "groups": list(kpi.groups or measure.groups),
        "section": {"id": section.id, "label": section.label, "title": section.title},
        "measure": {"id": measure.id, "label": measure.label, "title": measure.title},
        "target": kpi.target.to_dict() if kpi.target else None,
        "direction": kpi.direction,
        "definition_changed": kpi.definition_changed,
        "reported": _stated(result),
        "actual": printed_dict(result.actual) if result else None,
        "national_average": printed_dict(result.national_average) if result else None,
        "rank": result.rank if result else None,
        "previous": None if previous is None else {
            "target": previous.target, "actual": printed_dict(previous.actual), "rank": previous.rank,
            "same_point": printed_dict(previous.same_point)},
        "rating": rating,
        "rating_printed": result.rating_printed if result else None,
        "rating_basis": result.rating_basis if result and rating else None,
        "rating_meaning": _rating_meaning(report.kpi_scale, rating),
        "rating_joint_with": [],
        "rating_printed_on": None,
        "achieved": judgement.achieved,
        "achieved_basis": judgement.basis if judgement.achieved is not None else None,
        "achieved_reason": judgement.reason,
        "comparison": judgement.to_dict(),
        "rating_agrees": agrees,
        "notes": list(result.notes) if result else [],
        "plan_notes": list(kpi.notes),
        "pending": result.pending if result else None,
        "branches_achieved": result.branches_achieved if result else None,
        "branches_achieved_text": result.branches_achieved_text if result else None,
        "commentary": _commentary(result.commentary) if result else [],
    }


def _apply_joint_ratings(rows: list[dict], report: Report, judgements: dict[str, Judgement]) -> None:
    by_id = {row["id"]: row for row in rows}
    for joint in report.joint_ratings:
        together = joint_achieved([judgements[k] for k in joint.kpis if k in judgements])
        agrees = rating_agreement(together, report.kpi_scale, joint.rating)
        for kpi_id in joint.kpis:
            row = by_id.get(kpi_id)
            if row is None:
                continue
            row.update(reported=True, rating=joint.rating, rating_printed=joint.rating_printed, rating_basis=joint.rating_basis,
                       rating_meaning=_rating_meaning(report.kpi_scale, joint.rating),
                       rating_joint_with=[k for k in joint.kpis if k != kpi_id], rating_agrees=agrees,
                       joint_achieved=together)


def _apply_row_ratings(rows: list[dict], measures: list[dict], report: Report) -> None:
    """A KPI without a rating of its own takes the rating printed on the row that carries its figure (an
    activity row under it): the original's tally counts it there, so ours does."""
    carriers = {}
    for entry in measures:
        for kpi_id in entry["kpis"]:
            if entry["rating"]:
                carriers.setdefault(kpi_id, entry)
    for row in rows:
        entry = carriers.get(row["id"])
        if entry is None or row["rating"]:
            continue
        row.update(rating=entry["rating"], rating_printed=entry["rating_printed"], rating_printed_on=entry["id"],
                   rating_basis="computed", rating_meaning=_rating_meaning(report.kpi_scale, entry["rating"]),
                   rating_agrees=rating_agreement(row["achieved"], report.kpi_scale, entry["rating"]))


def _stated(result: KpiResult | None) -> bool:
    """Whether the report states anything of the KPI: a figure, a rank, a rating or a status (算出予定); an id
    listed with nothing under it (a skeleton still to fill) is not a result."""
    if result is None:
        return False
    return any((result.actual, result.pending, result.rating, result.rank, result.national_average,
                result.branches_achieved, result.branches_achieved_text))


def _measure_rows(plan: Plan, report: Report, order: dict[str, int]) -> list[dict]:
    nodes = _rated_nodes(plan)
    rows = []
    for entry in report.measures:
        node = nodes.get(entry.id)
        if node is None:
            continue  # validation reports unknown ids; evaluation shows what it can place
        kind, section, owner, thing, parent = node
        title = thing.title if kind == "measure" else thing.text
        label = thing.label if kind == "measure" else thing.marker
        groups = list(thing.groups or (owner.groups if isinstance(owner, Measure) else []))
        rows.append({
            "id": entry.id,
            "kind": kind,
            "label": label,
            "title": title,
            "groups": groups,
            "section": {"id": section.id, "label": section.label, "title": section.title},
            "measure": None if kind == "measure" or not isinstance(owner, Measure) else {
                "id": owner.id, "label": owner.label, "title": owner.title},
            "parent": None if parent is None else {"id": parent.id, "marker": parent.marker, "text": parent.text},
            "rating": entry.rating,
            "rating_printed": entry.rating_printed,
            "rating_meaning": _rating_meaning(report.scale_for_measures, entry.rating),
            "kpis": list(entry.kpis),
            "spans": list(entry.spans),
            "activities": _lines(entry.activities),
            "notes": list(entry.notes),
            "position": order.get(owner.id if isinstance(owner, Measure) else thing.id, -1),
        })
    return rows


def _rated_nodes(plan: Plan) -> dict[str, tuple]:
    """id → (kind, section, owning measure or section, the node, the item it is nested in or None)."""
    nodes: dict = {}

    def visit_items(items: list[Item], section: Section, owner, parent: Item | None) -> None:
        for item in items:
            if item.id:
                nodes[item.id] = ("item", section, owner, item, parent)
            visit_items(item.items, section, owner, item)
            for block in item.blocks:
                visit_items(block.items, section, owner, item)

    for section in plan.sections:
        for measure in section.walk_measures():
            nodes[measure.id] = ("measure", section, measure, measure, None)
            for block in measure.blocks:
                visit_items(block.items, section, measure, None)
        for block in section.blocks:
            visit_items(block.items, section, section, None)
    return nodes


def rated_ids(plan: Plan) -> set[str]:
    return set(_rated_nodes(plan))


def _summary(rows: list[dict]) -> dict:
    reported = [row for row in rows if row["reported"]]
    return {
        "kpis": len(rows),
        "reported": len(reported),
        "achieved": sum(1 for row in reported if row["achieved"] is True),
        "not_achieved": sum(1 for row in reported if row["achieved"] is False),
        "undetermined": sum(1 for row in reported if row["achieved"] is None),
        "provisional": sum(1 for row in reported if row["achieved_reason"] == "interim"),
        "disagreements": sum(1 for row in reported if row["rating_agrees"] is False),
        "document": _document_tally(reported),
    }


def _document_tally(rows: list[dict]) -> dict | None:
    """The count the document itself gives by its ratings, and the KPIs where it and the computed count part."""
    rated = [row for row in rows if row["rating"]]
    if not rated:
        return None
    meanings = [(row["rating_meaning"] or {}).get("achieved") for row in rated]
    differences = []
    for row in rows:
        by_rating = (row["rating_meaning"] or {}).get("achieved")
        if by_rating != row["achieved"] and row["achieved_reason"] not in ("interim", "qualitative"):
            differences.append({"id": row["id"], "label": row["label"], "text": row["text"],
                                "rating": row["rating_printed"], "rating_achieved": by_rating,
                                "achieved": row["achieved"]})
    return {"rated": len(rated), "achieved": meanings.count(True), "not_achieved": meanings.count(False),
            "other": sum(1 for m in meanings if m is None), "differences": differences}
