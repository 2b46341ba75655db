"""A plan indexed by id: measures (with their parents), KPIs (with their measures), and a measure's text.

The aligner and the across-years checks both look nodes up by id; they share these indexes.
"""

from __future__ import annotations

from ..plan.model import Kpi, Measure, Plan


def measure_text(measure: Measure) -> str:
    return measure.title + "\n" + "\n".join(item.text for item in measure.own_items())


def index_measures(plan: Plan) -> tuple[dict[str, Measure], dict[str, str]]:
    """id → measure, and id → parent id (section or measure)."""
    nodes: dict[str, Measure] = {}
    parents: dict[str, str] = {}

    def visit(measure: Measure, parent: str) -> None:
        nodes[measure.id] = measure
        parents[measure.id] = parent
        for child in measure.measures:
            visit(child, measure.id)

    for section in plan.sections:
        for measure in section.measures:
            visit(measure, section.id)
    return nodes, parents


def index_kpis(plan: Plan) -> tuple[dict[str, Kpi], dict[str, str]]:
    kpis: dict[str, Kpi] = {}
    owners: dict[str, str] = {}
    for measure, kpi in plan.walk_kpis():
        kpis[kpi.id] = kpi
        owners[kpi.id] = measure.id
    return kpis, owners
