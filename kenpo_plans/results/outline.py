"""The plan's outline in the plan's order, each node marked with whether the report carries a result for it.

A progress report lists every planned action, with or without a result, in the order of the plan;
a results document prints every section, heading, measure and item where the plan puts them.  This
is that order as a flat list of plain nodes (JSON-ready), so every renderer walks the same sequence
instead of rebuilding it from the KPI and result lists (which lose the headings, the items without
results and the order).

Node kinds: ``section``, ``measure`` (any depth), ``target`` (numeric plan targets), ``heading``
(a block's heading: 【課題】, 薬剤師会・県等と連携した取り組み), ``item`` (plan text: 具体的な施策 / 取り組み /
paragraphs, nested with ``level``), ``kpi``.  ``owner`` is the id of the measure or section a node
belongs to; ``parent`` the id of the item an item is nested in; ``block`` the index of its block.
"""

from __future__ import annotations

from ..plan.model import Block, Item, Measure, Plan, PlanTarget
from .model import Report


def build_outline(plan: Plan, report: Report) -> list[dict]:
    reported = {entry.id for entry in report.measures}
    kpi_results = {k.id for k in report.kpis} | {k for j in report.joint_ratings for k in j.kpis}
    nodes: list[dict] = []
    for section in plan.sections:
        nodes.append({"kind": "section", "id": section.id, "label": section.label, "title": section.title,
                      "depth": 0, "owner": None, "reported": section.id in reported})
        _blocks(nodes, section.blocks, section.id, 1, reported)
        for measure in section.measures:
            _measure(nodes, measure, section.id, 1, reported, kpi_results)
    return nodes


def _measure(nodes: list[dict], measure: Measure, owner: str, depth: int, reported: set[str],
             kpi_results: set[str]) -> None:
    nodes.append({"kind": "measure", "id": measure.id, "label": measure.label, "title": measure.title,
                  "depth": depth, "owner": owner, "goals": list(measure.goals), "groups": list(measure.groups),
                  "reported": measure.id in reported})
    for target in measure.targets:
        _target(nodes, target, measure.id, depth + 1, 0)
    _blocks(nodes, measure.blocks, measure.id, depth + 1, reported)
    for child in measure.measures:
        _measure(nodes, child, measure.id, depth + 1, reported, kpi_results)
    for kpi in measure.kpis:
        nodes.append({"kind": "kpi", "id": kpi.id, "label": kpi.label, "text": kpi.text, "depth": depth + 1,
                      "owner": measure.id, "reported": kpi.id in kpi_results})


def _target(nodes: list[dict], target: PlanTarget, owner: str, depth: int, level: int) -> None:
    nodes.append({"kind": "target", "id": target.id, "marker": target.marker, "text": target.text,
                  "depth": depth, "level": level, "owner": owner, "reported": False})
    for child in target.breakdown:
        _target(nodes, child, owner, depth, level + 1)


def _blocks(nodes: list[dict], blocks: list[Block], owner: str, depth: int, reported: set[str],
            parent: str | None = None, level: int = 0) -> None:
    for index, block in enumerate(blocks):
        if block.heading:
            nodes.append({"kind": "heading", "id": None, "text": block.heading, "depth": depth, "level": level,
                          "owner": owner, "parent": parent, "block": index, "reported": False})
        for item in block.items:
            _item(nodes, item, owner, depth, reported, parent, level, index)


def _item(nodes: list[dict], item: Item, owner: str, depth: int, reported: set[str], parent: str | None,
          level: int, block: int) -> None:
    nodes.append({"kind": "item", "id": item.id, "marker": item.marker, "text": item.text, "depth": depth,
                  "level": level, "owner": owner, "parent": parent, "block": block,
                  "groups": list(item.groups), "reported": bool(item.id and item.id in reported)})
    own_parent = item.id or parent
    for child in item.items:
        _item(nodes, child, owner, depth, reported, own_parent, level + 1, block)
    _blocks(nodes, item.blocks, owner, depth, reported, own_parent, level + 1)


def planned_actions(outline: list[dict]) -> list[dict]:
    """The items a result can be entered for (those with an id), with or without a result."""
    return [node for node in outline if node["kind"] == "item" and node["id"]]


__all__ = ["build_outline", "planned_actions"]
