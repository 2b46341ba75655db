"""One document → one plan file's text: read the lines, recognise the plan, give it ids, write it out.

The fiscal year and the branch's name come from the command line when given, else from the document's
title (平成31年度 事業計画（鹿児島支部）); ids come from the earlier plan the caller found, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KenpoError
from ..i18n import _
from ..plan import era
from ..labels import PLACE_UNDER
from ..plan.model import Plan
from .guard import reading, seconds_for, time_budget
from .ids import assign_ids
from .recognize import Unplaced, recognize
from .sources import read_lines
from .writer import plan_yaml


class ImportFailed(KenpoError):
    """Raised when a document holds nothing that reads as a plan."""


@dataclass
class Imported:
    text: str  # the plan file
    fiscal_year: int
    branch_name: str
    unplaced: list[Unplaced] = field(default_factory=list)
    lines: int = 0
    ids: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def year_of(title: str | None) -> int | None:
    if not title:
        return None
    try:
        return era.parse_fiscal_year(title)
    except era.EraError:
        return None


def branch_name_of(title: str | None) -> str | None:
    match = re.search(r"[（(]([^（）()]*支部)[）)]", title or "")
    return match.group(1) if match else None


def import_document(path: Path, branch_id: str, fiscal_year: int | None = None, branch_name: str | None = None,
                    earlier: Plan | None = None) -> Imported:
    path = Path(path)
    with time_budget(path, seconds_for(path) if path.is_file() else 0):
        with reading(path, path.suffix.lower().lstrip(".")):
            lines = read_lines(path)
        recognized = recognize(lines)
    plan = recognized.plan
    if not plan["sections"]:
        raise ImportFailed(_("{path}: found no section heading such as （1）, 1. or Ⅰ, so nothing reads as a plan. "
                             "Is this a 事業計画?").format(path=path))
    year = fiscal_year or year_of(plan["title"])
    if year is None:
        raise ImportFailed(_("{path}: the document does not say its fiscal year; give it with --year.").format(
            path=path))
    name = branch_name or branch_name_of(plan["title"]) or (earlier.branch_name if earlier else branch_id)
    if not plan["title"]:
        plan["title"] = f"{era.format_fiscal_year(year)} 事業計画（{name}）"
    ids = assign_ids(plan, earlier)
    unplaced = recognized.unplaced + drop_wordless(plan)
    text = plan_yaml(plan, branch_id, name, year, Path(path).name, unplaced)
    return Imported(text, year, name, unplaced, recognized.lines, ids, _counts(plan))


_CHILDREN = ("sections", "measures", "blocks", "items", "kpis", "targets", "breakdown")
WORDLESS = "記号・番号だけで本文がない"  # the reason shown beside the line, in the document's language


def drop_wordless(plan: dict) -> list[Unplaced]:
    """Items, KPIs and titles with no words (an Enter pressed in a ①② list, a line of only ○ or （1）) taken out
    of the plan and reported where they stood: whatever read them, a plan never holds an empty text."""
    found: list[Unplaced] = []

    def words(node: dict) -> str:
        return str(node.get("text") or node.get("title") or node.get("raw_title") or "").strip()

    def walk(node: dict, above: str) -> None:
        here = words(node)[:40] or above
        for key in _CHILDREN:
            if not isinstance(node.get(key), list):
                continue
            kept = []
            for child in node[key]:
                if isinstance(child, dict):
                    walk(child, here)
                if isinstance(child, dict) and _wordless(child):
                    mark = str(child.get("marker") or child.get("label") or "").strip()
                    found.append(Unplaced(mark, PLACE_UNDER.format(title=here) if here else "", WORDLESS))
                else:
                    kept.append(child)
            node[key] = kept

    walk(plan, "")
    return found


def _wordless(node: dict) -> bool:
    has_words = any(key in node for key in ("text", "title", "raw_title"))
    empty = not str(node.get("text") or node.get("title") or node.get("raw_title") or "").strip()
    return has_words and empty and not any(node.get(key) for key in _CHILDREN)


def _counts(plan: dict) -> dict[str, int]:
    counts = {"sections": 0, "measures": 0, "items": 0, "kpis": 0}

    def items(node: dict) -> int:
        total = 0
        for block in node.get("blocks", []):
            for item in block.get("items", []):
                total += 1 + items(item) + len(item.get("items", []))
        return total

    def measures(nodes: list[dict]) -> None:
        for measure in nodes:
            counts["measures"] += 1
            counts["kpis"] += len(measure.get("kpis", []))
            counts["items"] += items(measure)
            measures(measure.get("measures", []))

    for section in plan["sections"]:
        counts["sections"] += 1
        counts["items"] += items(section)
        measures(section.get("measures", []))
    return counts
