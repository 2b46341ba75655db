"""The status (◎○×) and progress layouts, laid out from the plan's outline in the plan's order.

Both walk ``evaluated["outline"]`` (results/outline.py), so every section, measure, heading and planned
action is printed where the plan puts it, with or without a result, and each result once:

- status (seed 000): per section one table; a measure whose sub-measures carry their own rows is a
  heading row, a measure whose sub-measures are only names lists them in its 項目 cell; inside a
  measure its KPI rows, each followed by the activity rows printed for it, then the rest.
- progress (seeds 001, 004): per section the measures as headings (with their 〈Ⅰ、Ⅱ〉 goals), each
  measure's KPIs, its headed notes (【課題】, 上位目標), then its plan rows: 具体的な施策 / 取り組み / 実績 where
  the plan's items carry the results, else the measure's 事業計画 beside its 実施状況.
"""

from __future__ import annotations

from .results_cells import kpi_table, table_columns


def _children(outline: list[dict]) -> dict[str | None, list[dict]]:
    by_owner: dict[str | None, list[dict]] = {}
    for node in outline:
        by_owner.setdefault(node["owner"], []).append(node)
    return by_owner


def _indexes(evaluated: dict) -> tuple[list[dict], dict, dict, dict]:
    """The outline, its nodes by owner, and the measures' and KPIs' results by id."""
    outline = evaluated["outline"]
    return (outline, _children(outline), {m["id"]: m for m in evaluated["measures"]},
            {k["id"]: k for k in evaluated["kpis"]})


def _has_content(node: dict, by_owner: dict, results: dict) -> bool:
    """A measure that prints rows of its own: KPIs, items, plan targets or a result."""
    if node["id"] in results:
        return True
    return any(child["kind"] != "measure" or _has_content(child, by_owner, results)
               for child in by_owner.get(node["id"], []))


def _goals(node: dict) -> str:
    return f"〈{'、'.join(node['goals'])}〉" if node.get("goals") else ""


def _measure_info(node: dict, results: dict) -> dict:
    return {"id": node["id"], "label": node["label"], "title": node["title"], "goals": _goals(node),
            "depth": node["depth"], "groups": "・".join(node.get("groups") or []), "result": results.get(node["id"])}


def _lines(nodes: list[dict]) -> list[dict]:
    """Plan text as nested lines (marker, text, level) for a cell."""
    return [{"marker": n.get("marker") or "", "text": n["text"], "level": n.get("level", 0),
             "heading": n["kind"] == "heading"} for n in nodes if n["kind"] in ("item", "heading", "target")]


# --- status -----------------------------------------------------------------------------------------


def status_sections(evaluated: dict) -> list[dict]:
    outline, by_owner, results, kpis = _indexes(evaluated)
    sections = []
    for section in (n for n in outline if n["kind"] == "section"):
        blocks: list[dict] = []
        texts = [n for n in by_owner.get(section["id"], []) if n["kind"] in ("item", "heading", "target")]
        if texts:  # the section's own preamble (【戦略的保険者機能の発揮により実現すべき目標】 Ⅰ Ⅱ Ⅲ)
            blocks.append({"heading": True, "id": section["id"], "label": "", "title": "", "goals": "", "depth": 1,
                           "groups": "", "lines": _lines(texts), "rows": []})
        for node in by_owner.get(section["id"], []):
            if node["kind"] == "measure":
                _status_measure(blocks, node, by_owner, results, kpis)
        cells = [row["k"] for block in blocks for row in block["rows"] if row["kind"] == "kpi"]
        sections.append({"label": section["label"], "title": section["title"], "blocks": blocks,
                         "columns": table_columns(cells)})
    return sections


def _status_measure(blocks: list[dict], node: dict, by_owner: dict, results: dict, kpis: dict) -> None:
    children = by_owner.get(node["id"], [])
    subs = [c for c in children if c["kind"] == "measure"]
    rich_subs = [c for c in subs if _has_content(c, by_owner, results)]
    if rich_subs:
        blocks.append(_measure_info(node, results) | {"heading": True, "rows": []})
        own = [c for c in children if c["kind"] != "measure"]
        if own or node["id"] in results:
            blocks.append(_status_block(node, own, [], results, kpis, title=False))
        for sub in subs:
            _status_measure(blocks, sub, by_owner, results, kpis)
        return
    blocks.append(_status_block(node, children, subs, results, kpis))


def _status_block(node: dict, children: list[dict], names: list[dict], results: dict, kpis: dict,
                  title: bool = True) -> dict:
    info = _measure_info(node, results) | {"heading": False, "show_title": title,
                                           "subtitles": [f"{s['label']} {s['title']}".strip() for s in names]}
    kpi_nodes = [c for c in children if c["kind"] == "kpi"]
    items = [c for c in children if c["kind"] == "item" and c["id"]]
    own = results.get(node["id"])
    pending = [results[c["id"]] for c in items if c["id"] in results] + ([own] if own else [])
    rows: list[dict] = []
    kpi_rows = [kpis[c["id"]] for c in kpi_nodes]
    cells = kpi_table(kpi_rows)
    for kpi_row, cell in zip(kpi_rows, cells):
        carriers = [e for e in pending if kpi_row["id"] in e["kpis"]]
        moved = bool(carriers) and not _own_rating(kpi_row)
        rows.append({"kind": "kpi", "k": cell, "show_figure": not moved})
        if carriers and kpi_row is _last_named(kpi_rows, carriers):
            for entry in carriers:
                pending.remove(entry)
                rows.append(_activity_row(entry, [c for r, c in zip(kpi_rows, cells)
                                                  if r["id"] in entry["kpis"] and not _own_rating(r)]))
    placed = {e["id"] for e in results.values() if e not in pending}  # printed under their KPIs above
    for item in items:  # the plan's items in its order, each with its result or as planned
        if item["id"] in placed:
            continue
        if item["id"] in results:
            rows.append(_activity_row(results[item["id"]], []))
        else:
            rows.append({"kind": "activity", "title": item["text"], "activities": [], "notes": [], "rating": None,
                         "carried": [], "planned": True, "level": item.get("level", 0)})
    if own and own in pending:
        rows.append(_activity_row(own, []))
    if not rows:
        rows.append({"kind": "activity", "title": None, "activities": [], "notes": [], "rating": None,
                     "carried": [], "planned": True})
    info["rows"] = rows
    return info


def _own_rating(kpi_row: dict) -> bool:
    """A rating printed on the KPI's own row (not on the activity row that carries its figure)."""
    return bool(kpi_row["rating"]) and not kpi_row["rating_printed_on"]


def _last_named(kpi_rows: list[dict], carriers: list[dict]):
    named = {k for entry in carriers for k in entry["kpis"]}
    return [r for r in kpi_rows if r["id"] in named][-1]


def _activity_row(entry: dict, carried: list[dict]) -> dict:
    # a row printed under its KPI is named by that KPI; the item's words are the plan's, not the document's
    titled = entry["kind"] == "item" and not entry["kpis"]
    return {"kind": "activity", "title": entry["title"] if titled else None,
            "activities": entry["activities"], "notes": entry["notes"], "rating": entry["rating_printed"],
            "carried": carried, "planned": False}


# --- progress ---------------------------------------------------------------------------------------


def progress_sections(evaluated: dict) -> list[dict]:
    outline, by_owner, results, kpis = _indexes(evaluated)
    sections = []
    for section in (n for n in outline if n["kind"] == "section"):
        parts: list[dict] = []
        _progress_owner(parts, section, by_owner, results, kpis)
        sections.append({"label": section["label"], "title": section["title"], "parts": parts})
    return sections


def _progress_owner(parts: list[dict], node: dict, by_owner: dict, results: dict, kpis: dict) -> None:
    children = by_owner.get(node["id"], [])
    if node["kind"] == "measure":
        parts.append({"type": "heading"} | _measure_info(node, results))
    kpi_rows = [kpis[c["id"]] for c in children if c["kind"] == "kpi"]
    if kpi_rows:
        cells = kpi_table(kpi_rows)
        parts.append({"type": "kpis", "cells": cells, "columns": table_columns(cells)})
    texts = [c for c in children if c["kind"] in ("item", "heading", "target")]
    own = results.get(node["id"])
    if own is not None or (node["kind"] == "measure" and texts and not any(c["id"] for c in texts)):
        parts.append({"type": "plan", "lines": _lines(texts), "result": own})
    else:
        for group in _blocks_of(texts):
            _progress_block(parts, group, results)
    for child in children:
        if child["kind"] == "measure":
            _progress_owner(parts, child, by_owner, results, kpis)


def _blocks_of(nodes: list[dict]) -> list[list[dict]]:
    groups: dict[int, list[dict]] = {}
    for node in nodes:
        groups.setdefault(node.get("block", -1), []).append(node)
    return list(groups.values())


def _progress_block(parts: list[dict], nodes: list[dict], results: dict) -> None:
    if not any(n["id"] for n in nodes):
        heading = nodes[0]["text"] if nodes and nodes[0]["kind"] == "heading" else None
        parts.append({"type": "note", "heading": heading, "lines": _lines(n for n in nodes if n["kind"] != "heading")})
        return
    if nodes[0]["kind"] == "heading":
        parts.append({"type": "subheading", "text": nodes[0]["text"]})
        nodes = nodes[1:]
    rows: list[dict] = []
    tops = [n for n in nodes if n.get("level", 0) == 0]
    for top in tops:
        below = _below(nodes, top)
        actions = [n for n in below if n["id"] and n["parent"] == top["id"]]
        if not actions:
            rows.append({"policy": top, "action": None, "action_lines": _lines(below),
                         "result": results.get(top["id"]), "policy_id": top["id"]})
            continue
        if all(action.get("marker") for action in actions):
            # bullets of one cell (<li>・…): one row, their results together, as the document prints them
            lines = [line for action in actions for line in _lines([action] + _below(nodes, action))]
            rows.append({"policy": top, "action": None, "action_lines": lines, "policy_id": top["id"],
                         "result": _merged([results[a["id"]] for a in actions if a["id"] in results]),
                         "item_ids": [a["id"] for a in actions]})
            continue
        for action in actions:
            rows.append({"policy": top, "action": action, "action_lines": _lines(_below(nodes, action)),
                         "result": results.get(action["id"]), "policy_id": top["id"]})
        if top["id"] in results:
            rows[-len(actions)]["policy_result"] = results[top["id"]]
    _span_policies(rows)
    _span_results(rows)
    parts.append({"type": "policies", "rows": rows})


def _merged(entries: list[dict]) -> dict | None:
    if not entries:
        return None
    return {"activities": [line for e in entries for line in e["activities"]],
            "notes": [note for e in entries for note in e["notes"]],
            "spans": [item for e in entries for item in e.get("spans", [])]}


def _below(nodes: list[dict], top: dict) -> list[dict]:
    """The nodes nested under ``top`` (the run after it with a deeper level)."""
    start = nodes.index(top) + 1
    out = []
    for node in nodes[start:]:
        if node.get("level", 0) <= top.get("level", 0):
            break
        out.append(node)
    return out


def _row_ids(row: dict) -> set[str]:
    return {row["policy_id"], *([row["action"]["id"]] if row["action"] else []), *row.get("item_ids", [])} - {None}


def _span_results(rows: list[dict]) -> None:
    """A result the original prints in one 実績 cell over several rows (the results file's ``spans``) spans them."""
    i = 0
    while i < len(rows):
        spans = set((rows[i]["result"] or {}).get("spans") or [])
        j = i + 1
        while j < len(rows) and not rows[j]["result"] and _row_ids(rows[j]) & spans:
            rows[j]["result_rowspan"] = 0
            j += 1
        rows[i]["result_rowspan"] = j - i
        i = j


def _span_policies(rows: list[dict]) -> None:
    """A 施策 printed once beside all of its 取り組み rows, as the progress tables print it."""
    i = 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and rows[j]["policy_id"] == rows[i]["policy_id"]:
            j += 1
        rows[i]["policy_rowspan"] = j - i
        for k in range(i + 1, j):
            rows[k]["policy_rowspan"] = 0
        i = j


__all__ = ["progress_sections", "status_sections"]
