"""The 新旧対照表's rewritten lists: each side's items as one continuous run, as the printed table lays them out.

Works on the rows of the template context (plain dicts), after the diff has paired what corresponds.
"""

from __future__ import annotations

from ..diff.align import similarity

_LISTED = ("item", "target", "block")


def flow_rewritten_lists(rows: list[dict]) -> list[dict]:
    """Lay out rewritten lists as the printed 新旧対照表 does: each side's items as one continuous run.

    Within a list (bullets, targets and block headings of one section or measure), rows that pair an
    old item with the new item it became stay rows of their own. Between two such rows, the removed
    and added items are unrelated to one another: they become one ``flow`` row whose new cell lists
    the added items and whose old cell lists the removed ones, so neither column has a hole. Items
    only one side has, between two paired rows, join the neighbouring pair they resemble more (two
    old bullets merged into one new bullet sit beside it).
    """
    out: list[dict] = []
    i = 0
    while i < len(rows):
        if rows[i]["node"] not in _LISTED:
            out.append(rows[i])
            i += 1
            continue
        run = _list_run(rows, i)
        units = _join_rewritten(_absorb_one_sided(_units(run)))
        out += [row for unit in units for row in _unit_rows(unit)]
        i += len(run)
    return out


def _list_run(rows: list[dict], start: int) -> list[dict]:
    parent = rows[start]["parent"]
    run = []
    for row in rows[start:]:
        if row["node"] not in _LISTED or row["parent"] != parent:
            break
        run.append(row)
    return run


def _sides(row: dict) -> set[str]:
    return {side for side in ("new", "old") if row["cells"][side].get("present")}


def _units(run: list[dict]) -> list[list[dict]]:
    """Paired rows one unit each; consecutive rows present on one side only, one unit together."""
    units: list[list[dict]] = []
    for row in run:
        one_sided = len(_sides(row)) == 1
        if one_sided and units and all(len(_sides(r)) == 1 for r in units[-1]):
            units[-1].append(row)
        else:
            units.append([row])
    return units


def _unit_sides(unit: list[dict]) -> set[str]:
    return set().union(*(_sides(row) for row in unit))


def _absorb_one_sided(units: list[list[dict]]) -> list[list[dict]]:
    """A unit present on one side only, between two others, would leave a hole in the other column:
    it joins the neighbour whose other side reads most like it. It never goes in front of a heading
    both sides share, so headings stay level."""
    k = 1
    while k < len(units) - 1:
        sides = _unit_sides(units[k])
        if len(sides) != 1:
            k += 1
            continue
        side = sides.pop()
        other = "old" if side == "new" else "new"
        text = "".join(_row_text(row, side) for row in units[k])
        before = similarity(text, "".join(_row_text(row, other) for row in units[k - 1]))
        after = similarity(text, "".join(_row_text(row, other) for row in units[k + 1]))
        if after > before and units[k + 1][0]["node"] != "block":
            units[k + 1] = units[k] + units[k + 1]
        else:
            units[k - 1] = units[k - 1] + units[k]
        del units[k]
    return units


def _is_rewrite(unit: list[dict]) -> bool:
    return len(unit) > 1 and _unit_sides(unit) == {"new", "old"}


def _join_rewritten(units: list[list[dict]]) -> list[list[dict]]:
    """An edited item with rewritten items above and below it is part of the rewrite: aligning it alone
    would open a hole in the shorter column, and its own marks already show what changed."""
    k = 1
    while k < len(units) - 1:
        unit = units[k]
        lone_edit = len(unit) == 1 and unit[0]["status"] == "changed" and unit[0]["node"] != "block"
        if lone_edit and _is_rewrite(units[k - 1]) and _is_rewrite(units[k + 1]):
            units[k - 1:k + 2] = [units[k - 1] + unit + units[k + 1]]
            continue
        k += 1
    return units


def _row_text(row: dict, side: str) -> str:
    cell = row["cells"][side]
    return "".join(part["text"] for part in cell.get("text") or []) if cell.get("present") else ""


def _unit_rows(unit: list[dict]) -> list[dict]:
    if len(unit) == 1 or len(_unit_sides(unit)) == 1:
        return unit  # rows only one side has leave no hole: they keep a row each
    depth = min(row["depth"] for row in unit)
    cells = {}
    for side in ("new", "old"):
        items = [row["cells"][side] for row in unit if row["cells"][side].get("present")]
        cells[side] = {"present": True, "node": "flow", "depth": depth, "stack": items}
    statuses = {row["status"] for row in unit}
    return [{"node": "flow", "depth": depth,
             "status": "replaced" if statuses <= {"added", "removed"} else "changed",
             "kinds": [kind for row in unit for kind in row.get("kinds", [])], "parent": unit[0]["parent"],
             "remarks": list(dict.fromkeys(r for row in unit for r in row.get("remarks", []))),
             "cells": cells}]
