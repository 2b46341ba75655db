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


def document_order(plan: Plan) -> dict[int, int]:
    """id(node) → the node's place in the printed plan (section, its blocks, measures: targets, blocks,
    sub-measures, KPIs), the order the aligner emits rows in: the old plan's order, where the aligned rows
    follow the new one, is what a Word revision needs to show a move or to put a deletion back."""
    order: dict[int, int] = {}

    def add(node) -> None:
        order[id(node)] = len(order)

    def blocks(nodes) -> None:
        for block in nodes:
            if block.heading:
                add(block)
            for item in block.items:
                items(item)

    def items(item) -> None:
        add(item)
        for child in item.items:
            items(child)
        blocks(item.blocks)

    def targets(nodes) -> None:
        for target in nodes:
            add(target)
            targets(target.breakdown)

    def measure(node: Measure) -> None:
        add(node)
        targets(node.targets)
        blocks(node.blocks)
        for child in node.measures:
            measure(child)
        for kpi in node.kpis:
            add(kpi)

    for section in plan.sections:
        add(section)
        blocks(section.blocks)
        for child in section.measures:
            measure(child)
    return order
